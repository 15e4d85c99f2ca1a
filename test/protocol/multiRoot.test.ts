/**
 * Multi-root: each workspace folder is its own strategy workspace, with its own `.throughline.yml`
 * and resource-scoped settings; IDs resolve within a folder, never across folders; the views sum
 * the folders.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { AlignmentTree, CoverageFigures } from '../../common/protocol';
import { copyExample, emptyWorkspace, fileUri, hasCode, lacksCode, startClient, type LspClient, type TempWorkspace } from './lspClient';

const OTHER_STRATEGY = [
  '---',
  'type: strategy',
  'id: STR-8',
  'title: Another product',
  '---',
  '# STR-8: Another product',
  '',
  '## OBJ-8: Grow the other product',
  '',
  '### OUT-81: Nobody delivers this yet',
  'Supports: OBJ-8',
  '',
].join('\n');

const OTHER_PRD = [
  '---',
  'type: prd',
  'id: PRD-8',
  'title: Other PRD',
  'outcomes: [OUT-81]',
  '---',
  '# PRD-8: Other PRD',
  '',
  '### REQ-8.1: Traces to the first folder',
  'Traces: OUT-1',
  '',
  '### REQ-8.2: Traces nowhere',
  '',
].join('\n');

describe('two workspace folders', () => {
  let acme: TempWorkspace;
  let other: TempWorkspace;
  let client: LspClient;
  let acmeAlone: CoverageFigures;

  before(async () => {
    acme = await copyExample();
    other = await emptyWorkspace('other');
    await other.write('strategy.md', OTHER_STRATEGY);
    await other.write('prd.md', OTHER_PRD);
    // The second folder's own configuration: untraced requirements are not reported there.
    await other.write('.throughline.yml', 'rules:\n  untraced-requirement: off\n');
    const single = await startClient({ folders: [acme.root] });
    acmeAlone = await single.request<CoverageFigures>('throughline/coverage', {});
    await single.stop();
    client = await startClient({ folders: [acme.root, other.root], waitForIndex: false });
    // Resource-scoped settings: orphan outcomes are off in the first folder only.
    client.scopedSettings.set(fileUri(acme.root), { rules: { 'orphan-outcome': 'off' } });
    await client.changeConfiguration({});
    await client.waitForDiagnostics(fileUri(`${other.root}/prd.md`), hasCode('unknown-reference'));
  });
  after(async () => {
    await client.kill();
    await acme.dispose();
    await other.dispose();
  });

  test("IDs resolve within a folder: the second folder's reference to the first folder's OUT-1 is not defined there", () => {
    const diagnostics = client.diagnostics.get(fileUri(`${other.root}/prd.md`)) ?? [];
    assert.ok(hasCode('unknown-reference', (diagnostic) => diagnostic.message.includes('OUT-1'))(diagnostics), JSON.stringify(diagnostics));
  });

  test("each folder's .throughline.yml applies to that folder only", async () => {
    // Off in the second folder: REQ-8.2 traces nowhere and says nothing.
    assert.ok(lacksCode('untraced-requirement')(client.diagnostics.get(fileUri(`${other.root}/prd.md`)) ?? []));
    // Near miss: acme's untraced REQ-1.4 is still reported in the first folder.
    const acmeUntraced = [...client.diagnostics.values()].flat().filter((diagnostic) => diagnostic.code === 'untraced-requirement');
    assert.ok(acmeUntraced.length > 0, 'the first folder lost its untraced-requirement problems');
  });

  test('resource-scoped settings: orphan-outcome is off in the first folder and on in the second', async () => {
    await client.waitForDiagnostics(fileUri(`${other.root}/strategy.md`), hasCode('orphan-outcome'));
    const acmeOrphans = [...client.diagnostics.entries()].filter(
      ([uri, diagnostics]) => uri.startsWith(fileUri(acme.root)) && diagnostics.some((diagnostic) => diagnostic.code === 'orphan-outcome'),
    );
    assert.deepEqual(
      acmeOrphans.map(([uri]) => uri),
      [],
    );
  });

  test('the tree has a node per folder, and a folder node expands to that folder alone', async () => {
    const tree = await client.request<AlignmentTree>('throughline/alignmentTree', { depth: 2 });
    // Both temporary folders are named `workspace`: a folder node is titled by its folder's name.
    assert.deepEqual(
      tree.roots.map((root) => [root.key, root.kind, root.title]),
      [
        ['@0', 'group', 'workspace'],
        ['@1', 'group', 'workspace'],
      ],
    );
    assert.ok(tree.roots[0]!.children.length > 0 && tree.roots[0]!.children.every((child) => child.key.startsWith('@0/')));
    const second = await client.request<AlignmentTree>('throughline/alignmentTree', { key: '@1', depth: 1 });
    assert.ok(second.roots.length > 0);
    assert.ok(
      second.roots.every((root) => root.key.startsWith('@1/')),
      JSON.stringify(second.roots.map((root) => root.key)),
    );
    assert.ok(JSON.stringify(second).includes('STR-8'));
    assert.ok(!JSON.stringify(second).includes('VIS-1'), "the first folder's vision is under the second folder");
  });

  test('coverage is the sum of the folders', async () => {
    const both = await client.request<CoverageFigures>('throughline/coverage', {});
    assert.equal(both.requirements, acmeAlone.requirements + 2);
    // REQ-8.1's trace to the other folder's OUT-1 resolves to nothing, so it is not traced.
    assert.equal(both.tracedRequirements, acmeAlone.tracedRequirements);
    assert.equal(both.outcomes, acmeAlone.outcomes + 1);
    assert.equal(both.objectives, acmeAlone.objectives + 1);
  });
});
