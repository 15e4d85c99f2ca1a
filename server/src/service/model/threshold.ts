/**
 * Thresholds: settings under `thresholds:` that rules read. A leaf module (zod only), so that the
 * configuration layer can derive its schema and defaults from the declarations in `thresholds.ts`
 * without importing the rules, which sit above it.
 */
import { z } from 'zod';

/** Caps on the lists and strings a threshold holds (part of `CONFIG_LIMITS` in config.ts). */
export const LIST_LIMITS = {
  /** Entries of `include`, `exclude`, `outputVerbs` and `prefixes`. */
  listEntries: 1_000,
  /** Characters of one glob pattern (kept short so a message can quote it) or output verb. */
  patternLength: 1_000,
} as const;

/** A whole number of at least 0, the usual shape of a count threshold. */
export const count = z.number().int().min(0);

/** `at most 1,000 <what>`: the message of a list over `LIST_LIMITS.listEntries`. */
export const entriesMessage = (what: string) => `at most ${LIST_LIMITS.listEntries.toLocaleString('en-US')} ${what}`;

/**
 * A setting under `thresholds:` (in `.throughline.yml` and the `throughline.thresholds` editor
 * setting), declared by the rule that reads it. `Fields` are what it contributes to
 * `config.thresholds`, which may differ from how it is written (`keyResultsPerObjective: {min, max}`
 * becomes `keyResultsMin` and `keyResultsMax`).
 */
export interface Threshold<Key extends string = string, Input = unknown, Fields extends object = object> {
  /** The key under `thresholds:`. */
  readonly key: Key;
  /** What it bounds, without its default: the settings and docs add that. */
  readonly description: string;
  /** Validates a set value; `.throughline.yml` keeps the other thresholds when one is invalid. */
  readonly schema: z.ZodType<Input>;
  /** The default, as written under `thresholds:`. */
  readonly defaultSetting: Input;
  /** The defaults of the `config.thresholds` fields this threshold sets. */
  readonly defaults: Fields;
  /** The fields a set value gives, given the current ones (an earlier configuration layer's or the defaults). */
  apply(input: Input, current: Fields): Fields;
}

/** A threshold written and read as one value, e.g. `staleAfterDays: 90` → `config.thresholds.staleAfterDays`. */
export function threshold<const Key extends string, Value>(spec: {
  key: Key;
  description: string;
  schema: z.ZodType<Value>;
  default: NoInfer<Value>;
  /** How a set value is stored (e.g. lower-cased); the value as is by default. */
  normalize?: (value: Value) => Value;
}): Threshold<Key, Value, { readonly [K in Key]: Value }> {
  const fields = (value: Value) => ({ [spec.key]: value }) as { readonly [K in Key]: Value };
  return {
    key: spec.key,
    description: spec.description,
    schema: spec.schema,
    defaultSetting: spec.default,
    defaults: fields(spec.default),
    apply: (input) => fields(spec.normalize ? spec.normalize(input) : input),
  };
}

/** A threshold whose setting and fields differ in shape (see `Threshold`). */
export function compoundThreshold<const Key extends string, Input, Fields extends object>(spec: Threshold<Key, Input, Fields>): Threshold<Key, Input, Fields> {
  return spec;
}

/** The values of a list of thresholds' fields, as one object. */
export type ThresholdFields<T extends readonly Threshold[]> = UnionToIntersection<FieldsOf<T[number]>>;
type FieldsOf<T> = T extends { readonly defaults: infer Fields } ? Fields : never;
type UnionToIntersection<U> = (U extends unknown ? (value: U) => void : never) extends (value: infer I) => void ? I : never;
