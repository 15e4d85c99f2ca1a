/**
 * What the parts of a session (settings, diagnostics publisher) need from it. A leaf module, so that
 * session.ts can own those parts without an import cycle.
 */
import type { Connection } from 'vscode-languageserver/node';
import type { ThroughlineLanguageService } from '../service';
import type { StrategyFolders } from './folders';
import type { PositionConverter } from './positionEncoding';

/** What the client said it can do in `initialize`. */
export interface ClientAbilities {
  /** It registers file watchers for the server (`workspace/didChangeWatchedFiles` dynamic registration). */
  watch: boolean;
  /** It answers `workspace/configuration`. */
  configuration: boolean;
  /** It registers `workspace/didChangeConfiguration` dynamically (otherwise it sends it unasked, or never). */
  configurationRegistration: boolean;
  /** It opens documents on `window/showDocument`. */
  showDocument: boolean;
  /** It takes `version` on `textDocument/publishDiagnostics`. */
  diagnosticsVersion: boolean;
  /** It redraws inlay hints and semantic tokens when asked (`workspace/inlayHint/refresh`, `workspace/semanticTokens/refresh`). */
  inlayHintRefresh: boolean;
  semanticTokensRefresh: boolean;
  /** It pulls diagnostics (`textDocument/diagnostic`); then the server does not push them. */
  pullDiagnostics: boolean;
  /** It pulls again when asked (`workspace/diagnostic/refresh`). */
  diagnosticRefresh: boolean;
}

export interface SessionCore {
  readonly connection: Connection;
  readonly client: ClientAbilities;
  /** Every service the session has (one per strategy folder, and one for loose documents once needed). */
  readonly folders: StrategyFolders;
  /** Columns in the client's encoding. */
  readonly positions: PositionConverter;
  /** The service of the folder that holds `uri`, or of the first folder. */
  serviceFor(uri?: string): ThroughlineLanguageService;
  /** The version of the document open at `uri` (canonical), or undefined when it is not open. */
  openVersion(uri: string): number | undefined;
  /** The documents open in the client (canonical URIs), in the order they were opened. */
  openUris(): string[];
  log(message: string): void;
  logError(message: string, error: unknown): void;
}
