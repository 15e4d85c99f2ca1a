/**
 * The git history of each strategy folder, read in the background and kept current while the
 * server runs (issue 13: suspect links, key-result check-ins).
 *
 * - After a folder's first diagnostics are published, its history is read (`readFolderHistory`:
 *   one `git log` and one `git cat-file --batch`) without holding anything up; the service takes it
 *   (`setHistory`), the documents that read the history are published again, and
 *   `throughline/historyChanged` says so (`initial: true`).
 * - Then HEAD is polled every 2 s, on an unref'd timer that is armed again only after the previous
 *   poll finished (no overlap, never keeps the process alive). Polling is chosen over watching the
 *   git directory with `fs.watch`: where a commit is recorded depends on the repository's layout (a
 *   loose ref or `packed-refs`, a linked worktree's own HEAD under the main `.git/worktrees/`, a
 *   `.git` file pointing elsewhere, a detached HEAD), git replaces those files by renaming lock files,
 *   and `fs.watch` does not fire on network file systems. A poll costs no process: it reads the
 *   small `HEAD` file and stats the ref it names and `packed-refs` (the folders `git rev-parse
 *   --absolute-git-dir --git-common-dir` gave once); only when that changed, or every
 *   `CONFIRM_EVERY`-th poll as a safety net, does `git rev-parse HEAD` run (spawning a process from a
 *   server holding a large workspace costs milliseconds of its thread). When HEAD moved, only the new commits are folded in
 *   (`updateFolderHistory` → `historyAdvanced`), and `historyChanged` says so (`initial: false`); when
 *   HEAD no longer descends from what was read (a reset, a rebase, another branch), it is read again.
 * - Without a history (not a repository, a shallow clone, no commits, git missing) one line goes to
 *   the log and the notification carries the `note`; nothing fails. A folder outside any repository
 *   or a missing git is not polled.
 *
 * `THROUGHLINE_HISTORY_POLL_MS` (an environment variable for tests and benchmarks, not a setting)
 * changes the poll interval.
 */
import { readFile, stat } from 'node:fs/promises';
import * as path from 'node:path';
import { HistoryChangedNotification } from '../../../common/protocol';
import { runGit } from '../node/gitRun';
import { pathFromUri } from '../node/fsWorkspace';
import { headCommit, notInRepository, readFolderHistory, updateFolderHistory, type FolderHistory } from '../node/gitHistory';
import type { ChangeImpact } from '../service';
import type { DiagnosticsPublisher } from './diagnosticsPublisher';
import type { StrategyFolder } from './folders';
import type { SessionCore } from './sessionCore';

const DEFAULT_POLL_MS = 2000;
/** Every this many polls, `git rev-parse HEAD` runs even though the ref files look unchanged. */
const CONFIRM_EVERY = 15;

function pollInterval(): number {
  const value = Number(process.env['THROUGHLINE_HISTORY_POLL_MS']);
  return Number.isFinite(value) && value >= 20 ? value : DEFAULT_POLL_MS;
}

interface Watched {
  readonly folder: StrategyFolder;
  readonly folderPath: string;
  history: FolderHistory | undefined;
  /** The HEAD last read (or seen without a history), to compare polls against. */
  head: string | undefined;
  timer: NodeJS.Timeout | undefined;
  /** Whether a read or update is running (polls wait for it). */
  busy: boolean;
  /** The repository's git folders, once known: polls then read files instead of running git. */
  gitDirs: { gitDir: string; commonDir: string } | undefined;
  /** What the ref files looked like when HEAD was last read, and polls since. */
  signature: string | undefined;
  polls: number;
}

export class HistoryHost {
  private readonly watched = new Map<string, Watched>();
  private stopped = false;
  private readonly pollMs = pollInterval();

  constructor(private readonly session: SessionCore & { readonly publisher: DiagnosticsPublisher }) {}

  /**
   * Reads the folder's history in the background (once per folder); call after its first
   * diagnostics were published. Settles when that first read is over, however it ended.
   */
  start(folder: StrategyFolder): Promise<void> {
    if (this.stopped || folder.uri === undefined || this.watched.has(folder.uri)) return Promise.resolve();
    let folderPath: string;
    try {
      folderPath = pathFromUri(folder.uri);
    } catch {
      return Promise.resolve();
    }
    const watched: Watched = {
      folder,
      folderPath,
      history: undefined,
      head: undefined,
      timer: undefined,
      busy: true,
      gitDirs: undefined,
      signature: undefined,
      polls: 0,
    };
    this.watched.set(folder.uri, watched);
    // A turn later: the diagnostics just published are written first.
    return new Promise<void>((resolve) => setImmediate(() => void this.readAll(watched, true).finally(resolve)));
  }

  /** Stops every poll; a read or update still running sends and publishes nothing. */
  stop(): void {
    this.stopped = true;
    for (const watched of this.watched.values()) {
      if (watched.timer) clearTimeout(watched.timer);
      watched.timer = undefined;
    }
  }

  /** Reads the whole history (first read, or after HEAD left the line read before). */
  private async readAll(watched: Watched, initial: boolean): Promise<void> {
    watched.busy = true;
    const started = performance.now();
    const { service } = watched.folder;
    let poll = true;
    try {
      // The ref files as they are before the read: a commit made during the read changes them, and the next poll sees it.
      watched.gitDirs ??= await gitDirectories(watched.folderPath);
      const signature = watched.gitDirs && (await refSignature(watched.gitDirs));
      const read = await readFolderHistory(watched.folderPath, service.newHistoryFold(), service).catch((error: unknown) => ({
        fold: undefined,
        unchangedSinceHead: undefined,
        note: `No history: ${oneLine(error instanceof Error ? error.message : String(error))}.`,
      }));
      if (this.stopped) return;
      if (read.fold) {
        watched.signature = signature;
        watched.history = read;
        watched.head = read.fold.head?.sha;
        this.publish(await service.setHistory(read.fold, { unchangedSinceHead: read.unchangedSinceHead }));
      } else {
        watched.history = undefined;
        // Remember HEAD even without a history (a shallow clone): a later fetch --unshallow or first commit moves it.
        watched.head = await headCommit(watched.folderPath);
        if (service.strategyHistory) this.publish(await service.setHistory(undefined));
        // Outside a repository, or without git, nothing will change by polling.
        poll = !notInRepository(read.note) && !/git is not installed/.test(read.note);
      }
      if (this.stopped) return;
      if (read.note) this.session.log(`${watched.folder.name}: ${read.note}`);
      this.notify(watched, {
        commits: read.fold ? read.fold.commitCount : 0,
        initial,
        milliseconds: performance.now() - started,
        ...(read.note ? { note: read.note } : {}),
      });
    } catch (error) {
      poll = false;
      this.session.logError(`Reading the git history of ${watched.folder.name} failed`, error);
    } finally {
      watched.busy = false;
      if (poll) this.schedule(watched);
    }
  }

  private schedule(watched: Watched): void {
    if (this.stopped) return;
    watched.timer = setTimeout(() => {
      watched.timer = undefined;
      void this.poll(watched);
    }, this.pollMs);
    watched.timer.unref();
  }

  /** One poll: HEAD compared with what was read; new commits folded in. */
  private async poll(watched: Watched): Promise<void> {
    if (this.stopped || watched.busy) return;
    const signature = watched.gitDirs && (await refSignature(watched.gitDirs));
    if (signature !== undefined && signature === watched.signature && ++watched.polls % CONFIRM_EVERY !== 0) return this.schedule(watched);
    // The update's time counts from here: reading HEAD is part of it, the wait for the poll is not.
    const started = performance.now();
    // Other documents' diagnostics wait while git is asked and the commit folded in (a few short
    // steps): the commit's own documents then go out first (DiagnosticsPublisher.hold).
    const release = this.session.publisher.hold();
    try {
      await this.update(watched, signature, started, release);
    } finally {
      release();
    }
  }

  /**
   * The rest of a poll once the ref files looked changed (or the poll confirms): HEAD read, new
   * commits folded in. A whole read again (HEAD left the line read) takes seconds: the hold is
   * released first.
   */
  private async update(watched: Watched, signature: string | undefined, started: number, release: () => void): Promise<void> {
    const head = await headCommit(watched.history?.topLevel ?? watched.folderPath);
    if (this.stopped) return;
    watched.signature = signature;
    if (head === watched.head) return this.schedule(watched);
    if (!watched.history || head === undefined) {
      release();
      return this.readAll(watched, false);
    }
    watched.busy = true;
    try {
      const update = await updateFolderHistory(watched.history, head, watched.folder.service);
      if (this.stopped) return;
      if (!update.updated) {
        watched.busy = false;
        release();
        return this.readAll(watched, false);
      }
      watched.head = watched.history.fold.head?.sha;
      this.publish(await watched.folder.service.historyAdvanced(update.changed, update.files));
      if (this.stopped) return;
      this.notify(watched, { commits: update.commits, initial: false, milliseconds: performance.now() - started });
    } catch (error) {
      // A failed update (git gone, a repository being rewritten): read it all again at the next poll.
      this.session.logError(`Updating the git history of ${watched.folder.name} failed`, error);
      watched.history = undefined;
      watched.head = undefined;
    }
    watched.busy = false;
    this.schedule(watched);
  }

  private publish(impact: ChangeImpact): void {
    // Not debounced: a history read or a commit comes alone, not keystroke after keystroke.
    if (impact.affectedUris.size > 0 || impact.structureChanged) this.session.publisher.handleImpact(impact, { debounce: false });
  }

  private notify(watched: Watched, params: Omit<HistoryChangedNotification.Params, 'folder' | 'head'>): void {
    const head = watched.history?.fold.head?.sha;
    void this.session.connection.sendNotification(HistoryChangedNotification.type, {
      folder: watched.folder.uri!,
      ...params,
      milliseconds: Math.round(params.milliseconds),
      ...(head ? { head } : {}),
    });
  }
}

/** The repository's git folder (a linked worktree's own) and its common folder (refs, packed-refs). */
async function gitDirectories(folderPath: string): Promise<{ gitDir: string; commonDir: string } | undefined> {
  const found = await runGit(['rev-parse', '--absolute-git-dir', '--git-common-dir'], folderPath, { maxBytes: 64 * 1024 }).catch(() => undefined);
  if (!found || found.code !== 0) return undefined;
  const [gitDir = '', commonDir = ''] = found.stdout.toString('utf8').split('\n');
  if (!gitDir || !commonDir) return undefined;
  return { gitDir, commonDir: path.resolve(folderPath, commonDir) };
}

/**
 * What HEAD's files look like: `HEAD`'s text, and the size, time and inode of the ref it names in
 * either git folder and of `packed-refs`. A commit rewrites the ref (or HEAD itself, detached) by
 * renaming a lock file over it, so any commit changes this. Undefined when it cannot be read.
 */
async function refSignature(dirs: { gitDir: string; commonDir: string }): Promise<string | undefined> {
  try {
    const head = (await readFile(path.join(dirs.gitDir, 'HEAD'), 'utf8')).slice(0, 1024).trim();
    let signature = head;
    if (head.startsWith('ref: ')) {
      const ref = head.slice('ref: '.length).trim();
      // The ref is the repository's text: only a plain name under refs/ is looked at, else git is asked.
      if (!ref.startsWith('refs/') || ref.split('/').some((segment) => segment === '..' || segment === '')) return undefined;
      for (const file of [path.join(dirs.gitDir, ref), path.join(dirs.commonDir, ref), path.join(dirs.commonDir, 'packed-refs')]) {
        const stats = await stat(file).catch(() => undefined);
        signature += stats ? `|${stats.size}:${stats.mtimeMs}:${stats.ino}` : '|-';
      }
    }
    return signature;
  } catch {
    return undefined;
  }
}

function oneLine(text: string): string {
  const line = text.split('\n', 1)[0]!.trim();
  return line.length > 300 ? `${line.slice(0, 299)}…` : line;
}
