/**
 * Files changed on disk when the client cannot watch them (Neovim 0.7): the server watches the
 * workspace itself. A client that registers watchers is left to report the changes.
 */
import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import { copyExample, hasCode, lacksCode, realisticCapabilities, startClient, type LspClient, type TempWorkspace } from './lspClient';

const BROKEN_PRD = '---\ntype: prd\nid: PRD-90\n---\n# PRD-90: Written by another tool\n### REQ-90.1: Something\nTraces: OUT-404\n';

describe('a client that cannot watch files', () => {
  let workspace: TempWorkspace;
  let client: LspClient;
  before(async () => {
    workspace = await copyExample();
    const capabilities = realisticCapabilities();
    capabilities.workspace = { ...capabilities.workspace, didChangeWatchedFiles: {} };
    client = await startClient({ folders: [workspace.root], capabilities });
    await client.waitForLog(/^Watching .* for changes on disk/);
  });
  after(async () => {
    await client.kill();
    await workspace.dispose();
  });

  test('a file written on disk is read, and its problems are published; deleting it clears them', async () => {
    const uri = await workspace.write('prds/from-git.md', BROKEN_PRD);
    await client.waitForDiagnostics(uri, hasCode('unknown-reference'), 15_000);
    await rm(workspace.path('prds/from-git.md'));
    await client.waitForDiagnostics(uri, (diagnostics) => diagnostics.length === 0, 15_000);
  });

  test('a file in a folder created after the start is seen too', async () => {
    const uri = await workspace.write('prds/new-team/deep/plan.md', BROKEN_PRD.replace(/PRD-90/g, 'PRD-91'));
    await client.waitForDiagnostics(uri, hasCode('unknown-reference'), 15_000);
    await workspace.write('prds/new-team/deep/plan.md', BROKEN_PRD.replace(/PRD-90/g, 'PRD-91').replace('OUT-404', 'OUT-1'));
    await client.waitForDiagnostics(uri, lacksCode('unknown-reference'), 15_000);
  });
});

describe('near miss: a client that registers file watchers', () => {
  let workspace: TempWorkspace;
  let client: LspClient;
  before(async () => {
    workspace = await copyExample();
    client = await startClient({ folders: [workspace.root] });
  });
  after(async () => {
    await client.kill();
    await workspace.dispose();
  });

  test('the server does not watch by itself: a file written on disk waits for the client to report it', async () => {
    assert.ok(!client.logs.some((line) => line.startsWith('Watching ')), client.logs.join('\n'));
    const uri = await workspace.write('prds/unreported.md', BROKEN_PRD);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    assert.equal(client.diagnostics.get(uri), undefined);
    await client.watched([{ uri, type: 1 }]);
    await client.waitForDiagnostics(uri, hasCode('unknown-reference'));
  });
});
