/**
 * `npm run bench` → node --import tsx bench/run.ts [options]
 *
 * The served product, side by side with the peer, per workspace size (generated once and cached
 * under .cache/bench/ by bench/generate.ts, with an outcome of exactly 1,000 references):
 *
 * 1. Throughline's real server process (`node dist/server.js --stdio`) driven over stdio as VS
 *    Code's client drives it (bench/throughline-served.ts);
 * 2. the peer's real server process, Microsoft's Markdown language server
 *    (`vscode-markdown-languageserver`, the one VS Code runs), through the same session, this
 *    harness answering its `markdown/*` requests as VS Code's client does (bench/peer-served.ts);
 * 3. `node bin/throughline.js check <folder>` as a whole process against the peer as a whole
 *    process (bench/peer-process.ts, bundled: workspace symbols over every file), alternating,
 *    wall time and peak resident size.
 *
 * Every figure is timed at the client, JSON included. It prints a table per size and the growth
 * table, writes bench/results.json, then README.md's performance section (scripts/perf-table.ts).
 *
 * Options:
 *   --sizes 1000,10000,100000  PRD counts (multiples of 20)
 *   --cycles N                 session cycles of 10 edits (default 50: 500 edits)
 *   --refresh-every N          refresh the client's views (tree, portfolio, slices, coverage, report) after every N-th
 *                              link edit (default 1, as the VS Code client with the report panel open; 5 from 100,000
 *                              PRDs, where one refresh takes tens of seconds)
 *   --merge                    keep the sizes of the existing bench/results.json that this run does not measure
 *   --check-runs N             whole-process runs of each side (default 3; 1 from 100,000 PRDs)
 *   --refs N                   references of the renamed outcome (default 1000)
 *   --build DIR                measure DIR/dist/server.js and DIR/bin/throughline.js (another checkout)
 *   --no-peer                  Throughline only
 *   --in-process               also the in-process rows that explain served ones (bench/throughline-child.ts)
 *   --no-readme                do not rewrite README.md's performance section
 *   --no-history               skip the git history rows (bench/history.ts; measured up to 10,000 PRDs)
 *   --seed N                   generator seed
 *
 * Exit code 1 when a row with a bar FAILs or a measurement throws. For an A/B of two builds over
 * the protocol, see bench/served.ts --against.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { build } from 'esbuild';
import { growthTable, formatValue, writePerfSection, type BenchResults, type ResultRow, type SizeResult, type Status } from '../scripts/perf-table.ts';
import { DEFAULT_SEED, defaultWorkspaceDir, generateWorkspace, projectRoot } from './generate.ts';
import { median, percentile, runWholeProcess, type WholeProcessFigures } from './lsp.ts';
import { PEER_PACKAGE, PeerSessionError, peerServed, peerServerPath, peerServerVersion, type PeerServedFigures } from './peer-served.ts';
import { ServedSessionError, throughlineServed, type ThroughlineServedFigures } from './throughline-served.ts';
import { historyRepo, historyRows, measureHistory, type HistoryFigures } from './history.ts';
import type { GeneratedWorkspace, ThroughlineChildOutput } from './types.ts';
import { SERVER_ENVIRONMENT } from '../common/serverEnvironment.ts';

// Bars of issue 12, at 10,000 PRDs on this 2-core machine unless said otherwise.
export const BARS = {
  initMs: 2000,
  editP95Ms: 10,
  treeP95Ms: 30,
  completionP95Ms: 15,
  hoverP95Ms: 10,
  renameMs: 150,
  rssAfterSessionMb: 350,
  /** "No growth between the first and last hundred edits": the mean RSS of the last hundred may exceed the first's by this much at most. */
  rssGrowthMb: 16,
  checkRatio: 0.3,
  /** At 100,000 PRDs. */
  checkMs100k: 15000,
  rssMb100k: 1536,
} as const;

interface Args {
  sizes: number[];
  cycles: number;
  /** Default: 1 below 100,000 PRDs, 5 from there (a report of 100,000 PRDs takes tens of seconds). */
  refreshEvery?: number;
  checkRuns?: number;
  refs: number;
  build: string;
  peer: boolean;
  inProcess: boolean;
  readme: boolean;
  merge: boolean;
  seed: number;
  history: boolean;
}

function parseArgs(argv: readonly string[]): Args {
  const args: Args = {
    sizes: [1000, 10000, 100000],
    cycles: 50,
    refs: 1000,
    build: projectRoot,
    peer: true,
    inProcess: false,
    readme: true,
    merge: false,
    seed: DEFAULT_SEED,
    history: true,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const [flag, inline] = a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined) throw new Error(`${flag} needs a value`);
      return v;
    };
    const count = () => Math.max(1, Math.floor(Number(value())) || 1);
    switch (flag) {
      case '--sizes':
        args.sizes = value()
          .split(',')
          .map((s) => Number(s.replace(/[_\s]/g, '')))
          .filter((n) => n > 0);
        break;
      case '--quick':
        args.sizes = [1000];
        break;
      case '--cycles':
        args.cycles = count();
        break;
      case '--refresh-every':
        args.refreshEvery = count();
        break;
      case '--check-runs':
        args.checkRuns = count();
        break;
      case '--refs':
        args.refs = count();
        break;
      case '--build':
        args.build = path.resolve(value());
        break;
      case '--no-peer':
        args.peer = false;
        break;
      case '--in-process':
        args.inProcess = true;
        break;
      case '--no-readme':
        args.readme = false;
        break;
      case '--merge':
        args.merge = true;
        break;
      case '--no-history':
        args.history = false;
        break;
      case '--seed':
        args.seed = Number(value());
        break;
      case '--help':
      case '-h':
        process.stdout.write(
          'usage: node --import tsx bench/run.ts [--sizes 1000,10000,100000] [--cycles 50] [--refresh-every 1] [--check-runs 3] [--refs 1000] [--build DIR] [--no-peer] [--in-process] [--no-readme] [--seed N]\n',
        );
        process.exit(0);
        break;
      default:
        throw new Error(`unknown option ${a}`);
    }
  }
  if (args.sizes.length === 0) throw new Error('no sizes');
  return args;
}

function log(line: string): void {
  process.stdout.write(`  ${line}\n`);
}

const p95 = (values: readonly number[]) => percentile(values, 95);
const mean = (values: readonly number[]) => (values.length ? values.reduce((sum, value) => sum + value, 0) / values.length : NaN);
const ratioOf = (a: number | null, b: number | null): number | null =>
  a !== null && b !== null && Number.isFinite(a) && Number.isFinite(b) && b > 0 ? a / b : null;
const num = (value: number | undefined): number | null => (value === undefined || Number.isNaN(value) ? null : value);

/** Mean RSS of the samples taken within the first and within the last hundred edits. */
function rssWindows(series: readonly [number, number][], edits: number): { first: number; last: number } {
  const first = series.filter(([edit]) => edit <= 100).map(([, mb]) => mb);
  const last = series.filter(([edit]) => edit > edits - 100).map(([, mb]) => mb);
  return { first: mean(first), last: mean(last) };
}

// ---------------------------------------------------------------------------
// Whole processes

/**
 * Bundles bench/peer-process.ts (no tsx loader in the measured process) with the
 * vscode-markdown-languageservice that the peer server ships (0.5.0, nested under its package),
 * so that the whole-process peer runs the same service as the served one.
 */
async function bundlePeerProcess(): Promise<{ script: string; serviceVersion: string }> {
  const outfile = path.join(projectRoot, '.cache', 'bench', 'peer-process.cjs');
  mkdirSync(path.dirname(outfile), { recursive: true });
  const nested = path.join(projectRoot, 'node_modules', PEER_PACKAGE, 'node_modules', 'vscode-markdown-languageservice');
  const service = existsSync(nested) ? nested : path.join(projectRoot, 'node_modules', 'vscode-markdown-languageservice');
  await build({
    entryPoints: [path.join(projectRoot, 'bench', 'peer-process.ts')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    packages: 'external',
    alias: { 'vscode-markdown-languageservice': service },
    outfile,
    logLevel: 'warning',
  });
  const serviceVersion = (JSON.parse(readFileSync(path.join(service, 'package.json'), 'utf8')) as { version: string }).version;
  return { script: outfile, serviceVersion };
}

interface CheckFigures {
  throughline: WholeProcessFigures[];
  peer: WholeProcessFigures[];
  peerError?: string;
}

async function wholeProcesses(ws: GeneratedWorkspace, cli: string, peerScript: string | undefined, runs: number): Promise<CheckFigures> {
  const figures: CheckFigures = { throughline: [], peer: [] };
  for (let run = 0; run < runs; run++) {
    // Turns alternate which side goes first, so a drift of the machine's speed hits both.
    const sides = run % 2 === 0 ? (['throughline', 'peer'] as const) : (['peer', 'throughline'] as const);
    for (const side of sides) {
      if (side === 'throughline') {
        const result = await runWholeProcess([cli, 'check', ws.dir], { cwd: projectRoot, okCodes: [0, 1], env: { THROUGHLINE_TODAY: '2026-11-22' } });
        figures.throughline.push(result);
        log(`throughline check (run ${run + 1}/${runs}): ${result.wallMs.toFixed(0)} ms, peak ${result.peakRssMb.toFixed(0)} MB, exit ${result.exitCode}`);
      } else if (peerScript && !figures.peerError) {
        try {
          const result = await runWholeProcess([peerScript, ws.dir], { cwd: projectRoot });
          figures.peer.push(result);
          log(`peer process (run ${run + 1}/${runs}): ${result.wallMs.toFixed(0)} ms, peak ${result.peakRssMb.toFixed(0)} MB`);
        } catch (error) {
          figures.peerError = error instanceof Error ? error.message.slice(0, 300) : String(error);
          log(`peer process failed: ${figures.peerError}`);
        }
      }
    }
  }
  return figures;
}

async function throughlineInChild(dir: string): Promise<ThroughlineChildOutput> {
  const marker = 'THROUGHLINE_RESULT ';
  const child = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', path.join(projectRoot, 'bench', 'throughline-child.ts'), dir], {
    cwd: projectRoot,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', resolve);
  });
  const line = output.split('\n').find((text) => text.startsWith(marker));
  if (code !== 0 || !line) throw new Error(`throughline-child exited with ${code}`);
  return JSON.parse(line.slice(marker.length)) as ThroughlineChildOutput;
}

// ---------------------------------------------------------------------------
// Rows

function buildRows(
  ws: GeneratedWorkspace,
  t: ThroughlineServedFigures,
  p: PeerServedFigures | undefined,
  check: CheckFigures,
  inProcess: ThroughlineChildOutput | undefined,
  refreshEvery: number,
): ResultRow[] {
  const refreshWhen = refreshEvery === 1 ? 'after each link edit' : `after every ${refreshEvery}th link edit`;
  const at10k = ws.prds === 10000;
  const at100k = ws.prds >= 100000;
  const gate = (applies: boolean, ok: boolean | undefined): Status => (!applies || ok === undefined ? '' : ok ? 'PASS' : 'FAIL');
  const rows: ResultRow[] = [];
  const row = (r: Omit<ResultRow, 'ratio' | 'status'> & { ratio?: number | null; status?: Status }) => rows.push({ ratio: null, status: '', ...r });
  const below = (value: number | null, bar: number) => (value === null ? undefined : value < bar);

  const initT = num(t.initMs);
  const initP = num(p?.initMs);
  row({
    key: 'init',
    metric: 'initialize → all diagnostics published (from the spawn)',
    note: 'initialize → first answer to workspace symbols, every file read and parsed',
    unit: 'ms',
    throughline: initT,
    peer: initP,
    ratio: ratioOf(initT, initP),
    bar: at10k ? `< ${BARS.initMs.toLocaleString('en-US')} ms` : '',
    status: gate(at10k, below(initT, BARS.initMs)),
  });
  if (inProcess) {
    row({
      key: 'inProcessCold',
      metric: '  in process: cold index + every diagnostic (explains the row above: the rest is process start, protocol and JSON)',
      unit: 'ms',
      throughline: inProcess.figures.coldIndexAndDiagnosticsMs,
      peer: null,
      bar: '',
    });
  }
  const editP50 = num(median(t.editMs));
  const editP95 = num(p95(t.editMs));
  row({
    key: 'editP50',
    short: 'edit → its diagnostics, median',
    metric: `edit → its diagnostics, median of ${t.editMs.length}`,
    note: 'didChange → its diagnostic pull answered',
    unit: 'ms',
    throughline: editP50,
    peer: num(p && median(p.editMs)),
    ratio: ratioOf(editP50, num(p && median(p.editMs))),
    bar: '',
  });
  row({
    key: 'editP95',
    metric: 'edit → its diagnostics, p95',
    note: 'didChange → its diagnostic pull answered',
    unit: 'ms',
    throughline: editP95,
    peer: num(p && p95(p.editMs)),
    ratio: ratioOf(editP95, num(p && p95(p.editMs))),
    bar: at10k ? `< ${BARS.editP95Ms} ms` : '',
    status: gate(at10k, below(editP95, BARS.editP95Ms)),
  });
  if (inProcess) {
    row({
      key: 'inProcessEditP95',
      metric: '  in process: edit → diagnostics, p95 (explains the row above)',
      unit: 'ms',
      throughline: inProcess.figures.editP95Ms,
      peer: null,
      bar: '',
    });
  }
  row({
    key: 'linkEditP95',
    metric: '`Traces:` link edit → its diagnostics, p95',
    unit: 'ms',
    throughline: num(p95(t.linkEditMs)),
    peer: num(p && p95(p.linkEditMs)),
    ratio: ratioOf(num(p95(t.linkEditMs)), num(p && p95(p.linkEditMs))),
    bar: '',
  });
  const rootsP95 = num(p95(t.treeRootsMs));
  const sliceP95 = num(p95(t.treeSliceMs));
  row({
    key: 'treeRootsP95',
    metric: 'tree, first two levels (`depth: 2`, with the portfolio), after a link edit, p95',
    unit: 'ms',
    throughline: rootsP95,
    peer: null,
    bar: at10k ? `< ${BARS.treeP95Ms} ms` : '',
    status: gate(at10k, below(rootsP95, BARS.treeP95Ms)),
  });
  row({
    key: 'treeSliceP95',
    metric: 'tree slice (`key` of a strategy, `depth: 2`) after a link edit, p95',
    unit: 'ms',
    throughline: sliceP95,
    peer: null,
    bar: at10k ? `< ${BARS.treeP95Ms} ms` : '',
    status: gate(at10k, below(sliceP95, BARS.treeP95Ms)),
  });
  row({
    key: 'treeRefreshP95',
    short: 'tree view refresh after a link edit, p95',
    metric: `tree view refresh after a link edit (roots, portfolio and the ${t.slicesPerRefresh} expanded strategies' slices), p95`,
    note: 'outline refresh, documentSymbol',
    unit: 'ms',
    throughline: num(p95(t.treeRefreshMs)),
    peer: num(p && p95(p.documentSymbolsMs)),
    bar: '',
  });
  const completion = num(p95(t.completionMs));
  row({
    key: 'completionP95',
    short: 'completion after `Traces: OUT-`, p95',
    metric: `completion after \`Traces: OUT-\` (${t.completionItems} items), p95`,
    note: p ? `\`](##\` workspace header completion, ${p.completionItems.toLocaleString('en-US')} items` : undefined,
    unit: 'ms',
    throughline: completion,
    peer: num(p && p95(p.completionMs)),
    bar: at10k ? `< ${BARS.completionP95Ms} ms` : '',
    status: gate(at10k, below(completion, BARS.completionP95Ms)),
  });
  const hover = num(p95(t.hoverMs));
  row({
    key: 'hoverP95',
    metric: 'hover on the ID of the edited `Traces:` line, p95',
    note: 'hover at the same place (its link hover: no link there)',
    unit: 'ms',
    throughline: hover,
    peer: num(p && p95(p.hoverMs)),
    bar: at10k ? `< ${BARS.hoverP95Ms} ms` : '',
    status: gate(at10k, below(hover, BARS.hoverP95Ms)),
  });
  row({
    key: 'references',
    short: 'references of the outcome with 1,000 `Traces:` references, median',
    metric: `references of ${ws.popularOutcomeId} (${t.references.toLocaleString('en-US')} locations), median of 5`,
    note: p ? `references of its heading, ${p.references} location${p.references === 1 ? '' : 's'}` : undefined,
    unit: 'ms',
    throughline: num(median(t.referencesMs)),
    peer: num(p && median(p.referencesMs)),
    bar: '',
  });
  const rename = num(median(t.renameMs));
  row({
    key: 'rename',
    short: 'rename of the outcome with 1,000 `Traces:` references, median',
    metric: `rename ${ws.popularOutcomeId} (${ws.popularOutcomeReferences.toLocaleString('en-US')} \`Traces:\` references, ${t.renameEdits.toLocaleString('en-US')} edits), median of 5`,
    note: p ? `rename of its heading, ${p.renameEdits} edit${p.renameEdits === 1 ? '' : 's'}` : undefined,
    unit: 'ms',
    throughline: rename,
    peer: num(p && median(p.renameMs)),
    bar: at10k ? `< ${BARS.renameMs} ms` : '',
    status: gate(at10k, below(rename, BARS.renameMs)),
  });
  row({
    key: 'reportP50',
    short: 'report refresh with the panel open, median',
    metric: `report refresh with the panel open (\`throughline/report\`, ${(t.reportBytes / 1e6).toFixed(2)} MB of HTML), median of ${t.reportMs.length}`,
    unit: 'ms',
    throughline: num(median(t.reportMs)),
    peer: null,
    bar: '',
  });
  row({ key: 'reportP95', metric: 'report refresh with the panel open, p95', unit: 'ms', throughline: num(p95(t.reportMs)), peer: null, bar: '' });
  row({ key: 'coverageP95', metric: 'coverage (status bar) after a link edit, p95', unit: 'ms', throughline: num(p95(t.coverageMs)), peer: null, bar: '' });

  const rssIndexedT = num(t.rssIndexedMb);
  const rssIndexedP = num(p?.rssIndexedMb);
  row({
    key: 'rssIndexed',
    metric: 'server resident memory after indexing',
    note: 'after its workspace symbols',
    unit: 'MB',
    throughline: rssIndexedT,
    peer: rssIndexedP,
    ratio: ratioOf(rssIndexedT, rssIndexedP),
    bar: '',
  });
  const at100 = (series: readonly [number, number][]) => num(series.find(([edit]) => edit === 100)?.[1]);
  row({
    key: 'rssAt100',
    metric: 'server resident memory at edit 100',
    unit: 'MB',
    throughline: at100(t.rssSeries),
    peer: p ? at100(p.rssSeries) : null,
    bar: '',
  });
  const rssAfterT = num(t.rssAfterSessionMb);
  const rssAfterP = num(p?.rssAfterSessionMb);
  const rssBar = at100k ? BARS.rssMb100k : BARS.rssAfterSessionMb;
  row({
    key: 'rssAfterSession',
    short: 'server resident memory after the session',
    metric: `server resident memory after the session (${t.edits} edits; tree, coverage and report ${refreshWhen})`,
    note: 'after the same edits, its diagnostics, outline and hover',
    unit: 'MB',
    throughline: rssAfterT,
    peer: rssAfterP,
    ratio: ratioOf(rssAfterT, rssAfterP),
    bar: at10k || at100k ? `< ${rssBar.toLocaleString('en-US')} MB` : '',
    status: gate(at10k || at100k, below(rssAfterT, rssBar)),
  });
  const windowsT = rssWindows(t.rssSeries, t.edits);
  const windowsP = p ? rssWindows(p.rssSeries, p.edits) : undefined;
  const growthT = num(windowsT.last - windowsT.first);
  row({
    key: 'rssGrowth',
    metric: 'resident memory growth: mean of the last 100 edits − mean of the first 100',
    unit: 'MB',
    throughline: growthT,
    peer: num(windowsP && windowsP.last - windowsP.first),
    bar: at10k ? `≤ ${BARS.rssGrowthMb} MB` : '',
    status: gate(at10k, growthT === null ? undefined : growthT <= BARS.rssGrowthMb),
  });
  row({
    key: 'serverPeak',
    metric: 'server peak resident memory (VmHWM) over the whole run',
    unit: 'MB',
    throughline: num(t.peakRssMb),
    peer: num(p?.peakRssMb),
    ratio: ratioOf(num(t.peakRssMb), num(p?.peakRssMb)),
    bar: '',
  });

  const checkT = check.throughline.length ? median(check.throughline.map((run) => run.wallMs)) : null;
  const checkP = check.peer.length ? median(check.peer.map((run) => run.wallMs)) : null;
  const checkRatio = ratioOf(checkT, checkP);
  row({
    key: 'check',
    short: '`throughline check`, whole process, median',
    metric: `\`throughline check\`, whole process, median of ${check.throughline.length}`,
    note: check.peerError ? `peer process failed: ${check.peerError.slice(0, 120)}` : 'whole process: workspace symbols over every file',
    unit: 'ms',
    throughline: checkT,
    peer: checkP,
    ratio: checkRatio,
    bar: at10k ? `≤ ${BARS.checkRatio}× peer` : at100k ? `< ${BARS.checkMs100k.toLocaleString('en-US')} ms` : '',
    status: at10k ? gate(true, checkRatio === null ? undefined : checkRatio <= BARS.checkRatio) : gate(at100k, below(checkT, BARS.checkMs100k)),
  });
  const peakT = check.throughline.length ? Math.max(...check.throughline.map((run) => run.peakRssMb)) : null;
  const peakP = check.peer.length ? Math.max(...check.peer.map((run) => run.peakRssMb)) : null;
  row({
    key: 'checkPeak',
    metric: '`throughline check` peak resident memory (maxRSS)',
    note: 'the peer process’s',
    unit: 'MB',
    throughline: peakT,
    peer: peakP,
    ratio: ratioOf(peakT, peakP),
    bar: '',
  });
  return rows;
}

function printTable(title: string, rows: readonly ResultRow[]): void {
  const header = ['what a user waits for', 'Throughline', 'peer', 'ratio', 'bar', 'result'];
  const cells = rows.map((r) => [
    r.metric,
    formatValue(r.throughline, r.unit),
    formatValue(r.peer, r.unit),
    r.ratio === null ? '' : `${r.ratio.toFixed(2)}×`,
    r.bar,
    r.status,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: readonly string[]) =>
    c
      .map((s, i) => (i >= 1 && i <= 3 ? s.padStart(widths[i]!) : s.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  process.stdout.write(['', title, line(header), widths.map((w) => '─'.repeat(w)).join('  '), ...cells.map(line), ''].join('\n') + '\n');
  const notes = rows.filter((r) => r.note && r.peer !== null).map((r) => `  peer on “${r.metric.trim()}”: ${r.note}`);
  if (notes.length) process.stdout.write(`${notes.join('\n')}\n`);
}

// ---------------------------------------------------------------------------

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const cpus = os.cpus();
  const serverPath = path.join(args.build, 'dist', 'server.js');
  const cli = path.join(args.build, 'bin', 'throughline.js');
  if (!existsSync(serverPath)) throw new Error(`${serverPath} is missing: run npm run build first`);
  const machine = {
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    cores: cpus.length,
    totalMemoryMb: Math.round(os.totalmem() / 1048576),
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    node: process.version,
    date: new Date().toISOString(),
    loadBefore: os.loadavg().map((value) => +value.toFixed(2)),
    loadAfter: [] as number[],
  };
  const peerVersion = args.peer ? peerServerVersion(projectRoot) : 'not run';
  process.stdout.write(
    `Throughline served benchmark — ${machine.cpuModel}, ${machine.cores} cores, Node ${machine.node}, load ${machine.loadBefore.join(' ')}\n` +
      `server ${path.relative(process.cwd(), serverPath) || serverPath} (built ${statSync(serverPath).mtime.toISOString()}), peer ${PEER_PACKAGE} ${peerVersion}\n\n`,
  );
  const peerBundle = args.peer ? await bundlePeerProcess() : undefined;
  const peerScript = peerBundle?.script;

  const sizes: (SizeResult & { workspace: Record<string, unknown>; raw: Record<string, unknown> })[] = [];
  let failed = false;
  for (const prds of args.sizes) {
    process.stdout.write(`[${prds.toLocaleString('en-US')} PRDs]\n`);
    const measured = {
      date: new Date().toISOString(),
      loadBefore: os.loadavg().map((value) => +value.toFixed(2)),
      loadAfter: [] as number[],
      minutes: 0,
      serverBuiltAt: statSync(serverPath).mtime.toISOString(),
    };
    const genStart = performance.now();
    const ws = await generateWorkspace(defaultWorkspaceDir(prds, args.seed, args.refs), { prds, seed: args.seed, popularReferences: args.refs });
    log(
      `workspace ${path.relative(projectRoot, ws.dir)}: ${ws.files.length.toLocaleString('en-US')} files, ${(ws.totalBytes / 1e6).toFixed(1)} MB, ` +
        `${ws.requirements.toLocaleString('en-US')} requirements, ${ws.outcomes} outcomes, ${ws.popularOutcomeId} traced ${ws.popularOutcomeReferences} times` +
        (ws.cached ? ` (cached)` : ` (generated in ${((performance.now() - genStart) / 1000).toFixed(1)} s)`),
    );
    const cycles = args.cycles;
    const refreshEvery = args.refreshEvery ?? (prds >= 100000 ? 5 : 1);
    let t: ThroughlineServedFigures | undefined;
    let p: PeerServedFigures | undefined;
    let peerError: string | undefined;
    let throughlineError: string | undefined;
    // Each side's figures are kept as soon as they are measured, so that a later crash loses nothing.
    const keep = (side: string, figures: unknown) =>
      writeFileSync(path.join(projectRoot, '.cache', 'bench', `served-${prds}-${side}.json`), JSON.stringify(figures, null, 1) + '\n');
    try {
      t = await throughlineServed(ws, { serverPath, cycles, refreshEvery, log });
      keep('throughline', t);
    } catch (error) {
      throughlineError = error instanceof Error ? error.message : String(error);
      log(`Throughline served session failed: ${throughlineError}`);
      failed = true;
      if (error instanceof ServedSessionError) {
        // What was measured before the failure still makes rows; the failure is said under the table.
        t = error.partial;
        keep('throughline', { ...t, error: throughlineError });
      }
    }
    if (args.peer) {
      try {
        p = await peerServed(ws, { serverPath: peerServerPath(projectRoot), cycles, completionRuns: 10, log });
        keep('peer', p);
      } catch (error) {
        peerError = error instanceof Error ? error.message : String(error);
        log(`peer served session failed: ${peerError}`);
        if (error instanceof PeerSessionError) {
          p = error.partial;
          keep('peer', { ...p, error: peerError });
        }
      }
    }
    const checkRuns = args.checkRuns ?? (prds >= 100000 ? 1 : 3);
    const check = await wholeProcesses(ws, cli, peerScript, checkRuns);
    const inProcess = args.inProcess ? await throughlineInChild(ws.dir).catch(() => undefined) : undefined;
    measured.loadAfter = os.loadavg().map((value) => +value.toFixed(2));
    measured.minutes = +((performance.now() - genStart) / 60000).toFixed(1);
    log(
      `${prds.toLocaleString('en-US')} PRDs measured in ${measured.minutes} min, load average ${measured.loadBefore.join(' ')} → ${measured.loadAfter.join(' ')}`,
    );
    if (!t) continue;
    const rows = buildRows(ws, t, p, check, inProcess, refreshEvery);
    // Git history rows (issue 13), on a copy of the workspace with 1,000 commits.
    let history: HistoryFigures | undefined;
    let historyError: string | undefined;
    if (args.history && prds <= 10000) {
      try {
        history = await measureHistory(ws, historyRepo(ws), { serverPath, runs: 5, log });
        rows.push(...historyRows(history, prds));
      } catch (error) {
        historyError = error instanceof Error ? error.message : String(error);
        log(`history rows failed: ${historyError}`);
        failed = true;
      }
    }
    if (rows.some((r) => r.status === 'FAIL')) failed = true;
    printTable(`${prds.toLocaleString('en-US')} PRDs — ${ws.files.length.toLocaleString('en-US')} files, ${(ws.totalBytes / 1e6).toFixed(1)} MB`, rows);
    sizes.push({
      prds,
      files: ws.files.length,
      totalMB: +(ws.totalBytes / 1e6).toFixed(2),
      measured,
      rows,
      workspace: {
        dir: path.relative(projectRoot, ws.dir),
        seed: ws.seed,
        outcomes: ws.outcomes,
        requirements: ws.requirements,
        headings: ws.headings,
        popularOutcomeId: ws.popularOutcomeId,
        popularOutcomeReferences: ws.popularOutcomeReferences,
        editablePrd: path.relative(ws.dir, ws.editablePrd),
      },
      notes: [
        ...(throughlineError ? [`The Throughline server failed after ${t.edits} of ${cycles * 10} edits: ${throughlineError.slice(0, 300)}`] : []),
        ...(peerError ? [`The peer server failed: ${peerError.slice(0, 300)}`] : []),
        ...(check.peerError ? [`The peer process failed: ${check.peerError.slice(0, 300)}`] : []),
        ...(historyError ? [`The history rows failed: ${historyError.slice(0, 300)}`] : []),
      ],
      raw: {
        throughline: t,
        throughlineError: throughlineError ?? null,
        peer: p ?? null,
        peerError: peerError ?? null,
        check,
        inProcess: inProcess ?? null,
        history: history ?? null,
        session: { cycles, refreshEvery },
      },
    });
  }
  machine.loadAfter = os.loadavg().map((value) => +value.toFixed(2));
  const file = path.join(projectRoot, 'bench', 'results.json');
  let kept: typeof sizes = [];
  let earlierPeer: BenchResults['peer'] | undefined;
  if (args.merge && existsSync(file)) {
    // Sizes measured by an earlier run, each with its own date and load average.
    const earlier = JSON.parse(readFileSync(file, 'utf8')) as { sizes?: typeof sizes; peer?: BenchResults['peer'] };
    kept = (earlier.sizes ?? []).filter((size) => !args.sizes.includes(size.prds));
    earlierPeer = earlier.peer;
    if (kept.some((size) => size.rows.some((row) => row.status === 'FAIL'))) failed = true;
    if (kept.length) log(`kept from the earlier bench/results.json: ${kept.map((size) => size.prds.toLocaleString('en-US')).join(', ')} PRDs`);
  }
  const allSizes = [...kept, ...sizes].sort((a, b) => a.prds - b.prds);
  // Growth-table labels of this run's rows for kept rows written before they had one.
  const shortByKey = new Map(sizes.flatMap((size) => size.rows.filter((row) => row.short).map((row) => [row.key, row.short!] as const)));
  for (const size of kept) for (const row of size.rows) row.short ??= shortByKey.get(row.key);

  const results: BenchResults & Record<string, unknown> = {
    machine,
    // A run without the peer merged into one with it: the kept sizes' peer columns are that peer's.
    peer:
      !args.peer && kept.length > 0 && earlierPeer && earlierPeer.version !== 'not run'
        ? earlierPeer
        : {
            package: PEER_PACKAGE,
            version: peerVersion,
            mode: `served over stdio, its markdown/* requests answered as VS Code’s client does; whole process: vscode-markdown-languageservice ${peerBundle?.serviceVersion ?? ''} workspace symbols`,
          },
    build: {
      serverPath: path.relative(projectRoot, serverPath) || serverPath,
      builtAt: statSync(serverPath).mtime.toISOString(),
      serverEnvironment: SERVER_ENVIRONMENT,
    },
    options: {
      merge: args.merge,
      sizes: args.sizes,
      cycles: args.cycles,
      refreshEvery: args.refreshEvery,
      refs: args.refs,
      seed: args.seed,
      inProcess: args.inProcess,
    },
    bars: BARS,
    passed: !failed && sizes.length === args.sizes.length,
    sizes: allSizes,
    growth: [],
  };
  results.growth = growthTable(results);
  if (allSizes.length > 1) {
    process.stdout.write(`\nGrowth (Throughline, ${allSizes.map((s) => s.prds.toLocaleString('en-US')).join(' → ')} PRDs)\n`);
    for (const row of growthTable(results)) process.stdout.write(`  ${row.metric}: ${row.values.map((value) => formatValue(value, row.unit)).join(' → ')}\n`);
  }
  writeFileSync(file, JSON.stringify(results, null, 2) + '\n');
  process.stdout.write(`\nResults written to ${path.relative(process.cwd(), file) || file}; load average after: ${machine.loadAfter.join(' ')}\n`);
  if (args.readme) {
    writePerfSection(file, path.join(projectRoot, 'README.md'));
    process.stdout.write('README.md performance section written (scripts/perf-table.ts)\n');
  }
  if (failed) process.exitCode = 1;
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
