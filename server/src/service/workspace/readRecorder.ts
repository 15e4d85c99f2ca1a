import type { DocumentIndex, Item, Reference } from '../model/model';
import type { HistoryQueries } from '../history/strategyHistory';
import { Facet, ReadKind, type ReadSet } from './readSet';
import type { Cycles, GraphQueries } from './workspaceGraph';

/**
 * The graph as one document's diagnostics see it: every query answers as the graph does and adds
 * what it read to `reads` (IDs, documents, facets; see readSet.ts). The language service
 * keeps, per read, the documents whose last diagnostics read it, so a change to the graph re-checks
 * exactly the readers of what changed, whichever rule read it.
 *
 * A document's fields are recorded one by one (its front-matter, its items, its references, the
 * rest), so a rule looking at another document's front-matter is not re-run when that document's
 * body is edited.
 */
/** The history as one document's diagnostics see it: each answer about an ID records a `history` read of it. */
export function recordingHistory(history: HistoryQueries, reads: ReadSet): HistoryQueries {
  return {
    hasHistory() {
      // No ID is empty: this read is replaced only with the whole history (`setHistory`).
      reads.add(ReadKind.history, '');
      return history.hasHistory();
    },
    lastChange(id, uri) {
      reads.add(ReadKind.history, id);
      return history.lastChange(id, uri);
    },
    linkWritten(fromId, toId, uri) {
      reads.add(ReadKind.history, fromId);
      return history.linkWritten(fromId, toId, uri);
    },
    checkIns(id, uri) {
      reads.add(ReadKind.history, id);
      return history.checkIns(id, uri);
    },
  };
}

export function recordingGraph(graph: GraphQueries, reads: ReadSet): GraphQueries {
  return new RecordingGraph(graph, reads);
}

class RecordingGraph implements GraphQueries {
  private readonly views = new Map<string, DocumentIndex>();
  private cycleView: Cycles | undefined;

  constructor(
    private readonly graph: GraphQueries,
    private readonly reads: ReadSet,
  ) {}

  get documentCount(): number {
    this.reads.add(ReadKind.facet, Facet.documentCount);
    return this.graph.documentCount;
  }

  document(uri: string): DocumentIndex | undefined {
    this.reads.add(ReadKind.exists, uri);
    const index = this.graph.document(uri);
    if (!index) return undefined;
    let view = this.views.get(uri);
    if (!view) this.views.set(uri, (view = new DocumentView(index, this.reads)));
    return view;
  }

  documentItem(uri: string): Item | undefined {
    this.reads.add(ReadKind.documentItem, uri);
    return this.graph.documentItem(uri);
  }

  allDocuments(): IterableIterator<DocumentIndex> {
    this.reads.add(ReadKind.facet, Facet.documents);
    return this.graph.allDocuments();
  }

  allItems(): IterableIterator<Item> {
    this.reads.add(ReadKind.facet, Facet.items);
    return this.graph.allItems();
  }

  allIds(): IterableIterator<string> {
    this.reads.add(ReadKind.facet, Facet.ids);
    return this.graph.allIds();
  }

  definitionsOf(id: string): readonly Item[] {
    this.reads.add(ReadKind.definitions, id);
    return this.graph.definitionsOf(id);
  }

  definitionCount(id: string): number {
    this.reads.add(ReadKind.definitions, id);
    return this.graph.definitionCount(id);
  }

  definition(id: string): Item | undefined {
    this.reads.add(ReadKind.definitions, id);
    return this.graph.definition(id);
  }

  referencesTo(id: string): readonly Reference[] {
    this.reads.add(ReadKind.references, id);
    return this.graph.referencesTo(id);
  }

  countReferences(id: string, contexts: ReadonlySet<Reference['context']>): number {
    this.reads.add(ReadKind.references, id);
    return this.graph.countReferences(id, contexts);
  }

  childrenOf(id: string): readonly Item[] {
    this.reads.add(ReadKind.children, id);
    return this.graph.childrenOf(id);
  }

  headingsOf(uri: string): ReturnType<GraphQueries['headingsOf']> {
    this.reads.add(ReadKind.exists, uri);
    this.reads.add(ReadKind.headings, uri);
    return this.graph.headingsOf(uri);
  }

  /** Looking up one document's cycle links or one ID's cycle records that key; iterating records the whole facet. */
  cycles(): Cycles {
    if (!this.cycleView) {
      const cycles = this.graph.cycles();
      this.cycleView = {
        edges: new RecordingMap(cycles.edges, this.reads, ReadKind.cycleEdges),
        members: new RecordingMap(cycles.members, this.reads, ReadKind.cycleMembers),
      };
    }
    return this.cycleView;
  }
}

/** A document as the recording graph hands it out: each field read is recorded under its key. */
class DocumentView implements DocumentIndex {
  constructor(
    private readonly index: DocumentIndex,
    private readonly reads: ReadSet,
  ) {}

  get uri(): string {
    return this.index.uri;
  }

  get participates(): boolean {
    return this.index.participates;
  }

  get frontMatter(): DocumentIndex['frontMatter'] {
    this.reads.add(ReadKind.frontMatter, this.index.uri);
    return this.index.frontMatter;
  }

  get items(): DocumentIndex['items'] {
    this.reads.add(ReadKind.items, this.index.uri);
    return this.index.items;
  }

  get references(): DocumentIndex['references'] {
    this.reads.add(ReadKind.referencesFrom, this.index.uri);
    return this.index.references;
  }

  // Everything else changes with any edit of the document.
  get version(): number {
    return this.whole().version;
  }

  get problems(): DocumentIndex['problems'] {
    return this.whole().problems;
  }

  get suppressions(): DocumentIndex['suppressions'] {
    return this.whole().suppressions;
  }

  get lineCount(): number {
    return this.whole().lineCount;
  }

  get lastLineLength(): number {
    return this.whole().lastLineLength;
  }

  get sections(): Int32Array {
    return this.whole().sections;
  }

  get foldableBlocks(): DocumentIndex['foldableBlocks'] {
    return this.whole().foldableBlocks;
  }

  private whole(): DocumentIndex {
    this.reads.add(ReadKind.document, this.index.uri);
    return this.index;
  }
}

/** A read-only map whose lookups record (kind, key) and whose iteration records the whole cycles facet. */
class RecordingMap<V> implements ReadonlyMap<string, V> {
  constructor(
    private readonly map: ReadonlyMap<string, V>,
    private readonly reads: ReadSet,
    private readonly kind: ReadKind,
  ) {}

  get(key: string): V | undefined {
    this.reads.add(this.kind, key);
    return this.map.get(key);
  }

  has(key: string): boolean {
    this.reads.add(this.kind, key);
    return this.map.has(key);
  }

  get size(): number {
    return this.whole().size;
  }

  forEach(callback: (value: V, key: string, map: ReadonlyMap<string, V>) => void, thisArg?: unknown): void {
    this.whole().forEach((value, key) => callback.call(thisArg, value, key, this));
  }

  entries(): MapIterator<[string, V]> {
    return this.whole().entries();
  }

  keys(): MapIterator<string> {
    return this.whole().keys();
  }

  values(): MapIterator<V> {
    return this.whole().values();
  }

  [Symbol.iterator](): MapIterator<[string, V]> {
    return this.whole()[Symbol.iterator]();
  }

  private whole(): ReadonlyMap<string, V> {
    this.reads.add(ReadKind.facet, Facet.cycles);
    return this.map;
  }
}
