/**
 * Lines PMs write that Throughline read without a word, so that a count or a progress figure
 * stood on part of the document (found by a review that wrote documents the way PMs do):
 * - a key result under a heading that is not an objective's (`## Key results we are still
 *   negotiating`), or before the first objective, counted toward nothing and left the tree
 *   (`key-result-without-objective`);
 * - a `Traces:`/`Supports:` value linked every ID in it, notes included (`OUT-1 (not OUT-5)`,
 *   `~~OUT-6~~ OUT-2`, `TBD (probably OUT-4)`, an ID in a comment or a code span), so outcomes the
 *   author had ruled out counted as delivered and an undecided requirement as traced;
 * - a key given twice (`Current:` once a month under one key result) was read as its first value
 *   (`repeated-attribute`);
 * - `Weight: 80%` or `Weight: 3x` was ignored, and `Weight: high` too, without a word: percentages
 *   and multiples are weights now, and what cannot be read is `implausible-value`;
 * - `**Target:** 40%`, as document tools export keys, was no attribute, and ended the item's
 *   attributes there (a `Due:` after it was lost); emphasised keys are keys now;
 * - `Actual:`, `Progress:`, `Goal:`, `Start:`, a `Now` column or `Curent:` left a key result at 0%
 *   or unmeasurable without a word (`unknown-figure-key`);
 * - a numbered or emoji heading (`## 1. OBJ-1: Grow`, `## 🎯 OBJ-1: Grow`) and a task-list key
 *   result (`- [ ] KR-3.1: Deals`) defined nothing, and every link to them was "defined nowhere";
 * - `Target: +10%` over a 50% baseline read as 10%, so lower counted as better and a key result
 *   that fell showed progress (`implausible-value`).
 * Each has a fixture that triggers it and near misses that must not.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DEFAULT_CONFIG } from '../../server/src/service/model/config';
import { indexDocument } from '../../server/src/service/parse/indexDocument';
import { MINI_PRD } from '../helpers/fixtures';
import { createService, md } from '../helpers/memoryWorkspace';

const keyResult = (id: string) => `- ${id}: Churn down\n  Baseline: 5%\n  Target: 3%\n  Due: 2027-06-30\n`;

describe('key-result-without-objective', () => {
  const strategy = (body: string) => `---\ntype: strategy\nid: STR-1\n---\n${body}`;
  const messages = async (body: string) => {
    const t = await createService({ 's.md': strategy(body), 'p.md': MINI_PRD });
    return t.diagnosticsOf('s.md', 'key-result-without-objective').map((diagnostic) => [diagnostic.range.start.line, diagnostic.message]);
  };

  test('under a heading that is not an objective, after one that is: a warning on the ID that says what it costs', async () => {
    const body = `## OBJ-1: Grow activation\n\n${keyResult('KR-1.1')}${keyResult('KR-1.2')}\n## Key results we are still negotiating\n\n${keyResult('KR-2.1')}`;
    assert.deepEqual(await messages(body), [
      [
        17,
        "KR-2.1 is under no objective, so its progress counts toward none and the alignment tree leaves it out: move it under its objective's heading (`## OBJ-…`) or list item.",
      ],
    ]);
  });

  test('before any objective, and in a strategy with no objective at all', async () => {
    assert.deepEqual(
      (await messages(`${keyResult('KR-9.1')}\n## OBJ-1: Grow activation\n\n${keyResult('KR-1.1')}`)).map(([line]) => line),
      [4],
    );
    assert.deepEqual(
      (await messages(`# STR-1: Strategy\n\n${keyResult('KR-1.1')}`)).map(([line]) => line),
      [6],
    );
  });

  test('near misses: under an objective heading, a deeper heading inside it, an objective list item, or a table under an objective', async () => {
    const underHeading = `## OBJ-1: Grow activation\n\n### Key results\n\n${keyResult('KR-1.1')}${keyResult('KR-1.2')}`;
    const underListItem = `- OBJ-1: Grow activation\n  - KR-1.1: Activation\n    Baseline: 1\n    Target: 2\n    Due: 2027-06-30\n`;
    const inTable = md`
      ## OBJ-1: Grow activation

      | ID | Key result | Baseline | Target | Due |
      |---|---|---|---|---|
      | KR-1.1 | Activation | 1 | 2 | 2027-06-30 |
    `;
    for (const body of [underHeading, underListItem, inTable]) assert.deepEqual(await messages(body), [], body);
  });
});

describe('a link value: notes in it are not links', () => {
  /** The links and the prose mentions of REQ-1, whose `Traces:` value is `value`. */
  const read = (value: string) => {
    const text = `---\ntype: prd\nid: PRD-1\n---\n### REQ-1: Export\nTraces: ${value}\n`;
    const references = indexDocument('file:///ws/p.md', 1, text, DEFAULT_CONFIG).references;
    return {
      links: references.filter((reference) => reference.context === 'traces').map((reference) => reference.id),
      mentions: references.filter((reference) => reference.context === 'prose').map((reference) => reference.id),
    };
  };

  const cases: readonly (readonly [string, string[], string[]])[] = [
    ['OUT-1 (not OUT-5, that is next half)', ['OUT-1'], ['OUT-5']],
    ['TBD (probably OUT-4)', [], ['OUT-4']],
    ['~~OUT-6~~ OUT-2', ['OUT-2'], ['OUT-6']],
    ['<!-- OUT-6 --> OUT-2', ['OUT-2'], []],
    ['OUT-1 (was `OUT-6` before the split)', ['OUT-1'], []],
    ['OUT-3 — replaces OUT-4, which we dropped', ['OUT-3'], ['OUT-4']],
    ['OUT-3 — replaces OUT-4, OUT-5', ['OUT-3', 'OUT-5'], ['OUT-4']],
    ['OUT-1 (see (also) OUT-2) OUT-3', ['OUT-1', 'OUT-3'], ['OUT-2']],
    ['OUT-1 (unclosed OUT-2', ['OUT-1'], ['OUT-2']],
  ];
  for (const [value, links, mentions] of cases) {
    test(`Traces: ${value}`, () => assert.deepEqual(read(value), { links, mentions }));
  }

  const nearMisses: readonly (readonly [string, string[]])[] = [
    ['OUT-1, OUT-2', ['OUT-1', 'OUT-2']],
    ['OUT-1 and OUT-2', ['OUT-1', 'OUT-2']],
    ['[OUT-1](s.md#out-1-one), OUT-2 ([spec](s.md#out-2-two))', ['OUT-1', 'OUT-2']],
    ['OUT-1–OUT-3', ['OUT-1', 'OUT-3']],
    ['OUT-1 ~ OUT-2', ['OUT-1', 'OUT-2']],
    ['OUT-1 - OUT-2', ['OUT-1', 'OUT-2']],
    // IDs alone in parentheses are links: `Title (ID)` is a common way to write a trace.
    ['Faster onboarding (OUT-1)', ['OUT-1']],
    ['[Checkout](s.md) (OUT-1)', ['OUT-1']],
    ['Checkout (OUT-1, OUT-2 and OUT-3)', ['OUT-1', 'OUT-2', 'OUT-3']],
    // An em dash's note ends at the next separator; a lone `~` is "about", not strikethrough.
    ['OUT-1 — checkout; OUT-2 — wallet', ['OUT-1', 'OUT-2']],
    ['OUT-1 ~60%, OUT-2 ~40%', ['OUT-1', 'OUT-2']],
    ['OUT-1 ~~ OUT-2 ~~', ['OUT-1', 'OUT-2']],
    ['\\(OUT-1\\)', ['OUT-1']],
  ];
  for (const [value, links] of nearMisses) {
    test(`near miss, every ID a link: Traces: ${value}`, () => assert.deepEqual(read(value).links, links));
  }

  test('what the links count: a requirement whose only ID is in a note is untraced, and an outcome named only in a note is not delivered', async () => {
    const strategy = md`
      ---
      type: strategy
      id: STR-1
      ---
      ## OBJ-1: Grow activation
      - KR-1.1: Activation
        Baseline: 1
        Target: 2
        Due: 2027-06-30
      ### OUT-1: Faster onboarding
      Supports: KR-1.1
      ### OUT-5: Next half
      Supports: KR-1.1 (and KR-9.9 later)
    `;
    const prd = md`
      ---
      type: prd
      id: PRD-1
      ---
      | ID | Title | Traces |
      |---|---|---|
      | REQ-1 | Export | OUT-1 (not OUT-5) |
      | REQ-2 | Import | TBD (probably OUT-5) |
    `;
    const t = await createService({ 's.md': strategy, 'p.md': prd });
    assert.deepEqual(
      t.diagnosticsOf('p.md', 'untraced-requirement').map((diagnostic) => diagnostic.message),
      ["REQ-2's `Traces` cell names no outcome ID."],
    );
    assert.deepEqual(
      t.diagnosticsOf('s.md', 'orphan-outcome').map((diagnostic) => diagnostic.message),
      ['No requirement traces to OUT-5: nothing delivers this outcome yet.'],
    );
    // KR-9.9 in a note is a mention: a warning that it is defined nowhere, not a broken link (an error).
    assert.deepEqual(
      t.diagnosticsOf('s.md', 'unknown-reference').map((diagnostic) => [diagnostic.message, diagnostic.severity]),
      [['KR-9.9 is not defined anywhere in the workspace.', 2]],
    );
  });
});

describe('repeated-attribute', () => {
  const strategy = (keyResults: string) => `---\ntype: strategy\nid: STR-1\n---\n## OBJ-1: Grow activation\n${keyResults}`;

  test('a check-in log under one key result: each later `Current:` is a warning on its key that names the value read', async () => {
    const t = await createService({
      's.md': strategy(
        '- KR-1.1: Check-in log\n  Baseline: 40%\n  Target: 50%\n  Current: 42% (Jan)\n  Current: 46% (Feb)\n  Current: 49% (Mar)\n  Due: 2027-06-30\n' +
          '- KR-1.2: Setup\n  Baseline: 1\n  Target: 2\n  Target: 3\n  Due: 2027-06-30\n',
      ),
      'p.md': MINI_PRD,
    });
    assert.deepEqual(
      t.diagnosticsOf('s.md', 'repeated-attribute').map((diagnostic) => [diagnostic.range.start.line, diagnostic.range.start.character, diagnostic.message]),
      [
        [
          9,
          2,
          'KR-1.1 gives `Current:` more than once, and only the first (42% (Jan)) is read: keep the latest alone (git history keeps the earlier ones as check-ins).',
        ],
        [
          10,
          2,
          'KR-1.1 gives `Current:` more than once, and only the first (42% (Jan)) is read: keep the latest alone (git history keeps the earlier ones as check-ins).',
        ],
        [15, 2, 'KR-1.2 gives `Target:` more than once, and only the first (2) is read: keep one.'],
      ],
    );
  });

  test('near misses: link keys on several lines, one of each key, the same key under two items', async () => {
    const t = await createService({
      's.md': strategy(
        '- KR-1.1: A\n  Baseline: 1\n  Target: 2\n  Current: 1\n  Due: 2027-06-30\n- KR-1.2: B\n  Baseline: 1\n  Target: 2\n  Current: 1\n  Due: 2027-06-30\n' +
          '### OUT-1: Outcome\nSupports: KR-1.1\nSupports: KR-1.2\n',
      ),
      'p.md': '---\ntype: prd\nid: PRD-1\n---\n### REQ-1: R\nTraces: OUT-1\nTraces: OUT-1\nDepends on: REQ-2\n### REQ-2: S\nTraces: OUT-1\n',
    });
    assert.deepEqual(t.diagnosticsOf('s.md', 'repeated-attribute'), []);
    assert.deepEqual(t.diagnosticsOf('p.md', 'repeated-attribute'), []);
  });
});

describe('Weight: percentages and multiples weigh; what cannot be read says so', () => {
  const objective = (first: string, second: string) => md`
    ---
    type: strategy
    id: STR-1
    ---
    ## OBJ-1: Grow activation
    - KR-1.1: Done
      Baseline: 0
      Target: 10
      Current: 10
      Weight: ${first}
      Due: 2027-06-30
    - KR-1.2: Not started
      Baseline: 0
      Target: 10
      Current: 0
      Weight: ${second}
      Due: 2027-06-30
  `;
  const cases: readonly (readonly [string, string, number, string[]])[] = [
    ['80', '20', 80, []],
    ['80%', '20%', 80, []],
    ['3x', '1x', 75, []],
    ['high', 'low', 50, ['KR-1.1: Weight high is not read', 'KR-1.2: Weight low is not read']],
    ['0', '1', 50, ['KR-1.1: Weight 0 is not read']],
  ];
  for (const [first, second, percent, warnings] of cases) {
    test(`Weight: ${first} and ${second}`, async () => {
      const t = await createService({ 's.md': objective(first, second), 'p.md': MINI_PRD });
      const progress = t.service.getCoverage().progress.find((entry) => entry.id === 'OBJ-1');
      assert.equal(Math.round((progress?.progress ?? NaN) * 100), percent);
      assert.deepEqual(
        t.diagnosticsOf('s.md', 'implausible-value').map((diagnostic) => diagnostic.message.split(',')[0]),
        warnings,
      );
    });
  }
});

describe('emphasised keys are keys', () => {
  const attributes = (lines: string) => {
    const text = `---\ntype: strategy\nid: STR-1\n---\n## OBJ-1: Grow\n- KR-1.1: Activation\n${lines}`;
    const keyResult = indexDocument('file:///ws/s.md', 1, text, DEFAULT_CONFIG).items.find((item) => item.id === 'KR-1.1')!;
    return keyResult.attributes.map((attribute) => [attribute.key, attribute.value, attribute.keySpan.start, attribute.valueSpan.start]);
  };

  test('`**Key:** value`, `**Key**: value`, `*Key:* value` and `*Key*: value`, with the key span on the word', () => {
    assert.deepEqual(attributes('  **Baseline:** 40%\n  **Target**: 50%\n  *Current:* 48%\n  *Due*: 2027-06-30\n'), [
      ['Baseline', '40%', 4, 16],
      ['Target', '50%', 4, 14],
      ['Current', '48%', 3, 13],
      ['Due', '2027-06-30', 3, 9],
    ]);
  });

  test('a bold key among plain ones no longer ends the attributes', () => {
    assert.deepEqual(
      attributes('  Baseline: 40%\n  **Current:** 48%\n  Due: 2027-06-30\n').map(([key]) => key),
      ['Baseline', 'Current', 'Due'],
    );
  });

  test('near misses: unbalanced or mismatched emphasis, no space after the colon, a bold sentence', () => {
    for (const line of ['**Target: 50%', '**Target:* 50%', '***Target:*** 50%', '**Target:**50%', '**Target is high.**', '**Target**:50%']) {
      assert.deepEqual(attributes(`  ${line}\n`), [], line);
    }
  });
});

describe('unknown-figure-key', () => {
  const strategy = (keyResult: string) => `---\ntype: strategy\nid: STR-1\n---\n## OBJ-1: Grow\n${keyResult}`;
  const messages = async (keyResult: string) => {
    const t = await createService({ 's.md': strategy(keyResult), 'p.md': MINI_PRD });
    return t.diagnosticsOf('s.md', 'unknown-figure-key').map((diagnostic) => diagnostic.message);
  };

  const cases: readonly (readonly [string, string])[] = [
    ['Actual: 48%', '`Actual:` is not a key Throughline reads, so KR-1.1 has no `Current:` and counts as 0% done: did you mean `Current:`?'],
    ['Progress: 48%', '`Progress:` is not a key Throughline reads, so KR-1.1 has no `Current:` and counts as 0% done: did you mean `Current:`?'],
    ['Curent: 48%', '`Curent:` is not a key Throughline reads, so KR-1.1 has no `Current:` and counts as 0% done: did you mean `Current:`?'],
  ];
  for (const [line, message] of cases) {
    test(line, async () => {
      assert.deepEqual(await messages(`- KR-1.1: Activation\n  Baseline: 40%\n  Target: 50%\n  ${line}\n  Due: 2027-06-30\n`), [message]);
    });
  }

  test('a table: Start, Goal and Now columns, one warning per header cell however many rows', async () => {
    const table =
      '| ID | Key result | Start | Goal | Now | Due |\n|---|---|---|---|---|---|\n| KR-1.1 | A | 1 | 2 | 1 | 2027-06-30 |\n| KR-1.2 | B | 1 | 2 | 1 | 2027-06-30 |\n';
    assert.deepEqual(await messages(table), [
      '`Start:` is not a key Throughline reads, so KR-1.1 has no `Baseline:` and cannot be measured: did you mean `Baseline:`?',
      '`Goal:` is not a key Throughline reads, so KR-1.1 has no `Target:` and cannot be measured: did you mean `Target:`?',
      '`Now:` is not a key Throughline reads, so KR-1.1 has no `Current:` and counts as 0% done: did you mean `Current:`?',
    ]);
  });

  test('the quick fix rewrites the key', async () => {
    const t = await createService({
      's.md': strategy('- KR-1.1: Activation\n  Baseline: 40%\n  Target: 50%\n  Actual: 48%\n  Due: 2027-06-30\n'),
      'p.md': MINI_PRD,
    });
    const diagnostics = t.diagnosticsOf('s.md', 'unknown-figure-key');
    const [action] = t.service.getCodeActions(t.open('s.md'), diagnostics);
    assert.equal(action?.title, 'Change `Actual` to `Current`');
    const edits = action?.edit?.changes?.[t.uri('s.md')];
    assert.deepEqual(edits, [{ range: diagnostics[0]!.range, newText: 'Current' }]);
  });

  test('near misses: the figure written too, no number, a key that is no figure, an item that is no key result', async () => {
    assert.deepEqual(await messages('- KR-1.1: A\n  Baseline: 40%\n  Target: 50%\n  Current: 45%\n  Actual: 48%\n  Due: 2027-06-30\n'), []);
    assert.deepEqual(await messages('- KR-1.1: A\n  Baseline: 40%\n  Target: 50%\n  Progress: on track\n  Due: 2027-06-30\n'), []);
    assert.deepEqual(await messages('- KR-1.1: A\n  Baseline: 40%\n  Target: 50%\n  Budget: 5000\n  Due: 2027-06-30\n'), []);
    assert.deepEqual(await messages('- KR-1.1: A\n  Target: 50%\n  Start: 2027-01-15\n  Due: 2027-06-30\n'), []);
    assert.deepEqual(await messages('- KR-1.1: A\n  Baseline: 40%\n  Target: 50%\n  Currency: EUR (2027 rates)\n  Due: 2027-06-30\n'), []);
    assert.deepEqual(await messages('- KR-1.1: A\n  Baseline: 40%\n  Target: 50%\n  Due: 2027-06-30\n### OUT-1: O\nSupports: KR-1.1\nActual: 48%\n'), []);
  });
});

describe('decorated definitions: heading numbers, emoji and task-list boxes before the ID', () => {
  const defined = (body: string) =>
    indexDocument('file:///ws/s.md', 1, `---\ntype: strategy\nid: STR-1\n---\n${body}`, DEFAULT_CONFIG)
      .items.filter((item) => !item.isDocument)
      .map((item) => [item.id, item.title, item.parentId ?? null]);

  const cases: readonly (readonly [string, string, string])[] = [
    ['numbered heading', '## 1. OBJ-1: Grow activation\n', 'OBJ-1'],
    ['heading numbered 2.3', '### 2.3 OBJ-1: Grow activation\n', 'OBJ-1'],
    ['heading numbered 1)', '## 1) OBJ-1: Grow activation\n', 'OBJ-1'],
    ['emoji heading', '## 🎯 OBJ-1: Grow activation\n', 'OBJ-1'],
    ['emoji with presentation selector, dash separator', '## ✅\ufe0f OBJ-1 — Grow activation\n', 'OBJ-1'],
    ['emoji then number', '## 🚀 1. OBJ-1: Grow activation\n', 'OBJ-1'],
  ];
  for (const [name, line, id] of cases) {
    test(`${name}: ${line.trimEnd()}`, () => assert.deepEqual(defined(line), [[id, 'Grow activation', 'STR-1']]));
  }

  test('task-list key results under an objective, open and done', () => {
    assert.deepEqual(defined('## OBJ-3: Win enterprise\n- [ ] KR-3.1: Deals\n- [x] KR-3.2: Pilots\n'), [
      ['OBJ-3', 'Win enterprise', 'STR-1'],
      ['KR-3.1', 'Deals', 'OBJ-3'],
      ['KR-3.2', 'Pilots', 'OBJ-3'],
    ]);
  });

  test('near misses: no space after the decoration, a number that is the title, a box in a heading, prose after an emoji, a ticked-off requirement', () => {
    for (const body of [
      '## 1.OBJ-1: Grow\n',
      '## 2027 roadmap\n',
      '## [ ] OBJ-1: Grow\n',
      '- [ ]KR-3.1: Deals\n',
      '## 🎯 Grow OBJ-1 first\n',
      '- 🎯OBJ-1: Grow\n',
      '- [x] REQ-2: verified on staging\n',
    ]) {
      assert.deepEqual(defined(body), [], body);
    }
  });
});

test('the quick fix of a near-miss definition keeps the heading number, emoji or box', () => {
  const text = `---\ntype: strategy\nid: STR-1\n---\n## 1. OBJ-1 Grow activation\n## 🎯 OBJ-2 Retain\n`;
  const problems = indexDocument('file:///ws/s.md', 1, text, DEFAULT_CONFIG).problems.filter((problem) => problem.rule === 'unrecognised-definition');
  assert.deepEqual(
    problems.map((problem) => problem.replacement),
    ['1. OBJ-1: Grow activation', '🎯 OBJ-2: Retain'],
  );
});

test('a status list annotating a mention with an emphasised key of its own stays a mention', () => {
  const text = `---\ntype: prd\nid: PRD-1\n---\n### REQ-1: Export\nTraces: OUT-1\n\n- REQ-1 shipped last week\n  **Note:** rollout at 50%\n`;
  const index = indexDocument('file:///ws/p.md', 1, text, DEFAULT_CONFIG);
  assert.deepEqual(
    index.items.filter((item) => !item.isDocument).map((item) => item.id),
    ['REQ-1'],
  );
});

describe('a signed target that points the other way from its baseline', () => {
  const warnings = async (baseline: string, target: string) => {
    const t = await createService({
      's.md': `---\ntype: strategy\nid: STR-1\n---\n## OBJ-1: Grow\n- KR-1.1: Activation up\n  Baseline: ${baseline}\n  Target: ${target}\n  Current: 40%\n  Due: 2027-06-30\n`,
      'p.md': MINI_PRD,
    });
    return t.diagnosticsOf('s.md', 'implausible-value').map((diagnostic) => diagnostic.message);
  };

  test('Target: +10% over 50%: says how it is read and what to write', async () => {
    assert.deepEqual(await warnings('50%', '+10%'), [
      'KR-1.1: `Target:` +10%: read as 10%, below the baseline (50%), so lower counts as better; a target is where the figure should end, not a change: for 10 points above the baseline, write 60%.',
    ]);
  });

  test('Target: -5 under a baseline of -20 points the other way too', async () => {
    assert.match(
      (await warnings('-20', '-5'))[0] ?? '',
      /read as -5, above the baseline \(-20\), so higher counts as better; .* for 5 below the baseline, write -25\.$/,
    );
  });

  test('Target: -10% under a share of 50% reads as a share below 0%', async () => {
    assert.match((await warnings('50%', '-10%'))[0] ?? '', /read as -10%, a share below 0%; .* for 10 points below the baseline, write 40%\.$/);
  });

  test('another unit of the same dimension: said without a figure to write', async () => {
    assert.match((await warnings('2 hours', '+30 minutes'))[0] ?? '', /read as 30 minutes, on the other side of the baseline/);
  });

  test('near misses: a signed target on the side its sign says, a plain target', async () => {
    assert.deepEqual(await warnings('5%', '+10%'), []);
    assert.deepEqual(await warnings('-20', '-30'), []);
    assert.deepEqual(await warnings('50%', '10%'), []);
    assert.deepEqual(await warnings('2 hours', '+3 hours'), []);
  });
});

describe('id-range', () => {
  const outcomes = '---\ntype: strategy\nid: STR-1\n---\n## OBJ-1: Grow\n' + [1, 2, 3, 4].map((n) => `### OUT-${n}: O${n}\nSupports: OBJ-1\n`).join('');
  const prd = (traces: string) => `---\ntype: prd\nid: PRD-1\n---\n### REQ-1: R\nTraces: ${traces}\n`;
  const messages = async (traces: string) => {
    const t = await createService({ 's.md': outcomes, 'p.md': prd(traces) });
    return t.diagnosticsOf('p.md', 'id-range').map((diagnostic) => diagnostic.message);
  };

  const cases: readonly (readonly [string, string])[] = [
    ['OUT-1–OUT-3', '`OUT-1–OUT-3` links OUT-1 and OUT-3 only: a range is not read, so OUT-2 is not linked. Write them out: `OUT-1, OUT-2, OUT-3`.'],
    [
      'OUT-1 – OUT-4',
      '`OUT-1 – OUT-4` links OUT-1 and OUT-4 only: a range is not read, so OUT-2 and OUT-3 are not linked. Write them out: `OUT-1, OUT-2, OUT-3, OUT-4`.',
    ],
    ['OUT-1 to OUT-3', '`OUT-1 to OUT-3` links OUT-1 and OUT-3 only: a range is not read, so OUT-2 is not linked. Write them out: `OUT-1, OUT-2, OUT-3`.'],
    ['OUT-2 … OUT-4', '`OUT-2 … OUT-4` links OUT-2 and OUT-4 only: a range is not read, so OUT-3 is not linked. Write them out: `OUT-2, OUT-3, OUT-4`.'],
    ['OUT-1–3', '`OUT-1–3` links OUT-1 only: a range is not read, so OUT-2 and OUT-3 are not linked. Write them out: `OUT-1, OUT-2, OUT-3`.'],
  ];
  for (const [traces, message] of cases) {
    test(traces, async () => assert.deepEqual(await messages(traces), [message]));
  }

  test('an en dash and the next number: the one ID it leaves out', async () => {
    assert.deepEqual(await messages('OUT-1–2'), ['`OUT-1–2` links OUT-1 only: a range is not read, so OUT-2 is not linked. Write them out: `OUT-1, OUT-2`.']);
  });

  test('a long range is reported without a list to write', async () => {
    assert.deepEqual(await messages('OUT-1 through OUT-40'), [
      '`OUT-1 through OUT-40` links OUT-1 and OUT-40 only: a range is not read, so the 38 IDs in it are not linked. Write each ID out.',
    ]);
  });

  test('the quick fix writes the IDs out, keeping zero padding', async () => {
    const t = await createService({ 's.md': outcomes.replace(/OUT-(\d)/g, 'OUT-0$1'), 'p.md': prd('OUT-01–OUT-03, OUT-04') });
    const diagnostics = t.diagnosticsOf('p.md', 'id-range');
    const [action] = t.service.getCodeActions(t.open('p.md'), diagnostics);
    assert.equal(action?.title, 'Write out OUT-01, OUT-02, OUT-03');
    assert.deepEqual(action?.edit?.changes?.[t.uri('p.md')], [{ range: diagnostics[0]!.range, newText: 'OUT-01, OUT-02, OUT-03' }]);
  });

  test('near misses: a list, a hyphenated ID, a note, reversed ends, other prefixes, an em dash note, prose', async () => {
    for (const traces of [
      'OUT-1, OUT-3',
      'OUT-1 and OUT-3',
      'OUT-3–OUT-1',
      'OUT-1–OBJ-3',
      'OUT-1 (later OUT-2–OUT-4)',
      'OUT-1 — up to OUT-3 later',
      'OUT-1 ~ OUT-3',
      // Ends next to each other, or what is between written too: every ID is linked.
      'OUT-1 – OUT-2',
      'OUT-1 to OUT-2',
      'OUT-1–OUT-3, OUT-2',
      // A number after a word is prose; after an en dash, a year is no range; padding that differs is unclear.
      'OUT-1 to 3 weeks',
      'OUT-1 through 2027',
      'OUT-1–2027',
      'OUT-01–OUT-3',
    ]) {
      assert.deepEqual(await messages(traces), [], traces);
    }
    const t = await createService({ 's.md': outcomes, 'p.md': `${prd('OUT-1')}Phases OUT-1–OUT-3 ship together.\n` });
    assert.deepEqual(t.diagnosticsOf('p.md', 'id-range'), []);
  });
});

describe('attributes spaced out with blank lines, and attribute paragraphs that are not read', () => {
  const strategyIndex = (body: string) => indexDocument('file:///ws/s.md', 1, `---\ntype: strategy\nid: STR-1\n---\n${body}`, DEFAULT_CONFIG);
  const attributesOf = (body: string) =>
    strategyIndex(body)
      .items.filter((item) => !item.isDocument)
      .map((item) => [item.id, item.attributes.map((attribute) => `${attribute.key}=${attribute.value}`)]);
  const unread = (body: string) =>
    strategyIndex(body)
      .problems.filter((problem) => problem.rule === 'unread-attribute')
      .map((problem) => [problem.span.line, problem.message]);

  test('a blank line before `Current:` in a list item: read', () => {
    assert.deepEqual(attributesOf('## OBJ-1: Grow\n- KR-1.1: Activation\n  Baseline: 40%\n  Target: 50%\n\n  Current: 45%\n  Due: 2027-06-30\n- KR-1.2: B\n'), [
      ['OBJ-1', []],
      ['KR-1.1', ['Baseline=40%', 'Target=50%', 'Current=45%', 'Due=2027-06-30']],
      ['KR-1.2', []],
    ]);
  });

  test('a list item with a blank line under its first line, then its attributes: read', () => {
    assert.deepEqual(attributesOf('## OBJ-1: Grow\n- KR-1.1: Activation\n\n  Baseline: 40%\n  Target: 50%\n'), [
      ['OBJ-1', []],
      ['KR-1.1', ['Baseline=40%', 'Target=50%']],
    ]);
  });

  test('one attribute per paragraph under a heading, as written for GitHub: read; the prose after them is not', () => {
    assert.deepEqual(attributesOf('## OBJ-1: Grow\n### KR-1.1: Activation\n\nBaseline: 40%\n\nTarget: 50%\n\nCurrent: 45%\n\nSome prose. Owner: bob\n'), [
      ['OBJ-1', []],
      ['KR-1.1', ['Baseline=40%', 'Target=50%', 'Current=45%']],
    ]);
  });

  test('bold paragraph definitions: each keeps its own spaced attributes', () => {
    assert.deepEqual(attributesOf('## OBJ-1: Grow\n\n**KR-1.1: Activation**\nBaseline: 40%\n\nTarget: 50%\n\n**KR-1.2: Retention**\n\nTarget: 3\n'), [
      ['OBJ-1', []],
      ['KR-1.1', ['Baseline=40%', 'Target=50%']],
      ['KR-1.2', ['Target=3']],
    ]);
  });

  test('`Supports:` below a paragraph of prose: not read, and said on its line', () => {
    const body = '## OBJ-1: Grow\n### OUT-1: Payers pay\nPayers wait today.\n\nSupports: OBJ-1\nOwner: ana\n';
    assert.deepEqual(attributesOf(body), [
      ['OBJ-1', []],
      ['OUT-1', []],
    ]);
    assert.deepEqual(unread(body), [
      [
        8,
        "`Supports:` and the line below it are not read as OUT-1's attributes: prose or another block comes between them and OUT-1. Move them up, right below OUT-1's line or its other attributes.",
      ],
    ]);
  });

  test('`Current:` after prose in a key result list item: said', () => {
    assert.deepEqual(unread('## OBJ-1: Grow\n- KR-1.1: Activation\n  Baseline: 40%\n\n  Some words.\n\n  Current: 45%\n'), [
      [
        10,
        "`Current:` is not read as KR-1.1's attribute: prose or another block comes between it and KR-1.1. Move it up, right below KR-1.1's line or its other attributes.",
      ],
    ]);
  });

  test('a paragraph keyed by an ID is another item written without a heading, not attributes of the one before', () => {
    const body = '## OBJ-1: Grow\n### KR-1.1: Activation\nTarget: 50%\n\nKR-1.2: Retention\nTarget: 3\n';
    assert.deepEqual(attributesOf(body), [
      ['OBJ-1', []],
      ['KR-1.1', ['Target=50%']],
    ]);
  });

  test('a spaced paragraph of 150,000 attribute lines is read, not a stack overflow', () => {
    const many = 'Current: 1\n'.repeat(150_000);
    for (const body of [`## OBJ-1: Grow\n### KR-1.1: A\nTarget: 1\n\n${many}`, `## OBJ-1: Grow\n- KR-1.1: A\n  Target: 1\n\n${many.replace(/^/gm, '  ')}`]) {
      const index = strategyIndex(body);
      assert.deepEqual(
        index.problems.filter((problem) => problem.rule === 'internal'),
        [],
      );
      assert.equal(index.items.find((item) => item.id === 'KR-1.1')?.attributes.length, 150_001);
    }
  });

  test('near misses: a key of the author’s own, a section that is no item, a sentence with a key in it, prose after spaced attributes', () => {
    for (const body of [
      '## OBJ-1: Grow\nWe grow.\n\nNote: careful here\n',
      '## Context\nStatus: waiting on legal\n',
      '## OBJ-1: Grow\nWe grow.\n\nThe Status: line is below.\n',
      '## OBJ-1: Grow\n### KR-1.1: Activation\nTarget: 50%\n\nCurrent: 45%\n\nWe think Current: 45% is right.\n',
      // Another item between the heading and the paragraph: whose it is cannot be told, and naming OBJ-1 would mislead.
      '## OBJ-1: Grow\n\n**KR-1.1: Activation**\nTarget: 50%\n\nSome prose here.\n\nCurrent: 45%\n',
      '## OBJ-1: Grow\n- KR-1.1: A\n  Target: 1\n\nCurrent: 45%\n',
    ]) {
      assert.deepEqual(unread(body), [], body);
    }
    assert.deepEqual(attributesOf('## OBJ-1: Grow\nWe grow.\n\nNote: careful here\n'), [['OBJ-1', []]]);
  });
});
