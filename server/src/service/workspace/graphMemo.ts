import { recordingGraph } from './readRecorder';
import { ReadIndex, ReadSet } from './readSet';
import type { GraphQueries } from './workspaceGraph';

/**
 * Values computed from the graph, each kept until the graph changes something it read. A value is
 * computed through a recording graph (readRecorder.ts), as a document's diagnostics are, so the
 * same `GraphDifference` that says which documents to check again says which values to drop.
 *
 * Values must not hold positions or `Item` objects: an item's position changes with every edit of
 * its document, and only `document` reads are invalidated by that. Keep IDs and counts, and look
 * the items up in the current graph when they are shown.
 */
export class GraphMemo {
  private readonly values = new Map<string, unknown>();
  private readonly reads = new ReadIndex();

  get<T>(key: string, graph: GraphQueries, compute: (graph: GraphQueries) => T): T {
    if (this.values.has(key)) return this.values.get(key) as T;
    const reads = new ReadSet();
    const value = compute(recordingGraph(graph, reads));
    this.values.set(key, value);
    this.reads.record(key, reads);
    return value;
  }

  /** Drops every value that read something in `changed`. */
  invalidate(changed: ReadSet): void {
    const stale = new Set<string>();
    this.reads.addReaders(changed, stale);
    for (const key of stale) {
      this.values.delete(key);
      this.reads.forget(key);
    }
  }

  clear(): void {
    this.values.clear();
    this.reads.clear();
  }

  get size(): number {
    return this.values.size;
  }
}
