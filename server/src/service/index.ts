export { createLanguageService, ThroughlineLanguageService, type IndexSummary, type LanguageServiceOptions } from './languageService';
export type { IWorkspace, Logger, ReadResult } from './workspace/workspace';
export type { ChangeImpact } from './workspace/workspaceGraph';
export { RenameError } from './features/rename';
export { RULES, RULE_NAMES } from './rules/ruleCatalog';
export { severityName } from './rules/diagnostics';
export { configSchema, type ConfigInput } from './model/config';
export { escapeConfigText } from './config/configFile';
export { frontMatterJsonSchemas } from './model/schemas';
