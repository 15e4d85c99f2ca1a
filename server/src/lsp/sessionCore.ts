/**
 * What the parts of a session (settings, diagnostics publisher) need from it. A leaf module, so that
 * session.ts can own those parts without an import cycle.
 */
import type { Connection } from 'vscode-languageserver/node';
import type { ThroughlineLanguageService } from '../service';

/** What the client said it can do in `initialize`. */
export interface ClientAbilities {
  /** It registers file watchers for the server (`workspace/didChangeWatchedFiles` dynamic registration). */
  watch: boolean;
  /** It answers `workspace/configuration`. */
  configuration: boolean;
}

export interface SessionCore {
  readonly connection: Connection;
  readonly client: ClientAbilities;
  /** Created by `initialize`; undefined before. */
  readonly service: ThroughlineLanguageService | undefined;
  log(message: string): void;
  logError(message: string, error: unknown): void;
}
