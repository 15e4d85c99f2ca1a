/**
 * Editor tests: the configuration blocks of README.md's "Other editors" section, run as they are
 * in real editors (Debian's Neovim 0.7.2, Emacs 30 from bookworm-backports) on a temporary copy of
 * examples/acme. `bash scripts/setup-editors.sh` installs the editors; `npm run build` builds the
 * server that the `throughline` shim on the editors' PATH runs.
 *
 * A block is found by the HTML comment that precedes its fence:
 *
 *   <!-- editor-config: neovim-0.7 -->
 *   ```lua
 *   ...
 *   ```
 *
 * Every wait is bounded (STEP_TIMEOUT_MS) and a failed wait says what the editor last showed.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { chmod, cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const README = path.join(REPO_ROOT, 'README.md');
export const ACME = path.join(REPO_ROOT, 'examples', 'acme');
export const SUPPORT_DIR = path.join(REPO_ROOT, 'test', 'editors', 'support');
/** The CLI the `throughline` shim runs; THROUGHLINE_BIN runs the editors against another build. */
export const BIN = process.env.THROUGHLINE_BIN ? path.resolve(process.env.THROUGHLINE_BIN) : path.join(REPO_ROOT, 'bin', 'throughline.js');
/** The day the server pretends it is, so that the date rules give the same answers every day. */
export const TEST_TODAY = '2026-11-22';
/** The longest any single step (diagnostics arriving, a jump, an edit) may take. */
export const STEP_TIMEOUT_MS = Number(process.env.EDITOR_STEP_TIMEOUT_MS ?? 20_000);

// ---------------------------------------------------------------------------------------------
// README blocks
// ---------------------------------------------------------------------------------------------

export interface ConfigBlock {
  readonly name: string;
  /** The fence's info string (`lua`, `elisp`, `toml`, …). */
  readonly language: string;
  readonly code: string;
  /** 1-based line of the README where the code starts. */
  readonly line: number;
}

/** Every `<!-- editor-config: NAME -->` block of the README, in order. */
export function readmeConfigBlocks(readme = readFileSync(README, 'utf8')): ConfigBlock[] {
  const lines = readme.split('\n');
  const blocks: ConfigBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const marker = /^<!--\s*editor-config:\s*([\w.-]+)\s*-->\s*$/.exec(lines[i]!);
    if (!marker) continue;
    const name = marker[1]!;
    let j = i + 1;
    while (j < lines.length && lines[j]!.trim() === '') j++;
    const fence = /^(`{3,})\s*([\w+-]*)\s*$/.exec(lines[j] ?? '');
    if (!fence) throw new Error(`README.md:${i + 1}: <!-- editor-config: ${name} --> is not followed by a fenced code block`);
    const close = lines.findIndex((line, k) => k > j && line.trimEnd() === fence[1]);
    if (close < 0) throw new Error(`README.md:${j + 1}: the code block of ${name} is not closed`);
    blocks.push({ name, language: fence[2]!, code: lines.slice(j + 1, close).join('\n') + '\n', line: j + 2 });
    i = close;
  }
  return blocks;
}

/** The README block marked `<!-- editor-config: NAME -->`; throws when there is not exactly one. */
export function readmeConfig(name: string): ConfigBlock {
  const found = readmeConfigBlocks().filter((block) => block.name === name);
  if (found.length !== 1) throw new Error(`README.md has ${found.length} blocks marked <!-- editor-config: ${name} --> (expected exactly 1)`);
  return found[0]!;
}

// ---------------------------------------------------------------------------------------------
// Preconditions
// ---------------------------------------------------------------------------------------------

/** Throws a clear message when the built server or an editor is missing. */
export function requireTools(...commands: string[]): void {
  for (const file of ['dist/cli.js', 'dist/server.js']) {
    if (!existsSync(path.join(path.dirname(BIN), '..', file))) throw new Error(`${file} is missing: run \`npm run build\` first.`);
  }
  for (const command of commands) {
    try {
      execFileSync(command, ['--version'], { stdio: 'ignore', timeout: 10_000 });
    } catch {
      throw new Error(`\`${command}\` is not installed or does not run: run \`bash scripts/setup-editors.sh\` (as root) first.`);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Workspace
// ---------------------------------------------------------------------------------------------

export interface Sandbox {
  /** The temporary root: holds the workspace, the shim, HOME and the logs. */
  readonly root: string;
  /** The copy of examples/acme (a git repository). */
  readonly workspace: string;
  /** Environment for the editor: the `throughline` shim first on PATH, HOME and XDG dirs inside root. */
  readonly env: NodeJS.ProcessEnv;
  /** What the server wrote on stderr. */
  readonly serverLog: string;
  file(relative: string): string;
  readDisk(relative: string): Promise<string>;
  /** Last lines of the server's stderr, for failure messages. */
  serverLogTail(lines?: number): string;
  /** Kills the servers the shim started (if still alive) and removes the temporary root. */
  dispose(): Promise<void>;
}

/**
 * Copies examples/acme into a new temporary folder, `git init`s it, and puts a `throughline`
 * executable first on PATH that runs this checkout's bin/throughline.js (or THROUGHLINE_BIN),
 * recording its pid.
 */
export async function createSandbox(prefix: string): Promise<Sandbox> {
  const root = await mkdtemp(path.join(os.tmpdir(), `throughline-${prefix}-`));
  const workspace = path.join(root, 'acme');
  const bin = path.join(root, 'bin');
  const home = path.join(root, 'home');
  const serverLog = path.join(root, 'server.log');
  const pidFile = path.join(root, 'server.pids');
  await cp(ACME, workspace, { recursive: true });
  execFileSync('git', ['init', '-q'], { cwd: workspace, stdio: 'ignore' });
  await mkdir(bin);
  await mkdir(home);
  const shim = path.join(bin, 'throughline');
  await writeFile(
    shim,
    [
      '#!/bin/sh',
      '# Test shim: the README configurations run `throughline lsp --stdio`; this runs the checkout.',
      `echo $$ >> ${shellQuote(pidFile)}`,
      `exec ${shellQuote(process.execPath)} ${shellQuote(BIN)} "$@" 2>> ${shellQuote(serverLog)}`,
      '',
    ].join('\n'),
  );
  await chmod(shim, 0o755);
  const env: NodeJS.ProcessEnv = {
    PATH: `${bin}${path.delimiter}${process.env.PATH ?? '/usr/bin:/bin'}`,
    HOME: home,
    XDG_CONFIG_HOME: path.join(home, '.config'),
    XDG_DATA_HOME: path.join(home, '.local', 'share'),
    XDG_STATE_HOME: path.join(home, '.local', 'state'),
    XDG_CACHE_HOME: path.join(home, '.cache'),
    TMPDIR: root,
    LANG: 'C.UTF-8',
    LC_ALL: 'C.UTF-8',
    TERM: 'dumb',
    THROUGHLINE_TODAY: TEST_TODAY,
  };
  return {
    root,
    workspace,
    env,
    serverLog,
    file: (relative) => path.join(workspace, relative),
    readDisk: (relative) => readFile(path.join(workspace, relative), 'utf8'),
    serverLogTail: (lines = 20) => tail(readOr(serverLog), lines),
    async dispose() {
      const pids = readOr(pidFile)
        .split('\n')
        .map(Number)
        .filter((n) => n > 0);
      for (const pid of pids) {
        // Only a server this sandbox started (its PATH starts with the shim's folder), never a
        // process that has since reused the pid.
        if (readOr(`/proc/${pid}/environ`).includes(`PATH=${bin}${path.delimiter}`)) killQuietly(pid, 'SIGKILL');
      }
      await rm(root, { recursive: true, force: true, maxRetries: 3 });
    },
  };
}

function shellQuote(text: string): string {
  return `'${text.replaceAll("'", `'\\''`)}'`;
}

function readOr(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

export function tail(text: string, lines: number): string {
  return text.split('\n').slice(-lines).join('\n');
}

function killQuietly(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // already gone
  }
}

// ---------------------------------------------------------------------------------------------
// Processes and waiting
// ---------------------------------------------------------------------------------------------

export interface Spawned {
  readonly child: ChildProcess;
  /** Everything the process wrote on stdout and stderr. */
  output(): string;
  exited(): boolean;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves when the process is gone. */
  stop(graceMs?: number): Promise<void>;
}

export function spawnLogged(command: string, args: readonly string[], options: { cwd: string; env: NodeJS.ProcessEnv }): Spawned {
  const child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  let exited = false;
  const append = (chunk: Buffer) => {
    output += chunk.toString('utf8');
    if (output.length > 200_000) output = output.slice(-100_000);
  };
  child.stdout!.on('data', append);
  child.stderr!.on('data', append);
  const exit = new Promise<void>((resolve) => {
    child.once('exit', () => {
      exited = true;
      resolve();
    });
    child.once('error', (error) => {
      output += `\n[spawn error] ${error.message}`;
      exited = true;
      resolve();
    });
  });
  return {
    child,
    output: () => output,
    exited: () => exited,
    async stop(graceMs = 2_000) {
      if (exited) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exit;
      clearTimeout(timer);
    },
  };
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Polls `probe` until it returns something other than undefined, for at most `timeoutMs`. On
 * timeout, throws with `what`, the last value `observe` returned (what the editor showed), and
 * the last error the probe threw.
 */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  options: { timeoutMs?: number; intervalMs?: number; observe?: () => Promise<unknown> } = {},
): Promise<T> {
  const timeoutMs = options.timeoutMs ?? STEP_TIMEOUT_MS;
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() >= deadline) break;
    await sleep(options.intervalMs ?? 100);
  }
  let seen = '';
  if (options.observe) {
    try {
      seen = show(await options.observe());
    } catch (error) {
      seen = `(could not ask the editor: ${(error as Error).message})`;
    }
  }
  throw new Error(
    [
      `Timed out after ${timeoutMs} ms waiting for ${what}.`,
      seen && `The editor showed:\n${seen}`,
      lastError ? `Last error: ${(lastError as Error).message ?? String(lastError)}` : '',
    ]
      .filter(Boolean)
      .join('\n'),
  );
}

export function show(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value, null, 2);
}

// ---------------------------------------------------------------------------------------------
// What examples/acme is known to hold (lines 1-based as in `throughline check`, columns 0-based
// as in LSP)
// ---------------------------------------------------------------------------------------------

export const ACME_FILES = {
  guestCheckout: 'prds/guest-checkout.md',
  smartReminders: 'prds/smart-reminders.md',
  strategy: 'strategy/payments-2027-h1.md',
} as const;

/** The outcome IDs examples/acme defines. */
export const ACME_OUTCOMES = ['OUT-1', 'OUT-2', 'OUT-3', 'OUT-4', 'OUT-5', 'OUT-6', 'OUT-7'];

/** A Markdown PRD tracing a requirement to OUT-7, written on disk behind the editor's back. */
export const CASH_FORECAST_PRD = `---
type: prd
id: PRD-5
title: Cash-flow forecast
owner: maya.chen@acme.test
status: draft
updated: 2026-11-20
outcomes: [OUT-7]
---
# PRD-5: Cash-flow forecast

## Requirements

### REQ-5.1: Show the expected balance for the next eight weeks
Traces: OUT-7
Priority: must
`;

/** A diagnostic as the tests compare them, whatever the editor. */
export interface SeenDiagnostic {
  /** 0-based. */
  readonly line: number;
  /** 0-based. */
  readonly col: number;
  readonly message: string;
  /** 1 error, 2 warning, 3 information, 4 hint. */
  readonly severity: number;
}

export function findDiagnostic(diagnostics: readonly SeenDiagnostic[], messageStart: string): SeenDiagnostic | undefined {
  return diagnostics.find((d) => d.message.startsWith(messageStart));
}
