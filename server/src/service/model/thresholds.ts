/**
 * Every threshold a rule reads: the key under `thresholds:`, its schema, default and description.
 * A rule names the ones it reads in `defineRule({ thresholds })`; the configuration derives the
 * `thresholds` schema, defaults and type from `THRESHOLDS` below.
 */
import { z } from 'zod';
import { compoundThreshold, count, entriesMessage, LIST_LIMITS, threshold } from './threshold';

const DEFAULT_KEY_RESULTS = { keyResultsMin: 2, keyResultsMax: 5 } as const;

/**
 * `min` above `max` would flag every objective. A bound given alone is compared with the other
 * bound's default (a bound set in another configuration layer is not known here).
 */
export const keyResultsPerObjective = compoundThreshold({
  key: 'keyResultsPerObjective',
  description: 'The fewest (`min`) and most (`max`) key results an objective should have.',
  schema: z
    .object({ min: count.optional(), max: count.optional() })
    .strict()
    .superRefine(({ min, max }, context) => {
      const low = min ?? DEFAULT_KEY_RESULTS.keyResultsMin;
      const high = max ?? DEFAULT_KEY_RESULTS.keyResultsMax;
      if (low <= high) return;
      const message =
        min !== undefined && max !== undefined
          ? `min ${min} is above max ${max}`
          : min !== undefined
            ? `min ${min} is above the default max ${high}; set max too`
            : `max ${high} is below the default min ${low}; set min too`;
      context.addIssue({ code: 'custom', message, path: [min !== undefined ? 'min' : 'max'] });
    }),
  defaultSetting: { min: DEFAULT_KEY_RESULTS.keyResultsMin, max: DEFAULT_KEY_RESULTS.keyResultsMax },
  defaults: DEFAULT_KEY_RESULTS as { readonly keyResultsMin: number; readonly keyResultsMax: number },
  apply(input, current) {
    const keyResultsMin = input.min ?? current.keyResultsMin;
    const keyResultsMax = input.max ?? current.keyResultsMax;
    // The schema reports min > max; a layer that was not validated keeps the bounds it would invert.
    return keyResultsMin > keyResultsMax ? { keyResultsMin: current.keyResultsMin, keyResultsMax: current.keyResultsMax } : { keyResultsMin, keyResultsMax };
  },
});

export const objectivesPerStrategy = threshold({
  key: 'objectivesPerStrategy',
  description: 'The most objectives a strategy should have for its period.',
  schema: count,
  default: 5,
});

/**
 * Words that open a key result describing an activity or output rather than a measurable change.
 * Verbs that also start common metric names ("Run rate", "Design partners", "Write-off rate") are
 * left out to avoid false alarms.
 */
const DEFAULT_OUTPUT_VERBS: readonly string[] = [
  'launch',
  'ship',
  'build',
  'release',
  'implement',
  'deliver',
  'create',
  'complete',
  'finish',
  'develop',
  'deploy',
  'introduce',
  'add',
  'roll out',
  'rollout',
  'migrate',
  'publish',
];

export const outputVerbs = threshold({
  key: 'outputVerbs',
  description:
    'Words that make a key result read as an activity or output when its title starts with one (a phrase such as `roll out` matches word by word; case does not matter).',
  schema: z
    .array(
      z
        .string()
        .max(LIST_LIMITS.patternLength, `a verb has at most ${LIST_LIMITS.patternLength.toLocaleString('en-US')} characters`)
        .regex(/[\p{L}\p{N}]/u, 'a verb needs a letter or digit'),
    )
    .max(LIST_LIMITS.listEntries, entriesMessage('verbs')),
  default: [...DEFAULT_OUTPUT_VERBS],
  normalize: (verbs) => verbs.map((verb) => verb.trim().toLowerCase()),
});

export const staleAfterDays = threshold({
  key: 'staleAfterDays',
  description: 'Days after its `updated` date an approved or in-review document is reported as stale.',
  schema: count,
  default: 90,
});

export const staleCheckInDays = threshold({
  key: 'staleCheckInDays',
  description: 'Days without a check-in (a change of its `Current:` in git history) after which an unfinished key result that is not yet due is reported.',
  schema: count,
  default: 30,
});

export const innovationMixTolerance = threshold({
  key: 'innovationMixTolerance',
  description: 'Percentage points the innovation mix of the PRDs delivering a strategy may drift from its `innovation_mix`.',
  schema: z.number().min(0).max(100),
  default: 10,
});

/** Every threshold, in the order of the `thresholds` setting. Add a new threshold here, next to its declaration. */
export const THRESHOLDS = [keyResultsPerObjective, objectivesPerStrategy, outputVerbs, staleAfterDays, staleCheckInDays, innovationMixTolerance] as const;
