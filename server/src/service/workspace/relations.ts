import { isRetiredRequirement, LINK_CONTEXTS, type Item, type Reference } from '../model/model';
import type { GraphQueries } from './workspaceGraph';

/**
 * Items (of the given kinds) whose `context` links point at `id`.
 *
 * A link's source item is defined in the document that writes the link, so it is found among that
 * document's items (one `items` read per linking document) rather than by a workspace lookup of its
 * ID (one `definitions` read per linking item): an outcome traced by 1,000 requirements in 100 PRDs
 * records 100 reads, not 1,000, and the tree, coverage and diagnostics that read it keep that many
 * fewer. It is also the item that wrote the link when its ID is defined twice.
 */
function itemsLinkingTo(
  graph: GraphQueries,
  id: string,
  context: Reference['context'],
  kinds: readonly Item['kind'][],
  atMost = Infinity,
  accept?: (source: Item, items: readonly Item[]) => boolean,
): Item[] {
  const found = new Map<string, Item>();
  for (const reference of graph.referencesTo(id)) {
    if (reference.context !== context || !reference.fromId || found.has(reference.fromId)) continue;
    const items = graph.document(reference.uri)?.items;
    const source = items && itemIn(items, reference.fromId);
    if (!source || !kinds.includes(source.kind) || (accept && !accept(source, items))) continue;
    if (found.set(source.id, source).size >= atMost) break;
  }
  return [...found.values()];
}

const isLive = (source: Item, items: readonly Item[]) => !isRetiredRequirement(source, items);

/** Documents up to this many items are searched in order; a larger one gets a map of its items by ID, kept while its index lives. */
const SEARCHED_IN_ORDER = 32;
const itemsById = new WeakMap<readonly Item[], ReadonlyMap<string, Item>>();

/**
 * The first item of `items` with this ID. A document of 10,000 objectives that all link somewhere
 * is asked once per link: searching it each time was quadratic (a hostile test's hover waited
 * over 10 s), so a large document's items are mapped once per index.
 */
function itemIn(items: readonly Item[], id: string): Item | undefined {
  if (items.length <= SEARCHED_IN_ORDER) return items.find((item) => item.id === id);
  let byId = itemsById.get(items);
  if (!byId) {
    const map = new Map<string, Item>();
    for (const item of items) if (!map.has(item.id)) map.set(item.id, item);
    itemsById.set(items, (byId = map));
  }
  return byId.get(id);
}

/** The requirements that deliver an outcome: those that trace to it and are not retired (see `isRetiredRequirement`). */
export function requirementsTracing(graph: GraphQueries, outcomeId: string): Item[] {
  return itemsLinkingTo(graph, outcomeId, 'traces', ['requirement'], Infinity, isLive);
}

/** Retired requirements that trace to an outcome: what `orphan-outcome` names when only they do. */
export function retiredRequirementsTracing(graph: GraphQueries, outcomeId: string): Item[] {
  return itemsLinkingTo(graph, outcomeId, 'traces', ['requirement'], Infinity, (source, items) => isRetiredRequirement(source, items));
}

/**
 * Whether a live requirement traces to `outcomeId` (the outcome is delivered): `requirementsTracing(…).length > 0`, stopping at
 * the first. What it reads up to there is what decides the answer, so a reader of it is checked
 * again exactly when that could change. The tree asks it of every outcome of a strategy document
 * whenever one of them gains or loses a trace: building every list took 3 ms a link edit at
 * 10,000 PRDs, an outcome being traced up to 1,000 times.
 */
export function isTraced(graph: GraphQueries, outcomeId: string): boolean {
  return itemsLinkingTo(graph, outcomeId, 'traces', ['requirement'], 1, isLive).length > 0;
}

export function keyResultsOf(graph: GraphQueries, objectiveId: string): Item[] {
  return graph.childrenOf(objectiveId).filter((child) => child.kind === 'keyResult');
}

/** Outcomes supporting an objective directly or through one of its key results. */
export function outcomesSupportingObjective(graph: GraphQueries, objectiveId: string): Item[] {
  const outcomes = new Map<string, Item>();
  for (const target of [objectiveId, ...keyResultsOf(graph, objectiveId).map((keyResult) => keyResult.id)]) {
    for (const outcome of itemsLinkingTo(graph, target, 'supports', ['outcome'])) outcomes.set(outcome.id, outcome);
  }
  return [...outcomes.values()];
}

export function outcomesSupporting(graph: GraphQueries, id: string): Item[] {
  return itemsLinkingTo(graph, id, 'supports', ['outcome']);
}

/** Objectives of a strategy document, in document order. */
/**
 * The objectives under a strategy (or an objective), in document order, with those written under
 * another objective's heading (`### OBJ-2` below `## OBJ-1`): objectives do not nest in meaning, and
 * a tree that listed only the direct ones lost OBJ-2 and everything under it. Each ID once, so
 * duplicate definitions that nest each other cannot loop.
 */
export function objectivesOf(graph: GraphQueries, parentId: string): Item[] {
  const found: Item[] = [];
  const seen = new Set<string>([parentId]);
  const visit = (id: string) => {
    for (const child of graph.childrenOf(id)) {
      if (child.kind !== 'objective' || seen.has(child.id)) continue;
      seen.add(child.id);
      found.push(child);
      visit(child.id);
    }
  };
  visit(parentId);
  return found;
}

export function strategiesOf(graph: GraphQueries, visionId: string): Item[] {
  return itemsLinkingTo(graph, visionId, 'frontMatterVision', ['strategy']);
}

/**
 * Links an item makes upwards: traces, supports, front-matter links (references in its own
 * document, prose mentions excluded). Rules read the same through `RuleContext.linksFrom`, built by
 * `linksByItem`. WorkspaceGraph's private `linksOut` differs on purpose: it follows an ID (every
 * definition of it) and adds a key result's edge to its objective, as cycle detection needs.
 */
export function linksFromItem(graph: GraphQueries, item: Item): Reference[] {
  const document = graph.document(item.uri);
  if (!document) return [];
  return document.references.filter((reference) => reference.fromId === item.id && LINK_CONTEXTS.has(reference.context));
}

/** `linksFromItem` for every item of one document's references at once, by item ID, in one pass. */
export function linksByItem(references: readonly Reference[]): Map<string, Reference[]> {
  const links = new Map<string, Reference[]>();
  for (const reference of references) {
    if (!reference.fromId || !LINK_CONTEXTS.has(reference.context)) continue;
    const list = links.get(reference.fromId);
    if (list) list.push(reference);
    else links.set(reference.fromId, [reference]);
  }
  return links;
}

/** Whether an item has a link of `context` to an existing item of an allowed kind. */
export function hasResolvedLink(graph: GraphQueries, item: Item, context: Reference['context'], kinds: readonly Item['kind'][]): boolean {
  return linksFromItem(graph, item).some((reference) => {
    if (reference.context !== context) return false;
    const target = graph.definition(reference.id);
    return target !== undefined && kinds.includes(target.kind);
  });
}
