import { closeSync, constants, fstatSync, lstatSync, openSync, promises as fs, readSync, realpathSync, statSync, type Stats } from 'node:fs';
import { isUtf8 } from 'node:buffer';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { DOCUMENT_TYPES } from '../service/model/model';
import type { IWorkspace, ReadResult } from '../service/workspace/workspace';

/** Files above this size are skipped with a message rather than read: nobody writes a 20 MB PRD. */
export const MAX_FILE_BYTES = 20 * 1024 * 1024;
/** Folders no workspace walk enters, on disk or in a git tree. */
export const SKIPPED_DIRECTORIES: ReadonlySet<string> = new Set(['node_modules', '.git', '.hg', '.svn']);
export const MARKDOWN = /\.(?:md|markdown)$/i;
/**
 * Symbolic links out of a folder that one walk names on its own line; the rest are counted in one
 * more line, so a repository of a million such links cannot flood the log.
 */
const MAX_SKIPPED_LINKS_NAMED = 20;

export function uriFromPath(filePath: string): string {
  // Most paths are absolute, normalised and of letters, digits, `_`, `-` and `.` only: their URI is
  // the path behind `file://`, exactly what pathToFileURL makes of them, without a URL object (the
  // walk of 10,000 files spent 50 ms in pathToFileURL).
  if (PLAIN_ABSOLUTE_PATH.test(filePath)) return `file://${filePath}`;
  return pathToFileURL(path.resolve(filePath)).href;
}

/** An absolute POSIX path that path.resolve leaves as it is and pathToFileURL escapes nothing of: no `.`, `..` or empty segment. */
const PLAIN_ABSOLUTE_PATH = process.platform === 'win32' ? /(?!)/ : /^(?:\/(?!\.\.?(?:\/|$))[A-Za-z0-9_.-]+)+$/;

/** Whether `filePath` is such a path: its `file://` URI is `file://` and the path, and path.resolve leaves it as it is. */
export function isPlainAbsolutePath(filePath: string): boolean {
  return PLAIN_ABSOLUTE_PATH.test(filePath);
}

export function pathFromUri(uri: string): string {
  // The inverse shortcut: `file://` and a plain absolute path is that path (the cold pass and first
  // diagnostics of 10,000 files spent about 50 ms in fileURLToPath). Anything else (a host, `%`
  // escapes, `.` segments) goes to node.
  if (uri.startsWith('file:///')) {
    const filePath = uri.slice('file://'.length);
    if (PLAIN_ABSOLUTE_PATH.test(filePath)) return filePath;
  }
  return fileURLToPath(uri);
}

/** Canonical form of a file URI, so `%40` and `@` spellings from different clients name one document. */
export function normalizeUri(uri: string): string {
  if (!uri.startsWith('file:')) return uri;
  try {
    return uriFromPath(pathFromUri(uri));
  } catch {
    return uri;
  }
}

/** What a path that is not a regular file is, for the one line that skips it. */
function describeNonRegularFile(stat: Stats): string {
  if (stat.isDirectory()) return 'a folder';
  if (stat.isFIFO()) return 'a named pipe (FIFO)';
  if (stat.isSocket()) return 'a socket';
  if (stat.isCharacterDevice()) return 'a character device';
  if (stat.isBlockDevice()) return 'a block device';
  return 'not a regular file';
}

/** Whether `candidate` (a real path) is `root` (a real path) or inside it. */
function isInsideFolder(root: string, candidate: string): boolean {
  if (candidate === root) return true;
  // Without building `root + sep` for each of the cold pass's files.
  if (root.endsWith(path.sep)) return candidate.startsWith(root);
  return candidate.length > root.length && candidate.charCodeAt(root.length) === SEPARATOR && candidate.startsWith(root);
}

const SEPARATOR = path.sep.charCodeAt(0);

/**
 * The workspace on disk. It walks folders following symbolic links that stay inside the folder
 * (never in a loop), and reads only regular files whose real path is inside their folder: a link
 * to `/` would otherwise walk the whole file system, and a link to a PRD elsewhere would put its
 * text into the tree and the report.
 */
export class FileSystemWorkspace implements IWorkspace {
  readonly folders: readonly string[];
  /** Folder URI → its real path, resolved once (the folder itself may be reached through a link). */
  private readonly realFolders = new Map<string, string>();
  /**
   * The real paths of the files the last walk found (it resolves every link it follows), by path:
   * the first read of each needs no `realpath` (one system call per path component). Each is taken
   * out when read, so later reads (watch events) resolve the path again. The real path is checked
   * with `lstat` and opened with O_NOFOLLOW: a file that became a link since the walk is resolved as
   * any other path.
   */
  private walkedRealPaths = new Map<string, string>();

  constructor(folders: readonly string[]) {
    this.folders = folders.map(normalizeUri);
  }

  async listFiles(folder: string, skipped: (message: string) => void = () => {}): Promise<readonly string[]> {
    const found: string[] = [];
    const visited = new Set<string>();
    let root: string;
    let realRoot: string;
    try {
      // Normalised once: the walk appends names to it (`childPath`).
      root = path.normalize(pathFromUri(folder));
      realRoot = await fs.realpath(root);
    } catch {
      return found;
    }
    this.realFolders.set(folder, realRoot);
    let linksOut = 0;
    const walkedRealPaths = new Map<string, string>();
    this.walkedRealPaths = walkedRealPaths;
    const display = (full: string) => path.relative(root, full).split(path.sep).join('/');
    const walk = async (directory: string, realDirectory: string): Promise<void> => {
      if (visited.has(realDirectory)) return;
      visited.add(realDirectory);
      let entries;
      try {
        entries = await fs.readdir(directory, { withFileTypes: true });
      } catch {
        return;
      }
      entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      for (const entry of entries) {
        const full = childPath(directory, entry.name);
        let real = childPath(realDirectory, entry.name);
        let stat: Stats | undefined;
        if (entry.isSymbolicLink()) {
          try {
            real = await fs.realpath(full);
            stat = await fs.stat(real);
          } catch {
            continue; // dangling link, or a loop of links
          }
          if (!isInsideFolder(realRoot, real)) {
            if (++linksOut <= MAX_SKIPPED_LINKS_NAMED)
              skipped(`Skipped ${display(full)}: a symbolic link out of the workspace folder (to ${real}), not followed`);
            continue;
          }
        }
        const isDirectory = stat ? stat.isDirectory() : entry.isDirectory();
        const isFile = stat ? stat.isFile() : entry.isFile();
        if (isDirectory) {
          if (!SKIPPED_DIRECTORIES.has(entry.name)) await walk(full, real);
        } else if (MARKDOWN.test(entry.name)) {
          if (isFile) {
            found.push(uriFromPath(full));
            walkedRealPaths.set(full, real);
          } else skipped(`Skipped ${display(full)}: ${describeDirent(stat, entry)}, not a regular file`);
        }
      }
    };
    await walk(root, realRoot);
    if (linksOut > MAX_SKIPPED_LINKS_NAMED)
      skipped(`Skipped ${linksOut - MAX_SKIPPED_LINKS_NAMED} more symbolic links out of the workspace folder, not followed`);
    return found;
  }

  async readFile(uri: string): Promise<ReadResult | undefined> {
    const filePath = pathFromUri(uri);
    const realRoot = this.realFolderContaining(filePath);
    if (realRoot === undefined) return readRegularTextSync(filePath);
    const walked = this.walkedRealPaths.get(filePath);
    if (walked !== undefined && this.walkedRealPaths.delete(filePath) && isInsideFolder(realRoot, walked)) {
      const read = readRegularTextSync(walked, { noFollow: true, walkedAsRegular: true });
      if (read !== LINK) return read;
    }
    let real: string;
    try {
      real = realpathSync.native(filePath);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
      return { error: code ?? (error as Error).message };
    }
    // A watch event or didClose can name a link the walk never followed: the same rule applies.
    if (!isInsideFolder(realRoot, real)) return { error: `a symbolic link out of the workspace folder (to ${real}), not followed` };
    return readRegularTextSync(real);
  }

  /** The real path of the folder `filePath` is in, or undefined when it is in none. */
  private realFolderContaining(filePath: string): string | undefined {
    for (const folder of this.folders) {
      let folderPath: string;
      try {
        folderPath = pathFromUri(folder);
      } catch {
        continue;
      }
      if (!isInsideFolder(folderPath, filePath)) continue;
      let real = this.realFolders.get(folder);
      if (real === undefined) {
        try {
          real = realpathSync.native(folderPath);
        } catch {
          return folderPath;
        }
        this.realFolders.set(folder, real);
      }
      return real;
    }
    return undefined;
  }
}

function describeDirent(
  stat: Stats | undefined,
  entry: { isFIFO(): boolean; isSocket(): boolean; isCharacterDevice(): boolean; isBlockDevice(): boolean },
): string {
  if (stat) return describeNonRegularFile(stat);
  if (entry.isFIFO()) return 'a named pipe (FIFO)';
  if (entry.isSocket()) return 'a socket';
  if (entry.isCharacterDevice()) return 'a character device';
  if (entry.isBlockDevice()) return 'a block device';
  return 'not a regular file';
}

interface ReadOptions {
  /** A symbolic link is answered with LINK, not followed. */
  readonly noFollow?: boolean;
  /** The walk just listed the path as a regular file: it is not stat-ed again before it is opened. */
  readonly walkedAsRegular?: boolean;
  /** The bytes may go into the shared buffer (`scratchBuffer`): only for `readRegularTextSync`, which decodes them at once. */
  readonly scratch?: boolean;
}

/** What `readRegularFileSync` answers, without following it, for a path that is a symbolic link. */
const LINK = Symbol('symbolic link');

/** The bytes of a regular file, why it was not read, or undefined when it does not exist. */
type RegularFileRead = { readonly bytes: Buffer } | { readonly error: string };

/**
 * Reads `filePath` if and only if it is a regular file of at most `maxBytes`. It is stat-ed before
 * it is opened, so a FIFO, socket or device is never opened at all (opening a FIFO for reading
 * blocks until a writer comes, which froze the server); it is then opened with O_NONBLOCK and
 * checked again on the descriptor, so a file swapped for a FIFO in between cannot block either.
 * For every host that opens a path from the repository or the command line (`--config`, `--baseline`).
 */
function readRegularFileSync(filePath: string, maxBytes?: number, options?: ReadOptions & { readonly noFollow?: false }): RegularFileRead | undefined;
function readRegularFileSync(filePath: string, maxBytes: number, options: ReadOptions): RegularFileRead | typeof LINK | undefined;
function readRegularFileSync(filePath: string, maxBytes: number = MAX_FILE_BYTES, options: ReadOptions = {}): RegularFileRead | typeof LINK | undefined {
  const { noFollow = false, walkedAsRegular = false, scratch = false } = options;
  let descriptor: number | undefined;
  try {
    // A file the walk just listed as a regular file is not stat-ed again before it is opened (one
    // system call less per file of the cold pass; 10,000 lstat calls took 0.18 s). What replaced it
    // since is still caught: O_NOFOLLOW refuses a link, O_NONBLOCK opens a FIFO without blocking, and
    // the descriptor's fstat below refuses anything but a regular file. (A device node cannot be
    // made without root.)
    if (!walkedAsRegular) {
      const before = noFollow ? lstatSync(filePath) : statSync(filePath);
      if (noFollow && before.isSymbolicLink()) return LINK;
      if (!before.isFile()) return { error: `${describeNonRegularFile(before)}, not a regular file` };
      if (before.size > maxBytes) return { error: `larger than ${maxBytes / 1024 / 1024} MB, not read` };
    }
    descriptor = openSync(filePath, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (noFollow ? (constants.O_NOFOLLOW ?? 0) : 0));
    const stat = fstatSync(descriptor);
    if (!stat.isFile()) return { error: `${describeNonRegularFile(stat)}, not a regular file` };
    if (stat.size > maxBytes) return { error: `larger than ${maxBytes / 1024 / 1024} MB, not read` };
    const bytes = readOpenFile(descriptor, stat.size, maxBytes, scratch);
    return bytes ? { bytes } : { error: `larger than ${maxBytes / 1024 / 1024} MB, not read` };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // Swapped for a link between lstat and open (O_NOFOLLOW refuses it): resolved as any link.
    if (noFollow && code === 'ELOOP') return LINK;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    if (code === 'EISDIR') return { error: 'a folder, not a regular file' };
    return { error: code ?? (error as Error).message };
  } finally {
    if (descriptor !== undefined) closeSync(descriptor);
  }
}

/**
 * The bytes of an open regular file of `size` bytes (its fstat): read straight into a buffer of
 * that size (or the shared one, `scratch`), without the second fstat `readFileSync` makes. A file
 * that grew since is read on to its end (undefined past `maxBytes`), one that shrank is cut where
 * it ends.
 */
function readOpenFile(descriptor: number, size: number, maxBytes: number, scratch = false): Buffer | undefined {
  let buffer = scratch ? scratchBuffer(size + 1) : Buffer.allocUnsafe(size + 1);
  let length = 0;
  for (;;) {
    if (length === buffer.length) {
      if (length > maxBytes) return undefined;
      const bigger = Buffer.allocUnsafe(Math.min(buffer.length * 2, maxBytes + 1));
      buffer.copy(bigger, 0, 0, length);
      buffer = bigger;
    }
    const wanted = buffer.length - length;
    const read = readSync(descriptor, buffer, length, wanted, null);
    length += read;
    // A regular file's read comes back short only at its end: no second call to learn it.
    if (read < wanted) break;
  }
  // The shared buffer may be larger than `maxBytes`: a file that grew past it since its fstat is refused here.
  return length > maxBytes ? undefined : buffer.subarray(0, length);
}

/** Files up to this size are read into one buffer that is kept (`scratchBuffer`). */
const SCRATCH_MAX_BYTES = 1024 * 1024;
let scratch: Buffer | undefined;

/**
 * A buffer of at least `size` bytes that the next scratch read overwrites: for bytes decoded at
 * once. A fresh buffer per file made the cold pass fault in new memory for every file it read
 * (10,000 files: 74 MB).
 */
export function scratchBuffer(size: number): Buffer {
  if (size > SCRATCH_MAX_BYTES) return Buffer.allocUnsafe(size);
  if (!scratch || scratch.length < size) scratch = Buffer.allocUnsafeSlow(Math.max(64 * 1024, 2 ** Math.ceil(Math.log2(size))));
  return scratch;
}

/** `readRegularFileSync` for callers that would rather await. */
export async function readRegularFile(filePath: string, maxBytes: number = MAX_FILE_BYTES): Promise<RegularFileRead | undefined> {
  return readRegularFileSync(filePath, maxBytes);
}

/**
 * Reads a file as text. Synchronous reads are several times faster than fs.promises for
 * thousands of small files; the service yields between batches, so the server stays responsive.
 */
export async function readTextFile(filePath: string): Promise<ReadResult | undefined> {
  return readRegularTextSync(filePath);
}

/**
 * A regular file as text (`readRegularFileSync`, then `decodeTextBuffer`). The bytes go through the
 * shared buffer, which is safe only because they are decoded here, before anything reads another file.
 */
function readRegularTextSync(filePath: string, options?: Omit<ReadOptions, 'scratch'> & { readonly noFollow?: false }): ReadResult | undefined;
function readRegularTextSync(filePath: string, options: Omit<ReadOptions, 'scratch'>): ReadResult | typeof LINK | undefined;
function readRegularTextSync(filePath: string, options: Omit<ReadOptions, 'scratch'> = {}): ReadResult | typeof LINK | undefined {
  const read = readRegularFileSync(filePath, MAX_FILE_BYTES, { ...options, scratch: true });
  if (read === undefined || read === LINK || 'error' in read) return read;
  return decodeTextBuffer(read.bytes);
}

const UNDECODABLE_ADVICE = 'Save it as UTF-8.';

/**
 * Decodes a file's bytes as text:
 * - a byte-order mark selects UTF-8, UTF-16LE/BE or UTF-32LE/BE (UTF-32LE's mark starts with
 *   UTF-16LE's, so it is tested first); the mark stays the text's first character, as with UTF-8,
 *   so front-matter detection treats every encoding alike;
 * - bytes that are invalid in the encoding are read as U+FFFD with a `warning`, which the service
 *   turns into an `encoding` error on a strategy document;
 * - without a mark, NUL bytes mean a binary file, which is not read. Whether such a file claims to
 *   be a strategy document is decided on its bytes (see `claimsStrategyDocument`).
 */
export function decodeTextBuffer(buffer: Buffer): ReadResult {
  const b0 = buffer[0];
  const b1 = buffer[1];
  if (b0 === 0xef && b1 === 0xbb && buffer[2] === 0xbf) return decodeUtf8(buffer);
  if (b0 === 0xff && b1 === 0xfe && buffer[2] === 0x00 && buffer[3] === 0x00) return decodeUtf32(buffer, true);
  if (b0 === 0x00 && b1 === 0x00 && buffer[2] === 0xfe && buffer[3] === 0xff) return decodeUtf32(buffer, false);
  if (b0 === 0xff && b1 === 0xfe) return decodeUtf16(buffer, true);
  if (b0 === 0xfe && b1 === 0xff) return decodeUtf16(buffer, false);
  if (buffer.subarray(0, 8000).includes(0)) {
    const error = 'binary file (contains NUL bytes), not read';
    return claimsStrategyDocument(buffer)
      ? { error: `${error}. If it is UTF-16 or UTF-32 text, save it with a byte-order mark, or as UTF-8`, strategyDocument: true }
      : { error };
  }
  return decodeUtf8(buffer);
}

function decodeUtf8(buffer: Buffer): ReadResult {
  if (isUtf8(buffer)) return { text: buffer.toString('utf8') };
  return { text: buffer.toString('utf8'), warning: `This file is not valid UTF-8: invalid bytes were read as \uFFFD. ${UNDECODABLE_ADVICE}` };
}

// ignoreBOM keeps the mark in the text, as buffer.toString('utf8') does for UTF-8.
const strictUtf16 = new TextDecoder('utf-16le', { fatal: true, ignoreBOM: true });
const lenientUtf16 = new TextDecoder('utf-16le', { ignoreBOM: true });

function decodeUtf16(buffer: Buffer, littleEndian: boolean): ReadResult {
  const name = littleEndian ? 'UTF-16LE' : 'UTF-16BE';
  const evenLength = buffer.length - (buffer.length % 2);
  // Big-endian is byte-swapped into a copy and decoded as little-endian: no dependency on ICU's UTF-16BE.
  const units = littleEndian ? buffer.subarray(0, evenLength) : Buffer.from(buffer.subarray(0, evenLength)).swap16();
  let text: string;
  let valid = evenLength === buffer.length;
  try {
    text = strictUtf16.decode(units);
  } catch {
    valid = false;
    text = lenientUtf16.decode(units);
  }
  if (evenLength !== buffer.length) text += '\uFFFD';
  return valid ? { text } : { text, warning: `This file is not valid ${name}: invalid bytes were read as \uFFFD. ${UNDECODABLE_ADVICE}` };
}

/** UTF-32 has no TextDecoder: code points are written as UTF-16 code units, then decoded in one go. */
function decodeUtf32(buffer: Buffer, littleEndian: boolean): ReadResult {
  const name = littleEndian ? 'UTF-32LE' : 'UTF-32BE';
  const count = Math.floor(buffer.length / 4);
  const units = new Uint16Array(count * 2 + 1);
  let length = 0;
  let valid = count * 4 === buffer.length;
  for (let index = 0; index < count; index++) {
    const codePoint = littleEndian ? buffer.readUInt32LE(index * 4) : buffer.readUInt32BE(index * 4);
    if (codePoint > 0x10ffff || (codePoint >= 0xd800 && codePoint <= 0xdfff)) {
      valid = false;
      units[length++] = 0xfffd;
    } else if (codePoint > 0xffff) {
      const offset = codePoint - 0x10000;
      units[length++] = 0xd800 + (offset >> 10);
      units[length++] = 0xdc00 + (offset & 0x3ff);
    } else {
      units[length++] = codePoint;
    }
  }
  if (count * 4 !== buffer.length) units[length++] = 0xfffd;
  const text = lenientUtf16.decode(units.subarray(0, length));
  return valid ? { text } : { text, warning: `This file is not valid ${name}: invalid bytes were read as \uFFFD. ${UNDECODABLE_ADVICE}` };
}

/** How far into a binary file the front-matter of a strategy document is looked for. */
const CLAIM_WINDOW_BYTES = 4096;
const TYPE_LINE = new RegExp(`^type:[ \\t]*["']?(?:${DOCUMENT_TYPES.join('|')})["']?[ \\t]*$`);

/**
 * Whether a file Throughline cannot decode claims to be a strategy document, so that failing to
 * read it fails the gate instead of passing silently. The criterion: once NUL bytes are dropped
 * (which turns BOM-less UTF-16 and UTF-32 of ASCII text back into ASCII), its first line is `---`
 * and a front-matter line within the first 4 KB reads `type: vision|strategy|prd`, which is what
 * makes a Markdown file a strategy document. An image or archive named `.md` never matches.
 */
function claimsStrategyDocument(buffer: Buffer): boolean {
  const window = buffer.subarray(0, CLAIM_WINDOW_BYTES);
  const ascii: number[] = [];
  for (const byte of window) if (byte !== 0) ascii.push(byte);
  const lines = Buffer.from(ascii).toString('latin1').split(/\r?\n/);
  if (lines[0]?.trimEnd() !== '---') return false;
  for (let index = 1; index < lines.length; index++) {
    const line = lines[index]!.trimEnd();
    if (line === '---' || line === '...') return false;
    if (TYPE_LINE.test(line)) return true;
  }
  return false;
}

/**
 * `path.join(folder, name)` for a normalised folder and a name as `readdir` gives it (no
 * separator, never `.` or `..`): the same string, without normalising the whole path again (two
 * joins per entry were 44 ms of the walk of 10,000 files in a CPU profile of the server).
 */
function childPath(folder: string, name: string): string {
  return folder.endsWith(path.sep) ? folder + name : folder + path.sep + name;
}
