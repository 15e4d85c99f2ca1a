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
import { SETTINGS_SECTION, type ThroughlineSettings } from '../../../../common/protocol';
import { pathFromUri, uriFromPath } from '../../node/fsWorkspace';
import { VERSION } from '../../node/version';
import { chooseWorkspaceRoots } from '../../node/workspaceRoot';
import type { StrategyFolder } from '../folders';
import { negotiateEncoding } from '../positionEncoding';
import { HistoryHost } from '../historyHost';
import { boundHeapGrowth } from '../../node/heapGrowth';
import { ServerWatchers } from '../serverWatchers';
import type { Session } from '../session';
import { LANGUAGE_FEATURE_CAPABILITIES } from './languageFeatures';
import { PULL_DIAGNOSTICS_CAPABILITIES } from './pullDiagnostics';
import { THROUGHLINE_COMMAND_CAPABILITIES } from './throughlineRequests';

export function registerLifecycleHandlers(session: Session): void {
  const { connection } = session;
  const watchers = new ServerWatchers(session);
  const history = new HistoryHost(session);
  let firstDocumentRoots: Promise<void> | undefined;

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
    session.client.pullDiagnostics = textDocument?.diagnostic !== undefined;
    session.client.diagnosticRefresh = workspace?.diagnostics?.refreshSupport === true;
    session.positions.encoding = negotiateEncoding(params.capabilities.general?.positionEncodings);
    session.client.inlayHintRefresh = workspace?.inlayHint?.refreshSupport === true;
    session.client.semanticTokensRefresh = workspace?.semanticTokens?.refreshSupport === true;
    let folders = (params.workspaceFolders ?? []).map((folder) => folder.uri);
    if (folders.length === 0 && params.rootUri) folders = [params.rootUri];
    if (folders.length === 0 && typeof params.rootPath === 'string' && params.rootPath) folders = [uriFromPath(params.rootPath)];
    const settings = session.settings.fromInitializationOptions(params.initializationOptions);
    // The client's folders, lifted to the strategy workspace they are in (a client rooted at `prds/`
    // would make every ID of the strategy "not defined anywhere"); with none, the first document opened decides.
    const clientPaths = folders.flatMap((uri) => {
      try {
        return [pathFromUri(uri)];
      } catch {
        session.log(`Ignoring the workspace folder ${uri}: it is not a file: URI.`);
        return [];
      }
    });
    for (const root of chooseWorkspaceRoots(clientPaths)) {
      session.log(root.detail);
      session.folders.add(uriFromPath(root.root), settings);
    }
    // The first document on disk decides: an untitled one says nothing of where the workspace is,
    // and latching onto it left every file opened later without one.
    if (clientPaths.length === 0) {
      session.rootsForDocument = (uri) =>
        uri.startsWith('untitled:') ? Promise.resolve() : (firstDocumentRoots ??= rootsFromDocument(session, watchers, history, uri));
    }
    session.phase = 'running';
    return {
      capabilities: {
        positionEncoding: session.positions.encoding,
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: false },
        ...LANGUAGE_FEATURE_CAPABILITIES,
        ...THROUGHLINE_COMMAND_CAPABILITIES,
        ...(session.client.pullDiagnostics ? PULL_DIAGNOSTICS_CAPABILITIES : {}),
        workspace: { workspaceFolders: { supported: true, changeNotifications: false } },
      },
      serverInfo: { name: 'throughline', version: VERSION },
    };
  });

  connection.onShutdown(() => {
    session.phase = 'shutDown';
    watchers.closeAll();
    history.stop();
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
    session.ready = startFolders(session, watchers, history, session.folders.all());
  });
}

/**
 * Indexes `folders` (with each one's settings pulled from a client that can answer), publishes, and
 * watches them when the client does not. One folder that fails is logged; the others still serve.
 */
async function startFolders(session: Session, watchers: ServerWatchers, history: HistoryHost, folders: readonly StrategyFolder[]): Promise<void> {
  // Every folder's settings are asked for at once, and waited for until one deadline: a client
  // that never answers delays the first diagnostics by one wait, not one per folder.
  const pulls = folders.map((folder) => (session.client.configuration ? session.settings.pull(folder) : undefined));
  const deadline = performance.now() + CONFIGURATION_WAIT_MS;
  let started!: () => void;
  const indexed = new Promise<void>((resolve) => (started = resolve));
  try {
    for (const [position, folder] of folders.entries()) {
      try {
        // The initialization options are indexed with; the folder's settings pulled now replace them if they differ.
        const pulling = pulls[position];
        const pulled = pulling ? await answeredWithin(pulling, Math.max(0, deadline - performance.now())) : undefined;
        if (pulling && pulled === NOT_YET) applyWhenAnswered(session, folder, pulling, indexed);
        if (pulled && pulled !== NOT_YET && session.settings.differFromApplied(folder, pulled.settings)) await folder.service.updateSettings(pulled.settings);
        else await folder.service.initialize();
      } catch (error) {
        // Whatever was indexed before the failure, here and in the other folders, is still worth publishing.
        session.logError(`Indexing ${folder.name} failed`, error);
      }
      if (!session.client.watch) watchers.watch(folder);
    }
    await session.publisher.publishAll();
  } finally {
    started();
  }
  void afterFirstDiagnostics(history, folders, session.publisher.alignmentChanged());
}

/**
 * How long the first indexing waits for the client's answer to `workspace/configuration`. A client
 * that says it answers and never does (or is busy for long) must not leave every folder without
 * diagnostics: the folder is indexed with the settings given at start, and the answer, if it comes,
 * applies then.
 */
const CONFIGURATION_WAIT_MS = 5000;
const NOT_YET = Symbol('not answered yet');

function answeredWithin<T>(answer: Promise<T>, milliseconds: number): Promise<T | typeof NOT_YET> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<typeof NOT_YET>((resolve) => (timer = setTimeout(() => resolve(NOT_YET), milliseconds)));
  return Promise.race([answer, late]).finally(() => clearTimeout(timer));
}

/**
 * Applies a late answer to `workspace/configuration` once the first diagnostics are out (`indexed`:
 * that folder's service must not index twice at once), as a pushed change would; nothing after shutdown.
 */
function applyWhenAnswered(
  session: Session,
  folder: StrategyFolder,
  pulling: Promise<{ settings: ThroughlineSettings | undefined } | undefined>,
  indexed: Promise<void>,
): void {
  session.log(
    `${folder.name}: the client has not answered workspace/configuration in ${CONFIGURATION_WAIT_MS / 1000} s; indexing with the settings given at start (its answer applies when it comes).`,
  );
  void pulling.then((answer) => {
    session.settingsQueue = session.settingsQueue.then(async () => {
      await indexed;
      if (session.phase !== 'running') return;
      await session.guarded('workspace/configuration (late)', undefined, async () => {
        if (!answer || !session.settings.differFromApplied(folder, answer.settings)) return;
        session.publisher.handleImpact(await folder.service.updateSettings(answer.settings));
        await session.publisher.publishAll();
      });
    });
  });
}

/** How long the work that can wait for the first diagnostics to reach the client waits at most. */
const DELIVERY_WAIT_MS = 5000;
/** How long the heap's bound waits at most for the first history read (a read that hangs must not leave the heap unbounded). */
const HISTORY_WAIT_MS = 120_000;

/**
 * What waits until the first diagnostics have reached the client: writes to the client's pipe are
 * queued while it reads them (6,600 notifications at 10,000 PRDs), and work done on this thread
 * meanwhile (the readers index, a full collection) delayed what the author sees by 0.2–0.4 s.
 */
async function afterFirstDiagnostics(history: HistoryHost, folders: readonly StrategyFolder[], delivered: Promise<void>): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([delivered.catch(() => undefined), new Promise<void>((resolve) => (timer = setTimeout(resolve, DELIVERY_WAIT_MS)))]);
  clearTimeout(timer);
  // What only a change needs is built now rather than on the first edit (0.17 s at 10,000 PRDs).
  for (const folder of folders) folder.service.prepareForEdits();
  // The git history is read after the first diagnostics are out, in the background.
  const read = Promise.all(folders.map((folder) => history.start(folder)));
  // Once it is read, the heap holds the index and the history and changes little: what edits leave
  // behind is collected sooner (see heapGrowth.ts). Not before: with the bound in place, the first
  // history read at 10,000 PRDs and 1,000 commits took 2.7 s, against 2.3–2.5 s without.
  await Promise.race([
    read,
    new Promise<void>((resolve) => {
      timer = setTimeout(resolve, HISTORY_WAIT_MS);
      timer.unref();
    }),
  ]);
  clearTimeout(timer);
  boundHeapGrowth();
}

/**
 * A client that gave no folder (single-file mode, an editor with no project): the first document
 * opened says where the strategy workspace is. When nothing but its own folder was found, no
 * folder is served and open documents are checked alone, as before.
 */
async function rootsFromDocument(session: Session, watchers: ServerWatchers, history: HistoryHost, uri: string): Promise<void> {
  let documentPath: string;
  try {
    documentPath = pathFromUri(uri);
  } catch {
    return; // an untitled or remote document: nothing on disk to start from
  }
  const added = chooseWorkspaceRoots([], documentPath).map((root) => {
    session.log(root.detail);
    return session.folders.add(uriFromPath(root.root), session.settings.initialSettings);
  });
  if (added.length === 0) session.log(`No strategy workspace around ${documentPath}: checking open documents only.`);
  else await startFolders(session, watchers, history, added);
}
