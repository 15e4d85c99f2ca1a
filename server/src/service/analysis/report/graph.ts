/**
 * The alignment tree as a layered graph, bounded for drawing: vision → strategies (product lines) →
 * objectives → key results → outcomes → PRDs, one column each, requirements folded into their PRD as a count. Items that
 * appear several times in the tree (an outcome supporting two key results, a PRD delivering two
 * outcomes) become one node with several incoming edges.
 *
 * A 10,000-PRD workspace has hundreds of objectives and outcomes and 10,000 PRDs; each column keeps
 * at most `limits[column]` nodes and says how many it left out, so the SVG and the Mermaid graph
 * stay the same size whatever the workspace. Which nodes are kept: the children of kept nodes,
 * taken in turns (each kept parent gets its first child before any gets a second), so that every
 * drawn branch reaches as far right as it can; then nodes no kept node links to (unaligned outcomes).
 */
import type { AlignmentNode } from '../../../../../common/protocol';

type GraphColumn = 'vision' | 'strategy' | 'objective' | 'keyResult' | 'outcome' | 'prd';

const GRAPH_COLUMNS: readonly GraphColumn[] = ['vision', 'strategy', 'objective', 'keyResult', 'outcome', 'prd'];

export const COLUMN_LABELS: Record<GraphColumn, { singular: string; plural: string }> = {
  vision: { singular: 'vision', plural: 'Vision' },
  strategy: { singular: 'strategy', plural: 'Strategies' },
  objective: { singular: 'objective', plural: 'Objectives' },
  keyResult: { singular: 'key result', plural: 'Key results' },
  outcome: { singular: 'outcome', plural: 'Outcomes' },
  prd: { singular: 'PRD', plural: 'PRDs' },
};

/** `1 strategy`, `3 strategies`, `2 PRDs`: the noun of a column for a count of its nodes. */
export function columnNoun(column: GraphColumn, count: number): string {
  if (count === 1) return COLUMN_LABELS[column].singular;
  return column === 'prd' ? 'PRDs' : column === 'strategy' ? 'strategies' : `${COLUMN_LABELS[column].singular}s`;
}

export interface GraphNode {
  /** The item's ID, or the tree key of a node without one (requirements in a file that is no PRD). */
  readonly key: string;
  readonly column: GraphColumn;
  readonly kind: AlignmentNode['kind'];
  readonly id?: string;
  readonly title: string;
  readonly uri?: string;
  readonly status?: string;
  readonly progress?: number;
  /** PRDs: distinct requirements of the PRD that trace to an outcome; outcomes: requirements tracing to it. */
  readonly requirements: number;
  readonly problems: { readonly errors: number; readonly warnings: number };
  /** An outcome nothing delivers. */
  readonly undelivered: boolean;
  /** An outcome that supports no objective or key result. */
  readonly unaligned: boolean;
}

interface GraphEdge {
  readonly from: string;
  readonly to: string;
  /** Outcome → PRD: how many of the PRD's requirements trace to the outcome. */
  readonly requirements?: number;
}

interface AlignmentGraphLayer {
  readonly column: GraphColumn;
  /** Drawn nodes, in drawing order (top to bottom). */
  readonly nodes: readonly GraphNode[];
  /** Nodes of this column in the whole workspace. */
  readonly total: number;
  readonly hidden: number;
}

export interface AlignmentGraph {
  /** Only columns the workspace has nodes for. */
  readonly layers: readonly AlignmentGraphLayer[];
  /** Edges between drawn nodes. */
  readonly edges: readonly GraphEdge[];
}

export type GraphLimits = Readonly<Record<GraphColumn, number>>;

export const DEFAULT_GRAPH_LIMITS: GraphLimits = { vision: 4, strategy: 8, objective: 12, keyResult: 16, outcome: 16, prd: 16 };

interface MutableNode<N> {
  key: string;
  column: GraphColumn;
  kind: AlignmentNode['kind'];
  /** The node's first place in the tree: what a drawn node shows (title, status, progress, problems). */
  first: N;
  /** Outcomes: requirements tracing to it, from its tree node. */
  tracedBy: number;
  unaligned: boolean;
  order: number;
}

/**
 * What the graph reads of a tree node `N`. The graph is built from the tree's own nodes
 * (`buildAlignmentGraph`), or from nodes not built yet (the tree view's, tree.ts), so that the
 * report builds only the nodes it draws. The PRDs under each outcome (a workspace of 10,000 PRDs
 * has about as many outcome–PRD pairs as requirements) are read by index, as keys and counts:
 * `group` builds one only for a drawn PRD, and `node` is called for drawn nodes alone.
 */
export interface GraphSource<N> {
  key(node: N): string;
  kind(node: N): AlignmentNode['kind'];
  id(node: N): string | undefined;
  counts(node: N): AlignmentNode['counts'];
  children(node: N): readonly N[];
  /** The node as the tree shows it. */
  node(node: N): AlignmentNode;
  /** How many children an outcome has (the requirements groups below it: PRDs, or files that are no PRD). */
  groupCount(outcome: N): number;
  /** The graph key of an outcome's `index`-th child (the PRD's ID, or `group:` and its tree key); undefined for a child that is no requirements group. */
  groupKey(outcome: N, index: number): string | undefined;
  /** The requirements of an outcome's `index`-th child that trace to the outcome. */
  groupRequirements(outcome: N, index: number): number;
  /** An outcome's `index`-th child itself. */
  group(outcome: N, index: number): N;
}

const TREE_SOURCE: GraphSource<AlignmentNode> = {
  key: (node) => node.key,
  kind: (node) => node.kind,
  id: (node) => node.id,
  counts: (node) => node.counts,
  children: (node) => node.children,
  node: (node) => node,
  groupCount: (outcome) => outcome.children.length,
  groupKey: (outcome, index) => {
    const child = outcome.children[index]!;
    return child.kind === 'prd' || child.kind === 'group' ? (child.id ?? `${child.kind}:${child.key}`) : undefined;
  },
  groupRequirements: (outcome, index) => {
    const child = outcome.children[index]!;
    return child.counts.requirements ?? child.children.length;
  },
  group: (outcome, index) => outcome.children[index]!,
};

function columnOf(kind: AlignmentNode['kind']): GraphColumn | undefined {
  switch (kind) {
    case 'vision':
      return 'vision';
    case 'strategy':
      return 'strategy';
    case 'objective':
      return 'objective';
    case 'keyResult':
      return 'keyResult';
    case 'outcome':
      return 'outcome';
    case 'prd':
      return 'prd';
    default:
      return undefined;
  }
}

/** One place of an outcome in the tree, whose children are the PRDs (requirements groups) that deliver it. */
interface OutcomePlace<N> {
  readonly outcome: MutableNode<N>;
  readonly node: N;
}

interface Collected<N> {
  /** Every node but the PRDs, by key, in tree order. */
  readonly nodes: Map<string, MutableNode<N>>;
  /** Every edge but outcome → PRD, by `from\0to`. */
  readonly edges: Map<string, GraphEdge>;
  /** The edges in the order they were first linked: an edge key, or the index of an outcome place (its edges to its PRDs). */
  readonly sequence: (string | number)[];
  readonly children: Map<string, string[]>;
  /** Every place of an outcome, in tree order. */
  readonly places: OutcomePlace<N>[];
}

/**
 * Walks the tree down to the outcomes: every node and edge of the graph but the PRDs, which are
 * read from the outcomes' places only for the PRD column (`prdColumn`).
 */
function collect<N>(tree: readonly N[], source: GraphSource<N>): Collected<N> {
  const nodes = new Map<string, MutableNode<N>>();
  const edges = new Map<string, GraphEdge>();
  const sequence: (string | number)[] = [];
  const children = new Map<string, string[]>();
  const places: OutcomePlace<N>[] = [];
  let order = 0;

  const nodeKey = (node: N) => source.id(node) ?? `${source.kind(node)}:${source.key(node)}`;
  const add = (node: N, column: GraphColumn, unaligned = false): MutableNode<N> => {
    const key = nodeKey(node);
    let entry = nodes.get(key);
    if (!entry) {
      entry = { key, column, kind: source.kind(node), first: node, tracedBy: source.counts(node).requirements ?? 0, unaligned, order: order++ };
      nodes.set(key, entry);
    }
    return entry;
  };
  const link = (from: MutableNode<N>, to: MutableNode<N>) => {
    const key = `${from.key}\u0000${to.key}`;
    if (edges.has(key)) return;
    edges.set(key, { from: from.key, to: to.key });
    sequence.push(key);
    const list = children.get(from.key);
    if (list) list.push(to.key);
    else children.set(from.key, [to.key]);
  };
  const addOutcome = (parent: MutableNode<N> | undefined, node: N, unaligned = false) => {
    const outcome = add(node, 'outcome', unaligned);
    if (parent) link(parent, outcome);
    // Its links to the PRDs below it come here, in the order of the edges.
    sequence.push(places.length);
    places.push({ outcome, node });
  };
  const addObjective = (parent: MutableNode<N>, node: N) => {
    const objective = add(node, 'objective');
    link(parent, objective);
    for (const child of source.children(node)) {
      const kind = source.kind(child);
      if (kind === 'keyResult') {
        const keyResult = add(child, 'keyResult');
        link(objective, keyResult);
        for (const outcome of source.children(child)) if (source.kind(outcome) === 'outcome') addOutcome(keyResult, outcome);
      } else if (kind === 'outcome') {
        addOutcome(objective, child);
      }
    }
  };

  for (const root of tree) {
    const kind = source.kind(root);
    const column = columnOf(kind);
    if (column === 'vision') {
      const top = add(root, 'vision');
      for (const child of source.children(root)) {
        const childKind = source.kind(child);
        // A tree without the strategy level (objectives right below the vision) is drawn as it comes.
        if (childKind === 'objective') addObjective(top, child);
        if (childKind !== 'strategy') continue;
        const strategy = add(child, 'strategy');
        link(top, strategy);
        for (const objective of source.children(child)) if (source.kind(objective) === 'objective') addObjective(strategy, objective);
      }
    } else if (column === 'strategy') {
      // A strategy that names no existing vision: its column, without a parent.
      const strategy = add(root, 'strategy');
      for (const objective of source.children(root)) if (source.kind(objective) === 'objective') addObjective(strategy, objective);
    } else if (kind === 'group' && source.key(root) === 'unaligned') {
      // Outcomes that support nothing have no parent to hang from; they are drawn unlinked, flagged.
      for (const child of source.children(root)) if (source.kind(child) === 'outcome') addOutcome(undefined, child, true);
    }
  }
  return { nodes, edges, sequence, children, places };
}

/** A column as the layout reads it: its nodes in tree order, each node's children in it and parents. */
interface ColumnIndex {
  /** The column's node keys in tree order (the order of their first place). */
  all(): Iterable<string>;
  readonly total: number;
  order(key: string): number;
  /** The children of `parent` in this column, in the order they were linked. */
  queue(parent: string): readonly string[];
  /** The parents of `key`, in the order their edges were linked. */
  parents(key: string): readonly string[];
}

/**
 * The PRD column, read from the outcomes' places without building the PRDs: their keys in tree
 * order (one pass over the outcome–PRD pairs, keys and counts only), and for the few PRDs drawn,
 * their parents, edges and places.
 */
function prdColumn<N>(
  places: readonly OutcomePlace<N>[],
  source: GraphSource<N>,
): ColumnIndex & { placesOf(key: string): { place: OutcomePlace<N>; index: number }[] } {
  // Each place's PRD keys, read once: the passes below compare them only.
  const keys = places.map(({ node }) => {
    const count = source.groupCount(node);
    const list: (string | undefined)[] = new Array(count);
    for (let index = 0; index < count; index++) list[index] = source.groupKey(node, index);
    return list;
  });
  const order = new Map<string, number>();
  for (const list of keys) for (const key of list) if (key !== undefined && !order.has(key)) order.set(key, order.size);
  let positions: Map<string, number[]> | undefined;
  const placesByOutcome = new Map<string, number[]>();
  places.forEach((place, index) => {
    const list = placesByOutcome.get(place.outcome.key);
    if (list) list.push(index);
    else placesByOutcome.set(place.outcome.key, [index]);
  });
  return {
    all: () => order.keys(),
    total: order.size,
    order: (key) => order.get(key)!,
    queue: (parent) => {
      const queue = new Set<string>();
      for (const place of placesByOutcome.get(parent) ?? []) for (const key of keys[place]!) if (key !== undefined) queue.add(key);
      return [...queue];
    },
    parents: (key) => {
      const parents = new Set<string>();
      const found = where().get(key) ?? [];
      for (let at = 0; at < found.length; at += 2) parents.add(places[found[at]!]!.outcome.key);
      return [...parents];
    },
    placesOf: (key) => {
      const found = where().get(key) ?? [];
      const result: { place: OutcomePlace<N>; index: number }[] = [];
      for (let at = 0; at < found.length; at += 2) result.push({ place: places[found[at]!]!, index: found[at + 1]! });
      return result;
    },
  };

  /**
   * Where each PRD key stands: `[place, group, place, group, …]` in place order, made once, on the
   * first question. Each drawn PRD asks for its parents and places: searching every place's keys
   * each time took a third of a report at 100,000 PRDs.
   */
  function where(): Map<string, number[]> {
    if (positions) return positions;
    positions = new Map();
    keys.forEach((list, place) =>
      list.forEach((key, group) => {
        if (key === undefined) return;
        const found = positions!.get(key);
        if (found) found.push(place, group);
        else positions!.set(key, [place, group]);
      }),
    );
    return positions;
  }
}

/** The alignment graph of a tree with at most `limits[column]` nodes per column. */
export function buildAlignmentGraph(tree: readonly AlignmentNode[], limits: GraphLimits = DEFAULT_GRAPH_LIMITS): AlignmentGraph {
  return alignmentGraphOf(tree, TREE_SOURCE, limits);
}

/** The alignment graph with at most `limits[column]` nodes per column, from the roots of a tree read through `source`. */
export function alignmentGraphOf<N>(tree: readonly N[], source: GraphSource<N>, limits: GraphLimits = DEFAULT_GRAPH_LIMITS): AlignmentGraph {
  const { nodes, edges, sequence, children, places } = collect(tree, source);
  const parents = new Map<string, string[]>();
  for (const edge of edges.values()) {
    const list = parents.get(edge.to);
    if (list) list.push(edge.from);
    else parents.set(edge.to, [edge.from]);
  }
  const byColumn = new Map<GraphColumn, MutableNode<N>[]>(GRAPH_COLUMNS.map((column) => [column, []]));
  for (const node of nodes.values()) byColumn.get(node.column)!.push(node);
  const prds = prdColumn(places, source);

  const kept = new Set<string>();
  /** Drawing position of each kept node within its column, 0 (top) to 1 (bottom), for ordering the next columns. */
  const position = new Map<string, number>();
  const layers: AlignmentGraphLayer[] = [];
  for (const column of GRAPH_COLUMNS) {
    const columnNodes = byColumn.get(column)!;
    const index: ColumnIndex =
      column === 'prd'
        ? prds
        : {
            all: () => columnNodes.map((node) => node.key),
            total: columnNodes.length,
            order: (key) => nodes.get(key)!.order,
            queue: (parent) => children.get(parent)!.filter((child) => nodes.get(child)!.column === column),
            parents: (key) => parents.get(key) ?? [],
          };
    if (index.total === 0) continue;
    const limit = Math.max(0, limits[column]);
    const chosen: string[] = [];
    const chosenKeys = new Set<string>();
    const take = (key: string) => {
      if (chosen.length >= limit || chosenKeys.has(key)) return;
      chosen.push(key);
      chosenKeys.add(key);
    };
    // Kept parents in drawing order: earlier columns first, then by row. (Only outcomes link to PRDs.)
    const keptParents = [...kept]
      .filter((key) => (column === 'prd' ? nodes.get(key)!.column === 'outcome' : children.has(key)))
      .sort((a, b) => GRAPH_COLUMNS.indexOf(nodes.get(a)!.column) - GRAPH_COLUMNS.indexOf(nodes.get(b)!.column) || position.get(a)! - position.get(b)!);
    const queues = keptParents.map((key) => index.queue(key));
    for (let round = 0; chosen.length < limit; round++) {
      let any = false;
      for (const queue of queues) {
        const next = queue[round];
        if (next !== undefined) {
          any = true;
          take(next);
        }
      }
      if (!any) break;
    }
    // Then nodes no kept node links to, in tree order (roots, unaligned outcomes, children of hidden nodes).
    if (chosen.length < limit) {
      for (const key of index.all()) {
        if (chosen.length >= limit) break;
        take(key);
      }
    }
    // Order rows by the mean position of their kept parents, so that edges cross as little as a single pass can manage.
    const barycenter = (key: string) => {
      const positions = index
        .parents(key)
        .filter((parent) => kept.has(parent))
        .map((parent) => position.get(parent)!);
      return positions.length ? positions.reduce((sum, value) => sum + value, 0) / positions.length : Number.POSITIVE_INFINITY;
    };
    const ordered = chosen
      .map((key) => ({ key, center: barycenter(key) }))
      .sort((a, b) => a.center - b.center || index.order(a.key) - index.order(b.key))
      .map(({ key }) => key);
    ordered.forEach((key, row) => {
      kept.add(key);
      position.set(key, (row + 0.5) / ordered.length);
    });
    layers.push({
      column,
      nodes: ordered.map((key) => (column === 'prd' ? prdNode(key, prds.placesOf(key), source) : graphNode(nodes.get(key)!, source))),
      total: index.total,
      hidden: index.total - ordered.length,
    });
  }
  return { layers, edges: keptEdges(sequence, edges, places, kept, source) };
}

function graphNode<N>(entry: MutableNode<N>, source: GraphSource<N>): GraphNode {
  const node = source.node(entry.first);
  return {
    key: entry.key,
    column: entry.column,
    kind: entry.kind,
    id: node.id,
    title: node.title,
    uri: node.uri,
    status: node.status,
    progress: node.progress,
    requirements: entry.tracedBy,
    problems: { errors: node.problems.errors, warnings: node.problems.warnings },
    undelivered: entry.column === 'outcome' && entry.tracedBy === 0,
    unaligned: entry.unaligned,
  };
}

/** A drawn PRD (or a file of requirements that is no PRD, drawn as one), from its places below outcomes: the first for what it shows, all of them for its requirements. */
function prdNode<N>(key: string, places: readonly { place: OutcomePlace<N>; index: number }[], source: GraphSource<N>): GraphNode {
  const groups = places.map(({ place, index }) => source.group(place.node, index));
  const node = source.node(groups[0]!);
  return {
    key,
    column: 'prd',
    kind: 'prd',
    id: node.id,
    title: node.title,
    uri: node.uri,
    status: node.status,
    progress: node.progress,
    requirements: distinctRequirements(groups, source),
    problems: { errors: node.problems.errors, warnings: node.problems.warnings },
    undelivered: false,
    unaligned: false,
  };
}

/** A PRD's requirements that trace to some outcome, each counted once however many outcomes it traces to. */
function distinctRequirements<N>(occurrences: readonly N[], source: GraphSource<N>): number {
  const ids = new Set<string>();
  for (const occurrence of occurrences) for (const requirement of source.children(occurrence)) ids.add(source.id(requirement) ?? source.key(requirement));
  return ids.size;
}

/**
 * The edges between drawn nodes in the order they were first linked. An outcome's edge to a PRD
 * counts the PRD's requirements that trace to it, once per place of the outcome in the tree.
 */
function keptEdges<N>(
  sequence: readonly (string | number)[],
  edges: ReadonlyMap<string, GraphEdge>,
  places: readonly OutcomePlace<N>[],
  kept: ReadonlySet<string>,
  source: GraphSource<N>,
): GraphEdge[] {
  const prdEdges = new Map<string, { from: string; to: string; requirements: number }>();
  const result: (GraphEdge | { from: string; to: string; requirements: number })[] = [];
  for (const entry of sequence) {
    if (typeof entry === 'string') {
      const edge = edges.get(entry)!;
      if (kept.has(edge.from) && kept.has(edge.to)) result.push(edge);
      continue;
    }
    const { outcome, node } = places[entry]!;
    if (!kept.has(outcome.key)) continue;
    const count = source.groupCount(node);
    for (let index = 0; index < count; index++) {
      const to = source.groupKey(node, index);
      if (to === undefined || !kept.has(to)) continue;
      const key = `${outcome.key}\u0000${to}`;
      const existing = prdEdges.get(key);
      if (existing) existing.requirements += source.groupRequirements(node, index);
      else {
        const edge = { from: outcome.key, to, requirements: source.groupRequirements(node, index) };
        prdEdges.set(key, edge);
        result.push(edge);
      }
    }
  }
  return result;
}
