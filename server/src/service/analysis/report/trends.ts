/**
 * Key results' trends for the report: each check-in (a commit that changed `Current:`, and an
 * uncommitted value last) as a point in time, the straight expected line from the baseline to the
 * target by `Due:`, and "expected vs actual to date". Read from the history the service holds;
 * without one there are no trends.
 */
import type { ObjectiveProgress } from '../../../../../common/protocol';
import type { DecimalSeparator } from '../../model/config';
import type { HistoryQueries } from '../../history/strategyHistory';
import { parseFigure, parseIsoDate } from '../../parse/quantity';

/** Points kept per key result: the first check-in and the newest ones. */
export const MAX_TREND_POINTS = 60;
/** Key results with trends in one report. */
export const MAX_TRENDS = 200;

export interface TrendPoint {
  /** Milliseconds since the epoch: the commit's time, or today for an uncommitted value. */
  readonly time: number;
  /** The value in the baseline's base unit, comparable with `baseline` and `target`. */
  readonly value: number;
  /** The value as written. */
  readonly label: string;
  /** The commit's author and short ID; undefined for an uncommitted value. */
  readonly author?: string;
  readonly commit?: string;
}

export interface KeyResultTrend {
  readonly id: string;
  readonly title: string;
  readonly uri: string;
  readonly baseline: number;
  readonly target: number;
  readonly baselineLabel: string;
  readonly targetLabel: string;
  /** `Due:` as milliseconds (start of that day, UTC); undefined when not a date. */
  readonly due?: number;
  readonly dueLabel?: string;
  /** Oldest first, at most MAX_TREND_POINTS. */
  readonly points: readonly TrendPoint[];
  /** How many check-ins were left out (between the first and the newest kept). */
  readonly omittedPoints: number;
  readonly today: number;
  /** The expected line's value today, and the newest check-in's; undefined when there is no expected line. */
  readonly expectedToDate?: number;
  readonly actualToDate: number;
}

// ---- the expected line ---------------------------------------------------------------------------
// A straight line from the baseline at the first check-in to the target on the due date, flat
// after it. Kept apart so that a forecast model can take its place.

export interface ExpectedLine {
  readonly start: number;
  readonly baseline: number;
  readonly due: number;
  readonly target: number;
}

/** The expected value at `time`, or undefined before the line starts or when it has no length. */
export function expectedAt(line: ExpectedLine, time: number): number | undefined {
  if (!(line.due > line.start) || time < line.start) return undefined;
  const share = Math.min(1, (time - line.start) / (line.due - line.start));
  return line.baseline + share * (line.target - line.baseline);
}

// ---------------------------------------------------------------------------------------------

/** The trends of every key result with check-ins whose figures can be read as numbers of one dimension. */
export function keyResultTrends(
  objectives: readonly ObjectiveProgress[],
  dueOf: (id: string) => string | undefined,
  history: HistoryQueries,
  today: Date,
  separator: DecimalSeparator = '.',
): KeyResultTrend[] {
  const trends: KeyResultTrend[] = [];
  const seen = new Set<string>();
  for (const objective of objectives) {
    for (const keyResult of objective.keyResults) {
      if (trends.length >= MAX_TRENDS) return trends;
      if (seen.has(keyResult.id) || keyResult.retired !== undefined) continue;
      seen.add(keyResult.id);
      const baseline = parseFigure(keyResult.baseline, separator).quantity;
      const target = parseFigure(keyResult.target, separator).quantity;
      if (!baseline || !target || baseline.dimension !== target.dimension || baseline.base === target.base) continue;
      const checkIns = history.checkIns(keyResult.id, keyResult.uri);
      const all: TrendPoint[] = [];
      for (const checkIn of checkIns) {
        const value = parseFigure(checkIn.value, separator).quantity;
        if (!value || value.dimension !== baseline.dimension || !Number.isFinite(value.base)) continue;
        all.push({
          time: checkIn.commit?.time ?? today.getTime(),
          value: value.base,
          label: checkIn.value,
          ...(checkIn.commit ? { author: checkIn.commit.author, commit: checkIn.commit.sha.slice(0, 7) } : {}),
        });
      }
      if (all.length === 0) continue;
      const points = all.length > MAX_TREND_POINTS ? [all[0]!, ...all.slice(all.length - (MAX_TREND_POINTS - 1))] : all;
      const dueLabel = dueOf(keyResult.id);
      const due = parseIsoDate(dueLabel)?.getTime();
      const line = due === undefined ? undefined : { start: all[0]!.time, baseline: baseline.base, due, target: target.base };
      const expected = line && expectedAt(line, today.getTime());
      trends.push({
        id: keyResult.id,
        title: keyResult.title,
        uri: keyResult.uri,
        baseline: baseline.base,
        target: target.base,
        baselineLabel: keyResult.baseline ?? '',
        targetLabel: keyResult.target ?? '',
        ...(due !== undefined && dueLabel !== undefined ? { due, dueLabel } : {}),
        points,
        omittedPoints: all.length - points.length,
        today: today.getTime(),
        ...(expected !== undefined ? { expectedToDate: expected } : {}),
        actualToDate: all.at(-1)!.value,
      });
    }
  }
  return trends;
}
