import { closeSync, fstatSync, openSync, promises as fs, readFileSync } from 'node:fs';
import { isUtf8 } from 'node:buffer';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { IWorkspace, ReadResult } from '../service/workspace';

/** Files above this size are skipped with a message rather than read: nobody writes a 20 MB PRD. */
export const MAX_FILE_BYTES = 20 * 1024 * 1024;
/** Folders no workspace walk enters, on disk or in a git tree. */
export const SKIPPED_DIRECTORIES: ReadonlySet<string> = new Set(['node_modules', '.git', '.hg', '.svn']);
export const MARKDOWN = /\.(?:md|markdown)$/i;

export function uriFromPath(filePath: string): string {
  return pathToFileURL(path.resolve(filePath)).href;
}

export function pathFromUri(uri: string): string {
  return fileURLToPath(uri);
}

/** Canonical form of a file URI, so `%40` and `@` spellings from different clients name one document. */
export function normalizeUri(uri: string): string {
  if (!uri.startsWith('file:')) return uri;
  try {
    return uriFromPath(fileURLToPath(uri));
  } catch {
    return uri;
  }
}

/** The workspace on disk: walks folders (following symbolic links, never in a loop) and reads files as UTF-8. */
export class FileSystemWorkspace implements IWorkspace {
  readonly folders: readonly string[];

  constructor(folders: readonly string[]) {
    this.folders = folders.map(normalizeUri);
  }

  async listFiles(folder: string): Promise<readonly string[]> {
    const found: string[] = [];
    const visited = new Set<string>();
    const walk = async (directory: string): Promise<void> => {
      let real: string;
      try {
        real = await fs.realpath(directory);
      } catch {
        return;
      }
      if (visited.has(real)) return;
      visited.add(real);
      let entries;
      try {
        entries = await fs.readdir(directory, { withFileTypes: true });
      } catch {
        return;
      }
      entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      for (const entry of entries) {
        const full = path.join(directory, entry.name);
        let isDirectory = entry.isDirectory();
        let isFile = entry.isFile();
        if (entry.isSymbolicLink()) {
          try {
            const stat = await fs.stat(full);
            isDirectory = stat.isDirectory();
            isFile = stat.isFile();
          } catch {
            continue; // dangling link
          }
        }
        if (isDirectory && !SKIPPED_DIRECTORIES.has(entry.name)) await walk(full);
        else if (isFile && MARKDOWN.test(entry.name)) found.push(uriFromPath(full));
      }
    };
    await walk(pathFromUri(folder));
    return found;
  }

  async readFile(uri: string): Promise<ReadResult | undefined> {
    return readTextFile(pathFromUri(uri));
  }
}

/**
 * Reads a file as UTF-8 text. Synchronous reads are several times faster than fs.promises for
 * thousands of small files; the service yields between batches, so the server stays responsive.
 */
export async function readTextFile(filePath: string): Promise<ReadResult | undefined> {
  return readTextFileSync(filePath);
}

export function readTextFileSync(filePath: string): ReadResult | undefined {
  let buffer: Buffer;
  let descriptor: number | undefined;
  try {
    descriptor = openSync(filePath, 'r');
    const stat = fstatSync(descriptor);
    if (!stat.isFile()) return { error: 'not a regular file' };
    if (stat.size > MAX_FILE_BYTES) return { error: `larger than ${MAX_FILE_BYTES / 1024 / 1024} MB, not read` };
    buffer = readFileSync(descriptor);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    if (code === 'EISDIR') return { error: 'not a regular file' };
    return { error: (error as Error).message };
  } finally {
    if (descriptor !== undefined) closeSync(descriptor);
  }
  return decodeTextBuffer(buffer);
}

/** NUL bytes mean a binary file, which is not read; invalid UTF-8 is read with replacement characters and a warning. */
export function decodeTextBuffer(buffer: Buffer): ReadResult {
  if (buffer.subarray(0, 8000).includes(0)) return { error: 'binary file (contains NUL bytes), not read' };
  if (isUtf8(buffer)) return { text: buffer.toString('utf8') };
  return { text: buffer.toString('utf8'), warning: 'This file is not valid UTF-8: invalid bytes were read as \uFFFD. Save it as UTF-8.' };
}
