/**
 * Roots: wherever the client roots the server (a subfolder, nothing at all, `rootPath` only, a
 * single file), the server serves the strategy workspace around it, says which in its log, and
 * reports no false "not defined anywhere" errors.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { spawn } from 'node:child_process';
import {
  createProtocolConnection,
  InitializeRequest,
  InitializedNotification,
  StreamMessageReader,
  StreamMessageWriter,
  type InitializeParams,
} from 'vscode-languageserver-protocol/node';
import { copyExample, emptyWorkspace, fileUri, hasCode, lacksCode, SERVER_PATH, startClient, type LspClient, type TempWorkspace } from './lspClient';

/** acme's PRD that references outcomes and objectives defined in other folders. */
const PRD = 'prds/guest-checkout.md';

describe('a client rooted below the strategy workspace (acme/prds, as project.el without .git)', () => {
  let workspace: TempWorkspace;
  let client: LspClient;
  before(async () => {
    workspace = await copyExample();
    client = await startClient({ folders: [path.join(workspace.root, 'prds')] });
  });
  after(async () => {
    await client.kill();
    await workspace.dispose();
  });

  test('the server lifts the root to the folder with .throughline.yml and logs it', () => {
    const chosen = client.logs.find((line) => line.startsWith(`Throughline workspace: ${workspace.root} (`));
    assert.ok(chosen?.includes('.throughline.yml'), client.logs.join('\n'));
  });

  test('a PRD that traces to outcomes in strategy/ gets no "not defined anywhere"', async () => {
    const uri = fileUri(path.join(workspace.root, PRD));
    await client.open(uri, await readFile(path.join(workspace.root, PRD), 'utf8'));
    const diagnostics = await client.waitForDiagnostics(uri, () => true);
    assert.ok(lacksCode('unknown-reference')(diagnostics), JSON.stringify(diagnostics.map((diagnostic) => diagnostic.message)));
  });
});

describe('a client that sends only the deprecated rootPath', () => {
  let workspace: TempWorkspace;
  before(async () => {
    workspace = await copyExample();
  });
  after(async () => {
    await workspace.dispose();
  });

  test('is served the workspace at rootPath', async () => {
    const child = spawn(process.execPath, [SERVER_PATH, '--stdio'], {
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...process.env, THROUGHLINE_TODAY: '2026-11-22' },
    });
    const connection = createProtocolConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
    connection.listen();
    try {
      const logs: string[] = [];
      connection.onNotification('window/logMessage', (params: { message: string }) => void logs.push(params.message));
      const indexed = new Promise<void>((resolve) => connection.onNotification('throughline/alignmentChanged', () => resolve()));
      const params = { processId: null, rootPath: workspace.root, capabilities: {} } as unknown as InitializeParams;
      await connection.sendRequest(InitializeRequest.type, params);
      await connection.sendNotification(InitializedNotification.type, {});
      await indexed;
      const symbols = await connection.sendRequest<{ name: string }[]>('workspace/symbol', { query: 'OUT-1' });
      assert.ok(
        symbols.some((symbol) => symbol.name.startsWith('OUT-1')),
        JSON.stringify(symbols),
      );
      assert.ok(
        logs.some((line) => line.startsWith(`Throughline workspace: ${workspace.root}`)),
        logs.join('\n'),
      );
    } finally {
      connection.dispose();
      child.kill('SIGKILL');
    }
  });
});

describe('no workspace folder: a single file', () => {
  let workspace: TempWorkspace;
  let loose: TempWorkspace;
  before(async () => {
    workspace = await copyExample();
    loose = await emptyWorkspace('loose');
  });
  after(async () => {
    await workspace.dispose();
    await loose.dispose();
  });

  test('opened inside acme, it is served with the whole acme workspace', async () => {
    const client = await startClient({ folders: [], waitForIndex: false });
    try {
      const uri = fileUri(path.join(workspace.root, PRD));
      await client.open(uri, await readFile(path.join(workspace.root, PRD), 'utf8'));
      const diagnostics = await client.waitForDiagnostics(uri, () => true);
      assert.ok(lacksCode('unknown-reference')(diagnostics), JSON.stringify(diagnostics.map((diagnostic) => diagnostic.message)));
      await client.waitForLog(new RegExp(`^Throughline workspace: ${workspace.root.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} `));
    } finally {
      await client.stop();
    }
  });

  test('an untitled draft opened first does not decide: the file opened after it still finds acme', async () => {
    const client = await startClient({ folders: [], waitForIndex: false });
    try {
      const draft = 'untitled:Untitled-1';
      await client.open(draft, '---\ntype: prd\nid: PRD-5\n---\n### REQ-5.1: Something\nTraces: OUT-1\n');
      await client.waitForDiagnostics(draft, hasCode('unknown-reference'));
      const uri = fileUri(path.join(workspace.root, PRD));
      await client.open(uri, await readFile(path.join(workspace.root, PRD), 'utf8'));
      await client.waitForLog(new RegExp(`^Throughline workspace: ${workspace.root.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} `));
      const diagnostics = await client.waitForDiagnostics(uri, () => true);
      assert.ok(lacksCode('unknown-reference')(diagnostics), JSON.stringify(diagnostics.map((diagnostic) => diagnostic.message)));
      // The draft stays where it was opened, alone, until it is closed.
      await client.close(draft);
      await client.waitForDiagnostics(draft, (list) => list.length === 0);
    } finally {
      await client.stop();
    }
  });

  test('near miss: a new file in a folder with no strategy around it is checked alone, and closing it clears its problems', async () => {
    const client = await startClient({ folders: [], waitForIndex: false });
    try {
      // Not written to disk: nothing around it says where a strategy workspace would be.
      const uri = fileUri(path.join(loose.root, 'draft.md'));
      await client.open(uri, '---\ntype: prd\nid: PRD-5\n---\n# PRD-5: Draft\n### REQ-5.1: Something\nTraces: OUT-404\n');
      await client.waitForDiagnostics(uri, hasCode('unknown-reference'));
      await client.waitForLog(/^No strategy workspace around .*draft\.md: checking open documents only\.$/);
      await client.close(uri);
      await client.waitForDiagnostics(uri, (diagnostics) => diagnostics.length === 0);
    } finally {
      await client.stop();
    }
  });
});
