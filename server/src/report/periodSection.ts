/**
 * The "What changed this period" section of the report (HTML and Markdown), and the same Markdown
 * for `throughline diff --format md`: problems gained and lost, key results' progress and targets
 * before → after with who changed them, and the innovation mix before → after. A leaf: it does
 * its own escaping so that html.ts and markdown.ts can import it.
 */
import { formatProgress } from '../../../common/wording';
import type { PeriodAuthor, PeriodChanges, PeriodMixEntry, PeriodProblem } from '../service/analysis/report/periodModel';

/** Rows per table; the rest is counted. */
export const MAX_PERIOD_ROWS = 50;
/** Repository text in a cell is cut at this length. */
const MAX_TEXT = 300;

const CONTROLS = /[\u0000-\u001F\u007F-\u009F\u2028\u2029]+/g;

function cut(text: string): string {
  const flat = text.replace(CONTROLS, ' ');
  return flat.length > MAX_TEXT ? `${flat.slice(0, MAX_TEXT - 1)}…` : flat;
}

/** Plain text in a Markdown table cell: nothing in it becomes markup, `|` cannot end the cell. */
function md(text: string): string {
  return cut(text)
    .replace(/[\\`*_[\]<>|~#!]/g, (char) => `\\${char}`)
    .replace(/&/g, '&amp;');
}

function mdCode(text: string): string {
  return `\`${cut(text).replace(/`/g, "'").replace(/\|/g, '\\|')}\``;
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

function html(text: string): string {
  return cut(text).replace(/[&<>"']/g, (char) => HTML_ESCAPES[char]!);
}

/** `Maya (9ce7f97)`, `uncommitted edits`, or `—` when the history does not say. */
export function authorText(who: PeriodAuthor | undefined): string {
  if (!who) return '—';
  if (who.kind === 'uncommitted') return 'uncommitted edits';
  return `${who.author} (${who.sha.slice(0, 7)})`;
}

function valueText(value: { current: string | null; progress: number | null } | null): string {
  if (!value) return '(none)';
  const progress = value.progress === null ? '' : ` (${formatProgress(value.progress)})`;
  return `${value.current ?? '(no Current)'}${progress}`;
}

function problemText(problem: PeriodProblem): string {
  return problem.message;
}

/** Innovation values of either side, in the order they appear (after first). */
function mixRows(before: readonly PeriodMixEntry[], after: readonly PeriodMixEntry[]): [string, number, number][] {
  const values = [...after.map((entry) => entry.value), ...before.map((entry) => entry.value)];
  const seen = new Set<string>();
  const rows: [string, number, number][] = [];
  for (const value of values) {
    if (seen.has(value)) continue;
    seen.add(value);
    rows.push([value, before.find((entry) => entry.value === value)?.prds ?? 0, after.find((entry) => entry.value === value)?.prds ?? 0]);
  }
  return rows;
}

function mixChanged(period: PeriodChanges): boolean {
  return mixRows(period.innovation.before, period.innovation.after).some(([, a, b]) => a !== b);
}

/** `Since \`origin/main\` (abc1234)` or `Since 2026-10-01 (abc1234, the last commit on or before that day)`. */
function sinceText(period: PeriodChanges, code: (text: string) => string): string {
  return period.since
    ? `Since ${code(period.since)} (${code(period.commit.slice(0, 7))}, the last commit on or before that day)`
    : `Since ${code(period.ref)} (${code(period.commit.slice(0, 7))})`;
}

const WHO_NOTE =
  'Who: the author of the newest commit after the ref that changed the value or figure, as the repository records the name. Problems are not attributed to a commit.';

function mdTable(head: readonly string[], rows: readonly string[][]): string[] {
  const lines = [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...rows.slice(0, MAX_PERIOD_ROWS).map((row) => `| ${row.join(' | ')} |`)];
  if (rows.length > MAX_PERIOD_ROWS) lines.push('', `…and ${rows.length - MAX_PERIOD_ROWS} more.`);
  return lines;
}

/** The section in Markdown; `level` is the heading level (`##` in the report, `####` in a diff comment). */
export function periodMarkdownLines(period: PeriodChanges, level = 2): string[] {
  const h = '#'.repeat(level);
  const lines: string[] = [`${h} What changed this period`, '', `${sinceText(period, mdCode)}.`];
  const { gained, lost, gainedCount, lostCount } = period.problems;
  lines.push('', `${h}# Problems: ${gainedCount} gained, ${lostCount} lost`);
  if (gained.length + lost.length) {
    const row = (marker: string, problem: PeriodProblem) => [
      marker,
      md(problem.severity),
      mdCode(problem.rule),
      md(problemText(problem)),
      mdCode(`${problem.file}:${problem.line}`),
    ];
    lines.push('', ...mdTable(['', 'Severity', 'Rule', 'Problem', 'Where'], [...gained.map((p) => row('+', p)), ...lost.map((p) => row('−', p))]));
  }
  lines.push('', `${h}# Progress moved: ${period.progress.length} key ${period.progress.length === 1 ? 'result' : 'results'}`);
  if (period.progress.length)
    lines.push(
      '',
      ...mdTable(
        ['Key result', 'Before', 'After', 'Who'],
        period.progress.map((entry) => [
          `${mdCode(entry.id)} ${md(entry.title)}`,
          md(valueText(entry.before)),
          md(valueText(entry.after)),
          md(authorText(entry.who)),
        ]),
      ),
    );
  lines.push('', `${h}# Targets changed: ${period.targets.length} key ${period.targets.length === 1 ? 'result' : 'results'}`);
  if (period.targets.length)
    lines.push(
      '',
      ...mdTable(
        ['Key result', 'Change', 'Who'],
        period.targets.map((entry) => [
          `${mdCode(entry.id)} ${md(entry.title)}`,
          md(entry.changes.map((change) => `${change.figure}: ${change.before ?? '(none)'} → ${change.after ?? '(none)'}`).join('; ')),
          md(authorText(entry.who)),
        ]),
      ),
    );
  const mix = mixRows(period.innovation.before, period.innovation.after);
  lines.push('', `${h}# Innovation mix (PRDs)${mixChanged(period) ? '' : ': unchanged'}`);
  if (mix.length)
    lines.push(
      '',
      ...mdTable(
        ['Innovation', 'Before', 'After'],
        mix.map(([value, a, b]) => [md(value), String(a), String(b)]),
      ),
    );
  lines.push('', period.historyRead ? WHO_NOTE : 'Who: unknown, the git history could not be read.');
  return lines;
}

/** The section in HTML, for the report. */
export function renderPeriodHtml(period: PeriodChanges): string {
  const code = (text: string) => `<code>${html(text)}</code>`;
  const tableHtml = (head: readonly string[], rows: readonly string[][]) => {
    const shown = rows.slice(0, MAX_PERIOD_ROWS);
    const more = rows.length - shown.length;
    return `<table class="problems"><thead><tr>${head.map((cell) => `<th>${html(cell)}</th>`).join('')}</tr></thead><tbody>${shown
      .map((row) => `<tr>${row.map((cell) => `<td>${cell}</td>`).join('')}</tr>`)
      .join('')}${more > 0 ? `<tr><td colspan="${head.length}">…and ${more} more</td></tr>` : ''}</tbody></table>`;
  };
  const { gained, lost, gainedCount, lostCount } = period.problems;
  const parts: string[] = [];
  parts.push(`<h3>Problems: ${gainedCount} gained, ${lostCount} lost</h3>`);
  if (gained.length + lost.length) {
    const row = (marker: string, problem: PeriodProblem) => [
      marker,
      html(problem.severity),
      code(problem.rule),
      html(problemText(problem)),
      code(`${problem.file}:${problem.line}`),
    ];
    parts.push(tableHtml(['', 'Severity', 'Rule', 'Problem', 'Where'], [...gained.map((p) => row('+', p)), ...lost.map((p) => row('−', p))]));
  }
  parts.push(`<h3>Progress moved: ${period.progress.length}</h3>`);
  if (period.progress.length)
    parts.push(
      tableHtml(
        ['Key result', 'Before', 'After', 'Who'],
        period.progress.map((entry) => [
          `${code(entry.id)} ${html(entry.title)}`,
          html(valueText(entry.before)),
          html(valueText(entry.after)),
          html(authorText(entry.who)),
        ]),
      ),
    );
  parts.push(`<h3>Targets changed: ${period.targets.length}</h3>`);
  if (period.targets.length)
    parts.push(
      tableHtml(
        ['Key result', 'Change', 'Who'],
        period.targets.map((entry) => [
          `${code(entry.id)} ${html(entry.title)}`,
          html(entry.changes.map((change) => `${change.figure}: ${change.before ?? '(none)'} → ${change.after ?? '(none)'}`).join('; ')),
          html(authorText(entry.who)),
        ]),
      ),
    );
  const mix = mixRows(period.innovation.before, period.innovation.after);
  parts.push(`<h3>Innovation mix (PRDs)${mixChanged(period) ? '' : ': unchanged'}</h3>`);
  if (mix.length)
    parts.push(
      tableHtml(
        ['Innovation', 'Before', 'After'],
        mix.map(([value, a, b]) => [html(value), String(a), String(b)]),
      ),
    );
  return `<section id="period" class="panel">
<div class="panel-head"><h2>What changed this period</h2><p class="panel-note">${sinceText(period, code)}. ${html(period.historyRead ? WHO_NOTE : 'Who: unknown, the git history could not be read.')}</p></div>
${parts.join('\n')}
</section>`;
}
