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

/** Bounds and lists the strategy-health rules use; each has a default, see `DEFAULT_THRESHOLDS`. */
const thresholdsSchema = z
  .object({
    keyResultsPerObjective: z.object({ min: count.optional(), max: count.optional() }).strict().optional(),
    objectivesPerStrategy: count.optional(),
    outputVerbs: z.array(z.string().min(1)).optional(),
    staleAfterDays: count.optional(),
    innovationMixTolerance: z.number().min(0).max(100).optional(),
  })
  .strict();

export const configSchema = z
  .object({
    rules: z.partialRecord(z.enum(RULE_NAMES as [string, ...string[]]), severitySetting).optional(),
    prefixes: z.record(z.string().regex(/^[A-Z]+$/, 'a prefix is uppercase letters only'), kindSetting).optional(),
    include: z.array(z.string().min(1)).optional(),
    exclude: z.array(z.string().min(1)).optional(),
    thresholds: thresholdsSchema.optional(),
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
}

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
  for (const layer of layers) {
    if (!layer) continue;
    for (const [rule, severity] of Object.entries(layer.rules ?? {})) if (severity) severities.set(rule, severity);
    for (const [prefix, kind] of Object.entries(layer.prefixes ?? {})) prefixes.set(prefix, kind);
    if (layer.include?.length) include = layer.include;
    if (layer.exclude) exclude = [...DEFAULT_EXCLUDE, ...layer.exclude];
    const set = layer.thresholds;
    if (set) {
      thresholds = {
        keyResultsMin: set.keyResultsPerObjective?.min ?? thresholds.keyResultsMin,
        keyResultsMax: set.keyResultsPerObjective?.max ?? thresholds.keyResultsMax,
        objectivesPerStrategy: set.objectivesPerStrategy ?? thresholds.objectivesPerStrategy,
        outputVerbs: set.outputVerbs ? set.outputVerbs.map((verb) => verb.trim().toLowerCase()) : thresholds.outputVerbs,
        staleAfterDays: set.staleAfterDays ?? thresholds.staleAfterDays,
        innovationMixTolerance: set.innovationMixTolerance ?? thresholds.innovationMixTolerance,
      };
    }
  }
  return { severities, prefixes, include, exclude, thresholds };
}

export const DEFAULT_CONFIG: ThroughlineConfig = resolveConfig();

export const CONFIG_FILE_NAME = '.throughline.yml';
