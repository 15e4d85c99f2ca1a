/**
 * Rules over key-result check-ins (the values `Current:` had in git history, analysis/forecast.ts):
 * a forecast that misses the target by Due, and a key result nobody has checked in on for a while.
 * Without a history (no repository, a shallow clone) they stay silent, like the other history rules.
 */
import { commitDay } from '../history/historyFold';
import { plural } from '../../../../common/wording';
import { DAY_MS, formatGrade, formatValue, keyResultOutlook, strategyPeriod } from '../analysis/forecast';
import { staleCheckInDays } from '../model/thresholds';
import { attributeOf } from '../model/model';
import { defineRule, liveKeyResults } from './rule';

export const keyResultOffTrack = defineRule({
  name: 'key-result-off-track',
  severity: 'warning',
  description:
    "A key result's forecast misses its target by Due: the linear trend of its check-ins (its `Current:` values in git history) reaches less than 70% of the grade it is expected to reach (1.0 committed, 0.7 `Commitment: aspirational`).",
  details:
    "With one check-in, the line is drawn from the baseline at the start of the strategy's `period`. Not reported past Due (the key result then has a grade), for a finished or retired (`Status: cancelled` …) key result, or without history. See *Key-result check-ins and forecasts*.",
  check(context) {
    const { document, history, today, config } = context;
    const keyResults = liveKeyResults(document);
    if (keyResults.length === 0) return;
    const period = strategyPeriod(document, config.fiscalYear);
    for (const keyResult of keyResults) {
      const checkIns = history.checkIns(keyResult.id, document.uri);
      if (checkIns.length === 0) continue;
      const outlook = keyResultOutlook(keyResult, checkIns, { separator: config.decimalSeparator, today, ...(period ? { period } : {}) });
      const { forecast } = outlook;
      if (!forecast || outlook.ended || (outlook.progress ?? 0) >= 1 || forecast.status !== 'off track') continue;
      const target =
        attributeOf(keyResult, 'target')?.value.trim() || (outlook.target !== undefined ? formatValue(outlook.target, outlook.unit) : 'its target');
      const expected = outlook.commitment === 'aspirational' ? `${formatGrade(outlook.expectedGrade)} for an aspirational key result` : '1.0';
      context.report({
        span: keyResult.idSpan,
        message: `${keyResult.id} is off track: the ${forecast.modelText} forecasts ${forecast.valueText} by ${forecast.dueDate}, against a target of ${target} (grade ${formatGrade(forecast.grade)}, expected ${expected}).`,
      });
    }
  },
});

export const staleCheckIn = defineRule({
  name: 'stale-check-in',
  severity: 'info',
  description: ({ staleCheckInDays }) =>
    `A key result that is neither finished nor past Due has had no check-in (a change of its \`Current:\` in git history) for more than ${staleCheckInDays} days.`,
  details: 'Only key results with at least one check-in are measured, retired ones (`Status: cancelled` …) never; silent without history.',
  thresholds: [staleCheckInDays],
  check(context) {
    const { document, history, today, config } = context;
    const limit = config.thresholds.staleCheckInDays;
    for (const keyResult of liveKeyResults(document)) {
      const checkIns = history.checkIns(keyResult.id, document.uri);
      const last = checkIns.at(-1);
      // An uncommitted value is a check-in today.
      if (!last?.commit) continue;
      const days = Math.floor((today.getTime() - last.commit.time) / DAY_MS);
      if (days <= limit) continue;
      const outlook = keyResultOutlook(keyResult, [], { separator: config.decimalSeparator, today });
      if (outlook.ended || (outlook.progress ?? 0) >= 1) continue;
      context.report({
        span: keyResult.idSpan,
        // The message names the date, not the number of days, so that it reads the same every day
        // and a baseline (or --changed-since, which match problems by message) keeps matching it.
        message: `${keyResult.id} has had no check-in since ${commitDay(last.commit)} (\`Current: ${last.value}\`), more than ${plural(limit, 'day')} ago; update its \`Current:\`.`,
      });
    }
  },
});
