/**
 * Definition lines as product managers write them. `ID: title` is the canonical form; the
 * variants below are read as the same definition when the intent is unambiguous, and the
 * near misses are read as a definition too, but reported (`unrecognised-definition`) with the
 * canonical line as the quick fix. Scanned by hand, once per line: no regular expression runs on
 * the line.
 *
 * Accepted (no diagnostic):
 * - `ID – title`, `ID — title`, `ID - title` (en dash, em dash or spaced hyphen instead of `:`);
 * - bold IDs: `**ID**: title`, `**ID:** title`, `**ID — title**`, `__ID__: title`;
 * - a kind word that matches the ID's kind before it: `Objective OBJ-2: title`, `Key result KR-1.1 — title`;
 * - a paragraph whose first line is a bold definition with a separator: `**OUT-1 — title**`, `**OUT-1**: title`.
 *
 * Reported (indexed as the definition, with a warning and the canonical line as a fix):
 * - a kind word that does not match the ID's kind: `Outcome OBJ-2: title`;
 * - a heading, or a bold, bracketed or kind-worded list item, with no separator at all: `### OBJ-2 title`, `- **REQ-14** Export`;
 * - a plain list item `- REQ-14 Export` with no separator whose `Key: value` attributes follow (`attributesFollow`);
 * - a bracketed ID: `[OBJ-2] title`, `[OBJ-2]: title` (the handbook corpus's `## [KB-BAC-1] Process`).
 *
 * Not read, but reported (`unconfigured-prefix`, see `matchUnconfiguredDefinition`): a kind word
 * before an ID whose prefix is not configured, `### Objective CO-1: Grow revenue`.
 */
import { ITEM_KINDS, KIND_LABELS, type ItemKind } from '../model/model';
import type { ThroughlineConfig } from '../model/config';
import { detach } from './text';

export interface Definition {
  readonly id: string;
  readonly kind: ItemKind;
  /** Offsets of the ID in the text. */
  readonly idStart: number;
  readonly idEnd: number;
  /** Where the title starts (prose is scanned from here on). */
  readonly titleStart: number;
  readonly title: string;
  /** Set for a near miss: why it is not canonical, and the canonical text for `[start, end)` of the line. */
  readonly nearMiss?: { readonly message: string; readonly replacement: string };
}

/** Kind words, lower-cased, longest first (`key result` before a shorter word that could prefix it). */
const KIND_WORDS: readonly (readonly [string, ItemKind])[] = ITEM_KINDS.map((kind) => [KIND_LABELS[kind].toLowerCase(), kind] as const).sort(
  (a, b) => b[0].length - a[0].length,
);

const EN_DASH = 0x2013;
const EM_DASH = 0x2014;

function isUpper(c: number): boolean {
  return c >= 65 && c <= 90;
}

function isAlnum(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57);
}

function isSuffixChar(c: number): boolean {
  return isAlnum(c) || c === 46 || c === 95 || c === 45;
}

function hasDigit(text: string, start: number, end: number): boolean {
  for (let k = start; k < end; k++) {
    const c = text.charCodeAt(k);
    if (c >= 48 && c <= 57) return true;
  }
  return false;
}

function isBlank(c: number): boolean {
  return c === 32 || c === 9;
}

/** The ID (`PREFIX-SUFFIX`) starting exactly at `i`, not followed by an ID character; its end, or -1. */
export function idEndAt(text: string, i: number, end: number): { prefixEnd: number; end: number } | undefined {
  let k = i;
  while (k < end && isUpper(text.charCodeAt(k))) k++;
  if (k === i || k >= end || text.charCodeAt(k) !== 45 /* - */) return undefined;
  const prefixEnd = k;
  k++;
  if (k >= end || !isAlnum(text.charCodeAt(k))) return undefined;
  let last = k;
  for (k++; k < end && isSuffixChar(text.charCodeAt(k)); k++) if (isAlnum(text.charCodeAt(k))) last = k;
  // `OUT-1.` ends the ID at `1`; `OUT-1.x` is one ID. What follows the ID must not continue it.
  return { prefixEnd, end: last + 1 };
}

/** The kind word at `i` (case-insensitive) followed by spaces or tabs; where the next word starts. */
function kindWordAt(text: string, i: number, end: number): { kind: ItemKind; word: string; next: number } | undefined {
  const c = text.charCodeAt(i) | 0x20;
  if (c < 97 || c > 122) return undefined;
  for (const [word, kind] of KIND_WORDS) {
    if (i + word.length >= end || !startsWithLowercase(text, i, word)) continue;
    let k = i + word.length;
    if (!isBlank(text.charCodeAt(k))) continue;
    while (k < end && isBlank(text.charCodeAt(k))) k++;
    return { kind, word: text.slice(i, i + word.length), next: k };
  }
  return undefined;
}

/** Whether `text` at `i` reads `word` (lowercase) in any case, without allocating: this runs on every line start. */
function startsWithLowercase(text: string, i: number, word: string): boolean {
  for (let k = 0; k < word.length; k++) {
    const c = text.charCodeAt(i + k);
    const lower = c >= 65 && c <= 90 ? c | 0x20 : c;
    if (lower !== word.charCodeAt(k)) return false;
  }
  return true;
}

function boldMarkerAt(text: string, i: number): string | undefined {
  const c = text.charCodeAt(i);
  if ((c === 42 || c === 95) && text.charCodeAt(i + 1) === c) return c === 42 ? '**' : '__';
  return undefined;
}

/**
 * Where a definition line is written. A paragraph (`paragraph`) defines an item only when its first
 * line starts bold, the bold closes, and a separator follows the ID: `**OUT-1 — title**`,
 * `**OUT-1**: title`; a bold ID in running text (`**OUT-1** is late`) stays prose.
 */
export type DefinitionPlace = 'heading' | 'listItem' | 'cell' | 'paragraph';

const PICTOGRAPH = /^\p{Extended_Pictographic}$/u;

/**
 * Past what may stand before an ID on a heading or a list item and is no part of it: an emoji
 * (`## 🎯 OBJ-1: Grow`), a heading's own numbering (`## 1. OBJ-1: Grow`, `## 2.3 OBJ-1`) and a
 * task list's box (`- [ ] KR-3.1: Deals`). Without this the line defined nothing, and every link to
 * the ID was "defined nowhere". Each must be followed by a space; `start` when there is none.
 */
function skipDecoration(text: string, start: number, end: number, where: DefinitionPlace): number {
  if (where !== 'heading' && where !== 'listItem') return start;
  let i = start;
  const blankAfter = (at: number) => {
    if (at >= end || !isBlank(text.charCodeAt(at))) return -1;
    while (at < end && isBlank(text.charCodeAt(at))) at++;
    return at;
  };
  if (where === 'listItem' && isTaskBox(text, i)) {
    const after = blankAfter(i + 3);
    if (after !== -1) i = after;
  }
  const codePoint = text.codePointAt(i);
  if (codePoint !== undefined && codePoint > 0xff && PICTOGRAPH.test(String.fromCodePoint(codePoint))) {
    let next = i + (codePoint > 0xffff ? 2 : 1);
    if (text.charCodeAt(next) === 0xfe0f) next++; // the emoji presentation selector
    const after = blankAfter(next);
    if (after !== -1) i = after;
  }
  if (where === 'heading' && isDigit(text.charCodeAt(i))) {
    let next = i;
    do {
      while (next < end && isDigit(text.charCodeAt(next))) next++;
    } while (text.charCodeAt(next) === 46 /* . */ && isDigit(text.charCodeAt(next + 1)) && ++next);
    if (text.charCodeAt(next) === 46 /* . */ || text.charCodeAt(next) === 41 /* ) */) next++;
    const after = blankAfter(next);
    if (after !== -1) i = after;
  }
  return i;
}

/** `[ ]`, `[x]` or `[X]` at `at`: a task list's box. */
function isTaskBox(text: string, at: number): boolean {
  const mark = text.charCodeAt(at + 1);
  return text.charCodeAt(at) === 91 /* [ */ && text.charCodeAt(at + 2) === 93 /* ] */ && (mark === 32 || mark === 120 || mark === 88);
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/**
 * Reads `text[start, end)` (a heading's or list item's first line, a table's ID cell, or a
 * paragraph's first line) as a definition. `where` decides how much evidence a line without
 * separator needs: a heading starting with an ID is a definition; a list item needs a bold,
 * bracketed or kind-worded ID, or `Key: value` attributes right under it (`attributesFollow`); a
 * table cell may hold the ID alone; a paragraph always needs a separator.
 */
export function matchDefinition(
  text: string,
  start: number,
  end: number,
  config: ThroughlineConfig,
  where: DefinitionPlace,
  attributesFollow = false,
): Definition | undefined {
  return readDefinitionLine(text, start, end, config, where, attributesFollow, false);
}

/** What `matchUnconfiguredDefinition` finds: an ID after a kind word whose prefix is not configured. */
export interface UnconfiguredDefinition {
  readonly id: string;
  readonly prefix: string;
  /** The kind the kind word names. */
  readonly kind: ItemKind;
  readonly idStart: number;
  readonly idEnd: number;
}

/** Longest prefix a configuration accepts (see `prefixes` in model/config.ts): a longer one could not be added. */
const MAX_PREFIX_LENGTH = 32;

/**
 * A line that would define an item if its ID's prefix were configured, and says so with a kind
 * word: `### Objective CO-1: Grow revenue` with no `CO` prefix. Needs, more than a definition, a
 * kind word, a digit in the ID (`CO-1`, `OKR-2.1`; not `A-B testing`) and a separator after it or
 * nothing at all (`### Objective CO-1`; not `### PRD GDPR-2016 compliance`). Undefined for every
 * line `matchDefinition` reads, and for every other line.
 */
export function matchUnconfiguredDefinition(
  text: string,
  start: number,
  end: number,
  config: ThroughlineConfig,
  where: DefinitionPlace,
): UnconfiguredDefinition | undefined {
  const found = readDefinitionLine(text, start, end, config, where, false, true);
  if (!found) return undefined;
  const prefix = found.id.slice(0, found.id.indexOf('-'));
  return { id: found.id, prefix, kind: found.kind, idStart: found.idStart, idEnd: found.idEnd };
}

/**
 * `matchDefinition`, or (`unconfigured`) the same reading of a line whose ID's prefix is not
 * configured, its kind taken from the kind word (see `matchUnconfiguredDefinition`).
 */
function readDefinitionLine(
  text: string,
  start: number,
  end: number,
  config: ThroughlineConfig,
  where: DefinitionPlace,
  attributesFollow: boolean,
  unconfigured: boolean,
): Definition | undefined {
  if (end - start < 3) return undefined;
  const decorationEnd = skipDecoration(text, start, end, where);
  let i = decorationEnd;
  const bold = boldMarkerAt(text, i);
  if (bold) i += 2;
  else if (where === 'paragraph') return undefined;
  const kindWord = kindWordAt(text, i, end);
  if (kindWord) i = kindWord.next;
  let bracket = false;
  if (text.charCodeAt(i) === 91 /* [ */) {
    bracket = true;
    i++;
  }
  if (!isUpper(text.charCodeAt(i))) return undefined;
  const found = idEndAt(text, i, end);
  if (!found) return undefined;
  const prefix = text.slice(i, found.prefixEnd);
  let kind = config.prefixes.get(prefix);
  if (unconfigured) {
    if (kind || !kindWord || prefix.length > MAX_PREFIX_LENGTH || !hasDigit(text, found.prefixEnd + 1, found.end)) return undefined;
    kind = kindWord.kind;
  }
  if (!kind) return undefined;
  // A box defines a key result (`- [ ] KR-3.1: Close 20 deals`); a launch checklist's
  // `- [x] REQ-2: verified on staging` ticks off a requirement defined elsewhere.
  if (where === 'listItem' && kind !== 'keyResult' && decorationEnd > start && isTaskBox(text, start)) return undefined;
  const idStart = i;
  const idEnd = found.end;
  const next = idEnd < end ? text.charCodeAt(idEnd) : -1;
  // The ID must end here: `OUT-1x` was read whole; `OUT-1/2`, `OUT-1'` or `OUT-1.5%` are prose.
  let j = idEnd;
  if (bracket) {
    if (next !== 93 /* ] */) return undefined;
    j++;
  }
  let boldClosed = false;
  if (bold && text.startsWith(bold, j)) {
    boldClosed = true;
    j += 2;
  }
  let k = j;
  while (k < end && isBlank(text.charCodeAt(k))) k++;
  let separator: 'colon' | 'dash' | 'none' = 'none';
  const c = k < end ? text.charCodeAt(k) : -1;
  if (c === 58 /* : */) {
    k++;
    if (bold && !boldClosed && text.startsWith(bold, k)) {
      boldClosed = true;
      k += 2;
    }
    // As before: `ID:` must be followed by a space or the end (`OUT-1:2` is no definition).
    if (k < end && !isBlank(text.charCodeAt(k))) return undefined;
    separator = 'colon';
  } else if (c === EN_DASH || c === EM_DASH) {
    k++;
    separator = 'dash';
  } else if (c === 45 /* - */ && k > j && (k + 1 >= end || isBlank(text.charCodeAt(k + 1)))) {
    k++;
    separator = 'dash';
  } else if (k === j && c !== -1) {
    // Something sticks to the ID (`OUT-1/2`, `OUT-1's`, `OUT-1,`): prose.
    return undefined;
  }
  while (k < end && isBlank(text.charCodeAt(k))) k++;
  const titleStart = k;
  let titleEnd = end;
  while (titleEnd > titleStart && isBlank(text.charCodeAt(titleEnd - 1))) titleEnd--;
  if (bold && !boldClosed && titleEnd - titleStart >= 2 && text.startsWith(bold, titleEnd - 2)) {
    boldClosed = true;
    titleEnd -= 2;
    while (titleEnd > titleStart && isBlank(text.charCodeAt(titleEnd - 1))) titleEnd--;
  }
  const id = detach(text.slice(idStart, idEnd));
  const title = detach(text.slice(titleStart, titleEnd));
  const kindMismatch = kindWord !== undefined && kindWord.kind !== kind;

  // A bold paragraph is a definition only when the bold closes (after the ID or at the line's end).
  if (where === 'paragraph' && (!boldClosed || separator === 'none')) return undefined;
  // An unknown prefix is less evidence: an ID then words without separator (`PRD GDPR-2016 compliance`) is prose.
  if (unconfigured && separator === 'none' && titleStart < titleEnd) return undefined;
  let reason: string | undefined;
  if (separator === 'none') {
    const evidence = where === 'heading' || bold !== undefined || bracket || kindWord !== undefined || attributesFollow;
    if (where === 'cell') {
      // A table's ID cell holds the ID alone (maybe bold), or `ID: title`; `OUT-1 x` is prose.
      if (titleStart < titleEnd) return undefined;
    } else if (!evidence) {
      return undefined;
    } else {
      reason = `has no \`:\` after the ID`;
    }
  }
  if (kindMismatch) reason = `calls it "${kindWord.word}", and ${prefix}- is the prefix of ${KIND_LABELS[kind]}s, not ${KIND_LABELS[kindWord.kind]}s`;
  else if (bracket) reason = 'has its ID in brackets';
  if (reason === undefined) {
    return { id, kind, idStart, idEnd, titleStart, title: where === 'cell' && separator === 'none' ? '' : title };
  }
  // A table cell holds the ID alone; a line `ID:` at least; a paragraph stays bold (a plain `ID: title` paragraph defines nothing).
  const canonical = title ? `${id}: ${title}` : where === 'cell' ? id : `${id}:`;
  // The heading's number, the emoji or the box stay where they were (the fix rewrites the whole line).
  const replacement = where === 'paragraph' ? `**${canonical}**` : `${text.slice(start, decorationEnd)}${canonical}`;
  return {
    id,
    kind,
    idStart,
    idEnd,
    titleStart,
    title,
    nearMiss: {
      message: `This line reads as the definition of ${id}, but it ${reason}: write \`${replacement}\`.`,
      replacement,
    },
  };
}
