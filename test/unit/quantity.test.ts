/**
 * Figures (issue 10, item 6): decimal separators per `decimalSeparator`, unit aliases and
 * conversions within a dimension, currency symbols and codes, k/M/bn, and trailing notes.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseFigure, parseQuantity } from '../../server/src/service/parse/quantity';
import { progressOf } from '../../server/src/service/analysis/progress';
import type { DecimalSeparator } from '../../server/src/service/model/config';

const value = (text: string, separator?: DecimalSeparator) => parseQuantity(text, separator)?.value;
const unit = (text: string) => parseQuantity(text)?.unit;

describe('decimal separator', () => {
  test("default '.': commas group thousands in threes, a point separates decimals", () => {
    assert.equal(value('1,200'), 1200);
    assert.equal(value('$2,500.50'), 2500.5);
    assert.equal(value('1,234,567'), 1234567);
    assert.equal(value('45.5 %'), 45.5);
    assert.equal(value('.5'), 0.5);
    assert.equal(value('1_000'), 1000);
  });

  test("default '.': `45,5` is never 455: it is a format problem with the reading 45.5, and no quantity", () => {
    assert.deepEqual(parseFigure('45,5 %'), { problem: { kind: 'format', text: '45,5', readings: ['45.5'], start: 0, end: 4 } });
    assert.equal(parseQuantity('45,5 %'), undefined);
    assert.deepEqual(parseFigure('1,2345').problem?.readings, ['1.2345']);
    assert.deepEqual(parseFigure('0,500').problem?.kind, 'format', 'a group cannot start with 0');
    assert.deepEqual(parseFigure('1.200,50').problem, { kind: 'format', text: '1.200,50', readings: ['1200.5'], start: 0, end: 8 });
  });

  test("',': points group thousands, a comma separates decimals; `45.5` is the problem then", () => {
    assert.equal(value('45,5 %', ','), 45.5);
    assert.equal(value('1.200,50 €', ','), 1200.5);
    assert.equal(value('1.800', ','), 1800);
    assert.deepEqual(parseFigure('45.5', ',').problem, { kind: 'format', text: '45.5', readings: ['45,5'], start: 0, end: 4 });
  });

  test("'auto': what the number shows; `1,800` and `1.800` are reported as ambiguous, not guessed", () => {
    assert.equal(value('45,5', 'auto'), 45.5);
    assert.equal(value('45.5', 'auto'), 45.5);
    assert.equal(value('1,234,567', 'auto'), 1234567);
    assert.equal(value('1.234.567', 'auto'), 1234567);
    assert.equal(value('1,200.5', 'auto'), 1200.5);
    assert.equal(value('1.200,5', 'auto'), 1200.5);
    assert.equal(value('0,125', 'auto'), 0.125, 'a leading 0 cannot start a group');
    assert.equal(value('1,8000', 'auto'), 1.8);
    assert.deepEqual(parseFigure('$1,800', 'auto').problem, { kind: 'ambiguous', text: '1,800', readings: ['1800', '1.8000'], start: 1, end: 6 });
    assert.equal(parseFigure('1.800', 'auto').problem?.kind, 'ambiguous');
    assert.equal(parseFigure('1,2.3,4', 'auto').problem?.kind, 'format');
  });
});

describe('units', () => {
  test('aliases: one canonical unit', () => {
    for (const text of ['9 days', '9 day', '9d', '9 D']) assert.equal(unit(text), 'days', text);
    for (const text of ['4 hours', '4 hour', '4h', '4 hr', '4 hrs']) assert.equal(unit(text), 'hours', text);
    for (const text of ['1 minute', '1 min', '1 mins', '1 minutes']) assert.equal(unit(text), 'minutes', text);
    for (const text of ['3 s', '3 sec', '3 seconds']) assert.equal(unit(text), 'seconds', text);
    for (const text of ['2 weeks', '2 w', '2 wk']) assert.equal(unit(text), 'weeks', text);
    for (const text of ['44%', '44 %', '44 pct', '44 percent', '44 per cent']) assert.equal(unit(text), '%', text);
    for (const text of ['€40', '40 €', '40 EUR', 'EUR 40', '40 eur', '40 euros']) assert.equal(unit(text), 'EUR', text);
    for (const text of ['$40', '40 USD', 'USD 40', '40 $']) assert.equal(unit(text), 'USD', text);
    for (const text of ['£40', '40 GBP']) assert.equal(unit(text), 'GBP', text);
    assert.equal(unit('12 story points'), 'story points');
    assert.equal(unit('12'), '');
  });

  test('near misses: `m` is no unit alias (minutes, months or metres?), `¥` is no code (JPY or CNY?), a code needs a space before the number', () => {
    assert.equal(unit('5 m'), 'm');
    assert.equal(unit('¥500'), '¥');
    assert.equal(parseQuantity('EUR40'), undefined);
    assert.equal(unit('40 CHF'), 'CHF');
  });

  test('k, M and bn multiply when glued to the number; not the start of a word', () => {
    assert.equal(value('250k'), 250_000);
    assert.equal(value('250K users'), 250_000);
    assert.equal(unit('250k users'), 'users');
    assert.equal(value('$1.2M'), 1_200_000);
    assert.equal(value('€1.2m'), 1_200_000, 'a lower-case m after a currency is millions');
    assert.equal(value('$3bn'), 3e9);
    assert.equal(value('$3B'), 3e9);
    assert.equal(unit('5kg'), 'kg');
    assert.equal(value('5kg'), 5);
    assert.equal(unit('3min'), 'minutes');
    assert.equal(value('3m'), 3, 'no currency: `m` is a unit, not millions');
  });

  test('conversions within a dimension make progress: `9 days → 1 day`, `4 hours → 1 minute`, € and EUR', () => {
    const figures = (baseline: string, target: string, current?: string) => ({
      baselineText: baseline,
      targetText: target,
      currentText: current,
      baseline: parseQuantity(baseline),
      target: parseQuantity(target),
      current: parseQuantity(current),
      weight: 1,
    });
    assert.equal(progressOf(figures('9 days', '1 day', '5 days')), 0.5);
    assert.equal(progressOf(figures('4 hours', '1 minute', '120.5 minutes')), 0.5);
    assert.equal(progressOf(figures('2 weeks', '0 days', '7 d')), 0.5);
    assert.equal(progressOf(figures('€1,000', '2,000 EUR', 'EUR 1,500')), 0.5);
    assert.equal(progressOf(figures('1 year', '6 months', '9 months')), 0.5);
    assert.equal(progressOf(figures('40%', '60 pct', '50 percent')), 0.5);
    assert.equal(progressOf(figures('$1M', '$2M', '$1.5M')), 0.5);
    // Near misses: different dimensions never compare.
    assert.equal(progressOf(figures('€1,000', '$2,000', '$1,500')), undefined);
    assert.equal(progressOf(figures('3 months', '10 days', '5 days')), undefined, 'months do not convert to days');
  });
});

describe('notes after the value', () => {
  test('parentheses, brackets, dashes and semicolons start a note, kept without its brackets', () => {
    assert.deepEqual(parseQuantity('44% (check-in March)'), { value: 44, unit: '%', dimension: '%', base: 44, note: 'check-in March' });
    assert.equal(parseQuantity('44% — after the March release')?.note, 'after the March release');
    assert.equal(parseQuantity('44 % – after March')?.note, 'after March');
    assert.equal(parseQuantity('44% - after March')?.note, 'after March');
    assert.equal(parseQuantity('44%; estimated')?.note, 'estimated');
    assert.equal(parseQuantity('44%, estimated')?.note, 'estimated');
    assert.equal(parseQuantity('12 days [team estimate]')?.note, 'team estimate');
    assert.equal(parseQuantity('44 (check-in March)')?.unit, '');
    assert.equal(parseQuantity('44%')?.note, undefined);
  });

  test('near misses: text without a delimiter is no note, and the figure is not a number', () => {
    assert.equal(parseQuantity('44% after March'), undefined);
    assert.equal(parseQuantity('44% !'), undefined);
    assert.equal(parseQuantity('44%-ish'), undefined);
  });
});
