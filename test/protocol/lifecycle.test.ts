/**
 * The protocol by the letter: lifecycle errors, what is registered for which client, the version on
 * published diagnostics, the command code lenses run in any client, and cancellation.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import {
  CancellationTokenSource,
  ErrorCodes,
  LSPErrorCodes,
  ResponseError,
  StreamMessageReader,
  StreamMessageWriter,
  createProtocolConnection,
  type CodeLens,
  type InitializeResult,
} from 'vscode-languageserver-protocol/node';
import { copyExample, fileUri, realisticCapabilities, SERVER_PATH, startClient, type LspClient, type TempWorkspace } from './lspClient';

/** A server process spoken to with no helper, for what happens before `initialize`. */
function rawServer() {
  const child = spawn(process.execPath, [SERVER_PATH, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
  const connection = createProtocolConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
  connection.onError(() => undefined);
  connection.listen();
  return {
    connection,
    dispose: () => {
      connection.dispose();
      child.kill('SIGKILL');
    },
  };
}

/**
 * Sends a request and, right after, its cancellation, and lets the server read them together: it
 * is stopped (SIGSTOP) while the client writes both, and continued once they are in its pipe. The
 * client writes them as separate messages; on a loaded machine the client could be descheduled
 * between the two, and a server that had finished the request by then rightly answers it.
 */
async function sentWithItsCancellation(client: LspClient, method: string, params: unknown): Promise<unknown> {
  const pid = client.process.pid!;
  process.kill(pid, 'SIGSTOP');
  try {
    const source = new CancellationTokenSource();
    const pending = client.connection.sendRequest(method, params, source.token);
    source.cancel();
    // Both messages are written to the pipe (the server reads nothing while stopped).
    await new Promise((resolve) => setTimeout(resolve, 50));
    pending.catch(() => undefined);
    return pending;
  } finally {
    process.kill(pid, 'SIGCONT');
  }
}

async function errorOf(promise: Promise<unknown>): Promise<ResponseError<unknown>> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof ResponseError, `a ResponseError, got ${String(error)}`);
    return error;
  }
  assert.fail('the request was answered normally');
}

describe('lifecycle errors as the specification says', () => {
  test('a request before initialize is refused with ServerNotInitialized (-32002)', async () => {
    const server = rawServer();
    try {
      const error = await errorOf(
        server.connection.sendRequest('textDocument/hover', { textDocument: { uri: 'file:///x.md' }, position: { line: 0, character: 0 } }),
      );
      assert.equal(error.code, ErrorCodes.ServerNotInitialized);
      assert.equal(error.code, -32002);
    } finally {
      server.dispose();
    }
  });

  describe('with an initialized server', () => {
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

    test('a second initialize is refused, and the workspace stays indexed', async () => {
      const error = await errorOf(client.request<InitializeResult>('initialize', { processId: null, rootUri: null, capabilities: {} }));
      assert.equal(error.code, ErrorCodes.InvalidRequest);
      const symbols = await client.request<unknown[]>('workspace/symbol', { query: 'OUT-1' });
      assert.ok(symbols.length > 0, 'the second initialize emptied the workspace');
    });

    test('a request after shutdown is refused with InvalidRequest', async () => {
      await client.request('shutdown', undefined);
      const error = await errorOf(client.request('workspace/symbol', { query: 'OUT' }));
      assert.equal(error.code, ErrorCodes.InvalidRequest);
    });
  });
});

describe('registrations follow what the client can register', () => {
  let workspace: TempWorkspace;
  before(async () => {
    workspace = await copyExample();
  });
  after(async () => {
    await workspace.dispose();
  });

  test('a client that registers both gets the watchers (no odd patterns) and configuration notifications', async () => {
    const client = await startClient({ folders: [workspace.root] });
    try {
      const watch = client.registrations.find((registration) => registration.method === 'workspace/didChangeWatchedFiles');
      const patterns = (watch?.registerOptions as { watchers: { globPattern: string }[] }).watchers.map((watcher) => watcher.globPattern);
      assert.deepEqual(patterns, ['**/*.{md,markdown}', '**/.throughline.yml', '**/*']);
      assert.ok(client.registrations.some((registration) => registration.method === 'workspace/didChangeConfiguration'));
    } finally {
      await client.stop();
    }
  });

  test('near miss: a client without dynamic registration for them (as eglot) is asked to register nothing', async () => {
    const capabilities = realisticCapabilities();
    capabilities.workspace = { ...capabilities.workspace, didChangeConfiguration: {}, didChangeWatchedFiles: {} };
    const client = await startClient({ folders: [workspace.root], capabilities });
    try {
      assert.deepEqual(
        client.registrations.map((registration) => registration.method),
        [],
      );
    } finally {
      await client.stop();
    }
  });
});

describe('published diagnostics and code lens commands', () => {
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

  test('diagnostics of an open document carry its version when the client takes versions', async () => {
    const uri = fileUri(`${workspace.root}/notes.md`);
    await client.open(uri, '---\ntype: prd\nid: PRD-77\n---\n# PRD-77: Notes\n### REQ-77.1: Something\nTraces: OUT-404\n', 3);
    await client.waitForDiagnostics(uri, (diagnostics) => diagnostics.some((diagnostic) => diagnostic.code === 'unknown-reference'));
    const published = client.publishLog.filter((entry) => entry.uri === uri).at(-1);
    assert.equal(published?.version, 3);
    await client.change(uri, [{ range: { start: { line: 6, character: 8 }, end: { line: 6, character: 15 } }, text: 'OUT-1' }], 4);
    await client.waitForDiagnostics(uri, (diagnostics) => !diagnostics.some((diagnostic) => diagnostic.code === 'unknown-reference'));
    assert.equal(client.publishLog.filter((entry) => entry.uri === uri).at(-1)?.version, 4);
  });

  test('every code lens has a command the server executes, and it lists the places', async () => {
    assert.deepEqual(client.initializeResult?.capabilities.executeCommandProvider?.commands, ['throughline.showReferences']);
    const file = `${workspace.root}/strategy/payments-2027-h1.md`;
    const uri = fileUri(file);
    await client.open(uri, await readFile(file, 'utf8'));
    const lenses = await client.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri } });
    assert.ok(lenses.length > 0);
    for (const lens of lenses) assert.equal(lens.command?.command, 'throughline.showReferences', `lens "${lens.command?.title}" has a command`);
    const delivered = lenses.find((lens) => ((lens.command!.arguments as unknown[])[2] as unknown[]).length > 0)!;
    const seen = client.notifications.length;
    const result = await client.request<unknown[]>('workspace/executeCommand', {
      command: delivered.command!.command,
      arguments: delivered.command!.arguments,
    });
    assert.deepEqual(result, (delivered.command!.arguments as unknown[])[2]);
    const message = (await client.waitForNotification('window/showMessage', seen)) as { message: string };
    assert.match(message.message, /^[A-Z]+-[\w.]+: .+\.md:\d+/);
  });

  test('near miss: an unknown command or malformed arguments are refused with InvalidParams', async () => {
    assert.equal((await errorOf(client.request('workspace/executeCommand', { command: 'rm -rf', arguments: [] }))).code, ErrorCodes.InvalidParams);
    assert.equal(
      (await errorOf(client.request('workspace/executeCommand', { command: 'throughline.showReferences', arguments: ['x', {}, 'y'] }))).code,
      ErrorCodes.InvalidParams,
    );
  });

  test('a tree request cancelled as soon as it is sent is answered RequestCancelled', async () => {
    const error = await errorOf(sentWithItsCancellation(client, 'throughline/alignmentTree', {}));
    assert.equal(error.code, LSPErrorCodes.RequestCancelled);
    // Near miss: the same request, not cancelled, is answered.
    const tree = await client.request<{ roots: unknown[] }>('throughline/alignmentTree', {});
    assert.ok(tree.roots.length > 0);
  });

  test('a tree slice (answered without waiting a timer first) cancelled as soon as it is sent is answered RequestCancelled', async () => {
    const tree = await client.request<{ roots: { key: string; childCount: number }[] }>('throughline/alignmentTree', { depth: 1 });
    const node = tree.roots.find((root) => root.childCount > 0)!;
    const error = await errorOf(sentWithItsCancellation(client, 'throughline/alignmentTree', { key: node.key, depth: 2 }));
    assert.equal(error.code, LSPErrorCodes.RequestCancelled);
    // Near miss: the same slice, not cancelled, is answered: the node's children.
    const slice = await client.request<{ roots: { key: string }[] }>('throughline/alignmentTree', { key: node.key, depth: 2 });
    assert.equal(slice.roots.length, node.childCount);
    for (const child of slice.roots) assert.ok(child.key.startsWith(`${node.key}/`), child.key);
  });

  test('report, references and workspace symbols cancelled as soon as they are sent are answered RequestCancelled too', async () => {
    const file = `${workspace.root}/strategy/payments-2027-h1.md`;
    const uri = fileUri(file);
    await client.open(uri, await readFile(file, 'utf8'));
    const text = await readFile(file, 'utf8');
    const line = text.split('\n').findIndex((candidate) => candidate.includes('OUT-1:'));
    const requests: [string, unknown][] = [
      ['throughline/report', { theme: 'standalone' }],
      [
        'textDocument/references',
        { textDocument: { uri }, position: { line, character: text.split('\n')[line]!.indexOf('OUT-1') + 1 }, context: { includeDeclaration: true } },
      ],
      ['workspace/symbol', { query: 'OUT' }],
    ];
    for (const [method, params] of requests) {
      assert.equal((await errorOf(sentWithItsCancellation(client, method, params))).code, LSPErrorCodes.RequestCancelled, method);
      // Near miss: not cancelled, it is answered.
      const answer = await client.request<unknown>(method, params);
      assert.ok(answer !== null && (typeof answer !== 'object' || Object.keys(answer as object).length > 0), `${method} answered ${JSON.stringify(answer)}`);
    }
  });
});
