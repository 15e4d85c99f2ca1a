/**
 * Rules over the strategy's git history (history/): links whose target changed meaning after the
 * link was last reviewed. Without a history (no repository, a shallow clone) they stay silent.
 */
import { z } from 'zod';
import { CodeActionKind, type CodeAction, type TextEdit } from 'vscode-languageserver-types';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { LINK_CONTEXTS, type DocumentIndex, type Item, type Reference } from '../model/model';
import type { HistoryQueries } from '../history/strategyHistory';
import { commitDay, type MeaningChange } from '../history/historyFold';
import type { GraphQueries } from '../workspace/workspaceGraph';
import { linksByItem } from '../workspace/relations';
import { defineRule } from './rule';
import { REVIEWED_FRONT_MATTER_KEY, REVIEWED_KEY, reviewEntries, reviewRecordOf, unusableReviewEntries } from '../history/reviews';

/** When `item` last confirmed its link to `targetId` in a review record (YYYY-MM-DD), if it did. */
function reviewedOn(item: Item | undefined, document: DocumentIndex, targetId: string): string | undefined {
  return item ? reviewRecordOf(item, document)?.get(targetId) : undefined;
}

function earlierDay(a: string, b: string): string {
  return a < b ? a : b;
}

/** The latest day a review may be dated: today, or tomorrow for a reviewer whose day is ahead of UTC. */
export function latestReviewDay(today: Date): string {
  return isoDay(today.getTime() + 86_400_000);
}

function isoDay(time: number): string {
  return new Date(time).toISOString().slice(0, 10);
}

/** The change that makes a link suspect, or undefined when the link was written or reviewed after the target's last change. */
export function suspectChange(
  history: HistoryQueries,
  graph: GraphQueries,
  link: { fromId: string; toId: string; uri: string },
  source: { item: Item | undefined; document: DocumentIndex },
  today: Date,
): { change: MeaningChange; target: Item } | undefined {
  const target = graph.definition(link.toId);
  // A link to a deprecated item is reported as such (deprecated-target): relinking it, not confirming it, is the fix.
  if (!target || target.status === 'deprecated') return undefined;
  const change = history.lastChange(link.toId, target.uri);
  if (!change) return undefined;
  const written = history.linkWritten(link.fromId, link.toId, link.uri);
  // A link the history does not know (an untracked file), or one written since the last commit, was written with the target in view.
  if (!written || written.commit === undefined) return undefined;
  if (change.commit !== undefined && written.commit.order >= change.commit.order) return undefined;
  const reviewed = reviewedOn(source.item, source.document, link.toId);
  // The earlier of the committer's day and the UTC day: a review is dated by the reviewer's clock
  // (the quick fix writes the UTC day), so a change committed at 08:00 in Tokyo, still the day
  // before in UTC, and one committed on a California evening, already the next day in UTC, are
  // both covered by a review of the day their author saw.
  const changedOn = change.commit ? earlierDay(commitDay(change.commit), isoDay(change.commit.time)) : isoDay(today.getTime());
  // A review dated after today (give or take a time zone) confirms nothing (`invalid-review` says so): it would hide every change until then.
  if (reviewed !== undefined && reviewed >= changedOn && reviewed <= latestReviewDay(today)) return undefined;
  return { change, target };
}

/** "its title and Target changed on 2026-10-03 in a1b2c3d (Ana: Sharpen the outcome)", or "… changed in edits not yet committed". */
export function describeChange(change: MeaningChange): string {
  const parts = change.parts.length === 1 ? change.parts[0] : `${change.parts.slice(0, -1).join(', ')} and ${change.parts.at(-1)}`;
  const what = `its ${parts} changed`;
  if (!change.commit) return `${what} in edits not yet committed`;
  const { commit } = change;
  return `${what} on ${commitDay(commit)} in ${commit.sha.slice(0, 7)} (${commit.author}: ${commit.subject})`;
}

const VERB: Record<Reference['context'], string> = {
  traces: 'serves',
  frontMatterOutcomes: 'serves',
  supports: 'supports',
  frontMatterVision: 'serves',
  prose: 'names',
};

const suspectData = z.object({ from: z.string().max(200), to: z.string().max(200), date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/) });
type SuspectData = z.infer<typeof suspectData>;

export const suspectLink = defineRule({
  name: 'suspect-link',
  severity: 'warning',
  description:
    'A `Traces:`, `Supports:` or front-matter link whose target changed meaning (title, text or figures other than `Current:`) after the link was written or last confirmed, judged from git history.',
  details:
    'The quick fix "Confirm REQ-1 still serves OUT-1" records the review in the document (`Reviewed: OUT-1 2026-12-02`). A requirement whose outcome is itself suspect against its objective gets a hint on its link.',
  fix: {
    data: suspectData,
    actions: (context) => confirmActions(context.document, context.index, context.diagnostic, context.data),
  },
  check(context) {
    const { document, graph, history, today } = context;
    // Until a history is read (the server reads it after the first diagnostics) nothing can be suspect.
    if (!history.hasHistory()) return;
    const items = new Map<string, Item>();
    for (const item of document.items) if (!items.has(item.id)) items.set(item.id, item);
    for (const reference of document.references) {
      if (!LINK_CONTEXTS.has(reference.context) || reference.fromId === undefined) continue;
      const link = { fromId: reference.fromId, toId: reference.id, uri: document.uri };
      const source = { item: items.get(reference.fromId), document };
      const suspect = suspectChange(history, graph, link, source, today);
      const verb = VERB[reference.context];
      if (suspect) {
        context.report({
          span: reference.span,
          message: `${reference.id} changed after ${reference.fromId}'s link to it was last reviewed: ${describeChange(suspect.change)}. Check that ${reference.fromId} still ${verb} ${reference.id}, then confirm the link.`,
          related: [{ uri: suspect.target.uri, span: suspect.target.idSpan, message: `${reference.id} is defined here` }],
          data: { from: reference.fromId, to: reference.id, date: today.toISOString().slice(0, 10) } satisfies SuspectData,
        });
        continue;
      }
      // Transitive: the target is itself suspect against what it links to.
      const target = graph.definition(reference.id);
      if (!target) continue;
      const targetDocument = graph.document(target.uri);
      if (!targetDocument) continue;
      for (const upward of linksOfItems(targetDocument).get(target.id) ?? []) {
        const above = suspectChange(history, graph, { fromId: target.id, toId: upward.id, uri: target.uri }, { item: target, document: targetDocument }, today);
        if (!above) continue;
        context.report({
          span: reference.span,
          severity: 'hint',
          message: `${reference.id} is itself suspect: ${upward.id} changed after ${reference.id}'s link to it was last reviewed (${describeChange(above.change)}). ${reference.fromId}'s chain may be stale until ${reference.id} is confirmed.`,
          related: [{ uri: above.target.uri, span: above.target.idSpan, message: `${upward.id} is defined here` }],
        });
        break;
      }
    }
  },
});

/**
 * A document's links by the ID of the item that writes them, made once per document object the
 * rule is handed. While diagnostics are computed that is the recording graph's view of the
 * document, one per checked document: a PRD's many links into the same strategy file share one
 * lookup, instead of scanning the strategy file's references once per link.
 */
const linksOfItemsCache = new WeakMap<DocumentIndex, Map<string, Reference[]>>();
function linksOfItems(document: DocumentIndex): Map<string, Reference[]> {
  let links = linksOfItemsCache.get(document);
  if (!links) linksOfItemsCache.set(document, (links = linksByItem(document.references)));
  return links;
}

/** "Confirm REQ-1 still serves OUT-1": writes or updates the source item's review record with the date of the check. */
function confirmActions(document: TextDocument, index: DocumentIndex, diagnostic: { range: { start: { line: number } } }, data: SuspectData): CodeAction[] {
  const item = index.items.find((candidate) => candidate.id === data.from);
  if (!item) return [];
  const reference = index.references.find((candidate) => candidate.fromId === data.from && candidate.id === data.to);
  const verb = reference ? VERB[reference.context] : 'serves';
  const edit = item.isDocument ? frontMatterRecordEdit(document, index, data) : attributeRecordEdit(document, item, data);
  if (!edit) return [];
  return [
    {
      title: `Confirm ${data.from} still ${verb} ${data.to}`,
      kind: CodeActionKind.QuickFix,
      diagnostics: [diagnostic as never],
      isPreferred: true,
      edit: { changes: { [document.uri]: [edit] } },
    },
  ];
}

function withEntry(existing: Map<string, string>, data: SuspectData): string {
  existing.set(data.to, data.date);
  return [...existing].map(([id, date]) => `${id} ${date}`).join(', ');
}

function lineText(document: TextDocument, line: number): string {
  return document.getText({ start: { line, character: 0 }, end: { line: line + 1, character: 0 } }).replace(/\r?\n$/, '');
}

/** Below the item's last attribute, as that attribute is written (`- Reviewed: …` under `- Traces: …`). */
function attributeRecordEdit(document: TextDocument, item: Item, data: SuspectData): TextEdit | undefined {
  if (item.inTable) return undefined;
  const record = item.attributes.find((attribute) => attribute.name === REVIEWED_KEY);
  if (record) {
    const span = record.valueSpan;
    return {
      range: { start: { line: span.line, character: span.start }, end: { line: span.line, character: span.end } },
      newText: withEntry(reviewEntries(record.value), data),
    };
  }
  const last = item.attributes.filter((attribute) => attribute.keyLine === attribute.line).at(-1);
  if (!last) return undefined;
  const text = lineText(document, last.line);
  const prefix = text.slice(0, last.keyStart);
  const end = { line: last.line, character: text.length };
  const eol = document.getText().includes('\r\n') ? '\r\n' : '\n';
  return { range: { start: end, end }, newText: `${eol}${prefix}Reviewed: ${data.to} ${data.date}` };
}

/** `reviewed_links: [OUT-1 2026-12-02]` in the front-matter: an inline list rewritten, or the key added before the closing `---`. */
function frontMatterRecordEdit(document: TextDocument, index: DocumentIndex, data: SuspectData): TextEdit | undefined {
  const frontMatter = index.frontMatter;
  if (!frontMatter) return undefined;
  const eol = document.getText().includes('\r\n') ? '\r\n' : '\n';
  for (let line = frontMatter.startLine + 1; line < frontMatter.endLine; line++) {
    const text = lineText(document, line);
    const match = /^reviewed_links:\s*(.*)$/.exec(text);
    if (!match) continue;
    const value = match[1]!.trim();
    // A block list below the key: one more entry.
    if (value === '') {
      return {
        range: { start: { line: line, character: text.length }, end: { line: line, character: text.length } },
        newText: `${eol}  - ${data.to} ${data.date}`,
      };
    }
    const start = text.length - match[1]!.length;
    return {
      range: { start: { line, character: start }, end: { line, character: text.length } },
      newText: `[${withEntry(reviewEntries(frontMatter.data[REVIEWED_FRONT_MATTER_KEY]), data)}]`,
    };
  }
  const closing = { line: frontMatter.endLine, character: 0 };
  return { range: { start: closing, end: closing }, newText: `reviewed_links: [${data.to} ${data.date}]${eol}` };
}

export const invalidReview = defineRule({
  name: 'invalid-review',
  severity: 'warning',
  description:
    'An entry of a `Reviewed:` record has no date (`OUT-2`, `OUT-2 15/11/2026`), a date that is no day of the calendar (`2026-13-45`), or a date after today: it confirms nothing.',
  details: 'A confirmation is the ID and the day it was reviewed, `Reviewed: OUT-2 2026-12-02`, as the `suspect-link` quick fix writes it.',
  check(context) {
    const today = context.today.toISOString().slice(0, 10);
    const latest = latestReviewDay(context.today);
    for (const item of context.document.items) {
      const record = item.attributes.find((attribute) => attribute.name === REVIEWED_KEY);
      if (!record || item.isDocument) continue;
      for (const { entry, offset, why } of unusableReviewEntries(record.value, latest)) {
        const start = record.valueStart + offset;
        context.report({
          span: { line: record.line, start, end: start + entry.length },
          message: `\`${entry}\` ${why}, so it confirms nothing: write the ID and the day it was reviewed, as \`${entry.split(/\s/)[0]} ${today}\`.`,
        });
      }
    }
  },
});
