/**
 * The rule list. A rule is written once, with `defineRule` (see rule.ts), and registered here;
 * the catalog, the config schema and defaults, the settings in package.json and the rules table in
 * docs/format.md are derived from this list (`npm run generate` writes the last two).
 */
import { dependencyCycle } from './dependencyRules';
import { unmeasurableKeyResult } from './keyResultRules';
import { brokenLink, idRange } from './linkRules';
import { deprecatedTarget, staleDocument } from './lifecycleRules';
import { dueOutsidePeriod, keyResultCount, keyResultTarget, keyResultWithoutObjective, objectiveCount, outputKeyResult } from './okrRules';
import { innovationMixDrift, prdOutcomeMismatch } from './portfolioRules';
import { unconfiguredPrefix, unknownFigureKey, unknownLinkKey, unreadAttribute, unrecognisedDefinition } from './nearMissRules';
import { ambiguousNumber, implausibleValue, repeatedAttribute } from './figureRules';
import { misspelledFrontMatterKey } from './frontMatterRules';
import { invalidReview, suspectLink } from './historyRules';
import { mergeConflict } from './gitRules';
import { keyResultOffTrack, staleCheckIn } from './checkInRules';
import type { Rule } from './rule';
import {
  config,
  cycle,
  duplicateId,
  encoding,
  frontMatter,
  markdownLimit,
  objectiveWithoutOutcomes,
  orphanOutcome,
  unknownReference,
  unsupportedOutcome,
  untracedRequirement,
  wrongLinkKind,
} from './traceRules';

/** Every rule, in reporting order (and the order of the docs and settings). Add a new rule here. */
export const RULE_LIST = [
  encoding,
  frontMatter,
  mergeConflict,
  markdownLimit,
  duplicateId,
  unknownReference,
  unrecognisedDefinition,
  unconfiguredPrefix,
  unknownLinkKey,
  unknownFigureKey,
  unreadAttribute,
  wrongLinkKind,
  untracedRequirement,
  unsupportedOutcome,
  orphanOutcome,
  objectiveWithoutOutcomes,
  unmeasurableKeyResult,
  cycle,
  dependencyCycle,
  keyResultCount,
  keyResultWithoutObjective,
  objectiveCount,
  outputKeyResult,
  keyResultTarget,
  dueOutsidePeriod,
  staleDocument,
  deprecatedTarget,
  suspectLink,
  invalidReview,
  keyResultOffTrack,
  staleCheckIn,
  prdOutcomeMismatch,
  innovationMixDrift,
  brokenLink,
  idRange,
  misspelledFrontMatterKey,
  ambiguousNumber,
  implausibleValue,
  repeatedAttribute,
  config,
] as const;

type AnyRule = (typeof RULE_LIST)[number];

export type RuleName = AnyRule['name'];

/** The rules that run on strategy documents (`config` reports on `.throughline.yml` files instead; see computeConfigDiagnostics). */
export const DOCUMENT_RULES: readonly Rule[] = RULE_LIST.filter((rule) => rule.name !== 'config') as readonly Rule[];

/** Every rule by name. */
export const RULE_BY_NAME: ReadonlyMap<string, Rule> = new Map(RULE_LIST.map((rule) => [rule.name, rule as Rule]));
