/**
 * An `IWorkspace` over a git tree at a ref: the files of a folder as they were committed, under
 * the same URIs as the working tree has, so that the old and the new alignment can be compared
 * item by item (`throughline diff`).
 */
import type { ChildProcessByStdio } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, constants as fsConstants, fstatSync, lstatSync, openSync, promises as fs, readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { UsageError } from './usageError';
import { CONFIG_FILE_NAME } from '../service/model/config';
import type { IWorkspace, ReadResult } from '../service/workspace/workspace';
import { decodeTextBuffer, MARKDOWN, MAX_FILE_BYTES, pathFromUri, SKIPPED_DIRECTORIES, uriFromPath } from './fsWorkspace';
import { firstLine, isShallowRepository, LINE_BREAK, LINE_BREAK_IN_PATH, runGit, SHALLOW_CLONE_HINT, spawnGit } from './gitRun';

/**
 * The only tree entries read: regular files. Symbolic links (120000) are stored as blobs holding
 * the link's target and are not followed; submodules (160000) are commits of another repository.
 */
const REGULAR_FILE_MODES: ReadonlySet<string> = new Set(['100644', '100755']);
const SUBMODULE_MODE = '160000';
/** A `cat-file --batch` header is `<id> <type> <size>`: far below this. */
const MAX_HEADER_BYTES = 1024;
/** How many working-tree files are hashed between two turns of the event loop. */
const HASH_BATCH = 50;

interface TreeEntry {
  readonly objectId: string;
  /** NaN when git could not tell: the blob is not in this clone (a partial clone would fetch it; Throughline fetches nothing). */
  readonly size: number;
}

/** A blob over the size limit: skipped as a working file that large is, not a failure to read. */
export class BlobTooLarge extends Error {}

/**
 * Reads many blobs through one `git cat-file --batch` process: what `git show REF:path` prints for
 * each file, without starting a process per file (10,000 of them would take longer than indexing).
 * Output is `<id> blob <size>\n<bytes>\n` per object, or `<id> missing\n`; it is parsed as it
 * streams in, so git reads while the caller indexes.
 */
export class BlobReader {
  private readonly waiting = new Map<string, { resolve(buffer: Buffer): void; reject(error: Error): void }>();
  private readonly blobs = new Map<string, Promise<Buffer>>();
  /** How many files still have to read each blob: identical files share one. */
  private readonly readers = new Map<string, number>();
  private header: Buffer[] = [];
  private headerLength = 0;
  private body: Buffer | undefined;
  private bodyObjectId = '';
  /** Whether the object being read is not a blob: its bytes are read, then it fails. */
  private bodyIsNotBlob = false;
  private filled = 0;
  /** The LF git writes after each object's bytes. */
  private skipNewline = false;
  /** Bytes still to pass over of a blob larger than `MAX_FILE_BYTES` (its file is skipped, the others still read). */
  private skipBytes = 0;
  private readonly failAll: (message: string) => void;

  constructor(cwd: string, objectIds: readonly string[]) {
    for (const objectId of objectIds) {
      this.readers.set(objectId, (this.readers.get(objectId) ?? 0) + 1);
      if (this.blobs.has(objectId)) continue;
      this.blobs.set(objectId, new Promise<Buffer>((resolve, reject) => this.waiting.set(objectId, { resolve, reject })));
    }
    // Nobody may be waiting on a promise that fails (a file the service never reads); that is not an unhandled rejection.
    for (const blob of this.blobs.values()) blob.catch(() => undefined);
    this.failAll = (message: string) => {
      for (const waiter of this.waiting.values()) waiter.reject(new Error(message));
      this.waiting.clear();
    };
    if (this.waiting.size === 0) return;
    let child: ChildProcessByStdio<Writable, Readable, Readable>;
    try {
      child = spawnGit(['cat-file', '--batch', '--buffer'], cwd, 'pipe');
    } catch (error) {
      this.failAll(error instanceof Error ? error.message : String(error));
      return;
    }
    let stderr = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      if (stderr.length < 4096) stderr += chunk;
    });
    child.stdout.on('data', (chunk: Buffer) => {
      if (this.consume(chunk)) return;
      // Output that is not what was asked for: stop reading it.
      this.failAll('git cat-file sent output Throughline did not ask for');
      child.kill();
    });
    child.on('error', (error) => this.failAll(`git cat-file failed: ${error.message}`));
    child.on('close', (code) =>
      this.failAll(`git cat-file ended (exit code ${code ?? 'none'}) before sending the file${stderr ? `: ${firstLine(stderr)}` : ''}`),
    );
    child.stdin.on('error', () => undefined); // git exiting early is reported by 'close'
    child.stdin.end([...this.waiting.keys()].join('\n') + '\n');
  }

  /**
   * The blob, once per file that has it: after its last reader it is dropped, so 70 MB of old
   * files are not held until the diff ends. Undefined when it was never requested or already taken.
   */
  take(objectId: string): Promise<Buffer> | undefined {
    const blob = this.blobs.get(objectId);
    if (!blob) return undefined;
    const readers = (this.readers.get(objectId) ?? 0) - 1;
    if (readers > 0) this.readers.set(objectId, readers);
    else {
      this.readers.delete(objectId);
      this.blobs.delete(objectId);
    }
    return blob;
  }

  /** Parses a chunk of git's output; false when it is not `cat-file --batch` output for the IDs asked for. */
  private consume(chunk: Buffer): boolean {
    let offset = 0;
    while (offset < chunk.length) {
      if (this.skipNewline) {
        this.skipNewline = false;
        offset++;
        continue;
      }
      if (this.skipBytes > 0) {
        const skipped = Math.min(this.skipBytes, chunk.length - offset);
        this.skipBytes -= skipped;
        offset += skipped;
        if (this.skipBytes === 0) this.skipNewline = true;
        continue;
      }
      if (this.body) {
        const copied = chunk.copy(this.body, this.filled, offset, Math.min(chunk.length, offset + this.body.length - this.filled));
        this.filled += copied;
        offset += copied;
        if (this.filled === this.body.length) this.endBody();
        continue;
      }
      const newline = chunk.indexOf(10, offset);
      const end = newline === -1 ? chunk.length : newline;
      this.headerLength += end - offset;
      if (this.headerLength > MAX_HEADER_BYTES) return false;
      this.header.push(chunk.subarray(offset, end));
      if (newline === -1) return true;
      offset = newline + 1;
      const line = Buffer.concat(this.header).toString('latin1');
      this.header = [];
      this.headerLength = 0;
      const [objectId = '', type = '', size = ''] = line.split(' ');
      // `<id> missing`, `<id> ambiguous`: no bytes follow.
      if (!/^[0-9]{1,10}$/.test(size)) {
        this.settle(objectId, new Error(`git has no object ${objectId}`));
        continue;
      }
      const bytes = Number(size);
      if (!this.waiting.has(objectId)) return false;
      // A version over the size limit (the log does not say sizes) is not read, as a working file
      // that large is not: that one file fails, and the blobs after it are still read.
      if (bytes > MAX_FILE_BYTES) {
        this.settle(objectId, new BlobTooLarge(`${objectId} is larger than ${MAX_FILE_BYTES / (1024 * 1024)} MB`));
        this.skipBytes = bytes;
        continue;
      }
      this.bodyObjectId = objectId;
      this.bodyIsNotBlob = type !== 'blob';
      // A blob wholly inside this chunk is a view of it: no copy (most files are smaller than a chunk).
      if (offset + bytes <= chunk.length) {
        this.body = chunk.subarray(offset, offset + bytes);
        this.filled = bytes;
        offset += bytes;
        this.endBody();
        continue;
      }
      this.body = Buffer.allocUnsafe(bytes);
      this.filled = 0;
      if (bytes === 0) this.endBody();
    }
    return true;
  }

  private endBody(): void {
    this.settle(this.bodyObjectId, this.bodyIsNotBlob ? new Error(`${this.bodyObjectId} is not a file`) : this.body!);
    this.body = undefined;
    this.skipNewline = true;
  }

  private settle(objectId: string, result: Buffer | Error): void {
    const waiter = this.waiting.get(objectId);
    if (!waiter) return;
    this.waiting.delete(objectId);
    if (result instanceof Error) waiter.reject(result);
    else waiter.resolve(result);
  }
}

/**
 * The files of one folder at a git ref. `open` checks that the folder is inside a repository and
 * that the ref names a commit, and lists the tree with `git ls-tree`. Files are read in batches
 * through `git cat-file --batch`: the first `readFile` (or `readAhead`) starts reading every
 * Markdown file and `.throughline.yml` at once, and each `readFile` waits for its blob.
 */
export class GitWorkspace implements IWorkspace {
  readonly folders: readonly string[];
  private readonly batches: BlobReader[] = [];

  private constructor(
    /** The folder on disk whose old state this is; file URIs are made under it. */
    private readonly root: string,
    /** The ref as the user wrote it, for messages. */
    readonly ref: string,
    /** The full commit ID the ref named when the workspace was opened. */
    readonly commit: string,
    /** Paths relative to `root`, with `/`. */
    private readonly entries: ReadonlyMap<string, TreeEntry>,
    private readonly markdownFiles: readonly string[],
    private readonly topLevel: string,
    private readonly workingTreeChanges: Promise<ReadonlySet<string> | undefined>,
    /** Folders that are submodules at the ref, relative to `root`. */
    private readonly submodules: ReadonlySet<string>,
  ) {
    this.folders = [uriFromPath(root)];
  }

  /** `folder` is the folder on disk (a repository or a folder inside one); `ref` anything `git rev-parse` accepts. */
  static async open(folder: string, ref: string): Promise<GitWorkspace> {
    const root = path.resolve(folder);
    if (LINE_BREAK.test(root)) throw new UsageError(`git cannot be asked about ${JSON.stringify(folder)}: ${LINE_BREAK_IN_PATH}`);
    const located = await runGit(['rev-parse', '--show-toplevel', '--show-prefix', '--git-path', 'index'], root, { maxBytes: 64 * 1024 });
    if (located.code !== 0) {
      if (located.stderr.toLowerCase().includes('not a git repository')) throw new UsageError(`${folder} is not inside a git repository`);
      throw new UsageError(`git cannot read the repository of ${folder}: ${firstLine(located.stderr)}`);
    }
    const [topLevel = root, prefix = '', indexFile = ''] = located.stdout.toString('utf8').split('\n');
    // A ref starting with `-` would be read as an option by git.
    if (ref === '' || ref.startsWith('-')) throw new UsageError(`unknown git ref ${ref === '' ? '""' : ref}`);
    const resolved = await runGit(['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], topLevel, { maxBytes: 1024 });
    if (resolved.code !== 0) {
      if (await isShallowRepository(topLevel)) {
        throw new UsageError(`unknown git ref ${ref}: this is a shallow clone, which may not have that commit (${SHALLOW_CLONE_HINT})`);
      }
      throw new UsageError(`unknown git ref ${ref}: no commit of that name in the repository of ${folder}`);
    }
    const commit = resolved.stdout.toString('utf8').trim();

    // Run from the top level so that listed paths are relative to it, whatever the folder. The
    // pathspec is literal (GIT_LITERAL_PATHSPECS): a folder named `[draft]` is not a glob.
    // The index, read (never refreshed) alongside: its file stamps save hashing unchanged files.
    const index = readIndex(topLevel, prefix, indexFile ? path.resolve(root, indexFile) : undefined).catch(() => undefined);
    let listed;
    try {
      listed = await runGit(['ls-tree', '-r', '-z', '--long', commit, ...(prefix ? ['--', prefix] : [])], topLevel);
    } catch (error) {
      throw new UsageError(`git cannot list ${ref}: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (listed.code !== 0) throw new UsageError(`git cannot list ${ref}: ${firstLine(listed.stderr)}`);
    const entries = new Map<string, TreeEntry>();
    const markdownFiles: string[] = [];
    const submodules = new Set<string>();
    for (const record of listed.stdout.toString('utf8').split('\0')) {
      const tab = record.indexOf('\t');
      if (tab === -1) continue;
      // `<mode> <type> <id> <size, padded>`: split on single spaces, dropping the padding.
      const [mode, type, objectId, size] = record
        .slice(0, tab)
        .split(' ')
        .filter((field) => field !== '');
      const fullPath = record.slice(tab + 1);
      if (!fullPath.startsWith(prefix)) continue;
      const relative = fullPath.slice(prefix.length);
      if (mode === SUBMODULE_MODE) {
        submodules.add(relative);
        continue;
      }
      if (type !== 'blob' || !mode || !REGULAR_FILE_MODES.has(mode) || !objectId) continue;
      const segments = relative.split('/');
      if (segments.slice(0, -1).some((segment) => SKIPPED_DIRECTORIES.has(segment))) continue;
      const isMarkdown = MARKDOWN.test(relative);
      if (!isMarkdown && relative !== CONFIG_FILE_NAME) continue;
      entries.set(relative, { objectId, size: size !== undefined && /^[0-9]{1,15}$/.test(size) ? Number(size) : Number.NaN });
      if (isMarkdown) markdownFiles.push(relative);
    }
    // Started now, to run while the caller indexes the working tree.
    const changes = index.then((stamps) => changedFiles(root, prefix, entries, stamps, commit.length === 64 ? 'sha256' : 'sha1')).catch(() => undefined);
    return new GitWorkspace(root, ref, commit, entries, markdownFiles, topLevel, changes, submodules);
  }

  async listFiles(folder: string): Promise<readonly string[]> {
    return folder === this.folders[0] ? this.markdownUris() : [];
  }

  /** The Markdown files at the ref, without reading them. */
  markdownUris(): readonly string[] {
    return this.markdownFiles.map((relative) => this.uriOf(relative));
  }

  /** Whether the ref has this file (a Markdown file or the folder's `.throughline.yml`). */
  has(uri: string): boolean {
    return this.entry(uri) !== undefined;
  }

  /**
   * The files of the folder that differ between the ref and the working tree (deleted ones
   * included; untracked ones are not, as the ref does not have them), or undefined when that could
   * not be told. Worked out while the caller indexes, without git: each working-tree file that is
   * a regular file of the ref's size is hashed as a git blob and compared with the ref's blob
   * (after CRLF → LF, as git's line-ending conversion would). Asking git (`git diff REF`) would
   * run the repository's fsmonitor hook and clean filters. A file reported changed that is not is
   * only read again at the ref.
   */
  changedInWorkingTree(): Promise<ReadonlySet<string> | undefined> {
    return this.workingTreeChanges;
  }

  /**
   * `uris` without the files inside another repository: a folder that is a submodule at the ref,
   * or a folder below the workspace folder that holds a `.git` (a checked-out submodule or a
   * nested clone). git does not list their files at the ref, so the working tree's side skips
   * them too; otherwise a checked-out submodule would show as N items added.
   */
  async withoutNestedRepositories(uris: readonly string[]): Promise<string[]> {
    const known = new Map<string, Promise<boolean>>();
    const isRepository = (relative: string): Promise<boolean> => {
      let answer = known.get(relative);
      if (!answer) {
        answer = this.submodules.has(relative)
          ? Promise.resolve(true)
          : fs.lstat(path.join(this.root, ...relative.split('/'), '.git')).then(
              () => true,
              () => false,
            );
        known.set(relative, answer);
      }
      return answer;
    };
    const kept: string[] = [];
    for (const uri of uris) {
      const relative = this.relativePath(uri);
      let nested = false;
      if (relative !== undefined) {
        let end = relative.indexOf('/');
        while (end !== -1 && !(nested = await isRepository(relative.slice(0, end)))) end = relative.indexOf('/', end + 1);
      }
      if (!nested) kept.push(uri);
    }
    return kept;
  }

  /** Starts reading these files at the ref in one batch (all of them when not given), for `readFile` to take. */
  readAhead(uris?: readonly string[]): void {
    const entries = uris === undefined ? [...this.entries.values()] : uris.map((uri) => this.entry(uri)).filter((entry) => entry !== undefined);
    this.batches.push(
      new BlobReader(
        this.topLevel,
        entries.filter((entry) => entry.size <= MAX_FILE_BYTES).map((entry) => entry.objectId),
      ),
    );
  }

  async readFile(uri: string): Promise<ReadResult | undefined> {
    const entry = this.entry(uri);
    if (!entry) return undefined;
    if (Number.isNaN(entry.size)) return { error: 'not in this clone (git would have to fetch it, and Throughline fetches nothing), not read' };
    if (entry.size > MAX_FILE_BYTES) return { error: `larger than ${MAX_FILE_BYTES / 1024 / 1024} MB, not read` };
    if (this.batches.length === 0) this.readAhead();
    let buffer: Buffer;
    try {
      let pending: Promise<Buffer> | undefined;
      for (const batch of this.batches) if ((pending = batch.take(entry.objectId))) break;
      buffer = await (pending ?? this.readOne(entry.objectId));
    } catch (error) {
      return { error: error instanceof Error ? error.message : String(error) };
    }
    return decodeTextBuffer(buffer);
  }

  /** A file no batch holds (read a second time, or not read ahead): one `git cat-file blob`, as it is rare. */
  private async readOne(objectId: string): Promise<Buffer> {
    const result = await runGit(['cat-file', 'blob', objectId], this.topLevel, { maxBytes: MAX_FILE_BYTES });
    if (result.code !== 0) throw new Error(firstLine(result.stderr) || `git cat-file failed for ${objectId}`);
    return result.stdout;
  }

  private entry(uri: string): TreeEntry | undefined {
    const relative = this.relativePath(uri);
    return relative === undefined ? undefined : this.entries.get(relative);
  }

  private uriOf(relative: string): string {
    return uriFromPath(path.join(this.root, ...relative.split('/')));
  }

  private relativePath(uri: string): string | undefined {
    let filePath: string;
    try {
      filePath = pathFromUri(uri);
    } catch {
      return undefined;
    }
    const relative = path.relative(this.root, filePath);
    if (relative === '' || relative.split(path.sep)[0] === '..' || path.isAbsolute(relative)) return undefined;
    return relative.split(path.sep).join('/');
  }
}

/** What the index records of a file: its blob, and the file's stamps when git last hashed it (32-bit fields, as git keeps them). */
interface IndexEntry {
  readonly objectId: string;
  /** `seconds:nanoseconds`. */
  readonly ctime: string;
  readonly mtime: string;
  readonly ino: number;
  readonly size: number;
}

interface IndexStamps {
  /** By path relative to the top level. */
  readonly entries: ReadonlyMap<string, IndexEntry>;
  /** When the index file was written, in nanoseconds: an entry whose file is not older is "racily clean" and is hashed. */
  readonly written: bigint;
}

const UINT32 = 0xffffffffn;
const NANOSECONDS = 1_000_000_000n;

/** A stat time as git records it: `seconds:nanoseconds`, the seconds truncated to 32 bits. */
function gitStamp(nanoseconds: bigint): string {
  return `${(nanoseconds / NANOSECONDS) & UINT32}:${nanoseconds % NANOSECONDS}`;
}

function stampNanoseconds(stamp: string): bigint {
  const colon = stamp.indexOf(':');
  return BigInt(stamp.slice(0, colon)) * NANOSECONDS + BigInt(stamp.slice(colon + 1));
}

/**
 * The index entries under `prefix` with their stamps, from `git ls-files --stage --debug -z`,
 * which reads the index file and nothing else (no refresh, no working-tree file, fsmonitor off).
 * Undefined when the index cannot be read or parsed; then every file is hashed.
 */
async function readIndex(topLevel: string, prefix: string, indexFile: string | undefined): Promise<IndexStamps | undefined> {
  if (!indexFile) return undefined;
  let written: bigint;
  try {
    written = stampNanoseconds(gitStamp(lstatSync(indexFile, { bigint: true }).mtimeNs));
  } catch {
    return undefined;
  }
  const listed = await runGit(['ls-files', '--stage', '--debug', '-z', ...(prefix ? ['--', prefix] : [])], topLevel);
  if (listed.code !== 0) return undefined;
  const text = listed.stdout.toString('utf8');
  const entries = new Map<string, IndexEntry>();
  // Each entry: `<mode> <id> <stage>\t<path>\0`, then five lines: `  ctime: S:N`, `  mtime: S:N`,
  // `  dev: D\tino: I`, `  uid: U\tgid: G`, `  size: Z\tflags: F`.
  let at = 0;
  while (at < text.length) {
    const nul = text.indexOf('\0', at);
    if (nul === -1) return undefined;
    const lines: string[] = [];
    let end = nul + 1;
    for (let line = 0; line < 5; line++) {
      const newline = text.indexOf('\n', end);
      if (newline === -1) return undefined;
      lines.push(text.slice(end, newline));
      end = newline + 1;
    }
    const header = text.slice(at, nul);
    at = end;
    const tab = header.indexOf('\t');
    const [mode = '', objectId = '', stage = ''] = header.slice(0, Math.max(tab, 0)).split(' ');
    const ctime = /^ {2}ctime: (\d+:\d+)$/.exec(lines[0]!)?.[1];
    const mtime = /^ {2}mtime: (\d+:\d+)$/.exec(lines[1]!)?.[1];
    const ino = /^ {2}dev: \d+\tino: (\d+)$/.exec(lines[2]!)?.[1];
    const size = /^ {2}size: (\d+)\tflags: [0-9a-f]+$/.exec(lines[4]!)?.[1];
    if (tab === -1 || !ctime || !mtime || !ino || !size) return undefined;
    // Conflicted entries (stages 1–3), links and submodules say nothing about a file's content.
    if (stage !== '0' || !REGULAR_FILE_MODES.has(mode)) continue;
    entries.set(header.slice(tab + 1), { objectId, ctime, mtime, ino: Number(ino), size: Number(size) });
  }
  return { entries, written };
}

/**
 * The entries whose working-tree file under `root` differs from the blob at the ref, as file URIs.
 * A file whose stamps are those the index recorded (and not racily clean) has the index's blob,
 * as git itself would decide; any other file is hashed. A file that is missing, not a regular file
 * (a link, a FIFO, a folder), or over the size limit counts as changed, and is never opened.
 * Synchronous reads are several times faster than fs.promises for thousands of small files (as in
 * fsWorkspace.ts); it yields to the event loop every `HASH_BATCH` files, so that it runs alongside
 * the caller's indexing.
 */
async function changedFiles(
  root: string,
  prefix: string,
  entries: ReadonlyMap<string, TreeEntry>,
  index: IndexStamps | undefined,
  algorithm: 'sha1' | 'sha256',
): Promise<ReadonlySet<string>> {
  const changed = new Set<string>();
  let done = 0;
  for (const [relative, entry] of entries) {
    if (++done % HASH_BATCH === 0) await new Promise((resolve) => setImmediate(resolve));
    const file = path.join(root, ...relative.split('/'));
    if (!sameAsBlob(file, entry, index, prefix + relative, algorithm)) changed.add(uriFromPath(file));
  }
  return changed;
}

/** Non-blocking, so that a FIFO put in place after the check cannot hang the read. */
const OPEN_FLAGS = process.platform === 'win32' ? fsConstants.O_RDONLY : fsConstants.O_RDONLY | fsConstants.O_NONBLOCK;

function sameAsBlob(file: string, entry: TreeEntry, index: IndexStamps | undefined, indexPath: string, algorithm: 'sha1' | 'sha256'): boolean {
  let descriptor: number | undefined;
  try {
    const link = lstatSync(file, { bigint: true, throwIfNoEntry: false });
    if (!link?.isFile()) return false;
    const recorded = index?.entries.get(indexPath);
    if (
      recorded &&
      BigInt(recorded.size) === (link.size & UINT32) &&
      BigInt(recorded.ino) === (link.ino & UINT32) &&
      recorded.mtime === gitStamp(link.mtimeNs) &&
      recorded.ctime === gitStamp(link.ctimeNs) &&
      link.mtimeNs < index!.written
    ) {
      return recorded.objectId === entry.objectId;
    }
    const size = Number(link.size);
    // A regular file holds at least the blob's bytes (more with CRLF line endings).
    if (size > MAX_FILE_BYTES || size < entry.size || size > 2 * entry.size) return false;
    descriptor = openSync(file, OPEN_FLAGS);
    const stat = fstatSync(descriptor);
    if (!stat.isFile() || stat.size > MAX_FILE_BYTES) return false;
    const content = readFileSync(descriptor);
    if (content.length === entry.size && blobId(content, algorithm) === entry.objectId) return true;
    if (content.length === entry.size || !content.includes('\r\n')) return false;
    const lf = Buffer.from(content.toString('latin1').replaceAll('\r\n', '\n'), 'latin1');
    return lf.length === entry.size && blobId(lf, algorithm) === entry.objectId;
  } catch {
    return false;
  } finally {
    if (descriptor !== undefined) closeSync(descriptor);
  }
}

/** The ID git gives a blob with these bytes. */
function blobId(content: Buffer, algorithm: 'sha1' | 'sha256'): string {
  return createHash(algorithm).update(`blob ${content.length}\0`).update(content).digest('hex');
}
