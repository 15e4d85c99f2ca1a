/** `initialize` and `initialized`: what the server can do, and the first indexing. */
import {
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  ErrorCodes,
  ResponseError,
  TextDocumentSyncKind,
  WatchKind,
  type InitializeParams,
  type InitializeResult,
} from 'vscode-languageserver/node';
import { SETTINGS_SECTION } from '../../../../common/protocol';
import { VERSION } from '../../node/version';
import type { Session } from '../session';
import { LANGUAGE_FEATURE_CAPABILITIES } from './languageFeatures';
import { THROUGHLINE_COMMAND_CAPABILITIES } from './throughlineRequests';

export function registerLifecycleHandlers(session: Session): void {
  const { connection } = session;

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    // A second `initialize` would replace the indexed workspace with an empty one.
    if (session.phase !== 'starting')
      throw new ResponseError(ErrorCodes.InvalidRequest, 'initialize was already received; the server serves one workspace per process.');
    const { workspace, textDocument, window } = params.capabilities;
    session.client.watch = workspace?.didChangeWatchedFiles?.dynamicRegistration === true;
    session.client.configuration = workspace?.configuration === true;
    session.client.configurationRegistration = workspace?.didChangeConfiguration?.dynamicRegistration === true;
    session.client.showDocument = window?.showDocument?.support === true;
    session.client.diagnosticsVersion = textDocument?.publishDiagnostics?.versionSupport === true;
    session.client.inlayHintRefresh = workspace?.inlayHint?.refreshSupport === true;
    session.client.semanticTokensRefresh = workspace?.semanticTokens?.refreshSupport === true;
    let folders = (params.workspaceFolders ?? []).map((folder) => folder.uri);
    if (folders.length === 0 && params.rootUri) folders = [params.rootUri];
    const settings = session.settings.fromInitializationOptions(params.initializationOptions);
    for (const folder of folders) session.folders.add(folder, settings);
    session.phase = 'running';
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: false },
        ...LANGUAGE_FEATURE_CAPABILITIES,
        ...THROUGHLINE_COMMAND_CAPABILITIES,
        workspace: { workspaceFolders: { supported: true, changeNotifications: false } },
      },
      serverInfo: { name: 'throughline', version: VERSION },
    };
  });

  connection.onShutdown(() => {
    session.phase = 'shutDown';
  });

  connection.onInitialized(() => {
    // Only what the client said it can register dynamically is registered.
    if (session.client.watch) {
      void connection.client.register(DidChangeWatchedFilesNotification.type, {
        watchers: [
          { globPattern: '**/*.{md,markdown}' },
          { globPattern: '**/.throughline.yml' },
          // A deleted folder arrives as one event for the folder, whatever its name: its documents go with it.
          { globPattern: '**/*', kind: WatchKind.Delete },
        ],
      });
    }
    if (session.client.configurationRegistration) void connection.client.register(DidChangeConfigurationNotification.type, { section: SETTINGS_SECTION });
    session.ready = (async () => {
      for (const folder of session.folders.all()) {
        try {
          // The initialization options are indexed with; the folder's settings pulled now replace them if they differ.
          const pulled = session.client.configuration ? await session.settings.pull(folder) : undefined;
          if (pulled && session.settings.differFromApplied(folder, pulled.settings)) await folder.service.updateSettings(pulled.settings);
          else await folder.service.initialize();
        } catch (error) {
          // Whatever was indexed before the failure, here and in the other folders, is still worth publishing.
          session.logError(`Indexing ${folder.name} failed`, error);
        }
      }
      session.publisher.publishAll();
      session.publisher.alignmentChanged();
    })();
  });
}
