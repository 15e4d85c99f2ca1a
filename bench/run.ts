/**
 * `npm run bench` → node --expose-gc --import tsx bench/run.ts [options]
 *
 * For each size: generate the synthetic workspace (cached under .cache/bench/), measure the
 * peer (vscode-markdown-languageservice) in this process, then Throughline in a child
 * process (bench/throughline-child.ts) so that its RSS is its own; print a table and
 * write bench/results.json. Then `throughline report` (the built CLI) and `throughline diff HEAD`
 * (on a git copy of the workspace, see bench/diff.ts) are timed on the same workspace.
 *
 * Options:
 *   --sizes 1000,10000   PRD counts (multiples of 20; default 1000,10000)
 *   --quick              only 1,000 PRDs
 *   --peer-only          skip Throughline (harness check; no bench/throughline.ts needed)
 *   --in-process         measure Throughline in this process (after the peer, gc in between)
 *                        instead of the child; its memory figures then include the peer's leftovers
 *   --no-peer-extras     skip the optional peer figures (references, rename, completion)
 *   --peer-no-linkify    peer's markdown-it without linkify (VS Code's default is on; off = faster peer,
 *                        i.e. a stricter cold bar)
 *   --peer-cold-runs N   cold peer runs, the figure is their median (default 3)
 *   --seed N             generator seed
 *
 * Exit code 1 when any row with a bar FAILs (or a measurement throws).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DEFAULT_SEED, defaultWorkspaceDir, generateWorkspace, projectRoot } from './generate.ts';
import { benchDiff } from './diff.ts';
import { measurePeer } from './peer.ts';
import type { GeneratedWorkspace, PeerFigures, ThroughlineChildOutput, ThroughlineFigures } from './types.ts';

const RESULT_MARKER = 'THROUGHLINE_RESULT ';

// Bars (targets)
const COLD_MAX_RATIO = 0.3;
const COLD_MAX_MS = 3000;
const EDIT_P95_MAX_MS = 10;
const RENAME_MAX_MS = 150;
const COMPLETION_P95_MAX_MS = 20;
const RSS_MAX_MB = 350;
const REPORT_MAX_MS = 5000;
const DIFF_MAX_MS = 5000;

interface Args {
  sizes: number[];
  peerOnly: boolean;
  inProcess: boolean;
  peerExtras: boolean;
  peerLinkify: boolean;
  peerColdRuns: number;
  seed: number;
}

function parseArgs(argv: readonly string[]): Args {
  const args: Args = { sizes: [1000, 10000], peerOnly: false, inProcess: false, peerExtras: true, peerLinkify: true, peerColdRuns: 3, seed: DEFAULT_SEED };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    const [flag, inline] = a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined) throw new Error(`${flag} needs a value`);
      return v;
    };
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
      case '--peer-only':
        args.peerOnly = true;
        break;
      case '--in-process':
        args.inProcess = true;
        break;
      case '--no-peer-extras':
        args.peerExtras = false;
        break;
      case '--peer-no-linkify':
        args.peerLinkify = false;
        break;
      case '--peer-cold-runs':
        args.peerColdRuns = Math.max(1, Number(value()) || 1);
        break;
      case '--seed':
        args.seed = Number(value());
        break;
      case '--help':
      case '-h':
        process.stdout.write(
          'usage: node --expose-gc --import tsx bench/run.ts [--sizes 1000,10000] [--quick] [--peer-only] [--in-process] [--no-peer-extras] [--peer-no-linkify] [--peer-cold-runs N] [--seed N]\n',
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

function gc(): void {
  const g = (globalThis as { gc?: () => void }).gc;
  if (g) g();
}

function log(line: string): void {
  process.stdout.write(`  ${line}\n`);
}

// ---------------------------------------------------------------------------
// Throughline

async function throughlineInChild(dir: string): Promise<ThroughlineChildOutput> {
  const child = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', path.join(projectRoot, 'bench', 'throughline-child.ts'), dir], {
    cwd: projectRoot,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let result: ThroughlineChildOutput | undefined;
  let buffer = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    buffer += chunk;
    let nl: number;
    while ((nl = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, nl);
      buffer = buffer.slice(nl + 1);
      if (line.startsWith(RESULT_MARKER)) result = JSON.parse(line.slice(RESULT_MARKER.length)) as ThroughlineChildOutput;
      else if (line.trim()) log(`[throughline] ${line}`);
    }
  });
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', resolve);
  });
  if (buffer.startsWith(RESULT_MARKER)) result = JSON.parse(buffer.slice(RESULT_MARKER.length)) as ThroughlineChildOutput;
  if (code !== 0 || !result) throw new Error(`throughline-child exited with ${code}${result ? '' : ' and no result'}`);
  return result;
}

async function throughlineInProcess(ws: GeneratedWorkspace): Promise<ThroughlineChildOutput> {
  gc();
  const baselineRssMb = process.memoryUsage().rss / 1048576;
  const started = performance.now();
  const { measureThroughline } = await import('./throughline.ts');
  const figures = await measureThroughline(ws);
  return { figures, maxRssMb: process.resourceUsage().maxRSS / 1024, baselineRssMb, wallMs: performance.now() - started };
}

/**
 * `throughline report DIR --out FILE` with the built CLI, end to end as CI runs it: process start,
 * indexing, every diagnostic, the report model and the HTML written to disk.
 */
async function reportWithCli(dir: string): Promise<{ milliseconds: number; bytes: number }> {
  const out = mkdtempSync(path.join(os.tmpdir(), 'throughline-bench-report-'));
  const file = path.join(out, 'report.html');
  try {
    const started = performance.now();
    const child = spawn(process.execPath, [path.join(projectRoot, 'bin', 'throughline.js'), 'report', dir, '--out', file], {
      cwd: projectRoot,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const code = await new Promise<number | null>((resolve, reject) => {
      child.on('error', reject);
      child.on('close', resolve);
    });
    const milliseconds = performance.now() - started;
    if (code !== 0) throw new Error(`throughline report exited with ${code}: ${stderr.trim()}`);
    return { milliseconds, bytes: statSync(file).size };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

interface CiFigures {
  reportMs?: number;
  reportBytes?: number;
  diffMs?: number;
}

// ---------------------------------------------------------------------------
// Table

type Status = 'PASS' | 'FAIL' | '';

interface Row {
  readonly metric: string;
  readonly throughline: number | undefined;
  readonly peer: number | undefined;
  readonly unit: 'ms' | 'MB' | '';
  readonly ratio: number | undefined;
  readonly bar: string;
  readonly status: Status;
}

function fmt(v: number | undefined, unit: Row['unit']): string {
  if (v === undefined || Number.isNaN(v)) return '—';
  if (unit === '') return Math.round(v).toLocaleString('en-US');
  const digits = Math.abs(v) >= 100 ? 0 : Math.abs(v) >= 10 ? 1 : 2;
  return `${v.toFixed(digits)} ${unit}`;
}

function check(ok: boolean | undefined): Status {
  return ok === undefined ? '' : ok ? 'PASS' : 'FAIL';
}

function buildRows(ws: GeneratedWorkspace, peer: PeerFigures, tl: ThroughlineChildOutput | undefined, ci: CiFigures): Row[] {
  // The performance bars are set for the 10,000-PRD workspace; smaller sizes are shown for information.
  const barsApply = ws.prds >= 10000;
  const gate = (ok: boolean | undefined): Status => (barsApply ? check(ok) : '');
  const t: ThroughlineFigures | undefined = tl?.figures;
  const ratio = (a: number | undefined, b: number | undefined): number | undefined => (a !== undefined && b !== undefined && b > 0 ? a / b : undefined);
  const has = t !== undefined;
  const minRenameEdits = ws.popularOutcomeReferences + 1;
  return [
    {
      metric: 'Documents',
      throughline: t?.documents,
      peer: peer.documents,
      unit: '',
      ratio: undefined,
      bar: `= ${ws.files.length.toLocaleString('en-US')} files`,
      status: check(has ? t.documents === ws.files.length : undefined),
    },
    { metric: 'Items (TL) / heading symbols (peer)', throughline: t?.items, peer: peer.symbols, unit: '', ratio: undefined, bar: '', status: '' },
    { metric: 'Diagnostics', throughline: t?.diagnostics, peer: undefined, unit: '', ratio: undefined, bar: '', status: '' },
    {
      metric: 'Cold index+diagnostics / peer cold workspace symbols (median)',
      throughline: t?.coldIndexAndDiagnosticsMs,
      peer: peer.coldWorkspaceSymbolsMs,
      unit: 'ms',
      ratio: ratio(t?.coldIndexAndDiagnosticsMs, peer.coldWorkspaceSymbolsMs),
      bar: `≤ ${COLD_MAX_RATIO}× peer, < ${COLD_MAX_MS} ms`,
      status: gate(has ? t.coldIndexAndDiagnosticsMs <= COLD_MAX_RATIO * peer.coldWorkspaceSymbolsMs && t.coldIndexAndDiagnosticsMs < COLD_MAX_MS : undefined),
    },
    {
      metric: '  peer cold: process CPU time (median, info)',
      throughline: undefined,
      peer: peer.coldWorkspaceSymbolsCpuMs,
      unit: 'ms',
      ratio: undefined,
      bar: '',
      status: '',
    },
    {
      metric: 'Edit → diagnostics p50 / peer edit → doc symbols p50',
      throughline: t?.editP50Ms,
      peer: peer.editDocumentSymbolsP50Ms,
      unit: 'ms',
      ratio: ratio(t?.editP50Ms, peer.editDocumentSymbolsP50Ms),
      bar: '',
      status: '',
    },
    {
      metric: 'Edit → diagnostics p95 / peer edit → doc symbols p95',
      throughline: t?.editP95Ms,
      peer: peer.editDocumentSymbolsP95Ms,
      unit: 'ms',
      ratio: ratio(t?.editP95Ms, peer.editDocumentSymbolsP95Ms),
      bar: `< ${EDIT_P95_MAX_MS} ms`,
      status: gate(has ? t.editP95Ms < EDIT_P95_MAX_MS : undefined),
    },
    {
      metric: `Rename ${ws.popularOutcomeId} / peer heading rename (warm)`,
      throughline: t?.renameMs,
      peer: peer.headerRenameWarmP50Ms,
      unit: 'ms',
      ratio: undefined,
      bar: `< ${RENAME_MAX_MS} ms`,
      status: gate(has ? t.renameMs < RENAME_MAX_MS : undefined),
    },
    {
      metric: 'Rename edits',
      throughline: t?.renameEdits,
      peer: peer.headerRenameEdits,
      unit: '',
      ratio: undefined,
      bar: `≥ ${minRenameEdits.toLocaleString('en-US')}`,
      status: gate(has ? t.renameEdits >= minRenameEdits : undefined),
    },
    {
      metric: 'Completion p50 / peer `](##` headings p50',
      throughline: t?.completionP50Ms,
      peer: peer.completionP50Ms,
      unit: 'ms',
      ratio: undefined,
      bar: '',
      status: '',
    },
    {
      metric: 'Completion p95 / peer `](##` headings p95',
      throughline: t?.completionP95Ms,
      peer: peer.completionP95Ms,
      unit: 'ms',
      ratio: undefined,
      bar: `< ${COMPLETION_P95_MAX_MS} ms`,
      status: gate(has ? t.completionP95Ms < COMPLETION_P95_MAX_MS : undefined),
    },
    {
      metric: 'RSS after cold index (peer: shared process)',
      throughline: t?.rssMb,
      peer: peer.rssMb,
      unit: 'MB',
      ratio: undefined,
      bar: `< ${RSS_MAX_MB} MB`,
      status: gate(has ? t.rssMb < RSS_MAX_MB : undefined),
    },
    { metric: 'Peak RSS of the Throughline process', throughline: tl?.maxRssMb, peer: undefined, unit: 'MB', ratio: undefined, bar: '', status: '' },
    {
      metric: '  of which baseline (node + tsx, before loading)',
      throughline: tl?.baselineRssMb,
      peer: undefined,
      unit: 'MB',
      ratio: undefined,
      bar: '',
      status: '',
    },
    {
      metric: 'Heap used (peer: retained by its service)',
      throughline: t?.heapUsedMb,
      peer: peer.heapRetainedMb,
      unit: 'MB',
      ratio: undefined,
      bar: '',
      status: '',
    },
    // The peer has no strategy report or alignment diff; these rows have bars but no ratio.
    {
      metric: '`throughline report --out` (CLI, end to end)',
      throughline: ci.reportMs,
      peer: undefined,
      unit: 'ms',
      ratio: undefined,
      bar: `< ${REPORT_MAX_MS} ms`,
      status: gate(ci.reportMs === undefined ? undefined : ci.reportMs < REPORT_MAX_MS),
    },
    {
      metric: '  report size',
      throughline: ci.reportBytes === undefined ? undefined : ci.reportBytes / 1e6,
      peer: undefined,
      unit: 'MB',
      ratio: undefined,
      bar: '',
      status: '',
    },
    {
      metric: '`throughline diff HEAD`, median of 3 (index, changed files from git, diff)',
      throughline: ci.diffMs,
      peer: undefined,
      unit: 'ms',
      ratio: undefined,
      bar: `< ${DIFF_MAX_MS} ms`,
      status: gate(ci.diffMs === undefined ? undefined : ci.diffMs < DIFF_MAX_MS),
    },
  ];
}

function printTable(title: string, rows: readonly Row[]): void {
  const header = ['Metric', 'Throughline', 'Peer', 'Ratio', 'Bar', 'Result'];
  const cells = rows.map((r) => [
    r.metric,
    fmt(r.throughline, r.unit),
    fmt(r.peer, r.unit),
    r.ratio === undefined ? '' : `${r.ratio.toFixed(2)}×`,
    r.bar,
    r.status,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => (c[i] as string).length)));
  const line = (c: readonly string[]): string =>
    c
      .map((s, i) => (i === 1 || i === 2 || i === 3 ? s.padStart(widths[i] as number) : s.padEnd(widths[i] as number)))
      .join('  ')
      .trimEnd();
  const out = ['', title, line(header), widths.map((w) => '─'.repeat(w)).join('  '), ...cells.map(line), ''];
  process.stdout.write(out.join('\n') + '\n');
}

// ---------------------------------------------------------------------------

function summaryOf(ws: GeneratedWorkspace): Record<string, unknown> {
  return {
    dir: path.relative(projectRoot, ws.dir),
    seed: ws.seed,
    prds: ws.prds,
    files: ws.files.length,
    totalBytes: ws.totalBytes,
    totalMB: +(ws.totalBytes / 1e6).toFixed(2),
    objectives: ws.objectives,
    keyResults: ws.keyResults,
    outcomes: ws.outcomes,
    requirements: ws.requirements,
    untracedRequirements: ws.untracedRequirements,
    danglingTraces: ws.danglingTraces,
    traceReferences: ws.traceReferences,
    headings: ws.headings,
    popularOutcomeId: ws.popularOutcomeId,
    popularOutcomeReferences: ws.popularOutcomeReferences,
    popularOutcomeFrontMatterReferences: ws.popularOutcomeFrontMatterReferences,
    popularOutcomeProseMentions: ws.popularOutcomeProseMentions,
    editablePrd: path.relative(ws.dir, ws.editablePrd),
    generationMs: ws.generationMs,
    cached: ws.cached,
  };
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  if (!(globalThis as { gc?: unknown }).gc) process.stderr.write('warning: run with --expose-gc for stable memory figures\n');
  const cpus = os.cpus();
  const machine = {
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    cores: cpus.length,
    totalMemoryMb: Math.round(os.totalmem() / 1048576),
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    node: process.version,
    date: new Date().toISOString(),
  };
  process.stdout.write(`Throughline benchmark — ${machine.cpuModel}, ${machine.cores} cores, Node ${machine.node}\n\n`);

  const sizes: unknown[] = [];
  let failed = false;
  for (const prds of args.sizes) {
    process.stdout.write(`[${prds.toLocaleString('en-US')} PRDs]\n`);
    const genStart = performance.now();
    const ws = await generateWorkspace(defaultWorkspaceDir(prds, args.seed), { prds, seed: args.seed });
    log(
      `workspace: ${ws.files.length.toLocaleString('en-US')} files, ${(ws.totalBytes / 1e6).toFixed(1)} MB, ` +
        `${ws.requirements.toLocaleString('en-US')} requirements, ${ws.outcomes} outcomes` +
        (ws.cached ? ` (cached, loaded in ${(performance.now() - genStart).toFixed(0)} ms)` : ` (generated in ${ws.generationMs.toFixed(0)} ms)`),
    );
    gc();
    const peer = await measurePeer(ws, { extras: args.peerExtras, parser: { linkify: args.peerLinkify }, coldRuns: args.peerColdRuns, log });
    gc();
    gc();

    let tl: ThroughlineChildOutput | undefined;
    let tlError: string | undefined;
    if (!args.peerOnly) {
      try {
        tl = args.inProcess ? await throughlineInProcess(ws) : await throughlineInChild(ws.dir);
      } catch (error) {
        tlError = error instanceof Error ? error.message : String(error);
        log(`Throughline measurement failed: ${tlError}`);
        failed = true;
      }
    }

    const ci: CiFigures = {};
    if (!args.peerOnly) {
      try {
        const report = await reportWithCli(ws.dir);
        ci.reportMs = report.milliseconds;
        ci.reportBytes = report.bytes;
        log(`report: ${report.milliseconds.toFixed(0)} ms, ${(report.bytes / 1e6).toFixed(2)} MB`);
        gc();
        ci.diffMs = (await benchDiff(ws.dir)).milliseconds;
        log(`diff: ${ci.diffMs.toFixed(0)} ms`);
      } catch (error) {
        log(`report/diff measurement failed: ${error instanceof Error ? error.message : String(error)}`);
        failed = true;
      }
    }

    const rows = buildRows(ws, peer, tl, ci);
    if (rows.some((r) => r.status === 'FAIL')) failed = true;
    printTable(
      `${prds.toLocaleString('en-US')} PRDs — ${ws.files.length.toLocaleString('en-US')} files, ${(ws.totalBytes / 1e6).toFixed(1)} MB` +
        (args.peerOnly ? ' (peer only)' : args.inProcess ? ' (Throughline in-process)' : ''),
      rows,
    );
    sizes.push({
      prds,
      workspace: summaryOf(ws),
      peer,
      throughline: tl?.figures ?? null,
      throughlineProcess: tl
        ? { mode: args.inProcess ? 'in-process' : 'child', maxRssMb: tl.maxRssMb, baselineRssMb: tl.baselineRssMb, wallMs: tl.wallMs }
        : null,
      throughlineError: tlError ?? null,
      ci,
      rows,
    });
  }

  const results = {
    machine,
    options: {
      sizes: args.sizes,
      seed: args.seed,
      peerOnly: args.peerOnly,
      inProcess: args.inProcess,
      peerExtras: args.peerExtras,
      peerLinkify: args.peerLinkify,
      peerColdRuns: args.peerColdRuns,
    },
    bars: {
      coldMaxRatioToPeer: COLD_MAX_RATIO,
      coldMaxMs: COLD_MAX_MS,
      editP95MaxMs: EDIT_P95_MAX_MS,
      renameMaxMs: RENAME_MAX_MS,
      completionP95MaxMs: COMPLETION_P95_MAX_MS,
      rssMaxMb: RSS_MAX_MB,
      reportMaxMs: REPORT_MAX_MS,
      diffMaxMs: DIFF_MAX_MS,
    },
    passed: !failed && !args.peerOnly,
    sizes,
  };
  const file = path.join(projectRoot, 'bench', 'results.json');
  writeFileSync(file, JSON.stringify(results, null, 2) + '\n');
  process.stdout.write(`Results written to ${path.relative(process.cwd(), file) || file}\n`);
  if (failed) process.exitCode = 1;
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
