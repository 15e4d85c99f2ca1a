/**
 * The strategy workspaces a session serves: one language service per workspace folder, each with
 * its own `.throughline.yml` and its own (resource-scoped) settings. IDs resolve within a folder,
 * never across folders: a multi-root window usually holds separate products or repositories, and
 * one folder's `OUT-1` is not another's. Documents outside every folder go to a service with no
 * folder, which serves what is open (an editor started on a single file); an untitled document
 * goes to the one folder when there is one.
 */
import * as path from 'node:path';
import { FileSystemWorkspace, normalizeUri } from '../node/fsWorkspace';
import { todayFromEnvironment } from '../node/today';
import { createLanguageService, type ThroughlineLanguageService } from '../service';
import type { ThroughlineSettings } from '../../../common/protocol';

export interface StrategyFolder {
  /** The folder's canonical URI; undefined for the service of documents outside every folder. */
  readonly uri: string | undefined;
  /** The folder's name, as views title it. */
  readonly name: string;
  readonly service: ThroughlineLanguageService;
  /** The settings the service has, as JSON: a push or pull that brings the same ones reindexes nothing. */
  appliedSettings: string;
}

/** Settings as a comparable string: the JSON of what the schema kept. */
export function settingsKey(settings: ThroughlineSettings | undefined): string {
  return JSON.stringify(settings ?? null);
}

export class StrategyFolders {
  private readonly folders: StrategyFolder[] = [];
  private loose: StrategyFolder | undefined;
  /** Where each open untitled document is checked (see `forUri`). */
  private readonly untitledHomes = new Map<string, StrategyFolder>();

  constructor(private readonly log: (message: string) => void) {}

  /** Adds a folder's service (not indexed yet: call `service.initialize()` or `updateSettings`). */
  add(folderUri: string, settings: ThroughlineSettings | undefined): StrategyFolder {
    const uri = trimSlashes(normalizeUri(folderUri));
    const existing = this.folders.find((folder) => folder.uri === uri);
    if (existing) return existing;
    const folder: StrategyFolder = { uri, name: folderName(uri), service: this.create([uri], settings), appliedSettings: settingsKey(settings) };
    this.folders.push(folder);
    return folder;
  }

  /**
   * The folder that holds `uri` (the innermost when folders nest), else the service for loose
   * documents. An untitled document is a draft in this window: with one folder open it is checked
   * against that folder, whose IDs it names (alone it made every real ID `unknown-reference`); with
   * several it cannot be told which, and is checked alone. Its place is fixed when it is opened
   * (`placeUntitled`) and kept until it is closed, so that a folder added meanwhile does not send
   * its requests to a service that never saw it.
   */
  forUri(uri: string, settings?: ThroughlineSettings): StrategyFolder {
    const folder = this.containing(uri);
    if (folder) return folder;
    if (!uri.startsWith('untitled:')) return this.looseFolder(settings);
    return this.untitledHomes.get(uri) ?? this.untitledHome(settings);
  }

  /** An untitled document was opened: where it is checked until it is closed. */
  placeUntitled(uri: string, settings?: ThroughlineSettings): void {
    if (uri.startsWith('untitled:') && !this.untitledHomes.has(uri)) this.untitledHomes.set(uri, this.untitledHome(settings));
  }

  /** An untitled document was closed: one opened later under its name is placed afresh. */
  closedUntitled(uri: string): void {
    this.untitledHomes.delete(uri);
  }

  private untitledHome(settings: ThroughlineSettings | undefined): StrategyFolder {
    return this.folders.length === 1 ? this.folders[0]! : this.looseFolder(settings);
  }

  /** The folder that holds `uri`, if any. */
  containing(uri: string): StrategyFolder | undefined {
    const canonical = normalizeUri(uri);
    let found: StrategyFolder | undefined;
    for (const folder of this.folders) {
      if (canonical === folder.uri || canonical.startsWith(`${folder.uri}/`)) {
        if (!found || folder.uri!.length > found.uri!.length) found = folder;
      }
    }
    return found;
  }

  /** The first folder, or the loose service when there is none: what workspace-wide requests use when one folder is asked. */
  primary(settings?: ThroughlineSettings): StrategyFolder {
    return this.folders[0] ?? this.looseFolder(settings);
  }

  /** Every workspace folder, in the client's order. */
  all(): readonly StrategyFolder[] {
    return this.folders;
  }

  /** Every service, the loose one included when it exists. */
  services(): ThroughlineLanguageService[] {
    return [...this.folders.map((folder) => folder.service), ...(this.loose ? [this.loose.service] : [])];
  }

  private looseFolder(settings: ThroughlineSettings | undefined): StrategyFolder {
    this.loose ??= { uri: undefined, name: 'Open documents', service: this.create([], settings), appliedSettings: settingsKey(settings) };
    return this.loose;
  }

  private create(folders: string[], settings: ThroughlineSettings | undefined): ThroughlineLanguageService {
    return createLanguageService({
      workspace: new FileSystemWorkspace(folders),
      settings,
      logger: { log: this.log },
      today: todayFromEnvironment(),
      paranoid: process.env['THROUGHLINE_PARANOID'] === '1',
    });
  }
}

/** Without trailing slashes (a loop: a pattern would backtrack on a hostile run of slashes). */
function trimSlashes(uri: string): string {
  let end = uri.length;
  while (end > 'file:///'.length && uri.charCodeAt(end - 1) === 0x2f) end--;
  return uri.slice(0, end);
}

function folderName(uri: string): string {
  try {
    return path.basename(decodeURIComponent(new URL(uri).pathname)) || uri;
  } catch {
    return uri;
  }
}
