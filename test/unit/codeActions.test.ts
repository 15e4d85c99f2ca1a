/**
 * Quick fixes: add a `Traces:` line naming a chosen outcome, "did you mean" for unknown IDs, and
 * creating an outcome stub in the strategy document. Each fix is applied and the result re-checked.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CodeActionKind, type CodeAction, type Diagnostic } from 'vscode-languageserver-types';
import { CLEAN_WORKSPACE, MINI_STRATEGY, STRATEGY } from '../helpers/fixtures';
import { createService, md, type TestService } from '../helpers/memoryWorkspace';

async function fixesFor(t: TestService, path: string, code: string): Promise<{ diagnostic: Diagnostic; actions: CodeAction[] }> {
  const [diagnostic] = t.diagnosticsOf(path, code);
  assert.ok(diagnostic, `expected a ${code} diagnostic in ${path}`);
  return { diagnostic, actions: t.service.getCodeActions(t.doc(path), [diagnostic]) };
}

/** Applies an action's edit to the workspace files and re-indexes from them. */
async function apply(t: TestService, action: CodeAction): Promise<void> {
  t.workspace.applyEdit(action.edit);
  await t.service.initialize();
}

describe('add Traces', () => {
  const prd = md`
    ---
    type: prd
    id: PRD-5
    outcomes: [OUT-3]
    ---
    ### REQ-5.1: Show a receipt after payment for the wallet
    Priority: should

    A receipt page confirms the amount.
  `;

  test('offers the PRD\u2019s declared outcomes first, then outcomes sharing words with the title', async () => {
    const t = await createService({ ...CLEAN_WORKSPACE, 'prds/receipt.md': prd });
    const { diagnostic, actions } = await fixesFor(t, 'prds/receipt.md', 'untraced-requirement');
    assert.deepEqual(
      actions.map((action) => action.title),
      [
        'Trace REQ-5.1 to OUT-3: Finance teams reconcile payments',
        'Trace REQ-5.1 to OUT-2: Payers use their own wallet',
        'Trace REQ-5.1 to OUT-1: Payers pay without an account',
      ],
    );
    assert.equal(actions[0]!.kind, CodeActionKind.QuickFix);
    assert.equal(actions[0]!.isPreferred, true);
    assert.equal(actions[1]!.isPreferred, false);
    assert.deepEqual(actions[0]!.diagnostics, [diagnostic]);
  });

  test('applying one writes the line below the attributes, and the error is gone', async () => {
    const t = await createService({ ...CLEAN_WORKSPACE, 'prds/receipt.md': prd });
    const { actions } = await fixesFor(t, 'prds/receipt.md', 'untraced-requirement');
    // OUT-3, the outcome the PRD declares, so that the requirement ends up consistent with its PRD.
    await apply(
      t,
      actions.find((action) => action.title.includes('OUT-3'))!,
    );
    assert.equal(t.workspace.text('prds/receipt.md'), prd.replace('Priority: should\n', 'Priority: should\nTraces: OUT-3\n'));
    assert.deepEqual(t.diagnosticsOf('prds/receipt.md', 'untraced-requirement'), []);
    assert.deepEqual(t.diagnostics('prds/receipt.md'), []);
  });

  test('a list-item requirement gets the Traces line indented under it; CRLF files keep CRLF', async () => {
    const list = '---\r\ntype: prd\r\nid: PRD-6\r\n---\r\n- REQ-6.1: Ledger export\r\n- REQ-6.2: Other\r\n  Traces: OUT-3\r\n';
    const t = await createService({ ...CLEAN_WORKSPACE, 'prds/list.md': list });
    const { actions } = await fixesFor(t, 'prds/list.md', 'untraced-requirement');
    await apply(
      t,
      actions.find((action) => action.title.includes('OUT-1'))!,
    );
    assert.equal(t.workspace.text('prds/list.md'), list.replace('- REQ-6.1: Ledger export\r\n', '- REQ-6.1: Ledger export\r\n  Traces: OUT-1\r\n'));
    assert.deepEqual(t.diagnosticsOf('prds/list.md', 'untraced-requirement'), []);
  });

  test('in a file with lone CR line endings the edit stays inside the line and the fix works', async () => {
    const text = '---\rtype: prd\rid: PRD-6\r---\r- REQ-6.1: Ledger export\r- REQ-6.2: Other\r  Traces: OUT-3\r';
    const t = await createService({ ...CLEAN_WORKSPACE, 'prds/cr.md': text });
    const { actions } = await fixesFor(t, 'prds/cr.md', 'untraced-requirement');
    const action = actions.find((candidate) => candidate.title.includes('OUT-1'))!;
    const [edit] = action.edit!.changes![t.uri('prds/cr.md')]!;
    // Line 4 is `- REQ-6.1: Ledger export` (24 characters).
    assert.deepEqual(edit!.range, { start: { line: 4, character: 24 }, end: { line: 4, character: 24 } });
    await apply(t, action);
    assert.equal(t.workspace.text('prds/cr.md'), text.replace('- REQ-6.1: Ledger export\r', '- REQ-6.1: Ledger export\r  Traces: OUT-1\r'));
    assert.deepEqual(t.diagnosticsOf('prds/cr.md', 'untraced-requirement'), []);
  });

  test('an existing Traces line without an ID gets the ID on it', async () => {
    for (const tracesLine of ['Traces:', 'Traces: ', 'Traces: TBD']) {
      const text = `---\ntype: prd\nid: PRD-7\n---\n### REQ-7.1: Something\n${tracesLine}\nPriority: must\n`;
      const t = await createService({ ...CLEAN_WORKSPACE, 'prds/empty.md': text });
      const { actions } = await fixesFor(t, 'prds/empty.md', 'untraced-requirement');
      await apply(
        t,
        actions.find((action) => action.title.includes('OUT-1'))!,
      );
      assert.deepEqual(t.diagnosticsOf('prds/empty.md', 'untraced-requirement'), [], JSON.stringify(t.workspace.text('prds/empty.md')));
      assert.match(t.workspace.text('prds/empty.md'), /\nTraces: (TBD, )?OUT-1\nPriority: must\n/);
    }
  });
});

describe('did you mean', () => {
  const prd = md`
    ---
    type: prd
    id: PRD-8
    outcomes: [OUT-1]
    ---
    ### REQ-8.1: Something
    Traces: OUT-14
  `;

  test('offers the nearest existing IDs; applying one fixes the reference', async () => {
    const t = await createService({ ...CLEAN_WORKSPACE, 'prds/typo.md': prd });
    const { actions } = await fixesFor(t, 'prds/typo.md', 'unknown-reference');
    const changes = actions.filter((action) => action.title.startsWith('Change to'));
    // OUT-1 is one edit away; OUT-2 and OUT-3 are two edits away, still within the limit for a six-character ID.
    assert.deepEqual(
      changes.map((action) => action.title),
      [
        'Change to OUT-1 (Payers pay without an account)',
        'Change to OUT-2 (Payers use their own wallet)',
        'Change to OUT-3 (Finance teams reconcile payments)',
      ],
    );
    assert.equal(changes[0]!.isPreferred, true);
    assert.equal(changes[1]!.isPreferred, false);
    await apply(t, changes[0]!);
    assert.equal(t.workspace.text('prds/typo.md'), prd.replace('OUT-14', 'OUT-1'));
    assert.deepEqual(t.diagnostics('prds/typo.md'), []);
  });

  test('is case-insensitive and lists at most three, closest first', async () => {
    const strategy = md`
      ---
      type: strategy
      id: STR-2
      ---
      - OUT-20: a
      - OUT-21: b
      - OUT-22: c
      - OUT-23: d
      - OUT-2X: e
    `;
    const typo = '---\ntype: prd\nid: PRD-8\n---\n### REQ-8.1: Something\nTraces: OUT-2x\n';
    const t = await createService({ 's.md': strategy, 'p.md': typo });
    const { actions } = await fixesFor(t, 'p.md', 'unknown-reference');
    const titles = actions.filter((action) => action.title.startsWith('Change to')).map((action) => action.title);
    assert.equal(titles.length, 3);
    assert.equal(titles[0], 'Change to OUT-2X (e)');
  });

  test('near miss: nothing close enough, no suggestion', async () => {
    const t = await createService({ ...CLEAN_WORKSPACE, 'prds/typo.md': prd.replace('OUT-14', 'OUT-777') });
    const { actions } = await fixesFor(t, 'prds/typo.md', 'unknown-reference');
    assert.deepEqual(
      actions.filter((action) => action.title.startsWith('Change to')),
      [],
    );
  });
});

describe('create an outcome stub', () => {
  test('appends the outcome to the strategy holding the outcomes this PRD uses; the reference then resolves', async () => {
    const prd = md`
      ---
      type: prd
      id: PRD-8
      outcomes: [OUT-3]
      ---
      ### REQ-8.1: Something
      Traces: OUT-3, OUT-99
    `;
    const other = '---\ntype: strategy\nid: STR-2\n---\n## OBJ-9: Elsewhere\n';
    const t = await createService({ ...CLEAN_WORKSPACE, 'a-other.md': other, 'prds/new.md': prd });
    const { actions } = await fixesFor(t, 'prds/new.md', 'unknown-reference');
    const create = actions.find((action) => action.title.startsWith('Create'))!;
    assert.equal(create.title, 'Create outcome OUT-99 in strategy.md');
    assert.equal(create.kind, CodeActionKind.QuickFix);
    await apply(t, create);
    assert.equal(t.workspace.text('strategy.md'), `${STRATEGY}\n### OUT-99: New outcome\nSupports: \n`);
    assert.equal(t.workspace.text('a-other.md'), other);
    assert.deepEqual(t.diagnosticsOf('prds/new.md', 'unknown-reference'), []);
    assert.equal(t.service.graph.definition('OUT-99')?.kind, 'outcome');
  });

  test('uses the heading depth of existing outcomes, and separates the stub from a last line without newline', async () => {
    const strategy = '---\ntype: strategy\nid: STR-1\n---\n## OBJ-1: One\n#### OUT-1: Deep\nSupports: OBJ-1';
    const prd = '---\ntype: prd\nid: PRD-1\n---\n### REQ-1: One\nTraces: OUT-1, OUT-2\n';
    const t = await createService({ 's.md': strategy, 'p.md': prd });
    const { actions } = await fixesFor(t, 'p.md', 'unknown-reference');
    await apply(
      t,
      actions.find((action) => action.title.startsWith('Create'))!,
    );
    assert.equal(t.workspace.text('s.md'), `${strategy}\n\n#### OUT-2: New outcome\nSupports: \n`);
  });

  test('near misses: no stub for an unknown ID of another kind, nor without any strategy document', async () => {
    const prd = '---\ntype: prd\nid: PRD-8\n---\n### REQ-8.1: Something\nTraces: OUT-3\nSee OBJ-99.\n';
    const t = await createService({ ...CLEAN_WORKSPACE, 'prds/new.md': prd });
    const { actions } = await fixesFor(t, 'prds/new.md', 'unknown-reference');
    assert.equal(
      actions.find((action) => action.title.startsWith('Create')),
      undefined,
    );
    const alone = await createService({ 'p.md': '---\ntype: prd\nid: PRD-1\n---\n### REQ-1: One\nTraces: OUT-5\n' });
    const found = await fixesFor(alone, 'p.md', 'unknown-reference');
    assert.equal(
      found.actions.find((action) => action.title.startsWith('Create')),
      undefined,
    );
  });
});

describe('what code actions ignore', () => {
  test('diagnostics of other sources, diagnostics without fix data, and stale documents', async () => {
    const t = await createService({ 's.md': MINI_STRATEGY, 'p.md': '---\ntype: prd\nid: PRD-1\n---\n### REQ-1: One\n' });
    const [diagnostic] = t.diagnosticsOf('p.md', 'untraced-requirement');
    assert.deepEqual(t.service.getCodeActions(t.doc('p.md'), [{ ...diagnostic!, source: 'markdownlint' }]), []);
    assert.deepEqual(t.service.getCodeActions(t.doc('p.md'), [{ ...diagnostic!, data: undefined }]), []);
    const stale = t.open('p.md');
    t.open('p.md');
    assert.deepEqual(t.service.getCodeActions(stale, [diagnostic!]), []);
  });
});
