/** Rules on the life of documents: stale approvals and links to what has been deprecated. */
import { LINK_CONTEXTS, type Item } from '../model/model';
import { parseIsoDate } from '../parse/quantity';
import { defineRule } from './rule';
import { staleAfterDays } from '../model/thresholds';

const DAY = 86_400_000;
const REVIEWED_STATUSES = new Set(['approved', 'review']);

function dateOf(value: unknown): Date | undefined {
  if (value instanceof Date && !Number.isNaN(value.getTime())) return value;
  return typeof value === 'string' ? parseIsoDate(value) : undefined;
}

export const staleDocument = defineRule({
  name: 'stale-document',
  severity: 'info',
  description: ({ staleAfterDays }) => `An \`approved\` or \`review\` document was last \`updated\` more than ${staleAfterDays} days ago.`,
  thresholds: [staleAfterDays],
  check(context) {
    const { document, today } = context;
    const frontMatter = document.frontMatter;
    const status = frontMatter?.data['status'];
    if (!frontMatter || typeof status !== 'string' || !REVIEWED_STATUSES.has(status)) return;
    const updated = dateOf(frontMatter.data['updated']);
    const span = frontMatter.keySpans.get('updated');
    if (!updated || !span) return;
    const days = Math.floor((today.getTime() - updated.getTime()) / DAY);
    const limit = context.config.thresholds.staleAfterDays;
    if (days <= limit) return;
    // The message names the date, not the number of days, so that it reads the same every day
    // and a baseline (which matches problems by message) keeps matching it.
    context.report({
      span,
      message: `This ${status} document was last updated on ${updated.toISOString().slice(0, 10)}, more than ${limit} days ago: review it and bump \`updated\`, or mark it deprecated.`,
    });
  },
});

/** The item itself, or the document holding it, when either is deprecated. */
function deprecatedHolder(item: Item, documentItemOf: (uri: string) => Item | undefined): Item | undefined {
  if (item.status === 'deprecated') return item;
  if (item.isDocument) return undefined;
  // The document item of the item's own file: its ID may be defined elsewhere too.
  const document = documentItemOf(item.uri);
  return document?.status === 'deprecated' ? document : undefined;
}

export const deprecatedTarget = defineRule({
  name: 'deprecated-target',
  severity: 'warning',
  description: 'A link points at an item, or into a document, whose status is deprecated.',
  details: 'A deprecated item may keep its links.',
  check(context) {
    const { document, graph } = context;
    const own = new Map(document.items.map((item) => [item.id, item]));
    // Looked up once per file: a document with thousands of links would otherwise scan its items per link.
    // Only the document item is read, so a title edit elsewhere in that file does not re-check this one.
    const documentItems = new Map<string, Item | undefined>();
    const documentItemOf = (uri: string) => {
      if (!documentItems.has(uri)) documentItems.set(uri, graph.documentItem(uri));
      return documentItems.get(uri);
    };
    for (const reference of document.references) {
      if (!LINK_CONTEXTS.has(reference.context)) continue;
      // A deprecated item may keep pointing at deprecated things: they go together.
      const source = reference.fromId ? own.get(reference.fromId) : undefined;
      if (source && deprecatedHolder(source, documentItemOf)) continue;
      // An ID defined more than once is duplicate-id's problem; which definition is meant is unknown.
      if (graph.definitionCount(reference.id) !== 1) continue;
      const target = graph.definition(reference.id)!;
      const holder = deprecatedHolder(target, documentItemOf);
      if (!holder) continue;
      context.report({
        span: reference.span,
        message:
          holder === target
            ? `${target.id} is deprecated: link to its replacement instead.`
            : `${target.id} is in ${holder.id}, which is deprecated: link to its replacement instead.`,
        related: [{ uri: holder.uri, span: holder.idSpan, message: `${holder.id} is marked deprecated` }],
      });
    }
  },
});
