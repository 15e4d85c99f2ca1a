/**
 * Custom requests: throughline/alignmentTree, throughline/coverage, throughline/describe, and
 * the throughline/alignmentChanged notification that tells the client to ask again.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { AlignmentNode, AlignmentTree, CoverageFigures, KeyResultProgress, ObjectiveProgress } from '../../common/protocol';
import { copyExample, hasCode, lacksCode, startClient, type LspClient, type TempWorkspace } from './lspClient';

const GUEST = 'prds/guest-checkout.md';
const STRATEGY = 'strategy/payments-2027-h1.md';

function find(nodes: readonly AlignmentNode[], predicate: (node: AlignmentNode) => boolean): AlignmentNode | undefined {
  for (const node of nodes) {
    if (predicate(node)) return node;
    const below = find(node.children, predicate);
    if (below) return below;
  }
  return undefined;
}

function all(nodes: readonly AlignmentNode[], predicate: (node: AlignmentNode) => boolean, found: AlignmentNode[] = []): AlignmentNode[] {
  for (const node of nodes) {
    if (predicate(node)) found.push(node);
    all(node.children, predicate, found);
  }
  return found;
}

/** `ID` for items, `[title]` for groups, nested as { parent: children }. */
function outline(nodes: readonly AlignmentNode[]): unknown[] {
  return nodes.map((node) => {
    const label = node.id ?? `[${node.title}]`;
    return node.children.length ? { [label]: outline(node.children) } : label;
  });
}

/** OBJ-1 of acme: KR-1.1 went from 41% to 46% of the way to 55% (5/14), KR-1.2 from 38 to 31 of the way to 10 min (7/28). */
const OBJ_1_PROGRESS = (5 / 14 + 1 / 4) / 2;

describe('alignment requests', () => {
  let workspace: TempWorkspace;
  let client: LspClient;

  /**
   * The progress of acme's strategy, worked out by hand from its numbers. Over JSON, absent
   * figures (no `Current:`, a progress that cannot be measured) are left out rather than null.
   */
  function acmeProgress(): ObjectiveProgress[] {
    const uri = workspace.uri(STRATEGY);
    const range = (line: number, start: number, end: number) => ({ start: { line, character: start }, end: { line, character: end } });
    const keyResult = (
      line: number,
      id: string,
      title: string,
      figures: { baseline?: string; target: string; current?: string; progress?: number },
    ): KeyResultProgress => ({ id, title, uri, range: range(line, 2, 8), ...figures, weight: 1 });
    const objective = (line: number, id: string, title: string, progress: number | undefined, keyResults: KeyResultProgress[]): ObjectiveProgress => ({
      id,
      title,
      uri,
      range: range(line, 3, 8),
      strategyId: 'STR-1',
      ...(progress === undefined ? {} : { progress }),
      keyResults,
    });
    return [
      objective(16, 'OBJ-1', 'Make paying an invoice effortless for the payer', OBJ_1_PROGRESS, [
        keyResult(20, 'KR-1.1', 'Invoice payment conversion', { baseline: '41%', target: '55%', current: '46%', progress: 5 / 14 }),
        keyResult(26, 'KR-1.2', 'Time from invoice open to payment', { baseline: '38 min', target: '10 min', current: '31 min', progress: 1 / 4 }),
      ]),
      // KR-2.1 is 2/10 of the way; KR-2.2 and KR-2.3 have no `Current:` yet (0): the mean is 0.2 / 3.
      objective(45, 'OBJ-2', 'Help businesses get paid before the due date', 2 / 10 / 3, [
        keyResult(47, 'KR-2.1', 'On-time payment rate', { baseline: '62%', target: '72%', current: '64%', progress: 2 / 10 }),
        keyResult(53, 'KR-2.2', 'Businesses using automatic reminders', { baseline: '18%', target: '40%', progress: 0 }),
        keyResult(58, 'KR-2.3', 'Launch the reminders dashboard', { baseline: '0', target: '1', progress: 0 }),
      ]),
      // Neither key result can be measured: KR-3.1's current has no unit, KR-3.2 has no numbers.
      objective(69, 'OBJ-3', 'Earn the trust of larger customers', undefined, [
        keyResult(71, 'KR-3.1', 'Net revenue retention of accounts with 20+ seats', { baseline: '104%', target: '112%', current: '108' }),
        keyResult(77, 'KR-3.2', 'Security review pass rate', { target: 'most of them' }),
      ]),
      objective(91, 'OBJ-4', 'Help businesses plan their cash', 0, [
        keyResult(93, 'KR-4.1', 'Businesses checking their cash-flow forecast weekly', { baseline: '0%', target: '25%', progress: 0 }),
      ]),
    ];
  }

  before(async () => {
    workspace = await copyExample(undefined, 'alignment');
    client = await startClient({ folders: [workspace.root] });
    await client.waitForDiagnostics(workspace.uri(STRATEGY), hasCode('orphan-outcome'));
  });
  after(async () => {
    await client?.stop();
    await workspace?.dispose();
  });

  test('alignmentChanged was sent once indexing finished', () => {
    const first = client.notifications.find((entry) => entry.method === 'throughline/alignmentChanged');
    assert.ok(first);
    assert.equal(typeof (first.params as { version: number }).version, 'number');
  });

  test('the tree: vision → strategy → objectives → key results → outcomes → PRDs → requirements, then the problem groups', async () => {
    const tree = await client.request<AlignmentTree>('throughline/alignmentTree', {});
    assert.deepEqual(outline(tree.roots.slice(0, 1)), [
      {
        'VIS-1': [
          {
            'STR-1': [
              {
                'OBJ-1': [
                  { 'KR-1.1': [{ 'OUT-1': [{ 'PRD-1': ['REQ-1.1', 'REQ-1.2'] }, { 'PRD-3': ['REQ-3.4'] }] }] },
                  { 'KR-1.2': [{ 'OUT-2': [{ 'PRD-1': ['REQ-1.2', 'REQ-1.3'] }] }] },
                ],
              },
              { 'OBJ-2': [{ 'KR-2.1': ['OUT-4'] }, { 'KR-2.2': [{ 'OUT-3': [{ 'PRD-2': ['REQ-2.1', 'REQ-2.2'] }] }] }, 'KR-2.3'] },
              {
                'OBJ-3': [
                  { 'KR-3.1': [{ 'OUT-5': [{ 'PRD-3': ['REQ-3.1', 'REQ-3.2', 'REQ-3.4'] }] }] },
                  { 'KR-3.2': [{ 'OUT-6': [{ 'PRD-4': ['REQ-4.1', 'REQ-4.2'] }] }] },
                ],
              },
              { 'OBJ-4': [{ 'KR-4.1': ['OUT-7'] }] },
            ],
          },
        ],
      },
    ]);
    const groups = tree.roots.slice(1);
    assert.ok(groups.every((group) => group.kind === 'group'));
    const untraced = groups.find((group) => /untraced/i.test(group.title))!;
    assert.deepEqual(
      all([untraced], (node) => node.kind === 'requirement').map((node) => node.id),
      ['REQ-1.4', 'REQ-2.3', 'REQ-2.4'],
    );
    const undelivered = groups.find((group) => /nothing delivers/i.test(group.title))!;
    assert.deepEqual(
      undelivered.children.map((node) => node.id),
      ['OUT-4', 'OUT-7'],
    );
  });

  test('tree nodes carry counts, locations and the problems reported on each item', async () => {
    const tree = await client.request<AlignmentTree>('throughline/alignmentTree', {});
    const objective = find(tree.roots, (node) => node.id === 'OBJ-1')!;
    // REQ-1.1, REQ-1.2 and REQ-3.4 trace OUT-1; REQ-1.2 and REQ-1.3 trace OUT-2.
    assert.deepEqual(objective.counts, { keyResults: 2, outcomes: 2, requirements: 4 });
    assert.equal(objective.progress, OBJ_1_PROGRESS);
    assert.equal(find(tree.roots, (node) => node.id === 'KR-1.2')!.progress, 1 / 4);
    // KR-3.1's `Current: 108` has no unit while its baseline is in %: it cannot be measured.
    assert.equal(find(tree.roots, (node) => node.id === 'KR-3.1')!.progress, undefined);
    const out1 = find(tree.roots, (node) => node.id === 'OUT-1')!;
    assert.equal(out1.kind, 'outcome');
    assert.equal(out1.uri, workspace.uri(STRATEGY));
    assert.deepEqual(out1.range, { start: { line: 33, character: 4 }, end: { line: 33, character: 9 } });
    assert.equal(out1.owner, 'ines.alves@acme.test');
    const req14 = find(tree.roots, (node) => node.id === 'REQ-1.4')!;
    assert.deepEqual(req14.problems, { errors: 1, warnings: 0 });
    assert.equal(req14.uri, workspace.uri(GUEST));
    const out4 = find(tree.roots, (node) => node.id === 'OUT-4')!;
    assert.deepEqual(out4.problems, { errors: 0, warnings: 1 });
    const kr32 = find(tree.roots, (node) => node.id === 'KR-3.2')!;
    assert.deepEqual(kr32.problems, { errors: 0, warnings: 1 });
  });

  test('node keys are unique among siblings and stable across requests', async () => {
    const first = await client.request<AlignmentTree>('throughline/alignmentTree', {});
    const second = await client.request<AlignmentTree>('throughline/alignmentTree', {});
    const keys = (nodes: readonly AlignmentNode[]): unknown[] => nodes.map((node) => [node.key, keys(node.children)]);
    assert.deepEqual(keys(first.roots), keys(second.roots));
    const check = (nodes: readonly AlignmentNode[], where: string) => {
      const seen = new Set(nodes.map((node) => node.key));
      assert.equal(seen.size, nodes.length, `duplicate keys below ${where}: ${nodes.map((node) => node.key).join(', ')}`);
      for (const node of nodes) check(node.children, node.key);
    };
    check(first.roots, 'the roots');
  });

  test('coverage figures', async () => {
    const coverage = await client.request<CoverageFigures>('throughline/coverage', {});
    // REQ-1.4 has no Traces, REQ-2.3 traces an unknown ID and REQ-2.4 an objective: 10 of 13 count.
    // OUT-4 and OUT-7 are not delivered; every objective has an outcome.
    assert.deepEqual(coverage, {
      requirements: 13,
      tracedRequirements: 10,
      outcomes: 6,
      deliveredOutcomes: 4,
      objectives: 4,
      objectivesWithOutcomes: 4,
      progress: acmeProgress(),
    });
  });

  test('coverage with `progress: false` (the status bar): the same counts, and no progress list at all', async () => {
    const counts = await client.request<Record<string, unknown>>('throughline/coverage', { progress: false });
    assert.deepEqual(counts, { requirements: 13, tracedRequirements: 10, outcomes: 6, deliveredOutcomes: 4, objectives: 4, objectivesWithOutcomes: 4 });
  });

  test('a key result checked in while only the counts were asked for: the next full coverage has the new progress', async () => {
    const uri = workspace.uri(STRATEGY);
    const text = await workspace.read(STRATEGY);
    await client.open(uri, text, 1);
    const line = text.split('\n').findIndex((row) => row === '  Current: 46%');
    assert.ok(line >= 0, 'KR-1.1 is at 46%');
    // Requests are answered in the order they arrive, after the change before them.
    await client.change(uri, [{ range: { start: { line, character: 11 }, end: { line, character: 13 } }, text: '55' }]);
    // The counts do not move with a check-in; the progress list is not worked out for them.
    assert.equal((await client.request<CoverageFigures>('throughline/coverage', { progress: false })).progress, undefined);
    const progressOf = (coverage: CoverageFigures, id: string) =>
      coverage.progress.flatMap((objective) => objective.keyResults).find((keyResult) => keyResult.id === id)?.progress;
    assert.equal(progressOf(await client.request<CoverageFigures>('throughline/coverage', {}), 'KR-1.1'), 1);
    await client.close(uri);
    assert.equal(progressOf(await client.request<CoverageFigures>('throughline/coverage', {}), 'KR-1.1'), 5 / 14, 'KR-1.1 back at 46%');
  });

  test('describe: hover text by ID, null for an unknown ID', async () => {
    const text = await client.request<string | null>('throughline/describe', { id: 'OUT-1' });
    assert.match(text ?? '', /\*\*OUT-1\*\* — Payers complete payment without creating an account/);
    assert.equal(await client.request('throughline/describe', { id: 'OUT-404' }), null);
  });

  test('an edit sends alignmentChanged, and tree and coverage follow it', async () => {
    const uri = workspace.uri(GUEST);
    const text = await workspace.read(GUEST);
    await client.open(uri, text, 1);
    const since = client.notifications.length;
    const lastVersion = Math.max(
      ...client.notifications.filter((entry) => entry.method === 'throughline/alignmentChanged').map((entry) => (entry.params as { version: number }).version),
    );
    await client.change(uri, [{ range: { start: { line: 37, character: 46 }, end: { line: 37, character: 46 } }, text: '\nTraces: OUT-4' }]);
    const params = (await client.waitForNotification('throughline/alignmentChanged', since)) as { version: number };
    assert.ok(params.version > lastVersion, 'versions increase');
    await client.waitForDiagnostics(
      workspace.uri(STRATEGY),
      lacksCode('orphan-outcome', (diagnostic) => diagnostic.message.includes('OUT-4')),
    );

    const coverage = await client.request<CoverageFigures>('throughline/coverage', {});
    assert.equal(coverage.tracedRequirements, 11);
    assert.equal(coverage.deliveredOutcomes, 5);
    const tree = await client.request<AlignmentTree>('throughline/alignmentTree', {});
    const out4 = find(tree.roots, (node) => node.id === 'OUT-4')!;
    assert.deepEqual(outline([out4]), [{ 'OUT-4': [{ 'PRD-1': ['REQ-1.4'] }] }]);
    const untraced = tree.roots.find((group) => group.kind === 'group' && /untraced/i.test(group.title))!;
    assert.ok(!find([untraced], (node) => node.id === 'REQ-1.4'));

    await client.close(uri);
    await client.waitForDiagnostics(
      workspace.uri(STRATEGY),
      hasCode('orphan-outcome', (diagnostic) => diagnostic.message.includes('OUT-4')),
    );
    assert.equal((await client.request<CoverageFigures>('throughline/coverage', {})).tracedRequirements, 10);
  });
});
