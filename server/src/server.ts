/**
 * The LSP glue: connection, document sync, watch events and request routing. Every answer is
 * computed by the language service in ./service; nothing here knows a rule.
 */
import {
  CodeActionKind,
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  ErrorCodes,
  FileChangeType,
  ProposedFeatures,
  ResponseError,
  TextDocumentSyncKind,
  TextDocuments,
  createConnection,
  type Connection,
  type DidChangeConfigurationParams,
  type InitializeParams,
  type InitializeResult,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import {
  AlignmentChangedNotification,
  AlignmentTreeRequest,
  CoverageRequest,
  DescribeItemRequest,
  NextIdRequest,
  PortfolioRequest,
  SETTINGS_SECTION,
  StrategyReportRequest,
  type ThroughlineSettings,
} from '../../common/protocol';
import { FileSystemWorkspace, normalizeUri } from './node/fsWorkspace';
import { todayFromEnvironment } from './node/today';
import { VERSION } from './version';
import { configSchema, createLanguageService, RenameError, type ChangeImpact, type ThroughlineLanguageService } from './service';
import { renderReportHtml } from './service/report/html';
import { parseSettings } from './service/settings';

const OTHERS_DEBOUNCE_MS = 60;
const ALIGNMENT_DEBOUNCE_MS = 150;
/** Longest line the server writes to the client's log: a message quoting a hostile file name stays readable. */
const MAX_LOG_LINE = 2_000;

export function startServer(connection: Connection = createConnection(ProposedFeatures.all)): void {
  const documents = new TextDocuments(TextDocument);
  let service: ThroughlineLanguageService | undefined;
  let ready: Promise<void> = Promise.resolve();
  let clientSupportsWatch = false;
  let clientSupportsConfiguration = false;
  let folders: string[] = [];
  /** The settings from `initializationOptions`: they apply while the client gives none by another route. */
  let initialSettings: ThroughlineSettings | undefined;
  /** The settings the service has, as JSON: a push or pull that brings the same ones reindexes nothing. */
  let appliedSettings = settingsKey(undefined);
  /** Settings changes apply one after the other, in the order they arrived. */
  let settingsQueue: Promise<void> = Promise.resolve();
  /** URI → signature of the diagnostics last published there (only URIs with some). */
  const published = new Map<string, string>();
  const pendingOthers = new Set<string>();
  let othersTimer: NodeJS.Timeout | undefined;
  let alignmentTimer: NodeJS.Timeout | undefined;
  let alignmentVersion = 0;

  const log = (message: string) => connection.console.log(bounded(message));
  const logError = (message: string, error: unknown) =>
    connection.console.error(bounded(`${message}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`));

  /** Runs a handler once indexing is done; a failure is logged and answered with `fallback`, never a crash. */
  async function guarded<T>(name: string, fallback: T, handler: (service: ThroughlineLanguageService) => T | Promise<T>): Promise<T> {
    await ready;
    if (!service) return fallback;
    try {
      return await handler(service);
    } catch (error) {
      if (error instanceof ResponseError) throw error;
      if (error instanceof RenameError) throw new ResponseError(ErrorCodes.InvalidRequest, error.message);
      logError(`${name} failed`, error);
      return fallback;
    }
  }

  /**
   * Publishes a document's diagnostics; returns whether they differ (by rule and line) from the last
   * ones sent. One document that fails is logged and skipped: the caller's loop publishes the rest.
   */
  function publish(uri: string): boolean {
    if (!service) return false;
    try {
      const diagnostics = service.getDiagnostics(uri);
      if (diagnostics.length === 0 && !published.has(uri)) return false;
      const signature = diagnosticsSignature(diagnostics);
      const changed = published.get(uri) !== signature;
      if (diagnostics.length) published.set(uri, signature);
      else published.delete(uri);
      void connection.sendDiagnostics({ uri, diagnostics });
      return changed;
    } catch (error) {
      logError(`Publishing the diagnostics of ${uri} failed`, error);
      return false;
    }
  }

  function scheduleAlignmentChanged(): void {
    alignmentTimer ??= setTimeout(() => {
      alignmentTimer = undefined;
      void connection.sendNotification(AlignmentChangedNotification.type, { version: ++alignmentVersion });
    }, ALIGNMENT_DEBOUNCE_MS);
  }

  /**
   * The edited document is published at once; other affected documents in a short debounced batch.
   * Clients hear `alignmentChanged` only when links or definitions changed, or some problem came
   * or went: typing prose does not make the tree and status bar refresh.
   */
  function handleImpact(impact: ChangeImpact, immediate?: string): void {
    if (impact.structureChanged) scheduleAlignmentChanged();
    if (immediate && publish(immediate)) scheduleAlignmentChanged();
    for (const uri of impact.affectedUris) if (uri !== immediate) pendingOthers.add(uri);
    if (pendingOthers.size) {
      othersTimer ??= setTimeout(() => {
        othersTimer = undefined;
        const uris = [...pendingOthers];
        pendingOthers.clear();
        let changed = false;
        for (const uri of uris) changed = publish(uri) || changed;
        if (changed) scheduleAlignmentChanged();
      }, OTHERS_DEBOUNCE_MS);
    }
  }

  function publishAll(): void {
    if (!service) return;
    const current = new Set(service.diagnosticUris());
    for (const uri of current) publish(uri);
    for (const uri of [...published.keys()]) if (!current.has(uri)) publish(uri);
  }

  /** Validates settings from a client; each entry left out is one log line, and the valid rest applies. */
  function readSettings(raw: unknown, route: string): ThroughlineSettings | undefined {
    const { settings, problems } = parseSettings(raw);
    // The problems quote the client's keys and values through escapeConfigText already.
    for (const problem of problems) log(`Ignoring invalid throughline settings from ${route}: ${problem}`);
    return settings;
  }

  /**
   * The settings the client holds now, pulled with `workspace/configuration`. A client without a
   * `throughline` section answers null: then the initialization options apply. A failed request
   * changes nothing (undefined).
   */
  async function pullSettings(): Promise<{ settings: ThroughlineSettings | undefined } | undefined> {
    try {
      const raw: unknown = await connection.workspace.getConfiguration(SETTINGS_SECTION);
      return { settings: raw === null || raw === undefined ? initialSettings : readSettings(raw, 'workspace/configuration') };
    } catch (error) {
      logError('workspace/configuration failed; the settings stay as they were', error);
      return undefined;
    }
  }

  /**
   * The settings after `workspace/didChangeConfiguration`: those it carries under `throughline`,
   * else those pulled from a client that can answer, else (a bare notification from a client that
   * cannot be asked) no change.
   */
  async function settingsAfterChange(params: DidChangeConfigurationParams | undefined): Promise<{ settings: ThroughlineSettings | undefined } | undefined> {
    const pushed = settingsSection(params?.settings);
    if (pushed !== undefined) return { settings: readSettings(pushed, 'workspace/didChangeConfiguration') };
    return clientSupportsConfiguration ? pullSettings() : undefined;
  }

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    clientSupportsWatch = params.capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration === true;
    clientSupportsConfiguration = params.capabilities.workspace?.configuration === true;
    folders = (params.workspaceFolders ?? []).map((folder) => folder.uri);
    if (folders.length === 0 && params.rootUri) folders = [params.rootUri];
    initialSettings = readSettings(initializationSettings(params.initializationOptions, log), 'initializationOptions');
    appliedSettings = settingsKey(initialSettings);
    service = createLanguageService({
      workspace: new FileSystemWorkspace(folders),
      settings: initialSettings,
      logger: { log },
      today: todayFromEnvironment(),
      paranoid: process.env['THROUGHLINE_PARANOID'] === '1',
    });
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: false },
        completionProvider: { triggerCharacters: ['-', ':', ' ', ','], resolveProvider: false },
        hoverProvider: true,
        definitionProvider: true,
        referencesProvider: true,
        renameProvider: { prepareProvider: true },
        documentSymbolProvider: { label: 'Throughline' },
        workspaceSymbolProvider: true,
        codeLensProvider: { resolveProvider: false },
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
        documentLinkProvider: { resolveProvider: false },
        foldingRangeProvider: true,
        workspace: { workspaceFolders: { supported: true, changeNotifications: false } },
      },
      serverInfo: { name: 'throughline', version: VERSION },
    };
  });

  connection.onInitialized(() => {
    if (clientSupportsWatch) {
      void connection.client.register(DidChangeWatchedFilesNotification.type, {
        watchers: [{ globPattern: '**/*.{md,markdown}' }, { globPattern: '**/.throughline.yml' }, { globPattern: '**/', kind: 4 }],
      });
    }
    if (clientSupportsConfiguration) void connection.client.register(DidChangeConfigurationNotification.type, { section: SETTINGS_SECTION });
    ready = (async () => {
      try {
        // The initialization options are indexed with; settings pulled now replace them if they differ.
        const pulled = clientSupportsConfiguration ? await pullSettings() : undefined;
        if (pulled && service && settingsKey(pulled.settings) !== appliedSettings) {
          appliedSettings = settingsKey(pulled.settings);
          await service.updateSettings(pulled.settings);
        } else await service?.initialize();
        publishAll();
        void connection.sendNotification(AlignmentChangedNotification.type, { version: ++alignmentVersion });
      } catch (error) {
        logError('Indexing failed', error);
        // Whatever was indexed before the failure is still worth publishing.
        publishAll();
      }
    })();
  });

  documents.onDidOpen(
    (event) => void guarded('didOpen', undefined, (current) => handleImpact(current.updateDocument(withUri(event.document)), normalizeUri(event.document.uri))),
  );
  documents.onDidChangeContent(
    (event) =>
      void guarded('didChange', undefined, (current) => handleImpact(current.updateDocument(withUri(event.document)), normalizeUri(event.document.uri))),
  );
  documents.onDidClose(
    (event) =>
      void guarded('didClose', undefined, async (current) => {
        const uri = normalizeUri(event.document.uri);
        handleImpact(await current.closeDocument(uri));
        // Files outside the workspace lose their diagnostics when closed.
        if (!current.graph.document(uri)) publish(uri);
      }),
  );

  connection.onDidChangeWatchedFiles(
    (params) =>
      void guarded('didChangeWatchedFiles', undefined, async (current) => {
        // One change that fails (a file that cannot be read, a URI that cannot be parsed) is logged; the others still apply.
        for (const change of params.changes) {
          try {
            const uri = normalizeUri(change.uri);
            const impact = change.type === FileChangeType.Deleted ? await current.fileDeleted(uri) : await current.fileChanged(uri);
            handleImpact(impact);
          } catch (error) {
            logError('A watched-file change failed', error);
          }
        }
      }),
  );

  connection.onDidChangeConfiguration((params) => {
    settingsQueue = settingsQueue.then(() =>
      guarded('didChangeConfiguration', undefined, async (current) => {
        const next = await settingsAfterChange(params);
        if (!next || settingsKey(next.settings) === appliedSettings) return;
        appliedSettings = settingsKey(next.settings);
        handleImpact(await current.updateSettings(next.settings));
        publishAll();
      }),
    );
  });

  const doc = (uri: string) => {
    const document = documents.get(uri);
    return document ? withUri(document) : undefined;
  };

  connection.onCompletion((params) =>
    guarded('completion', null, (current) => {
      const document = doc(params.textDocument.uri);
      return document ? current.getCompletions(document, params.position) : null;
    }),
  );
  connection.onHover((params) =>
    guarded('hover', null, (current) => {
      const document = doc(params.textDocument.uri);
      return (document && current.getHover(document, params.position)) ?? null;
    }),
  );
  connection.onDefinition((params) =>
    guarded('definition', [], (current) => {
      const document = doc(params.textDocument.uri);
      return document ? current.getDefinition(document, params.position) : [];
    }),
  );
  connection.onReferences((params) =>
    guarded('references', [], (current) => {
      const document = doc(params.textDocument.uri);
      return document ? current.getReferences(document, params.position, params.context.includeDeclaration) : [];
    }),
  );
  connection.onPrepareRename((params) =>
    guarded('prepareRename', null, (current) => {
      const document = doc(params.textDocument.uri);
      return (document && current.prepareRename(document, params.position)) ?? null;
    }),
  );
  connection.onRenameRequest((params) =>
    guarded('rename', null, (current) => {
      const document = doc(params.textDocument.uri);
      return (document && current.getRenameEdits(document, params.position, params.newName)) ?? null;
    }),
  );
  connection.onDocumentSymbol((params) =>
    guarded('documentSymbol', [], (current) => {
      const document = doc(params.textDocument.uri);
      return document ? current.getDocumentSymbols(document) : [];
    }),
  );
  connection.onWorkspaceSymbol((params) => guarded('workspaceSymbol', [], (current) => current.getWorkspaceSymbols(params.query)));
  connection.onCodeLens((params) =>
    guarded('codeLens', [], (current) => {
      const document = doc(params.textDocument.uri);
      return document ? current.getCodeLenses(document) : [];
    }),
  );
  connection.onCodeAction((params) =>
    guarded('codeAction', [], (current) => {
      const document = doc(params.textDocument.uri);
      return document ? current.getCodeActions(document, params.context.diagnostics) : [];
    }),
  );
  connection.onDocumentLinks((params) =>
    guarded('documentLinks', [], (current) => {
      const document = doc(params.textDocument.uri);
      return document ? current.getDocumentLinks(document) : [];
    }),
  );
  connection.onFoldingRanges((params) =>
    guarded('foldingRanges', [], (current) => {
      const document = doc(params.textDocument.uri);
      return document ? current.getFoldingRanges(document) : [];
    }),
  );
  // Params come from the client and may be missing: `?.` below is on purpose.
  connection.onRequest(AlignmentTreeRequest.type, (params) =>
    guarded('alignmentTree', { roots: [] }, (current) => current.getAlignmentTree(params?.key, params?.depth)),
  );
  connection.onRequest(CoverageRequest.type, () =>
    guarded(
      'coverage',
      { requirements: 0, tracedRequirements: 0, outcomes: 0, deliveredOutcomes: 0, objectives: 0, objectivesWithOutcomes: 0, progress: [] },
      (current) => current.getCoverage(),
    ),
  );
  connection.onRequest(PortfolioRequest.type, () =>
    guarded('portfolio', { prds: 0, requirements: 0, dimensions: [], innovationTargets: [] }, (current) => current.getPortfolio()),
  );
  connection.onRequest(StrategyReportRequest.type, (params) =>
    guarded('report', { html: '' }, (current) => ({
      html: renderReportHtml(current.getStrategyReport(), { theme: params?.theme ?? 'standalone', nonce: params?.nonce, cspSource: params?.cspSource }),
    })),
  );
  connection.onRequest(DescribeItemRequest.type, (params) => guarded('describe', null, (current) => current.describe(params.id) ?? null));

  connection.onRequest(NextIdRequest.type, (params) =>
    guarded('nextId', null, (current) => {
      // The kind comes from the client: it is checked against the configured kinds and never quoted back.
      const id = current.nextFreeId(params?.kind);
      if (id === undefined)
        throw new ResponseError(ErrorCodes.InvalidParams, 'throughline/nextId: `kind` must be one of the configured item kinds (vision, strategy, prd, ...).');
      return { id };
    }),
  );

  documents.listen(connection);
  connection.listen();
}

/**
 * What changes when the published diagnostics change by rule or line: a 32-bit FNV-1a hash and the
 * count, so the server keeps a few bytes per document, not a string as long as its diagnostics.
 * A collision only skips one `alignmentChanged` refresh.
 */
function diagnosticsSignature(diagnostics: readonly { code?: number | string; range: { start: { line: number } } }[]): string {
  let hash = 0x811c9dc5;
  const mix = (value: number) => {
    hash ^= value;
    hash = Math.imul(hash, 0x01000193);
  };
  for (const diagnostic of diagnostics) {
    const code = String(diagnostic.code);
    for (let index = 0; index < code.length; index++) mix(code.charCodeAt(index));
    mix(0x40);
    mix(diagnostic.range.start.line);
  }
  return `${diagnostics.length}:${(hash >>> 0).toString(16)}`;
}

function bounded(message: string): string {
  return message.length <= MAX_LOG_LINE ? message : `${message.slice(0, MAX_LOG_LINE - 1)}…`;
}

/** Documents keep the client's URI spelling for replies, but the service indexes the canonical one. */
function withUri(document: TextDocument): TextDocument {
  const uri = normalizeUri(document.uri);
  if (uri === document.uri) return document;
  return new Proxy(document, { get: (target, property) => (property === 'uri' ? uri : Reflect.get(target, property, target)) as unknown });
}

/** Settings as a comparable string: the JSON of what the schema kept. */
function settingsKey(settings: ThroughlineSettings | undefined): string {
  return JSON.stringify(settings ?? null);
}

/** The keys of the `throughline` section, from the schema. */
const SETTING_KEYS: ReadonlySet<string> = new Set(Object.keys(configSchema.shape));

const isObject = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);

/**
 * The `throughline` section of settings a client pushes (`{throughline: {...}}`, as VS Code, Neovim
 * and eglot send them), or the section itself when a client sends it bare (a key of the section
 * at the top). Undefined when there is none: `settings: null` asks the server to pull.
 */
function settingsSection(settings: unknown): unknown {
  if (!isObject(settings)) return undefined;
  if (Object.hasOwn(settings, SETTINGS_SECTION)) return settings[SETTINGS_SECTION] ?? undefined;
  return Object.keys(settings).some((key) => SETTING_KEYS.has(key)) ? settings : undefined;
}

/** The settings in `initializationOptions`: under `settings` (as the VS Code client sends them), else under `throughline`. */
function initializationSettings(options: unknown, log: (message: string) => void): unknown {
  if (!isObject(options)) return undefined;
  const given = (key: string) => Object.hasOwn(options, key) && options[key] !== null && options[key] !== undefined;
  if (given('settings') && given(SETTINGS_SECTION))
    log(`initializationOptions has both \`settings\` and \`${SETTINGS_SECTION}\`; the settings under \`settings\` apply.`);
  // `settings` may hold the section itself or, as in some editors' configurations, `{throughline: {...}}`.
  if (given('settings')) return settingsSection(options['settings']) ?? options['settings'];
  return given(SETTINGS_SECTION) ? options[SETTINGS_SECTION] : undefined;
}

if (require.main === module) startServer();
