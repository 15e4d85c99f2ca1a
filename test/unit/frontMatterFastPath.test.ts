/**
 * The PRD front-matter fast path (`surelyValidPrdFrontMatter`) decides without zod only what the
 * schema accepts: whatever it accepts, `prdFrontMatter` accepts. It must also accept the shapes
 * PRDs are written in, or it saves nothing.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { FRONT_MATTER_SCHEMAS, HORIZONS, INNOVATION_TYPES, surelyValidPrdFrontMatter, TRACKS } from '../../server/src/service/model/schemas';
import { STATUSES } from '../../server/src/service/model/model';
import { findFrontMatter, parseFrontMatter } from '../../server/src/service/parse/frontMatter';
import { assertProperty } from '../helpers/property';

const MISSING = Symbol('missing');

/** Per key: values the schema accepts, and values it may not. */
const NAMES = { valid: ['Ana', '', ['Ana', 'Bo'], [], null], invalid: [3, [1], { name: 'Ana' }, ['Ana', null], true] };
const STRING_LISTS = { valid: [['a'], [], ['a', 'b'], null], invalid: ['a', [1], {}, [['a']], [null]] };
const enumValues = (values: readonly string[]) => ({
  valid: [...values, null],
  invalid: [values[0]!.toUpperCase(), `${values[0]} `, 'done', 1, [values[0]]],
});
const POOLS: Record<string, { valid: unknown[]; invalid: unknown[] }> = {
  type: { valid: ['prd'], invalid: ['PRD', 'vision', 1, null, MISSING] },
  id: { valid: ['PRD-1', 'PRD-checkout_v2', 'OUT-3.1'], invalid: ['prd-1', 'PRD-', 'PRD-1.', '', ' PRD-1', 12, null, ['PRD-1'], MISSING] },
  title: { valid: ['Checkout', '', null], invalid: [12, ['a'], { a: 1 }, true] },
  owner: NAMES,
  team: NAMES,
  tags: STRING_LISTS,
  stakeholders: STRING_LISTS,
  status: enumValues(STATUSES),
  updated: { valid: ['2026-01-02', null], invalid: ['2026-1-2', '2026-01-02T00:00', 20260102, new Date('x'), new Date('2026-01-02'), [], '2026-01-02\n'] },
  outcomes: { valid: [['OUT-1'], [], ['OUT-1', 'OUT-2.1'], null], invalid: [['out-1'], 'OUT-1', [1], [null], [['OUT-1']], { 0: 'OUT-1' }] },
  innovation: enumValues(INNOVATION_TYPES),
  track: enumValues(TRACKS),
  horizon: enumValues(HORIZONS),
  // Keys the schema does not know: a loose object passes them, whatever their value.
  reviewed_links: { valid: [['OUT-1 2026-12-02'], { a: 1 }, 5, null], invalid: [] },
  custom: { valid: ['x', [1, { a: [] }], NaN], invalid: [] },
  constructor: { valid: [1, 'x'], invalid: [] },
};

function frontMatter(choices: [string, unknown][], protoValue: unknown): Record<string, unknown> {
  const data: Record<string, unknown> = {};
  for (const [key, value] of choices) if (value !== MISSING) Object.defineProperty(data, key, { value, enumerable: true, writable: true, configurable: true });
  if (protoValue !== MISSING) Object.defineProperty(data, '__proto__', { value: protoValue, enumerable: true, writable: true, configurable: true });
  return data;
}

const schemaAccepts = (data: Record<string, unknown>) => FRONT_MATTER_SCHEMAS.prd.safeParse(data).success;

describe('PRD front-matter fast path', () => {
  test('whatever the fast path accepts, the schema accepts (valid and invalid values, unknown keys, an own __proto__ key)', () => {
    const keyChoice = (key: string) => {
      const pool = POOLS[key]!;
      return fc.constantFrom(...pool.valid, ...pool.invalid, MISSING).map((value) => [key, value] as [string, unknown]);
    };
    assertProperty(
      fc.property(fc.tuple(...Object.keys(POOLS).map(keyChoice)), fc.constantFrom(MISSING, 1, 'x', { a: 1 }), (choices, protoValue) => {
        const data = frontMatter(choices, protoValue);
        if (surelyValidPrdFrontMatter(data)) assert.ok(schemaAccepts(data), `the schema rejects ${JSON.stringify(data)}`);
      }),
      { numRuns: 3000 },
    );
  });

  test('each invalid value alone, in an otherwise valid front-matter, is left to the schema', () => {
    const base: [string, unknown][] = [
      ['type', 'prd'],
      ['id', 'PRD-1'],
    ];
    for (const [key, pool] of Object.entries(POOLS)) {
      for (const value of pool.invalid) {
        const data = frontMatter([...base.filter(([name]) => name !== key), [key, value]], MISSING);
        assert.equal(surelyValidPrdFrontMatter(data), false, `${key}: ${String(value)}`);
      }
    }
  });

  test('every key the schema knows is checked: a value of no shape the fast path knows is left to the schema', () => {
    // A key added to the schema without a case here falls to `default`, which must not pass it.
    for (const key of Object.keys(FRONT_MATTER_SCHEMAS.prd.shape)) {
      if (key === 'type' || key === 'id') continue;
      const data = frontMatter(
        [
          ['type', 'prd'],
          ['id', 'PRD-1'],
          [key, { unexpected: [1] }],
        ],
        MISSING,
      );
      assert.equal(surelyValidPrdFrontMatter(data), false, key);
    }
  });

  test('the shapes PRDs are written in are accepted without zod', () => {
    assertProperty(
      fc.property(
        fc.tuple(...Object.keys(POOLS).map((key) => fc.constantFrom(...POOLS[key]!.valid, MISSING).map((value) => [key, value] as [string, unknown]))),
        (choices) => {
          const data = frontMatter(
            choices.filter(([key]) => key !== 'type' && key !== 'id'),
            MISSING,
          );
          Object.assign(data, { type: 'prd', id: 'PRD-7' });
          assert.equal(surelyValidPrdFrontMatter(data), true, JSON.stringify(data));
          assert.ok(schemaAccepts(data));
        },
      ),
      { numRuns: 500 },
    );
  });

  test('through the parser: an accepted PRD has no problem, a near miss still reports one, worded by the schema', () => {
    const prd = (extra: string) =>
      `---\ntype: prd\nid: PRD-1\ntitle: Guest checkout\nstatus: review\noutcomes: [OUT-1, OUT-2]\nteam: Payments\n${extra}---\n\n# PRD-1\n`;
    const parse = (text: string) => parseFrontMatter(text, findFrontMatter(text)!);
    const accepted = parse(prd('innovation: core\nreviewed_links: [OUT-1 2026-12-02]\n'));
    assert.ok(accepted && surelyValidPrdFrontMatter(accepted.data));
    assert.deepEqual(accepted.problems, []);
    const nearMiss = parse(prd('outcomes_extra: 1\nupdated: 2026-1-2\n'));
    assert.ok(nearMiss);
    assert.deepEqual(
      nearMiss.problems.map((problem) => problem.message),
      ['`updated`: expected a date as YYYY-MM-DD'],
    );
  });
});
