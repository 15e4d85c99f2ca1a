/**
 * `throughline tree`: the alignment tree as indented text or as one JSON object.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { AlignmentNode } from '../../common/protocol';
import { run } from './run';

describe('tree', () => {
  test('text: the vision at the root, indented two spaces per level, then the problem groups; exit 0', async () => {
    const result = await run(['tree', 'examples/acme']);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stderr, '');
    const lines = result.stdout.trimEnd().split('\n');
    // Owners show (issue 10, item 8), and the strategy (product line) sits between the vision and its objectives.
    assert.equal(lines[0], '◆ VIS-1: Every small business gets paid on time  (approved · owner: maya.chen@acme.test · 4 objectives)');
    assert.equal(lines[1], '  ▣ STR-1: Payments strategy, first half of 2027  (approved · owner: maya.chen@acme.test · 4 objectives)');
    assert.match(lines[2]!, /^ {4}● OBJ-1: Make paying an invoice effortless for the payer {2}\(/);
    assert.match(lines[3]!, /^ {6}◎ KR-1\.1: Invoice payment conversion/);
    assert.match(lines[4]!, /^ {8}▲ OUT-1: Payers complete payment without creating an account {2}\(owner: ines\.alves@acme\.test · 3 requirements\)$/);
    assert.match(lines[5]!, /^ {10}▤ PRD-1: Guest checkout for invoice payers {2}\(approved/);
    assert.match(lines[6]!, /^ {12}· REQ-1\.1: Pay an invoice without an account$/);
    const untraced = lines.findIndex((line) => /^▸ Untraced requirements/.test(line));
    assert.ok(untraced > 0, result.stdout);
    assert.ok(lines.slice(untraced).some((line) => /^ {4}· REQ-1\.4: Show a receipt page after payment$/.test(line)));
    assert.ok(lines.some((line) => /^▸ Outcomes nothing delivers/.test(line)));
    // Every line is indented by an even number of spaces.
    for (const line of lines) assert.equal(/^ */.exec(line)![0].length % 2, 0, line);
  });

  test('--format text equals the default', async () => {
    assert.equal((await run(['tree', 'examples/acme', '--format', 'text'])).stdout, (await run(['tree', 'examples/acme'])).stdout);
  });

  test('json: one object {version: 1, roots}, with relative / paths', async () => {
    const result = await run(['tree', 'examples/acme', '--format', 'json']);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout.trimEnd().split('\n').length, 1);
    const tree = JSON.parse(result.stdout) as { version: number; roots: AlignmentNode[] };
    assert.deepEqual(Object.keys(tree).sort(), ['roots', 'version']);
    assert.equal(tree.version, 1);
    const vision = tree.roots[0]!;
    assert.equal(vision.id, 'VIS-1');
    assert.equal(vision.kind, 'vision');
    assert.equal(vision.uri, 'vision.md');
    assert.deepEqual(
      vision.children.map((node) => node.id),
      ['STR-1'],
    );
    assert.deepEqual(
      vision.children[0]!.children.map((node) => node.id),
      ['OBJ-1', 'OBJ-2', 'OBJ-3', 'OBJ-4'],
    );
    const uris = new Set<string>();
    const walk = (node: AlignmentNode) => {
      if (node.uri) uris.add(node.uri);
      assert.ok(Array.isArray(node.children));
      assert.equal(typeof node.key, 'string');
      node.children.forEach(walk);
    };
    tree.roots.forEach(walk);
    assert.deepEqual([...uris].sort(), [
      'prds/guest-checkout.md',
      'prds/ledger-sync.md',
      'prds/refund-permissions.md',
      'prds/smart-reminders.md',
      'strategy/payments-2027-h1.md',
      'vision.md',
    ]);
    const groups = tree.roots.filter((node) => node.kind === 'group').map((node) => node.title);
    assert.ok(groups.includes('Untraced requirements'), groups.join(', '));
  });

  test('json and text show the same items', async () => {
    const text = (await run(['tree', 'examples/acme'])).stdout;
    const tree = JSON.parse((await run(['tree', 'examples/acme', '--format', 'json'])).stdout) as { roots: AlignmentNode[] };
    const ids: string[] = [];
    const walk = (node: AlignmentNode) => {
      if (node.id) ids.push(node.id);
      node.children.forEach(walk);
    };
    tree.roots.forEach(walk);
    const textIds = [...text.matchAll(/^ *\S (\w+-[\w.]+):/gm)].map((match) => match[1]);
    assert.deepEqual(textIds, ids);
  });
});
