/** Rules about what git left in a document. */
import { problemRule } from './rule';

/** Found while indexing (parse/indexDocument.ts: `findConflictMarkers`). */
export const mergeConflict = problemRule({
  name: 'merge-conflict',
  severity: 'error',
  description: 'An unresolved merge conflict: the file still has the `<<<<<<<` marker git writes, so both sides are read.',
});
