/**
 * A small LSP client for protocol tests: it spawns the real, bundled server (`dist/server.js`)
 * as a child process and speaks JSON-RPC to it over stdio, as an editor would.
 *
 *   const workspace = await copyExample();               // a temp copy of examples/acme
 *   const client = await startClient({ folders: [workspace.root] });
 *   await client.waitForDiagnostics(workspace.uri('prds/guest-checkout.md'), (d) => d.length === 1);
 *   ...
 *   await client.stop();                                 // shutdown + exit, kill on failure
 *   await workspace.dispose();
 *
 * Nothing here sleeps for a fixed time: every wait is a condition with a timeout. Every spawned
 * server is tracked and killed when the test process exits, so a failing test never leaves a
 * process behind.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, realpathSync } from 'node:fs';
import { cp, mkdtemp, readFile, rm, writeFile, unlink, mkdir } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  ConfigurationRequest,
  DidChangeConfigurationNotification,
  DidChangeTextDocumentNotification,
  DidChangeWatchedFilesNotification,
  DidCloseTextDocumentNotification,
  DidOpenTextDocumentNotification,
  ExitNotification,
  InitializeRequest,
  InitializedNotification,
  LogMessageNotification,
  PublishDiagnosticsNotification,
  RegistrationRequest,
  ShutdownRequest,
  StreamMessageReader,
  StreamMessageWriter,
  UnregistrationRequest,
  createProtocolConnection,
  type ClientCapabilities,
  type Diagnostic,
  type FileEvent,
  type InitializeParams,
  type InitializeResult,
  type ProtocolConnection,
  type Registration,
  type TextDocumentContentChangeEvent,
  type WorkspaceFolder,
} from 'vscode-languageserver-protocol/node';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** The bundled server; THROUGHLINE_SERVER runs the suite against another build (e.g. a patched copy). */
export const SERVER_PATH = process.env.THROUGHLINE_SERVER ? path.resolve(process.env.THROUGHLINE_SERVER) : path.join(REPO_ROOT, 'dist', 'server.js');
export const CLI_PATH = path.join(REPO_ROOT, 'bin', 'throughline.js');
export const ACME = path.join(REPO_ROOT, 'examples', 'acme');

/** How long a condition may take before a wait fails (ms). Override with LSP_TEST_TIMEOUT_MS. */
export const WAIT_TIMEOUT_MS = Number(process.env.LSP_TEST_TIMEOUT_MS ?? 10_000);

// ---- process hygiene ---------------------------------------------------------------------------

const liveProcesses = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of liveProcesses) {
    try {
      child.kill('SIGKILL');
    } catch {
      // already gone
    }
  }
});

// ---- temp workspaces ---------------------------------------------------------------------------

export function fileUri(filePath: string): string {
  return pathToFileURL(filePath).href;
}

export interface TempWorkspace {
  /** Real path of the copy (symbolic links resolved, so URIs match what the server computes). */
  readonly root: string;
  readonly rootUri: string;
  path(relative: string): string;
  uri(relative: string): string;
  read(relative: string): Promise<string>;
  write(relative: string, content: string | Uint8Array): Promise<string>;
  remove(relative: string): Promise<string>;
  dispose(): Promise<void>;
}

/** Copies `source` (default: examples/acme) into a fresh folder under os.tmpdir(). */
export async function copyExample(source = ACME, label = 'acme'): Promise<TempWorkspace> {
  const parent = realpathSync(await mkdtemp(path.join(os.tmpdir(), `throughline-${label}-`)));
  const root = path.join(parent, 'workspace');
  await cp(source, root, { recursive: true });
  return workspaceAt(root, parent);
}

/** An empty temp folder. */
export async function emptyWorkspace(label = 'empty'): Promise<TempWorkspace> {
  const parent = realpathSync(await mkdtemp(path.join(os.tmpdir(), `throughline-${label}-`)));
  const root = path.join(parent, 'workspace');
  await mkdir(root);
  return workspaceAt(root, parent);
}

function workspaceAt(root: string, parent: string): TempWorkspace {
  const resolve = (relative: string) => path.join(root, ...relative.split('/'));
  return {
    root,
    rootUri: fileUri(root),
    path: resolve,
    uri: (relative) => fileUri(resolve(relative)),
    read: (relative) => readFile(resolve(relative), 'utf8'),
    async write(relative, content) {
      const target = resolve(relative);
      await mkdir(path.dirname(target), { recursive: true });
      await writeFile(target, content);
      return fileUri(target);
    },
    async remove(relative) {
      const target = resolve(relative);
      await unlink(target);
      return fileUri(target);
    },
    dispose: () => rm(parent, { recursive: true, force: true }),
  };
}

// ---- the client --------------------------------------------------------------------------------

/** What a current VS Code tells a server it supports, trimmed to what matters here. */
export function realisticCapabilities(): ClientCapabilities {
  return {
    workspace: {
      applyEdit: true,
      workspaceEdit: { documentChanges: true, resourceOperations: ['create', 'rename', 'delete'] },
      didChangeConfiguration: { dynamicRegistration: true },
      didChangeWatchedFiles: { dynamicRegistration: true, relativePatternSupport: true },
      symbol: { dynamicRegistration: true },
      executeCommand: { dynamicRegistration: true },
      configuration: true,
      workspaceFolders: true,
      codeLens: { refreshSupport: true },
      diagnostics: { refreshSupport: true },
      inlayHint: { refreshSupport: true },
      semanticTokens: { refreshSupport: true },
    },
    textDocument: {
      synchronization: { dynamicRegistration: true, willSave: true, willSaveWaitUntil: true, didSave: true },
      completion: {
        dynamicRegistration: true,
        contextSupport: true,
        completionItem: { snippetSupport: true, labelDetailsSupport: true, insertReplaceSupport: true, documentationFormat: ['markdown', 'plaintext'] },
      },
      hover: { dynamicRegistration: true, contentFormat: ['markdown', 'plaintext'] },
      definition: { dynamicRegistration: true, linkSupport: true },
      references: { dynamicRegistration: true },
      documentSymbol: { dynamicRegistration: true, hierarchicalDocumentSymbolSupport: true },
      codeAction: {
        dynamicRegistration: true,
        isPreferredSupport: true,
        dataSupport: true,
        codeActionLiteralSupport: { codeActionKind: { valueSet: ['', 'quickfix', 'refactor', 'source'] } },
      },
      codeLens: { dynamicRegistration: true },
      rename: { dynamicRegistration: true, prepareSupport: true },
      publishDiagnostics: { relatedInformation: true, versionSupport: true, codeDescriptionSupport: true, dataSupport: true },
      foldingRange: { dynamicRegistration: true },
      documentLink: { dynamicRegistration: true },
    },
    window: { workDoneProgress: true, showMessage: {} },
    general: { positionEncodings: ['utf-16'] },
  };
}

export interface StartOptions {
  /** Workspace folders (paths). Empty: a server with no folder. */
  readonly folders?: readonly string[];
  /** Answer to `workspace/configuration` for the `throughline` section. */
  readonly settings?: Record<string, unknown>;
  readonly capabilities?: ClientCapabilities;
  readonly initializationOptions?: unknown;
  /** Command to spawn; default `node dist/server.js --stdio`. */
  readonly command?: readonly string[];
  readonly cwd?: string;
  /** Also wait for the first `throughline/alignmentChanged` (the end of indexing). Default true when there is a folder. */
  readonly waitForIndex?: boolean;
  /** Answer `workspace/configuration` only once this settles: a slow or stuck client. */
  readonly configurationGate?: Promise<void>;
}

type Listener = () => void;

export class LspClient {
  readonly diagnostics = new Map<string, Diagnostic[]>();
  /** Every publishDiagnostics notification, in order. */
  readonly publishLog: { uri: string; diagnostics: Diagnostic[]; version?: number }[] = [];
  readonly registrations: Registration[] = [];
  readonly logs: string[] = [];
  readonly notifications: { method: string; params: unknown }[] = [];
  readonly configurationRequests: unknown[] = [];
  /** Every refresh request the server sent for inlay hints and semantic tokens, in order. */
  readonly refreshRequests: string[] = [];
  /** Resource-scoped settings: folder URI → the `throughline` section for items scoped inside it. */
  readonly scopedSettings = new Map<string, Record<string, unknown>>();
  stderr = '';
  exitCode: number | null | undefined;
  exitSignal: NodeJS.Signals | null | undefined;
  initializeResult: InitializeResult | undefined;
  /** Mutable: what the client answers to `workspace/configuration`. */
  settings: Record<string, unknown>;
  /** When set, `workspace/configuration` is answered only once it settles. */
  configurationGate: Promise<void> | undefined;

  private readonly listeners = new Set<Listener>();
  private readonly versions = new Map<string, number>();
  private readonly exited: Promise<void>;
  private stopped = false;

  constructor(
    readonly process: ChildProcess,
    readonly connection: ProtocolConnection,
    settings: Record<string, unknown>,
  ) {
    this.settings = settings;
    this.exited = new Promise((resolve) => {
      process.once('exit', (code, signal) => {
        this.exitCode = code;
        this.exitSignal = signal;
        liveProcesses.delete(process);
        this.changed();
        resolve();
      });
    });
    process.stderr?.setEncoding('utf8');
    process.stderr?.on('data', (chunk: string) => {
      this.stderr += chunk;
    });
    connection.onNotification(PublishDiagnosticsNotification.type, (params) => {
      this.diagnostics.set(params.uri, params.diagnostics);
      this.publishLog.push({ uri: params.uri, diagnostics: params.diagnostics, version: params.version });
      this.changed();
    });
    connection.onNotification(LogMessageNotification.type, (params) => {
      this.logs.push(params.message);
      this.changed();
    });
    // Every other notification (throughline/alignmentChanged, window/showMessage, ...): the star
    // handler exists at runtime (vscode-jsonrpc) but ProtocolConnection's type does not declare it.
    (connection as unknown as { onNotification(handler: (method: string, params: unknown) => void): void }).onNotification((method, params) => {
      this.notifications.push({ method, params });
      this.changed();
    });
    connection.onRequest(ConfigurationRequest.type, async (params) => {
      this.configurationRequests.push(params);
      this.changed();
      if (this.configurationGate) await this.configurationGate;
      const forScope = (scopeUri: string | undefined) => {
        for (const [folder, settings] of this.scopedSettings) if (scopeUri === folder || scopeUri?.startsWith(`${folder}/`)) return settings;
        return this.settings;
      };
      return params.items.map((item) =>
        item.section === 'throughline' ? forScope(item.scopeUri) : item.section ? null : { throughline: forScope(item.scopeUri) },
      );
    });
    connection.onRequest(RegistrationRequest.type, (params) => {
      this.registrations.push(...params.registrations);
      this.changed();
      return null;
    });
    connection.onRequest(UnregistrationRequest.type, () => null);
    connection.onRequest('window/workDoneProgress/create', () => null);
    connection.onRequest('workspace/codeLens/refresh', () => null);
    connection.onRequest('workspace/inlayHint/refresh', () => {
      this.refreshRequests.push('workspace/inlayHint/refresh');
      this.changed();
      return null;
    });
    connection.onRequest('workspace/semanticTokens/refresh', () => {
      this.refreshRequests.push('workspace/semanticTokens/refresh');
      this.changed();
      return null;
    });
    connection.onRequest('workspace/diagnostic/refresh', () => null);
  }

  get alive(): boolean {
    return this.exitCode === undefined;
  }

  private changed(): void {
    for (const listener of [...this.listeners]) listener();
  }

  /** Resolves with `check()`'s value once it is not undefined; re-checked on every message from the server. */
  waitFor<T>(description: string, check: () => T | undefined, timeoutMs = WAIT_TIMEOUT_MS): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const finish = () => {
        clearTimeout(timer);
        this.listeners.delete(listener);
      };
      const listener = () => {
        let value: T | undefined;
        try {
          value = check();
        } catch (error) {
          finish();
          reject(error as Error);
          return;
        }
        if (value !== undefined) {
          finish();
          resolve(value);
        } else if (!this.alive) {
          finish();
          reject(new Error(`Server exited (code ${this.exitCode}, signal ${this.exitSignal}) while waiting for ${description}.\nstderr:\n${this.stderr}`));
        }
      };
      const timer = setTimeout(() => {
        finish();
        reject(new Error(`Timed out after ${timeoutMs} ms waiting for ${description}.`));
      }, timeoutMs);
      this.listeners.add(listener);
      listener();
    });
  }

  /** Waits until the latest diagnostics published for `uri` satisfy `predicate` (an unpublished URI counts as []). */
  async waitForDiagnostics(uri: string, predicate: (diagnostics: Diagnostic[]) => boolean, timeoutMs = WAIT_TIMEOUT_MS): Promise<Diagnostic[]> {
    try {
      return await this.waitFor(
        `diagnostics of ${uri}`,
        () => {
          const current = this.diagnostics.get(uri) ?? [];
          return predicate(current) ? current : undefined;
        },
        timeoutMs,
      );
    } catch (error) {
      const current = this.diagnostics.get(uri);
      throw new Error(
        `${(error as Error).message}\nLast diagnostics of ${uri}: ${current ? JSON.stringify(current.map(brief), null, 1) : '(never published)'}`,
      );
    }
  }

  /** Waits for a notification (by method) that arrives after `since` notifications were seen. */
  waitForNotification(method: string, since = 0, predicate: (params: unknown) => boolean = () => true, timeoutMs = WAIT_TIMEOUT_MS): Promise<unknown> {
    return this.waitFor(
      `notification ${method}`,
      () => this.notifications.slice(since).find((entry) => entry.method === method && predicate(entry.params))?.params,
      timeoutMs,
    );
  }

  /** Waits for a log message matching `pattern`. */
  waitForLog(pattern: RegExp, timeoutMs = WAIT_TIMEOUT_MS): Promise<string> {
    return this.waitFor(`a log message matching ${pattern}`, () => this.logs.find((message) => pattern.test(message)), timeoutMs);
  }

  /** A request with a timeout, so a hung server fails the test instead of hanging it. */
  async request<R>(method: string, params: unknown, timeoutMs = WAIT_TIMEOUT_MS): Promise<R> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`Request ${method} got no answer within ${timeoutMs} ms.`)), timeoutMs);
    });
    const died = this.exited.then(() => {
      throw new Error(`Server exited (code ${this.exitCode}, signal ${this.exitSignal}) during ${method}.\nstderr:\n${this.stderr}`);
    });
    try {
      return await Promise.race([this.connection.sendRequest(method, params) as Promise<R>, timeout, died]);
    } finally {
      if (timer) clearTimeout(timer);
    }
  }

  notify(method: string, params: unknown): Promise<void> {
    return this.connection.sendNotification(method, params);
  }

  // ---- document sync ---------------------------------------------------------------------------

  version(uri: string): number | undefined {
    return this.versions.get(uri);
  }

  async open(uri: string, text: string, version = 1, languageId = 'markdown'): Promise<void> {
    this.versions.set(uri, version);
    await this.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId, version, text } });
  }

  /** Sends incremental changes; bumps the version unless one is given. */
  async change(uri: string, changes: TextDocumentContentChangeEvent[], version = (this.versions.get(uri) ?? 0) + 1): Promise<number> {
    this.versions.set(uri, version);
    await this.connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version }, contentChanges: changes });
    return version;
  }

  async close(uri: string): Promise<void> {
    this.versions.delete(uri);
    await this.connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri } });
  }

  async watched(changes: FileEvent[]): Promise<void> {
    await this.connection.sendNotification(DidChangeWatchedFilesNotification.type, { changes });
  }

  async changeConfiguration(settings: Record<string, unknown>): Promise<void> {
    this.settings = settings;
    // VS Code sends `settings: null` when the server pulls configuration.
    await this.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
  }

  hover(uri: string, line: number, character: number) {
    return this.request<import('vscode-languageserver-protocol').Hover | null>('textDocument/hover', { textDocument: { uri }, position: { line, character } });
  }

  // ---- shutdown --------------------------------------------------------------------------------

  /** shutdown + exit; kills the process if it does not exit in time. Returns the exit code. */
  async stop(timeoutMs = 5_000): Promise<number | null | undefined> {
    if (this.stopped) {
      await this.exited;
      return this.exitCode;
    }
    this.stopped = true;
    if (this.alive) {
      try {
        await this.request(ShutdownRequest.method, undefined, timeoutMs);
        await this.connection.sendNotification(ExitNotification.type);
      } catch {
        // fall through to the kill below
      }
      const timer = setTimeout(() => {
        if (this.alive) this.process.kill('SIGKILL');
      }, timeoutMs);
      await this.exited;
      clearTimeout(timer);
    }
    this.connection.dispose();
    return this.exitCode;
  }

  /** Kills the process at once (for after-hooks of failed tests). */
  async kill(): Promise<void> {
    this.stopped = true;
    if (this.alive) this.process.kill('SIGKILL');
    await this.exited;
    this.connection.dispose();
  }
}

function brief(diagnostic: Diagnostic) {
  const { start, end } = diagnostic.range;
  return `${start.line}:${start.character}-${end.line}:${end.character} ${diagnostic.code} ${diagnostic.message}`;
}

/** Spawns the server, sends `initialize` and `initialized`, and (with a folder) waits for indexing to finish. */
export async function startClient(options: StartOptions = {}): Promise<LspClient> {
  const command = options.command ?? [process.execPath, SERVER_PATH, '--stdio'];
  if (!options.command && !existsSync(SERVER_PATH)) throw new Error(`${SERVER_PATH} is missing: run \`npm run build\` first.`);
  // Date rules (stale-document) measure against a fixed day, so the examples' problems do not age.
  // Paranoid mode: after every change the server compares its incremental state with a rebuild and
  // fails the change on a difference (THROUGHLINE_PARANOID=0 turns it off).
  const env = {
    ...process.env,
    THROUGHLINE_TODAY: process.env.THROUGHLINE_TODAY ?? '2026-11-22',
    THROUGHLINE_PARANOID: process.env.THROUGHLINE_PARANOID ?? '1',
  };
  const child = spawn(command[0]!, command.slice(1), { cwd: options.cwd ?? REPO_ROOT, stdio: ['pipe', 'pipe', 'pipe'], env });
  liveProcesses.add(child);
  const reader = new StreamMessageReader(child.stdout!);
  // vscode-jsonrpc re-arms its partial-message timer every 10 s while a message stays half-read, and
  // disposing the reader does not clear it: a server killed mid-write would keep this file's process alive.
  reader.partialMessageTimeout = 0;
  const connection = createProtocolConnection(reader, new StreamMessageWriter(child.stdin!));
  connection.onError(() => undefined);
  child.stdin!.on('error', () => undefined);
  const client = new LspClient(child, connection, { ...(options.settings ?? {}) });
  client.configurationGate = options.configurationGate;
  connection.listen();
  try {
    const folders = options.folders ?? [];
    const workspaceFolders: WorkspaceFolder[] | null = folders.length ? folders.map((folder) => ({ uri: fileUri(folder), name: path.basename(folder) })) : null;
    const params: InitializeParams = {
      processId: process.pid,
      clientInfo: { name: 'throughline-protocol-tests', version: '1.0.0' },
      locale: 'en',
      rootPath: folders[0] ?? null,
      rootUri: folders[0] ? fileUri(folders[0]) : null,
      capabilities: options.capabilities ?? realisticCapabilities(),
      initializationOptions: options.initializationOptions,
      trace: 'off',
      workspaceFolders,
    };
    client.initializeResult = await client.request<InitializeResult>(InitializeRequest.method, params);
    const seen = client.notifications.length;
    await connection.sendNotification(InitializedNotification.type, {});
    if (options.waitForIndex ?? folders.length > 0) await client.waitForNotification('throughline/alignmentChanged', seen);
    return client;
  } catch (error) {
    await client.kill();
    throw error;
  }
}

/** 0-based line and UTF-16 column of the first occurrence of `needle` (after `occurrence` earlier ones). */
export function positionOf(text: string, needle: string, occurrence = 0): { line: number; character: number } {
  let offset = -1;
  for (let i = 0; i <= occurrence; i++) {
    offset = text.indexOf(needle, offset + 1);
    if (offset === -1) throw new Error(`"${needle}" (occurrence ${occurrence}) not found`);
  }
  const before = text.slice(0, offset);
  const line = before.split('\n').length - 1;
  return { line, character: offset - (before.lastIndexOf('\n') + 1) };
}

/** Applies LSP text edits to a text (edits must not overlap). */
export function applyEdits(
  text: string,
  edits: readonly { range: { start: { line: number; character: number }; end: { line: number; character: number } }; newText: string }[],
): string {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') starts.push(i + 1);
  const offset = (position: { line: number; character: number }) => (starts[position.line] ?? text.length) + position.character;
  const sorted = [...edits].sort((a, b) => offset(b.range.start) - offset(a.range.start));
  let result = text;
  for (const edit of sorted) result = result.slice(0, offset(edit.range.start)) + edit.newText + result.slice(offset(edit.range.end));
  return result;
}

export function byCode(diagnostics: readonly Diagnostic[], code: string): Diagnostic[] {
  return diagnostics.filter((diagnostic) => diagnostic.code === code);
}

export function hasCode(code: string, where?: (diagnostic: Diagnostic) => boolean) {
  return (diagnostics: readonly Diagnostic[]) => diagnostics.some((diagnostic) => diagnostic.code === code && (!where || where(diagnostic)));
}

export function lacksCode(code: string, where?: (diagnostic: Diagnostic) => boolean) {
  return (diagnostics: readonly Diagnostic[]) => !hasCode(code, where)(diagnostics);
}

export { writeFile };
