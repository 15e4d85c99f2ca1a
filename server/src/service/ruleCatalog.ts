import type { Severity } from './model';

export interface RuleInfo {
  readonly name: string;
  /** Default severity; `unknown-reference` lowers itself to a warning in prose. */
  readonly severity: Severity;
  readonly description: string;
}

/** Every rule Throughline reports, with its default severity. The single list docs, config validation and settings read. */
export const RULES = [
  { name: 'untraced-requirement', severity: 'error', description: 'A requirement has no `Traces:` to an outcome.' },
  { name: 'unknown-reference', severity: 'error', description: 'An ID is defined nowhere (a warning when it is only mentioned in prose).' },
  { name: 'wrong-link-kind', severity: 'error', description: 'A link names an item of the wrong kind, e.g. a requirement tracing to an objective.' },
  { name: 'duplicate-id', severity: 'error', description: 'The same ID is defined more than once.' },
  { name: 'orphan-outcome', severity: 'warning', description: 'No requirement traces to this outcome.' },
  { name: 'unsupported-outcome', severity: 'warning', description: 'The outcome supports no objective or key result.' },
  { name: 'objective-without-outcomes', severity: 'warning', description: 'No outcome supports the objective or any of its key results.' },
  { name: 'unmeasurable-key-result', severity: 'warning', description: 'A key result lacks a numeric baseline and target, or a due date.' },
  { name: 'key-result-count', severity: 'warning', description: 'An objective has fewer than 2 or more than 5 key results (thresholds.keyResultsPerObjective).' },
  { name: 'objective-count', severity: 'warning', description: 'A strategy has more than 5 objectives for its period (thresholds.objectivesPerStrategy).' },
  { name: 'output-key-result', severity: 'info', description: 'A key result reads as an activity or output ("Launch …", "Ship …") instead of a measurable change (thresholds.outputVerbs).' },
  { name: 'key-result-target', severity: 'error', description: 'A key result\'s target equals its baseline, or its target or `Current:` is not a number in the baseline\'s unit.' },
  { name: 'due-outside-period', severity: 'warning', description: 'A key result or outcome is due outside its strategy\'s `period`.' },
  { name: 'stale-document', severity: 'info', description: 'An approved or in-review document was last `updated` more than 90 days ago (thresholds.staleAfterDays).' },
  { name: 'deprecated-target', severity: 'warning', description: 'A link points at an item, or into a document, whose status is deprecated.' },
  { name: 'prd-outcome-mismatch', severity: 'info', description: 'A requirement traces to an outcome its PRD\'s front-matter `outcomes` does not list.' },
  { name: 'innovation-mix-drift', severity: 'info', description: 'The PRDs delivering a strategy differ from its `innovation_mix` by more than 10 points (thresholds.innovationMixTolerance).' },
  { name: 'front-matter', severity: 'error', description: 'YAML syntax error or schema violation in the front-matter.' },
  { name: 'cycle', severity: 'error', description: 'Links form a loop.' },
  { name: 'config', severity: 'error', description: 'Problem in .throughline.yml.' },
  { name: 'encoding', severity: 'error', description: 'The file is not valid UTF-8.' },
] as const satisfies readonly RuleInfo[];

export type RuleName = (typeof RULES)[number]['name'];

export const RULE_NAMES: readonly string[] = RULES.map((rule) => rule.name);

export const DEFAULT_SEVERITY: ReadonlyMap<string, Severity> = new Map(RULES.map((rule) => [rule.name, rule.severity]));
