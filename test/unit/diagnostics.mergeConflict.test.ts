/**
 * merge-conflict: git's conflict markers left in a document are an error on the `<<<<<<<` line,
 * since both sides of the conflict are read until it is resolved. Near misses: the markers inside
 * a code block, an eighth `<`, the marker in the middle of a line.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createService, md } from '../helpers/memoryWorkspace';

const CONFLICTED = md`
  ---
  type: prd
  id: PRD-1
  ---
  # PRD-1: Checkout

  ### REQ-1: Pay without an account
  <<<<<<< HEAD
  Traces: OUT-1
  =======
  Traces: OUT-2
  >>>>>>> feature/wallets
`;

describe('merge-conflict', () => {
  test('an unresolved conflict is an error on its <<<<<<< line, saying that both sides are read', async () => {
    const t = await createService({ 'p.md': CONFLICTED });
    const [diagnostic, ...rest] = t.diagnosticsOf('p.md', 'merge-conflict');
    assert.equal(rest.length, 0);
    assert.equal(diagnostic!.severity, 1);
    assert.deepEqual(diagnostic!.range, { start: { line: 7, character: 0 }, end: { line: 7, character: 7 } });
    assert.match(diagnostic!.message, /^An unresolved merge conflict: .* reads both sides until you keep one/);
    // Two conflicts in one file: one error each.
    const twice = await createService({ 'p.md': `${CONFLICTED}\n<<<<<<< HEAD\nx\n=======\ny\n>>>>>>> other\n` });
    assert.equal(twice.diagnosticsOf('p.md', 'merge-conflict').length, 2);
  });

  test('near misses: in a code block, an eighth <, in the middle of a line, or resolved', async () => {
    const text = md`
      ---
      type: prd
      id: PRD-1
      ---
      # PRD-1: How we merge

      \`\`\`
      <<<<<<< HEAD
      =======
      >>>>>>> branch
      \`\`\`

      <<<<<<<< eight
      A line with <<<<<<< HEAD inside.
    `;
    const t = await createService({ 'p.md': text, 'q.md': CONFLICTED.replace(/^(<<<<<<<|=======|>>>>>>>).*\n/gm, '') });
    assert.deepEqual(t.diagnosticsOf('p.md', 'merge-conflict'), []);
    assert.deepEqual(t.diagnosticsOf('q.md', 'merge-conflict'), []);
  });
});
