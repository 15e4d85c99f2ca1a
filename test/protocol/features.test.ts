/**
 * Inlay hints, semantic tokens, call hierarchy and document highlight over LSP, on a copy of the
 * acme example: the capabilities are announced, each request is answered, and the
 * `throughline.inlayHints` setting turns the hints off and on again by `workspace/didChangeConfiguration`.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type {
  CallHierarchyIncomingCall,
  CallHierarchyItem,
  CallHierarchyOutgoingCall,
  DocumentHighlight,
  InlayHint,
  Range,
  SemanticTokens,
  SemanticTokensLegend,
} from 'vscode-languageserver-protocol';
import { copyExample, hasCode, positionOf, startClient, type LspClient, type TempWorkspace } from './lspClient';

const GUEST = 'prds/guest-checkout.md';
const STRATEGY = 'strategy/payments-2027-h1.md';
const LEDGER = 'prds/ledger-sync.md';
const READ = 2;
const WRITE = 3;

const LEGEND: SemanticTokensLegend = {
  tokenTypes: ['namespace', 'type', 'class', 'enumMember', 'event', 'struct', 'function', 'property', 'variable'],
  tokenModifiers: ['declaration', 'deprecated', 'unresolved'],
};
const OUT_1 = 'Payers complete payment without creating an account';
const OUT_2 = 'Payers can pay with the method they already use';

const range = (line: number, start: number, end: number): Range => ({ start: { line, character: start }, end: { line, character: end } });

/** Tokens as `line:start-end type modifier…`, positions absolute. */
function decode(data: readonly number[]): string[] {
  const tokens: string[] = [];
  let line = 0;
  let start = 0;
  for (let at = 0; at < data.length; at += 5) {
    const [deltaLine, deltaStart, length, type, modifiers] = data.slice(at, at + 5) as [number, number, number, number, number];
    line += deltaLine;
    start = deltaLine === 0 ? start + deltaStart : deltaStart;
    const names = LEGEND.tokenModifiers.filter((_, bit) => modifiers & (1 << bit));
    tokens.push([`${line}:${start}-${start + length}`, LEGEND.tokenTypes[type] ?? `?${type}`, ...names].join(' '));
  }
  return tokens;
}

describe('inlay hints, semantic tokens, call hierarchy and document highlight', () => {
  let workspace: TempWorkspace;
  let client: LspClient;
  const texts = new Map<string, string>();
  const uri = (file: string) => workspace.uri(file);
  /** Where the `occurrence`-th `needle` of `file` starts, `offset` characters on. */
  const at = (file: string, needle: string, offset = 0, occurrence = 0) => {
    const position = positionOf(texts.get(file)!, needle, occurrence);
    return { line: position.line, character: position.character + offset };
  };
  const inlayHints = () =>
    client.request<InlayHint[] | null>('textDocument/inlayHint', {
      textDocument: { uri: uri(GUEST) },
      range: { start: { line: 0, character: 0 }, end: { line: 60, character: 0 } },
    });

  before(async () => {
    workspace = await copyExample(undefined, 'features');
    client = await startClient({ folders: [workspace.root] });
    for (const file of [GUEST, STRATEGY]) {
      texts.set(file, await workspace.read(file));
      await client.open(uri(file), texts.get(file)!, 1);
    }
    texts.set(LEDGER, await workspace.read(LEDGER));
    await client.waitForDiagnostics(uri(GUEST), hasCode('untraced-requirement'));
  });
  after(async () => {
    await client?.stop();
    await workspace?.dispose();
  });

  test('the capabilities are announced, with the semantic tokens legend', () => {
    const capabilities = client.initializeResult!.capabilities;
    assert.deepEqual(capabilities.inlayHintProvider, { resolveProvider: false });
    assert.deepEqual(capabilities.semanticTokensProvider, { legend: LEGEND, full: true, range: true });
    assert.equal(capabilities.callHierarchyProvider, true);
    assert.equal(capabilities.documentHighlightProvider, true);
  });

  test('inlay hints: the outcome titles after front-matter, prose and Traces references, cut at 40 characters', async () => {
    const hint = (needle: string, occurrence: number, title: string, label: string) => ({
      position: at(GUEST, needle, needle.length, occurrence),
      label,
      paddingLeft: true,
      tooltip: title,
    });
    const first = hint('OUT-1', 0, OUT_1, 'Payers complete payment without creatin…');
    const second = hint('OUT-2', 0, OUT_2, 'Payers can pay with the method they alr…');
    assert.deepEqual(await inlayHints(), [
      first, // outcomes: [OUT-1, OUT-2]
      second,
      hint('OUT-1', 1, OUT_1, first.label), // `OUT-1 is the outcome this PRD exists for.`
      hint('OUT-1', 2, OUT_1, first.label), // REQ-1.1 Traces: OUT-1
      hint('OUT-1', 3, OUT_1, first.label), // REQ-1.2 Traces: OUT-1, OUT-2
      hint('OUT-2', 1, OUT_2, second.label),
      hint('OUT-2', 2, OUT_2, second.label), // REQ-1.3 Traces: OUT-2
    ]);
    const traces = at(GUEST, 'Traces: OUT-1, OUT-2');
    const onOneLine = await client.request<InlayHint[]>('textDocument/inlayHint', {
      textDocument: { uri: uri(GUEST) },
      range: { start: traces, end: { line: traces.line, character: 14 } },
    });
    assert.deepEqual(onOneLine, [hint('OUT-1', 3, OUT_1, first.label)]);
  });

  test('semantic tokens: the whole document, and a range', async () => {
    const requirement = at(GUEST, '### REQ-1.1').line;
    const tokens = decode((await client.request<SemanticTokens>('textDocument/semanticTokens/full', { textDocument: { uri: uri(GUEST) } })).data);
    assert.deepEqual(tokens.slice(0, 4), ['2:4-9 struct declaration', '7:11-16 event', '7:18-23 event', '14:2-7 struct']);
    assert.deepEqual(
      tokens.filter((token) => token.startsWith(`${requirement}:`) || token.startsWith(`${requirement + 1}:`)),
      [`${requirement}:4-11 function declaration`, `${requirement + 1}:0-6 property`, `${requirement + 1}:8-13 event`],
    );
    const ranged = await client.request<SemanticTokens>('textDocument/semanticTokens/range', {
      textDocument: { uri: uri(GUEST) },
      range: { start: { line: requirement, character: 0 }, end: { line: requirement + 2, character: 0 } },
    });
    assert.deepEqual(decode(ranged.data), [
      `${requirement}:4-11 function declaration`,
      `${requirement + 1}:0-6 property`,
      `${requirement + 1}:8-13 event`,
      `${requirement + 2}:0-8 property`,
    ]);
  });

  test('call hierarchy: from a Traces reference to the outcome, what traces to it and what it supports', async () => {
    const items = await client.request<CallHierarchyItem[] | null>('textDocument/prepareCallHierarchy', {
      textDocument: { uri: uri(GUEST) },
      position: at(GUEST, 'Traces: OUT-1', 9),
    });
    assert.equal(items?.length, 1);
    const outcome = items![0]!;
    assert.deepEqual(
      [outcome.name, outcome.detail, outcome.uri, outcome.selectionRange, outcome.data],
      ['OUT-1', OUT_1, uri(STRATEGY), range(at(STRATEGY, '### OUT-1').line, 4, 9), { id: 'OUT-1' }],
    );

    const incoming = await client.request<CallHierarchyIncomingCall[]>('callHierarchy/incomingCalls', { item: outcome });
    const requirement = (file: string, needle: string) => range(at(file, needle).line, 8, 13);
    assert.deepEqual(
      incoming.map((call) => [call.from.name, call.from.uri, call.fromRanges]),
      [
        ['PRD-1', uri(GUEST), [range(at(GUEST, 'outcomes:').line, 11, 16)]],
        ['REQ-1.1', uri(GUEST), [requirement(GUEST, 'Traces: OUT-1\n')]],
        ['REQ-1.2', uri(GUEST), [requirement(GUEST, 'Traces: OUT-1, OUT-2')]],
        ['REQ-3.4', uri(LEDGER), [range(at(LEDGER, 'Traces: OUT-5, OUT-1').line, 15, 20)]],
      ],
    );

    const outgoing = await client.request<CallHierarchyOutgoingCall[]>('callHierarchy/outgoingCalls', { item: outcome });
    const supports = at(STRATEGY, 'Supports: OBJ-1, KR-1.1').line;
    assert.deepEqual(
      outgoing.map((call) => [call.to.name, call.to.uri, call.fromRanges]),
      [
        ['OBJ-1', uri(STRATEGY), [range(supports, 10, 15)]],
        ['KR-1.1', uri(STRATEGY), [range(supports, 17, 23)]],
      ],
    );
    // One more step up: the objective is written under the strategy.
    const objective = await client.request<CallHierarchyOutgoingCall[]>('callHierarchy/outgoingCalls', { item: outgoing[0]!.to });
    assert.deepEqual(
      objective.map((call) => call.to.name),
      ['STR-1'],
    );
  });

  test('call hierarchy: plain prose prepares nothing', async () => {
    const items = await client.request<CallHierarchyItem[] | null>('textDocument/prepareCallHierarchy', {
      textDocument: { uri: uri(GUEST) },
      position: at(GUEST, 'Payers who open', 3),
    });
    assert.equal(items, null);
  });

  test('document highlight: the definition is written, references are read', async () => {
    const highlights = await client.request<DocumentHighlight[]>('textDocument/documentHighlight', {
      textDocument: { uri: uri(STRATEGY) },
      position: at(STRATEGY, '## OBJ-1', 4),
    });
    assert.deepEqual(highlights, [
      { range: range(at(STRATEGY, '## OBJ-1').line, 3, 8), kind: WRITE },
      { range: range(at(STRATEGY, 'Supports: OBJ-1').line, 10, 15), kind: READ },
    ]);
    const inGuest = await client.request<DocumentHighlight[]>('textDocument/documentHighlight', {
      textDocument: { uri: uri(GUEST) },
      position: at(GUEST, 'OUT-2', 1),
    });
    assert.deepEqual(
      inGuest.map((highlight) => [highlight.range.start.line, highlight.kind]),
      [
        [at(GUEST, 'OUT-2').line, READ],
        [at(GUEST, 'OUT-2', 0, 1).line, READ],
        [at(GUEST, 'OUT-2', 0, 2).line, READ],
      ],
    );
  });

  test('throughline.inlayHints: false turns the hints off, by a pushed and by a pulled configuration; true turns them on again', async () => {
    const applied = async (change: () => Promise<void>) => {
      const seen = client.notifications.length;
      await change();
      // Changed settings index everything again, and then the server says the alignment may have changed.
      await client.waitForNotification('throughline/alignmentChanged', seen);
    };
    assert.equal((await inlayHints())?.length, 7);
    const refreshes = client.refreshRequests.length;
    await applied(() => client.notify('workspace/didChangeConfiguration', { settings: { throughline: { inlayHints: false } } }));
    assert.deepEqual(await inlayHints(), []);
    // The editor is asked to redraw its hints and tokens, not left showing the old ones.
    await client.waitFor('inlay hint and semantic token refresh requests', () =>
      ['workspace/inlayHint/refresh', 'workspace/semanticTokens/refresh'].every((method) => client.refreshRequests.slice(refreshes).includes(method))
        ? true
        : undefined,
    );
    await applied(() => client.notify('workspace/didChangeConfiguration', { settings: { throughline: { inlayHints: true } } }));
    assert.equal((await inlayHints())?.length, 7);
    await applied(() => client.changeConfiguration({ inlayHints: false }));
    assert.deepEqual(await inlayHints(), []);
    await applied(() => client.changeConfiguration({}));
    assert.equal((await inlayHints())?.length, 7);
  });
});

describe('throughline.inlayHints in the initialization options', () => {
  for (const [route, initializationOptions] of [
    ['initializationOptions.settings', { settings: { inlayHints: false } }],
    ['initializationOptions.throughline', { throughline: { inlayHints: false } }],
  ] as const) {
    test(`false by ${route}: no hints; the same client with true gets them`, async () => {
      const workspace = await copyExample(undefined, 'hints');
      try {
        const hintsWith = async (options: unknown) => {
          // A client that cannot be asked for its configuration: the initialization options are all it says.
          const client = await startClient({
            folders: [workspace.root],
            initializationOptions: options,
            capabilities: { workspace: { configuration: false } },
          });
          try {
            const uri = workspace.uri(GUEST);
            await client.open(uri, await workspace.read(GUEST), 1);
            return await client.request<InlayHint[] | null>('textDocument/inlayHint', {
              textDocument: { uri },
              range: { start: { line: 0, character: 0 }, end: { line: 60, character: 0 } },
            });
          } finally {
            await client.stop();
          }
        };
        assert.deepEqual(await hintsWith(initializationOptions), []);
        assert.ok(((await hintsWith({ settings: { inlayHints: true } })) ?? []).length > 0);
      } finally {
        await workspace.dispose();
      }
    });
  }
});
