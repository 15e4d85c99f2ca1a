/** Rules relating PRDs to the strategy they deliver: declared outcomes and the innovation mix. */
import { innovationTargetOf } from '../portfolio';
import { INNOVATION_TYPES } from '../schemas';
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

export const innovationMixDrift: Rule = {
  name: 'innovation-mix-drift',
  check(context) {
    const { document, graph } = context;
    const span = document.frontMatter?.keySpans.get('innovation_mix');
    if (!span || document.frontMatter?.type !== 'strategy') return;
    const target = innovationTargetOf(graph, document, context.config.thresholds.innovationMixTolerance);
    if (!target || target.declared === 0) return;
    const shares = INNOVATION_TYPES.map((type) => ({ type, actual: target.actual[type] ?? 0, wanted: target.mix[type] ?? 0 }));
    if (shares.every((share) => Math.abs(share.actual - share.wanted) <= target.tolerance)) return;
    context.report({
      span,
      message:
        `The PRDs delivering this strategy drift from its innovation mix by more than ${target.tolerance} points: ` +
        shares.map((share) => `${share.type} ${Math.round(share.actual)}% (target ${share.wanted}%)`).join(', ') +
        ` across ${target.declared} PRD${target.declared === 1 ? '' : 's'}${target.undeclared ? ` (${target.undeclared} without \`innovation\`)` : ''}.`,
    });
  },
};
