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
  { name: 'front-matter', severity: 'error', description: 'YAML syntax error or schema violation in the front-matter.' },
  { name: 'cycle', severity: 'error', description: 'Links form a loop.' },
  { name: 'config', severity: 'error', description: 'Problem in .throughline.yml.' },
  { name: 'encoding', severity: 'error', description: 'The file is not valid UTF-8.' },
] as const satisfies readonly RuleInfo[];

export type RuleName = (typeof RULES)[number]['name'];

export const RULE_NAMES: readonly string[] = RULES.map((rule) => rule.name);

export const DEFAULT_SEVERITY: ReadonlyMap<string, Severity> = new Map(RULES.map((rule) => [rule.name, rule.severity]));
