/** What every CLI command shares: usage errors, opening a folder as a workspace, display paths. */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { FileSystemWorkspace, readTextFile, uriFromPath } from '../node/fsWorkspace';
import { todayFromEnvironment } from '../node/today';
import { createLanguageService, type ThroughlineLanguageService } from '../service';

import { UsageError } from '../usageError';

export { UsageError };

export interface CliIo {
  out(text: string): void;
  err(text: string): void;
}

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
  const read = await readTextFile(path.resolve(config));
  if (!read) throw new UsageError(`config file ${config} does not exist`);
  if ('error' in read) throw new UsageError(`cannot read config file ${config}: ${read.error}`);
  return { root, configFileUri: uriFromPath(config) };
}

/** Files that cannot be read are skipped; say so on stderr without changing the exit code. */
export function skippedFilesLogger(err: (text: string) => void) {
  return { log: (message: string) => (message.startsWith('Skipped') || message.startsWith('Could not') ? err(`throughline: ${message}`) : undefined) };
}

/** Indexes a folder from disk, as the language server would. */
export async function openWorkspace(folder: string, config: string | undefined, err: (text: string) => void): Promise<{ service: ThroughlineLanguageService; root: string }> {
  const { root, configFileUri } = await resolveInputs(folder, config);
  const service = createLanguageService({ workspace: new FileSystemWorkspace([uriFromPath(root)]), configFileUri, logger: skippedFilesLogger(err), today: todayFromEnvironment() });
  await service.initialize();
  return { service, root };
}

/** A `file:` URI as a path relative to the checked folder, with `/` separators on every platform. */
export function relativeFile(root: string, uri: string): string {
  const absolute = decodeURIComponent(new URL(uri).pathname);
  const relative = path.relative(root, absolute);
  return relative.split(path.sep).join('/');
}

export function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${count} ${count === 1 ? singular : pluralForm}`;
}

/** The version `--version` prints and machine-readable reports (SARIF) name. */
export { VERSION } from '../version';

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
