/**
 * Key-result check-ins (issue 13): the linear forecast, Confidence and Commitment, the grade past
 * Due, the rules key-result-off-track and stale-check-in, and how hover and code lenses show them.
 * The history is an in-memory fold fed synthetic commits, as a host would feed it from git.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { MarkupContent } from 'vscode-languageserver-types';
import {
  DAY_MS,
  forecastAtDue,
  formatDelta,
  formatGrade,
  formatValue,
  keyResultOutlook,
  linearTrend,
  parseCommitment,
  parseConfidence,
  sparkline,
  statusOf,
} from '../../server/src/service/analysis/forecast';
import { createService, md, positionOf, type TestService } from '../helpers/memoryWorkspace';
import type { AlignmentNode } from '../../common/protocol';
import { renderReportHtml, renderReportMarkdown } from '../../server/src/report';

const day = (iso: string) => Date.parse(`${iso}T00:00:00Z`);

describe('forecast math', () => {
  test('least squares through the check-ins; the value at Due gives the grade', () => {
    // 41, 42, 43 on three days a month apart: about one point a month.
    const points = [
      { time: day('2026-08-01'), value: 41 },
      { time: day('2026-08-31'), value: 42 },
      { time: day('2026-09-30'), value: 43 },
    ];
    const trend = linearTrend(points)!;
    assert.equal(trend.checkIns, 3);
    assert.ok(Math.abs(trend.slopePerDay - 1 / 30) < 1e-9);
    const result = forecastAtDue({ baseline: 40, target: 60, due: day('2026-12-29'), points, expectedGrade: 1 });
    assert.ok(result.forecast);
    assert.ok(Math.abs(result.forecast.value - 46) < 1e-9);
    assert.ok(Math.abs(result.forecast.grade - 0.3) < 1e-9);
    assert.equal(result.forecast.status, 'off track');
  });

  test('lower is better: a falling line toward a lower target is progress', () => {
    const points = [
      { time: day('2027-01-01'), value: 38 },
      { time: day('2027-02-01'), value: 31 },
      { time: day('2027-03-01'), value: 24 },
    ];
    const result = forecastAtDue({ baseline: 38, target: 10, due: day('2027-06-30'), points, expectedGrade: 1 });
    assert.equal(result.forecast?.status, 'on track');
    assert.equal(result.forecast?.grade, 1);
    // Rising time to pay is no progress at all.
    const worse = forecastAtDue({
      baseline: 38,
      target: 10,
      due: day('2027-06-30'),
      points: points.map((p, i) => ({ ...p, value: 38 + i })),
      expectedGrade: 1,
    });
    assert.equal(worse.forecast?.grade, 0);
    assert.equal(worse.forecast?.status, 'off track');
  });

  test('one check-in: the line from the baseline at the period start, or not enough check-ins without one', () => {
    const points = [{ time: day('2027-04-01'), value: 47.5 }];
    // 2027-01-01 → 2027-04-01 is 90 days for +7.5; to 2027-06-30 (90 days more) +7.5 again: 55.
    const anchored = forecastAtDue({ baseline: 40, target: 55, due: day('2027-06-30'), periodStart: day('2027-01-01'), points, expectedGrade: 1 });
    assert.equal(anchored.forecast?.anchored, true);
    assert.equal(anchored.forecast?.checkIns, 1);
    assert.ok(Math.abs(anchored.forecast!.value - 55) < 1e-9);
    assert.equal(anchored.forecast?.status, 'on track');
    const alone = forecastAtDue({ baseline: 40, target: 55, due: day('2027-06-30'), points, expectedGrade: 1 });
    assert.equal(alone.forecast, undefined);
    assert.match(alone.note!, /not enough check-ins/);
    assert.equal(forecastAtDue({ baseline: 40, target: 55, due: day('2027-06-30'), points: [], expectedGrade: 1 }).note, 'not enough check-ins');
    // Two values on one day are one check-in, the later one.
    assert.equal(
      linearTrend([
        { time: day('2027-04-01'), value: 1 },
        { time: day('2027-04-01') + 3600_000, value: 2 },
      ]),
      undefined,
    );
  });

  test('status against the expected grade: committed 1.0, aspirational 0.7', () => {
    assert.equal(statusOf(1, 1), 'on track');
    assert.equal(statusOf(0.7, 1), 'at risk');
    assert.equal(statusOf(0.69, 1), 'off track');
    assert.equal(statusOf(0.7, 0.7), 'on track');
    assert.equal(statusOf(0.49, 0.7), 'at risk');
    assert.equal(statusOf(0.48, 0.7), 'off track');
  });

  test('Confidence and Commitment are read leniently', () => {
    assert.deepEqual(parseConfidence('High'), { level: 'high', label: 'high' });
    assert.deepEqual(parseConfidence('med (after the pilot)'), { level: 'medium', label: 'medium' });
    assert.deepEqual(parseConfidence('7/10'), { level: 'high', score: 7, label: '7/10' });
    assert.deepEqual(parseConfidence(' 3 '), { level: 'low', score: 3, label: '3/10' });
    assert.equal(parseConfidence('11'), undefined);
    assert.equal(parseConfidence('sure'), undefined);
    assert.equal(parseCommitment('Aspirational'), 'aspirational');
    assert.equal(parseCommitment('stretch'), 'aspirational');
    assert.equal(parseCommitment('committed'), 'committed');
    assert.equal(parseCommitment('maybe'), undefined);
  });

  test('grades are shown to one decimal, rounded down: 0.96 is no "1.0" beside "at risk"', () => {
    assert.deepEqual([0.96, 1, 1.2, 0.3, 0.7, 0.69, 0].map(formatGrade), ['0.9', '1.0', '1.2', '0.3', '0.7', '0.6', '0.0']);
  });

  test('wording: sparkline, values and deltas', () => {
    assert.equal(sparkline([41, 43, 48]), '▁▃█');
    assert.equal(sparkline([5, 5]), '▄▄');
    assert.equal(formatValue(51.84, '%'), '51.8%');
    assert.equal(formatValue(12.5, 'days'), '12.5 days');
    assert.equal(formatDelta(2, '%'), '+2 pts');
    assert.equal(formatDelta(-3, 'minutes'), '−3 minutes');
  });
});

// ---- the service, with a synthetic history ------------------------------------------------------

const strategy = (currents: { kr11?: string; kr12?: string; extra?: string } = {}) => md`
  ---
  type: strategy
  id: STR-1
  period: 2026-H2
  ---
  # STR-1: Payments

  ## OBJ-1: Make paying effortless

  - KR-1.1: Invoice conversion
    Baseline: 40%
    Target: 60%
    Current: ${currents.kr11 ?? '40%'}
    Due: 2026-12-31${currents.extra ?? ''}
  - KR-1.2: Time to pay
    Baseline: 38 min
    Target: 10 min
    Current: ${currents.kr12 ?? '38 min'}
    Due: 2026-12-31
`;

/** A service over `strategy.md` whose history has one commit per entry, at its date, writing that text. */
async function withHistory(commits: readonly { date: string; text: string }[], working?: string, today?: Date): Promise<TestService> {
  const t = await createService({ 'strategy.md': working ?? commits.at(-1)!.text }, today ? { today } : {});
  const fold = t.service.newHistoryFold();
  commits.forEach((commit, index) => {
    fold.apply({ sha: `${index + 1}`.padStart(40, 'a'), time: day(commit.date) + 12 * 3600_000, author: 'Ana', subject: `check-in ${index + 1}` }, [
      { uri: t.uri('strategy.md'), text: commit.text },
    ]);
  });
  await t.service.setHistory(fold);
  return t;
}

const SLOW = [
  { date: '2026-08-01', text: strategy({ kr11: '41%', kr12: '37 min' }) },
  { date: '2026-08-31', text: strategy({ kr11: '42%', kr12: '36 min' }) },
  { date: '2026-09-30', text: strategy({ kr11: '43%', kr12: '35 min' }) },
];
const FAST = [
  { date: '2026-08-01', text: strategy({ kr11: '45%', kr12: '30 min' }) },
  { date: '2026-09-01', text: strategy({ kr11: '50%', kr12: '24 min' }) },
  { date: '2026-11-01', text: strategy({ kr11: '57%', kr12: '14 min' }) },
];

describe('key-result-off-track', () => {
  test('a slow linear trend that misses the target by Due is reported, naming forecast, target, Due and model', async () => {
    const t = await withHistory(SLOW);
    const found = t.diagnosticsOf('strategy.md', 'key-result-off-track');
    assert.deepEqual(
      found.map((diagnostic) => diagnostic.message),
      [
        'KR-1.1 is off track: the linear trend of 3 check-ins forecasts 46% by 2026-12-31, against a target of 60% (grade 0.3, expected 1.0).',
        'KR-1.2 is off track: the linear trend of 3 check-ins forecasts 31.9 minutes by 2026-12-31, against a target of 10 min (grade 0.2, expected 1.0).',
      ],
    );
    assert.equal(found[0]!.severity, 2);
  });

  test('near misses: a fast trend, no history, past Due, one check-in with an aspirational commitment within reach', async () => {
    assert.deepEqual((await withHistory(FAST)).diagnosticsOf('strategy.md', 'key-result-off-track'), []);
    const noHistory = await createService({ 'strategy.md': SLOW.at(-1)!.text });
    assert.deepEqual(noHistory.diagnosticsOf('strategy.md', 'key-result-off-track'), []);
    const pastDue = await withHistory(SLOW, undefined, new Date(Date.UTC(2027, 0, 15)));
    assert.deepEqual(pastDue.diagnosticsOf('strategy.md', 'key-result-off-track'), []);
    // One check-in, 50% on 2026-10-01: the line from 40% on 2026-07-01 reaches about 60% by Due.
    const one = await withHistory([{ date: '2026-10-01', text: strategy({ kr11: '50%', kr12: '24 min', extra: '\n    Commitment: aspirational' }) }]);
    assert.deepEqual(one.diagnosticsOf('strategy.md', 'key-result-off-track'), []);
  });
});

describe('stale-check-in', () => {
  test('no check-in for more than 30 days (today 2026-11-22, last 2026-09-30) is an info', async () => {
    const t = await withHistory(SLOW);
    const found = t.diagnosticsOf('strategy.md', 'stale-check-in');
    assert.deepEqual(
      found.map((diagnostic) => diagnostic.message),
      [
        'KR-1.1 has had no check-in since 2026-09-30 (`Current: 43%`), more than 30 days ago; update its `Current:`.',
        'KR-1.2 has had no check-in since 2026-09-30 (`Current: 35 min`), more than 30 days ago; update its `Current:`.',
      ],
    );
    assert.equal(found[0]!.severity, 3);
  });

  test('near misses: a recent check-in, an uncommitted edit, a finished or past-Due key result, no history, a higher threshold', async () => {
    assert.deepEqual((await withHistory(FAST)).diagnosticsOf('strategy.md', 'stale-check-in'), []);
    const edited = await withHistory(SLOW, strategy({ kr11: '44%', kr12: '34 min' }));
    assert.deepEqual(edited.diagnosticsOf('strategy.md', 'stale-check-in'), []);
    const done = await withHistory([{ date: '2026-08-01', text: strategy({ kr11: '60%', kr12: '10 min' }) }]);
    assert.deepEqual(done.diagnosticsOf('strategy.md', 'stale-check-in'), []);
    const pastDue = await withHistory(SLOW, undefined, new Date(Date.UTC(2027, 0, 15)));
    assert.deepEqual(pastDue.diagnosticsOf('strategy.md', 'stale-check-in'), []);
    assert.deepEqual((await createService({ 'strategy.md': SLOW.at(-1)!.text })).diagnosticsOf('strategy.md', 'stale-check-in'), []);
  });

  test('reformatting a value is no check-in: 43%, 43 % and 43.0% are one value; the stale clock is not reset', async () => {
    const reformatted = [
      ...SLOW,
      { date: '2026-11-01', text: strategy({ kr11: '43 %', kr12: '35 min' }) },
      { date: '2026-11-10', text: strategy({ kr11: '43.0%', kr12: '35 min' }) },
    ];
    const t = await withHistory(reformatted);
    assert.deepEqual(
      t.service.strategyHistory!.checkIns('KR-1.1', t.uri('strategy.md')).map((checkIn) => checkIn.value),
      ['41%', '42%', '43%'],
    );
    assert.match(t.diagnosticsOf('strategy.md', 'stale-check-in')[0]!.message, /^KR-1\.1 has had no check-in since 2026-09-30/);
    // An uncommitted reformatting is no check-in either; a new value is.
    const edited = await withHistory(reformatted, strategy({ kr11: '43.00 %', kr12: '35 min' }));
    assert.equal(edited.service.strategyHistory!.checkIns('KR-1.1', edited.uri('strategy.md')).length, 3);
    const moved = await withHistory(reformatted, strategy({ kr11: '44%', kr12: '35 min' }));
    assert.equal(moved.service.strategyHistory!.checkIns('KR-1.1', moved.uri('strategy.md')).length, 4);
    // Near misses: an estimate that became exact, or a value with a note, is a new check-in.
    for (const value of ['~43%', '43% (est.)']) {
      const noted = await withHistory(reformatted, strategy({ kr11: value, kr12: '35 min' }));
      assert.equal(noted.service.strategyHistory!.checkIns('KR-1.1', noted.uri('strategy.md')).length, 4, value);
    }
  });

  test('the threshold staleCheckInDays', async () => {
    const t = await createService({ 'strategy.md': SLOW.at(-1)!.text }, { settings: { thresholds: { staleCheckInDays: 60 } } });
    const fold = t.service.newHistoryFold();
    SLOW.forEach((commit, index) =>
      fold.apply({ sha: `${index}`.repeat(40), time: day(commit.date), author: 'Ana', subject: 's' }, [{ uri: t.uri('strategy.md'), text: commit.text }]),
    );
    await t.service.setHistory(fold);
    assert.deepEqual(t.diagnosticsOf('strategy.md', 'stale-check-in'), []);
  });
});

describe('Confidence and Commitment attributes', () => {
  test('a bad value is implausible-value; good ones are not', async () => {
    const t = await createService({
      'strategy.md': strategy({ extra: '\n    Confidence: sure\n    Commitment: maybe' }),
      'good.md': strategy({ extra: '\n    Confidence: 7/10\n    Commitment: Aspirational' })
        .replace('STR-1', 'STR-2')
        .replace(/KR-1/g, 'KR-9')
        .replace('OBJ-1', 'OBJ-9'),
    });
    assert.deepEqual(
      t.diagnosticsOf('strategy.md', 'implausible-value').map((diagnostic) => diagnostic.message),
      [
        'KR-1.1: Confidence sure is not read: write high, medium or low, or a score from 1 to 10.',
        'KR-1.1: Commitment maybe is not read: write committed (expected to reach 1.0) or aspirational (0.7); it counts as committed.',
      ],
    );
    assert.deepEqual(t.diagnosticsOf('good.md', 'implausible-value'), []);
  });

  test('Confidence is shown wherever progress is: tree node, report (HTML and Markdown); not when unreadable', async () => {
    const t = await createService({ 'strategy.md': strategy({ extra: '\n    Confidence: 7/10 (new data source)' }) });
    const keyResults = (nodes: readonly AlignmentNode[]): AlignmentNode[] =>
      nodes.flatMap((node) => [...(node.kind === 'keyResult' ? [node] : []), ...keyResults(node.children)]);
    const nodes = keyResults(t.service.getAlignmentTree().roots);
    assert.deepEqual(
      nodes.map((node) => [node.id, node.confidence]),
      [
        ['KR-1.1', '7/10'],
        ['KR-1.2', undefined],
      ],
    );
    const report = t.service.getStrategyReport();
    assert.match(renderReportHtml(report, { theme: 'standalone' }), /<span class="muted confidence" title="confidence">confidence 7\/10<\/span>/);
    assert.match(renderReportMarkdown(report), /· confidence 7\/10/);
    const unreadable = await createService({ 'strategy.md': strategy({ extra: '\n    Confidence: sure' }) });
    assert.equal(keyResults(unreadable.service.getAlignmentTree().roots)[0]!.confidence, undefined);
  });
});

describe('check-ins in hover and code lenses', () => {
  test('code lens: progress, status and confidence; no status without check-ins', async () => {
    const t = await withHistory(SLOW, strategy({ kr11: '43%', kr12: '35 min', extra: '\n    Confidence: low' }));
    const titles = t.service.getCodeLenses(t.doc('strategy.md')).map((lens) => lens.command?.title);
    assert.ok(titles.includes('KR 15% · off track · confidence low · objective 12%'), titles.join('\n'));
    const plain = await createService({ 'strategy.md': strategy({ kr11: '43%', extra: '\n    Confidence: high' }) });
    const plainTitles = plain.service.getCodeLenses(plain.doc('strategy.md')).map((lens) => lens.command?.title);
    assert.ok(plainTitles.includes('KR 15% · confidence high · objective 7%'), plainTitles.join('\n'));
  });

  test('one check-in from the period start: at risk when aspirational (expected 0.7), off track when committed', async () => {
    // 46% on 2026-10-01: the line from 40% on 2026-07-01 reaches about 52% by 2026-12-31, grade 0.59, shown rounded down as 0.5.
    const aspirational = await withHistory([{ date: '2026-10-01', text: strategy({ kr11: '46%', kr12: '38 min', extra: '\n    Commitment: aspirational' }) }]);
    const titles = aspirational.service.getCodeLenses(aspirational.doc('strategy.md')).map((lens) => lens.command?.title);
    assert.ok(titles.includes('KR 30% · at risk · objective 15%'), titles.join('\n'));
    // KR-1.2 (committed, no change from its baseline) is off track; KR-1.1 only at risk.
    assert.deepEqual(
      aspirational.diagnosticsOf('strategy.md', 'key-result-off-track').map((diagnostic) => diagnostic.message.slice(0, 6)),
      ['KR-1.2'],
    );
    const committed = await withHistory([{ date: '2026-10-01', text: strategy({ kr11: '46%', kr12: '38 min' }) }]);
    assert.deepEqual(
      committed
        .diagnosticsOf('strategy.md', 'key-result-off-track')
        .map((diagnostic) => diagnostic.message)
        .filter((message) => message.startsWith('KR-1.1')),
      [
        'KR-1.1 is off track: the line from the baseline on 2026-07-01 through 1 check-in forecasts 51.9% by 2026-12-31, against a target of 60% (grade 0.5, expected 1.0).',
      ],
    );
  });

  test('code lens and hover past Due: the grade in tenths', async () => {
    const t = await withHistory(SLOW, undefined, new Date(Date.UTC(2027, 0, 15)));
    const titles = t.service.getCodeLenses(t.doc('strategy.md')).map((lens) => lens.command?.title);
    assert.ok(titles.includes('KR 15% · grade 0.2 · objective 12%'), titles.join('\n'));
    const text = SLOW.at(-1)!.text;
    const hover = t.service.getHover(t.doc('strategy.md'), positionOf(text, 'KR-1.1', 1))!;
    assert.match((hover.contents as MarkupContent).value, /Grade: \*\*0\.2\*\* \(Due 2026-12-31 has passed\)/);
  });

  test('hover: sparkline, trend, forecast, status, pace and confidence', async () => {
    const text = strategy({ kr11: '43%', kr12: '35 min', extra: '\n    Confidence: medium' });
    const t = await withHistory(SLOW, text);
    const value = (t.service.getHover(t.doc('strategy.md'), positionOf(text, 'KR-1.1', 1))!.contents as MarkupContent).value;
    assert.match(value, /Check-ins: ▁▅█ 41% → 43% \(3 check-ins\) · \+2 pts in 60 days · forecast 46% by 2026-12-31 · off track/);
    assert.match(value, /To date: 43%, 15% of the way; the straight line from baseline to target expects 55\.7% \(78%\) by today\./);
    assert.match(value, /Confidence: medium/);
  });
});

describe('keyResultOutlook', () => {
  test('an uncommitted value is dated today and comes last', async () => {
    const t = await withHistory(SLOW, strategy({ kr11: '44%', kr12: '35 min' }));
    const item = t.service.graph.definition('KR-1.1')!;
    const outlook = keyResultOutlook(item, t.service.strategyHistory!.checkIns('KR-1.1', item.uri), {
      separator: '.',
      today: new Date(Date.UTC(2026, 10, 22)),
    });
    assert.deepEqual(
      outlook.checkIns.map((checkIn) => [checkIn.date, checkIn.commit ? 'committed' : 'uncommitted', checkIn.number]),
      [
        ['2026-08-01', 'committed', 41],
        ['2026-08-31', 'committed', 42],
        ['2026-09-30', 'committed', 43],
        ['2026-11-22', 'uncommitted', 44],
      ],
    );
    assert.equal(outlook.note, undefined);
    assert.equal(outlook.forecast?.checkIns, 4);
    assert.ok(Math.abs(DAY_MS - 86_400_000) === 0);
  });

  test('values in the key result unit: minutes stay minutes, the line is valueInUnit + slopePerDayInUnit × days from Due', async () => {
    const t = await withHistory(SLOW);
    const item = t.service.graph.definition('KR-1.2')!;
    const outlook = keyResultOutlook(item, t.service.strategyHistory!.checkIns('KR-1.2', item.uri), {
      separator: '.',
      today: new Date(Date.UTC(2026, 10, 22)),
    });
    assert.equal(outlook.unit, 'minutes');
    assert.deepEqual(
      outlook.checkIns.map((checkIn) => checkIn.number),
      [37, 36, 35],
    );
    const forecast = outlook.forecast!;
    assert.ok(Math.abs(forecast.slopePerDayInUnit + 1 / 30) < 1e-9);
    // The line passes through the mean check-in (36 min on 2026-08-31 at noon).
    const atMean = forecast.valueInUnit + (forecast.slopePerDayInUnit * (day('2026-08-31') + 12 * 3600_000 - forecast.due)) / DAY_MS;
    assert.ok(Math.abs(atMean - 36) < 1e-9);
    assert.equal(outlook.trend?.delta, -2);
    assert.equal(outlook.trend?.days, 60);
  });

  test('no Due: no forecast, and says why', async () => {
    const t = await withHistory(SLOW.map((commit) => ({ ...commit, text: commit.text.replace(/Due: 2026-12-31/g, 'Due: soon') })));
    const item = t.service.graph.definition('KR-1.1')!;
    const outlook = keyResultOutlook(item, t.service.strategyHistory!.checkIns('KR-1.1', item.uri), { separator: '.', today: new Date() });
    assert.equal(outlook.forecast, undefined);
    assert.equal(outlook.note, 'no Due date');
  });
});
