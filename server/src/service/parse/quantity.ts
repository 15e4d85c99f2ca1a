import { DEFAULT_FISCAL_YEAR, type DecimalSeparator, type FiscalYear } from '../model/config';
import { PERIOD_PATTERN } from '../model/schemas';
import { skipJsWhitespace } from './text';

/**
 * A number with an optional unit, as written in `Baseline:`, `Target:` or `Current:` (e.g. `32%`,
 * `$1,200`, `4.5 days`, `€1.2M`, `44% (check-in March)`).
 */
export interface Quantity {
  /** The number as written, with a `k`/`M`/`bn` multiplier applied, in `unit`. */
  readonly value: number;
  /**
   * The unit, canonical: `%`, `seconds`, `minutes`, `hours`, `days`, `weeks`, `months`, `years`,
   * an ISO currency code (`USD` for `$`, `EUR` for `€`, `GBP` for `£`), or the word as written in
   * lower case (`story points`); `''` for a plain number.
   */
  readonly unit: string;
  /** Units of one dimension compare and convert (`time`, `calendar`); any other unit is its own dimension. */
  readonly dimension: string;
  /** The value in the dimension's base unit (seconds for `time`, months for `calendar`). */
  readonly base: number;
  /** Text after the figure, e.g. `check-in March` of `44% (check-in March)`. */
  readonly note?: string;
}

/** Why the number of a figure is not read. */
export interface NumberProblem {
  /** `ambiguous`: could be read two ways (`1,800` under `auto`); `format`: does not fit the configured separator (`45,5` under `.`). */
  readonly kind: 'ambiguous' | 'format';
  /** The number as written, e.g. `45,5`, and where it is in the figure's text. */
  readonly text: string;
  readonly start: number;
  readonly end: number;
  /** The readings the author may have meant, as they would be written in the configured format, e.g. `45.5`; most likely first. */
  readonly readings: readonly string[];
}

/** A figure read: its quantity, or why its number could not be read (or neither: not a figure at all). */
export interface FigureReading {
  readonly quantity?: Quantity;
  readonly problem?: NumberProblem;
}

interface UnitInfo {
  readonly unit: string;
  readonly dimension: string;
  readonly factor: number;
}

const MINUTE = 60;
const HOUR = 3_600;
const DAY = 86_400;
const WEEK = 7 * DAY;

/** Unit aliases, lower-cased, to their canonical unit. A `Map`: the keys are compared with user text. */
const UNIT_ALIASES: ReadonlyMap<string, UnitInfo> = new Map(
  (
    [
      [['%', 'pct', 'percent', 'per cent', 'percentage'], '%', '%', 1],
      [['s', 'sec', 'secs', 'second', 'seconds'], 'seconds', 'time', 1],
      [['min', 'mins', 'minute', 'minutes'], 'minutes', 'time', MINUTE],
      [['h', 'hr', 'hrs', 'hour', 'hours'], 'hours', 'time', HOUR],
      [['d', 'day', 'days'], 'days', 'time', DAY],
      [['w', 'wk', 'wks', 'week', 'weeks'], 'weeks', 'time', WEEK],
      [['mo', 'mos', 'month', 'months'], 'months', 'calendar', 1],
      [['quarter', 'quarters'], 'quarters', 'calendar', 3],
      [['y', 'yr', 'yrs', 'year', 'years'], 'years', 'calendar', 12],
      [['$', 'usd', 'us$'], 'USD', 'USD', 1],
      [['€', 'eur', 'euro', 'euros'], 'EUR', 'EUR', 1],
      [['£', 'gbp'], 'GBP', 'GBP', 1],
      ...['jpy', 'chf', 'cad', 'aud', 'nzd', 'cny', 'inr', 'sek', 'nok', 'dkk', 'pln', 'czk', 'brl', 'mxn', 'sgd', 'hkd', 'zar'].map(
        (code) => [[code], code.toUpperCase(), code.toUpperCase(), 1] as const,
      ),
    ] as const
  ).flatMap(([aliases, unit, dimension, factor]) => aliases.map((alias) => [alias, { unit, dimension, factor }] as const)),
);

/** ISO codes written before the number (`EUR 40`, `USD 1.2M`): upper case, known. */
const CURRENCY_CODES: ReadonlySet<string> = new Set(
  [...UNIT_ALIASES.values()].filter((info) => /^[A-Z]{3}$/.test(info.unit) && info.dimension === info.unit).map((info) => info.unit),
);

/** The canonical unit for a unit as written (any case); unknown units are their own lower-cased dimension. */
export function unitInfo(written: string): UnitInfo {
  const lower = written.toLowerCase();
  return UNIT_ALIASES.get(lower) ?? { unit: lower, dimension: lower, factor: 1 };
}

/** Whether two quantities can be compared (one dimension), e.g. `9 days` and `1 day`, `4 hours` and `1 minute`. */
export function sameDimension(a: Quantity, b: Quantity): boolean {
  return a.dimension === b.dimension;
}

// Scanned by hand rather than with a regular expression: a pattern such as
// `^\s*([<>≤≥~]=?\s*)?([$€£¥])?\s*([-+]?\d[\d,_]*(?:\.\d+)?|[-+]?\.\d+)\s*(%|[A-Za-z€$£/]+(?:\s+[A-Za-z]+)?)?\s*$`
// backtracks over every run of spaces when the text does not match (quadratic: `5` + 100,000
// spaces + `!` took seconds). Each part below is matched greedily once; no part can give back
// characters that a later part could use.

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function isAsciiLetter(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

function isUpper(c: number): boolean {
  return c >= 65 && c <= 90;
}

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 0xa0 || c === 0x202f || c === 0x2009;
}

/** `[A-Za-z€$£¥/]` */
function isUnitCharacter(c: number): boolean {
  return isAsciiLetter(c) || c === 0x20ac || c === 36 || c === 0xa3 || c === 0xa5 || c === 47;
}

/** `$`, `€`, `£`, `¥` */
function isCurrencySymbol(c: number): boolean {
  return c === 36 || c === 0x20ac || c === 0xa3 || c === 0xa5;
}

/** A figure's quantity, or `undefined` when it is not a figure or its number cannot be read with certainty (see `parseFigure`). */
export function parseQuantity(text: string | undefined, separator: DecimalSeparator = '.'): Quantity | undefined {
  return parseFigure(text, separator).quantity;
}

/**
 * Reads a figure: `[comparator] [currency] [sign] number [k|M|bn] [unit] [note]`. The comparator
 * (`<`, `>`, `≤`, `≥`, `~`, optionally with `=`) is skipped; the currency is a symbol (`$`, `€`,
 * `£`, `¥`) or a known ISO code (`EUR 40`); the note starts with `(`, `[`, `—`, `–`, `;`, or ` - `,
 * `--` or `, ` and runs to the end. The number's separators are read per `separator`; a number
 * that does not fit it, or could be read two ways under `auto`, is a `problem` and no quantity.
 */
export function parseFigure(text: string | undefined, separator: DecimalSeparator = '.'): FigureReading {
  if (text === undefined) return {};
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
  // A sign may come before the currency (`-$5`) or after it (`$-5`).
  let negative = false;
  if ((c === 45 || c === 0x2212 || c === 43) && isCurrencySymbol(text.charCodeAt(i + 1))) {
    negative = c !== 43;
    i++;
    c = text.charCodeAt(i);
  }
  let currency = '';
  if (isCurrencySymbol(c)) {
    currency = text[i]!;
    i = skipJsWhitespace(text, i + 1);
  } else if (isUpper(c) && isUpper(text.charCodeAt(i + 1)) && isUpper(text.charCodeAt(i + 2)) && !isAsciiLetter(text.charCodeAt(i + 3))) {
    const code = text.slice(i, i + 3);
    const after = skipJsWhitespace(text, i + 3);
    if (CURRENCY_CODES.has(code) && after > i + 3) {
      currency = code;
      i = after;
    }
  }
  c = text.charCodeAt(i);
  if (c === 43 || c === 45 || c === 0x2212) {
    if (c !== 43) negative = !negative;
    i++;
  }
  // The number: digits, with `,`, `.` and `_` each between two digits (or a leading `.5`).
  const numberStart = i;
  c = text.charCodeAt(i);
  if (!isDigit(c) && !((c === 46 || c === 44) && isDigit(text.charCodeAt(i + 1)))) return {};
  i++;
  for (;;) {
    c = text.charCodeAt(i);
    if (isDigit(c)) i++;
    else if ((c === 44 || c === 46 || c === 95) && isDigit(text.charCodeAt(i + 1))) i++;
    else break;
  }
  const numberEnd = i;
  // A multiplier glued to the number: `250k`, `$1.2M`, `$3bn` (not the start of a word: `5kg`, `3min`).
  let multiplier = 1;
  const m0 = text.charCodeAt(i);
  const m1 = text.charCodeAt(i + 1);
  if ((m0 === 107 || m0 === 75) && !isAsciiLetter(m1)) [multiplier, i] = [1e3, i + 1];
  else if ((m0 === 77 || (currency && m0 === 109)) && !isAsciiLetter(m1)) [multiplier, i] = [1e6, i + 1];
  else if (m0 === 98 && m1 === 110 && !isAsciiLetter(text.charCodeAt(i + 2))) [multiplier, i] = [1e9, i + 2];
  else if (currency && m0 === 66 && !isAsciiLetter(m1)) [multiplier, i] = [1e9, i + 1];
  i = skipJsWhitespace(text, i);
  // The unit: `%`, or a word of `[A-Za-z€$£¥/]` optionally followed by a second word of letters.
  let unitText = '';
  c = text.charCodeAt(i);
  if (c === 37) {
    unitText = '%';
    i++;
  } else if (isUnitCharacter(c)) {
    const unitStart = i;
    while (isUnitCharacter(text.charCodeAt(i))) i++;
    const secondWord = skipJsWhitespace(text, i);
    if (secondWord > i && isAsciiLetter(text.charCodeAt(secondWord))) {
      i = secondWord;
      while (isAsciiLetter(text.charCodeAt(i))) i++;
    }
    unitText = text.slice(unitStart, i).replace(/\s+/g, ' ');
  }
  const unitEnd = i;
  i = skipJsWhitespace(text, i);
  let note: string | undefined;
  if (i < n) {
    note = noteAt(text, i, i > unitEnd || (unitText === '' && i > numberEnd));
    if (note === undefined) return {};
  }
  const read = readNumber(text.slice(numberStart, numberEnd), separator);
  if ('problem' in read) return { problem: { ...read.problem, start: numberStart, end: numberEnd } };
  const value = (negative ? -1 : 1) * read.value * multiplier;
  if (!Number.isFinite(value)) return {};
  const info = unitOf(currency, unitText);
  return { quantity: { value, unit: info.unit, dimension: info.dimension, base: value * info.factor, ...(note !== undefined ? { note } : {}) } };
}

/** The note that starts at `i` (after a space when `spaced`), without its brackets or dash; undefined when `i` starts no note. */
function noteAt(text: string, i: number, spaced: boolean): string | undefined {
  const c = text.charCodeAt(i);
  const next = text.charCodeAt(i + 1);
  let from: number;
  let close = -1;
  if (c === 40 || c === 91) {
    from = i + 1;
    close = c === 40 ? 41 : 93;
  } else if (c === 0x2014 || c === 0x2013 || c === 59) {
    from = i + 1;
  } else if (c === 45 && next === 45) {
    from = i + 2;
  } else if ((c === 45 && spaced && isSpace(next)) || (c === 44 && isSpace(next))) {
    from = i + 1;
  } else {
    return undefined;
  }
  let end = text.length;
  while (end > from && (isSpace(text.charCodeAt(end - 1)) || text.charCodeAt(end - 1) === 10 || text.charCodeAt(end - 1) === 13)) end--;
  if (close !== -1 && text.charCodeAt(end - 1) === close) end--;
  return text.slice(skipJsWhitespace(text, from, end), end).trim();
}

function unitOf(currency: string, unitText: string): UnitInfo {
  if (!currency) return unitInfo(unitText);
  const money = unitInfo(currency);
  if (unitText === '') return money;
  const word = unitInfo(unitText);
  // `$40 USD`: the same currency twice.
  if (word.dimension === money.dimension) return money;
  const unit = `${money.unit} ${word.unit}`;
  return { unit, dimension: unit, factor: 1 };
}

type NumberReading = { readonly value: number } | { readonly problem: Omit<NumberProblem, 'start' | 'end'> };

/**
 * Reads digits with separators (`raw` has only digits, `,`, `.` and `_`, each separator between two
 * digits or leading). `_` groups digits anywhere. A grouping separator needs groups of three after a
 * first group of one to three digits that does not start with 0.
 */
function readNumber(raw: string, separator: DecimalSeparator): NumberReading {
  const digits = raw.includes('_') ? raw.replace(/_/g, '') : raw;
  const comma = digits.indexOf(',');
  const dot = digits.indexOf('.');
  if (comma === -1 && dot === -1) return { value: Number(digits) };
  if (separator !== 'auto') {
    const group = separator === '.' ? ',' : '.';
    const value = withSeparators(digits, separator, group);
    if (value !== undefined) return { value };
    const other = withSeparators(digits, group, separator);
    return { problem: { kind: 'format', text: raw, readings: other === undefined ? [] : [written(other, separator)] } };
  }
  if (comma !== -1 && dot !== -1) {
    const decimal = digits.lastIndexOf(',') > digits.lastIndexOf('.') ? ',' : '.';
    const value = withSeparators(digits, decimal, decimal === '.' ? ',' : '.');
    return value !== undefined ? { value } : { problem: { kind: 'format', text: raw, readings: [] } };
  }
  const mark = comma !== -1 ? ',' : '.';
  const at = comma !== -1 ? comma : dot;
  if (digits.indexOf(mark, at + 1) !== -1) {
    // Twice or more: it can only group thousands.
    const value = withSeparators(digits, mark === '.' ? ',' : '.', mark);
    return value !== undefined ? { value } : { problem: { kind: 'format', text: raw, readings: [] } };
  }
  const decimalValue = Number(`${digits.slice(0, at)}.${digits.slice(at + 1)}`);
  if (digits.length - at - 1 === 3 && validLeader(digits.slice(0, at))) {
    const thousands = Number(digits.slice(0, at) + digits.slice(at + 1));
    // The decimal reading is written with four decimals, which `auto` cannot mistake for thousands.
    return { problem: { kind: 'ambiguous', text: raw, readings: [String(thousands), `${digits.slice(0, at)}.${digits.slice(at + 1)}0`] } };
  }
  return { value: decimalValue };
}

/** The first group of a grouped number: one to three digits, not starting with 0. */
function validLeader(group: string): boolean {
  return group.length >= 1 && group.length <= 3 && group.charCodeAt(0) !== 48;
}

/** The value of `digits` with `decimal` as the decimal mark and `group` grouping thousands; undefined when it does not fit. */
function withSeparators(digits: string, decimal: string, group: string): number | undefined {
  const point = digits.indexOf(decimal);
  if (point !== -1 && digits.indexOf(decimal, point + 1) !== -1) return undefined;
  const integer = point === -1 ? digits : digits.slice(0, point);
  const fraction = point === -1 ? '' : digits.slice(point + 1);
  if (fraction.includes(group)) return undefined;
  let plain = integer;
  if (integer.includes(group)) {
    const groups = integer.split(group);
    if (!validLeader(groups[0]!) || groups.slice(1).some((part) => part.length !== 3)) return undefined;
    plain = groups.join('');
  }
  const value = Number(fraction ? `${plain || '0'}.${fraction}` : plain);
  return Number.isFinite(value) ? value : undefined;
}

/** A number as the author would write it under `separator`, without grouping. */
function written(value: number, separator: DecimalSeparator): string {
  const text = String(value);
  return separator === ',' ? text.replace('.', ',') : text;
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

/** A strategy's planning period: its first and last day (UTC), and whether it counts in fiscal years. */
export interface Period {
  readonly start: Date;
  readonly end: Date;
  readonly fiscal: boolean;
}

/**
 * A period such as `2027`, `2027-H1`, `2027-Q3` (calendar) or `FY27`, `FY2027`, `FY27-Q1`,
 * `FY27-H2` (fiscal, per `fiscalYear`); case-insensitive, `-` or a space before the half or
 * quarter. An unquoted `period: 2027` is the number 2027 to YAML and is read the same.
 */
export function parsePeriod(period: unknown, fiscalYear: FiscalYear = DEFAULT_FISCAL_YEAR): Period | undefined {
  const text = typeof period === 'number' && Number.isInteger(period) ? String(period) : period;
  if (typeof text !== 'string' || text.length > 32) return undefined;
  const match = PERIOD_PATTERN.exec(text.trim());
  if (!match) return undefined;
  const fiscal = match[1] !== undefined;
  const digits = match[2]!;
  if (!fiscal && digits.length !== 4) return undefined;
  const year = digits.length === 2 ? 2000 + Number(digits) : Number(digits);
  const part = match[3]?.toUpperCase();
  const index = Number(match[4] ?? 1);
  let firstMonth = 0;
  let months = 12;
  if (part === 'H') {
    if (index > 2) return undefined;
    [firstMonth, months] = [(index - 1) * 6, 6];
  } else if (part === 'Q') {
    [firstMonth, months] = [(index - 1) * 3, 3];
  }
  let startMonth = 0;
  let startYear = year;
  if (fiscal) {
    startMonth = fiscalYear.startMonth - 1;
    // FY27 starting in July: July 2026 to June 2027 when named after its end, July 2027 to June 2028 when named after its start.
    if (startMonth > 0 && fiscalYear.namedAfter === 'end') startYear = year - 1;
  }
  return {
    start: utcDay(startYear, startMonth + firstMonth, 1),
    end: utcDay(startYear, startMonth + firstMonth + months, 0),
    fiscal,
  };
}
