/**
 * Runs the Throughline CLI (`node bin/throughline.js …`) as a child process and captures its
 * exit code and output. The CLI is the bundled `dist/cli.js`: run `npm run build` first.
 */
import { spawn } from 'node:child_process';
import { existsSync, realpathSync } from 'node:fs';
import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** The CLI entry; THROUGHLINE_BIN runs the suite against another build (e.g. a patched copy). */
export const BIN = process.env.THROUGHLINE_BIN ? path.resolve(process.env.THROUGHLINE_BIN) : path.join(REPO_ROOT, 'bin', 'throughline.js');
export const ACME = path.join(REPO_ROOT, 'examples', 'acme');

/** Date rules (stale-document) measure against a fixed day, so the examples' problems do not age. */
export const TEST_TODAY = '2026-11-22';
// Set on this process so that every child, whatever env a test builds from process.env, inherits it.
process.env.THROUGHLINE_TODAY ??= TEST_TODAY;

export interface CliResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `command args` (default: `node bin/throughline.js args`), killing it after `timeoutMs`. */
export function run(
  args: readonly string[],
  options: { cwd?: string; command?: readonly string[]; timeoutMs?: number; env?: NodeJS.ProcessEnv; uid?: number; gid?: number } = {},
): Promise<CliResult> {
  if (!existsSync(path.join(path.dirname(BIN), '..', 'dist', 'cli.js'))) throw new Error('dist/cli.js is missing: run `npm run build` first.');
  const [command, ...prefix] = options.command ?? [process.execPath, BIN];
  return new Promise((resolve, reject) => {
    const child = spawn(command!, [...prefix, ...args], {
      cwd: options.cwd ?? REPO_ROOT,
      env: options.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      uid: options.uid,
      gid: options.gid,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new Error(`${[command, ...prefix, ...args].join(' ')} did not finish within ${options.timeoutMs ?? 60_000} ms\nstdout: ${stdout}\nstderr: ${stderr}`),
      );
    }, options.timeoutMs ?? 60_000);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

export interface TempFolder {
  readonly root: string;
  path(relative: string): string;
  write(relative: string, content: string): Promise<string>;
  dispose(): Promise<void>;
}

/** A temp folder under os.tmpdir(): a copy of `source` when given, else empty. */
export async function tempFolder(source?: string, label = 'cli'): Promise<TempFolder> {
  const parent = realpathSync(await mkdtemp(path.join(os.tmpdir(), `throughline-${label}-`)));
  const root = path.join(parent, 'workspace');
  if (source) await cp(source, root, { recursive: true });
  else await mkdir(root);
  const resolve = (relative: string) => path.join(root, ...relative.split('/'));
  return {
    root,
    path: resolve,
    async write(relative, content) {
      const target = resolve(relative);
      await mkdir(path.dirname(target), { recursive: true });
      await writeFile(target, content);
      return target;
    },
    dispose: () => rm(parent, { recursive: true, force: true }),
  };
}

/** Compiler-like diagnostic line: `file:line:col  severity  message  [rule]`. */
export const DIAGNOSTIC_LINE = /^(?<file>[^\s:][^:]*):(?<line>\d+):(?<column>\d+)  (?<severity>error|warning|info|hint)  (?<message>.+)  \[(?<rule>[a-z-]+)\]$/;

export const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;

/** Root reads everything: permission tests run the CLI as `nobody` instead. */
export const UNPRIVILEGED = isRoot ? { uid: 65534, gid: 65534 } : {};
