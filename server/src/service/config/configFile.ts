import { isAlias, isMap, isPair, isScalar, isSeq, parseDocument, visit, type Document, type Node as YamlNode, type Pair, type YAMLMap } from 'yaml';
import { z } from 'zod';
import { BUILT_IN_ATTRIBUTE_KEYS, CONFIG_LIMITS, configFileSchema, configSchema, linkAliasKey, PREFIX_MESSAGE, type ConfigFileInput } from '../model/config';
import { RULE_NAMES } from '../rules/ruleCatalog';
import type { ParseProblem } from '../model/model';
import { computeLineStarts, positionAtOffset } from '../parse/text';

export interface ParsedConfigFile {
  readonly config: ConfigFileInput | undefined;
  readonly problems: readonly ParseProblem[];
}

/** Problems reported for one config file; one more problem says how many were left out. */
export const MAX_CONFIG_PROBLEMS = 100;

/**
 * The most alias expansions `toJS` makes (yaml's `maxAliasCount`): a "billion laughs" file stops
 * after about this many instead of growing exponentially.
 */
const MAX_ALIAS_COUNT = 100;

/** The longest key or value quoted in a message. */
const QUOTED_LENGTH = 80;

/** Sections whose entries are validated one by one, so that one bad entry does not drop the others. */
const ENTRY_SECTIONS = new Set(['rules', 'prefixes', 'thresholds', 'linkAliases']);

/**
 * Text from the file (a key, a path) as it may appear in a message: control characters, line and
 * paragraph separators and bidirectional controls escaped as `\uXXXX`, shortened to 80 characters.
 * A key can never write to the terminal or a CI log through a message.
 */
export function escapeConfigText(text: string): string {
  const short = text.length > QUOTED_LENGTH ? `${text.slice(0, QUOTED_LENGTH - 1)}…` : text;
  return short.replace(
    /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]/g,
    (character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

const quote = (text: unknown) => `\`${escapeConfigText(String(text))}\``;

const unknownRuleMessage = (name: string) => `Unknown rule ${quote(name)}; the rules are ${RULE_NAMES.join(', ')}.`;

/**
 * Parses `.throughline.yml`. Invalid entries are reported where they are written and left out;
 * the valid rest still applies, so one typo does not switch every rule back to its default.
 * Never throws: a file that cannot be read at all (too large, an alias bomb, nesting too deep for
 * the parser) is one `config` error and the defaults apply.
 */
export function parseConfigFile(text: string): ParsedConfigFile {
  try {
    return parse(text);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return {
      config: undefined,
      problems: [wholeFileProblem(text, `Could not read this configuration file (${escapeConfigText(message.split('\n')[0] ?? '')}); the defaults apply.`)],
    };
  }
}

/** A problem on the first line, for a file that is rejected as a whole. */
function wholeFileProblem(text: string, message: string): ParseProblem {
  const firstLine = text.slice(0, 1_000).split(/\r?\n|\r/)[0] ?? '';
  return { rule: 'config', severity: 'error', message, span: { line: 0, start: 0, end: Math.max(1, firstLine.length) } };
}

function utf8Length(text: string): number {
  let bytes = 0;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code <= 0xdbff) {
      bytes += 4;
      index++;
    } else bytes += 3;
  }
  return bytes;
}

function parse(text: string): ParsedConfigFile {
  // Every character is at least one byte: a long string is rejected without counting.
  const bytes = text.length > CONFIG_LIMITS.fileBytes ? text.length : utf8Length(text);
  if (bytes > CONFIG_LIMITS.fileBytes) {
    const size = text.length > CONFIG_LIMITS.fileBytes ? `more than ${CONFIG_LIMITS.fileBytes / 1024} KB` : `${Math.ceil(bytes / 1024)} KB`;
    return {
      config: undefined,
      problems: [
        wholeFileProblem(
          text,
          `This configuration file is ${size}; at most ${CONFIG_LIMITS.fileBytes / 1024} KB are read. It is ignored and the defaults apply.`,
        ),
      ],
    };
  }
  const lineStarts = computeLineStarts(text);
  const problems: ParseProblem[] = [];
  let leftOut = 0;
  const problemAt = (rawStart: number, rawEnd: number, message: string, severity: 'error' | 'warning' = 'error') => {
    if (problems.length >= MAX_CONFIG_PROBLEMS) {
      leftOut++;
      return;
    }
    // The parser reports errors at end of input one past the last character.
    const start = Math.min(Math.max(0, rawStart), text.length);
    const end = Math.min(Math.max(start, rawEnd), text.length);
    const from = positionAtOffset(lineStarts, start);
    const to = positionAtOffset(lineStarts, Math.max(start, end));
    problems.push({
      rule: 'config',
      severity,
      message,
      span: { line: from.line, start: from.character, end: to.line === from.line ? to.character : from.character + 1 },
    });
  };
  const finish = (config: ConfigFileInput | undefined): ParsedConfigFile => {
    problems.sort((a, b) => a.span.line - b.span.line || a.span.start - b.span.start);
    if (leftOut > 0) {
      const last = problems[problems.length - 1]!;
      problems.push({ ...last, message: `${leftOut.toLocaleString('en-US')} more ${leftOut === 1 ? 'problem' : 'problems'} in this file are not shown.` });
    }
    return { config, problems };
  };

  // `uniqueKeys` is off: yaml compares every key with every earlier one (20,000 keys take seconds).
  // Duplicates are found below with one Set per mapping instead.
  const document = parseDocument(text, { prettyErrors: false, uniqueKeys: false });
  for (const error of document.errors) problemAt(error.pos[0], error.pos[1], `YAML: ${escapeConfigText(error.message.split('\n')[0] ?? '')}`);
  for (const key of duplicateKeys(document))
    problemAt(key.range?.[0] ?? 0, key.range?.[1] ?? 0, `YAML: Map keys must be unique; ${quote(keyText(key))} is repeated.`);
  if (problems.length) return finish(undefined);

  let data: unknown;
  try {
    data = document.toJS({ maxAliasCount: MAX_ALIAS_COUNT }) ?? {};
  } catch (error) {
    if (!(error instanceof ReferenceError) || !/alias/i.test(error.message)) throw error;
    const alias = firstAlias(document);
    problemAt(
      alias?.[0] ?? 0,
      alias?.[1] ?? 1,
      `YAML: the aliases in this file expand to too much data (more than ${MAX_ALIAS_COUNT} alias uses); it is ignored and the defaults apply.`,
    );
    return finish(undefined);
  }

  const locate = locator(document);
  const report = (issue: z.core.$ZodIssue) => {
    const path = issue.path;
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        const [start, end] = locate([...path, key]);
        problemAt(
          start,
          end,
          path[0] === 'rules' && path.length === 1
            ? unknownRuleMessage(key)
            : path[0] === 'prefixes' && path.length === 1
              ? `${quote(`prefixes.${key}`)}: ${PREFIX_MESSAGE}`
              : `Unknown setting ${quote(key)}; expected ${knownKeys(path, configFileSchema)
                  .join(', ')
                  .replace(/, ([^,]*)$/, ' or $1')}.`,
        );
      }
      return;
    }
    const [start, end] = locate(path);
    const where = path.map(String).join('.');
    problemAt(start, end, `${where ? `${quote(where)}: ` : ''}${issueMessage(issue, data)}`);
  };

  // The schema takes any rule name (the configuration sits below the rules); the rule list decides.
  const rulesSection = valueAt(data, ['rules']);
  const unknownRules = new Set<string>();
  if (rulesSection && typeof rulesSection === 'object' && !Array.isArray(rulesSection)) {
    for (const key of Object.keys(rulesSection)) {
      if (key === '__proto__' || RULE_NAMES.includes(key)) continue;
      unknownRules.add(key);
      const [start, end] = locate(['rules', key]);
      problemAt(start, end, unknownRuleMessage(key));
    }
  }
  // An alias of a key Throughline reads itself would change what every document means: warned and ignored.
  const aliases = valueAt(data, ['linkAliases']);
  if (aliases && typeof aliases === 'object' && !Array.isArray(aliases) && Object.keys(aliases).length <= CONFIG_LIMITS.listEntries) {
    for (const key of Object.keys(aliases)) {
      if (!BUILT_IN_ATTRIBUTE_KEYS.has(linkAliasKey(key))) continue;
      const [start, end] = locate(['linkAliases', key]);
      problemAt(
        start,
        end,
        `${quote(`linkAliases.${key}`)}: \`${escapeConfigText(key)}:\` is a key Throughline reads itself; this alias is ignored.`,
        'warning',
      );
    }
  }
  const result = configFileSchema.safeParse(data);
  if (result.success) return finish(withoutRules(result.data, unknownRules));
  for (const issue of result.error.issues) report(issue);

  return finish(withoutRules(keepValidEntries(data, configFileSchema), unknownRules));
}

/**
 * What validates on its own: whole settings, and inside `rules`, `prefixes` and `thresholds` each
 * entry (a section over the size limit is left out whole). Own keys only, into objects built with
 * defined keys (`__proto__` included never reaches a prototype). `.throughline.yml` and editor
 * settings (settings.ts) both keep the valid rest this way.
 */
export function keepValidEntries<S extends typeof configSchema | typeof configFileSchema = typeof configSchema>(data: unknown, schema?: S): z.infer<S> {
  const kept: [string, unknown][] = [];
  const checked: z.ZodType = schema ?? configSchema;
  if (!data || typeof data !== 'object' || Array.isArray(data)) return {} as z.infer<S>;
  for (const [key, value] of Object.entries(data)) {
    const single = checked.safeParse({ [key]: value });
    if (single.success) {
      const parsed = single.data as Record<string, unknown>;
      if (Object.hasOwn(parsed, key)) kept.push([key, parsed[key]]);
    } else if (
      ENTRY_SECTIONS.has(key) &&
      value &&
      typeof value === 'object' &&
      !Array.isArray(value) &&
      Object.keys(value).length <= CONFIG_LIMITS.listEntries
    ) {
      const entries: [string, unknown][] = [];
      for (const [entry, setting] of Object.entries(value)) {
        const one = checked.safeParse({ [key]: { [entry]: setting } });
        if (!one.success) continue;
        const section = (one.data as Record<string, Record<string, unknown> | undefined>)[key];
        if (section && Object.hasOwn(section, entry)) entries.push([entry, section[entry]]);
      }
      kept.push([key, Object.fromEntries(entries)]);
    }
  }
  return Object.fromEntries(kept) as z.infer<S>;
}

/** The settings without the given rule names (own keys only). */
export function withoutRules<T extends { rules?: Record<string, unknown> | undefined }>(settings: T, names: ReadonlySet<string>): T {
  if (names.size === 0 || !settings.rules) return settings;
  return { ...settings, rules: Object.fromEntries(Object.entries(settings.rules).filter(([name]) => !names.has(name))) };
}

/** The keys that occur twice in one mapping (scalar keys compared by value). */
function duplicateKeys(document: Document): YamlNode[] {
  const found: YamlNode[] = [];
  visit(document, {
    Map(_, map) {
      const seen = new Set<string>();
      for (const pair of map.items) {
        if (!isScalar(pair.key)) continue;
        const value = keyText(pair.key);
        if (seen.has(value)) found.push(pair.key);
        else seen.add(value);
      }
    },
  });
  return found;
}

function keyText(key: YamlNode): string {
  return isScalar(key) ? String(key.value) : String(key);
}

function firstAlias(document: Document): [number, number] | undefined {
  let range: [number, number] | undefined;
  visit(document, {
    Alias(_, alias) {
      if (alias.range) range = [alias.range[0], alias.range[1]];
      return visit.BREAK;
    },
  });
  return range;
}

/** The value at `path` in the converted data, through own properties only. */
export function valueAt(data: unknown, path: readonly PropertyKey[]): unknown {
  let value = data;
  for (const segment of path) {
    if (value === null || typeof value !== 'object' || typeof segment === 'symbol' || !Object.hasOwn(value, segment)) return undefined;
    value = (value as Record<string, unknown>)[segment];
  }
  return value;
}

/**
 * Finds where a schema path is written: the key of its last segment (the value for a list item).
 * Each mapping's keys are indexed once, so locating every key of a large mapping stays linear.
 */
function locator(document: Document): (path: readonly PropertyKey[]) => [number, number] {
  const indexes = new WeakMap<YAMLMap, Map<string, Pair>>();
  const pairOf = (map: YAMLMap, key: string): Pair | undefined => {
    let index = indexes.get(map);
    if (!index) {
      index = new Map();
      for (const candidate of map.items) {
        if (isPair(candidate) && isScalar(candidate.key)) {
          const text = String(candidate.key.value);
          if (!index.has(text)) index.set(text, candidate);
        }
      }
      indexes.set(map, index);
    }
    return index.get(key);
  };
  return (path) => {
    let node: unknown = document.contents;
    let range: [number, number] = [0, 0];
    for (const [position, segment] of path.entries()) {
      if (isAlias(node)) node = node.resolve(document);
      if (isMap(node)) {
        const pair = pairOf(node, String(segment));
        if (!pair) break;
        const keyNode = pair.key as YamlNode;
        if (keyNode.range) range = [keyNode.range[0], keyNode.range[1]];
        node = pair.value;
        const valueRange = (pair.value as YamlNode | null)?.range;
        if (valueRange && position < path.length - 1 && !isMap(pair.value) && !isSeq(pair.value)) range = [valueRange[0], valueRange[1]];
      } else if (isSeq(node)) {
        const item = node.items[Number(segment)] as YamlNode | undefined;
        if (!item?.range) break;
        range = [item.range[0], item.range[1]];
        node = item;
      } else break;
    }
    return range;
  };
}

/** The keys the schema knows at `path` (the top level or a nested object such as `thresholds`). */
export function knownKeys(path: readonly PropertyKey[], of: z.ZodType = configSchema): string[] {
  let schema: z.ZodType = of;
  for (const segment of path) {
    schema = unwrap(schema);
    if (!(schema instanceof z.ZodObject)) return [];
    const shape = schema.shape as Record<string, z.ZodType>;
    schema = Object.hasOwn(shape, String(segment)) ? shape[String(segment)]! : z.never();
  }
  schema = unwrap(schema);
  return schema instanceof z.ZodObject ? Object.keys(schema.shape) : [];
}

function unwrap(schema: z.ZodType): z.ZodType {
  for (;;) {
    if (schema instanceof z.ZodOptional) schema = schema.unwrap() as z.ZodType;
    else if (schema instanceof z.ZodPipe) schema = schema.out as z.ZodType;
    else return schema;
  }
}

/** What a zod issue says, in the words both `.throughline.yml` and editor settings use. */
export function issueMessage(issue: z.core.$ZodIssue, data: unknown): string {
  const path = issue.path;
  let message = issue.message;
  if (issue.code === 'invalid_key' && path[0] === 'prefixes') message = issue.issues[0]?.message ?? message;
  if (issue.code === 'invalid_value' && 'values' in issue) message = `must be one of ${(issue.values as unknown[]).join(', ')}`;
  if (issue.code === 'too_big' && issue.origin === 'array') {
    const value = valueAt(data, path);
    if (Array.isArray(value)) message = `${message} (this list has ${value.length.toLocaleString('en-US')})`;
  }
  return message;
}
