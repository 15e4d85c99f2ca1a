/**
 * Position encodings: a client that prefers UTF-8 gets UTF-8 columns everywhere (diagnostics,
 * hover ranges, completion edits) and sends them in requests and content
 * edits; one that offers only UTF-16 gets UTF-16 columns. Emoji and CJK sit before the IDs, where
 * the two counts differ.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { CompletionList, Hover, Location, TextEdit } from 'vscode-languageserver-protocol';
import { copyExample, fileUri, hasCode, lacksCode, realisticCapabilities, startClient, type LspClient, type TempWorkspace } from './lspClient';

const TRACES = 'Traces: 🚀 OUT-404, 決済 OUT-1';
const TEXT = ['---', 'type: prd', 'id: PRD-7', 'title: 決済 🚀', '---', '# PRD-7: 決済 🚀', '', '### REQ-7.1: 決済 🚀 pay', TRACES, ''].join('\n');
const TRACES_LINE = 8;

/** The column of `needle` in `line`, counted in `encoding`'s units. */
function column(line: string, needle: string, encoding: 'utf-8' | 'utf-16'): number {
  const before = line.slice(0, line.indexOf(needle));
  return encoding === 'utf-8' ? Buffer.byteLength(before, 'utf8') : before.length;
}

for (const encoding of ['utf-8', 'utf-16'] as const) {
  describe(`a client that prefers ${encoding}`, () => {
    let workspace: TempWorkspace;
    let client: LspClient;
    let uri: string;

    before(async () => {
      workspace = await copyExample();
      const capabilities = realisticCapabilities();
      capabilities.general = { positionEncodings: encoding === 'utf-8' ? ['utf-8', 'utf-16'] : ['utf-16'] };
      client = await startClient({ folders: [workspace.root], capabilities });
      uri = fileUri(`${workspace.root}/prds/encoded.md`);
      await client.open(uri, TEXT);
    });
    after(async () => {
      await client.kill();
      await workspace.dispose();
    });

    test('the server announces the encoding', () => {
      assert.equal(client.initializeResult?.capabilities.positionEncoding, encoding);
    });

    test('a diagnostic after an emoji starts at the ID in that encoding', async () => {
      const diagnostics = await client.waitForDiagnostics(uri, hasCode('unknown-reference'));
      const unknown = diagnostics.find((diagnostic) => diagnostic.code === 'unknown-reference')!;
      const start = column(TRACES, 'OUT-404', encoding);
      assert.deepEqual(unknown.range, { start: { line: TRACES_LINE, character: start }, end: { line: TRACES_LINE, character: start + 'OUT-404'.length } });
    });

    test('hover on the ID after CJK text: the request and the answer use that encoding', async () => {
      const at = column(TRACES, 'OUT-1', encoding) + 2;
      const hover = await client.request<Hover>('textDocument/hover', { textDocument: { uri }, position: { line: TRACES_LINE, character: at } });
      assert.match((hover.contents as { value: string }).value, /OUT-1/);
      const start = column(TRACES, 'OUT-1', encoding);
      assert.deepEqual(hover.range, { start: { line: TRACES_LINE, character: start }, end: { line: TRACES_LINE, character: start + 5 } });
    });

    test('definition lands on the heading in the strategy file', async () => {
      const at = column(TRACES, 'OUT-1', encoding) + 1;
      const locations = await client.request<Location[]>('textDocument/definition', { textDocument: { uri }, position: { line: TRACES_LINE, character: at } });
      assert.equal(locations.length, 1);
      assert.match(locations[0]!.uri, /strategy\/payments-2027-h1\.md$/);
    });

    test("references asked from another file come back with this file's columns in that encoding", async () => {
      const at = column(TRACES, 'OUT-1', encoding) + 1;
      const locations = await client.request<Location[]>('textDocument/references', {
        textDocument: { uri },
        position: { line: TRACES_LINE, character: at },
        context: { includeDeclaration: false },
      });
      const here = locations.find((location) => location.uri === uri);
      const start = column(TRACES, 'OUT-1', encoding);
      assert.deepEqual(here?.range, { start: { line: TRACES_LINE, character: start }, end: { line: TRACES_LINE, character: start + 5 } });
    });

    test('an edit sent in that encoding replaces exactly the ID, and completion edits come back in it', async () => {
      const start = column(TRACES, 'OUT-404', encoding);
      await client.change(uri, [{ range: { start: { line: TRACES_LINE, character: start }, end: { line: TRACES_LINE, character: start + 7 } }, text: 'OUT-' }]);
      const list = await client.request<CompletionList>('textDocument/completion', {
        textDocument: { uri },
        position: { line: TRACES_LINE, character: start + 4 },
      });
      const edit = list.items.find((item) => item.label === 'OUT-2')!.textEdit as TextEdit;
      assert.deepEqual(edit, { range: { start: { line: TRACES_LINE, character: start + 4 }, end: { line: TRACES_LINE, character: start + 4 } }, newText: '2' });
      await client.change(uri, [{ range: edit.range, text: edit.newText }]);
      await client.waitForDiagnostics(uri, lacksCode('unknown-reference'));
    });
  });
}
