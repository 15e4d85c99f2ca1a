/**
 * Key results' trend lines in the HTML report: per key result with check-ins, an inline SVG of its
 * values over time, the expected straight line from the baseline to the target by `Due:`, and a
 * marker for today; beside it "expected vs actual to date". Self-contained (no script, no `style`
 * attribute, no external reference: presentation attributes and the report's colours through
 * `currentColor`), every text escaped, and bounded: at most MAX_SVG_POINTS points per chart and
 * MAX_TREND_CHARTS charts.
 */
import { formatProgress, progressPercent } from '../../../common/wording';
import type { KeyResultTrend } from '../service/analysis/report/trends';

export const MAX_SVG_POINTS = 60;
export const MAX_TREND_CHARTS = 100;
export const TREND_WIDTH = 280;
export const TREND_HEIGHT = 90;
const PAD_X = 8;
const PAD_Y = 10;
const DAY = 24 * 60 * 60 * 1000;

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const CONTROLS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]+/g;

/** Text as SVG/HTML content or a double-quoted attribute value, cut at 300 characters. */
export function escapeSvgText(text: string): string {
  const flat = text.replace(CONTROLS, ' ');
  return (flat.length > 300 ? `${flat.slice(0, 299)}…` : flat).replace(/[&<>"']/g, (char) => ESCAPES[char]!);
}

/** A coordinate: finite, bounded, one decimal. */
function coordinate(value: number, max: number): string {
  const bounded = Number.isFinite(value) ? Math.min(max, Math.max(0, value)) : 0;
  return bounded.toFixed(1);
}

function isoDay(time: number): string {
  return Number.isFinite(time) ? new Date(time).toISOString().slice(0, 10) : '';
}

/** The chart's share of progress from baseline to target, 0–1 (unclamped). */
function share(trend: KeyResultTrend, value: number): number {
  return (value - trend.baseline) / (trend.target - trend.baseline);
}

/** The SVG of one key result's trend. */
export function renderTrendSvg(trend: KeyResultTrend): string {
  const points = trend.points.length > MAX_SVG_POINTS ? [trend.points[0]!, ...trend.points.slice(trend.points.length - (MAX_SVG_POINTS - 1))] : trend.points;
  const first = points[0]?.time ?? trend.today;
  const times = [first, trend.today, ...(trend.due !== undefined ? [trend.due] : []), ...points.map((point) => point.time)].filter(Number.isFinite);
  let start = Math.min(...times);
  let end = Math.max(...times);
  if (!(end > start)) {
    start -= DAY;
    end += DAY;
  }
  // The vertical axis runs from the lower to the higher of baseline, target and the values.
  const values = [trend.baseline, trend.target, ...points.map((point) => point.value)].filter(Number.isFinite);
  let low = Math.min(...values);
  let high = Math.max(...values);
  if (!(high > low)) {
    low -= 1;
    high += 1;
  }
  const x = (time: number) => coordinate(PAD_X + ((time - start) / (end - start)) * (TREND_WIDTH - 2 * PAD_X), TREND_WIDTH);
  const y = (value: number) => coordinate(TREND_HEIGHT - PAD_Y - ((value - low) / (high - low)) * (TREND_HEIGHT - 2 * PAD_Y), TREND_HEIGHT);
  const parts: string[] = [];
  parts.push(
    `<line class="trend-target" x1="${PAD_X}" y1="${y(trend.target)}" x2="${TREND_WIDTH - PAD_X}" y2="${y(trend.target)}" stroke="currentColor" stroke-opacity="0.25" stroke-width="1"/>`,
  );
  if (trend.due !== undefined && trend.due > first) {
    parts.push(
      `<line class="trend-expected" x1="${x(first)}" y1="${y(trend.baseline)}" x2="${x(trend.due)}" y2="${y(trend.target)}" stroke="currentColor" stroke-opacity="0.6" stroke-width="1.5" stroke-dasharray="4 3"><title>Expected: ${escapeSvgText(trend.baselineLabel)} → ${escapeSvgText(trend.targetLabel)} by ${escapeSvgText(trend.dueLabel ?? '')}</title></line>`,
    );
  }
  parts.push(
    `<line class="trend-today" x1="${x(trend.today)}" y1="${PAD_Y / 2}" x2="${x(trend.today)}" y2="${TREND_HEIGHT - PAD_Y / 2}" stroke="currentColor" stroke-opacity="0.5" stroke-width="1"><title>Today, ${escapeSvgText(isoDay(trend.today))}</title></line>`,
  );
  if (points.length > 1)
    parts.push(
      `<polyline class="trend-actual" points="${points.map((point) => `${x(point.time)},${y(point.value)}`).join(' ')}" fill="none" stroke="currentColor" stroke-width="2"/>`,
    );
  for (const point of points) {
    const who = point.commit ? `${point.author ?? ''} (${point.commit})` : 'uncommitted';
    parts.push(
      `<circle class="trend-point" cx="${x(point.time)}" cy="${y(point.value)}" r="2.5" fill="currentColor"><title>${escapeSvgText(`${point.label} on ${isoDay(point.time)} by ${who}`)}</title></circle>`,
    );
  }
  const label = `${trend.id} check-ins from ${isoDay(first)} to ${isoDay(points.at(-1)?.time ?? first)}`;
  return `<svg class="trend" xmlns="http://www.w3.org/2000/svg" width="${TREND_WIDTH}" height="${TREND_HEIGHT}" viewBox="0 0 ${TREND_WIDTH} ${TREND_HEIGHT}" role="img" aria-label="${escapeSvgText(label)}">${parts.join('')}</svg>`;
}

/** `Expected 62% of the way by today, actual 48% (14 points behind)`. */
export function expectedVsActualText(trend: KeyResultTrend): string {
  const actual = share(trend, trend.actualToDate);
  const actualText = formatProgress(Math.min(1, Math.max(0, actual)));
  if (trend.expectedToDate === undefined) return `Actual ${actualText} of the way; no expected line (no Due: date, or it is not after the first check-in).`;
  const expected = share(trend, trend.expectedToDate);
  // The gap between the two percentages shown, so that the sentence adds up.
  const gap = progressPercent(Math.min(1, Math.max(0, actual))) - progressPercent(Math.min(1, Math.max(0, expected)));
  const verdict = gap === 0 ? 'on the line' : gap > 0 ? `${gap} points ahead` : `${-gap} points behind`;
  return `Expected ${formatProgress(Math.min(1, Math.max(0, expected)))} of the way by today, actual ${actualText} (${verdict}).`;
}

/** The report's trends section; empty when no key result has check-ins. */
export function renderTrendsHtml(trends: readonly KeyResultTrend[] | undefined): string {
  if (!trends || trends.length === 0) return '';
  const shown = trends.slice(0, MAX_TREND_CHARTS);
  const cards = shown.map(
    (trend) =>
      `<figure class="trend-card"><figcaption><code>${escapeSvgText(trend.id)}</code> ${escapeSvgText(trend.title)}</figcaption>${renderTrendSvg(trend)}<p>${escapeSvgText(
        `${trend.points.length + trend.omittedPoints} check-ins · ${trend.baselineLabel} → ${trend.targetLabel}${trend.dueLabel ? ` by ${trend.dueLabel}` : ''}. ${expectedVsActualText(trend)}`,
      )}</p></figure>`,
  );
  const more = trends.length - shown.length;
  return `<section id="trends" class="panel">
<div class="panel-head"><h2>Key result trends</h2><p class="panel-note">Check-ins are the commits that changed <code>Current:</code> (an uncommitted value last); the dashed line runs from the baseline at the first check-in to the target on the due date; the vertical line is today.${more > 0 ? ` The first ${shown.length} of ${trends.length}.` : ''}</p></div>
${cards.join('\n')}
</section>`;
}

/** The trends as a Markdown table (no SVG): expected vs actual to date per key result. */
export function trendsMarkdownLines(trends: readonly KeyResultTrend[] | undefined, escape: (text: string) => string): string[] {
  if (!trends || trends.length === 0) return [];
  const shown = trends.slice(0, MAX_TREND_CHARTS);
  const lines = ['## Key result trends', '', '| Key result | Check-ins | Latest | Expected vs actual to date |', '|---|---:|---|---|'];
  for (const trend of shown) {
    const last = trend.points.at(-1);
    lines.push(
      `| \`${trend.id.replace(/[`|]/g, '')}\` ${escape(trend.title)} | ${trend.points.length + trend.omittedPoints} | ${escape(last ? `${last.label} (${isoDay(last.time)})` : '')} | ${escape(expectedVsActualText(trend))} |`,
    );
  }
  if (trends.length > shown.length) lines.push('', `…and ${trends.length - shown.length} more.`);
  return lines;
}
