/**
 * "What changed this period" between the workspace at a git ref and now, for `throughline diff`
 * and `throughline report --since`: problems gained and lost (matched by rule, file and message,
 * as baselines are, so a problem that only moved is neither), key results' progress and targets
 * before → after with who changed them, and the innovation mix before → after.
 *
 * Who: the author of the newest commit on HEAD's first-parent line after the ref that changed the
 * key result's `Current:` (a check-in) or its figures (`Target`, `Due`, `Baseline`), from the
 * history fold; `uncommitted` when the working tree's value is not committed yet. Problems carry
 * no author: a problem is a rule's reading of several items, not one commit's doing.
 */
import type { ThroughlineLanguageService } from '../service';
import type { HistoryCommit, HistoryFold } from '../service/history/historyFold';
import { attributeValue } from '../service/analysis/progress';
import {
  MAX_PERIOD_PROBLEMS,
  type PeriodAuthor,
  type PeriodChanges,
  type PeriodMixEntry,
  type PeriodProblem,
  type PeriodProgress,
  type PeriodTarget,
} from '../service/analysis/report/periodModel';
import { readFolderHistory } from '../node/gitHistory';
import { firstLine, isShallowRepository, runGit, SHALLOW_CLONE_HINT } from '../node/gitRun';
import { problemFingerprint } from './baseline';
import { relativeFile, UsageError, type CliDiagnostic } from './common';
import { MAX_PRINTED_MESSAGE_LENGTH, truncate } from './output';

/** Problems, key results and the innovation mix of one side (the ref, or now). */
export interface SideState {
  readonly problems: readonly CliDiagnostic[];
  readonly keyResults: ReadonlyMap<string, KeyResultState>;
  readonly innovation: readonly PeriodMixEntry[];
}

interface KeyResultState {
  readonly id: string;
  readonly title: string;
  readonly file: string;
  readonly baseline: string | null;
  readonly target: string | null;
  readonly due: string | null;
  readonly current: string | null;
  readonly progress: number | null;
}

/**
 * Every problem of the workspace as the CLI prints it: by file (as `/` paths) then position,
 * 1-based; messages longer than MAX_PRINTED_MESSAGE_LENGTH are cut here, so that every format, the
 * baseline and the period's comparison see the same text.
 */
export function workspaceDiagnostics(service: ThroughlineLanguageService, root: string): CliDiagnostic[] {
  return service
    .workspaceProblems((uri) => relativeFile(root, uri))
    .map(({ file, line, column, endLine, endColumn, severity, rule, message }) => ({
      file,
      line,
      column,
      endLine,
      endColumn,
      severity,
      rule,
      message: truncate(message, MAX_PRINTED_MESSAGE_LENGTH),
    }));
}

export function sideState(service: ThroughlineLanguageService, root: string): SideState {
  const keyResults = new Map<string, KeyResultState>();
  for (const objective of service.getCoverage().progress) {
    for (const keyResult of objective.keyResults) {
      if (keyResults.has(keyResult.id)) continue;
      const item = service.graph.definitionsOf(keyResult.id)[0];
      keyResults.set(keyResult.id, {
        id: keyResult.id,
        title: keyResult.title,
        file: relativeFile(root, keyResult.uri),
        baseline: keyResult.baseline ?? null,
        target: keyResult.target ?? null,
        due: (item && attributeValue(item, 'due')) ?? null,
        current: keyResult.current ?? null,
        // A retired key result counts for nothing, as in its objective's progress.
        progress: keyResult.retired === undefined ? (keyResult.progress ?? null) : null,
      });
    }
  }
  const innovation = service.getPortfolio().dimensions.find((dimension) => dimension.name === 'innovation');
  return {
    problems: workspaceDiagnostics(service, root),
    keyResults,
    innovation: (innovation?.buckets ?? []).map((bucket) => ({ value: bucket.value, prds: bucket.prds })),
  };
}

/** The problems of `after` that `before` does not account for, matched as a multiset of fingerprints. */
export function problemsNotIn<T extends Pick<CliDiagnostic, 'rule' | 'file' | 'message'>>(after: readonly T[], before: readonly T[]): T[] {
  const remaining = new Map<string, number>();
  for (const problem of before) {
    const key = problemFingerprint(problem);
    remaining.set(key, (remaining.get(key) ?? 0) + 1);
  }
  const fresh: T[] = [];
  for (const problem of after) {
    const key = problemFingerprint(problem);
    const left = remaining.get(key) ?? 0;
    if (left > 0) remaining.set(key, left - 1);
    else fresh.push(problem);
  }
  return fresh;
}

/** Who changed what since the ref: the history fold and the commits after the ref on HEAD's first-parent line. */
export interface PeriodHistory {
  readonly fold: HistoryFold;
  /** SHAs of the commits after the ref, up to HEAD. */
  readonly commits: ReadonlySet<string>;
}

/** Commits on the first-parent line read at most for `commits` (the fold reads at most its own cap). */
const MAX_PERIOD_COMMITS = 20000;

/** Reads the history for "who"; undefined (and no error) when there is none. */
export async function readPeriodHistory(service: ThroughlineLanguageService, root: string, commit: string): Promise<PeriodHistory | undefined> {
  const read = await readFolderHistory(root, service.newHistoryFold(), service).catch(() => undefined);
  if (!read?.fold) return undefined;
  const listed = await runGit(['rev-list', '--first-parent', `--max-count=${MAX_PERIOD_COMMITS}`, `${commit}..HEAD`], root, {
    maxBytes: 8 * 1024 * 1024,
  }).catch(() => undefined);
  if (!listed || listed.code !== 0) return undefined;
  const commits = new Set(
    listed.stdout
      .toString('utf8')
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line !== ''),
  );
  return { fold: read.fold, commits };
}

function authorOf(commit: HistoryCommit): PeriodAuthor {
  return { kind: 'commit', author: commit.author, sha: commit.sha, subject: commit.subject, time: commit.time };
}

const collapse = (text: string | null) => (text === null ? null : text.replace(/\s+/g, ' ').trim());

/** Who checked in the key result's value now: the newest check-in after the ref, or the working tree. */
function valueAuthor(history: PeriodHistory | undefined, id: string, now: string | null): PeriodAuthor | undefined {
  if (!history) return undefined;
  const checkIns = history.fold.checkInsOf(id);
  const last = checkIns.at(-1);
  if (now !== null && last?.value !== collapse(now)) return { kind: 'uncommitted' };
  for (let index = checkIns.length - 1; index >= 0; index--) {
    const commit = checkIns[index]!.commit;
    if (commit && history.commits.has(commit.sha)) return authorOf(commit);
  }
  return undefined;
}

/** Who changed the key result's figures: its last change of meaning, when after the ref and about those figures. */
function figureAuthor(history: PeriodHistory | undefined, id: string, figures: readonly string[]): PeriodAuthor | undefined {
  if (!history) return undefined;
  const change = history.fold.lastChange(id);
  if (change?.commit && history.commits.has(change.commit.sha) && change.parts.some((part) => figures.includes(part))) return authorOf(change.commit);
  return undefined;
}

/** The comparison of the ref (`before`) with now (`after`). */
export function comparePeriod(
  before: SideState,
  after: SideState,
  where: { readonly ref: string; readonly commit: string; readonly since?: string },
  history: PeriodHistory | undefined,
): PeriodChanges {
  const problem = (diagnostic: CliDiagnostic): PeriodProblem => ({
    file: diagnostic.file,
    line: diagnostic.line,
    severity: diagnostic.severity,
    rule: diagnostic.rule,
    message: diagnostic.message,
  });
  const gained = problemsNotIn(after.problems, before.problems);
  const lost = problemsNotIn(before.problems, after.problems);
  const progress: PeriodProgress[] = [];
  const targets: PeriodTarget[] = [];
  const ids = [...after.keyResults.keys(), ...[...before.keyResults.keys()].filter((id) => !after.keyResults.has(id))];
  for (const id of ids) {
    const old = before.keyResults.get(id);
    const now = after.keyResults.get(id);
    const shown = (now ?? old)!;
    if (!old || !now || old.current !== now.current || old.progress !== now.progress) {
      const who = now ? valueAuthor(history, id, now.current) : undefined;
      progress.push({
        id,
        title: shown.title,
        file: shown.file,
        before: old ? { current: old.current, progress: old.progress } : null,
        after: now ? { current: now.current, progress: now.progress } : null,
        ...(who ? { who } : {}),
      });
    }
    if (old && now) {
      const changes = (
        [
          ['Baseline', old.baseline, now.baseline],
          ['Target', old.target, now.target],
          ['Due', old.due, now.due],
        ] as const
      )
        .filter(([, a, b]) => a !== b)
        .map(([figure, a, b]) => ({ figure, before: a, after: b }));
      if (changes.length) {
        const who = figureAuthor(
          history,
          id,
          changes.map((change) => change.figure),
        );
        targets.push({ id, title: now.title, file: now.file, changes, ...(who ? { who } : {}) });
      }
    }
  }
  return {
    ref: where.ref,
    commit: where.commit,
    ...(where.since ? { since: where.since } : {}),
    problems: {
      gained: gained.slice(0, MAX_PERIOD_PROBLEMS).map(problem),
      lost: lost.slice(0, MAX_PERIOD_PROBLEMS).map(problem),
      gainedCount: gained.length,
      lostCount: lost.length,
    },
    progress,
    targets,
    innovation: { before: before.innovation, after: after.innovation },
    historyRead: history !== undefined,
  };
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * The ref `--since` names: a `YYYY-MM-DD` date is the newest commit on HEAD's first-parent line at
 * or before the end of that day (UTC); anything else is a ref, resolved later by GitWorkspace.
 */
export async function resolveSince(folder: string, since: string): Promise<{ ref: string; since?: string }> {
  if (!ISO_DATE.test(since)) return { ref: since };
  const day = new Date(`${since}T00:00:00Z`);
  if (Number.isNaN(day.getTime()) || day.toISOString().slice(0, 10) !== since) throw new UsageError(`--since ${since} is not a date (YYYY-MM-DD)`);
  const listed = await runGit(['rev-list', '--first-parent', '-1', `--before=${since}T23:59:59Z`, 'HEAD'], folder, { maxBytes: 1024 }).catch(
    (error: unknown) => {
      throw new UsageError(`git cannot read the history of ${folder}: ${error instanceof Error ? error.message : String(error)}`);
    },
  );
  if (listed.code !== 0) throw new UsageError(`git cannot read the history of ${folder}: ${firstLine(listed.stderr)}`);
  const sha = listed.stdout.toString('utf8').trim();
  if (!sha) {
    const shallow = await isShallowRepository(folder);
    throw new UsageError(
      `no commit on or before ${since} in the history of ${folder}${shallow ? `: this is a shallow clone, which may not have it (${SHALLOW_CLONE_HINT})` : ''}`,
    );
  }
  return { ref: sha, since };
}
