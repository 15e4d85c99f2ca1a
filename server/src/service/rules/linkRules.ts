/** `broken-link`: Markdown links next to IDs must lead to a strategy document, and to a heading in it. */
import { z } from 'zod';
import { CodeActionKind } from 'vscode-languageserver-types';
import type { Item } from '../model/model';
import { markdownLinksOf, type MarkdownHeading } from '../parse/markdownLinks';
import { decodeAnchor, linkTargetUri, relativeLink } from '../workspace/linkTargets';
import type { GraphQueries } from '../workspace/workspaceGraph';
import { defineRule } from './rule';

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
      return [
        {
          title: `Point the link at ${data.replacement}`,
          kind: CodeActionKind.QuickFix,
          diagnostics: [diagnostic],
          isPreferred: true,
          edit: { changes: { [document.uri]: [{ range: diagnostic.range, newText: data.replacement }] } },
        },
      ];
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
