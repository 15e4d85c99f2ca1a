/**
 * Editor settings: the object a client sends under the `throughline` section (by
 * `workspace/configuration`, a `workspace/didChangeConfiguration` push or `initializationOptions`).
 * It has the keys of `.throughline.yml` and is validated by the same schema, with the same
 * keep-the-valid-rest rule: an invalid entry is left out with a message, and every valid entry
 * still applies, so one typo does not switch every setting back to its default.
 */
import { z } from 'zod';
import { CONFIG_LIMITS, configSchema, PREFIX_MESSAGE, type ConfigInput } from './config';
import { escapeConfigText, MAX_CONFIG_PROBLEMS } from './configFile';
import { RULE_NAMES } from './ruleCatalog';

export interface ParsedSettings {
  /** The valid settings; undefined when the client sent none (or not an object). */
  readonly settings: ConfigInput | undefined;
  /** One message per entry left out; keys and values from the client are escaped (`escapeConfigText`). */
  readonly problems: string[];
}

/**
 * Keys a client keeps under `throughline` for itself: VS Code's `throughline.trace.server` (the
 * message log of the language client). They are not the server's settings and are not reported.
 */
const CLIENT_KEYS: ReadonlySet<string> = new Set(['trace']);

/** Sections whose entries are validated one by one, as in `.throughline.yml`. */
const ENTRY_SECTIONS: ReadonlySet<string> = new Set(['rules', 'prefixes', 'thresholds']);

const quote = (text: unknown) => `\`${escapeConfigText(String(text))}\``;

/**
 * Validates editor settings entry by entry. Never throws: anything that is not an object is one
 * problem and no settings. `null` and `undefined` (a client with no such section) are no settings
 * and no problem; so is a key whose value is `null` (unset).
 */
export function parseSettings(raw: unknown): ParsedSettings {
  if (raw === null || raw === undefined) return { settings: undefined, problems: [] };
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    return { settings: undefined, problems: [`the settings must be an object of rules, prefixes, include, exclude, thresholds and maxProblemsPerFile, not ${Array.isArray(raw) ? 'a list' : `a ${typeof raw}`}; the defaults apply.`] };
  }
  // Own keys only, into an object built with defined (not assigned) keys: `__proto__` stays a key.
  const candidate = Object.fromEntries(Object.entries(raw).filter(([key, value]) => !CLIENT_KEYS.has(key) && value !== null && value !== undefined));
  const problems: string[] = [];
  let leftOut = 0;
  const add = (message: string) => {
    if (problems.length < MAX_CONFIG_PROBLEMS) problems.push(message);
    else leftOut++;
  };
  const done = (settings: ConfigInput) => {
    if (leftOut > 0) problems.push(`${leftOut.toLocaleString('en-US')} more invalid ${leftOut === 1 ? 'entry' : 'entries'} not listed.`);
    return { settings: withoutRules(settings, unknownRules), problems };
  };

  // The schema takes any rule name (the configuration sits below the rules); the rule list decides,
  // as for `.throughline.yml`. `__proto__` is the schema's to report.
  const rules = candidate['rules'];
  const unknownRules = new Set(rules && typeof rules === 'object' && !Array.isArray(rules) ? Object.keys(rules).filter((name) => name !== '__proto__' && !RULE_NAMES.includes(name)) : []);
  for (const name of unknownRules) add(unknownRuleMessage(name));

  const result = configSchema.safeParse(candidate);
  if (result.success) return done(result.data);
  for (const issue of result.error.issues) for (const message of describeIssue(issue, candidate, unknownRules)) add(message);
  return done(keepValidEntries(candidate));
}

const unknownRuleMessage = (name: string) => `${quote(`rules.${name}`)}: no such rule; the rules are ${orList(RULE_NAMES)}.`;

/** The settings without the given rule names (own keys only). */
function withoutRules(settings: ConfigInput, names: ReadonlySet<string>): ConfigInput {
  if (names.size === 0 || !settings.rules) return settings;
  return { ...settings, rules: Object.fromEntries(Object.entries(settings.rules).filter(([name]) => !names.has(name))) };
}

/**
 * What validates on its own: whole settings, and inside `rules`, `prefixes` and `thresholds` each
 * entry (a section over the size limit is left out whole). The same rule `.throughline.yml`
 * applies in configFile.ts.
 */
export function keepValidEntries(data: unknown): ConfigInput {
  const kept: [string, unknown][] = [];
  if (!data || typeof data !== 'object' || Array.isArray(data)) return {};
  for (const [key, value] of Object.entries(data)) {
    const single = configSchema.safeParse({ [key]: value });
    if (single.success) {
      if (Object.hasOwn(single.data, key)) kept.push([key, (single.data as Record<string, unknown>)[key]]);
    } else if (ENTRY_SECTIONS.has(key) && value && typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length <= CONFIG_LIMITS.listEntries) {
      const entries: [string, unknown][] = [];
      for (const [entry, setting] of Object.entries(value)) {
        const one = configSchema.safeParse({ [key]: { [entry]: setting } });
        if (!one.success) continue;
        const section = (one.data as Record<string, Record<string, unknown> | undefined>)[key];
        if (section && Object.hasOwn(section, entry)) entries.push([entry, section[entry]]);
      }
      kept.push([key, Object.fromEntries(entries)]);
    }
  }
  return Object.fromEntries(kept) as ConfigInput;
}

/** The messages for one schema issue: one per unknown key, else one naming the setting's path. */
function describeIssue(issue: z.core.$ZodIssue, data: unknown, unknownRules: ReadonlySet<string>): string[] {
  const path = issue.path;
  const where = (segments: readonly PropertyKey[]) => quote(segments.map(String).join('.'));
  if (issue.code === 'unrecognized_keys') {
    const rulesSection = path.length === 1 && path[0] === 'rules';
    return issue.keys.filter((key) => !(rulesSection && unknownRules.has(key))).map((key) => {
      if (rulesSection) return `${where(['rules', key])}: no such rule.`;
      if (path.length === 1 && path[0] === 'prefixes') return `${where(['prefixes', key])}: ${PREFIX_MESSAGE}`;
      return `${where([...path, key])}: no such setting; expected ${orList(knownKeys(path))}.`;
    });
  }
  let message = issue.message;
  if (issue.code === 'invalid_key' && path[0] === 'prefixes') message = issue.issues[0]?.message ?? message;
  if (issue.code === 'invalid_value' && 'values' in issue) message = `must be one of ${(issue.values as unknown[]).join(', ')}`;
  if (issue.code === 'too_big' && issue.origin === 'array') {
    const value = valueAt(data, path);
    if (Array.isArray(value)) message = `${message} (this list has ${value.length.toLocaleString('en-US')})`;
  }
  return [`${path.length ? `${where(path)}: ` : ''}${message}`];
}

function orList(words: readonly string[]): string {
  return words.length <= 1 ? (words[0] ?? 'nothing') : `${words.slice(0, -1).join(', ')} or ${words[words.length - 1]}`;
}

/** The value at `path`, through own properties only. */
function valueAt(data: unknown, path: readonly PropertyKey[]): unknown {
  let value = data;
  for (const segment of path) {
    if (value === null || typeof value !== 'object' || typeof segment === 'symbol' || !Object.hasOwn(value, segment)) return undefined;
    value = (value as Record<string, unknown>)[segment];
  }
  return value;
}

/** The keys the schema knows at `path`: the settings, the rule names, the thresholds, `min` and `max`. */
function knownKeys(path: readonly PropertyKey[]): string[] {
  let schema: z.ZodType = configSchema;
  for (const segment of path) {
    schema = unwrap(schema);
    if (!(schema instanceof z.ZodObject)) return [];
    const shape = schema.shape as Record<string, z.ZodType>;
    if (!Object.hasOwn(shape, String(segment))) return [];
    schema = shape[String(segment)]!;
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
