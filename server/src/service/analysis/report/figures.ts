/**
 * Figures both report renderers show, computed once from a `StrategyReport` so that the HTML and
 * the Markdown report never disagree: percentages, overall progress, problem order and caps,
 * portfolio buckets folded for charts.
 */
import { sharePercent } from '../../../../../common/wording';
import { progressPercent } from '../../../../../common/wording';
import { UNSET } from '../portfolio';
import type { ObjectiveProgress, PortfolioBucket, PortfolioDimension, PortfolioDimensionName } from '../../../../../common/protocol';
import type { Severity } from '../../model/model';
import type { ReportProblem, StrategyReport } from './reportModel';

export interface CoverageCard {
  readonly key: 'requirements' | 'outcomes' | 'objectives' | 'progress';
  readonly label: string;
  /** Whole percentage; undefined when there is nothing to measure. */
  readonly percent: number | undefined;
  /** "9 of 12 requirements", for the line under the figure. */
  readonly detail: string;
  /** Health figures get a green/amber/red tone; progress toward targets is not good or bad by itself. */
  readonly tone: 'good' | 'fair' | 'poor' | 'neutral';
}

function tone(percent: number | undefined): CoverageCard['tone'] {
  if (percent === undefined) return 'neutral';
  return percent >= 80 ? 'good' : percent >= 50 ? 'fair' : 'poor';
}

const count = (n: number, singular: string, plural = `${singular}s`) => `${n.toLocaleString('en-US')} ${n === 1 ? singular : plural}`;

/**
 * The overall progress is the plain mean of the objectives that can be measured: every objective
 * weighs the same, as each is a commitment of its own whatever its number of key results.
 */
function overallProgress(objectives: readonly ObjectiveProgress[]): { progress: number | undefined; measured: number } {
  const measured = objectives.filter((objective) => objective.progress !== undefined && Number.isFinite(objective.progress));
  if (measured.length === 0) return { progress: undefined, measured: 0 };
  const sum = measured.reduce((total, objective) => total + Math.min(1, Math.max(0, objective.progress!)), 0);
  return { progress: sum / measured.length, measured: measured.length };
}

export function coverageCards(report: StrategyReport): CoverageCard[] {
  const { coverage } = report;
  const requirements = sharePercent(coverage.tracedRequirements, coverage.requirements);
  const outcomes = sharePercent(coverage.deliveredOutcomes, coverage.outcomes);
  const objectives = sharePercent(coverage.objectivesWithOutcomes, coverage.objectives);
  const overall = overallProgress(report.objectives);
  return [
    {
      key: 'requirements',
      label: 'Requirements traced',
      percent: requirements,
      detail: `${coverage.tracedRequirements.toLocaleString('en-US')} of ${count(coverage.requirements, 'requirement')} trace to an outcome`,
      tone: tone(requirements),
    },
    {
      key: 'outcomes',
      label: 'Outcomes delivered',
      percent: outcomes,
      detail: `${coverage.deliveredOutcomes.toLocaleString('en-US')} of ${count(coverage.outcomes, 'outcome')} have a requirement`,
      tone: tone(outcomes),
    },
    {
      key: 'objectives',
      label: 'Objectives with outcomes',
      percent: objectives,
      detail: `${coverage.objectivesWithOutcomes.toLocaleString('en-US')} of ${count(coverage.objectives, 'objective')} have an outcome`,
      tone: tone(objectives),
    },
    {
      key: 'progress',
      label: 'Overall progress',
      percent: overall.progress === undefined ? undefined : progressPercent(overall.progress),
      detail:
        overall.measured === 0
          ? 'no objective can be measured yet'
          : `mean of ${count(overall.measured, 'measurable objective')} of ${report.objectives.length.toLocaleString('en-US')}`,
      tone: 'neutral',
    },
  ];
}

const SEVERITY_ORDER: Record<Severity, number> = { error: 0, warning: 1, info: 2, hint: 3 };

/** Errors first, then warnings, information and hints; the service's file and line order within each. */
export function sortedProblems(problems: readonly ReportProblem[]): ReportProblem[] {
  return problems
    .map((problem, index) => ({ problem, index }))
    .sort((a, b) => SEVERITY_ORDER[a.problem.severity] - SEVERITY_ORDER[b.problem.severity] || a.index - b.index)
    .map(({ problem }) => problem);
}

export function problemCounts(problems: readonly ReportProblem[]): { bySeverity: Record<Severity, number>; byRule: { rule: string; count: number }[] } {
  const bySeverity: Record<Severity, number> = { error: 0, warning: 0, info: 0, hint: 0 };
  const byRule = new Map<string, number>();
  for (const problem of problems) {
    bySeverity[problem.severity]++;
    byRule.set(problem.rule, (byRule.get(problem.rule) ?? 0) + 1);
  }
  return {
    bySeverity,
    byRule: [...byRule].map(([rule, n]) => ({ rule, count: n })).sort((a, b) => b.count - a.count || (a.rule < b.rule ? -1 : 1)),
  };
}

const DIMENSION_LABELS: Record<PortfolioDimensionName, string> = {
  innovation: 'Innovation',
  track: 'Track',
  horizon: 'Horizon',
  owner: 'Owner',
  team: 'Team',
};

export { UNSET };
/** Value of the bucket that gathers the smallest values of a dimension with many. */
const OTHER = 'other';

export interface ChartBucket extends PortfolioBucket {
  /** Index into the chart palette; the same value has the same color in every bar of a dimension. */
  readonly color: number | 'unset' | 'other';
  /** For the folded bucket, how many values it gathers. */
  readonly folded?: number;
}

export interface DimensionChart {
  readonly name: PortfolioDimensionName;
  readonly label: string;
  readonly buckets: readonly ChartBucket[];
  /** Innovation only: the mix each strategy asks for, in the order and colors of `buckets` (percent). */
  readonly targets: readonly {
    strategyId: string;
    /** Each value's target share and its actual share among the PRDs delivering the strategy (percent). */
    shares: readonly { value: string; percent: number; actual: number; color: ChartBucket['color'] }[];
    /** Points a share may be off before `innovation-mix-drift` reports it. */
    tolerance: number;
  }[];
}

/** Distinct colors of the chart palette; owners and teams beyond it are folded into "other". */
const PALETTE_SIZE = 8;

/**
 * A dimension's buckets ready to chart: at most PALETTE_SIZE values (owners and teams can have
 * hundreds in a large workspace; the smallest fold into one "other" bucket), `unset` last, and for
 * innovation the strategies' target mixes, with target values no PRD uses yet added as empty buckets
 * so that actual and target bars share one legend.
 */
export function dimensionChart(dimension: PortfolioDimension, innovationTargets: StrategyReport['portfolio']['innovationTargets']): DimensionChart {
  const unset = dimension.buckets.find((bucket) => bucket.value === UNSET);
  const values = dimension.buckets.filter((bucket) => bucket.value !== UNSET);
  // The server keeps every innovation type as a bucket, so each value a mix may name has a row.
  const targets = dimension.name === 'innovation' ? innovationTargets : [];
  const buckets: ChartBucket[] = [];
  const keep = values.length > PALETTE_SIZE ? PALETTE_SIZE - 1 : values.length;
  values.slice(0, keep).forEach((bucket, index) => buckets.push({ ...bucket, color: index }));
  const rest = values.slice(keep);
  if (rest.length > 0) {
    buckets.push({
      value: OTHER,
      prds: rest.reduce((sum, bucket) => sum + bucket.prds, 0),
      requirements: rest.reduce((sum, bucket) => sum + bucket.requirements, 0),
      color: 'other',
      folded: rest.length,
    });
  }
  if (unset) buckets.push({ ...unset, color: 'unset' });
  const colorOf = (value: string): ChartBucket['color'] => buckets.find((bucket) => bucket.value === value)?.color ?? 'other';
  return {
    name: dimension.name,
    label: DIMENSION_LABELS[dimension.name] ?? dimension.name,
    buckets,
    targets: targets.map((target) => {
      const total = Object.values(target.mix).reduce((sum, share) => sum + (Number.isFinite(share) && share > 0 ? share : 0), 0);
      const shares = buckets
        .filter((bucket) => bucket.value in target.mix)
        .map((bucket) => {
          const share = target.mix[bucket.value]!;
          // Mixes are written in percent but need not add up to 100; the bar shows each value's share of the whole mix.
          return {
            value: bucket.value,
            percent: total > 0 && Number.isFinite(share) && share > 0 ? (100 * share) / total : 0,
            actual: target.actual[bucket.value] ?? 0,
            color: colorOf(bucket.value),
          };
        });
      return { strategyId: target.strategyId, shares, tolerance: target.tolerance };
    }),
  };
}

/**
 * `2027-01-15T10:32:07.123Z` as `2027-01-15 10:32 UTC`, the same in every locale and time zone;
 * other text as it is. Exactly midnight is a pinned date (`THROUGHLINE_TODAY`), shown as the date alone.
 */
export function formatGeneratedAt(iso: string): string {
  const date = new Date(iso);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(iso) || Number.isNaN(date.getTime())) return iso;
  const pad = (n: number) => String(n).padStart(2, '0');
  const day = `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}`;
  if (date.getTime() % 86_400_000 === 0) return day;
  return `${day} ${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())} UTC`;
}

/** Cuts `text` to at most `max` characters, ending with an ellipsis when it was longer. */
export function truncate(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max
    ? text
    : `${chars
        .slice(0, Math.max(1, max - 1))
        .join('')
        .trimEnd()}…`;
}

export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}
