/**
 * The stdio transport: what the server sends in one go reaches stdout in one write, in order, as
 * soon as the code that sent it returns. The IPC transport (VS Code's): a write settles when the
 * message was sent, and the real server answers over it. The first diagnostics of a large workspace go out in slices while the rest
 * are computed, every one of them before `throughline/alignmentChanged`; and so do the other documents a change
 * affected, so a request sent meanwhile is answered between slices.
 */
import assert from 'node:assert/strict';
import { fork } from 'node:child_process';
import * as path from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { StreamMessageReader, type Message, type NotificationMessage } from 'vscode-languageserver-protocol/node';
import { BufferedMessageWriter, IpcMessageWriter, type IpcProcess } from '../../server/src/lsp/transport';
import { copyExample, positionOf, startClient, type LspClient, type TempWorkspace } from './lspClient';

/** A stdout stand-in that keeps each chunk written to it, and copies the bytes on for a reader. */
function recordingTarget(fail?: Error) {
  const chunks: Buffer[] = [];
  const bytes = new PassThrough();
  const target = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      if (fail) return callback(fail);
      chunks.push(chunk);
      bytes.write(chunk);
      callback();
    },
  });
  return { chunks, bytes, target };
}

function notification(k: number, padding = 0): NotificationMessage {
  return { jsonrpc: '2.0', method: 'test/n', params: { k, padding: 'x'.repeat(padding), text: 'naïve — ✓' } };
}

/** `count` PRDs under prds/bulk/ (`outcomes: [OUT-1]`), each with `requirements` requirements tracing `traces`. */
function writeBulkPrds(workspace: TempWorkspace, count: number, requirements: number, traces: string): Promise<unknown> {
  return Promise.all(
    Array.from({ length: count }, (_, k) =>
      workspace.write(
        `prds/bulk/prd-${k}.md`,
        `---\ntype: prd\nid: PRD-${1000 + k}\ntitle: Bulk ${k}\noutcomes: [OUT-1]\n---\n` +
          Array.from({ length: requirements }, (_, r) => `## REQ-${1000 + k}.${r + 1}: Bulk requirement\nTraces: ${traces}\n`).join(''),
      ),
    ),
  );
}

/** Reads `count` messages back from `bytes`, as a client would. */
function readBack(bytes: PassThrough, count: number): Promise<Message[]> {
  const reader = new StreamMessageReader(bytes);
  const messages: Message[] = [];
  return new Promise((resolve) => {
    reader.listen((message) => {
      messages.push(message);
      if (messages.length === count) resolve(messages);
    });
  });
}

describe('the IPC transport', () => {
  /** A process stand-in whose `send` reports each message sent only when the test says so. */
  function ipcTarget(throwing?: Error) {
    const sent: unknown[] = [];
    const callbacks: ((error: Error | null) => void)[] = [];
    const target: IpcProcess = {
      send(message, _handle, _options, callback) {
        if (throwing) throw throwing;
        sent.push(message);
        callbacks.push(callback);
        return true;
      },
      on: () => target,
    };
    return { sent, callbacks, target };
  }

  test('a write settles when the channel reports the message sent, and fails when it reports an error', async () => {
    const { sent, callbacks, target } = ipcTarget();
    const writer = new IpcMessageWriter(target);
    const errors: unknown[] = [];
    writer.onError((error) => errors.push(error));
    let first = 'pending';
    let second = 'pending';
    void writer.write(notification(1)).then(() => (first = 'written'));
    void writer.write(notification(2)).then(
      () => (second = 'written'),
      () => (second = 'refused'),
    );
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(sent.length, 2);
    assert.deepEqual([first, second], ['pending', 'pending'], 'nothing settles before the channel says so');
    callbacks[0]!(null);
    callbacks[1]!(new Error('channel closed'));
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual([first, second], ['written', 'refused']);
    assert.equal(errors.length, 1);
  });

  test('a send that throws (the channel is gone) refuses the write and reports it', async () => {
    const { target } = ipcTarget(new Error('ERR_IPC_CHANNEL_CLOSED'));
    const writer = new IpcMessageWriter(target);
    const errors: unknown[] = [];
    writer.onError((error) => errors.push(error));
    await assert.rejects(writer.write(notification(1)), /ERR_IPC_CHANNEL_CLOSED/);
    assert.equal(errors.length, 1);
  });

  test('the server started with --node-ipc, as VS Code starts it, answers and publishes over the channel', async () => {
    const workspace = await copyExample();
    const server = fork(path.resolve('dist/server.js'), ['--node-ipc'], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
    try {
      const messages: { id?: number; method?: string; result?: unknown; params?: { uri?: string } }[] = [];
      server.on('message', (message: (typeof messages)[number] & { method?: string; id?: number }) => {
        messages.push(message);
        // What the server asks of its client, answered as an empty client would.
        if (message.method && message.id !== undefined) server.send({ jsonrpc: '2.0', id: message.id, result: null });
      });
      const answer = (id: number) =>
        new Promise<unknown>((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error(`no answer to request ${id}`)), 30_000);
          const poll = setInterval(() => {
            const found = messages.find((message) => message.id === id && message.method === undefined);
            if (found) {
              clearInterval(poll);
              clearTimeout(timer);
              resolve(found.result);
            }
          }, 10);
        });
      server.send({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { processId: process.pid, rootUri: workspace.rootUri, capabilities: {} } });
      const initialized = (await answer(1)) as { capabilities?: { hoverProvider?: unknown } };
      assert.ok(initialized.capabilities?.hoverProvider, 'initialize answered with the server capabilities');
      server.send({ jsonrpc: '2.0', method: 'initialized', params: {} });
      const strategy = workspace.uri('strategy/payments-2027-h1.md');
      const text = await workspace.read('strategy/payments-2027-h1.md');
      server.send({ jsonrpc: '2.0', method: 'textDocument/didOpen', params: { textDocument: { uri: strategy, languageId: 'markdown', version: 1, text } } });
      server.send({ jsonrpc: '2.0', id: 2, method: 'textDocument/hover', params: { textDocument: { uri: strategy }, position: positionOf(text, 'OUT-2') } });
      const hover = (await answer(2)) as { contents?: unknown } | null;
      assert.ok(hover?.contents, 'hover answered');
      assert.ok(
        messages.some((message) => message.method === 'textDocument/publishDiagnostics' && message.params?.uri === strategy),
        'diagnostics published for the open document',
      );
    } finally {
      server.kill('SIGKILL');
      await workspace.dispose();
    }
  });
});

describe('the stdio transport', () => {
  test('messages sent by one piece of code are written as one chunk once it returns, in order, and read back whole', async () => {
    const { chunks, bytes, target } = recordingTarget();
    const writer = new BufferedMessageWriter(target);
    const sent = Array.from({ length: 1000 }, (_, k) => notification(k, k % 7));
    const received = readBack(bytes, sent.length);
    const written = sent.map((message) => writer.write(message));
    assert.equal(chunks.length, 0, 'nothing written while the sending code runs');
    await Promise.all(written);
    assert.equal(chunks.length, 1, 'one write for all of them');
    assert.deepEqual(await received, sent);
  });

  test('a message is written before the event loop turns: before a callback queued ahead of it', async () => {
    const { chunks, target } = recordingTarget();
    const writer = new BufferedMessageWriter(target);
    // Queued first: a writer that waited for the next turn (setImmediate) would write after it.
    const seenByImmediate = new Promise<number>((resolve) => setImmediate(() => resolve(chunks.length)));
    void writer.write(notification(1));
    assert.equal(await seenByImmediate, 1);
  });

  test('a burst larger than a chunk is written in chunks of at most 1 MB, a larger message alone, none split', async () => {
    const { chunks, bytes, target } = recordingTarget();
    const writer = new BufferedMessageWriter(target);
    const sent = [...Array.from({ length: 30 }, (_, k) => notification(k, 100_000)), notification(30, 1_500_000), notification(31)];
    const received = readBack(bytes, sent.length);
    await Promise.all(sent.map((message) => writer.write(message)));
    assert.ok(chunks.length >= 4, `${chunks.length} chunks`);
    const oversized = chunks.filter((chunk) => chunk.length > 1 << 20);
    assert.equal(oversized.length, 1, 'only the message larger than a chunk makes a larger chunk');
    assert.ok(oversized[0]!.length < 1_600_000, 'and it is alone in it');
    for (const chunk of chunks) assert.match(chunk.subarray(0, 16).toString('ascii'), /^Content-Length: /, 'each chunk starts with a message');
    assert.deepEqual(await received, sent);
  });

  test('a failing target is reported through onError, and the write is refused', async () => {
    const { target } = recordingTarget(new Error('EPIPE'));
    const writer = new BufferedMessageWriter(target);
    const failed = new Promise<Error>((resolve) => writer.onError(([error]) => resolve(error)));
    await assert.rejects(writer.write(notification(1)), /EPIPE/);
    assert.match((await failed).message, /EPIPE/);
  });

  describe('the first diagnostics of more documents than one slice', () => {
    const BULK = 1_100;
    let workspace: TempWorkspace;
    let client: LspClient;
    before(async () => {
      workspace = await copyExample();
      await writeBulkPrds(workspace, BULK, 1, 'OUT-999');
      client = await startClient({ folders: [workspace.root], waitForIndex: false });
      // Opened while the server indexes: the strategy sorts after every PRD.
      await client.open(workspace.uri('strategy/payments-2027-h1.md'), await workspace.read('strategy/payments-2027-h1.md'));
    });
    after(async () => {
      await client?.stop();
      await workspace?.dispose();
    });

    test('every document is published once, before throughline/alignmentChanged', async () => {
      const publishedBefore = await client.waitFor(
        'throughline/alignmentChanged',
        () => (client.notifications.some((n) => n.method === 'throughline/alignmentChanged') ? client.publishLog.length : undefined),
        60_000,
      );
      const bulk = client.publishLog.slice(0, publishedBefore).filter((entry) => entry.uri.includes('/prds/bulk/'));
      assert.equal(bulk.length, BULK);
      assert.equal(new Set(bulk.map((entry) => entry.uri)).size, BULK, 'each once');
      for (const entry of bulk)
        assert.deepEqual(
          entry.diagnostics.map((d) => d.code),
          ['unknown-reference'],
          entry.uri,
        );
      assert.ok(
        client.publishLog.slice(0, publishedBefore).some((entry) => entry.uri.endsWith('/prds/guest-checkout.md')),
        'and the rest of the workspace',
      );
    });

    test('the document open in the editor is published first', async () => {
      await client.waitFor(
        'throughline/alignmentChanged',
        () => client.notifications.some((n) => n.method === 'throughline/alignmentChanged') || undefined,
        60_000,
      );
      assert.equal(client.publishLog[0]?.uri, workspace.uri('strategy/payments-2027-h1.md'));
      assert.ok(client.publishLog[0]!.diagnostics.length > 0);
    });
  });

  describe('the other documents a change affected', () => {
    const BULK = 1_000;
    const REQUIREMENTS = 20;
    let workspace: TempWorkspace;
    let client: LspClient;
    before(async () => {
      workspace = await copyExample();
      await writeBulkPrds(workspace, BULK, REQUIREMENTS, 'OUT-1');
      await workspace.write(
        'prds/late.md',
        '---\ntype: prd\nid: PRD-999\ntitle: Late\noutcomes: [OUT-7]\n---\n## REQ-999.1: Late requirement\nTraces: OUT-7\n',
      );
      client = await startClient({ folders: [workspace.root] });
    });
    after(async () => {
      await client?.stop();
      await workspace?.dispose();
    });

    test('are published in slices: a request sent once the first arrive is answered before the last', async () => {
      const strategy = workspace.uri('strategy/payments-2027-h1.md');
      const text = await workspace.read('strategy/payments-2027-h1.md');
      await client.open(strategy, text);
      const mark = client.publishLog.length;
      let seen = mark;
      let bulkPublished = 0;
      const countBulk = () => {
        for (; seen < client.publishLog.length; seen++) if (client.publishLog[seen]!.uri.includes('/prds/bulk/')) bulkPublished++;
        return bulkPublished;
      };
      // The hover is sent the moment the server's output names a bulk PRD again, as read off the
      // pipe: the client's own message queue handles one message per turn and would send it late.
      const hoverAnswered = new Promise<number>((resolve, reject) => {
        const stdout = client.process.stdout!;
        const onData = (chunk: Buffer) => {
          if (!chunk.includes('/prds/bulk/')) return;
          stdout.off('data', onData);
          client
            .request('textDocument/hover', { textDocument: { uri: strategy }, position: positionOf(text, 'OUT-2') })
            .then(() => resolve(countBulk()), reject);
        };
        stdout.on('data', onData);
      });
      // OUT-1 gone: every bulk PRD's trace becomes an unknown reference.
      await client.change(strategy, [{ text: text.replace('### OUT-1:', '### OUT-1000:') }]);
      const publishedWhenAnswered = await hoverAnswered;
      assert.ok(publishedWhenAnswered < BULK, `the hover was answered after ${publishedWhenAnswered} of ${BULK} were published`);
      await client.waitFor('every bulk PRD published again', () => (countBulk() >= BULK ? true : undefined), 60_000);
      for (let k = 0; k < BULK; k++)
        assert.deepEqual(
          (client.diagnostics.get(workspace.uri(`prds/bulk/prd-${k}.md`)) ?? []).map((d) => d.code),
          Array.from({ length: REQUIREMENTS + 1 }, () => 'unknown-reference'),
          `prd-${k}`,
        );
    });

    test('a document a newer change affected is published ahead of what an older change has left', async () => {
      const strategy = workspace.uri('strategy/payments-2027-h1.md');
      const late = workspace.uri('prds/late.md');
      // OUT-1 back first (the previous test renamed it away), every bulk PRD without problems.
      const text = await workspace.read('strategy/payments-2027-h1.md');
      const restored = client.publishLog.length;
      await client.change(strategy, [{ text }]);
      await client.waitFor(
        'every bulk PRD published without problems',
        () => {
          let count = 0;
          for (let k = restored; k < client.publishLog.length; k++) if (client.publishLog[k]!.uri.includes('/prds/bulk/')) count++;
          return count >= BULK ? true : undefined;
        },
        60_000,
      );
      const mark = client.publishLog.length;
      // The newer change is sent the moment the server's output names a bulk PRD, as read off the pipe.
      const newerSent = new Promise<void>((resolve, reject) => {
        const stdout = client.process.stdout!;
        const onData = (chunk: Buffer) => {
          if (!chunk.includes('/prds/bulk/')) return;
          stdout.off('data', onData);
          client.change(strategy, [{ text: text.replace('### OUT-1:', '### OUT-1000:').replace('### OUT-7:', '### OUT-7000:') }]).then(() => resolve(), reject);
        };
        stdout.on('data', onData);
      });
      // The older change: OUT-1 gone again, 1,000 documents to publish. The newer one also renames
      // OUT-7, which only prds/late.md traces.
      await client.change(strategy, [{ text: text.replace('### OUT-1:', '### OUT-1000:') }]);
      await newerSent;
      const bulkDone = () => {
        let count = 0;
        for (let k = mark; k < client.publishLog.length; k++) if (client.publishLog[k]!.uri.includes('/prds/bulk/') && ++count === BULK) return k;
        return undefined;
      };
      const lastBulk = await client.waitFor('every bulk PRD published again', bulkDone, 60_000);
      const latePublished = await client.waitFor('the late PRD published', () => {
        for (let k = mark; k < client.publishLog.length; k++) {
          const entry = client.publishLog[k]!;
          if (entry.uri === late && entry.diagnostics.some((d) => d.code === 'unknown-reference')) return k;
        }
        return undefined;
      });
      const bulkBefore = client.publishLog.slice(mark, latePublished).filter((entry) => entry.uri.includes('/prds/bulk/')).length;
      assert.ok(latePublished < lastBulk, `the late PRD was published after ${bulkBefore} of ${BULK} bulk PRDs`);
      for (let k = 0; k < BULK; k++) assert.equal(client.diagnostics.get(workspace.uri(`prds/bulk/prd-${k}.md`))?.length, REQUIREMENTS + 1, `prd-${k}`);
      // Its front-matter `outcomes:` and its requirement's `Traces:`.
      assert.deepEqual(
        client.diagnostics.get(late)!.map((d) => d.code),
        ['unknown-reference', 'unknown-reference'],
      );
    });

    test('a client that stops reading: the server waits for it, so a request sent meanwhile is answered ahead of most of what is left', async () => {
      const strategy = workspace.uri('strategy/payments-2027-h1.md');
      const text = await workspace.read('strategy/payments-2027-h1.md');
      const bulkSince = (mark: number, until = client.publishLog.length) =>
        client.publishLog.slice(mark, until).filter((entry) => entry.uri.includes('/prds/bulk/')).length;
      // Every bulk PRD without problems first (the previous test renamed OUT-1 away).
      const restored = client.publishLog.length;
      await client.change(strategy, [{ text }]);
      await client.waitFor('every bulk PRD published without problems', () => (bulkSince(restored) >= BULK ? true : undefined), 60_000);
      const mark = client.publishLog.length;
      const stdout = client.process.stdout!;
      stdout.pause();
      // OUT-1 gone: 1,000 notifications of 21 problems each, to a client that reads nothing for a second.
      await client.change(strategy, [{ text: text.replace('### OUT-1:', '### OUT-1000:') }]);
      await new Promise((resolve) => setTimeout(resolve, 1000));
      let answeredAt = -1;
      const hover = client.request('textDocument/hover', { textDocument: { uri: strategy }, position: positionOf(text, 'OUT-2') }).then(() => {
        answeredAt = client.publishLog.length;
      });
      await new Promise((resolve) => setTimeout(resolve, 300));
      stdout.resume();
      await hover;
      const before = bulkSince(mark, answeredAt);
      // About 1,000 problems wait to be written at most (45 of these notifications), and what the
      // pipe and the client's stream hold; without the bound, all 1,000 came first.
      assert.ok(before < 250, `the hover was answered after ${before} of ${BULK} bulk PRDs`);
      await client.waitFor('every bulk PRD published again', () => (bulkSince(mark) >= BULK ? true : undefined), 60_000);
      for (let k = 0; k < BULK; k++) assert.equal(client.diagnostics.get(workspace.uri(`prds/bulk/prd-${k}.md`))?.length, REQUIREMENTS + 1, `prd-${k}`);
    });
  });
});
