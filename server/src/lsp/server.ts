/**
 * The LSP glue: one session per connection, and the handler modules that route requests to the
 * language service (../service). Nothing here knows a rule; docs/architecture.md has the map.
 */
import type { Connection } from 'vscode-languageserver/node';
import { registerDocumentSyncHandlers } from './handlers/documentSync';
import { registerLanguageFeatureHandlers } from './handlers/languageFeatures';
import { registerLifecycleHandlers } from './handlers/lifecycle';
import { registerPullDiagnosticsHandlers } from './handlers/pullDiagnostics';
import { registerThroughlineRequestHandlers } from './handlers/throughlineRequests';
import { Session } from './session';
import { createServerConnection } from './transport';

export function startServer(connection: Connection = createServerConnection()): void {
  const session = new Session(connection);
  // A promise nobody awaits (a registration or notification the client rejects) is logged; it must
  // not end the server the way an unhandled rejection ends a Node process.
  process.on('unhandledRejection', (error) => session.logError('Unhandled rejection', error));
  registerLifecycleHandlers(session);
  registerDocumentSyncHandlers(session);
  registerLanguageFeatureHandlers(session);
  registerThroughlineRequestHandlers(session);
  registerPullDiagnosticsHandlers(session);
  connection.listen();
}
