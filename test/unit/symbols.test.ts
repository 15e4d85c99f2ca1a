/**
 * Document symbols (the outline, nested as written) and workspace symbols (search by ID or title).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { SymbolKind, type DocumentSymbol, type Position, type Range } from 'vscode-languageserver-types';
import { CLEAN_WORKSPACE } from '../helpers/fixtures';
import { createService, range, rangeInside } from '../helpers/memoryWorkspace';

type Shape = [string, Shape[]] | string;

/** The outline as nested names: leaves as strings, parents as [name, children]. */
function shape(symbols: DocumentSymbol[]): Shape[] {
  return symbols.map((symbol) => (symbol.children?.length ? [symbol.name.split(':')[0]!, shape(symbol.children)] : symbol.name.split(':')[0]!));
}

function before(a: Position, b: Position): boolean {
  return a.line < b.line || (a.line === b.line && a.character <= b.character);
}

function contains(outer: Range, inner: Range): boolean {
  return before(outer.start, inner.start) && before(inner.end, outer.end);
}

function* walk(symbols: DocumentSymbol[], parent?: DocumentSymbol): Generator<[DocumentSymbol, DocumentSymbol | undefined]> {
  for (const symbol of symbols) {
    yield [symbol, parent];
    yield* walk(symbol.children ?? [], symbol);
  }
}

describe('document symbols', () => {
  test('a strategy: the document, objectives, and their key results and outcomes nested as written', async () => {
    const t = await createService(CLEAN_WORKSPACE);
    const symbols = t.service.getDocumentSymbols(t.doc('strategy.md'));
    assert.deepEqual(shape(symbols), [
      [
        'STR-1',
        [
          ['OBJ-1', ['KR-1.1', 'KR-1.2', 'OUT-1', 'OUT-2']],
          ['OBJ-2', ['KR-2.1', 'KR-2.2', 'OUT-3']],
        ],
      ],
    ]);
    const [root] = symbols;
    assert.equal(root!.name, 'STR-1: Payments strategy');
    assert.equal(root!.kind, SymbolKind.Namespace);
    assert.equal(root!.detail, 'strategy');
    assert.deepEqual(root!.selectionRange, range(2, 4, 9));
    const objective = root!.children![0]!;
    assert.equal(objective.name, 'OBJ-1: Make paying effortless');
    assert.equal(objective.kind, SymbolKind.Class);
    assert.equal(objective.detail, 'objective');
    assert.deepEqual(objective.selectionRange, range(10, 3, 8));
    assert.equal(objective.range.start.line, 10);
    const keyResult = objective.children![0]!;
    assert.equal(keyResult.kind, SymbolKind.Field);
    assert.equal(keyResult.detail, 'key result');
    assert.deepEqual(keyResult.selectionRange, range(12, 2, 8));
    assert.equal(objective.children![2]!.kind, SymbolKind.Event);
  });

  test('an item\u2019s range covers its whole last line, so the breadcrumb follows the cursor there', async () => {
    const t = await createService(CLEAN_WORKSPACE);
    const keyResult = t.service.getDocumentSymbols(t.doc('strategy.md'))[0]!.children![0]!.children![0]!;
    assert.equal(keyResult.name, 'KR-1.1: Invoice conversion');
    // Line 17 is `  Due: 2027-06-30`, the last line of KR-1.1.
    assert.ok(contains(keyResult.range, range(17, 2, 17)), `KR-1.1's range ${JSON.stringify(keyResult.range)} must contain its Due line`);
  });

  test('every range lies in the document, contains its selection range and its children', async () => {
    // `oneLine.md`: OBJ-1's section ends with a one-line key result.
    const files: Record<string, string> = {
      ...CLEAN_WORKSPACE,
      'oneLine.md': '---\ntype: strategy\nid: STR-2\n---\n## OBJ-7: Seven\n- KR-7.1: One line\n## OBJ-8: Eight\n',
    };
    const t = await createService(files);
    for (const path of Object.keys(files)) {
      const text = files[path]!;
      for (const [symbol, parent] of walk(t.service.getDocumentSymbols(t.doc(path)))) {
        assert.ok(rangeInside(text, symbol.range), `${symbol.name} range inside ${path}`);
        assert.ok(contains(symbol.range, symbol.selectionRange), `${symbol.name} contains its selection range`);
        if (parent)
          assert.ok(
            contains(parent.range, symbol.range),
            `${parent.name} contains ${symbol.name}: ${JSON.stringify(parent.range)} vs ${JSON.stringify(symbol.range)}`,
          );
      }
    }
  });

  test('a PRD: requirements below the document; list items and headings alike', async () => {
    const t = await createService(CLEAN_WORKSPACE);
    assert.deepEqual(shape(t.service.getDocumentSymbols(t.doc('prds/checkout.md'))), [['PRD-1', ['REQ-1.1', 'REQ-1.2']]]);
    const ledger = t.service.getDocumentSymbols(t.doc('prds/ledger.md'));
    assert.deepEqual(shape(ledger), [['PRD-2', ['REQ-2.1']]]);
    assert.equal(ledger[0]!.children![0]!.kind, SymbolKind.Function);
    assert.equal(ledger[0]!.kind, SymbolKind.Module);
  });

  test('nested list items nest; a document without an id has its items as roots', async () => {
    const strategy = '---\ntype: strategy\n---\n- OBJ-1: Objective\n  - KR-1.1: Nested key result\n    Baseline: 1\n- OBJ-2: Second\n';
    const t = await createService({ 's.md': strategy });
    assert.deepEqual(shape(t.service.getDocumentSymbols(t.doc('s.md'))), [['OBJ-1', ['KR-1.1']], 'OBJ-2']);
  });

  test('near misses: a file without strategy front-matter, and IDs in code, have no symbols', async () => {
    const t = await createService({ 'readme.md': '# OBJ-1: Not an item\n', 's.md': '---\ntype: strategy\nid: STR-1\n---\n```\n## OBJ-1: in code\n```\n' });
    assert.deepEqual(t.service.getDocumentSymbols(t.doc('readme.md')), []);
    assert.deepEqual(shape(t.service.getDocumentSymbols(t.doc('s.md'))), ['STR-1']);
  });
});

describe('workspace symbols', () => {
  test('match IDs and titles as a case-insensitive subsequence', async () => {
    const t = await createService(CLEAN_WORKSPACE);
    const names = (query: string) =>
      t.service
        .getWorkspaceSymbols(query)
        .map((symbol) => symbol.name.split(':')[0])
        .sort();
    assert.deepEqual(names('wallet'), ['OUT-2', 'REQ-1.2']);
    assert.deepEqual(names('kr-1.'), ['KR-1.1', 'KR-1.2']);
    assert.deepEqual(names('out 3'), ['OUT-3']);
    assert.deepEqual(names('zzz'), []);
    assert.equal(t.service.getWorkspaceSymbols('').length, 16, 'every item of the workspace');
  });

  test('each symbol has its kind, file and the location of its ID', async () => {
    const t = await createService(CLEAN_WORKSPACE);
    const [symbol] = t.service.getWorkspaceSymbols('OUT-3');
    assert.deepEqual(symbol, {
      name: 'OUT-3: Finance teams reconcile payments',
      kind: SymbolKind.Event,
      containerName: 'strategy.md',
      location: { uri: t.uri('strategy.md'), range: range(42, 4, 9) },
    });
  });
});
