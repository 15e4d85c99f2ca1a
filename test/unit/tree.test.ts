/**
 * The alignment tree: vision → strategies → objectives → key results and outcomes → PRD groups → requirements,
 * and the groups of untraced requirements, outcomes nothing delivers and unaligned outcomes.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { AlignmentNode } from '../../common/protocol';
import { CLEAN_WORKSPACE, MINI_STRATEGY, STRATEGY } from '../helpers/fixtures';
import { createService, md, range } from '../helpers/memoryWorkspace';

type Shape = string | [string, Shape[]];

/** Nodes as `kind:id` (or `group:title`), nested. */
function shape(nodes: AlignmentNode[]): Shape[] {
  return nodes.map((node) => {
    const label = `${node.kind}:${node.id ?? node.title}`;
    return node.children.length ? [label, shape(node.children)] : label;
  });
}

function find(nodes: AlignmentNode[], key: string): AlignmentNode | undefined {
  for (const node of nodes) {
    if (node.key === key) return node;
    const found = find(node.children, key);
    if (found) return found;
  }
  return undefined;
}

function* all(nodes: AlignmentNode[]): Generator<AlignmentNode> {
  for (const node of nodes) {
    yield node;
    yield* all(node.children);
  }
}

const EMPTY_GROUPS: Shape[] = ['group:Untraced requirements', 'group:Outcomes nothing delivers', 'group:Unaligned outcomes'];

describe('alignment tree', () => {
  test('an ID defined twice: the requirement under an outcome is the definition that writes the trace', async () => {
    const t = await createService({
      's.md': MINI_STRATEGY,
      // Indexed first, so the workspace's first definition of REQ-1 is this one, which traces nothing.
      'a.md': md`
        ---
        type: prd
        id: PRD-A
        ---
        ### REQ-1: Written here without a trace
      `,
      'b.md': md`
        ---
        type: prd
        id: PRD-B
        ---
        ### REQ-1: Written here, tracing OUT-1
        Traces: OUT-1
      `,
    });
    const outcome = [...all(t.service.getAlignmentTree().roots)].find((node) => node.id === 'OUT-1' && node.kind === 'outcome')!;
    assert.deepEqual(shape(outcome.children), [['prd:PRD-B', ['requirement:REQ-1']]]);
    assert.match(outcome.children[0]!.children[0]!.uri!, /b\.md$/);
  });

  test('a PRD ID written in two files: one group, each requirement the definition in the file that traces', async () => {
    const t = await createService({
      's.md': MINI_STRATEGY,
      'a.md': md`
        ---
        type: prd
        id: PRD-A
        ---
        ### REQ-1: Traced here
        Traces: OUT-1
        ### REQ-2: Written here first, without a trace
      `,
      'a2.md': md`
        ---
        type: prd
        id: PRD-A
        ---
        ### REQ-2: Traced in the second file
        Traces: OUT-1
      `,
    });
    const outcome = [...all(t.service.getAlignmentTree().roots)].find((node) => node.id === 'OUT-1' && node.kind === 'outcome')!;
    assert.deepEqual(shape(outcome.children), [['prd:PRD-A', ['requirement:REQ-1', 'requirement:REQ-2']]]);
    assert.deepEqual(
      outcome.children[0]!.children.map((node) => node.uri!.replace(/^.*\//, '')),
      ['a.md', 'a2.md'],
    );
  });

  test('the clean workspace: vision, objectives, key results, outcomes, PRDs, requirements', async () => {
    const t = await createService(CLEAN_WORKSPACE);
    const { roots } = t.service.getAlignmentTree();
    assert.deepEqual(shape(roots), [
      [
        'vision:VIS-1',
        [
          [
            'strategy:STR-1',
            [
              [
                'objective:OBJ-1',
                [
                  ['keyResult:KR-1.1', [['outcome:OUT-1', [['prd:PRD-1', ['requirement:REQ-1.1', 'requirement:REQ-1.2']]]]]],
                  ['keyResult:KR-1.2', [['outcome:OUT-2', [['prd:PRD-1', ['requirement:REQ-1.2']]]]]],
                ],
              ],
              ['objective:OBJ-2', [['keyResult:KR-2.1', [['outcome:OUT-3', [['prd:PRD-2', ['requirement:REQ-2.1']]]]]], 'keyResult:KR-2.2']],
            ],
          ],
        ],
      ],
      ...EMPTY_GROUPS,
    ]);
  });

  test('nodes carry their item, location and counts', async () => {
    const t = await createService(CLEAN_WORKSPACE);
    const { roots } = t.service.getAlignmentTree();
    const objective = find(roots, 'VIS-1/STR-1/OBJ-1')!;
    assert.equal(objective.title, 'Make paying effortless');
    assert.equal(objective.uri, t.uri('strategy.md'));
    assert.deepEqual(objective.range, range(10, 3, 8));
    assert.deepEqual(objective.counts, { keyResults: 2, outcomes: 2, requirements: 2 });
    assert.deepEqual(objective.problems, { errors: 0, warnings: 0 });
    assert.deepEqual(roots[0]!.counts, { objectives: 2 });
    // The product line between the vision and its objectives, with its objectives counted.
    const strategy = find(roots, 'VIS-1/STR-1')!;
    assert.equal(strategy.kind, 'strategy');
    assert.deepEqual(strategy.counts, { objectives: 2 });
    assert.equal(strategy.childCount, 2);
    // KR-1.1 has moved from 41% to 46% of the way to 55%: 5/14. KR-1.2 has no `Current:` yet, so 0; OBJ-1 is the mean.
    assert.equal(find(roots, 'VIS-1/STR-1/OBJ-1/KR-1.1')!.progress, 5 / 14);
    assert.equal(find(roots, 'VIS-1/STR-1/OBJ-1/KR-1.2')!.progress, 0);
    assert.equal(objective.progress, 5 / 28);
    const outcome = find(roots, 'VIS-1/STR-1/OBJ-1/KR-1.1/OUT-1')!;
    assert.equal(outcome.progress, undefined, 'only key results and objectives have a progress');
    assert.equal(outcome.status, 'approved');
    assert.equal(outcome.owner, 'ines');
    assert.deepEqual(outcome.counts, { requirements: 2 });
    const requirement = find(roots, 'VIS-1/STR-1/OBJ-1/KR-1.1/OUT-1/PRD-1/REQ-1.1')!;
    assert.equal(requirement.documentId, 'PRD-1');
    assert.equal(requirement.uri, t.uri('prds/checkout.md'));
  });

  test('a key result counts each requirement below it once', async () => {
    // OUT-1 and OUT-2 both support KR-1.1; REQ-1.2 traces both: KR-1.1 has 2 distinct requirements.
    const strategy = STRATEGY.replace('Supports: KR-1.2', 'Supports: KR-1.1');
    const t = await createService({ ...CLEAN_WORKSPACE, 'strategy.md': strategy });
    const keyResult = find(t.service.getAlignmentTree().roots, 'VIS-1/STR-1/OBJ-1/KR-1.1')!;
    assert.equal(keyResult.counts.outcomes, 2);
    assert.equal(keyResult.counts.requirements, 2);
  });

  test('keys are unique among siblings and stable across rebuilds', async () => {
    const t = await createService(CLEAN_WORKSPACE);
    const first = t.service.getAlignmentTree();
    for (const node of all(first.roots)) {
      const keys = node.children.map((child) => child.key);
      assert.equal(new Set(keys).size, keys.length, node.key);
    }
    await t.service.initialize();
    assert.deepEqual(
      [...all(t.service.getAlignmentTree().roots)].map((node) => node.key),
      [...all(first.roots)].map((node) => node.key),
    );
  });

  test('an outcome supporting the objective directly hangs below the objective, after its key results', async () => {
    const strategy = md`
      ---
      type: strategy
      id: STR-1
      ---
      ## OBJ-1: Objective
      - KR-1.1: Key result
        Baseline: 1
        Target: 2
        Due: 2027-01-01
      ### OUT-1: Direct
      Supports: OBJ-1
    `;
    const t = await createService({ 's.md': strategy });
    assert.deepEqual(shape(t.service.getAlignmentTree().roots), [
      ['strategy:STR-1', [['objective:OBJ-1', ['keyResult:KR-1.1', 'outcome:OUT-1']]]],
      'group:Untraced requirements',
      ['group:Outcomes nothing delivers', ['outcome:OUT-1']],
      'group:Unaligned outcomes',
    ]);
  });

  test('problem groups: untraced requirements by PRD, undelivered and unaligned outcomes, with their problems', async () => {
    const strategy = md`
      ---
      type: strategy
      id: STR-1
      ---
      ## OBJ-1: Objective
      - KR-1.1: Key result
        Baseline: 1
        Target: 2
        Due: 2027-01-01
      ### OUT-1: Delivered and aligned
      Supports: KR-1.1
      ### OUT-2: Undelivered
      Supports: OBJ-1
      ### OUT-3: Delivered but unaligned
    `;
    const prd = md`
      ---
      type: prd
      id: PRD-1
      ---
      ### REQ-1: Traced
      Traces: OUT-1, OUT-3
      ### REQ-2: Untraced
      ### REQ-3: Traces something unknown
      Traces: OUT-99
      ### REQ-4: Traces an objective
      Traces: OBJ-1
    `;
    const loose = '---\ntype: prd\n---\n### REQ-5: In a PRD without id\n';
    const t = await createService({ 's.md': strategy, 'p.md': prd, 'loose.md': loose });
    const { roots } = t.service.getAlignmentTree();
    const untraced = find(roots, 'untraced')!;
    assert.deepEqual(shape([untraced]), [
      [
        'group:Untraced requirements',
        [
          ['prd:PRD-1', ['requirement:REQ-2', 'requirement:REQ-3', 'requirement:REQ-4']],
          ['group:loose.md', ['requirement:REQ-5']],
        ],
      ],
    ]);
    assert.deepEqual(untraced.counts, { requirements: 4 });
    assert.deepEqual(find(roots, 'untraced/PRD-1/REQ-2')!.problems, { errors: 1, warnings: 0 });
    const undelivered = find(roots, 'undelivered')!;
    assert.deepEqual(shape(undelivered.children), ['outcome:OUT-2']);
    assert.deepEqual(undelivered.children[0]!.problems, { errors: 0, warnings: 1 });
    const unaligned = find(roots, 'unaligned')!;
    assert.deepEqual(shape(unaligned.children), [['outcome:OUT-3', [['prd:PRD-1', ['requirement:REQ-1']]]]]);
    assert.deepEqual(unaligned.counts, { outcomes: 1 });
  });

  test('a strategy naming no existing vision is a root of its own', async () => {
    const t = await createService({ 's.md': MINI_STRATEGY.replace('id: STR-1', 'id: STR-1\nvision: VIS-404') });
    const [root] = t.service.getAlignmentTree().roots;
    assert.equal(root!.key, 'STR-1');
    assert.deepEqual(shape([root!]), [['strategy:STR-1', [['objective:OBJ-1', [['keyResult:KR-1.1', ['outcome:OUT-1']], 'keyResult:KR-1.2']]]]]);
  });

  test('the tree follows edits', async () => {
    const t = await createService(CLEAN_WORKSPACE);
    t.open('prds/ledger.md', CLEAN_WORKSPACE['prds/ledger.md']!.replace('  Traces: OUT-3\n', ''));
    const { roots } = t.service.getAlignmentTree();
    assert.deepEqual(shape([find(roots, 'untraced')!]), [['group:Untraced requirements', [['prd:PRD-2', ['requirement:REQ-2.1']]]]]);
    assert.deepEqual(shape([find(roots, 'undelivered')!]), [['group:Outcomes nothing delivers', ['outcome:OUT-3']]]);
    assert.deepEqual(find(roots, 'VIS-1/STR-1/OBJ-2/KR-2.1/OUT-3')!.children, []);
  });

  test('outcomes nothing delivers follow edits of any requirement tracing them, the first one found or a later one', async () => {
    const prd = (id: string, requirement: string, traced: boolean) => md`
      ---
      type: prd
      id: ${id}
      ---
      ${requirement}
      ${traced ? 'Traces: OUT-1' : 'Priority: must'}
    `;
    const texts: Record<string, string> = {
      's.md': MINI_STRATEGY,
      'a.md': prd('PRD-A', '### REQ-1: First', true),
      'b.md': prd('PRD-B', '### REQ-2: Second', true),
    };
    const t = await createService(texts);
    const undelivered = async (service: typeof t.service) => shape([find(service.getAlignmentTree().roots, 'undelivered')!]);
    const delivered: Shape[] = ['group:Outcomes nothing delivers'];
    const notDelivered: Shape[] = [['group:Outcomes nothing delivers', ['outcome:OUT-1']]];
    const steps: [path: string, text: string, expected: Shape[]][] = [
      // The first requirement found stops tracing: the second still delivers OUT-1.
      ['a.md', prd('PRD-A', '### REQ-1: First', false), delivered],
      ['b.md', prd('PRD-B', '### REQ-2: Second', false), notDelivered],
      ['a.md', prd('PRD-A', '### REQ-1: First', true), delivered],
      // The trace stays, but is now an outcome's: not a requirement's.
      ['a.md', prd('PRD-A', '### OUT-9: An outcome, not a requirement', true), [['group:Outcomes nothing delivers', ['outcome:OUT-1', 'outcome:OUT-9']]]],
      ['b.md', prd('PRD-B', '### REQ-2: Second', true), [['group:Outcomes nothing delivers', ['outcome:OUT-9']]]],
    ];
    assert.deepEqual(await undelivered(t.service), delivered);
    for (const [path, text, expected] of steps) {
      t.open(path, text);
      texts[path] = text;
      assert.deepEqual(await undelivered(t.service), expected, `after editing ${path}`);
      assert.deepEqual(await undelivered((await createService(texts)).service), expected, `a fresh service after editing ${path}`);
    }
  });

  test('near miss: an empty workspace has only the three empty groups', async () => {
    const t = await createService({});
    assert.deepEqual(shape(t.service.getAlignmentTree().roots), EMPTY_GROUPS);
  });
});

describe('alignment tree slices', () => {
  test('depth 1 gives the roots with their child counts and no children; a key gives that node’s children', async () => {
    const t = await createService(CLEAN_WORKSPACE);
    const whole = t.service.getAlignmentTree();
    const roots = t.service.getAlignmentTree(undefined, 1).roots;
    assert.deepEqual(
      roots.map((node) => [node.key, node.childCount, node.children.length]),
      whole.roots.map((node) => [node.key, node.children.length, 0]),
    );
    const vision = whole.roots.find((node) => node.kind === 'vision')!;
    assert.ok(vision.children.length > 0);
    const slice = t.service.getAlignmentTree(vision.key, 1).roots;
    assert.deepEqual(
      slice.map((node) => node.key),
      vision.children.map((node) => node.key),
    );
    assert.ok(slice.every((node) => node.children.length === 0 && node.childCount === find(whole.roots, node.key)!.children.length));
    const deeper = t.service.getAlignmentTree(slice[0]!.key, 2).roots;
    assert.deepEqual(
      shape(deeper),
      shape(find(whole.roots, slice[0]!.key)!.children).map((entry) =>
        typeof entry === 'string' ? entry : [entry[0], (entry[1] as Shape[]).map((child) => (typeof child === 'string' ? child : child[0]))],
      ),
    );
    assert.deepEqual(t.service.getAlignmentTree('NO-SUCH/KEY', 1).roots, []);
  });
});

describe('a slice is the whole tree’s children, however it is found', () => {
  const strategy = (id: string, vision: string | undefined, objectives: string[]) =>
    [
      '---',
      'type: strategy',
      `id: ${id}`,
      ...(vision ? [`vision: ${vision}`] : []),
      '---',
      `# ${id}: Strategy ${id}`,
      ...objectives.flatMap((objective) => [
        '',
        `## ${objective}: Objective ${objective}`,
        '',
        `### OUT-${objective}: Outcome of ${objective}`,
        `Supports: ${objective}`,
      ]),
      '',
    ].join('\n');
  const files = {
    'vision.md': md`
      ---
      type: vision
      id: VIS-1
      ---
      # VIS-1: Vision
    `,
    'a.md': strategy('STR-1', 'VIS-1', ['OBJ-1', 'OBJ-2']),
    'b.md': strategy('STR-2', 'VIS-1', ['OBJ-3']),
    // No vision: a root of its own.
    'c.md': strategy('STR-3', undefined, ['OBJ-4', 'OBJ-5']),
    'p.md': md`
      ---
      type: prd
      id: PRD-1
      ---
      ### REQ-1: Requirement
      Traces: OUT-OBJ-2, OUT-OBJ-4
    `,
  };
  /** The node as a slice of `levels` levels shows it: children below that depth dropped, counted. */
  const cut = (node: AlignmentNode, levels: number): AlignmentNode => ({
    ...node,
    childCount: node.children.length,
    children: levels > 1 ? node.children.map((child) => cut(child, levels - 1)) : [],
  });
  const everySliceMatches = (t: Awaited<ReturnType<typeof createService>>) => {
    const whole = t.service.getAlignmentTree().roots;
    let checked = 0;
    for (const node of all(whole)) {
      if (node.children.length === 0) continue;
      assert.deepEqual(
        t.service.getAlignmentTree(node.key, 2).roots,
        node.children.map((child) => cut(child, 2)),
        node.key,
      );
      checked++;
    }
    return checked;
  };

  test('every node with children, at every depth: under a vision, a strategy of its own, an objective', async () => {
    const t = await createService(files);
    assert.ok(everySliceMatches(t) >= 10);
    // Near misses: a child the parent does not have, a key that only starts like a child's, a node under the wrong parent.
    for (const key of ['VIS-1/STR-9', 'VIS-1/STR-1x', 'VIS-1/STR-1/OBJ-9', 'VIS-1/STR-1/OBJ-3', 'VIS-1/STR-3', 'STR-3/OBJ-1', 'VIS-1/', 'VIS-1//STR-1'])
      assert.deepEqual(t.service.getAlignmentTree(key, 2).roots, [], key);
  });

  test('after edits that move an objective and add a strategy, slices follow', async () => {
    const t = await createService(files);
    const visionObjectives = () => t.service.getAlignmentTree(undefined, 1).roots.find((node) => node.key === 'VIS-1')!.counts.objectives;
    assert.equal(visionObjectives(), 3);
    t.change('a.md', strategy('STR-1', 'VIS-1', ['OBJ-1']));
    t.change('b.md', strategy('STR-2', 'VIS-1', ['OBJ-3', 'OBJ-2']));
    t.change('c.md', strategy('STR-3', 'VIS-1', ['OBJ-4', 'OBJ-5']));
    assert.deepEqual(
      t.service.getAlignmentTree('VIS-1', 1).roots.map((node) => node.key),
      ['VIS-1/STR-1', 'VIS-1/STR-2', 'VIS-1/STR-3'],
    );
    assert.deepEqual(
      t.service.getAlignmentTree('VIS-1/STR-2', 1).roots.map((node) => node.key),
      ['VIS-1/STR-2/OBJ-3', 'VIS-1/STR-2/OBJ-2'],
    );
    assert.deepEqual(t.service.getAlignmentTree('VIS-1/STR-1/OBJ-2', 1).roots, []);
    assert.deepEqual(t.service.getAlignmentTree('STR-3', 1).roots, []);
    assert.ok(everySliceMatches(t) >= 10);
    // The vision counts the objectives of its strategies as they are now.
    assert.equal(visionObjectives(), 5);
    t.change('c.md', strategy('STR-3', 'VIS-1', ['OBJ-4']));
    assert.equal(visionObjectives(), 4);
  });
});

describe('objectives written under another objective', () => {
  test('an objective under another objective’s heading is the strategy’s too, with what is under it', async () => {
    const t = await createService({
      's.md': md`
        ---
        type: strategy
        id: STR-1
        ---
        # STR-1: S
        ## OBJ-1: Grow
        ### OBJ-2: Nested objective
        - KR-2.1: Signups
          Baseline: 1
          Target: 2
          Due: 2027-01-01
        ### OUT-2: Thing
        Supports: OBJ-2
      `,
    });
    const strategy = t.service.getAlignmentTree().roots.find((node) => node.kind === 'strategy')!;
    assert.deepEqual(
      strategy.children.map((node) => node.id),
      ['OBJ-1', 'OBJ-2'],
    );
    assert.equal(strategy.counts.objectives, 2);
    assert.deepEqual(shape(strategy.children.find((node) => node.id === 'OBJ-2')!.children), ['keyResult:KR-2.1', 'outcome:OUT-2']);
    // Each objective once: OBJ-1 does not list OBJ-2 again.
    assert.deepEqual(shape(strategy.children.find((node) => node.id === 'OBJ-1')!.children), []);
    assert.deepEqual(
      t.service.getAlignmentTree('STR-1/OBJ-2', 1).roots.map((node) => node.id),
      ['KR-2.1', 'OUT-2'],
    );
  });

  test('near miss: duplicate objectives that nest each other in two files list each once and end', async () => {
    const strategy = (first: string, second: string) => md`
      ---
      type: strategy
      id: STR-1
      ---
      ## ${first}: First
      ### ${second}: Second
    `;
    const t = await createService({ 'a.md': strategy('OBJ-1', 'OBJ-2'), 'b.md': strategy('OBJ-2', 'OBJ-1').replace('STR-1', 'STR-2') });
    for (const root of t.service.getAlignmentTree().roots.filter((node) => node.kind === 'strategy'))
      assert.deepEqual(root.children.map((node) => node.id).sort(), ['OBJ-1', 'OBJ-2'], root.id);
  });
});

describe('problems counted on tree rows', () => {
  test("an item's row counts problems on its ID, its attributes and, for a document, its front-matter", async () => {
    const strategy = md`
      ---
      type: strategy
      id: STR-1
      period: 2027-H1
      ---
      ## OBJ-1: Objective

      - KR-1: Conversion
        Baseline: 10%
        Target: 20%
        Current: 15
        Due: 2027-09-30
      - KR-2: Time to pay
        Baseline: 38 min
        Target: 10 min
        Due: 2027-06-30

      ### OUT-1: Outcome
      Supports: KR-1, KR-2
      Status: deprecated
    `;
    const prd = md`
      ---
      type: prd
      id: PRD-1
      outcomes: [OUT-1]
      ---
      ### REQ-1: Requirement
      Traces: OUT-1
    `;
    const t = await createService({ 's.md': strategy, 'p.md': prd });
    const nodes: AlignmentNode[] = [];
    const walk = (node: AlignmentNode) => {
      nodes.push(node);
      node.children.forEach(walk);
    };
    t.service.getAlignmentTree().roots.forEach(walk);
    const problems = (id: string) => nodes.find((node) => node.id === id)!.problems;
    // KR-1: key-result-target on `Current:` (error) and due-outside-period on `Due:` (warning).
    assert.deepEqual(problems('KR-1'), { errors: 1, warnings: 1 });
    assert.deepEqual(problems('KR-2'), { errors: 0, warnings: 0 });
    // PRD-1: deprecated-target on its front-matter `outcomes`; REQ-1: the same on its `Traces:`.
    assert.deepEqual(problems('PRD-1'), { errors: 0, warnings: 1 });
    assert.deepEqual(problems('REQ-1'), { errors: 0, warnings: 1 });
  });
});
