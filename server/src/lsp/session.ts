/**
 * One connection's state, shared by the handler modules: the language service once `initialize`
 * created it, the open documents, what the client can do, and the guard every handler runs in.
 */
import { ErrorCodes, LSPErrorCodes, ResponseError, TextDocuments, type CancellationToken, type Connection } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { normalizeUri } from '../node/fsWorkspace';
import { RenameError, type ThroughlineLanguageService } from '../service';
import { DiagnosticsPublisher } from './diagnosticsPublisher';
import { StrategyFolders } from './folders';
import { PositionConverter } from './positionEncoding';
import { ClientSettings } from './settings';
import type { ClientAbilities, SessionCore } from './sessionCore';

/** Longest line the server writes to the client's log: a message quoting a hostile file name stays readable. */
const MAX_LOG_LINE = 2_000;

export class Session implements SessionCore {
  readonly documents = new TextDocuments(TextDocument);
  readonly client: ClientAbilities = {
    watch: false,
    configuration: false,
    configurationRegistration: false,
    showDocument: false,
    diagnosticsVersion: false,
    pullDiagnostics: false,
    diagnosticRefresh: false,
    inlayHintRefresh: false,
    semanticTokensRefresh: false,
  };
  readonly settings = new ClientSettings(this);
  readonly publisher = new DiagnosticsPublisher(this);
  /** The strategy workspaces served: one service per folder (see folders.ts); empty before `initialize`. */
  readonly folders = new StrategyFolders((message) => this.log(message));
  /** Columns in the encoding negotiated in `initialize` (see positionEncoding.ts). */
  readonly positions = new PositionConverter(
    (uri) => this.openDocument(uri),
    (message) => this.log(message),
  );
  /** Where the session is in the protocol's lifecycle: before `initialize`, serving, or after `shutdown`. */
  phase: 'starting' | 'running' | 'shutDown' = 'starting';
  /**
   * Set when the client gave no workspace folder: finds (once) the strategy workspace around the
   * first document opened, and indexes it before that document is served. See lifecycle.ts.
   */
  rootsForDocument: ((uri: string) => Promise<void>) | undefined;
  /** Settles when the first indexing is done; handlers wait for it. */
  ready: Promise<void> = Promise.resolve();
  /** Settings changes apply one after the other, in the order they arrived. */
  settingsQueue: Promise<void> = Promise.resolve();

  constructor(readonly connection: Connection) {}

  log(message: string): void {
    this.connection.console.log(bounded(message));
  }

  logError(message: string, error: unknown): void {
    this.connection.console.error(bounded(`${message}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`));
  }

  /**
   * Runs a request's handler once indexing is done; a failure is logged and answered with
   * `fallback`, never a crash. As the protocol says, a request before `initialize` is refused with
   * ServerNotInitialized and one after `shutdown` with InvalidRequest. A request the client
   * cancelled is answered RequestCancelled without being computed, if it was cancelled while it
   * waited; a `long` one (tree, report, references, workspace symbols) first lets the messages
   * already received run, so that a cancellation sent right after it is seen, and drops its result
   * if it was cancelled while it ran. The handler gets the service of the folder that holds `uri`,
   * or of the first folder when no `uri` is given.
   */
  async guarded<T>(
    name: string,
    fallback: T,
    handler: (service: ThroughlineLanguageService) => T | Promise<T>,
    options: { token?: CancellationToken; long?: boolean; quick?: boolean; uri?: string } = {},
  ): Promise<T> {
    if (this.phase === 'starting') throw new ResponseError(ErrorCodes.ServerNotInitialized, `${name}: the server has not received initialize yet.`);
    if (this.phase === 'shutDown') throw new ResponseError(ErrorCodes.InvalidRequest, `${name}: the server is shut down.`);
    await this.ready;
    // A long request waits a timer's turn (about 1 ms) first: a client that cancels right after
    // sending writes the cancellation a moment later, and it must be read before the work starts.
    // Not a `quick` one (a tree slice, answered from kept nodes in well under a millisecond): there
    // the wait was most of the time the client waited (served median at 10,000 PRDs 1.9 ms with it,
    // 0.7 ms without), and a tree view refresh asks for one slice per expanded strategy. Messages
    // already received are still read before it starts and after it ran.
    if (options.long) {
      if (!options.quick) await new Promise<void>((resolve) => setTimeout(resolve, 0));
      await messagesRead();
    }
    const cancelled = () => new ResponseError(LSPErrorCodes.RequestCancelled, `${name} was cancelled.`);
    if (options.token?.isCancellationRequested) throw cancelled();
    try {
      if (options.uri !== undefined && this.rootsForDocument) await this.rootsForDocument(options.uri);
      const service = this.serviceFor(options.uri);
      const result = await handler(service);
      // A cancellation that arrived while the handler ran.
      if (options.long) await messagesRead();
      if (options.long && options.token?.isCancellationRequested) throw cancelled();
      return this.positions.toClient(result, options.uri === undefined ? undefined : normalizeUri(options.uri));
    } catch (error) {
      if (error instanceof ResponseError) throw error;
      if (error instanceof RenameError) throw new ResponseError(ErrorCodes.InvalidRequest, error.message);
      this.logError(`${name} failed`, error);
      return fallback;
    }
  }

  /** Runs a notification's handler as `guarded` does; before `initialize` and after `shutdown` it is dropped, as the protocol says. */
  notified(name: string, handler: (service: ThroughlineLanguageService) => unknown, uri?: string): void {
    if (this.phase !== 'running') return;
    void this.guarded(
      name,
      undefined,
      async (service) => {
        await handler(service);
      },
      { uri },
    );
  }

  /** The service of the folder that holds `uri` (canonical or not), or of the first folder. */
  serviceFor(uri?: string): ThroughlineLanguageService {
    return (uri === undefined ? this.folders.primary(this.settings.initialSettings) : this.folders.forUri(uri, this.settings.initialSettings)).service;
  }

  openVersion(uri: string): number | undefined {
    return this.openDocument(uri)?.version;
  }

  openUris(): string[] {
    return this.documents.all().map((document) => normalizeUri(document.uri));
  }

  /** The document open at `uri`, in the client's spelling or the canonical one. */
  openDocument(uri: string): TextDocument | undefined {
    const canonical = normalizeUri(uri);
    return this.documents.get(uri) ?? this.documents.all().find((document) => normalizeUri(document.uri) === canonical);
  }

  /** The open document at `uri`, as the service indexes it; undefined when the client has not opened it. */
  document(uri: string): TextDocument | undefined {
    const document = this.documents.get(uri);
    return document ? withCanonicalUri(document) : undefined;
  }
}

function bounded(message: string): string {
  return message.length <= MAX_LOG_LINE ? message : `${message.slice(0, MAX_LOG_LINE - 1)}…`;
}

/** Documents keep the client's URI spelling for replies, but the service indexes the canonical one. */
export function withCanonicalUri(document: TextDocument): TextDocument {
  const uri = normalizeUri(document.uri);
  if (uri === document.uri) return document;
  return new Proxy(document, { get: (target, property) => (property === 'uri' ? uri : Reflect.get(target, property, target)) as unknown });
}

/**
 * Lets the messages already on the wire be read and dispatched: a turn of the event loop whose poll
 * phase reads them, then vscode-jsonrpc's message queue, which dispatches them from a
 * `setImmediate` queued in that poll phase (after this function's own next turn), then one more.
 */
async function messagesRead(): Promise<void> {
  for (let turn = 0; turn < 3; turn++) await new Promise<void>((resolve) => setImmediate(resolve));
}
