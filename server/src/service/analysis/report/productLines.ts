/**
 * The report's title, its owners and names by ID, and one product line of it (`throughline report
 * --strategy STR-2`): the strategy below its vision, its objectives and what delivers them, the
 * PRDs delivering it, and the problems in those documents.
 */
import type { AlignmentNode, CoverageFigures } from '../../../../../common/protocol';
import type { Item } from '../../model/model';
import type { GraphQueries } from '../../workspace/workspaceGraph';
import { computePortfolio, prdShareOf } from '../portfolio';
import type { StrategyReport } from './reportModel';

/** Longest vision or strategy title a report heading quotes. */
const MAX_TITLE = 120;

function cut(text: string): string {
  const characters = [...text];
  return characters.length > MAX_TITLE ? `${characters.slice(0, MAX_TITLE - 1).join('')}…` : text;
}

/**
 * The vision a report is about: the only one, or the first by ID (and by URI for an ID defined
 * twice, as `allItems()` orders them). Read from the documents' own items: the report asks on
 * every refresh, and iterating every item of the workspace through `allItems()` made a result
 * object per item (some 30 MB at 10,000 PRDs).
 */
function visionOf(graph: GraphQueries): Item | undefined {
  let first: Item | undefined;
  for (const document of graph.allDocuments())
    for (const item of document.items)
      if (item.kind === 'vision' && item.isDocument && (!first || item.id < first.id || (item.id === first.id && item.uri < first.uri))) first = item;
  return first;
}

/**
 * "Strategy report: <vision title>" from the vision document (the first by ID when there are
 * several); undefined without a titled vision, for the service's default (the folder name).
 */
export function reportTitleFromVision(graph: GraphQueries): string | undefined {
  const vision = visionOf(graph);
  const title = vision?.title.trim();
  return title ? `Strategy report: ${cut(title)}` : undefined;
}

/** The strategy IDs of the workspace, sorted, for a usage message. */
export function strategyIds(graph: GraphQueries): string[] {
  const ids: string[] = [];
  for (const item of graph.allItems()) if (item.kind === 'strategy' && item.isDocument) ids.push(item.id);
  return ids.sort();
}

/**
 * The report narrowed to one product line, or undefined when `strategyId` names no strategy
 * document. The tree keeps the strategy (below its vision, which counts only it); the problem
 * groups keep the outcomes of the strategy and the untraced requirements of its PRDs; coverage is
 * counted over what is left; the portfolio counts the PRDs delivering it; the problems are those of
 * the strategy document and its PRDs.
 */
export function productLineReport(report: StrategyReport, graph: GraphQueries, strategyId: string, tolerance: number): StrategyReport | undefined {
  const strategy = graph.definition(strategyId);
  if (!strategy || strategy.kind !== 'strategy' || !strategy.isDocument) return undefined;
  const prdUris = new Set<string>();
  for (const document of graph.allDocuments())
    if (document.frontMatter?.type === 'prd' && prdShareOf(graph, document, strategyId) > 0) prdUris.add(document.uri);
  const documents = new Set([strategy.uri, ...prdUris]);

  const roots: AlignmentNode[] = [];
  let line: AlignmentNode | undefined;
  for (const root of report.tree) {
    if (root.kind === 'strategy' && root.id === strategyId) roots.push((line = root));
    else if (root.kind === 'vision') {
      const child = root.children.find((candidate) => candidate.kind === 'strategy' && candidate.id === strategyId);
      if (child) {
        line = child;
        roots.push({ ...root, children: [child], childCount: 1, counts: { ...root.counts, objectives: child.childCount } });
      }
    }
  }
  for (const root of report.tree) {
    if (root.kind !== 'group') continue;
    const children = root.children.filter((child) =>
      root.key === 'untraced' ? child.children.some((node) => node.uri && prdUris.has(node.uri)) : child.uri === strategy.uri,
    );
    const kept = root.key === 'untraced' ? children.reduce((sum, child) => sum + child.children.length, 0) : children.length;
    roots.push({ ...root, children, childCount: children.length, counts: root.key === 'untraced' ? { requirements: kept } : { outcomes: kept } });
  }

  const objectives = report.objectives.filter((objective) => objective.strategyId === strategyId);
  const coverage = lineCoverage(line, roots, objectives);
  const portfolio = computePortfolio(graph, tolerance, (document) => prdUris.has(document.uri));
  return {
    ...report,
    // Drawn from this line's tree, not the whole report's.
    alignment: undefined,
    title: `${report.title} · ${strategy.id}${strategy.title ? `: ${cut(strategy.title)}` : ''}`,
    coverage,
    objectives,
    tree: roots,
    portfolio: { ...portfolio, innovationTargets: portfolio.innovationTargets.filter((target) => target.strategyId === strategyId) },
    problems: report.problems.filter((problem) => documents.has(problem.uri)),
  };
}

/** Coverage counted over one product line's part of the tree. */
function lineCoverage(line: AlignmentNode | undefined, roots: readonly AlignmentNode[], objectives: CoverageFigures['progress']): CoverageFigures {
  const outcomes = new Map<string, boolean>();
  const traced = new Set<string>();
  let objectiveCount = 0;
  let objectivesWithOutcomes = 0;
  const walk = (node: AlignmentNode) => {
    if (node.kind === 'objective') {
      objectiveCount++;
      if ((node.counts.outcomes ?? 0) > 0) objectivesWithOutcomes++;
    } else if (node.kind === 'outcome' && node.id !== undefined) outcomes.set(node.id, (outcomes.get(node.id) ?? false) || (node.counts.requirements ?? 0) > 0);
    else if (node.kind === 'requirement' && node.id !== undefined) traced.add(node.id);
    for (const child of node.children) walk(child);
  };
  if (line) walk(line);
  let untraced = 0;
  for (const root of roots) {
    if (root.kind !== 'group') continue;
    if (root.key === 'untraced') untraced += root.counts.requirements ?? 0;
    else for (const child of root.children) if (child.id !== undefined && !outcomes.has(child.id)) outcomes.set(child.id, (child.counts.requirements ?? 0) > 0);
  }
  return {
    requirements: traced.size + untraced,
    tracedRequirements: traced.size,
    outcomes: outcomes.size,
    deliveredOutcomes: [...outcomes.values()].filter(Boolean).length,
    objectives: objectiveCount,
    objectivesWithOutcomes,
    progress: objectives,
  };
}
