import { isMap, isPair, isScalar, isSeq, parseDocument, type Node as YamlNode } from 'yaml';
import type { z } from 'zod';
import { plural } from '../../../../common/wording';
import { DOCUMENT_TYPES, type DocumentType } from '../model/model';
import { canonicalEnumValue, enumKey, FRONT_MATTER_ENUMS, FRONT_MATTER_KEYS, FRONT_MATTER_SCHEMAS, surelyValidPrdFrontMatter } from '../model/schemas';
import { parseSimpleYaml, setOwn, type YamlLocation } from './simpleYaml';
import { editDistance } from './text';

/** The `---` fenced block at the top of a file. */
export interface FrontMatterBlock {
  /** Offset of the YAML text (after the opening line). */
  readonly contentStart: number;
  /** Offset just past the YAML text (the start of the closing line). */
  readonly contentEnd: number;
  /** Line of the closing `---`, or -1 when the block is never closed. */
  readonly closingLine: number;
  /** Where the Markdown body starts. */
  readonly bodyOffset: number;
  readonly bodyLine: number;
}

function isFenceLine(text: string, start: number, end: number): boolean {
  if (end - start < 3 || text.charCodeAt(start) !== 45 || text.charCodeAt(start + 1) !== 45 || text.charCodeAt(start + 2) !== 45) return false;
  for (let i = start + 3; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c !== 32 && c !== 9) return false;
  }
  return true;
}

/** Finds the front-matter block; `undefined` when the file does not start with `---`. */
export function findFrontMatter(text: string): FrontMatterBlock | undefined {
  const bom = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const firstEnd = lineEndAt(text, bom);
  if (!isFenceLine(text, bom, firstEnd)) return undefined;
  let lineStart = nextLineStart(text, firstEnd);
  let line = 1;
  while (lineStart < text.length) {
    const end = lineEndAt(text, lineStart);
    if (isFenceLine(text, lineStart, end) || (end - lineStart === 3 && text.startsWith('...', lineStart))) {
      return {
        contentStart: nextLineStart(text, firstEnd),
        contentEnd: lineStart,
        closingLine: line,
        bodyOffset: nextLineStart(text, end),
        bodyLine: line + 1,
      };
    }
    lineStart = nextLineStart(text, end);
    line++;
  }
  return { contentStart: nextLineStart(text, firstEnd), contentEnd: text.length, closingLine: -1, bodyOffset: text.length, bodyLine: line };
}

function lineEndAt(text: string, from: number): number {
  for (let i = from; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || c === 13) return i;
  }
  return text.length;
}

function nextLineStart(text: string, lineEnd: number): number {
  if (text.charCodeAt(lineEnd) === 13 && text.charCodeAt(lineEnd + 1) === 10) return lineEnd + 2;
  return Math.min(text.length, lineEnd + 1);
}

export interface FrontMatterProblem {
  readonly message: string;
  readonly start: number;
  readonly end: number;
}

export interface ParsedFrontMatter {
  readonly type: DocumentType;
  readonly data: Record<string, unknown>;
  /** `key`, `key.0`, `key.sub` → value location; `key#` → key location. Absolute offsets. */
  readonly locations: ReadonlyMap<string, YamlLocation>;
  readonly problems: readonly FrontMatterProblem[];
}

const TYPE_LINE = /^type:[ \t]*["']?(vision|strategy|prd)["']?[ \t]*(?:#.*)?$/im;

/** The document type a `type:` value names: vision, strategy or prd in any case, or an alias (see ENUM_ALIASES). */
export function documentTypeOf(value: unknown): DocumentType | undefined {
  return typeof value === 'string' ? (canonicalEnumValue('type', value, DOCUMENT_TYPES) as DocumentType | undefined) : undefined;
}

/**
 * Parses and validates the front-matter of a file. Returns `undefined` when the file does not take part:
 * no front-matter, or a `type` other than vision/strategy/prd. A file whose YAML is broken still takes
 * part when a `type:` line names one of the three types, so its author sees the syntax error.
 */
export function parseFrontMatter(text: string, block: FrontMatterBlock): ParsedFrontMatter | undefined {
  const refusal = refuseFrontMatter(text, block);
  if (refusal) return refused(text, block, refusal);
  const fast = block.closingLine >= 0 ? parseSimpleYaml(text, block.contentStart, block.contentEnd) : undefined;
  if (fast) {
    const type = documentTypeOf(Object.hasOwn(fast.value, 'type') ? fast.value['type'] : undefined);
    if (!type) return undefined;
    return validate(type, fast.value, fast.locations, []);
  }
  return parseWithYaml(text, block);
}

/** Front-matter is a few dozen lines; beyond these limits it is not parsed (a `front-matter` error says why). */
const MAX_FRONT_MATTER_LENGTH = 65_536;
/** `[` and `{` anywhere in the front-matter (nested flow collections make `yaml` recurse once per level). */
const MAX_FRONT_MATTER_FLOW_OPENERS = 256;
/** Block collections started on one line (`- - - a`, `? ? a`): each is one more level of nesting. */
const MAX_FRONT_MATTER_LINE_NESTING = 64;
/** Alias expansions `toJS` may make before it gives up (an alias bomb expands exponentially). */
const MAX_ALIAS_COUNT = 100;
/** YAML syntax errors reported per front-matter; a broken block can produce one per character. */
const MAX_YAML_ERRORS = 20;

/**
 * Why the front-matter is too large or too deeply nested to hand to `yaml` (whose parser recurses
 * once per level of nesting, and can exhaust the stack or the heap), or undefined. Conservative:
 * brackets are counted wherever they are, even inside quotes.
 */
function refuseFrontMatter(text: string, block: FrontMatterBlock): string | undefined {
  const length = block.contentEnd - block.contentStart;
  if (length > MAX_FRONT_MATTER_LENGTH) {
    return `The front-matter is ${length.toLocaleString('en')} characters long; Throughline reads front-matter of at most ${MAX_FRONT_MATTER_LENGTH.toLocaleString('en')} characters.`;
  }
  let openers = 0;
  let lineNesting = 0;
  let atLineStart = true;
  for (let i = block.contentStart; i < block.contentEnd; i++) {
    const c = text.charCodeAt(i);
    if (c === 91 || c === 123) {
      if (++openers > MAX_FRONT_MATTER_FLOW_OPENERS)
        return `The front-matter holds more than ${MAX_FRONT_MATTER_FLOW_OPENERS} \`[\` and \`{\`: too deeply nested to read.`;
    }
    if (c === 10 || c === 13) {
      atLineStart = true;
      lineNesting = 0;
    } else if (
      atLineStart &&
      (c === 45 || c === 63 || c === 58) &&
      (i + 1 >= block.contentEnd || text.charCodeAt(i + 1) === 32 || text.charCodeAt(i + 1) === 9)
    ) {
      // `- `, `? `, `: ` at the start of a line (after indentation and earlier indicators) open one level each.
      if (++lineNesting > MAX_FRONT_MATTER_LINE_NESTING)
        return `A line of the front-matter opens more than ${MAX_FRONT_MATTER_LINE_NESTING} nested collections: too deeply nested to read.`;
    } else if (c !== 32 && c !== 9) {
      atLineStart = false;
    }
  }
  return undefined;
}

/** The front-matter was not parsed: one error on its opening line; the file takes part when a `type:` line says so. */
function refused(text: string, block: FrontMatterBlock, message: string): ParsedFrontMatter | undefined {
  const typeLine = TYPE_LINE.exec(text.slice(block.contentStart, block.contentEnd));
  if (!typeLine) return undefined;
  const bom = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  return {
    type: typeLine[1]!.toLowerCase() as DocumentType,
    data: {},
    locations: new Map(),
    problems: [{ message, start: bom, end: Math.min(text.length, bom + 3) }],
  };
}

function parseWithYaml(text: string, block: FrontMatterBlock): ParsedFrontMatter | undefined {
  // `yaml` does not treat a lone CR as a line break; same length, so offsets stay valid.
  const yamlText = text.slice(block.contentStart, block.contentEnd).replace(/\r(?!\n)/g, '\n');
  const base = block.contentStart;
  const problems: FrontMatterProblem[] = [];
  const locations = new Map<string, YamlLocation>();
  let data: Record<string, unknown> = {};
  try {
    const document = parseDocument(yamlText, { prettyErrors: false, uniqueKeys: true, strict: true });
    for (const error of document.errors.slice(0, MAX_YAML_ERRORS)) {
      problems.push({ message: `YAML: ${firstLine(error.message)}`, start: base + error.pos[0], end: base + Math.max(error.pos[1], error.pos[0] + 1) });
    }
    if (document.errors.length > MAX_YAML_ERRORS) {
      const more = document.errors.length - MAX_YAML_ERRORS;
      problems.push({ message: `YAML: ${plural(more, 'more error')} in the front-matter.`, start: base, end: base + 1 });
    }
    if (document.errors.length === 0) {
      // Aliases are expanded here: an alias bomb throws (maxAliasCount) instead of filling the memory.
      const json: unknown = document.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
      if (json !== null && typeof json === 'object' && !Array.isArray(json)) data = json as Record<string, unknown>;
      else problems.push({ message: 'The front-matter must be a YAML mapping of keys to values.', start: base, end: Math.max(base + 1, block.contentEnd) });
      collectLocations(document.contents, '', base, locations);
    }
  } catch (error) {
    // A resource limit of `yaml` (too many aliases, a stack overflow): a problem on this file, never a crash.
    const reason = error instanceof Error ? firstLine(error.message) : String(error);
    problems.push({
      message: `YAML: ${reason}; the front-matter is not read.`,
      start: base,
      end: Math.max(base + 1, Math.min(block.contentEnd, lineEndAt(text, base))),
    });
    data = {};
    locations.clear();
  }
  if (block.closingLine < 0) {
    problems.push({
      message: 'The front-matter is not closed: add a line `---` after the last key.',
      start: 0,
      end: Math.min(text.length, 3 + (text.charCodeAt(0) === 0xfeff ? 1 : 0)),
    });
  }
  let type = documentTypeOf(Object.hasOwn(data, 'type') ? data['type'] : undefined);
  if (!type) {
    const typeLine = TYPE_LINE.exec(yamlText);
    if (!typeLine) return undefined;
    type = typeLine[1]!.toLowerCase() as DocumentType;
  }
  return validate(type, data, locations, problems);
}

function firstLine(message: string): string {
  const newline = message.indexOf('\n');
  return newline === -1 ? message : message.slice(0, newline);
}

function collectLocations(node: unknown, path: string, base: number, out: Map<string, YamlLocation>): void {
  if (isMap(node)) {
    for (const pair of node.items) {
      if (!isPair(pair) || !isScalar(pair.key)) continue;
      const key = String(pair.key.value);
      const child = path ? `${path}.${key}` : key;
      const keyRange = (pair.key as YamlNode).range;
      if (keyRange) out.set(`${child}#`, { start: base + keyRange[0], end: base + keyRange[1] });
      const value = pair.value as YamlNode | null;
      if (value?.range) out.set(child, { start: base + value.range[0], end: base + value.range[1] });
      else if (keyRange) out.set(child, { start: base + keyRange[1], end: base + keyRange[1] });
      collectLocations(value, child, base, out);
    }
  } else if (isSeq(node)) {
    node.items.forEach((item, index) => {
      const range = (item as YamlNode | null)?.range;
      if (range) out.set(`${path}.${index}`, { start: base + range[0], end: base + range[1] });
      collectLocations(item, `${path}.${index}`, base, out);
    });
  }
}

function validate(
  type: DocumentType,
  data: Record<string, unknown>,
  locations: ReadonlyMap<string, YamlLocation>,
  problems: FrontMatterProblem[],
): ParsedFrontMatter {
  data = normalizeFrontMatter(type, data);
  if (problems.length === 0 && !(type === 'prd' && surelyValidPrdFrontMatter(data))) {
    const standIns = new Map<string, string>();
    const result = (FRONT_MATTER_SCHEMAS[type] as z.ZodType).safeParse(withoutProtoKeys(data, standIns, 0));
    if (!result.success) {
      for (const issue of result.error.issues) {
        problems.push(describeIssue(restoreProtoKeys(issue, standIns), data, locations));
      }
    }
  }
  return { type, data, locations, problems };
}

const PROTO = '__proto__';

/**
 * `zod` skips an own `__proto__` key without a word (so `innovation_mix: {core: 100, __proto__: 0}`
 * would pass). To validate it like any other key, a copy of the data names it with a stand-in
 * that the object does not already use; `restoreProtoKeys` puts the name back into the issues.
 * The data itself is returned when it has no such key (the usual case: nothing is copied).
 */
function withoutProtoKeys(value: unknown, standIns: Map<string, string>, depth: number): unknown {
  if (value === null || typeof value !== 'object' || depth > 64) return value;
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    value.forEach((item, index) => {
      const replaced = withoutProtoKeys(item, standIns, depth + 1);
      if (replaced !== item) (copy ??= [...value])[index] = replaced;
    });
    return copy ?? value;
  }
  const record = value as Record<string, unknown>;
  let copy: Record<string, unknown> | undefined;
  for (const key of Object.keys(record)) {
    // An own key (from Object.keys): reading it reads the own value, `__proto__` included.
    const item = record[key];
    const replaced = withoutProtoKeys(item, standIns, depth + 1);
    if (key !== PROTO && replaced === item) continue;
    copy ??= copyOwn(record);
    if (key === PROTO) {
      let standIn = `${PROTO}\u200b`;
      while (Object.hasOwn(record, standIn)) standIn += '\u200b';
      standIns.set(standIn, PROTO);
      delete copy[PROTO];
      setOwn(copy, standIn, replaced);
    } else {
      setOwn(copy, key, replaced);
    }
  }
  return copy ?? value;
}

function copyOwn(record: Record<string, unknown>): Record<string, unknown> {
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(record)) setOwn(copy, key, record[key]);
  return copy;
}

function restoreProtoKeys(issue: z.core.$ZodIssue, standIns: ReadonlyMap<string, string>): z.core.$ZodIssue {
  if (standIns.size === 0) return issue;
  const restore = (text: string) => {
    for (const [standIn, key] of standIns) text = text.split(standIn).join(key);
    return text;
  };
  const restored = { ...issue, message: restore(issue.message), path: issue.path.map((part) => (typeof part === 'string' ? restore(part) : part)) };
  if ('keys' in issue && Array.isArray(issue.keys)) (restored as { keys: string[] }).keys = issue.keys.map((key: string) => restore(key));
  return restored as z.core.$ZodIssue;
}

function describeIssue(issue: z.core.$ZodIssue, data: Record<string, unknown>, locations: ReadonlyMap<string, YamlLocation>): FrontMatterProblem {
  const path = issue.path.map(String).join('.');
  const topKey = String(issue.path[0] ?? '');
  let location = locations.get(path);
  if (!location && issue.code === 'invalid_type' && issue.path.length === 1 && !Object.hasOwn(data, topKey)) {
    const typeLocation = locations.get('type');
    return { message: `Missing required key \`${topKey}\`.`, start: typeLocation?.start ?? 0, end: typeLocation?.end ?? 0 };
  }
  location ??= locations.get(topKey) ?? locations.get(`${topKey}#`) ?? { start: 0, end: 0 };
  let message = issue.message;
  if (issue.code === 'invalid_value' && 'values' in issue) {
    const values = (issue.values as unknown[]).map((value) => String(value));
    const written = issue.path.length === 1 && Object.hasOwn(data, topKey) ? data[topKey] : undefined;
    const suggestion = typeof written === 'string' ? closest(written, values) : undefined;
    message = `\`${path}\` must be one of ${values.join(', ')}.${suggestion ? ` Did you mean \`${suggestion}\`?` : ''}`;
  } else if (issue.code === 'invalid_type') {
    message = `\`${path}\`: expected ${issue.expected}.`;
  } else {
    message = `\`${path}\`: ${message}`;
  }
  return { message, start: location.start, end: Math.max(location.end, location.start) };
}

/** Keys whose value is text: a number is read as its text, and for `owner` and `team` a list of names as `a, b`. */
const LENIENT_TEXT_KEYS = ['title', 'owner', 'team'];

/**
 * The front-matter as the rules read it, where the author's intent is clear: the document type and
 * enum values canonical (`PRD` → `prd`, `status: in review` → `review`), a list of owners or teams
 * as one text (`[a, b]` → `a, b`), an unquoted year (`period: 2027`) and a number as a title as
 * text. Everything else, valid or not, is left for the schema to judge. A copy when anything
 * changes; own keys only.
 */
export function normalizeFrontMatter(type: DocumentType, data: Record<string, unknown>): Record<string, unknown> {
  let copy: Record<string, unknown> | undefined;
  const set = (key: string, value: unknown) => setOwn((copy ??= copyOwn(data)), key, value);
  if (Object.hasOwn(data, 'type') && data['type'] !== type && documentTypeOf(data['type']) === type) set('type', type);
  const enums = FRONT_MATTER_ENUMS[type];
  for (const key of Object.keys(enums)) {
    if (key === 'type' || !Object.hasOwn(data, key)) continue;
    const value = data[key];
    if (typeof value !== 'string') continue;
    const canonical = canonicalEnumValue(key, value, enums[key]!);
    if (canonical !== undefined && canonical !== value) set(key, canonical);
  }
  for (const key of LENIENT_TEXT_KEYS) {
    if (!Object.hasOwn(data, key)) continue;
    const value = data[key];
    if (Array.isArray(value) && (key === 'owner' || key === 'team') && value.every((name) => typeof name === 'string')) {
      const names = (value as string[]).map((name) => name.trim()).filter((name) => name !== '');
      set(key, names.length ? names.join(', ') : null);
    } else if (typeof value === 'number' && Number.isFinite(value)) {
      set(key, String(value));
    }
  }
  if (type === 'strategy' && Object.hasOwn(data, 'period') && typeof data['period'] === 'number' && Number.isInteger(data['period'])) {
    set('period', String(data['period']));
  }
  return copy ?? data;
}

/** The value among `candidates` closest to `written` (at most two edits, or a difference of case and separators only). */
export function closest(written: string, candidates: readonly string[]): string | undefined {
  if (written.length > 100) return undefined;
  const key = enumKey(written);
  let best: string | undefined;
  let bestDistance = 3;
  for (const candidate of candidates) {
    const limit = Math.min(2, Math.max(1, Math.floor(candidate.length / 3)));
    const distance = editDistance(key, enumKey(candidate), limit);
    if (distance <= limit && distance < bestDistance) [best, bestDistance] = [candidate, distance];
  }
  return best;
}

/** The known front-matter keys of a type. */
export function knownFrontMatterKeys(type: DocumentType): readonly string[] {
  return (KNOWN_KEYS[type] ??= Object.freeze(Object.keys(FRONT_MATTER_KEYS[type])));
}
const KNOWN_KEYS: Partial<Record<DocumentType, readonly string[]>> = {};

/** A front-matter key that is no key of its type but close to one (`innovaton` → `innovation`), or undefined. */
export function suggestFrontMatterKey(type: DocumentType, key: string): string | undefined {
  const known = knownFrontMatterKeys(type);
  if (known.includes(key)) return undefined;
  const lower = key.toLowerCase();
  // Case only (`Owner`), then a few edits.
  return known.find((candidate) => candidate === lower) ?? closest(key, known);
}

/** What `unknownTypeProblem` reports: an info, on the `type` value (or the `id` value when there is no `type`). */
export interface UnknownTypeProblem extends FrontMatterProblem {
  readonly severity: 'info';
  readonly suggestion?: DocumentType;
}

/**
 * Why a file with front-matter does not take part although it looks like it should: its `id:` has
 * a configured prefix (`hasPrefix`) but its `type:` is none of vision, strategy, prd (or missing).
 * Undefined when the file takes part or does not look like a strategy document. A line scan of
 * the block's top-level `type:` and `id:` lines: linear, and independent of broken YAML elsewhere.
 */
export function unknownTypeProblem(text: string, block: FrontMatterBlock, hasPrefix: (prefix: string) => boolean): UnknownTypeProblem | undefined {
  if (block.contentEnd - block.contentStart > MAX_FRONT_MATTER_LENGTH) return undefined;
  let type: { value: string; start: number; end: number } | undefined;
  let id: { value: string; start: number; end: number } | undefined;
  for (let lineStart = block.contentStart; lineStart < block.contentEnd;) {
    const lineEnd = Math.min(lineEndAt(text, lineStart), block.contentEnd);
    const entry = topLevelScalar(text, lineStart, lineEnd);
    if (entry?.key === 'type') type ??= entry;
    else if (entry?.key === 'id') id ??= entry;
    lineStart = nextLineStart(text, lineEnd);
  }
  if (!id) return undefined;
  const dash = id.value.indexOf('-');
  if (dash <= 0 || !/^[A-Z]+$/.test(id.value.slice(0, dash)) || !hasPrefix(id.value.slice(0, dash))) return undefined;
  if (type && documentTypeOf(type.value)) return undefined;
  const types = DOCUMENT_TYPES.join(', ');
  if (!type || type.value === '') {
    return {
      severity: 'info',
      message: `\`id: ${short(id.value)}\` has a Throughline prefix but the front-matter has no \`type\` (one of ${types}); this file is not checked.`,
      start: id.start,
      end: id.end,
    };
  }
  const suggestion = closest(type.value, DOCUMENT_TYPES) as DocumentType | undefined;
  return {
    severity: 'info',
    message: `\`type: ${short(type.value)}\` is not one of ${types}; this file is not checked.${suggestion ? ` Did you mean \`${suggestion}\`?` : ''}`,
    start: type.start,
    end: type.end,
    ...(suggestion ? { suggestion } : {}),
  };
}

function short(value: string): string {
  return value.length > 60 ? `${value.slice(0, 59)}…` : value;
}

/** `key: value` at the start of a line (no indentation), the value unquoted and without a trailing comment. */
function topLevelScalar(text: string, start: number, end: number): { key: string; value: string; start: number; end: number } | undefined {
  let colon = start;
  while (colon < end && colon - start <= 16) {
    const c = text.charCodeAt(colon);
    if (c === 58) break;
    if (!((c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95)) return undefined;
    colon++;
  }
  if (colon === start || text.charCodeAt(colon) !== 58) return undefined;
  let valueStart = colon + 1;
  while (valueStart < end && (text.charCodeAt(valueStart) === 32 || text.charCodeAt(valueStart) === 9)) valueStart++;
  let valueEnd = valueStart;
  const quote = text.charCodeAt(valueStart);
  if (quote === 34 || quote === 39) {
    valueEnd = valueStart + 1;
    while (valueEnd < end && text.charCodeAt(valueEnd) !== quote) valueEnd++;
    if (valueEnd >= end) return undefined;
    return { key: text.slice(start, colon), value: text.slice(valueStart + 1, valueEnd), start: valueStart, end: valueEnd + 1 };
  }
  while (valueEnd < end && !(text.charCodeAt(valueEnd) === 35 && (text.charCodeAt(valueEnd - 1) === 32 || text.charCodeAt(valueEnd - 1) === 9))) valueEnd++;
  while (valueEnd > valueStart && (text.charCodeAt(valueEnd - 1) === 32 || text.charCodeAt(valueEnd - 1) === 9)) valueEnd--;
  return { key: text.slice(start, colon), value: text.slice(valueStart, valueEnd), start: valueStart, end: valueEnd };
}
