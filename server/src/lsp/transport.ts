/**
 * The server's connection. Over `--stdio`, messages the server sends in one turn of the event loop
 * reach stdout in one write: vscode-jsonrpc writes each message as two writes (header, then body),
 * each waiting for the last, so the first diagnostics of a 10,000-document workspace (6,600
 * notifications) took 13,000 write calls and half a second after they were all computed. Every
 * other transport is vscode-languageserver's own.
 */
import { Writable } from 'node:stream';
import { inspect } from 'node:util';
import { createConnection, ProposedFeatures, type Connection } from 'vscode-languageserver/node';

/** Largest chunk written at once: a burst is written in pieces of this size, in order. */
const MAX_CHUNK_BYTES = 1 << 20;

export function createServerConnection(argv: readonly string[] = process.argv.slice(2)): Connection {
  if (transportOf(argv) !== '--stdio') return createConnection(ProposedFeatures.all);
  // The input stream as vscode-languageserver takes it from the command line: it also ends the
  // process when the client closes stdin.
  const output = new CoalescingWritable(process.stdout);
  stdioOutput = output;
  const connection = createConnection(ProposedFeatures.all, process.stdin, output);
  routeConsoleTo(connection);
  return connection;
}

let stdioOutput: CoalescingWritable | undefined;

/**
 * Settles once what was sent so far has been handed to the transport: a message the connection
 * reports written may still be collected for the end of this turn of the event loop.
 */
export function outputWritten(): Promise<void> {
  return stdioOutput?.written() ?? Promise.resolve();
}

/** The transport flag vscode-languageserver would act on: the first of them on the command line. */
function transportOf(argv: readonly string[]): string | undefined {
  for (const arg of argv) {
    const flag = arg.split('=', 1)[0]!;
    if (flag === '--stdio' || flag === '--node-ipc' || flag === '--socket' || flag === '--pipe') return flag;
  }
  return undefined;
}

/**
 * A stream that collects what is written to it during one turn of the event loop and writes it to
 * `target` as one chunk (at most MAX_CHUNK_BYTES each) once the turn is over. Order is kept. A write
 * is acknowledged when collected; a failure of `target` is this stream's `error`, which the message
 * writer reports as it would a failure of stdout itself.
 */
export class CoalescingWritable extends Writable {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private scheduled = false;
  private waiting: (() => void)[] = [];

  constructor(private readonly target: NodeJS.WritableStream) {
    super({ decodeStrings: true });
    target.on('error', (error: Error) => this.destroy(error));
    // process.exit after the `exit` notification runs no more turns: what is collected goes now.
    process.once('exit', () => this.flush());
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.pending.push(chunk);
    this.pendingBytes += chunk.length;
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.flush());
    }
    callback();
  }

  override _final(callback: (error?: Error | null) => void): void {
    this.flush();
    callback();
  }

  /** Settles once everything collected so far has been written to the target. */
  written(): Promise<void> {
    if (this.pendingBytes === 0) return Promise.resolve();
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  /** Writes what was collected, in chunks of at most MAX_CHUNK_BYTES (a larger message alone in its chunk). */
  private flush(): void {
    this.scheduled = false;
    const waiting = this.waiting;
    this.waiting = [];
    try {
      this.writeCollected();
    } finally {
      for (const resolve of waiting) resolve();
    }
  }

  private writeCollected(): void {
    if (this.pendingBytes === 0) return;
    const buffers = this.pending;
    this.pending = [];
    this.pendingBytes = 0;
    let from = 0;
    while (from < buffers.length) {
      let to = from;
      let bytes = 0;
      while (to < buffers.length && (to === from || bytes + buffers[to]!.length <= MAX_CHUNK_BYTES)) bytes += buffers[to++]!.length;
      this.target.write(to - from === 1 ? buffers[from]! : Buffer.concat(buffers.slice(from, to), bytes));
      from = to;
    }
  }
}

/**
 * What a dependency prints with `console` goes to the client's log, as vscode-languageserver does
 * for the stdio it sets up itself: on stdout it would corrupt the stream of messages.
 */
function routeConsoleTo(connection: Connection): void {
  const text = (args: unknown[]) => args.map((arg) => (typeof arg === 'string' ? arg : inspect(arg))).join(' ');
  console.log = (...args: unknown[]) => connection.console.log(text(args));
  console.info = (...args: unknown[]) => connection.console.info(text(args));
  console.debug = (...args: unknown[]) => connection.console.log(text(args));
  console.warn = (...args: unknown[]) => connection.console.warn(text(args));
  console.error = (...args: unknown[]) => connection.console.error(text(args));
  console.trace = (...args: unknown[]) => connection.console.log(`Trace: ${text(args)}\n${new Error().stack ?? ''}`);
  console.dir = (arg: unknown) => connection.console.log(inspect(arg));
}
