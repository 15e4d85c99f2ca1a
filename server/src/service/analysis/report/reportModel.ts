import type { AlignmentNode, CoverageFigures, ObjectiveProgress, Portfolio } from '../../../../../common/protocol';
import type { Severity } from '../../model/model';
import type { PeriodChanges } from './periodModel';
import type { KeyResultTrend } from './trends';

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
  /** The whole alignment tree: vision → objectives → key results and outcomes → requirements, and the problem groups. */
  readonly tree: readonly AlignmentNode[];
  readonly portfolio: Portfolio;
  readonly problems: readonly ReportProblem[];
  /** Key results' check-ins over time with the expected line; present when the service holds the git history. */
  readonly trends?: readonly KeyResultTrend[];
  /** What changed since a ref (`throughline report --since`); hosts add it, the service cannot read git. */
  readonly period?: PeriodChanges;
}
