/**
 * Watching the workspace on disk for clients that cannot register file watchers
 * (`workspace/didChangeWatchedFiles` without dynamic registration: Neovim 0.7, some Emacs and Helix
 * setups), so a `git pull`, a branch switch or another tool's edit is seen without opening the file.
 *
 * MEASUREMENTS (issue 11). Node 20.20 on Linux (2 cores shared with other jobs, ext4, inotify
 * max_user_watches 192,530); a git repository of 10,000 Markdown files in 200 folders plus an
 * ignored `node_modules` of 3,000 files; a second branch that differs in exactly 5,000 of them
 * (2,000 changed; 1,500 deleted, 500 of them as ten whole folders; 1,500 created, 500 of them in
 * ten new nested folders). `git checkout` there, then back, one process per candidate, 3 to 12
 * runs each; ranges over the runs. "Missed" = files `git diff --name-status` names that were never
 * reported; "batches" = reports with a 150 ms quiet period and a 1 s maximum delay; "after git
 * exits" = the last raw event (libraries: no quiet period added) or the last batch (this module:
 * quiet period and reading new folders included); RSS = growth from starting the watch.
 *
 * | candidate                          | startup       | RSS       | inotify watches | after git exits | batches | missed (there / back) |
 * | ---------------------------------- | ------------- | --------- | --------------- | --------------- | ------- | --------------------- |
 * | fs.watch recursive (Node 20)       | 270–714 ms  * | +60–70 MB | 17,315          | 0 ms **         | 2–7     | 486–1,239 / 2,490–2,750 |
 * | chokidar 4.0.3                     | 0.94–1.9 s    | +69–82 MB | 10,203          | 0–550 ms        | 2–4     | 0–500 / 500–507       |
 * | @parcel/watcher 2.6.0 (native)     | 45–78 ms      | +3–10 MB  | 202             | 25–60 ms        | 3–6     | 0–50 / 0–50           |
 * | this module, `folders` (chosen)    | 22–149 ms     | +0–2 MB   | 202             | ≤ 370 ms        | 1–4     | 0 / 0 (12 runs), types right |
 * | this module, `recursive` on Linux  | 577 ms      * | +55 MB    | 17,315          | 0 ms **         | 1       | 350 / 2,350           |
 *
 * (*) Node 20's recursive watcher on Linux is JavaScript (lib/internal/fs/recursive_watch.js): it
 * stats every file and opens an inotify watch per file and per folder, `.git` and `node_modules`
 * included (it takes no exclusion), synchronously, blocking the event loop; it reads a whole
 * folder again on every event in it, which slowed git's own checkout 2–3 times. (**) its events
 * came only while git ran, and too few: it loses files of folders created during the burst.
 *
 * Every watcher that starts watching a new folder when told of it misses files written into the
 * folder before its watch exists: chokidar lost the 500 files of the recreated folders, parcel up
 * to 50. This module does not rely on events for the contents of new folders: each folder is
 * watched before it is read, and a folder that appears (or is replaced, even under the same inode
 * number) is read when the burst settles and compared with what was known. So the final state is
 * right, including `mv`-ed folders, which inotify reports as one event.
 *
 * Choice: `fs.watch` without `recursive`, one watch per folder, excluded folders skipped, under
 * that reconciliation; no dependency. @parcel/watcher is as cheap but a native addon: esbuild
 * cannot bundle it into dist/server.js, and the .vsix (built with --no-dependencies) would need
 * a binary per platform; and it still missed files. chokidar costs a watch per file and missed
 * more. On macOS and Windows `recursive` is native (FSEvents, ReadDirectoryChangesW: one handle,
 * events for every path), so the `recursive` backend is used there with the same reconciliation;
 * it was not measured here.
 */
import { lstatSync, readdirSync, statSync, watch, type FSWatcher, type Stats } from 'node:fs';
import * as path from 'node:path';
import { CONFIG_FILE_NAME } from '../service/model/config';
import { NULL_LOGGER, type Logger } from '../service/workspace/workspace';
import { MARKDOWN, SKIPPED_DIRECTORIES, uriFromPath } from './fsWorkspace';

export type WatchedChangeType = 'created' | 'changed' | 'deleted';

export interface WatchedChange {
  /** The file's URI, as `uriFromPath` spells it (the spelling the file-system workspace lists). */
  readonly uri: string;
  /** Relative to the last batch (or the start): created = it was not there, deleted = it is gone. */
  readonly type: WatchedChangeType;
}

export interface WatchBatch {
  /** Markdown files and `.throughline.yml` files, sorted by URI; a file appears at most once. */
  readonly changes: readonly WatchedChange[];
  /**
   * Changes may have been missed (a folder could not be watched, a watch failed, the system
   * dropped events): the host should read the whole workspace again. `changes` are still right.
   */
  readonly rescan: boolean;
}

export type WatcherBackend = 'folders' | 'recursive';

export interface WorkspaceWatcherOptions {
  readonly logger?: Logger;
  /** A batch is reported once no event came for this long. */
  readonly quietMs?: number;
  /** …or once the first event of the batch is this old, so a long burst still reports as it goes. */
  readonly maxDelayMs?: number;
  /** Folders watched at most; beyond, folders are not watched (logged once, and `rescan`). */
  readonly maxFolders?: number;
  /** `folders` (a watch per folder) or `recursive` (one native recursive watch); by platform when unset. */
  readonly backend?: WatcherBackend;
  /** Paths remembered per batch at most; beyond, the whole folder is read again (and `rescan`). */
  readonly maxPendingPaths?: number;
}

export const DEFAULT_QUIET_MS = 150;
export const DEFAULT_MAX_DELAY_MS = 1000;
/** Well under Linux's older default of 8,192 inotify watches per user, which other programs share. */
export const DEFAULT_MAX_FOLDERS = 5000;
/** A burst naming more paths than this (an unpacked archive, a generated tree) costs one re-read, not memory per path. */
export const DEFAULT_MAX_PENDING_PATHS = 50_000;
/** A watch that fails this many times is not set up again: an error on every start must not loop. */
const MAX_WATCH_FAILURES = 3;
/** Folders read between two yields to the event loop, so reading a large tree does not stall requests. */
const FOLDERS_PER_TURN = 50;

/** What is known of one watched folder. Names only of what matters: Markdown, config and subfolders. */
interface FolderState {
  readonly path: string;
  /** Identity: a folder deleted and created again under the same name is a different folder. */
  readonly dev: number;
  readonly ino: number;
  readonly files: Set<string>;
  readonly folders: Set<string>;
  watcher: FSWatcher | undefined;
}

function isWatchedName(name: string): boolean {
  return name === CONFIG_FILE_NAME || MARKDOWN.test(name);
}

function errorCode(error: unknown): string {
  return (error as NodeJS.ErrnoException | undefined)?.code ?? String((error as Error | undefined)?.message ?? error);
}

function adviceFor(code: string): string {
  if (code === 'ENOSPC') return ' (the inotify watch limit is reached: raise fs.inotify.max_user_watches)';
  if (code === 'EMFILE' || code === 'ENFILE') return ' (too many open files: raise the open-file limit)';
  return '';
}

function lstatOrUndefined(filePath: string): Stats | undefined {
  try {
    return lstatSync(filePath, { throwIfNoEntry: false });
  } catch {
    return undefined; // EACCES, ENOTDIR, ENAMETOOLONG…: as good as absent
  }
}

/**
 * Watches `folder` for created, changed and deleted Markdown files and `.throughline.yml`, and
 * reports them in batches. `.git`, `node_modules`, `.hg` and `.svn` are not entered; symbolic
 * links to folders are not followed (no loops, nothing outside the folder). Events only say
 * where to look: when a burst settles, each place is stat-ed and compared with what was known,
 * so each file is reported once with its final type, and a file created and deleted within one
 * burst not at all.
 *
 * Holds nothing that keeps the process alive (`persistent: false`, unref'd timer). `close()`
 * closes every watch; no batch is reported after it.
 *
 * Limitation: Linux reports an overflowing inotify queue (16,384 events by default) through an
 * event libuv drops, so such a loss cannot be detected; the listener only records a path, so the
 * queue is drained as fast as the event loop turns.
 */
export class WorkspaceWatcher {
  /** Resolves when the folder has been read and watched: changes from then on are reported. */
  readonly ready: Promise<void>;
  private readonly root: string;
  private readonly logger: Logger;
  private readonly quietMs: number;
  private readonly maxDelayMs: number;
  private readonly maxFolders: number;
  private readonly maxPendingPaths: number;
  private readonly backend: WatcherBackend;
  private readonly folders = new Map<string, FolderState>();
  /** Paths an event named since the last batch. */
  private readonly dirty = new Set<string>();
  /** Folders to read again whatever their identity: their watch failed. */
  private readonly forced = new Set<string>();
  /** Folders whose watch reported an event under the folder's own name: perhaps their own deletion. */
  private readonly suspects = new Set<string>();
  /** Files touched in the batch being built → whether they were known before it. */
  private readonly touched = new Map<string, boolean>();
  private readonly failures = new Map<string, number>();
  private readonly loggedCodes = new Set<string>();
  private unwatched = 0;
  private folderLimitLogged = false;
  private rescan = false;
  private started = false;
  private closed = false;
  private flushing = false;
  private timer: NodeJS.Timeout | undefined;
  private firstEventAt: number | undefined;
  private lastEventAt = 0;

  constructor(
    folder: string,
    private readonly onChanges: (batch: WatchBatch) => void,
    options: WorkspaceWatcherOptions = {},
  ) {
    this.root = path.resolve(folder);
    this.logger = options.logger ?? NULL_LOGGER;
    this.quietMs = options.quietMs ?? DEFAULT_QUIET_MS;
    this.maxDelayMs = options.maxDelayMs ?? DEFAULT_MAX_DELAY_MS;
    this.maxFolders = options.maxFolders ?? DEFAULT_MAX_FOLDERS;
    this.maxPendingPaths = options.maxPendingPaths ?? DEFAULT_MAX_PENDING_PATHS;
    this.backend = options.backend ?? (process.platform === 'darwin' || process.platform === 'win32' ? 'recursive' : 'folders');
    this.ready = this.start();
  }

  /** Stops watching. Idempotent; a batch being built is dropped. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    for (const state of this.folders.values()) state.watcher?.close();
    this.folders.clear();
    this.dirty.clear();
    this.touched.clear();
    this.suspects.clear();
  }

  private async start(): Promise<void> {
    try {
      await this.addTree(this.root, false);
      if (!this.folders.has(this.root) && !this.closed) this.logger.log(`Not watching ${this.root}: it is not a folder that can be read`);
      if (this.unwatched > 0)
        this.logger.log(`${this.unwatched} folders of ${this.root} are not watched: changes in them are seen only when a file there is opened`);
    } catch (error) {
      this.logger.log(`Watching ${this.root} failed: ${errorCode(error)}`);
    } finally {
      this.started = true;
    }
  }

  // ---- Events ---------------------------------------------------------------------------------

  private watchFolder(folderPath: string): FSWatcher | undefined {
    const recursive = this.backend === 'recursive';
    if (recursive && folderPath !== this.root) return undefined;
    if ((this.failures.get(folderPath) ?? 0) >= MAX_WATCH_FAILURES) {
      this.unwatched++;
      return undefined;
    }
    try {
      const watcher = watch(folderPath, { persistent: false, recursive }, (_event, filename) => this.onEvent(folderPath, filename));
      watcher.on('error', (error) => this.watchFailed(folderPath, watcher, error));
      return watcher;
    } catch (error) {
      this.cannotWatch(folderPath, error);
      return undefined;
    }
  }

  /** Only records where to look: the queue of events must drain as fast as it fills. */
  private onEvent(folderPath: string, filename: string | Buffer | null): void {
    if (this.closed) return;
    if (filename === null || filename === undefined) {
      // Windows reports an overflowing change buffer as an event without a name.
      this.lostEvents(folderPath, 'an event without a file name (the system dropped events)');
      return;
    }
    // The whole folder is read again at the next batch: no path needs remembering until then.
    if (this.forced.has(this.root)) return this.schedule();
    const name = filename.toString();
    if (this.backend === 'recursive') {
      for (const segment of name.split(/[\\/]/)) if (SKIPPED_DIRECTORIES.has(segment)) return;
    } else if (SKIPPED_DIRECTORIES.has(name)) {
      return;
    }
    this.dirty.add(path.join(folderPath, name));
    if (name === path.basename(folderPath)) {
      // A watch reports its own folder's deletion under the folder's name. The parent sees the
      // folder go, but a folder created again at once may get the same inode number: only this
      // event tells that the watch is dead and the folder must be read again.
      this.suspects.add(folderPath);
      this.dirty.add(folderPath);
    }
    if (this.dirty.size > this.maxPendingPaths) {
      this.dirty.clear();
      this.lostEvents(this.root, `more than ${this.maxPendingPaths} paths changed at once`);
      return;
    }
    this.schedule();
  }

  private watchFailed(folderPath: string, watcher: FSWatcher, error: unknown): void {
    watcher.close();
    const state = this.folders.get(folderPath);
    if (state?.watcher === watcher) state.watcher = undefined;
    if (this.closed) return;
    this.failures.set(folderPath, (this.failures.get(folderPath) ?? 0) + 1);
    this.lostEvents(folderPath, `its watch failed: ${errorCode(error)}`);
  }

  /** Events of `folderPath` may be lost: it is read again, and the host is told to rescan. */
  private lostEvents(folderPath: string, why: string): void {
    if (!this.forced.has(folderPath)) this.logger.log(`Watching ${folderPath}: ${why}; reading it again`);
    this.forced.add(folderPath);
    this.dirty.add(folderPath);
    this.rescan = true;
    this.schedule();
  }

  private cannotWatch(folderPath: string, error: unknown): void {
    const code = errorCode(error);
    this.unwatched++;
    if (!this.loggedCodes.has(code)) {
      this.loggedCodes.add(code);
      this.logger.log(`Cannot watch ${folderPath}: ${code}${adviceFor(code)}`);
    }
    if (this.started) this.rescan = true;
  }

  private schedule(): void {
    const now = Date.now();
    this.lastEventAt = now;
    this.firstEventAt ??= now;
    if (this.timer === undefined && !this.flushing) this.arm(this.quietMs);
  }

  private arm(delay: number): void {
    this.timer = setTimeout(() => this.onTimer(), delay);
    this.timer.unref();
  }

  /** One timer per batch, moved forward while events keep coming (not one timer per event). */
  private onTimer(): void {
    this.timer = undefined;
    if (this.closed) return;
    const now = Date.now();
    const quietLeft = this.lastEventAt + this.quietMs - now;
    const maxLeft = (this.firstEventAt ?? now) + this.maxDelayMs - now;
    if (quietLeft > 0 && maxLeft > 0) {
      this.arm(Math.min(quietLeft, maxLeft));
      return;
    }
    void this.flush();
  }

  // ---- Batches --------------------------------------------------------------------------------

  private async flush(): Promise<void> {
    this.flushing = true;
    this.firstEventAt = undefined;
    try {
      await this.ready;
      // Sorted, a folder comes before what is inside it: a new folder is read once, then its files are known.
      const targets = [...this.dirty].sort();
      this.dirty.clear();
      for (const target of targets) {
        if (this.closed) return;
        await this.reconcile(target);
      }
      if (this.closed) return;
      this.report();
    } catch (error) {
      this.logger.log(`Watching ${this.root}: a batch failed: ${errorCode(error)}`);
      this.rescan = true;
    } finally {
      this.flushing = false;
      if (!this.closed && (this.dirty.size > 0 || this.rescan)) {
        this.firstEventAt ??= Date.now();
        if (this.timer === undefined) this.arm(this.quietMs);
      }
    }
  }

  private report(): void {
    const changes: WatchedChange[] = [];
    for (const [filePath, before] of this.touched) {
      const now = this.isKnownFile(filePath);
      if (!before && !now) continue; // created and deleted within the batch
      changes.push({ uri: uriFromPath(filePath), type: !before ? 'created' : now ? 'changed' : 'deleted' });
    }
    this.touched.clear();
    const rescan = this.rescan;
    this.rescan = false;
    if (changes.length === 0 && !rescan) return;
    changes.sort((a, b) => (a.uri < b.uri ? -1 : a.uri > b.uri ? 1 : 0));
    try {
      this.onChanges({ changes, rescan });
    } catch (error) {
      this.logger.log(`Watching ${this.root}: the change handler failed: ${errorCode(error)}`);
    }
  }

  private isKnownFile(filePath: string): boolean {
    return this.folders.get(path.dirname(filePath))?.files.has(path.basename(filePath)) ?? false;
  }

  private touch(filePath: string, knownBefore: boolean): void {
    if (!this.touched.has(filePath)) this.touched.set(filePath, knownBefore);
  }

  /** Compares what is at `target` (or its nearest ancestor inside a known folder) with what was known. */
  private async reconcile(target: string): Promise<void> {
    if (target === this.root) return this.reconcileRoot();
    let child = target;
    // The recursive backend names files in folders not read yet: the first unknown folder is read instead.
    while (!this.folders.has(path.dirname(child))) {
      const up = path.dirname(child);
      if (up === child || up.length < this.root.length) return;
      if (up === this.root) return this.reconcileRoot();
      child = up;
    }
    const parent = this.folders.get(path.dirname(child))!;
    const name = path.basename(child);
    if (SKIPPED_DIRECTORIES.has(name)) return;
    const stat = lstatOrUndefined(child);
    const known = parent.folders.has(name) ? this.folders.get(child) : undefined;
    if (stat?.isDirectory()) {
      if (parent.files.delete(name)) this.touch(child, true);
      if (known && known.dev === stat.dev && known.ino === stat.ino && !this.forced.has(child) && !this.deletedItself(known)) return;
      this.forced.delete(child);
      if (known) this.dropTree(known);
      await this.addTree(child, true);
      return;
    }
    if (known) this.dropTree(known);
    if (stat && (stat.isFile() || stat.isSymbolicLink()) && isWatchedName(name)) {
      this.touch(child, parent.files.has(name));
      parent.files.add(name);
    } else if (parent.files.delete(name)) {
      this.touch(child, true); // gone, or no longer a file (a FIFO or socket in its place)
    }
  }

  private async reconcileRoot(): Promise<void> {
    const state = this.folders.get(this.root);
    let stat: Stats | undefined;
    try {
      stat = statSync(this.root, { throwIfNoEntry: false });
    } catch {
      stat = undefined;
    }
    const same = state && stat?.isDirectory() && state.dev === stat.dev && state.ino === stat.ino;
    if (same && !this.forced.has(this.root) && !this.deletedItself(state)) return;
    this.forced.delete(this.root);
    if (state) this.dropTree(state);
    if (stat?.isDirectory()) await this.addTree(this.root, true);
    else {
      this.logger.log(`Watching ${this.root}: the folder is gone`);
      this.rescan = true;
    }
  }

  /**
   * Whether the event a folder's watch reported under the folder's own name was its deletion
   * rather than a change of a child of that name: no such child is there or was known.
   */
  private deletedItself(state: FolderState): boolean {
    if (!this.suspects.delete(state.path)) return false;
    const name = path.basename(state.path);
    return !state.files.has(name) && !state.folders.has(name) && lstatOrUndefined(path.join(state.path, name)) === undefined;
  }

  // ---- Known state ----------------------------------------------------------------------------

  /**
   * Reads the folder at `folderPath` and every folder below it, watching each before reading it
   * so that nothing written in between is lost. `report`: the files found are new (a folder that
   * appeared), rather than the starting state.
   */
  private async addTree(folderPath: string, report: boolean): Promise<void> {
    const stack = [folderPath];
    let sinceYield = 0;
    while (stack.length > 0) {
      if (this.closed) return;
      const current = stack.pop()!;
      if (this.folders.has(current)) continue;
      if (this.folders.size >= this.maxFolders) {
        this.folderLimitReached();
        return;
      }
      let stat: Stats | undefined;
      try {
        // The root may be reached through a symbolic link (the client's spelling of the folder); nothing below is.
        stat = current === this.root ? statSync(current, { throwIfNoEntry: false }) : lstatSync(current, { throwIfNoEntry: false });
      } catch {
        stat = undefined;
      }
      if (!stat?.isDirectory()) continue;
      const state: FolderState = { path: current, dev: stat.dev, ino: stat.ino, files: new Set(), folders: new Set(), watcher: undefined };
      this.folders.set(current, state);
      if (current !== this.root) this.folders.get(path.dirname(current))?.folders.add(path.basename(current));
      state.watcher = this.watchFolder(current);
      let entries;
      try {
        entries = readdirSync(current, { withFileTypes: true });
      } catch {
        continue; // unreadable: watched, and read again when an event names it
      }
      for (const entry of entries) {
        const name = entry.name;
        if (entry.isDirectory()) {
          if (!SKIPPED_DIRECTORIES.has(name)) stack.push(path.join(current, name));
        } else if ((entry.isFile() || entry.isSymbolicLink()) && isWatchedName(name)) {
          state.files.add(name);
          if (report) this.touch(path.join(current, name), false);
        }
      }
      if (++sinceYield >= FOLDERS_PER_TURN) {
        sinceYield = 0;
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
    }
  }

  /** Forgets a folder and everything below it: its files are deleted, its watches closed. */
  private dropTree(state: FolderState): void {
    const stack = [state];
    while (stack.length > 0) {
      const current = stack.pop()!;
      for (const name of current.files) this.touch(path.join(current.path, name), true);
      for (const name of current.folders) {
        const child = this.folders.get(path.join(current.path, name));
        if (child) stack.push(child);
      }
      current.watcher?.close();
      this.folders.delete(current.path);
    }
    // Its files stay "known before" in `touched` and are no longer known: reported deleted unless they come back.
    this.folders.get(path.dirname(state.path))?.folders.delete(path.basename(state.path));
  }

  private folderLimitReached(): void {
    if (!this.folderLimitLogged) {
      this.folderLimitLogged = true;
      this.logger.log(
        `Watching ${this.root}: more than ${this.maxFolders} folders; the rest are not watched, and changes there are seen only when a file there is opened`,
      );
    }
    if (this.started) this.rescan = true;
  }
}
