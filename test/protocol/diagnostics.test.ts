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
const INFO = 3;

type Expected = { code: string; severity: number; range: [number, number, number, number]; message: RegExp };

const EXPECTED: Record<string, Expected[]> = {
  'prds/guest-checkout.md': [{ code: 'untraced-requirement', severity: ERROR, range: [37, 4, 37, 11], message: /REQ-1\.4 traces to no outcome/ }],
  'prds/smart-reminders.md': [
    { code: 'unknown-reference', severity: ERROR, range: [25, 10, 25, 16], message: /OUT-14 is not defined/ },
    { code: 'wrong-link-kind', severity: ERROR, range: [28, 10, 28, 15], message: /OBJ-2 is an objective/ },
  ],
  'prds/ledger-sync.md': [
    {
      code: 'prd-outcome-mismatch',
      severity: INFO,
      range: [31, 15, 31, 20],
      message: /REQ-3\.4 traces to OUT-1, which PRD-3's front-matter `outcomes` does not list/,
    },
  ],
  'prds/refund-permissions.md': [
    { code: 'stale-document', severity: INFO, range: [6, 0, 6, 7], message: /last updated on 2026-06-30, more than 90 days ago/ },
    { code: 'deprecated-target', severity: WARNING, range: [7, 11, 7, 16], message: /OUT-6 is deprecated/ },
    { code: 'deprecated-target', severity: WARNING, range: [18, 8, 18, 13], message: /OUT-6 is deprecated/ },
    { code: 'deprecated-target', severity: WARNING, range: [22, 8, 22, 13], message: /OUT-6 is deprecated/ },
  ],
  'strategy/payments-2027-h1.md': [
    { code: 'objective-count', severity: WARNING, range: [2, 4, 2, 9], message: /STR-1 has 4 objectives for 2027-H1; keep at most 3/ },
    {
      code: 'innovation-mix-drift',
      severity: INFO,
      range: [6, 0, 6, 14],
      message: /core 75% \(target 50%\), adjacent 25% \(target 30%\), disruptive 0% \(target 20%\) across 4 PRDs/,
    },
    { code: 'output-key-result', severity: INFO, range: [58, 2, 58, 8], message: /KR-2\.3 reads as an output \("launch …"\)/ },
    { code: 'orphan-outcome', severity: WARNING, range: [66, 4, 66, 9], message: /OUT-4/ },
    {
      code: 'key-result-target',
      severity: ERROR,
      range: [75, 11, 75, 14],
      message: /KR-3\.1: `Current:` is in a plain number but the baseline and target in "%"/,
    },
    { code: 'unmeasurable-key-result', severity: WARNING, range: [77, 2, 77, 8], message: /KR-3\.2 is not measurable/ },
    { code: 'key-result-count', severity: WARNING, range: [91, 3, 91, 8], message: /OBJ-4 has 1 key result/ },
    { code: 'due-outside-period', severity: WARNING, range: [97, 7, 97, 17], message: /KR-4\.1 is due 2027-09-30, outside the strategy's period 2027-H1/ },
    { code: 'orphan-outcome', severity: WARNING, range: [99, 4, 99, 9], message: /OUT-7/ },
  ],
};

const CLEAN = ['vision.md', 'README.md'];

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
    await Promise.all(
      Object.entries(EXPECTED).map(([file, expected]) =>
        client.waitForDiagnostics(workspace.uri(file), (diagnostics) => diagnostics.length >= expected.length),
      ),
    );
  });
  after(async () => {
    await client?.stop();
    await workspace?.dispose();
  });

  for (const [file, expected] of Object.entries(EXPECTED)) {
    test(`${file}: ${expected.map((entry) => entry.code).join(', ')}`, () => {
      const diagnostics = client.diagnostics.get(workspace.uri(file)) ?? [];
      assert.deepEqual(diagnostics.map(shape).sort(order), expected.map(({ code, severity, range }) => ({ code, severity, range })).sort(order));
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
      ['strategy/payments-2027-h1.md', 66, 'OUT-4'],
      ['strategy/payments-2027-h1.md', 77, 'KR-3.2'],
      ['strategy/payments-2027-h1.md', 91, 'OBJ-4'],
      ['strategy/payments-2027-h1.md', 58, 'KR-2.3'],
      ['prds/ledger-sync.md', 31, 'OUT-1'],
      ['prds/refund-permissions.md', 18, 'OUT-6'],
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
    assert.deepEqual(related[0]!.location.range, { start: { line: 45, character: 3 }, end: { line: 45, character: 8 } });
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
