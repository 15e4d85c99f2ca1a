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
import { closeSync, constants, fstatSync, lstatSync, openSync, readSync, statSync, type BigIntStats } from 'node:fs';
import * as path from 'node:path';
import type { DocumentIndex } from '../service/model/model';
import type { FileFacts, HistoryFold, HistoryFileVersion, LoggedCommit as Commit } from '../service/history/historyFold';
import { decodeTextBuffer, MARKDOWN, MAX_FILE_BYTES, readRegularFile, scratchBuffer, SKIPPED_DIRECTORIES, uriFromPath } from './fsWorkspace';
import { firstLine, LINE_BREAK, LINE_BREAK_IN_PATH, runGit } from './gitRun';
import { BlobReader, BlobTooLarge } from './gitWorkspace';

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

/** A Markdown file a commit changed: its path under the folder, and its new blob (none: deleted). */
interface LoggedFile {
  readonly relative: string;
  readonly objectId: string | undefined;
}

/** Why a folder has no history, in one line. */
export interface NoHistory {
  readonly fold?: undefined;
  readonly note: string;
}

interface LoggedCommit {
  readonly commit: Commit;
  /** Relative to the folder, with the blob to read (undefined: deleted). */
  readonly files: LoggedFile[];
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
 * What git says of a folder before anything is folded: where the repository is, and, under way,
 * the log of `rev` and (for a working tree) the stamps of git's index. None of it needs the
 * service's index, so a host that indexes the folder anyway starts it first (`startHistoryRead`)
 * and git works meanwhile: a process spawned from a small heap, and its wait hidden behind the
 * indexing.
 */
export type HistorySource = NoHistory | LocatedHistory;

interface LocatedHistory {
  readonly note?: undefined;
  readonly topLevel: string;
  readonly prefix: string;
  readonly rev: string;
  readonly logged: Promise<LoggedCommit[]>;
  /** Undefined when not asked for (no working tree) or when git's index cannot be found. */
  readonly stamps: Promise<IndexStamps | undefined> | undefined;
}

/**
 * Starts reading what git says of `folderPath` up to `rev` (HEAD; a full commit ID for the history
 * as of an older commit). `withStamps`: git's index is read too, for a working tree. A rejection
 * (git failing in an unexpected way) reaches whoever awaits it, never the process as unhandled.
 */
export function startHistoryRead(folderPath: string, rev = 'HEAD', withStamps = true): Promise<HistorySource> {
  const started = locateHistory(folderPath, rev, withStamps);
  // Handled here so that an early start the host never awaits (it failed first) is not an
  // unhandled rejection; an awaiting caller still sees the rejection.
  started.then(
    (source) => {
      if (source.note !== undefined) return;
      source.logged.catch(() => undefined);
      source.stamps?.catch(() => undefined);
    },
    () => undefined,
  );
  return started;
}

async function locateHistory(folderPath: string, rev: string, withStamps: boolean): Promise<HistorySource> {
  if (LINE_BREAK.test(path.resolve(folderPath))) return { note: `No history: ${LINE_BREAK_IN_PATH}.` };
  // One git run: where the repository is, then HEAD's commit. In a repository without commits, git
  // prints the first four lines and fails on HEAD; outside any repository it prints nothing.
  const located = await runGit(
    ['rev-parse', '--show-toplevel', '--show-prefix', '--is-shallow-repository', '--git-path', 'index', '--verify', '--quiet', 'HEAD^{commit}'],
    folderPath,
    { maxBytes: 64 * 1024 },
  ).catch((error: unknown) => ({ code: 1, stdout: Buffer.alloc(0), stderr: error instanceof Error ? error.message : String(error) }));
  const lines = located.stdout.toString('utf8').split('\n');
  if (lines.length < 5) return { note: `No history: ${firstLine(located.stderr) || 'this folder is not in a git repository'}.` };
  const [topLevel = '', prefix = '', shallow = '', indexFile = ''] = lines;
  if (shallow.trim() === 'true') return { note: 'No history: this is a shallow clone (git fetch --unshallow reads the rest).' };
  // HEAD names a branch with no commit: a new repository, or an orphan branch in one that has commits.
  if (located.code !== 0) return { note: 'No history: HEAD has no commit yet (a new repository, or a new orphan branch).' };
  // A revision starting with `-` would be read as an option.
  if (rev !== 'HEAD' && !/^[0-9a-f]{40,64}$/.test(rev)) return { note: `No history: ${rev} is not a commit ID.` };
  const stamps = withStamps && rev === 'HEAD' && indexFile ? readIndexStamps(topLevel, prefix, path.resolve(folderPath, indexFile)) : undefined;
  return { topLevel, prefix, rev, logged: logCommits(topLevel, prefix, rev), stamps };
}

/**
 * Reads the history of `folderPath`, a folder on disk, into `fold` (new, from the language
 * service's `newHistoryFold`), up to `rev` (HEAD; a full commit ID for the history as of an older
 * commit, as `check --changed-since` reads it for the ref's side: give no `working` tree then, since
 * the service's indexes are not of the working files). `started`: what `startHistoryRead` started
 * for the same folder and `rev` before the service indexed it.
 */
export async function readFolderHistory(
  folderPath: string,
  fold: HistoryFold,
  working?: WorkingTree,
  rev = 'HEAD',
  started: Promise<HistorySource> = startHistoryRead(folderPath, rev, working !== undefined),
): Promise<FolderHistory | NoHistory> {
  const source = await started;
  if (source.note !== undefined) return source;
  if (source.rev !== rev) throw new Error(`the history was started for ${source.rev}, not ${rev}`);
  const { topLevel, prefix } = source;
  const tree = rev === 'HEAD' ? working : undefined;
  // While git works out the log (half a second at 10,000 files, 1,000 commits), git's index says
  // which working files are as committed, and their facts are worked out from disk.
  const readWorking = async () => {
    const stamps = tree ? await source.stamps : undefined;
    const workingBlobs = new WorkingBlobs(tree, stamps);
    const proven = stamps ? await provenWorkingFacts(stamps, workingBlobs, fold, folderPath, prefix) : undefined;
    return { stamps, workingBlobs, proven };
  };
  // git reads the versions the working tree cannot have as soon as the log names them, while the
  // working files are read: the commits are then folded in without waiting for their blobs (that
  // wait was 0.28 s of the read at 10,000 files and 1,000 commits).
  const committedOnly = Promise.all([source.logged, tree ? source.stamps : undefined]).then(
    ([logged, stamps]) => new BlobReader(topLevel, notInWorkingTree(logged, stamps, prefix)),
  );
  committedOnly.catch(() => undefined); // the log's failure reaches the caller below
  const [logged, known] = await Promise.all([source.logged, readWorking()]);
  const read = await applyCommits(fold, topLevel, folderPath, logged, tree, prefix, { ...known, committedOnly: await committedOnly, reportChanges: false });
  // A history with versions missing would date changes and check-ins wrongly: none rather than that.
  if (read.unreadable) return { note: `No history: ${read.unreadable}` };
  if (fold.commitCount === 0) return { note: 'No history: no commit has a Markdown file of this folder yet.' };
  return { fold, topLevel, prefix, folderPath, unchangedSinceHead: read.unchangedSinceHead, ...(read.note ? { note: read.note } : {}) };
}

/**
 * Folds in the commits made since the fold's newest one; false when HEAD no longer descends from
 * it (a reset, a rebase, another branch checked out): the caller reads the history again. `head`:
 * HEAD's sha when the caller just read it (one git run less). The ancestry check and the log run
 * side by side; the log is used only when HEAD descends from what was read. `changed`: the IDs
 * whose history changed; `files`: the URIs of the files the new commits changed.
 */
export async function updateFolderHistory(
  history: FolderHistory,
  head?: string,
  working?: WorkingTree,
): Promise<{ updated: boolean; commits: number; changed: Set<string>; files: Set<string> }> {
  const known = history.fold.head?.sha;
  const headSha = head ?? (await headCommit(history.topLevel));
  if (headSha === undefined || !known) return { updated: false, commits: 0, changed: new Set(), files: new Set() };
  if (headSha === known) return { updated: true, commits: 0, changed: new Set(), files: new Set() };
  const [ancestor, logged] = await Promise.all([
    runGit(['merge-base', '--is-ancestor', known, headSha], history.topLevel, { maxBytes: 1024 }),
    // A failed log (the old head gone after a rewrite) matters only when HEAD descends from it.
    logCommits(history.topLevel, history.prefix, `${known}..${headSha}`).catch((error: unknown) => (error instanceof Error ? error : new Error(String(error)))),
  ]);
  if (ancestor.code !== 0) return { updated: false, commits: 0, changed: new Set(), files: new Set() };
  if (logged instanceof Error) throw logged;
  const read = await applyCommits(history.fold, history.topLevel, history.folderPath, logged, working, history.prefix, { reportChanges: true });
  // The host reads the whole history again, which then says why there is none.
  if (read.unreadable) throw new Error(read.unreadable);
  return { updated: true, commits: read.commits, changed: read.changed, files: new Set(read.lastObject.keys()) };
}

/** The sha of HEAD, or undefined. */
export async function headCommit(topLevel: string): Promise<string | undefined> {
  const head = await runGit(['rev-parse', '--verify', '--quiet', 'HEAD^{commit}'], topLevel, { maxBytes: 1024 }).catch(() => undefined);
  return head && head.code === 0 ? head.stdout.toString('utf8').trim() : undefined;
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
      // The committer's date: when the change landed on the branch. An author date survives an
      // amend or a rebase, so a check-in committed last could be dated before the ones it follows.
      '--format=%x1e%H%x1f%ct%x1f%cI%x1f%an%x1f%s',
      range,
      ...(prefix ? ['--', prefix] : []),
    ],
    topLevel,
  );
  if (logged.code !== 0) throw new Error(`git log failed: ${firstLine(logged.stderr)}`);
  return parseLog(logged.stdout.toString('utf8'), prefix);
}

/** The blobs the log names that git's index does not record for their path: no working file is them. */
function notInWorkingTree(commits: readonly LoggedCommit[], stamps: IndexStamps | undefined, prefix: string): string[] {
  const objectIds: string[] = [];
  for (const entry of commits) {
    for (const file of entry.files) if (file.objectId && !mayBeInWorkingTree(file, stamps, prefix)) objectIds.push(file.objectId);
  }
  return objectIds;
}

/** Whether git's index records this version's blob for its path (the working file may then be proven to be it). */
function mayBeInWorkingTree(file: LoggedFile, stamps: IndexStamps | undefined, prefix: string): boolean {
  return stamps?.objectIdOf(prefix + file.relative) === file.objectId;
}

async function applyCommits(
  fold: HistoryFold,
  topLevel: string,
  folderPath: string,
  commits: readonly LoggedCommit[],
  working: WorkingTree | undefined,
  prefix: string,
  options: {
    readonly stamps?: IndexStamps | undefined;
    readonly workingBlobs?: WorkingBlobs;
    /** Facts of working files proven as committed, by URI, with their blob (`provenWorkingFacts`). */
    readonly proven?: ReadonlyMap<string, ProvenFacts> | undefined;
    /** The versions git's index says no working file is, already being read (`notInWorkingTree`). */
    readonly committedOnly?: BlobReader | undefined;
    readonly reportChanges: boolean;
  },
): Promise<{
  commits: number;
  changed: Set<string>;
  unchangedSinceHead: Set<string>;
  lastObject: Map<string, string | undefined>;
  note?: string;
  /** Why versions the log names could not be read from git (a partial clone lacks them), if any could not. */
  unreadable?: string;
}> {
  const { stamps, proven, committedOnly, reportChanges } = options;
  const workingBlobs = options.workingBlobs ?? new WorkingBlobs(working, stamps);
  // Each path once: a file changed in many commits is named in each.
  const places = new Map<string, { filePath: string; uri: string; repoPath: string }>();
  const placeOf = (relative: string) => {
    let place = places.get(relative);
    if (!place) {
      const filePath = path.join(folderPath, ...relative.split('/'));
      places.set(relative, (place = { filePath, uri: uriFromPath(filePath), repoPath: prefix + relative }));
    }
    return place;
  };
  // A version with the blob a working file was proven to be was worked out from disk
  // (`provenWorkingFacts`); git reads the others, once per file that has them: those git's index
  // says no working file is were asked for early (`committedOnly`), the rest (a working file the
  // index named but its stat did not prove) now.
  const inCommittedOnly = (file: LoggedFile) => committedOnly !== undefined && !mayBeInWorkingTree(file, stamps, prefix);
  const fromGit: string[] = [];
  for (const entry of commits) {
    for (const file of entry.files) {
      if (!file.objectId || proven?.get(placeOf(file.relative).uri)?.objectId === file.objectId || inCommittedOnly(file)) continue;
      fromGit.push(file.objectId);
    }
  }
  const blobs = new BlobReader(topLevel, fromGit);
  const lastObject = new Map<string, string | undefined>();
  const changed = new Set<string>();
  let sinceYield = 0;
  let unreadable = 0;
  let firstFailure = '';
  const failed = (error: unknown) => {
    // A version over the size limit is skipped, as the working file would be; anything else is a version git could not give.
    if (!(error instanceof BlobTooLarge)) {
      unreadable++;
      firstFailure ||= error instanceof Error ? error.message : String(error);
    }
    return undefined;
  };
  for (const entry of commits) {
    const files: { uri: string; facts: FileFacts | undefined }[] = [];
    for (const file of entry.files) {
      const { filePath, uri, repoPath } = placeOf(file.relative);
      lastObject.set(uri, file.objectId);
      if (!file.objectId) {
        files.push({ uri, facts: undefined });
        continue;
      }
      const ready = proven?.get(uri);
      if (ready && ready.objectId === file.objectId) {
        files.push({ uri, facts: ready.facts });
        continue;
      }
      const buffer = await (inCommittedOnly(file) ? committedOnly! : blobs).take(file.objectId)?.catch(failed);
      const decoded = buffer ? decodeTextBuffer(buffer) : undefined;
      // A version that cannot be read is treated as absent: its items are not there in that commit.
      const text = decoded && 'text' in decoded ? decoded.text : undefined;
      const index = text === undefined ? undefined : await workingBlobs.indexOf(uri, filePath, repoPath, file.objectId);
      const version: HistoryFileVersion = { uri, text, ...(index ? { index } : {}) };
      // Reduced to its facts now: a commit of thousands of files keeps neither their texts nor their indexes.
      files.push({ uri, facts: fold.factsOf(version) });
      // A server answers requests while it reads history: a first commit of 10,000 files is parsed in turns.
      if (++sinceYield >= YIELD_EVERY_FILES) {
        sinceYield = 0;
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
    }
    for (const id of fold.applyFacts(entry.commit, files, { reportChanges })) changed.add(id);
  }
  const unchangedSinceHead = new Set<string>();
  for (const [uri, objectId] of lastObject) if (objectId && workingBlobs.matches(uri, objectId)) unchangedSinceHead.add(uri);
  const note = commits.length >= MAX_HISTORY_COMMITS ? `History: the newest ${MAX_HISTORY_COMMITS} commits were read; older ones are left out.` : undefined;
  const missing =
    unreadable === 0
      ? undefined
      : `git could not give ${unreadable === 1 ? 'one version' : `${unreadable} versions`} of the Markdown files (${firstFailure}). A partial clone (git clone --filter) lacks older versions, and Throughline fetches nothing: clone without --filter to read the history.`;
  return { commits: commits.length, changed, unchangedSinceHead, lastObject, ...(note ? { note } : {}), ...(missing ? { unreadable: missing } : {}) };
}

/**
 * The git blob IDs of working-tree files, found once per file and only for files the service
 * indexed from disk: from git's index when the file's stat is the one recorded there (`IndexStamps`,
 * no read), else from the file's bytes (the hash of `blob <size>\0<bytes>`, computed here: `git
 * hash-object` would run the repository's clean filter).
 */
class WorkingBlobs {
  private readonly ids = new Map<string, string | undefined>();

  constructor(
    private readonly working: WorkingTree | undefined,
    private readonly stamps: IndexStamps | undefined,
  ) {}

  /**
   * The working file's bytes and blob when git's index proves them (and the service indexed the
   * file from disk); the blob is remembered. The open file's stat, taken after reading, is the
   * proof (`IndexStamps.readProven`): no `lstat` first (10,000 of them took 0.15 s). The bytes are
   * the shared read buffer's: decoded before another file is read.
   */
  readProven(uri: string, filePath: string, repoPath: string): { readonly objectId: string; readonly bytes: Buffer } | undefined {
    if (!this.stamps || !this.working?.diskIndex(uri)) return undefined;
    const bytes = this.stamps.readProven(repoPath, filePath);
    const objectId = bytes && this.stamps.objectIdOf(repoPath);
    if (!bytes || objectId === undefined) return undefined;
    this.ids.set(uri, objectId);
    return { objectId, bytes };
  }

  /**
   * The service's index when this committed version is the working file, byte for byte (and the
   * index has its lines). `repoPath`: the file's path in the repository, as git's index names it.
   */
  async indexOf(uri: string, filePath: string, repoPath: string, objectId: string): Promise<DocumentIndex | undefined> {
    const index = this.working?.diskIndex(uri);
    if (!index) return undefined;
    if (!this.ids.has(uri))
      this.ids.set(uri, this.stamps?.blobOf(repoPath, filePath) ?? (await workingBlobId(filePath, objectId.length === 64 ? 'sha256' : 'sha1')));
    if (this.ids.get(uri) !== objectId) return undefined;
    // The index may be of an older read than the file now (a change the watcher has not reported
    // yet): the fold checks that it reads as made from this text before using it.
    return index;
  }

  matches(uri: string, objectId: string): boolean {
    return this.ids.get(uri) === objectId;
  }

  /** The service's index of the file as read from disk. */
  diskIndex(uri: string): DocumentIndex | undefined {
    return this.working?.diskIndex(uri);
  }
}

interface ProvenFacts {
  /** The blob the working file was proven to be. */
  readonly objectId: string;
  readonly facts: FileFacts | undefined;
}

/**
 * The facts of every working file git's index proves is as committed (and the service indexed from
 * disk), read from disk, by URI. Worked out while `git log` runs: a commit's version with that blob
 * then needs neither git nor a read. Yields between files so git's output keeps being read.
 */
async function provenWorkingFacts(
  stamps: IndexStamps,
  workingBlobs: WorkingBlobs,
  fold: HistoryFold,
  folderPath: string,
  prefix: string,
): Promise<Map<string, ProvenFacts>> {
  const proven = new Map<string, ProvenFacts>();
  let sinceYield = 0;
  for (const repoPath of stamps.paths()) {
    const filePath = path.join(folderPath, ...repoPath.slice(prefix.length).split('/'));
    const uri = uriFromPath(filePath);
    const read = workingBlobs.readProven(uri, filePath, repoPath);
    if (!read) continue;
    const { objectId, bytes } = read;
    const decoded = decodeTextBuffer(bytes);
    const text = 'text' in decoded ? decoded.text : undefined;
    // The fold uses the service's index only if it reads as made from this text.
    const index = text === undefined ? undefined : workingBlobs.diskIndex(uri);
    proven.set(uri, { objectId, facts: fold.factsOf({ uri, text, ...(index ? { index } : {}) }) });
    if (++sinceYield >= YIELD_EVERY_FILES) {
      sinceYield = 0;
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }
  return proven;
}

async function workingBlobId(filePath: string, algorithm: 'sha1' | 'sha256'): Promise<string | undefined> {
  const read = await readRegularFile(filePath).catch(() => undefined);
  if (!read || !('bytes' in read)) return undefined;
  return createHash(algorithm).update(`blob ${read.bytes.length}\0`).update(read.bytes).digest('hex');
}

/** What git's index records of a tracked file: its blob, and the file's stat when the blob was recorded. */
interface IndexStamp {
  readonly objectId: string;
  readonly executable: boolean;
  readonly ctime: bigint;
  readonly mtime: bigint;
  readonly ino: bigint;
  readonly uid: bigint;
  readonly gid: bigint;
  readonly size: bigint;
}

const NANOSECONDS = 1_000_000_000n;
const LOW_32_BITS = 0xffffffffn;
/** In-memory entry flags `ls-files --debug` prints: assume-unchanged, intent-to-add, skip-worktree (git never looks at those files). */
const UNTRUSTED_ENTRY_FLAGS = 0x8000 | (1 << 29) | (1 << 30);

/**
 * git's own answer to "is this working file as committed?" without reading it: the index records
 * each tracked file's stat when its blob was recorded, and a file whose stat is still that one
 * has that blob. The rules are git's (racy-git included: an entry modified no earlier than the
 * index was written proves nothing), applied more strictly (ctime, inode, owner, size and the
 * executable bit must all agree). The index is read by `git ls-files`, which reads it and
 * nothing else. Anything unexpected leaves the file to be read and hashed.
 */
export class IndexStamps {
  constructor(
    private readonly stamps: ReadonlyMap<string, IndexStamp>,
    /** When the index file was written, nanoseconds since the epoch. */
    private readonly writtenAt: bigint,
  ) {}

  get size(): number {
    return this.stamps.size;
  }

  /** The paths git's index lists (Markdown under the folder), as the repository names them. */
  paths(): IterableIterator<string> {
    return this.stamps.keys();
  }

  /** The blob of the working file at `filePath` (`repoPath` in the repository), when its stat proves it. */
  blobOf(repoPath: string, filePath: string): string | undefined {
    const stamp = this.trusted(repoPath);
    if (!stamp) return undefined;
    const stat = lstatSync(filePath, { bigint: true, throwIfNoEntry: false });
    return stat && statMatches(stat, stamp) ? stamp.objectId : undefined;
  }

  /**
   * The bytes of the working file at `filePath` when its stat still proves it is the blob git's
   * index records: the open file's stat is checked after reading, so a file replaced, or written
   * to, since it was last checked (which changes its change time) is refused. Undefined otherwise.
   * The bytes are in the shared read buffer (`scratchBuffer`): decode them before reading another file.
   */
  readProven(repoPath: string, filePath: string): Buffer | undefined {
    const stamp = this.trusted(repoPath);
    if (!stamp || stamp.size > BigInt(MAX_FILE_BYTES)) return undefined;
    let descriptor: number;
    try {
      descriptor = openSync(filePath, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0));
    } catch {
      return undefined;
    }
    try {
      // Decoded at once by the caller: the shared buffer, not 10,000 fresh ones faulted in.
      const size = Number(stamp.size);
      const bytes = scratchBuffer(size).subarray(0, size);
      for (let filled = 0; filled < bytes.length;) {
        const read = readSync(descriptor, bytes, filled, bytes.length - filled, filled);
        if (read === 0) return undefined;
        filled += read;
      }
      return statMatches(fstatSync(descriptor, { bigint: true }), stamp) ? bytes : undefined;
    } catch {
      return undefined;
    } finally {
      closeSync(descriptor);
    }
  }

  /** The blob git's index records for `repoPath`, when the entry can prove anything (see `trusted`); no file is looked at. */
  objectIdOf(repoPath: string): string | undefined {
    return this.trusted(repoPath)?.objectId;
  }

  /** The entry for `repoPath`, unless it was written too close to the index to prove anything (racy-git). */
  private trusted(repoPath: string): IndexStamp | undefined {
    const stamp = this.stamps.get(repoPath);
    return stamp && stamp.mtime < this.writtenAt ? stamp : undefined;
  }
}

/** Whether a file's stat is the one git's index recorded with its blob. */
function statMatches(stat: BigIntStats, stamp: IndexStamp): boolean {
  return (
    stat.isFile() &&
    ((stat.mode & 0o100n) !== 0n) === stamp.executable &&
    stat.mtimeNs === stamp.mtime &&
    stat.ctimeNs === stamp.ctime &&
    (stat.ino & LOW_32_BITS) === stamp.ino &&
    stat.uid === stamp.uid &&
    stat.gid === stamp.gid &&
    (stat.size & LOW_32_BITS) === stamp.size
  );
}

/** The stamps of the Markdown files under `prefix` in git's index (`indexFile`); undefined when it cannot be read. */
export async function readIndexStamps(topLevel: string, prefix: string, indexFile: string): Promise<IndexStamps | undefined> {
  // The index's time first: if git rewrites it meanwhile, the older time only makes more entries racy.
  const written = (() => {
    try {
      const stat = statSync(indexFile, { bigint: true, throwIfNoEntry: false });
      return stat?.isFile() ? stat.mtimeNs : undefined;
    } catch {
      return undefined;
    }
  })();
  if (written === undefined) return undefined;
  const listed = await runGit(['ls-files', '--stage', '--debug', '-z', ...(prefix ? ['--', prefix] : [])], topLevel).catch(() => undefined);
  if (!listed || listed.code !== 0) return undefined;
  return new IndexStamps(parseIndexStamps(listed.stdout.toString('utf8'), prefix), written);
}

const STAMP_HEADER = /^(100644|100755) ([0-9a-f]{40}|[0-9a-f]{64}) 0\t/;
const STAMP_DEBUG =
  /^ {2}ctime: (\d+):(\d+)\n {2}mtime: (\d+):(\d+)\n {2}dev: \d+\tino: (\d+)\n {2}uid: (\d+)\tgid: (\d+)\n {2}size: (\d+)\tflags: ([0-9a-f]+)\n/;

/**
 * `git ls-files --stage --debug -z` output: per entry `<mode> <blob> <stage>\t<path>\0` and five
 * lines of stat data (`  ctime: <s>:<ns>`, `  mtime: …`, `  dev: …\tino: …`, `  uid: …\tgid: …`,
 * `  size: …\tflags: <hex>`). Only regular files at stage 0, Markdown, outside skipped folders, with
 * no flag that makes git skip the file are kept; an entry that does not read as expected is left out.
 */
export function parseIndexStamps(output: string, prefix: string): Map<string, IndexStamp> {
  const stamps = new Map<string, IndexStamp>();
  const tokens = output.split('\0');
  let header = tokens[0] ?? '';
  for (let i = 1; i < tokens.length; i++) {
    const token = tokens[i]!;
    const debug = STAMP_DEBUG.exec(token);
    const entry = STAMP_HEADER.exec(header);
    if (debug && entry) {
      const repoPath = header.slice(entry[0].length);
      const flags = Number.parseInt(debug[9]!, 16);
      const relative = repoPath.startsWith(prefix) ? repoPath.slice(prefix.length) : undefined;
      if (
        relative !== undefined &&
        (flags & UNTRUSTED_ENTRY_FLAGS) === 0 &&
        MARKDOWN.test(relative) &&
        !relative.split('/').some((segment) => SKIPPED_DIRECTORIES.has(segment))
      ) {
        stamps.set(repoPath, {
          objectId: entry[2]!,
          executable: entry[1] === '100755',
          ctime: BigInt(debug[1]!) * NANOSECONDS + BigInt(debug[2]!),
          mtime: BigInt(debug[3]!) * NANOSECONDS + BigInt(debug[4]!),
          ino: BigInt(debug[5]!),
          uid: BigInt(debug[6]!),
          gid: BigInt(debug[7]!),
          size: BigInt(debug[8]!),
        });
      }
    }
    // The next entry's header follows this one's five lines of stat data in the same token.
    header = debug ? token.slice(debug[0].length) : afterLines(token, 5);
  }
  return stamps;
}

/** `text` after its first `count` lines ('' when it has fewer). */
function afterLines(text: string, count: number): string {
  let at = -1;
  for (let line = 0; line < count; line++) {
    at = text.indexOf('\n', at + 1);
    if (at === -1) return '';
  }
  return text.slice(at + 1);
}

/**
 * `git log -z --raw` output: per commit `\x1e<sha>\x1f<time>\x1f<ISO 8601 time>\x1f<author>\x1f<subject>\0`, then
 * `\n` and entries `:<mode> <mode> <old> <new> <status>\0<path>\0`. Paths are the repository's,
 * filtered to Markdown files under `prefix` outside skipped folders.
 */
export function parseLog(output: string, prefix: string): LoggedCommit[] {
  const commits: LoggedCommit[] = [];
  for (const record of output.split('\x1e')) {
    if (record === '') continue;
    const headerEnd = record.indexOf('\0');
    const header = headerEnd === -1 ? record : record.slice(0, headerEnd);
    const [sha = '', time = '', iso = '', author = '', ...subject] = header.split('\x1f');
    if (!/^[0-9a-f]{40,64}$/.test(sha)) continue;
    // The committer's own day (`2026-11-18T20:00:00-08:00`), which the review dates compare with.
    const day = /^\d{4}-\d{2}-\d{2}(?=T)/.exec(iso)?.[0];
    const commit: Commit = {
      sha,
      time: Number(time) * 1000,
      ...(day ? { day } : {}),
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
