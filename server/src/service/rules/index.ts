import { unmeasurableKeyResult } from './keyResultRules';
import { deprecatedTarget, staleDocument } from './lifecycleRules';
import { dueOutsidePeriod, keyResultCount, keyResultTarget, objectiveCount, outputKeyResult } from './okrRules';
import { innovationMixDrift, prdOutcomeMismatch } from './portfolioRules';
import type { Rule } from './rule';
import {
  cycle,
  duplicateId,
  encoding,
  frontMatter,
  objectiveWithoutOutcomes,
  orphanOutcome,
  unknownReference,
  unsupportedOutcome,
  untracedRequirement,
  wrongLinkKind,
} from './traceRules';

/** Every rule that runs on strategy documents, in reporting order. Add a new rule here. */
export const DOCUMENT_RULES: readonly Rule[] = [
  encoding,
  frontMatter,
  duplicateId,
  unknownReference,
  wrongLinkKind,
  untracedRequirement,
  unsupportedOutcome,
  orphanOutcome,
  objectiveWithoutOutcomes,
  unmeasurableKeyResult,
  cycle,
  keyResultCount,
  objectiveCount,
  outputKeyResult,
  keyResultTarget,
  dueOutsidePeriod,
  staleDocument,
  deprecatedTarget,
  prdOutcomeMismatch,
  innovationMixDrift,
];
