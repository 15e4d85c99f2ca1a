/**
 * Workspace watch: files created, changed and deleted on disk, announced with
 * workspace/didChangeWatchedFiles as an editor's file watcher would.
 */
import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import type { WorkspaceSymbol } from 'vscode-languageserver-protocol';
import { copyExample, hasCode, lacksCode, startClient, type LspClient, type TempWorkspace } from './lspClient';

const CREATED = 1;
const CHANGED = 2;
const DELETED = 3;

const STRATEGY = 'strategy/payments-2027-h1.md';
const NEW_PRD = 'prds/forecasts.md';

const onLine = (line: number) => (diagnostic: { range: { start: { line: number } } }) => diagnostic.range.start.line === line;
const mentions = (id: string) => (diagnostic: { message: string }) => diagnostic.message.includes(id);

/** A PRD that plans for OUT-7 and OUT-4; REQ-9.2 traces `traces` (a typo of OUT-4, or OUT-4 itself). */
function prd(traces: string): string {
  return [
    '---',
    'type: prd',
    'id: PRD-9',
    'title: Cash-flow forecasts',
    'owner: ines.alves@acme.test',
    'status: draft',
    'updated: 2026-11-20',
    'outcomes: [OUT-7, OUT-4]',
    '---',
    '# PRD-9: Cash-flow forecasts',
    '',
    '## Requirements',
    '',
    '### REQ-9.1: Forecast the next 30 days of incoming payments',
    'Traces: OUT-7',
    '',
    '### REQ-9.2: Show the forecast on the dashboard',
    `Traces: ${traces}`,
    '',
  ].join('\n');
}

describe('workspace/didChangeWatchedFiles', () => {
  let workspace: TempWorkspace;
  let client: LspClient;
  let strategyUri: string;

  before(async () => {
    workspace = await copyExample(undefined, 'watch');
    client = await startClient({ folders: [workspace.root] });
    strategyUri = workspace.uri(STRATEGY);
    await client.waitForDiagnostics(strategyUri, hasCode('orphan-outcome', mentions('OUT-7')));
  });
  after(async () => {
    await client?.stop();
    await workspace?.dispose();
  });

  test('a created file is indexed: its own problems are published and OUT-7 is no longer an orphan', async () => {
    const uri = await workspace.write(NEW_PRD, prd('OUT-404'));
    await client.watched([{ uri, type: CREATED }]);
    const diagnostics = await client.waitForDiagnostics(uri, hasCode('unknown-reference', mentions('OUT-404')));
    assert.deepEqual(diagnostics.find((diagnostic) => diagnostic.code === 'unknown-reference')!.range, {
      start: { line: 17, character: 8 },
      end: { line: 17, character: 15 },
    });
    await client.waitForDiagnostics(strategyUri, lacksCode('orphan-outcome', mentions('OUT-7')));
    const symbols = await client.request<WorkspaceSymbol[]>('workspace/symbol', { query: 'REQ-9.1' });
    assert.ok(symbols.some((symbol) => symbol.name.startsWith('REQ-9.1') && 'range' in symbol.location && symbol.location.uri === uri));
  });

  test('a changed file is read again: the fixed reference clears its error and OUT-4 is no longer an orphan', async () => {
    const uri = await workspace.write(NEW_PRD, prd('OUT-4'));
    await client.watched([{ uri, type: CHANGED }]);
    await client.waitForDiagnostics(uri, (diagnostics) => diagnostics.length === 0);
    await client.waitForDiagnostics(strategyUri, lacksCode('orphan-outcome'));
  });

  test('a deleted file loses its diagnostics and its items; outcomes it delivered are orphans again', async () => {
    const uri = await workspace.write(NEW_PRD, prd('OUT-404'));
    await client.watched([{ uri, type: CHANGED }]);
    await client.waitForDiagnostics(uri, hasCode('unknown-reference'));
    await workspace.remove(NEW_PRD);
    await client.watched([{ uri, type: DELETED }]);
    await client.waitForDiagnostics(uri, (diagnostics) => diagnostics.length === 0);
    assert.ok(
      client.publishLog.some((entry) => entry.uri === uri && entry.diagnostics.length === 0),
      'an empty publish clears the deleted file',
    );
    await client.waitForDiagnostics(strategyUri, hasCode('orphan-outcome', mentions('OUT-7')));
    const symbols = await client.request<WorkspaceSymbol[]>('workspace/symbol', { query: 'REQ-9.1' });
    assert.deepEqual(
      symbols.filter((symbol) => symbol.name.startsWith('REQ-9.')),
      [],
    );
  });

  test('deleting the strategy turns every reference to its items into unknown-reference', async () => {
    const guestUri = workspace.uri('prds/guest-checkout.md');
    const visionText = await workspace.read(STRATEGY);
    await workspace.remove(STRATEGY);
    await client.watched([{ uri: strategyUri, type: DELETED }]);
    await client.waitForDiagnostics(strategyUri, (diagnostics) => diagnostics.length === 0);
    // REQ-1.1 `Traces: OUT-1` (line 24, 0-based) and the front-matter `outcomes: [OUT-1, OUT-2]` (line 7).
    const guest = await client.waitForDiagnostics(guestUri, hasCode('unknown-reference', onLine(24)));
    assert.ok(hasCode('unknown-reference', onLine(7))(guest), 'front-matter outcomes');
    assert.ok(guest.some((diagnostic) => diagnostic.code === 'unknown-reference' && diagnostic.message.includes('OUT-1')));
    await client.waitForDiagnostics(workspace.uri('prds/ledger-sync.md'), hasCode('unknown-reference', mentions('OUT-5')));
    await client.waitForDiagnostics(workspace.uri('prds/refund-permissions.md'), hasCode('unknown-reference', mentions('OUT-6')));
    // wrong-link-kind on OBJ-2 becomes unknown-reference: OBJ-2 is gone too.
    await client.waitForDiagnostics(
      workspace.uri('prds/smart-reminders.md'),
      (diagnostics) => !diagnostics.some((diagnostic) => diagnostic.code === 'wrong-link-kind') && hasCode('unknown-reference', mentions('OBJ-2'))(diagnostics),
    );

    const tree = await client.request<{ roots: { id?: string }[] }>('throughline/alignmentTree', {});
    assert.ok(!JSON.stringify(tree).includes('"OBJ-1"'), 'the tree no longer has the deleted objectives');

    // Restore it: everything is as before.
    const uri = await workspace.write(STRATEGY, visionText);
    await client.watched([{ uri, type: CREATED }]);
    await client.waitForDiagnostics(guestUri, lacksCode('unknown-reference'));
    await client.waitForDiagnostics(strategyUri, hasCode('orphan-outcome', mentions('OUT-4')));
    await client.waitForDiagnostics(workspace.uri('prds/smart-reminders.md'), hasCode('wrong-link-kind'));
  });

  test('a deleted folder (one event for the folder) drops every file below it', async () => {
    const prdsUris = ['prds/guest-checkout.md', 'prds/ledger-sync.md', 'prds/refund-permissions.md', 'prds/smart-reminders.md'].map((file) =>
      workspace.uri(file),
    );
    const saved = await Promise.all(
      ['guest-checkout', 'ledger-sync', 'refund-permissions', 'smart-reminders'].map((name) => workspace.read(`prds/${name}.md`)),
    );
    await rm(workspace.path('prds'), { recursive: true });
    await client.watched([{ uri: workspace.uri('prds'), type: DELETED }]);
    for (const uri of prdsUris) await client.waitForDiagnostics(uri, (diagnostics) => diagnostics.length === 0);
    // Nothing traces to any outcome any more: every live one is an orphan (the deprecated OUT-6 needs no requirement).
    await client.waitForDiagnostics(strategyUri, (diagnostics) => diagnostics.filter((diagnostic) => diagnostic.code === 'orphan-outcome').length === 6);
    const coverage = await client.request<{ requirements: number }>('throughline/coverage', {});
    assert.equal(coverage.requirements, 0);
    // Bring the folder back file by file.
    const names = ['guest-checkout', 'ledger-sync', 'refund-permissions', 'smart-reminders'];
    const created = await Promise.all(names.map((name, index) => workspace.write(`prds/${name}.md`, saved[index]!)));
    await client.watched(created.map((uri) => ({ uri, type: CREATED })));
    await client.waitForDiagnostics(workspace.uri('prds/guest-checkout.md'), hasCode('untraced-requirement'));
    await client.waitForDiagnostics(strategyUri, (diagnostics) => diagnostics.filter((diagnostic) => diagnostic.code === 'orphan-outcome').length === 2);
  });

  test('a disk change to an open document is ignored: the editor text wins', async () => {
    const guestUri = workspace.uri('prds/guest-checkout.md');
    const text = await workspace.read('prds/guest-checkout.md');
    await client.open(guestUri, text, 1);
    await workspace.write('prds/guest-checkout.md', text.replace('Priority: should\n\nThe receipt', 'Traces: OUT-4\nPriority: should\n\nThe receipt'));
    await client.watched([{ uri: guestUri, type: CHANGED }]);
    // Prove the notification was processed (a later request is answered after it), then check nothing changed.
    await client.request('throughline/coverage', {});
    await client.waitForDiagnostics(guestUri, hasCode('untraced-requirement', onLine(37)));
    assert.ok(hasCode('orphan-outcome', mentions('OUT-4'))(client.diagnostics.get(strategyUri) ?? []));
    // Closing the editor falls back to the (now fixed) disk text.
    await client.close(guestUri);
    await client.waitForDiagnostics(guestUri, lacksCode('untraced-requirement'));
    await client.waitForDiagnostics(strategyUri, lacksCode('orphan-outcome', mentions('OUT-4')));
  });

  test('a created file that is not Markdown is ignored', async () => {
    const uri = await workspace.write('notes.txt', 'REQ-77: Traces: OUT-404\n');
    await client.watched([{ uri, type: CREATED }]);
    const coverage = await client.request<{ requirements: number }>('throughline/coverage', {});
    assert.equal(coverage.requirements, 13, 'the 13 requirements of the acme PRDs, and no REQ-77');
    assert.equal(client.diagnostics.get(uri), undefined);
  });

  test('the server is still alive', () => {
    assert.ok(client.alive, client.stderr);
  });
});
