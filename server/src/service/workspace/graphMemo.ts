import { recordingGraph } from './readRecorder';
import { ReadIndex, ReadSet } from './readSet';
import type { GraphQueries } from './workspaceGraph';

/**
 * Values computed from the graph, each kept until the graph changes something it read. A value is
 * computed through a recording graph (readRecorder.ts), as a document's diagnostics are, so the
 * same `GraphDifference` that says which documents to check again says which values to drop.
 *
 * Values must not hold positions or `Item` objects unless `compute` adds a `document` read of
 * their document: an item's position changes with every edit of its document, and only `document`
 * reads are invalidated by that. Keep IDs and counts where you can, and look the items up in the
 * current graph when they are shown.
 */
export class GraphMemo {
  /**
   * With `keysAreDocuments`, each key is a document URI and the value's reads of that document
   * itself are not kept: the owner drops the value whenever its document changes at all
   * (`forget`, on a `document` change). A fold keeps a value per document, and most of what each
   * reads is its own document: at 10,000 PRDs that was 20,000-30,000 reads kept per fold.
   */
  constructor(
    private readonly keysAreDocuments = false,
    /**
     * Without it (a one-shot service, `recordReads: false`: the CLI) nothing is recorded, and any
     * change drops every value. Recording costs: at 10,000 PRDs it was 65 of coverage's 150 ms.
     */
    private readonly recordReads = true,
  ) {}

  private readonly values = new Map<string, unknown>();
  private readonly reads = new ReadIndex();
  /** For each key, the values computed from it (a value may be built from other memoised values). */
  private readonly dependents = new Map<string, Set<string>>();
  /** The keys being computed, innermost last. */
  private readonly computing: string[] = [];

  /**
   * The value of `key`, computed by `compute` when it is not known. A value computed while another
   * is being computed becomes a dependency of it: dropping it drops the other too. So a compound
   * value (an objective's counts) is built from memoised parts (its outcomes) without recording
   * the parts' reads again.
   */
  get<T>(key: string, graph: GraphQueries, compute: (graph: GraphQueries, reads: ReadSet) => T): T {
    const parent = this.computing.at(-1);
    if (parent !== undefined) {
      let dependents = this.dependents.get(key);
      if (!dependents) this.dependents.set(key, (dependents = new Set()));
      dependents.add(parent);
    }
    if (this.values.has(key)) return this.values.get(key) as T;
    const reads = new ReadSet();
    this.computing.push(key);
    try {
      if (!this.recordReads) {
        const value = compute(graph, reads);
        this.values.set(key, value);
        return value;
      }
      const value = compute(recordingGraph(graph, reads), reads);
      this.values.set(key, value);
      this.reads.record(key, this.keysAreDocuments ? reads.withoutDocument(key) : reads);
      return value;
    } finally {
      this.computing.pop();
    }
  }

  /** Drops every value that read something in `changed`, and every value computed from one of those. Returns the dropped keys. */
  invalidate(changed: ReadSet): Set<string> {
    // Nothing says what read the change: every value goes.
    if (!this.recordReads) return this.forget([...this.values.keys()]);
    const stale = new Set<string>();
    this.reads.addReaders(changed, stale);
    return this.drop(stale);
  }

  private drop(stale: Set<string>): Set<string> {
    for (const key of stale) {
      // `stale` grows while it is iterated: a Set's iterator visits what is added after it started.
      for (const dependent of this.dependents.get(key) ?? []) stale.add(dependent);
      this.dependents.delete(key);
      this.values.delete(key);
      this.reads.forget(key);
    }
    return stale;
  }

  /** Drops the values of `keys` and every value computed from one of them; returns the dropped keys. */
  forget(keys: Iterable<string>): Set<string> {
    const stale = new Set<string>();
    for (const key of keys) if (this.values.has(key) || this.dependents.has(key)) stale.add(key);
    return this.drop(stale);
  }

  clear(): void {
    this.values.clear();
    this.reads.clear();
    this.dependents.clear();
  }

  /**
   * Builds now which values read what, from each side, if any value is known: the first
   * `invalidate` would otherwise build it on the keystroke path (the alignment tree's took 0.11 s
   * of the first link edit at 10,000 PRDs). Nothing is built for a memo nobody asked anything yet,
   * so its first values are not slowed by keeping the readers side current as they are recorded.
   */
  prepareForEdits(): void {
    if (this.recordReads && this.values.size > 0) this.reads.prepareReaders();
  }

  get size(): number {
    return this.values.size;
  }
}
