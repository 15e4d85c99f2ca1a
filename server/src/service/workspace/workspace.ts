/**
 * The result of reading one file. An `error` means the file was not read: it is skipped with a log
 * line, unless `strategyDocument` says its bytes claim to be a strategy document, in which case
 * failing to read it is an `encoding` problem on that file (a PRD nobody can check must fail the gate).
 */
export type ReadResult = { readonly text: string; readonly warning?: string } | { readonly error: string; readonly strategyDocument?: boolean };

/**
 * What the language service needs from its host: the workspace folders and the files in them.
 * The server implements it over the file system, tests over an in-memory map. Changes are pushed
 * to the service by the host (`didChangeFile` and friends), so the service needs no watcher of its own.
 */
export interface IWorkspace {
  /** Workspace folder URIs; empty when single files are opened without a folder. */
  readonly folders: readonly string[];
  /**
   * Every file under a folder (URIs), without following symbolic-link loops. `skipped` hears one
   * line (starting with "Skipped") for each entry the host would not follow or read: a special
   * file, a symbolic link out of the folder.
   */
  listFiles(folder: string, skipped?: (message: string) => void): Promise<readonly string[]>;
  /** Reads a file as text; `undefined` when it no longer exists. */
  readFile(uri: string): Promise<ReadResult | undefined>;
}

export interface Logger {
  log(message: string): void;
}

export const NULL_LOGGER: Logger = { log() {} };

/**
 * `text` without its trailing `/`s. A loop rather than `/\/+$/`: that regex backtracks on a long
 * run of slashes followed by anything else (150,000 slashes took 18 s), and URIs come from clients.
 */
export function trimTrailingSlashes(text: string): string {
  let end = text.length;
  while (end > 0 && text.charCodeAt(end - 1) === 0x2f) end--;
  return end === text.length ? text : text.slice(0, end);
}

/** Joins a folder URI and a relative path with `/`. */
export function joinUri(folder: string, relative: string): string {
  return `${trimTrailingSlashes(folder)}/${relative}`;
}

/** The path of `uri` relative to `folder`, or undefined when it is not inside. */
export function relativeToFolder(folder: string, uri: string): string | undefined {
  const base = trimTrailingSlashes(folder) + '/';
  if (!uri.startsWith(base)) return undefined;
  const relative = uri.slice(base.length);
  if (!relative.includes('%')) return relative;
  try {
    return decodeURIComponent(relative);
  } catch {
    // A malformed escape (`%E0%A4%A`) in a client's URI: show it as it came rather than throw.
    return relative;
  }
}
