/**
 * Fiscal periods (issue 10, item 5): `FY27`, `FY2027`, `FY27-Q1`, `FY27-H2` per `fiscalYearStart`
 * and `fiscalYearNamedAfter`; calendar periods unchanged; `due-outside-period` and its quick fix.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parsePeriod } from '../../server/src/service/parse/quantity';
import { applyTextEdits, createService, rangeOf } from '../helpers/memoryWorkspace';
import type { FiscalYear } from '../../server/src/service/model/config';

const days = (period: unknown, fiscalYear?: FiscalYear) => {
  const bounds = parsePeriod(period, fiscalYear);
  return bounds && [bounds.start.toISOString().slice(0, 10), bounds.end.toISOString().slice(0, 10), bounds.fiscal];
};
const JULY_END: FiscalYear = { startMonth: 7, namedAfter: 'end' };
const JULY_START: FiscalYear = { startMonth: 7, namedAfter: 'start' };

describe('parsePeriod', () => {
  test('calendar periods, in any case, with `-` or a space, and an unquoted year', () => {
    assert.deepEqual(days('2027'), ['2027-01-01', '2027-12-31', false]);
    assert.deepEqual(days(2027), ['2027-01-01', '2027-12-31', false]);
    assert.deepEqual(days('2027-H2'), ['2027-07-01', '2027-12-31', false]);
    assert.deepEqual(days('2027-q1'), ['2027-01-01', '2027-03-31', false]);
    assert.deepEqual(days('2027 Q4'), ['2027-10-01', '2027-12-31', false]);
    assert.deepEqual(days('2027-Q1', JULY_END), ['2027-01-01', '2027-03-31', false], 'calendar quarters ignore the fiscal year');
  });

  test('fiscal years with the default January start are calendar years', () => {
    assert.deepEqual(days('FY27'), ['2027-01-01', '2027-12-31', true]);
    assert.deepEqual(days('FY2027'), ['2027-01-01', '2027-12-31', true]);
    assert.deepEqual(days('fy27-q2'), ['2027-04-01', '2027-06-30', true]);
  });

  test('fiscalYearStart july, named after the year it ends (the default): FY27 = 2026-07-01 to 2027-06-30', () => {
    assert.deepEqual(days('FY27', JULY_END), ['2026-07-01', '2027-06-30', true]);
    assert.deepEqual(days('FY2027', JULY_END), ['2026-07-01', '2027-06-30', true]);
    assert.deepEqual(days('FY27-Q1', JULY_END), ['2026-07-01', '2026-09-30', true]);
    assert.deepEqual(days('FY27-Q3', JULY_END), ['2027-01-01', '2027-03-31', true]);
    assert.deepEqual(days('FY27-H2', JULY_END), ['2027-01-01', '2027-06-30', true]);
    assert.deepEqual(days('FY 27 H1', JULY_END), ['2026-07-01', '2026-12-31', true]);
    assert.deepEqual(days('FY  27', JULY_END), undefined, 'one separator at most between FY and the year');
  });

  test('named after the year it starts: FY27 = 2027-07-01 to 2028-06-30', () => {
    assert.deepEqual(days('FY27', JULY_START), ['2027-07-01', '2028-06-30', true]);
    assert.deepEqual(days('FY27-Q4', JULY_START), ['2028-04-01', '2028-06-30', true]);
  });

  test('near misses: no two-digit calendar years, no third half, no fifth quarter', () => {
    for (const text of ['27', '2027-H3', '2027-Q5', 'FY', 'FY027', '2027-', 'Q1 2027', '20270', 2027.5, null])
      assert.equal(parsePeriod(text), undefined, String(text));
  });
});

const strategy = (period: string, due: string) =>
  `---\ntype: strategy\nid: STR-1\nperiod: ${period}\n---\n## OBJ-1: Objective\n\n- KR-1.1: Conversion rate\n  Baseline: 40%\n  Target: 50%\n  Due: ${due}\n`;

describe('due-outside-period with fiscal periods', () => {
  test('FY27 with fiscalYearStart july: a date in June 2027 is inside, July 2027 outside, with a quick fix to the last day', async () => {
    const config = 'fiscalYearStart: july\n';
    const inside = await createService({ '.throughline.yml': config, 's.md': strategy('FY27', '2027-06-30') });
    assert.deepEqual(inside.diagnosticsOf('s.md', 'due-outside-period'), []);
    const text = strategy('FY27', '2027-07-15');
    const outside = await createService({ '.throughline.yml': config, 's.md': text });
    const diagnostics = outside.diagnosticsOf('s.md', 'due-outside-period');
    assert.deepEqual(
      diagnostics.map((diagnostic) => [diagnostic.range, diagnostic.message]),
      [[rangeOf(text, '2027-07-15'), "KR-1.1 is due 2027-07-15, outside the strategy's fiscal period FY27 (2026-07-01 to 2027-06-30)."]],
    );
    const actions = outside.service.getCodeActions(outside.doc('s.md'), diagnostics);
    assert.deepEqual(
      actions.map((action) => action.title),
      ['Set the due date to the last day of the period (2027-06-30)'],
    );
    const fixed = applyTextEdits(text, actions[0]!.edit!.changes![outside.uri('s.md')]!);
    assert.equal(fixed, strategy('FY27', '2027-06-30'));
    outside.change('s.md', fixed);
    assert.deepEqual(outside.diagnosticsOf('s.md', 'due-outside-period'), []);
  });

  test('a date before the period is moved to its first day', async () => {
    const text = strategy('2027-H2', '2027-03-01');
    const t = await createService({ 's.md': text });
    const actions = t.service.getCodeActions(t.doc('s.md'), t.diagnosticsOf('s.md', 'due-outside-period'));
    assert.deepEqual(
      actions.map((action) => action.title),
      ['Set the due date to the first day of the period (2027-07-01)'],
    );
  });

  test('named after the start: FY27 with july is 2027-07-01 to 2028-06-30', async () => {
    const t = await createService({ '.throughline.yml': 'fiscalYearStart: 7\nfiscalYearNamedAfter: start\n', 's.md': strategy('FY27', '2028-06-30') });
    assert.deepEqual(t.diagnosticsOf('s.md', 'due-outside-period'), []);
    const before = await createService({ '.throughline.yml': 'fiscalYearStart: 7\nfiscalYearNamedAfter: start\n', 's.md': strategy('FY27', '2027-06-30') });
    assert.equal(before.diagnosticsOf('s.md', 'due-outside-period').length, 1);
  });

  test('an unquoted year is a period (no "expected string"), and dates inside it are fine', async () => {
    const t = await createService({ 's.md': strategy('2027', '2027-12-31') });
    assert.deepEqual(t.diagnosticsOf('s.md', 'front-matter'), []);
    assert.deepEqual(t.diagnosticsOf('s.md', 'due-outside-period'), []);
    const late = await createService({ 's.md': strategy('2027', '2028-01-01') });
    assert.equal(late.diagnosticsOf('s.md', 'due-outside-period').length, 1);
  });

  test('near miss: the default fiscal year starts in January, so FY27 is the calendar year 2027', async () => {
    const t = await createService({ 's.md': strategy('FY27', '2027-07-15') });
    assert.deepEqual(t.diagnosticsOf('s.md', 'due-outside-period'), []);
    assert.deepEqual(t.diagnosticsOf('s.md', 'front-matter'), []);
  });

  test('fiscalYearStart takes 1–12 or a month name; anything else is a config error and January applies', async () => {
    for (const value of ['july', 'Jul', '7', 'JULY']) {
      const t = await createService({ '.throughline.yml': `fiscalYearStart: ${value}\n`, 's.md': strategy('FY27', '2027-07-15') });
      assert.equal(t.service.config.fiscalYear.startMonth, 7, value);
    }
    for (const value of ['13', '0', 'juli', 'ju', '6.5']) {
      const t = await createService({ '.throughline.yml': `fiscalYearStart: ${value}\n`, 's.md': strategy('FY27', '2027-07-15') });
      assert.equal(t.service.config.fiscalYear.startMonth, 1, value);
      assert.match(t.diagnosticsOf('.throughline.yml', 'config')[0]?.message ?? '', /^`fiscalYearStart`: expected a month/, value);
    }
  });
});
