/**
 * Initialize handshake: advertised capabilities, dynamic registrations, the configuration pull,
 * clean shutdown, and the same server started through the CLI (`throughline lsp --stdio`).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import picomatch from 'picomatch';
import { CLI_PATH, copyExample, startClient, type LspClient, type TempWorkspace } from './lspClient';

describe('initialize', () => {
  let workspace: TempWorkspace;
  let client: LspClient;

  before(async () => {
    workspace = await copyExample(undefined, 'init');
    client = await startClient({ folders: [workspace.root], settings: {} });
  });
  after(async () => {
    await client?.kill();
    await workspace?.dispose();
  });

  test('advertises the features it implements', () => {
    const result = client.initializeResult!;
    assert.equal(result.serverInfo?.name, 'throughline');
    assert.match(result.serverInfo?.version ?? '', /^\d+\.\d+\.\d+/);
    const capabilities = result.capabilities;
    assert.deepEqual(capabilities.textDocumentSync, { openClose: true, change: 2, save: false }, 'incremental sync');
    assert.ok(capabilities.completionProvider, 'completion');
    assert.ok(capabilities.completionProvider.triggerCharacters?.includes('-'), 'completion triggers on "-" (after `OUT`)');
    assert.equal(capabilities.hoverProvider, true);
    assert.equal(capabilities.definitionProvider, true);
    assert.equal(capabilities.referencesProvider, true);
    assert.deepEqual(capabilities.renameProvider, { prepareProvider: true });
    assert.ok(capabilities.documentSymbolProvider);
    assert.ok(capabilities.workspaceSymbolProvider);
    assert.ok(capabilities.codeLensProvider);
    assert.ok(capabilities.codeActionProvider);
    const kinds = typeof capabilities.codeActionProvider === 'object' ? capabilities.codeActionProvider.codeActionKinds : undefined;
    assert.ok(kinds?.includes('quickfix'), 'quick fixes');
    assert.ok(capabilities.foldingRangeProvider);
    assert.ok(capabilities.documentLinkProvider);
  });

  test('registers file watchers for Markdown and .throughline.yml, and configuration change notifications', () => {
    const watch = client.registrations.find((registration) => registration.method === 'workspace/didChangeWatchedFiles');
    assert.ok(watch, `didChangeWatchedFiles registered (got ${client.registrations.map((registration) => registration.method).join(', ')})`);
    const watchers = (watch.registerOptions as { watchers: { globPattern: string; kind?: number }[] }).watchers;
    const patterns = watchers.map((watcher) => watcher.globPattern);
    // kind: 1 create, 2 change, 4 delete; absent means all three.
    const watched = (file: string, kind: number) =>
      watchers.some((watcher) => (watcher.kind ?? 7) & kind && picomatch(watcher.globPattern, { dot: true })(file));
    for (const file of ['vision.md', 'prds/new-prd.md', 'notes/deep/plan.markdown', '.throughline.yml']) {
      for (const kind of [1, 2, 4]) assert.ok(watched(file, kind), `${file} (event kind ${kind}) is watched by ${patterns.join(', ')}`);
    }
    assert.ok(client.registrations.some((registration) => registration.method === 'workspace/didChangeConfiguration'));
  });

  test('pulls the `throughline` configuration section', () => {
    assert.ok(client.configurationRequests.length >= 1);
    const items = (client.configurationRequests[0] as { items: { section?: string }[] }).items;
    assert.deepEqual(
      items.map((item) => item.section),
      ['throughline'],
    );
  });

  test('reports indexing in the log', () => {
    assert.ok(
      client.logs.some((message) => /Indexed 6 strategy documents/.test(message)),
      client.logs.join('\n'),
    );
  });

  test('shuts down and exits with code 0', async () => {
    const code = await client.stop();
    assert.equal(code, 0);
    assert.equal(client.alive, false);
  });
});

describe('initialize without optional client capabilities', () => {
  test('a minimal client (no configuration, no dynamic registration) still gets diagnostics', async () => {
    const workspace = await copyExample(undefined, 'init-min');
    const client = await startClient({ folders: [workspace.root], capabilities: {} });
    try {
      assert.equal(client.registrations.length, 0, 'nothing is registered with a client that cannot register');
      assert.equal(client.configurationRequests.length, 0, 'no workspace/configuration request to a client that does not support it');
      await client.waitForDiagnostics(workspace.uri('prds/guest-checkout.md'), (diagnostics) =>
        diagnostics.some((diagnostic) => diagnostic.code === 'untraced-requirement'),
      );
      assert.equal(await client.stop(), 0);
    } finally {
      await client.kill();
      await workspace.dispose();
    }
  });
});

describe('throughline lsp --stdio', () => {
  test('the CLI starts the same server', async () => {
    const workspace = await copyExample(undefined, 'init-cli');
    const client = await startClient({ folders: [workspace.root], command: [process.execPath, CLI_PATH, 'lsp', '--stdio'] });
    try {
      assert.equal(client.initializeResult?.serverInfo?.name, 'throughline');
      assert.ok(client.initializeResult?.capabilities.hoverProvider);
      await client.waitForDiagnostics(workspace.uri('prds/smart-reminders.md'), (diagnostics) =>
        diagnostics.some((diagnostic) => diagnostic.code === 'unknown-reference'),
      );
      assert.equal(await client.stop(), 0);
    } finally {
      await client.kill();
      await workspace.dispose();
    }
  });
});
