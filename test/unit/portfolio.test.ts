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

  test('a PRD counts toward each strategy in proportion to its requirements that trace there', async () => {
    const strategy2 = md`
      ---
      type: strategy
      id: STR-2
      innovation_mix: {core: 50, adjacent: 0, disruptive: 50}
      ---
      ## OBJ-2: Objective
      ### OUT-2: Two
      Supports: OBJ-2
    `;
    const requirements = (prefix: string, count: number, outcome: string) =>
      Array.from({ length: count }, (_, n) => `### REQ-${prefix}.${n + 1}: R\nTraces: ${outcome}\n`).join('\n');
    // PRD-1 (core): nine requirements for STR-1, one for STR-2. PRD-2 (disruptive): all for STR-2.
    const prd1 = `---\ntype: prd\nid: PRD-1\ninnovation: core\n---\n${requirements('1', 9, 'OUT-1')}\n${requirements('1b', 1, 'OUT-2')}`;
    const prd2 = `---\ntype: prd\nid: PRD-2\ninnovation: disruptive\n---\n${requirements('2', 2, 'OUT-2')}`;
    const t = await createService({ 's.md': STRATEGY, 's2.md': strategy2, 'a.md': prd1, 'b.md': prd2 });
    const targets = t.service.getPortfolio().innovationTargets;
    const second = targets.find((target) => target.strategyId === 'STR-2')!;
    // PRD-1 weighs 1/10 in STR-2, PRD-2 a whole: core 0.1 / 1.1, disruptive 1 / 1.1 (not 50/50).
    assert.deepEqual(second.actual, { core: (100 * 0.1) / 1.1, adjacent: 0, disruptive: 100 / 1.1 });
    assert.equal(second.declared, 2);
    // STR-1 gets only PRD-1 (9/10 of it): all core.
    assert.deepEqual(targets.find((target) => target.strategyId === 'STR-1')!.actual, { core: 100, adjacent: 0, disruptive: 0 });
    // innovation-mix-drift reads the same shares: STR-2 wants 50/50 and gets 9/91.
    assert.match(
      t.diagnosticsOf('s2.md', 'innovation-mix-drift')[0]!.message,
      /core 9% \(target 50%\), adjacent 0% \(target 0%\), disruptive 91% \(target 50%\)/,
    );
  });

  test('a requirement tracing to two strategies splits itself between them; front-matter outcomes weigh a PRD without traces', async () => {
    const strategy2 =
      '---\ntype: strategy\nid: STR-2\ninnovation_mix: {core: 100, adjacent: 0, disruptive: 0}\n---\n## OBJ-2: O\n### OUT-2: Two\nSupports: OBJ-2\n';
    const prd1 = '---\ntype: prd\nid: PRD-1\ninnovation: core\n---\n### REQ-1: R\nTraces: OUT-1, OUT-2\n';
    const prd2 = '---\ntype: prd\nid: PRD-2\ninnovation: adjacent\noutcomes: [OUT-1, OUT-2, OUT-2, OUT-2]\n---\n';
    const t = await createService({ 's.md': STRATEGY, 's2.md': strategy2, 'a.md': prd1, 'b.md': prd2 });
    const second = t.service.getPortfolio().innovationTargets.find((target) => target.strategyId === 'STR-2')!;
    // PRD-1: its one requirement is half STR-2's (0.5); PRD-2: three of its four outcomes are STR-2's (0.75).
    assert.deepEqual(second.actual, { core: (100 * 0.5) / 1.25, adjacent: (100 * 0.75) / 1.25, disruptive: 0 });
  });

  test('near miss: an empty workspace has empty buckets, not errors', async () => {
    const t = await createService({});
    const portfolio = t.service.getPortfolio();
    assert.equal(portfolio.prds, 0);
    assert.deepEqual(portfolio.dimensions.find((dimension) => dimension.name === 'owner')!.buckets, []);
    assert.deepEqual(portfolio.innovationTargets, []);
  });
});
