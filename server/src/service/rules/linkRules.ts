/**
 * Rules on how a link is written: `broken-link` (Markdown links next to IDs must lead to a
 * strategy document, and to a heading in it) and `id-range` (a range of IDs links its two ends).
 */
import { z } from 'zod';
import type { Item } from '../model/model';
import { ANY_ID } from '../parse/ids';
import { markdownLinksOf, type MarkdownHeading } from '../parse/markdownLinks';
import { decodeAnchor, linkTargetUri, relativeLink } from '../workspace/linkTargets';
import type { GraphQueries } from '../workspace/workspaceGraph';
import { defineRule, replaceRangeAction } from './rule';

export const brokenLink = defineRule({
  name: 'broken-link',
  severity: 'warning',
  description:
    'A Markdown link next to an ID (`[OUT-3](…)`, `OUT-3 ([spec](…))`) leads to a file that is not a strategy document of the workspace, or to an anchor that is not a heading of that file.',
  details: 'The quick fix points the link at the file that defines the ID, with the anchor of its heading.',
  fix: {
    data: z.object({ destination: z.string(), replacement: z.string() }),
    actions: ({ document, diagnostic, data }) => {
      if (document.getText(diagnostic.range) !== data.destination) return [];
      return [replaceRangeAction(document, diagnostic, `Point the link at ${data.replacement}`, data.replacement)];
    },
  },
  check(context) {
    const { document, graph } = context;
    const own = markdownLinksOf(document);
    for (const link of own.links) {
      // Only IDs of a configured prefix: `ISO-8601 [spec](…)` is no ID.
      if (link.id === undefined || !context.config.prefixes.has(link.id.slice(0, link.id.indexOf('-')))) continue;
      const target = linkTargetUri(document.uri, link.path);
      if (target === undefined) continue;
      const headings = target === document.uri ? own.headings : graph.headingsOf(target);
      const anchor = link.anchor === undefined || link.anchor === '' ? undefined : decodeAnchor(link.anchor);
      if (headings && (anchor === undefined || headings.some((heading) => heading.slug === anchor))) continue;
      const replacement = rightDestination(graph, document.uri, own.headings, link.id);
      const where = replacement !== undefined && replacement !== link.destination ? `; ${link.id} is at ${replacement}` : '';
      const span = { line: link.line, start: link.start, end: link.end };
      const message = headings
        ? `The link next to ${link.id} leads to #${link.anchor}, which is no heading of ${link.path === '' ? 'this document' : link.path}${where}.`
        : `The link next to ${link.id} leads to ${link.path}, which is not a strategy document of this workspace${where}.`;
      context.report({ span, message, ...(where ? { data: { destination: link.destination, replacement: replacement! } } : {}) });
    }
  },
});

/** The anchor of an item's heading: the heading written on its line, if it is one. */
export function anchorOfItem(item: Item, headings: readonly MarkdownHeading[] | undefined): string | undefined {
  if (item.isDocument || item.depth === 0) return undefined;
  return headings?.find((heading) => heading.line === item.line)?.slug;
}

/** Where a link next to `id` in `fromUri` should lead: the defining file (relative), with its heading's anchor. */
function rightDestination(graph: GraphQueries, fromUri: string, ownHeadings: readonly MarkdownHeading[], id: string): string | undefined {
  const definition = graph.definition(id);
  if (!definition) return undefined;
  const anchor = anchorOfItem(definition, definition.uri === fromUri ? ownHeadings : graph.headingsOf(definition.uri));
  const path = definition.uri === fromUri ? '' : relativeLink(fromUri, definition.uri);
  if (path === undefined) return undefined;
  const destination = `${path}${anchor ? `#${anchor}` : ''}`;
  return destination === '' ? undefined : destination;
}

/** How many IDs a range may name for its quick fix to write them all out; a longer one is only reported. */
const MAX_RANGE_WRITTEN_OUT = 30;

/**
 * Two IDs joined as a range: an en dash, a spaced `..` or `...`, `…`, or the words `to`, `through`,
 * `thru` (`OUT-1–OUT-3`, `OUT-1 to OUT-3`), or an ID, an en dash and a number (`OUT-1–3`). A hyphen
 * and an unspaced `..` are part of an ID (`OUT-1..OUT-3` is one unknown ID, which `unknown-reference`
 * reports), and an em dash starts a note, so none of them is a range here. A bare number after a
 * word (`OUT-1 to 3 weeks`) is prose.
 */
const RANGE = new RegExp(
  `(${ANY_ID.source})(?:(\\s*(?:\\u2013|\\.\\.\\.?|\\u2026)\\s*|\\s+(?:[Tt]o|[Tt]hrough|[Tt]hru)\\s+)(${ANY_ID.source})|\\s*\\u2013\\s*(\\d+)(?![\\w.-]))`,
  'g',
);

/**
 * What a range stands for, when its ends differ only in a last number (`KR-1.1`–`KR-1.4`): how
 * many IDs, and the IDs first to last when there are few enough to write out. Undefined when it
 * is no range: ends that do not match or run backwards, or that pad their numbers differently
 * (`OUT-01`–`OUT-3`: which is meant is unclear).
 */
function rangeOf(first: string, last: string): { count: number; ids: string[] | undefined } | undefined {
  const from = /^(.*?)(\d+)$/.exec(first);
  const to = /^(.*?)(\d+)$/.exec(last);
  if (!from || !to || from[1] !== to[1]) return undefined;
  const start = Number(from[2]);
  const end = Number(to[2]);
  if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end) || end <= start) return undefined;
  const padded = (digits: string) => digits.length > 1 && digits.startsWith('0');
  if ((padded(from[2]!) || padded(to[2]!)) && from[2]!.length !== to[2]!.length) return undefined;
  const count = end - start + 1;
  if (count > MAX_RANGE_WRITTEN_OUT) return { count, ids: undefined };
  // Keep the author's zero padding (`REQ-07`–`REQ-09`).
  const width = padded(from[2]!) ? from[2]!.length : 0;
  const ids: string[] = [];
  for (let n = start; n <= end; n++) ids.push(`${from[1]}${String(n).padStart(width, '0')}`);
  return { count, ids };
}

export const idRange = defineRule({
  name: 'id-range',
  severity: 'warning',
  description:
    'A `Traces:` or `Supports:` value names a range of IDs (`OUT-1–OUT-3`, `OUT-1 to OUT-3`, `OUT-1–3`): only the IDs written are links, not those between them.',
  details: 'The quick fix writes the IDs out (`OUT-1, OUT-2, OUT-3`), for ranges of up to 30.',
  fix: {
    data: z.object({ written: z.string(), replacement: z.string() }),
    actions: ({ document, diagnostic, data }) => {
      if (document.getText(diagnostic.range) !== data.written) return [];
      return [replaceRangeAction(document, diagnostic, `Write out ${data.replacement}`, data.replacement)];
    },
  },
  check(context) {
    for (const item of context.document.items) {
      let linkStarts: Set<string> | undefined;
      let linkedIds: Set<string> | undefined;
      for (const attribute of item.attributes) {
        if (attribute.name !== 'traces' && attribute.name !== 'supports') continue;
        const value = attribute.value;
        if (value.indexOf('-') === -1) continue;
        RANGE.lastIndex = 0;
        for (let match = RANGE.exec(value); match; match = RANGE.exec(value)) {
          const first = match[1]!;
          const lastNumber = match[4];
          const last = match[3] ?? (lastNumber !== undefined ? first.replace(/\d+$/, lastNumber) : '');
          const range = rangeOf(first, last);
          // `OUT-1–2027` is more likely a year than 2,027 outcomes.
          if (!range || (lastNumber !== undefined && !range.ids)) continue;
          const written = match[0];
          const start = attribute.valueStart + match.index;
          // A range inside a note (`OUT-1 (later OUT-2–OUT-4)`) is a mention, not links.
          linkStarts ??= new Set(context.linksFrom(item.id).map((reference) => `${reference.span.line}:${reference.span.start}`));
          if (!linkStarts.has(`${attribute.line}:${start}`)) continue;
          const span = { line: attribute.line, start, end: start + written.length };
          const linked = lastNumber === undefined ? [first, last] : [first];
          // What the range leaves out, less what the value links elsewhere (`OUT-1–OUT-3, OUT-2`).
          linkedIds ??= new Set(context.linksFrom(item.id).map((reference) => reference.id));
          const between = range.ids?.filter((id) => !linked.includes(id) && !linkedIds!.has(id));
          if (between?.length === 0) continue;
          const unlinked =
            between && between.length <= 5 ? `${listed(between)} ${between.length === 1 ? 'is' : 'are'}` : `the ${range.count - linked.length} IDs in it are`;
          const message =
            `\`${written}\` links ${listed(linked)} only: a range is not read, so ${unlinked} not linked. ` +
            (range.ids ? `Write them out: \`${range.ids.join(', ')}\`.` : 'Write each ID out.');
          context.report({ span, message, ...(range.ids ? { data: { written, replacement: range.ids.join(', ') } } : {}) });
        }
      }
    }
  },
});

/** `A`, `A and B`, `A, B and C`. */
function listed(ids: readonly string[]): string {
  return ids.length <= 1 ? (ids[0] ?? '') : `${ids.slice(0, -1).join(', ')} and ${ids[ids.length - 1]}`;
}
