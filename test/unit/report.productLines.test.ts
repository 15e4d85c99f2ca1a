/**
 * The report's product-line level (vision → strategy → objectives), owners, the title from the
 * vision, `--strategy` narrowing (productLineReport), and the files the service did not check.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { buildAlignmentGraph, renderReportHtml, renderReportMarkdown } from '../../server/src/report';
import { productLineReport, reportTitleFromVision } from '../../server/src/service/analysis/report/productLines';
import { reportAlignment } from '../../server/src/service/analysis/report/reportModel';
import { CLEAN_WORKSPACE, STRATEGY } from '../helpers/fixtures';
import { createService, md } from '../helpers/memoryWorkspace';

const STRATEGY_2 = md`
  ---
  type: strategy
  id: STR-2
  title: Lending
  vision: VIS-1
  owner: sam
  ---
  ## OBJ-9: Lend to small businesses
  Owner: priya

  - KR-9.1: Loans issued
    Owner: lee
    Baseline: 0
    Target: 100
    Due: 2027-06-30

  ### OUT-9: Businesses borrow in a day
  Supports: KR-9.1
`;

const PRD_9 = md`
  ---
  type: prd
  id: PRD-9
  outcomes: [OUT-9]
  ---
  ### REQ-9.1: Apply online
  Traces: OUT-9
  ### REQ-9.2: Unlinked
`;

const files = { ...CLEAN_WORKSPACE, 'strategy2.md': STRATEGY_2, 'prds/lending.md': PRD_9 };

describe('report: product lines and owners', () => {
  test('the title comes from the vision; near miss: without a vision, the service’s default (the folder)', async () => {
    const t = await createService(files);
    assert.equal(reportTitleFromVision(t.service.graph), 'Strategy report: Everyone gets paid on time');
    const bare = await createService({ 'strategy.md': STRATEGY });
    assert.equal(reportTitleFromVision(bare.service.graph), undefined);
    assert.equal(bare.service.getStrategyReport(reportTitleFromVision(bare.service.graph)).title, 'Strategy report: ws');
  });

  test('the graph has a strategy column between the vision and the objectives', async () => {
    const t = await createService(files);
    const graph = buildAlignmentGraph(t.service.getStrategyReport().tree);
    assert.deepEqual(
      graph.layers.map((layer) => [layer.column, layer.nodes.map((node) => node.id)]),
      [
        ['vision', ['VIS-1']],
        ['strategy', ['STR-1', 'STR-2']],
        ['objective', ['OBJ-1', 'OBJ-2', 'OBJ-9']],
        ['keyResult', ['KR-1.1', 'KR-1.2', 'KR-2.1', 'KR-2.2', 'KR-9.1']],
        ['outcome', ['OUT-1', 'OUT-2', 'OUT-3', 'OUT-9']],
        ['prd', ['PRD-1', 'PRD-2', 'PRD-9']],
      ],
    );
    const from = (id: string) => graph.edges.filter((edge) => edge.from === id).map((edge) => edge.to);
    assert.deepEqual(from('VIS-1'), ['STR-1', 'STR-2']);
    assert.deepEqual(from('STR-2'), ['OBJ-9']);
  });

  test('Markdown and HTML group objectives under their strategy and show owners of strategies, objectives and key results', async () => {
    const t = await createService(files);
    const report = t.service.getStrategyReport();
    const markdown = renderReportMarkdown(report);
    assert.match(markdown, /\n### STR-1: Payments strategy\n\nOwner: maya\n\n#### OBJ-1: Make paying effortless\n\n█/);
    assert.match(markdown, /\n### STR-2: Lending\n\nOwner: sam\n\n#### OBJ-9: Lend to small businesses\n\nOwner: priya\n\n/);
    assert.match(markdown, /\| \*\*KR-9\.1\*\* Loans issued · _lee_ \|/);
    assert.doesNotMatch(markdown, /\*\*KR-1\.1\*\* Invoice conversion ·/, 'near miss: no owner, nothing added');
    const html = renderReportHtml(report, { theme: 'standalone' });
    assert.match(
      html,
      /<h3 class="product-line" data-id="STR-2"><span class="strategy">STR-2<\/span> Lending <span class="muted owner" title="owner">· sam<\/span><\/h3>/,
    );
    assert.match(html, /<h3>Lend to small businesses <span class="muted owner" title="owner">· priya<\/span><\/h3>/);
    assert.ok(html.indexOf('data-id="STR-2"') < html.indexOf('<article class="objective" data-id="OBJ-9"'));
  });

  test('one product line: its strategy below the vision, its objectives, its PRDs and their problems', async () => {
    // A PRD delivering nothing: its untraced requirement and its problem belong to no product line.
    const t = await createService({ ...files, 'prds/stray.md': '---\ntype: prd\nid: PRD-5\n---\n### REQ-5.1: Stray\n' });
    const whole = t.service.getStrategyReport('Strategy report: x');
    const line = productLineReport(whole, t.service.graph, 'STR-2', 10)!;
    assert.equal(line.title, 'Strategy report: x · STR-2: Lending');
    assert.deepEqual(
      line.tree.map((root) => [root.key, root.children.map((child) => child.key)]),
      [
        ['VIS-1', ['VIS-1/STR-2']],
        ['untraced', ['untraced/PRD-9']],
        ['undelivered', []],
        ['unaligned', []],
      ],
    );
    assert.deepEqual(line.tree[0]!.counts, { objectives: 1 });
    assert.deepEqual(
      line.objectives.map((objective) => objective.id),
      ['OBJ-9'],
    );
    assert.deepEqual(
      { ...line.coverage, progress: undefined },
      { requirements: 2, tracedRequirements: 1, outcomes: 1, deliveredOutcomes: 1, objectives: 1, objectivesWithOutcomes: 1, progress: undefined },
    );
    assert.equal(line.portfolio.prds, 1);
    assert.deepEqual(new Set(line.problems.map((problem) => problem.file)), new Set(['prds/lending.md', 'strategy2.md']));
    assert.ok(
      whole.problems.some((problem) => problem.file === 'prds/stray.md'),
      'the whole report has others',
    );
    assert.ok(whole.tree.find((root) => root.key === 'untraced')!.children.some((child) => child.key === 'untraced/PRD-5'));
  });

  test('near miss: an objective, an unknown ID or a PRD is no product line', async () => {
    const t = await createService(files);
    const whole = t.service.getStrategyReport();
    for (const id of ['OBJ-1', 'STR-404', 'PRD-9']) assert.equal(productLineReport(whole, t.service.graph, id, 10), undefined, id);
  });
});

describe('files the service did not check', () => {
  test('each with its reason, in listing order; a strategy document that cannot be read is checked (an encoding error), not listed', async () => {
    const t = await createService({
      ...CLEAN_WORKSPACE,
      'notes.md': '# Notes\n',
      'meeting.md': '---\ntitle: Weekly\n---\n',
      'roadmap.md': "---\ntype: 'roadmap' # later\n---\n",
      'big.md': { error: 'larger than 20 MB, not read' },
      'scan.md': { error: 'binary file (contains NUL bytes), not read' },
      'locked.md': { error: 'EACCES' },
      'broken-prd.md': { error: 'binary file (contains NUL bytes), not read', strategyDocument: true },
      'image.png': 'not markdown',
    });
    assert.deepEqual(
      (await t.service.uncheckedFiles()).map(({ uri, reason, detail }) => [uri.slice('file:///ws/'.length), reason, detail]),
      [
        ['big.md', 'too large', 'larger than 20 MB, not read'],
        ['locked.md', 'unreadable', 'EACCES'],
        ['meeting.md', 'not a strategy document', 'no `type` in its front-matter'],
        ['notes.md', 'not a strategy document', 'no front-matter'],
        ['roadmap.md', 'unknown type', 'type: roadmap (Throughline reads vision, strategy, prd)'],
        ['scan.md', 'undecodable', 'binary file (contains NUL bytes), not read'],
      ],
    );
  });

  test('near miss: a workspace of strategy documents has nothing unchecked', async () => {
    const t = await createService(CLEAN_WORKSPACE);
    assert.deepEqual(await t.service.uncheckedFiles(), []);
  });
});

describe('report graph: a PRD under several outcomes', () => {
  test('one PRD node, linked from each of its outcomes, counting each requirement once', async () => {
    const t = await createService({
      's.md': md`
        ---
        type: strategy
        id: STR-1
        ---
        ## OBJ-1: Grow
        ### OUT-1: One
        Supports: OBJ-1
        ### OUT-2: Two
        Supports: OBJ-1
        ### OUT-3: Three
        Supports: OBJ-1
      `,
      'prds/a.md': md`
        ---
        type: prd
        id: PRD-1
        ---
        ### REQ-1: Both
        Traces: OUT-1, OUT-2
        ### REQ-2: Second only
        Traces: OUT-2
      `,
      'prds/b.md': md`
        ---
        type: prd
        id: PRD-2
        ---
        ### REQ-3: Third
        Traces: OUT-3
      `,
    });
    const graph = reportAlignment(t.service.getStrategyReport()).graph;
    const prds = graph.layers.find((layer) => layer.column === 'prd')!;
    assert.deepEqual(
      prds.nodes.map((node) => [node.id, node.requirements]),
      [
        ['PRD-1', 2],
        ['PRD-2', 1],
      ],
    );
    const into = (id: string) => graph.edges.filter((edge) => edge.to === id).map((edge) => edge.from);
    assert.deepEqual(into('PRD-1'), ['OUT-1', 'OUT-2']);
    assert.deepEqual(into('PRD-2'), ['OUT-3']);
    // The same graph as drawn from the whole tree.
    assert.deepEqual(graph, buildAlignmentGraph(t.service.getAlignmentTree().roots));
  });
});
