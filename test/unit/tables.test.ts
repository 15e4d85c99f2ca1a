/**
 * Tables define items (issue 10): a GFM table whose `ID` column (or first column) holds IDs
 * defines one item per row; header cells are the attribute keys, cells the values, with exact
 * ranges, so hover, definition, references, rename, diagnostics and quick fixes work on cells.
 * Tables without IDs stay prose.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { MarkupContent } from 'vscode-languageserver-types';
import { DEFAULT_CONFIG } from '../../server/src/service/model/config';
import { indexDocument } from '../../server/src/service/parse/indexDocument';
import { createService, md, positionOf, range } from '../helpers/memoryWorkspace';

const STRATEGY = md`
  ---
  type: strategy
  id: STR-1
  ---
  ## OBJ-1: Make paying effortless

  | ID | Key result | Baseline | Target | Due date | Owner |
  |----|------------|---------:|-------:|----------|-------|
  | KR-1.1 | Raise NPS | 1.8 | 3 | 2027-06-30 | Ana |
  | **KR-1.2** | Cut \`churn\\|loss\` | 5% | 3% | 2027-06-30 | |

  | Outcome | ID | Supports |
  |---|---|---|
  | Payers pay without an account | OUT-1 | KR-1.1, KR-1.2 |
`;

const PRD = md`
  ---
  type: prd
  id: PRD-1
  outcomes: [OUT-1]
  ---
  | Requirement | Title | Traces | Priority |
  |---|---|---|---|
  | REQ-1 | Guest checkout | OUT-1 | must |
  | REQ-2 | Receipts | | should |
`;

function bodyItems(text: string) {
  return indexDocument('file:///ws/s.md', 1, text, DEFAULT_CONFIG).items.filter((item) => !item.isDocument);
}

describe('table items', () => {
  test('one item per row: ID, title, parent and attributes with the header cell as key', () => {
    const items = bodyItems(STRATEGY);
    assert.deepEqual(
      items.map((item) => [item.id, item.kind, item.title, item.idSpan, item.line, item.endLine, item.parentId, item.inTable]),
      [
        ['OBJ-1', 'objective', 'Make paying effortless', { line: 4, start: 3, end: 8 }, 4, 14, 'STR-1', undefined],
        ['KR-1.1', 'keyResult', 'Raise NPS', { line: 8, start: 2, end: 8 }, 8, 8, 'OBJ-1', true],
        ['KR-1.2', 'keyResult', 'Cut `churn|loss`', { line: 9, start: 4, end: 10 }, 9, 9, 'OBJ-1', true],
        ['OUT-1', 'outcome', 'Payers pay without an account', { line: 13, start: 34, end: 39 }, 13, 13, 'OBJ-1', true],
      ],
    );
    const kr = items[1]!;
    assert.deepEqual(
      kr.attributes.map((attribute) => [attribute.key, attribute.name, attribute.value, attribute.keySpan, attribute.valueSpan]),
      [
        ['Baseline', 'baseline', '1.8', { line: 6, start: 20, end: 28 }, { line: 8, start: 23, end: 26 }],
        ['Target', 'target', '3', { line: 6, start: 31, end: 37 }, { line: 8, start: 29, end: 30 }],
        ['Due date', 'due', '2027-06-30', { line: 6, start: 40, end: 48 }, { line: 8, start: 33, end: 43 }],
        ['Owner', 'owner', 'Ana', { line: 6, start: 51, end: 56 }, { line: 8, start: 46, end: 49 }],
      ],
    );
    assert.equal(kr.owner, 'Ana');
    // An empty cell is an empty value at the cell.
    assert.deepEqual(
      items[2]!.attributes.map((attribute) => [attribute.name, attribute.value]),
      [
        ['baseline', '5%'],
        ['target', '3%'],
        ['due', '2027-06-30'],
        ['owner', ''],
      ],
    );
  });

  test('link cells are links; the rules read the rows as items', async () => {
    const t = await createService({ 's.md': STRATEGY, 'p.md': PRD });
    const index = t.service.graph.document(t.uri('s.md'))!;
    assert.deepEqual(
      index.references
        .filter((reference) => reference.context !== 'prose')
        .map((reference) => [reference.id, reference.context, reference.span, reference.fromId]),
      [
        ['KR-1.1', 'supports', { line: 13, start: 42, end: 48 }, 'OUT-1'],
        ['KR-1.2', 'supports', { line: 13, start: 50, end: 56 }, 'OUT-1'],
      ],
    );
    assert.deepEqual(t.diagnosticsOf('s.md', 'unmeasurable-key-result'), []);
    assert.deepEqual(t.diagnosticsOf('s.md', 'unsupported-outcome'), []);
    assert.deepEqual(t.diagnosticsOf('s.md', 'orphan-outcome'), []);
    assert.deepEqual(t.diagnosticsOf('s.md', 'key-result-count'), []);
    assert.deepEqual(
      t.diagnosticsOf('p.md', 'untraced-requirement').map((diagnostic) => [diagnostic.range, diagnostic.message]),
      [[range(8, 2, 7), "REQ-2's `Traces` cell names no outcome ID."]],
    );
  });

  test('a Traces cell naming no ID is a cell, not a line, in the message', async () => {
    const t = await createService({ 's.md': STRATEGY, 'p.md': PRD.replace('| Receipts | |', '| Receipts | to be decided |') });
    assert.deepEqual(
      t.diagnosticsOf('p.md', 'untraced-requirement').map((diagnostic) => diagnostic.message),
      ["REQ-2's `Traces` cell names no outcome ID."],
    );
  });

  test('a row of a table without a Traces column is told to add the column, not a line', async () => {
    const noColumn = md`
      ---
      type: prd
      id: PRD-1
      ---
      | Requirement | Title | Priority |
      |---|---|---|
      | REQ-1 | Guest checkout | must |

      - REQ-2: Receipts
    `;
    const t = await createService({ 's.md': STRATEGY, 'p.md': noColumn });
    assert.deepEqual(
      t.diagnosticsOf('p.md', 'untraced-requirement').map((diagnostic) => diagnostic.message),
      [
        'REQ-1 traces to no outcome: its table has no `Traces` column; add one and name the outcome in this row.',
        'REQ-2 traces to no outcome: add a `Traces: OUT-…` line below it.',
      ],
    );
  });

  test('diagnostics on a cell: an unknown ID in a Traces cell is an error at the cell\u2019s ID', async () => {
    const t = await createService({ 's.md': STRATEGY, 'p.md': PRD.replace('| OUT-1 | must', '| OUT-9 | must') });
    assert.deepEqual(
      t.diagnosticsOf('p.md', 'unknown-reference').map((diagnostic) => [diagnostic.range, diagnostic.severity]),
      [[range(7, 27, 32), 1]],
    );
  });

  test('hover and definition on an ID cell and on a reference in a cell', async () => {
    const t = await createService({ 's.md': STRATEGY, 'p.md': PRD });
    const hover = t.service.getHover(t.doc('p.md'), positionOf(PRD, 'OUT-1 |', 2));
    assert.deepEqual(hover?.range, range(7, 27, 32));
    assert.match((hover!.contents as MarkupContent).value, /^\*\*OUT-1\*\* — Payers pay without an account/);
    assert.deepEqual(
      t.service.getDefinition(t.doc('p.md'), positionOf(PRD, 'OUT-1 |', 2)).map((location) => [location.uri, location.range]),
      [[t.uri('s.md'), range(13, 34, 39)]],
    );
    const krHover = t.service.getHover(t.doc('s.md'), positionOf(STRATEGY, 'KR-1.1 |', 1));
    assert.deepEqual(krHover?.range, range(8, 2, 8));
    assert.match((krHover!.contents as MarkupContent).value, /^\*\*KR-1\.1\*\* — Raise NPS/);
  });

  test('references and rename edit the cells', async () => {
    const t = await createService({ 's.md': STRATEGY, 'p.md': PRD });
    const at = positionOf(STRATEGY, 'KR-1.1 |', 1);
    assert.deepEqual(
      t.service.getReferences(t.doc('s.md'), at, true).map((location) => location.range),
      [range(8, 2, 8), range(13, 42, 48)],
    );
    t.workspace.applyEdit(t.service.getRenameEdits(t.doc('s.md'), at, 'KR-1.7'));
    assert.equal(t.workspace.text('s.md'), STRATEGY.replace('| KR-1.1 |', '| KR-1.7 |').replace('| KR-1.1, KR-1.2 |', '| KR-1.7, KR-1.2 |'));
  });

  test('quick fix: tracing a row with an empty Traces cell writes into the cell', async () => {
    const t = await createService({ 's.md': STRATEGY, 'p.md': PRD });
    const [diagnostic] = t.diagnosticsOf('p.md', 'untraced-requirement');
    const actions = t.service.getCodeActions(t.doc('p.md'), [diagnostic!]);
    assert.equal(actions[0]!.title, 'Trace REQ-2 to OUT-1: Payers pay without an account');
    t.workspace.applyEdit(actions[0]!.edit);
    assert.equal(t.workspace.text('p.md').split('\n')[8], '| REQ-2 | Receipts | OUT-1 | should |');
    await t.service.initialize();
    assert.deepEqual(t.diagnosticsOf('p.md', 'untraced-requirement'), []);
  });

  test('quick fix: a row without a Traces column gets no line inserted into the table', async () => {
    const prd = md`
      ---
      type: prd
      id: PRD-1
      ---
      | ID | Title |
      |---|---|
      | REQ-1 | Guest checkout |
    `;
    const t = await createService({ 's.md': STRATEGY, 'p.md': prd });
    const [diagnostic] = t.diagnosticsOf('p.md', 'untraced-requirement');
    assert.deepEqual(t.service.getCodeActions(t.doc('p.md'), [diagnostic!]), []);
  });

  test('quick fix: an `Outcome` column of requirements is renamed `Traces` (one diagnostic for the header)', async () => {
    const prd = md`
      ---
      type: prd
      id: PRD-1
      ---
      | ID | Outcome |
      |---|---|
      | REQ-1 | OUT-1 |
      | REQ-2 | OUT-1 |
    `;
    const t = await createService({ 's.md': STRATEGY, 'p.md': prd });
    const diagnostics = t.diagnosticsOf('p.md', 'unknown-link-key');
    assert.deepEqual(
      diagnostics.map((diagnostic) => diagnostic.range),
      [range(4, 7, 14)],
    );
    t.workspace.applyEdit(t.service.getCodeActions(t.doc('p.md'), diagnostics)[0]!.edit);
    assert.equal(t.workspace.text('p.md').split('\n')[4], '| ID | Traces |');
    await t.service.initialize();
    assert.deepEqual(t.diagnosticsOf('p.md', 'untraced-requirement'), []);
  });

  test('the first column holds the IDs when no column is named ID; `ID: title` cells give the title', () => {
    const text = md`
      ---
      type: strategy
      id: STR-1
      ---
      | Outcome | Supports |
      |---|---|
      | OUT-1: Payers pay | OBJ-1 |
    `;
    assert.deepEqual(
      bodyItems(text).map((item) => [item.id, item.title, item.attributes.map((attribute) => attribute.name)]),
      [['OUT-1', 'Payers pay', ['supports']]],
    );
  });

  test('ID cells: a matching kind word is accepted, a mismatching one reported with the bare ID as the fix', async () => {
    const text = md`
      ---
      type: strategy
      id: STR-1
      ---
      | ID | Title |
      |---|---|
      | Objective OBJ-2 | Grow |
      | Outcome OBJ-3 | Keep |
    `;
    assert.deepEqual(
      bodyItems(text).map((item) => [item.id, item.title, item.idSpan]),
      [
        ['OBJ-2', 'Grow', { line: 6, start: 12, end: 17 }],
        ['OBJ-3', 'Keep', { line: 7, start: 10, end: 15 }],
      ],
    );
    const t = await createService({ 's.md': text });
    const [diagnostic, ...rest] = t.diagnosticsOf('s.md', 'unrecognised-definition');
    assert.equal(rest.length, 0);
    assert.deepEqual(diagnostic!.range, range(7, 2, 15));
    t.workspace.applyEdit(t.service.getCodeActions(t.doc('s.md'), [diagnostic!])[0]!.edit);
    assert.equal(t.workspace.text('s.md').split('\n')[7], '| OBJ-3 | Keep |');
  });

  test('near misses: tables without IDs, and ID cells with more text, stay prose', () => {
    const text = md`
      ---
      type: strategy
      id: STR-1
      ---
      | Metric | Value |
      |---|---|
      | NPS | 3 |

      | Item | Note |
      |---|---|
      | OUT-1 is late | see KR-1.1 |
      | \`OUT-2\` | code |

      OUT-3 | not a table
    `;
    const index = indexDocument('file:///ws/s.md', 1, text, DEFAULT_CONFIG);
    assert.deepEqual(
      index.items.filter((item) => !item.isDocument),
      [],
    );
    assert.deepEqual(
      index.references.map((reference) => [reference.id, reference.context, reference.span]),
      [
        ['OUT-1', 'prose', { line: 10, start: 2, end: 7 }],
        ['KR-1.1', 'prose', { line: 10, start: 22, end: 28 }],
        ['OUT-3', 'prose', { line: 13, start: 0, end: 5 }],
      ],
    );
  });
});
