/**
 * Custom requests: throughline/alignmentTree, throughline/coverage, throughline/describe, and
 * the throughline/alignmentChanged notification that tells the client to ask again.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { AlignmentNode, AlignmentTree, CoverageFigures } from '../../common/protocol';
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

describe('alignment requests', () => {
  let workspace: TempWorkspace;
  let client: LspClient;

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

  test('the tree: vision → objectives → key results → outcomes → PRDs → requirements, then the problem groups', async () => {
    const tree = await client.request<AlignmentTree>('throughline/alignmentTree', {});
    assert.deepEqual(outline(tree.roots.slice(0, 1)), [
      {
        'VIS-1': [
          {
            'OBJ-1': [
              { 'KR-1.1': [{ 'OUT-1': [{ 'PRD-1': ['REQ-1.1', 'REQ-1.2'] }] }] },
              { 'KR-1.2': [{ 'OUT-2': [{ 'PRD-1': ['REQ-1.2', 'REQ-1.3'] }] }] },
            ],
          },
          { 'OBJ-2': [{ 'KR-2.1': ['OUT-4'] }, { 'KR-2.2': [{ 'OUT-3': [{ 'PRD-2': ['REQ-2.1', 'REQ-2.2'] }] }] }, 'OUT-7'] },
          {
            'OBJ-3': [
              { 'KR-3.1': [{ 'OUT-5': [{ 'PRD-3': ['REQ-3.1', 'REQ-3.2'] }] }] },
              { 'KR-3.2': [{ 'OUT-6': [{ 'PRD-4': ['REQ-4.1', 'REQ-4.2'] }] }] },
            ],
          },
        ],
      },
    ]);
    const groups = tree.roots.slice(1);
    assert.ok(groups.every((group) => group.kind === 'group'));
    const untraced = groups.find((group) => /untraced/i.test(group.title))!;
    assert.deepEqual(all([untraced], (node) => node.kind === 'requirement').map((node) => node.id), ['REQ-1.4', 'REQ-2.3', 'REQ-2.4']);
    const undelivered = groups.find((group) => /nothing delivers/i.test(group.title))!;
    assert.deepEqual(undelivered.children.map((node) => node.id), ['OUT-4', 'OUT-7']);
  });

  test('tree nodes carry counts, locations and the problems reported on each item', async () => {
    const tree = await client.request<AlignmentTree>('throughline/alignmentTree', {});
    const objective = find(tree.roots, (node) => node.id === 'OBJ-1')!;
    assert.deepEqual(objective.counts, { keyResults: 2, outcomes: 2, requirements: 3 });
    const out1 = find(tree.roots, (node) => node.id === 'OUT-1')!;
    assert.equal(out1.kind, 'outcome');
    assert.equal(out1.uri, workspace.uri(STRATEGY));
    assert.deepEqual(out1.range, { start: { line: 32, character: 4 }, end: { line: 32, character: 9 } });
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
    assert.deepEqual(coverage, { requirements: 12, tracedRequirements: 9, outcomes: 7, deliveredOutcomes: 5, objectives: 3, objectivesWithOutcomes: 3 });
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
    const lastVersion = Math.max(...client.notifications.filter((entry) => entry.method === 'throughline/alignmentChanged').map((entry) => (entry.params as { version: number }).version));
    await client.change(uri, [{ range: { start: { line: 37, character: 46 }, end: { line: 37, character: 46 } }, text: '\nTraces: OUT-4' }]);
    const params = (await client.waitForNotification('throughline/alignmentChanged', since)) as { version: number };
    assert.ok(params.version > lastVersion, 'versions increase');
    await client.waitForDiagnostics(workspace.uri(STRATEGY), lacksCode('orphan-outcome', (diagnostic) => diagnostic.message.includes('OUT-4')));

    const coverage = await client.request<CoverageFigures>('throughline/coverage', {});
    assert.equal(coverage.tracedRequirements, 10);
    assert.equal(coverage.deliveredOutcomes, 6);
    const tree = await client.request<AlignmentTree>('throughline/alignmentTree', {});
    const out4 = find(tree.roots, (node) => node.id === 'OUT-4')!;
    assert.deepEqual(outline([out4]), [{ 'OUT-4': [{ 'PRD-1': ['REQ-1.4'] }] }]);
    const untraced = tree.roots.find((group) => group.kind === 'group' && /untraced/i.test(group.title))!;
    assert.ok(!find([untraced], (node) => node.id === 'REQ-1.4'));

    await client.close(uri);
    await client.waitForDiagnostics(workspace.uri(STRATEGY), hasCode('orphan-outcome', (diagnostic) => diagnostic.message.includes('OUT-4')));
    assert.equal((await client.request<CoverageFigures>('throughline/coverage', {})).tracedRequirements, 9);
  });
});
