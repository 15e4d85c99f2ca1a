/**
 * How long `throughline diff HEAD` takes on a generated benchmark workspace (the bar: under 5 s for
 * 10,000 PRDs). The workspace is copied into a temporary git repository, committed, edited a
 * little (a new requirement in one PRD, a new `Current:` in one strategy), and `runDiff` is timed
 * in this process, from the git calls to the printed report. The figure is the median of `runs`:
 * the first run after copying 74 MB often waits on the disk writing the copy back.
 *
 *   node --import tsx bench/diff.ts [--prds 10000] [--seed N]
 */
import { execFileSync } from 'node:child_process';
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { runDiff } from '../server/src/cli/commands/diff.ts';
import { DEFAULT_SEED, defaultWorkspaceDir, generateWorkspace } from './generate.ts';

const BENCH_REQUIREMENT = 'REQ-DIFF-BENCH-1';

/** 10,000 loose objects would start `git gc --auto` in the background, taking CPU from the timing and racing the clean-up. */
const GIT_CONFIG = [
  '-c',
  'user.name=Throughline bench',
  '-c',
  'user.email=bench@throughline.test',
  '-c',
  'commit.gpgsign=false',
  '-c',
  'gc.auto=0',
  '-c',
  'maintenance.auto=false',
];

function git(cwd: string, args: readonly string[]): void {
  execFileSync('git', [...GIT_CONFIG, ...args], { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
}

/** Returns the median time `runDiff` took for `HEAD` against the edited working tree of a copy of `folder`, and every run's. */
export async function benchDiff(folder: string, runs = 3): Promise<{ milliseconds: number; samples: number[] }> {
  const parent = await mkdtemp(path.join(os.tmpdir(), 'throughline-bench-diff-'));
  const root = path.join(parent, 'workspace');
  try {
    // A copy: the cached workspace lives inside Throughline's own repository and must stay as generated.
    await cp(folder, root, { recursive: true });
    git(root, ['init', '-q']);
    git(root, ['add', '-A']);
    git(root, ['commit', '-q', '-m', 'Benchmark workspace']);

    const prds = (await readdir(path.join(root, 'prds'))).filter((name) => name.endsWith('.md')).sort();
    const prd = path.join(root, 'prds', prds[0]!);
    await writeFile(prd, `${await readFile(prd, 'utf8')}\n### ${BENCH_REQUIREMENT}: Added for the diff benchmark\nTraces: OUT-1\n`);
    const strategies = (await readdir(path.join(root, 'strategy'))).filter((name) => name.endsWith('.md')).sort();
    const strategy = path.join(root, 'strategy', strategies[0]!);
    const strategyText = await readFile(strategy, 'utf8');
    await writeFile(strategy, strategyText.replace(/^(\s*Current:).*$/m, '$1 99%'));

    const samples: number[] = [];
    for (let run = 0; run < runs; run++) {
      let output = '';
      const started = performance.now();
      const code = await runDiff(
        { ref: 'HEAD', folder: root, format: 'json' },
        { out: (text) => (output += text), err: (text) => process.stderr.write(`${text}\n`) },
      );
      samples.push(performance.now() - started);
      // A timing of a diff that missed the edit would be worthless.
      const report = JSON.parse(output) as { items: { added: { id: string }[] } };
      if (code !== 0 || !report.items.added.some((item) => item.id === BENCH_REQUIREMENT))
        throw new Error(`diff did not report ${BENCH_REQUIREMENT} as added (exit code ${code})`);
    }
    const sorted = [...samples].sort((a, b) => a - b);
    return { milliseconds: sorted[Math.floor(sorted.length / 2)]!, samples };
  } finally {
    await rm(parent, { recursive: true, force: true });
  }
}

async function main(argv: readonly string[]): Promise<void> {
  let prds = 10000;
  let seed = DEFAULT_SEED;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--prds') prds = Number(argv[++i]);
    else if (argv[i] === '--seed') seed = Number(argv[++i]);
    else throw new Error(`unknown option ${argv[i]} (usage: bench/diff.ts [--prds N] [--seed N])`);
  }
  const workspace = await generateWorkspace(defaultWorkspaceDir(prds, seed), { prds, seed });
  const { milliseconds, samples } = await benchDiff(workspace.dir);
  const runs = samples.map((sample) => Math.round(sample)).join(', ');
  process.stdout.write(
    `throughline diff HEAD, ${prds} PRDs (${(workspace.totalBytes / 1e6).toFixed(1)} MB): median ${Math.round(milliseconds)} ms of ${runs} (bar: 5000 ms)\n`,
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  });
}
