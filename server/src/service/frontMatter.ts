import { isMap, isPair, isScalar, isSeq, parseDocument, type Node as YamlNode } from 'yaml';
import type { z } from 'zod';
import { DOCUMENT_TYPES, type DocumentType } from './model';
import { FRONT_MATTER_SCHEMAS } from './schemas';
import { parseSimpleYaml, type YamlLocation } from './simpleYaml';

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
      return { contentStart: nextLineStart(text, firstEnd), contentEnd: lineStart, closingLine: line, bodyOffset: nextLineStart(text, end), bodyLine: line + 1 };
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

const TYPE_LINE = /^type:[ \t]*["']?(vision|strategy|prd)["']?[ \t]*(?:#.*)?$/m;

/**
 * Parses and validates the front-matter of a file. Returns `undefined` when the file does not take part:
 * no front-matter, or a `type` other than vision/strategy/prd. A file whose YAML is broken still takes
 * part when a `type:` line names one of the three types, so its author sees the syntax error.
 */
export function parseFrontMatter(text: string, block: FrontMatterBlock): ParsedFrontMatter | undefined {
  const fast = block.closingLine >= 0 ? parseSimpleYaml(text, block.contentStart, block.contentEnd) : undefined;
  if (fast) {
    const type = fast.value['type'];
    if (typeof type !== 'string' || !(DOCUMENT_TYPES as readonly string[]).includes(type)) return undefined;
    return validate(type as DocumentType, fast.value, fast.locations, []);
  }
  return parseWithYaml(text, block);
}

function parseWithYaml(text: string, block: FrontMatterBlock): ParsedFrontMatter | undefined {
  // `yaml` does not treat a lone CR as a line break; same length, so offsets stay valid.
  const yamlText = text.slice(block.contentStart, block.contentEnd).replace(/\r(?!\n)/g, '\n');
  const document = parseDocument(yamlText, { prettyErrors: false, uniqueKeys: true, strict: true });
  const base = block.contentStart;
  const problems: FrontMatterProblem[] = document.errors.map((error) => ({
    message: `YAML: ${firstLine(error.message)}`,
    start: base + error.pos[0],
    end: base + Math.max(error.pos[1], error.pos[0] + 1),
  }));
  if (block.closingLine < 0) {
    problems.push({ message: 'The front-matter is not closed: add a line `---` after the last key.', start: 0, end: Math.min(text.length, 3 + (text.charCodeAt(0) === 0xfeff ? 1 : 0)) });
  }
  const locations = new Map<string, YamlLocation>();
  let data: Record<string, unknown> = {};
  if (document.errors.length === 0) {
    const json: unknown = document.toJS({ maxAliasCount: 100 });
    if (json !== null && typeof json === 'object' && !Array.isArray(json)) data = json as Record<string, unknown>;
    else problems.push({ message: 'The front-matter must be a YAML mapping of keys to values.', start: base, end: Math.max(base + 1, block.contentEnd) });
    collectLocations(document.contents, '', base, locations);
  }
  let type = data['type'];
  if (typeof type !== 'string' || !(DOCUMENT_TYPES as readonly string[]).includes(type)) {
    const typeLine = TYPE_LINE.exec(yamlText);
    if (!typeLine) return undefined;
    type = typeLine[1]!;
  }
  return validate(type as DocumentType, data, locations, problems);
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
  if (problems.length === 0) {
    const result = (FRONT_MATTER_SCHEMAS[type] as z.ZodType).safeParse(data);
    if (!result.success) {
      for (const issue of result.error.issues) {
        problems.push(describeIssue(issue, data, locations));
      }
    }
  }
  return { type, data, locations, problems };
}

function describeIssue(issue: z.core.$ZodIssue, data: Record<string, unknown>, locations: ReadonlyMap<string, YamlLocation>): FrontMatterProblem {
  const path = issue.path.map(String).join('.');
  const topKey = String(issue.path[0] ?? '');
  let location = locations.get(path);
  if (!location && issue.code === 'invalid_type' && issue.path.length === 1 && !(topKey in data)) {
    const typeLocation = locations.get('type');
    return { message: `Missing required key \`${topKey}\`.`, start: typeLocation?.start ?? 0, end: typeLocation?.end ?? 0 };
  }
  location ??= locations.get(topKey) ?? locations.get(`${topKey}#`) ?? { start: 0, end: 0 };
  let message = issue.message;
  if (issue.code === 'invalid_value' && 'values' in issue) {
    message = `\`${path}\` must be one of ${(issue.values as unknown[]).map((value) => String(value)).join(', ')}.`;
  } else if (issue.code === 'invalid_type') {
    message = `\`${path}\`: expected ${issue.expected}.`;
  } else {
    message = `\`${path}\`: ${message}`;
  }
  return { message, start: location.start, end: Math.max(location.end, location.start) };
}
