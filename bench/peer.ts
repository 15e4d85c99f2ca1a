/**
 * The peer: Microsoft's `vscode-markdown-languageservice` (the engine behind VS Code's
 * Markdown language server) with `markdown-it` as its parser, run in-process over the
 * generated workspace.
 *
 * Set up the way VS Code's own Markdown server sets it up, so the peer is neither
 * handicapped nor helped:
 * - the workspace lists `**\/*.md` under the folder and reads the files from disk with at
 *   most 20 reads in flight (VS Code: `getAllMarkdownDocuments`, `maxConcurrent = 20`),
 *   keeping the opened documents in a cache;
 * - markdown-it with `html: true`, `linkify: true` (fuzzy links off) as VS Code's Markdown
 *   engine, plus a front-matter block rule (VS Code uses `markdown-it-front-matter`;
 *   without it the YAML header would parse as a setext heading);
 * - a one-entry token cache keyed by URI and version (VS Code's `TokenCache`);
 * - `getDocumentSymbols(doc, { includeLinkDefinitions: true })`, as VS Code's server calls it;
 * - edits are applied with `TextDocument.update` (incremental) and announced through
 *   `onDidChangeMarkdownDocument`, as VS Code's server does on `didChange`.
 */
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import MarkdownIt from 'markdown-it';
import {
  createLanguageService,
  githubSlugifier,
  IncludeWorkspaceHeaderCompletions,
  LogLevel,
  type FileStat,
  type ILogger,
  type IMdLanguageService,
  type IMdParser,
  type ITextDocument,
  type IWorkspace,
  type Token,
} from 'vscode-markdown-languageservice';
import { CancellationToken, Emitter } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { URI } from 'vscode-uri';
import type { GeneratedWorkspace, PeerFigures } from './types.ts';

const MAX_CONCURRENT_READS = 20;

// ---------------------------------------------------------------------------
// Parser

/** Block rule equivalent to markdown-it-front-matter: `---` on line 0 up to the next `---` line. */
function addFrontMatterRule(md: InstanceType<typeof MarkdownIt>): void {
  md.block.ruler.before(
    'table',
    'front_matter',
    (state, startLine, endLine, silent) => {
      if (startLine !== 0 || state.level !== 0) return false;
      const lineText = (l: number): string => state.src.slice((state.bMarks[l] ?? 0) + (state.tShift[l] ?? 0), state.eMarks[l]).trimEnd();
      if (lineText(0) !== '---') return false;
      let l = 1;
      while (l < endLine && lineText(l) !== '---') l++;
      if (l >= endLine) return false;
      if (silent) return true;
      const token = state.push('front_matter', '', 0);
      token.hidden = true;
      token.block = true;
      token.markup = '---';
      token.map = [0, l + 1];
      token.content = state.src.slice(state.bMarks[1], state.bMarks[l]);
      state.line = l + 1;
      return true;
    },
    { alt: ['paragraph', 'reference', 'blockquote', 'list'] },
  );
}

export interface PeerParserOptions {
  /** VS Code's default (`markdown.preview.linkify`) is true. */
  readonly linkify?: boolean;
}

export function createPeerParser(opts: PeerParserOptions = {}): IMdParser & { tokenizeCount: number } {
  const md = new MarkdownIt({ html: true, linkify: opts.linkify ?? true });
  md.linkify.set({ fuzzyLink: false });
  addFrontMatterRule(md);
  let cached: { uri: string; version: number; tokens: Token[] } | undefined;
  const parser = {
    slugifier: githubSlugifier,
    tokenizeCount: 0,
    async tokenize(document: ITextDocument): Promise<Token[]> {
      if (cached && cached.uri === document.uri && cached.version === document.version && document.version >= 0) {
        return cached.tokens;
      }
      parser.tokenizeCount++;
      const tokens = md.parse(document.getText(), {}) as unknown as Token[];
      cached = { uri: document.uri, version: document.version, tokens };
      return tokens;
    },
  };
  return parser;
}

const silentLogger: ILogger = {
  level: LogLevel.Off,
  log(): void {
    /* off */
  },
};

// ---------------------------------------------------------------------------
// Workspace

async function listMarkdownFiles(root: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    const entries = await fsp.readdir(dir, { withFileTypes: true });
    for (const e of entries) {
      if (e.name === 'node_modules') continue;
      const p = path.join(dir, e.name);
      if (e.isDirectory()) await walk(p);
      else if (e.isFile() && e.name.toLowerCase().endsWith('.md')) out.push(p);
    }
  };
  await walk(root);
  return out;
}

async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** An `IWorkspace` over a folder on disk; documents are read lazily and cached, edits go through `applyEdit`. */
export class DiskWorkspace implements IWorkspace {
  readonly #root: URI;
  readonly #documents = new Map<string, TextDocument>();
  readonly #onDidChange = new Emitter<ITextDocument>();
  readonly #onDidCreate = new Emitter<ITextDocument>();
  readonly #onDidDelete = new Emitter<URI>();
  readonly onDidChangeMarkdownDocument = this.#onDidChange.event;
  readonly onDidCreateMarkdownDocument = this.#onDidCreate.event;
  readonly onDidDeleteMarkdownDocument = this.#onDidDelete.event;
  filesRead = 0;

  constructor(rootDir: string) {
    this.#root = URI.file(path.resolve(rootDir));
  }

  get workspaceFolders(): readonly URI[] {
    return [this.#root];
  }

  async getAllMarkdownDocuments(): Promise<Iterable<ITextDocument>> {
    const files = await listMarkdownFiles(this.#root.fsPath);
    const docs = await mapLimit(files, MAX_CONCURRENT_READS, (f) => this.openMarkdownDocument(URI.file(f)));
    return docs.filter((d): d is ITextDocument => d !== undefined);
  }

  hasMarkdownDocument(resource: URI): boolean {
    return this.#documents.has(resource.toString());
  }

  async openMarkdownDocument(resource: URI): Promise<ITextDocument | undefined> {
    const key = resource.toString();
    const existing = this.#documents.get(key);
    if (existing) return existing;
    if (resource.scheme !== 'file' || !resource.fsPath.toLowerCase().endsWith('.md')) return undefined;
    let bytes: Buffer;
    try {
      bytes = await fsp.readFile(resource.fsPath);
    } catch {
      return undefined;
    }
    this.filesRead++;
    // Another call may have opened it meanwhile.
    const again = this.#documents.get(key);
    if (again) return again;
    const doc = TextDocument.create(key, 'markdown', 0, new TextDecoder().decode(bytes));
    this.#documents.set(key, doc);
    return doc;
  }

  async stat(resource: URI): Promise<FileStat | undefined> {
    if (this.#documents.has(resource.toString())) return { isDirectory: false };
    try {
      const s = await fsp.stat(resource.fsPath);
      return { isDirectory: s.isDirectory() };
    } catch {
      return undefined;
    }
  }

  async readDirectory(resource: URI): Promise<Iterable<readonly [string, FileStat]>> {
    const entries = await fsp.readdir(resource.fsPath, { withFileTypes: true });
    return entries.map((e) => [e.name, { isDirectory: e.isDirectory() }] as const);
  }

  /** Applies an incremental one-range edit to an open document, stores the new version and announces it. */
  applyEdit(
    uri: string,
    change: { range: { start: { line: number; character: number }; end: { line: number; character: number } }; text: string },
  ): TextDocument {
    const doc = this.#documents.get(uri);
    if (!doc) throw new Error(`not open: ${uri}`);
    const updated = TextDocument.update(doc, [change], doc.version + 1);
    this.#documents.set(uri, updated);
    this.#onDidChange.fire(updated);
    return updated;
  }

  document(uri: string): TextDocument | undefined {
    return this.#documents.get(uri);
  }
}

// ---------------------------------------------------------------------------
// Measurements

export interface PeerSession {
  readonly workspace: DiskWorkspace;
  readonly service: IMdLanguageService;
  readonly parser: ReturnType<typeof createPeerParser>;
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i] as number;
}

export function summarise(samples: readonly number[]): { p50: number; p95: number; min: number; max: number } {
  const s = [...samples].sort((a, b) => a - b);
  return { p50: percentile(s, 50), p95: percentile(s, 95), min: s[0] ?? NaN, max: s[s.length - 1] ?? NaN };
}

function gc(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

/**
 * Cold: new workspace, new parser, new service, then `getWorkspaceSymbols('')`.
 * The time covers listing the folder, reading every file and parsing it.
 */
export async function peerColdWorkspaceSymbols(
  dir: string,
  parserOptions: PeerParserOptions = {},
): Promise<{ ms: number; cpuMs: number; symbols: number; documents: number; session: PeerSession }> {
  const cpuStart = process.cpuUsage();
  const started = performance.now();
  const workspace = new DiskWorkspace(dir);
  const parser = createPeerParser(parserOptions);
  const service = createLanguageService({ workspace, parser, logger: silentLogger });
  const symbols = await service.getWorkspaceSymbols('', CancellationToken.None);
  const ms = performance.now() - started;
  const cpu = process.cpuUsage(cpuStart);
  if (!(symbols.length > 0)) throw new Error(`peer produced no workspace symbols for ${dir}`);
  return { ms, cpuMs: (cpu.user + cpu.system) / 1000, symbols: symbols.length, documents: workspace.filesRead, session: { workspace, service, parser } };
}

/**
 * p50/p95 of: a one-line edit (typing a word at the end of a prose line) → `getDocumentSymbols` of the new version.
 * `warmup` edits run first and are not counted.
 */
export async function peerDocumentSymbolsAfterEdit(
  session: PeerSession,
  file: string,
  line: number,
  opts: { edits?: number; warmup?: number } = {},
): Promise<{ p50: number; p95: number; samples: number[]; symbols: number }> {
  const edits = opts.edits ?? 50;
  const warmup = opts.warmup ?? 5;
  const uri = URI.file(file).toString();
  const opened = await session.workspace.openMarkdownDocument(URI.file(file));
  if (!opened) throw new Error(`cannot open ${file}`);
  const samples: number[] = [];
  let symbols = 0;
  for (let i = 0; i < warmup + edits; i++) {
    const current = session.workspace.document(uri);
    if (!current) throw new Error(`not open: ${uri}`);
    const lineText = current.getText({ start: { line, character: 0 }, end: { line: line + 1, character: 0 } }).replace(/\r?\n$/, '');
    const at = { line, character: lineText.length };
    const t0 = performance.now();
    const doc = session.workspace.applyEdit(uri, { range: { start: at, end: at }, text: ` edit${i}` });
    const result = await session.service.getDocumentSymbols(doc, { includeLinkDefinitions: true }, CancellationToken.None);
    const dt = performance.now() - t0;
    if (i >= warmup) samples.push(dt);
    symbols = countDocumentSymbols(result);
  }
  if (!(symbols > 0)) throw new Error('peer produced no document symbols after edits');
  const { p50, p95 } = summarise(samples);
  return { p50, p95, samples, symbols };
}

function countDocumentSymbols(symbols: ReadonlyArray<{ children?: unknown[] }>): number {
  let n = 0;
  for (const s of symbols) {
    n++;
    if (s.children) n += countDocumentSymbols(s.children as Array<{ children?: unknown[] }>);
  }
  return n;
}

/** getReferences on a heading: first call (builds the peer's workspace link cache) and warm p50. */
export async function peerHeaderReferences(
  session: PeerSession,
  pos: { file: string; line: number; character: number },
  warmRuns = 5,
): Promise<{ firstMs: number; warmP50: number; references: number }> {
  const doc = await session.workspace.openMarkdownDocument(URI.file(pos.file));
  if (!doc) throw new Error(`cannot open ${pos.file}`);
  const position = { line: pos.line, character: pos.character };
  let t0 = performance.now();
  let refs = await session.service.getReferences(doc, position, { includeDeclaration: true }, CancellationToken.None);
  const firstMs = performance.now() - t0;
  const warm: number[] = [];
  for (let i = 0; i < warmRuns; i++) {
    t0 = performance.now();
    refs = await session.service.getReferences(doc, position, { includeDeclaration: true }, CancellationToken.None);
    warm.push(performance.now() - t0);
  }
  return { firstMs, warmP50: summarise(warm).p50, references: refs.length };
}

/** getRenameEdit on a heading (warm, after peerHeaderReferences): p50 and the number of text edits. */
export async function peerHeaderRename(
  session: PeerSession,
  pos: { file: string; line: number; character: number },
  newName: string,
  runs = 5,
): Promise<{ warmP50: number; edits: number }> {
  const doc = await session.workspace.openMarkdownDocument(URI.file(pos.file));
  if (!doc) throw new Error(`cannot open ${pos.file}`);
  const samples: number[] = [];
  let edits = 0;
  for (let i = 0; i < runs; i++) {
    // The rename provider caches its references per document version and position: move the position each run.
    const position = { line: pos.line, character: pos.character + 1 + i };
    const t0 = performance.now();
    const edit = await session.service.getRenameEdit(doc, position, newName, CancellationToken.None);
    samples.push(performance.now() - t0);
    edits = 0;
    for (const list of Object.values(edit?.changes ?? {})) edits += list.length;
    for (const change of edit?.documentChanges ?? []) if ('edits' in change) edits += change.edits.length;
  }
  return { warmP50: summarise(samples).p50, edits };
}

/**
 * Workspace header completion: a new line `See [the outcome](##` is inserted into the file, then
 * `getCompletionItems` at its end with `includeWorkspaceHeaderCompletions: onDoubleHash` is timed
 * (the closest peer analogue of completing a reference to something defined in another file).
 */
export async function peerWorkspaceHeaderCompletion(
  session: PeerSession,
  file: string,
  afterLine: number,
  opts: { runs?: number; warmup?: number } = {},
): Promise<{ p50: number; p95: number; items: number }> {
  const runs = opts.runs ?? 10;
  const warmup = opts.warmup ?? 1;
  const uri = URI.file(file).toString();
  await session.workspace.openMarkdownDocument(URI.file(file));
  const insertAt = { line: afterLine + 1, character: 0 };
  const prefix = 'See [the outcome](##';
  const doc = session.workspace.applyEdit(uri, { range: { start: insertAt, end: insertAt }, text: `${prefix}\n` });
  const position = { line: afterLine + 1, character: prefix.length };
  const samples: number[] = [];
  let items = 0;
  for (let i = 0; i < warmup + runs; i++) {
    const t0 = performance.now();
    const result = await session.service.getCompletionItems(
      doc,
      position,
      { includeWorkspaceHeaderCompletions: IncludeWorkspaceHeaderCompletions.onDoubleHash },
      CancellationToken.None,
    );
    const dt = performance.now() - t0;
    if (i >= warmup) samples.push(dt);
    items = result.length;
  }
  const { p50, p95 } = summarise(samples);
  return { p50, p95, items };
}

async function coldRunDisposed(dir: string, parser: PeerParserOptions | undefined): Promise<{ ms: number; cpuMs: number; symbols: number; documents: number }> {
  const { ms, cpuMs, symbols, documents, session } = await peerColdWorkspaceSymbols(dir, parser);
  session.service.dispose();
  return { ms, cpuMs, symbols, documents };
}

function mb(bytes: number): number {
  return bytes / 1048576;
}

export interface MeasurePeerOptions {
  readonly extras?: boolean;
  readonly parser?: PeerParserOptions;
  /** Cold runs (each a new service over the same folder); the figure is their median. Default 3. */
  readonly coldRuns?: number;
  readonly log?: (line: string) => void;
}

/** All peer figures for one generated workspace, in this process. */
export async function measurePeer(ws: GeneratedWorkspace, opts: MeasurePeerOptions = {}): Promise<PeerFigures> {
  const log = opts.log ?? (() => undefined);
  const coldRuns = Math.max(1, opts.coldRuns ?? 3);
  const coldSamples: number[] = [];
  const coldCpuSamples: number[] = [];
  const checkCold = (run: number, r: { ms: number; cpuMs: number; symbols: number; documents: number }): void => {
    coldSamples.push(r.ms);
    coldCpuSamples.push(r.cpuMs);
    log(
      `peer cold workspace symbols (run ${run}/${coldRuns}): ${r.ms.toFixed(0)} ms (CPU ${r.cpuMs.toFixed(0)} ms), ${r.symbols} symbols in ${r.documents} documents`,
    );
    if (r.documents !== ws.files.length) throw new Error(`peer read ${r.documents} documents, the workspace has ${ws.files.length}`);
    if (r.symbols !== ws.headings) throw new Error(`peer found ${r.symbols} workspace symbols, the generator wrote ${ws.headings} headings`);
  };
  // All runs but the last are disposed inside a helper: an async function's suspended frame may
  // otherwise keep a finished run's service alive (and then slow down and inflate the next run).
  for (let run = 1; run < coldRuns; run++) {
    gc();
    checkCold(run, await coldRunDisposed(ws.dir, opts.parser));
  }
  gc();
  const heapBefore = process.memoryUsage().heapUsed;
  const cold = await peerColdWorkspaceSymbols(ws.dir, opts.parser);
  checkCold(coldRuns, cold);
  gc();
  const mem = process.memoryUsage();
  const coldMedian = summarise(coldSamples).p50;

  const edit = await peerDocumentSymbolsAfterEdit(cold.session, ws.editablePrd, ws.editablePrdProseLine);
  log(`peer edit → document symbols: p50 ${edit.p50.toFixed(2)} ms, p95 ${edit.p95.toFixed(2)} ms (${edit.symbols} symbols)`);

  let extras: Partial<PeerFigures> = {};
  if (opts.extras !== false) {
    const refs = await peerHeaderReferences(cold.session, ws.popularOutcomeDefinition);
    log(`peer header references: first ${refs.firstMs.toFixed(0)} ms, warm p50 ${refs.warmP50.toFixed(1)} ms, ${refs.references} references`);
    const rename = await peerHeaderRename(cold.session, ws.popularOutcomeDefinition, `${ws.popularOutcomeId}: Renamed outcome`);
    log(`peer header rename: warm p50 ${rename.warmP50.toFixed(1)} ms, ${rename.edits} edits`);
    const completion = await peerWorkspaceHeaderCompletion(cold.session, ws.editablePrd, ws.editablePrdProseLine);
    log(`peer workspace header completion: p50 ${completion.p50.toFixed(1)} ms, p95 ${completion.p95.toFixed(1)} ms, ${completion.items} items`);
    extras = {
      headerReferencesFirstMs: refs.firstMs,
      headerReferencesWarmP50Ms: refs.warmP50,
      headerReferences: refs.references,
      headerRenameWarmP50Ms: rename.warmP50,
      headerRenameEdits: rename.edits,
      completionP50Ms: completion.p50,
      completionP95Ms: completion.p95,
      completionItems: completion.items,
    };
  }
  cold.session.service.dispose();

  return {
    coldWorkspaceSymbolsMs: coldMedian,
    coldWorkspaceSymbolsSamplesMs: coldSamples,
    coldWorkspaceSymbolsCpuMs: summarise(coldCpuSamples).p50,
    documents: cold.documents,
    symbols: cold.symbols,
    editDocumentSymbolsP50Ms: edit.p50,
    editDocumentSymbolsP95Ms: edit.p95,
    editSamples: edit.samples.length,
    linkify: opts.parser?.linkify ?? true,
    ...extras,
    rssMb: mb(mem.rss),
    heapUsedMb: mb(mem.heapUsed),
    heapRetainedMb: mb(mem.heapUsed - heapBefore),
  };
}
