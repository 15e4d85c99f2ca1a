/**
 * Pull diagnostics: a client that supports `textDocument/diagnostic` is sent none and pulls them,
 * with result IDs; a workspace pull with nothing new is held until something changes. A client
 * that does not support pulling is sent them (the other protocol tests).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { DocumentDiagnosticReport, WorkspaceDiagnosticReport } from 'vscode-languageserver-protocol';
import { copyExample, fileUri, realisticCapabilities, startClient, type LspClient, type TempWorkspace } from './lspClient';

describe('a client that pulls diagnostics', () => {
  let workspace: TempWorkspace;
  let client: LspClient;

  before(async () => {
    workspace = await copyExample();
    const capabilities = realisticCapabilities();
    capabilities.textDocument = { ...capabilities.textDocument, diagnostic: { dynamicRegistration: false, relatedDocumentSupport: false } };
    client = await startClient({ folders: [workspace.root], capabilities });
  });
  after(async () => {
    await client.kill();
    await workspace.dispose();
  });

  test('the server announces a diagnostic provider and publishes nothing', () => {
    assert.deepEqual(client.initializeResult?.capabilities.diagnosticProvider, {
      identifier: 'throughline',
      interFileDependencies: true,
      workspaceDiagnostics: true,
    });
    assert.deepEqual(client.publishLog, []);
  });

  test('a workspace pull lists every document with problems, and a second pull with those IDs waits for a change', async () => {
    const first = await client.request<WorkspaceDiagnosticReport>('workspace/diagnostic', { previousResultIds: [] });
    const codes = first.items.flatMap((report) => (report.kind === 'full' ? report.items.map((diagnostic) => diagnostic.code) : []));
    assert.ok(codes.includes('untraced-requirement') && codes.includes('orphan-outcome'), JSON.stringify(codes));
    const previousResultIds = first.items.map((report) => ({ uri: report.uri, value: report.resultId! }));
    // Nothing changes: the pull is held. A change to a PRD answers it with that PRD's new report only.
    const held = client.request<WorkspaceDiagnosticReport>('workspace/diagnostic', { previousResultIds }, 20_000);
    let answered = false;
    void held.then(() => (answered = true));
    await new Promise((resolve) => setTimeout(resolve, 500));
    assert.equal(answered, false, 'a pull with nothing new was answered at once');
    const prd = fileUri(`${workspace.root}/prds/new.md`);
    await client.open(prd, '---\ntype: prd\nid: PRD-77\n---\n# PRD-77: New\n### REQ-77.1: Something\nTraces: OUT-404\n');
    const second = await held;
    assert.ok(
      second.items.some((report) => report.uri === prd && report.kind === 'full' && report.items.some((diagnostic) => diagnostic.code === 'unknown-reference')),
      JSON.stringify(second.items.map((report) => report.uri)),
    );
  });

  test('a document pull answers full, then unchanged for the same result ID, then full again after an edit', async () => {
    const uri = fileUri(`${workspace.root}/prds/pulled.md`);
    await client.open(uri, '---\ntype: prd\nid: PRD-78\n---\n# PRD-78: Pulled\n### REQ-78.1: Something\nTraces: OUT-404\n');
    const full = await client.request<DocumentDiagnosticReport>('textDocument/diagnostic', { textDocument: { uri } });
    assert.equal(full.kind, 'full');
    assert.ok(full.kind === 'full' && full.items.some((diagnostic) => diagnostic.code === 'unknown-reference'));
    const same = await client.request<DocumentDiagnosticReport>('textDocument/diagnostic', { textDocument: { uri }, previousResultId: full.resultId });
    assert.deepEqual(same, { kind: 'unchanged', resultId: full.resultId });
    await client.change(uri, [{ range: { start: { line: 6, character: 8 }, end: { line: 6, character: 15 } }, text: 'OUT-1' }]);
    const fixed = await client.request<DocumentDiagnosticReport>('textDocument/diagnostic', { textDocument: { uri }, previousResultId: full.resultId });
    assert.equal(fixed.kind, 'full');
    assert.ok(fixed.kind === 'full' && !fixed.items.some((diagnostic) => diagnostic.code === 'unknown-reference'));
    assert.deepEqual(client.publishLog, [], 'diagnostics were pushed to a client that pulls');
  });
});
