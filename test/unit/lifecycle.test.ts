/**
 * Document lifecycle: stale versions and impossible positions give empty answers (never throws),
 * editor text wins over the disk until the document is closed, single files work without a
 * workspace folder, and deleted folders drop everything below them.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Position } from 'vscode-languageserver-types';
import { CLEAN_WORKSPACE, MINI_PRD, MINI_STRATEGY, PRD } from '../helpers/fixtures';
import { createService, range, type TestService } from '../helpers/memoryWorkspace';

/** Calls every position- or document-based feature and returns what each gave. */
function everything(t: TestService, document: TextDocument, position: Position) {
  const diagnostics = t.service.getDiagnostics(document.uri);
  return {
    completion: t.service.getCompletions(document, position).items,
    hover: t.service.getHover(document, position),
    definition: t.service.getDefinition(document, position),
    references: t.service.getReferences(document, position, true),
    prepareRename: t.service.prepareRename(document, position),
    rename: t.service.getRenameEdits(document, position, 'OUT-77'),
    symbols: t.service.getDocumentSymbols(document),
    lenses: t.service.getCodeLenses(document),
    actions: t.service.getCodeActions(document, diagnostics),
    links: t.service.getDocumentLinks(document),
    folding: t.service.getFoldingRanges(document),
  };
}

const EMPTY = {
  completion: [],
  hover: undefined,
  definition: [],
  references: [],
  prepareRename: undefined,
  rename: undefined,
  symbols: [],
  lenses: [],
  actions: [],
  links: [],
  folding: [],
};

describe('stale document versions', () => {
  test('every feature answers empty for a version the service has not indexed', async () => {
    const t = await createService(CLEAN_WORKSPACE);
    const stale = t.open('prds/checkout.md');
    const current = t.open('prds/checkout.md', PRD.replace('Traces: OUT-1\n', 'Traces: OUT-1\nNote: OUT-|\n'));
    // On REQ-1.1's Traces OUT-1: with the current version there are answers.
    const position = { line: 13, character: 9 };
    const fresh = everything(t, current, position);
    assert.ok(fresh.hover && fresh.definition.length && fresh.references.length && fresh.symbols.length && fresh.links.length && fresh.folding.length);
    assert.deepEqual(everything(t, stale, position), EMPTY);
  });

  test('a document the service never saw gets empty answers', async () => {
    const t = await createService(CLEAN_WORKSPACE);
    const unknown = TextDocument.create(t.uri('nowhere.md'), 'markdown', 3, PRD);
    assert.deepEqual(everything(t, unknown, { line: 13, character: 9 }), EMPTY);
    assert.deepEqual(t.service.getDiagnostics(unknown.uri), []);
  });
});

describe('positions outside the document', () => {
  test('no feature throws or answers for lines and characters beyond the text', async () => {
    const t = await createService(CLEAN_WORKSPACE);
    const document = t.doc('prds/checkout.md');
    const positions: Position[] = [
      { line: -1, character: 0 },
      { line: 0, character: -5 },
      { line: 10_000, character: 0 },
      { line: 13, character: 10_000 },
      { line: document.lineCount, character: 0 },
      { line: Number.MAX_SAFE_INTEGER, character: Number.MAX_SAFE_INTEGER },
    ];
    for (const position of positions) {
      const result = everything(t, document, position);
      for (const feature of ['completion', 'hover', 'definition', 'references', 'prepareRename', 'rename'] as const) {
        assert.deepEqual(result[feature], EMPTY[feature], `${feature} at ${JSON.stringify(position)}`);
      }
    }
  });
});

describe('editor text and disk text', () => {
  test('the open document wins over the file, and closing it falls back to the disk', async () => {
    const t = await createService({ 's.md': MINI_STRATEGY, 'p.md': MINI_PRD });
    t.open('p.md', MINI_PRD.replace('Traces: OUT-1', 'Traces: OUT-9'));
    // MINI_PRD's `Traces:` line is line 6.
    assert.deepEqual(
      t.diagnosticsOf('p.md', 'unknown-reference').map((diagnostic) => diagnostic.range),
      [range(6, 8, 13)],
    );
    // A file watcher event for an open document does not override the editor's text.
    await t.service.fileChanged(t.uri('p.md'));
    assert.equal(t.diagnosticsOf('p.md', 'unknown-reference').length, 1);
    const impact = await t.close('p.md');
    assert.ok(impact.affectedUris.has(t.uri('p.md')));
    assert.deepEqual(t.diagnostics('p.md'), []);
  });

  test('a new version with the same text is not re-indexed needlessly, a new text is', async () => {
    const t = await createService({ 's.md': MINI_STRATEGY, 'p.md': MINI_PRD });
    const impact = t.change('p.md', MINI_PRD.replace('Traces: OUT-1', 'Traces: OUT-1\nPriority: must'));
    assert.ok(impact.affectedUris.has(t.uri('p.md')));
    assert.equal(impact.structureChanged, false, 'adding a non-link attribute changes no link or definition');
    const retarget = t.change('p.md', MINI_PRD.replace('Traces: OUT-1', 'Traces: OUT-2'));
    assert.equal(retarget.structureChanged, true);
    assert.ok(retarget.affectedUris.has(t.uri('s.md')), 'OUT-1 lost its only trace: the strategy is affected');
  });

  test("a key result's figures or a PRD's portfolio keys change what the tree shows; prose does not", async () => {
    const t = await createService({ 's.md': MINI_STRATEGY, 'p.md': MINI_PRD });
    const strategy = t.workspace.text('s.md');
    assert.match(strategy, /Baseline: /);
    const moved = strategy.replace(/Baseline: (\S+)/, 'Baseline: 1$1');
    assert.equal(t.change('s.md', moved).structureChanged, true, 'progress may differ');
    assert.equal(t.change('s.md', `${moved}\nMore words about the strategy.\n`).structureChanged, false, 'prose changes nothing shown in the tree');
    const prd = t.workspace.text('p.md');
    assert.equal(t.change('p.md', prd.replace('---\n#', 'team: Payments\n---\n#')).structureChanged, true, 'the Portfolio section may differ');
  });

  test('an editor that numbers versions from 0 gets its text indexed on open', async () => {
    const t = await createService({ 's.md': MINI_STRATEGY, 'p.md': MINI_PRD });
    const edited = TextDocument.create(t.uri('p.md'), 'markdown', 0, MINI_PRD.replace('Traces: OUT-1', 'Traces: OUT-9'));
    t.service.updateDocument(edited);
    assert.deepEqual(
      t.diagnosticsOf('p.md', 'unknown-reference').map((diagnostic) => diagnostic.range),
      [range(6, 8, 13)],
    );
    assert.equal(t.service.getDefinition(edited, { line: 6, character: 9 }).length, 0, 'features answer for the editor\u2019s version 0');
    assert.ok(t.service.getHover(edited, { line: 6, character: 9 }));
  });

  test('deleting a folder drops every document below it, not those that merely share the prefix', async () => {
    const t = await createService({
      's.md': MINI_STRATEGY,
      'prds/a.md': MINI_PRD,
      'prds/b.md': MINI_PRD.replace(/REQ-1/g, 'REQ-2').replace('PRD-1', 'PRD-2'),
      'prds-old/c.md': MINI_PRD.replace(/REQ-1/g, 'REQ-3').replace('PRD-1', 'PRD-3'),
    });
    t.workspace.delete('prds/a.md');
    t.workspace.delete('prds/b.md');
    const impact = await t.service.fileDeleted(t.uri('prds'));
    assert.equal(t.service.graph.document(t.uri('prds/a.md')), undefined);
    assert.equal(t.service.graph.document(t.uri('prds/b.md')), undefined);
    assert.ok(t.service.graph.document(t.uri('prds-old/c.md')));
    assert.ok(impact.affectedUris.has(t.uri('prds/a.md')) && impact.affectedUris.has(t.uri('prds/b.md')));
  });
});

describe('single files without a workspace folder', () => {
  test('an opened file is indexed and checked, and features work on it', async () => {
    const t = await createService({}, { folders: [] });
    const strategyUri = 'file:///home/me/strategy.md';
    const prdUri = 'file:///home/me/prd.md';
    t.open(strategyUri, MINI_STRATEGY);
    const prd = t.open(prdUri, MINI_PRD.replace('Traces: OUT-1', 'Traces: OUT-1, OUT-2'));
    // Line 6 of the PRD is `Traces: OUT-1, OUT-2`; MINI_STRATEGY defines OUT-1 on line 13.
    assert.deepEqual(
      t.service.getDiagnostics(prdUri).map((diagnostic) => [diagnostic.code, diagnostic.range]),
      [['unknown-reference', range(6, 15, 20)]],
    );
    assert.deepEqual(t.service.getDefinition(prd, { line: 6, character: 9 }), [{ uri: strategyUri, range: range(13, 4, 9) }]);
    const hover = t.service.getHover(prd, { line: 6, character: 9 });
    assert.match((hover!.contents as { value: string }).value, /`\/home\/me\/strategy\.md`/, 'the path is shown without a folder');
    assert.deepEqual(
      t.service.getCompletions(prd, { line: 6, character: 8 }).items.map((item) => item.label),
      ['OUT-1'],
    );
  });

  test('untitled documents take part until they are closed', async () => {
    const t = await createService({ 's.md': MINI_STRATEGY });
    const untitled = TextDocument.create('untitled:Untitled-1', 'markdown', 1, '---\ntype: prd\nid: PRD-1\n---\n### REQ-1: Draft\nTraces: OUT-1\n');
    t.service.updateDocument(untitled);
    assert.deepEqual(t.diagnostics('s.md'), []);
    assert.ok(t.service.diagnosticUris().includes('untitled:Untitled-1'));
    await t.service.closeDocument('untitled:Untitled-1');
    assert.equal(t.service.graph.document('untitled:Untitled-1'), undefined);
    assert.deepEqual(t.diagnosticsOf('s.md', 'orphan-outcome').length, 1);
  });

  test('near miss: a non-Markdown document is ignored', async () => {
    const t = await createService({ 's.md': MINI_STRATEGY });
    const impact = t.service.updateDocument(TextDocument.create(t.uri('notes.txt'), 'plaintext', 1, MINI_PRD));
    assert.equal(impact.affectedUris.size, 0);
    assert.equal(t.service.graph.definition('REQ-1'), undefined);
  });
});
