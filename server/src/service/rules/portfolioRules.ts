/** Rules relating PRDs to the strategy they deliver: declared outcomes and the innovation mix. */
import type { DocumentIndex } from '../model';
import { dimensionValue, innovationMixOf, UNSET } from '../portfolio';
import { INNOVATION_TYPES } from '../schemas';
import type { WorkspaceGraph } from '../workspaceGraph';
import type { Rule } from './rule';

export const prdOutcomeMismatch: Rule = {
  name: 'prd-outcome-mismatch',
  check(context) {
    const { document, graph } = context;
    const frontMatter = document.frontMatter;
    const prd = document.items.find((item) => item.isDocument);
    if (frontMatter?.type !== 'prd' || !prd) return;
    const listed = frontMatter.data['outcomes'];
    const declared = new Set(Array.isArray(listed) ? listed.filter((value): value is string => typeof value === 'string') : []);
    const reported = new Set<string>();
    for (const reference of document.references) {
      if (reference.context !== 'traces' || declared.has(reference.id)) continue;
      if (graph.definition(reference.id)?.kind !== 'outcome') continue;
      context.report({
        span: reference.span,
        message: `${reference.fromId ?? 'This requirement'} traces to ${reference.id}, which ${prd.id}'s front-matter \`outcomes\` does not list.`,
        // One quick fix per outcome is enough; later references still get the diagnostic.
        data: reported.has(reference.id) ? { fix: 'none' } : { fix: 'addPrdOutcome', outcomeId: reference.id },
      });
      reported.add(reference.id);
    }
  },
};

/** PRD documents that deliver outcomes defined in `strategy` (by a requirement's `Traces:` or front-matter `outcomes`). */
export function prdsDelivering(graph: WorkspaceGraph, strategy: DocumentIndex): DocumentIndex[] {
  const prds = new Map<string, DocumentIndex>();
  for (const item of strategy.items) {
    if (item.kind !== 'outcome' || item.isDocument) continue;
    for (const reference of graph.referencesTo(item.id)) {
      if (reference.context !== 'traces' && reference.context !== 'frontMatterOutcomes') continue;
      const document = graph.document(reference.uri);
      if (document?.frontMatter?.type === 'prd') prds.set(document.uri, document);
    }
  }
  return [...prds.values()];
}

export const innovationMixDrift: Rule = {
  name: 'innovation-mix-drift',
  check(context) {
    const { document, graph } = context;
    const mix = innovationMixOf(document);
    const span = document.frontMatter?.keySpans.get('innovation_mix');
    if (!mix || !span) return;
    const prds = prdsDelivering(graph, document);
    const counts = new Map<string, number>();
    let declared = 0;
    for (const prd of prds) {
      const value = dimensionValue(prd, 'innovation');
      if (value === UNSET) continue;
      counts.set(value, (counts.get(value) ?? 0) + 1);
      declared++;
    }
    if (declared === 0) return;
    const tolerance = context.config.thresholds.innovationMixTolerance;
    const shares = INNOVATION_TYPES.map((type) => ({ type, actual: (100 * (counts.get(type) ?? 0)) / declared, target: mix[type] ?? 0 }));
    if (shares.every((share) => Math.abs(share.actual - share.target) <= tolerance)) return;
    const undeclared = prds.length - declared;
    context.report({
      span,
      message:
        `The PRDs delivering this strategy drift from its innovation mix by more than ${tolerance} points: ` +
        shares.map((share) => `${share.type} ${Math.round(share.actual)}% (target ${share.target}%)`).join(', ') +
        ` across ${declared} PRD${declared === 1 ? '' : 's'}${undeclared ? ` (${undeclared} without \`innovation\`)` : ''}.`,
    });
  },
};
