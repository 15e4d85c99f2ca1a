/**
 * The peer as a real server process: Microsoft's Markdown language server
 * (npm `vscode-markdown-languageserver`, the server VS Code's built-in Markdown extension runs),
 * over stdio, with this harness answering its custom requests the way VS Code's Markdown client
 * does (extensions/markdown-language-features/src/client/client.ts):
 *
 * - `markdown/parse` {uri, text?}: markdown-it tokens of the text sent, or of the open document,
 *   or of the file on disk (VS Code: `getOrLoadMarkdownDocument` then `engine.tokenize`), with
 *   the parser of bench/peer.ts (html, linkify, front-matter, a one-entry token cache);
 * - `markdown/fs/readFile` → the bytes as an array of numbers (`Array.from(readFile(uri))`);
 * - `markdown/fs/stat`, `markdown/fs/readDirectory` from the disk;
 * - `markdown/findMarkdownFilesInWorkspace` → every `*.md` under the folder, `node_modules` left out;
 * - `markdown/fs/watcher/create|delete` → accepted; nothing changes on disk during the run, so no
 *   watcher ever fires (VS Code's would not either).
 *
 * Settings are VS Code's defaults, except `markdown.validate.enabled`, which is off by default and
 * turned on here so that the peer computes diagnostics (link validation) as Throughline does.
 *
 * The parsing happens in this process, as in VS Code it happens in the extension host; it is part
 * of what the peer's client waits for, so it is inside the peer's timings. The file and parse
 * requests are answered one at a time, and no new one is started while more than
 * MAX_BUFFERED_BYTES of answers wait in the pipe to the server: at 100,000 PRDs the server asks
 * for every file's tokens at once, and answering all of them at once buffered gigabytes of JSON in
 * this process until it ran out of heap. The server sees the same answers, only paced by how fast
 * it reads them.
 */
import { promises as fsp, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { createPeerParser } from './peer.ts';
import type { GeneratedWorkspace } from './types.ts';
import { explain, memoryOf, spawnServer, timed, withTimeout } from './lsp.ts';
import { changeFor, EDITS_PER_CYCLE, sessionEdits, type SessionEdit } from './session.ts';

export const PEER_PACKAGE = 'vscode-markdown-languageserver';

const MAX_BUFFERED_BYTES = 32 * 1024 * 1024;

/** VS Code's `markdownFileExtensions` (extensions/markdown-language-features/src/util/file.ts). */
const MARKDOWN_FILE_EXTENSIONS = ['md', 'mkd', 'mdwn', 'mdown', 'markdown', 'markdn', 'mdtxt', 'mdtext', 'workbook'];

/** VS Code's default `markdown.*` settings the server reads, validation turned on. */
const MARKDOWN_SETTINGS = {
  markdown: {
    server: { log: 'off' },
    preferredMdPathExtensionStyle: 'auto',
    suggest: { paths: { enabled: true, includeWorkspaceHeaderCompletions: 'onDoubleHash' } },
    occurrencesHighlight: { enabled: false },
    validate: {
      enabled: true,
      referenceLinks: { enabled: 'warning' },
      fragmentLinks: { enabled: 'warning' },
      fileLinks: { enabled: 'warning', markdownFragmentLinks: 'inherit' },
      ignoredLinks: [],
      unusedLinkDefinitions: { enabled: 'warning' },
      duplicateLinkDefinitions: { enabled: 'warning' },
    },
  },
};

export function peerServerPath(root: string): string {
  const pkg = path.join(root, 'node_modules', PEER_PACKAGE);
  const manifest = JSON.parse(readFileSync(path.join(pkg, 'package.json'), 'utf8')) as { main: string; version: string };
  return path.join(pkg, manifest.main);
}

export function peerServerVersion(root: string): string {
  return (JSON.parse(readFileSync(path.join(root, 'node_modules', PEER_PACKAGE, 'package.json'), 'utf8')) as { version: string }).version;
}

async function findMarkdownFiles(root: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    for (const entry of await fsp.readdir(dir, { withFileTypes: true })) {
      if (entry.name === 'node_modules' || entry.name === '.git') continue;
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) await walk(file);
      else if (entry.isFile() && MARKDOWN_FILE_EXTENSIONS.includes(path.extname(entry.name).slice(1).toLowerCase())) out.push(file);
    }
  };
  await walk(root);
  return out;
}

export interface PeerServedOptions {
  serverPath: string;
  cycles: number;
  /** Workspace header completions (`](##`) asked after the session. */
  completionRuns: number;
  log: (line: string) => void;
}

export interface PeerServedFigures {
  /** Spawn → the first answer to `workspace/symbol` '' (every file listed, read and parsed). */
  initMs: number;
  symbols: number;
  parseRequests: number;
  readFileRequests: number;
  rssIndexedMb: number;
  /** didChange → the answer to its `textDocument/diagnostic` pull (VS Code pulls on change). */
  editMs: number[];
  linkEditMs: number[];
  /** After the link edit: `textDocument/documentSymbol` (the outline view's refresh). */
  documentSymbolsMs: number[];
  hoverMs: number[];
  /** `](##` workspace header completion (VS Code's default `onDoubleHash`). */
  completionMs: number[];
  completionItems: number;
  /** References and rename of the heading `### OUT-1: …` (no Markdown link points at it). */
  referencesMs: number[];
  references: number;
  renameMs: number[];
  renameEdits: number;
  rssSeries: [number, number][];
  rssAfterSessionMb: number;
  peakRssMb: number;
  edits: number;
}

export async function peerServed(ws: GeneratedWorkspace, opts: PeerServedOptions): Promise<PeerServedFigures> {
  const server = spawnServer([opts.serverPath, '--stdio']);
  const { connection } = server;
  const parser = createPeerParser();
  const open = new Map<string, TextDocument>();
  let parseRequests = 0;
  let readFileRequests = 0;
  // One answer at a time, and none while the pipe to the server holds more than MAX_BUFFERED_BYTES.
  const stdin = server.child.stdin!;
  let queue: Promise<unknown> = Promise.resolve();
  const paced = <T>(work: () => Promise<T>): Promise<T> => {
    const run = queue.then(async () => {
      if (stdin.writableLength > MAX_BUFFERED_BYTES) await new Promise((resolve) => stdin.once('drain', resolve));
      return work();
    });
    queue = run.catch(() => undefined);
    return run;
  };
  const tokensOf = async (uri: string, text?: string) => {
    parseRequests++;
    if (typeof text === 'string') return parser.tokenize(TextDocument.create(uri, 'markdown', -1, text));
    const document = open.get(uri);
    if (document) return parser.tokenize(document);
    try {
      return parser.tokenize(TextDocument.create(uri, 'markdown', 0, await fsp.readFile(fileURLToPath(uri), 'utf8')));
    } catch {
      return [];
    }
  };
  connection.onRequest('markdown/parse', (params: { uri: string; text?: string }) => paced(() => tokensOf(params.uri, params.text)));
  connection.onRequest('markdown/fs/readFile', (params: { uri: string }) =>
    paced(async () => {
      readFileRequests++;
      return Array.from(await fsp.readFile(fileURLToPath(params.uri)));
    }),
  );
  connection.onRequest('markdown/fs/stat', async (params: { uri: string }) => {
    try {
      return { isDirectory: (await fsp.stat(fileURLToPath(params.uri))).isDirectory() };
    } catch {
      return undefined;
    }
  });
  connection.onRequest('markdown/fs/readDirectory', async (params: { uri: string }) => {
    const entries = await fsp.readdir(fileURLToPath(params.uri), { withFileTypes: true });
    return entries.map((entry) => [entry.name, { isDirectory: entry.isDirectory() }]);
  });
  connection.onRequest('markdown/findMarkdownFilesInWorkspace', async () => (await findMarkdownFiles(ws.dir)).map((file) => pathToFileURL(file).href));
  connection.onRequest('markdown/fs/watcher/create', () => null);
  connection.onRequest('markdown/fs/watcher/delete', () => null);
  connection.onRequest('client/registerCapability', () => null);
  connection.onRequest('window/workDoneProgress/create', () => null);
  connection.onRequest('workspace/configuration', (params: { items: unknown[] }) => params.items.map(() => null));
  connection.onRequest('workspace/workspaceFolders', () => [{ uri: pathToFileURL(ws.dir).href, name: path.basename(ws.dir) }]);
  connection.onRequest('workspace/diagnostic/refresh', () => null);
  connection.onNotification('window/logMessage', () => undefined);
  connection.listen();

  // Declared before the session, so that a server that fails halfway still leaves what was measured.
  let initMs = NaN;
  let symbols = 0;
  let rssIndexedMb = NaN;
  let edits: SessionEdit[] = [];
  const editMs: number[] = [];
  const linkEditMs: number[] = [];
  const documentSymbolsMs: number[] = [];
  const hoverMs: number[] = [];
  const rssSeries: [number, number][] = [];
  let rssAfterSessionMb = NaN;
  const completionMs: number[] = [];
  let completionItems = 0;
  const referencesMs: number[] = [];
  const renameMs: number[] = [];
  let references = 0;
  let renameEdits = 0;
  let peakRssMb = 0;
  const peakPoll = setInterval(() => {
    peakRssMb = Math.max(peakRssMb, memoryOf(server.pid).peakMb || 0);
  }, 1000);
  const figures = (): PeerServedFigures => ({
    initMs,
    symbols,
    parseRequests,
    readFileRequests,
    rssIndexedMb,
    editMs,
    linkEditMs,
    documentSymbolsMs,
    hoverMs,
    completionMs,
    completionItems,
    referencesMs,
    references,
    renameMs,
    renameEdits,
    rssSeries,
    rssAfterSessionMb,
    peakRssMb: Math.max(peakRssMb, memoryOf(server.pid).peakMb || 0),
    edits: editMs.length,
  });

  const rootUri = pathToFileURL(ws.dir).href;
  const waitMs = Math.max(120_000, ws.prds * 20);
  try {
    await connection.sendRequest('initialize', {
      processId: process.pid,
      clientInfo: { name: 'Throughline bench (as Visual Studio Code)' },
      rootUri,
      workspaceFolders: [{ uri: rootUri, name: path.basename(ws.dir) }],
      initializationOptions: { markdownFileExtensions: MARKDOWN_FILE_EXTENSIONS },
      capabilities: {
        workspace: {
          configuration: true,
          workspaceFolders: true,
          didChangeWatchedFiles: { dynamicRegistration: true },
          didChangeConfiguration: { dynamicRegistration: true },
          diagnostics: { refreshSupport: true },
          symbol: { dynamicRegistration: true },
        },
        textDocument: {
          synchronization: { didSave: true, dynamicRegistration: true },
          diagnostic: { dynamicRegistration: true, relatedDocumentSupport: false },
          documentSymbol: { hierarchicalDocumentSymbolSupport: true },
          completion: { completionItem: { snippetSupport: true } },
          hover: { contentFormat: ['markdown', 'plaintext'] },
          rename: { prepareSupport: true },
        },
        window: { workDoneProgress: true },
      },
    });
    await connection.sendNotification('initialized', {});
    await connection.sendNotification('workspace/didChangeConfiguration', { settings: MARKDOWN_SETTINGS });
    const answer = await withTimeout(connection.sendRequest<unknown[]>('workspace/symbol', { query: '' }), waitMs * 5, 'the peer’s workspace symbols');
    initMs = performance.now() - server.spawnedAt;
    symbols = answer.length;
    if (symbols !== ws.headings) throw new Error(`the peer server found ${symbols} workspace symbols, the generator wrote ${ws.headings} headings`);
    rssIndexedMb = memoryOf(server.pid).rssMb;
    opts.log(`peer server: workspace symbols (${symbols}) after ${initMs.toFixed(0)} ms, ${readFileRequests} files read, ${rssIndexedMb.toFixed(0)} MB`);

    const uri = pathToFileURL(ws.editablePrd).href;
    const lines = readFileSync(ws.editablePrd, 'utf8').split('\n');
    let version = 1;
    let document = TextDocument.create(uri, 'markdown', version, lines.join('\n'));
    open.set(uri, document);
    await connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'markdown', version, text: document.getText() } });
    edits = sessionEdits(lines, ws.editablePrdTracesLine, ws.editablePrdProseLine, opts.cycles, ws.outcomes);
    for (const edit of edits) {
      const change = changeFor(edit, lines[edit.line]!);
      version++;
      document = TextDocument.update(document, [change], version);
      open.set(uri, document);
      const sent = performance.now();
      await connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [change] });
      await withTimeout(connection.sendRequest('textDocument/diagnostic', { textDocument: { uri } }), waitMs, `the peer’s diagnostics of edit ${edit.index}`);
      const ms = performance.now() - sent;
      lines[edit.line] = edit.text;
      editMs.push(ms);
      if (edit.kind === 'link') {
        linkEditMs.push(ms);
        documentSymbolsMs.push((await timed(() => connection.sendRequest('textDocument/documentSymbol', { textDocument: { uri } }))).ms);
      }
      if (edit.hoverAt) hoverMs.push((await timed(() => connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: edit.hoverAt }))).ms);
      if (edit.index % EDITS_PER_CYCLE === 0) rssSeries.push([edit.index, memoryOf(server.pid).rssMb]);
      if (edit.index % 100 === 0) opts.log(`peer server: edit ${edit.index}/${edits.length}, ${rssSeries.at(-1)?.[1].toFixed(0)} MB`);
    }
    rssAfterSessionMb = memoryOf(server.pid).rssMb;

    // Workspace header completion: `See [the outcome](##` on a new line after the Traces line.
    const prefix = 'See [the outcome](##';
    const insertAt = { line: ws.editablePrdTracesLine + 1, character: 0 };
    const insert = { range: { start: insertAt, end: insertAt }, text: `${prefix}\n` };
    version++;
    document = TextDocument.update(document, [insert], version);
    open.set(uri, document);
    await connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [insert] });
    for (let run = 0; run <= opts.completionRuns; run++) {
      const completion = await timed(() =>
        connection.sendRequest<{ items: unknown[] } | unknown[] | null>('textDocument/completion', {
          textDocument: { uri },
          position: { line: insertAt.line, character: prefix.length },
          context: { triggerKind: 2, triggerCharacter: '#' },
        }),
      );
      if (run > 0) completionMs.push(completion.ms); // the first builds the peer's caches
      const result = completion.result;
      completionItems = Array.isArray(result) ? result.length : (result?.items.length ?? 0);
    }

    // References and rename of the heading that defines OUT-1.
    const definition = ws.popularOutcomeDefinition;
    const strategyUri = pathToFileURL(definition.file).href;
    const strategyText = readFileSync(definition.file, 'utf8');
    open.set(strategyUri, TextDocument.create(strategyUri, 'markdown', 1, strategyText));
    await connection.sendNotification('textDocument/didOpen', { textDocument: { uri: strategyUri, languageId: 'markdown', version: 1, text: strategyText } });
    for (let run = 0; run < 5; run++) {
      // The rename provider caches per position: move within the heading each run.
      const position = { line: definition.line, character: definition.character + 1 + run };
      const refs = await timed(() =>
        connection.sendRequest<unknown[] | null>('textDocument/references', {
          textDocument: { uri: strategyUri },
          position,
          context: { includeDeclaration: true },
        }),
      );
      referencesMs.push(refs.ms);
      references = refs.result?.length ?? 0;
      const rename = await timed(() =>
        connection.sendRequest<{ changes?: Record<string, unknown[]>; documentChanges?: { edits?: unknown[] }[] } | null>('textDocument/rename', {
          textDocument: { uri: strategyUri },
          position,
          newName: 'Renamed outcome',
        }),
      );
      renameMs.push(rename.ms);
      renameEdits =
        Object.values(rename.result?.changes ?? {}).reduce((sum, list) => sum + list.length, 0) +
        (rename.result?.documentChanges ?? []).reduce((sum, change) => sum + (change.edits?.length ?? 0), 0);
    }
    return figures();
  } catch (error) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    throw new PeerSessionError(explain(server, error), figures());
  } finally {
    clearInterval(peakPoll);
    server.dispose();
  }
}

/** A peer session that failed halfway (a server out of memory), with what was measured until then. */
export class PeerSessionError extends Error {
  constructor(
    message: string,
    readonly partial: PeerServedFigures,
  ) {
    super(message);
  }
}
