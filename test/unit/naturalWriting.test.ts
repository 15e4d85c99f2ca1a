/**
 * Strategy as product managers write it (issue 10): definition lines with a dash, a bold ID or a
 * kind word are read as definitions; near misses are read and reported (`unrecognised-definition`,
 * with the canonical line as the quick fix), never left as "not defined anywhere"; attribute keys
 * that mean `Traces:`/`Supports:` get a did-you-mean (`unknown-link-key`); `- Key: value` bullets
 * under an item are its attributes. Each accepted form has a fixture and a near miss that must not.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DiagnosticSeverity, type MarkupContent } from 'vscode-languageserver-types';
import { DEFAULT_CONFIG } from '../../server/src/service/model/config';
import { indexDocument } from '../../server/src/service/parse/indexDocument';
import { MINI_PRD, MINI_STRATEGY } from '../helpers/fixtures';
import { createService, md, positionOf, range, type TestService } from '../helpers/memoryWorkspace';

const HEAD = '---\ntype: strategy\nid: STR-1\n---\n';

/** `id kind "title" line:start-end` of every body item of a strategy whose body is `body` (line 4 on). */
function itemsOf(body: string): string[] {
  const index = indexDocument('file:///ws/s.md', 1, HEAD + body, DEFAULT_CONFIG);
  return index.items
    .filter((item) => !item.isDocument)
    .map((item) => `${item.id} ${item.kind} ${JSON.stringify(item.title)} ${item.idSpan.line}:${item.idSpan.start}-${item.idSpan.end}`);
}

function problemsOf(body: string): string[] {
  const index = indexDocument('file:///ws/s.md', 1, HEAD + body, DEFAULT_CONFIG);
  return index.problems.map((problem) => `${problem.rule} ${problem.span.line}:${problem.span.start}-${problem.span.end} ${problem.replacement}`);
}

describe('accepted definition lines', () => {
  const cases: readonly (readonly [string, string, string])[] = [
    ['en dash', '### OBJ-2 – Grow revenue', 'OBJ-2 objective "Grow revenue" 4:4-9'],
    ['em dash', '### OBJ-2 — Grow revenue', 'OBJ-2 objective "Grow revenue" 4:4-9'],
    ['em dash without spaces', '### OBJ-2—Grow revenue', 'OBJ-2 objective "Grow revenue" 4:4-9'],
    ['spaced hyphen', '### OBJ-2 - Grow revenue', 'OBJ-2 objective "Grow revenue" 4:4-9'],
    ['bold ID, colon after', '- **OUT-1**: Payers pay', 'OUT-1 outcome "Payers pay" 4:4-9'],
    ['bold ID, colon inside', '- **OUT-1:** Payers pay', 'OUT-1 outcome "Payers pay" 4:4-9'],
    ['bold line with an em dash', '- **OUT-CO-1 — Payers pay**', 'OUT-CO-1 outcome "Payers pay" 4:4-12'],
    ['bold heading', '### **OUT-1**: Payers pay', 'OUT-1 outcome "Payers pay" 4:6-11'],
    ['underscore bold', '- __REQ-14__: Export CSV', 'REQ-14 requirement "Export CSV" 4:4-10'],
    ['bold requirement list item', '- **REQ-14**: Export CSV', 'REQ-14 requirement "Export CSV" 4:4-10'],
    ['kind word, em dash', '### Objective OBJ-2 — Grow revenue', 'OBJ-2 objective "Grow revenue" 4:14-19'],
    ['two-word kind word, any case', '#### key Result KR-1.1: Raise NPS', 'KR-1.1 keyResult "Raise NPS" 4:16-22'],
    ['kind word in a list item', '- Outcome OUT-3: Accounts adopt', 'OUT-3 outcome "Accounts adopt" 4:10-15'],
    ['kind word inside bold', '- **Requirement REQ-2**: Export', 'REQ-2 requirement "Export" 4:16-21'],
    ['the canonical form, unchanged', '### OBJ-2: Grow revenue', 'OBJ-2 objective "Grow revenue" 4:4-9'],
  ];
  for (const [name, line, expected] of cases) {
    test(`${name}: ${line}`, () => {
      assert.deepEqual(itemsOf(line + '\n'), [expected]);
      assert.deepEqual(problemsOf(line + '\n'), []);
    });
  }

  test('a title with a hyphen inside is the title, not a separator', () => {
    assert.deepEqual(itemsOf('### OBJ-2: Self-serve - for everyone\n'), ['OBJ-2 objective "Self-serve - for everyone" 4:4-9']);
  });

  test('near misses that stay prose: no definition, no problem', () => {
    const prose = [
      '- KR-1.1 is late', // a list item starting with an ID but no separator and no emphasis
      '- OUT-1/2 are merged',
      '- OUT-1, OUT-2 and OUT-3',
      '- OUT-1:2 ratio',
      '- OUT-1-based plan',
      '### Outcome metrics',
      '### Objective: grow',
      '- Objective for next year',
      '### XYZ-1: unknown prefix',
      '- **Note**: OUT-1 first',
      '- [OUT-1](#out-1) link',
    ];
    for (const line of prose) {
      assert.deepEqual(itemsOf(line + '\n'), [], line);
      assert.deepEqual(problemsOf(line + '\n'), [], line);
    }
  });

  test('the document heading repeating the front-matter id with a dash is its title, not a definition', () => {
    assert.deepEqual(itemsOf('# STR-1 — Payments strategy\n'), []);
    assert.deepEqual(problemsOf('# STR-1 — Payments strategy\n'), []);
  });
});

describe('unrecognised-definition', () => {
  const cases: readonly (readonly [string, string, string, string])[] = [
    [
      'a kind word that does not match the ID',
      '### Outcome OBJ-2: Grow revenue',
      'OBJ-2 objective "Grow revenue" 4:12-17',
      'unrecognised-definition 4:4-31 OBJ-2: Grow revenue',
    ],
    ['a heading without separator', '### OBJ-2 Grow revenue', 'OBJ-2 objective "Grow revenue" 4:4-9', 'unrecognised-definition 4:4-22 OBJ-2: Grow revenue'],
    ['a heading that is only an ID', '### OBJ-2', 'OBJ-2 objective "" 4:4-9', 'unrecognised-definition 4:4-9 OBJ-2:'],
    [
      'a bold list item without separator',
      '- **REQ-14** Export CSV',
      'REQ-14 requirement "Export CSV" 4:4-10',
      'unrecognised-definition 4:2-23 REQ-14: Export CSV',
    ],
    [
      'a kind-worded list item without separator',
      '- Outcome OUT-3 Accounts',
      'OUT-3 outcome "Accounts" 4:10-15',
      'unrecognised-definition 4:2-24 OUT-3: Accounts',
    ],
    ['a bracketed ID (handbook: `## [KB-BAC-1] Process`)', '## [OBJ-7] Grow', 'OBJ-7 objective "Grow" 4:4-9', 'unrecognised-definition 4:3-15 OBJ-7: Grow'],
  ];
  for (const [name, line, item, problem] of cases) {
    test(`${name}: indexed and reported`, () => {
      assert.deepEqual(itemsOf(line + '\n'), [item]);
      assert.deepEqual(problemsOf(line + '\n'), [problem]);
    });
  }

  const strategy = md`
    ---
    type: strategy
    id: STR-1
    ---
    ### Outcome OBJ-2: Grow revenue
    - KR-2.1: Raise NPS
      Baseline: 1
      Target: 2
      Due: 2027-01-01
  `;
  const prd = md`
    ---
    type: prd
    id: PRD-1
    ---
    ### OUT-5 Payers pay
    Supports: OBJ-2
  `;

  test('a warning on the line, with the message; references to the ID are not unknown', async () => {
    const t = await createService({ 's.md': strategy, 'o.md': prd, 'p.md': 'other\n' });
    const [diagnostic, ...rest] = t.diagnosticsOf('s.md', 'unrecognised-definition');
    assert.equal(rest.length, 0);
    assert.deepEqual(diagnostic!.range, range(4, 4, 31));
    assert.equal(diagnostic!.severity, DiagnosticSeverity.Warning);
    assert.equal(
      diagnostic!.message,
      'This line reads as the definition of OBJ-2, but it calls it "Outcome", and OBJ- is the prefix of objectives, not outcomes: write `OBJ-2: Grow revenue`.',
    );
    assert.deepEqual(
      t.diagnosticsOf('o.md', 'unrecognised-definition').map((d) => d.message),
      ['This line reads as the definition of OUT-5, but it has no `:` after the ID: write `OUT-5: Payers pay`.'],
    );
    // OBJ-2 is read: the key result's parent, the outcome's Supports; no unknown-reference anywhere.
    assert.deepEqual(t.diagnosticsOf('o.md', 'unknown-reference'), []);
    assert.deepEqual(t.diagnosticsOf('s.md', 'unknown-reference'), []);
    assert.deepEqual(t.diagnosticsOf('o.md', 'unsupported-outcome'), []);
  });

  test('the quick fix rewrites the line to `ID: title`, and the warning goes', async () => {
    const t = await createService({ 's.md': strategy, 'o.md': prd });
    for (const [path, expected] of [
      ['s.md', '### OBJ-2: Grow revenue'],
      ['o.md', '### OUT-5: Payers pay'],
    ] as const) {
      const [diagnostic] = t.diagnosticsOf(path, 'unrecognised-definition');
      const actions = t.service.getCodeActions(t.doc(path), [diagnostic!]);
      assert.deepEqual(
        actions.map((action) => [action.title, action.isPreferred]),
        [[`Rewrite as \`${expected.slice(4)}\``, true]],
      );
      t.workspace.applyEdit(actions[0]!.edit);
      assert.equal(t.workspace.text(path).split('\n')[4], expected);
    }
    await t.service.initialize();
    assert.deepEqual(t.diagnosticsOf('s.md', 'unrecognised-definition'), []);
    assert.deepEqual(t.diagnosticsOf('o.md', 'unrecognised-definition'), []);
  });

  test('suppressible like every rule', async () => {
    const text = strategy.replace('### Outcome', '<!-- throughline-disable-next-line unrecognised-definition -->\n### Outcome');
    const t = await createService({ 's.md': text });
    assert.deepEqual(t.diagnosticsOf('s.md', 'unrecognised-definition'), []);
  });
});

describe('unknown-link-key', () => {
  const prd = md`
    ---
    type: prd
    id: PRD-1
    ---
    ### REQ-1: Requirement one
    Outcome: OUT-1
    Owner: Ana
  `;

  test('`Outcome: OUT-1` on a requirement: did you mean `Traces:`, on the key', async () => {
    const t = await createService({ 's.md': MINI_STRATEGY, 'p.md': prd });
    const [diagnostic, ...rest] = t.diagnosticsOf('p.md', 'unknown-link-key');
    assert.equal(rest.length, 0);
    assert.deepEqual(diagnostic!.range, range(5, 0, 7));
    assert.equal(diagnostic!.severity, DiagnosticSeverity.Warning);
    assert.equal(diagnostic!.message, '`Outcome:` is not a link key, so REQ-1 is not linked to what it names: did you mean `Traces:`?');
    // Not a link: the requirement is still untraced.
    assert.equal(t.diagnosticsOf('p.md', 'untraced-requirement').length, 1);
  });

  test('the quick fix rewrites the key; the requirement is then traced', async () => {
    const t = await createService({ 's.md': MINI_STRATEGY, 'p.md': prd });
    const [diagnostic] = t.diagnosticsOf('p.md', 'unknown-link-key');
    const actions = t.service.getCodeActions(t.doc('p.md'), [diagnostic!]);
    assert.deepEqual(
      actions.map((action) => action.title),
      ['Change `Outcome` to `Traces`'],
    );
    t.workspace.applyEdit(actions[0]!.edit);
    assert.equal(t.workspace.text('p.md').split('\n')[5], 'Traces: OUT-1');
    await t.service.initialize();
    assert.deepEqual(t.diagnosticsOf('p.md', 'unknown-link-key'), []);
    assert.deepEqual(t.diagnosticsOf('p.md', 'untraced-requirement'), []);
  });

  const keys: readonly (readonly [string, string, string])[] = [
    ['Outcomes', 'OUT-1, OUT-2', 'Traces'],
    ['Traced to', 'OUT-1', 'Traces'],
    ['Trace', 'OUT-1', 'Traces'],
    ['Traecs', 'OUT-1', 'Traces'],
    ['Serves', 'OUT-1', 'Traces'],
  ];
  for (const [key, value, replacement] of keys) {
    test(`\`${key}: ${value}\` on a requirement → \`${replacement}:\``, () => {
      const text = prd.replace('Outcome: OUT-1', `${key}: ${value}`);
      return createService({ 's.md': MINI_STRATEGY, 'p.md': text }).then((t: TestService) => {
        assert.deepEqual(
          t.diagnosticsOf('p.md', 'unknown-link-key').map((d) => [d.range, d.message]),
          [[range(5, 0, key.length), `\`${key}:\` is not a link key, so REQ-1 is not linked to what it names: did you mean \`${replacement}:\`?`]],
        );
      });
    });
  }

  test('on an outcome, `Serves:`, `Supported by:` and `Objective:` before objectives mean `Supports:`', async () => {
    const strategy = md`
      ---
      type: strategy
      id: STR-1
      ---
      ## OBJ-1: Objective one
      ### OUT-1: One
      Serves: OBJ-1
      ### OUT-2: Two
      Supported by: OBJ-1
      ### OUT-3: Three
      Objective: OBJ-1
    `;
    const t = await createService({ 's.md': strategy });
    assert.deepEqual(
      t.diagnosticsOf('s.md', 'unknown-link-key').map((d) => [d.range.start.line, d.message.slice(-25)]),
      [
        [6, 'did you mean `Supports:`?'],
        [8, 'did you mean `Supports:`?'],
        [10, 'did you mean `Supports:`?'],
      ],
    );
  });

  test('near misses: prose values, other keys and IDs of other kinds are not reported', async () => {
    const text = md`
      ---
      type: prd
      id: PRD-1
      ---
      ### REQ-1: Requirement one
      Traces: OUT-1
      Owner: Ana
      Outcome: faster payments
      Depends on: REQ-2
      Notes: see OUT-1
      Related to: REQ-2
      Serves: everyone
      ### REQ-2: Requirement two
      Traces: OUT-1
    `;
    const t = await createService({ 's.md': MINI_STRATEGY, 'p.md': text });
    assert.deepEqual(t.diagnosticsOf('p.md', 'unknown-link-key'), []);
  });
});

describe('attributes as bullets', () => {
  const strategy = md`
    ---
    type: strategy
    id: STR-1
    ---
    ## OBJ-1: Objective one
    - KR-1.1: Raise NPS
      - Baseline: 1.8
      - Target: 3
      - Due: 2027-06-30
    - KR-1.2: Cut churn
      - Baseline: 10
      - Target: 5
      - Due: 2027-06-30
    ### OUT-1: Outcome one
    - Supports: KR-1.1
    - Owner: Ana
  `;

  test('nested `- Key: value` bullets are the list item\u2019s attributes, with exact ranges', () => {
    const index = indexDocument('file:///ws/s.md', 1, strategy, DEFAULT_CONFIG);
    const kr = index.items.find((item) => item.id === 'KR-1.1')!;
    assert.deepEqual(
      kr.attributes.map((attribute) => [attribute.name, attribute.value, attribute.keySpan, attribute.valueSpan]),
      [
        ['baseline', '1.8', { line: 6, start: 4, end: 12 }, { line: 6, start: 14, end: 17 }],
        ['target', '3', { line: 7, start: 4, end: 10 }, { line: 7, start: 12, end: 13 }],
        ['due', '2027-06-30', { line: 8, start: 4, end: 7 }, { line: 8, start: 9, end: 19 }],
      ],
    );
  });

  test('bullets right after a heading item are its attributes: Supports links', async () => {
    const t = await createService({ 's.md': strategy, 'p.md': MINI_PRD });
    const index = indexDocument('file:///ws/s.md', 1, strategy, DEFAULT_CONFIG);
    const outcome = index.items.find((item) => item.id === 'OUT-1')!;
    assert.deepEqual(
      outcome.attributes.map((attribute) => [attribute.key, attribute.value]),
      [
        ['Supports', 'KR-1.1'],
        ['Owner', 'Ana'],
      ],
    );
    assert.equal(outcome.owner, 'Ana');
    // Measurable key results, a supported outcome: the bullets count as attributes for the rules.
    assert.deepEqual(t.diagnosticsOf('s.md', 'unmeasurable-key-result'), []);
    assert.deepEqual(t.diagnosticsOf('s.md', 'unsupported-outcome'), []);
    assert.deepEqual(t.diagnosticsOf('s.md', 'objective-without-outcomes'), []);
  });

  test('hover, definition and references work on an ID in a bullet attribute', async () => {
    const t = await createService({ 's.md': strategy, 'p.md': MINI_PRD });
    const at = positionOf(strategy, 'Supports: KR-1.1', 11);
    assert.match((t.service.getHover(t.doc('s.md'), at)!.contents as MarkupContent).value, /^\*\*KR-1\.1\*\* — Raise NPS/);
    assert.deepEqual(
      t.service.getDefinition(t.doc('s.md'), at).map((location) => location.range),
      [range(5, 2, 8)],
    );
    assert.deepEqual(
      t.service.getReferences(t.doc('s.md'), at, false).map((location) => location.range),
      [range(14, 12, 18)],
    );
  });

  test('near misses: a bullet that is no `Key: value`, or comes after prose, ends the attributes', () => {
    const text = md`
      ---
      type: strategy
      id: STR-1
      ---
      - KR-1.1: Raise NPS
        - we will see
        - Baseline: 1
      ### OUT-1: Outcome one

      Some prose.

      - Owner: Ana
    `;
    const index = indexDocument('file:///ws/s.md', 1, text, DEFAULT_CONFIG);
    assert.deepEqual(
      index.items.filter((item) => !item.isDocument).map((item) => [item.id, item.attributes.length]),
      [
        ['OUT-1', 0],
        ['KR-1.1', 0],
      ],
    );
  });

  test('a nested definition is an item, not an attribute', () => {
    const text = md`
      ---
      type: strategy
      id: STR-1
      ---
      - OBJ-1: Objective
        - KR-1.1: Raise NPS
          - Target: 3
    `;
    const index = indexDocument('file:///ws/s.md', 1, text, DEFAULT_CONFIG);
    assert.deepEqual(
      index.items.filter((item) => !item.isDocument).map((item) => [item.id, item.parentId, item.attributes.map((attribute) => attribute.name)]),
      [
        ['OBJ-1', 'STR-1', []],
        ['KR-1.1', 'OBJ-1', ['target']],
      ],
    );
  });
});
