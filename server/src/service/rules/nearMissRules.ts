/**
 * What was not understood, said instead of dropped: definition lines that are near misses of
 * `ID: title` (found while indexing, see parse/definitions.ts), and attribute keys that look like
 * a misspelt or paraphrased `Traces:` or `Supports:` in front of IDs.
 */
import { z } from 'zod';
import type { CodeAction, Diagnostic } from 'vscode-languageserver-types';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Attribute, Item, ItemKind } from '../model/model';
import { BUILT_IN_ATTRIBUTE_KEYS } from '../model/config';
import { ANY_ID } from '../parse/ids';
import { editDistance } from '../parse/text';
import { defineRule, problemRule, replaceRangeAction } from './rule';

export const unrecognisedDefinition = defineRule({
  name: 'unrecognised-definition',
  severity: 'warning',
  description:
    'A heading, list item, bold paragraph or table cell looks like the definition of an ID but is not written `ID: title` (a kind word that does not match the ID, no separator, a bracketed ID). It is read as the definition anyway; a plain list item such as `- REQ-14 Export` only when attributes follow it, else it is reported only when its ID is defined nowhere.',
  details: 'The quick fix rewrites the line to `ID: title`.',
  fix: {
    data: z.object({ id: z.string(), replacement: z.string() }),
    actions: ({ document, diagnostic, data }): CodeAction[] => {
      // The diagnostic has been to the editor and back: only rewrite a line that still names the ID.
      if (!document.getText(diagnostic.range).includes(data.id)) return [];
      return [replaceRangeAction(document, diagnostic, `Rewrite as \`${data.replacement}\``, data.replacement)];
    },
  },
  check(context) {
    for (const problem of context.problems) {
      if (problem.rule !== 'unrecognised-definition') continue;
      // A possible definition (`- REQ-14 Export`) is a list of IDs when the ID is defined elsewhere.
      if (problem.unlessDefined !== undefined && context.graph.definitionCount(problem.unlessDefined) > 0) continue;
      const id = idIn(problem.replacement ?? '');
      context.report({
        span: problem.span,
        message: problem.message,
        ...(problem.replacement !== undefined && id ? { data: { id, replacement: problem.replacement } } : {}),
      });
    }
  },
});

export const unconfiguredPrefix = defineRule({
  name: 'unconfigured-prefix',
  severity: 'warning',
  description:
    'A heading, list item, bold paragraph or table cell starts with a kind word and an ID whose prefix is not configured (`### Objective CO-1: Grow revenue` without a `CO` prefix), so it defines nothing: add the prefix to `prefixes` in `.throughline.yml`.',
  details:
    'Reported only when the ID has a digit (`CO-1`, `OKR-2.1`) and is followed by a separator (`:`, a dash) or by nothing. No quick fix: the edit is to `.throughline.yml`.',
  check(context) {
    for (const problem of context.problems) {
      if (problem.rule === 'unconfigured-prefix') context.report({ span: problem.span, message: problem.message });
    }
  },
});

/** The ID a canonical replacement defines: `ID: title`, `ID:`, (a table cell) `ID` or (a bold paragraph) `**ID: title**`. */
function idIn(text: string): string | undefined {
  const unbolded = text.startsWith('**') ? text.slice(2) : text;
  const colon = unbolded.indexOf(':');
  return (colon === -1 ? unbolded : unbolded.slice(0, colon)) || undefined;
}

/** Keys that mean `Traces:` (a requirement delivers an outcome), lower-cased. A `Set`: looked up with user text. */
const TRACES_LIKE: ReadonlySet<string> = new Set([
  'trace',
  'traced',
  'traced to',
  'traces to',
  'trace to',
  'tracing',
  'outcome',
  'outcomes',
  'serves',
  'serve',
  'delivers',
  'delivers on',
  'for outcome',
  'for outcomes',
  'linked outcome',
  'linked outcomes',
]);

/** Keys that mean `Supports:` (an outcome serves an objective or key result), lower-cased. */
const SUPPORTS_LIKE: ReadonlySet<string> = new Set([
  'support',
  'supported',
  'supported by',
  'supports to',
  'supporting',
  'objective',
  'objectives',
  'key result',
  'key results',
  'kr',
  'krs',
  'okr',
  'okrs',
  'aligns to',
  'aligned to',
  'aligns with',
  'aligned with',
  'contributes to',
  'ladders up to',
  'ladders to',
]);

/** Keys Throughline reads; never a near miss. */
const KNOWN_KEYS = BUILT_IN_ATTRIBUTE_KEYS;

type LinkKey = 'Traces' | 'Supports';

/** The quick fix of a near-miss key: the key as written, rewritten to the one Throughline reads, if the diagnostic's range still holds it. */
function rewriteKey(document: TextDocument, diagnostic: Diagnostic, data: { key: string; replacement: string }): CodeAction[] {
  if (document.getText(diagnostic.range) !== data.key) return [];
  return [replaceRangeAction(document, diagnostic, `Change \`${data.key}\` to \`${data.replacement}\``, data.replacement)];
}

/** The link key a near-miss key most likely means, or undefined when it is no near miss of one. */
function linkKeyFor(name: string, item: Item, idKinds: readonly ItemKind[]): LinkKey | undefined {
  if (KNOWN_KEYS.has(name)) return undefined;
  const traces = TRACES_LIKE.has(name) || editDistance(name, 'traces', 2) <= 2;
  const supports = SUPPORTS_LIKE.has(name) || editDistance(name, 'supports', 2) <= 2;
  if (!traces && !supports) return undefined;
  // What the IDs are decides, when they agree: outcomes are traced to, objectives and key results supported.
  const allOutcomes = idKinds.every((kind) => kind === 'outcome');
  const allObjectives = idKinds.every((kind) => kind === 'objective' || kind === 'keyResult');
  if (item.kind === 'requirement' && allOutcomes) return 'Traces';
  if (item.kind === 'outcome' && allObjectives) return 'Supports';
  if (allOutcomes && traces) return 'Traces';
  if (allObjectives && supports) return 'Supports';
  return undefined;
}

export const unknownLinkKey = defineRule({
  name: 'unknown-link-key',
  severity: 'warning',
  description:
    'An attribute whose key looks like `Traces` or `Supports` (`Outcome:`, `Traced to:`, `Serves:`, `Supported by:`, a misspelling …) names IDs, but is no link: the IDs are not linked.',
  details: 'The quick fix rewrites the key. Only keys in front of outcome, objective or key result IDs are reported.',
  fix: {
    data: z.object({ key: z.string(), replacement: z.enum(['Traces', 'Supports']) }),
    actions: ({ document, diagnostic, data }) => rewriteKey(document, diagnostic, data),
  },
  check(context) {
    const { config } = context;
    // A table header is the key of every row's cell: one diagnostic per key written.
    const reported = new Set<string>();
    for (const item of context.document.items) {
      for (const attribute of item.attributes) {
        const kinds = idKindsIn(attribute, config.prefixes);
        if (kinds.length === 0) continue;
        const replacement = linkKeyFor(attribute.name, item, kinds);
        if (!replacement) continue;
        const span = attribute.keySpan;
        const where = `${span.line}:${span.start}`;
        if (reported.has(where)) continue;
        reported.add(where);
        context.report({
          span,
          message: `\`${attribute.key}:\` is not a link key, so ${item.id} is not linked to what it names: did you mean \`${replacement}:\`?`,
          data: { key: attribute.key, replacement },
        });
      }
    }
  },
});

/** The kinds of the IDs with a configured prefix in an attribute's value (at most a few dozen: values are one line). */
function idKindsIn(attribute: Attribute, prefixes: ReadonlyMap<string, ItemKind>): ItemKind[] {
  const kinds: ItemKind[] = [];
  if (attribute.value.indexOf('-') === -1) return kinds;
  ANY_ID.lastIndex = 0;
  for (let match = ANY_ID.exec(attribute.value); match; match = ANY_ID.exec(attribute.value)) {
    const kind = prefixes.get(match[0].slice(0, match[0].indexOf('-')));
    if (kind) kinds.push(kind);
  }
  return kinds;
}

type FigureKey = 'Baseline' | 'Target' | 'Current';

/** Keys PMs write for a key result's figures, lower-cased, by the key Throughline reads. */
const FIGURE_LIKE: ReadonlyMap<string, FigureKey> = new Map([
  ...['actual', 'actuals', 'progress', 'now', 'today', 'latest', 'achieved', 'to date', 'current value', 'currently', 'value now'].map(
    (key) => [key, 'Current'] as const,
  ),
  ...['goal', 'aim', 'target value', 'targets', 'to'].map((key) => [key, 'Target'] as const),
  ...['start', 'starting point', 'starting value', 'from', 'was', 'before', 'baseline value', 'base'].map((key) => [key, 'Baseline'] as const),
]);

/** The figure key a near-miss key most likely means, or undefined. Misspellings need four letters, so `To:` is only ever a synonym. */
function figureKeyFor(name: string): FigureKey | undefined {
  if (KNOWN_KEYS.has(name)) return undefined;
  const synonym = FIGURE_LIKE.get(name);
  if (synonym) return synonym;
  if (name.length < 4) return undefined;
  // One edit (`Curent`, `Tagret` is two and not caught): two would take `Currency` for `Current`.
  for (const key of ['Current', 'Target', 'Baseline'] as const) if (editDistance(name, key.toLowerCase(), 1) <= 1) return key;
  return undefined;
}

export const unknownFigureKey = defineRule({
  name: 'unknown-figure-key',
  severity: 'warning',
  description:
    'A key result has no `Current:`, `Target:` or `Baseline:` but an attribute whose key looks like one (`Actual:`, `Progress:`, `Goal:`, `Start:`, a misspelling …) with a number: the figure is not read, so the key result counts as 0% done or cannot be measured.',
  details: 'The quick fix rewrites the key. A key result that has the figure already is never reported.',
  fix: {
    data: z.object({ key: z.string(), replacement: z.enum(['Baseline', 'Target', 'Current']) }),
    actions: ({ document, diagnostic, data }) => rewriteKey(document, diagnostic, data),
  },
  check(context) {
    // A table header is the key of every row's cell: one diagnostic per key written.
    const reported = new Set<string>();
    for (const item of context.document.items) {
      if (item.kind !== 'keyResult') continue;
      for (const attribute of item.attributes) {
        // A figure has a number; a date (`Start: 2027-01-15`) is when, not how much.
        if (!/\d/.test(attribute.value) || /^\d{4}-\d{2}/.test(attribute.value.trim())) continue;
        const replacement = figureKeyFor(attribute.name);
        if (!replacement || item.attributes.some((other) => other.name === replacement.toLowerCase())) continue;
        const span = attribute.keySpan;
        const where = `${span.line}:${span.start}`;
        if (reported.has(where)) continue;
        reported.add(where);
        const cost = replacement === 'Current' ? 'counts as 0% done' : 'cannot be measured';
        context.report({
          span,
          message: `\`${attribute.key}:\` is not a key Throughline reads, so ${item.id} has no \`${replacement}:\` and ${cost}: did you mean \`${replacement}:\`?`,
          data: { key: attribute.key, replacement },
        });
      }
    }
  },
});

export const unreadAttribute = problemRule({
  name: 'unread-attribute',
  severity: 'warning',
  description:
    "A paragraph of `Key: value` lines with a key Throughline reads (`Current:`, `Supports:` …) sits inside an item's section or list item, but prose or another block comes between it and the item's line, so it is not read as the item's attributes.",
  details:
    'Attributes are read right below the item, and in paragraphs of attributes only that follow them with blank lines between (`Target: 50%`, a blank line, `Current: 45%`).',
});
