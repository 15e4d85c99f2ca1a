/** The rule catalog: a view of the rule list (`rules/index.ts`) for docs, config validation, settings and the CLI. */
import type { Severity } from '../model/model';
import { RULE_LIST, type RuleName } from '.';

export type { RuleName } from '.';

export interface RuleInfo {
  readonly name: string;
  /** Default severity; `unknown-reference` lowers itself to a warning in prose. */
  readonly severity: Severity;
  readonly description: string;
}

/** Every rule Throughline reports, with its default severity and description. */
export const RULES: readonly (RuleInfo & { readonly name: RuleName })[] = RULE_LIST.map(({ name, severity, description }) => ({ name, severity, description }));

export const RULE_NAMES: readonly string[] = RULES.map((rule) => rule.name);
