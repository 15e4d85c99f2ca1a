/**
 * Hostile input, output that grows with the input: thousands of copies of one ID, a `Supports:`
 * cycle of thousands of objectives, and a flood of unknown IDs. Before the caps, 8,000 copies of
 * one ID (88 KB) aborted V8 out of memory and a 10,000-objective cycle printed 990 MB. The CLI
 * and the server are run as real processes; the inputs are generated here.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { computeDiagnostics, TOO_MANY_PROBLEMS_CODE, INTERNAL_CODE } from '../../server/src/service/rules/diagnostics';
import { MAX_RELATED_LOCATIONS, MAX_CYCLE_MEMBERS_NAMED } from '../../server/src/service/model/limits';
import { WorkspaceGraph } from '../../server/src/service/workspace/workspaceGraph';
import { DEFAULT_CONFIG } from '../../server/src/service/model/config';
import { indexDocument } from '../../server/src/service/parse/indexDocument';
import { createService, uri } from '../helpers/memoryWorkspace';
import { run } from '../cli/run';
import { startClient, fileUri, type LspClient } from '../protocol/lspClient';

const VISION = '---\ntype: vision\nid: VIS-1\ntitle: Vision\n---\n# VIS-1: Be the ledger teams trust\n';
const STRATEGY =
  '---\ntype: strategy\nid: STR-1\ntitle: S\nvision: VIS-1\n---\n## OBJ-1: Grow\n### KR-1.1: Activation\nBaseline: 10%\nTarget: 20%\nDue: 2027-06-30\n### KR-1.2: Churn\nBaseline: 5%\nTarget: 3%\nDue: 2027-06-30\n## OUT-1: Faster setup\nSupports: OBJ-1\n';

function copiesOfOneId(count: number): string {
  let text = '---\ntype: prd\nid: PRD-1\ntitle: Copies\n---\n';
  for (let i = 0; i < count; i++) text += `## REQ-1: copy ${i}\nTraces: OUT-1\n\n`;
  return text;
}

function supportsCycle(count: number): string {
  let text = '---\ntype: strategy\nid: STR-9\ntitle: Loop\nvision: VIS-1\n---\n';
  for (let i = 0; i < count; i++) text += `## OBJ-${i}: objective ${i}\nSupports: OBJ-${(i + 1) % count}\n\n`;
  return text;
}

function unknownIds(lines: number): string {
  let text = '---\ntype: prd\nid: PRD-2\ntitle: Unknowns\n---\n## REQ-1: real\nTraces: OUT-1\n\n';
  for (let i = 0; i < lines; i++) text += `See OUT-${i + 5} and OUT-${i + 6}.\n`;
  return text;
}

async function tempWorkspace(files: Record<string, string>): Promise<{ root: string; dispose(): Promise<void> }> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'throughline-hostile-output-'));
  for (const [name, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(root, name)), { recursive: true });
    await writeFile(path.join(root, name), text);
  }
  return { root, dispose: () => rm(root, { recursive: true, force: true }) };
}

describe('diagnostics per document are bounded (language service)', () => {
  test('8,000 copies of one ID: at most maxProblemsPerFile diagnostics, each with at most 10 related locations', async () => {
    const service = await createService({ 'vision.md': VISION, 'strategy.md': STRATEGY, 'copies.md': copiesOfOneId(8_000) });
    const diagnostics = service.diagnostics('copies.md');
    const duplicates = diagnostics.filter((diagnostic) => diagnostic.code === 'duplicate-id');
    assert.equal(duplicates.length, 1_000 - 0, 'the default cap keeps 1,000 problems (all errors here)');
    for (const duplicate of duplicates) {
      assert.equal(duplicate.relatedInformation?.length, MAX_RELATED_LOCATIONS);
      assert.match(duplicate.message, /^REQ-1 is defined 8000 times; IDs must be unique in the workspace\. \(7989 more locations not listed\)$/);
    }
    const summary = diagnostics.at(-1)!;
    assert.equal(summary.code, TOO_MANY_PROBLEMS_CODE);
    assert.equal(summary.severity, 1, 'errors were dropped, so the summary is an error: the CI gate still fails');
    // 7,000 more duplicates and 8,000 prd-outcome-mismatch notes (the PRD lists no outcomes).
    assert.match(summary.message, /^15000 more problems in this file are not shown/);
  });

  test('a configured maxProblemsPerFile applies, and the most severe problems are the ones kept', async () => {
    // 30 unknown IDs in prose (warnings) come before one untraced requirement (an error) in rule order.
    let text = '---\ntype: prd\nid: PRD-3\ntitle: P\n---\n';
    for (let i = 0; i < 30; i++) text += `Mentions OUT-${100 + i}.\n`;
    text += '## REQ-1: untraced\n';
    const service = await createService(
      { 'vision.md': VISION, 'strategy.md': STRATEGY, 'p.md': text, '.throughline.yml': 'maxProblemsPerFile: 5\n' },
      { configFileUri: uri('.throughline.yml') },
    );
    const diagnostics = service.diagnostics('p.md');
    assert.equal(diagnostics.length, 6);
    assert.deepEqual(
      diagnostics.slice(0, 5).map((diagnostic) => diagnostic.code),
      ['unknown-reference', 'unknown-reference', 'unknown-reference', 'unknown-reference', 'untraced-requirement'],
      'the error is kept over later warnings, and the kept ones stay in reporting order',
    );
    assert.equal(diagnostics[5]!.code, TOO_MANY_PROBLEMS_CODE);
    assert.equal(diagnostics[5]!.severity, 2, 'only warnings were dropped');
    assert.match(diagnostics[5]!.message, /^26 more problems in this file are not shown: Throughline reports at most 5 per file/);
  });

  test('a cycle of 2,000 objectives names at most 10 members per message, in order', async () => {
    const service = await createService({ 'vision.md': VISION, 'loop.md': supportsCycle(2_000) });
    const cycles = service.diagnostics('loop.md').filter((diagnostic) => diagnostic.code === 'cycle');
    assert.equal(cycles.length, 1_000);
    const sortedNames = Array.from({ length: 2_000 }, (_, i) => `OBJ-${i}`).sort();
    assert.equal(cycles[0]!.message, `This link closes a cycle of 2000 items: ${sortedNames.slice(0, MAX_CYCLE_MEMBERS_NAMED).join(', ')} and 1990 more.`);
  });

  test('a small cycle still names every member', async () => {
    const service = await createService({ 'vision.md': VISION, 'loop.md': supportsCycle(3) });
    const messages = service
      .diagnostics('loop.md')
      .filter((diagnostic) => diagnostic.code === 'cycle')
      .map((diagnostic) => diagnostic.message);
    assert.deepEqual(messages, Array(3).fill('This link closes a cycle between OBJ-0, OBJ-1, OBJ-2.'));
  });
});

describe('a rule that throws costs only that rule on that document', () => {
  test('an internal diagnostic names the rule, and every other rule still reports', () => {
    const documents = [
      indexDocument(uri('strategy.md'), 1, STRATEGY, DEFAULT_CONFIG),
      indexDocument(uri('p.md'), 1, '---\ntype: prd\nid: PRD-4\ntitle: P\n---\n## REQ-1: untraced\n## REQ-2: twice\n## REQ-2: twice\n', DEFAULT_CONFIG),
    ];
    const graph = WorkspaceGraph.fromDocuments(documents);
    // A graph whose definition lookup fails for one ID breaks exactly the rules that ask for it.
    const failing = Object.create(graph) as WorkspaceGraph;
    failing.definitionsOf = (id: string) => {
      if (id === 'REQ-2') throw new Error('lookup exploded');
      return graph.definitionsOf(id);
    };
    const diagnostics = computeDiagnostics(documents[1]!, failing, DEFAULT_CONFIG);
    const internal = diagnostics.filter((diagnostic) => diagnostic.code === INTERNAL_CODE);
    assert.deepEqual(
      internal.map((diagnostic) => diagnostic.message),
      ['Throughline could not check this document with rule duplicate-id: lookup exploded. The other rules still ran; please report this.'],
    );
    assert.equal(internal[0]!.severity, 1);
    assert.ok(
      diagnostics.some((diagnostic) => diagnostic.code === 'untraced-requirement'),
      'later rules still ran',
    );
  });
});

describe('the CLI stays bounded on hostile workspaces', () => {
  const workspaces: { dispose(): Promise<void> }[] = [];
  after(async () => {
    for (const workspace of workspaces) await workspace.dispose();
  });

  for (const [label, files, exitCode] of [
    ['8,000 copies of one ID (88 KB)', { 'copies.md': copiesOfOneId(8_000) }, 1],
    ['a Supports: cycle of 10,000 objectives (348 KB)', { 'loop.md': supportsCycle(10_000) }, 1],
    // IDs mentioned in prose are warnings: the gate passes, but the output must stay bounded.
    ['200,000 unknown IDs in prose', { 'unknowns.md': unknownIds(100_000) }, 0],
  ] as const) {
    for (const format of ['text', 'json', 'sarif', 'junit', 'github']) {
      test(`${label}: check --format ${format} finishes with bounded output`, async () => {
        const workspace = await tempWorkspace({ 'vision.md': VISION, 'strategy.md': STRATEGY, ...files });
        workspaces.push(workspace);
        const result = await run(['check', workspace.root, '--format', format], { timeoutMs: 120_000 });
        assert.equal(result.code, exitCode, `stderr: ${result.stderr.slice(0, 500)}`);
        assert.ok(result.stdout.length < 2_000_000, `stdout is ${result.stdout.length} characters`);
        assert.doesNotMatch(result.stderr, /\n\s+at /, 'no stack trace');
      });
    }
  }

  test('report of a 10,000-objective cycle stays bounded', async () => {
    const workspace = await tempWorkspace({ 'vision.md': VISION, 'loop.md': supportsCycle(10_000) });
    workspaces.push(workspace);
    const out = path.join(workspace.root, 'report.html');
    const result = await run(['report', workspace.root, '--out', out], { timeoutMs: 120_000 });
    assert.ok(result.code === 0 || result.code === 1, `report ran: ${result.stderr.slice(0, 500)}`);
    const { statSync } = await import('node:fs');
    assert.ok(statSync(out).size < 10_000_000, `report is ${statSync(out).size} bytes`);
  });
});

describe('the server stays up and bounded on hostile workspaces', () => {
  let client: LspClient;
  let workspace: { root: string; dispose(): Promise<void> };
  before(async () => {
    workspace = await tempWorkspace({
      'vision.md': VISION,
      'strategy.md': STRATEGY,
      'copies.md': copiesOfOneId(8_000),
      'loop.md': supportsCycle(10_000),
      'prd.md': '---\ntype: prd\nid: PRD-5\ntitle: Ordinary\n---\n## REQ-9: untraced requirement\n',
    });
    client = await startClient({ folders: [workspace.root] });
  });
  after(async () => {
    await client?.stop();
    await workspace?.dispose();
  });

  test('every document gets bounded diagnostics and requests still answer', async () => {
    const ordinary = fileUri(path.join(workspace.root, 'prd.md'));
    const ordinaryDiagnostics = await client.waitForDiagnostics(ordinary, (list) => list.some((diagnostic) => diagnostic.code === 'untraced-requirement'));
    assert.ok(ordinaryDiagnostics.length >= 1);
    const copies = await client.waitForDiagnostics(fileUri(path.join(workspace.root, 'copies.md')), (list) => list.length > 0);
    assert.equal(copies.length, 1_001);
    const loop = await client.waitForDiagnostics(fileUri(path.join(workspace.root, 'loop.md')), (list) => list.length > 0);
    assert.ok(loop.length <= 1_001);
    assert.ok(loop.every((diagnostic) => diagnostic.message.length < 1_000));
    const strategy = fileUri(path.join(workspace.root, 'strategy.md'));
    await client.open(strategy, STRATEGY, 1);
    const hover = await client.hover(strategy, 6, 5);
    assert.match(JSON.stringify(hover), /Grow/, 'hover answered with the objective');
    assert.ok(client.alive);
  });
});
