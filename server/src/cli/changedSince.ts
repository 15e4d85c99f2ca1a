/**
 * `throughline check --changed-since REF`: the problems a pull request is answerable for. Those on
 * lines added or changed since REF (each file's text at REF, read from git, compared with its
 * working text by a line diff in JavaScript: git may not diff the working tree, see gitRun.ts),
 * and the problems that exist now but not at REF anywhere else (matched by rule, file and message,
 * as baselines are): the cross-file problems the changes caused, such as a link broken in an
 * unchanged PRD by a renamed outcome, or a link made suspect by a changed outcome.
 *
 * The REF side is a second language service over the folder at REF (GitWorkspace), with the git
 * history as of REF, so history rules compare like with like.
 */
import * as path from 'node:path';
import { FileSystemWorkspace, uriFromPath } from '../node/fsWorkspace';
import { readFolderHistory } from '../node/gitHistory';
import { GitWorkspace } from '../node/gitWorkspace';
import { todayFromEnvironment } from '../node/today';
import { createLanguageService } from '../service';
import type { IWorkspace } from '../service/workspace/workspace';
import { initializeService, refWorkspace, skippedFilesLogger, type CliDiagnostic } from './common';
import { changedLines } from './lineDiff';
import { problemsNotIn, workspaceDiagnostics } from './period';

export interface ChangeScope {
  readonly ref: string;
  readonly commit: string;
  /** The problems in scope, in their original order. */
  readonly problems: CliDiagnostic[];
  /** How many of them are on changed lines, and how many are new elsewhere (not on a changed line). */
  readonly onChangedLines: number;
  readonly causedElsewhere: number;
  /** Problems left out: present at REF and not on a changed line. */
  readonly outside: number;
  /** Files whose text differs from REF (or that REF does not have) among those with problems. */
  readonly changedFiles: number;
}

/** The problems at REF, from a service over the folder as it was then (with the history as of then). */
async function problemsAtRef(git: GitWorkspace, root: string, configFileUri: string | undefined, history: boolean): Promise<CliDiagnostic[]> {
  const workspace = refWorkspace(git, configFileUri);
  // Files skipped at REF are not this run's news: the working side already reported its own.
  const logger = skippedFilesLogger(() => undefined);
  // The same day as the working side: date rules must not differ between the two for that alone.
  const service = createLanguageService({ workspace, configFileUri, logger, today: todayFromEnvironment() });
  await initializeService(service, git.ref);
  logger.finish();
  if (history) {
    const read = await readFolderHistory(root, service.newHistoryFold(), undefined, git.commit).catch(() => undefined);
    if (read?.fold) await service.setHistory(read.fold);
  }
  return workspaceDiagnostics(service, root);
}

function textOf(read: Awaited<ReturnType<IWorkspace['readFile']>>): string | undefined {
  return read && 'text' in read ? read.text : undefined;
}

/**
 * The problems of `now` (the working tree's, `/` paths relative to `root`) that the changes since
 * `ref` are answerable for. `diagnostics` may already be narrowed (by a baseline): only those are scoped.
 */
export async function scopeToChanges(
  options: { readonly folder: string; readonly root: string; readonly ref: string; readonly configFileUri: string | undefined; readonly history: boolean },
  diagnostics: readonly CliDiagnostic[],
  all: readonly CliDiagnostic[],
): Promise<ChangeScope> {
  const git = await GitWorkspace.open(options.folder, options.ref);
  const before = await problemsAtRef(git, options.root, options.configFileUri, options.history);
  const fresh = new Set(problemsNotIn(all, before));
  const disk = new FileSystemWorkspace([uriFromPath(options.root)]);
  const lines = new Map<string, Set<number> | undefined>();
  const changedIn = async (file: string): Promise<Set<number> | undefined> => {
    if (lines.has(file)) return lines.get(file);
    const uri = uriFromPath(path.join(options.root, ...file.split('/')));
    const [old, now] = await Promise.all([git.readFile(uri).catch(() => undefined), disk.readFile(uri).catch(() => undefined)]);
    const oldText = textOf(old);
    const newText = textOf(now);
    const changed = newText === undefined || oldText === newText ? undefined : changedLines(oldText, newText);
    lines.set(file, changed);
    return changed;
  };
  const problems: CliDiagnostic[] = [];
  let onChangedLines = 0;
  let causedElsewhere = 0;
  for (const diagnostic of diagnostics) {
    const changed = await changedIn(diagnostic.file);
    let onChanged = false;
    if (changed) for (let line = diagnostic.line; line <= Math.max(diagnostic.line, diagnostic.endLine) && !onChanged; line++) onChanged = changed.has(line);
    if (onChanged) onChangedLines++;
    else if (fresh.has(diagnostic)) causedElsewhere++;
    else continue;
    problems.push(diagnostic);
  }
  let changedFiles = 0;
  for (const changed of lines.values()) if (changed) changedFiles++;
  return { ref: options.ref, commit: git.commit, problems, onChangedLines, causedElsewhere, outside: diagnostics.length - problems.length, changedFiles };
}
