/**
 * Coverage figures: traced requirements, delivered outcomes, objectives with outcomes.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CLEAN_WORKSPACE, STRATEGY } from '../helpers/fixtures';
import { createService, md } from '../helpers/memoryWorkspace';

describe('coverage', () => {
  test('the clean workspace is fully covered', async () => {
    const t = await createService(CLEAN_WORKSPACE);
    assert.deepEqual(t.service.getCoverage(), { requirements: 3, tracedRequirements: 3, outcomes: 3, deliveredOutcomes: 3, objectives: 2, objectivesWithOutcomes: 2 });
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
    assert.deepEqual(t.service.getCoverage(), { requirements: 7, tracedRequirements: 4, outcomes: 3, deliveredOutcomes: 3, objectives: 2, objectivesWithOutcomes: 2 });
  });

  test('undelivered outcomes and objectives without outcomes lower the figures', async () => {
    const strategy = `${STRATEGY}\n### OUT-4: Nothing delivers this\nSupports: OBJ-2\n\n## OBJ-3: Nothing supports this\n`;
    const t = await createService({ ...CLEAN_WORKSPACE, 'strategy.md': strategy });
    assert.deepEqual(t.service.getCoverage(), { requirements: 3, tracedRequirements: 3, outcomes: 4, deliveredOutcomes: 3, objectives: 3, objectivesWithOutcomes: 2 });
  });

  test('figures follow edits, file deletions and new files', async () => {
    const t = await createService(CLEAN_WORKSPACE);
    t.open('prds/checkout.md', CLEAN_WORKSPACE['prds/checkout.md']!.replace('Traces: OUT-1, OUT-2', 'Priority: must'));
    assert.deepEqual(t.service.getCoverage(), { requirements: 3, tracedRequirements: 2, outcomes: 3, deliveredOutcomes: 2, objectives: 2, objectivesWithOutcomes: 2 });
    t.workspace.delete('prds/ledger.md');
    await t.service.fileDeleted(t.uri('prds/ledger.md'));
    assert.deepEqual(t.service.getCoverage(), { requirements: 2, tracedRequirements: 1, outcomes: 3, deliveredOutcomes: 1, objectives: 2, objectivesWithOutcomes: 2 });
    t.workspace.set('prds/new.md', '---\ntype: prd\nid: PRD-3\n---\n- REQ-3.1: New\n  Traces: OUT-2\n');
    await t.service.fileChanged(t.uri('prds/new.md'));
    assert.deepEqual(t.service.getCoverage(), { requirements: 3, tracedRequirements: 2, outcomes: 3, deliveredOutcomes: 2, objectives: 2, objectivesWithOutcomes: 2 });
  });

  test('near miss: an empty workspace has zero everywhere', async () => {
    const t = await createService({ 'readme.md': '# Nothing here\n' });
    assert.deepEqual(t.service.getCoverage(), { requirements: 0, tracedRequirements: 0, outcomes: 0, deliveredOutcomes: 0, objectives: 0, objectivesWithOutcomes: 0 });
  });
});
