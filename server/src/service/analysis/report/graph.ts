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

interface MutableNode {
  key: string;
  column: GraphColumn;
  kind: AlignmentNode['kind'];
  id?: string;
  title: string;
  uri?: string;
  status?: string;
  progress?: number;
  problems: { errors: number; warnings: number };
  /** PRDs: the tree nodes (one per outcome it delivers) whose children are its requirements; counted only for drawn PRDs. */
  occurrences: AlignmentNode[];
  /** Outcomes: requirements tracing to it, from its tree node. */
  tracedBy: number;
  unaligned: boolean;
  order: number;
}

function columnOf(node: AlignmentNode): GraphColumn | undefined {
  switch (node.kind) {
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

/** Builds the whole graph (every node and edge) from the tree; `boundGraph` then picks what is drawn. */
function collect(tree: readonly AlignmentNode[]): { nodes: Map<string, MutableNode>; edges: Map<string, GraphEdge>; children: Map<string, string[]> } {
  const nodes = new Map<string, MutableNode>();
  const edges = new Map<string, GraphEdge>();
  const children = new Map<string, string[]>();
  let order = 0;

  const nodeKey = (node: AlignmentNode) => node.id ?? `${node.kind}:${node.key}`;
  const add = (node: AlignmentNode, column: GraphColumn, unaligned = false): MutableNode => {
    const key = nodeKey(node);
    let entry = nodes.get(key);
    if (!entry) {
      entry = {
        key,
        column,
        // Requirements in a file that is no PRD arrive as a group named after the file; they are drawn as a PRD.
        kind: column === 'prd' ? 'prd' : node.kind,
        id: node.id,
        title: node.title,
        uri: node.uri,
        status: node.status,
        progress: node.progress,
        problems: { errors: node.problems.errors, warnings: node.problems.warnings },
        occurrences: [],
        tracedBy: node.counts.requirements ?? 0,
        unaligned,
        order: order++,
      };
      nodes.set(key, entry);
    }
    return entry;
  };
  const link = (from: MutableNode, to: MutableNode, requirements?: number) => {
    const key = `${from.key}\u0000${to.key}`;
    const existing = edges.get(key);
    if (existing) {
      if (requirements !== undefined) edges.set(key, { ...existing, requirements: (existing.requirements ?? 0) + requirements });
      return;
    }
    edges.set(key, requirements === undefined ? { from: from.key, to: to.key } : { from: from.key, to: to.key, requirements });
    const list = children.get(from.key);
    if (list) list.push(to.key);
    else children.set(from.key, [to.key]);
  };
  /** A requirements group under an outcome: a PRD node, or a group named after a file that is no PRD. */
  const addPrd = (outcome: MutableNode, node: AlignmentNode) => {
    if (node.kind !== 'prd' && node.kind !== 'group') return;
    const prd = add(node, 'prd');
    prd.occurrences.push(node);
    link(outcome, prd, node.counts.requirements ?? node.children.length);
  };
  const addOutcome = (parent: MutableNode | undefined, node: AlignmentNode, unaligned = false) => {
    const outcome = add(node, 'outcome', unaligned);
    if (parent) link(parent, outcome);
    for (const child of node.children) addPrd(outcome, child);
  };
  const addObjective = (parent: MutableNode, node: AlignmentNode) => {
    const objective = add(node, 'objective');
    link(parent, objective);
    for (const child of node.children) {
      if (child.kind === 'keyResult') {
        const keyResult = add(child, 'keyResult');
        link(objective, keyResult);
        for (const outcome of child.children) if (outcome.kind === 'outcome') addOutcome(keyResult, outcome);
      } else if (child.kind === 'outcome') {
        addOutcome(objective, child);
      }
    }
  };

  for (const root of tree) {
    const column = columnOf(root);
    if (column === 'vision') {
      const top = add(root, 'vision');
      for (const child of root.children) {
        // A tree without the strategy level (objectives right below the vision) is drawn as it comes.
        if (child.kind === 'objective') addObjective(top, child);
        if (child.kind !== 'strategy') continue;
        const strategy = add(child, 'strategy');
        link(top, strategy);
        for (const objective of child.children) if (objective.kind === 'objective') addObjective(strategy, objective);
      }
    } else if (column === 'strategy') {
      // A strategy that names no existing vision: its column, without a parent.
      const strategy = add(root, 'strategy');
      for (const objective of root.children) if (objective.kind === 'objective') addObjective(strategy, objective);
    } else if (root.kind === 'group' && root.key === 'unaligned') {
      // Outcomes that support nothing have no parent to hang from; they are drawn unlinked, flagged.
      for (const child of root.children) if (child.kind === 'outcome') addOutcome(undefined, child, true);
    }
  }
  return { nodes, edges, children };
}

/** A PRD's requirements that trace to some outcome, each counted once however many outcomes it traces to. */
function distinctRequirements(occurrences: readonly AlignmentNode[]): number {
  const ids = new Set<string>();
  for (const occurrence of occurrences) for (const requirement of occurrence.children) ids.add(requirement.id ?? requirement.key);
  return ids.size;
}

/** The alignment graph with at most `limits[column]` nodes per column. */
export function buildAlignmentGraph(tree: readonly AlignmentNode[], limits: GraphLimits = DEFAULT_GRAPH_LIMITS): AlignmentGraph {
  const { nodes, edges, children } = collect(tree);
  const parents = new Map<string, string[]>();
  for (const edge of edges.values()) {
    const list = parents.get(edge.to);
    if (list) list.push(edge.from);
    else parents.set(edge.to, [edge.from]);
  }
  const byColumn = new Map<GraphColumn, MutableNode[]>(GRAPH_COLUMNS.map((column) => [column, []]));
  for (const node of nodes.values()) byColumn.get(node.column)!.push(node);

  const kept = new Set<string>();
  /** Drawing position of each kept node within its column, 0 (top) to 1 (bottom), for ordering the next columns. */
  const position = new Map<string, number>();
  const layers: AlignmentGraphLayer[] = [];
  for (const column of GRAPH_COLUMNS) {
    const all = byColumn.get(column)!;
    if (all.length === 0) continue;
    const limit = Math.max(0, limits[column]);
    const chosen: MutableNode[] = [];
    const chosenKeys = new Set<string>();
    const take = (node: MutableNode) => {
      if (chosen.length >= limit || chosenKeys.has(node.key)) return;
      chosen.push(node);
      chosenKeys.add(node.key);
    };
    // Kept parents in drawing order: earlier columns first, then by row.
    const keptParents = [...kept]
      .filter((key) => children.has(key))
      .sort((a, b) => GRAPH_COLUMNS.indexOf(nodes.get(a)!.column) - GRAPH_COLUMNS.indexOf(nodes.get(b)!.column) || position.get(a)! - position.get(b)!);
    const queues = keptParents.map((key) =>
      children
        .get(key)!
        .map((child) => nodes.get(child)!)
        .filter((child) => child.column === column),
    );
    for (let round = 0; chosen.length < limit; round++) {
      let any = false;
      for (const queue of queues) {
        const next = queue[round];
        if (next) {
          any = true;
          take(next);
        }
      }
      if (!any) break;
    }
    // Then nodes no kept node links to, in tree order (roots, unaligned outcomes, children of hidden nodes).
    for (const node of all) {
      if (chosen.length >= limit) break;
      take(node);
    }
    // Order rows by the mean position of their kept parents, so that edges cross as little as a single pass can manage.
    const barycenter = (node: MutableNode) => {
      const positions = (parents.get(node.key) ?? []).filter((key) => kept.has(key)).map((key) => position.get(key)!);
      return positions.length ? positions.reduce((sum, value) => sum + value, 0) / positions.length : Number.POSITIVE_INFINITY;
    };
    const ordered = chosen
      .map((node) => ({ node, center: barycenter(node) }))
      .sort((a, b) => a.center - b.center || a.node.order - b.node.order)
      .map(({ node }) => node);
    ordered.forEach((node, index) => {
      kept.add(node.key);
      position.set(node.key, (index + 0.5) / ordered.length);
    });
    layers.push({
      column,
      nodes: ordered.map((node) => ({
        key: node.key,
        column: node.column,
        kind: node.kind,
        id: node.id,
        title: node.title,
        uri: node.uri,
        status: node.status,
        progress: node.progress,
        requirements: node.column === 'prd' ? distinctRequirements(node.occurrences) : node.tracedBy,
        problems: node.problems,
        undelivered: node.column === 'outcome' && node.tracedBy === 0,
        unaligned: node.unaligned,
      })),
      total: all.length,
      hidden: all.length - ordered.length,
    });
  }
  return { layers, edges: [...edges.values()].filter((edge) => kept.has(edge.from) && kept.has(edge.to)) };
}
