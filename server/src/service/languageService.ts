import { reportTitleFromVision } from './analysis/report/productLines';
import { keyResultTrends, type KeyResultTrend } from './analysis/report/trends';
import { attributeValue } from './analysis/progress';
import type {
  CallHierarchyIncomingCall,
  CallHierarchyItem,
  CallHierarchyOutgoingCall,
  CodeAction,
  CodeLens,
  CompletionList,
  Diagnostic,
  DocumentHighlight,
  DocumentLink,
  DocumentSymbol,
  FoldingRange,
  Hover,
  InlayHint,
  Location,
  Range,
  SemanticTokens,
  WorkspaceEdit,
  WorkspaceSymbol,
} from 'vscode-languageserver-types';
import { DiagnosticSeverity } from 'vscode-languageserver-types';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { AlignmentTree, CoverageCounts, CoverageFigures, Portfolio } from '../../../common/protocol';
import { provideCodeActions } from './features/codeActions';
import { provideCodeLenses } from './features/codeLens';
import { provideCompletions } from './features/completion';
import { CONFIG_FILE_NAME, DEFAULT_CONFIG, resolveConfig, type ConfigInput, type ThroughlineConfig } from './model/config';
import { parseConfigFile } from './config/configFile';
import { computeConfigDiagnostics, computeDiagnostics, INTERNAL_CODE, severityName } from './rules/diagnostics';
import { provideDocumentLinks } from './features/documentLinks';
import { provideDocumentHighlights } from './features/documentHighlight';
import { prepareCallHierarchy, provideIncomingCalls, provideOutgoingCalls } from './features/callHierarchy';
import { provideInlayHints } from './features/inlayHints';
import { provideSemanticTokens } from './features/semanticTokens';
import { provideFoldingRanges } from './features/folding';
import { describeItem, provideHover } from './features/hover';
import { IdSyntax } from './parse/ids';
import { indexDocumentWithLinks } from './parse/indexDocument';
import { whyNotChecked, type UncheckedFile } from './workspace/unchecked';
import { globMatcher } from './workspace/glob';
import { truncate } from './model/limits';
import { ITEM_KINDS, type DocumentIndex, type Item, type ItemKind, type ParseProblem } from './model/model';
import { provideDefinition, provideReferences } from './features/navigation';
import { PortfolioView } from './analysis/portfolioView';
import { CoverageView } from './analysis/coverage';
import { reportItemIds, type ReportProblem, type StrategyReport, type WorkspaceProblem } from './analysis/report/reportModel';
import { prepareRename, provideRenameEdits } from './features/rename';
import type { Position, ServiceState } from './workspace/state';
import { provideDocumentSymbols, provideWorkspaceSymbols } from './features/symbols';
import { AlignmentTreeView } from './analysis/tree';
import { NULL_LOGGER, joinUri, relativeToFolder, trimTrailingSlashes, type IWorkspace, type Logger, type ReadResult } from './workspace/workspace';
import { recordingGraph, recordingHistory } from './workspace/readRecorder';
import { HistoryFold } from './history/historyFold';
import { indexFitsText } from './history/meaning';
import { NO_HISTORY, StrategyHistory, type HistoryQueries } from './history/strategyHistory';
import { ReadIndex, ReadKind, ReadSet } from './workspace/readSet';
import { WorkspaceGraph, type ChangeImpact, type GraphDifference, type GraphQueries } from './workspace/workspaceGraph';

export interface LanguageServiceOptions {
  readonly workspace: IWorkspace;
  /** Editor settings; `.throughline.yml` overrides them key by key. */
  readonly settings?: ConfigInput;
  readonly logger?: Logger;
  /** A configuration file to use instead of `.throughline.yml` in the folders (the CLI's `--config`). */
  readonly configFileUri?: string;
  /** Today's date for date rules (`stale-document`); fixed in tests and reproducible reports. */
  readonly today?: () => Date;
  /**
   * After every change, rebuild the graph and every document's diagnostics from scratch and compare
   * them with the incremental state; a difference is logged and thrown. A test-only cost. Defaults
   * to the environment variable `THROUGHLINE_PARANOID=1` where there is one.
   */
  readonly paranoid?: boolean;
  /**
   * Record what each document's diagnostics read of the graph (default true), so that a change
   * re-checks only the readers of what it changed. A host that indexes once and never changes
   * anything (the CLI) passes false: diagnostics are then computed on the graph itself, and any
   * change would re-check every document, as it does for a document never checked.
   */
  readonly recordReads?: boolean;
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
/** Longest error text a log line or an `internal` diagnostic quotes from an exception. */
const MAX_ERROR_TEXT = 300;
/** include/exclude patterns checked one by one against the workspace's files; a longer list is the config's problem. */
const MAX_PATTERNS_CHECKED = 50;

/** Reading and indexing one file: its index, or why it has none (and a problem to show on it, if any). */
type IndexOutcome = { readonly index: DocumentIndex; readonly text?: string } | { readonly index?: undefined; readonly problem?: ParseProblem };

/**
 * The Throughline language service: a pure library over an injected workspace, as
 * vscode-markdown-languageservice is. It never touches the file system, the LSP connection or VS Code.
 */
/** Up to this many items, paranoid mode compares the whole alignment tree after every change. */
const PARANOID_WHOLE_TREE_ITEMS = 5000;

export class ThroughlineLanguageService {
  private graphInstance = new WorkspaceGraph();
  private editorSettings: ConfigInput | undefined;
  private fileConfig: ConfigInput | undefined;
  private configState: ThroughlineConfig;
  private syntax: IdSyntax;
  private includeMatcher: (path: string) => boolean = () => true;
  private readonly configProblems = new Map<string, readonly ParseProblem[]>();
  /**
   * Documents Throughline could not index at all, with the one problem shown on each: a strategy
   * document that cannot be decoded (`encoding`), or one the indexer failed on (`internal`).
   * They are not in the graph, so every other document is checked as if they were absent.
   */
  private hostProblems = new Map<string, ParseProblem>();
  private readonly openDocuments = new Map<string, TextDocument>();
  private readonly diagnosticsCache = new Map<string, Diagnostic[]>();
  /** See `keptProblems`. */
  private keptProblemsByDiagnostics = new WeakMap<readonly Diagnostic[], { uri: string; problems: readonly WorkspaceProblem[] }>();
  private keptProblemsFolders = '';
  /** What each document's cached (or last) diagnostics read of the graph: a change re-checks the readers of what it changed. */
  private readonly reads = new ReadIndex();
  private readonly paranoid: boolean;
  private readonly recordReads: boolean;
  /** The files each folder held when `initialize` last listed them, for `uncheckedFiles`. */
  private listings = new Map<string, readonly string[]>();
  /** Increases with every change to any document or the configuration. */
  private changeEpoch = 0;
  /**
   * The whole tree, for whole-tree consumers (the report, filter, copy) asking again before the
   * next change. Held weakly: at 10,000 PRDs it is some 65 MB, which must not stay pinned between
   * edits when nobody asks for it.
   */
  private wholeTree: { epoch: number; tree: WeakRef<AlignmentTree> } | undefined;
  private readonly treeView: AlignmentTreeView;
  private readonly coverageView: CoverageView;
  private readonly portfolioView: PortfolioView;
  private readonly workspace: IWorkspace;
  private readonly logger: Logger;
  private readonly configFileUri: string | undefined;
  /** The configuration file whose settings apply, and its text, to place warnings about them. */
  private fileConfigSource: { uri: string; text: string } | undefined;
  private readonly today: () => Date;
  private readonly state: ServiceState;
  /** The strategy's git history with the working versions on top; undefined until a host reads it (or when there is none). */
  private history: StrategyHistory | undefined;

  constructor(options: LanguageServiceOptions) {
    this.workspace = options.workspace;
    this.logger = options.logger ?? NULL_LOGGER;
    this.configFileUri = options.configFileUri;
    this.today = options.today ?? (() => new Date());
    this.paranoid = options.paranoid ?? false;
    this.recordReads = options.recordReads ?? true;
    this.editorSettings = options.settings;
    this.configState = DEFAULT_CONFIG;
    this.syntax = new IdSyntax(DEFAULT_CONFIG);
    this.applyConfiguration();
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
      get history() {
        return service.history ?? NO_HISTORY;
      },
      today: () => this.today(),
    };
    this.treeView = new AlignmentTreeView(this.state, (item) => this.problemsOn(item), this.recordReads);
    this.coverageView = this.newCoverageView();
    this.portfolioView = this.newPortfolioView();
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
    const hostProblems = new Map<string, ParseProblem>();
    const markdownFiles: string[] = [];
    const listings = new Map<string, readonly string[]>();
    let files = 0;
    let unreadable = 0;
    for (const folder of this.workspace.folders) {
      let listed: readonly string[];
      try {
        listed = await this.workspace.listFiles(folder, (message) => this.logger.log(message));
      } catch (error) {
        this.logger.log(`Could not list the files of ${folder}: ${errorText(error)}`);
        listed = [];
      }
      markdownFiles.push(...listed);
      listings.set(folder, listed);
      const uris = listed.filter((uri) => this.isIncluded(uri));
      files += uris.length;
      // Read in small parallel batches: enough to overlap I/O without holding every file in memory at once.
      // A batch's texts and what indexing them makes are alive together. With 200 files the resident
      // size after indexing 10,000 PRDs overshot (280 MB in some runs, 370–395 MB in others); with 50,
      // so much survived each young-generation collection that V8 promoted it wholesale to the old
      // generation, dying there (237 MB promoted over the cold pass, against 121 MB with 10, and a
      // third more time in collections).
      const batchSize = 10;
      for (let start = 0; start < uris.length; start += batchSize) {
        const batch = uris.slice(start, start + batchSize);
        const outcomes = await Promise.all(batch.map((uri) => this.indexFromWorkspace(uri)));
        for (let position = 0; position < batch.length; position++) {
          const outcome = outcomes[position]!;
          const uri = batch[position]!;
          if (outcome.index === undefined) {
            unreadable++;
            if (outcome.problem) hostProblems.set(uri, outcome.problem);
          } else if (outcome.index.participates) {
            this.addToGraph(graph, outcome.index, hostProblems);
          }
        }
        // Let requests and notifications in between batches (setTimeout(0) would idle 1 ms each time).
        await yieldToEventLoop();
      }
    }
    for (const document of this.openDocuments.values()) {
      if (!this.isIncluded(document.uri) || this.isConfigUri(document.uri)) continue;
      hostProblems.delete(document.uri);
      const outcome = this.safeIndexText(document.uri, document.version, document.getText());
      if (outcome.index) this.addToGraph(graph, outcome.index, hostProblems);
      else if (outcome.problem) hostProblems.set(document.uri, outcome.problem);
    }
    this.graphInstance = graph;
    this.treeView.clear();
    this.coverageView.clear();
    this.portfolioView.clear();
    this.hostProblems = hostProblems;
    this.listings = listings;
    this.warnAboutFileSelection(markdownFiles);
    this.diagnosticsCache.clear();
    this.reads.clear();
    this.changeEpoch++;
    let items = 0;
    for (const document of graph.allDocuments()) items += document.items.length;
    const summary = { files, documents: graph.documentCount, items, unreadable, milliseconds: Math.round(performance.now() - started) };
    this.logger.log(`Indexed ${summary.documents} strategy documents (${summary.items} items) of ${files} Markdown files in ${summary.milliseconds} ms.`);
    return summary;
  }

  /**
   * Builds now what the first change would otherwise build on its way (which documents read what,
   * from each side): for a host to call once the first diagnostics are out, while the author reads them.
   */
  prepareForEdits(): void {
    this.reads.prepareReaders();
    this.prepareViewsForEdits();
  }

  /**
   * The same for the alignment tree, coverage and portfolio, once a client has asked for them: for
   * a host to call after answering, so that the first edit afterwards does not build it (see
   * `GraphMemo.prepareForEdits`).
   */
  prepareViewsForEdits(): void {
    this.treeView.prepareForEdits();
    this.coverageView.prepareForEdits();
    this.portfolioView.prepareForEdits();
  }

  /** An editor opened or changed a document: its text wins over the file on disk. */
  updateDocument(document: TextDocument): ChangeImpact {
    return this.verified(this.updateDocumentUnchecked(document), 'an edit');
  }

  private updateDocumentUnchecked(document: TextDocument): ChangeImpact {
    this.openDocuments.set(document.uri, document);
    if (this.isConfigUri(document.uri)) {
      // Its problems show while typing; the settings themselves apply when it is saved (a full reindex).
      this.configProblems.set(document.uri, this.parseConfigText(document.getText()).problems);
      this.diagnosticsCache.delete(document.uri);
      return { affectedUris: new Set([document.uri]), structureChanged: false };
    }
    if (!MARKDOWN_FILE.test(document.uri) && !document.uri.startsWith('untitled:')) return NO_CHANGE;
    if (!this.isIncluded(document.uri)) return NO_CHANGE;
    const existing = this.graphInstance.document(document.uri);
    if (existing && existing.version === document.version) return NO_CHANGE;
    return this.applyOutcome(document.uri, this.safeIndexText(document.uri, document.version, document.getText()));
  }

  /** The editor closed a document: fall back to what is on disk. */
  async closeDocument(uri: string): Promise<ChangeImpact> {
    return this.verified(await this.closeDocumentUnchecked(uri), 'closing a document');
  }

  private async closeDocumentUnchecked(uri: string): Promise<ChangeImpact> {
    this.openDocuments.delete(uri);
    // A file outside every folder (or untitled) was only indexed because it was open.
    if (uri.startsWith('untitled:') || !this.workspace.folders.some((folder) => relativeToFolder(folder, uri) !== undefined)) {
      this.hostProblems.delete(uri);
      return this.apply(undefined, uri);
    }
    return this.fileChangedUnchecked(uri);
  }

  /** A file was created or changed on disk (workspace watch). Open documents keep their editor text. */
  async fileChanged(uri: string): Promise<ChangeImpact> {
    return this.verified(await this.fileChangedUnchecked(uri), 'a file change');
  }

  private async fileChangedUnchecked(uri: string): Promise<ChangeImpact> {
    if (this.isConfigUri(uri)) return this.reloadConfiguration();
    if (this.openDocuments.has(uri) || !MARKDOWN_FILE.test(uri)) return NO_CHANGE;
    if (!this.isIncluded(uri)) {
      this.hostProblems.delete(uri);
      return this.apply(undefined, uri);
    }
    return this.applyOutcome(uri, await this.indexFromWorkspace(uri));
  }

  fileDeleted(uri: string): ChangeImpact | Promise<ChangeImpact> {
    if (this.isConfigUri(uri)) return this.reloadConfiguration();
    return this.verified(this.fileDeletedUnchecked(uri), 'a file deletion');
  }

  private fileDeletedUnchecked(uri: string): ChangeImpact {
    if (this.openDocuments.has(uri)) return NO_CHANGE;
    // A deleted folder arrives as one event for the folder: drop everything below it.
    const prefix = trimTrailingSlashes(uri) + '/';
    const affected = new Set<string>();
    let structureChanged = false;
    for (const problemUri of [...this.hostProblems.keys()]) {
      if (problemUri === uri || problemUri.startsWith(prefix)) {
        this.hostProblems.delete(problemUri);
        this.diagnosticsCache.delete(problemUri);
        affected.add(problemUri);
      }
    }
    for (const document of [...this.graphInstance.allDocuments()]) {
      if (document.uri === uri || document.uri.startsWith(prefix)) {
        let impact = this.apply(undefined, document.uri);
        if (this.history) impact = this.withHistoryReaders(impact, this.history.setWorkingVersion(document.uri, undefined, undefined));
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

  /** Reads every file again: after a watcher lost track of changes on disk (see node/workspaceWatcher.ts). */
  async rescan(): Promise<ChangeImpact> {
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

  /** Applies one document's new index, or its removal with the problem that explains it. */
  private applyOutcome(uri: string, outcome: IndexOutcome): ChangeImpact {
    const hadProblem = this.hostProblems.delete(uri);
    if (!outcome.index && outcome.problem) this.hostProblems.set(uri, outcome.problem);
    let impact: ChangeImpact;
    try {
      impact = this.apply(outcome.index?.participates ? outcome.index : undefined, uri);
    } catch (error) {
      // The graph refused this index: the document is left out, and says why.
      this.logger.log(`Could not index ${this.displayPath(uri)}: ${errorText(error)}`);
      this.hostProblems.set(uri, internalProblem(error));
      // What the graph changed before it threw is unknown: every document is checked again.
      const removed = this.apply(undefined, uri);
      this.diagnosticsCache.clear();
      impact = { affectedUris: new Set([...removed.affectedUris, ...this.diagnosticUris()]), structureChanged: true };
    }
    if (this.history) {
      const participating = outcome.index?.participates ? outcome : undefined;
      impact = this.withHistoryReaders(impact, this.history.setWorkingVersion(uri, participating?.index, participating?.text));
    }
    if (!hadProblem && !this.hostProblems.has(uri)) return impact;
    this.diagnosticsCache.delete(uri);
    return { affectedUris: new Set([...impact.affectedUris, uri]), structureChanged: impact.structureChanged };
  }

  /** Adds a document to a graph being built; one the graph cannot take is left out with an `internal` problem. */
  private addToGraph(graph: WorkspaceGraph, index: DocumentIndex, hostProblems: Map<string, ParseProblem>): void {
    try {
      graph.add(index);
    } catch (error) {
      this.logger.log(`Could not index ${this.displayPath(index.uri)}: ${errorText(error)}`);
      hostProblems.set(index.uri, internalProblem(error));
    }
  }

  /**
   * Puts a document's new index into the graph (or takes it out) and works out what is affected:
   * the document itself and every document whose last diagnostics read something the graph's
   * difference names. The graph knows nothing of rules; what a rule depends on is what it read.
   */
  private apply(index: DocumentIndex | undefined, uri = index?.uri): ChangeImpact {
    if (!uri) return NO_CHANGE;
    let difference: GraphDifference | undefined;
    if (index) difference = this.graphInstance.update(index);
    else if (this.graphInstance.document(uri)) difference = this.graphInstance.remove(uri);
    const affected = new Set<string>([uri]);
    if (difference) {
      this.addReaders(difference.changed, affected);
      this.treeView.invalidate(difference.changed);
      this.coverageView.invalidate(difference.changed);
      this.portfolioView.invalidate(difference.changed);
    }
    if (!index) this.reads.forget(uri);
    // A document never checked has no recorded reads, so nothing says it is unaffected. (The
    // server checks every document after indexing, so this loop runs in tests and hosts that do not.)
    if (difference && this.reads.size < this.graphInstance.documentCount) {
      for (const document of this.graphInstance.allDocuments()) if (!this.reads.has(document.uri)) affected.add(document.uri);
    }
    for (const affectedUri of affected) this.diagnosticsCache.delete(affectedUri);
    this.changeEpoch++;
    return { affectedUris: affected, structureChanged: difference?.structureChanged ?? false };
  }

  /**
   * Paranoid mode: compares the incremental state after a change with a rebuild from scratch. The
   * graph must equal one built from the same indexes; every cached diagnostic (the ones the change
   * impact said were still current) and every recomputed one must equal the diagnostics computed
   * on the rebuilt graph; the alignment tree must equal one built without memo. A difference is logged and thrown.
   */
  private verified(impact: ChangeImpact, change: string): ChangeImpact {
    if (!this.paranoid) return impact;
    const rebuilt = WorkspaceGraph.fromDocuments(this.graphInstance.allDocuments());
    const mismatches: string[] = [];
    if (rebuilt.snapshot() !== this.graphInstance.snapshot()) mismatches.push('the graph differs from one built from scratch');
    const uris = new Set([...this.diagnosticUris(), ...this.diagnosticsCache.keys()]);
    for (const uri of uris) {
      const cached = this.diagnosticsCache.get(uri);
      const actual = JSON.stringify(cached ?? this.getDiagnostics(uri));
      const expected = JSON.stringify(this.computeDiagnosticsOf(uri, rebuilt));
      if (actual !== expected) {
        mismatches.push(
          `${this.displayPath(uri)}: ${cached ? 'cached diagnostics, not in the change impact,' : 'diagnostics'} differ from a rebuild: ${truncate(actual, 2000)} vs ${truncate(expected, 2000)}`,
        );
      }
    }
    // The tree's memo after this change against one computed from nothing (and the memo stays filled, so the next change checks its invalidation).
    // On a large workspace (a 10 MB document of 15,000 requirements in the hostile-input tests) two
    // whole trees per change would make paranoid mode too slow to serve; the first four levels are compared there.
    let items = 0;
    for (const document of this.graphInstance.allDocuments()) items += document.items.length;
    const depth = items > PARANOID_WHOLE_TREE_ITEMS ? 4 : undefined;
    const incrementalTree = JSON.stringify(this.treeView.slice(undefined, depth));
    const freshTree = JSON.stringify(new AlignmentTreeView(this.state, (item) => this.problemsOn(item)).slice(undefined, depth));
    if (incrementalTree !== freshTree)
      mismatches.push(`the alignment tree differs from one built from scratch: ${truncate(incrementalTree, 2000)} vs ${truncate(freshTree, 2000)}`);
    const incrementalCoverage = JSON.stringify(this.coverageView.figures());
    const freshCoverage = JSON.stringify(this.newCoverageView().figures());
    const incrementalPortfolio = JSON.stringify(this.portfolioView.get());
    const freshPortfolio = JSON.stringify(this.newPortfolioView().get());
    if (incrementalPortfolio !== freshPortfolio)
      mismatches.push(`the portfolio differs from one computed from scratch: ${truncate(incrementalPortfolio, 2000)} vs ${truncate(freshPortfolio, 2000)}`);
    if (incrementalCoverage !== freshCoverage)
      mismatches.push(`coverage differs from a count from scratch: ${truncate(incrementalCoverage, 2000)} vs ${truncate(freshCoverage, 2000)}`);
    if (mismatches.length === 0) return impact;
    const message = `Paranoid check failed after ${change} (affected: ${[...impact.affectedUris].map((uri) => this.displayPath(uri)).join(', ')}): ${mismatches.join('; ')}`;
    this.logger.log(message);
    throw new Error(message);
  }

  private async loadConfigFiles(): Promise<void> {
    this.configProblems.clear();
    this.fileConfig = undefined;
    this.fileConfigSource = undefined;
    for (const uri of this.configFileUris()) {
      const open = this.openDocuments.get(uri);
      let read: ReadResult | undefined;
      try {
        read = open ? { text: open.getText() } : await this.workspace.readFile(uri);
      } catch (error) {
        read = { error: errorText(error) };
      }
      if (!read) continue;
      if ('error' in read) {
        this.configProblems.set(uri, [
          {
            rule: 'config',
            severity: 'error',
            message: `Could not read ${CONFIG_FILE_NAME}: ${read.error}; the defaults apply.`,
            span: { line: 0, start: 0, end: 0 },
          },
        ]);
        continue;
      }
      const parsed = this.parseConfigText(read.text);
      this.configProblems.set(uri, parsed.problems);
      // The first folder's file wins; a multi-root workspace rarely has two.
      if (this.fileConfig === undefined && parsed.config !== undefined) {
        this.fileConfig = parsed.config;
        this.fileConfigSource = { uri, text: read.text };
      }
    }
    this.applyConfiguration();
  }

  /** The configuration file's settings and problems; a parser that throws costs the file, not the workspace. */
  private parseConfigText(text: string): { config: ConfigInput | undefined; problems: readonly ParseProblem[] } {
    try {
      return parseConfigFile(text);
    } catch (error) {
      this.logger.log(`Could not read ${CONFIG_FILE_NAME}: ${errorText(error)}`);
      return {
        config: undefined,
        problems: [
          {
            rule: 'config',
            severity: 'error',
            message: `Could not read this configuration file (${errorText(error)}); the defaults apply.`,
            span: { line: 0, start: 0, end: 0 },
          },
        ],
      };
    }
  }

  /**
   * Settings, then the file, then the matchers. If any step throws on what the file says, the file
   * is dropped (with a `config` error on it); if the editor settings do too, the defaults apply.
   */
  private applyConfiguration(): void {
    const attempts: [ConfigInput | undefined, ConfigInput | undefined][] = [
      [this.editorSettings, this.fileConfig],
      [this.editorSettings, undefined],
      [undefined, undefined],
    ];
    for (const [settings, file] of attempts) {
      try {
        const config = resolveConfig(settings, file);
        const syntax = new IdSyntax(config);
        const matcher = buildIncludeMatcher(config);
        this.configState = config;
        this.syntax = syntax;
        this.includeMatcher = matcher;
        return;
      } catch (error) {
        this.logger.log(`Could not apply the configuration: ${errorText(error)}`);
        if (file !== undefined && this.fileConfigSource) {
          const problems = this.configProblems.get(this.fileConfigSource.uri) ?? [];
          this.configProblems.set(this.fileConfigSource.uri, [
            ...problems,
            {
              rule: 'config',
              severity: 'error',
              message: `Could not apply this configuration (${errorText(error)}); the defaults apply.`,
              span: { line: 0, start: 0, end: 0 },
            },
          ]);
        }
      }
    }
    this.configState = DEFAULT_CONFIG;
    this.syntax = new IdSyntax(DEFAULT_CONFIG);
    this.includeMatcher = () => true;
  }

  /**
   * `include` or `exclude` patterns that point outside the workspace, match no Markdown file, or
   * together leave nothing to check: `exclude: ["**"]` used to check 0 documents and pass. Each is
   * a `config` warning on the configuration file when there is one (so `throughline check` prints
   * it), and a log line when the patterns came from the editor's settings. The default patterns
   * are not checked: a workspace without node_modules is not a mistake.
   */
  private warnAboutFileSelection(markdownFiles: readonly string[]): void {
    const relativePaths: string[] = [];
    for (const uri of markdownFiles) {
      if (!MARKDOWN_FILE.test(uri)) continue; // a host may list every file, not only Markdown
      for (const folder of this.workspace.folders) {
        const relative = relativeToFolder(folder, uri);
        if (relative !== undefined) {
          relativePaths.push(relative);
          break;
        }
      }
    }
    const warnings: { pattern?: string; message: string }[] = [];
    const check = (list: 'include' | 'exclude', patterns: readonly string[], defaults: readonly string[], dot: boolean) => {
      let checked = 0;
      for (const pattern of patterns) {
        if (defaults.includes(pattern)) continue;
        if (++checked > MAX_PATTERNS_CHECKED) break;
        const shown = JSON.stringify(truncate(pattern, 200));
        if (pointsOutside(pattern)) {
          warnings.push({
            pattern,
            message: `${list} pattern ${shown} points outside the workspace folder: patterns are relative to it, so it matches nothing.`,
          });
          continue;
        }
        let matches: (path: string) => boolean;
        try {
          matches = globMatcher([pattern], { dot });
        } catch {
          continue; // the matcher as a whole failed to build, and applyConfiguration said so
        }
        if (!relativePaths.some((relative) => matches(relative)))
          warnings.push({ pattern, message: `${list} pattern ${shown} matches no Markdown file in the workspace.` });
      }
    };
    check('include', this.configState.include, DEFAULT_CONFIG.include, false);
    check('exclude', this.configState.exclude, DEFAULT_CONFIG.exclude, true);
    const selectsFiles =
      warnings.length > 0 ||
      this.configState.include.some((pattern) => !DEFAULT_CONFIG.include.includes(pattern)) ||
      this.configState.exclude.some((pattern) => !DEFAULT_CONFIG.exclude.includes(pattern));
    if (selectsFiles && relativePaths.length > 0 && !relativePaths.some((relative) => this.includeMatcher(relative))) {
      const count = relativePaths.length;
      warnings.push({
        message:
          count === 1
            ? 'include and exclude leave the one Markdown file in the workspace unchecked.'
            : `include and exclude leave none of the ${count} Markdown files in the workspace to check.`,
      });
    }
    if (warnings.length === 0) return;
    const source = this.fileConfigSource;
    if (!source) {
      for (const warning of warnings) this.logger.log(`Settings: ${warning.message}`);
      return;
    }
    const problems = [...(this.configProblems.get(source.uri) ?? [])];
    for (const warning of warnings)
      problems.push({ rule: 'config', severity: 'warning', message: warning.message, span: spanOf(source.text, warning.pattern) });
    this.configProblems.set(source.uri, problems);
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
    // With the link destinations and heading anchors `broken-link` and rename read (parse/markdownLinks.ts).
    return indexDocumentWithLinks(uri, version, text, this.configState, this.syntax);
  }

  /**
   * Indexes editor or disk text. A parser bug must not take the workspace down: the document is
   * left out with one `internal` problem on it and the cause logged (one line, no stack trace, since
   * the CLI prints this log).
   */
  private safeIndexText(uri: string, version: number, text: string): IndexOutcome {
    try {
      const index = this.indexText(uri, version, text);
      // A file that does not take part but says why (an `id:` with a Throughline prefix and an unknown `type:`) shows that one problem.
      if (!index.participates && index.problems.length > 0) return { problem: index.problems[0]! };
      return { index, text };
    } catch (error) {
      this.logger.log(`Could not index ${this.displayPath(uri)}: ${errorText(error)}`);
      return { problem: internalProblem(error) };
    }
  }

  private async indexFromWorkspace(uri: string): Promise<IndexOutcome> {
    let read: ReadResult | undefined;
    try {
      read = await this.workspace.readFile(uri);
    } catch (error) {
      read = { error: errorText(error) };
    }
    if (read === undefined) return {};
    if ('error' in read) {
      this.logger.log(`Skipped ${this.displayPath(uri)}: ${read.error}`);
      // A strategy document nobody can read must fail the gate rather than pass by being skipped.
      return read.strategyDocument
        ? {
            problem: {
              rule: 'encoding',
              severity: 'error',
              message: `Throughline cannot read this strategy document: ${read.error}.`,
              span: { line: 0, start: 0, end: 0 },
            },
          }
        : {};
    }
    const outcome = this.safeIndexText(uri, DISK_VERSION, read.text);
    if (!outcome.index || !read.warning || !outcome.index.participates) return outcome;
    const index = outcome.index;
    return {
      text: read.text,
      index: { ...index, problems: [...index.problems, { rule: 'encoding', severity: 'error', message: read.warning, span: { line: 0, start: 0, end: 3 } }] },
    };
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
    if (!uri.startsWith('file://')) return uri;
    try {
      return decodeURIComponent(uri.slice(7));
    } catch {
      return uri.slice(7);
    }
  }

  // ---- history ---------------------------------------------------------------------------------

  /** The history rules and views read, or undefined when none has been read. */
  get strategyHistory(): StrategyHistory | undefined {
    return this.history;
  }

  /**
   * A new history fold for hosts to fill, indexing each file version as the workspace's own files
   * are indexed (the configuration's prefixes, includes and excludes).
   */
  /**
   * The index of a document as read from disk (not an editor's version), for a host that found a
   * committed version of the file identical to it: the history then does not parse it again.
   */
  diskIndex(uri: string): DocumentIndex | undefined {
    const index = this.graphInstance.document(uri);
    return index && index.version === DISK_VERSION && !this.openDocuments.has(uri) ? index : undefined;
  }

  newHistoryFold(): HistoryFold {
    return new HistoryFold((uri, text) => {
      if (!this.isIncluded(uri) || this.isConfigUri(uri)) return undefined;
      const outcome = this.safeIndexText(uri, DISK_VERSION, text);
      return outcome.index?.participates ? outcome.index : undefined;
    });
  }

  /**
   * Replaces the history (a fold a host filled, or none) and compares each document's working text
   * with its newest commit, so edits not yet committed count at once. Every document that read
   * the history is checked again.
   */
  async setHistory(fold: HistoryFold | undefined, options: { readonly unchangedSinceHead?: ReadonlySet<string> } = {}): Promise<ChangeImpact> {
    const affected = new Set<string>();
    this.reads.addAllReaders(ReadKind.history, affected);
    this.addUnrecorded(affected);
    this.history = fold ? new StrategyHistory(fold) : undefined;
    if (this.history) {
      // Files the host found byte for byte as committed need not be read again to be compared.
      const unchanged = options.unchangedSinceHead;
      const uris: string[] = [];
      for (const document of this.graphInstance.allDocuments()) {
        if (!unchanged?.has(document.uri) || this.openDocuments.has(document.uri)) uris.push(document.uri);
      }
      const committed = [...this.history.fold.fileUris()].filter((uri) => !unchanged?.has(uri));
      await this.compareWorkingVersions(this.history, uris, committed);
    }
    for (const uri of affected) this.diagnosticsCache.delete(uri);
    this.changeEpoch++;
    return this.verified({ affectedUris: affected, structureChanged: false }, 'reading the history');
  }

  /**
   * The fold took new commits (`changed`: the IDs they touched; `touchedUris`: the files they
   * changed): files edited before the commit may now match it, and a file found as committed before
   * may now differ from the new commit, so both are compared again.
   */
  async historyAdvanced(changed: ReadonlySet<string>, touchedUris: Iterable<string> = []): Promise<ChangeImpact> {
    const history = this.history;
    if (!history) return NO_CHANGE;
    const ids = new Set(changed);
    const uris = new Set(history.workingUris());
    for (const uri of touchedUris) if (this.graphInstance.document(uri)) uris.add(uri);
    const again = await this.compareWorkingVersions(history, [...uris], []);
    for (const id of again) ids.add(id);
    const impact = this.withHistoryReaders(NO_CHANGE, ids);
    this.changeEpoch++;
    return this.verified(impact, 'new commits');
  }

  /** Records the working version of each file (its text now) against the history; returns the IDs whose answers changed. */
  private async compareWorkingVersions(history: StrategyHistory, uris: readonly string[], committedUris: Iterable<string>): Promise<Set<string>> {
    const changed = new Set<string>();
    const seen = new Set<string>();
    for (const uri of uris) {
      seen.add(uri);
      const index = this.graphInstance.document(uri);
      const open = this.openDocuments.get(uri);
      let text: string | undefined;
      if (open) text = open.getText();
      // A file no commit has is compared with nothing (StrategyHistory.setWorkingVersion): not read.
      else if (index && history.fold.fileAtHead(uri)) {
        const read = await this.workspace.readFile(uri).catch(() => undefined);
        text = read && 'text' in read ? read.text : undefined;
        // Let requests in: at 10,000 documents this reads every file once.
        if (seen.size % 200 === 0) await yieldToEventLoop();
        // Changed on disk since it was indexed, and not reported yet: it is compared when the change is.
        if (text !== undefined && !indexFitsText(index, text)) continue;
      }
      // The graph may have moved on while the file was read; the next change of it compares again.
      const current = this.graphInstance.document(uri);
      for (const id of history.setWorkingVersion(uri, current && current === index ? current : undefined, current === index ? text : undefined))
        changed.add(id);
    }
    // Committed files the working tree no longer has.
    for (const uri of committedUris)
      if (!seen.has(uri) && !this.graphInstance.document(uri)) for (const id of history.setWorkingVersion(uri, undefined, undefined)) changed.add(id);
    return changed;
  }

  /**
   * Adds to `affected` the documents whose diagnostics read something in `changed`: those the read
   * index names, and every document that defines a changed ID (its reads of its own IDs'
   * definitions are not kept; see `ReadSet.withoutDefinitionsOf`).
   */
  private addReaders(changed: ReadSet, affected: Set<string>): void {
    this.reads.addReaders(changed, affected);
    for (const id of changed.names(ReadKind.definitions) ?? []) for (const definition of this.graphInstance.definitionsOf(id)) affected.add(definition.uri);
  }

  /** Documents whose reads are not recorded (never checked, or `recordReads: false`): nothing says a change leaves them alone. */
  private addUnrecorded(affected: Set<string>): void {
    if (this.reads.size >= this.graphInstance.documentCount) return;
    for (const document of this.graphInstance.allDocuments()) if (!this.reads.has(document.uri)) affected.add(document.uri);
  }

  private withHistoryReaders(impact: ChangeImpact, ids: ReadonlySet<string>): ChangeImpact {
    if (ids.size === 0) return impact;
    const changed = new ReadSet();
    for (const id of ids) changed.add(ReadKind.history, id);
    const affected = new Set(impact.affectedUris);
    const before = affected.size;
    this.addReaders(changed, affected);
    this.addUnrecorded(affected);
    if (affected.size === before) return impact;
    for (const uri of affected) this.diagnosticsCache.delete(uri);
    return { affectedUris: affected, structureChanged: impact.structureChanged };
  }

  // ---- features --------------------------------------------------------------------------------

  /** URIs that currently have (or may have) diagnostics: every strategy document and the config files. */
  diagnosticUris(): string[] {
    return [...[...this.graphInstance.allDocuments()].map((document) => document.uri), ...this.hostProblems.keys(), ...this.configProblems.keys()];
  }

  /**
   * A document's diagnostics. Never throws: if checking a document fails as a whole, it gets one
   * `internal` error and every other document is still checked (the rules are guarded one by one
   * inside computeDiagnostics; this guards what surrounds them).
   */
  getDiagnostics(uri: string): Diagnostic[] {
    const cached = this.diagnosticsCache.get(uri);
    if (cached) return cached;
    if (!this.recordReads) {
      // Nothing recorded: `reads.size < documentCount` then re-checks every document after a change.
      const diagnostics = this.computeDiagnosticsOf(uri, this.graphInstance);
      this.diagnosticsCache.set(uri, diagnostics);
      return diagnostics;
    }
    const reads = new ReadSet();
    const diagnostics = this.computeDiagnosticsOf(uri, recordingGraph(this.graphInstance, reads), recordingHistory(this.history ?? NO_HISTORY, reads));
    // Positions in other documents reach diagnostics only as related locations: those documents are read too.
    for (const diagnostic of diagnostics)
      for (const related of diagnostic.relatedInformation ?? []) if (related.location.uri !== uri) reads.add(ReadKind.document, related.location.uri);
    // Only documents in the graph have reads, so `reads.size < documentCount` means some were never checked.
    // Its reads of itself are not kept: a document is checked again whenever it changes at all (`apply`).
    const document = this.graphInstance.document(uri);
    if (document && !this.hostProblems.has(uri) && !this.configProblems.has(uri))
      this.reads.record(uri, reads.withoutDocument(uri).withoutDefinitionsOf(document.items.map((item) => item.id)));
    else this.reads.forget(uri);
    this.diagnosticsCache.set(uri, diagnostics);
    return diagnostics;
  }

  private computeDiagnosticsOf(uri: string, graph: GraphQueries, history: HistoryQueries = this.history ?? NO_HISTORY): Diagnostic[] {
    const configProblems = this.configProblems.get(uri);
    const hostProblem = this.hostProblems.get(uri);
    // Problems found outside the rules go through the same engine: severities, `off`, caps.
    if (configProblems) return computeConfigDiagnostics(configProblems, this.configState);
    if (hostProblem) return computeConfigDiagnostics([hostProblem], this.configState);
    const document = this.graphInstance.document(uri);
    try {
      return document ? computeDiagnostics(document, graph, this.configState, this.today(), history) : [];
    } catch (error) {
      this.logger.log(`Could not check ${this.displayPath(uri)}: ${errorText(error)}`);
      return computeConfigDiagnostics(
        [{ ...internalProblem(error), message: `Throughline could not check this document: ${errorText(error)}` }],
        this.configState,
      );
    }
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

  /** Titles after the references in `range` (none when the `inlayHints` setting is off). */
  getInlayHints(document: TextDocument, range: Range): InlayHint[] {
    return provideInlayHints(this.state, document, range);
  }

  /** Semantic tokens of the whole document, or of the lines of `range`; the legend is `SEMANTIC_TOKENS_LEGEND`. */
  getSemanticTokens(document: TextDocument, range?: Range): SemanticTokens {
    return provideSemanticTokens(this.state, document, range);
  }

  prepareCallHierarchy(document: TextDocument, position: Position): CallHierarchyItem[] {
    return prepareCallHierarchy(this.state, document, position);
  }

  /** The items that trace to or support `item`, or are written under it. */
  getIncomingCalls(item: CallHierarchyItem): CallHierarchyIncomingCall[] {
    return provideIncomingCalls(this.state, item);
  }

  /** What `item` traces to or supports, or is written under. */
  getOutgoingCalls(item: CallHierarchyItem): CallHierarchyOutgoingCall[] {
    return provideOutgoingCalls(this.state, item);
  }

  getDocumentHighlights(document: TextDocument, position: Position): DocumentHighlight[] {
    return provideDocumentHighlights(this.state, document, position);
  }

  /**
   * The alignment tree, or a slice of it. A slice builds only its own nodes (see AlignmentTreeView);
   * the whole tree is kept until the next change, for the consumers that read all of it.
   */
  getAlignmentTree(key?: string, depth?: number): AlignmentTree {
    if (key !== undefined || depth !== undefined) return this.treeView.slice(key, depth);
    const kept = this.wholeTree?.epoch === this.changeEpoch ? this.wholeTree.tree.deref() : undefined;
    if (kept) return kept;
    const tree = this.treeView.slice(undefined, undefined);
    this.wholeTree = { epoch: this.changeEpoch, tree: new WeakRef(tree) };
    return tree;
  }

  private newCoverageView(): CoverageView {
    return new CoverageView(
      () => this.graphInstance,
      () => this.configState,
      this.recordReads,
    );
  }

  private newPortfolioView(): PortfolioView {
    return new PortfolioView(
      () => this.graphInstance,
      () => this.configState.thresholds.innovationMixTolerance,
      this.recordReads,
    );
  }

  getCoverage(): CoverageFigures {
    return this.coverageView.figures();
  }

  /** The coverage counts without the objectives' progress (which is then not brought up to date). */
  getCoverageCounts(): CoverageCounts {
    return this.coverageView.counts();
  }

  getPortfolio(): Portfolio {
    return this.portfolioView.get();
  }

  /** Everything the strategy report shows: coverage, progress, the whole tree, the portfolio and every problem. */
  /**
   * Every problem in the workspace, 1-based, by file then line and column (problems at one position
   * keep the order of getDiagnostics). `file` is `fileOf(uri)`: the display path unless the caller
   * (the CLI) names files its own way. The CLI and the report both list problems from here.
   */
  workspaceProblems(fileOf?: (uri: string) => string): WorkspaceProblem[] {
    // Files shown as the service shows them: each document's list is kept with its diagnostics.
    const kept = fileOf ? undefined : this.keptProblems();
    const toFile = fileOf ?? ((uri: string) => this.displayPath(uri));
    const problems: WorkspaceProblem[] = [];
    for (const uri of this.diagnosticUris()) {
      const diagnostics = this.getDiagnostics(uri);
      if (diagnostics.length === 0) continue;
      let ofDocument = kept?.get(diagnostics);
      if (ofDocument?.uri !== uri) {
        ofDocument = { uri, problems: problemsOf(uri, toFile(uri), diagnostics) };
        kept?.set(diagnostics, ofDocument);
      }
      for (const problem of ofDocument.problems) problems.push(problem);
    }
    return problems.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || a.column - b.column));
  }

  /**
   * Each document's problems as the report lists them, by the very array of its cached
   * diagnostics, for as long as both stand: the report panel is refreshed after every change, and
   * remaking an object per problem of every document (6,600 documents with diagnostics at 10,000
   * PRDs) was garbage enough to bring on most of the server's full collections while editing.
   * Dropped when the folders change, since the file names are relative to them.
   */
  private keptProblems(): WeakMap<readonly Diagnostic[], { uri: string; problems: readonly WorkspaceProblem[] }> {
    const folders = this.workspace.folders.join('\n');
    if (folders !== this.keptProblemsFolders) {
      this.keptProblemsFolders = folders;
      this.keptProblemsByDiagnostics = new WeakMap();
    }
    return this.keptProblemsByDiagnostics;
  }

  getStrategyReport(title = this.defaultReportTitle()): StrategyReport {
    const coverage = this.getCoverage();
    const severityRank = { error: 0, warning: 1, info: 2, hint: 3 } as const;
    // A stable sort of the list by file and position: by severity, then file and position.
    const problems: ReportProblem[] = this.workspaceProblems().sort((a, b) => severityRank[a.severity] - severityRank[b.severity]);
    // `reportTitle` in `.throughline.yml` wins over the title from the vision or the folder.
    const configured = this.configState.reportTitle;
    const wholeTree = () => this.getAlignmentTree().roots;
    return {
      title: configured === undefined ? title : /^strategy report\b/i.test(configured) ? configured : `Strategy report: ${configured}`,
      generatedAt: this.today().toISOString(),
      coverage,
      objectives: coverage.progress,
      // The whole tree is built only if read (`report --strategy`); the report draws `alignment`, which builds only what it shows.
      get tree() {
        return wholeTree();
      },
      alignment: { graph: this.treeView.reportGraph(), items: this.treeView.firstNodes(reportItemIds(coverage.progress)) },
      portfolio: this.getPortfolio(),
      problems,
      ...(this.history ? { trends: this.keyResultTrends(coverage.progress) } : {}),
    };
  }

  /** Key results' check-ins and expected lines, from the history (report/trends.ts). */
  private keyResultTrends(objectives: CoverageFigures['progress']): KeyResultTrend[] {
    const history = this.history;
    if (!history) return [];
    const dueOf = (id: string) => {
      const item = this.graphInstance.definitionsOf(id)[0];
      return item ? attributeValue(item, 'due') : undefined;
    };
    return keyResultTrends(objectives, dueOf, history, this.today(), this.configState.decimalSeparator);
  }

  /** From the vision's title; the folder's name when there is no titled vision. */
  private defaultReportTitle(): string {
    const fromVision = reportTitleFromVision(this.graphInstance);
    if (fromVision) return fromVision;
    const folder = this.workspace.folders[0];
    const last = folder ? (trimTrailingSlashes(folder).split('/').pop() ?? '') : '';
    let name = last;
    try {
      name = decodeURIComponent(last);
    } catch {
      // a malformed escape in the folder URI: show it as it came
    }
    return name ? `Strategy report: ${name}` : 'Strategy report';
  }

  /** Whether `kind` (from a client) names an item kind that has a configured prefix. */
  isKnownKind(kind: unknown): kind is ItemKind {
    return typeof kind === 'string' && (ITEM_KINDS as readonly string[]).includes(kind) && [...this.configState.prefixes.values()].includes(kind as ItemKind);
  }

  /**
   * The next free numeric ID for a kind: one more than the highest `PREFIX-n` in use, with the
   * kind's configured prefix; undefined for a kind that is not configured. IDs are compared as
   * text: no pattern is built from the kind or the prefix.
   */
  nextFreeId(kind: unknown): string | undefined {
    if (!this.isKnownKind(kind)) return undefined;
    const prefix = [...this.configState.prefixes].find(([, prefixKind]) => prefixKind === kind)?.[0];
    if (prefix === undefined) return undefined;
    const start = `${prefix}-`;
    let highest = 0;
    for (const id of this.graphInstance.allIds()) {
      if (!id.startsWith(start) || id.length === start.length || id.length - start.length > 15) continue;
      let number = 0;
      let digits = true;
      for (let index = start.length; index < id.length && digits; index++) {
        const code = id.charCodeAt(index);
        digits = code >= 0x30 && code <= 0x39;
        number = number * 10 + (code - 0x30);
      }
      if (digits) highest = Math.max(highest, number);
    }
    return `${prefix}-${highest + 1}`;
  }

  /** Hover text for an item by ID, for tree tooltips. */
  describe(id: string): string | undefined {
    const item = this.graphInstance.definition(id);
    return item ? describeItem(this.state, item) : undefined;
  }

  // ---- files not checked (the CLI's summary names them) --------------------------------------------

  /**
   * The Markdown files of the folders that the include/exclude patterns select but that are not
   * checked, and why (not a strategy document, unknown type, undecodable, too large, unreadable), in
   * listing order. Reads those files again (only them): meant for one call after
   * `initialize`, not for every change. A strategy document that cannot be decoded is not here: it
   * is checked, as one `encoding` error. The files are those the last `initialize` listed (a
   * folder it did not list is listed now): the CLI asks right after indexing, and a second walk of
   * 10,000 files cost it 50 ms.
   */
  async uncheckedFiles(): Promise<UncheckedFile[]> {
    const unchecked: UncheckedFile[] = [];
    for (const folder of this.workspace.folders) {
      let listed = this.listings.get(folder);
      try {
        listed ??= await this.workspace.listFiles(folder);
      } catch {
        continue;
      }
      for (const uri of listed) {
        if (!MARKDOWN_FILE.test(uri) || !this.isIncluded(uri) || this.graphInstance.document(uri) || this.hostProblems.has(uri)) continue;
        let read: ReadResult | undefined;
        try {
          read = await this.workspace.readFile(uri);
        } catch (error) {
          read = { error: errorText(error) };
        }
        const why = read && whyNotChecked(read);
        if (why) unchecked.push({ uri, ...why });
      }
    }
    return unchecked;
  }

  // ---- end of files not checked ------------------------------------------------------------------

  /** Problems on the item's own lines: its ID, its attributes, and for a document its front-matter. */
  private problemsOn(item: Item): { errors: number; warnings: number } {
    let errors = 0;
    let warnings = 0;
    const frontMatter = item.isDocument ? this.graphInstance.document(item.uri)?.frontMatter : undefined;
    const diagnostics = this.getDiagnostics(item.uri);
    if (diagnostics.length === 0) return { errors, warnings };
    const onItem = (line: number) => line === item.idSpan.line || item.attributes.some((attribute) => attribute.line === line);
    for (const diagnostic of diagnostics) {
      const line = diagnostic.range.start.line;
      if (!onItem(line) && !(frontMatter && line >= frontMatter.startLine && line <= frontMatter.endLine)) continue;
      if (diagnostic.severity === DiagnosticSeverity.Error) errors++;
      else if (diagnostic.severity === DiagnosticSeverity.Warning) warnings++;
    }
    return { errors, warnings };
  }
}

function buildIncludeMatcher(config: ThroughlineConfig): (path: string) => boolean {
  const include = globMatcher(config.include, { dot: false });
  const exclude = globMatcher(config.exclude, { dot: true });
  return (path) => include(path) && !exclude(path);
}

/** An absolute pattern, or one that climbs out with `..`, can never match a path relative to the folder. */
function pointsOutside(pattern: string): boolean {
  if (pattern.startsWith('/') || pattern.startsWith('\\') || /^[A-Za-z]:/.test(pattern)) return true;
  return pattern.split(/[\\/]/).includes('..');
}

/** Where `needle` first appears in `text` (a configuration file), for a warning about it; the top of the file otherwise. */
function spanOf(text: string, needle: string | undefined): ParseProblem['span'] {
  const offset = needle ? text.indexOf(needle) : -1;
  if (offset < 0 || needle === undefined) return { line: 0, start: 0, end: 0 };
  let line = 0;
  let lineStart = 0;
  for (let index = text.indexOf('\n'); index !== -1 && index < offset; index = text.indexOf('\n', index + 1)) {
    line++;
    lineStart = index + 1;
  }
  return { line, start: offset - lineStart, end: offset - lineStart + needle.length };
}

/** One line of an exception, bounded: log lines and diagnostics quote it, and the CLI prints both. */
function errorText(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const firstLine = message.split('\n', 1)[0] ?? '';
  return truncate(firstLine, MAX_ERROR_TEXT);
}

function internalProblem(error: unknown): ParseProblem {
  return {
    rule: INTERNAL_CODE,
    severity: 'error',
    message: `Throughline could not index this document: ${errorText(error)}`,
    span: { line: 0, start: 0, end: 0 },
  };
}

function yieldToEventLoop(): Promise<void> {
  const immediate = (globalThis as { setImmediate?: (callback: () => void) => unknown }).setImmediate;
  return new Promise<void>((resolve) => (immediate ? immediate(resolve) : setTimeout(resolve, 0)));
}

export function createLanguageService(options: LanguageServiceOptions): ThroughlineLanguageService {
  return new ThroughlineLanguageService(options);
}

/** A document's diagnostics as problems (1-based positions), in their order. */
function problemsOf(uri: string, file: string, diagnostics: readonly Diagnostic[]): WorkspaceProblem[] {
  return diagnostics.map((diagnostic) => ({
    uri,
    file,
    line: diagnostic.range.start.line + 1,
    column: diagnostic.range.start.character + 1,
    endLine: diagnostic.range.end.line + 1,
    endColumn: diagnostic.range.end.character + 1,
    severity: severityName(diagnostic.severity),
    rule: String(diagnostic.code ?? ''),
    message: diagnostic.message,
  }));
}
