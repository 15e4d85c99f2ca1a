/**
 * Key-result and objective progress: the formula, "lower is better", units, weights, and where
 * it shows (coverage, code lens, hover, tree).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseQuantity } from '../../server/src/service/parse/quantity';
import { progressOf } from '../../server/src/service/analysis/progress';
import { renderReportMarkdown } from '../../server/src/report';
import { createService, md, positionOf } from '../helpers/memoryWorkspace';

const figures = (baseline: string, target: string, current?: string) => ({
  baselineText: baseline,
  targetText: target,
  currentText: current,
  baseline: parseQuantity(baseline),
  target: parseQuantity(target),
  current: parseQuantity(current),
  weight: 1,
});

describe('key-result progress', () => {
  test('(current − baseline) / (target − baseline) for percentages, units and plain numbers', () => {
    assert.equal(progressOf(figures('41%', '55%', '48%')), 0.5);
    assert.equal(progressOf(figures('$1,000', '$2,000', '$1,250')), 0.25);
    assert.equal(progressOf(figures('100', '200', '175')), 0.75);
  });

  test('lower is better: a falling number toward a lower target is progress', () => {
    assert.equal(progressOf(figures('38 min', '10 min', '31 min')), 0.25);
    assert.equal(progressOf(figures('38 min', '10 min', '45 min')), 0, 'getting worse clamps to 0');
  });

  test('clamped to 0–1 and 0 when nobody has reported a Current yet', () => {
    assert.equal(progressOf(figures('10%', '20%', '35%')), 1);
    assert.equal(progressOf(figures('10%', '20%', '5%')), 0);
    assert.equal(progressOf(figures('10%', '20%')), 0);
  });

  test('undefined when it cannot be measured: no numbers, equal target, or mixed units', () => {
    assert.equal(progressOf(figures('most', '20%', '15%')), undefined);
    assert.equal(progressOf(figures('20%', '20%', '20%')), undefined);
    // Minutes and days convert since issue 10; minutes and users do not.
    assert.equal(progressOf(figures('38 min', '10 users', '20 min')), undefined);
    assert.equal(progressOf(figures('10%', '20%', '15')), undefined);
    assert.equal(progressOf(figures('10%', '20%', 'about half')), undefined);
  });
});

const STRATEGY = md`
  ---
  type: strategy
  id: STR-1
  ---
  ## OBJ-1: Make paying effortless

  - KR-1.1: Conversion
    Baseline: 40%
    Target: 60%
    Current: 50%
    Due: 2027-06-30
  - KR-1.2: Time to pay
    Baseline: 40 min
    Target: 10 min
    Current: 34 min
    Weight: 3
    Due: 2027-06-30
  - KR-1.3: Security reviews passed
    Target: most of them

  ### OUT-1: Payers pay without an account
  Supports: OBJ-1

  ## OBJ-2: Nothing measurable yet

  - KR-2.1: Partner satisfaction
    Target: high
`;

describe('objective progress', () => {
  test('the weighted mean of the measurable key results, in coverage', async () => {
    const t = await createService({ 's.md': STRATEGY });
    const [first, second] = t.service.getCoverage().progress;
    // KR-1.1: 10/20 = 0.5 (weight 1); KR-1.2: 6/30 = 0.2 (weight 3); KR-1.3 cannot be measured.
    assert.equal(first!.id, 'OBJ-1');
    assert.deepEqual(
      first!.keyResults.map((keyResult) => [keyResult.id, keyResult.progress, keyResult.weight]),
      [
        ['KR-1.1', 0.5, 1],
        ['KR-1.2', 0.2, 3],
        ['KR-1.3', undefined, 1],
      ],
    );
    assert.ok(Math.abs(first!.progress! - (0.5 + 3 * 0.2) / 4) < 1e-12);
    assert.equal(second!.id, 'OBJ-2');
    assert.equal(second!.progress, undefined);
  });

  test('code lenses read "KR 50% · objective 27%" on key results and lead with the objective progress', async () => {
    const t = await createService({ 's.md': STRATEGY });
    const lenses = t.service.getCodeLenses(t.doc('s.md'));
    const titles = lenses.map((lens) => lens.command?.title);
    assert.ok(titles.includes('KR 50% · objective 27%'), titles.join('\n'));
    assert.ok(titles.includes('KR 20% · objective 27%'), titles.join('\n'));
    assert.ok(
      titles.some((title) => title?.startsWith('objective 27% · 3 key results')),
      titles.join('\n'),
    );
    assert.equal(titles.filter((title) => title?.startsWith('KR ')).length, 2, 'no lens for a key result that cannot be measured');
  });

  test('hover shows a progress bar for key results and objectives', async () => {
    const t = await createService({ 's.md': STRATEGY });
    const document = t.doc('s.md');
    const keyResultHover = t.service.getHover(document, positionOf(STRATEGY, 'KR-1.1', 1));
    assert.match(String((keyResultHover!.contents as { value: string }).value), /Progress: █████░░░░░ 50%/);
    const objectiveHover = t.service.getHover(document, positionOf(STRATEGY, 'OBJ-1', 1));
    assert.match(String((objectiveHover!.contents as { value: string }).value), /Progress: ██░░░░░░░░ 27% \(mean of 2 key results\)/);
  });

  test('the tree carries progress on objectives and key results, and follows edits', async () => {
    const t = await createService({ 's.md': STRATEGY });
    const objectives = t.service.getAlignmentTree().roots.find((root) => root.id === 'STR-1')!.children;
    assert.ok(Math.abs(objectives[0]!.progress! - 0.275) < 1e-12);
    assert.equal(objectives[0]!.children.find((child) => child.id === 'KR-1.1')!.progress, 0.5);
    assert.equal(objectives[1]!.progress, undefined);
    t.change('s.md', STRATEGY.replace('Current: 50%', 'Current: 60%'));
    const updated = t.service.getAlignmentTree().roots.find((root) => root.id === 'STR-1')!.children;
    assert.ok(Math.abs(updated[0]!.progress! - (1 + 0.6) / 4) < 1e-12);
  });
});

describe('retired key results: not counted, and said where their share would be', () => {
  const strategy = (status: string) => md`
    ---
    type: strategy
    id: STR-1
    ---
    ## OBJ-1: Make paying effortless

    - KR-1.1: Conversion
      Baseline: 40%
      Target: 60%
      Current: 50%
      Due: 2027-06-30
    - KR-1.2: Dropped this quarter
      Baseline: 0
      Target: 100
      Status: ${status}
  `;

  const statuses: readonly (readonly [string, string])[] = [
    ['cancelled', 'cancelled'],
    ['deprecated', 'deprecated'],
    ['Dropped', 'dropped'],
    ["won't do", "won't do"],
    // As document tools and PMs write them: a typographic apostrophe, emphasis, a reason after it.
    ['Won’t do', "won't do"],
    ['**Cancelled**', 'cancelled'],
    ['Cancelled (moved to Q3)', 'cancelled'],
    ['Dropped.', 'dropped'],
  ];
  for (const [written, read] of statuses) {
    test(`Status: ${written}`, async () => {
      const status = read;
      const text = strategy(written);
      const t = await createService({ 's.md': text });
      const [objective] = t.service.getCoverage().progress;
      // KR-1.1 alone: 50%, not (50% + 0%) / 2.
      assert.equal(objective!.progress, 0.5);
      assert.deepEqual(
        objective!.keyResults.map((keyResult) => [keyResult.id, keyResult.retired]),
        [
          ['KR-1.1', undefined],
          ['KR-1.2', status.toLowerCase()],
        ],
      );
      const titles = t.service.getCodeLenses(t.doc('s.md')).map((lens) => lens.command?.title);
      assert.ok(titles.includes(`KR ${status.toLowerCase()} · not counted in OBJ-1`), titles.join('\n'));
      const hover = (at: string) => String((t.service.getHover(t.doc('s.md'), positionOf(text, at, 1))!.contents as { value: string }).value);
      assert.match(hover('KR-1.2'), new RegExp(`Status ${status.toLowerCase()}: not counted in OBJ-1's progress`));
      assert.match(hover('OBJ-1'), new RegExp(`50% \\(mean of 1 key result; not counted: KR-1.2 ${status.toLowerCase()}\\)`));
      const keyResultNode = t.service
        .getAlignmentTree()
        .roots.find((root) => root.id === 'STR-1')!
        .children[0]!.children.find((child) => child.id === 'KR-1.2')!;
      assert.equal(keyResultNode.progress, undefined);
      assert.equal(keyResultNode.status, written.toLowerCase());
      // It has no Due and no Current: a live key result would be unmeasurable; a retired one is left alone.
      assert.deepEqual(t.diagnosticsOf('s.md', 'unmeasurable-key-result'), []);
      // Nor does it count toward the objective's key results: one is left, below the minimum of two.
      assert.deepEqual(
        t.diagnosticsOf('s.md', 'key-result-count').map((diagnostic) => diagnostic.message),
        ['OBJ-1 has 1 key result; an objective needs at least 2 to be tracked without diluting focus.'],
      );
      assert.match(renderReportMarkdown(t.service.getStrategyReport()), new RegExp(`_${status.toLowerCase().replace("'", "\\\\?'")}, not counted_`));
    });
  }

  test('near misses: statuses that keep a key result counted', async () => {
    for (const status of ['at risk', 'on track', 'done', 'paused', 'not cancelled', 'cancelled? not yet']) {
      const t = await createService({ 's.md': strategy(status) });
      const [objective] = t.service.getCoverage().progress;
      assert.equal(objective!.progress, 0.25, status);
      assert.equal(objective!.keyResults[1]!.retired, undefined, status);
    }
  });
});
