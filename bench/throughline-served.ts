/**
 * Throughline's real server process (`node dist/server.js --stdio`) driven as VS Code's client
 * drives it, through the LSP and the custom requests of common/protocol.ts only:
 *
 * - initialize → every diagnostic published: the server sends `throughline/alignmentChanged`
 *   right after the last of them (from the spawn, so the process start counts);
 * - the client's views after each `throughline/alignmentChanged` (client/src/extension.ts): the
 *   tree's first two levels with the portfolio (alignmentTree.ts `load`), then the slice
 *   `{ key, depth: 2 }` of every node VS Code shows expanded (the strategies: `collapsibleState`),
 *   the coverage (status bar) and, with the report panel open, `throughline/report` with the
 *   webview's theme (reportPanel.ts). The client's 300 ms debounce is not waited for;
 * - the session of bench/session.ts, each edit timed to its own `publishDiagnostics`
 *   (versionSupport: the version sent with the edit), completion after `Traces: OUT-`, hover on
 *   the ID after the link edit;
 * - references and rename of the outcome with 1,000 references, from its definition in the opened
 *   strategy document;
 * - resident memory (VmRSS) after indexing, after every cycle of the session, and at its end.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { GeneratedWorkspace } from './types.ts';
import { SERVER_ENVIRONMENT } from '../common/serverEnvironment.ts';
import { answerClientRequests, explain, memoryOf, spawnServer, timed, withTimeout } from './lsp.ts';
import { changeFor, EDITS_PER_CYCLE, sessionEdits, type SessionEdit } from './session.ts';

export interface ServedOptions {
  /** dist/server.js of the build measured. */
  serverPath: string;
  /** Cycles of ten edits (50 → 500 edits). */
  cycles: number;
  /**
   * Refresh the client's views (tree, portfolio, slices, coverage, report) after every n-th link
   * edit (1: after each, as the VS Code client with the report panel open does).
   */
  refreshEvery: number;
  log: (line: string) => void;
}

interface TreeNode {
  key: string;
  kind: string;
  childCount: number;
  children: TreeNode[];
}

export interface ThroughlineServedFigures {
  initMs: number;
  publishedAtInit: number;
  rssIndexedMb: number;
  /** The client's first refresh after indexing, and the report opened. */
  firstRefreshMs: number;
  reportOpenMs: number;
  reportBytes: number;
  editMs: number[];
  linkEditMs: number[];
  completionMs: number[];
  completionItems: number;
  hoverMs: number[];
  /** From the alignmentChanged after a link edit: tree roots (depth 2), sent with the portfolio. */
  treeRootsMs: number[];
  /** The first `{ key, depth: 2 }` slice after a link edit (a strategy's). */
  treeSliceMs: number[];
  /** Every slice of a refresh (one per expanded node). */
  allSlicesMs: number[];
  slicesPerRefresh: number;
  /** roots + portfolio, then every expanded node's slice: what the tree view waits for. */
  treeRefreshMs: number[];
  coverageMs: number[];
  reportMs: number[];
  /** Link edit sent → alignmentChanged received (the server's debounce included). */
  alignmentChangedMs: number[];
  alignmentNotifications: number;
  referencesMs: number[];
  references: number;
  renameMs: number[];
  renameEdits: number;
  /** RSS after each cycle: [edit number, MB]. */
  rssSeries: [number, number][];
  rssAfterSessionMb: number;
  peakRssMb: number;
  edits: number;
}

type PublishWaiter = { version: number; resolve: () => void };

export async function throughlineServed(ws: GeneratedWorkspace, opts: ServedOptions): Promise<ThroughlineServedFigures> {
  const server = spawnServer([opts.serverPath, '--stdio'], { ...SERVER_ENVIRONMENT, THROUGHLINE_TODAY: '2026-11-22', THROUGHLINE_PARANOID: '0' });
  const { connection } = server;
  const waiters = new Map<string, PublishWaiter[]>();
  let published = 0;
  let alignmentNotifications = 0;
  let alignmentWaiter: (() => void) | undefined;
  connection.onNotification('textDocument/publishDiagnostics', (params: { uri: string; version?: number }) => {
    published++;
    const list = waiters.get(params.uri);
    if (!list) return;
    const remaining = list.filter((waiter) => {
      if (params.version === undefined || params.version >= waiter.version) {
        waiter.resolve();
        return false;
      }
      return true;
    });
    if (remaining.length) waiters.set(params.uri, remaining);
    else waiters.delete(params.uri);
  });
  connection.onNotification('throughline/alignmentChanged', () => {
    alignmentNotifications++;
    const resolve = alignmentWaiter;
    alignmentWaiter = undefined;
    resolve?.();
  });
  answerClientRequests(connection);
  connection.listen();
  const nextPublish = (uri: string, version: number) => new Promise<void>((resolve) => waiters.set(uri, [...(waiters.get(uri) ?? []), { version, resolve }]));
  const nextAlignmentChanged = () => new Promise<void>((resolve) => (alignmentWaiter = resolve));

  // Declared before the session, so that a server that fails halfway still leaves what was measured.
  let initMs = NaN;
  let publishedAtInit = 0;
  let rssIndexedMb = NaN;
  let firstRefreshMs = NaN;
  let reportOpenMs = NaN;
  let reportBytes = 0;
  const treeRootsMs: number[] = [];
  const treeSliceMs: number[] = [];
  const allSlicesMs: number[] = [];
  const treeRefreshMs: number[] = [];
  const coverageMs: number[] = [];
  const reportMs: number[] = [];
  let slicesPerRefresh = 0;
  let edits: SessionEdit[] = [];
  const editMs: number[] = [];
  const linkEditMs: number[] = [];
  const completionMs: number[] = [];
  const hoverMs: number[] = [];
  const alignmentChangedMs: number[] = [];
  const rssSeries: [number, number][] = [];
  let completionItems = 0;
  const referencesMs: number[] = [];
  const renameMs: number[] = [];
  let references = 0;
  let renameEdits = 0;
  let rssAfterSessionMb = NaN;
  let peakRssMb = 0;
  // The peak is read while the server lives: after a crash /proc has nothing.
  const peakPoll = setInterval(() => {
    peakRssMb = Math.max(peakRssMb, memoryOf(server.pid).peakMb || 0);
  }, 1000);
  const figures = (): ThroughlineServedFigures => ({
    initMs,
    publishedAtInit,
    rssIndexedMb,
    firstRefreshMs,
    reportOpenMs,
    reportBytes,
    editMs,
    linkEditMs,
    completionMs,
    completionItems,
    hoverMs,
    treeRootsMs,
    treeSliceMs,
    allSlicesMs,
    slicesPerRefresh,
    treeRefreshMs,
    coverageMs,
    reportMs,
    alignmentChangedMs,
    alignmentNotifications,
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
  const waitMs = Math.max(60_000, ws.prds * 3);
  try {
    const indexed = nextAlignmentChanged();
    await connection.sendRequest('initialize', {
      processId: process.pid,
      clientInfo: { name: 'Throughline bench (as Visual Studio Code)' },
      rootUri,
      workspaceFolders: [{ uri: rootUri, name: path.basename(ws.dir) }],
      initializationOptions: { settings: {} },
      capabilities: {
        workspace: {
          configuration: true,
          workspaceFolders: true,
          didChangeWatchedFiles: { dynamicRegistration: true },
          didChangeConfiguration: { dynamicRegistration: true },
        },
        textDocument: {
          publishDiagnostics: { versionSupport: true, relatedInformation: true },
          synchronization: { didSave: true, dynamicRegistration: true },
          completion: { completionItem: { snippetSupport: true, documentationFormat: ['markdown', 'plaintext'] } },
          hover: { contentFormat: ['markdown', 'plaintext'] },
          rename: { prepareSupport: true },
        },
        window: { workDoneProgress: true },
      },
    });
    await connection.sendNotification('initialized', {});
    await withTimeout(Promise.race([indexed, server.untilExit]), waitMs * 5, 'the first throughline/alignmentChanged');
    initMs = performance.now() - server.spawnedAt;
    publishedAtInit = published;
    rssIndexedMb = memoryOf(server.pid).rssMb;
    opts.log(`Throughline server: indexed and published ${publishedAtInit} documents' diagnostics in ${initMs.toFixed(0)} ms, ${rssIndexedMb.toFixed(0)} MB`);

    const report = async () => {
      const nonce = 'benchNonce0123456789';
      const answer = await timed(() =>
        connection.sendRequest<{ html: string }>('throughline/report', { theme: 'vscode', nonce, cspSource: 'vscode-webview://bench', uri: rootUri }),
      );
      if (!answer.result?.html?.includes(nonce)) throw new Error('throughline/report sent no report for the panel');
      reportBytes = answer.result.html.length;
      return answer.ms;
    };
    /** What the VS Code client asks after alignmentChanged: tree + portfolio, expanded slices, coverage (+ report). */
    const refresh = async (withReport: boolean) => {
      const started = performance.now();
      const rootsPromise = timed(() => connection.sendRequest<{ roots: TreeNode[] }>('throughline/alignmentTree', { depth: 2 }));
      const portfolio = connection.sendRequest('throughline/portfolio', {});
      const [roots] = await Promise.all([rootsPromise, portfolio]);
      treeRootsMs.push(roots.ms);
      // Expanded in VS Code: a vision at the root, and the strategies at the root or under a root vision.
      const expanded: TreeNode[] = [];
      for (const root of roots.result.roots) {
        if (root.kind === 'strategy') expanded.push(root);
        if (root.kind === 'vision') for (const child of root.children) if (child.kind === 'strategy') expanded.push(child);
      }
      slicesPerRefresh = expanded.length;
      let first = true;
      for (const node of expanded) {
        if (node.children.length >= node.childCount) continue;
        const slice = await timed(() => connection.sendRequest('throughline/alignmentTree', { key: node.key, depth: 2 }));
        allSlicesMs.push(slice.ms);
        if (first) treeSliceMs.push(slice.ms);
        first = false;
      }
      treeRefreshMs.push(performance.now() - started);
      // As VS Code's client asks for its status bar (client/src/extension.ts): the counts only.
      coverageMs.push((await timed(() => connection.sendRequest('throughline/coverage', { progress: false }))).ms);
      if (withReport) reportMs.push(await report());
    };
    let at = performance.now();
    await refresh(false);
    firstRefreshMs = performance.now() - at;
    // Clear the samples of the start: the rows are about refreshes after edits.
    treeRootsMs.length = treeSliceMs.length = allSlicesMs.length = treeRefreshMs.length = coverageMs.length = 0;
    reportOpenMs = await report();
    opts.log(`Throughline server: first refresh ${firstRefreshMs.toFixed(0)} ms (${slicesPerRefresh} slices), report opened in ${reportOpenMs.toFixed(0)} ms`);

    // The session.
    const uri = pathToFileURL(ws.editablePrd).href;
    const lines = readFileSync(ws.editablePrd, 'utf8').split('\n');
    await connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'markdown', version: 1, text: lines.join('\n') } });
    edits = sessionEdits(lines, ws.editablePrdTracesLine, ws.editablePrdProseLine, opts.cycles, ws.outcomes);
    let version = 1;
    let links = 0;
    for (const edit of edits) {
      const current = lines[edit.line]!;
      version++;
      const diagnostics = nextPublish(uri, version);
      const changed = edit.kind === 'link' ? nextAlignmentChanged() : undefined;
      const sent = performance.now();
      await connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [changeFor(edit, current)] });
      lines[edit.line] = edit.text;
      await withTimeout(Promise.race([diagnostics, server.untilExit]), waitMs, `the diagnostics of edit ${edit.index}`);
      const ms = performance.now() - sent;
      editMs.push(ms);
      if (edit.kind === 'link') linkEditMs.push(ms);
      if (edit.completionAt) {
        const completion = await timed(() =>
          connection.sendRequest<{ items: unknown[] } | unknown[] | null>('textDocument/completion', {
            textDocument: { uri },
            position: edit.completionAt,
            context: { triggerKind: 1 },
          }),
        );
        completionMs.push(completion.ms);
        const result = completion.result;
        completionItems = Array.isArray(result) ? result.length : (result?.items.length ?? 0);
        if (completionItems === 0) throw new Error('completion after `Traces: OUT-` returned nothing: the benchmark would time a no-op');
      }
      if (edit.hoverAt) hoverMs.push((await timed(() => connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: edit.hoverAt }))).ms);
      if (changed) {
        await withTimeout(Promise.race([changed, server.untilExit]), waitMs, `throughline/alignmentChanged after edit ${edit.index}`);
        alignmentChangedMs.push(performance.now() - sent);
        if (links++ % opts.refreshEvery === 0) await refresh(true);
      }
      if (edit.index % EDITS_PER_CYCLE === 0) rssSeries.push([edit.index, memoryOf(server.pid).rssMb]);
      if (edit.index % 100 === 0) opts.log(`Throughline server: edit ${edit.index}/${edits.length}, ${rssSeries.at(-1)?.[1].toFixed(0)} MB`);
    }
    rssAfterSessionMb = memoryOf(server.pid).rssMb;

    // References and rename of the outcome with 1,000 references, from its definition.
    const definition = ws.popularOutcomeDefinition;
    const strategyUri = pathToFileURL(definition.file).href;
    await connection.sendNotification('textDocument/didOpen', {
      textDocument: { uri: strategyUri, languageId: 'markdown', version: 1, text: readFileSync(definition.file, 'utf8') },
    });
    const position = { line: definition.line, character: definition.character + 1 };
    for (let run = 0; run < 5; run++) {
      const refs = await timed(() =>
        connection.sendRequest<unknown[] | null>('textDocument/references', {
          textDocument: { uri: strategyUri },
          position,
          context: { includeDeclaration: true },
        }),
      );
      referencesMs.push(refs.ms);
      references = refs.result?.length ?? 0;
      await connection.sendRequest('textDocument/prepareRename', { textDocument: { uri: strategyUri }, position });
      const rename = await timed(() =>
        connection.sendRequest<{ changes?: Record<string, unknown[]>; documentChanges?: { edits?: unknown[] }[] } | null>('textDocument/rename', {
          textDocument: { uri: strategyUri },
          position,
          newName: 'OUT-RENAMED',
        }),
      );
      renameMs.push(rename.ms);
      renameEdits =
        Object.values(rename.result?.changes ?? {}).reduce((sum, list) => sum + list.length, 0) +
        (rename.result?.documentChanges ?? []).reduce((sum, change) => sum + (change.edits?.length ?? 0), 0);
    }
    if (references < ws.popularOutcomeReferences) throw new Error(`references found ${references}, expected at least ${ws.popularOutcomeReferences}`);
    if (renameEdits < ws.popularOutcomeReferences + 1)
      throw new Error(`rename made ${renameEdits} edits, expected at least ${ws.popularOutcomeReferences + 1}`);
    at = performance.now();
    return figures();
  } catch (error) {
    // Let the exit of a crashed server arrive before saying why the session ended.
    await new Promise((resolve) => setTimeout(resolve, 200));
    throw new ServedSessionError(explain(server, error), figures());
  } finally {
    clearInterval(peakPoll);
    server.dispose();
  }
}

/** A session that failed halfway (a server out of memory), with what was measured until then. */
export class ServedSessionError extends Error {
  constructor(
    message: string,
    readonly partial: ThroughlineServedFigures,
  ) {
    super(message);
  }
}
