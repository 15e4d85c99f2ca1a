import picomatch from 'picomatch';
import type {
  CodeAction,
  CodeLens,
  CompletionList,
  Diagnostic,
  DocumentLink,
  DocumentSymbol,
  FoldingRange,
  Hover,
  Location,
  Range,
  WorkspaceEdit,
  WorkspaceSymbol,
} from 'vscode-languageserver-types';
import { DiagnosticSeverity } from 'vscode-languageserver-types';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { AlignmentTree, CoverageFigures, Portfolio } from '../../../common/protocol';
import { provideCodeActions } from './codeActions';
import { provideCodeLenses } from './codeLens';
import { provideCompletions } from './completion';
import { CONFIG_FILE_NAME, resolveConfig, type ConfigInput, type ThroughlineConfig } from './config';
import { parseConfigFile } from './configFile';
import { computeDiagnostics, DIAGNOSTIC_SOURCE, severityName, toRange } from './diagnostics';
import { provideDocumentLinks } from './documentLinks';
import { provideFoldingRanges } from './folding';
import { describeItem, provideHover } from './hover';
import { IdSyntax } from './ids';
import { indexDocument } from './indexDocument';
import type { DocumentIndex, Item, ParseProblem } from './model';
import { provideDefinition, provideReferences } from './navigation';
import { computePortfolio } from './portfolio';
import { allObjectiveProgress } from './progress';
import { computeCoverage } from './relations';
import type { ReportProblem, StrategyReport } from './report/reportModel';
import { prepareRename, provideRenameEdits } from './rename';
import type { Position, ServiceState } from './state';
import { provideDocumentSymbols, provideWorkspaceSymbols } from './symbols';
import { buildAlignmentTree, sliceAlignmentTree } from './tree';
import { NULL_LOGGER, joinUri, relativeToFolder, type IWorkspace, type Logger } from './workspace';
import { WorkspaceGraph, type ChangeImpact } from './workspaceGraph';

export interface LanguageServiceOptions {
  readonly workspace: IWorkspace;
  /** Editor settings; `.throughline.yml` overrides them key by key. */
  readonly settings?: ConfigInput;
  readonly logger?: Logger;
  /** A configuration file to use instead of `.throughline.yml` in the folders (the CLI's `--config`). */
  readonly configFileUri?: string;
  /** Today's date for date rules (`stale-document`); fixed in tests and reproducible reports. */
  readonly today?: () => Date;
}

export interface IndexSummary {
  readonly files: number;
  readonly documents: number;
  readonly items: number;
  readonly unreadable: number;
  readonly milliseconds: number;
}

/** Version of documents read from disk; editors number their versions from 0 or 1. */
const DISK_VERSION = -1;
const NO_CHANGE: ChangeImpact = { affectedUris: new Set(), structureChanged: false };
const MARKDOWN_FILE = /\.(?:md|markdown)$/i;

/**
 * The Throughline language service: a pure library over an injected workspace, as
 * vscode-markdown-languageservice is. It never touches the file system, the LSP connection or VS Code.
 */
export class ThroughlineLanguageService {
  private graphInstance = new WorkspaceGraph();
  private editorSettings: ConfigInput | undefined;
  private fileConfig: ConfigInput | undefined;
  private configState: ThroughlineConfig;
  private syntax: IdSyntax;
  private includeMatcher: (path: string) => boolean = () => true;
  private readonly configProblems = new Map<string, readonly ParseProblem[]>();
  private readonly openDocuments = new Map<string, TextDocument>();
  private readonly diagnosticsCache = new Map<string, Diagnostic[]>();
  /** Increases with every change to any document or the configuration. */
  private changeEpoch = 0;
  private treeCache: { epoch: number; tree: AlignmentTree } | undefined;
  private readonly workspace: IWorkspace;
  private readonly logger: Logger;
  private readonly configFileUri: string | undefined;
  private readonly today: () => Date;
  private readonly state: ServiceState;

  constructor(options: LanguageServiceOptions) {
    this.workspace = options.workspace;
    this.logger = options.logger ?? NULL_LOGGER;
    this.configFileUri = options.configFileUri;
    this.today = options.today ?? (() => new Date());
    this.editorSettings = options.settings;
    this.configState = resolveConfig(this.editorSettings);
    this.syntax = new IdSyntax(this.configState);
    this.rebuildMatchers();
    const service = this;
    this.state = {
      get graph() {
        return service.graphInstance;
      },
      get config() {
        return service.configState;
      },
      get syntax() {
        return service.syntax;
      },
      currentIndex: (document) => this.currentIndex(document),
      displayPath: (uri) => this.displayPath(uri),
    };
  }

  get graph(): WorkspaceGraph {
    return this.graphInstance;
  }

  get config(): ThroughlineConfig {
    return this.configState;
  }

  // ---- lifecycle -------------------------------------------------------------------------------

  /** Reads the configuration and indexes every Markdown file of every folder. */
  async initialize(): Promise<IndexSummary> {
    const started = performance.now();
    await this.loadConfigFiles();
    const graph = new WorkspaceGraph();
    let files = 0;
    let unreadable = 0;
    for (const folder of this.workspace.folders) {
      const uris = (await this.workspace.listFiles(folder)).filter((uri) => this.isIncluded(uri));
      files += uris.length;
      // Read in small parallel batches: enough to overlap I/O without holding every file in memory at once.
      // 50 rather than 200: with 200, the resident size after indexing 10,000 PRDs was 280 MB in some
      // runs and 370–395 MB in others (the same live heap; V8's concurrent collector let the heap
      // overshoot), with 50 it was 282–289 MB in every run, at the same indexing time.
      const batchSize = 50;
      for (let start = 0; start < uris.length; start += batchSize) {
        const batch = uris.slice(start, start + batchSize);
        const indexes = await Promise.all(batch.map((uri) => this.indexFromWorkspace(uri)));
        for (const index of indexes) {
          if (index === undefined) unreadable++;
          else if (index.participates) graph.add(index);
        }
        // Let requests and notifications in between batches (setTimeout(0) would idle 1 ms each time).
        await yieldToEventLoop();
      }
    }
    for (const document of this.openDocuments.values()) {
      if (this.isIncluded(document.uri)) graph.add(this.indexText(document.uri, document.version, document.getText()));
    }
    this.graphInstance = graph;
    this.diagnosticsCache.clear();
    this.changeEpoch++;
    let items = 0;
    for (const document of graph.allDocuments()) items += document.items.length;
    const summary = { files, documents: graph.documentCount, items, unreadable, milliseconds: Math.round(performance.now() - started) };
    this.logger.log(`Indexed ${summary.documents} strategy documents (${summary.items} items) of ${files} Markdown files in ${summary.milliseconds} ms.`);
    return summary;
  }

  /** An editor opened or changed a document: its text wins over the file on disk. */
  updateDocument(document: TextDocument): ChangeImpact {
    this.openDocuments.set(document.uri, document);
    if (this.isConfigUri(document.uri)) {
      // Its problems show while typing; the settings themselves apply when it is saved (a full reindex).
      this.configProblems.set(document.uri, parseConfigFile(document.getText()).problems);
      this.diagnosticsCache.delete(document.uri);
      return { affectedUris: new Set([document.uri]), structureChanged: false };
    }
    if (!MARKDOWN_FILE.test(document.uri) && !document.uri.startsWith('untitled:')) return NO_CHANGE;
    if (!this.isIncluded(document.uri)) return NO_CHANGE;
    const existing = this.graphInstance.document(document.uri);
    if (existing && existing.version === document.version) return NO_CHANGE;
    return this.apply(this.indexText(document.uri, document.version, document.getText()));
  }

  /** The editor closed a document: fall back to what is on disk. */
  async closeDocument(uri: string): Promise<ChangeImpact> {
    this.openDocuments.delete(uri);
    // A file outside every folder (or untitled) was only indexed because it was open.
    if (uri.startsWith('untitled:') || !this.workspace.folders.some((folder) => relativeToFolder(folder, uri) !== undefined)) return this.apply(undefined, uri);
    return this.fileChanged(uri);
  }

  /** A file was created or changed on disk (workspace watch). Open documents keep their editor text. */
  async fileChanged(uri: string): Promise<ChangeImpact> {
    if (this.isConfigUri(uri)) return this.reloadConfiguration();
    if (this.openDocuments.has(uri) || !MARKDOWN_FILE.test(uri)) return NO_CHANGE;
    if (!this.isIncluded(uri)) return this.apply(undefined, uri);
    const index = await this.indexFromWorkspace(uri);
    return this.apply(index?.participates ? index : undefined, uri);
  }

  fileDeleted(uri: string): ChangeImpact | Promise<ChangeImpact> {
    if (this.isConfigUri(uri)) return this.reloadConfiguration();
    if (this.openDocuments.has(uri)) return NO_CHANGE;
    // A deleted folder arrives as one event for the folder: drop everything below it.
    const prefix = uri.replace(/\/+$/, '') + '/';
    const affected = new Set<string>();
    let structureChanged = false;
    for (const document of [...this.graphInstance.allDocuments()]) {
      if (document.uri === uri || document.uri.startsWith(prefix)) {
        const impact = this.apply(undefined, document.uri);
        for (const affectedUri of impact.affectedUris) affected.add(affectedUri);
        structureChanged ||= impact.structureChanged;
      }
    }
    affected.add(uri);
    return { affectedUris: affected, structureChanged };
  }

  /** New editor settings: every document is indexed again, since prefixes and globs may have changed. */
  async updateSettings(settings: ConfigInput | undefined): Promise<ChangeImpact> {
    this.editorSettings = settings;
    return this.reindexEverything();
  }

  private async reloadConfiguration(): Promise<ChangeImpact> {
    return this.reindexEverything();
  }

  private async reindexEverything(): Promise<ChangeImpact> {
    const before = new Set([...this.graphInstance.allDocuments()].map((document) => document.uri));
    for (const uri of this.configProblems.keys()) before.add(uri);
    await this.initialize();
    for (const document of this.graphInstance.allDocuments()) before.add(document.uri);
    for (const uri of this.configProblems.keys()) before.add(uri);
    return { affectedUris: before, structureChanged: true };
  }

  private apply(index: DocumentIndex | undefined, uri = index?.uri): ChangeImpact {
    if (!uri) return NO_CHANGE;
    const impact = index ? this.graphInstance.update(index) : this.graphInstance.document(uri) ? this.graphInstance.remove(uri) : { affectedUris: new Set([uri]), structureChanged: false };
    for (const affected of impact.affectedUris) this.diagnosticsCache.delete(affected);
    this.changeEpoch++;
    return impact;
  }

  private async loadConfigFiles(): Promise<void> {
    this.configProblems.clear();
    this.fileConfig = undefined;
    for (const uri of this.configFileUris()) {
      const open = this.openDocuments.get(uri);
      const read = open ? { text: open.getText() } : await this.workspace.readFile(uri).catch((error: unknown) => ({ error: String(error) }));
      if (!read) continue;
      if ('error' in read) {
        this.configProblems.set(uri, [{ rule: 'config', severity: 'error', message: `Could not read ${CONFIG_FILE_NAME}: ${read.error}`, span: { line: 0, start: 0, end: 0 } }]);
        continue;
      }
      const parsed = parseConfigFile(read.text);
      this.configProblems.set(uri, parsed.problems);
      // The first folder's file wins; a multi-root workspace rarely has two.
      this.fileConfig ??= parsed.config;
    }
    this.configState = resolveConfig(this.editorSettings, this.fileConfig);
    this.syntax = new IdSyntax(this.configState);
    this.rebuildMatchers();
  }

  private rebuildMatchers(): void {
    const include = picomatch([...this.configState.include], { dot: false });
    const exclude = picomatch([...this.configState.exclude], { dot: true });
    this.includeMatcher = (path) => include(path) && !exclude(path);
  }

  private configFileUris(): string[] {
    return this.configFileUri ? [this.configFileUri] : this.workspace.folders.map((folder) => joinUri(folder, CONFIG_FILE_NAME));
  }

  private isConfigUri(uri: string): boolean {
    return this.configFileUris().includes(uri);
  }

  /** Inside a folder: the include/exclude globs decide. Outside every folder (a single file): always. */
  isIncluded(uri: string): boolean {
    for (const folder of this.workspace.folders) {
      const relative = relativeToFolder(folder, uri);
      if (relative !== undefined) return this.includeMatcher(relative);
    }
    return true;
  }

  private indexText(uri: string, version: number, text: string): DocumentIndex {
    return indexDocument(uri, version, text, this.configState, this.syntax);
  }

  private async indexFromWorkspace(uri: string): Promise<DocumentIndex | undefined> {
    let read;
    try {
      read = await this.workspace.readFile(uri);
    } catch (error) {
      read = { error: error instanceof Error ? error.message : String(error) };
    }
    if (read === undefined) return undefined;
    if ('error' in read) {
      this.logger.log(`Skipped ${this.displayPath(uri)}: ${read.error}`);
      return undefined;
    }
    try {
      const index = this.indexText(uri, DISK_VERSION, read.text);
      if (!read.warning || !index.participates) return index;
      return { ...index, problems: [...index.problems, { rule: 'encoding', severity: 'error', message: read.warning, span: { line: 0, start: 0, end: 3 } }] };
    } catch (error) {
      // A parser bug must not take the workspace down; the file is skipped and the cause logged.
      this.logger.log(`Could not index ${this.displayPath(uri)}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      return undefined;
    }
  }

  private currentIndex(document: TextDocument): DocumentIndex | undefined {
    const index = this.graphInstance.document(document.uri);
    return index && index.version === document.version ? index : undefined;
  }

  displayPath(uri: string): string {
    for (const folder of this.workspace.folders) {
      const relative = relativeToFolder(folder, uri);
      if (relative !== undefined) return relative;
    }
    return uri.startsWith('file://') ? decodeURIComponent(uri.slice(7)) : uri;
  }

  // ---- features --------------------------------------------------------------------------------

  /** URIs that currently have (or may have) diagnostics: every strategy document and the config files. */
  diagnosticUris(): string[] {
    return [...[...this.graphInstance.allDocuments()].map((document) => document.uri), ...this.configProblems.keys()];
  }

  getDiagnostics(uri: string): Diagnostic[] {
    const cached = this.diagnosticsCache.get(uri);
    if (cached) return cached;
    let diagnostics: Diagnostic[];
    const configProblems = this.configProblems.get(uri);
    if (configProblems) {
      diagnostics = configProblems.map((problem) => ({ range: toRange(problem.span), severity: DiagnosticSeverity.Error, code: problem.rule, source: DIAGNOSTIC_SOURCE, message: problem.message }));
    } else {
      const document = this.graphInstance.document(uri);
      diagnostics = document ? computeDiagnostics(document, this.graphInstance, this.configState, this.today()) : [];
    }
    this.diagnosticsCache.set(uri, diagnostics);
    return diagnostics;
  }

  getCompletions(document: TextDocument, position: Position): CompletionList {
    return provideCompletions(this.state, document, position);
  }

  getHover(document: TextDocument, position: Position): Hover | undefined {
    return provideHover(this.state, document, position);
  }

  getDefinition(document: TextDocument, position: Position): Location[] {
    return provideDefinition(this.state, document, position);
  }

  getReferences(document: TextDocument, position: Position, includeDeclaration: boolean): Location[] {
    return provideReferences(this.state, document, position, includeDeclaration);
  }

  prepareRename(document: TextDocument, position: Position): { range: Range; placeholder: string } | undefined {
    return prepareRename(this.state, document, position);
  }

  getRenameEdits(document: TextDocument, position: Position, newName: string): WorkspaceEdit | undefined {
    return provideRenameEdits(this.state, document, position, newName);
  }

  getDocumentSymbols(document: TextDocument): DocumentSymbol[] {
    return provideDocumentSymbols(this.currentIndex(document), document);
  }

  getWorkspaceSymbols(query: string): WorkspaceSymbol[] {
    return provideWorkspaceSymbols(this.state, query);
  }

  getCodeLenses(document: TextDocument): CodeLens[] {
    return provideCodeLenses(this.state, this.currentIndex(document));
  }

  getCodeActions(document: TextDocument, diagnostics: readonly Diagnostic[]): CodeAction[] {
    return provideCodeActions(this.state, document, diagnostics);
  }

  getDocumentLinks(document: TextDocument): DocumentLink[] {
    return provideDocumentLinks(this.state, this.currentIndex(document));
  }

  getFoldingRanges(document: TextDocument): FoldingRange[] {
    return provideFoldingRanges(this.currentIndex(document));
  }

  /** The alignment tree, or a slice of it; built once per change and reused for the slices a client asks for. */
  getAlignmentTree(key?: string, depth?: number): AlignmentTree {
    if (!this.treeCache || this.treeCache.epoch !== this.changeEpoch) {
      this.treeCache = { epoch: this.changeEpoch, tree: buildAlignmentTree(this.state, (item) => this.problemsOn(item)) };
    }
    return key === undefined && depth === undefined ? this.treeCache.tree : sliceAlignmentTree(this.treeCache.tree, key, depth);
  }

  getCoverage(): CoverageFigures {
    return { ...computeCoverage(this.graphInstance), progress: allObjectiveProgress(this.graphInstance) };
  }

  getPortfolio(): Portfolio {
    return computePortfolio(this.graphInstance, this.configState.thresholds.innovationMixTolerance);
  }

  /** Everything the strategy report shows: coverage, progress, the whole tree, the portfolio and every problem. */
  getStrategyReport(title = this.defaultReportTitle()): StrategyReport {
    const coverage = this.getCoverage();
    const problems: ReportProblem[] = [];
    for (const uri of this.diagnosticUris()) {
      for (const diagnostic of this.getDiagnostics(uri)) {
        problems.push({
          uri,
          file: this.displayPath(uri),
          line: diagnostic.range.start.line + 1,
          column: diagnostic.range.start.character + 1,
          severity: severityName(diagnostic.severity),
          rule: String(diagnostic.code ?? ''),
          message: diagnostic.message,
        });
      }
    }
    const severityRank = { error: 0, warning: 1, info: 2, hint: 3 } as const;
    problems.sort((a, b) => severityRank[a.severity] - severityRank[b.severity] || (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || a.column - b.column));
    return {
      title,
      generatedAt: this.today().toISOString(),
      coverage,
      objectives: coverage.progress,
      tree: this.getAlignmentTree().roots,
      portfolio: this.getPortfolio(),
      problems,
    };
  }

  private defaultReportTitle(): string {
    const folder = this.workspace.folders[0];
    const name = folder ? decodeURIComponent(folder.replace(/\/+$/, '').split('/').pop() ?? '') : '';
    return name ? `Strategy report: ${name}` : 'Strategy report';
  }

  /** The next free numeric ID for a kind: one more than the highest `PREFIX-n` in use, with the kind's configured prefix. */
  nextFreeId(kind: Item['kind']): string {
    const prefix = [...this.configState.prefixes].find(([, prefixKind]) => prefixKind === kind)?.[0] ?? kind.toUpperCase();
    let highest = 0;
    const pattern = new RegExp(`^${prefix}-(\\d+)$`);
    for (const id of this.graphInstance.allIds()) {
      const match = pattern.exec(id);
      if (match) highest = Math.max(highest, Number(match[1]));
    }
    return `${prefix}-${highest + 1}`;
  }

  /** Hover text for an item by ID, for tree tooltips. */
  describe(id: string): string | undefined {
    const item = this.graphInstance.definition(id);
    return item ? describeItem(this.state, item) : undefined;
  }

  /** Problems on the item's own lines: its ID, its attributes, and for a document its front-matter. */
  private problemsOn(item: Item): { errors: number; warnings: number } {
    let errors = 0;
    let warnings = 0;
    const frontMatter = item.isDocument ? this.graphInstance.document(item.uri)?.frontMatter : undefined;
    const lines = new Set([item.idSpan.line, ...item.attributes.map((attribute) => attribute.line)]);
    for (const diagnostic of this.getDiagnostics(item.uri)) {
      const line = diagnostic.range.start.line;
      if (!lines.has(line) && !(frontMatter && line >= frontMatter.startLine && line <= frontMatter.endLine)) continue;
      if (diagnostic.severity === DiagnosticSeverity.Error) errors++;
      else if (diagnostic.severity === DiagnosticSeverity.Warning) warnings++;
    }
    return { errors, warnings };
  }
}

function yieldToEventLoop(): Promise<void> {
  const immediate = (globalThis as { setImmediate?: (callback: () => void) => unknown }).setImmediate;
  return new Promise<void>((resolve) => (immediate ? immediate(resolve) : setTimeout(resolve, 0)));
}

export function createLanguageService(options: LanguageServiceOptions): ThroughlineLanguageService {
  return new ThroughlineLanguageService(options);
}
