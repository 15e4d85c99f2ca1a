/**
 * A server started without any workspace folder (an editor opened on a single file) still
 * serves the documents the client opens; the first one's folder, which holds a strategy
 * document, becomes the workspace (test/protocol/roots.test.ts has the other cases).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { CompletionList, DocumentSymbol, Location } from 'vscode-languageserver-protocol';
import { emptyWorkspace, hasCode, lacksCode, startClient, type LspClient, type TempWorkspace } from './lspClient';

const TEXT = [
  '---',
  'type: strategy',
  'id: STR-9',
  'title: A strategy in a single file',
  '---',
  '# STR-9: A strategy in a single file',
  '',
  '## OBJ-9: Get paid faster',
  '',
  '### OUT-91: Payers pay on the first reminder',
  'Supports: OBJ-9',
  '',
  '### OUT-92: Payers pay without an account',
  'Supports: OBJ-404',
  '',
].join('\n');

describe('no workspace folder', () => {
  let folder: TempWorkspace;
  let client: LspClient;
  let uri: string;

  before(async () => {
    folder = await emptyWorkspace('single');
    uri = await folder.write('strategy.md', TEXT);
    client = await startClient({ folders: [], waitForIndex: false });
    // Nothing to index; the first alignmentChanged still marks the end of startup.
    await client.waitForNotification('throughline/alignmentChanged');
  });
  after(async () => {
    await client?.stop();
    await folder?.dispose();
  });

  test('initialize succeeded with rootUri and workspaceFolders null', () => {
    assert.equal(client.initializeResult?.serverInfo?.name, 'throughline');
  });

  test('an opened file gets diagnostics', async () => {
    await client.open(uri, TEXT, 1);
    const diagnostics = await client.waitForDiagnostics(uri, hasCode('unknown-reference'));
    const unknown = diagnostics.find((diagnostic) => diagnostic.code === 'unknown-reference')!;
    assert.deepEqual(unknown.range, { start: { line: 13, character: 10 }, end: { line: 13, character: 17 } });
    assert.ok(hasCode('orphan-outcome')(diagnostics), 'nothing traces to the outcomes');
  });

  test('hover, definition, symbols and completion work on it', async () => {
    const hover = await client.hover(uri, 10, 12);
    assert.match((hover?.contents as { value: string } | undefined)?.value ?? '', /OBJ-9/);
    const definition = await client.request<Location[]>('textDocument/definition', { textDocument: { uri }, position: { line: 10, character: 12 } });
    assert.deepEqual(definition, [{ uri, range: { start: { line: 7, character: 3 }, end: { line: 7, character: 8 } } }]);
    const symbols = await client.request<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri } });
    assert.equal(symbols[0]?.name, 'STR-9: A strategy in a single file');
    const completion = await client.request<CompletionList>('textDocument/completion', { textDocument: { uri }, position: { line: 13, character: 10 } });
    assert.ok(
      completion.items.some((item) => item.label === 'OBJ-9'),
      JSON.stringify(completion.items.map((item) => item.label)),
    );
  });

  test('edits update its diagnostics', async () => {
    await client.change(uri, [{ range: { start: { line: 13, character: 10 }, end: { line: 13, character: 17 } }, text: 'OBJ-9' }]);
    await client.waitForDiagnostics(uri, lacksCode('unknown-reference'));
  });

  test('the alignment requests answer from the open file', async () => {
    const coverage = await client.request<{ outcomes: number; objectives: number }>('throughline/coverage', {});
    assert.equal(coverage.outcomes, 2);
    assert.equal(coverage.objectives, 1);
  });

  test('the folder that holds it is taken as the strategy workspace, so closing it leaves the problems of the file on disk', async () => {
    await client.waitForLog(/Throughline workspace: .*workspace/);
    await client.close(uri);
    // The file on disk still says OBJ-404: as a file of the workspace it keeps that problem.
    await client.waitForDiagnostics(uri, hasCode('unknown-reference'));
  });

  test('an untitled (unsaved) document is served too', async () => {
    const untitled = 'untitled:Untitled-1';
    await client.open(untitled, TEXT, 1);
    await client.waitForDiagnostics(untitled, hasCode('unknown-reference'));
    const hover = await client.hover(untitled, 10, 12);
    assert.ok(hover);
    await client.close(untitled);
    await client.waitForDiagnostics(untitled, (diagnostics) => diagnostics.length === 0);
  });
});
