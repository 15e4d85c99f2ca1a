/**
 * Review records: `Reviewed: OUT-1 2026-12-02, OBJ-2 2026-11-30` under an item, or front-matter
 * `reviewed_links` for the document's own links. The history fold dates a link from the commit
 * that last confirmed it, and `suspect-link` reads the dates; both read them here.
 */
import type { DocumentIndex, Item } from '../model/model';

/** `Reviewed: OUT-1 2026-12-02, OBJ-2 2026-11-30`: one entry per confirmed link, the ID then the date. */
const REVIEW_ENTRY = /([A-Za-z][\w.-]*)\s*(?:on\s+|@\s*|\(\s*)?(\d{4}-\d{2}-\d{2})\)?/g;
/** The attribute of review records (`Reviewed: OUT-1 2026-12-02`), lower-cased, and the front-matter key. */
export const REVIEWED_KEY = 'reviewed';
export const REVIEWED_FRONT_MATTER_KEY = 'reviewed_links';

/** Whether `YYYY-MM-DD` is a day of the calendar (`2026-13-45` is not). */
export function isCalendarDay(date: string): boolean {
  const time = Date.parse(`${date}T00:00:00Z`);
  return Number.isFinite(time) && new Date(time).toISOString().slice(0, 10) === date;
}

/** The confirmations a review record holds, by target ID: the latest date of each. A date that is no day of the calendar confirms nothing. */
export function reviewEntries(value: unknown): Map<string, string> {
  const entries = new Map<string, string>();
  const texts = Array.isArray(value) ? value.filter((entry): entry is string => typeof entry === 'string') : typeof value === 'string' ? [value] : [];
  for (const text of texts) {
    for (const match of text.slice(0, 10_000).matchAll(REVIEW_ENTRY)) {
      const [, id, date] = match;
      if (!id || !date || !isCalendarDay(date)) continue;
      const known = entries.get(id);
      if (!known || known < date) entries.set(id, date);
    }
  }
  return entries;
}

/** An item's review record: its `Reviewed:` attribute, or for the document's own item its front-matter `reviewed_links`. */
export function reviewRecordOf(item: Item, document: DocumentIndex): Map<string, string> | undefined {
  if (item.isDocument) {
    const value = document.frontMatter?.data[REVIEWED_FRONT_MATTER_KEY];
    return value === undefined ? undefined : reviewEntries(value);
  }
  const record = item.attributes.find((attribute) => attribute.name === REVIEWED_KEY);
  return record ? reviewEntries(record.value) : undefined;
}

/**
 * The entries of a `Reviewed:` value that confirm nothing, with why: an ID without a date
 * (`OUT-2`, `OUT-2 soon`, `OUT-2 15/11/2026`), a date that is no day (`2026-13-45`), or a day after
 * `latest` (the latest day a review may carry: tomorrow in UTC, for reviewers ahead of it), which
 * would hide every change until then. Entries are separated by `,` or `;`.
 */
export function unusableReviewEntries(value: string, latest: string): { entry: string; offset: number; why: string }[] {
  const found: { entry: string; offset: number; why: string }[] = [];
  const text = value.slice(0, 10_000);
  let offset = 0;
  for (const part of text.split(/[,;]/)) {
    const start = offset + (part.length - part.trimStart().length);
    offset += part.length + 1;
    const entry = part.trim();
    if (entry === '' || !/^[A-Za-z][\w.]*-/.test(entry)) continue;
    const match = /^([A-Za-z][\w.-]*)\s*(?:on\s+|@\s*|\(\s*)?(\d{4}-\d{2}-\d{2})\)?$/.exec(entry);
    const date = match?.[2];
    const why = !date
      ? 'has no date written as YYYY-MM-DD'
      : !isCalendarDay(date)
        ? `has ${date}, which is no day of the calendar`
        : date > latest
          ? `is dated ${date}, after today`
          : undefined;
    if (why) found.push({ entry, offset: start, why });
    if (found.length >= 20) break;
  }
  return found;
}
