/**
 * Code lenses above objectives and outcomes: what delivers them, with a command listing where.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CLEAN_WORKSPACE } from '../helpers/fixtures';
import { createService, md, range } from '../helpers/memoryWorkspace';

describe('code lenses', () => {
  test('objectives and outcomes of the clean strategy say what delivers them', async () => {
    const t = await createService(CLEAN_WORKSPACE);
    const lenses = t.service.getCodeLenses(t.doc('strategy.md'));
    assert.deepEqual(
      lenses.map((lens) => [lens.range.start.line, lens.command?.title]),
      [
        [10, '2 key results · 2 outcomes · 2 requirements'],
        [23, '2 requirements'],
        [28, '1 requirement'],
        [31, '1 key result · 1 outcome · 1 requirement'],
        [38, '1 requirement'],
      ],
    );
  });

  test('the command shows the places that deliver the item', async () => {
    const t = await createService(CLEAN_WORKSPACE);
    const outcome = t.service.getCodeLenses(t.doc('strategy.md')).find((lens) => lens.range.start.line === 23)!;
    assert.deepEqual(outcome.range, range(23, 4, 9));
    assert.equal(outcome.command!.command, 'throughline.showReferences');
    const [uri, position, locations] = outcome.command!.arguments as [string, unknown, { uri: string; range: unknown }[]];
    assert.equal(uri, t.uri('strategy.md'));
    assert.deepEqual(position, { line: 23, character: 4 });
    assert.deepEqual(locations, [
      { uri: t.uri('prds/checkout.md'), range: range(12, 4, 11) },
      { uri: t.uri('prds/checkout.md'), range: range(16, 4, 11) },
    ]);
    const objective = t.service.getCodeLenses(t.doc('strategy.md')).find((lens) => lens.range.start.line === 10)!;
    const objectiveLocations = (objective.command!.arguments as [string, unknown, { uri: string; range: unknown }[]])[2];
    assert.deepEqual(objectiveLocations.map((location) => location.range), [range(23, 4, 9), range(28, 4, 9)]);
  });

  test('an objective nothing supports and an outcome nothing delivers say so, without a command', async () => {
    const strategy = md`
      ---
      type: strategy
      id: STR-1
      ---
      ## OBJ-1: Lonely
      - KR-1.1: Key result
        Baseline: 1
        Target: 2
        Due: 2027-01-01
      ## OBJ-2: Supported but undelivered
      - OUT-2: Undelivered
        Supports: OBJ-2
    `;
    const t = await createService({ 's.md': strategy });
    const lenses = t.service.getCodeLenses(t.doc('s.md'));
    assert.deepEqual(
      lenses.map((lens) => [lens.range.start.line, lens.command?.title, lens.command?.command, lens.command?.arguments]),
      [
        [4, '1 key result · no outcome supports this yet', '', undefined],
        [9, '0 key results · 1 outcome · 0 requirements', 'throughline.showReferences', lenses[1]!.command!.arguments],
        [10, 'no requirement delivers this yet', '', undefined],
      ],
    );
  });

  test('a requirement tracing two outcomes of one objective counts once', async () => {
    const t = await createService(CLEAN_WORKSPACE);
    // REQ-1.2 traces OUT-1 and OUT-2, which both support OBJ-1: 2 requirements, not 3.
    const objective = t.service.getCodeLenses(t.doc('strategy.md')).find((lens) => lens.range.start.line === 10)!;
    assert.match(objective.command!.title, /· 2 requirements$/);
  });

  test('near misses: key results, requirements and documents get no lens; nor do files that take no part', async () => {
    const t = await createService({ ...CLEAN_WORKSPACE, 'readme.md': '## OBJ-1: Not an item\n' });
    assert.deepEqual(t.service.getCodeLenses(t.doc('prds/checkout.md')), []);
    assert.deepEqual(t.service.getCodeLenses(t.doc('vision.md')), []);
    assert.deepEqual(t.service.getCodeLenses(t.doc('readme.md')), []);
    const lines = t.service.getCodeLenses(t.doc('strategy.md')).map((lens) => lens.range.start.line);
    for (const keyResultLine of [12, 18, 33]) assert.ok(!lines.includes(keyResultLine));
  });

  test('lenses follow edits in other files', async () => {
    const t = await createService(CLEAN_WORKSPACE);
    t.open('prds/ledger.md', CLEAN_WORKSPACE['prds/ledger.md']!.replace('Traces: OUT-3', 'Traces: OUT-1'));
    const titles = t.service.getCodeLenses(t.doc('strategy.md')).map((lens) => [lens.range.start.line, lens.command?.title]);
    assert.deepEqual(titles, [
      [10, '2 key results · 2 outcomes · 3 requirements'],
      [23, '3 requirements'],
      [28, '1 requirement'],
      [31, '1 key result · 1 outcome · 0 requirements'],
      [38, 'no requirement delivers this yet'],
    ]);
  });
});
