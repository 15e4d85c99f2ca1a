/**
 * The "Portfolio" section of the alignment tree: how the PRDs spread over innovation, track,
 * horizon, owner and team, counted in PRDs and in requirements. Built from the server's
 * `throughline/portfolio` answer; no vscode import, so that it stays a plain function of it.
 */
import type { Portfolio, PortfolioBucket, PortfolioDimension, PortfolioDimensionName } from '../../common/protocol';
import { formatShare, plural } from '../../common/wording';

export interface PortfolioRow {
  /** Unique in the whole tree: the server's keys never start with "portfolio:". */
  key: string;
  label: string;
  description: string;
  tooltip: string;
  /** A codicon name. */
  icon: string;
  children: PortfolioRow[];
}

const DIMENSIONS: Record<PortfolioDimensionName, { label: string; icon: string; plural: string }> = {
  innovation: { label: 'Innovation', icon: 'lightbulb', plural: 'kinds' },
  track: { label: 'Track', icon: 'arrow-swap', plural: 'tracks' },
  horizon: { label: 'Horizon', icon: 'calendar', plural: 'horizons' },
  owner: { label: 'Owner', icon: 'person', plural: 'owners' },
  team: { label: 'Team', icon: 'organization', plural: 'teams' },
};

/** Dimensions with a few known values, summarised by value; owners and teams are too many to list in one line. */
const SUMMARISED_BY_VALUE = new Set<PortfolioDimensionName>(['innovation', 'track', 'horizon']);

/** The innovation mix the strategies ask for, per value: `target 70%`, or every strategy's when they differ. */
function targetText(portfolio: Portfolio, value: string): string | undefined {
  const asked = portfolio.innovationTargets.filter((target) => target.mix[value] !== undefined);
  if (asked.length === 0) return undefined;
  const distinct = new Set(asked.map((target) => target.mix[value]));
  if (distinct.size === 1) return `target ${asked[0]!.mix[value]}%`;
  return `targets ${asked.map((target) => `${target.mix[value]}% (${target.strategyId})`).join(', ')}`;
}

function bucketRow(portfolio: Portfolio, dimension: PortfolioDimension, bucket: PortfolioBucket): PortfolioRow {
  const counts = `${plural(bucket.prds, 'PRD')} (${formatShare(bucket.prds, portfolio.prds)}) · ${plural(bucket.requirements, 'requirement')} (${formatShare(bucket.requirements, portfolio.requirements)})`;
  const target = dimension.name === 'innovation' ? targetText(portfolio, bucket.value) : undefined;
  const description = target ? `${counts} · ${target}` : counts;
  const label = DIMENSIONS[dimension.name].label;
  return {
    key: `portfolio:${dimension.name}:${bucket.value}`,
    label: bucket.value,
    description,
    tooltip: `${label} ${bucket.value}: ${plural(bucket.prds, 'PRD')} of ${portfolio.prds} and ${plural(bucket.requirements, 'requirement')} of ${portfolio.requirements}${target ? ` (innovation mix asked by the strategy: ${target.replace(/^targets? /, '')})` : ''}.`,
    icon: bucket.value === 'unset' ? 'circle-small' : 'circle-small-filled',
    children: [],
  };
}

function dimensionRow(portfolio: Portfolio, dimension: PortfolioDimension): PortfolioRow {
  const { label, icon, plural: noun } = DIMENSIONS[dimension.name];
  // The server keeps every innovation type as a bucket, even at zero: the imbalance worth seeing.
  const buckets = dimension.buckets;
  const summary = SUMMARISED_BY_VALUE.has(dimension.name) ? buckets.map((bucket) => `${bucket.value} ${bucket.prds}`).join(' · ') : `${buckets.length} ${noun}`;
  return {
    key: `portfolio:${dimension.name}`,
    label,
    description: summary,
    tooltip: `${label}: PRDs per value, and their requirements`,
    icon,
    children: buckets.map((bucket) => bucketRow(portfolio, dimension, bucket)),
  };
}

/** The section's rows, or undefined when there is no PRD to balance. */
export function portfolioRows(portfolio: Portfolio): PortfolioRow | undefined {
  if (portfolio.prds === 0) return undefined;
  return {
    key: 'portfolio:',
    label: 'Portfolio',
    description: `${plural(portfolio.prds, 'PRD')} · ${plural(portfolio.requirements, 'requirement')}`,
    tooltip: 'How the PRDs spread over innovation, track (discovery / delivery), horizon (now / next / later), owner and team',
    icon: 'pie-chart',
    children: portfolio.dimensions.map((dimension) => dimensionRow(portfolio, dimension)),
  };
}
