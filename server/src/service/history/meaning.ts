/**
 * What an item means, as far as a link to it is concerned: its title, its body text and its
 * figures, each reduced to a hash after whitespace is collapsed. Two versions of an item mean the
 * same when the three agree. `Current:` is a check-in, not a change of meaning, and neither are the
 * item's own links, its status, owner, confidence or review records: those attributes are left out.
 */
import type { DocumentIndex, Item } from '../model/model';
import { LINK_CONTEXTS } from '../model/model';
import { isJsWhitespace } from '../parse/text';

/** Attributes that do not change what an item means (by lower-cased key). */
export const NOT_MEANING_ATTRIBUTES: ReadonlySet<string> = new Set([
  'current',
  'confidence',
  'commitment',
  'status',
  'owner',
  'owners',
  'team',
  'reviewed',
  'updated',
  'last updated',
]);

export interface ItemMeaning {
  readonly title: number;
  readonly body: number;
  /** `name=hash` per figure, sorted by name, joined with `|`: compared whole, split to say which figure changed. */
  readonly figures: string;
}

/** The parts in which two meanings differ, in words: `title`, `text`, `Target`, `Due`… (empty: they mean the same). */
export function meaningDifference(before: ItemMeaning, after: ItemMeaning): string[] {
  const parts: string[] = [];
  if (before.title !== after.title) parts.push('title');
  if (before.body !== after.body) parts.push('text');
  if (before.figures !== after.figures) {
    const old = figureMap(before.figures);
    const now = figureMap(after.figures);
    for (const [name, hash] of now) if (old.get(name) !== hash) parts.push(figureLabel(name));
    for (const name of old.keys()) if (!now.has(name)) parts.push(figureLabel(name));
  }
  return parts;
}

export function sameMeaning(a: ItemMeaning, b: ItemMeaning): boolean {
  return a.title === b.title && a.body === b.body && a.figures === b.figures;
}

/** `target` → `Target`, as the attribute is usually written. */
function figureLabel(name: string): string {
  return name.charAt(0).toUpperCase() + name.slice(1);
}

function figureMap(figures: string): Map<string, string> {
  const map = new Map<string, string>();
  if (figures === '') return map;
  for (const entry of figures.split('|')) {
    const at = entry.lastIndexOf('=');
    map.set(entry.slice(0, at), entry.slice(at + 1));
  }
  return map;
}

/** 1 for the characters a normalised hash treats as whitespace (space, \t \n \v \f \r, no-break space). */
const WHITESPACE = new Uint8Array(0x10000);
for (const code of [9, 10, 11, 12, 13, 32, 0xa0]) WHITESPACE[code] = 1;

/**
 * A 32-bit FNV-1a hash of text up to whitespace: two texts hash alike (bar collisions) when they
 * are equal once runs of whitespace are collapsed to one space and the ends trimmed. Each
 * non-whitespace character is hashed with one bit that says whether whitespace came between it
 * and the previous one, which makes the same classes without building the collapsed text. Fed
 * range by range (no substring is made: a 10,000-document history hashes every body once).
 *
 * The loop has no branch on the character: whitespace is unpredictable in prose, and with
 * branches hashing 74 MB of text took 0.34 s; without, 0.13 s.
 */
class NormalisedHasher {
  private hash = 0x811c9dc5;
  /** 1 when whitespace came after a non-whitespace character not yet followed by another. */
  private gap = 0;
  /** 1 once a non-whitespace character was hashed. */
  private started = 0;

  add(text: string, start = 0, end = text.length): this {
    let hash = this.hash;
    let gap = this.gap;
    let started = this.started;
    for (let i = start; i < end; i++) {
      const code = text.charCodeAt(i);
      // 1 for whitespace, else 0; `-space` is then all ones or none, selecting without a branch.
      const space = WHITESPACE[code]!;
      const mixed = Math.imul(hash ^ (code | (gap << 16)), 0x01000193);
      hash = (hash & -space) | (mixed & (space - 1));
      gap = (gap | started) & -space;
      started |= 1 - space;
    }
    this.hash = hash;
    this.gap = gap;
    this.started = started;
    return this;
  }

  /** A line break between two ranges: whitespace, so it collapses with its neighbours. */
  space(): this {
    this.gap |= this.started;
    return this;
  }

  value(): number {
    return this.hash >>> 0;
  }

  /** Back to the hash of no text. */
  reset(): this {
    this.hash = 0x811c9dc5;
    this.gap = 0;
    this.started = 0;
    return this;
  }
}

/** The normalised hash of a whole string (see `NormalisedHasher`). */
export function normalisedHash(text: string): number {
  return sharedHasher.reset().add(text).value();
}

/** One hasher for every whole string: a 10,000-file history hashes hundreds of thousands of titles and figures. */
const sharedHasher = new NormalisedHasher();

/** Collapses whitespace, for values shown or compared as text (a check-in's `Current:` value). */
export function normaliseWhitespace(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/**
 * Whether `index` reads as made from `text`: every item's ID and title, attribute value and
 * reference is where the index says, and the line count agrees. A host may offer the index of a
 * file as it read it earlier; if the file changed since (an event not yet reported), the index
 * is refused and the version parsed afresh. Conservative: a mismatch only costs the parse.
 * `starts` is `lineStartsOf(text)`, for a caller that also works out the meanings.
 */
export function indexFitsText(index: DocumentIndex, text: string, starts: Int32Array = lineStartsOf(text)): boolean {
  if (starts.length !== index.lineCount || text.length - starts[starts.length - 1]! !== index.lastLineLength) return false;
  const at = (line: number, start: number, expected: string) => {
    const lineStart = starts[line];
    return lineStart !== undefined && text.startsWith(expected, lineStart + start);
  };
  // A title is the end of its line, bar closing marks (`**`, a closing `#` sequence): text added
  // after it in the file (`### OUT-1: Title (v2)`) is then seen, which a substring test would miss.
  // Compared in place: a 10,000-file history checks every title once.
  const endsWithTitle = (line: number, title: string) => {
    const lineStart = starts[line];
    if (lineStart === undefined) return false;
    let end = line + 1 < starts.length ? starts[line + 1]! - 1 : text.length;
    while (end > lineStart && isTrailingMark(text.charCodeAt(end - 1))) end--;
    let titleEnd = title.length;
    while (titleEnd > 0 && isTrailingMark(title.charCodeAt(titleEnd - 1))) titleEnd--;
    if (end - lineStart < titleEnd) return false;
    for (let k = 1; k <= titleEnd; k++) if (text.charCodeAt(end - k) !== title.charCodeAt(titleEnd - k)) return false;
    return true;
  };
  for (const item of index.items) {
    if (!at(item.idSpan.line, item.idSpan.start, item.id)) return false;
    if (!item.isDocument && item.title !== '' && !endsWithTitle(item.line, item.title)) return false;
    for (const attribute of item.attributes) if (!at(attribute.line, attribute.valueStart, attribute.value)) return false;
  }
  for (const reference of index.references) {
    const span = reference.span;
    if (!at(span.line, span.start, reference.id)) return false;
  }
  return true;
}

/** Whether a title ends with this code unit for `endsWithTitle`: `#`, `*`, `_` or what `\s` matches in a RegExp. */
export function isTrailingMark(code: number): boolean {
  return code === 0x23 || code === 0x2a || code === 0x5f || isJsWhitespace(code);
}

/** Line starts of `text`, so a line is sliced without splitting the whole text. */
export function lineStartsOf(text: string): Int32Array {
  let count = 1;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) count++;
  const starts = new Int32Array(count);
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts[line++] = i + 1;
  return starts;
}

/**
 * The meaning of every item of one document version, by ID (the first definition of an ID in the
 * document wins). `text` is the text `index` was made from; `starts` its `lineStartsOf`.
 */
export function itemMeanings(index: DocumentIndex, text: string, starts: Int32Array = lineStartsOf(text)): Map<string, ItemMeaning> {
  const meanings = new Map<string, ItemMeaning>();
  if (!index.participates || index.items.length === 0) return meanings;
  const lines = new LineMarks(text, starts);
  // Lines that hold links, review records or other attributes are not body text.
  for (const reference of index.references) if (LINK_CONTEXTS.has(reference.context)) lines.markLink(reference.span.line);
  const itemLines = new Int32Array(index.items.length);
  index.items.forEach((item, k) => (itemLines[k] = item.line));
  itemLines.sort();
  const nextItemLine = (line: number) => {
    // First item line after `line` (binary search).
    let low = 0;
    let high = itemLines.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (itemLines[middle]! <= line) low = middle + 1;
      else high = middle;
    }
    return low < itemLines.length ? itemLines[low]! : Number.POSITIVE_INFINITY;
  };
  const frontMatterEnd = index.frontMatter?.endLine ?? -1;
  for (const item of index.items) {
    if (meanings.has(item.id)) continue;
    meanings.set(item.id, meaningOf(item, lines, nextItemLine, frontMatterEnd));
  }
  return meanings;
}

/**
 * One version's lines, for hashing an item's body: which hold links (for every item), which hold
 * the attributes of the item being hashed (`markAttributes` starts a new item), hashed in place.
 * Typed arrays rather than a set per item: a 10,000-file history works out the meaning of every item.
 */
class LineMarks {
  private readonly links: Uint8Array;
  private readonly attributes: Int32Array;
  private item = 0;

  constructor(
    private readonly text: string,
    private readonly starts: Int32Array,
  ) {
    this.links = new Uint8Array(starts.length);
    this.attributes = new Int32Array(starts.length);
  }

  markLink(line: number): void {
    if (line >= 0 && line < this.links.length) this.links[line] = 1;
  }

  isLink(line: number): boolean {
    return this.links[line] === 1;
  }

  /** Marks the lines of one item's attributes, forgetting the previous item's. */
  markAttributes(item: Item): void {
    this.item++;
    for (const attribute of item.attributes) if (attribute.line >= 0 && attribute.line < this.attributes.length) this.attributes[attribute.line] = this.item;
  }

  /** Whether `line` is body text of the item last marked: neither a link nor one of its attributes. */
  isBody(line: number): boolean {
    return this.links[line] !== 1 && this.attributes[line] !== this.item;
  }

  addLine(hasher: NormalisedHasher, line: number): void {
    const start = this.starts[line];
    if (start === undefined) return;
    hasher.add(this.text, start, line + 1 < this.starts.length ? this.starts[line + 1]! - 1 : this.text.length).space();
  }
}

/** The body's hasher, apart from `sharedHasher`, which hashes the title and figures meanwhile. */
const bodyHasher = new NormalisedHasher();

function meaningOf(item: Item, lines: LineMarks, nextItemLine: (line: number) => number, frontMatterEnd: number): ItemMeaning {
  lines.markAttributes(item);
  const figures: string[] = [];
  for (const attribute of item.attributes) {
    if (NOT_MEANING_ATTRIBUTES.has(attribute.name) || lines.isLink(attribute.line)) continue;
    figures.push(`${attribute.name}=${normalisedHash(attribute.value)}`);
  }
  figures.sort();
  // The body: the item's own lines up to the next item (a child's section is the child's), after the front-matter.
  const first = Math.max(item.line + 1, frontMatterEnd + 1);
  const last = Math.min(item.endLine, nextItemLine(item.line) - 1);
  const body = bodyHasher.reset();
  for (let line = first; line <= last; line++) if (lines.isBody(line)) lines.addLine(body, line);
  return { title: normalisedHash(item.title), body: body.value(), figures: figures.length === 0 ? '' : figures.join('|') };
}
