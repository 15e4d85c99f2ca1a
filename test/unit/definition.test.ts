/**
 * Go to definition from references in link attributes, front-matter and prose.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CLEAN_WORKSPACE, PRD, STRATEGY } from '../helpers/fixtures';
import { createService, positionOf, range } from '../helpers/memoryWorkspace';

describe('definition', () => {
  test('from a Traces reference to the outcome heading in another file', async () => {
    const t = await createService(CLEAN_WORKSPACE);
    const locations = t.service.getDefinition(t.doc('prds/checkout.md'), { line: 13, character: 10 });
    assert.deepEqual(locations, [{ uri: t.uri('strategy.md'), range: range(23, 4, 9) }]);
  });

  test('from the first and the last character of the ID (cursor before or after it)', async () => {
    const t = await createService(CLEAN_WORKSPACE);
    const expected = [{ uri: t.uri('strategy.md'), range: range(23, 4, 9) }];
    assert.deepEqual(t.service.getDefinition(t.doc('prds/checkout.md'), { line: 13, character: 8 }), expected);
    assert.deepEqual(t.service.getDefinition(t.doc('prds/checkout.md'), { line: 13, character: 13 }), expected);
  });

  test('from front-matter links and Supports to documents, objectives and key results', async () => {
    const t = await createService(CLEAN_WORKSPACE);
    const strategy = t.doc('strategy.md');
    assert.deepEqual(t.service.getDefinition(strategy, positionOf(STRATEGY, 'VIS-1', 2)), [{ uri: t.uri('vision.md'), range: range(2, 4, 9) }]);
    assert.deepEqual(t.service.getDefinition(strategy, { line: 24, character: 18 }), [{ uri: t.uri('strategy.md'), range: range(12, 2, 8) }]);
    assert.deepEqual(t.service.getDefinition(t.doc('prds/checkout.md'), positionOf(PRD, 'OUT-2', 1)), [{ uri: t.uri('strategy.md'), range: range(28, 4, 9) }]);
  });

  test('from prose, and from a PRD heading repeating its own ID to the front-matter', async () => {
    const prd = PRD.replace('## Requirements', '## Requirements\n\nThis delivers OUT-3 too.');
    const t = await createService({ ...CLEAN_WORKSPACE, 'prds/checkout.md': prd });
    const document = t.doc('prds/checkout.md');
    assert.deepEqual(t.service.getDefinition(document, positionOf(prd, 'OUT-3', 1)), [{ uri: t.uri('strategy.md'), range: range(42, 4, 9) }]);
    assert.deepEqual(t.service.getDefinition(document, { line: 8, character: 4 }), [{ uri: t.uri('prds/checkout.md'), range: range(2, 4, 9) }]);
  });

  test('a definition leads to itself; a duplicated ID to every definition', async () => {
    const duplicate = '---\ntype: strategy\nid: STR-2\n---\n### OUT-1: Again\n';
    const t = await createService({ ...CLEAN_WORKSPACE, 'dup.md': duplicate });
    const locations = t.service.getDefinition(t.doc('prds/checkout.md'), { line: 13, character: 10 });
    assert.deepEqual(
      [...locations].sort((a, b) => a.uri.localeCompare(b.uri)),
      [
        { uri: t.uri('dup.md'), range: range(4, 4, 9) },
        { uri: t.uri('strategy.md'), range: range(23, 4, 9) },
      ],
    );
    assert.equal(t.service.getDefinition(t.doc('dup.md'), { line: 4, character: 5 }).length, 2);
  });

  test('near misses: an unknown ID, plain text, an ID inside a code span', async () => {
    const prd = PRD + '\nSee OUT-99 and `OUT-1` in code.\n';
    const t = await createService({ ...CLEAN_WORKSPACE, 'prds/checkout.md': prd });
    const document = t.doc('prds/checkout.md');
    assert.deepEqual(t.service.getDefinition(document, positionOf(prd, 'OUT-99', 1)), []);
    assert.deepEqual(t.service.getDefinition(document, positionOf(prd, 'Guest checkout', 1, 1)), []);
    assert.deepEqual(t.service.getDefinition(document, positionOf(prd, '`OUT-1`', 2)), []);
  });
});
