/** The strategy report: its model (computed by the language service) and its two renderings. */
export type { ReportProblem, StrategyReport } from '../service/analysis/report/reportModel';
export { renderReportHtml, escapeHtml, MAX_OBJECTIVES, MAX_PROBLEM_ROWS, type ReportHtmlOptions } from './html';
export { renderReportMarkdown, escapeMarkdown, escapeMermaid, MD_MAX_OBJECTIVES, MD_MAX_PROBLEMS } from './markdown';
export { buildAlignmentGraph, DEFAULT_GRAPH_LIMITS, type AlignmentGraph, type GraphLimits } from '../service/analysis/report/graph';
