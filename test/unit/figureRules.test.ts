/** ambiguous-number and implausible-value (issue 10, item 6), and figures with notes in the rules and progress. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { applyTextEdits, createService, rangeOf } from '../helpers/memoryWorkspace';

const strategy = (figures: string) =>
  `---\ntype: strategy\nid: STR-1\nperiod: 2027\n---\n## OBJ-1: Objective\n\n- KR-1.1: Conversion rate\n  ${figures.split('\n').join('\n  ')}\n  Due: 2027-06-30\n`;

describe('ambiguous-number', () => {
  test("`Current: 45,5 %` with the default '.': a warning on the number, no progress, and a fix writing 45.5", async () => {
    const text = strategy('Baseline: 41%\nTarget: 55%\nCurrent: 45,5 %');
    const t = await createService({ 's.md': text });
    const diagnostics = t.diagnosticsOf('s.md', 'ambiguous-number');
    assert.deepEqual(
      diagnostics.map((diagnostic) => [diagnostic.range, diagnostic.message]),
      [
        [
          rangeOf(text, '45,5'),
          "KR-1.1: `Current:` 45,5 is not a number with `decimalSeparator: '.'` (`,` groups thousands in threes). Did you mean 45.5? Write that, or set `decimalSeparator` in .throughline.yml.",
        ],
      ],
    );
    assert.deepEqual(t.diagnosticsOf('s.md', 'key-result-target'), [], 'not reported twice');
    assert.equal(t.service.getCoverage().progress[0]?.keyResults[0]?.progress, undefined, 'never 455, never 100%');
    const actions = t.service.getCodeActions(t.doc('s.md'), diagnostics);
    assert.deepEqual(
      actions.map((action) => action.title),
      ['Write 45.5'],
    );
    const fixed = applyTextEdits(text, actions[0]!.edit!.changes![t.uri('s.md')]!);
    t.change('s.md', fixed);
    assert.deepEqual(t.diagnosticsOf('s.md', 'ambiguous-number'), []);
  });

  test('a number with no reading to offer says how to write it instead, as a sentence', async () => {
    const text = strategy('Baseline: 12,34,56\nTarget: 200000');
    const t = await createService({ 's.md': text });
    assert.deepEqual(
      t.diagnosticsOf('s.md', 'ambiguous-number').map((diagnostic) => diagnostic.message),
      [
        "KR-1.1: `Baseline:` 12,34,56 is not a number with `decimalSeparator: '.'` (`,` groups thousands in threes). Write it without thousands separators, or set `decimalSeparator` in .throughline.yml.",
      ],
    );
  });

  test("decimalSeparator ',' reads 45,5 as 45.5", async () => {
    const t = await createService({ '.throughline.yml': "decimalSeparator: ','\n", 's.md': strategy('Baseline: 41%\nTarget: 55%\nCurrent: 45,5 %') });
    assert.deepEqual(t.diagnosticsOf('s.md', 'ambiguous-number'), []);
    assert.deepEqual(t.diagnosticsOf('s.md', 'key-result-target'), []);
  });

  test('auto: `1,800` is reported with both readings as fixes; a baseline that is ambiguous is not also "unmeasurable"', async () => {
    const text = strategy('Baseline: $1,800\nTarget: $2,500.50');
    const t = await createService({ '.throughline.yml': 'decimalSeparator: auto\n', 's.md': text });
    const diagnostics = t.diagnosticsOf('s.md', 'ambiguous-number');
    assert.deepEqual(
      diagnostics.map((diagnostic) => [diagnostic.range, diagnostic.message]),
      [
        [
          rangeOf(text, '1,800'),
          'KR-1.1: `Baseline:` 1,800 reads as 1800 or 1.8000; write one of them, or set `decimalSeparator` (`.` or `,`) in .throughline.yml.',
        ],
      ],
    );
    assert.deepEqual(
      t.service.getCodeActions(t.doc('s.md'), diagnostics).map((action) => action.title),
      ['Write 1800', 'Write 1.8000'],
    );
    assert.deepEqual(t.diagnosticsOf('s.md', 'unmeasurable-key-result'), []);
  });

  test("near miss: `$1,200` under the default '.' is 1200, no warning", async () => {
    const t = await createService({ 's.md': strategy('Baseline: $1,200\nTarget: $1,500\nCurrent: $1,350') });
    assert.deepEqual(t.diagnosticsOf('s.md', 'ambiguous-number'), []);
    assert.equal(t.service.getCoverage().progress[0]?.keyResults[0]?.progress, 0.5);
  });
});

describe('implausible-value', () => {
  test('a Current percentage over 100 while baseline and target are within 0–100', async () => {
    const text = strategy('Baseline: 41%\nTarget: 55%\nCurrent: 455%');
    const t = await createService({ 's.md': text });
    assert.deepEqual(
      t.diagnosticsOf('s.md', 'implausible-value').map((diagnostic) => [diagnostic.range, diagnostic.message]),
      [[rangeOf(text, '455%'), 'KR-1.1: `Current:` 455%: a share of a whole is between 0% and 100%, as the baseline (41%) and target (55%) are.']],
    );
  });

  test('a negative duration or count', async () => {
    const text =
      strategy('Baseline: 9 days\nTarget: -1 day') +
      '\n- KR-1.2: Active users\n  Baseline: 100 users\n  Target: 200 users\n  Current: -20 users\n  Due: 2027-06-30\n';
    const t = await createService({ 's.md': text });
    assert.deepEqual(
      t.diagnosticsOf('s.md', 'implausible-value').map((diagnostic) => diagnostic.message),
      ['KR-1.1: `Target:` -1 day: a duration cannot be negative.', 'KR-1.2: `Current:` -20 users: a count of users cannot be negative.'],
    );
  });

  test('near misses: growth targets over 100%, negative money and points, a percentage of 100 exactly', async () => {
    const text =
      strategy('Baseline: 100%\nTarget: 250%\nCurrent: 180%') +
      '\n- KR-1.2: Net revenue\n  Baseline: -$2M\n  Target: $1M\n  Current: -$1M\n  Due: 2027-06-30\n' +
      '\n- KR-1.3: NPS\n  Baseline: -10 points\n  Target: 20 points\n  Due: 2027-06-30\n' +
      '\n- KR-1.4: Uptime\n  Baseline: 90%\n  Target: 100%\n  Current: 100%\n  Due: 2027-06-30\n';
    const t = await createService({ 's.md': text });
    assert.deepEqual(t.diagnosticsOf('s.md', 'implausible-value'), []);
  });
});

describe('notes after a figure', () => {
  test('`Current: 44% (check-in March)` and `44% — after the March release` are 44%', async () => {
    for (const current of ['44% (check-in March)', '44% — after the March release']) {
      const t = await createService({ 's.md': strategy(`Baseline: 40%\nTarget: 48%\nCurrent: ${current}`) });
      assert.deepEqual(t.diagnosticsOf('s.md', 'key-result-target'), [], current);
      assert.equal(t.service.getCoverage().progress[0]?.keyResults[0]?.progress, 0.5, current);
    }
  });
});
