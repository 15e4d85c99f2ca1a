import type { InnovationTarget, Portfolio, PortfolioBucket, PortfolioDimension, PortfolioDimensionName } from '../../../../common/protocol';
import { isRetiredRequirement, retiredStatus, type DocumentIndex } from '../model/model';
import { HORIZONS, INNOVATION_TYPES, TRACKS } from '../model/schemas';
import type { GraphQueries } from '../workspace/workspaceGraph';

export const UNSET = 'unset';

/** Dimensions with a fixed vocabulary list their values in that order, so charts read the same every time. */
const DIMENSION_ORDER: Record<PortfolioDimensionName, readonly string[]> = {
  innovation: INNOVATION_TYPES,
  track: TRACKS,
  horizon: HORIZONS,
  owner: [],
  team: [],
};

const PORTFOLIO_DIMENSIONS = Object.keys(DIMENSION_ORDER) as PortfolioDimensionName[];

/**
 * A PRD's value for a dimension, from its front-matter; `unset` when missing or empty. A list
 * (`team: [payments, risk]`) is one value, its names joined (`payments, risk`), as everywhere a
 * single owner or team is shown: a PRD counts once per dimension.
 */
function dimensionValue(document: DocumentIndex, dimension: PortfolioDimensionName): string {
  const data = document.frontMatter?.data;
  const value = data && Object.hasOwn(data, dimension) ? data[dimension] : undefined;
  const text = Array.isArray(value)
    ? value
        .filter((name): name is string | number => typeof name === 'string' || typeof name === 'number')
        .map((name) => String(name).trim())
        .filter((name) => name !== '')
        .join(', ')
    : typeof value === 'string'
      ? value.trim()
      : '';
  return text !== '' ? text : UNSET;
}

function requirementCount(document: DocumentIndex): number {
  let count = 0;
  for (const item of document.items) if (item.kind === 'requirement' && !isRetiredRequirement(item, document.items)) count++;
  return count;
}

/** A PRD that is not deprecated: what the portfolio and a strategy's innovation mix count. */
export function isActivePrd(document: DocumentIndex): boolean {
  return document.frontMatter?.type === 'prd' && !isDeprecatedDocument(document);
}

function prdDocuments(graph: GraphQueries): DocumentIndex[] {
  return [...graph.allDocuments()].filter(isActivePrd);
}

/** What the portfolio reads of one PRD: its value for each dimension and its requirement count. */
export interface PrdFacts {
  readonly values: Readonly<Record<PortfolioDimensionName, string>>;
  readonly requirements: number;
}

export function prdFacts(document: DocumentIndex): PrdFacts {
  // One literal with every dimension (the type requires each): an object filled key by key keeps
  // its fifth property out of line, 10,000 more objects for the PRDs the portfolio keeps.
  const values: Record<PortfolioDimensionName, string> = {
    innovation: dimensionValue(document, 'innovation'),
    track: dimensionValue(document, 'track'),
    horizon: dimensionValue(document, 'horizon'),
    owner: dimensionValue(document, 'owner'),
    team: dimensionValue(document, 'team'),
  };
  return { values, requirements: requirementCount(document) };
}

/** The dimensions and totals of a set of PRDs. */
export function portfolioOf(prds: readonly PrdFacts[], innovationTargets: InnovationTarget[]): Portfolio {
  const dimensions: PortfolioDimension[] = PORTFOLIO_DIMENSIONS.map((name) => ({ name, buckets: bucketsOf(prds, name) }));
  return { prds: prds.length, requirements: prds.reduce((sum, prd) => sum + prd.requirements, 0), dimensions, innovationTargets };
}

/** Counts PRDs and their requirements per value of one dimension. */
function bucketsOf(prds: readonly PrdFacts[], dimension: PortfolioDimensionName): PortfolioBucket[] {
  const buckets = new Map<string, PortfolioBucket>();
  const fixed = Object.hasOwn(DIMENSION_ORDER, dimension) ? DIMENSION_ORDER[dimension] : [];
  for (const value of fixed) buckets.set(value, { value, prds: 0, requirements: 0 });
  for (const prd of prds) {
    const value = prd.values[dimension];
    const bucket = buckets.get(value) ?? { value, prds: 0, requirements: 0 };
    bucket.prds++;
    bucket.requirements += prd.requirements;
    buckets.set(value, bucket);
  }
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
function innovationMixOf(document: DocumentIndex): Record<string, number> | undefined {
  const data = document.frontMatter?.type === 'strategy' ? document.frontMatter.data : undefined;
  const mix = data && Object.hasOwn(data, 'innovation_mix') ? data['innovation_mix'] : undefined;
  if (!mix || typeof mix !== 'object' || Array.isArray(mix)) return undefined;
  // Keys are user text: only the innovation types are kept (an own `__proto__` key makes the mix invalid like any other).
  const shares: Record<string, number> = {};
  for (const [key, share] of Object.entries(mix)) {
    if (!(INNOVATION_TYPES as readonly string[]).includes(key) || typeof share !== 'number' || !Number.isFinite(share)) return undefined;
    shares[key] = share;
  }
  return Object.keys(shares).length ? shares : undefined;
}

/** The strategy document an outcome belongs to: its document's own ID, when that is a strategy. */
function strategyOfOutcome(graph: GraphQueries, outcomeId: string): string | undefined {
  const outcome = graph.definition(outcomeId);
  if (!outcome || outcome.kind !== 'outcome') return undefined;
  const owner = outcome.isDocument ? outcome : outcome.documentId !== undefined ? graph.definition(outcome.documentId) : undefined;
  return owner?.kind === 'strategy' ? owner.id : undefined;
}

/**
 * How much of a PRD goes to `strategyId`, from 0 to 1: each requirement that traces to outcomes
 * splits itself evenly among the strategies those outcomes belong to, and the PRD's share is the
 * sum of its requirements' parts for `strategyId` over the requirements that trace to some
 * strategy. A PRD with no requirement tracing anywhere is weighed by its front-matter `outcomes`
 * the same way (each listed outcome one part). So a PRD with nine requirements for one product
 * line and one for another counts 0.9 toward the first and 0.1 toward the second, not 1 to each.
 */
export function prdShareOf(graph: GraphQueries, prd: DocumentIndex, strategyId: string): number {
  const traced = new Map<string, Set<string>>();
  const listed: string[] = [];
  for (const reference of prd.references) {
    if (reference.context === 'traces' && reference.fromId !== undefined) {
      const strategy = strategyOfOutcome(graph, reference.id);
      if (strategy === undefined) continue;
      let strategies = traced.get(reference.fromId);
      if (!strategies) traced.set(reference.fromId, (strategies = new Set()));
      strategies.add(strategy);
    } else if (reference.context === 'frontMatterOutcomes') {
      const strategy = strategyOfOutcome(graph, reference.id);
      if (strategy !== undefined) listed.push(strategy);
    }
  }
  if (traced.size > 0) {
    let part = 0;
    for (const strategies of traced.values()) if (strategies.has(strategyId)) part += 1 / strategies.size;
    return part / traced.size;
  }
  if (listed.length === 0) return 0;
  return listed.filter((strategy) => strategy === strategyId).length / listed.length;
}

/** PRD documents that deliver outcomes defined in `strategy` (by a requirement's `Traces:` or front-matter `outcomes`), with their share of it. */
function prdsDelivering(graph: GraphQueries, strategy: DocumentIndex, strategyId: string): { prd: DocumentIndex; share: number }[] {
  const prds = new Map<string, DocumentIndex>();
  for (const item of strategy.items) {
    if (item.kind !== 'outcome' || item.isDocument) continue;
    for (const reference of graph.referencesTo(item.id)) {
      if (reference.context !== 'traces' && reference.context !== 'frontMatterOutcomes') continue;
      const document = graph.document(reference.uri);
      // A deprecated PRD delivers nothing: it is out of the mix its strategy gets.
      if (document && isActivePrd(document)) prds.set(document.uri, document);
    }
  }
  const delivering: { prd: DocumentIndex; share: number }[] = [];
  for (const prd of prds.values()) {
    const share = prdShareOf(graph, prd, strategyId);
    if (share > 0) delivering.push({ prd, share });
  }
  return delivering;
}

/**
 * A strategy's innovation mix and the one it gets from the PRDs delivering its outcomes, or
 * undefined when it asks for none. The rule and the report both read it, so they cannot disagree.
 * Each PRD weighs in with its share of the strategy (`prdShareOf`); `declared` and `undeclared`
 * count the PRDs.
 */
export function innovationTargetOf(graph: GraphQueries, strategy: DocumentIndex, tolerance: number): InnovationTarget | undefined {
  const mix = innovationMixOf(strategy);
  const strategyId = strategy.items.find((item) => item.isDocument)?.id;
  if (!mix || !strategyId) return undefined;
  const weights = new Map<string, number>();
  let total = 0;
  let declared = 0;
  let undeclared = 0;
  for (const { prd, share } of prdsDelivering(graph, strategy, strategyId)) {
    const value = dimensionValue(prd, 'innovation');
    if (value === UNSET) {
      undeclared++;
      continue;
    }
    weights.set(value, (weights.get(value) ?? 0) + share);
    total += share;
    declared++;
  }
  const actual: Record<string, number> = {};
  for (const type of INNOVATION_TYPES) actual[type] = total > 0 ? (100 * (weights.get(type) ?? 0)) / total : 0;
  return { strategyId, mix, actual, declared, undeclared, tolerance };
}

/** The portfolio of the workspace's PRDs, or of those `includes` keeps (one product line). */
export function computePortfolio(graph: GraphQueries, tolerance: number, includes: (prd: DocumentIndex) => boolean = () => true): Portfolio {
  const prds = prdDocuments(graph).filter(includes).map(prdFacts);
  const innovationTargets: InnovationTarget[] = [];
  for (const document of graph.allDocuments()) {
    const target = document.frontMatter?.type === 'strategy' ? innovationTargetOf(graph, document, tolerance) : undefined;
    if (target) innovationTargets.push(target);
  }
  return portfolioOf(prds, sortTargets(innovationTargets));
}

export function sortTargets(targets: InnovationTarget[]): InnovationTarget[] {
  return targets.sort((a, b) => a.strategyId.localeCompare(b.strategyId));
}

function isDeprecatedDocument(document: DocumentIndex): boolean {
  const own = document.items.find((item) => item.isDocument);
  return own !== undefined && retiredStatus(own) !== undefined;
}
