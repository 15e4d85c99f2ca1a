/** The result of reading one file. */
export type ReadResult = { readonly text: string; readonly warning?: string } | { readonly error: string };

/**
 * What the language service needs from its host: the workspace folders and the files in them.
 * The server implements it over the file system, tests over an in-memory map. Changes are pushed
 * to the service by the host (`didChangeFile` and friends), so the service needs no watcher of its own.
 */
export interface IWorkspace {
  /** Workspace folder URIs; empty when single files are opened without a folder. */
  readonly folders: readonly string[];
  /** Every file under a folder (URIs), without following symbolic-link loops. */
  listFiles(folder: string): Promise<readonly string[]>;
  /** Reads a file as text; `undefined` when it no longer exists. */
  readFile(uri: string): Promise<ReadResult | undefined>;
}

export interface Logger {
  log(message: string): void;
}

export const NULL_LOGGER: Logger = { log() {} };

/** Joins a folder URI and a relative path with `/`. */
export function joinUri(folder: string, relative: string): string {
  return `${folder.replace(/\/+$/, '')}/${relative}`;
}

/** The path of `uri` relative to `folder`, or undefined when it is not inside. */
export function relativeToFolder(folder: string, uri: string): string | undefined {
  const base = folder.replace(/\/+$/, '') + '/';
  return uri.startsWith(base) ? decodeURIComponent(uri.slice(base.length)) : undefined;
}
