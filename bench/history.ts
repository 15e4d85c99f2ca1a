/**
 * Git history rows of the benchmark (issue 13): the generated workspace (bench/generate.ts) as a
 * git repository with 1,000 commits, and the real server reading it over stdio.
 *
 * The repository (`.cache/bench/history-of-<the workspace's folder>/`, cached: `.history-stamp.json` is written
 * last and names the base commit) is made with one `git fast-import`: the first commit holds the whole
 * workspace, then 999 commits each edit one file (three every tenth commit), in turn an outcome's
 * title, a key result's `Current:` check-in, a requirement's `Traces:` line. Dates are fixed (one
 * commit an hour from 2026-01-05), the author is fixed, the edits come from a seeded PRNG: same
 * options, same commits. Each run first resets the repository to the base commit, since the
 * incremental measurement commits into it.
 *
 * Measured through `node dist/server.js --stdio`:
 * - first computation: from the spawn to the first `throughline/historyChanged` (the server reads the
 *   history after the first diagnostics are out), and the read's own `milliseconds`;
 * - incremental: an outcome's title changed and committed on disk while the server runs, then from
 *   `git commit` returning to `historyChanged` with `initial: false`, and to the first published
 *   suspect link on a PRD that traces it. The server polls HEAD; here every 50 ms
 *   (THROUGHLINE_HISTORY_POLL_MS) so that the wait for the poll is at most 50 ms of the wall time; the
 *   server's own `milliseconds` (HEAD seen moved → commits folded in and the readers invalidated,
 *   diagnostics not yet recomputed) is recorded too. With the default 2 s poll a user waits up to 2 s more.
 *
 *   node --import tsx bench/history.ts [--prds 10000] [--commits 1000] [--runs 5]
 * prints the figures and writes .cache/bench/history-<P>.json; `npm run bench` adds the rows to each
 * size up to 10,000 PRDs.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { DEFAULT_SEED, defaultWorkspaceDir, generateWorkspace, projectRoot } from './generate.ts';
import { answerClientRequests, median, spawnServer, withTimeout } from './lsp.ts';
import type { GeneratedWorkspace } from './types.ts';
import { SERVER_ENVIRONMENT } from '../common/serverEnvironment.ts';

const HISTORY_GENERATOR_VERSION = 1;
const HISTORY_STAMP = '.history-stamp.json';
const POLL_MS = 50;
export const HISTORY_BARS = { firstMs: 5000, incrementalMs: 200 } as const;

export interface HistoryRepo {
  readonly dir: string;
  readonly commits: number;
  readonly baseHead: string;
  readonly cached: boolean;
  readonly generationMs: number;
}

interface HistoryStamp {
  version: number;
  prds: number;
  seed: number;
  commits: number;
  baseHead: string;
  generationMs: number;
}

function git(cwd: string, args: readonly string[], input?: Buffer, date = '1767607200 +0000'): string {
  return execFileSync('git', ['-c', 'core.fsmonitor=false', '-c', 'core.hooksPath=/dev/null', ...args], {
    cwd,
    input,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    stdio: [input ? 'pipe' : 'ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      GIT_CONFIG_GLOBAL: os.devNull,
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_AUTHOR_NAME: 'Bench',
      GIT_AUTHOR_EMAIL: 'bench@example.test',
      GIT_COMMITTER_NAME: 'Bench',
      GIT_COMMITTER_EMAIL: 'bench@example.test',
      GIT_AUTHOR_DATE: date,
      GIT_COMMITTER_DATE: date,
    },
  });
}

/** A small seeded PRNG (mulberry32): the same commits every time. */
function rng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The history repository of `ws` with `commits` commits, generated once and cached. */
export function historyRepo(ws: GeneratedWorkspace, commits = 1000): HistoryRepo {
  const dir = path.join(projectRoot, '.cache', 'bench', `history-of-${path.basename(ws.dir)}`);
  const stampFile = path.join(dir, HISTORY_STAMP);
  if (existsSync(stampFile)) {
    const stamp = JSON.parse(readFileSync(stampFile, 'utf8')) as HistoryStamp;
    if (stamp.version === HISTORY_GENERATOR_VERSION && stamp.prds === ws.prds && stamp.seed === ws.seed && stamp.commits === commits) {
      // Undo what an earlier run committed (only the files it changed are written).
      git(dir, ['reset', '-q', '--hard', stamp.baseHead]);
      return { dir, commits, baseHead: stamp.baseHead, cached: true, generationMs: stamp.generationMs };
    }
  }
  const started = performance.now();
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  git(dir, ['init', '-q', '-b', 'main']);
  const texts = new Map<string, string>();
  for (const file of ws.files) texts.set(path.relative(ws.dir, file).split(path.sep).join('/'), readFileSync(file, 'utf8'));
  const strategies = [...texts.keys()].filter((file) => file.startsWith('strategy/'));
  const prds = [...texts.keys()].filter((file) => file.startsWith('prds/'));
  const outcomeIds = new Set<string>();
  for (const file of strategies) for (const match of texts.get(file)!.matchAll(/^### (OUT-\d+):/gm)) outcomeIds.add(match[1]!);
  const outcomes = [...outcomeIds];

  const chunks: Buffer[] = [];
  const push = (text: string) => chunks.push(Buffer.from(text, 'utf8'));
  const blob = (file: string) => {
    const bytes = Buffer.from(texts.get(file)!, 'utf8');
    push(`M 100644 inline ${file}\ndata ${bytes.length}\n`);
    chunks.push(bytes);
    push('\n');
  };
  const BASE_TIME = Date.UTC(2026, 0, 5, 10) / 1000;
  const commit = (index: number, message: string, files: readonly string[]) => {
    const time = `${BASE_TIME + index * 3600} +0000`;
    const bytes = Buffer.byteLength(message);
    push(
      `commit refs/heads/main\nmark :${index + 1}\nauthor Bench <bench@example.test> ${time}\ncommitter Bench <bench@example.test> ${time}\ndata ${bytes}\n${message}\n`,
    );
    if (index > 0) push(`from :${index}\n`);
    for (const file of files) blob(file);
    push('\n');
  };
  commit(0, 'The whole workspace', [...texts.keys()]);
  const random = rng(ws.seed ^ 0x13);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  /** Replaces the `nth % count` match of `pattern` in the file with `replace(match)`; false when nothing matches. */
  const editLine = (file: string, pattern: RegExp, replace: (line: string) => string): boolean => {
    const text = texts.get(file)!;
    const matches = [...text.matchAll(pattern)];
    if (matches.length === 0) return false;
    const match = pick(matches);
    texts.set(file, text.slice(0, match.index) + replace(match[0]) + text.slice(match.index + match[0].length));
    return true;
  };
  for (let index = 1; index < commits; index++) {
    const changed = new Set<string>();
    const subjects: string[] = [];
    const edits = index % 10 === 0 ? 3 : 1;
    for (let edit = 0; edit < edits; edit++) {
      const kind = (index + edit) % 3;
      if (kind === 0) {
        const file = pick(strategies);
        if (editLine(file, /^### OUT-\d+: .*$/gm, (line) => `${line.replace(/ \(rev \d+\)$/, '')} (rev ${index})`)) {
          changed.add(file);
          subjects.push(`retitle an outcome in ${file}`);
        }
      } else if (kind === 1) {
        const file = pick(strategies);
        if (editLine(file, /^ {2}Current: \d+/gm, () => `  Current: ${10 + Math.floor(random() * 80)}`)) {
          changed.add(file);
          subjects.push(`check-in in ${file}`);
        }
      } else {
        const file = pick(prds);
        if (editLine(file, /^Traces: .*$/gm, () => `Traces: ${pick(outcomes)}`)) {
          changed.add(file);
          subjects.push(`relink a requirement in ${file}`);
        }
      }
    }
    commit(index, subjects.join('; ') || 'no change', [...changed]);
  }
  git(dir, ['fast-import', '--quiet'], Buffer.concat(chunks));
  // The working tree and the index at HEAD.
  for (const [file, text] of texts) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), text);
  }
  git(dir, ['reset', '-q']);
  const baseHead = git(dir, ['rev-parse', 'HEAD']).trim();
  const generationMs = performance.now() - started;
  const stamp: HistoryStamp = { version: HISTORY_GENERATOR_VERSION, prds: ws.prds, seed: ws.seed, commits, baseHead, generationMs };
  writeFileSync(stampFile, JSON.stringify(stamp, null, 1) + '\n');
  return { dir, commits, baseHead, cached: false, generationMs };
}

export interface HistoryFigures {
  commits: number;
  /** Spawn → first `historyChanged` (the first diagnostics were published before it). */
  firstMs: number;
  /** Spawn → the first `throughline/alignmentChanged` (indexed, every diagnostic published). */
  indexedMs: number;
  /** The server's own time for the first read (`milliseconds` of the notification). */
  firstServerMs: number;
  /** Per new commit: `git commit` returned → `historyChanged` (`initial: false`), with the poll wait (≤ POLL_MS). */
  incrementalMs: number[];
  /** Per new commit: the server's own `milliseconds` (HEAD seen moved → folded in, readers invalidated). */
  incrementalServerMs: number[];
  /** Per new commit: `git commit` returned → the suspect link published on a PRD that traces the changed outcome. */
  incrementalDiagnosticsMs: number[];
  pollMs: number;
}

/** The history rows' figures, through the real server over stdio. */
export async function measureHistory(
  ws: GeneratedWorkspace,
  repo: HistoryRepo,
  opts: { serverPath: string; runs: number; log: (line: string) => void },
): Promise<HistoryFigures> {
  const server = spawnServer([opts.serverPath, '--stdio'], {
    ...SERVER_ENVIRONMENT,
    THROUGHLINE_TODAY: '2026-11-22',
    THROUGHLINE_PARANOID: '0',
    THROUGHLINE_HISTORY_POLL_MS: String(POLL_MS),
  });
  const { connection } = server;
  type Changed = { initial: boolean; milliseconds: number; commits: number; note?: string; at: number };
  const changes: Changed[] = [];
  let changeWaiter: (() => void) | undefined;
  let indexedAt = NaN;
  const publishWaiters = new Map<string, (diagnostics: { code?: unknown; message: string }[]) => boolean>();
  connection.onNotification('throughline/historyChanged', (params: Omit<Changed, 'at'>) => {
    changes.push({ ...params, at: performance.now() });
    changeWaiter?.();
  });
  connection.onNotification('throughline/alignmentChanged', () => {
    if (Number.isNaN(indexedAt)) indexedAt = performance.now();
  });
  connection.onNotification('textDocument/publishDiagnostics', (params: { uri: string; diagnostics: { code?: unknown; message: string }[] }) => {
    const waiter = publishWaiters.get(params.uri);
    if (waiter?.(params.diagnostics)) publishWaiters.delete(params.uri);
  });
  answerClientRequests(connection);
  connection.listen();
  const nextChange = (count: number) =>
    new Promise<Changed>((resolve) => {
      const check = () => {
        if (changes.length >= count) {
          changeWaiter = undefined;
          resolve(changes[count - 1]!);
        }
      };
      changeWaiter = check;
      check();
    });
  const waitMs = Math.max(120_000, ws.prds * 30);
  try {
    const rootUri = pathToFileURL(repo.dir).href;
    await connection.sendRequest('initialize', {
      processId: process.pid,
      rootUri,
      workspaceFolders: [{ uri: rootUri, name: path.basename(repo.dir) }],
      capabilities: { workspace: { configuration: true, workspaceFolders: true }, textDocument: { publishDiagnostics: { relatedInformation: true } } },
    });
    await connection.sendNotification('initialized', {});
    const first = await withTimeout(Promise.race([nextChange(1), server.untilExit]), waitMs, 'the first throughline/historyChanged');
    if (first.note || !first.initial) throw new Error(`the first historyChanged: ${JSON.stringify(first)}`);
    const firstMs = first.at - server.spawnedAt;
    opts.log(
      `history: ${first.commits} commits read ${firstMs.toFixed(0)} ms after the spawn (indexed at ${(indexedAt - server.spawnedAt).toFixed(0)} ms; the read itself ${first.milliseconds} ms)`,
    );
    const incrementalMs: number[] = [];
    const incrementalServerMs: number[] = [];
    const incrementalDiagnosticsMs: number[] = [];
    // A few seconds for the first diagnostics with the history to settle.
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const strategyFiles = ws.strategyFiles.map((file) => path.relative(ws.dir, file).split(path.sep).join('/'));
    for (let run = 0; run < opts.runs; run++) {
      const file = strategyFiles[(run * 7 + 3) % strategyFiles.length]!;
      const text = readFileSync(path.join(repo.dir, file), 'utf8');
      const titles = [...text.matchAll(/^### (OUT-\d+): .*$/gm)];
      const title = titles[run % titles.length]!;
      const outcome = title[1]!;
      // A PRD that traces the outcome (a `Traces:` line naming it). The server sees the file change on disk
      // first (a suspect link "in edits not yet committed"), as it would when a user edits and then commits.
      const prd = findTracingPrd(repo.dir, ws, outcome);
      const changed = text.slice(0, title.index) + `${title[0]} (bench run ${run})` + text.slice(title.index! + title[0].length);
      writeFileSync(path.join(repo.dir, file), changed);
      const suspect = prd
        ? new Promise<number>((resolve) =>
            publishWaiters.set(pathToFileURL(prd).href, (diagnostics) => {
              const found = diagnostics.some((diagnostic) => diagnostic.code === 'suspect-link' && diagnostic.message.includes(`Bench: retitle ${outcome})`));
              if (found) resolve(performance.now());
              return found;
            }),
          )
        : undefined;
      git(repo.dir, ['add', file]);
      git(repo.dir, ['commit', '-q', '--no-verify', '-m', `Bench: retitle ${outcome}`], undefined, `${Date.UTC(2026, 10, 1 + run, 10) / 1000} +0000`);
      const committed = performance.now();
      const update = await withTimeout(Promise.race([nextChange(changes.length + 1), server.untilExit]), 180_000, 'historyChanged after a commit');
      if (update.initial || update.commits !== 1) throw new Error(`the update after a commit: ${JSON.stringify(update)}`);
      incrementalMs.push(update.at - committed);
      incrementalServerMs.push(update.milliseconds);
      if (suspect) incrementalDiagnosticsMs.push((await withTimeout(suspect, 180_000, `the suspect link to ${outcome}`)) - committed);
      opts.log(
        `history: commit ${run + 1}/${opts.runs} (${outcome}) → historyChanged ${(update.at - committed).toFixed(0)} ms (server ${update.milliseconds} ms)` +
          (incrementalDiagnosticsMs.length > run ? `, → suspect link published ${incrementalDiagnosticsMs[run]!.toFixed(0)} ms` : ''),
      );
    }
    return {
      commits: first.commits,
      firstMs,
      indexedMs: indexedAt - server.spawnedAt,
      firstServerMs: first.milliseconds,
      incrementalMs,
      incrementalServerMs,
      incrementalDiagnosticsMs,
      pollMs: POLL_MS,
    };
  } finally {
    try {
      await withTimeout(connection.sendRequest('shutdown'), 5000, 'shutdown');
      await connection.sendNotification('exit');
    } catch {
      // killed below
    }
    server.dispose();
    git(repo.dir, ['reset', '-q', '--hard', repo.baseHead]);
  }
}

function findTracingPrd(dir: string, ws: GeneratedWorkspace, outcome: string): string | undefined {
  const pattern = new RegExp(`^Traces: .*\\b${outcome}\\b`, 'm');
  for (const file of ws.files) {
    if (!file.includes(`${path.sep}prds${path.sep}`)) continue;
    const inRepo = path.join(dir, path.relative(ws.dir, file));
    if (pattern.test(readFileSync(inRepo, 'utf8'))) return inRepo;
  }
  return undefined;
}

/** The rows `npm run bench` adds to a size's table. */
export function historyRows(figures: HistoryFigures, prds: number) {
  const at10k = prds === 10000;
  const status = (value: number, bar: number) => (at10k ? (value < bar ? ('PASS' as const) : ('FAIL' as const)) : ('' as const));
  const incremental = median(figures.incrementalMs);
  const server = median(figures.incrementalServerMs);
  return [
    {
      key: 'historyFirstMs',
      metric: `initialize → first throughline/historyChanged (${figures.commits.toLocaleString('en-US')} commits read after the first diagnostics)`,
      short: 'initialize → git history read',
      unit: 'ms' as const,
      throughline: figures.firstMs,
      peer: null,
      ratio: null,
      bar: at10k ? `< ${HISTORY_BARS.firstMs.toLocaleString('en-US')} ms` : '',
      status: status(figures.firstMs, HISTORY_BARS.firstMs),
    },
    {
      key: 'historyFirstServerMs',
      metric: `  the server's own time: the first read (git log, blobs, the fold, the working files compared), started once the first diagnostics are out`,
      short: 'git history read (server)',
      unit: 'ms' as const,
      throughline: figures.firstServerMs,
      peer: null,
      ratio: null,
      bar: '',
      status: '' as const,
    },
    {
      key: 'historyIncrementalMs',
      metric: `new commit → historyChanged, median of ${figures.incrementalMs.length} (HEAD polled every ${figures.pollMs} ms here, 2 s by default)`,
      short: 'new commit → history updated',
      unit: 'ms' as const,
      throughline: incremental,
      peer: null,
      ratio: null,
      bar: '',
      status: '' as const,
    },
    {
      key: 'historyIncrementalServerMs',
      metric: `  the server's own time: HEAD seen moved → commit folded in, readers invalidated (median)`,
      short: 'new commit folded in (server)',
      unit: 'ms' as const,
      throughline: server,
      peer: null,
      ratio: null,
      bar: at10k ? `< ${HISTORY_BARS.incrementalMs} ms` : '',
      status: status(server, HISTORY_BARS.incrementalMs),
    },
    {
      key: 'historyDiagnosticsMs',
      metric: `new commit → the suspect link published on a PRD tracing the changed outcome (median, poll wait included)`,
      short: 'new commit → suspect link published',
      unit: 'ms' as const,
      throughline: median(figures.incrementalDiagnosticsMs),
      peer: null,
      ratio: null,
      bar: '',
      status: '' as const,
    },
  ];
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const option = (name: string, fallback: number) => {
    const at = argv.indexOf(name);
    return at === -1 ? fallback : Number(argv[at + 1]);
  };
  const prds = option('--prds', 10000);
  const ws = await generateWorkspace(defaultWorkspaceDir(prds, DEFAULT_SEED), { prds, seed: DEFAULT_SEED });
  const log = (line: string) => process.stdout.write(`  ${line}\n`);
  const generation = performance.now();
  const repo = historyRepo(ws, option('--commits', 1000));
  log(
    `history repository ${path.relative(projectRoot, repo.dir)}: ${repo.commits} commits ${repo.cached ? '(cached)' : `generated in ${((performance.now() - generation) / 1000).toFixed(1)} s`}`,
  );
  const loadBefore = os.loadavg().map((value) => +value.toFixed(2));
  const figures = await measureHistory(ws, repo, { serverPath: path.join(projectRoot, 'dist', 'server.js'), runs: option('--runs', 5), log });
  const loadAfter = os.loadavg().map((value) => +value.toFixed(2));
  const rows = historyRows(figures, prds);
  for (const row of rows) log(`${row.metric}: ${row.throughline?.toFixed(0)} ms ${row.bar} ${row.status}`);
  log(`load average ${loadBefore.join(' ')} → ${loadAfter.join(' ')}`);
  const out = path.join(projectRoot, '.cache', 'bench', `history-${prds}.json`);
  writeFileSync(out, JSON.stringify({ date: new Date().toISOString(), loadBefore, loadAfter, figures, rows }, null, 1) + '\n');
  log(`written to ${path.relative(projectRoot, out)}`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.join(projectRoot, 'bench', 'history.ts')) {
  main().catch((error: unknown) => {
    process.stderr.write(`bench/history failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  });
}
