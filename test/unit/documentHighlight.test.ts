/**
 * Document highlight: on an ID, every occurrence of it in the same document; the definition as
 * `Write`, the references as `Read`, in document order.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { DocumentHighlightKind, type DocumentHighlight, type Range } from 'vscode-languageserver-types';
import { CLEAN_WORKSPACE } from '../helpers/fixtures';
import { createService, md, range, serviceWithCursor } from '../helpers/memoryWorkspace';

const read = (at: Range): DocumentHighlight => ({ range: at, kind: DocumentHighlightKind.Read });
const write = (at: Range): DocumentHighlight => ({ range: at, kind: DocumentHighlightKind.Write });

describe('document highlight', () => {
  test('on a reference to an ID defined elsewhere: every reference here is read, other IDs on the line are not highlighted', async () => {
    const t = await createService(CLEAN_WORKSPACE);
    // L6 `outcomes: [OUT-1, OUT-2]`, L13 `Traces: OUT-1`, L17 `Traces: OUT-1, OUT-2`; the cursor on L17's OUT-1.
    assert.deepEqual(t.service.getDocumentHighlights(t.doc('prds/checkout.md'), { line: 17, character: 9 }), [
      read(range(6, 11, 16)),
      read(range(13, 8, 13)),
      read(range(17, 8, 13)),
    ]);
  });

  test('on a definition: it is written, the references in the same document are read', async () => {
    const t = await createService(CLEAN_WORKSPACE);
    // L10 `## OBJ-1: …`, L24 `Supports: OBJ-1, KR-1.1`.
    const expected = [write(range(10, 3, 8)), read(range(24, 10, 15))];
    assert.deepEqual(t.service.getDocumentHighlights(t.doc('strategy.md'), { line: 10, character: 3 }), expected);
    assert.deepEqual(t.service.getDocumentHighlights(t.doc('strategy.md'), { line: 24, character: 15 }), expected);
  });

  test("a document's ID: the front-matter `id` is written, the heading repeating it is read", async () => {
    const t = await createService(CLEAN_WORKSPACE);
    assert.deepEqual(t.service.getDocumentHighlights(t.doc('prds/checkout.md'), { line: 8, character: 4 }), [write(range(2, 4, 9)), read(range(8, 2, 7))]);
  });

  test('an unknown ID and a duplicated one: every occurrence, each definition written', async () => {
    const { service, document, position } = await serviceWithCursor(
      {
        's.md': md`
          ---
          type: strategy
          id: STR-1
          ---
          ## OBJ-1: First
          ## OBJ-1: Again
          See OBJ-|1 and OUT-9; OUT-9 again.
        `,
      },
      's.md',
    );
    assert.deepEqual(service.getDocumentHighlights(document, position), [write(range(4, 3, 8)), write(range(5, 3, 8)), read(range(6, 4, 9))]);
    assert.deepEqual(service.getDocumentHighlights(document, { line: 6, character: 23 }), [read(range(6, 14, 19)), read(range(6, 21, 26))]);
  });

  test('near misses: prose without an ID, an ID in code, a stale version and a file that takes no part give nothing', async () => {
    const prd = '---\ntype: prd\nid: PRD-1\n---\nThe `OUT-1` in code.\n';
    const t = await createService({ ...CLEAN_WORKSPACE, 'p.md': prd, 'readme.md': '# Readme\nOUT-1\n' });
    assert.deepEqual(t.service.getDocumentHighlights(t.doc('prds/checkout.md'), { line: 13, character: 3 }), []);
    assert.deepEqual(t.service.getDocumentHighlights(t.doc('p.md'), { line: 4, character: 7 }), []);
    assert.deepEqual(t.service.getDocumentHighlights(t.doc('readme.md'), { line: 1, character: 2 }), []);
    const current = t.doc('prds/checkout.md');
    const stale = TextDocument.create(current.uri, 'markdown', current.version + 1, current.getText());
    assert.deepEqual(t.service.getDocumentHighlights(stale, { line: 17, character: 9 }), []);
  });
});
