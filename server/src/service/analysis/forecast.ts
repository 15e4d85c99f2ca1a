/**
 * Key-result check-ins and forecasts: where a key result is heading, from the values its `Current:`
 * had over time (its check-ins, read from git history), and what it is worth at the end.
 *
 * The model is a straight line. With two or more check-ins (on different days) it is the
 * least-squares line through them; with one, the line from the baseline at the start of the
 * strategy's period through it. The line's value at `Due:` is the forecast; its progress fraction
 * (as `progressOf` computes it, so "lower is better" targets work) is the forecast grade, compared
 * with the grade the key result is expected to reach: 1.0 when it is committed (the default), 0.7
 * when it is aspirational. On track at or above the expected grade, at risk at 70% of it or more,
 * off track below.
 *
 * Everything here is pure and takes the check-ins as `HistoryQueries.checkIns` answers them; the
 * report's trend chart draws from the same `KeyResultOutlook`.
 */
import type { DecimalSeparator, FiscalYear } from '../model/config';
import { attributeOf, type DocumentIndex, type Item } from '../model/model';
import { commitDay, type CheckIn, type HistoryCommit } from '../history/historyFold';
import { parseFigure, parseIsoDate, parsePeriod, type Period } from '../parse/quantity';
import { keyResultFigures, progressOf } from './progress';

export const DAY_MS = 86_400_000;

// Confidence and Commitment are read in confidence.ts (progress shows Confidence too).
export { EXPECTED_GRADE, parseCommitment, parseConfidence, type Commitment, type Confidence, type ConfidenceLevel } from './confidence';
import { EXPECTED_GRADE, parseCommitment, parseConfidence, type Commitment, type Confidence } from './confidence';

// ---- the linear model --------------------------------------------------------------------------

/** One check-in as a number: its time (ms since the epoch) and its value in the key result's base unit. */
export interface CheckInPoint {
  readonly time: number;
  readonly value: number;
}

export interface LinearTrend {
  /** Change per day, in the values' unit. */
  readonly slopePerDay: number;
  /** The line's value at `time`. */
  at(time: number): number;
  /** The check-ins (distinct days) the line was fitted to. */
  readonly checkIns: number;
  /** True when the line was drawn from the baseline at the period's start through the one check-in. */
  readonly anchored: boolean;
}

/**
 * The least-squares line through the points (two or more distinct times), or, with one, the line
 * from `anchor` (the baseline at the period's start) through it when the anchor is earlier.
 * Undefined when there is no line to draw. Points on the same day count once, the last one.
 */
export function linearTrend(points: readonly CheckInPoint[], anchor?: CheckInPoint): LinearTrend | undefined {
  const byDay = new Map<number, CheckInPoint>();
  for (const point of points) if (Number.isFinite(point.time) && Number.isFinite(point.value)) byDay.set(Math.floor(point.time / DAY_MS), point);
  const distinct = [...byDay.values()];
  if (distinct.length === 0) return undefined;
  if (distinct.length === 1) {
    const only = distinct[0]!;
    if (!anchor || !(anchor.time < only.time) || !Number.isFinite(anchor.value)) return undefined;
    const slope = (only.value - anchor.value) / (only.time - anchor.time);
    return { slopePerDay: slope * DAY_MS, at: (time) => only.value + slope * (time - only.time), checkIns: 1, anchored: true };
  }
  // In days from the first point, so the sums stay small.
  const origin = distinct[0]!.time;
  let sx = 0;
  let sy = 0;
  for (const point of distinct) {
    sx += (point.time - origin) / DAY_MS;
    sy += point.value;
  }
  const n = distinct.length;
  const mx = sx / n;
  const my = sy / n;
  let sxy = 0;
  let sxx = 0;
  for (const point of distinct) {
    const dx = (point.time - origin) / DAY_MS - mx;
    sxy += dx * (point.value - my);
    sxx += dx * dx;
  }
  const slopePerDay = sxx > 0 ? sxy / sxx : 0;
  return { slopePerDay, at: (time) => my + slopePerDay * ((time - origin) / DAY_MS - mx), checkIns: n, anchored: false };
}

/** (value − baseline) / (target − baseline), clamped to 0–1, as `progressOf`; 0 when target equals baseline. */
export function gradeOf(value: number, baseline: number, target: number): number {
  if (target === baseline || !Number.isFinite(value)) return 0;
  return Math.min(1, Math.max(0, (value - baseline) / (target - baseline)));
}

export type ForecastStatus = 'on track' | 'at risk' | 'off track';

/** On track at or above the expected grade, at risk at 70% of it or more, off track below. */
export function statusOf(grade: number, expectedGrade: number): ForecastStatus {
  if (grade >= expectedGrade - 1e-9) return 'on track';
  if (grade >= 0.7 * expectedGrade - 1e-9) return 'at risk';
  return 'off track';
}

/** A grade in tenths, as OKR practice scores (0.0–1.0). */
export function roundGrade(progress: number): number {
  return Math.round(Math.min(1, Math.max(0, progress)) * 10) / 10;
}

export interface ForecastInput {
  /** Baseline and target in the values' unit. */
  readonly baseline: number;
  readonly target: number;
  /** Due, ms since the epoch. */
  readonly due: number;
  /** The start of the strategy's period, where a single check-in's line starts from the baseline. */
  readonly periodStart?: number;
  readonly points: readonly CheckInPoint[];
  /** 1.0 committed, 0.7 aspirational (`EXPECTED_GRADE`). */
  readonly expectedGrade: number;
}

export interface Forecast {
  readonly model: 'linear';
  /** Check-ins (distinct days) the line was drawn through. */
  readonly checkIns: number;
  /** One check-in, with the line from the baseline at the period's start. */
  readonly anchored: boolean;
  readonly slopePerDay: number;
  /** The line's value at Due, in the values' unit. */
  readonly value: number;
  /** The progress fraction of `value` (0–1). */
  readonly grade: number;
  readonly expectedGrade: number;
  readonly status: ForecastStatus;
  readonly due: number;
}

/** The linear forecast at Due, or why there is none (`not enough check-ins`). */
export function forecastAtDue(input: ForecastInput): { forecast: Forecast; note?: undefined } | { forecast?: undefined; note: string } {
  const anchor = input.periodStart !== undefined ? { time: input.periodStart, value: input.baseline } : undefined;
  const trend = linearTrend(input.points, anchor);
  if (!trend) {
    const some = input.points.length > 0;
    return { note: some ? 'not enough check-ins (one, and no period start before it to draw a line from)' : 'not enough check-ins' };
  }
  const value = trend.at(input.due);
  const grade = gradeOf(value, input.baseline, input.target);
  return {
    forecast: {
      model: 'linear',
      checkIns: trend.checkIns,
      anchored: trend.anchored,
      slopePerDay: trend.slopePerDay,
      value,
      grade,
      expectedGrade: input.expectedGrade,
      status: statusOf(grade, input.expectedGrade),
      due: input.due,
    },
  };
}

/** Where a straight line from the baseline at `start` to the target at `due` says the key result should be at `today` (fraction of the way, 0–1). */
export function expectedFraction(start: number, due: number, today: number): number | undefined {
  if (!(due > start)) return undefined;
  return Math.min(1, Math.max(0, (today - start) / (due - start)));
}

// ---- a key result's outlook --------------------------------------------------------------------

/** A check-in as views show it. */
export interface KeyResultCheckIn {
  /** The commit that wrote it; undefined for an edit not yet committed (dated today). */
  readonly commit: HistoryCommit | undefined;
  /** YYYY-MM-DD (UTC) of the commit, or today. */
  readonly date: string;
  readonly time: number;
  /** The `Current:` text. */
  readonly value: string;
  /** The value as a number in the key result's unit (its target's), when it is one in the baseline's dimension. */
  readonly number?: number;
}

export interface KeyResultForecast extends Forecast {
  /** The forecast value in the key result's unit, and written (`52%`, `12.5 days`). */
  readonly valueInUnit: number;
  /** The line's slope in the key result's unit per day: the line is `valueInUnit + slopePerDayInUnit × (t − due) / DAY_MS`. */
  readonly slopePerDayInUnit: number;
  readonly valueText: string;
  /** Due as YYYY-MM-DD. */
  readonly dueDate: string;
  /** "linear trend of 3 check-ins", "line from the baseline on 2027-01-01 through 1 check-in". */
  readonly modelText: string;
}

export interface KeyResultOutlook {
  readonly id: string;
  /** The unit values are given in (the target's; `%`, `days`, `USD`, `` for a plain number). */
  readonly unit: string;
  readonly baseline?: number;
  readonly target?: number;
  /** `Current:` now, in the key result's unit (the baseline when there is none, as progress counts it). */
  readonly current?: number;
  /** Progress now (`progressOf`), 0–1. */
  readonly progress?: number;
  readonly confidence?: Confidence;
  readonly commitment: Commitment;
  readonly expectedGrade: number;
  readonly due?: Date;
  readonly period?: Period;
  /** Oldest first; an uncommitted value last. */
  readonly checkIns: readonly KeyResultCheckIn[];
  readonly forecast?: KeyResultForecast;
  /** Why there is no forecast: no Due, not measurable, not enough check-ins. */
  readonly note?: string;
  /** Expected vs actual to date, on the straight line from the baseline at the period's start to the target at Due. */
  readonly pace?: { readonly expectedProgress: number; readonly expectedValue: number; readonly actualProgress: number };
  /** From the first numeric check-in to the last: change in the key result's unit, over how many days. */
  readonly trend?: { readonly delta: number; readonly days: number };
  /** Past Due (or the period's end): the grade it ended with, 0.0–1.0 in tenths. */
  readonly grade?: number;
  /** True when today is past Due or past the period's end. */
  readonly ended: boolean;
}

export interface OutlookOptions {
  readonly separator: DecimalSeparator;
  readonly today: Date;
  /** The key result's strategy period (`strategyPeriod`). */
  readonly period?: Period;
}

/** A strategy document's `period:` (calendar or fiscal), for the start of single-check-in lines and the end of grading. */
export function strategyPeriod(document: DocumentIndex | undefined, fiscalYear: FiscalYear): Period | undefined {
  if (document?.frontMatter?.type !== 'strategy') return undefined;
  return parsePeriod(document.frontMatter.data['period'], fiscalYear);
}

export function isoDay(time: number): string {
  return new Date(time).toISOString().slice(0, 10);
}

/** Everything views say about a key result's course: check-ins, forecast, pace, grade. */
export function keyResultOutlook(keyResult: Item, checkIns: readonly CheckIn[], options: OutlookOptions): KeyResultOutlook {
  const { separator, today, period } = options;
  const figures = keyResultFigures(keyResult, separator);
  const { baseline, target } = figures;
  const progress = progressOf(figures);
  const confidence = parseConfidence(attributeOf(keyResult, 'confidence')?.value);
  const commitment = parseCommitment(attributeOf(keyResult, 'commitment')?.value) ?? 'committed';
  const expectedGrade = EXPECTED_GRADE[commitment];
  const due = parseIsoDate(attributeOf(keyResult, 'due')?.value);
  const measurable = progress !== undefined && baseline !== undefined && target !== undefined;
  // Base units to the key result's unit: the target's, or the baseline's when the target is 0.
  const factor = target && target.value !== 0 ? target.base / target.value : baseline && baseline.value !== 0 ? baseline.base / baseline.value : 1;
  const inUnit = (base: number) => base / (factor || 1);
  const unit = target?.unit ?? baseline?.unit ?? '';
  const todayTime = today.getTime();
  const points: CheckInPoint[] = [];
  const listed: KeyResultCheckIn[] = [];
  for (const checkIn of checkIns) {
    const time = checkIn.commit ? checkIn.commit.time : todayTime;
    const quantity = parseFigure(checkIn.value, separator).quantity;
    const numeric = quantity && baseline && quantity.dimension === baseline.dimension ? quantity.base : undefined;
    if (numeric !== undefined) points.push({ time, value: numeric });
    listed.push({
      commit: checkIn.commit,
      date: checkIn.commit ? commitDay(checkIn.commit) : isoDay(time),
      time,
      value: checkIn.value,
      ...(numeric !== undefined ? { number: inUnit(numeric) } : {}),
    });
  }
  const ended = (due !== undefined && todayTime > due.getTime()) || (period !== undefined && todayTime > period.end.getTime() + DAY_MS - 1);
  let forecast: KeyResultForecast | undefined;
  let note: string | undefined;
  if (!measurable) note = 'not measurable (baseline, target or current missing or in other units)';
  else if (!due) note = 'no Due date';
  else {
    const result = forecastAtDue({
      baseline: baseline.base,
      target: target.base,
      due: due.getTime(),
      ...(period ? { periodStart: period.start.getTime() } : {}),
      points,
      expectedGrade,
    });
    if (result.forecast) {
      const valueInUnit = inUnit(result.forecast.value);
      forecast = {
        ...result.forecast,
        valueInUnit,
        slopePerDayInUnit: inUnit(result.forecast.slopePerDay),
        valueText: formatValue(valueInUnit, unit),
        dueDate: isoDay(due.getTime()),
        modelText: result.forecast.anchored
          ? `line from the baseline on ${isoDay(period!.start.getTime())} through 1 check-in`
          : `linear trend of ${result.forecast.checkIns} check-ins`,
      };
    } else note = result.note;
  }
  let pace: KeyResultOutlook['pace'];
  if (measurable && due && period) {
    const fraction = expectedFraction(period.start.getTime(), due.getTime(), todayTime);
    if (fraction !== undefined)
      pace = { expectedProgress: fraction, expectedValue: inUnit(baseline.base + fraction * (target.base - baseline.base)), actualProgress: progress };
  }
  const numeric = listed.filter((checkIn) => checkIn.number !== undefined);
  const first = numeric[0];
  const last = numeric.at(-1);
  const trend = first && last && numeric.length >= 2 ? { delta: last.number! - first.number!, days: Math.round((last.time - first.time) / DAY_MS) } : undefined;
  return {
    id: keyResult.id,
    unit,
    ...(baseline ? { baseline: inUnit(baseline.base) } : {}),
    ...(target ? { target: target.value } : {}),
    ...(measurable ? { current: inUnit(figures.current?.base ?? baseline.base) } : {}),
    ...(progress !== undefined ? { progress } : {}),
    ...(confidence ? { confidence } : {}),
    commitment,
    expectedGrade,
    ...(due ? { due } : {}),
    ...(period ? { period } : {}),
    checkIns: listed,
    ...(forecast ? { forecast } : {}),
    ...(note !== undefined ? { note } : {}),
    ...(pace ? { pace } : {}),
    ...(trend ? { trend } : {}),
    ...(ended && progress !== undefined ? { grade: roundGrade(progress) } : {}),
    ended,
  };
}

// ---- wording -----------------------------------------------------------------------------------

/** A number as views write it: whole from 100, one decimal from 10, two below; no trailing zeros. */
export function formatNumber(value: number): string {
  const size = Math.abs(value);
  const digits = size >= 100 ? 0 : size >= 10 ? 1 : 2;
  const rounded = Number(value.toFixed(digits));
  return (Object.is(rounded, -0) ? 0 : rounded).toLocaleString('en-US', { maximumFractionDigits: digits });
}

/** `52%`, `12.5 days`, `1,200 USD`, `3`. */
export function formatValue(value: number, unit: string): string {
  if (unit === '%') return `${formatNumber(value)}%`;
  return unit === '' ? formatNumber(value) : `${formatNumber(value)} ${unit}`;
}

/** `+2 pts` for percentages, `−3 days`, `+1,200 USD`. */
export function formatDelta(delta: number, unit: string): string {
  const sign = delta > 0 ? '+' : delta < 0 ? '−' : '±';
  const size = formatNumber(Math.abs(delta));
  if (unit === '%') return `${sign}${size} pts`;
  return unit === '' ? `${sign}${size}` : `${sign}${size} ${unit}`;
}

/** The grade as OKR practice writes it: `0.7`, `1.0`. */
/**
 * A grade to one decimal, rounded down as percentages are (common/wording.ts): 0.96 is "0.9", so
 * that "grade 1.0" is never shown beside "at risk" for a forecast just short of the target.
 */
export function formatGrade(grade: number): string {
  return (Math.floor(grade * 10 + 1e-9) / 10).toFixed(1);
}

const SPARKS = '▁▂▃▄▅▆▇█';

/** `▁▃▅█`: one bar per value, scaled between the lowest and highest (all middle bars when they are equal). */
export function sparkline(values: readonly number[]): string {
  const finite = values.filter((value) => Number.isFinite(value));
  if (finite.length === 0) return '';
  const low = Math.min(...finite);
  const high = Math.max(...finite);
  return finite.map((value) => (high === low ? SPARKS[3]! : SPARKS[Math.round(((value - low) / (high - low)) * (SPARKS.length - 1))]!)).join('');
}

/** `+2 pts in 30 days · forecast 52% by 2027-06-30 · at risk` (the parts there are), or undefined. */
export function describeOutlook(outlook: KeyResultOutlook): string | undefined {
  const parts: string[] = [];
  if (outlook.trend) parts.push(`${formatDelta(outlook.trend.delta, outlook.unit)} in ${outlook.trend.days === 1 ? '1 day' : `${outlook.trend.days} days`}`);
  if (outlook.forecast && !outlook.ended) parts.push(`forecast ${outlook.forecast.valueText} by ${outlook.forecast.dueDate}`, outlook.forecast.status);
  return parts.length ? parts.join(' · ') : undefined;
}
