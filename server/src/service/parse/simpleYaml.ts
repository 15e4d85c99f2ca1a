import { detach, shared, skipJsWhitespace } from './text';

/**
 * A fast path for the flat YAML that front-matter almost always is: `key: scalar`, `key: [a, b]`,
 * `key: {a: b}` and `key:` followed by `- item` lines. Anything outside that subset returns
 * `undefined` and the caller falls back to the full `yaml` parser; a property test checks that
 * whenever this returns a value, it equals what `yaml` parses.
 *
 * Why: `yaml.parseDocument` costs ~150 µs for a 12-line front-matter, which alone would take half
 * the cold-index budget of a 10,000-document workspace.
 */

export interface YamlLocation {
  readonly start: number;
  readonly end: number;
}

interface SimpleYamlResult {
  readonly value: Record<string, unknown>;
  /** `key`, `key.0`, `key.sub` → value location; `key#` → key location. Offsets are absolute. */
  readonly locations: Map<string, YamlLocation>;
}

const SAFE_PLAIN = /^[A-Za-z0-9_./+][^#:[\]{}]*$/;
const NON_STRING_PLAIN =
  /^(?:~|null|Null|NULL|true|True|TRUE|false|False|FALSE|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)|[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|0o[0-7]+|0x[0-9a-fA-F]+)$/;
const DECIMAL_INT = /^[0-9]{1,15}$/;

interface Scalar {
  value: unknown;
  start: number;
  end: number;
}

/** Words a plain scalar starting with a letter would be read as other than a string (`NON_STRING_PLAIN`'s, for that first character). */
const NON_STRING_WORDS: ReadonlySet<string> = new Set(['null', 'Null', 'NULL', 'true', 'True', 'TRUE', 'false', 'False', 'FALSE']);
/** Keys YAML reads as other than a string (`null:` is a null key). */
const NON_STRING_KEYS: ReadonlySet<string> = new Set([...NON_STRING_WORDS, '~']);

/**
 * The value of a plain scalar starting with a letter or `_` (most front-matter values: `approved`,
 * `OUT-3`, `Checkout without an account`), decided character by character as the regular
 * expressions below decide it; `null` when it is no such scalar or not a string, so the caller
 * falls back to them. The same answers, without a slice and three patterns per value.
 */
function plainWord(text: string, start: number, end: number, inFlow: boolean): string | null | undefined {
  const first = text.charCodeAt(start);
  if (!((first >= 0x41 && first <= 0x5a) || (first >= 0x61 && first <= 0x7a) || first === 0x5f)) return null;
  for (let i = start + 1; i < end; i++) {
    const c = text.charCodeAt(i);
    // SAFE_PLAIN refuses `#:[]{}` after the first character; a tab and (in a flow) `,` are refused too.
    if (c === 0x23 || c === 0x3a || c === 0x5b || c === 0x5d || c === 0x7b || c === 0x7d || c === 0x09 || (inFlow && c === 0x2c)) return undefined;
  }
  if (text.charCodeAt(end - 1) === 0x20) return undefined;
  const length = end - start;
  if ((length === 4 || length === 5) && NON_STRING_WORDS.has(text.slice(start, end))) return undefined;
  return shared(text.slice(start, end));
}

/** Parses a plain or simply quoted scalar occupying `text[start, end)` (already trimmed); undefined when unsure. */
function parseScalar(text: string, start: number, end: number, inFlow: boolean): Scalar | undefined {
  if (start >= end) return undefined;
  const word = plainWord(text, start, end, inFlow);
  if (word !== null) return word === undefined ? undefined : { value: word, start, end };
  // A slice of the text: each string kept is `shared` (detached) where it is returned.
  const raw = text.slice(start, end);
  const first = raw.charCodeAt(0);
  if (first === 34 /* " */) {
    if (raw.length < 2 || raw.charCodeAt(raw.length - 1) !== 34) return undefined;
    const inner = raw.slice(1, -1);
    if (inner.includes('"') || inner.includes('\\')) return undefined;
    return { value: shared(inner), start, end };
  }
  if (first === 39 /* ' */) {
    if (raw.length < 2 || raw.charCodeAt(raw.length - 1) !== 39) return undefined;
    const inner = raw.slice(1, -1);
    if (inner.includes("'")) return undefined;
    return { value: shared(inner), start, end };
  }
  if (DECIMAL_INT.test(raw)) return { value: Number(raw), start, end };
  if (NON_STRING_PLAIN.test(raw)) return undefined;
  if (!SAFE_PLAIN.test(raw)) return undefined;
  if (raw.includes(' #') || raw.includes('\t')) return undefined;
  if (inFlow && /[,[\]{}]/.test(raw)) return undefined;
  if (raw.endsWith(' ')) return undefined;
  return { value: shared(raw), start, end };
}

function ownValue(map: Record<string, unknown>, key: string): unknown {
  // An own `__proto__` shadows the accessor `Object.prototype` has, so reading it reads the own value.
  return Object.hasOwn(map, key) ? map[key] : undefined;
}

function trimRange(text: string, start: number, end: number): [number, number] {
  while (start < end && (text.charCodeAt(start) === 32 || text.charCodeAt(start) === 9)) start++;
  while (end > start && (text.charCodeAt(end - 1) === 32 || text.charCodeAt(end - 1) === 9)) end--;
  return [start, end];
}

/**
 * Sets an own, enumerable property, as `yaml` does for keys that an assignment would not store as
 * one: `map['__proto__'] = value` changes the prototype instead, and keys are user text. Every other
 * key of `Object.prototype` is a writable data property, so assigning it makes an own property just
 * as `defineProperty` would, several times faster (0.4 s of 10,000 front-matters went there).
 */
export function setOwn(map: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(map, key, { value, writable: true, enumerable: true, configurable: true });
  else map[key] = value;
}

/** Strips a trailing ` # comment` outside quotes; undefined when quotes make it ambiguous. */
function stripComment(text: string, start: number, end: number): number | undefined {
  // Only up to the end of the line: searching the rest of the text from every line was quadratic.
  let hash = start;
  while (hash < end && text.charCodeAt(hash) !== 35 /* # */) hash++;
  if (hash >= end) return end;
  const before = text.slice(start, hash);
  if (before.includes('"') || before.includes("'")) return undefined;
  if (hash === start) return start;
  const previous = text.charCodeAt(hash - 1);
  return previous === 32 || previous === 9 ? hash : undefined;
}

function parseFlow(text: string, start: number, end: number, key: string, locations: Map<string, YamlLocation>): unknown {
  const open = text.charCodeAt(start);
  const close = open === 91 ? 93 : 125;
  if (text.charCodeAt(end - 1) !== close) return undefined;
  const inner = text.slice(start + 1, end - 1);
  if (/[[\]{}"'#&*!|>%@`]/.test(inner)) return undefined;
  const parts: [number, number][] = [];
  let partStart = start + 1;
  for (let i = start + 1; i <= end - 1; i++) {
    if (i === end - 1 || text.charCodeAt(i) === 44) {
      parts.push(trimRange(text, partStart, i));
      partStart = i + 1;
    }
  }
  const lastPart = parts[parts.length - 1];
  if (lastPart && lastPart[0] === lastPart[1]) {
    if (parts.length === 1) {
      parts.pop();
    } else {
      parts.pop();
    }
  }
  if (parts.some(([s, e]) => s === e)) return undefined;
  if (open === 91) {
    const list: unknown[] = [];
    for (const [s, e] of parts) {
      const scalar = parseScalar(text, s, e, true);
      if (!scalar) return undefined;
      locations.set(`${key}.${list.length}`, { start: s, end: e });
      list.push(scalar.value);
    }
    return list;
  }
  const map: Record<string, unknown> = {};
  for (const [s, e] of parts) {
    let colon = s;
    while (colon < e && text.charCodeAt(colon) !== 58 /* : */) colon++;
    if (colon >= e) return undefined;
    const [ks, ke] = trimRange(text, s, colon);
    const [vs, ve] = trimRange(text, colon + 1, e);
    const name = detach(text.slice(ks, ke));
    if (!/^[A-Za-z_][A-Za-z0-9_-]*$/.test(name) || Object.hasOwn(map, name) || vs === ve) return undefined;
    if (text.charCodeAt(colon + 1) !== 32) return undefined;
    const scalar = parseScalar(text, vs, ve, true);
    if (!scalar) return undefined;
    locations.set(`${key}.${name}`, { start: vs, end: ve });
    setOwn(map, name, scalar.value);
  }
  return map;
}

export function parseSimpleYaml(text: string, start: number, end: number): SimpleYamlResult | undefined {
  // Lone CRs are line breaks to YAML but not to this line splitter: leave such text to `yaml`.
  for (let cr = text.indexOf('\r', start); cr !== -1 && cr < end; cr = text.indexOf('\r', cr + 1)) if (text.charCodeAt(cr + 1) !== 10) return undefined;
  const value: Record<string, unknown> = {};
  const locations = new Map<string, YamlLocation>();
  let pendingListKey: string | undefined;
  // The column of the pending list's `-`, once its first item is read.
  let pendingIndent = -1;
  let lineStart = start;
  while (lineStart < end) {
    let lineEnd = text.indexOf('\n', lineStart);
    if (lineEnd === -1 || lineEnd > end) lineEnd = end;
    let contentEnd = lineEnd;
    if (contentEnd > lineStart && text.charCodeAt(contentEnd - 1) === 13) contentEnd--;
    const next = lineEnd + 1;
    // A blank line, or a comment line (`\s*#`): skipped.
    const firstCharacter = skipJsWhitespace(text, lineStart, contentEnd);
    if (firstCharacter === contentEnd || text.charCodeAt(firstCharacter) === 35) {
      lineStart = next;
      continue;
    }
    // Within the line only: `indexOf` would search the rest of the text from every line (quadratic).
    for (let i = lineStart; i < contentEnd; i++) if (text.charCodeAt(i) === 9) return undefined;
    if (pendingListKey !== undefined) {
      // `^ *- `: an item of the pending list.
      let dashAt = lineStart;
      while (dashAt < contentEnd && text.charCodeAt(dashAt) === 32) dashAt++;
      if (text.charCodeAt(dashAt) === 45 && dashAt + 1 < contentEnd && text.charCodeAt(dashAt + 1) === 32) {
        const dash = dashAt - lineStart;
        const list = ownValue(value, pendingListKey) as unknown[];
        if (pendingIndent !== -1 && pendingIndent !== dash) return undefined;
        pendingIndent = dash;
        const itemEnd = stripComment(text, dashAt + 2, contentEnd);
        if (itemEnd === undefined) return undefined;
        const [s, e] = trimRange(text, dashAt + 2, itemEnd);
        const scalar = parseScalar(text, s, e, false);
        if (!scalar) return undefined;
        locations.set(`${pendingListKey}.${list.length}`, { start: s, end: e });
        list.push(scalar.value);
        lineStart = next;
        continue;
      }
      const list = ownValue(value, pendingListKey) as unknown[];
      if (list.length === 0) setOwn(value, pendingListKey, null);
      pendingListKey = undefined;
      pendingIndent = -1;
    }
    // `^([A-Za-z_][A-Za-z0-9_-]*):(?=[ \t]|$)`
    const keyEnd = keyEndAt(text, lineStart, contentEnd);
    if (keyEnd === -1) return undefined;
    const key = detach(text.slice(lineStart, keyEnd));
    // `null:` is a null key to YAML. Keys such as `__proto__` or `constructor` are own properties like any other.
    if (Object.hasOwn(value, key) || NON_STRING_KEYS.has(key)) return undefined;
    locations.set(`${key}#`, { start: lineStart, end: keyEnd });
    const valueEnd = stripComment(text, keyEnd + 1, contentEnd);
    if (valueEnd === undefined) return undefined;
    const [vs, ve] = trimRange(text, keyEnd + 1, valueEnd);
    if (vs === ve) {
      // Either `key:` alone (null) or the head of a block sequence; decided by the next line.
      setOwn(value, key, []);
      pendingListKey = key;
      lineStart = next;
      continue;
    }
    const first = text.charCodeAt(vs);
    let parsed: unknown;
    if (first === 91 || first === 123) {
      parsed = parseFlow(text, vs, ve, key, locations);
      if (parsed === undefined) return undefined;
    } else {
      const scalar = parseScalar(text, vs, ve, false);
      if (!scalar) return undefined;
      parsed = scalar.value;
    }
    locations.set(key, { start: vs, end: ve });
    setOwn(value, key, parsed);
    lineStart = next;
  }
  if (pendingListKey !== undefined && (ownValue(value, pendingListKey) as unknown[]).length === 0) setOwn(value, pendingListKey, null);
  // An empty or comment-only document is null to YAML, not an empty mapping.
  if (Object.keys(value).length === 0) return undefined;
  return { value, locations };
}

/** Where `KEY` would end its match on the line `text[lineStart, contentEnd)` (the offset of the `:`), or -1. */
function keyEndAt(text: string, lineStart: number, contentEnd: number): number {
  const first = text.charCodeAt(lineStart);
  if (!((first >= 0x41 && first <= 0x5a) || (first >= 0x61 && first <= 0x7a) || first === 0x5f)) return -1;
  let i = lineStart + 1;
  for (; i < contentEnd; i++) {
    const c = text.charCodeAt(i);
    if (!((c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39) || c === 0x5f || c === 0x2d)) break;
  }
  if (i >= contentEnd || text.charCodeAt(i) !== 0x3a) return -1;
  const after = i + 1 < contentEnd ? text.charCodeAt(i + 1) : -1;
  return after === -1 || after === 0x20 || after === 0x09 ? i : -1;
}
