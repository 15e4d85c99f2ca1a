/**
 * The settings the extension sends the server: every key of `ThroughlineSettings` (the schema of
 * `.throughline.yml`), read from the `throughline.*` settings of VS Code. The same object goes out
 * in `initializationOptions.settings`, in answers to `workspace/configuration` and in
 * `workspace/didChangeConfiguration` pushes. The server validates it entry by entry; the client
 * forwards what the user wrote. No vscode import at run time, so it is unit-tested as it is.
 */
import type * as vscode from 'vscode';
import type { ThroughlineSettings } from '../../common/protocol';

/** Every setting, present or undefined: a key added to the schema and not read here fails to compile. */
export type SettingsForServer = { [Key in keyof Required<ThroughlineSettings>]: ThroughlineSettings[Key] };

/** The server's settings from a `throughline` configuration (VS Code's client-only `trace` is left out). */
export function settingsForServer(configuration: Pick<vscode.WorkspaceConfiguration, 'get'>): SettingsForServer {
  return {
    rules: configuration.get('rules'),
    prefixes: configuration.get('prefixes'),
    include: configuration.get('include'),
    exclude: configuration.get('exclude'),
    thresholds: configuration.get('thresholds'),
    maxProblemsPerFile: configuration.get('maxProblemsPerFile'),
    inlayHints: configuration.get('inlayHints'),
    decimalSeparator: configuration.get('decimalSeparator'),
    fiscalYearStart: configuration.get('fiscalYearStart'),
    fiscalYearNamedAfter: configuration.get('fiscalYearNamedAfter'),
  };
}
