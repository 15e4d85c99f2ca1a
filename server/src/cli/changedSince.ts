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
import { runGit } from '../node/gitRun';
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
  const named = await GitWorkspace.open(options.folder, options.ref);
  // Changes since the branch left REF, as `git diff REF...` compares: a REF that moved on since
  // (main, with others' merges) would otherwise count its newer commits as this branch's changes.
  const base = await mergeBase(options.root, named.commit);
  const git = base === undefined || base === named.commit ? named : await GitWorkspace.open(options.folder, base);
  const renamedFrom = await committedRenames(options.root, git.commit);
  const before = await problemsAtRef(git, options.root, options.configFileUri, options.history);
  // A renamed file's problems at REF are its problems now, under its new name.
  const renamedTo = new Map([...renamedFrom].map(([now, old]) => [old, now]));
  const beforeUnderNewNames = before.map((problem) => (renamedTo.has(problem.file) ? { ...problem, file: renamedTo.get(problem.file)! } : problem));
  const fresh = new Set(problemsNotIn(all, beforeUnderNewNames));
  const disk = new FileSystemWorkspace([uriFromPath(options.root)]);
  const lines = new Map<string, Set<number> | undefined>();
  const changedIn = async (file: string): Promise<Set<number> | undefined> => {
    if (lines.has(file)) return lines.get(file);
    const uriOf = (relative: string) => uriFromPath(path.join(options.root, ...relative.split('/')));
    const uri = uriOf(file);
    // A file renamed since REF is compared with its text under its old name: a move changes no line.
    const [old, now] = await Promise.all([
      git.readFile(uriOf(renamedFrom.get(file) ?? file)).catch(() => undefined),
      disk.readFile(uri).catch(() => undefined),
    ]);
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

/** The merge base of `commit` and HEAD; undefined when they share no history or git cannot tell. */
export async function mergeBase(folder: string, commit: string): Promise<string | undefined> {
  const result = await runGit(['merge-base', commit, 'HEAD'], folder, { maxBytes: 1024 }).catch(() => undefined);
  const sha = result?.code === 0 ? result.stdout.toString('utf8').trim() : '';
  return /^[0-9a-f]{40,64}$/.test(sha) ? sha : undefined;
}

/**
 * The files under `folder` that commits since `commit` renamed (git's rename detection, up to
 * HEAD), new path → old path, both relative to the folder with `/`. Empty when git cannot tell.
 */
async function committedRenames(folder: string, commit: string): Promise<Map<string, string>> {
  const renames = new Map<string, string>();
  const result = await runGit(['diff-tree', '-r', '-z', '-M', '--relative', '--diff-filter=R', '--name-status', commit, 'HEAD'], folder).catch(() => undefined);
  if (result?.code !== 0) return renames;
  const fields = result.stdout.toString('utf8').split('\0');
  for (let index = 0; index + 2 < fields.length; index += 3) {
    if (!fields[index]!.startsWith('R')) break;
    renames.set(fields[index + 2]!, fields[index + 1]!);
  }
  return renames;
}
