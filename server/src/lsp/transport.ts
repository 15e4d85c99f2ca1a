/**
 * The server's connection. Over `--stdio`, messages go through `BufferedMessageWriter`, which
 * writes what the server sends in one go to stdout in one write, as soon as the code that sent
 * it returns. vscode-jsonrpc's own writer writes each message as two writes (header, then body),
 * each in its own turn of the event loop: the first diagnostics of a 10,000-document workspace
 * (6,600 notifications) took 13,000 writes and half a second after they were all computed. Over
 * `--node-ipc` (how VS Code starts it), `IpcMessageWriter` sends as vscode-jsonrpc's writer does
 * but settles each write when the message was sent. Either way a write settles once written,
 * which is how the diagnostics publisher knows the client has read. Every other transport is
 * vscode-languageserver's own.
 */
import { inspect } from 'node:util';
import {
  AbstractMessageWriter,
  createConnection,
  IPCMessageReader,
  ProposedFeatures,
  type Connection,
  type Message,
  type MessageWriter,
} from 'vscode-languageserver/node';

/** Largest chunk written at once: a larger burst is written in pieces of this size, in order. */
const MAX_CHUNK_BYTES = 1 << 20;

export function createServerConnection(argv: readonly string[] = process.argv.slice(2)): Connection {
  const transport = transportOf(argv);
  // VS Code's client starts the server with --node-ipc: the same reader, a writer that says when each message was sent.
  if (transport === '--node-ipc' && typeof process.send === 'function')
    return createConnection(ProposedFeatures.all, new IPCMessageReader(process), new IpcMessageWriter(process as IpcProcess));
  if (transport !== '--stdio') return createConnection(ProposedFeatures.all);
  const writer = new BufferedMessageWriter(process.stdout);
  process.once('exit', () => writer.flush());
  // stdin as a stream, as vscode-languageserver takes it from the command line: it then also ends
  // the process when the client closes stdin. Its typings pair a stream with a stream only; at
  // run time either side may be a stream or a reader/writer (createMessageConnection tells them apart).
  const connection = createConnection(ProposedFeatures.all, process.stdin, writer as unknown as NodeJS.WritableStream);
  routeConsoleTo(connection);
  return connection;
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
 * A JSON-RPC message writer (`Content-Length` framing, UTF-8 JSON, as vscode-jsonrpc's) that
 * encodes each message when it is sent and collects it; what was collected is written to `target`
 * once the code that sent it has returned (a `process.nextTick`), in chunks of at most
 * MAX_CHUNK_BYTES, in order. `write` settles when its message's chunk has been written. A failure
 * of `target` is reported through `onError`, and the messages it held are refused.
 */
export class BufferedMessageWriter extends AbstractMessageWriter implements MessageWriter {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  /** The settling of each collected message, with the index of its last buffer in `pending`. */
  private waiting: { resolve: () => void; reject: (error: Error) => void; message: Message; end: number }[] = [];
  private scheduled = false;
  private errorCount = 0;
  private closed = false;

  constructor(private readonly target: NodeJS.WritableStream) {
    super();
    target.on('error', (error: Error) => this.fireError(error));
    target.on('close', () => {
      this.closed = true;
      this.fireClose();
    });
  }

  write(message: Message): Promise<void> {
    if (this.closed) return Promise.reject(new Error('The connection is closed.'));
    let body: Buffer;
    try {
      body = Buffer.from(JSON.stringify(message), 'utf8');
    } catch (error) {
      this.fireError(error, message, ++this.errorCount);
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
    this.pending.push(Buffer.from(`Content-Length: ${body.byteLength}\r\n\r\n`, 'ascii'), body);
    this.pendingBytes += this.pending[this.pending.length - 2]!.length + body.length;
    if (!this.scheduled) {
      this.scheduled = true;
      process.nextTick(() => this.flush());
    }
    return new Promise((resolve, reject) => this.waiting.push({ resolve, reject, message, end: this.pending.length }));
  }

  end(): void {
    this.flush();
  }

  /** Writes what was collected. */
  flush(): void {
    this.scheduled = false;
    if (this.pendingBytes === 0) return;
    const buffers = this.pending;
    const waiting = this.waiting;
    this.pending = [];
    this.pendingBytes = 0;
    this.waiting = [];
    let from = 0;
    let settled = 0;
    while (from < buffers.length) {
      let to = from;
      let bytes = 0;
      // A message is never split across chunks: its header and body go together.
      while (to < buffers.length && (to === from || bytes + buffers[to]!.length + buffers[to + 1]!.length <= MAX_CHUNK_BYTES)) {
        bytes += buffers[to]!.length + buffers[to + 1]!.length;
        to += 2;
      }
      const inChunk: typeof waiting = [];
      while (settled < waiting.length && waiting[settled]!.end <= to) inChunk.push(waiting[settled++]!);
      this.target.write(Buffer.concat(buffers.slice(from, to), bytes), (error?: Error | null) => {
        if (!error) for (const entry of inChunk) entry.resolve();
        else
          for (const entry of inChunk) {
            this.fireError(error, entry.message, ++this.errorCount);
            entry.reject(error);
          }
      });
      from = to;
    }
  }
}

/** What `IpcMessageWriter` needs of a process with an IPC channel. */
export interface IpcProcess {
  send(message: unknown, sendHandle: undefined, options: undefined, callback: (error: Error | null) => void): boolean;
  on(event: 'error', listener: (error: Error) => void): unknown;
}

/**
 * Writes messages over Node's IPC channel, as vscode-jsonrpc's `IPCMessageWriter` does, but `write`
 * settles when `process.send` reports the message sent, not at once: the diagnostics publisher
 * waits for what it sent to be written before it sends more (diagnosticsPublisher.ts,
 * MAX_UNWRITTEN), and vscode-jsonrpc's writer gave it no way to know.
 */
export class IpcMessageWriter extends AbstractMessageWriter implements MessageWriter {
  private errorCount = 0;

  constructor(private readonly target: IpcProcess) {
    super();
    target.on('error', (error: Error) => this.fireError(error));
  }

  write(message: Message): Promise<void> {
    return new Promise((resolve, reject) => {
      const failed = (error: Error) => {
        this.fireError(error, message, ++this.errorCount);
        reject(error);
      };
      try {
        this.target.send(message, undefined, undefined, (error) => {
          if (error) return failed(error);
          this.errorCount = 0;
          resolve();
        });
      } catch (error) {
        failed(error instanceof Error ? error : new Error(String(error)));
      }
    });
  }

  end(): void {}
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
