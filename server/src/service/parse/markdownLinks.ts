/**
 * Inline link destinations and heading anchors of one document, for the `broken-link` rule and
 * rename. A linear scanner over the text (no RegExp that could backtrack), run at indexing time
 * on the block structure `indexDocument` found and kept on the index under a symbol
 * (`markdownLinksOf`), so rules read other documents' anchors through the graph and no text is
 * retained.
 *
 * What counts:
 * - inline links `[text](destination "title")` on one line, outside the front-matter, multi-line
 *   code and HTML blocks (as the index found them) and code spans; images `![…](…)`,
 *   reference-style links and autolinks are not links here; nor are links whose destination
 *   starts with a URL scheme (`https:`, `mailto:`), which lead out of the workspace;
 * - a link is *next to* an ID when its text starts with the ID (`[OUT-3](…)`, `[OUT-3: Title](…)`),
 *   or when it follows the ID on the same line with nothing between but spaces and at most one
 *   opening parenthesis (`OUT-3 [spec](…)`, `OUT-3 ([spec](…))`). `OUT-3, see [spec](…)` is not.
 * - a heading's anchor is its GitHub slug: the rendered text lower-cased, everything but letters,
 *   marks, digits, connector punctuation, spaces and `-` removed, spaces turned into `-`, and
 *   `-1`, `-2`, … appended to repeats in document order.
 */
import type { DocumentIndex, Item, ParseProblem } from '../model/model';
import { computeLineStarts, shared, urlSchemeEnd } from './text';

/** One line of text to scan: its number and its offsets (line ending excluded). */
interface InlineLine {
  readonly line: number;
  readonly start: number;
  readonly end: number;
}

export interface MarkdownLink {
  /** The ID the link is next to, if any. */
  readonly id?: string;
  readonly line: number;
  /** The destination as written, and its columns on the line (UTF-16). */
  readonly destination: string;
  readonly start: number;
  readonly end: number;
  /** The destination up to `#` (may be empty: a link into the same document). */
  readonly path: string;
  /** The fragment after `#`, or undefined when there is none. */
  readonly anchor?: string;
}

export interface MarkdownHeading {
  readonly line: number;
  /** The heading's text as written (lines joined by a space). */
  readonly text: string;
  /** Its anchor, duplicates numbered. */
  readonly slug: string;
}

export interface MarkdownLinkIndex {
  readonly links: readonly MarkdownLink[];
  readonly headings: readonly MarkdownHeading[];
}

/**
 * Links examined per document and characters of a destination kept. Beyond them the rest is not
 * checked, and a `markdown-limit` warning says where (`withMarkdownLinks`).
 */
export const MAX_LINKS = 10_000;
export const MAX_DESTINATION = 2048;

/** Where a document went past what is read of its links: the first link not examined, the first destination too long. */
interface LinkLimits {
  beyondCount?: { readonly line: number; readonly start: number; readonly end: number };
  tooLong?: { readonly line: number; readonly start: number; readonly end: number };
}

const LINKS = Symbol('markdownLinks');
const EMPTY: MarkdownLinkIndex = { links: [], headings: [] };

/** Scans `text` and keeps the result on `index` (an own enumerable property, so a spread copy keeps it too). */
export function withMarkdownLinks<T extends DocumentIndex>(index: T, text: string, lineStarts?: readonly number[]): T {
  if (!index.participates) return index;
  const limits: LinkLimits = {};
  const links = scanMarkdownLinks(text, index, limits, lineStarts);
  const problems = limitProblems(limits);
  const kept = problems.length === 0 ? index : { ...index, problems: [...index.problems, ...problems] };
  Object.defineProperty(kept, LINKS, { value: links, enumerable: true });
  return kept;
}

function limitProblems(limits: LinkLimits): ParseProblem[] {
  const problems: ParseProblem[] = [];
  if (limits.beyondCount)
    problems.push({
      rule: 'markdown-limit',
      severity: 'warning',
      message: `This document has more than ${MAX_LINKS.toLocaleString('en-US')} Markdown links: Throughline checks the first ${MAX_LINKS.toLocaleString('en-US')}, and this link and the ones after it are not checked.`,
      span: limits.beyondCount,
    });
  if (limits.tooLong)
    problems.push({
      rule: 'markdown-limit',
      severity: 'warning',
      message: `This link's destination is longer than ${MAX_DESTINATION.toLocaleString('en-US')} characters: Throughline does not check it.`,
      span: limits.tooLong,
    });
  return problems;
}

/** What `withMarkdownLinks` kept for a document; empty when it was indexed without it. */
export function markdownLinksOf(index: DocumentIndex): MarkdownLinkIndex {
  return (index as unknown as { [LINKS]?: MarkdownLinkIndex })[LINKS] ?? EMPTY;
}

/**
 * The links and headings of `text`, on the block structure the index already found (its heading
 * sections, its code and HTML blocks, its front-matter), so no second block scan is made: headings
 * are the lines `sections` starts at; links are looked for only on lines that hold `](`, outside
 * multi-line code and HTML blocks and the front-matter.
 */
export function scanMarkdownLinks(
  text: string,
  layout: Pick<DocumentIndex, 'sections' | 'foldableBlocks' | 'frontMatter' | 'items'>,
  limits: LinkLimits = {},
  // The indexer's, when it has them: the same table, not made twice.
  lineStarts: readonly number[] = computeLineStarts(text),
): MarkdownLinkIndex {
  const lineEnd = (line: number) => {
    let end = line + 1 < lineStarts.length ? lineStarts[line + 1]! : text.length;
    while (end > lineStarts[line]! && (text.charCodeAt(end - 1) === 10 || text.charCodeAt(end - 1) === 13)) end--;
    return end;
  };
  const headingLines: number[] = [];
  const headingTexts: HeadingText[] = [];
  const namedBy = itemsNamingHeadings(layout.items);
  for (let i = 0; i + 2 < layout.sections.length; i += 3) {
    const line = layout.sections[i]!;
    if (line >= lineStarts.length) continue;
    headingLines.push(line);
    const headingText = headingTextOf(text, lineStarts[line]!, lineEnd(line));
    headingTexts.push(namedBy(line, headingText) ?? shared(headingText));
  }
  const links: MarkdownLink[] = [];
  let at = text.indexOf('](', layout.frontMatter && layout.frontMatter.endLine >= 0 ? (lineStarts[layout.frontMatter.endLine + 1] ?? text.length) : 0);
  if (at === -1) return new LinkIndex(links, headingLines.slice(), headingTexts.slice());
  const excluded = layout.foldableBlocks.filter((block) => block.kind !== 'region').sort((a, b) => a.startLine - b.startLine);
  let block = 0;
  let line = 0;
  // Past MAX_LINKS lines are scanned only until the first link not kept, which the warning points at.
  while (at !== -1 && limits.beyondCount === undefined) {
    while (line + 1 < lineStarts.length && lineStarts[line + 1]! <= at) line++;
    while (block < excluded.length && excluded[block]!.endLine < line) block++;
    const end = lineEnd(line);
    if (!(block < excluded.length && excluded[block]!.startLine <= line) && !onlyUrlsFollow(text, at, end))
      scanLine(text, { line, start: lineStarts[line]!, end }, lineStarts[line]!, links, limits);
    at = text.indexOf('](', end);
  }
  // Copies of exactly their length: the index keeps them.
  return new LinkIndex(links.slice(), headingLines.slice(), headingTexts.slice());
}

/**
 * A document's links and headings. The headings' anchors are made when first asked for (a link
 * into the document, a rename): most documents' never are, and each anchor is a string kept.
 */
class LinkIndex implements MarkdownLinkIndex {
  private made: readonly MarkdownHeading[] | undefined;

  constructor(
    readonly links: readonly MarkdownLink[],
    private readonly headingLines: readonly number[],
    private readonly headingTexts: readonly HeadingText[],
  ) {}

  get headings(): readonly MarkdownHeading[] {
    if (this.made === undefined) {
      const slugs = new Map<string, number>();
      this.made = this.headingTexts.map((written, k) => {
        const text = typeof written === 'string' ? written : itemHeading(written);
        return { line: this.headingLines[k]!, text, slug: shared(uniqueSlug(githubSlug(text), slugs)) };
      });
    }
    return this.made;
  }
}

/**
 * A heading's text, or the item whose `ID: title` it is, character for character. Most headings
 * of a strategy document are its items' (`### REQ-1: Title`): the index keeps the item anyway, so
 * the text is not kept a second time (at 10,000 PRDs, 99,000 strings and 12 MB).
 */
type HeadingText = string | Pick<Item, 'id' | 'title'>;

function itemHeading(item: Pick<Item, 'id' | 'title'>): string {
  return `${item.id}: ${item.title}`;
}

/** For a heading on `line` with `text`: the item it names exactly (defined on that line, or the document's own item), if any. */
function itemsNamingHeadings(items: readonly Item[]): (line: number, text: string) => Item | undefined {
  const byLine = new Map<number, Item>();
  let documentItem: Item | undefined;
  for (const item of items) {
    if (item.isDocument) documentItem ??= item;
    else if (!byLine.has(item.line)) byLine.set(item.line, item);
  }
  const names = (item: Item | undefined, text: string) =>
    item !== undefined && text.length === item.id.length + 2 + item.title.length && text === itemHeading(item);
  return (line, text) => {
    const item = byLine.get(line);
    if (names(item, text)) return item;
    if (names(documentItem, text)) return documentItem;
    return undefined;
  };
}

/** An ATX heading's text (`## Title ##` → `Title`), or a setext heading's first line, block-quote markers dropped. */
function headingTextOf(text: string, start: number, end: number): string {
  let from = start;
  while (from < end && (isSpace(text.charCodeAt(from)) || text.charCodeAt(from) === 0x3e)) from++;
  if (text.charCodeAt(from) !== 0x23) return text.slice(from, end).trim();
  while (from < end && text.charCodeAt(from) === 0x23) from++;
  let to = end;
  while (to > from && isSpace(text.charCodeAt(to - 1))) to--;
  let hashes = to;
  while (hashes > from && text.charCodeAt(hashes - 1) === 0x23) hashes--;
  if (hashes < to && (hashes === from || isSpace(text.charCodeAt(hashes - 1)))) to = hashes;
  return text.slice(from, to).trim();
}

/** Anchors of a list of heading texts, numbered as GitHub numbers repeats. */
export function headingSlugs(texts: readonly string[]): string[] {
  const seen = new Map<string, number>();
  return texts.map((headingText) => uniqueSlug(githubSlug(headingText), seen));
}

function uniqueSlug(slug: string, seen: Map<string, number>): string {
  let result = slug;
  let count = seen.get(slug);
  if (count !== undefined) {
    do result = `${slug}-${++count}`;
    while (seen.has(result));
    seen.set(slug, count);
  }
  seen.set(result, seen.get(result) ?? 0);
  return result;
}

const SLUG_CHARACTER = /^[\p{L}\p{M}\p{N}\p{Pc}]$/u;

/**
 * GitHub's anchor for a heading written as `text` (inline links and images reduced to their text):
 * lower case, letters, marks, digits and connector punctuation kept, spaces turned into `-`, `-`
 * kept, everything else dropped. ASCII is decided by its code; other characters by their Unicode
 * category (a one-character test, so no pattern runs over the text).
 */
export function githubSlug(text: string): string {
  const lower = renderedText(text).toLowerCase();
  const ascii = asciiSlug(lower);
  if (ascii !== undefined) return ascii;
  let slug = '';
  for (const character of lower) {
    const c = character.charCodeAt(0);
    if (c < 0x80) {
      if ((c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39) || c === 0x5f || c === 0x2d) slug += character;
      else if (c === 0x20) slug += '-';
    } else if (SLUG_CHARACTER.test(character)) slug += character;
  }
  return slug;
}

/**
 * `githubSlug` of lower-cased ASCII text, made from slices of the runs between the characters it
 * drops instead of character by character (the same characters kept, spaces turned into `-`);
 * undefined when the text has a non-ASCII character.
 */
function asciiSlug(lower: string): string | undefined {
  let slug = '';
  let run = 0;
  for (let i = 0; i < lower.length; i++) {
    const c = lower.charCodeAt(i);
    if (c >= 0x80) return undefined;
    if ((c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39) || c === 0x5f || c === 0x2d || c === 0x20) continue;
    if (i > run) slug += lower.slice(run, i);
    run = i + 1;
  }
  slug = run === 0 ? lower : slug + lower.slice(run);
  return slug.replaceAll(' ', '-');
}

/** `[text](dest)` → `text`, `![alt](src)` → `alt`; everything else as written (the slug drops the punctuation). */
function renderedText(text: string): string {
  if (!text.includes('](')) return text;
  let out = '';
  let index = 0;
  while (index < text.length) {
    const close = text.indexOf('](', index);
    if (close === -1) break;
    const end = text.indexOf(')', close + 2);
    if (end === -1) break;
    out += text.slice(index, close);
    index = end + 1;
  }
  return out + text.slice(index);
}

const isIdChar = (c: number) => (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x2e || c === 0x2d || c === 0x5f;
const isAlnum = (c: number) => (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
const isSpace = (c: number) => c === 0x20 || c === 0x09;

/** `token` as an ID (`PREFIX-SUFFIX`, trailing punctuation dropped), or undefined. */
function asId(token: string): string | undefined {
  let end = token.length;
  while (end > 0 && !isAlnum(token.charCodeAt(end - 1))) end--;
  const dash = token.indexOf('-');
  if (dash < 1 || dash + 1 >= end) return undefined;
  for (let i = 0; i < dash; i++) {
    const c = token.charCodeAt(i);
    if (c < 0x41 || c > 0x5a) return undefined;
  }
  if (!isAlnum(token.charCodeAt(dash + 1))) return undefined;
  return token.slice(0, end);
}

/** Where `needle` (one or two characters) first occurs in `text` between `start` and `end`, or -1; never looks past `end`. */
function indexBetween(text: string, needle: string, start: number, end: number): number {
  const first = needle.charCodeAt(0);
  const second = needle.length > 1 ? needle.charCodeAt(1) : -1;
  for (let i = start; i < end; i++) {
    if (text.charCodeAt(i) !== first) continue;
    if (second === -1) return i;
    if (i + 1 < end && text.charCodeAt(i + 1) === second) return i;
  }
  return -1;
}

/**
 * "Next index of `char` at or after `from`, before `end`" for any `from` on the line, from a table
 * built on first use in one backward pass over the line: linear, whatever order the scan asks in.
 */
function nextIndexFinder(text: string, char: string, start: number, end: number): (from: number) => number {
  let table: Int32Array | undefined;
  const code = char.charCodeAt(0);
  return (from) => {
    if (from >= end) return -1;
    if (!table) {
      table = new Int32Array(end - start);
      let next = -1;
      for (let i = end - 1; i >= start; i--) {
        if (text.charCodeAt(i) === code) next = i;
        table[i - start] = next;
      }
    }
    return table[Math.max(from, start) - start]!;
  };
}

/**
 * The inline links of one line. Brackets are matched with a stack, code spans skipped by matching
 * backtick runs of equal length (with one pass of pointers per length), parentheses of raw
 * destinations matched in one pass; every search moves forward, so the scan is linear.
 */
function scanLine(text: string, line: InlineLine, lineStart: number, links: MarkdownLink[], limits: LinkLimits): void {
  // The caller found a `](` on the line.
  const { start, end } = line;
  const codes = codeSpans(text, start, end);
  let code = 0;
  let parens: Int32Array | undefined;
  // Built on the first link that needs it; answers `at + 1` for a matched `(`, `-(at + 1)` for one that is not, 0 for none.
  const closeParen = (paren: number) => {
    const match = (parens ??= matchParens(text, start, end))[paren - start]!;
    return match > 0 ? match + start : match < 0 ? match - start : 0;
  };
  const nextQuote = nextIndexFinder(text, '"', start, end);
  const nextApostrophe = nextIndexFinder(text, "'", start, end);
  const nextAngle = nextIndexFinder(text, '>', start, end);
  const opens: number[] = [];
  let resumeAt = start;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x5c) {
      i++;
      continue;
    }
    // Code spans in order: `i` only moves forward, so one pointer finds a span starting here.
    while (code < codes.length && codes[code]! < i) code += 2;
    if (code < codes.length && codes[code] === i) {
      i = codes[code + 1]! - 1;
      continue;
    }
    if (c === 0x5b) opens.push(i);
    else if (c === 0x5d && opens.length > 0) {
      const open = opens.pop()!;
      if (text.charCodeAt(i + 1) !== 0x28 || open < resumeAt) continue;
      const image = open > start && text.charCodeAt(open - 1) === 0x21;
      const parsed = destinationAt(text, i + 1, end, closeParen, nextQuote, nextApostrophe, nextAngle);
      if (!parsed) continue;
      // A destination with a URL scheme leads out of the workspace: nothing reads it, so it is not kept (nor counted).
      const kept = !image && urlSchemeEnd(text, parsed.start, parsed.start + parsed.destination.length) === -1;
      if (kept && links.length >= MAX_LINKS) {
        limits.beyondCount = { line: line.line, start: open - lineStart, end: i + 1 - lineStart };
        return;
      }
      if (kept && parsed.destination.length > MAX_DESTINATION)
        limits.tooLong ??= { line: line.line, start: parsed.start - lineStart, end: Math.min(parsed.start + parsed.destination.length, line.end) - lineStart };
      else if (kept) {
        const id = idInLinkText(text.slice(open + 1, i)) ?? idBefore(text, start, open);
        const hash = parsed.destination.indexOf('#');
        // shared (a detached copy): a slice of the text would keep the whole document alive on the index.
        const destination = shared(parsed.destination);
        const linkStart = parsed.start - lineStart;
        const linkEnd = parsed.start + parsed.destination.length - lineStart;
        // Without a fragment the path is the destination itself: one string, not two copies.
        const path = hash === -1 ? destination : shared(parsed.destination.slice(0, hash));
        // Literal objects rather than spreads (the same properties, made without copying).
        if (hash === -1)
          links.push(
            id !== undefined
              ? { id: shared(id), line: line.line, destination, start: linkStart, end: linkEnd, path }
              : { line: line.line, destination, start: linkStart, end: linkEnd, path },
          );
        else {
          const anchor = shared(parsed.destination.slice(hash + 1));
          links.push(
            id !== undefined
              ? { id: shared(id), line: line.line, destination, start: linkStart, end: linkEnd, path, anchor }
              : { line: line.line, destination, start: linkStart, end: linkEnd, path, anchor },
          );
        }
      }
      // Brackets inside a link's text cannot open another link around it.
      opens.length = 0;
      resumeAt = parsed.close + 1;
      i = parsed.close;
    }
  }
}

/**
 * Whether every `](` on the line from `at` (the first) to `end` is followed right away by a URL
 * scheme (`https:`, `mailto:`). Every inline link's destination starts after its text's `](`, so
 * then every link on the line has a destination with a scheme, which `scanLine` does not keep:
 * the line need not be scanned. Prose full of web links is common, and its lines are long.
 */
function onlyUrlsFollow(text: string, at: number, end: number): boolean {
  for (let from = at; from !== -1 && from < end; from = text.indexOf('](', from + 2)) {
    if (urlSchemeEnd(text, from + 2, end) === -1) return false;
  }
  return true;
}

const NO_SPANS: readonly number[] = [];

/** The code spans of a line, in order, as pairs: start offset, offset just past the closing backticks. */
function codeSpans(text: string, start: number, end: number): readonly number[] {
  if (indexBetween(text, '`', start, end) === -1) return NO_SPANS;
  const spans: number[] = [];
  // Runs of backticks by length, in order.
  const runs = new Map<number, number[]>();
  const order: [number, number][] = [];
  for (let i = start; i < end; i++) {
    if (text.charCodeAt(i) === 0x5c) {
      i++;
      continue;
    }
    if (text.charCodeAt(i) !== 0x60) continue;
    let j = i;
    while (j < end && text.charCodeAt(j) === 0x60) j++;
    const length = j - i;
    let list = runs.get(length);
    if (!list) runs.set(length, (list = []));
    list.push(i);
    order.push([i, length]);
    i = j - 1;
  }
  const pointer = new Map<number, number>();
  let coveredUntil = start;
  for (const [position, length] of order) {
    if (position < coveredUntil) continue;
    const list = runs.get(length)!;
    let next = pointer.get(length) ?? 0;
    while (next < list.length && list[next]! <= position) next++;
    pointer.set(length, next);
    if (next >= list.length) continue;
    const closing = list[next]!;
    spans.push(position, closing + length);
    coveredUntil = closing + length;
    pointer.set(length, next + 1);
  }
  return spans;
}

/**
 * For each `(` (at `offset - start`): the offset of its matching `)`, or of the whitespace (or line
 * end) where it stopped being matchable, as `at - start + 1` when matched and `-(at - start + 1)`
 * when not; 0 where there is no `(`.
 */
function matchParens(text: string, start: number, end: number): Int32Array {
  const matched = new Int32Array(end - start);
  const stack: number[] = [];
  const flush = (at: number) => {
    for (let k = 0; k < stack.length; k++) matched[stack[k]! - start] = -(at - start + 1);
    stack.length = 0;
  };
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x5c) i++;
    else if (c === 0x28) stack.push(i);
    else if (c === 0x29 && stack.length) matched[stack.pop()! - start] = i - start + 1;
    else if (stack.length && isSpace(c)) flush(i);
  }
  flush(end);
  return matched;
}

/** The destination of a link whose `(` is at `paren`, and the offset of its closing `)`. */
function destinationAt(
  text: string,
  paren: number,
  end: number,
  /** `at + 1` for a `(` matched at `at`, `-(at + 1)` for one that stopped being matchable at `at`, 0 for none. */
  closeParen: (paren: number) => number,
  nextQuote: (from: number) => number,
  nextApostrophe: (from: number) => number,
  nextAngle: (from: number) => number,
): { destination: string; start: number; close: number } | undefined {
  let i = paren + 1;
  while (i < end && isSpace(text.charCodeAt(i))) i++;
  let destinationStart = i;
  let destinationEnd: number;
  if (text.charCodeAt(i) === 0x3c) {
    const angle = nextAngle(i + 1);
    if (angle === -1) return undefined;
    destinationStart = i + 1;
    destinationEnd = angle;
    i = angle + 1;
  } else if (i === paren + 1) {
    const match = closeParen(paren);
    if (match === 0) return undefined;
    destinationEnd = Math.abs(match) - 1;
    if (match > 0) return { destination: text.slice(destinationStart, destinationEnd), start: destinationStart, close: destinationEnd };
    i = destinationEnd;
  } else {
    // `( dest)`: rare; the destination runs to the next space or `)`.
    destinationEnd = i;
    while (destinationEnd < end && !isSpace(text.charCodeAt(destinationEnd)) && text.charCodeAt(destinationEnd) !== 0x29) destinationEnd++;
    i = destinationEnd;
  }
  while (i < end && isSpace(text.charCodeAt(i))) i++;
  const quote = text.charCodeAt(i);
  if (quote === 0x22 || quote === 0x27) {
    const closing = (quote === 0x22 ? nextQuote : nextApostrophe)(i + 1);
    if (closing === -1) return undefined;
    i = closing + 1;
    while (i < end && isSpace(text.charCodeAt(i))) i++;
  }
  if (text.charCodeAt(i) !== 0x29) return undefined;
  return { destination: text.slice(destinationStart, destinationEnd), start: destinationStart, close: i };
}

/** The ID a link's text starts with, as a whole token. */
function idInLinkText(linkText: string): string | undefined {
  let from = 0;
  while (from < linkText.length && isSpace(linkText.charCodeAt(from))) from++;
  let to = from;
  while (to < linkText.length && isIdChar(linkText.charCodeAt(to))) to++;
  return to > from ? asId(linkText.slice(from, to)) : undefined;
}

/** The ID right before a link: `OUT-3 [spec](…)` or `OUT-3 ([spec](…))`, nothing else between. */
function idBefore(text: string, lineStart: number, open: number): string | undefined {
  let i = open;
  while (i > lineStart && isSpace(text.charCodeAt(i - 1))) i--;
  if (i > lineStart && text.charCodeAt(i - 1) === 0x28) {
    i--;
    while (i > lineStart && isSpace(text.charCodeAt(i - 1))) i--;
  }
  const tokenEnd = i;
  while (i > lineStart && isIdChar(text.charCodeAt(i - 1))) i--;
  if (i === tokenEnd) return undefined;
  const token = text.slice(i, tokenEnd);
  // The token must be the whole ID: `OUT-3.` or `OUT-3-` before the link is punctuation between.
  const id = asId(token);
  return id !== undefined && id.length === token.length ? id : undefined;
}
