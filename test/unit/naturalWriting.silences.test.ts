/**
 * Where Throughline was silent or wrong about what it did not understand ("when Throughline does
 * not understand a line, it says so where the author can act"):
 * - a kind word before an ID whose prefix is not configured (`### Objective CO-1: Grow revenue`)
 *   was prose without a word; it is now `unconfigured-prefix`, on the ID;
 * - `misspelled-front-matter-key` was on the opening `---`; it is now on the key, and so is its fix;
 * - a file with `id: PRD-6` and `type: discovery` has an info but was missing from the list of
 *   files not checked (the CLI side is in test/cli/notChecked.test.ts).
 * Each has a fixture that triggers it and near misses that must not.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DEFAULT_CONFIG } from '../../server/src/service/model/config';
import { indexDocument } from '../../server/src/service/parse/indexDocument';
import { whyNotChecked, whyNotCheckedDespiteProblem } from '../../server/src/service/workspace/unchecked';
import { MINI_PRD, MINI_STRATEGY } from '../helpers/fixtures';
import { applyTextEdits, createService, range } from '../helpers/memoryWorkspace';

const HEAD = '---\ntype: strategy\nid: STR-1\n---\n';

/** `rule line:start-end` of every problem, and the IDs of the body items, of a strategy whose body (line 4 on) is `body`. */
function read(body: string): { problems: string[]; items: string[] } {
  const index = indexDocument('file:///ws/s.md', 1, HEAD + body, DEFAULT_CONFIG);
  return {
    problems: index.problems.map((problem) => `${problem.rule} ${problem.span.line}:${problem.span.start}-${problem.span.end}`),
    items: index.items.filter((item) => !item.isDocument).map((item) => item.id),
  };
}

describe('unconfigured-prefix: a kind word before an ID whose prefix is not configured', () => {
  const cases: readonly (readonly [string, string, string])[] = [
    ['heading', '### Objective CO-1: Grow revenue\n', 'unconfigured-prefix 4:14-18'],
    ['list item', '- Objective CO-1: Grow revenue\n', 'unconfigured-prefix 4:12-16'],
    ['bold paragraph', '**Objective CO-1 — Grow revenue**\n', 'unconfigured-prefix 4:12-16'],
    ['table row', '| ID | Title |\n|---|---|\n| Objective CO-1 | Grow revenue |\n', 'unconfigured-prefix 6:12-16'],
    ['two-word kind word, dotted ID', '#### Key result OKR-2.1: Raise NPS\n', 'unconfigured-prefix 4:16-23'],
    ['heading with the ID alone', '### Objective CO-1\n', 'unconfigured-prefix 4:14-18'],
    ['list item with an en dash', '- Requirement JIRA-12 – Export CSV\n', 'unconfigured-prefix 4:14-21'],
  ];
  for (const [name, body, expected] of cases) {
    test(`${name}: ${body.trimEnd().split('\n').pop()}`, () => {
      assert.deepEqual(read(body), { problems: [expected], items: [] });
    });
  }

  test('the diagnostic is a warning on the ID that says which prefix to add, for which kind; no quick fix', async () => {
    const strategy = `${MINI_STRATEGY}\n### Objective CO-1: Grow revenue\n\n#### Key result OKR-2.1: Raise NPS\n`;
    const t = await createService({ 's.md': strategy, 'p.md': MINI_PRD });
    const diagnostics = t.diagnosticsOf('s.md', 'unconfigured-prefix');
    const lines = strategy.split('\n');
    const coLine = lines.indexOf('### Objective CO-1: Grow revenue');
    const okrLine = lines.indexOf('#### Key result OKR-2.1: Raise NPS');
    assert.deepEqual(
      diagnostics.map((diagnostic) => [diagnostic.range, diagnostic.severity, diagnostic.message]),
      [
        [
          range(coLine, 14, 18),
          2,
          "`CO-1` looks like an objective's ID, but `CO` is not a configured prefix, so this line defines nothing: add `prefixes: {CO: objective}` to .throughline.yml.",
        ],
        [
          range(okrLine, 16, 23),
          2,
          "`OKR-2.1` looks like a key result's ID, but `OKR` is not a configured prefix, so this line defines nothing: add `prefixes: {OKR: keyResult}` to .throughline.yml.",
        ],
      ],
    );
    // The edit belongs in .throughline.yml, whose text a quick fix on this document does not see.
    assert.deepEqual(t.service.getCodeActions(t.open('s.md'), diagnostics), []);
  });

  test('with the prefix configured, as the message says, the line defines the item and the warning is gone', async () => {
    const strategy = `${MINI_STRATEGY}\n### Objective CO-1: Grow revenue\n`;
    const t = await createService({ '.throughline.yml': 'prefixes: {CO: objective}\n', 's.md': strategy, 'p.md': MINI_PRD });
    assert.deepEqual(t.diagnostics('.throughline.yml'), []);
    assert.deepEqual(t.diagnosticsOf('s.md', 'unconfigured-prefix'), []);
    assert.equal(t.service.graph.definition('CO-1')?.kind, 'objective');
  });

  test('the rule can be turned off like any other', async () => {
    const t = await createService({
      '.throughline.yml': 'rules:\n  unconfigured-prefix: off\n',
      's.md': `${MINI_STRATEGY}\n### Objective CO-1: Grow revenue\n`,
      'p.md': MINI_PRD,
    });
    assert.deepEqual(t.diagnosticsOf('s.md', 'unconfigured-prefix'), []);
  });

  test('near misses: no kind word, no ID, no digit, words right after the ID, a configured prefix, a plain paragraph', () => {
    const quiet: readonly string[] = [
      '### Objective review on 2026-03-01',
      '### Objective: grow revenue',
      'We follow ISO-9001 for every audit.',
      '- ISO-9001 compliance',
      '### ISO-9001: compliance',
      '### PRD GDPR-2016 compliance',
      '### Strategy A-B testing',
      '### Objective CO-1/2: merged',
      '- Objective CO-1 is late',
      'Objective CO-1: a plain paragraph is prose',
      '- Outcome OUT-3: Accounts adopt',
      '### Objective OBJ-2: Grow revenue',
    ];
    for (const line of quiet) {
      const { problems } = read(line + '\n');
      assert.deepEqual(problems, [], line);
    }
  });
});

describe('misspelled-front-matter-key is on the key, not on the opening `---`', () => {
  const prd = (extra: string) => `---\ntype: prd\nid: PRD-1\ntitle: Guest checkout\n${extra}---\n# PRD-1: Guest checkout\n`;

  test('`innovaton: core` on line 5: the diagnostic and its fix cover `innovaton`', async () => {
    const text = prd('owner: ines\ninnovaton: core\n');
    const t = await createService({ 'd.md': text });
    const diagnostics = t.diagnosticsOf('d.md', 'misspelled-front-matter-key');
    assert.deepEqual(
      diagnostics.map((diagnostic) => diagnostic.range),
      [range(5, 0, 9)],
    );
    const actions = t.service.getCodeActions(t.doc('d.md'), diagnostics);
    assert.deepEqual(
      actions.map((action) => action.edit!.changes![t.uri('d.md')]),
      [[{ range: range(5, 0, 9), newText: 'innovation' }]],
    );
    assert.equal(applyTextEdits(text, actions[0]!.edit!.changes![t.uri('d.md')]!), prd('owner: ines\ninnovation: core\n'));
  });

  test('a quoted key (read by the full YAML parser): the diagnostic covers the quotes, the fix keeps them', async () => {
    const text = prd('"stakeholder": [legal]\n');
    const t = await createService({ 'd.md': text });
    const diagnostics = t.diagnosticsOf('d.md', 'misspelled-front-matter-key');
    assert.deepEqual(
      diagnostics.map((diagnostic) => diagnostic.range),
      [range(4, 0, 13)],
    );
    const actions = t.service.getCodeActions(t.doc('d.md'), diagnostics);
    assert.equal(applyTextEdits(text, actions[0]!.edit!.changes![t.uri('d.md')]!), prd('"stakeholders": [legal]\n'));
  });

  test('near miss: known keys, and an unknown key close to nothing, are not reported anywhere', async () => {
    const t = await createService({ 'd.md': prd('innovation: core\njira: PAY-12\n') });
    assert.deepEqual(t.diagnosticsOf('d.md', 'misspelled-front-matter-key'), []);
  });
});

describe('a file with a Throughline ID and an unknown type is not checked, and named so', () => {
  const discovery = '---\ntype: discovery\nid: PRD-6\ntitle: Substitutions\n---\n# Substitutions\n';

  test('its info says it is not checked; the reason for the summary is `unknown type`', async () => {
    const t = await createService({ 's.md': MINI_STRATEGY, 'discovery.md': discovery });
    assert.deepEqual(
      t.diagnostics('discovery.md').map((diagnostic) => [diagnostic.code, diagnostic.range.start.line]),
      [['front-matter', 1]],
    );
    assert.deepEqual(whyNotCheckedDespiteProblem({ text: discovery }), {
      reason: 'unknown type',
      detail: 'type: discovery (Throughline reads vision, strategy, prd)',
    });
    const untyped = '---\nid: PRD-7\n---\n';
    assert.deepEqual(whyNotCheckedDespiteProblem({ text: untyped }), { reason: 'not a strategy document', detail: 'no `type` in its front-matter' });
  });

  test('near misses: a strategy document in any spelling of its type is checked; an unreadable strategy document fails with `encoding`', () => {
    for (const type of ['prd', 'PRD', 'Strategy', 'product requirements document']) {
      assert.equal(whyNotChecked({ text: `---\ntype: ${type}\nid: PRD-6\n---\n` }), undefined, type);
      assert.equal(whyNotCheckedDespiteProblem({ text: `---\ntype: ${type}\nid: PRD-6\n---\n` }), undefined, type);
    }
    assert.equal(whyNotCheckedDespiteProblem({ error: 'binary file (contains NUL bytes), not read', strategyDocument: true }), undefined);
  });
});
