/** What every CLI command shares: usage errors, opening a folder as a workspace, display paths. */
import { constants, promises as fs, type Stats } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import * as path from 'node:path';
import { FileSystemWorkspace, isPlainAbsolutePath, pathFromUri, readTextFile, uriFromPath } from '../node/fsWorkspace';
import type { GitWorkspace } from '../node/gitWorkspace';
import type { IWorkspace } from '../service/workspace/workspace';
import { todayFromEnvironment } from '../node/today';
import { createLanguageService, type ThroughlineLanguageService } from '../service';
import { notInRepository, readFolderHistory, startHistoryRead, type HistorySource } from '../node/gitHistory';
import { DEFAULT_EXCLUDE, type ThroughlineConfig } from '../service/model/config';
import { UsageError } from '../node/usageError';
import { MAX_SKIPPED_LINES, oneLineMessage, type CliIo } from './output';

export { UsageError };
export type { CliIo };

/** What a path that is not a regular file is, for the one line that refuses it. */
function fileKind(stat: Stats): string {
  if (stat.isDirectory()) return 'a folder';
  if (stat.isFIFO()) return 'a named pipe (FIFO)';
  if (stat.isSocket()) return 'a socket';
  if (stat.isCharacterDevice() || stat.isBlockDevice()) return 'a device';
  return 'not a regular file';
}

/**
 * Reads a file the user named (`--config`, `--baseline`) if and only if it is a regular file of at
 * most `maxBytes`. It is opened without blocking and checked on the open descriptor, so a FIFO,
 * socket or device is one usage error (exit 2) instead of a read that waits forever.
 */
export async function readRegularFile(given: string, what: string, maxBytes: number): Promise<Buffer> {
  const file = given;
  let handle: FileHandle;
  try {
    handle = await fs.open(path.resolve(given), constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new UsageError(`${what} ${file} does not exist`);
    throw new UsageError(`cannot read ${what} ${file}: ${code ?? oneLineMessage((error as Error).message)}`);
  }
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) throw new UsageError(`${what} ${file} is ${fileKind(stat)}, not a regular file`);
    if (stat.size > maxBytes) throw new UsageError(`${what} ${file} is larger than ${Math.round(maxBytes / 1024 / 1024)} MB`);
    return await handle.readFile();
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(`cannot read ${what} ${file}: ${(error as NodeJS.ErrnoException).code ?? oneLineMessage((error as Error).message)}`);
  } finally {
    await handle.close();
  }
}

/** A configuration file is small; anything larger is not one. */
const MAX_CONFIG_BYTES = 1024 * 1024;

/** Checks that `folder` is a readable folder and that `config` (when given) is a readable file. */
export async function resolveInputs(folder: string, config: string | undefined): Promise<{ root: string; configFileUri?: string }> {
  const root = path.resolve(folder);
  const stat = await fs.stat(root).catch(() => undefined);
  if (!stat) throw new UsageError(`cannot read folder ${folder}: it does not exist`);
  if (!stat.isDirectory()) throw new UsageError(`${folder} is not a folder`);
  try {
    await fs.readdir(root);
  } catch (error) {
    throw new UsageError(`cannot read folder ${folder}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  if (!config) return { root };
  await readRegularFile(config, 'config file', MAX_CONFIG_BYTES);
  return { root, configFileUri: uriFromPath(config) };
}

/**
 * Files that cannot be read are skipped; say so on stderr without changing the exit code. Each
 * message is one line (a parser failure's stack trace stays out; `err` escapes and bounds the
 * rest), and after MAX_SKIPPED_LINES of them `finish()` says how many more there were.
 */
export function skippedFilesLogger(err: (text: string) => void) {
  let count = 0;
  return {
    log: (message: string) => {
      // The indexing summary is for the server's log; everything else is about a file the run left out.
      if (message.startsWith('Indexed ')) return;
      if (++count <= MAX_SKIPPED_LINES) err(`throughline: ${oneLineMessage(message)}`);
    },
    finish: () => {
      if (count > MAX_SKIPPED_LINES) err(`throughline: … and ${count - MAX_SKIPPED_LINES} more files skipped`);
      count = 0;
    },
  };
}

/** Whether `include` or `exclude` were changed from the defaults, by a configuration file or `--config`. */
function selectsFiles(config: ThroughlineConfig): boolean {
  const defaultInclude = ['**/*.md', '**/*.markdown'];
  const sameList = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((entry, index) => entry === b[index]);
  return !sameList(config.include, defaultInclude) || !sameList(config.exclude, DEFAULT_EXCLUDE);
}

/**
 * Indexes a service built over a workspace; a failure to index is one line and exit 2 (a hostile
 * configuration or document must never surface as "internal error" or a stack trace).
 */
export async function initializeService(service: ThroughlineLanguageService, folder: string): Promise<{ files: number }> {
  try {
    return await service.initialize();
  } catch (error) {
    throw new UsageError(`cannot check ${folder}: ${oneLineMessage(error instanceof Error ? error.message : String(error))}`);
  }
}

/** When include/exclude leave no Markdown file to check, the run says so rather than passing silently. */
export function reportNoFilesSelected(service: ThroughlineLanguageService, files: number, folder: string, err: (text: string) => void): void {
  if (files === 0 && selectsFiles(service.config))
    err(`throughline: include/exclude in the configuration select no Markdown file in ${folder}: 0 documents checked`);
}

/** Indexes a folder from disk, as the language server would; with `history`, reads its git history too. */
export async function openWorkspace(
  folder: string,
  config: string | undefined,
  err: (text: string) => void,
  options: { readonly history?: boolean; readonly verbose?: boolean } = {},
): Promise<{ service: ThroughlineLanguageService; root: string }> {
  const { root, configFileUri } = await resolveInputs(folder, config);
  // git's part of the history needs no index: it runs while the folder is indexed.
  const history = options.history ? startHistoryRead(root) : undefined;
  const logger = skippedFilesLogger(err);
  // The CLI indexes once and changes nothing afterwards: what diagnostics read need not be recorded.
  const service = createLanguageService({
    workspace: new FileSystemWorkspace([uriFromPath(root)]),
    configFileUri,
    logger,
    today: todayFromEnvironment(),
    recordReads: false,
  });
  const { files } = await initializeService(service, folder);
  logger.finish();
  reportNoFilesSelected(service, files, folder, err);
  if (history) await loadHistory(service, root, err, options.verbose ?? false, history);
  return { service, root };
}

/**
 * Reads the folder's git history into the service. Without one (a shallow clone, no commits, git
 * missing) one line says so and the history rules stay silent; a folder outside any repository is
 * only mentioned with `--verbose`.
 */
export async function loadHistory(
  service: ThroughlineLanguageService,
  root: string,
  err: (text: string) => void,
  verbose: boolean,
  started?: Promise<HistorySource>,
): Promise<void> {
  const read = await readFolderHistory(root, service.newHistoryFold(), service, 'HEAD', started).catch((error: unknown) => ({
    fold: undefined,
    unchangedSinceHead: undefined,
    note: `No history: ${oneLineMessage(error instanceof Error ? error.message : String(error))}.`,
  }));
  if (read.fold) await service.setHistory(read.fold, { unchangedSinceHead: read.unchangedSinceHead });
  if (read.note && (verbose || !notInRepository(read.note))) err(`throughline: ${read.note}`);
}

/**
 * The folder at a git ref, for the ref's side of `diff` and `check --changed-since`. A file named
 * with --config is read as it is now on both sides: the user chose it for this run. Without it, the
 * `.throughline.yml` of the ref applies, so a renamed prefix compares as it was.
 */
export function refWorkspace(git: GitWorkspace, configFileUri: string | undefined): IWorkspace {
  if (configFileUri === undefined) return git;
  return {
    folders: git.folders,
    listFiles: (folder) => git.listFiles(folder),
    readFile: (uri) => (uri === configFileUri ? readTextFile(pathFromUri(uri)) : git.readFile(uri)),
  };
}

/** A `file:` URI as a path relative to the checked folder, with `/` separators on every platform. */
export function relativeFile(root: string, uri: string): string {
  // A plain file below a plain root (uriFromPath's URIs of the walk): the path after the root.
  // A URL object and path.relative per problem took 27 ms of `check` at 10,000 PRDs.
  if (plainRoot?.root !== root) plainRoot = { root, prefix: isPlainAbsolutePath(root) ? `file://${root}/` : undefined };
  if (plainRoot.prefix !== undefined && uri.startsWith(plainRoot.prefix)) {
    const relative = uri.slice(plainRoot.prefix.length);
    if (isPlainAbsolutePath(`/${relative}`)) return relative;
  }
  const absolute = decodeURIComponent(new URL(uri).pathname);
  const relative = path.relative(root, absolute);
  return relative.split(path.sep).join('/');
}

/** The last root `relativeFile` was given, and the URI prefix of the files below it when it is a plain path. */
let plainRoot: { readonly root: string; readonly prefix: string | undefined } | undefined;

export { plural } from '../../../common/wording';

/** The version `--version` prints and machine-readable reports (SARIF) name. */
export { VERSION } from '../node/version';

/** One problem as every CLI output shows it: `file` relative to the checked folder with `/`, 1-based positions. */
export interface CliDiagnostic {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  severity: string;
  rule: string;
  message: string;
}
