import type { AlignmentNode, AlignmentTree } from '../../../../common/protocol';
import { toRange } from '../model/ranges';
import type { Item } from '../model/model';
import { keyResultProgress, objectiveProgress } from './progress';
import { hasResolvedLink, keyResultsOf, objectivesOf, outcomesSupporting, requirementsTracing, strategiesOf } from '../workspace/relations';
import type { ServiceState } from '../workspace/state';

type ProblemCounter = (item: Item) => { errors: number; warnings: number };

const collator = new Intl.Collator('en', { numeric: true });
const byId = (a: Item, b: Item) => collator.compare(a.id, b.id);

/**
 * vision → strategies (product lines) → objectives → key results and outcomes → requirements
 * grouped by PRD, plus groups for
 * untraced requirements, outcomes nothing delivers, and outcomes that support nothing.
 */
export function buildAlignmentTree(state: ServiceState, countProblems: ProblemCounter): AlignmentTree {
  const { graph } = state;
  const node = (key: string, item: Item, children: AlignmentNode[], counts: AlignmentNode['counts'] = {}): AlignmentNode => ({
    childCount: children.length,
    key,
    id: item.id,
    kind: item.kind,
    title: item.title,
    uri: item.uri,
    range: toRange(item.idSpan),
    status: item.status,
    owner: item.owner,
    documentId: item.documentId,
    counts,
    problems: countProblems(item),
    children,
  });
  const group = (key: string, title: string, children: AlignmentNode[], counts: AlignmentNode['counts'] = {}): AlignmentNode => ({
    childCount: children.length,
    key,
    kind: 'group',
    title,
    counts,
    problems: { errors: 0, warnings: 0 },
    children,
  });

  const requirementsByPrd = (parentKey: string, requirements: Item[]): AlignmentNode[] => {
    const byDocument = new Map<string, Item[]>();
    for (const requirement of requirements.sort(byId)) {
      const documentKey = requirement.documentId ?? requirement.uri;
      const list = byDocument.get(documentKey);
      if (list) list.push(requirement);
      else byDocument.set(documentKey, [requirement]);
    }
    return [...byDocument].map(([documentKey, list]) => {
      const prd = graph.definition(documentKey);
      const key = `${parentKey}/${documentKey}`;
      const children = list.map((requirement) => node(`${key}/${requirement.id}`, requirement, []));
      return prd && prd.kind === 'prd'
        ? node(key, prd, children, { requirements: list.length })
        : group(key, state.displayPath(list[0]!.uri), children, { requirements: list.length });
    });
  };
  const outcomeNode = (parentKey: string, outcome: Item): AlignmentNode => {
    const key = `${parentKey}/${outcome.id}`;
    const requirements = requirementsTracing(graph, outcome.id);
    return node(key, outcome, requirementsByPrd(key, requirements), { requirements: requirements.length });
  };
  const objectiveNode = (parentKey: string, objective: Item): AlignmentNode => {
    const key = `${parentKey}/${objective.id}`;
    const keyResults = keyResultsOf(graph, objective.id);
    const seenOutcomes = new Set<string>();
    const requirementIds = new Set<string>();
    const keyResultNodes = keyResults.map((keyResult) => {
      const krKey = `${key}/${keyResult.id}`;
      const outcomes = outcomesSupporting(graph, keyResult.id).sort(byId);
      const outcomeNodes = outcomes.map((outcome) => outcomeNode(krKey, outcome));
      const keyResultRequirements = new Set<string>();
      for (const outcome of outcomes) {
        seenOutcomes.add(outcome.id);
        for (const requirement of requirementsTracing(graph, outcome.id)) {
          requirementIds.add(requirement.id);
          keyResultRequirements.add(requirement.id);
        }
      }
      const keyResultNode = node(krKey, keyResult, outcomeNodes, { outcomes: outcomes.length, requirements: keyResultRequirements.size });
      const progress = keyResultProgress(keyResult, state.config.decimalSeparator).progress;
      if (progress !== undefined) keyResultNode.progress = progress;
      return keyResultNode;
    });
    const directOutcomes = outcomesSupporting(graph, objective.id).sort(byId);
    const outcomeNodes = directOutcomes.filter((outcome) => !seenOutcomes.has(outcome.id)).map((outcome) => outcomeNode(key, outcome));
    for (const outcome of directOutcomes) {
      seenOutcomes.add(outcome.id);
      for (const requirement of requirementsTracing(graph, outcome.id)) requirementIds.add(requirement.id);
    }
    const objectiveNode = node(key, objective, [...keyResultNodes, ...outcomeNodes], {
      keyResults: keyResults.length,
      outcomes: seenOutcomes.size,
      requirements: requirementIds.size,
    });
    const progress = objectiveProgress(graph, objective, state.config.decimalSeparator).progress;
    if (progress !== undefined) objectiveNode.progress = progress;
    return objectiveNode;
  };

  const roots: AlignmentNode[] = [];
  const placedStrategies = new Set<string>();
  const visions = [...graph.allItems()].filter((item) => item.kind === 'vision').sort(byId);
  /** A strategy (product line) and its objectives, below its vision or as a root. */
  const strategyNode = (key: string, strategy: Item): AlignmentNode => {
    const objectives = objectivesOf(graph, strategy.id).map((objective) => objectiveNode(key, objective));
    return node(key, strategy, objectives, { objectives: objectives.length });
  };
  for (const vision of visions) {
    const key = vision.id;
    const strategies: AlignmentNode[] = [];
    let objectives = 0;
    for (const strategy of strategiesOf(graph, vision.id).sort(byId)) {
      placedStrategies.add(strategy.id);
      const child = strategyNode(`${key}/${strategy.id}`, strategy);
      objectives += child.childCount;
      strategies.push(child);
    }
    roots.push(node(key, vision, strategies, { objectives }));
  }
  // Strategies that name no existing vision are roots of their own.
  for (const strategy of [...graph.allItems()].filter((item) => item.kind === 'strategy' && !placedStrategies.has(item.id)).sort(byId))
    roots.push(strategyNode(strategy.id, strategy));

  const untraced: Item[] = [];
  const undelivered: Item[] = [];
  const unaligned: Item[] = [];
  for (const item of graph.allItems()) {
    if (item.kind === 'requirement' && !hasResolvedLink(graph, item, 'traces', ['outcome'])) untraced.push(item);
    else if (item.kind === 'outcome' && !item.isDocument) {
      if (requirementsTracing(graph, item.id).length === 0) undelivered.push(item);
      if (!hasResolvedLink(graph, item, 'supports', ['objective', 'keyResult'])) unaligned.push(item);
    }
  }
  roots.push(group('untraced', 'Untraced requirements', requirementsByPrd('untraced', untraced), { requirements: untraced.length }));
  roots.push(
    group(
      'undelivered',
      'Outcomes nothing delivers',
      undelivered.sort(byId).map((outcome) => node(`undelivered/${outcome.id}`, outcome, [])),
      { outcomes: undelivered.length },
    ),
  );
  roots.push(
    group(
      'unaligned',
      'Unaligned outcomes',
      unaligned.sort(byId).map((outcome) => outcomeNode('unaligned', outcome)),
      { outcomes: unaligned.length },
    ),
  );
  return { roots };
}

/** A slice of a built tree: the children of `key` (or the roots), `depth` levels deep. */
export function sliceAlignmentTree(tree: AlignmentTree, key: string | undefined, depth: number | undefined): AlignmentTree {
  let roots = tree.roots;
  if (key !== undefined) {
    const found = findNode(tree.roots, key);
    roots = found ? found.children : [];
  }
  if (depth === undefined) return { roots };
  const cut = (node: AlignmentNode, levels: number): AlignmentNode => ({
    ...node,
    children: levels > 1 ? node.children.map((child) => cut(child, levels - 1)) : [],
  });
  return { roots: roots.map((root) => cut(root, Math.max(1, depth))) };
}

function findNode(nodes: readonly AlignmentNode[], key: string): AlignmentNode | undefined {
  for (const node of nodes) {
    // Keys are paths (`VIS-1/OBJ-1/KR-1.1`), so only the branch whose key prefixes the target is searched.
    if (node.key === key) return node;
    if (key.startsWith(`${node.key}/`)) return findNode(node.children, key);
  }
  return undefined;
}
