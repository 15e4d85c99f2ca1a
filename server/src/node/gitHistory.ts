/**
 * Reads a strategy folder's git history into a `HistoryFold`, in one pass: one `git log` lists
 * the commits on HEAD's first-parent line (the branch as merged, a merge counting as one change)
 * with the blob of every Markdown file each changed under the folder, and one `git cat-file
 * --batch` reads those blobs. Later commits are folded in on top (`update`): only `git log
 * OLD..HEAD` is read then.
 *
 * Git runs through gitRun.ts (nothing the repository configures is run). A folder outside any
 * repository, a repository without commits and a shallow clone have no history: one line says
 * so, and every history rule stays silent.
 */
import { createHash } from 'node:crypto';
import * as path from 'node:path';
import type { DocumentIndex } from '../service/model/model';
import type { FileFacts, HistoryFold, HistoryFileVersion, LoggedCommit as Commit } from '../service/history/historyFold';
import { decodeTextBuffer, MARKDOWN, readRegularFile, SKIPPED_DIRECTORIES, uriFromPath } from './fsWorkspace';
import { firstLine, runGit } from './gitRun';
import { BlobReader } from './gitWorkspace';

/** Commits read at most; older ones are left out (the history then starts at the oldest read, and says so). */
export const MAX_HISTORY_COMMITS = 20000;
/** Longest author name and subject kept (they are the repository's text, shown in messages). */
const MAX_AUTHOR = 80;
const MAX_SUBJECT = 120;
const ZERO_OBJECT = /^0+$/;
/** File versions worked out between two turns of the event loop. */
const YIELD_EVERY_FILES = 50;

export interface FolderHistory {
  readonly fold: HistoryFold;
  /** The repository's top level, and the folder's path inside it (`docs/strategy/`, or empty). */
  readonly topLevel: string;
  readonly prefix: string;
  /** The folder on disk: documents' URIs are made from it as the file-system workspace makes them. */
  readonly folderPath: string;
  /** Files whose working text is, byte for byte, the text HEAD has (see `WorkingTree`). */
  readonly unchangedSinceHead: ReadonlySet<string>;
  /** A line for the log when the history is partial (commits left out). */
  readonly note?: string;
}

/** Why a folder has no history, in one line. */
export interface NoHistory {
  readonly fold?: undefined;
  readonly note: string;
}

interface LoggedCommit {
  readonly commit: Commit;
  /** Relative to the folder, with the blob to read (undefined: deleted). */
  readonly files: { readonly relative: string; readonly objectId: string | undefined }[];
}

/**
 * What the host knows of the working tree, so history costs less: `diskIndex` gives the service's
 * index of a file as read from disk. A committed version whose blob is byte for byte the working
 * file's is not parsed again, and the files found as committed at HEAD are listed in
 * `unchangedSinceHead`, so they are not read again to be compared.
 */
export interface WorkingTree {
  diskIndex(uri: string): DocumentIndex | undefined;
}

/**
 * Reads the history of `folderPath`, a folder on disk, into `fold` (new, from the language
 * service's `newHistoryFold`), up to `rev` (HEAD; a full commit ID for the history as of an older
 * commit, as `check --changed-since` reads it for the ref's side: give no `working` tree then, since
 * the service's indexes are not of the working files).
 */
export async function readFolderHistory(folderPath: string, fold: HistoryFold, working?: WorkingTree, rev = 'HEAD'): Promise<FolderHistory | NoHistory> {
  const located = await runGit(['rev-parse', '--show-toplevel', '--show-prefix', '--is-shallow-repository'], folderPath, { maxBytes: 64 * 1024 }).catch(
    (error: unknown) => ({ code: 1, stdout: Buffer.alloc(0), stderr: error instanceof Error ? error.message : String(error) }),
  );
  if (located.code !== 0) return { note: `No history: ${firstLine(located.stderr) || 'this folder is not in a git repository'}.` };
  const [topLevel = '', prefix = '', shallow = ''] = located.stdout.toString('utf8').split('\n');
  if (shallow.trim() === 'true') return { note: 'No history: this is a shallow clone (git fetch --unshallow reads the rest).' };
  const head = await runGit(['rev-parse', '--verify', '--quiet', 'HEAD^{commit}'], topLevel, { maxBytes: 1024 });
  if (head.code !== 0) return { note: 'No history: the repository has no commits yet.' };
  // A revision starting with `-` would be read as an option.
  if (rev !== 'HEAD' && !/^[0-9a-f]{40,64}$/.test(rev)) return { note: `No history: ${rev} is not a commit ID.` };
  const read = await foldCommits(fold, topLevel, prefix, folderPath, rev, rev === 'HEAD' ? working : undefined);
  if (fold.commitCount === 0) return { note: 'No history: no commit has a Markdown file of this folder yet.' };
  return { fold, topLevel, prefix, folderPath, unchangedSinceHead: read.unchangedSinceHead, ...(read.note ? { note: read.note } : {}) };
}

/**
 * Folds in the commits made since the fold's newest one; false when HEAD no longer descends from
 * it (a reset, a rebase, another branch checked out): the caller reads the history again. `head`:
 * HEAD's sha when the caller just read it (one git run less). The ancestry check and the log run
 * side by side; the log is used only when HEAD descends from what was read.
 */
export async function updateFolderHistory(
  history: FolderHistory,
  head?: string,
  working?: WorkingTree,
): Promise<{ updated: boolean; commits: number; changed: Set<string> }> {
  const known = history.fold.head?.sha;
  const headSha = head ?? (await headCommit(history.topLevel));
  if (headSha === undefined || !known) return { updated: false, commits: 0, changed: new Set() };
  if (headSha === known) return { updated: true, commits: 0, changed: new Set() };
  const [ancestor, logged] = await Promise.all([
    runGit(['merge-base', '--is-ancestor', known, headSha], history.topLevel, { maxBytes: 1024 }),
    // A failed log (the old head gone after a rewrite) matters only when HEAD descends from it.
    logCommits(history.topLevel, history.prefix, `${known}..${headSha}`).catch((error: unknown) => (error instanceof Error ? error : new Error(String(error)))),
  ]);
  if (ancestor.code !== 0) return { updated: false, commits: 0, changed: new Set() };
  if (logged instanceof Error) throw logged;
  const read = await applyCommits(history.fold, history.topLevel, history.folderPath, logged, working);
  return { updated: true, commits: read.commits, changed: read.changed };
}

/** The sha of HEAD, or undefined. */
export async function headCommit(topLevel: string): Promise<string | undefined> {
  const head = await runGit(['rev-parse', '--verify', '--quiet', 'HEAD^{commit}'], topLevel, { maxBytes: 1024 }).catch(() => undefined);
  return head && head.code === 0 ? head.stdout.toString('utf8').trim() : undefined;
}

async function foldCommits(
  fold: HistoryFold,
  topLevel: string,
  prefix: string,
  folderPath: string,
  range: string,
  working: WorkingTree | undefined,
): Promise<{ commits: number; changed: Set<string>; unchangedSinceHead: Set<string>; note?: string }> {
  return applyCommits(fold, topLevel, folderPath, await logCommits(topLevel, prefix, range), working);
}

/** The commits of `range` on the first-parent line, oldest first, with the Markdown files each changed under `prefix`. */
async function logCommits(topLevel: string, prefix: string, range: string): Promise<LoggedCommit[]> {
  const logged = await runGit(
    [
      'log',
      '--first-parent',
      '--reverse',
      '--raw',
      '--no-abbrev',
      '--no-renames',
      '--no-color',
      '-z',
      `--max-count=${MAX_HISTORY_COMMITS}`,
      '--format=%x1e%H%x1f%at%x1f%an%x1f%s',
      range,
      ...(prefix ? ['--', prefix] : []),
    ],
    topLevel,
  );
  if (logged.code !== 0) throw new Error(`git log failed: ${firstLine(logged.stderr)}`);
  return parseLog(logged.stdout.toString('utf8'), prefix);
}

async function applyCommits(
  fold: HistoryFold,
  topLevel: string,
  folderPath: string,
  commits: readonly LoggedCommit[],
  working: WorkingTree | undefined,
): Promise<{ commits: number; changed: Set<string>; unchangedSinceHead: Set<string>; note?: string }> {
  const objectIds = commits.flatMap((entry) => entry.files.flatMap((file) => (file.objectId ? [file.objectId] : [])));
  const blobs = new BlobReader(topLevel, objectIds);
  const workingBlobs = new WorkingBlobs(working);
  const lastObject = new Map<string, string | undefined>();
  const changed = new Set<string>();
  let sinceYield = 0;
  for (const entry of commits) {
    const files: { uri: string; facts: FileFacts | undefined }[] = [];
    for (const file of entry.files) {
      const filePath = path.join(folderPath, ...file.relative.split('/'));
      const uri = uriFromPath(filePath);
      lastObject.set(uri, file.objectId);
      if (!file.objectId) {
        files.push({ uri, facts: undefined });
        continue;
      }
      const buffer = await blobs.take(file.objectId)?.catch(() => undefined);
      const decoded = buffer ? decodeTextBuffer(buffer) : undefined;
      // A version that cannot be read is treated as absent: its items are not there in that commit.
      const text = decoded && 'text' in decoded ? decoded.text : undefined;
      const index = text === undefined ? undefined : await workingBlobs.indexOf(uri, filePath, file.objectId);
      const version: HistoryFileVersion = { uri, text, ...(index ? { index } : {}) };
      // Reduced to its facts now: a commit of thousands of files keeps neither their texts nor their indexes.
      files.push({ uri, facts: fold.factsOf(version) });
      // A server answers requests while it reads history: a first commit of 10,000 files is parsed in turns.
      if (++sinceYield >= YIELD_EVERY_FILES) {
        sinceYield = 0;
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
    }
    for (const id of fold.applyFacts(entry.commit, files)) changed.add(id);
  }
  const unchangedSinceHead = new Set<string>();
  for (const [uri, objectId] of lastObject) if (objectId && workingBlobs.matches(uri, objectId)) unchangedSinceHead.add(uri);
  const note = commits.length >= MAX_HISTORY_COMMITS ? `History: the newest ${MAX_HISTORY_COMMITS} commits were read; older ones are left out.` : undefined;
  return { commits: commits.length, changed, unchangedSinceHead, ...(note ? { note } : {}) };
}

/**
 * The git blob IDs of working-tree files (the hash of `blob <size>\0<bytes>`, computed here: `git
 * hash-object` would run the repository's clean filter), read once per file and only for files the
 * service indexed from disk.
 */
class WorkingBlobs {
  private readonly ids = new Map<string, string | undefined>();

  constructor(private readonly working: WorkingTree | undefined) {}

  /** The service's index when this committed version is the working file, byte for byte (and the index has its lines). */
  async indexOf(uri: string, filePath: string, objectId: string): Promise<DocumentIndex | undefined> {
    const index = this.working?.diskIndex(uri);
    if (!index) return undefined;
    if (!this.ids.has(uri)) this.ids.set(uri, await workingBlobId(filePath, objectId.length === 64 ? 'sha256' : 'sha1'));
    if (this.ids.get(uri) !== objectId) return undefined;
    // The index may be of an older read than the file now (a change the watcher has not reported
    // yet): the fold checks that it reads as made from this text before using it.
    return index;
  }

  matches(uri: string, objectId: string): boolean {
    return this.ids.get(uri) === objectId;
  }
}

async function workingBlobId(filePath: string, algorithm: 'sha1' | 'sha256'): Promise<string | undefined> {
  const read = await readRegularFile(filePath).catch(() => undefined);
  if (!read || !('bytes' in read)) return undefined;
  return createHash(algorithm).update(`blob ${read.bytes.length}\0`).update(read.bytes).digest('hex');
}

/**
 * `git log -z --raw` output: per commit `\x1e<sha>\x1f<time>\x1f<author>\x1f<subject>\0`, then
 * `\n` and entries `:<mode> <mode> <old> <new> <status>\0<path>\0`. Paths are the repository's,
 * filtered to Markdown files under `prefix` outside skipped folders.
 */
export function parseLog(output: string, prefix: string): LoggedCommit[] {
  const commits: LoggedCommit[] = [];
  for (const record of output.split('\x1e')) {
    if (record === '') continue;
    const headerEnd = record.indexOf('\0');
    const header = headerEnd === -1 ? record : record.slice(0, headerEnd);
    const [sha = '', time = '', author = '', ...subject] = header.split('\x1f');
    if (!/^[0-9a-f]{40,64}$/.test(sha)) continue;
    const commit: Commit = {
      sha,
      time: Number(time) * 1000,
      author: plainLine(author).slice(0, MAX_AUTHOR),
      subject: plainLine(subject.join(' ')).slice(0, MAX_SUBJECT),
    };
    const files: LoggedCommit['files'] = [];
    const tokens = headerEnd === -1 ? [] : record.slice(headerEnd + 1).split('\0');
    for (let i = 0; i + 1 < tokens.length; i += 2) {
      const meta = tokens[i]!.trim();
      const filePath = tokens[i + 1]!;
      if (!meta.startsWith(':')) continue;
      const [, newMode = '', , newObject = '', status = ''] = meta.slice(1).split(' ');
      if (!filePath.startsWith(prefix) || !MARKDOWN.test(filePath)) continue;
      const relative = filePath.slice(prefix.length);
      if (relative.split('/').some((segment) => SKIPPED_DIRECTORIES.has(segment))) continue;
      const deleted = status.startsWith('D') || ZERO_OBJECT.test(newObject) || (newMode !== '100644' && newMode !== '100755');
      files.push({ relative, objectId: deleted ? undefined : newObject });
    }
    commits.push({ commit, files });
  }
  return commits;
}

/**
 * An author or subject as one plain line: they are the repository's text and reach diagnostics, so
 * control characters, line and paragraph separators and bidirectional overrides become spaces.
 */
function plainLine(text: string): string {
  return text
    .replace(/[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Whether a note says the folder is simply not in a repository (nothing to say unless asked). */
export function notInRepository(note: string): boolean {
  return /not a git repository/i.test(note);
}
