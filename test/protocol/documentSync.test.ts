/**
 * didOpen / didChange (incremental) / didClose: the edited document's diagnostics follow the
 * editor text, and so do those of other documents that depend on it (which stay closed).
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { copyExample, hasCode, lacksCode, positionOf, startClient, type LspClient, type TempWorkspace } from './lspClient';

const GUEST = 'prds/guest-checkout.md';
const STRATEGY = 'strategy/payments-2027-h1.md';
const REMINDERS = 'prds/smart-reminders.md';

const onLine = (line: number) => (diagnostic: { range: { start: { line: number } } }) => diagnostic.range.start.line === line;

describe('document sync', () => {
  let workspace: TempWorkspace;
  let client: LspClient;
  let guestUri: string;
  let strategyUri: string;
  let guestText: string;

  before(async () => {
    workspace = await copyExample(undefined, 'sync');
    client = await startClient({ folders: [workspace.root] });
    guestUri = workspace.uri(GUEST);
    strategyUri = workspace.uri(STRATEGY);
    guestText = await workspace.read(GUEST);
    await client.waitForDiagnostics(strategyUri, hasCode('orphan-outcome', onLine(66)));
  });
  after(async () => {
    await client?.stop();
    await workspace?.dispose();
  });

  describe('an opened PRD', () => {
    test('didOpen with the disk text keeps the same diagnostics', async () => {
      await client.open(guestUri, guestText, 1);
      const diagnostics = await client.waitForDiagnostics(guestUri, hasCode('untraced-requirement'));
      assert.deepEqual(
        diagnostics.map((diagnostic) => diagnostic.range.start.line),
        [37],
      );
    });

    test('an incremental insert of `Traces: OUT-4` clears untraced-requirement here and orphan-outcome on OUT-4 in the closed strategy', async () => {
      const heading = positionOf(guestText, '### REQ-1.4: Show a receipt page after payment');
      const endOfHeading = { line: heading.line, character: '### REQ-1.4: Show a receipt page after payment'.length };
      await client.change(guestUri, [{ range: { start: endOfHeading, end: endOfHeading }, text: '\nTraces: OUT-4' }]);
      await client.waitForDiagnostics(guestUri, lacksCode('untraced-requirement'));
      const strategy = await client.waitForDiagnostics(strategyUri, lacksCode('orphan-outcome', onLine(66)));
      assert.ok(hasCode('orphan-outcome', onLine(99))(strategy), 'OUT-7 is still an orphan');
      assert.ok(hasCode('unmeasurable-key-result')(strategy), 'unrelated diagnostics stay');
    });

    test('hover on the inserted reference reflects the edit (the index follows the editor text)', async () => {
      const hover = await client.hover(guestUri, 38, 10);
      assert.ok(hover, 'hover on OUT-4 in the new Traces line');
      assert.match(JSON.stringify(hover.contents), /OUT-4/);
      assert.deepEqual(hover.range, { start: { line: 38, character: 8 }, end: { line: 38, character: 13 } });
    });

    test('an incremental delete of that line brings both diagnostics back', async () => {
      await client.change(guestUri, [{ range: { start: { line: 37, character: 46 }, end: { line: 38, character: 13 } }, text: '' }]);
      await client.waitForDiagnostics(guestUri, hasCode('untraced-requirement', onLine(37)));
      await client.waitForDiagnostics(strategyUri, hasCode('orphan-outcome', onLine(66)));
    });

    test('several changes in one notification are applied in order, and ranges move with inserted lines', async () => {
      // Two inserts at the top of the body; the second is expressed in coordinates after the first.
      const body = positionOf(guestText, '# PRD-1');
      await client.change(guestUri, [
        { range: { start: body, end: body }, text: 'Intro line one.\n' },
        { range: { start: { line: body.line + 1, character: 0 }, end: { line: body.line + 1, character: 0 } }, text: 'Intro line two.\n\n' },
      ]);
      await client.waitForDiagnostics(guestUri, hasCode('untraced-requirement', onLine(40)));
      await client.change(guestUri, [{ range: { start: body, end: { line: body.line + 3, character: 0 } }, text: '' }]);
      await client.waitForDiagnostics(guestUri, hasCode('untraced-requirement', onLine(37)));
    });

    test('columns are UTF-16 code units (an emoji before a prose mention counts twice)', async () => {
      const end = { line: guestText.split('\n').length - 1, character: 0 };
      await client.change(guestUri, [{ range: { start: end, end }, text: '\nÉté 🚀 see OUT-98 later.\n' }]);
      const diagnostics = await client.waitForDiagnostics(guestUri, hasCode('unknown-reference'));
      const unknown = diagnostics.find((diagnostic) => diagnostic.code === 'unknown-reference')!;
      // "Été 🚀 see " is 11 UTF-16 code units (🚀 is a surrogate pair).
      assert.deepEqual(unknown.range, { start: { line: end.line + 1, character: 11 }, end: { line: end.line + 1, character: 17 } });
      await client.change(guestUri, [{ range: { start: end, end: { line: end.line + 2, character: 0 } }, text: '' }]);
      await client.waitForDiagnostics(guestUri, lacksCode('unknown-reference'));
    });

    test('didClose without saving falls back to the file on disk', async () => {
      await client.change(guestUri, [{ range: { start: { line: 37, character: 46 }, end: { line: 37, character: 46 } }, text: '\nTraces: OUT-4' }]);
      await client.waitForDiagnostics(strategyUri, lacksCode('orphan-outcome', onLine(66)));
      await client.close(guestUri);
      await client.waitForDiagnostics(guestUri, hasCode('untraced-requirement', onLine(37)));
      await client.waitForDiagnostics(strategyUri, hasCode('orphan-outcome', onLine(66)));
    });
  });

  describe('opening with text that differs from the disk', () => {
    beforeEach(async () => {
      await client.waitForDiagnostics(guestUri, hasCode('untraced-requirement', onLine(37)));
    });

    test('didOpen (version 1) with unsaved text: the editor text wins', async () => {
      const edited = guestText.replace('### REQ-1.4: Show a receipt page after payment\n', '### REQ-1.4: Show a receipt page after payment\nTraces: OUT-4\n');
      await client.open(guestUri, edited, 1);
      await client.waitForDiagnostics(guestUri, lacksCode('untraced-requirement'));
      await client.waitForDiagnostics(strategyUri, lacksCode('orphan-outcome', onLine(66)));
      await client.close(guestUri);
      await client.waitForDiagnostics(strategyUri, hasCode('orphan-outcome', onLine(66)));
    });

    test('didOpen with version 0 (as Neovim sends) also indexes the editor text, not the disk copy', async () => {
      const edited = guestText.replace('### REQ-1.4: Show a receipt page after payment\n', '### REQ-1.4: Show a receipt page after payment\nTraces: OUT-4\n');
      await client.open(guestUri, edited, 0);
      try {
        await client.waitForDiagnostics(guestUri, lacksCode('untraced-requirement'), 3_000);
        await client.waitForDiagnostics(strategyUri, lacksCode('orphan-outcome', onLine(66)), 3_000);
      } finally {
        await client.close(guestUri);
      }
    });
  });

  describe('an edit in the strategy reaches closed PRDs', () => {
    test('defining OUT-14 in the open strategy clears unknown-reference in the closed smart-reminders PRD; undoing brings it back', async () => {
      const remindersUri = workspace.uri(REMINDERS);
      await client.waitForDiagnostics(remindersUri, hasCode('unknown-reference'));
      const strategyText = await workspace.read(STRATEGY);
      await client.open(strategyUri, strategyText, 1);
      const end = { line: strategyText.split('\n').length - 1, character: 0 };
      await client.change(strategyUri, [{ range: { start: end, end }, text: '\n### OUT-14: Reminders carry the amount\nSupports: KR-2.1\n' }]);
      const reminders = await client.waitForDiagnostics(remindersUri, lacksCode('unknown-reference'));
      assert.ok(hasCode('wrong-link-kind')(reminders));
      await client.change(strategyUri, [{ range: { start: end, end: { line: end.line + 3, character: 0 } }, text: '' }]);
      await client.waitForDiagnostics(remindersUri, hasCode('unknown-reference'));
      await client.close(strategyUri);
    });
  });

  describe('an untitled draft, with one folder open', () => {
    test('is checked against the folder: its links resolve, and count while it is open; closing it takes them back', async () => {
      const draft = 'untitled:Untitled-1';
      const text = ['---', 'type: prd', 'id: PRD-90', 'title: Draft', '---', '### REQ-90.1: Show the amount due', 'Traces: OUT-4, OUT-404', ''].join('\n');
      await client.open(draft, text, 1);
      const diagnostics = await client.waitForDiagnostics(draft, hasCode('unknown-reference'));
      // Only the ID the folder does not define: alone, the draft made OUT-4 unknown too.
      assert.deepEqual(
        diagnostics.filter((diagnostic) => diagnostic.code === 'unknown-reference').map((diagnostic) => diagnostic.range.start.character),
        [15],
      );
      // The draft traces to OUT-4, so the strategy's orphan-outcome on it goes.
      await client.waitForDiagnostics(strategyUri, lacksCode('orphan-outcome', onLine(66)));
      await client.close(draft);
      await client.waitForDiagnostics(draft, (list) => list.length === 0);
      await client.waitForDiagnostics(strategyUri, hasCode('orphan-outcome', onLine(66)));
    });
  });

  test('the server is still alive', () => {
    assert.ok(client.alive, client.stderr);
  });
});
