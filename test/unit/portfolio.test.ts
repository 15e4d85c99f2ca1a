/** Portfolio balance: PRDs and requirements per innovation, track, horizon, owner and team. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createService, md } from '../helpers/memoryWorkspace';

const prd = (id: string, fields: string, requirements: number) =>
  `---\ntype: prd\nid: ${id}\n${fields}\n---\n# ${id}\n\n${Array.from({ length: requirements }, (_, n) => `### REQ-${id}.${n + 1}: R\nTraces: OUT-1\n`).join('\n')}`;

const STRATEGY = md`
  ---
  type: strategy
  id: STR-1
  innovation_mix: {core: 70, adjacent: 20, disruptive: 10}
  ---
  ## OBJ-1: Objective
  ### OUT-1: One
  Supports: OBJ-1
`;

describe('portfolio', () => {
  test('counts PRDs and requirements per value, fixed vocabularies in order, unset last', async () => {
    const t = await createService({
      's.md': STRATEGY,
      'a.md': prd('PRD-1', 'innovation: core\ntrack: delivery\nhorizon: now\nowner: ines\nteam: Checkout', 3),
      'b.md': prd('PRD-2', 'innovation: core\ntrack: discovery\nhorizon: later\nowner: ines\nteam: Growth', 1),
      'c.md': prd('PRD-3', 'innovation: disruptive\nowner: sam', 2),
      'notes.md': '# Not a strategy document\n',
    });
    const portfolio = t.service.getPortfolio();
    assert.equal(portfolio.prds, 3);
    assert.equal(portfolio.requirements, 6);
    const dimension = (name: string) => portfolio.dimensions.find((candidate) => candidate.name === name)!.buckets;
    assert.deepEqual(dimension('innovation'), [
      { value: 'core', prds: 2, requirements: 4 },
      { value: 'adjacent', prds: 0, requirements: 0 },
      { value: 'disruptive', prds: 1, requirements: 2 },
    ]);
    assert.deepEqual(dimension('track'), [
      { value: 'discovery', prds: 1, requirements: 1 },
      { value: 'delivery', prds: 1, requirements: 3 },
      { value: 'unset', prds: 1, requirements: 2 },
    ]);
    assert.deepEqual(
      dimension('horizon').map((bucket) => [bucket.value, bucket.prds]),
      [
        ['now', 1],
        ['next', 0],
        ['later', 1],
        ['unset', 1],
      ],
    );
    assert.deepEqual(dimension('owner'), [
      { value: 'ines', prds: 2, requirements: 4 },
      { value: 'sam', prds: 1, requirements: 2 },
    ]);
    assert.deepEqual(
      dimension('team').map((bucket) => bucket.value),
      ['Checkout', 'Growth', 'unset'],
    );
    // All three PRDs deliver OUT-1 of STR-1 and declare innovation: two core, one disruptive.
    assert.deepEqual(portfolio.innovationTargets, [
      {
        strategyId: 'STR-1',
        mix: { core: 70, adjacent: 20, disruptive: 10 },
        actual: { core: 200 / 3, adjacent: 0, disruptive: 100 / 3 },
        declared: 3,
        undeclared: 0,
        tolerance: 10,
      },
    ]);
  });

  test('follows edits: a PRD changing its track moves between buckets', async () => {
    const t = await createService({ 's.md': STRATEGY, 'a.md': prd('PRD-1', 'track: delivery', 2) });
    t.change('a.md', prd('PRD-1', 'track: discovery', 2));
    const track = t.service.getPortfolio().dimensions.find((dimension) => dimension.name === 'track')!.buckets;
    assert.deepEqual(track, [
      { value: 'discovery', prds: 1, requirements: 2 },
      { value: 'delivery', prds: 0, requirements: 0 },
    ]);
  });

  test('near miss: an empty workspace has empty buckets, not errors', async () => {
    const t = await createService({});
    const portfolio = t.service.getPortfolio();
    assert.equal(portfolio.prds, 0);
    assert.deepEqual(portfolio.dimensions.find((dimension) => dimension.name === 'owner')!.buckets, []);
    assert.deepEqual(portfolio.innovationTargets, []);
  });
});
