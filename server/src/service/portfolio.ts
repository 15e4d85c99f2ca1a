import type { Portfolio, PortfolioBucket, PortfolioDimension, PortfolioDimensionName } from '../../../common/protocol';
import type { DocumentIndex } from './model';
import { INNOVATION_TYPES } from './schemas';
import type { WorkspaceGraph } from './workspaceGraph';

export const UNSET = 'unset';

/** Dimensions with a fixed vocabulary list their values in that order, so charts read the same every time. */
const DIMENSION_ORDER: Record<PortfolioDimensionName, readonly string[]> = {
  innovation: INNOVATION_TYPES,
  track: ['discovery', 'delivery'],
  horizon: ['now', 'next', 'later'],
  owner: [],
  team: [],
};

export const PORTFOLIO_DIMENSIONS = Object.keys(DIMENSION_ORDER) as PortfolioDimensionName[];

/** A PRD's value for a dimension, from its front-matter; `unset` when missing or not a string. */
export function dimensionValue(document: DocumentIndex, dimension: PortfolioDimensionName): string {
  const value = document.frontMatter?.data[dimension];
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : UNSET;
}

export function requirementCount(document: DocumentIndex): number {
  let count = 0;
  for (const item of document.items) if (item.kind === 'requirement') count++;
  return count;
}

export function prdDocuments(graph: WorkspaceGraph): DocumentIndex[] {
  return [...graph.allDocuments()].filter((document) => document.frontMatter?.type === 'prd');
}

/** Counts PRDs and their requirements per value of one dimension. */
export function bucketsOf(documents: readonly DocumentIndex[], dimension: PortfolioDimensionName): PortfolioBucket[] {
  const buckets = new Map<string, PortfolioBucket>();
  for (const value of DIMENSION_ORDER[dimension]) buckets.set(value, { value, prds: 0, requirements: 0 });
  for (const document of documents) {
    const value = dimensionValue(document, dimension);
    const bucket = buckets.get(value) ?? { value, prds: 0, requirements: 0 };
    bucket.prds++;
    bucket.requirements += requirementCount(document);
    buckets.set(value, bucket);
  }
  const fixed = DIMENSION_ORDER[dimension];
  const collator = new Intl.Collator('en', { numeric: true });
  return [...buckets.values()]
    .filter((bucket) => bucket.prds > 0 || fixed.includes(bucket.value))
    .sort((a, b) => {
      // Fixed vocabulary first in its order, then free values by size, `unset` last.
      const rank = (bucket: PortfolioBucket) => (bucket.value === UNSET ? 2 : fixed.includes(bucket.value) ? 0 : 1);
      return rank(a) - rank(b) || fixed.indexOf(a.value) - fixed.indexOf(b.value) || b.prds - a.prds || collator.compare(a.value, b.value);
    });
}

/** The innovation mix a strategy asks for, when its front-matter has a valid `innovation_mix`. */
export function innovationMixOf(document: DocumentIndex): Record<string, number> | undefined {
  const mix = document.frontMatter?.type === 'strategy' ? document.frontMatter.data['innovation_mix'] : undefined;
  if (!mix || typeof mix !== 'object' || Array.isArray(mix)) return undefined;
  const shares: Record<string, number> = {};
  for (const [key, share] of Object.entries(mix)) {
    if (!(INNOVATION_TYPES as readonly string[]).includes(key) || typeof share !== 'number' || !Number.isFinite(share)) return undefined;
    shares[key] = share;
  }
  return Object.keys(shares).length ? shares : undefined;
}

export function computePortfolio(graph: WorkspaceGraph): Portfolio {
  const prds = prdDocuments(graph);
  const dimensions: PortfolioDimension[] = PORTFOLIO_DIMENSIONS.map((name) => ({ name, buckets: bucketsOf(prds, name) }));
  const innovationTargets: Portfolio['innovationTargets'] = [];
  for (const document of graph.allDocuments()) {
    const mix = innovationMixOf(document);
    const strategyId = document.items.find((item) => item.isDocument)?.id;
    if (mix && strategyId) innovationTargets.push({ strategyId, mix });
  }
  innovationTargets.sort((a, b) => a.strategyId.localeCompare(b.strategyId));
  return { prds: prds.length, requirements: prds.reduce((sum, document) => sum + requirementCount(document), 0), dimensions, innovationTargets };
}
