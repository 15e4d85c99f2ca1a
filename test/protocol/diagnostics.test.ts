/**
 * Diagnostics published after indexing, for files the client never opened: the deliberate
 * problems of examples/acme, with their rule codes, severities and exact ranges.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { copyExample, startClient, type LspClient, type TempWorkspace } from './lspClient';

const ERROR = 1;
const WARNING = 2;

type Expected = { code: string; severity: number; range: [number, number, number, number]; message: RegExp };

const EXPECTED: Record<string, Expected[]> = {
  'prds/guest-checkout.md': [{ code: 'untraced-requirement', severity: ERROR, range: [37, 4, 37, 11], message: /REQ-1\.4 traces to no outcome/ }],
  'prds/smart-reminders.md': [
    { code: 'unknown-reference', severity: ERROR, range: [25, 10, 25, 16], message: /OUT-14 is not defined/ },
    { code: 'wrong-link-kind', severity: ERROR, range: [28, 10, 28, 15], message: /OBJ-2 is an objective/ },
  ],
  'strategy/payments-2027-h1.md': [
    { code: 'orphan-outcome', severity: WARNING, range: [61, 4, 61, 9], message: /OUT-4/ },
    { code: 'unmeasurable-key-result', severity: WARNING, range: [71, 2, 71, 8], message: /KR-3\.2 is not measurable/ },
    { code: 'orphan-outcome', severity: WARNING, range: [82, 4, 82, 9], message: /OUT-7/ },
  ],
};

const CLEAN = ['vision.md', 'prds/ledger-sync.md', 'prds/refund-permissions.md', 'README.md'];

function shape(diagnostic: Diagnostic) {
  const { start, end } = diagnostic.range;
  return { code: diagnostic.code, severity: diagnostic.severity, range: [start.line, start.character, end.line, end.character] };
}

const order = (a: { range: number[] }, b: { range: number[] }) => a.range[0]! - b.range[0]! || a.range[1]! - b.range[1]!;

describe('diagnostics after indexing (files not opened)', () => {
  let workspace: TempWorkspace;
  let client: LspClient;

  before(async () => {
    workspace = await copyExample(undefined, 'diagnostics');
    client = await startClient({ folders: [workspace.root] });
    // Indexing is over (alignmentChanged arrived); wait until every expected file is published.
    await Promise.all(Object.entries(EXPECTED).map(([file, expected]) => client.waitForDiagnostics(workspace.uri(file), (diagnostics) => diagnostics.length >= expected.length)));
  });
  after(async () => {
    await client?.stop();
    await workspace?.dispose();
  });

  for (const [file, expected] of Object.entries(EXPECTED)) {
    test(`${file}: ${expected.map((entry) => entry.code).join(', ')}`, () => {
      const diagnostics = client.diagnostics.get(workspace.uri(file)) ?? [];
      assert.deepEqual(
        diagnostics.map(shape).sort(order),
        expected.map(({ code, severity, range }) => ({ code, severity, range })).sort(order),
      );
      for (const entry of expected) {
        const found = diagnostics.find((diagnostic) => diagnostic.code === entry.code && diagnostic.range.start.line === entry.range[0])!;
        assert.match(found.message, entry.message);
        assert.equal(found.source, 'throughline');
      }
    });
  }

  test('the published ranges underline the IDs themselves', async () => {
    const checks: [string, number, string][] = [
      ['prds/guest-checkout.md', 37, 'REQ-1.4'],
      ['prds/smart-reminders.md', 25, 'OUT-14'],
      ['prds/smart-reminders.md', 28, 'OBJ-2'],
      ['strategy/payments-2027-h1.md', 61, 'OUT-4'],
      ['strategy/payments-2027-h1.md', 71, 'KR-3.2'],
    ];
    for (const [file, line, id] of checks) {
      const text = (await workspace.read(file)).split('\n')[line]!;
      const diagnostic = client.diagnostics.get(workspace.uri(file))!.find((candidate) => candidate.range.start.line === line)!;
      assert.equal(text.slice(diagnostic.range.start.character, diagnostic.range.end.character), id, `${file}:${line + 1}`);
    }
  });

  test('wrong-link-kind points to where the objective is defined', () => {
    const diagnostic = client.diagnostics.get(workspace.uri('prds/smart-reminders.md'))!.find((candidate) => candidate.code === 'wrong-link-kind')!;
    const related = diagnostic.relatedInformation ?? [];
    assert.equal(related.length, 1);
    assert.equal(related[0]!.location.uri, workspace.uri('strategy/payments-2027-h1.md'));
    assert.deepEqual(related[0]!.location.range, { start: { line: 44, character: 3 }, end: { line: 44, character: 8 } });
  });

  test('files without problems get no diagnostics (a suppressed prose mention and an ID in a code block are not reported)', () => {
    for (const file of CLEAN) assert.deepEqual(client.diagnostics.get(workspace.uri(file)) ?? [], [], file);
    const reminders = client.diagnostics.get(workspace.uri('prds/smart-reminders.md'))!;
    assert.ok(!reminders.some((diagnostic) => diagnostic.message.includes('OUT-99')), 'OUT-99 is under throughline-disable-next-line');
    assert.ok(![...client.diagnostics.values()].flat().some((diagnostic) => diagnostic.message.includes('OUT-42')), 'OUT-42 is inside a fenced code block');
  });

  test('only files inside the workspace are published, each URI once per state', () => {
    for (const uri of client.diagnostics.keys()) assert.ok(uri.startsWith(`${workspace.rootUri}/`), uri);
    const perUri = new Map<string, number>();
    for (const entry of client.publishLog) perUri.set(entry.uri, (perUri.get(entry.uri) ?? 0) + 1);
    for (const [uri, count] of perUri) assert.equal(count, 1, `${uri} was published ${count} times at startup`);
  });
});
