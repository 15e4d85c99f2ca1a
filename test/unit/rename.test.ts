/**
 * Rename: prepareRename, renaming an ID across files (checked on the edited texts), and the
 * refusals (invalid ID, a prefix of another kind, a name already taken).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { RenameError } from '../../server/src/service';
import { CLEAN_WORKSPACE, PRD, PRD_2, STRATEGY, VISION } from '../helpers/fixtures';
import { createService, range } from '../helpers/memoryWorkspace';

describe('prepareRename', () => {
  test('on a definition or a reference: the ID range and the ID as placeholder', async () => {
    const t = await createService(CLEAN_WORKSPACE);
    assert.deepEqual(t.service.prepareRename(t.doc('strategy.md'), { line: 23, character: 6 }), { range: range(23, 4, 9), placeholder: 'OUT-1' });
    assert.deepEqual(t.service.prepareRename(t.doc('prds/checkout.md'), { line: 17, character: 16 }), { range: range(17, 15, 20), placeholder: 'OUT-2' });
  });

  test('refuses an ID defined nowhere, with a reason', async () => {
    const prd = PRD + '\nSee OUT-99.\n';
    const t = await createService({ ...CLEAN_WORKSPACE, 'prds/checkout.md': prd });
    assert.throws(
      () => t.service.prepareRename(t.doc('prds/checkout.md'), { line: 19, character: 6 }),
      (error: unknown) => error instanceof RenameError && /OUT-99 is not defined anywhere/.test(error.message),
    );
  });

  test('near miss: no ID under the cursor gives nothing to rename', async () => {
    const t = await createService(CLEAN_WORKSPACE);
    assert.equal(t.service.prepareRename(t.doc('strategy.md'), { line: 9, character: 0 }), undefined);
  });
});

describe('rename', () => {
  test('an outcome: its heading, the PRD front-matter and every Traces, leaving a clean workspace', async () => {
    const t = await createService(CLEAN_WORKSPACE);
    const edit = t.service.getRenameEdits(t.doc('prds/checkout.md'), { line: 13, character: 9 }, 'OUT-10');
    const changed = t.workspace.applyEdit(edit).sort();
    assert.deepEqual(changed, [t.uri('prds/checkout.md'), t.uri('strategy.md')]);
    assert.equal(t.workspace.text('strategy.md'), STRATEGY.replace('### OUT-1:', '### OUT-10:'));
    assert.equal(
      t.workspace.text('prds/checkout.md'),
      PRD.replace('[OUT-1, OUT-2]', '[OUT-10, OUT-2]').replace('Traces: OUT-1\n', 'Traces: OUT-10\n').replace('Traces: OUT-1, OUT-2', 'Traces: OUT-10, OUT-2'),
    );
    assert.equal(t.workspace.text('vision.md'), VISION);
    await t.service.initialize();
    for (const path of Object.keys(CLEAN_WORKSPACE)) assert.deepEqual(t.diagnostics(path), [], path);
    assert.equal(t.service.graph.definition('OUT-1'), undefined);
    assert.equal(t.service.graph.referencesTo('OUT-10').length, 3);
  });

  test('a key result with dots, and a document ID in front-matter and its heading', async () => {
    const t = await createService(CLEAN_WORKSPACE);
    t.workspace.applyEdit(t.service.getRenameEdits(t.doc('strategy.md'), { line: 12, character: 3 }, 'KR-1.1a'));
    assert.equal(t.workspace.text('strategy.md'), STRATEGY.replace('- KR-1.1:', '- KR-1.1a:').replace('Supports: OBJ-1, KR-1.1', 'Supports: OBJ-1, KR-1.1a'));
    t.workspace.applyEdit(t.service.getRenameEdits(t.doc('prds/ledger.md'), { line: 2, character: 5 }, 'PRD-20'));
    assert.equal(t.workspace.text('prds/ledger.md'), PRD_2.replace('id: PRD-2', 'id: PRD-20').replace('# PRD-2:', '# PRD-20:'));
  });

  test('a quoted front-matter ID keeps its quotes; the new name is trimmed', async () => {
    const vision = VISION.replace('id: VIS-1', 'id: "VIS-1"');
    const t = await createService({ ...CLEAN_WORKSPACE, 'vision.md': vision });
    t.workspace.applyEdit(t.service.getRenameEdits(t.doc('strategy.md'), { line: 4, character: 9 }, '  VIS-2 '));
    assert.equal(t.workspace.text('vision.md'), vision.replace('"VIS-1"', '"VIS-2"').replace('# VIS-1:', '# VIS-2:'));
    assert.equal(t.workspace.text('strategy.md'), STRATEGY.replace('vision: VIS-1', 'vision: VIS-2'));
  });

  test('leaves longer IDs and IDs inside code alone', async () => {
    const strategy = STRATEGY + '\n### OUT-10: Ten\nSupports: OBJ-1\n\n```\nOUT-1 in code\n```\n';
    const t = await createService({ ...CLEAN_WORKSPACE, 'strategy.md': strategy });
    t.workspace.applyEdit(t.service.getRenameEdits(t.doc('strategy.md'), { line: 23, character: 5 }, 'OUT-7'));
    const after = t.workspace.text('strategy.md');
    assert.ok(after.includes('### OUT-10: Ten'));
    assert.ok(after.includes('OUT-1 in code'));
    assert.ok(after.includes('### OUT-7: Payers pay without an account'));
  });

  test('renaming to the same name changes nothing', async () => {
    const t = await createService(CLEAN_WORKSPACE);
    assert.deepEqual(t.service.getRenameEdits(t.doc('strategy.md'), { line: 23, character: 5 }, 'OUT-1'), { changes: {} });
  });
});

describe('rename refusals', () => {
  const attempt = async (newName: string) => {
    const t = await createService(CLEAN_WORKSPACE);
    try {
      t.service.getRenameEdits(t.doc('strategy.md'), { line: 23, character: 5 }, newName);
    } catch (error) {
      assert.ok(error instanceof RenameError, String(error));
      return error.message;
    }
    return undefined;
  };

  test('an invalid ID', async () => {
    for (const name of ['out-1', 'OUT 1', 'OUT-', 'OUT-1-', '-1', 'OUT-1;DROP']) {
      assert.match((await attempt(name)) ?? 'no error', /is not a valid ID/, name);
    }
  });

  test('a prefix that would change the kind, or that is not configured', async () => {
    assert.equal(await attempt('OBJ-9'), 'OBJ-9 would not be an outcome: its prefix is for objectives.');
    assert.equal(await attempt('ABC-9'), 'ABC-9 would not be an outcome: its prefix is not configured.');
  });

  test('a name already taken', async () => {
    assert.equal(await attempt('OUT-2'), 'OUT-2 is already defined in strategy.md.');
  });

  test('near miss: a fresh valid name of the same kind is accepted', async () => {
    assert.equal(await attempt('OUT-2b'), undefined);
  });
});
