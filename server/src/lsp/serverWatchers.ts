/**
 * Files changed on disk when the client cannot watch them (Neovim 0.7, some eglot setups): the
 * server watches each strategy folder itself (node/workspaceWatcher.ts, which says how and why)
 * and applies the changes as if the client had reported them.
 */
import { pathFromUri } from '../node/fsWorkspace';
import { WorkspaceWatcher, type WatchBatch } from '../node/workspaceWatcher';
import type { StrategyFolder } from './folders';
import { applyFileChanges } from './handlers/documentSync';
import type { Session } from './session';

export class ServerWatchers {
  private readonly watchers = new Map<string, WorkspaceWatcher>();

  constructor(private readonly session: Session) {}

  /** Starts watching `folder`, unless it is watched already or has no folder on disk. */
  watch(folder: StrategyFolder): void {
    if (folder.uri === undefined || this.watchers.has(folder.uri)) return;
    let folderPath: string;
    try {
      folderPath = pathFromUri(folder.uri);
    } catch (error) {
      this.session.logError(`Cannot watch ${folder.name}`, error);
      return;
    }
    const watcher = new WorkspaceWatcher(folderPath, (batch) => this.apply(folder, batch), { logger: { log: (message) => this.session.log(message) } });
    this.watchers.set(folder.uri, watcher);
    this.session.log(`Watching ${folderPath} for changes on disk (the client does not watch files for the server).`);
  }

  closeAll(): void {
    for (const watcher of this.watchers.values()) watcher.close();
    this.watchers.clear();
  }

  private apply(folder: StrategyFolder, batch: WatchBatch): void {
    this.session.notified('serverWatch', async () => {
      if (batch.rescan) {
        // The watcher lost track: every file is read again.
        this.session.publisher.handleImpact(await folder.service.rescan());
        await this.session.publisher.publishAll();
        return;
      }
      await applyFileChanges(
        this.session,
        batch.changes.map((change) => ({ uri: change.uri, deleted: change.type === 'deleted' })),
      );
    });
  }
}
