/**
 * Language features on open documents: hover, completion, definition, references, prepareRename
 * and rename, document symbols, code lens and code actions.
 */
import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { CodeAction, CodeLens, CompletionList, Diagnostic, DocumentSymbol, Location, Range, WorkspaceEdit } from 'vscode-languageserver-protocol';
import { applyEdits, copyExample, fileUri, hasCode, lacksCode, positionOf, startClient, type LspClient, type TempWorkspace } from './lspClient';

const GUEST = 'prds/guest-checkout.md';
const STRATEGY = 'strategy/payments-2027-h1.md';
const REMINDERS = 'prds/smart-reminders.md';
const VISION = 'vision.md';

const range = (line: number, start: number, end: number, endLine = line): Range => ({
  start: { line, character: start },
  end: { line: endLine, character: end },
});
const sortLocations = (locations: Location[]) =>
  [...locations].sort((a, b) => a.uri.localeCompare(b.uri) || a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);

describe('language features', () => {
  let workspace: TempWorkspace;
  let client: LspClient;
  const texts = new Map<string, string>();
  const uri = (file: string) => workspace.uri(file);
  /** Position of the `occurrence`-th `needle` in `file`, shifted by `offset` characters. */
  const at = (file: string, needle: string, offset = 0, occurrence = 0) => {
    const position = positionOf(texts.get(file)!, needle, occurrence);
    return { line: position.line, character: position.character + offset };
  };
  const request = <R>(method: string, file: string, extra: Record<string, unknown> = {}) =>
    client.request<R>(method, { textDocument: { uri: uri(file) }, ...extra });

  before(async () => {
    workspace = await copyExample(undefined, 'features');
    client = await startClient({ folders: [workspace.root] });
    for (const file of [GUEST, STRATEGY, REMINDERS, VISION]) {
      texts.set(file, await workspace.read(file));
      await client.open(uri(file), texts.get(file)!, 1);
    }
    await client.waitForDiagnostics(uri(GUEST), hasCode('untraced-requirement'));
    await client.waitForDiagnostics(uri(REMINDERS), hasCode('unknown-reference'));
  });
  after(async () => {
    await client?.stop();
    await workspace?.dispose();
  });

  describe('hover', () => {
    test('on a reference: the outcome, its chain up to the vision and how many requirements trace to it', async () => {
      const hover = await client.hover(uri(GUEST), 24, 10);
      assert.ok(hover);
      assert.deepEqual(hover.range, range(24, 8, 13));
      const contents = hover.contents as { kind: string; value: string };
      assert.equal(contents.kind, 'markdown');
      assert.match(contents.value, /\*\*OUT-1\*\* — Payers complete payment without creating an account/);
      assert.match(contents.value, /OUT-1 → OBJ-1 .* → STR-1 .* → VIS-1/);
      // REQ-1.1, REQ-1.2 and, in the ledger PRD, REQ-3.4.
      assert.match(contents.value, /Traced by 3 requirements/);
      assert.match(contents.value, /strategy\/payments-2027-h1\.md/);
    });

    test('on a key result definition: its measures', async () => {
      const hover = await client.hover(uri(STRATEGY), at(STRATEGY, 'KR-1.1').line, at(STRATEGY, 'KR-1.1', 2).character);
      const value = (hover?.contents as { value: string }).value;
      assert.match(value, /\*\*KR-1\.1\*\* — Invoice payment conversion/);
      assert.match(value, /\| Baseline \| 41% \|/);
      assert.match(value, /\| Target \| 55% \|/);
    });

    test('on an unknown ID: says it is not defined', async () => {
      const position = at(REMINDERS, 'OUT-14', 1);
      const hover = await client.hover(uri(REMINDERS), position.line, position.character);
      assert.match((hover?.contents as { value: string }).value, /OUT-14\*\* is not defined anywhere/);
    });

    test('on a front-matter key: its description', async () => {
      const hover = await client.hover(uri(GUEST), 1, 1);
      assert.deepEqual(hover?.range, range(1, 0, 4));
      assert.match((hover?.contents as { value: string }).value, /`type`/);
    });

    test('on plain prose: null', async () => {
      const position = at(GUEST, 'Payers who open');
      assert.equal(await client.hover(uri(GUEST), position.line, position.character + 3), null);
    });
  });

  describe('completion', () => {
    test('after `Traces: OUT-` offers every outcome (and nothing else), replacing what was typed', async () => {
      const end = { line: at(GUEST, '### REQ-1.4').line, character: '### REQ-1.4: Show a receipt page after payment'.length };
      await client.change(uri(GUEST), [{ range: { start: end, end }, text: '\nTraces: OUT-' }]);
      try {
        const list = await request<CompletionList>('textDocument/completion', GUEST, {
          position: { line: end.line + 1, character: 12 },
          context: { triggerKind: 2, triggerCharacter: '-' },
        });
        assert.equal(list.isIncomplete, false);
        assert.deepEqual(
          list.items.map((item) => item.label),
          ['OUT-1', 'OUT-2', 'OUT-3', 'OUT-4', 'OUT-5', 'OUT-6', 'OUT-7'],
        );
        // Each edit inserts the rest of the ID from the cursor, after `OUT-`: what Neovim's omnifunc,
        // which ignores the range and starts at the keyword, inserts too.
        for (const item of list.items) {
          assert.ok(item.textEdit && 'range' in item.textEdit);
          assert.deepEqual(item.textEdit.range, range(end.line + 1, 12, 12));
          assert.equal(`OUT-${item.textEdit.newText}`, item.label);
        }
        assert.match(list.items[3]!.detail ?? '', /Payers know exactly when and how much to pay/);
      } finally {
        await client.change(uri(GUEST), [{ range: { start: end, end: { line: end.line + 1, character: 12 } }, text: '' }]);
      }
    });

    test('after `Supports: ` offers objectives and key results, not outcomes', async () => {
      const line = at(STRATEGY, 'Supports: KR-2.1').line;
      const list = await request<CompletionList>('textDocument/completion', STRATEGY, {
        position: { line, character: 'Supports: '.length },
        context: { triggerKind: 1 },
      });
      const labels = list.items.map((item) => item.label);
      assert.ok(labels.includes('OBJ-1') && labels.includes('KR-2.1'), labels.join(', '));
      assert.ok(!labels.some((label) => label.startsWith('OUT-') || label.startsWith('REQ-')), labels.join(', '));
    });

    test('front-matter `status:` offers its values', async () => {
      const line = at(GUEST, 'status: approved').line;
      const list = await request<CompletionList>('textDocument/completion', GUEST, {
        position: { line, character: 'status: '.length },
        context: { triggerKind: 1 },
      });
      assert.ok(
        list.items.some((item) => item.label === 'draft'),
        JSON.stringify(list.items.map((item) => item.label)),
      );
    });
  });

  describe('definition and references', () => {
    test('definition of a Traces reference is the outcome heading in the strategy', async () => {
      const locations = await request<Location[]>('textDocument/definition', GUEST, { position: { line: 24, character: 10 } });
      assert.deepEqual(locations, [{ uri: uri(STRATEGY), range: range(33, 4, 9) }]);
    });

    test('definition from the front-matter `vision:` goes to vision.md', async () => {
      const position = at(STRATEGY, 'vision: VIS-1', 'vision: '.length + 1);
      const locations = await request<Location[]>('textDocument/definition', STRATEGY, { position });
      assert.deepEqual(locations, [{ uri: uri(VISION), range: range(2, 4, 9) }]);
    });

    test('definition of an unknown ID is empty', async () => {
      const locations = await request<Location[]>('textDocument/definition', REMINDERS, { position: at(REMINDERS, 'OUT-14', 2) });
      assert.deepEqual(locations, []);
    });

    test('references of OUT-1, with and without the declaration, include closed files and prose', async () => {
      const position = { line: 33, character: 6 };
      const withDeclaration = await request<Location[]>('textDocument/references', STRATEGY, { position, context: { includeDeclaration: true } });
      const references = [
        { uri: uri(GUEST), range: range(7, 11, 16) },
        { uri: uri(GUEST), range: range(19, 56, 61) },
        { uri: uri(GUEST), range: range(24, 8, 13) },
        { uri: uri(GUEST), range: range(30, 8, 13) },
        // REQ-3.4 in the ledger PRD, which stays closed: `Traces: OUT-5, OUT-1`.
        { uri: uri('prds/ledger-sync.md'), range: range(31, 15, 20) },
      ];
      assert.deepEqual(sortLocations(withDeclaration), sortLocations([{ uri: uri(STRATEGY), range: range(33, 4, 9) }, ...references]));
      const without = await request<Location[]>('textDocument/references', STRATEGY, { position, context: { includeDeclaration: false } });
      assert.deepEqual(sortLocations(without), sortLocations(references));
    });

    test('references of OUT-5 reach the closed ledger PRD, but not the OUT-42 inside its code block', async () => {
      const position = at(STRATEGY, '### OUT-5', 5);
      const locations = await request<Location[]>('textDocument/references', STRATEGY, { position, context: { includeDeclaration: false } });
      const ledger = uri('prds/ledger-sync.md');
      assert.deepEqual(
        sortLocations(locations),
        sortLocations([
          { uri: ledger, range: range(7, 11, 16) },
          { uri: ledger, range: range(23, 8, 13) },
          { uri: ledger, range: range(27, 8, 13) },
          { uri: ledger, range: range(31, 8, 13) },
        ]),
      );
    });
  });

  describe('rename', () => {
    /** Every workspace file, with IDs outside fenced code replaced: the text a correct rename must produce. */
    async function expectedAfterRename(oldId: string, newId: string): Promise<Map<string, { before: string; after: string }>> {
      const result = new Map<string, { before: string; after: string }>();
      const files = (await readdir(workspace.root, { recursive: true })).filter((file) => file.endsWith('.md'));
      const token = new RegExp(`(?<![A-Za-z0-9_.-])${oldId.replace(/\./g, '\\.')}(?![A-Za-z0-9_-]|\\.[A-Za-z0-9])`, 'g');
      for (const file of files) {
        const before = texts.get(file.split(path.sep).join('/')) ?? (await workspace.read(file.split(path.sep).join('/')));
        let inFence = false;
        const after = before
          .split('\n')
          .map((line) => {
            if (/^\s*```/.test(line)) inFence = !inFence;
            return inFence ? line : line.replace(token, newId);
          })
          .join('\n');
        if (after !== before) result.set(fileUri(path.join(workspace.root, file)), { before, after });
      }
      return result;
    }

    function assertCoversEveryFile(edit: WorkspaceEdit, expected: Map<string, { before: string; after: string }>) {
      assert.ok(expected.size >= 2, 'every renamed ID is mentioned in at least two files');
      const changes = edit.changes ?? {};
      const documentChanges = (edit.documentChanges ?? []) as { textDocument: { uri: string }; edits: { range: Range; newText: string }[] }[];
      const editsByUri = new Map<string, { range: Range; newText: string }[]>(Object.entries(changes));
      for (const change of documentChanges) editsByUri.set(change.textDocument.uri, [...(editsByUri.get(change.textDocument.uri) ?? []), ...change.edits]);
      assert.deepEqual([...editsByUri.keys()].sort(), [...expected.keys()].sort(), 'the edit touches exactly the files that mention the ID');
      for (const [fileUri, { before, after }] of expected) assert.equal(applyEdits(before, editsByUri.get(fileUri)!), after, fileUri);
    }

    test('prepareRename on a reference gives its range and the ID as placeholder', async () => {
      const result = await request<{ range: Range; placeholder: string }>('textDocument/prepareRename', GUEST, { position: { line: 24, character: 10 } });
      assert.deepEqual(result, { range: range(24, 8, 13), placeholder: 'OUT-1' });
    });

    test('prepareRename away from any ID is null', async () => {
      assert.equal(await request('textDocument/prepareRename', GUEST, { position: at(GUEST, 'Payers who open', 2) }), null);
    });

    test('prepareRename on an undefined ID is refused with a message', async () => {
      await assert.rejects(request('textDocument/prepareRename', REMINDERS, { position: at(REMINDERS, 'OUT-14', 1) }), /OUT-14 is not defined/);
    });

    for (const [file, needle, oldId, newId] of [
      [GUEST, 'Traces: OUT-1', 'OUT-1', 'OUT-10'],
      [STRATEGY, '### OUT-5', 'OUT-5', 'OUT-50'],
      [VISION, 'id: VIS-1', 'VIS-1', 'VIS-2'],
      [STRATEGY, '### OUT-3', 'OUT-3', 'OUT-33'],
      [STRATEGY, '## OBJ-2', 'OBJ-2', 'OBJ-20'],
    ] as const) {
      test(`rename ${oldId} → ${newId} edits every file that mentions it, and only the ID`, async () => {
        const position = at(file, needle, needle.indexOf(oldId) + 1);
        const edit = await request<WorkspaceEdit>('textDocument/rename', file, { position, newName: newId });
        assertCoversEveryFile(edit, await expectedAfterRename(oldId, newId));
      });
    }

    test('rename to an ID that exists, a wrong-kind prefix or an invalid name is refused, and the server keeps going', async () => {
      const position = { line: 24, character: 10 };
      await assert.rejects(request('textDocument/rename', GUEST, { position, newName: 'OUT-2' }), /already defined/);
      await assert.rejects(request('textDocument/rename', GUEST, { position, newName: 'OBJ-9' }), /would not be an outcome/);
      await assert.rejects(request('textDocument/rename', GUEST, { position, newName: 'not an id' }), /not a valid ID/);
      assert.ok(await client.hover(uri(GUEST), 24, 10));
    });
  });

  describe('document symbols', () => {
    const names = (symbols: DocumentSymbol[]): unknown =>
      symbols.map((symbol) => (symbol.children?.length ? { [symbol.name.split(':')[0]!]: names(symbol.children) } : symbol.name.split(':')[0]));

    test('the strategy outline nests key results and outcomes in their objectives', async () => {
      const symbols = await request<DocumentSymbol[]>('textDocument/documentSymbol', STRATEGY);
      assert.deepEqual(names(symbols), [
        {
          'STR-1': [
            { 'OBJ-1': ['KR-1.1', 'KR-1.2', 'OUT-1', 'OUT-2'] },
            { 'OBJ-2': ['KR-2.1', 'KR-2.2', 'KR-2.3', 'OUT-3', 'OUT-4'] },
            { 'OBJ-3': ['KR-3.1', 'KR-3.2', 'OUT-5', 'OUT-6'] },
            { 'OBJ-4': ['KR-4.1', 'OUT-7'] },
          ],
        },
      ]);
      const objective = symbols[0]!.children![0]!;
      assert.equal(objective.name, 'OBJ-1: Make paying an invoice effortless for the payer');
      assert.deepEqual(objective.selectionRange, range(16, 3, 8));
      // Every selectionRange lies inside its range.
      const inside = (symbol: DocumentSymbol) => {
        const { range: outer, selectionRange: inner } = symbol;
        const before = (a: { line: number; character: number }, b: { line: number; character: number }) =>
          a.line < b.line || (a.line === b.line && a.character <= b.character);
        assert.ok(
          before(outer.start, inner.start) && before(inner.end, outer.end),
          `${symbol.name}: ${JSON.stringify(symbol.range)} contains ${JSON.stringify(symbol.selectionRange)}`,
        );
        for (const child of symbol.children ?? []) inside(child);
      };
      for (const symbol of symbols) inside(symbol);
    });

    test('a PRD outline lists its requirements, in headings or list items', async () => {
      assert.deepEqual(names(await request<DocumentSymbol[]>('textDocument/documentSymbol', GUEST)), [
        { 'PRD-1': ['REQ-1.1', 'REQ-1.2', 'REQ-1.3', 'REQ-1.4'] },
      ]);
      assert.deepEqual(names(await request<DocumentSymbol[]>('textDocument/documentSymbol', REMINDERS)), [
        { 'PRD-2': ['REQ-2.1', 'REQ-2.2', 'REQ-2.3', 'REQ-2.4'] },
      ]);
    });
  });

  describe('code lens', () => {
    test('above objectives and outcomes: what delivers them; above objectives and key results: their progress', async () => {
      const lenses = await request<CodeLens[]>('textDocument/codeLens', STRATEGY);
      const titleAt = (line: number) => lenses.find((lens) => lens.range.start.line === line)?.command?.title;
      // KR-3.1 (a current without unit) and KR-3.2 (no numbers) cannot be measured and get none.
      assert.equal(lenses.length, 17, 'four objectives, seven outcomes and six measurable key results');
      // KR-1.1 is 5/14 of the way (35.7%), KR-1.2 7/28 (25%): OBJ-1 is at their mean, 30.4%. Figures are rounded down.
      assert.equal(titleAt(16), 'objective 30% · 2 key results · 2 outcomes · 4 requirements');
      assert.equal(titleAt(20), 'KR 35% · objective 30%');
      assert.equal(titleAt(26), 'KR 25% · objective 30%');
      assert.equal(titleAt(69), '2 key results · 2 outcomes · 5 requirements', 'OBJ-3 has nothing measurable: no progress');
      assert.equal(titleAt(71), undefined, 'KR-3.1');
      assert.equal(titleAt(33), '3 requirements');
      assert.equal(titleAt(66), 'no requirement delivers this yet');
      const out1 = lenses.find((lens) => lens.range.start.line === 33)!;
      const locations = out1.command!.arguments![2] as Location[];
      assert.deepEqual(sortLocations(locations), [
        { uri: uri(GUEST), range: range(23, 4, 11) },
        { uri: uri(GUEST), range: range(29, 4, 11) },
        { uri: uri('prds/ledger-sync.md'), range: range(30, 4, 11) },
      ]);
    });

    test('a PRD has no lenses', async () => {
      assert.deepEqual(await request<CodeLens[]>('textDocument/codeLens', GUEST), []);
    });
  });

  describe('code actions', () => {
    test('an untraced requirement gets "Trace … to OUT-n" fixes, the PRD\'s own outcomes first; applying one clears the error', async () => {
      const diagnostics = await client.waitForDiagnostics(uri(GUEST), hasCode('untraced-requirement'));
      const untraced = diagnostics.filter((diagnostic) => diagnostic.code === 'untraced-requirement');
      const actions = await request<CodeAction[]>('textDocument/codeAction', GUEST, {
        range: untraced[0]!.range,
        context: { diagnostics: untraced, only: ['quickfix'], triggerKind: 1 },
      });
      assert.ok(actions.length >= 2, JSON.stringify(actions.map((action) => action.title)));
      assert.match(actions[0]!.title, /^Trace REQ-1\.4 to OUT-1/);
      assert.match(actions[1]!.title, /^Trace REQ-1\.4 to OUT-2/);
      assert.equal(actions[0]!.kind, 'quickfix');
      assert.equal(actions[0]!.isPreferred, true);
      assert.deepEqual(
        actions[0]!.diagnostics?.map((diagnostic) => diagnostic.code),
        ['untraced-requirement'],
      );
      const edits = actions[0]!.edit!.changes![uri(GUEST)]!;
      assert.ok(edits.length > 0);
      const newText = applyEdits(texts.get(GUEST)!, edits);
      assert.match(newText, /### REQ-1\.4: Show a receipt page after payment\n(?:.*\n)*?Traces: OUT-1\n/);
      await client.change(
        uri(GUEST),
        edits.map((edit) => ({ range: edit.range, text: edit.newText })),
      );
      await client.waitForDiagnostics(uri(GUEST), lacksCode('untraced-requirement'));
      // Undo.
      await client.change(uri(GUEST), [{ range: range(0, 0, 0, newText.split('\n').length), text: texts.get(GUEST)! }]);
      await client.waitForDiagnostics(uri(GUEST), hasCode('untraced-requirement'));
    });

    test('an unknown outcome gets "Change to …" and "Create outcome … in the strategy"', async () => {
      const diagnostics = await client.waitForDiagnostics(uri(REMINDERS), hasCode('unknown-reference'));
      const unknown = diagnostics.filter((diagnostic) => diagnostic.code === 'unknown-reference');
      const actions = await request<CodeAction[]>('textDocument/codeAction', REMINDERS, { range: unknown[0]!.range, context: { diagnostics: unknown } });
      const titles = actions.map((action) => action.title);
      assert.ok(
        titles.some((title) => /^Change to OUT-1\b/.test(title)),
        titles.join('\n'),
      );
      const create = actions.find((action) => action.title.startsWith('Create outcome OUT-14'));
      assert.ok(create, titles.join('\n'));
      assert.deepEqual(Object.keys(create.edit!.changes!), [uri(STRATEGY)]);
    });

    test('diagnostics from another tool get no actions', async () => {
      const foreign: Diagnostic = {
        range: range(37, 4, 11),
        message: 'spelling',
        source: 'cSpell',
        code: 'untraced-requirement',
        data: { fix: 'addTraces', itemId: 'REQ-1.4' },
      };
      assert.deepEqual(await request<CodeAction[]>('textDocument/codeAction', GUEST, { range: foreign.range, context: { diagnostics: [foreign] } }), []);
    });
  });

  test('the server is still alive', () => {
    assert.ok(client.alive, client.stderr);
  });
});
