/**
 * Find all references: every place an ID is named, across files, optionally with its definitions.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Location } from 'vscode-languageserver-types';
import { CLEAN_WORKSPACE, PRD } from '../helpers/fixtures';
import { createService, range } from '../helpers/memoryWorkspace';

const sorted = (locations: Location[]) =>
  [...locations].sort((a, b) => a.uri.localeCompare(b.uri) || a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);

describe('references', () => {
  test('of an outcome: front-matter outcomes and every Traces, with or without the declaration', async () => {
    const t = await createService(CLEAN_WORKSPACE);
    const prd = t.uri('prds/checkout.md');
    const withoutDeclaration = sorted(t.service.getReferences(t.doc('strategy.md'), { line: 23, character: 6 }, false));
    assert.deepEqual(withoutDeclaration, [
      { uri: prd, range: range(6, 11, 16) },
      { uri: prd, range: range(13, 8, 13) },
      { uri: prd, range: range(17, 8, 13) },
    ]);
    const withDeclaration = sorted(t.service.getReferences(t.doc('strategy.md'), { line: 23, character: 6 }, true));
    assert.deepEqual(withDeclaration, sorted([...withoutDeclaration, { uri: t.uri('strategy.md'), range: range(23, 4, 9) }]));
  });

  test('from a reference gives the same answer as from the definition', async () => {
    const t = await createService(CLEAN_WORKSPACE);
    const fromDefinition = sorted(t.service.getReferences(t.doc('strategy.md'), { line: 23, character: 6 }, true));
    const fromReference = sorted(t.service.getReferences(t.doc('prds/checkout.md'), { line: 17, character: 9 }, true));
    assert.deepEqual(fromReference, fromDefinition);
  });

  test('of a key result: Supports lines; prose mentions count, code does not', async () => {
    const extra = '---\ntype: prd\nid: PRD-3\n---\nThis moves KR-1.1 directly.\n\n```\nKR-1.1 in code\n```\n';
    const t = await createService({ ...CLEAN_WORKSPACE, 'prds/extra.md': extra });
    assert.deepEqual(sorted(t.service.getReferences(t.doc('strategy.md'), { line: 12, character: 4 }, false)), [
      { uri: t.uri('prds/extra.md'), range: range(4, 11, 17) },
      { uri: t.uri('strategy.md'), range: range(24, 17, 23) },
    ]);
  });

  test('of a document ID: the strategy front-matter and the vision heading repeating it', async () => {
    const t = await createService(CLEAN_WORKSPACE);
    assert.deepEqual(sorted(t.service.getReferences(t.doc('vision.md'), { line: 2, character: 5 }, false)), [
      { uri: t.uri('strategy.md'), range: range(4, 8, 13) },
      { uri: t.uri('vision.md'), range: range(7, 2, 7) },
    ]);
  });

  test('of an unknown ID: where it is named, and no declaration', async () => {
    const prd = PRD + '\nLater: OUT-99, and again OUT-99.\n';
    const t = await createService({ ...CLEAN_WORKSPACE, 'prds/checkout.md': prd });
    const references = sorted(t.service.getReferences(t.doc('prds/checkout.md'), { line: 19, character: 9 }, true));
    assert.deepEqual(
      references.map((location) => location.range),
      [range(19, 7, 13), range(19, 25, 31)],
    );
  });

  test('near misses: an ID that only starts the same (OUT-10 vs OUT-1) and plain text', async () => {
    const other = '---\ntype: strategy\nid: STR-2\n---\n### OUT-10: Ten\nSupports: OBJ-1\n';
    const t = await createService({ ...CLEAN_WORKSPACE, 'ten.md': other });
    const references = t.service.getReferences(t.doc('strategy.md'), { line: 23, character: 6 }, false);
    assert.ok(references.every((location) => location.uri !== t.uri('ten.md')));
    assert.deepEqual(t.service.getReferences(t.doc('strategy.md'), { line: 9, character: 0 }, true), []);
  });
});
