/**
 * Editor settings: the object a client sends under the `throughline` section (by
 * `workspace/configuration`, a `workspace/didChangeConfiguration` push or `initializationOptions`).
 * It has the keys of `.throughline.yml` and is validated by the same schema, with the same
 * keep-the-valid-rest rule: an invalid entry is left out with a message, and every valid entry
 * still applies, so one typo does not switch every setting back to its default.
 */
import { z } from 'zod';
import { configSchema, PREFIX_MESSAGE, type ConfigInput } from '../model/config';
import { escapeConfigText, issueMessage, keepValidEntries, knownKeys, MAX_CONFIG_PROBLEMS, withoutRules } from './configFile';
import { RULE_NAMES } from '../rules/ruleCatalog';

interface ParsedSettings {
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

const quote = (text: unknown) => `\`${escapeConfigText(String(text))}\``;

/**
 * Validates editor settings entry by entry. Never throws: anything that is not an object is one
 * problem and no settings. `null` and `undefined` (a client with no such section) are no settings
 * and no problem; so is a key whose value is `null` (unset).
 */
export function parseSettings(raw: unknown): ParsedSettings {
  if (raw === null || raw === undefined) return { settings: undefined, problems: [] };
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    return {
      settings: undefined,
      problems: [
        `the settings must be an object of ${andList(Object.keys(configSchema.shape))}, not ${Array.isArray(raw) ? 'a list' : `a ${typeof raw}`}; the defaults apply.`,
      ],
    };
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
  const unknownRules = new Set(
    rules && typeof rules === 'object' && !Array.isArray(rules) ? Object.keys(rules).filter((name) => name !== '__proto__' && !RULE_NAMES.includes(name)) : [],
  );
  for (const name of unknownRules) add(unknownRuleMessage(name));

  const result = configSchema.safeParse(candidate);
  if (result.success) return done(result.data);
  for (const issue of result.error.issues) for (const message of describeIssue(issue, candidate, unknownRules)) add(message);
  return done(keepValidEntries(candidate));
}

const unknownRuleMessage = (name: string) => `${quote(`rules.${name}`)}: no such rule; the rules are ${orList(RULE_NAMES)}.`;

/** The messages for one schema issue: one per unknown key, else one naming the setting's path. */
function describeIssue(issue: z.core.$ZodIssue, data: unknown, unknownRules: ReadonlySet<string>): string[] {
  const path = issue.path;
  const where = (segments: readonly PropertyKey[]) => quote(segments.map(String).join('.'));
  if (issue.code === 'unrecognized_keys') {
    const rulesSection = path.length === 1 && path[0] === 'rules';
    return issue.keys
      .filter((key) => !(rulesSection && unknownRules.has(key)))
      .map((key) => {
        if (rulesSection) return `${where(['rules', key])}: no such rule.`;
        if (path.length === 1 && path[0] === 'prefixes') return `${where(['prefixes', key])}: ${PREFIX_MESSAGE}`;
        return `${where([...path, key])}: no such setting; expected ${orList(knownKeys(path))}.`;
      });
  }
  return [`${path.length ? `${where(path)}: ` : ''}${issueMessage(issue, data)}`];
}

function orList(words: readonly string[]): string {
  return words.length <= 1 ? (words[0] ?? 'nothing') : `${words.slice(0, -1).join(', ')} or ${words[words.length - 1]}`;
}

/** `a, b and c`. */
function andList(words: readonly string[]): string {
  return words.length <= 1 ? words.join('') : `${words.slice(0, -1).join(', ')} and ${words.at(-1)}`;
}
