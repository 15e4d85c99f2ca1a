import { LINK_CONTEXTS, type Attribute, type DocumentIndex, type Item, type Reference } from '../model/model';
import { markdownLinksOf, type MarkdownHeading } from '../parse/markdownLinks';
import { Facet, ReadKind, ReadSet } from './readSet';

/**
 * What a change to one document changed in the graph: the reads (see readSet.ts) whose answers may
 * differ now. It names IDs, documents and facets, never a rule; which documents to check again is
 * the reverse lookup of these reads over what each document's diagnostics read.
 */
export interface GraphDifference {
  readonly changed: ReadSet;
  /**
   * True when the alignment tree, coverage, progress or portfolio may differ: a document came or
   * went, its front-matter changed, a reference changed, or a definition changed other than in
   * the attributes of an item that is not a key result (key results' attributes are their figures).
   */
  readonly structureChanged: boolean;
}

/** What a change to the workspace may have changed: the service's answer to an edit. */
export interface ChangeImpact {
  /** Documents whose diagnostics may have changed (the changed one included). */
  readonly affectedUris: ReadonlySet<string>;
  /** See `GraphDifference.structureChanged`. */
  readonly structureChanged: boolean;
}

/** Link references on a cycle, keyed by the referring document, and the sorted members of each link source's cycle. */
export interface Cycles {
  readonly edges: ReadonlyMap<string, readonly Reference[]>;
  readonly members: ReadonlyMap<string, readonly string[]>;
}

/** The queries rules may make. `recordingGraph` implements them too, recording what each one read. */
export interface GraphQueries {
  readonly documentCount: number;
  document(uri: string): DocumentIndex | undefined;
  /** The item a document's front-matter `id` defines, if any. */
  documentItem(uri: string): Item | undefined;
  allDocuments(): IterableIterator<DocumentIndex>;
  allItems(): IterableIterator<Item>;
  allIds(): IterableIterator<string>;
  definitionsOf(id: string): readonly Item[];
  /** How many times `id` is defined: `definitionsOf(id).length`, without making a list. */
  definitionCount(id: string): number;
  definition(id: string): Item | undefined;
  referencesTo(id: string): readonly Reference[];
  countReferences(id: string, contexts: ReadonlySet<Reference['context']>): number;
  childrenOf(id: string): readonly Item[];
  cycles(): Cycles;
  /** A document's headings with their GitHub anchors, in order; undefined when the document is not in the graph. */
  headingsOf(uri: string): readonly MarkdownHeading[] | undefined;
}

/**
 * The cross-file graph: who defines each ID, who refers to it, and which items hang below which.
 * It is updated from the difference between a document's old and new index, so an edit costs in
 * proportion to the document, not the workspace; `fromDocuments` rebuilds it from scratch, and a
 * test checks that both agree after random edit sequences.
 *
 * Every list (definitions, references, children) is ordered by document URI, then by position in
 * the document, whatever order documents were added in: an incremental graph and one built from
 * scratch answer every query alike, and `definition(id)` does not change when an unrelated
 * document is edited.
 */
export class WorkspaceGraph implements GraphQueries {
  private readonly documents = new Map<string, DocumentIndex>();
  /**
   * ID → its one definition, or all of them in order when it is defined more than once. Almost
   * every ID is defined once, and a list for each was 111,000 arrays at 10,000 PRDs (about 6 MB,
   * copied by the young-generation collector while the cold pass built them).
   */
  private readonly definitions = new Map<string, Item | Item[]>();
  private readonly referencesById = new Map<string, Reference[]>();
  private readonly children = new Map<string, Item[]>();
  private idSetEpoch = 0;
  /** Set by `add` when it appended out of URI order; the lists are sorted before the next query. */
  private unsorted = false;
  /**
   * At least the greatest URI any list holds an entry of (undefined: none yet). A document appended
   * with a greater URI cannot put any list out of order, so `append` then compares no URIs: the
   * cold pass appends files in the order the walk lists them, which is URI order within a folder.
   */
  private greatestUri: string | undefined;
  private cycleCache: { edges: Map<string, Reference[]>; members: Map<string, readonly string[]>; edgeKeys: Set<string> } | undefined;

  /** Builds the graph from scratch; no difference is computed, so this is the fast path for a cold index. */
  static fromDocuments(indexes: Iterable<DocumentIndex>): WorkspaceGraph {
    const graph = new WorkspaceGraph();
    for (const index of indexes) graph.add(index);
    return graph;
  }

  /**
   * Adds a document not yet in the graph, without working out what changed (cold indexing): only for
   * a graph nobody has read yet.
   */
  add(index: DocumentIndex): void {
    if (this.documents.has(index.uri)) {
      this.update(index);
      return;
    }
    this.documents.set(index.uri, index);
    this.append(index);
    this.cycleCache = undefined;
    this.idSetEpoch++;
  }

  get documentCount(): number {
    return this.documents.size;
  }

  /** Increases whenever an ID starts or stops being defined, or changes kind. */
  get idSetVersion(): number {
    return this.idSetEpoch;
  }

  document(uri: string): DocumentIndex | undefined {
    return this.documents.get(uri);
  }

  allDocuments(): IterableIterator<DocumentIndex> {
    return this.documents.values();
  }

  documentItem(uri: string): Item | undefined {
    return this.documents.get(uri)?.items.find((item) => item.isDocument);
  }

  *allItems(): IterableIterator<Item> {
    if (this.unsorted) this.sortLists();
    for (const entry of this.definitions.values()) {
      if (Array.isArray(entry)) yield* entry;
      else yield entry;
    }
  }

  allIds(): IterableIterator<string> {
    return this.definitions.keys();
  }

  definitionsOf(id: string): readonly Item[] {
    if (this.unsorted) this.sortLists();
    const entry = this.definitions.get(id);
    return entry === undefined ? EMPTY : Array.isArray(entry) ? entry : [entry];
  }

  definitionCount(id: string): number {
    const entry = this.definitions.get(id);
    return entry === undefined ? 0 : Array.isArray(entry) ? entry.length : 1;
  }

  /** The definition used for navigation and hover: the first one (by URI) when an ID is duplicated. */
  definition(id: string): Item | undefined {
    if (this.unsorted) this.sortLists();
    const entry = this.definitions.get(id);
    return Array.isArray(entry) ? entry[0] : entry;
  }

  referencesTo(id: string): readonly Reference[] {
    if (this.unsorted) this.sortLists();
    return this.referencesById.get(id) ?? EMPTY;
  }

  /** Counts references to `id` written in one of `contexts`, without allocating. */
  countReferences(id: string, contexts: ReadonlySet<Reference['context']>): number {
    if (this.unsorted) this.sortLists();
    let count = 0;
    for (const reference of this.referencesById.get(id) ?? EMPTY) if (contexts.has(reference.context)) count++;
    return count;
  }

  /** Items whose parent is `id` (key results of an objective, items of a document). */
  childrenOf(id: string): readonly Item[] {
    if (this.unsorted) this.sortLists();
    return this.children.get(id) ?? EMPTY;
  }

  headingsOf(uri: string): readonly MarkdownHeading[] | undefined {
    const document = this.documents.get(uri);
    return document ? markdownLinksOf(document).headings : undefined;
  }

  update(next: DocumentIndex): GraphDifference {
    if (this.unsorted) this.sortLists();
    const previous = this.documents.get(next.uri);
    this.documents.set(next.uri, next);
    return this.applyDifference(next.uri, previous, next);
  }

  remove(uri: string): GraphDifference {
    if (this.unsorted) this.sortLists();
    const previous = this.documents.get(uri);
    this.documents.delete(uri);
    return this.applyDifference(uri, previous, undefined);
  }

  /**
   * Replaces one document's entries and says which read keys may answer differently now. Only this
   * document's old and new index are compared, so the cost is proportional to the document (plus a
   * reachability search when a link may have closed a cycle).
   */
  private applyDifference(uri: string, previous: DocumentIndex | undefined, next: DocumentIndex | undefined): GraphDifference {
    const changed = new ReadSet();
    const oldItems = itemSignatures(previous);
    const newItems = itemSignatures(next);
    const changedIds = changedKeys(groupById(previous?.items, oldItems), groupById(next?.items, newItems));
    const changedTargets = changedKeys(referenceSignatures(previous), referenceSignatures(next));
    const definedBefore = new Map<string, boolean>();
    for (const id of changedIds) definedBefore.set(id, this.definitions.has(id));
    const oldEdges = linkEdges(previous);
    const newEdges = linkEdges(next);

    if (previous) this.extract(previous);
    if (next) this.insert(next);

    let idSetChanged = false;
    for (const id of changedIds) {
      changed.add(ReadKind.definitions, id);
      if (definedBefore.get(id) !== this.definitions.has(id)) idSetChanged = true;
    }
    // The children of a parent change when one of them changes (or moves to another parent).
    for (const item of [...(previous?.items ?? EMPTY), ...(next?.items ?? EMPTY)])
      if (item.parentId !== undefined && changedIds.has(item.id)) changed.add(ReadKind.children, item.parentId);
    // …and when they are reordered: the tree shows children in document order.
    for (const parentId of changedKeys(childOrder(previous), childOrder(next))) changed.add(ReadKind.children, parentId);
    for (const id of changedTargets) changed.add(ReadKind.references, id);

    // The document itself.
    const existenceChanged = (previous === undefined) !== (next === undefined);
    const frontMatterChanged = frontMatterSignature(previous) !== frontMatterSignature(next);
    if (previous !== next) changed.add(ReadKind.document, uri);
    if (existenceChanged) changed.add(ReadKind.exists, uri);
    if (frontMatterChanged) changed.add(ReadKind.frontMatter, uri);
    if (oldItems.join('\u0001') !== newItems.join('\u0001')) changed.add(ReadKind.items, uri);
    if (documentItemSignature(previous) !== documentItemSignature(next)) changed.add(ReadKind.documentItem, uri);
    if (changedTargets.size > 0 || referenceOrder(previous) !== referenceOrder(next)) changed.add(ReadKind.referencesFrom, uri);
    if (headingSignature(previous) !== headingSignature(next)) changed.add(ReadKind.headings, uri);

    // Whole-workspace facets.
    if (previous !== next) changed.add(ReadKind.facet, Facet.documents);
    if (existenceChanged) changed.add(ReadKind.facet, Facet.documentCount);
    if (changedIds.size > 0) changed.add(ReadKind.facet, Facet.items);
    if (idSetChanged) changed.add(ReadKind.facet, Facet.ids);
    if (idSetChanged || (changedIds.size > 0 && changedKeys(definitionKinds(previous), definitionKinds(next)).size > 0)) this.idSetEpoch++;

    this.updateCycles(uri, next, oldEdges, newEdges, changed);
    const structureChanged =
      existenceChanged ||
      frontMatterChanged ||
      changedTargets.size > 0 ||
      changedKeys(groupById(previous?.items, outlines(previous)), groupById(next?.items, outlines(next))).size > 0;
    return { changed, structureChanged };
  }

  /**
   * Keeps the cycle cache current and reports which cycle keys changed. Without a cache nobody has
   * read the cycles of this graph, so there is nothing to report: the next `cycles()` computes them.
   * Cycles are recomputed when one may have appeared or gone, or when this document's cached cycle
   * references carry positions that are now stale.
   */
  private updateCycles(uri: string, next: DocumentIndex | undefined, oldEdges: string[], newEdges: string[], changed: ReadSet): void {
    const cache = this.cycleCache;
    if (!cache) return;
    const staleCycleReferences =
      cache.edges.has(uri) ||
      (next?.references.some((reference) => reference.fromId !== undefined && cache.edgeKeys.has(`${reference.fromId}\u0000${reference.id}`)) ?? false);
    if (!staleCycleReferences && !this.cyclesMayHaveChanged(oldEdges, newEdges)) return;
    this.cycleCache = undefined;
    const fresh = this.cycles();
    let any = false;
    for (const edgeUri of new Set([...cache.edges.keys(), ...fresh.edges.keys()])) {
      if (edgeUri === uri || cycleEdgesSignature(cache.edges.get(edgeUri)) !== cycleEdgesSignature(fresh.edges.get(edgeUri))) {
        changed.add(ReadKind.cycleEdges, edgeUri);
        any = true;
      }
    }
    for (const id of new Set([...cache.members.keys(), ...fresh.members.keys()])) {
      if (cache.members.get(id)?.join('\u0000') !== fresh.members.get(id)?.join('\u0000')) {
        changed.add(ReadKind.cycleMembers, id);
        any = true;
      }
    }
    if (any) changed.add(ReadKind.facet, Facet.cycles);
  }

  /**
   * Cold indexing: appends a document's entries at the end of each list, noting when that breaks
   * the URI order (sorting once afterwards costs less than inserting each document in place).
   */
  private append(index: DocumentIndex): void {
    const uri = index.uri;
    const inOrder = this.greatestUri === undefined || uri > this.greatestUri;
    if (inOrder) this.greatestUri = uri;
    const push = <V extends { readonly uri: string }>(map: Map<string, V[]>, key: string, value: V) => {
      const list = map.get(key);
      if (!list) map.set(key, [value]);
      else {
        if (!inOrder && list[list.length - 1]!.uri > uri) this.unsorted = true;
        list.push(value);
      }
    };
    for (const item of index.items) {
      const known = this.definitions.get(item.id);
      if (known === undefined) this.definitions.set(item.id, item);
      else {
        const list = Array.isArray(known) ? known : [known];
        if (!inOrder && list[list.length - 1]!.uri > uri) this.unsorted = true;
        list.push(item);
        if (list !== known) this.definitions.set(item.id, list);
      }
      if (item.parentId) push(this.children, item.parentId, item);
    }
    for (const reference of index.references) push(this.referencesById, reference.id, reference);
  }

  /** Restores the URI order of every list after out-of-order `add`s (a stable sort keeps each document's own order). */
  private sortLists(): void {
    this.unsorted = false;
    const byUri = (a: { readonly uri: string }, b: { readonly uri: string }) => (a.uri < b.uri ? -1 : a.uri > b.uri ? 1 : 0);
    for (const entry of this.definitions.values()) if (Array.isArray(entry)) entry.sort(byUri);
    for (const list of this.children.values()) if (list.length > 1) list.sort(byUri);
    for (const list of this.referencesById.values()) if (list.length > 1) list.sort(byUri);
  }

  private insert(index: DocumentIndex): void {
    if (this.greatestUri === undefined || index.uri > this.greatestUri) this.greatestUri = index.uri;
    const byId = new Map<string, Item[]>();
    const byParent = new Map<string, Item[]>();
    for (const item of index.items) {
      pushTo(byId, item.id, item);
      if (item.parentId) pushTo(byParent, item.parentId, item);
    }
    for (const [id, items] of byId) {
      const known = this.definitions.get(id);
      const list = known === undefined ? items : insertedSorted(Array.isArray(known) ? known : [known], index.uri, items);
      this.definitions.set(id, list.length === 1 ? list[0]! : list);
    }
    for (const [parentId, items] of byParent) insertSorted(this.children, parentId, index.uri, items);
    const byTarget = new Map<string, Reference[]>();
    for (const reference of index.references) pushTo(byTarget, reference.id, reference);
    for (const [id, references] of byTarget) insertSorted(this.referencesById, id, index.uri, references);
  }

  private extract(index: DocumentIndex): void {
    // An ID is defined or referenced from a handful of documents at most, so filtering its list is cheap.
    const ids = new Set<string>();
    const parents = new Set<string>();
    for (const item of index.items) {
      ids.add(item.id);
      if (item.parentId) parents.add(item.parentId);
    }
    for (const id of ids) {
      const known = this.definitions.get(id);
      if (!Array.isArray(known)) {
        if (known?.uri === index.uri) this.definitions.delete(id);
        continue;
      }
      const remaining = known.filter((item) => item.uri !== index.uri);
      if (remaining.length === 0) this.definitions.delete(id);
      else this.definitions.set(id, remaining.length === 1 ? remaining[0]! : remaining);
    }
    for (const id of parents) removeDocument(this.children, id, index.uri);
    const targets = new Set<string>();
    for (const reference of index.references) targets.add(reference.id);
    for (const id of targets) removeDocument(this.referencesById, id, index.uri);
  }

  /**
   * The IDs an ID links to: its link references (wherever it is defined) and, for a key result, its
   * objective. Not relations.ts's `linksFromItem` on purpose: cycle detection follows IDs (every
   * definition of a duplicate) and the key result → objective edge, which is no reference.
   */
  private linksOut(id: string): string[] {
    const targets: string[] = [];
    for (const item of this.definitionsOf(id)) {
      if (item.kind === 'keyResult' && item.parentId) targets.push(item.parentId);
      for (const reference of this.documents.get(item.uri)?.references ?? EMPTY) {
        if (reference.fromId === id && LINK_CONTEXTS.has(reference.context)) targets.push(reference.id);
      }
    }
    return targets;
  }

  /**
   * Whether a document's change of edges may have changed the cycles: an edge it removed was on a
   * cycle, or an edge it added closes one (its target reaches its source). Without a cycle cache
   * there is nothing to keep up to date: the next `cycles()` computes from scratch.
   */
  private cyclesMayHaveChanged(before: string[], after: string[]): boolean {
    if (!this.cycleCache) return false;
    const old = new Set(before);
    const now = new Set(after);
    for (const key of old) if (!now.has(key) && this.cycleCache.edgeKeys.has(key)) return true;
    for (const key of now) {
      if (old.has(key)) continue;
      const [from, to] = key.split('\u0000') as [string, string];
      if (this.reaches(to, from)) return true;
    }
    return false;
  }

  private reaches(start: string, goal: string): boolean {
    if (start === goal) return true;
    const seen = new Set<string>([start]);
    const pending = [start];
    while (pending.length) {
      const node = pending.pop()!;
      for (const target of this.linksOut(node)) {
        if (target === goal) return true;
        if (!seen.has(target)) {
          seen.add(target);
          pending.push(target);
        }
      }
    }
    return false;
  }

  /**
   * Link references that lie on a cycle, keyed by the referring document. Nodes are numbered, nodes
   * that cannot be on a cycle (no incoming or no outgoing link, repeatedly) are pruned, and Tarjan's
   * strongly connected components run on what is left, which in a healthy workspace is nothing.
   */
  cycles(): Cycles {
    if (this.cycleCache) return this.cycleCache;
    const numbers = new Map<string, number>();
    const names: string[] = [];
    const number = (id: string) => {
      let n = numbers.get(id);
      if (n === undefined) {
        n = names.length;
        numbers.set(id, n);
        names.push(id);
      }
      return n;
    };
    const from: number[] = [];
    const to: number[] = [];
    const addEdge = (source: string, target: string) => {
      from.push(number(source));
      to.push(number(target));
    };
    // A link can only lie on a cycle if something links to its source; most sources (every
    // requirement) are never referenced, so their links are left out before numbering anything.
    const mayBeOnCycle = (id: string) => this.referencesById.has(id) || this.children.has(id);
    for (const index of this.documents.values()) {
      for (const reference of index.references) {
        if (reference.fromId && LINK_CONTEXTS.has(reference.context) && mayBeOnCycle(reference.fromId)) addEdge(reference.fromId, reference.id);
      }
      for (const item of index.items) if (item.kind === 'keyResult' && item.parentId && mayBeOnCycle(item.id)) addEdge(item.id, item.parentId);
    }
    const component = cyclicComponents(names.length, from, to);
    const members = new Map<string, readonly string[]>();
    const edges = new Map<string, Reference[]>();
    const edgeKeys = new Set<string>();
    if (component.size > 0) {
      const memberNames = new Map<number, string[]>();
      for (const [node, group] of component) {
        let list = memberNames.get(group);
        if (!list) memberNames.set(group, (list = []));
        list.push(names[node]!);
      }
      // Sorted once per cycle, not once per message: a cycle of 10,000 items has 10,000 links.
      for (const list of memberNames.values()) list.sort();
      const groupOf = (id: string) => {
        const n = numbers.get(id);
        return n === undefined ? undefined : component.get(n);
      };
      for (const index of this.documents.values()) {
        for (const reference of index.references) {
          if (!reference.fromId || !LINK_CONTEXTS.has(reference.context)) continue;
          const group = groupOf(reference.fromId);
          if (group === undefined || groupOf(reference.id) !== group) continue;
          members.set(reference.fromId, memberNames.get(group)!);
          pushTo(edges, reference.uri, reference);
        }
      }
      for (let e = 0; e < from.length; e++) {
        const group = component.get(from[e]!);
        if (group !== undefined && component.get(to[e]!) === group) edgeKeys.add(`${names[from[e]!]}\u0000${names[to[e]!]}`);
      }
    }
    this.cycleCache = { edges, members, edgeKeys };
    return this.cycleCache;
  }

  /** A canonical, order-independent description of the graph, to compare incremental and from-scratch builds. */
  snapshot(): string {
    const definitions = [...this.definitions].map(
      ([id, entry]) =>
        `${id}=${(Array.isArray(entry) ? entry : [entry])
          .map((item) => `${item.uri}:${item.line}:${item.kind}:${item.parentId ?? ''}`)
          .sort()
          .join(',')}`,
    );
    const references = [...this.referencesById].map(
      ([id, list]) =>
        `${id}<-${list
          .map((reference) => `${reference.uri}:${reference.span.line}:${reference.span.start}:${reference.context}`)
          .sort()
          .join(',')}`,
    );
    const children = [...this.children].map(
      ([id, items]) =>
        `${id}>${items
          .map((item) => `${item.uri}:${item.id}`)
          .sort()
          .join(',')}`,
    );
    const cycles = [...this.cycles().edges].map(
      ([uri, list]) =>
        `${uri}~${list
          .map((reference) => `${reference.span.line}:${reference.span.start}`)
          .sort()
          .join(',')}`,
    );
    return [definitions.sort(), references.sort(), children.sort(), cycles.sort()].map((part) => part.join('\n')).join('\n--\n');
  }
}

const EMPTY: readonly never[] = [];

function pushTo<V>(map: Map<string, V[]>, key: string, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/**
 * Puts one document's entries (in document order) into the list under `key`, after the entries of
 * every document whose URI sorts before or equal to it: lists stay ordered by URI, then position.
 */
function insertSorted<V extends { readonly uri: string }>(map: Map<string, V[]>, key: string, uri: string, values: V[]): void {
  const list = map.get(key);
  if (!list) map.set(key, values);
  else {
    const merged = insertedSorted(list, uri, values);
    if (merged !== list) map.set(key, merged);
  }
}

/** `list` with `values` after the entries whose URI sorts before or equal to `uri`: `list` itself, appended to, when they go last. */
function insertedSorted<V extends { readonly uri: string }>(list: V[], uri: string, values: readonly V[]): V[] {
  let low = 0;
  let high = list.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (list[middle]!.uri <= uri) low = middle + 1;
    else high = middle;
  }
  if (low < list.length) return list.slice(0, low).concat(values, list.slice(low));
  for (const value of values) list.push(value);
  return list;
}

function removeDocument<V extends { readonly uri: string }>(map: Map<string, V[]>, key: string, uri: string): void {
  const list = map.get(key);
  if (!list) return;
  const remaining = list.filter((value) => value.uri !== uri);
  if (remaining.length) map.set(key, remaining);
  else map.delete(key);
}

/** Item fields that say where an item is written, not what it is. */
const POSITION_FIELDS = new Set(['uri', 'idSpan', 'idLine', 'idStart', 'idEnd', 'line', 'endLine']);

/**
 * What others can see of an item, positions left out: every other field (kind, parent, status,
 * title, owner, attributes by key and value, and any field added later), in one string.
 */
function itemSignature(item: Item): string {
  const parts: unknown[] = [];
  for (const [key, value] of Object.entries(item)) {
    if (POSITION_FIELDS.has(key)) continue;
    parts.push(key, key === 'attributes' ? (value as readonly Attribute[]).map((attribute) => [attribute.key, attribute.value]) : value);
  }
  return JSON.stringify(parts);
}

/** Item signatures as the alignment views see them: attributes count only for key results (their figures). */
function outlines(index: DocumentIndex | undefined): string[] {
  return index ? index.items.map((item) => (item.kind === 'keyResult' ? itemSignature(item) : itemSignature({ ...item, attributes: [] }))) : [];
}

function documentItemSignature(index: DocumentIndex | undefined): string | undefined {
  const item = index?.items.find((candidate) => candidate.isDocument);
  return item && itemSignature(item);
}

function itemSignatures(index: DocumentIndex | undefined): string[] {
  return index ? index.items.map(itemSignature) : [];
}

/** ID → the signatures of its definitions in this document, in order. */
function groupById(items: readonly Item[] | undefined, signatures: readonly string[]): Map<string, string> {
  const byId = new Map<string, string>();
  items?.forEach((item, position) => {
    const existing = byId.get(item.id);
    byId.set(item.id, existing === undefined ? signatures[position]! : `${existing}\u0001${signatures[position]!}`);
  });
  return byId;
}

/** Target ID → (context, source) of this document's references to it, in order. */
function referenceSignatures(index: DocumentIndex | undefined): Map<string, string> {
  const signatures = new Map<string, string>();
  for (const reference of index?.references ?? EMPTY) {
    const signature = `${reference.context}\u0000${reference.fromId ?? ''}`;
    const existing = signatures.get(reference.id);
    signatures.set(reference.id, existing === undefined ? signature : `${existing}\u0001${signature}`);
  }
  return signatures;
}

/** The targets of a document's references in order (their per-target content is in `referenceSignatures`). */
function referenceOrder(index: DocumentIndex | undefined): string {
  return index ? index.references.map((reference) => reference.id).join('\u0001') : '';
}

/** ID → its kinds in this document, for `idSetVersion`. */
function definitionKinds(index: DocumentIndex | undefined): Map<string, string> {
  const kinds = new Map<string, string>();
  for (const item of index?.items ?? EMPTY) kinds.set(item.id, `${kinds.get(item.id) ?? ''}${item.kind};`);
  return kinds;
}

function changedKeys(before: Map<string, string>, after: Map<string, string>): Set<string> {
  const changed = new Set<string>();
  for (const [key, value] of before) if (after.get(key) !== value) changed.add(key);
  for (const key of after.keys()) if (!before.has(key)) changed.add(key);
  return changed;
}

function frontMatterSignature(index: DocumentIndex | undefined): string {
  const frontMatter = index?.frontMatter;
  if (!frontMatter) return '';
  const budget = { nodes: MAX_SIGNATURE_NODES };
  return `${frontMatter.type}\u0000${valueSignature(frontMatter.data, 0, budget)}`;
}

/** Front-matter larger or deeper than this is not compared: it counts as changed with every edit. */
const MAX_SIGNATURE_NODES = 100_000;
const MAX_SIGNATURE_DEPTH = 64;
let incomparable = 0;

/** A parsed YAML value as text, keys in their order; values too large or deep to compare get a text of their own. */
function valueSignature(value: unknown, depth: number, budget: { nodes: number }): string {
  if (--budget.nodes < 0 || depth > MAX_SIGNATURE_DEPTH) return `\u0002${++incomparable}`;
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === null || typeof value !== 'object') return `${typeof value}:${String(value)}`;
  if (value instanceof Date) return `date:${value.getTime()}`;
  if (Array.isArray(value)) return `[${value.map((element) => valueSignature(element, depth + 1, budget)).join(',')}]`;
  const parts: string[] = [];
  for (const [key, element] of Object.entries(value)) parts.push(`${JSON.stringify(key)}:${valueSignature(element, depth + 1, budget)}`);
  return `{${parts.join(',')}}`;
}

function cycleEdgesSignature(references: readonly Reference[] | undefined): string {
  return references ? references.map((reference) => `${reference.fromId ?? ''}\u0000${reference.id}\u0000${reference.context}`).join('\u0001') : '';
}

/** Directed links between IDs that a document contributes: link references and key result → objective. */
function linkEdges(index: DocumentIndex | undefined): string[] {
  const keys: string[] = [];
  for (const reference of index?.references ?? EMPTY)
    if (reference.fromId && LINK_CONTEXTS.has(reference.context)) keys.push(`${reference.fromId}\u0000${reference.id}`);
  for (const item of index?.items ?? EMPTY) if (item.kind === 'keyResult' && item.parentId) keys.push(`${item.id}\u0000${item.parentId}`);
  return keys;
}

/**
 * Maps every node on a cycle (a self-loop, or a strongly connected component of two or more
 * nodes) to a component number. Nodes without incoming or outgoing edges are pruned first, which
 * leaves nothing to search in an acyclic graph.
 */
function cyclicComponents(nodeCount: number, from: number[], to: number[]): Map<number, number> {
  const inDegree = new Int32Array(nodeCount);
  const outDegree = new Int32Array(nodeCount);
  for (let e = 0; e < from.length; e++) {
    outDegree[from[e]!]!++;
    inDegree[to[e]!]!++;
  }
  const outgoing: number[][] = Array.from({ length: nodeCount }, () => []);
  const incoming: number[][] = Array.from({ length: nodeCount }, () => []);
  for (let e = 0; e < from.length; e++) {
    outgoing[from[e]!]!.push(to[e]!);
    incoming[to[e]!]!.push(from[e]!);
  }
  const removed = new Uint8Array(nodeCount);
  const queue: number[] = [];
  for (let n = 0; n < nodeCount; n++) if (inDegree[n] === 0 || outDegree[n] === 0) queue.push(n);
  while (queue.length) {
    const node = queue.pop()!;
    if (removed[node]) continue;
    removed[node] = 1;
    for (const target of outgoing[node]!) if (!removed[target] && --inDegree[target]! === 0) queue.push(target);
    for (const source of incoming[node]!) if (!removed[source] && --outDegree[source]! === 0) queue.push(source);
  }
  const result = new Map<number, number>();
  const index = new Int32Array(nodeCount).fill(-1);
  const lowLink = new Int32Array(nodeCount);
  const onStack = new Uint8Array(nodeCount);
  const stack: number[] = [];
  let counter = 0;
  for (let root = 0; root < nodeCount; root++) {
    if (removed[root] || index[root] !== -1) continue;
    const work: { node: number; next: number }[] = [];
    const enter = (node: number) => {
      index[node] = lowLink[node] = counter++;
      stack.push(node);
      onStack[node] = 1;
      work.push({ node, next: 0 });
    };
    enter(root);
    while (work.length) {
      const frame = work[work.length - 1]!;
      const targets = outgoing[frame.node]!;
      if (frame.next < targets.length) {
        const target = targets[frame.next++]!;
        if (removed[target]) continue;
        if (index[target] === -1) enter(target);
        else if (onStack[target]) lowLink[frame.node] = Math.min(lowLink[frame.node]!, index[target]!);
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) lowLink[parent.node] = Math.min(lowLink[parent.node]!, lowLink[frame.node]!);
      if (lowLink[frame.node] === index[frame.node]) {
        const members: number[] = [];
        let member: number;
        do {
          member = stack.pop()!;
          onStack[member] = 0;
          members.push(member);
        } while (member !== frame.node);
        const selfLoop = members.length === 1 && outgoing[frame.node]!.includes(frame.node);
        if (members.length > 1 || selfLoop) for (const node of members) result.set(node, frame.node);
      }
    }
  }
  return result;
}

/** A document's heading anchors, for `ReadKind.headings` (their lines are positions, not part of it). */
function headingSignature(index: DocumentIndex | undefined): string | undefined {
  return index
    ? markdownLinksOf(index)
        .headings.map((heading) => heading.slug)
        .join('\u0000')
    : undefined;
}

/** Per parent ID, its children's IDs in document order. */
function childOrder(index: DocumentIndex | undefined): Map<string, string> {
  const order = new Map<string, string>();
  for (const item of index?.items ?? EMPTY) {
    if (item.parentId === undefined) continue;
    const before = order.get(item.parentId);
    order.set(item.parentId, before === undefined ? item.id : `${before}\u0001${item.id}`);
  }
  return order;
}
