export { createLanguageService, ThroughlineLanguageService, type IndexSummary, type LanguageServiceOptions } from './languageService';
export type { IWorkspace, Logger, ReadResult } from './workspace';
export type { ChangeImpact } from './workspaceGraph';
export { RenameError } from './rename';
export { RULES, RULE_NAMES } from './ruleCatalog';
export { severityName } from './diagnostics';
export { configSchema, type ConfigInput } from './config';
export { escapeConfigText } from './configFile';
export { frontMatterJsonSchemas } from './schemas';
