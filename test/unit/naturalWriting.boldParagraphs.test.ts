/**
 * Issue 10, the rest of "near misses are recognised or reported, never ignored": a bold paragraph
 * that defines an item (`**OUT-CO-1 — Faster onboarding**` with `Supports:` lines under it), and a
 * plain list item `- REQ-14 Export` (an ID and a title without separator). Each form has a fixture
 * that triggers it and a near miss that must not.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DiagnosticSeverity, type MarkupContent } from 'vscode-languageserver-types';
import { DEFAULT_CONFIG } from '../../server/src/service/model/config';
import { indexDocument } from '../../server/src/service/parse/indexDocument';
import { MINI_PRD, MINI_STRATEGY } from '../helpers/fixtures';
import { createService, md, range } from '../helpers/memoryWorkspace';

const HEAD = '---\ntype: strategy\nid: STR-1\n---\n';

/** `id kind "title" line:start-end parent [key=value; …]` of every body item of a strategy whose body is `body` (line 4 on). */
function itemsOf(body: string): string[] {
  const index = indexDocument('file:///ws/s.md', 1, HEAD + body, DEFAULT_CONFIG);
  return index.items
    .filter((item) => !item.isDocument)
    .map(
      (item) =>
        `${item.id} ${item.kind} ${JSON.stringify(item.title)} ${item.idSpan.line}:${item.idSpan.start}-${item.idSpan.end} ${item.parentId} [${item.attributes
          .map((attribute) => `${attribute.key}=${attribute.value}`)
          .join('; ')}]`,
    );
}

function problemsOf(body: string): string[] {
  const index = indexDocument('file:///ws/s.md', 1, HEAD + body, DEFAULT_CONFIG);
  return index.problems.map((problem) => `${problem.rule} ${problem.span.line}:${problem.span.start}-${problem.span.end} ${problem.replacement}`);
}

describe('bold paragraphs define items', () => {
  const cases: readonly (readonly [string, string, string])[] = [
    ['bold line, em dash', '**OUT-CO-1 — Faster onboarding**\nSupports: KR-1.1\n', 'OUT-CO-1 outcome "Faster onboarding" 4:2-10 STR-1 [Supports=KR-1.1]'],
    ['bold line, colon', '**OUT-CO-1: Faster onboarding**\nSupports: KR-1.1\n', 'OUT-CO-1 outcome "Faster onboarding" 4:2-10 STR-1 [Supports=KR-1.1]'],
    ['bold line, spaced hyphen', '**OUT-1 - Faster onboarding**\nSupports: KR-1.1\n', 'OUT-1 outcome "Faster onboarding" 4:2-7 STR-1 [Supports=KR-1.1]'],
    ['bold ID, em dash after', '**OUT-1** — Faster onboarding\nSupports: KR-1.1\n', 'OUT-1 outcome "Faster onboarding" 4:2-7 STR-1 [Supports=KR-1.1]'],
    ['bold ID, colon after', '**OUT-1**: Faster onboarding\nSupports: KR-1.1\n', 'OUT-1 outcome "Faster onboarding" 4:2-7 STR-1 [Supports=KR-1.1]'],
    ['bold ID and colon', '**OUT-1:** Faster onboarding\nSupports: KR-1.1\n', 'OUT-1 outcome "Faster onboarding" 4:2-7 STR-1 [Supports=KR-1.1]'],
    ['underscore bold', '__OUT-1 — Faster onboarding__\nSupports: KR-1.1\n', 'OUT-1 outcome "Faster onboarding" 4:2-7 STR-1 [Supports=KR-1.1]'],
    ['a kind word inside the bold', '**Outcome OUT-1 — Faster onboarding**\n', 'OUT-1 outcome "Faster onboarding" 4:10-15 STR-1 []'],
    ['alone, no attributes', '**OUT-1 — Faster onboarding**\n', 'OUT-1 outcome "Faster onboarding" 4:2-7 STR-1 []'],
    [
      'attributes in the paragraph after a blank line',
      '**OUT-1 — Faster onboarding**\n\nSupports: KR-1.1\nOwner: ana\n',
      'OUT-1 outcome "Faster onboarding" 4:2-7 STR-1 [Supports=KR-1.1; Owner=ana]',
    ],
    [
      'attributes as bullets',
      '**OUT-1 — Faster onboarding**\n- Supports: KR-1.1\n- Owner: ana\n',
      'OUT-1 outcome "Faster onboarding" 4:2-7 STR-1 [Supports=KR-1.1; Owner=ana]',
    ],
  ];
  for (const [name, body, expected] of cases) {
    test(`${name}: ${JSON.stringify(body.split('\n')[0])}`, () => {
      assert.deepEqual(itemsOf(body), [expected]);
      assert.deepEqual(problemsOf(body), []);
    });
  }

  test('under an objective heading: the paragraph is the outcome, not the heading’s attributes; key results take the objective as parent', () => {
    const body = '## OBJ-1: Grow\n\n**OUT-1 — Faster onboarding**\nSupports: OBJ-1\n\n**KR-1.1: Activation**\nBaseline: 10%\n';
    assert.deepEqual(itemsOf(body), [
      'OBJ-1 objective "Grow" 4:3-8 STR-1 []',
      'OUT-1 outcome "Faster onboarding" 6:2-7 OBJ-1 [Supports=OBJ-1]',
      'KR-1.1 keyResult "Activation" 9:2-8 OBJ-1 [Baseline=10%]',
    ]);
  });

  test('prose after the attribute lines stays prose: its IDs are references', () => {
    const index = indexDocument('file:///ws/s.md', 1, HEAD + '**OUT-1 — Faster**\nSupports: KR-1.1\nSee OUT-2 too.\n', DEFAULT_CONFIG);
    assert.deepEqual(
      index.references.map((reference) => `${reference.id} ${reference.context}`),
      ['KR-1.1 supports', 'OUT-2 prose'],
    );
  });

  test('a kind word that does not match is a reported near miss; the fix keeps the line bold', () => {
    assert.deepEqual(itemsOf('**Objective OUT-1: Faster**\n'), ['OUT-1 outcome "Faster" 4:12-17 STR-1 []']);
    assert.deepEqual(problemsOf('**Objective OUT-1: Faster**\n'), ['unrecognised-definition 4:0-27 **OUT-1: Faster**']);
  });

  test('near misses that stay prose: a bold ID in running text, bold that does not close, no separator, no bold, a list item’s later paragraph', () => {
    const prose = [
      'We moved **OUT-1** to next quarter.',
      '**OUT-1** is late.',
      '**OUT-1 — Faster onboarding** is what we aim for.',
      '**OUT-1 — Faster onboarding',
      '**OUT-1 Faster onboarding**',
      '**OUT-1**',
      'OUT-1 — Faster onboarding',
      'OUT-1: Faster onboarding',
      '**Note**: OUT-1 first',
      '**XYZ-1 — unknown prefix**',
      '`**OUT-1 — in code**`',
      '- item\n\n  **OUT-1 — a later paragraph of a list item**',
    ];
    for (const body of prose) {
      assert.deepEqual(itemsOf(body + '\n'), [], body);
      assert.deepEqual(problemsOf(body + '\n'), [], body);
    }
  });

  test('the document’s own ID in bold is its title, not a second definition', () => {
    assert.deepEqual(itemsOf('**STR-1 — Payments**\n'), []);
  });
});

describe('bold paragraphs in the workspace: no false "not defined anywhere", and every feature works', () => {
  const strategy = md`
    ---
    type: strategy
    id: STR-1
    ---
    ## OBJ-1: Objective one
    - KR-1.1: Key result one
      Baseline: 1
      Target: 2
      Due: 2027-01-01
    - KR-1.2: Key result two
      Baseline: 10
      Target: 20
      Due: 2027-01-01

    **OUT-CO-1 — Faster onboarding**
    Supports: KR-1.1
    Owner: ana
  `; // OUT-CO-1 on line 14, its ID at 2-10
  const prd = md`
    ---
    type: prd
    id: PRD-1
    outcomes: [OUT-CO-1]
    ---
    ### REQ-1: Requirement one
    Traces: OUT-CO-1
  `; // the trace on line 6, 8-16

  test('defined: no unknown-reference, supported, delivered, no problem at all', async () => {
    const t = await createService({ 's.md': strategy, 'p.md': prd });
    assert.deepEqual(t.diagnostics('p.md'), []);
    assert.deepEqual(t.diagnostics('s.md'), []);
    assert.deepEqual([t.service.getCoverage().outcomes, t.service.getCoverage().deliveredOutcomes, t.service.getCoverage().tracedRequirements], [1, 1, 1]);
  });

  test('hover on the definition and on a reference', async () => {
    const t = await createService({ 's.md': strategy, 'p.md': prd });
    for (const [path, line, character] of [
      ['s.md', 14, 4],
      ['p.md', 6, 10],
    ] as const) {
      const hover = t.service.getHover(t.doc(path), { line, character });
      const value = (hover?.contents as MarkupContent | undefined)?.value ?? '';
      assert.match(value, /OUT-CO-1/, `${path}`);
      assert.match(value, /Faster onboarding/, `${path}`);
      assert.match(value, /owner: ana/, `${path}`);
    }
  });

  test('go to definition lands on the bold ID; references find both; rename edits the bold ID and the trace', async () => {
    const t = await createService({ 's.md': strategy, 'p.md': prd });
    const definitions = t.service.getDefinition(t.doc('p.md'), { line: 6, character: 10 });
    const locations = (Array.isArray(definitions) ? definitions : definitions ? [definitions] : []) as {
      uri?: string;
      targetUri?: string;
      range?: unknown;
      targetSelectionRange?: unknown;
    }[];
    assert.equal(locations.length, 1);
    assert.equal(locations[0]!.uri ?? locations[0]!.targetUri, t.uri('s.md'));
    assert.deepEqual(locations[0]!.range ?? locations[0]!.targetSelectionRange, range(14, 2, 10));

    const references = t.service.getReferences(t.doc('s.md'), { line: 14, character: 4 }, true);
    assert.deepEqual(references.map((location) => `${location.uri.split('/').pop()} ${location.range.start.line}:${location.range.start.character}`).sort(), [
      'p.md 3:11',
      'p.md 6:8',
      's.md 14:2',
    ]);

    t.workspace.applyEdit(t.service.getRenameEdits(t.doc('s.md'), { line: 14, character: 4 }, 'OUT-CO-2'));
    assert.equal(t.workspace.text('s.md').split('\n')[14], '**OUT-CO-2 — Faster onboarding**');
    assert.equal(t.workspace.text('p.md').split('\n')[6], 'Traces: OUT-CO-2');
  });

  test('the near miss of a bold paragraph is reported with a fix that keeps it bold, and read as the definition', async () => {
    const text = strategy.replace('**OUT-CO-1 — Faster onboarding**', '**Objective OUT-CO-1 — Faster onboarding**');
    const t = await createService({ 's.md': text, 'p.md': prd });
    const [diagnostic, ...rest] = t.diagnosticsOf('s.md', 'unrecognised-definition');
    assert.equal(rest.length, 0);
    assert.deepEqual(t.diagnosticsOf('p.md', 'unknown-reference'), []);
    const actions = t.service.getCodeActions(t.doc('s.md'), [diagnostic!]);
    assert.deepEqual(
      actions.map((action) => action.title),
      ['Rewrite as `**OUT-CO-1: Faster onboarding**`'],
    );
    t.workspace.applyEdit(actions[0]!.edit);
    assert.equal(t.workspace.text('s.md').split('\n')[14], '**OUT-CO-1: Faster onboarding**');
    await t.service.initialize();
    assert.deepEqual(t.diagnosticsOf('s.md', 'unrecognised-definition'), []);
  });
});

describe('`- REQ-14 Export`: a plain list item with an ID and a title but no separator', () => {
  test('with `Key: value` lines or bullets under it, it meant a definition: read as one and reported, with the fix', () => {
    for (const body of ['- REQ-14 Export CSV\n  Traces: OUT-1\n', '- REQ-14 Export CSV\n  - Traces: OUT-1\n']) {
      assert.deepEqual(itemsOf(body), ['REQ-14 requirement "Export CSV" 4:2-8 STR-1 [Traces=OUT-1]'], body);
      assert.deepEqual(problemsOf(body), ['unrecognised-definition 4:2-19 REQ-14: Export CSV'], body);
    }
  });

  test('without attributes it stays prose (a list of IDs), and is a possible definition only when the title is capitalised', () => {
    assert.deepEqual(itemsOf('- REQ-14 Export CSV\n'), []);
    assert.deepEqual(problemsOf('- REQ-14 Export CSV\n'), ['unrecognised-definition 4:2-19 REQ-14: Export CSV']);
    for (const body of ['- See REQ-14 for details', '- REQ-14 is late', '- KR-1.1 is late\n  because of REQ-2', '- REQ-14', '- REQ-14, REQ-15']) {
      assert.deepEqual(itemsOf(body + '\n'), [], body);
      assert.deepEqual(problemsOf(body + '\n'), [], body);
    }
  });

  const prd = md`
    ---
    type: prd
    id: PRD-1
    outcomes: [OUT-1]
    ---
    ## Requirements
    - REQ-14 Export CSV
    - See REQ-14 for details
  `; // the possible definition on line 6, the mention on line 7

  test('defined nowhere: `unrecognised-definition` with the fix instead of "not defined anywhere"; the mention keeps its warning', async () => {
    const t = await createService({ 's.md': MINI_STRATEGY, 'r.md': MINI_PRD, 'p.md': prd });
    const [diagnostic, ...rest] = t.diagnosticsOf('p.md', 'unrecognised-definition');
    assert.equal(rest.length, 0);
    assert.deepEqual(diagnostic!.range, range(6, 2, 19));
    assert.equal(diagnostic!.severity, DiagnosticSeverity.Warning);
    assert.equal(
      diagnostic!.message,
      'REQ-14 is defined nowhere, and this list item reads like its definition but has no `:` after the ID: write `REQ-14: Export CSV`.',
    );
    assert.deepEqual(
      t.diagnosticsOf('p.md', 'unknown-reference').map((d) => d.range.start.line),
      [7],
    );
    const actions = t.service.getCodeActions(t.doc('p.md'), [diagnostic!]);
    assert.deepEqual(
      actions.map((action) => action.title),
      ['Rewrite as `REQ-14: Export CSV`'],
    );
    t.workspace.applyEdit(actions[0]!.edit);
    assert.equal(t.workspace.text('p.md').split('\n')[6], '- REQ-14: Export CSV');
    await t.service.initialize();
    assert.deepEqual(t.diagnosticsOf('p.md', 'unrecognised-definition'), []);
    assert.deepEqual(t.diagnosticsOf('p.md', 'unknown-reference'), []);
    assert.equal(t.diagnosticsOf('p.md', 'untraced-requirement').length, 1);
  });

  test('defined elsewhere (a summary list of IDs): no diagnostic, and the line is a reference', async () => {
    const defined = MINI_PRD.replace('### REQ-1: Requirement one', '### REQ-14: Export CSV');
    const t = await createService({ 's.md': MINI_STRATEGY, 'r.md': defined, 'p.md': prd });
    assert.deepEqual(t.diagnosticsOf('p.md', 'unrecognised-definition'), []);
    assert.deepEqual(t.diagnosticsOf('p.md', 'unknown-reference'), []);
    assert.equal(t.service.getReferences(t.doc('r.md'), { line: 5, character: 5 }, false).length, 2);
  });

  test('the possible definition updates when the real one comes or goes', async () => {
    const t = await createService({ 's.md': MINI_STRATEGY, 'r.md': MINI_PRD, 'p.md': prd });
    assert.equal(t.diagnosticsOf('p.md', 'unrecognised-definition').length, 1);
    t.open('r.md', MINI_PRD.replace('### REQ-1: Requirement one', '### REQ-14: Export CSV'));
    assert.deepEqual(t.diagnosticsOf('p.md', 'unrecognised-definition'), []);
    t.open('r.md', MINI_PRD);
    assert.equal(t.diagnosticsOf('p.md', 'unrecognised-definition').length, 1);
  });
});
