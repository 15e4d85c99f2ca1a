/**
 * Coverage figures: traced requirements, delivered outcomes, objectives with outcomes, and the
 * progress of every objective and its key results.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { KeyResultProgress, ObjectiveProgress } from '../../common/protocol';
import { CLEAN_WORKSPACE, STRATEGY } from '../helpers/fixtures';
import { createService, md, range, uri } from '../helpers/memoryWorkspace';

const STRATEGY_URI = uri('strategy.md');

/** A key result of `strategy.md` defined on `line` (`- KR-x.y:` list items: the ID at characters 2–8). */
function keyResult(
  line: number,
  id: string,
  title: string,
  figures: { baseline: string; target: string; current?: string },
  progress: number,
): KeyResultProgress {
  return {
    id,
    title,
    uri: STRATEGY_URI,
    range: range(line, 2, 8),
    baseline: figures.baseline,
    target: figures.target,
    current: figures.current,
    progress,
    weight: 1,
  };
}

/** An objective of `strategy.md` (STR-1) whose `## OBJ-n:` heading is on `line`. */
function objective(line: number, id: string, title: string, progress: number | undefined, keyResults: KeyResultProgress[]): ObjectiveProgress {
  return { id, title, uri: STRATEGY_URI, range: range(line, 3, 8), strategyId: 'STR-1', progress, keyResults };
}

/**
 * The progress of the shared STRATEGY, worked out by hand. KR-1.1 has moved from 41% to 46% of the
 * way to 55%: 5/14. Key results without `Current:` have made no progress yet: 0. An objective is the
 * mean of its key results (all weigh 1): OBJ-1 is (5/14 + 0) / 2 = 5/28, OBJ-2 is 0.
 */
const CLEAN_PROGRESS: ObjectiveProgress[] = [
  objective(10, 'OBJ-1', 'Make paying effortless', 5 / 28, [
    keyResult(12, 'KR-1.1', 'Invoice conversion', { baseline: '41%', target: '55%', current: '46%' }, 5 / 14),
    keyResult(18, 'KR-1.2', 'Time to pay', { baseline: '38 min', target: '10 min' }, 0),
  ]),
  objective(31, 'OBJ-2', 'Earn the trust of larger customers', 0, [
    keyResult(33, 'KR-2.1', 'Retention of large accounts', { baseline: '104%', target: '112%' }, 0),
    keyResult(37, 'KR-2.2', 'Security reviews passed', { baseline: '60%', target: '90%' }, 0),
  ]),
];

describe('coverage', () => {
  test('the clean workspace is fully covered', async () => {
    const t = await createService(CLEAN_WORKSPACE);
    assert.deepEqual(t.service.getCoverage(), {
      requirements: 3,
      tracedRequirements: 3,
      outcomes: 3,
      deliveredOutcomes: 3,
      objectives: 2,
      objectivesWithOutcomes: 2,
      progress: CLEAN_PROGRESS,
    });
  });

  test('only traces to existing outcomes count', async () => {
    const prd = md`
      ---
      type: prd
      id: PRD-9
      ---
      ### REQ-9.1: Untraced
      ### REQ-9.2: Traces something unknown
      Traces: OUT-99
      ### REQ-9.3: Traces an objective
      Traces: OBJ-1
      ### REQ-9.4: Traces a real outcome among unknown ones
      Traces: OUT-98, OUT-3
    `;
    const t = await createService({ ...CLEAN_WORKSPACE, 'prds/more.md': prd });
    assert.deepEqual(t.service.getCoverage(), {
      requirements: 7,
      tracedRequirements: 4,
      outcomes: 3,
      deliveredOutcomes: 3,
      objectives: 2,
      objectivesWithOutcomes: 2,
      progress: CLEAN_PROGRESS,
    });
  });

  test('undelivered outcomes and objectives without outcomes lower the figures', async () => {
    // STRATEGY's 44 lines end with a newline: the appended OBJ-3 heading is on line 48.
    const strategy = `${STRATEGY}\n### OUT-4: Nothing delivers this\nSupports: OBJ-2\n\n## OBJ-3: Nothing supports this\n`;
    const t = await createService({ ...CLEAN_WORKSPACE, 'strategy.md': strategy });
    assert.deepEqual(t.service.getCoverage(), {
      requirements: 3,
      tracedRequirements: 3,
      outcomes: 4,
      deliveredOutcomes: 3,
      objectives: 3,
      objectivesWithOutcomes: 2,
      // An objective without key results has no progress to show.
      progress: [...CLEAN_PROGRESS, objective(48, 'OBJ-3', 'Nothing supports this', undefined, [])],
    });
  });

  test('figures follow edits, file deletions and new files', async () => {
    const t = await createService(CLEAN_WORKSPACE);
    t.open('prds/checkout.md', CLEAN_WORKSPACE['prds/checkout.md']!.replace('Traces: OUT-1, OUT-2', 'Priority: must'));
    assert.deepEqual(t.service.getCoverage(), {
      requirements: 3,
      tracedRequirements: 2,
      outcomes: 3,
      deliveredOutcomes: 2,
      objectives: 2,
      objectivesWithOutcomes: 2,
      progress: CLEAN_PROGRESS,
    });
    t.workspace.delete('prds/ledger.md');
    await t.service.fileDeleted(t.uri('prds/ledger.md'));
    assert.deepEqual(t.service.getCoverage(), {
      requirements: 2,
      tracedRequirements: 1,
      outcomes: 3,
      deliveredOutcomes: 1,
      objectives: 2,
      objectivesWithOutcomes: 2,
      progress: CLEAN_PROGRESS,
    });
    t.workspace.set('prds/new.md', '---\ntype: prd\nid: PRD-3\n---\n- REQ-3.1: New\n  Traces: OUT-2\n');
    await t.service.fileChanged(t.uri('prds/new.md'));
    assert.deepEqual(t.service.getCoverage(), {
      requirements: 3,
      tracedRequirements: 2,
      outcomes: 3,
      deliveredOutcomes: 2,
      objectives: 2,
      objectivesWithOutcomes: 2,
      progress: CLEAN_PROGRESS,
    });
    // A check-in on KR-2.1, inserted as line 36 (KR-2.2 moves to 38): 104% → 108% of the way to 112% is 1/2, so OBJ-2 is (1/2 + 0) / 2.
    t.open('strategy.md', STRATEGY.replace('Target: 112%\n', 'Target: 112%\n  Current: 108%\n'));
    const checkedIn = CLEAN_PROGRESS.map((entry) =>
      entry.id === 'OBJ-2'
        ? objective(31, 'OBJ-2', 'Earn the trust of larger customers', 1 / 4, [
            keyResult(33, 'KR-2.1', 'Retention of large accounts', { baseline: '104%', target: '112%', current: '108%' }, 1 / 2),
            keyResult(38, 'KR-2.2', 'Security reviews passed', { baseline: '60%', target: '90%' }, 0),
          ])
        : entry,
    );
    assert.deepEqual(t.service.getCoverage().progress, checkedIn);
  });

  test('near miss: an empty workspace has zero everywhere', async () => {
    const t = await createService({ 'readme.md': '# Nothing here\n' });
    assert.deepEqual(t.service.getCoverage(), {
      requirements: 0,
      tracedRequirements: 0,
      outcomes: 0,
      deliveredOutcomes: 0,
      objectives: 0,
      objectivesWithOutcomes: 0,
      progress: [],
    });
  });
});

describe('retired requirements deliver nothing', () => {
  const strategy = md`
    ---
    type: strategy
    id: STR-1
    ---
    ## OBJ-1: Grow
    ### OUT-1: Payers pay
    Supports: OBJ-1
    ### OUT-2: Payers pay early
    Supports: OBJ-1
  `;
  const prd = (id: string, status: string, body: string) => `---\ntype: prd\nid: ${id}\nstatus: ${status}\n---\n${body}`;
  const live = prd('PRD-1', 'approved', '### REQ-1.1: Pay\nTraces: OUT-1\n### REQ-1.2: Early\nTraces: OUT-2\nStatus: cancelled\n');
  const deprecated = prd('PRD-2', 'deprecated', '### REQ-2.1: Early, the old way\nTraces: OUT-2\n### REQ-2.2: Never traced\n');

  const observe = (t: Awaited<ReturnType<typeof createService>>) => {
    const { progress: _progress, ...counts } = t.service.getCoverage();
    const roots = t.service.getAlignmentTree().roots;
    const group = (key: string) => roots.find((root) => root.key === key)?.children.map((child) => child.id) ?? [];
    return {
      counts,
      orphans: t.diagnosticsOf('s.md', 'orphan-outcome').map((diagnostic) => diagnostic.message),
      untraced: [...t.diagnosticsOf('a.md', 'untraced-requirement'), ...t.diagnosticsOf('b.md', 'untraced-requirement')].length,
      undelivered: group('undelivered'),
      untracedGroup: group('untraced'),
      portfolioPrds: t.service.getPortfolio().prds,
      portfolioRequirements: t.service.getPortfolio().requirements,
    };
  };

  test('a cancelled requirement and a deprecated PRD: out of coverage, the tree and the portfolio; the outcome only they trace is an orphan that names them', async () => {
    const t = await createService({ 's.md': strategy, 'a.md': live, 'b.md': deprecated });
    assert.deepEqual(observe(t), {
      counts: { requirements: 1, tracedRequirements: 1, outcomes: 2, deliveredOutcomes: 1, objectives: 1, objectivesWithOutcomes: 1 },
      orphans: ['Only retired requirements trace to OUT-2 (REQ-1.2, REQ-2.1): nothing delivers this outcome now.'],
      untraced: 0,
      undelivered: ['OUT-2'],
      untracedGroup: [],
      portfolioPrds: 1,
      // PRD-1's cancelled REQ-1.2 is not counted either.
      portfolioRequirements: 1,
    });
  });

  test('a retired outcome and a retired objective: out of the counts, and no orphan-outcome or objective-without-outcomes on them', async () => {
    const retiredToo = `${strategy}### OUT-3: Dropped idea\nSupports: OBJ-1\nStatus: deprecated\n## OBJ-2: Old goal\nStatus: cancelled\n`;
    const t = await createService({ 's.md': retiredToo, 'a.md': live.replace('Status: cancelled\n', ''), 'b.md': deprecated });
    const { progress: _progress, ...counts } = t.service.getCoverage();
    assert.deepEqual(counts, { requirements: 2, tracedRequirements: 2, outcomes: 2, deliveredOutcomes: 2, objectives: 1, objectivesWithOutcomes: 1 });
    assert.deepEqual(t.diagnosticsOf('s.md', 'orphan-outcome'), []);
    assert.deepEqual(t.diagnosticsOf('s.md', 'objective-without-outcomes'), []);
    const roots = t.service.getAlignmentTree().roots;
    assert.deepEqual(roots.find((root) => root.key === 'undelivered')?.children.map((child) => child.id) ?? [], []);
  });

  test('near miss: the same workspace with nothing retired', async () => {
    const t = await createService({
      's.md': strategy,
      'a.md': live.replace('Status: cancelled\n', ''),
      'b.md': deprecated.replace('status: deprecated', 'status: approved'),
    });
    const seen = observe(t);
    assert.deepEqual(seen.counts, { requirements: 4, tracedRequirements: 3, outcomes: 2, deliveredOutcomes: 2, objectives: 1, objectivesWithOutcomes: 1 });
    assert.deepEqual([seen.orphans, seen.undelivered, seen.portfolioPrds, seen.untraced, seen.untracedGroup], [[], [], 2, 1, ['PRD-2']]);
  });

  test('deprecating the PRD and un-cancelling the requirement by edits gives what a fresh workspace gives', async () => {
    const t = await createService({
      's.md': strategy,
      'a.md': live.replace('Status: cancelled\n', ''),
      'b.md': deprecated.replace('status: deprecated', 'status: approved'),
    });
    observe(t);
    t.change('b.md', deprecated);
    t.change('a.md', live);
    const fresh = await createService({ 's.md': strategy, 'a.md': live, 'b.md': deprecated });
    assert.deepEqual(observe(t), observe(fresh));
    t.change('a.md', live.replace('Status: cancelled\n', ''));
    assert.deepEqual(observe(t).orphans, []);
    assert.deepEqual(observe(t).counts.deliveredOutcomes, 2);
  });
});
