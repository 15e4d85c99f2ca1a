import { skipJsWhitespace } from './text';

/** A number with an optional unit, as written in `Baseline:`, `Target:` or `Current:` (e.g. `32%`, `$1,200`, `4.5 days`). */
export interface Quantity {
  readonly value: number;
  readonly unit: string;
}

// Scanned by hand rather than with a regular expression: the equivalent pattern
// `^\s*([<>≤≥~]=?\s*)?([$€£¥])?\s*([-+]?\d[\d,_]*(?:\.\d+)?|[-+]?\.\d+)\s*(%|[A-Za-z€$£/]+(?:\s+[A-Za-z]+)?)?\s*$`
// backtracks over every run of spaces when the text does not match (quadratic: `5` + 100,000
// spaces + `!` took seconds). Each part below is matched greedily once; no part can give back
// characters that a later part could use, so the result is the same.

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function isAsciiLetter(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

/** `[A-Za-z€$£/]` */
function isUnitCharacter(c: number): boolean {
  return isAsciiLetter(c) || c === 0x20ac || c === 36 || c === 0xa3 || c === 47;
}

function skipDigits(text: string, i: number): number {
  while (isDigit(text.charCodeAt(i))) i++;
  return i;
}

export function parseQuantity(text: string | undefined): Quantity | undefined {
  if (text === undefined) return undefined;
  const n = text.length;
  let i = skipJsWhitespace(text, 0);
  let c = text.charCodeAt(i);
  // Comparator: `<`, `>`, `≤`, `≥`, `~`, optionally followed by `=`.
  if (c === 60 || c === 62 || c === 0x2264 || c === 0x2265 || c === 126) {
    i++;
    if (text.charCodeAt(i) === 61) i++;
    i = skipJsWhitespace(text, i);
    c = text.charCodeAt(i);
  }
  // Currency: `$`, `€`, `£`, `¥`.
  let currency = '';
  if (c === 36 || c === 0x20ac || c === 0xa3 || c === 0xa5) {
    currency = text[i]!;
    i = skipJsWhitespace(text, i + 1);
  }
  // The number: `[-+]?\d[\d,_]*(?:\.\d+)?` or `[-+]?\.\d+`.
  const numberStart = i;
  c = text.charCodeAt(i);
  if (c === 43 || c === 45) i++;
  if (isDigit(text.charCodeAt(i))) {
    i++;
    for (c = text.charCodeAt(i); isDigit(c) || c === 44 || c === 95; c = text.charCodeAt(i)) i++;
    if (text.charCodeAt(i) === 46 && isDigit(text.charCodeAt(i + 1))) i = skipDigits(text, i + 2);
  } else if (text.charCodeAt(i) === 46 && isDigit(text.charCodeAt(i + 1))) {
    i = skipDigits(text, i + 2);
  } else {
    return undefined;
  }
  const numberText = text.slice(numberStart, i);
  i = skipJsWhitespace(text, i);
  // The unit: `%`, or a word of `[A-Za-z€$£/]` optionally followed by a second word of letters.
  let unit = '';
  c = text.charCodeAt(i);
  if (c === 37) {
    unit = '%';
    i++;
  } else if (isUnitCharacter(c)) {
    const unitStart = i;
    while (isUnitCharacter(text.charCodeAt(i))) i++;
    const secondWord = skipJsWhitespace(text, i);
    if (secondWord > i && isAsciiLetter(text.charCodeAt(secondWord))) {
      i = secondWord;
      while (isAsciiLetter(text.charCodeAt(i))) i++;
    }
    unit = text.slice(unitStart, i).toLowerCase();
  }
  if (skipJsWhitespace(text, i) !== n) return undefined;
  const value = Number(numberText.replace(/[,_]/g, ''));
  if (!Number.isFinite(value)) return undefined;
  return { value, unit: currency + unit };
}

/**
 * `YYYY-MM-DD` (surrounding whitespace allowed), checked to be a real calendar date. The year is
 * always the four digits as written: `0099-01-01` is the year 99, not 1999 (which `Date.UTC`
 * would make of it).
 */
export function parseIsoDate(text: string | undefined): Date | undefined {
  if (!text) return undefined;
  const start = skipJsWhitespace(text, 0);
  if (text.length - start < 10) return undefined;
  for (let k = 0; k < 10; k++) {
    const c = text.charCodeAt(start + k);
    if (k === 4 || k === 7 ? c !== 45 : !isDigit(c)) return undefined;
  }
  if (skipJsWhitespace(text, start + 10) !== text.length) return undefined;
  const year = Number(text.slice(start, start + 4));
  const month = Number(text.slice(start + 5, start + 7));
  const day = Number(text.slice(start + 8, start + 10));
  const date = utcDay(year, month - 1, day);
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day ? date : undefined;
}

/**
 * Midnight UTC of a day; `month` counts from 0 and overflows as in Date.UTC. Unlike Date.UTC,
 * years 0–99 stay themselves (Date.UTC reads them as 1900–1999).
 */
export function utcDay(year: number, month: number, day: number): Date {
  const date = new Date(0);
  date.setUTCFullYear(year, month, day);
  return date;
}
