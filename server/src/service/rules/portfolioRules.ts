/** Rules relating PRDs to the strategy they deliver: declared outcomes and the innovation mix. */
import { plural } from '../../../../common/wording';
import { z } from 'zod';
import { CodeActionKind, type CodeAction, type Diagnostic, type TextEdit } from 'vscode-languageserver-types';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { innovationTargetOf } from '../analysis/portfolio';
import { INNOVATION_TYPES } from '../model/schemas';
import type { ServiceState } from '../workspace/state';
import { defineRule } from './rule';
import { innovationMixTolerance } from '../model/thresholds';

export const prdOutcomeMismatch = defineRule({
  name: 'prd-outcome-mismatch',
  severity: 'info',
  description: "A requirement traces to an outcome its PRD's front-matter `outcomes` does not list.",
  details: 'The quick fix adds it.',
  fix: {
    data: z.object({ outcomeId: z.string() }),
    actions: ({ state, document, diagnostic, data }) => {
      const action = addPrdOutcomeAction(state, document, data.outcomeId, diagnostic);
      return action ? [action] : [];
    },
  },
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
        ...(reported.has(reference.id) ? {} : { data: { outcomeId: reference.id } }),
      });
      reported.add(reference.id);
    }
  },
});

export const innovationMixDrift = defineRule({
  name: 'innovation-mix-drift',
  severity: 'info',
  description: ({ innovationMixTolerance }) =>
    `The PRDs delivering a strategy differ from its \`innovation_mix\` by more than ${innovationMixTolerance} points for some kind of bet.`,
  thresholds: [innovationMixTolerance],
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
        ` across ${plural(target.declared, 'PRD')}${target.undeclared ? ` (${target.undeclared} without \`innovation\`)` : ''}.`,
    });
  },
});

/** Adds an outcome to the PRD's front-matter `outcomes`, in the list style already used there. */
function addPrdOutcomeAction(state: ServiceState, document: TextDocument, outcomeId: string, diagnostic: Diagnostic): CodeAction | undefined {
  const index = state.currentIndex(document);
  const frontMatter = index?.frontMatter;
  if (!index || !frontMatter || frontMatter.endLine < 0) return undefined;
  const lineText = (line: number) => document.getText({ start: { line, character: 0 }, end: { line: line + 1, character: 0 } }).replace(/\r?\n$/, '');
  const at = (line: number, character: number, newText: string): TextEdit => ({ range: { start: { line, character }, end: { line, character } }, newText });
  // After the last outcome already listed, where the index says it is: a block item gets a
  // sibling line, a flow list (on one line or several) a `, ID` right after it.
  const listed = index.references.filter((reference) => reference.context === 'frontMatterOutcomes');
  const last = listed[listed.length - 1];
  const keySpan = frontMatter.keySpans.get('outcomes');
  let edit: TextEdit | undefined;
  if (last) {
    const item = /^(\s*)-\s/.exec(lineText(last.span.line));
    edit = item ? at(last.span.line + 1, 0, `${item[1]}- ${outcomeId}\n`) : at(last.span.line, last.span.end, `, ${outcomeId}`);
  } else if (!keySpan) {
    edit = at(frontMatter.endLine, 0, `outcomes: [${outcomeId}]\n`);
  } else {
    // The key with no outcome yet: `outcomes:`, `outcomes: []` or `outcomes: [ ]`.
    const text = lineText(keySpan.line);
    const value = text.slice(text.indexOf(':', keySpan.end) + 1);
    // Trimmed first: `^\s*…\s*$` around an optional group backtracks quadratically on a long run of spaces.
    if (!/^(?:\[\s*\])?\s*(?:#.*)?$/.test(value.trim())) return undefined;
    const valueStart = text.indexOf(':', keySpan.end) + 1;
    const comment = value.indexOf('#');
    edit = {
      range: {
        start: { line: keySpan.line, character: valueStart },
        end: { line: keySpan.line, character: comment === -1 ? text.length : valueStart + comment },
      },
      newText: ` [${outcomeId}]${comment === -1 ? '' : ' '}`,
    };
  }
  return {
    title: `Add ${outcomeId} to this PRD's front-matter \`outcomes\``,
    kind: CodeActionKind.QuickFix,
    diagnostics: [diagnostic],
    isPreferred: true,
    edit: { changes: { [document.uri]: [edit] } },
  };
}
