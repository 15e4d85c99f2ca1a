/**
 * The served product, as a client waits for it: the real language server process over stdio
 * (dist/server.js), driven like an editor. Optionally the same session against another build
 * (`--against DIR`, a folder holding an older dist/server.js), side by side in one run: the two
 * servers take turns, run by run, so a drift of the machine's speed hits both.
 *
 *   node --import tsx bench/served.ts [--prds 10000] [--runs 3] [--edits 20] [--build /path/to/checkout] [--against /path/to/old/checkout]
 *
 * Per run: initialize → every diagnostic published (the first `throughline/alignmentChanged`
 * comes right after the last of them), then `--edits` edits of a `Traces:` line in a PRD, each
 * followed by its diagnostics, the alignment tree's first two levels, completion after
 * `Traces: OUT-` and hover on an ID, all timed at the client (JSON included). Resident memory is
 * read from /proc after indexing and at the end.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { createMessageConnection, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';
import { DEFAULT_SEED, defaultWorkspaceDir, generateWorkspace, projectRoot } from './generate.ts';
import { serverOutputReader } from './lsp.ts';

interface Args {
  prds: number;
  runs: number;
  edits: number;
  /** The checkout whose dist/server.js is measured (default: this one). */
  build: string;
  against?: string;
}

function parseArgs(argv: readonly string[]): Args {
  const args: Args = { prds: 10000, runs: 3, edits: 20, build: projectRoot };
  for (let index = 0; index < argv.length; index++) {
    const value = () => {
      const next = argv[++index];
      if (next === undefined) throw new Error(`${argv[index - 1]} needs a value`);
      return next;
    };
    switch (argv[index]) {
      case '--prds':
        args.prds = Number(value());
        break;
      case '--runs':
        args.runs = Math.max(1, Number(value()));
        break;
      case '--edits':
        args.edits = Math.max(1, Number(value()));
        break;
      case '--build':
        args.build = path.resolve(value());
        break;
      case '--against':
        args.against = path.resolve(value());
        break;
      default:
        throw new Error(`unknown option ${argv[index]}`);
    }
  }
  return args;
}

interface RunFigures {
  indexedMs: number;
  editP50Ms: number;
  editP95Ms: number;
  treeP50Ms: number;
  treeP95Ms: number;
  completionP95Ms: number;
  hoverP95Ms: number;
  rssIndexedMb: number;
  rssEndMb: number;
}

const percentile = (values: readonly number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
};
const median = (values: readonly number[]) => percentile(values, 50);

function residentMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN);
  return kb / 1024;
}

/** One editing session against the server at `serverPath`. */
async function session(serverPath: string, workspaceDir: string, edits: number): Promise<RunFigures> {
  const child = spawn(process.execPath, [serverPath, '--stdio'], {
    stdio: ['pipe', 'pipe', 'ignore'],
    env: { ...process.env, THROUGHLINE_TODAY: '2026-11-22', THROUGHLINE_PARANOID: '0' },
  });
  const connection: MessageConnection = createMessageConnection(serverOutputReader(child.stdout), new StreamMessageWriter(child.stdin));
  const published = new Map<string, (() => void)[]>();
  let alignmentChanged: (() => void) | undefined;
  connection.onNotification('textDocument/publishDiagnostics', (params: { uri: string }) => {
    const waiting = published.get(params.uri);
    published.delete(params.uri);
    for (const resolve of waiting ?? []) resolve();
  });
  connection.onNotification('throughline/alignmentChanged', () => alignmentChanged?.());
  connection.onRequest('client/registerCapability', () => null);
  connection.onRequest('workspace/configuration', (params: { items: unknown[] }) => params.items.map(() => null));
  connection.listen();
  const nextPublish = (uri: string) => new Promise<void>((resolve) => published.set(uri, [...(published.get(uri) ?? []), resolve]));
  try {
    const root = pathToFileURL(workspaceDir).href;
    const started = performance.now();
    const indexed = new Promise<void>((resolve) => (alignmentChanged = resolve));
    await connection.sendRequest('initialize', {
      processId: process.pid,
      rootUri: root,
      workspaceFolders: [{ uri: root, name: 'bench' }],
      capabilities: {
        workspace: { configuration: true, didChangeWatchedFiles: { dynamicRegistration: true }, didChangeConfiguration: { dynamicRegistration: true } },
        textDocument: { publishDiagnostics: { versionSupport: true } },
      },
    });
    await connection.sendNotification('initialized', {});
    await indexed;
    const indexedMs = performance.now() - started;
    alignmentChanged = undefined;
    const rssIndexedMb = residentMb(child.pid!);

    const prd = path.join(workspaceDir, 'prds', 'prd-00001.md');
    const uri = pathToFileURL(prd).href;
    const text = readFileSync(prd, 'utf8');
    const lines = text.split('\n');
    const traceLine = lines.findIndex((line) => line.startsWith('Traces: '));
    if (traceLine < 0) throw new Error(`no Traces: line in ${prd}`);
    await connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'markdown', version: 1, text } });
    const editTimes: number[] = [];
    const treeTimes: number[] = [];
    const completionTimes: number[] = [];
    const hoverTimes: number[] = [];
    let current = lines[traceLine]!;
    for (let edit = 0; edit < edits; edit++) {
      // Alternates a dangling trace and a real one, so each edit changes the diagnostics.
      const next = edit % 2 === 0 ? 'Traces: OUT-99999' : 'Traces: OUT-1';
      const changed = nextPublish(uri);
      const sent = performance.now();
      await connection.sendNotification('textDocument/didChange', {
        textDocument: { uri, version: edit + 2 },
        contentChanges: [{ range: { start: { line: traceLine, character: 0 }, end: { line: traceLine, character: current.length } }, text: next }],
      });
      await changed;
      editTimes.push(performance.now() - sent);
      current = next;
      let at = performance.now();
      await connection.sendRequest('throughline/alignmentTree', { depth: 2 });
      treeTimes.push(performance.now() - at);
      at = performance.now();
      await connection.sendRequest('textDocument/completion', { textDocument: { uri }, position: { line: traceLine, character: 'Traces: OUT-'.length } });
      completionTimes.push(performance.now() - at);
      at = performance.now();
      await connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: traceLine, character: 'Traces: OUT'.length } });
      hoverTimes.push(performance.now() - at);
    }
    return {
      indexedMs,
      editP50Ms: median(editTimes),
      editP95Ms: percentile(editTimes, 95),
      treeP50Ms: median(treeTimes),
      treeP95Ms: percentile(treeTimes, 95),
      completionP95Ms: percentile(completionTimes, 95),
      hoverP95Ms: percentile(hoverTimes, 95),
      rssIndexedMb,
      rssEndMb: residentMb(child.pid!),
    };
  } finally {
    connection.dispose();
    child.kill('SIGKILL');
  }
}

const ROWS: readonly [keyof RunFigures, string][] = [
  ['indexedMs', 'initialize → all diagnostics published (ms)'],
  ['editP50Ms', 'edit → its diagnostics, median (ms)'],
  ['editP95Ms', 'edit → its diagnostics, p95 (ms)'],
  ['treeP50Ms', 'alignment tree, 2 levels, after an edit, median (ms)'],
  ['treeP95Ms', 'alignment tree, 2 levels, after an edit, p95 (ms)'],
  ['completionP95Ms', 'completion after `Traces: OUT-`, p95 (ms)'],
  ['hoverP95Ms', 'hover, p95 (ms)'],
  ['rssIndexedMb', 'server resident memory after indexing (MB)'],
  ['rssEndMb', 'server resident memory after the edits (MB)'],
];

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const dir = defaultWorkspaceDir(args.prds, DEFAULT_SEED);
  await generateWorkspace(dir, { prds: args.prds, seed: DEFAULT_SEED });
  const servers: [string, string][] = [[args.build === projectRoot ? 'this build' : `build at ${args.build}`, path.join(args.build, 'dist', 'server.js')]];
  if (args.against) servers.push([`build at ${args.against}`, path.join(args.against, 'dist', 'server.js')]);
  const results = new Map<string, RunFigures[]>(servers.map(([name]) => [name, []]));
  for (let run = 0; run < args.runs; run++) {
    // Turns alternate which build goes first.
    const order = run % 2 === 0 ? servers : [...servers].reverse();
    for (const [name, serverPath] of order) {
      results.get(name)!.push(await session(serverPath, dir, args.edits));
      process.stdout.write(`  run ${run + 1}/${args.runs}: ${name} done\n`);
    }
  }
  const medianOf = (name: string, key: keyof RunFigures) => median(results.get(name)!.map((figures) => figures[key]));
  const header = ['what a user waits for', ...servers.map(([name]) => name), ...(servers.length === 2 ? ['ratio'] : [])];
  process.stdout.write(`\nServed, ${args.prds.toLocaleString('en')} PRDs, median of ${args.runs} runs of ${args.edits} edits, node ${process.version}\n\n`);
  process.stdout.write(`| ${header.join(' | ')} |\n|${header.map(() => '---').join('|')}|\n`);
  for (const [key, label] of ROWS) {
    const values = servers.map(([name]) => medianOf(name, key));
    const cells = [label, ...values.map((value) => value.toFixed(key.startsWith('rss') ? 0 : 1))];
    if (values.length === 2) cells.push(`${(values[0]! / values[1]!).toFixed(2)}×`);
    process.stdout.write(`| ${cells.join(' | ')} |\n`);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`served bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
