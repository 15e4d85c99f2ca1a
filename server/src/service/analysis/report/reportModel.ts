import type { AlignmentNode, CoverageFigures, ObjectiveProgress, Portfolio } from '../../../../../common/protocol';
import type { Severity } from '../../model/model';
import type { PeriodChanges } from './periodModel';
import type { KeyResultTrend } from './trends';
import { buildAlignmentGraph, type AlignmentGraph } from './graph';

/** One problem as the report lists it. */
export interface ReportProblem {
  readonly uri: string;
  /** Path relative to the workspace folder, for display and for links in the Markdown report. */
  readonly file: string;
  /** 1-based, as editors and CI annotations show them. */
  readonly line: number;
  readonly column: number;
  readonly severity: Severity;
  readonly rule: string;
  readonly message: string;
}

/** A problem with where it ends too (1-based), as the CLI's formats need; `workspaceProblems()` lists them. */
export interface WorkspaceProblem extends ReportProblem {
  readonly endLine: number;
  readonly endColumn: number;
}

/** Everything the HTML and Markdown reports show; computed by the language service, rendered by `renderReport*`. */
export interface StrategyReport {
  /** Heading of the report: "Strategy report: <folder name>" by default. */
  readonly title: string;
  /** ISO timestamp of when the report was made. */
  readonly generatedAt: string;
  readonly coverage: CoverageFigures;
  /** Objectives with their key results and progress (same as `coverage.progress`). */
  readonly objectives: readonly ObjectiveProgress[];
  /**
   * The whole alignment tree: vision → objectives → key results and outcomes → requirements, and the
   * problem groups. The language service's report builds it only when it is read (`--strategy`):
   * the renderers draw `alignment`.
   */
  readonly tree: readonly AlignmentNode[];
  /** What the report shows of `tree`, when the service computed it without the whole tree; the renderers derive it from `tree` otherwise. */
  readonly alignment?: ReportAlignment;
  readonly portfolio: Portfolio;
  readonly problems: readonly ReportProblem[];
  /** Key results' check-ins over time with the expected line; present when the service holds the git history. */
  readonly trends?: readonly KeyResultTrend[];
  /** What changed since a ref (`throughline report --since`); hosts add it, the service cannot read git. */
  readonly period?: PeriodChanges;
}

/** What the report shows of the alignment tree: its graph, bounded per column, and the tree's nodes the objective cards name. */
export interface ReportAlignment {
  readonly graph: AlignmentGraph;
  /** Strategies, objectives and key results by ID, each at its first place in the tree: their titles and owners. */
  readonly items: ReadonlyMap<string, ReportItem>;
}

/** What the objective cards show of a tree node named by ID. */
export type ReportItem = Pick<AlignmentNode, 'title' | 'owner'>;

/** The report's `alignment`, or the same computed from its whole tree. */
export function reportAlignment(report: StrategyReport): ReportAlignment {
  return report.alignment ?? { graph: buildAlignmentGraph(report.tree), items: treeItemsById(report.tree) };
}

/** The IDs whose tree nodes the report's objective cards read: each objective, its key results and its strategy. */
export function reportItemIds(objectives: readonly ObjectiveProgress[]): Set<string> {
  const ids = new Set<string>();
  for (const objective of objectives) {
    ids.add(objective.id);
    if (objective.strategyId !== undefined) ids.add(objective.strategyId);
    for (const keyResult of objective.keyResults) ids.add(keyResult.id);
  }
  return ids;
}

/** Every node of the tree with an ID, by ID (its first place in the tree): titles and owners for the report. */
export function treeItemsById(tree: readonly AlignmentNode[]): Map<string, AlignmentNode> {
  const byId = new Map<string, AlignmentNode>();
  const stack = [...tree].reverse();
  while (stack.length) {
    const node = stack.pop()!;
    if (node.id !== undefined && !byId.has(node.id)) byId.set(node.id, node);
    for (let index = node.children.length - 1; index >= 0; index--) stack.push(node.children[index]!);
  }
  return byId;
}
