/**
 * Code lenses above objectives and outcomes: what delivers them, with a command listing where;
 * objectives and measurable key results also show their progress.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CLEAN_WORKSPACE } from '../helpers/fixtures';
import { createService, md, range, sortByPosition } from '../helpers/memoryWorkspace';

describe('code lenses', () => {
  test('objectives and outcomes of the clean strategy say what delivers them; objectives and key results their progress', async () => {
    const t = await createService(CLEAN_WORKSPACE);
    const lenses = sortByPosition(t.service.getCodeLenses(t.doc('strategy.md')));
    // KR-1.1: (46 − 41) / (55 − 41) = 5/14 ≈ 35.7%. Key results without `Current:` are at 0%.
    // OBJ-1 is the mean of 5/14 and 0 ≈ 17.9%; OBJ-2 the mean of two zeros. Figures are rounded down.
    assert.deepEqual(
      lenses.map((lens) => [lens.range.start.line, lens.command?.title]),
      [
        [10, 'objective 17% · 2 key results · 2 outcomes · 2 requirements'],
        [12, 'KR 35% · objective 17%'],
        [18, 'KR 0% · objective 17%'],
        [23, '2 requirements'],
        [28, '1 requirement'],
        [31, 'objective 0% · 2 key results · 1 outcome · 1 requirement'],
        [33, 'KR 0% · objective 0%'],
        [37, 'KR 0% · objective 0%'],
        [42, '1 requirement'],
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
    assert.deepEqual(
      objectiveLocations.map((location) => location.range),
      [range(23, 4, 9), range(28, 4, 9)],
    );
  });

  test('an objective nothing supports and an outcome nothing delivers say so; their command lists no place, never an empty command', async () => {
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
    const lenses = sortByPosition(t.service.getCodeLenses(t.doc('s.md')));
    const places = (lens: (typeof lenses)[number]) => (lens.command!.arguments as [string, unknown, { uri: string }[]])[2].length;
    assert.deepEqual(
      lenses.map((lens) => [lens.range.start.line, lens.command?.title, lens.command?.command, places(lens)]),
      [
        [4, 'objective 0% · 1 key result · no outcome supports this yet', 'throughline.showReferences', 0],
        // A key result's lens shows progress; its command lists the outcomes that support it (none here).
        [5, 'KR 0% · objective 0%', 'throughline.showReferences', 0],
        [9, '0 key results · 1 outcome · 0 requirements', 'throughline.showReferences', 1],
        [10, 'no requirement delivers this yet', 'throughline.showReferences', 0],
      ],
    );
  });

  test('a requirement tracing two outcomes of one objective counts once', async () => {
    const t = await createService(CLEAN_WORKSPACE);
    // REQ-1.2 traces OUT-1 and OUT-2, which both support OBJ-1: 2 requirements, not 3.
    const objective = t.service.getCodeLenses(t.doc('strategy.md')).find((lens) => lens.range.start.line === 10)!;
    assert.match(objective.command!.title, /· 2 requirements$/);
  });

  test('near misses: requirements, documents and key results that cannot be measured get no lens; nor do files that take no part', async () => {
    const unmeasured = md`
      ---
      type: strategy
      id: STR-2
      ---
      ## OBJ-7: Nothing measurable yet
      - KR-7.1: No numbers yet
        Due: 2027-06-30
      - KR-7.2: Target equals baseline
        Baseline: 5
        Target: 5
      - KR-7.3: Current in another unit
        Baseline: 10%
        Target: 20%
        Current: 15 min
    `;
    const t = await createService({ ...CLEAN_WORKSPACE, 'readme.md': '## OBJ-1: Not an item\n', 'unmeasured.md': unmeasured });
    assert.deepEqual(t.service.getCodeLenses(t.doc('prds/checkout.md')), []);
    assert.deepEqual(t.service.getCodeLenses(t.doc('vision.md')), []);
    assert.deepEqual(t.service.getCodeLenses(t.doc('readme.md')), []);
    // No key result of OBJ-7 has a progress, so neither has the objective.
    assert.deepEqual(
      t.service.getCodeLenses(t.doc('unmeasured.md')).map((lens) => [lens.range.start.line, lens.command?.title]),
      [[4, '3 key results · no outcome supports this yet']],
    );
  });

  test('lenses follow edits in other files', async () => {
    const t = await createService(CLEAN_WORKSPACE);
    t.open('prds/ledger.md', CLEAN_WORKSPACE['prds/ledger.md']!.replace('Traces: OUT-3', 'Traces: OUT-1'));
    const titles = sortByPosition(t.service.getCodeLenses(t.doc('strategy.md'))).map((lens) => [lens.range.start.line, lens.command?.title]);
    assert.deepEqual(titles, [
      [10, 'objective 17% · 2 key results · 2 outcomes · 3 requirements'],
      [12, 'KR 35% · objective 17%'],
      [18, 'KR 0% · objective 17%'],
      [23, '3 requirements'],
      [28, '1 requirement'],
      [31, 'objective 0% · 2 key results · 1 outcome · 0 requirements'],
      [33, 'KR 0% · objective 0%'],
      [37, 'KR 0% · objective 0%'],
      [42, 'no requirement delivers this yet'],
    ]);
  });
});
