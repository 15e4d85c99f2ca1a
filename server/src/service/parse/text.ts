/** Offsets of the first character of every line; handles `\n`, `\r\n` and lone `\r`. */
export function computeLineStarts(text: string): number[] {
  const starts = [0];
  if (text.indexOf('\r') === -1) {
    // Fast path: indexOf is vectorised, far faster than a charCodeAt loop over megabytes.
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
    return starts;
  }
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) starts.push(i + 1);
    else if (c === 13) {
      if (text.charCodeAt(i + 1) === 10) i++;
      starts.push(i + 1);
    }
  }
  return starts;
}

/** Line containing `offset` (binary search over line starts). */
export function lineAt(lineStarts: readonly number[], offset: number): number {
  let low = 0;
  let high = lineStarts.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if (lineStarts[mid]! <= offset) low = mid;
    else high = mid - 1;
  }
  return low;
}

interface OffsetPosition {
  line: number;
  character: number;
}

export function positionAtOffset(lineStarts: readonly number[], offset: number): OffsetPosition {
  const line = lineAt(lineStarts, offset);
  return { line, character: offset - lineStarts[line]! };
}

/** Damerau-free Levenshtein distance, bounded: returns `limit + 1` as soon as the distance exceeds `limit`. */
export function editDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let previous = new Array<number>(b.length + 1);
  let current = new Array<number>(b.length + 1);
  for (let j = 0; j <= b.length; j++) previous[j] = j;
  for (let i = 1; i <= a.length; i++) {
    current[0] = i;
    let rowMin = current[0];
    for (let j = 1; j <= b.length; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
      if (current[j]! < rowMin) rowMin = current[j]!;
    }
    if (rowMin > limit) return limit + 1;
    [previous, current] = [current, previous];
  }
  return previous[b.length]!;
}

/**
 * A copy of a short string that does not keep the whole document text alive. V8 represents
 * `text.slice()` results of 13+ characters as views into the parent string, so an index holding
 * titles would otherwise retain every file's full text. Joining two pieces makes one flat string of
 * exactly the value (`(value + ' ').slice(0, -1)` made a view into a copy one character longer:
 * two objects per string kept).
 *
 * A value whose characters all fit in Latin-1 (up to 256 of them) is copied one byte per
 * character instead: one em dash makes V8 hold a whole document two bytes per character, and a
 * joined copy of any value in it stays two-byte, even plain ASCII. `String.fromCharCode` of
 * Latin-1 codes makes a one-byte string (10,000 PRDs: 4 MB less live heap after indexing).
 */
export function detach(value: string): string {
  if (value.length < 13) return value;
  const length = value.length;
  if (length <= LATIN1_SCRATCH.length) {
    let latin1 = true;
    for (let index = 0; index < length; index++) {
      const code = value.charCodeAt(index);
      if (code > 0xff) {
        latin1 = false;
        break;
      }
      LATIN1_SCRATCH[index] = code;
    }
    if (latin1) return String.fromCharCode.apply(null, LATIN1_SCRATCH.subarray(0, length) as unknown as number[]);
  }
  return [value.slice(0, 1), value.slice(1)].join('');
}

const LATIN1_SCRATCH = new Uint16Array(256);

/** Longest string `shared` looks up, and how many it keeps at most (the first ones met; then it only looks up). */
const SHARED_MAX_LENGTH = 32;
const SHARED_MAX_ENTRIES = 32_768;
const sharedStrings = new Map<string, string>();

/**
 * `detach(value)`, one copy for every document: attribute keys and short values, referenced IDs,
 * link destinations and heading anchors repeat across a workspace (`Traces`, `must`, `OUT-3`,
 * `requirements`), and each index held its own copy. Bounded: at most SHARED_MAX_ENTRIES strings of
 * at most SHARED_MAX_LENGTH characters are kept, for the life of the process; a string the table
 * does not hold is detached as before.
 */
export function shared(value: string): string {
  if (value.length > SHARED_MAX_LENGTH) return detach(value);
  const known = sharedStrings.get(value);
  if (known !== undefined) return known;
  const copy = detach(value);
  if (sharedStrings.size < SHARED_MAX_ENTRIES) sharedStrings.set(copy, copy);
  return copy;
}

/** Whether a UTF-16 code unit is what `\s` matches in a JavaScript regular expression (ASCII and Unicode spaces, line terminators, BOM). */
export function isJsWhitespace(c: number): boolean {
  if (c <= 32) return c === 32 || (c >= 9 && c <= 13);
  if (c < 0xa0) return false;
  return (
    c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff
  );
}

/** The first offset at or after `from` (and before `end`) that is not `\s`. */
export function skipJsWhitespace(text: string, from: number, end = text.length): number {
  while (from < end && isJsWhitespace(text.charCodeAt(from))) from++;
  return from;
}

/**
 * The offset of the `:` ending a URL scheme that starts at `start` (a letter, then letters, digits,
 * `+`, `-` or `.`: `https:`, `mailto:`; a one-letter one is a Windows drive, `C:`), or -1. The
 * link scanner keeps no link whose destination has one, and `linkTargetUri` follows none: one
 * definition, so the two agree.
 */
export function urlSchemeEnd(text: string, start: number, end: number): number {
  let i = start;
  while (i < end) {
    const c = text.charCodeAt(i);
    const letter = (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
    if (!(letter || (i > start && ((c >= 0x30 && c <= 0x39) || c === 0x2b || c === 0x2d || c === 0x2e)))) break;
    i++;
  }
  return i > start && i < end && text.charCodeAt(i) === 0x3a ? i : -1;
}
