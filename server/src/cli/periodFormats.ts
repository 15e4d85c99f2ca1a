/** "What changed this period" as `throughline diff` prints it in text and JSON (Markdown: report/periodSection.ts). */
import type { PeriodChanges } from '../service/analysis/report/periodModel';
import { authorText } from '../report/periodSection';
import { formatProgress } from '../../../common/wording';

/** Lines of each list printed in text; JSON has them all. */
const MAX_TEXT_ROWS = 200;

function value(entry: { current: string | null; progress: number | null } | null): string {
  if (!entry) return '(none)';
  return `${entry.current ?? '(no Current)'}${entry.progress === null ? '' : ` (${formatProgress(entry.progress)})`}`;
}

function capped(lines: string[]): string[] {
  return lines.length > MAX_TEXT_ROWS ? [...lines.slice(0, MAX_TEXT_ROWS), `… and ${lines.length - MAX_TEXT_ROWS} more (--format json lists them all)`] : lines;
}

/** One line per entry, for `io.out` (which escapes each line). */
export function periodTextLines(period: PeriodChanges): string[] {
  const lines: string[] = [];
  const section = (title: string, body: string[]) => {
    lines.push('', title, ...capped(body).map((line) => `  ${line}`));
  };
  const { gained, lost, gainedCount, lostCount } = period.problems;
  section(`Problems: ${gainedCount} gained, ${lostCount} lost`, [
    ...gained.map((problem) => `+ ${problem.file}:${problem.line}  ${problem.severity}  ${problem.message}  [${problem.rule}]`),
    ...lost.map((problem) => `- ${problem.file}:${problem.line}  ${problem.severity}  ${problem.message}  [${problem.rule}]`),
  ]);
  section(
    `Progress moved: ${period.progress.length}`,
    period.progress.map((entry) => `${entry.id}  ${value(entry.before)} → ${value(entry.after)}  by ${authorText(entry.who)}  (${entry.file})`),
  );
  section(
    `Targets changed: ${period.targets.length}`,
    period.targets.map(
      (entry) =>
        `${entry.id}  ${entry.changes.map((change) => `${change.figure}: ${change.before ?? '(none)'} → ${change.after ?? '(none)'}`).join(', ')}  by ${authorText(entry.who)}  (${entry.file})`,
    ),
  );
  const values = [...new Set([...period.innovation.after.map((entry) => entry.value), ...period.innovation.before.map((entry) => entry.value)])];
  const count = (list: PeriodChanges['innovation']['before'], name: string) => list.find((entry) => entry.value === name)?.prds ?? 0;
  section(
    'Innovation mix (PRDs)',
    values.map((name) => `${name}: ${count(period.innovation.before, name)} → ${count(period.innovation.after, name)}`),
  );
  if (!period.historyRead) lines.push('', 'Who: unknown, the git history could not be read.');
  return lines;
}

/** The `period` object of `diff --format json`. */
export function periodJson(period: PeriodChanges) {
  const who = (author: PeriodChanges['progress'][number]['who']) =>
    author === undefined
      ? null
      : author.kind === 'uncommitted'
        ? { uncommitted: true }
        : { author: author.author, commit: author.sha, subject: author.subject };
  return {
    ref: period.ref,
    commit: period.commit,
    ...(period.since ? { since: period.since } : {}),
    historyRead: period.historyRead,
    problems: period.problems,
    progress: period.progress.map((entry) => ({
      id: entry.id,
      title: entry.title,
      file: entry.file,
      before: entry.before,
      after: entry.after,
      who: who(entry.who),
    })),
    targets: period.targets.map((entry) => ({ id: entry.id, title: entry.title, file: entry.file, changes: entry.changes, who: who(entry.who) })),
    innovation: period.innovation,
  };
}
