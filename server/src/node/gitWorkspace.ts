/**
 * An `IWorkspace` over a git tree at a ref: the files of a folder as they were committed, under
 * the same URIs as the working tree has, so that the old and the new alignment can be compared
 * item by item (`throughline diff`).
 */
import { spawn } from 'node:child_process';
import { statSync } from 'node:fs';
import * as path from 'node:path';
import { UsageError } from '../usageError';
import { CONFIG_FILE_NAME } from '../service/config';
import type { IWorkspace, ReadResult } from '../service/workspace';
import { decodeTextBuffer, MARKDOWN, MAX_FILE_BYTES, pathFromUri, SKIPPED_DIRECTORIES, uriFromPath } from './fsWorkspace';

/** Symbolic links are stored as blobs holding the link's target; git cannot tell what they point at in the tree. */
const SYMBOLIC_LINK_MODE = '120000';

interface TreeEntry {
  readonly objectId: string;
  readonly size: number;
}

interface GitResult {
  readonly code: number;
  readonly stdout: Buffer;
  readonly stderr: string;
}

/**
 * git's absolute path, found on the PATH. On Windows a bare `git` would be looked up in the working
 * folder first, which is the repository being diffed: a `git.exe` committed to a pull request
 * would run. Resolving it from the PATH alone rules that out on every platform.
 */
let gitExecutable: string | undefined;
function gitPath(): string {
  if (gitExecutable) return gitExecutable;
  const extensions = process.platform === 'win32' ? (process.env['PATHEXT'] ?? '.EXE;.CMD;.BAT').split(';').filter(Boolean) : [''];
  for (const folder of (process.env['PATH'] ?? '').split(path.delimiter)) {
    if (!folder || !path.isAbsolute(folder)) continue;
    for (const extension of extensions) {
      const candidate = path.join(folder, `git${extension.toLowerCase()}`);
      try {
        if (statSync(candidate).isFile()) return (gitExecutable = candidate);
      } catch {
        // Not in this folder of the PATH.
      }
    }
  }
  throw new UsageError('git is not installed (or not on the PATH); `throughline diff` needs it to read the old files');
}

/**
 * Runs git with an argument array (no shell, so refs and paths are never interpreted). Messages are
 * forced into English because a few of them are recognised by their text.
 */
function runGit(args: readonly string[], cwd: string): Promise<GitResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(gitPath(), args, { cwd, env: { ...process.env, LC_ALL: 'C', GIT_TERMINAL_PROMPT: '0' }, stdio: ['ignore', 'pipe', 'pipe'] });
    const stdout: Buffer[] = [];
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', (error: NodeJS.ErrnoException) => reject(error.code === 'ENOENT' ? new UsageError('git is not installed (or not on the PATH); `throughline diff` needs it to read the old files') : error));
    child.on('close', (code) => resolve({ code: code ?? 1, stdout: Buffer.concat(stdout), stderr }));
  });
}

function firstLine(text: string): string {
  return (
    text
      .split('\n')
      .map((line) => line.trim())
      .find((line) => line !== '') ?? ''
  ).replace(/^fatal: /, '');
}

/**
 * Reads many blobs through one `git cat-file --batch` process: what `git show REF:path` prints for
 * each file, without starting a process per file (10,000 of them would take longer than indexing).
 * Output is `<id> blob <size>\n<bytes>\n` per object, or `<id> missing\n`; it is parsed as it
 * streams in, so git reads while the caller indexes.
 */
class BlobReader {
  private readonly waiting = new Map<string, { resolve(buffer: Buffer): void; reject(error: Error): void }>();
  private readonly blobs = new Map<string, Promise<Buffer>>();
  /** How many files still have to read each blob: identical files share one. */
  private readonly readers = new Map<string, number>();
  private header: Buffer[] = [];
  private body: Buffer | undefined;
  private bodyObjectId = '';
  private filled = 0;
  /** The LF git writes after each object's bytes. */
  private skipNewline = false;

  constructor(cwd: string, objectIds: readonly string[]) {
    for (const objectId of objectIds) {
      this.readers.set(objectId, (this.readers.get(objectId) ?? 0) + 1);
      if (this.blobs.has(objectId)) continue;
      this.blobs.set(
        objectId,
        new Promise<Buffer>((resolve, reject) => this.waiting.set(objectId, { resolve, reject })),
      );
    }
    // Nobody may be waiting on a promise that fails (a file the service never reads); that is not an unhandled rejection.
    for (const blob of this.blobs.values()) blob.catch(() => undefined);
    if (this.waiting.size === 0) return;
    const child = spawn(gitPath(), ['cat-file', '--batch', '--buffer'], { cwd, env: { ...process.env, LC_ALL: 'C' }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.stdout.on('data', (chunk: Buffer) => this.consume(chunk));
    const failAll = (message: string) => {
      for (const waiter of this.waiting.values()) waiter.reject(new Error(message));
      this.waiting.clear();
    };
    child.on('error', (error) => failAll(`git cat-file failed: ${error.message}`));
    child.on('close', (code) => failAll(`git cat-file ended (exit code ${code ?? 'none'}) before sending the file${stderr ? `: ${firstLine(stderr)}` : ''}`));
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

  private consume(chunk: Buffer): void {
    let offset = 0;
    while (offset < chunk.length) {
      if (this.skipNewline) {
        this.skipNewline = false;
        offset++;
        continue;
      }
      if (this.body) {
        const copied = chunk.copy(this.body, this.filled, offset, Math.min(chunk.length, offset + this.body.length - this.filled));
        this.filled += copied;
        offset += copied;
        if (this.filled === this.body.length) {
          this.settle(this.bodyObjectId, this.body);
          this.body = undefined;
          this.skipNewline = true;
        }
        continue;
      }
      const newline = chunk.indexOf(10, offset);
      if (newline === -1) {
        this.header.push(chunk.subarray(offset));
        return;
      }
      this.header.push(chunk.subarray(offset, newline));
      offset = newline + 1;
      const line = Buffer.concat(this.header).toString('utf8');
      this.header = [];
      const [objectId = '', type, size] = line.split(' ');
      if (type === 'missing' || size === undefined) {
        this.settle(objectId, new Error(`git has no object ${objectId}`));
        continue;
      }
      this.bodyObjectId = objectId;
      this.body = Buffer.allocUnsafe(Number(size));
      this.filled = 0;
      if (this.body.length === 0) {
        this.settle(objectId, this.body);
        this.body = undefined;
        this.skipNewline = true;
      }
    }
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
  ) {
    this.folders = [uriFromPath(root)];
  }

  /** `folder` is the folder on disk (a repository or a folder inside one); `ref` anything `git rev-parse` accepts. */
  static async open(folder: string, ref: string): Promise<GitWorkspace> {
    const root = path.resolve(folder);
    const located = await runGit(['rev-parse', '--show-toplevel', '--show-prefix'], root);
    if (located.code !== 0) {
      if (/not a git repository/i.test(located.stderr)) throw new UsageError(`${folder} is not inside a git repository`);
      throw new UsageError(`git cannot read the repository of ${folder}: ${firstLine(located.stderr)}`);
    }
    const [topLevel = root, prefix = ''] = located.stdout.toString('utf8').split('\n');
    // A ref starting with `-` would be read as an option by git.
    if (ref === '' || ref.startsWith('-')) throw new UsageError(`unknown git ref ${ref === '' ? '""' : ref}`);
    const resolved = await runGit(['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], topLevel);
    if (resolved.code !== 0) throw new UsageError(`unknown git ref ${ref}: no commit of that name in the repository of ${folder}`);
    const commit = resolved.stdout.toString('utf8').trim();

    // Run from the top level so that listed paths are relative to it, whatever the folder.
    const listed = await runGit(['ls-tree', '-r', '-z', '--long', commit, ...(prefix ? ['--', prefix] : [])], topLevel);
    if (listed.code !== 0) throw new UsageError(`git cannot list ${ref}: ${firstLine(listed.stderr)}`);
    const entries = new Map<string, TreeEntry>();
    const markdownFiles: string[] = [];
    for (const record of listed.stdout.toString('utf8').split('\0')) {
      const tab = record.indexOf('\t');
      if (tab === -1) continue;
      const [mode, type, objectId, size] = record.slice(0, tab).split(/ +/);
      if (type !== 'blob' || mode === SYMBOLIC_LINK_MODE || !objectId) continue;
      const relative = record.slice(tab + 1).slice(prefix.length);
      const segments = relative.split('/');
      if (segments.slice(0, -1).some((segment) => SKIPPED_DIRECTORIES.has(segment))) continue;
      const isMarkdown = MARKDOWN.test(relative);
      if (!isMarkdown && relative !== CONFIG_FILE_NAME) continue;
      entries.set(relative, { objectId, size: Number(size) });
      if (isMarkdown) markdownFiles.push(relative);
    }
    // Started now, to run while the caller indexes the working tree. `:(literal)` keeps a folder named `[draft]` from being a glob.
    const pathspec = prefix ? `:(literal)${prefix}` : '.';
    const changes = runGit(['diff', '--no-renames', '--no-ext-diff', '--ignore-submodules', '--name-only', '-z', commit, '--', pathspec], topLevel).then(
      (result) => {
        if (result.code !== 0) return undefined;
        const uris = new Set<string>();
        for (const changed of result.stdout.toString('utf8').split('\0')) {
          if (changed && changed.startsWith(prefix)) uris.add(uriFromPath(path.join(root, ...changed.slice(prefix.length).split('/'))));
        }
        return uris;
      },
      () => undefined,
    );
    return new GitWorkspace(root, ref, commit, entries, markdownFiles, topLevel, changes);
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
   * The files of the folder that differ between the ref and the working tree, as `git diff REF`
   * sees them (deleted ones included; untracked ones are not, as the ref does not have them), or
   * undefined when git could not tell. Git works it out from its index's file stamps while the
   * caller indexes, and its answer holds through line-ending conversion and other git filters.
   */
  changedInWorkingTree(): Promise<ReadonlySet<string> | undefined> {
    return this.workingTreeChanges;
  }

  /** Starts reading these files at the ref in one batch (all of them when not given), for `readFile` to take. */
  readAhead(uris?: readonly string[]): void {
    const entries = uris === undefined ? [...this.entries.values()] : uris.map((uri) => this.entry(uri)).filter((entry) => entry !== undefined);
    this.batches.push(new BlobReader(this.topLevel, entries.filter((entry) => entry.size <= MAX_FILE_BYTES).map((entry) => entry.objectId)));
  }

  async readFile(uri: string): Promise<ReadResult | undefined> {
    const entry = this.entry(uri);
    if (!entry) return undefined;
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
    const result = await runGit(['cat-file', 'blob', objectId], this.topLevel);
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
