import { EXPECTED_KINDS, LINK_CONTEXTS, type DocumentIndex, type Item, type Reference } from './model';

/** What a change to one document may have changed elsewhere. */
export interface ChangeImpact {
  /** Documents whose diagnostics, lenses or tree nodes may have changed (the changed one included). */
  readonly affectedUris: ReadonlySet<string>;
  /**
   * True when the alignment tree, coverage, progress or portfolio may differ: links or definitions
   * changed, or a key result's figures, or a PRD's portfolio front-matter.
   */
  readonly structureChanged: boolean;
}

/**
 * The cross-file graph: who defines each ID, who refers to it, and which items hang below which.
 * It is updated from the difference between a document's old and new index, so an edit costs in
 * proportion to the document, not the workspace; `fromDocuments` rebuilds it from scratch, and a
 * test checks that both agree after random edit sequences.
 */
export class WorkspaceGraph {
  private readonly documents = new Map<string, DocumentIndex>();
  private readonly definitions = new Map<string, Item[]>();
  private readonly referencesById = new Map<string, Reference[]>();
  private readonly children = new Map<string, Item[]>();
  private linkEpoch = 0;
  private definitionEpoch = 0;
  private idSetEpoch = 0;
  private cycleCache: { edges: Map<string, Reference[]>; members: Map<string, readonly string[]>; edgeKeys: Set<string> } | undefined;

  /** Builds the graph from scratch; no change impact is computed, so this is the fast path for a cold index. */
  static fromDocuments(indexes: Iterable<DocumentIndex>): WorkspaceGraph {
    const graph = new WorkspaceGraph();
    for (const index of indexes) graph.add(index);
    return graph;
  }

  /** Adds a document not yet in the graph, without working out what it affects (cold indexing). */
  add(index: DocumentIndex): void {
    if (this.documents.has(index.uri)) {
      this.update(index);
      return;
    }
    this.documents.set(index.uri, index);
    this.insert(index);
    this.cycleCache = undefined;
    this.linkEpoch++;
    this.definitionEpoch++;
    this.idSetEpoch++;
  }

  get documentCount(): number {
    return this.documents.size;
  }

  /** Increases whenever a link between items is added or removed anywhere. */
  get linkVersion(): number {
    return this.linkEpoch;
  }

  /** Increases whenever an ID is defined, undefined, or changes kind, parent, status or title. */
  get definitionVersion(): number {
    return this.definitionEpoch;
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

  *allItems(): IterableIterator<Item> {
    for (const items of this.definitions.values()) yield* items;
  }

  allIds(): IterableIterator<string> {
    return this.definitions.keys();
  }

  definitionsOf(id: string): readonly Item[] {
    return this.definitions.get(id) ?? EMPTY;
  }

  /** The definition used for navigation and hover: the first one when an ID is duplicated. */
  definition(id: string): Item | undefined {
    return this.definitions.get(id)?.[0];
  }

  referencesTo(id: string): readonly Reference[] {
    return this.referencesById.get(id) ?? EMPTY;
  }

  /** Counts references to `id` written in one of `contexts`, without allocating. */
  countReferences(id: string, contexts: ReadonlySet<Reference['context']>): number {
    let count = 0;
    for (const reference of this.referencesById.get(id) ?? EMPTY) if (contexts.has(reference.context)) count++;
    return count;
  }

  /** Items whose parent is `id` (key results of an objective, items of a document). */
  childrenOf(id: string): readonly Item[] {
    return this.children.get(id) ?? EMPTY;
  }

  update(next: DocumentIndex): ChangeImpact {
    const previous = this.documents.get(next.uri);
    this.documents.set(next.uri, next);
    return this.applyDifference(next.uri, previous, next);
  }

  remove(uri: string): ChangeImpact {
    const previous = this.documents.get(uri);
    this.documents.delete(uri);
    return this.applyDifference(uri, previous, undefined);
  }

  private applyDifference(uri: string, previous: DocumentIndex | undefined, next: DocumentIndex | undefined): ChangeImpact {
    const affected = new Set<string>([uri]);
    const oldDefinitions = definitionSignatures(previous);
    const newDefinitions = definitionSignatures(next);
    const oldLinks = linkSignatures(previous);
    const newLinks = linkSignatures(next);
    const changedDefinitions = changedKeys(oldDefinitions, newDefinitions);
    const changedLinkTargets = changedKeys(oldLinks, newLinks);
    const movedDefinitions = changedKeys(definitionPositions(previous), definitionPositions(next));
    const changedKinds = changedKeys(definitionKinds(previous), definitionKinds(next));

    if (previous) this.extract(previous);
    if (next) this.insert(next);

    // A key result moving in or out of an objective changes that objective's diagnostics.
    const parentsById = new Map<string, string[]>();
    if (changedDefinitions.size) {
      for (const item of [...(previous?.items ?? EMPTY), ...(next?.items ?? EMPTY)]) if (item.parentId && changedDefinitions.has(item.id)) pushTo(parentsById, item.id, item.parentId);
    }
    for (const id of changedDefinitions) {
      for (const item of this.definitionsOf(id)) affected.add(item.uri);
      for (const reference of this.referencesById.get(id) ?? EMPTY) affected.add(reference.uri);
      for (const parentId of parentsById.get(id) ?? EMPTY) for (const parent of this.definitionsOf(parentId)) affected.add(parent.uri);
    }
    for (const id of changedLinkTargets) {
      for (const item of this.definitionsOf(id)) {
        affected.add(item.uri);
        if (item.parentId) for (const parent of this.definitionsOf(item.parentId)) affected.add(parent.uri);
      }
    }
    // Other documents show where this one's IDs are defined (duplicate-id, wrong-link-kind and
    // deprecated-target related information).
    const documentDeprecated = isDeprecatedDocument(previous) || isDeprecatedDocument(next);
    const deprecatedHere = new Set<string>();
    for (const item of [...(previous?.items ?? EMPTY), ...(next?.items ?? EMPTY)]) if (item.status === 'deprecated') deprecatedHere.add(item.id);
    for (const id of movedDefinitions) {
      for (const item of this.definitionsOf(id)) affected.add(item.uri);
      const kind = this.definition(id)?.kind;
      const pointsHere = documentDeprecated || deprecatedHere.has(id);
      for (const reference of this.referencesById.get(id) ?? EMPTY) {
        if (reference.context === 'prose') continue;
        if (pointsHere || (kind && !EXPECTED_KINDS[reference.context].includes(kind))) affected.add(reference.uri);
      }
    }
    // Links into a deprecated document point at its ID line: when that moves, they all change.
    if (documentDeprecated && [...(next?.items ?? EMPTY)].some((item) => item.isDocument && movedDefinitions.has(item.id))) {
      for (const item of next?.items ?? EMPTY) for (const reference of this.referencesById.get(item.id) ?? EMPTY) if (reference.context !== 'prose') affected.add(reference.uri);
    }
    // A PRD's `innovation` counts toward the innovation mix of the strategies it delivers (`innovation-mix-drift`).
    if (innovationFacet(previous) !== innovationFacet(next)) {
      for (const reference of [...(previous?.references ?? EMPTY), ...(next?.references ?? EMPTY)]) {
        if (reference.context === 'traces' || reference.context === 'frontMatterOutcomes') for (const item of this.definitionsOf(reference.id)) affected.add(item.uri);
      }
    }
    const structureChanged = changedDefinitions.size > 0 || changedLinkTargets.size > 0;
    if (structureChanged) this.linkEpoch++;
    if (changedDefinitions.size > 0) this.definitionEpoch++;
    if (changedKinds.size > 0) this.idSetEpoch++;
    // Recompute cycles when one may have appeared or gone, or when this document's cached cycle
    // references carry positions that are now stale; refresh every document on a cycle before or after.
    const cache = this.cycleCache;
    const staleCycleReferences =
      cache !== undefined && (cache.edges.has(uri) || (next?.references.some((reference) => reference.fromId !== undefined && cache.edgeKeys.has(`${reference.fromId}\u0000${reference.id}`)) ?? false));
    if (staleCycleReferences || this.cyclesMayHaveChanged(linkEdges(previous), linkEdges(next))) {
      for (const cycleUri of cache?.edges.keys() ?? []) affected.add(cycleUri);
      this.cycleCache = undefined;
      for (const cycleUri of this.cycles().edges.keys()) affected.add(cycleUri);
    }
    // Figures the tree, the status bar, the Portfolio section and the report show, but no other document's diagnostics.
    const figuresChanged = alignmentFigures(previous) !== alignmentFigures(next);
    return { affectedUris: affected, structureChanged: structureChanged || figuresChanged };
  }

  private insert(index: DocumentIndex): void {
    for (const item of index.items) {
      pushTo(this.definitions, item.id, item);
      if (item.parentId) pushTo(this.children, item.parentId, item);
    }
    for (const reference of index.references) pushTo(this.referencesById, reference.id, reference);
  }

  private extract(index: DocumentIndex): void {
    for (const item of index.items) {
      removeFrom(this.definitions, item.id, (candidate) => candidate === item);
      if (item.parentId) removeFrom(this.children, item.parentId, (candidate) => candidate === item);
    }
    // An ID is referenced from a handful of documents at most, so filtering its list is cheap.
    const touched = new Set<string>();
    for (const reference of index.references) touched.add(reference.id);
    for (const id of touched) {
      const remaining = (this.referencesById.get(id) ?? EMPTY).filter((reference) => reference.uri !== index.uri);
      if (remaining.length) this.referencesById.set(id, remaining);
      else this.referencesById.delete(id);
    }
  }

  /** The IDs an ID links to: its link references (wherever it is defined) and, for a key result, its objective. */
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
  cycles(): { edges: ReadonlyMap<string, readonly Reference[]>; members: ReadonlyMap<string, readonly string[]> } {
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
    const definitions = [...this.definitions].map(([id, items]) => `${id}=${items.map((item) => `${item.uri}:${item.line}:${item.kind}:${item.parentId ?? ''}`).sort().join(',')}`);
    const references = [...this.referencesById].map(
      ([id, list]) => `${id}<-${list.map((reference) => `${reference.uri}:${reference.span.line}:${reference.span.start}:${reference.context}`).sort().join(',')}`,
    );
    const children = [...this.children].map(([id, items]) => `${id}>${items.map((item) => `${item.uri}:${item.id}`).sort().join(',')}`);
    const cycles = [...this.cycles().edges].map(([uri, list]) => `${uri}~${list.map((reference) => `${reference.span.line}:${reference.span.start}`).sort().join(',')}`);
    return [definitions.sort(), references.sort(), children.sort(), cycles.sort()].map((part) => part.join('\n')).join('\n--\n');
  }
}

const EMPTY: readonly never[] = [];

function pushTo<V>(map: Map<string, V[]>, key: string, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function removeFrom<V>(map: Map<string, V[]>, key: string, matches: (value: V) => boolean): void {
  const list = map.get(key);
  if (!list) return;
  const index = list.findIndex(matches);
  if (index !== -1) list.splice(index, 1);
  if (list.length === 0) map.delete(key);
}

/** What others can see of a definition: kind, parent and status (position changes only matter to the document itself). */
function definitionSignatures(index: DocumentIndex | undefined): Map<string, string> {
  const signatures = new Map<string, string>();
  // Links into a deprecated document are reported (`deprecated-target`), so its status is part of every item's signature.
  const documentDeprecated = isDeprecatedDocument(index) ? 'D' : '';
  for (const item of index?.items ?? EMPTY) {
    const signature = `${item.kind}|${item.parentId ?? ''}|${item.status ?? ''}|${item.title}|${documentDeprecated}`;
    const existing = signatures.get(item.id);
    signatures.set(item.id, existing === undefined ? signature : `${existing}#${signature}`);
  }
  return signatures;
}

function isDeprecatedDocument(index: DocumentIndex | undefined): boolean {
  return index?.items.some((item) => item.isDocument && item.status === 'deprecated') ?? false;
}

/** A PRD counts toward a strategy's mix by being a PRD and by its `innovation`. */
function innovationFacet(index: DocumentIndex | undefined): string {
  const frontMatter = index?.frontMatter;
  return frontMatter ? `${frontMatter.type}|${String(frontMatter.data['innovation'])}` : '';
}

const PORTFOLIO_KEYS = ['innovation', 'track', 'horizon', 'owner', 'team'];
const FIGURE_ATTRIBUTES = new Set(['baseline', 'target', 'current', 'weight']);

/** Key results' figures and a PRD's portfolio keys, as one string to compare before and after an edit. */
function alignmentFigures(index: DocumentIndex | undefined): string {
  if (!index) return '';
  const parts: string[] = [];
  const frontMatter = index.frontMatter;
  if (frontMatter?.type === 'prd') for (const key of PORTFOLIO_KEYS) parts.push(String(frontMatter.data[key]));
  for (const item of index.items) {
    if (item.kind !== 'keyResult') continue;
    parts.push(item.id);
    for (const attribute of item.attributes) if (FIGURE_ATTRIBUTES.has(attribute.name)) parts.push(`${attribute.name}=${attribute.value}`);
  }
  return parts.join('\u0000');
}

/** ID → where it is defined in this document, to notice definitions that moved. */
function definitionPositions(index: DocumentIndex | undefined): Map<string, string> {
  const positions = new Map<string, string>();
  for (const item of index?.items ?? EMPTY) positions.set(item.id, `${positions.get(item.id) ?? ''}${item.idSpan.line}:${item.idSpan.start};`);
  return positions;
}

/** ID → its kinds in this document, to notice IDs appearing, disappearing or changing kind. */
function definitionKinds(index: DocumentIndex | undefined): Map<string, string> {
  const kinds = new Map<string, string>();
  for (const item of index?.items ?? EMPTY) kinds.set(item.id, `${kinds.get(item.id) ?? ''}${item.kind};`);
  return kinds;
}

/** Target ID → the multiset of (context, source) of this document's references to it. */
function linkSignatures(index: DocumentIndex | undefined): Map<string, string> {
  const signatures = new Map<string, string>();
  for (const reference of index?.references ?? EMPTY) {
    const signature = `${reference.context}:${reference.fromId ?? ''}`;
    const existing = signatures.get(reference.id);
    signatures.set(reference.id, existing === undefined ? signature : `${existing},${signature}`);
  }
  return signatures;
}

function changedKeys(before: Map<string, string>, after: Map<string, string>): Set<string> {
  const changed = new Set<string>();
  for (const [key, value] of before) if (after.get(key) !== value) changed.add(key);
  for (const key of after.keys()) if (!before.has(key)) changed.add(key);
  return changed;
}

/** Directed links between IDs that a document contributes: link references and key result → objective. */
function linkEdges(index: DocumentIndex | undefined): string[] {
  const keys: string[] = [];
  for (const reference of index?.references ?? EMPTY) if (reference.fromId && LINK_CONTEXTS.has(reference.context)) keys.push(`${reference.fromId}\u0000${reference.id}`);
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
