/**
 * What the served benchmark needs from a process: a language server spawned over stdio with a
 * JSON-RPC connection, its resident memory from /proc, and a whole process (a CLI) run to its end
 * with its wall time and peak resident size. Nothing here knows Throughline's internals: only the
 * protocol and /proc.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';

export const percentile = (values: readonly number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? NaN;
};
export const median = (values: readonly number[]): number => percentile(values, 50);

/** VmRSS and VmHWM (peak) of a live process, MB (MiB); NaN once it is gone. */
export function memoryOf(pid: number): { rssMb: number; peakMb: number } {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (key: string) => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(status)?.[1] ?? NaN);
    return { rssMb: kb('VmRSS') / 1024, peakMb: kb('VmHWM') / 1024 };
  } catch {
    return { rssMb: NaN, peakMb: NaN };
  }
}

export interface ServerProcess {
  readonly child: ChildProcess;
  readonly pid: number;
  readonly connection: MessageConnection;
  /** performance.now() right after the spawn: timings from here include the process start. */
  readonly spawnedAt: number;
  /** Rejects when the process exits: race a wait for a notification with it. */
  readonly untilExit: Promise<never>;
  /** How the process ended, when it ended on its own (the signal and its last fatal error line). */
  exitReason(): string | undefined;
  /** Ends the connection and kills the process. */
  dispose(): void;
}

/** `message`, with how the server ended when it did (a server out of memory makes pending requests fail with a bare "connection disposed"). */
export function explain(server: ServerProcess, error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const reason = server.exitReason();
  return reason ? `${reason} (${message})` : message;
}

/**
 * A reader of a server's stdout. Its partial-message timer is off: vscode-jsonrpc re-arms that
 * timer every 10 s for as long as a message stays half-read, and disposing the reader does not
 * clear it, so a server killed in the middle of writing kept the benchmark process alive after it
 * had written its results.
 */
export function serverOutputReader(stdout: NodeJS.ReadableStream): StreamMessageReader {
  const reader = new StreamMessageReader(stdout);
  reader.partialMessageTimeout = 0;
  return reader;
}

/** Spawns `node <args>` with its stdio as the JSON-RPC channel. The caller registers handlers, then calls `connection.listen()`. */
export function spawnServer(args: readonly string[], env: NodeJS.ProcessEnv = {}): ServerProcess {
  const child = spawn(process.execPath, [...args], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  const spawnedAt = performance.now();
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-4000);
  });
  const connection = createMessageConnection(serverOutputReader(child.stdout!), new StreamMessageWriter(child.stdin!));
  connection.onError(([error]) => process.stderr.write(`  [${path.basename(args[0] ?? 'server')}] connection error: ${error.message}\n`));
  let exitReason: string | undefined;
  let rejectExit: (error: Error) => void = () => undefined;
  const untilExit = new Promise<never>((_, reject) => (rejectExit = reject));
  untilExit.catch(() => undefined);
  child.on('exit', (code, signal) => {
    rejectExit(new Error(`the server exited with ${code ?? signal}`));
    if (signal !== 'SIGKILL') {
      const fatal = stderr.split('\n').find((line) => /FATAL ERROR|out of memory/i.test(line));
      exitReason = `the server exited with ${code ?? signal}${fatal ? `: ${fatal.trim()}` : ''}`;
    }
    // Requests still waiting fail now rather than hang (a server that ran out of memory).
    connection.dispose();
    if (signal !== 'SIGKILL' && code !== 0) process.stderr.write(`  [${path.basename(args[0] ?? 'server')}] exited with ${code ?? signal}: ${stderr.trim()}\n`);
  });
  return {
    child,
    pid: child.pid!,
    connection,
    spawnedAt,
    untilExit,
    exitReason: () => exitReason,
    dispose() {
      connection.dispose();
      child.kill('SIGKILL');
    },
  };
}

/**
 * Answers what a server asks of its client as VS Code's client would, with nothing to say: no
 * settings of its own, capabilities and progress accepted, refreshes acknowledged; log lines dropped.
 */
export function answerClientRequests(connection: MessageConnection): void {
  connection.onNotification('window/logMessage', () => undefined);
  connection.onRequest('client/registerCapability', () => null);
  connection.onRequest('window/workDoneProgress/create', () => null);
  connection.onRequest('workspace/configuration', (params: { items: unknown[] }) => params.items.map(() => null));
  connection.onRequest('workspace/inlayHint/refresh', () => null);
  connection.onRequest('workspace/semanticTokens/refresh', () => null);
  connection.onRequest('workspace/codeLens/refresh', () => null);
}

/** Times one request at the client: from sending to the parsed answer (JSON included). */
export async function timed<T>(send: () => Promise<T>): Promise<{ ms: number; result: T }> {
  const started = performance.now();
  const result = await send();
  return { ms: performance.now() - started, result };
}

/** A promise that rejects after `ms` with `what` in its message. */
export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
    }),
  ]);
}

export interface WholeProcessFigures {
  /** Spawn to exit, ms. */
  wallMs: number;
  /** The process's own peak resident size (getrusage maxRSS, reported at exit by a preload), MB (MiB). */
  peakRssMb: number;
  /** The peak from polling /proc/<pid>/status VmHWM every 20 ms (a floor: the last 20 ms may be missed), MB. */
  polledPeakRssMb: number;
  exitCode: number | null;
  stdoutBytes: number;
}

/**
 * Runs `node <args>` to its end. The peak resident size is reported by the process itself at exit
 * (a `--require`d preload writes `process.resourceUsage().maxRSS` to a file), since nothing outside
 * can read it after the process is gone; /proc is polled meanwhile as a cross-check.
 * `okCodes`: exit codes that are results, not failures (`check` exits 1 when it finds errors).
 */
export async function runWholeProcess(
  args: readonly string[],
  opts: { cwd?: string; okCodes?: readonly number[]; env?: NodeJS.ProcessEnv } = {},
): Promise<WholeProcessFigures> {
  const temp = mkdtempSync(path.join(os.tmpdir(), 'throughline-bench-peak-'));
  const preload = path.join(temp, 'peak.cjs');
  const report = path.join(temp, 'peak.json');
  writeFileSync(
    preload,
    `process.on('exit', () => { try { require('node:fs').writeFileSync(${JSON.stringify(report)}, JSON.stringify({ maxRssKb: process.resourceUsage().maxRSS })); } catch {} });\n`,
  );
  try {
    const started = performance.now();
    const child = spawn(process.execPath, ['--require', preload, ...args], {
      cwd: opts.cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ...opts.env },
    });
    let stdoutBytes = 0;
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdoutBytes += chunk.length));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr = (stderr + chunk).slice(-4000)));
    let polledPeakRssMb = 0;
    const poll = setInterval(() => {
      const { peakMb } = memoryOf(child.pid!);
      if (peakMb > polledPeakRssMb) polledPeakRssMb = peakMb;
    }, 20);
    let exitSignal: NodeJS.Signals | null = null;
    const exitCode = await new Promise<number | null>((resolve, reject) => {
      child.on('error', reject);
      child.on('close', (code, signal) => {
        exitSignal = signal;
        resolve(code);
      });
    });
    const wallMs = performance.now() - started;
    clearInterval(poll);
    if (!(opts.okCodes ?? [0]).includes(exitCode ?? -1)) {
      const fatal = stderr.split('\n').find((line) => /FATAL ERROR|out of memory/i.test(line));
      throw new Error(
        `${path.basename(args[0] ?? 'process')} exited with ${exitCode ?? exitSignal} after ${(wallMs / 1000).toFixed(1)} s: ${(fatal ?? stderr).trim().slice(0, 300)}`,
      );
    }
    let peakRssMb = NaN;
    try {
      peakRssMb = (JSON.parse(readFileSync(report, 'utf8')) as { maxRssKb: number }).maxRssKb / 1024;
    } catch {
      // No report (killed): the polled figure stands.
    }
    return { wallMs, peakRssMb: Number.isNaN(peakRssMb) ? polledPeakRssMb : peakRssMb, polledPeakRssMb, exitCode, stdoutBytes };
  } finally {
    rmSync(temp, { recursive: true, force: true });
  }
}
