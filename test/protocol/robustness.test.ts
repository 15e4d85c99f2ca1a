/**
 * Robustness: requests that do not fit the document (stale, out of range, never opened) get
 * empty answers rather than errors, and hostile files in the workspace (broken front-matter,
 * binary, empty, 10 MB, invalid UTF-8, a symbolic-link loop) never take the server down.
 */
import assert from 'node:assert/strict';
import { symlink } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import {
  FileChangeType,
  type FileEvent,
  type CodeAction,
  type CompletionList,
  type Diagnostic,
  type DocumentSymbol,
  type Location,
} from 'vscode-languageserver-protocol';
import { copyExample, hasCode, lacksCode, startClient, type LspClient, type TempWorkspace } from './lspClient';

const GUEST = 'prds/guest-checkout.md';
const STRATEGY = 'strategy/payments-2027-h1.md';

/** Asserts the server still answers a real hover on OUT-1 in guest-checkout (which must be open). */
async function assertStillServing(client: LspClient, workspace: TempWorkspace): Promise<void> {
  const hover = await client.hover(workspace.uri(GUEST), 24, 10);
  assert.ok(hover, `hover still answered (stderr: ${client.stderr})`);
  assert.match((hover.contents as { value: string }).value, /OUT-1/);
  assert.ok(client.alive);
}

function isEmpty(result: unknown): boolean {
  if (result === null) return true;
  if (Array.isArray(result)) return result.length === 0;
  if (typeof result === 'object' && result && 'items' in result) return (result as CompletionList).items.length === 0;
  if (typeof result === 'object' && result && 'changes' in result) return Object.keys((result as { changes: object }).changes).length === 0;
  return false;
}

describe('requests that do not fit the document', () => {
  let workspace: TempWorkspace;
  let client: LspClient;
  let guestUri: string;
  let guestText: string;

  before(async () => {
    workspace = await copyExample(undefined, 'requests');
    client = await startClient({ folders: [workspace.root] });
    guestUri = workspace.uri(GUEST);
    guestText = await workspace.read(GUEST);
    await client.open(guestUri, guestText, 1);
    await client.waitForDiagnostics(guestUri, hasCode('untraced-requirement'));
  });
  after(async () => {
    await client?.stop();
    await workspace?.dispose();
  });

  const positional = ['textDocument/hover', 'textDocument/definition', 'textDocument/completion', 'textDocument/prepareRename', 'textDocument/rename'];
  const referenceParams = { context: { includeDeclaration: true } };
  const paramsFor = (method: string, uri: string, position: { line: number; character: number }) => ({
    textDocument: { uri },
    position,
    ...(method === 'textDocument/rename' ? { newName: 'OUT-10' } : {}),
  });

  for (const [label, position] of [
    ['a line past the end', { line: 10_000, character: 0 }],
    ['a column past the end of the line', { line: 24, character: 500 }],
    ['a huge position', { line: 2 ** 31 - 1, character: 2 ** 31 - 1 }],
    ['a negative position', { line: -1, character: -5 }],
  ] as const) {
    test(`${label}: empty results, not errors`, async () => {
      for (const method of positional) {
        const result = await client.request(method, paramsFor(method, guestUri, position));
        assert.ok(isEmpty(result), `${method} → ${JSON.stringify(result)}`);
      }
      assert.deepEqual(await client.request<Location[]>('textDocument/references', { ...paramsFor('', guestUri, position), ...referenceParams }), []);
      await assertStillServing(client, workspace);
    });
  }

  test('a document the client never opened: empty results', async () => {
    const uri = workspace.uri('prds/ledger-sync.md');
    for (const method of positional) assert.ok(isEmpty(await client.request(method, paramsFor(method, uri, { line: 23, character: 10 }))), method);
    assert.deepEqual(await client.request<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri } }), []);
    assert.deepEqual(await client.request('textDocument/codeLens', { textDocument: { uri } }), []);
    const nowhere = workspace.uri('prds/does-not-exist.md');
    for (const method of positional) assert.ok(isEmpty(await client.request(method, paramsFor(method, nowhere, { line: 0, character: 0 }))), method);
  });

  test('a request naming an old document version (after edits) is answered without error', async () => {
    const before = client.version(guestUri)!;
    await client.change(guestUri, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '' }]);
    const hover = await client.request('textDocument/hover', { textDocument: { uri: guestUri, version: before }, position: { line: 24, character: 10 } });
    assert.ok(hover === null || typeof hover === 'object');
  });

  test('code actions for stale diagnostics (the requirement they name is gone) are empty', async () => {
    const diagnostics = client.diagnostics.get(guestUri)!.filter((diagnostic) => diagnostic.code === 'untraced-requirement');
    assert.equal(diagnostics.length, 1);
    // Delete REQ-1.4 entirely.
    const lines = guestText.split('\n');
    const start = lines.findIndex((line) => line.startsWith('### REQ-1.4'));
    await client.change(guestUri, [{ range: { start: { line: start, character: 0 }, end: { line: lines.length - 1, character: 0 } }, text: '' }]);
    await client.waitForDiagnostics(guestUri, lacksCode('untraced-requirement'));
    const actions = await client.request<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri: guestUri },
      range: diagnostics[0]!.range,
      context: { diagnostics },
    });
    assert.deepEqual(actions, []);
    // And diagnostics whose range lies past the end of the (now shorter) document.
    const beyond: Diagnostic = { ...diagnostics[0]!, range: { start: { line: 900, character: 0 }, end: { line: 900, character: 7 } } };
    assert.deepEqual(
      await client.request<CodeAction[]>('textDocument/codeAction', {
        textDocument: { uri: guestUri },
        range: beyond.range,
        context: { diagnostics: [beyond] },
      }),
      [],
    );
    await client.change(guestUri, [
      {
        range: { start: { line: 0, character: 0 }, end: { line: start + 1, character: 0 } },
        text:
          guestText
            .split('\n')
            .slice(0, start + 1)
            .join('\n') + '\n',
      },
    ]);
  });

  test('an incremental change whose range lies past the end of the document does not break the server', async () => {
    await client.close(guestUri);
    await client.open(guestUri, guestText, 1);
    await client.change(guestUri, [{ range: { start: { line: 5_000, character: 0 }, end: { line: 5_000, character: 10 } }, text: '\nTrailing words.\n' }]);
    await client.waitForDiagnostics(guestUri, hasCode('untraced-requirement'));
    await assertStillServing(client, workspace);
  });
});

describe('hostile files in the workspace', () => {
  let workspace: TempWorkspace;
  let client: LspClient;

  const BROKEN_FRONT_MATTER = [
    '---',
    'type: prd',
    'id: PRD-7',
    'title: [unclosed',
    'outcomes: {OUT-1',
    '---',
    '# PRD-7',
    '',
    '### REQ-7.1: Something',
    'Traces: OUT-1',
    '',
  ].join('\n');
  const NOT_UTF8 = Buffer.concat([
    Buffer.from('---\ntype: prd\nid: PRD-8\ntitle: Caf'),
    Buffer.from([0xe9, 0xff, 0xfe]),
    Buffer.from('\n---\n# PRD-8\n\n### REQ-8.1: Pay in '),
    Buffer.from([0xc3, 0x28]),
    Buffer.from('\nTraces: OUT-2\n'),
  ]);

  function bigPrd(): string {
    const lines = ['---', 'type: prd', 'id: PRD-10', 'title: A very large PRD', '---', '# PRD-10: A very large PRD', ''];
    let size = lines.join('\n').length;
    for (let i = 1; size < 10 * 1024 * 1024; i++) {
      const block = `### REQ-10.${i}: Requirement number ${i} of the large PRD\nTraces: OUT-${(i % 7) + 1}\nPriority: must\n\n${'Some prose that mentions OUT-3 and explains the requirement at length. '.repeat(8)}\n\n`;
      lines.push(block);
      size += block.length + 1;
    }
    return lines.join('\n');
  }

  before(async () => {
    workspace = await copyExample(undefined, 'hostile');
    await workspace.write('bad/broken-front-matter.md', BROKEN_FRONT_MATTER);
    await workspace.write(
      'bad/binary.md',
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52, 0xff, 0x00, 0x10]),
    );
    await workspace.write('bad/empty.md', '');
    await workspace.write('bad/not-utf8.md', NOT_UTF8);
    await workspace.write('bad/huge.md', bigPrd());
    await symlink('.', workspace.path('bad/loop'), 'dir');
    await symlink('../bad', workspace.path('bad/up'), 'dir');
    await symlink('missing-target.md', workspace.path('bad/dangling.md'));
    client = await startClient({ folders: [workspace.root] });
    await client.open(workspace.uri(GUEST), await workspace.read(GUEST), 1);
  });
  after(async () => {
    await client?.stop();
    await workspace?.dispose();
  });

  test('indexing finished and the normal diagnostics are published', async () => {
    await client.waitForDiagnostics(workspace.uri(GUEST), hasCode('untraced-requirement'));
    await client.waitForDiagnostics(workspace.uri(STRATEGY), hasCode('unmeasurable-key-result'));
    await assertStillServing(client, workspace);
  });

  test('the symbolic-link loop is walked once: no file is indexed twice', async () => {
    for (const uri of client.diagnostics.keys()) assert.ok(!/\/bad\/(loop|up)\//.test(uri), `indexed through a link: ${uri}`);
    const symbols = await client.request<{ name: string; location: { uri: string } }[]>('workspace/symbol', { query: 'REQ-7.1' });
    assert.equal(symbols.filter((symbol) => symbol.name.startsWith('REQ-7.1:')).length, 1, JSON.stringify(symbols));
    const duplicates = [...client.diagnostics.values()].flat().filter((diagnostic) => diagnostic.code === 'duplicate-id');
    assert.deepEqual(duplicates, []);
  });

  test('broken YAML front-matter: a front-matter diagnostic on that file', async () => {
    const diagnostics = await client.waitForDiagnostics(workspace.uri('bad/broken-front-matter.md'), hasCode('front-matter'));
    assert.ok(diagnostics.every((diagnostic) => diagnostic.range.start.line >= 0 && diagnostic.range.start.line < 12));
  });

  test('invalid UTF-8: an encoding diagnostic, and the rest of the file is still read', async () => {
    await client.waitForDiagnostics(workspace.uri('bad/not-utf8.md'), hasCode('encoding'));
    const symbols = await client.request<{ name: string }[]>('workspace/symbol', { query: 'REQ-8.1' });
    assert.ok(
      symbols.some((symbol) => symbol.name.startsWith('REQ-8.1')),
      JSON.stringify(symbols),
    );
  });

  test('binary and empty files are skipped quietly', async () => {
    assert.deepEqual(client.diagnostics.get(workspace.uri('bad/binary.md')) ?? [], []);
    assert.deepEqual(client.diagnostics.get(workspace.uri('bad/empty.md')) ?? [], []);
  });

  test('the 10 MB file is indexed (it is under the size limit)', async () => {
    const symbols = await client.request<{ name: string }[]>('workspace/symbol', { query: 'REQ-10.1' });
    assert.ok(
      symbols.some((symbol) => symbol.name.startsWith('REQ-10.1:')),
      'REQ-10.1 is found',
    );
    await assertStillServing(client, workspace);
  });

  test('opening the hostile files in the editor and asking for everything does not break the server', { timeout: 180_000 }, async () => {
    const files: [string, string][] = [
      ['bad/broken-front-matter.md', BROKEN_FRONT_MATTER],
      ['bad/binary.md', '\u0089PNG\r\n\u001a\n\u0000\u0000\u0000\rIHDR\uFFFD\u0000\u0010'],
      ['bad/empty.md', ''],
      ['bad/not-utf8.md', NOT_UTF8.toString('utf8')],
      ['bad/huge.md', bigPrd()],
    ];
    for (const [file, text] of files) {
      const uri = workspace.uri(file);
      await client.open(uri, text, 1);
      const requests: [string, object][] = [
        ['textDocument/hover', { position: { line: 3, character: 2 } }],
        ['textDocument/completion', { position: { line: 1, character: 0 } }],
        ['textDocument/definition', { position: { line: 9, character: 9 } }],
        ['textDocument/references', { position: { line: 9, character: 9 }, context: { includeDeclaration: true } }],
        ['textDocument/documentSymbol', {}],
        ['textDocument/codeLens', {}],
        ['textDocument/foldingRange', {}],
        ['textDocument/documentLink', {}],
        [
          'textDocument/codeAction',
          { range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, context: { diagnostics: client.diagnostics.get(uri) ?? [] } },
        ],
      ];
      // Generous timeouts: a 10 MB document takes seconds to index on every change.
      for (const [method, params] of requests) await client.request(method, { textDocument: { uri }, ...params }, 60_000);
      // Type into it, too (at the end: the next test times edits that break the front-matter).
      await client.change(uri, [{ range: { start: { line: 1_000_000, character: 0 }, end: { line: 1_000_000, character: 0 } }, text: 'x' }]);
      await client.close(uri);
      await client.request('throughline/coverage', {}, 60_000);
    }
    await assertStillServing(client, workspace);
  });

  test('the server stays responsive while a 10 MB document stops and starts being a strategy document', { timeout: 120_000 }, async () => {
    // Breaking the front-matter removes ~16,000 items from the graph, fixing it adds them back. Both
    // should cost time in proportion to the document (about what indexing it costs, ~1 s), so a
    // hover on another file queued behind the edit must be answered within a few seconds.
    const uri = workspace.uri('bad/huge.md');
    const text = bigPrd();
    await client.open(uri, text, 1);
    await client.request('throughline/coverage', {}, 60_000);
    const timed = async (label: string, edit: () => Promise<unknown>) => {
      const started = performance.now();
      await edit();
      await assertStillServing(client, workspace);
      const seconds = (performance.now() - started) / 1000;
      assert.ok(seconds < 5, `${label}: hover on another file took ${seconds.toFixed(1)} s`);
    };
    try {
      await timed('breaking the front-matter', () =>
        client.change(uri, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: 'x' }]),
      );
      await timed('fixing the front-matter', () =>
        client.change(uri, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } }, text: '' }]),
      );
    } finally {
      await client.close(uri);
      await client.request('throughline/coverage', {}, 60_000);
    }
  });

  test('hostile files created at runtime and announced by the watcher do not break the server', async () => {
    const created = [
      await workspace.write('late/binary.md', Buffer.from([0, 1, 2, 3, 0xff, 0xfe, 0])),
      await workspace.write('late/empty.md', ''),
      await workspace.write('late/not-utf8.md', NOT_UTF8),
      await workspace.write('late/broken.md', BROKEN_FRONT_MATTER.replace(/PRD-7/g, 'PRD-77').replace(/REQ-7\.1/g, 'REQ-77.1')),
    ];
    await symlink('..', workspace.path('late/loop'), 'dir');
    await client.watched([...created, workspace.uri('late/loop')].map((uri): FileEvent => ({ uri, type: FileChangeType.Created })));
    await client.waitForDiagnostics(workspace.uri('late/broken.md'), hasCode('front-matter'));
    await client.waitForDiagnostics(workspace.uri('late/not-utf8.md'), hasCode('encoding'));
    await assertStillServing(client, workspace);
  });

  test('stderr shows no crash', () => {
    assert.doesNotMatch(client.stderr, /Unhandled|TypeError|RangeError|FATAL|heap out of memory/i);
  });
});
