/**
 * Which folder is the strategy workspace. Editors root the server wherever they think the project
 * is: Emacs project.el and some Neovim setups at the nearest folder with `.git` (or at the file's
 * folder, `prds/`, when there is none), single-file clients nowhere, and a repository clone at the
 * clone even when the strategy lives in `examples/acme` with its own `.throughline.yml`. A root
 * below the strategy workspace leaves every cross-file ID "not defined anywhere"; a root above it
 * ignores its configuration. These functions find the real one, from a file or folder path.
 *
 * Everything here is bounded and synchronous (a handful of stat calls per level, a bounded number
 * of directory entries and file prefixes), never follows a name that is not a regular file or
 * folder (a FIFO named `.throughline.yml` is never opened), never lifts a root to the user's home
 * folder or above it (a dotfiles repository at `~/.git` must not make the whole home folder a
 * workspace; a client that chose the home folder keeps it) nor to `/`, and never throws.
 */
import { closeSync, constants, fstatSync, lstatSync, openSync, opendirSync, readSync, statSync, type Dir, type Stats } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CONFIG_FILE_NAME } from '../service/model/config';
import { DOCUMENT_TYPES } from '../service/model/model';
import { findFrontMatter } from '../service/parse/frontMatter';
import { MARKDOWN, SKIPPED_DIRECTORIES } from './fsWorkspace';

/**
 * Why a folder is the workspace:
 * - `config`: it holds `.throughline.yml` (the nearest one at or above the start);
 * - `repository`: it holds `.git` (a folder, or the file of a worktree or submodule), and no
 *   `.throughline.yml` was found on the way up;
 * - `documents`: neither was found; it is the top-most folder within a few levels that directly
 *   holds strategy documents;
 * - `nested-config` (`chooseWorkspaceRoots` only): the client's folder has neither configuration
 *   nor strategy documents of its own, and exactly one folder below it has `.throughline.yml`;
 * - `given`: nothing says otherwise: the folder as given (or the file's folder).
 */
export type RootReason = 'config' | 'repository' | 'documents' | 'nested-config' | 'given';

export interface StrategyRoot {
  /** Absolute path of the workspace folder. */
  readonly root: string;
  readonly reason: RootReason;
  /** One line for the server's log: "Throughline workspace: /x/acme (…)". */
  readonly detail: string;
}

export interface RootSearchOptions {
  /** Ancestors looked at for `.throughline.yml` and `.git` (default 32). */
  readonly maxUp?: number;
  /** Ancestors looked at for strategy documents (default 4). */
  readonly maxDocumentLevels?: number;
  /** Directory entries read per folder when looking for documents or nested configuration (default 1,000). */
  readonly maxEntriesPerFolder?: number;
  /** Markdown files whose first bytes are read per folder (default 20). */
  readonly maxFilesReadPerFolder?: number;
  /** Never looked at, nor anything above it unless the start is outside it (default: the user's home folder). */
  readonly home?: string;
}

const DEFAULTS = { maxUp: 32, maxDocumentLevels: 4, maxEntriesPerFolder: 1000, maxFilesReadPerFolder: 20 };
/** Enough for the front-matter's first lines; `type:` comes first in every template. */
const PREFIX_BYTES = 512;
/** Below the client's folder, for `nested-config`: levels and folders visited at most. */
/** Levels below a client's folder searched for its own vision. */
const VISION_MAX_DEPTH = 2;
const NESTED_MAX_DEPTH = 4;
const NESTED_MAX_FOLDERS = 500;
const NESTED_MAX_FILES_READ = 200;

interface Bounds {
  readonly maxUp: number;
  readonly maxDocumentLevels: number;
  readonly maxEntriesPerFolder: number;
  readonly maxFilesReadPerFolder: number;
  readonly home: string | undefined;
}

function boundsOf(options: RootSearchOptions): Bounds {
  let home = options.home;
  if (home === undefined) {
    try {
      home = os.homedir();
    } catch {
      home = undefined;
    }
  }
  return {
    maxUp: options.maxUp ?? DEFAULTS.maxUp,
    maxDocumentLevels: options.maxDocumentLevels ?? DEFAULTS.maxDocumentLevels,
    maxEntriesPerFolder: options.maxEntriesPerFolder ?? DEFAULTS.maxEntriesPerFolder,
    maxFilesReadPerFolder: options.maxFilesReadPerFolder ?? DEFAULTS.maxFilesReadPerFolder,
    home: home ? path.resolve(home) : undefined,
  };
}

function statOrUndefined(target: string, follow: boolean): Stats | undefined {
  try {
    return follow ? statSync(target, { throwIfNoEntry: false }) : lstatSync(target, { throwIfNoEntry: false });
  } catch {
    return undefined; // ELOOP, EACCES, ENAMETOOLONG…
  }
}

function isInside(folder: string, candidate: string): boolean {
  if (candidate === folder) return true;
  const base = folder.endsWith(path.sep) ? folder : folder + path.sep;
  return candidate.startsWith(base);
}

/**
 * `.throughline.yml` counts when it is a regular file, following a symbolic link as the
 * configuration reader does; a folder, FIFO, socket or dangling link of that name does not.
 */
function hasConfig(folder: string): boolean {
  return statOrUndefined(path.join(folder, CONFIG_FILE_NAME), true)?.isFile() === true;
}

/** `.git` as a folder (a clone) or a regular file (`gitdir: …` of a worktree or submodule). */
function hasRepository(folder: string): boolean {
  const stat = statOrUndefined(path.join(folder, '.git'), true);
  return stat !== undefined && (stat.isDirectory() || stat.isFile());
}

/**
 * The folder of another repository that holds `filePath` inside the repository at `topLevel`
 * (a submodule or a clone checked out inside it), nearest first; undefined when `filePath` is
 * `topLevel`'s own. The outer repository's history has none of that folder's files.
 */
export function nestedRepositoryOf(filePath: string, topLevel: string): string | undefined {
  const top = path.resolve(topLevel);
  for (let folder = path.dirname(path.resolve(filePath)); folder.startsWith(top + path.sep); folder = path.dirname(folder)) {
    if (hasRepository(folder)) return folder;
  }
  return undefined;
}

/**
 * The folders looked at from `folder` up, nearest first: `folder` itself, unless it is `/` or it is
 * the home folder reached from a file (a client that chose the home folder as its root gets it);
 * then at most `limit` ancestors, never `/`, never the home folder, and only inside the home
 * folder when `folder` is.
 */
function foldersUp(folder: string, givenAsFolder: boolean, limit: number, home: string | undefined): string[] {
  const isFileSystemRoot = (candidate: string) => path.dirname(candidate) === candidate;
  const underHome = home !== undefined && isInside(home, folder);
  const folders: string[] = [];
  if (!isFileSystemRoot(folder) && (givenAsFolder || folder !== home)) folders.push(folder);
  let current = folder;
  for (let level = 0; level < limit; level++) {
    const up = path.dirname(current);
    if (up === current || isFileSystemRoot(up) || up === home || (underHome && !isInside(home, up))) break;
    folders.push(up);
    current = up;
  }
  return folders;
}

const TYPE_PREFIX = 'type:';

/** Whether a front-matter line is `type: vision|strategy|prd` (optionally quoted, optionally commented). Hand-written: linear. */
function isDocumentTypeLine(line: string): boolean {
  if (!line.startsWith(TYPE_PREFIX)) return false;
  let value = line.slice(TYPE_PREFIX.length);
  const comment = value.indexOf(' #');
  if (comment >= 0) value = value.slice(0, comment);
  value = value.trim();
  if (value.length >= 2 && (value[0] === '"' || value[0] === "'") && value[value.length - 1] === value[0]) value = value.slice(1, -1);
  return (DOCUMENT_TYPES as readonly string[]).includes(value);
}

/** Reads at most `PREFIX_BYTES` of a regular file, never opening anything else (stat, then O_NONBLOCK and fstat). */
function readPrefix(filePath: string): string | undefined {
  let descriptor: number | undefined;
  try {
    if (!statSync(filePath).isFile()) return undefined;
    descriptor = openSync(filePath, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
    if (!fstatSync(descriptor).isFile()) return undefined;
    const buffer = Buffer.alloc(PREFIX_BYTES);
    const length = readSync(descriptor, buffer, 0, PREFIX_BYTES, 0);
    return buffer.subarray(0, length).toString('utf8');
  } catch {
    return undefined;
  } finally {
    if (descriptor !== undefined) {
      try {
        closeSync(descriptor);
      } catch {
        // nothing to do: it was open for reading only
      }
    }
  }
}

/** Whether the first bytes of a file are front-matter naming a strategy document type. */
export function startsAsStrategyDocument(prefix: string): boolean {
  const block = findFrontMatter(prefix);
  if (!block) return false;
  const content = prefix.slice(block.contentStart, block.contentEnd);
  for (const line of content.split(/\r\n|\r|\n/)) if (isDocumentTypeLine(line.trimEnd())) return true;
  return false;
}

interface FolderEntries {
  readonly markdown: string[];
  readonly folders: string[];
  readonly configFound: boolean;
  /** More entries than the bound: what was not read is unknown. */
  readonly truncated: boolean;
}

/** The first `maxEntries` entries of a folder, by kind; opendir rather than readdir, so a huge folder is not read whole. */
function readEntries(folder: string, maxEntries: number): FolderEntries {
  const markdown: string[] = [];
  const folders: string[] = [];
  let configFound = false;
  let truncated = false;
  let directory: Dir | undefined;
  try {
    directory = opendirSync(folder);
    for (let count = 0; ; count++) {
      const entry = directory.readSync();
      if (entry === null) break;
      if (count >= maxEntries) {
        truncated = true;
        break;
      }
      if (entry.isDirectory()) folders.push(entry.name);
      else if (entry.name === CONFIG_FILE_NAME) configFound = hasConfig(folder);
      // Regular files only: a symbolic link may point anywhere, and only what is in the folder decides.
      else if (MARKDOWN.test(entry.name) && entry.isFile()) markdown.push(entry.name);
    }
  } catch {
    // unreadable: as good as empty
  } finally {
    try {
      directory?.closeSync();
    } catch {
      // already closed
    }
  }
  markdown.sort();
  folders.sort();
  return { markdown, folders, configFound, truncated };
}

/** Whether one of the first `maxFiles` Markdown files directly in `folder` (by name) is a strategy document. */
function holdsStrategyDocuments(folder: string, entries: FolderEntries, maxFiles: number): boolean {
  for (const name of entries.markdown.slice(0, maxFiles)) {
    const prefix = readPrefix(path.join(folder, name));
    if (prefix !== undefined && startsAsStrategyDocument(prefix)) return true;
  }
  return false;
}

/**
 * The strategy workspace around `start` (a file or folder path, absolute or relative to the
 * current folder): the nearest folder at or above it with `.throughline.yml`; otherwise the
 * nearest with `.git`; otherwise the top-most folder with strategy documents within
 * `maxDocumentLevels` levels; otherwise the folder itself (a file's folder for a file). A `.git`
 * nearer than a `.throughline.yml` does not stop the search for it: a submodule or worktree inside
 * a strategy workspace belongs to that workspace.
 */
export function findStrategyRoot(start: string, options: RootSearchOptions = {}): StrategyRoot {
  const bounds = boundsOf(options);
  const resolved = path.resolve(start);
  // A missing path is treated as a file: its folder is where to look.
  const startIsFolder = statOrUndefined(resolved, true)?.isDirectory() === true;
  const folder = startIsFolder ? resolved : path.dirname(resolved);
  const from = startIsFolder ? folder : resolved;
  const upward = foldersUp(folder, startIsFolder, bounds.maxUp, bounds.home);

  for (const candidate of upward) {
    if (hasConfig(candidate)) {
      const where = candidate === from ? `it holds ${CONFIG_FILE_NAME}` : `the nearest folder with ${CONFIG_FILE_NAME} above ${from}`;
      return { root: candidate, reason: 'config', detail: `Throughline workspace: ${candidate} (${where})` };
    }
  }
  for (const candidate of upward) {
    if (hasRepository(candidate)) {
      const where = candidate === from ? 'a repository root' : `the repository root above ${from}`;
      return { root: candidate, reason: 'repository', detail: `Throughline workspace: ${candidate} (${where}, with no ${CONFIG_FILE_NAME} on the way)` };
    }
  }
  let topMost: string | undefined;
  for (const candidate of upward.slice(0, bounds.maxDocumentLevels + 1)) {
    const entries = readEntries(candidate, bounds.maxEntriesPerFolder);
    if (holdsStrategyDocuments(candidate, entries, bounds.maxFilesReadPerFolder)) topMost = candidate;
  }
  if (topMost !== undefined) {
    const detail = `Throughline workspace: ${topMost} (the top-most folder with strategy documents within ${bounds.maxDocumentLevels} levels above ${from}; no ${CONFIG_FILE_NAME} or repository found)`;
    return { root: topMost, reason: 'documents', detail };
  }
  return {
    root: folder,
    reason: 'given',
    detail: `Throughline workspace: ${folder} (as given: no ${CONFIG_FILE_NAME}, repository or strategy documents at or above it)`,
  };
}

/**
 * `nested-config`: when the client's folder has no `.throughline.yml` and no strategy documents,
 * and a bounded search below it finds exactly one folder with `.throughline.yml` and no strategy
 * documents outside that folder, the workspace is that folder (a clone of a repository whose
 * strategy lives in `examples/acme`). The search looks `NESTED_MAX_DEPTH` levels down; a folder
 * too large to read whole, or more folders or files than its bounds, keeps the client's folder:
 * when in doubt, the client's choice stands.
 */
/** A vision document within `VISION_MAX_DEPTH` levels of `folder`, read within the bounds. */
function holdsVision(folder: string, bounds: Bounds): boolean {
  let foldersVisited = 0;
  const queue: { folder: string; depth: number }[] = [{ folder, depth: 0 }];
  while (queue.length > 0) {
    const { folder: current, depth } = queue.shift()!;
    if (++foldersVisited > NESTED_MAX_FOLDERS) return false;
    const entries = readEntries(current, bounds.maxEntriesPerFolder);
    let filesRead = 0;
    for (const name of entries.markdown) {
      if (++filesRead > bounds.maxFilesReadPerFolder) break;
      const prefix = readPrefix(path.join(current, name));
      if (prefix !== undefined && documentType(prefix) === 'vision') return true;
    }
    if (depth >= VISION_MAX_DEPTH) continue;
    for (const name of entries.folders) if (!SKIPPED_DIRECTORIES.has(name)) queue.push({ folder: path.join(current, name), depth: depth + 1 });
  }
  return false;
}

/** The `type:` of a front-matter block at the start of `prefix`, if it is a document type. */
function documentType(prefix: string): string | undefined {
  const block = findFrontMatter(prefix);
  if (!block) return undefined;
  for (const line of prefix.slice(block.contentStart, block.contentEnd).split(/\r\n|\r|\n/)) {
    const trimmed = line.trimEnd();
    if (isDocumentTypeLine(trimmed))
      return trimmed
        .slice(TYPE_PREFIX.length)
        .replace(/#.*$/, '')
        .trim()
        .replace(/^["']|["']$/g, '');
  }
  return undefined;
}

function findNestedConfig(clientFolder: string, bounds: Bounds): string | undefined {
  const found: string[] = [];
  let foldersVisited = 0;
  let filesRead = 0;
  const queue: { folder: string; depth: number }[] = [{ folder: clientFolder, depth: 0 }];
  while (queue.length > 0) {
    const { folder, depth } = queue.shift()!;
    if (++foldersVisited > NESTED_MAX_FOLDERS) return undefined;
    const entries = readEntries(folder, bounds.maxEntriesPerFolder);
    if (entries.truncated) return undefined;
    if (entries.configFound) {
      if (folder === clientFolder) return undefined;
      found.push(folder);
      if (found.length > 1) return undefined;
      continue; // what is inside belongs to that workspace
    }
    for (const name of entries.markdown) {
      if (++filesRead > NESTED_MAX_FILES_READ) return undefined;
      const prefix = readPrefix(path.join(folder, name));
      if (prefix !== undefined && startsAsStrategyDocument(prefix)) return undefined;
    }
    if (depth >= NESTED_MAX_DEPTH) continue;
    for (const name of entries.folders) {
      if (SKIPPED_DIRECTORIES.has(name)) continue;
      queue.push({ folder: path.join(folder, name), depth: depth + 1 });
    }
  }
  return found.length === 1 ? found[0] : undefined;
}

/**
 * The server's workspace folders, from the client's (paths; empty in single-file mode or for a
 * `rootPath`-only client that sent none) and, when there are none, the first opened document:
 *
 * - a client folder below the strategy workspace (`findStrategyRoot` finds a `.throughline.yml`,
 *   `.git` or strategy documents above it) is lifted to it: `acme/prds` → `acme`;
 * - a client folder that is itself the workspace, or above nothing better, is kept, except in the
 *   `nested-config` case (see `findNestedConfig`);
 * - folders that end up inside another are dropped (the service would list their files twice);
 * - with no client folder, the document's workspace, unless nothing but the document's own folder
 *   was found (`given`): then no folder, and the server checks open documents only, as before.
 */
export function chooseWorkspaceRoots(clientFolders: readonly string[], firstDocument?: string, options: RootSearchOptions = {}): StrategyRoot[] {
  const bounds = boundsOf(options);
  const chosen: StrategyRoot[] = [];
  if (clientFolders.length === 0) {
    if (firstDocument === undefined) return [];
    const found = findStrategyRoot(firstDocument, options);
    return found.reason === 'given' ? [] : [found];
  }
  for (const clientFolder of clientFolders) {
    const folder = path.resolve(clientFolder);
    const found = findStrategyRoot(folder, options);
    // A `.throughline.yml` above always wins. A repository root or a folder of documents above
    // wins only when the client's folder is not a workspace of its own (no vision in it): a
    // client rooted at `prds/` is lifted, a folder opened with its own vision inside a larger
    // repository is kept.
    if (found.root !== folder && (found.reason === 'config' || !holdsVision(folder, bounds))) {
      chosen.push(found);
      continue;
    }
    if (found.root !== folder) {
      chosen.push({
        root: folder,
        reason: 'given',
        detail: `Throughline workspace: ${folder} (as given: it holds its own vision, so the ${found.reason === 'repository' ? 'repository' : 'folder'} above, ${found.root}, is not used)`,
      });
      continue;
    }
    if (found.reason === 'config' || found.reason === 'documents') {
      chosen.push(found);
      continue;
    }
    const nested = findNestedConfig(folder, bounds);
    if (nested !== undefined) {
      chosen.push({
        root: nested,
        reason: 'nested-config',
        detail: `Throughline workspace: ${nested} (the only folder with ${CONFIG_FILE_NAME} below ${folder}, which has no strategy documents of its own)`,
      });
      continue;
    }
    chosen.push(found);
  }
  const unique: StrategyRoot[] = [];
  for (const root of chosen) {
    if (chosen.some((other) => other !== root && other.root !== root.root && isInside(other.root, root.root))) continue;
    if (unique.some((kept) => kept.root === root.root)) continue;
    unique.push(root);
  }
  return unique;
}
