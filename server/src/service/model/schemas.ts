import { WHOLE_ID } from '../../../../common/idGrammar';
import { z } from 'zod';
import { STATUSES } from './model';

/** `PREFIX-SUFFIX`: an uppercase prefix, then letters, digits, `.`, `-`, `_`. */
export const ID_PATTERN = WHOLE_ID;

const id = z.string().regex(ID_PATTERN, 'expected an ID such as OUT-3 (uppercase prefix, "-", then letters, digits, ".", "-" or "_")');
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const isoDate = z.union([z.string().regex(ISO_DATE, 'expected a date as YYYY-MM-DD'), z.date()]);
const stringList = z.array(z.string());
/** `owner` and `team` may be one name or a list of names (read as one text, `a, b`). */
const nameOrNames = z.union([z.string(), z.array(z.string())]);

/**
 * `2027`, `2027-H1`, `2027-Q3`, `FY27`, `FY2027`, `FY27-Q1`, `FY27 H2` (case-insensitive): group 1
 * is `FY` when fiscal, 2 the year, 3 `H` or `Q`, 4 its number. Calendar years have four digits and
 * halves are 1 or 2: `isPeriod` checks what the pattern cannot.
 */
export const PERIOD_PATTERN = /^(?:(FY)[ -]?)?(\d{2}|\d{4})(?:[ -]?([HQ])([1-4]))?$/i;

/** Whether a `period` value names a period (an unquoted year is the number 2027 to YAML). */
export function isPeriod(value: unknown): boolean {
  const text = typeof value === 'number' && Number.isInteger(value) ? String(value) : value;
  if (typeof text !== 'string' || text.length > 32) return false;
  const match = PERIOD_PATTERN.exec(text.trim());
  if (!match) return false;
  if (match[1] === undefined && match[2]!.length !== 4) return false;
  return !(match[3]?.toUpperCase() === 'H' && Number(match[4]) > 2);
}
export const INNOVATION_TYPES = ['core', 'adjacent', 'disruptive'] as const;
export const TRACKS = ['discovery', 'delivery'] as const;
export const HORIZONS = ['now', 'next', 'later'] as const;

// Optional keys may be left empty while drafting (`owner:` is null to YAML): nullish, not an error.
const common = {
  id,
  title: z.string().nullish(),
  owner: nameOrNames.nullish(),
  status: z.enum(STATUSES).nullish(),
  updated: isoDate.nullish(),
  tags: stringList.nullish(),
};

const visionFrontMatter = z.looseObject({
  type: z.literal('vision'),
  ...common,
  horizon: z.union([z.string(), z.number()]).nullish(),
  north_star: z.object({ metric: z.string(), target: z.union([z.string(), z.number()]) }).nullish(),
});

export const strategyFrontMatter = z.looseObject({
  type: z.literal('strategy'),
  ...common,
  vision: id.nullish(),
  period: z.union([z.string(), z.number()]).refine(isPeriod, 'expected a period such as 2027, 2027-H1, 2027-Q3, FY27, FY2027-Q1 or FY27-H2').nullish(),
  // A strict object, not a record: zod's records skip an own `__proto__` key silently, while a
  // strict object reports it (and `constructor`, `toString`, …) as an unrecognized key.
  innovation_mix: z
    .strictObject(
      Object.fromEntries(INNOVATION_TYPES.map((type) => [type, z.number().min(0).max(100).optional()])) as Record<
        (typeof INNOVATION_TYPES)[number],
        z.ZodOptional<z.ZodNumber>
      >,
    )
    .refine((mix) => Object.values(mix).reduce((sum, share) => sum + (share ?? 0), 0) === 100, 'the shares of innovation_mix must add up to 100')
    .nullish(),
});

const prdFrontMatter = z.looseObject({
  type: z.literal('prd'),
  ...common,
  outcomes: z.array(id).nullish(),
  innovation: z.enum(INNOVATION_TYPES).nullish(),
  track: z.enum(TRACKS).nullish(),
  horizon: z.enum(HORIZONS).nullish(),
  team: nameOrNames.nullish(),
  stakeholders: stringList.nullish(),
});

/**
 * Whether `data` (normalised, see frontMatter.ts) is a PRD front-matter `prdFrontMatter` accepts,
 * decided without zod for the shapes PRDs are written in: plain strings, lists of strings and
 * IDs, enum values as the schema spells them, and keys the schema does not know (a loose object
 * lets those through). False means "ask zod", not "invalid": anything else (a number, a date
 * object, a nested map) is left to the schema, which also words the problems. A workspace has
 * thousands of PRDs and a handful of visions and strategies; zod's `safeParse` of 10,000 PRD
 * front-matters took 60 ms of the first diagnostics. The property test in
 * test/unit/frontMatterFastPath.test.ts holds this to the schema: whatever it accepts, the schema
 * accepts. A change to `prdFrontMatter` or `common` changes this too.
 */
export function surelyValidPrdFrontMatter(data: Readonly<Record<string, unknown>>): boolean {
  if (data['type'] !== 'prd') return false;
  const id = data['id'];
  if (typeof id !== 'string' || !ID_PATTERN.test(id)) return false;
  for (const key in data) {
    if (!Object.hasOwn(data, key) || key === 'type' || key === 'id') continue;
    // A key the schema does not know: a loose object passes it as it is.
    if (!Object.hasOwn(prdFrontMatter.shape, key)) continue;
    const enumValues = Object.hasOwn(FRONT_MATTER_ENUMS.prd, key) ? FRONT_MATTER_ENUMS.prd[key] : undefined;
    const check = Object.hasOwn(PRD_VALUE_SHAPES, key) ? PRD_VALUE_SHAPES[key] : undefined;
    // A key the schema knows and this does not: the schema decides.
    if (!enumValues && !check) return false;
    const value = data[key];
    // Every optional PRD key may be left empty while drafting (`nullish` in the schema).
    if (value === null || value === undefined) continue;
    if (enumValues ? !(typeof value === 'string' && enumValues.includes(value)) : !check!(value)) return false;
  }
  return true;
}

function isStringList(value: unknown): boolean {
  return Array.isArray(value) && value.every((entry) => typeof entry === 'string');
}

/**
 * A lookup table keyed by text from a document (a `type:` value, a key) has no prototype: `in`,
 * indexing and `Object.entries` see its own entries only, so `constructor` or `__proto__` find nothing.
 */
function table<T extends object>(entries: T): T {
  return Object.freeze(Object.assign(Object.create(null) as T, entries));
}

export const FRONT_MATTER_SCHEMAS = table({
  vision: visionFrontMatter,
  strategy: strategyFrontMatter,
  prd: prdFrontMatter,
} as const);

/** The known front-matter keys of each type, with a short description, for completion and hover. */
export const FRONT_MATTER_KEYS: Readonly<Record<keyof typeof FRONT_MATTER_SCHEMAS, Readonly<Record<string, string>>>> = table({
  vision: Object.create(null) as Record<string, string>,
  strategy: Object.create(null) as Record<string, string>,
  prd: Object.create(null) as Record<string, string>,
});
const commonKeys: Record<string, string> = {
  type: 'Document type: vision, strategy or prd.',
  id: 'Unique ID of this document, e.g. PRD-12.',
  title: 'Human-readable title.',
  owner: 'Who owns the document: a name, or a list of names.',
  status: 'draft | review | approved | shipped | deprecated',
  updated: 'Date of the last substantive change (YYYY-MM-DD).',
  tags: 'Free-form tags.',
};
Object.assign(FRONT_MATTER_KEYS.vision, commonKeys, { horizon: 'How far the vision looks, e.g. 2030.', north_star: 'North-star metric: {metric, target}.' });
Object.assign(FRONT_MATTER_KEYS.strategy, commonKeys, {
  vision: 'The vision (VIS id) this strategy serves.',
  period: 'Planning period, e.g. 2027, 2027-H1, 2027-Q3, FY27 or FY27-Q1 (fiscal years per fiscalYearStart).',
  innovation_mix: 'Target share of PRDs by innovation, in percent: {core: 70, adjacent: 20, disruptive: 10}.',
  reviewed_links: 'Links confirmed after their target changed, e.g. [VIS-1 2026-12-02] (the suspect-link quick fix writes it).',
});
Object.assign(FRONT_MATTER_KEYS.prd, commonKeys, {
  outcomes: 'Outcomes (OUT ids) this PRD delivers.',
  innovation: 'core | adjacent | disruptive',
  track: 'discovery | delivery',
  horizon: 'now | next | later',
  team: 'Team that builds it: a name, or a list of names.',
  stakeholders: 'People or groups with a stake.',
  reviewed_links: 'Links confirmed after their target changed, e.g. [OUT-1 2026-12-02] (the suspect-link quick fix writes it).',
});

/**
 * Other ways of writing an enum value, by the value they mean. Values are compared after
 * `enumKey`: case, `-`, `_` and runs of spaces do not matter (`In-Review` = `in review`).
 */
export const ENUM_ALIASES: Readonly<Record<string, Readonly<Record<string, readonly string[]>>>> = table({
  type: table({ prd: ['product requirements', 'product requirements document', 'product requirement document'] }),
  status: table({
    draft: ['drafting', 'wip', 'work in progress'],
    review: ['in review', 'under review', 'reviewing', 'for review', 'ready for review'],
    approved: ['accepted', 'agreed'],
    shipped: ['released', 'launched', 'live'],
    deprecated: ['obsolete', 'superseded', 'retired', 'archived'],
  }),
  innovation: table({ adjacent: ['adjacency'], disruptive: ['disruption', 'transformational', 'transformative'] }),
  track: table({ discovery: ['discover'], delivery: ['deliver'] }),
  horizon: table({}),
});

/** An enum value as compared: trimmed, lower case, each run of spaces, `-` and `_` one space. */
export function enumKey(value: string): string {
  return value
    .trim()
    .toLowerCase()
    .replace(/[\s_-]+/g, ' ');
}

/** The enum value `value` means among `values` (the value itself in any case, or an alias of one); undefined when none. */
export function canonicalEnumValue(key: string, value: string, values: readonly string[]): string | undefined {
  if (value.length > 100) return undefined;
  return enumLookup(key, values).get(enumKey(value));
}

/**
 * For one key and its values: each way of writing a value (after `enumKey`) → the value it means,
 * made once. The first value in order that a form names wins, as a search in order would find it.
 */
const ENUM_LOOKUPS = new Map<string, WeakMap<readonly string[], ReadonlyMap<string, string>>>();
function enumLookup(key: string, values: readonly string[]): ReadonlyMap<string, string> {
  let byValues = ENUM_LOOKUPS.get(key);
  if (!byValues) ENUM_LOOKUPS.set(key, (byValues = new WeakMap()));
  let lookup = byValues.get(values);
  if (!lookup) {
    const made = new Map<string, string>();
    const aliases = Object.hasOwn(ENUM_ALIASES, key) ? ENUM_ALIASES[key]! : undefined;
    for (const canonical of values) {
      const own = enumKey(canonical);
      if (!made.has(own)) made.set(own, canonical);
      for (const alias of aliases && Object.hasOwn(aliases, canonical) ? aliases[canonical]! : []) if (!made.has(alias)) made.set(alias, canonical);
    }
    byValues.set(values, (lookup = made));
  }
  return lookup;
}

/** Enum values offered by completion, per document type and key. */
const COMMON_ENUMS: Readonly<Record<string, readonly string[]>> = table({ type: ['vision', 'strategy', 'prd'], status: STATUSES });
export const FRONT_MATTER_ENUMS: Readonly<Record<keyof typeof FRONT_MATTER_SCHEMAS, Readonly<Record<string, readonly string[]>>>> = table({
  vision: COMMON_ENUMS,
  strategy: COMMON_ENUMS,
  prd: table({ ...COMMON_ENUMS, innovation: INNOVATION_TYPES, track: TRACKS, horizon: HORIZONS }),
});

/** What `surelyValidPrdFrontMatter` accepts of each PRD key that is not an enum (`FRONT_MATTER_ENUMS` says those). */
const PRD_VALUE_SHAPES: Readonly<Record<string, (value: unknown) => boolean>> = table({
  title: (value: unknown) => typeof value === 'string',
  owner: (value: unknown) => typeof value === 'string' || isStringList(value),
  team: (value: unknown) => typeof value === 'string' || isStringList(value),
  tags: isStringList,
  stakeholders: isStringList,
  updated: (value: unknown) => typeof value === 'string' && ISO_DATE.test(value),
  outcomes: (value: unknown) => Array.isArray(value) && value.every((entry) => typeof entry === 'string' && ID_PATTERN.test(entry)),
});

/** JSON Schemas of the three front-matter types, for editors that validate YAML themselves. */
export function frontMatterJsonSchemas(): Record<string, unknown> {
  return Object.fromEntries(Object.entries(FRONT_MATTER_SCHEMAS).map(([type, schema]) => [type, z.toJSONSchema(schema, { unrepresentable: 'any' })]));
}
