import { z } from 'zod';
import { ITEM_KINDS, type ItemKind, type Severity } from './model';
import { RULE_NAMES } from './ruleCatalog';

export const DEFAULT_PREFIXES: Readonly<Record<string, ItemKind>> = {
  VIS: 'vision',
  STR: 'strategy',
  OBJ: 'objective',
  KR: 'keyResult',
  OUT: 'outcome',
  PRD: 'prd',
  REQ: 'requirement',
};

export const DEFAULT_EXCLUDE = ['**/node_modules/**', '**/.git/**'];

const severitySetting = z.enum(['error', 'warning', 'info', 'hint', 'off']);
export type SeveritySetting = z.infer<typeof severitySetting>;

/** Accepts `KR` → `keyResult` as well as the spelled-out `key-result` / `key result`. */
const kindSetting = z.preprocess(
  (value) => (typeof value === 'string' ? normalizeKindName(value) : value),
  z.enum(ITEM_KINDS),
);

/**
 * Words that open a key result describing an activity or output rather than a measurable change.
 * Verbs that also start common metric names ("Run rate", "Design partners", "Write-off rate") are
 * left out to avoid false alarms.
 */
export const DEFAULT_OUTPUT_VERBS = [
  'launch', 'ship', 'build', 'release', 'implement', 'deliver', 'create', 'complete', 'finish', 'develop',
  'deploy', 'introduce', 'add', 'roll out', 'rollout', 'migrate', 'publish',
] as const;

const count = z.number().int().min(0);

/** Caps that keep a hostile `.throughline.yml` (or editor setting) from costing unbounded time or memory. */
export const CONFIG_LIMITS = {
  /** Bytes of `.throughline.yml` read at all; a larger file is ignored with one `config` error. */
  fileBytes: 256 * 1024,
  /** Entries of `include`, `exclude`, `outputVerbs` and `prefixes`. */
  listEntries: 1_000,
  /** Characters of one glob pattern (kept short so a message can quote it) or output verb. */
  patternLength: 1_000,
  /** Characters of a prefix. */
  prefixLength: 32,
  /** The largest `maxProblemsPerFile`. */
  maxProblemsPerFile: 100_000,
} as const;

/** The number of problems one file shows before a single summary problem stands for the rest. */
export const DEFAULT_MAX_PROBLEMS_PER_FILE = 1_000;

/** Bounds and lists the strategy-health rules use; each has a default, see `DEFAULT_THRESHOLDS`. */
export interface Thresholds {
  readonly keyResultsMin: number;
  readonly keyResultsMax: number;
  readonly objectivesPerStrategy: number;
  /** Lower-cased; a phrase such as `roll out` matches word by word. */
  readonly outputVerbs: readonly string[];
  readonly staleAfterDays: number;
  /** Percentage points the innovation mix may drift from the strategy's `innovation_mix`. */
  readonly innovationMixTolerance: number;
}

export const DEFAULT_THRESHOLDS: Thresholds = {
  keyResultsMin: 2,
  keyResultsMax: 5,
  objectivesPerStrategy: 5,
  outputVerbs: DEFAULT_OUTPUT_VERBS,
  staleAfterDays: 90,
  innovationMixTolerance: 10,
};

const entries = (what: string) => `at most ${CONFIG_LIMITS.listEntries.toLocaleString('en-US')} ${what}`;

/** A glob list: bounded in entries and in the length of each pattern. */
const patternList = z
  .array(z.string().min(1).max(CONFIG_LIMITS.patternLength, `a pattern has at most ${CONFIG_LIMITS.patternLength.toLocaleString('en-US')} characters`))
  .max(CONFIG_LIMITS.listEntries, entries('patterns'));

/**
 * `min` above `max` would flag every objective. A bound given alone is compared with the other
 * bound's default (the editor settings do not carry thresholds, so the default is what applies).
 */
const keyResultBounds = z
  .object({ min: count.optional(), max: count.optional() })
  .strict()
  .superRefine(({ min, max }, context) => {
    const low = min ?? DEFAULT_THRESHOLDS.keyResultsMin;
    const high = max ?? DEFAULT_THRESHOLDS.keyResultsMax;
    if (low <= high) return;
    const message =
      min !== undefined && max !== undefined
        ? `min ${min} is above max ${max}`
        : min !== undefined
          ? `min ${min} is above the default max ${high}; set max too`
          : `max ${high} is below the default min ${low}; set min too`;
    context.addIssue({ code: 'custom', message, path: [min !== undefined ? 'min' : 'max'] });
  });

const thresholdsSchema = z
  .object({
    keyResultsPerObjective: keyResultBounds.optional(),
    objectivesPerStrategy: count.optional(),
    outputVerbs: z
      .array(z.string().max(CONFIG_LIMITS.patternLength, `a verb has at most ${CONFIG_LIMITS.patternLength.toLocaleString('en-US')} characters`).regex(/[\p{L}\p{N}]/u, 'a verb needs a letter or digit'))
      .max(CONFIG_LIMITS.listEntries, entries('verbs'))
      .optional(),
    staleAfterDays: count.optional(),
    innovationMixTolerance: z.number().min(0).max(100).optional(),
  })
  .strict();

/**
 * zod's records skip an own `__proto__` key without a word (so that it cannot replace the
 * result's prototype); this reports it as an unrecognized key, which, unlike other issues, lets
 * the record still check (and report) its other keys.
 */
function withoutProtoKey<T extends z.ZodType>(schema: T) {
  return z.preprocess((value, context) => {
    if (value !== null && typeof value === 'object' && Object.hasOwn(value, '__proto__')) {
      context.addIssue({ code: 'unrecognized_keys', keys: ['__proto__'], input: value as Record<string, unknown> });
    }
    return value;
  }, schema);
}

export const PREFIX_MESSAGE = `a prefix is uppercase letters only (at most ${CONFIG_LIMITS.prefixLength})`;

export const configSchema = z
  .object({
    // A strict object rather than a record: an unknown name, `__proto__` included, is an unrecognized key.
    rules: z
      .object(Object.fromEntries(RULE_NAMES.map((name) => [name, severitySetting.optional()])) as Record<string, z.ZodOptional<typeof severitySetting>>)
      .strict()
      .optional(),
    prefixes: withoutProtoKey(
      z
        .record(z.string().regex(new RegExp(`^[A-Z]{1,${CONFIG_LIMITS.prefixLength}}$`), PREFIX_MESSAGE), kindSetting)
        .refine((prefixes) => Object.keys(prefixes).length <= CONFIG_LIMITS.listEntries, entries('prefixes')),
    ).optional(),
    include: patternList.optional(),
    exclude: patternList.optional(),
    thresholds: thresholdsSchema.optional(),
    maxProblemsPerFile: z.number().int().min(1).max(CONFIG_LIMITS.maxProblemsPerFile).optional(),
  })
  .strict();

export type ConfigInput = z.infer<typeof configSchema>;

/** The effective configuration: defaults, then user settings, then `.throughline.yml`. */
export interface ThroughlineConfig {
  readonly severities: ReadonlyMap<string, Severity | 'off'>;
  readonly prefixes: ReadonlyMap<string, ItemKind>;
  readonly include: readonly string[];
  readonly exclude: readonly string[];
  readonly thresholds: Thresholds;
  /** Problems shown per file; one summary problem stands for the rest (default `DEFAULT_MAX_PROBLEMS_PER_FILE`). */
  readonly maxProblemsPerFile: number;
}

export function normalizeKindName(value: string): string {
  const compact = value.replace(/[\s_-]+/g, '').toLowerCase();
  const found = ITEM_KINDS.find((kind) => kind.toLowerCase() === compact);
  return found ?? value;
}

/**
 * Merges configuration layers; later layers win key by key, so `.throughline.yml` (last) overrides
 * editor settings, which override the defaults.
 */
export function resolveConfig(...layers: (ConfigInput | undefined)[]): ThroughlineConfig {
  const severities = new Map<string, Severity | 'off'>();
  const prefixes = new Map<string, ItemKind>(Object.entries(DEFAULT_PREFIXES));
  let include: readonly string[] = ['**/*.md', '**/*.markdown'];
  let exclude: readonly string[] = DEFAULT_EXCLUDE;
  let thresholds = DEFAULT_THRESHOLDS;
  let maxProblemsPerFile = DEFAULT_MAX_PROBLEMS_PER_FILE;
  for (const layer of layers) {
    if (!layer) continue;
    // Own keys only (Object.entries), into Maps: no key reaches Object.prototype.
    for (const [rule, severity] of Object.entries(layer.rules ?? {})) if (severity) severities.set(rule, severity);
    for (const [prefix, kind] of Object.entries(layer.prefixes ?? {})) prefixes.set(prefix, kind);
    const max = layer.maxProblemsPerFile;
    if (typeof max === 'number' && Number.isSafeInteger(max) && max >= 1) maxProblemsPerFile = Math.min(max, CONFIG_LIMITS.maxProblemsPerFile);
    if (layer.include?.length) include = layer.include;
    if (layer.exclude) exclude = [...DEFAULT_EXCLUDE, ...layer.exclude];
    const set = layer.thresholds;
    if (set) {
      let keyResultsMin = set.keyResultsPerObjective?.min ?? thresholds.keyResultsMin;
      let keyResultsMax = set.keyResultsPerObjective?.max ?? thresholds.keyResultsMax;
      // The schema reports min > max; a layer that was not validated keeps the bounds it would invert.
      if (keyResultsMin > keyResultsMax) [keyResultsMin, keyResultsMax] = [thresholds.keyResultsMin, thresholds.keyResultsMax];
      thresholds = {
        keyResultsMin,
        keyResultsMax,
        objectivesPerStrategy: set.objectivesPerStrategy ?? thresholds.objectivesPerStrategy,
        outputVerbs: set.outputVerbs ? set.outputVerbs.map((verb) => verb.trim().toLowerCase()) : thresholds.outputVerbs,
        staleAfterDays: set.staleAfterDays ?? thresholds.staleAfterDays,
        innovationMixTolerance: set.innovationMixTolerance ?? thresholds.innovationMixTolerance,
      };
    }
  }
  return { severities, prefixes, include, exclude, thresholds, maxProblemsPerFile };
}

export const DEFAULT_CONFIG: ThroughlineConfig = resolveConfig();

export const CONFIG_FILE_NAME = '.throughline.yml';
