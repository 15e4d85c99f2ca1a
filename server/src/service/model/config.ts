import { z } from 'zod';
import { ITEM_KINDS, type ItemKind, type Severity } from './model';
import { entriesMessage, LIST_LIMITS, type ThresholdFields } from './threshold';
import { THRESHOLDS as DECLARED_THRESHOLDS } from './thresholds';

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

/** Accepts `KR` → `keyResult` as well as the spelled-out `key-result` / `key result`. */
const kindSetting = z.preprocess((value) => (typeof value === 'string' ? normalizeKindName(value) : value), z.enum(ITEM_KINDS));

/** Caps that keep a hostile `.throughline.yml` (or editor setting) from costing unbounded time or memory. */
export const CONFIG_LIMITS = {
  /** Bytes of `.throughline.yml` read at all; a larger file is ignored with one `config` error. */
  fileBytes: 256 * 1024,
  /** Entries of `include`, `exclude`, `outputVerbs` and `prefixes`; characters of one glob pattern or output verb. */
  ...LIST_LIMITS,
  /** Characters of a prefix. */
  prefixLength: 32,
  /** The largest `maxProblemsPerFile`. */
  maxProblemsPerFile: 100_000,
} as const;

/** The number of problems one file shows before a single summary problem stands for the rest. */
export const DEFAULT_MAX_PROBLEMS_PER_FILE = 1_000;

type DeclaredThreshold = (typeof DECLARED_THRESHOLDS)[number];

/** Every threshold the rules read, as declared in model/thresholds.ts (each rule names the ones it reads). */
export const THRESHOLDS: readonly DeclaredThreshold[] = DECLARED_THRESHOLDS;

/** Bounds and lists the rules use: the fields of every declared threshold. */
export type Thresholds = ThresholdFields<readonly DeclaredThreshold[]>;

/** Every threshold's default, from the rules' declarations. */
const DEFAULT_THRESHOLDS: Thresholds = Object.assign({}, ...THRESHOLDS.map((declared) => declared.defaults)) as Thresholds;

/** A glob list: bounded in entries and in the length of each pattern. */
const patternList = z
  .array(
    z
      .string()
      .min(1)
      .max(CONFIG_LIMITS.patternLength, `a pattern has at most ${CONFIG_LIMITS.patternLength.toLocaleString('en-US')} characters`),
  )
  .max(CONFIG_LIMITS.listEntries, entriesMessage('patterns'));

/** `thresholds:`, one optional key per threshold the rules declare. */
const thresholdsSchema = z.object(Object.fromEntries(THRESHOLDS.map((declared) => [declared.key, declared.schema.optional()])) as ThresholdsShape).strict();

type ThresholdsShape = { [T in DeclaredThreshold as T['key']]: z.ZodOptional<T['schema']> };

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

/**
 * How figures (`Baseline:`, `Target:`, `Current:`) separate decimals: `'.'` (1,200.5, the
 * default), `','` (1.200,5), or `'auto'` (whichever the number shows; a number that reads two
 * ways, such as `1,800`, is reported by `ambiguous-number` instead of guessed).
 */
export const DECIMAL_SEPARATORS = ['.', ',', 'auto'] as const;
export type DecimalSeparator = (typeof DECIMAL_SEPARATORS)[number];

export const MONTH_NAMES = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'] as const;

/** Which calendar year names a fiscal year: the one it ends in (FY27 = July 2026 to June 2027, the default) or the one it starts in. */
export const FISCAL_YEAR_NAMES = ['end', 'start'] as const;

/** The fiscal year that `FY27`, `FY2027-Q1` and `FY27-H2` periods count in. */
export interface FiscalYear {
  /** The month the fiscal year starts in, 1 (January, the default) to 12. */
  readonly startMonth: number;
  readonly namedAfter: (typeof FISCAL_YEAR_NAMES)[number];
}

export const DEFAULT_FISCAL_YEAR: FiscalYear = { startMonth: 1, namedAfter: 'end' };

/** A month as 1–12: the number, or its English name or three-letter abbreviation in any case (`July`, `jul`). */
export function monthNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isInteger(value) && value >= 1 && value <= 12 ? value : undefined;
  if (typeof value !== 'string') return undefined;
  const name = value.trim().toLowerCase();
  if (name.length < 3) return undefined;
  const index = MONTH_NAMES.findIndex((month) => month === name || (name.length === 3 && month.startsWith(name)));
  return index === -1 ? undefined : index + 1;
}

const monthSetting = z.union([z.number(), z.string()]).refine((value) => monthNumber(value) !== undefined, {
  message: 'expected a month: 1 to 12, or its name (january, …, december, or jan, …, dec)',
});

export const PREFIX_MESSAGE = `a prefix is uppercase letters only (at most ${CONFIG_LIMITS.prefixLength})`;

export const configSchema = z
  .object({
    // Rule names are the rules' to know (this layer sits below them): configFile.ts reports unknown
    // ones. `__proto__` is an unrecognized key here already.
    rules: withoutProtoKey(z.record(z.string(), severitySetting)).optional(),
    prefixes: withoutProtoKey(
      z
        .record(z.string().regex(new RegExp(`^[A-Z]{1,${CONFIG_LIMITS.prefixLength}}$`), PREFIX_MESSAGE), kindSetting)
        .refine((prefixes) => Object.keys(prefixes).length <= CONFIG_LIMITS.listEntries, entriesMessage('prefixes')),
    ).optional(),
    include: patternList.optional(),
    exclude: patternList.optional(),
    thresholds: thresholdsSchema.optional(),
    maxProblemsPerFile: z.number().int().min(1).max(CONFIG_LIMITS.maxProblemsPerFile).optional(),
    inlayHints: z.boolean().optional(),
    decimalSeparator: z.enum(DECIMAL_SEPARATORS).optional(),
    fiscalYearStart: monthSetting.optional(),
    fiscalYearNamedAfter: z.enum(FISCAL_YEAR_NAMES).optional(),
  })
  .strict();

export type ConfigInput = z.infer<typeof configSchema>;

/** What a `linkAliases` entry may stand for: the two link keys. */
export const LINK_ALIAS_TARGETS = ['traces', 'supports'] as const;
export type LinkAliasTarget = (typeof LINK_ALIAS_TARGETS)[number];

/**
 * Attribute keys Throughline reads, lower-cased. A `linkAliases` key that is one of them is
 * reported (a `config` warning) and ignored: the key keeps its own meaning.
 */
export const BUILT_IN_ATTRIBUTE_KEYS: ReadonlySet<string> = new Set([
  'traces',
  'supports',
  'depends on',
  'metric',
  'baseline',
  'target',
  'current',
  'weight',
  'due',
  'priority',
  'status',
  'owner',
  'confidence',
  'commitment',
]);

/** An attribute key as the index reads one: one or two words, each `[A-Za-z][A-Za-z0-9_-]*`, one space between. */
const ATTRIBUTE_KEY = /^[A-Za-z][A-Za-z0-9_-]{0,63}(?: [A-Za-z][A-Za-z0-9_-]{0,63})?$/;

/** An alias key as compared with attribute keys: lower case, inner spaces collapsed, trimmed. */
export function linkAliasKey(key: string): string {
  return key
    .trim()
    .toLowerCase()
    .split(/[ \t]+/)
    .join(' ');
}

const linkAliasesSetting = withoutProtoKey(
  z
    .record(
      z.string().refine((key) => ATTRIBUTE_KEY.test(linkAliasKey(key)), {
        message: 'an alias is an attribute key: one or two words of letters, digits, `-` and `_`, starting with a letter (`Outcome`, `Delivers on`)',
      }),
      z.preprocess((value) => (typeof value === 'string' ? value.trim().toLowerCase() : value), z.enum(LINK_ALIAS_TARGETS)),
    )
    .refine((aliases) => Object.keys(aliases).length <= CONFIG_LIMITS.listEntries, entriesMessage('aliases')),
);

/**
 * `.throughline.yml`: the editor settings' keys, and keys that change what the documents mean or
 * what the report says, which only the workspace's file sets (so that the CLI, CI and every editor
 * read the documents alike).
 */
export const configFileSchema = configSchema
  .extend({
    linkAliases: linkAliasesSetting.optional(),
    requirementsMayTraceToKeyResults: z.boolean().optional(),
    reportTitle: z.string().trim().min(1, 'expected a title').max(200, 'a report title has at most 200 characters').optional(),
  })
  .strict();

export type ConfigFileInput = z.infer<typeof configFileSchema>;

/** The effective configuration: defaults, then user settings, then `.throughline.yml`. */
export interface ThroughlineConfig {
  readonly severities: ReadonlyMap<string, Severity | 'off'>;
  readonly prefixes: ReadonlyMap<string, ItemKind>;
  readonly include: readonly string[];
  readonly exclude: readonly string[];
  readonly thresholds: Thresholds;
  /** Problems shown per file; one summary problem stands for the rest (default `DEFAULT_MAX_PROBLEMS_PER_FILE`). */
  readonly maxProblemsPerFile: number;
  /** Whether references show the referenced item's title as an inlay hint (default true). */
  readonly inlayHints: boolean;
  /** How figures separate decimals (default `.`). */
  readonly decimalSeparator: DecimalSeparator;
  /** The fiscal year `FY` periods count in (default: January, named after the year it ends in). */
  readonly fiscalYear: FiscalYear;
  /** Attribute keys read as `Traces:` or `Supports:` (`linkAliases` in `.throughline.yml`), by lower-cased key; never a built-in key. */
  readonly linkAliases: ReadonlyMap<string, LinkAliasTarget>;
  /** Whether a requirement's `Traces:` may name key results as well as outcomes (default false). */
  readonly requirementsMayTraceToKeyResults: boolean;
  /** The report's title from `.throughline.yml` (`reportTitle`), instead of the vision's. */
  readonly reportTitle?: string;
}

/** The kinds a requirement's `Traces:` may name: outcomes, and key results when `requirementsMayTraceToKeyResults` is on. */
export function traceTargetKinds(config: Pick<ThroughlineConfig, 'requirementsMayTraceToKeyResults'>): readonly ItemKind[] {
  return config.requirementsMayTraceToKeyResults ? TRACE_TARGETS_WITH_KEY_RESULTS : TRACE_TARGETS;
}

const TRACE_TARGETS: readonly ItemKind[] = ['outcome'];
const TRACE_TARGETS_WITH_KEY_RESULTS: readonly ItemKind[] = ['outcome', 'keyResult'];

function normalizeKindName(value: string): string {
  const compact = value.replace(/[\s_-]+/g, '').toLowerCase();
  const found = ITEM_KINDS.find((kind) => kind.toLowerCase() === compact);
  return found ?? value;
}

/**
 * Merges configuration layers; later layers win key by key, so `.throughline.yml` (last) overrides
 * editor settings, which override the defaults.
 */
export function resolveConfig(...layers: (ConfigFileInput | undefined)[]): ThroughlineConfig {
  const severities = new Map<string, Severity | 'off'>();
  const prefixes = new Map<string, ItemKind>(Object.entries(DEFAULT_PREFIXES));
  let include: readonly string[] = ['**/*.md', '**/*.markdown'];
  let exclude: readonly string[] = DEFAULT_EXCLUDE;
  let thresholds = DEFAULT_THRESHOLDS;
  let maxProblemsPerFile = DEFAULT_MAX_PROBLEMS_PER_FILE;
  let inlayHints = true;
  let decimalSeparator: DecimalSeparator = '.';
  let fiscalYear = DEFAULT_FISCAL_YEAR;
  const linkAliases = new Map<string, LinkAliasTarget>();
  let requirementsMayTraceToKeyResults = false;
  let reportTitle: string | undefined;
  for (const layer of layers) {
    if (!layer) continue;
    for (const [alias, target] of Object.entries(layer.linkAliases ?? {})) {
      const key = linkAliasKey(alias);
      if (!BUILT_IN_ATTRIBUTE_KEYS.has(key) && (target === 'traces' || target === 'supports')) linkAliases.set(key, target);
    }
    if (typeof layer.requirementsMayTraceToKeyResults === 'boolean') requirementsMayTraceToKeyResults = layer.requirementsMayTraceToKeyResults;
    if (typeof layer.reportTitle === 'string' && layer.reportTitle.trim()) reportTitle = layer.reportTitle.trim();
    // Own keys only (Object.entries), into Maps: no key reaches Object.prototype.
    for (const [rule, severity] of Object.entries(layer.rules ?? {})) if (severity) severities.set(rule, severity);
    for (const [prefix, kind] of Object.entries(layer.prefixes ?? {})) prefixes.set(prefix, kind);
    const max = layer.maxProblemsPerFile;
    if (typeof max === 'number' && Number.isSafeInteger(max) && max >= 1) maxProblemsPerFile = Math.min(max, CONFIG_LIMITS.maxProblemsPerFile);
    if (typeof layer.inlayHints === 'boolean') inlayHints = layer.inlayHints;
    if (layer.decimalSeparator && (DECIMAL_SEPARATORS as readonly string[]).includes(layer.decimalSeparator)) decimalSeparator = layer.decimalSeparator;
    const startMonth = monthNumber(layer.fiscalYearStart);
    if (startMonth !== undefined) fiscalYear = { ...fiscalYear, startMonth };
    if (layer.fiscalYearNamedAfter === 'end' || layer.fiscalYearNamedAfter === 'start') fiscalYear = { ...fiscalYear, namedAfter: layer.fiscalYearNamedAfter };
    if (layer.include?.length) include = layer.include;
    if (layer.exclude) exclude = [...DEFAULT_EXCLUDE, ...layer.exclude];
    const set: Readonly<Record<string, unknown>> | undefined = layer.thresholds;
    if (set) {
      // Each threshold reads its own key; one set in an earlier layer stays unless this one sets it too.
      let next: Record<string, unknown> = { ...thresholds };
      for (const declared of THRESHOLDS) {
        const value = Object.hasOwn(set, declared.key) ? set[declared.key] : undefined;
        if (value !== undefined) next = { ...next, ...declared.apply(value as never, next as never) };
      }
      thresholds = next as Thresholds;
    }
  }
  return {
    severities,
    prefixes,
    include,
    exclude,
    thresholds,
    maxProblemsPerFile,
    inlayHints,
    decimalSeparator,
    fiscalYear,
    linkAliases,
    requirementsMayTraceToKeyResults,
    ...(reportTitle !== undefined ? { reportTitle } : {}),
  };
}

export const DEFAULT_CONFIG: ThroughlineConfig = resolveConfig();

export const CONFIG_FILE_NAME = '.throughline.yml';
