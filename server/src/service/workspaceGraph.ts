import { LINK_CONTEXTS, type DocumentIndex, type Item, type Reference } from './model';

/** What a change to one document may have changed elsewhere. */
export interface ChangeImpact {
  /** Documents whose diagnostics, lenses or tree nodes may have changed (the changed one included). */
  readonly affectedUris: ReadonlySet<string>;
  /** True when links or definitions changed, i.e. the alignment tree and coverage may differ. */
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
  private readonly referencesById = new Map<string, Map<string, Reference[]>>();
  private readonly children = new Map<string, Item[]>();
  /** Link edges between IDs with their multiplicity, maintained incrementally for cycle checks. */
  private readonly edges = new Map<string, Map<string, number>>();
  private linkEpoch = 0;
  private cycleCache: { edges: Map<string, Reference[]>; members: Map<string, readonly string[]>; edgeKeys: Set<string> } | undefined;

  static fromDocuments(indexes: Iterable<DocumentIndex>): WorkspaceGraph {
    const graph = new WorkspaceGraph();
    for (const index of indexes) graph.update(index);
    return graph;
  }

  get documentCount(): number {
    return this.documents.size;
  }

  /** Increases whenever a link between items is added or removed anywhere. */
  get linkVersion(): number {
    return this.linkEpoch;
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
    const byUri = this.referencesById.get(id);
    if (!byUri) return EMPTY;
    if (byUri.size === 1) return byUri.values().next().value!;
    const all: Reference[] = [];
    for (const references of byUri.values()) all.push(...references);
    return all;
  }

  /** Counts references to `id` written in one of `contexts`, without allocating. */
  countReferences(id: string, contexts: ReadonlySet<Reference['context']>): number {
    const byUri = this.referencesById.get(id);
    if (!byUri) return 0;
    let count = 0;
    for (const references of byUri.values()) for (const reference of references) if (contexts.has(reference.context)) count++;
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

    // Definitions and children: replace this document's entries (an ID is defined a handful of times at most).
    for (const item of previous?.items ?? EMPTY) {
      removeFrom(this.definitions, item.id, (candidate) => candidate === item);
      if (item.parentId) removeFrom(this.children, item.parentId, (candidate) => candidate === item);
    }
    for (const item of next?.items ?? EMPTY) {
      pushTo(this.definitions, item.id, item);
      if (item.parentId) pushTo(this.children, item.parentId, item);
    }
    // References are grouped per document, so replacing one document's references is O(its references).
    for (const reference of previous?.references ?? EMPTY) {
      const byUri = this.referencesById.get(reference.id);
      if (!byUri) continue;
      byUri.delete(uri);
      if (byUri.size === 0) this.referencesById.delete(reference.id);
    }
    for (const reference of next?.references ?? EMPTY) {
      let byUri = this.referencesById.get(reference.id);
      if (!byUri) this.referencesById.set(reference.id, (byUri = new Map()));
      let list = byUri.get(uri);
      if (!list) byUri.set(uri, (list = []));
      list.push(reference);
    }

    for (const id of changedDefinitions) {
      for (const item of this.definitionsOf(id)) affected.add(item.uri);
      const byUri = this.referencesById.get(id);
      if (byUri) for (const referencingUri of byUri.keys()) affected.add(referencingUri);
      // A key result moving in or out of an objective changes that objective's diagnostics.
      for (const item of [...(previous?.items ?? EMPTY), ...(next?.items ?? EMPTY)]) {
        if (item.id === id && item.parentId) for (const parent of this.definitionsOf(item.parentId)) affected.add(parent.uri);
      }
    }
    for (const id of changedLinkTargets) {
      for (const item of this.definitionsOf(id)) {
        affected.add(item.uri);
        if (item.parentId) for (const parent of this.definitionsOf(item.parentId)) affected.add(parent.uri);
      }
    }
    const structureChanged = changedDefinitions.size > 0 || changedLinkTargets.size > 0;
    if (structureChanged) this.linkEpoch++;
    if (this.updateEdges(linkEdges(previous), linkEdges(next))) {
      // Some cycle may have appeared or gone: recompute, and refresh every document on a cycle before or after.
      const before = this.cycleCache ? [...this.cycleCache.edges.keys()] : [];
      this.cycleCache = undefined;
      for (const cycleUri of before) affected.add(cycleUri);
      for (const cycleUri of this.cycles().edges.keys()) affected.add(cycleUri);
    }
    return { affectedUris: affected, structureChanged };
  }

  /**
   * Applies a document's edge difference; returns true when cycles may have changed: a removed edge
   * was on a cycle, or an added edge closes one (its target reaches its source).
   */
  private updateEdges(before: string[], after: string[]): boolean {
    const delta = new Map<string, number>();
    for (const key of before) delta.set(key, (delta.get(key) ?? 0) - 1);
    for (const key of after) delta.set(key, (delta.get(key) ?? 0) + 1);
    let mayChangeCycles = false;
    const added: [string, string][] = [];
    for (const [key, change] of delta) {
      if (change === 0) continue;
      const [from, to] = key.split('\u0000') as [string, string];
      let targets = this.edges.get(from);
      if (!targets) this.edges.set(from, (targets = new Map()));
      const count = (targets.get(to) ?? 0) + change;
      if (count > 0) {
        if (!targets.has(to)) added.push([from, to]);
        targets.set(to, count);
      } else {
        targets.delete(to);
        if (targets.size === 0) this.edges.delete(from);
        if (this.cycleCache?.edgeKeys.has(key)) mayChangeCycles = true;
      }
    }
    for (const [from, to] of added) if (this.reaches(to, from)) mayChangeCycles = true;
    return mayChangeCycles;
  }

  private reaches(start: string, goal: string): boolean {
    if (start === goal) return true;
    const seen = new Set<string>([start]);
    const pending = [start];
    while (pending.length) {
      const node = pending.pop()!;
      for (const target of this.edges.get(node)?.keys() ?? []) {
        if (target === goal) return true;
        if (!seen.has(target)) {
          seen.add(target);
          pending.push(target);
        }
      }
    }
    return false;
  }

  /** Link references that lie on a cycle, keyed by the referring document (Tarjan's strongly connected components). */
  cycles(): { edges: ReadonlyMap<string, readonly Reference[]>; members: ReadonlyMap<string, readonly string[]> } {
    if (this.cycleCache) return this.cycleCache;
    const adjacency = new Map<string, Set<string>>();
    for (const [from, targets] of this.edges) adjacency.set(from, new Set(targets.keys()));
    const component = stronglyConnectedComponents(adjacency);
    const members = new Map<string, readonly string[]>();
    const edges = new Map<string, Reference[]>();
    const edgeKeys = new Set<string>();
    if (component.size > 0 || [...this.edges].some(([from, targets]) => targets.has(from))) {
      for (const index of this.documents.values()) {
        for (const reference of index.references) {
          if (!reference.fromId || !LINK_CONTEXTS.has(reference.context)) continue;
          const group = component.get(reference.fromId);
          const isLoop = reference.fromId === reference.id || (group !== undefined && component.get(reference.id) === group);
          if (!isLoop) continue;
          members.set(reference.fromId, group ?? [reference.fromId]);
          pushTo(edges, reference.uri, reference);
        }
      }
      for (const [from, targets] of this.edges) {
        for (const to of targets.keys()) if (from === to || (component.get(from) !== undefined && component.get(from) === component.get(to))) edgeKeys.add(`${from}\u0000${to}`);
      }
    }
    this.cycleCache = { edges, members, edgeKeys };
    return this.cycleCache;
  }

  /** A canonical, order-independent description of the graph, to compare incremental and from-scratch builds. */
  snapshot(): string {
    const definitions = [...this.definitions].map(([id, items]) => `${id}=${items.map((item) => `${item.uri}:${item.line}:${item.kind}:${item.parentId ?? ''}`).sort().join(',')}`);
    const references = [...this.referencesById].map(
      ([id, byUri]) => `${id}<-${[...byUri.values()].flat().map((reference) => `${reference.uri}:${reference.span.line}:${reference.span.start}:${reference.context}`).sort().join(',')}`,
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
  for (const item of index?.items ?? EMPTY) {
    const signature = `${item.kind}|${item.parentId ?? ''}|${item.status ?? ''}|${item.title}`;
    const existing = signatures.get(item.id);
    signatures.set(item.id, existing === undefined ? signature : `${existing}#${signature}`);
  }
  return signatures;
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

/** Iterative Tarjan: maps every node that is in a component to that component's member list. */
function stronglyConnectedComponents(adjacency: Map<string, Set<string>>): Map<string, string[]> {
  const indexOf = new Map<string, number>();
  const lowLink = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const result = new Map<string, string[]>();
  let counter = 0;
  for (const root of adjacency.keys()) {
    if (indexOf.has(root)) continue;
    const work: { node: string; targets: Iterator<string> }[] = [];
    const enter = (node: string) => {
      indexOf.set(node, counter);
      lowLink.set(node, counter);
      counter++;
      stack.push(node);
      onStack.add(node);
      work.push({ node, targets: (adjacency.get(node) ?? new Set<string>()).values() });
    };
    enter(root);
    while (work.length) {
      const frame = work[work.length - 1]!;
      const next = frame.targets.next();
      if (!next.done) {
        const target = next.value;
        if (!indexOf.has(target)) enter(target);
        else if (onStack.has(target)) lowLink.set(frame.node, Math.min(lowLink.get(frame.node)!, indexOf.get(target)!));
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) lowLink.set(parent.node, Math.min(lowLink.get(parent.node)!, lowLink.get(frame.node)!));
      if (lowLink.get(frame.node) === indexOf.get(frame.node)) {
        const members: string[] = [];
        let member: string;
        do {
          member = stack.pop()!;
          onStack.delete(member);
          members.push(member);
        } while (member !== frame.node);
        if (members.length > 1) for (const node of members) result.set(node, members);
      }
    }
  }
  return result;
}
