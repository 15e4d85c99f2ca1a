/**
 * What a query of the graph depends on: a kind (an ID's definitions, a document's front-matter, a
 * whole-workspace facet…) and a name (the ID, the document's URI, the facet). A document's
 * diagnostics record a `ReadSet` of everything they asked the graph (see readRecorder.ts); a change
 * to the graph reports, as a `ReadSet` too, what may answer differently now (`GraphDifference`).
 * The documents to check again are the readers of what changed. Kinds name IDs, documents and
 * facets, never a rule.
 *
 * Positions are part of no kind but `document`: a query's answer may carry positions (an item's
 * `idSpan`), but rules only show them, in related information, and the service records the
 * document of every related location it shows under `document`.
 */
export const ReadKind = {
  /** The definitions of an ID: how many, in which documents and order, and their content (kind, parent, status, title, attributes…). */
  definitions: 0,
  /** The references to an ID: which documents, contexts and source items (not their positions). */
  references: 1,
  /** The items whose parent is an ID, and their content. */
  children: 2,
  /** Whether a document (by URI) is in the graph. */
  exists: 3,
  /** A document's front-matter: type and data (not its positions). */
  frontMatter: 4,
  /** A document's items, in order, by content. */
  items: 5,
  /** A document's references, in order, by target, context and source. */
  referencesFrom: 6,
  /** A document's own item (front-matter `id`), by content. */
  documentItem: 7,
  /** Anything about a document, positions included: changes with every edit of it. */
  document: 8,
  /** The cycle links written in a document (`cycles().edges.get(uri)`). */
  cycleEdges: 9,
  /** The sorted members of the cycle an ID's links lie on (`cycles().members.get(id)`). */
  cycleMembers: 10,
  /** A whole-workspace read, by name (see `Facet`): any change of that kind touches it. */
  facet: 11,
  /** A document's heading anchors, in order (`headingsOf(uri)`): what links into it may name. */
  headings: 12,
  /** What the history says of an ID (history/strategyHistory.ts): its last change of meaning, the links it writes, its check-ins. */
  history: 13,
} as const;
export type ReadKind = (typeof ReadKind)[keyof typeof ReadKind];
const KIND_COUNT = 14;

/**
 * The kinds whose names are document URIs and whose answers change only when that document does.
 * (`cycleEdges` is named by a document too, but a cycle closed elsewhere changes it.)
 */
const DOCUMENT_KINDS: readonly ReadKind[] = [
  ReadKind.exists,
  ReadKind.frontMatter,
  ReadKind.items,
  ReadKind.referencesFrom,
  ReadKind.documentItem,
  ReadKind.document,
  ReadKind.headings,
];

export const Facet = {
  /** `allDocuments()`: every document, in any way. */
  documents: 'documents',
  /** `documentCount`: documents added or removed. */
  documentCount: 'documentCount',
  /** `allItems()`: any definition anywhere. */
  items: 'items',
  /** `allIds()`: the set of defined IDs. */
  ids: 'ids',
  /** Iterating `cycles()` as a whole: any cycle appearing, vanishing or changing. */
  cycles: 'cycles',
} as const;

/** A set of (kind, name) reads; one `Set` of names per kind, so recording a read builds no string. */
export class ReadSet {
  private readonly sets: (Set<string> | undefined)[] = [];

  add(kind: ReadKind, name: string): void {
    let names = this.sets[kind];
    if (!names) this.sets[kind] = names = new Set();
    names.add(name);
  }

  has(kind: ReadKind, name: string): boolean {
    return this.sets[kind]?.has(name) ?? false;
  }

  /** The names read of one kind. */
  names(kind: ReadKind): ReadonlySet<string> | undefined {
    return this.sets[kind];
  }

  get size(): number {
    let size = 0;
    for (const names of this.sets) size += names?.size ?? 0;
    return size;
  }

  /**
   * These reads without those of document `uri` itself: for a reader that is checked again
   * whenever its own document changes at all (a document's diagnostics, a fold's shape of it), so
   * that keeping them would only cost memory.
   */
  withoutDocument(uri: string): ReadSet {
    if (!DOCUMENT_KINDS.some((kind) => this.sets[kind]?.has(uri))) return this;
    const kept = new ReadSet();
    this.sets.forEach((names, kind) => {
      for (const name of names ?? []) if (name !== uri || !DOCUMENT_KINDS.includes(kind as ReadKind)) kept.add(kind as ReadKind, name);
    });
    return kept;
  }

  /**
   * These reads without those of the definitions of `ids`: for a document's diagnostics, `ids` are
   * the IDs the document defines itself. The service finds those readers from the graph instead
   * (every document that defines a changed ID is checked again), since a document defines an ID
   * for as long as its reads stand. At 10,000 PRDs that is 111,000 of 320,000 reads not kept.
   */
  withoutDefinitionsOf(ids: Iterable<string>): ReadSet {
    const definitions = this.sets[ReadKind.definitions];
    if (!definitions) return this;
    let kept: Set<string> | undefined;
    for (const id of ids) {
      if (!(kept ?? definitions).has(id)) continue;
      kept ??= new Set(definitions);
      kept.delete(id);
    }
    if (!kept) return this;
    const copy = new ReadSet();
    copy.sets.push(...this.sets);
    copy.sets[ReadKind.definitions] = kept.size ? kept : undefined;
    return copy;
  }

  /** Readable (kind, name) pairs, for messages and tests. */
  *entries(): IterableIterator<[ReadKind, string]> {
    for (let kind = 0; kind < KIND_COUNT; kind++) for (const name of this.sets[kind] ?? []) yield [kind as ReadKind, name];
  }
}

/**
 * What one reader read, flat: each kind (a number) followed by the names read of it. One array per
 * reader rather than one per kind it read: at 10,000 PRDs the service and its views kept 90,000
 * arrays of names.
 */
type StoredReads = readonly (ReadKind | string)[];

const NO_READS: StoredReads = Object.freeze([]);

/**
 * Which documents' diagnostics read what, both ways: what each document read when its diagnostics
 * were last computed (as compact arrays), and for each read its readers. Most reads have one
 * reader, kept as a plain string to save a `Set`.
 *
 * The readers side is only needed once something changes, so it is built on the first question
 * about readers (or `prepareReaders`), not as reads are recorded: the cold pass records 320,000
 * reads at 10,000 PRDs, and building their reverse maps took 0.17 s of the time before the first
 * diagnostics were out. Once built, it is kept up to date read by read.
 */
/**
 * The readers of one read: one reader as itself, a few as an array of exactly their number, more
 * as a set. Most reads have one reader, many have two or three; a set for each of those was 20,000
 * sets (3.9 MB) in the alignment tree's index at 10,000 PRDs, an array of two is a third of that.
 */
type Readers = string | readonly string[] | Set<string>;

/** Readers beyond this many are kept in a set, where adding one does not copy the others. */
const MAX_LISTED_READERS = 8;

export class ReadIndex {
  private readonly readsByUri = new Map<string, StoredReads>();
  private readonly readers: Map<string, Readers>[] = Array.from({ length: KIND_COUNT }, () => new Map());
  /** Whether `readers` holds every recorded read; false until a question needs it. */
  private readersBuilt = false;

  /** Replaces what `uri` read. */
  record(uri: string, reads: ReadSet): void {
    const previous = this.readsByUri.get(uri);
    // Checked again, a document usually reads what it read before: nothing to re-index then.
    if (previous && sameReads(previous, reads)) return;
    this.forget(uri);
    // Readers that read nothing kept (all their reads were of their own document) share one record.
    if (reads.size === 0) {
      this.readsByUri.set(uri, NO_READS);
      return;
    }
    const stored: (ReadKind | string)[] = [];
    for (let kind = 0; kind < KIND_COUNT; kind++) {
      const names = reads.names(kind as ReadKind);
      if (!names?.size) continue;
      stored.push(kind as ReadKind);
      for (const name of names) stored.push(name);
    }
    // A copy of exactly its length: a pushed-to array keeps room to grow.
    const kept = stored.slice();
    this.readsByUri.set(uri, kept);
    if (this.readersBuilt) this.addToReaders(uri, kept);
  }

  forget(uri: string): void {
    const stored = this.readsByUri.get(uri);
    if (!stored) return;
    this.readsByUri.delete(uri);
    if (!this.readersBuilt) return;
    this.forEachRead(stored, (readers, name) => {
      const existing = readers.get(name);
      if (existing === uri) readers.delete(name);
      else if (existing instanceof Set) {
        existing.delete(uri);
        if (existing.size === 1) readers.set(name, existing.values().next().value!);
      } else if (existing !== undefined && typeof existing !== 'string' && existing.includes(uri)) {
        const remaining = existing.filter((reader) => reader !== uri);
        readers.set(name, remaining.length === 1 ? remaining[0]! : remaining);
      }
    });
  }

  /** Whether `uri`'s reads are known: its diagnostics were computed since it was last forgotten. */
  has(uri: string): boolean {
    return this.readsByUri.has(uri);
  }

  /** How many documents' reads are known. */
  get size(): number {
    return this.readsByUri.size;
  }

  /** Builds the readers side now, so that the first change does not wait for it. */
  prepareReaders(): void {
    if (this.readersBuilt) return;
    this.readersBuilt = true;
    for (const [uri, stored] of this.readsByUri) this.addToReaders(uri, stored);
  }

  /** Adds to `into` every document that read something in `changed`. */
  addReaders(changed: ReadSet, into: Set<string>): void {
    this.prepareReaders();
    for (let kind = 0; kind < KIND_COUNT; kind++) {
      const names = changed.names(kind as ReadKind);
      if (!names) continue;
      const readers = this.readers[kind]!;
      for (const name of names) {
        const found = readers.get(name);
        if (found === undefined) continue;
        if (typeof found === 'string') into.add(found);
        else for (const reader of found) into.add(reader);
      }
    }
  }

  /** Adds to `into` every document that read anything of `kind` (a whole input, such as the history, replaced). */
  addAllReaders(kind: ReadKind, into: Set<string>): void {
    this.prepareReaders();
    for (const found of this.readers[kind]!.values()) {
      if (typeof found === 'string') into.add(found);
      else for (const reader of found) into.add(reader);
    }
  }

  clear(): void {
    this.readsByUri.clear();
    for (const readers of this.readers) readers.clear();
    this.readersBuilt = false;
  }

  private addToReaders(uri: string, stored: StoredReads): void {
    this.forEachRead(stored, (readers, name) => {
      const existing = readers.get(name);
      if (existing === undefined) readers.set(name, uri);
      else if (typeof existing === 'string') {
        if (existing !== uri) readers.set(name, [existing, uri]);
      } else if (existing instanceof Set) existing.add(uri);
      else if (!existing.includes(uri)) readers.set(name, existing.length < MAX_LISTED_READERS ? [...existing, uri] : new Set([...existing, uri]));
    });
  }

  /** Each name of a stored record, with the readers map of its kind. */
  private forEachRead(stored: StoredReads, visit: (readers: Map<string, Readers>, name: string) => void): void {
    let readers = this.readers[0]!;
    for (const entry of stored) {
      if (typeof entry === 'number') readers = this.readers[entry]!;
      else visit(readers, entry);
    }
  }
}

/** Whether `stored` holds exactly the reads of `reads` (names are unique per kind on both sides). */
function sameReads(stored: StoredReads, reads: ReadSet): boolean {
  let kind = 0 as ReadKind;
  let names = 0;
  for (const entry of stored) {
    if (typeof entry === 'number') kind = entry;
    else {
      names++;
      if (!reads.has(kind, entry)) return false;
    }
  }
  return names === reads.size;
}
