/**
 * The order in which the diagnostics publisher sends the other documents a change affected, on a
 * session whose documents each take 1 ms to check (so a run has many 10 ms slices): the newest
 * change's documents first, each document once, and nothing between slices while a hold is in
 * force. The server process tests (test/protocol/transport.test.ts) show the same over the wire;
 * here the interleavings are exact, and so is a client that reads slowly: publication waits for it.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DiagnosticsPublisher, sameJson } from '../../server/src/lsp/diagnosticsPublisher';
import type { SessionCore } from '../../server/src/lsp/sessionCore';

const CHECK_MS = 1;

/**
 * A session whose every document has one problem that takes `checkMs` to find; `sent` lists the
 * URIs published, in order. With `slowClient`, a notification counts as written to the client only
 * when the test calls `read()` (a client that reads nothing until then); `documents` is what
 * `publishAll` finds.
 */
function fakeSession(options: { readonly checkMs?: number; readonly slowClient?: boolean; readonly documents?: readonly string[] } = {}) {
  const { checkMs = CHECK_MS, slowClient = false, documents = [] } = options;
  const sent: string[] = [];
  /** The writes the client has not read yet. */
  const unread: (() => void)[] = [];
  const read = () => unread.splice(0).forEach((written) => written());
  /** A document's problem's message, when it is not its URI. */
  const messages = new Map<string, string>();
  const service = {
    getDiagnostics(uri: string) {
      const until = performance.now() + checkMs;
      while (performance.now() < until);
      return [{ code: 'rule', message: messages.get(uri) ?? uri, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } } }];
    },
  };
  const session = {
    client: { pullDiagnostics: false, diagnosticsVersion: false },
    serviceFor: () => service,
    positions: { toClient: (value: unknown) => value },
    connection: {
      sendDiagnostics: (params: { uri: string }) => {
        sent.push(params.uri);
        return slowClient ? new Promise<void>((written) => unread.push(written)) : Promise.resolve();
      },
      sendNotification: () => Promise.resolve(),
      sendRequest: () => Promise.resolve(),
    },
    openVersion: () => undefined,
    openUris: () => [],
    folders: { services: () => [{ ...service, diagnosticUris: () => documents }] },
    logError: (message: string, error: unknown) => assert.fail(`${message}: ${String(error)}`),
    log: () => undefined,
  };
  return { sent, messages, read, publisher: new DiagnosticsPublisher(session as unknown as SessionCore) };
}

const uris = (prefix: string, count: number) => Array.from({ length: count }, (_, k) => `file:///ws/${prefix}-${k}.md`);
const impact = (affected: readonly string[]) => ({ affectedUris: new Set(affected), structureChanged: false });
const turn = () => new Promise<void>((resolve) => setImmediate(resolve));
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

async function until(what: string, done: () => boolean): Promise<void> {
  const deadline = performance.now() + 10_000;
  while (!done()) {
    if (performance.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await sleep(5);
  }
}

describe('the other documents a change affected', () => {
  test('a newer change goes ahead of what an older one has left, and a document both name goes out once', async () => {
    const { sent, publisher } = fakeSession();
    const older = uris('older', 100);
    publisher.handleImpact(impact(older), { debounce: false });
    await until('the first slice', () => sent.length > 0);
    const shared = older[90]!;
    publisher.handleImpact(impact(['file:///ws/newer.md', shared]), { debounce: false });
    await until('every document', () => sent.length >= 101);
    await sleep(50);
    assert.equal(sent.length, 101, 'each document once');
    assert.deepEqual(new Set(sent), new Set([...older, 'file:///ws/newer.md']));
    const newer = sent.indexOf('file:///ws/newer.md');
    assert.ok(newer < sent.indexOf(older[89]!), `the newer change's document went out at ${newer} of 101`);
    assert.equal(sent.indexOf(shared), newer + 1, 'the shared document in the newer change’s turn');
  });

  test('a document checked again with the same diagnostics is not sent again; one whose message changed is, and so is the edited one', async () => {
    const { sent, messages, publisher } = fakeSession();
    const documents = uris('again', 30);
    publisher.handleImpact(impact(documents), { debounce: false });
    await until('every document', () => sent.length >= 30);
    // Same rule on the same line, another message: the signature by rule and line is alike.
    messages.set(documents[7]!, 'reworded');
    publisher.handleImpact(impact(documents), { immediate: documents[3]!, debounce: false });
    await until('the reworded document', () => sent.length >= 32);
    await sleep(100);
    assert.deepEqual(sent.slice(30), [documents[3], documents[7]]);
  });

  test('while a hold is in force nothing goes out between slices; all of it goes out once released', async () => {
    const { sent, publisher } = fakeSession();
    const release = publisher.hold();
    publisher.handleImpact(impact(uris('held', 100)), { debounce: false });
    await sleep(200);
    // One slice (10 ms of 1 ms documents) may have gone out before the run reached the hold.
    assert.ok(sent.length > 0 && sent.length <= 20, `${sent.length} published while held`);
    const whileHeld = sent.length;
    release();
    release(); // a second call releases nothing more
    await until('every document', () => sent.length >= 100);
    assert.ok(whileHeld < 100);
    assert.equal(new Set(sent).size, 100);
  });

  test('two holds: publishing resumes when the last is released', async () => {
    const { sent, publisher } = fakeSession();
    const first = publisher.hold();
    const second = publisher.hold();
    publisher.handleImpact(impact(uris('twice', 100)), { debounce: false });
    await sleep(100);
    const whileHeld = sent.length;
    first();
    await sleep(100);
    assert.equal(sent.length, whileHeld, 'still held by the second');
    second();
    await until('every document', () => sent.length >= 100);
    await turn();
    assert.equal(new Set(sent).size, 100);
  });
});

/** Waits until `sent` stops growing for a while (the publisher waits for the client, or is done). */
async function settled(sent: readonly string[]): Promise<number> {
  for (let last = -1; last !== sent.length;) {
    last = sent.length;
    await sleep(50);
  }
  return sent.length;
}

describe('a client that reads slowly', () => {
  // One problem a document: each notification weighs 2 against MAX_UNWRITTEN (1,000), so about
  // 500 wait for the client at most. Without the bound, all 3,000 did.
  const MOST_UNREAD = 520;

  test('the other documents wait for the client to read, the edited one does not, and all go out in the end', async () => {
    const { sent, read, publisher } = fakeSession({ checkMs: 0, slowClient: true });
    const bulk = uris('bulk', 3000);
    publisher.handleImpact(impact(bulk), { debounce: false });
    const stalled = await settled(sent);
    assert.ok(stalled > 100 && stalled <= MOST_UNREAD, `${stalled} of 3,000 sent to a client that read none`);
    publisher.handleImpact(impact([]), { immediate: 'file:///ws/edited.md' });
    assert.equal(sent.at(-1), 'file:///ws/edited.md', 'the edited document goes out while the others wait');
    for (let rounds = 0; sent.length < 3001 && rounds < 100; rounds++) {
      const before = sent.length;
      read();
      const now = await settled(sent);
      assert.ok(now - before <= MOST_UNREAD, `${now - before} sent after one read`);
    }
    assert.equal(new Set(sent).size, 3001, 'every document in the end');
  });

  test('publishAll waits for the client to read between its slices, and finishes once it has', async () => {
    const documents = uris('all', 3000);
    const { sent, read, publisher } = fakeSession({ checkMs: 0, slowClient: true, documents });
    let done = false;
    const all = publisher.publishAll().then(() => (done = true));
    const stalled = await settled(sent);
    // A slice of 500 documents goes out whole; the next waits until the client has read.
    assert.ok(stalled >= 500 && stalled <= 1000, `${stalled} of 3,000 sent before the client read any`);
    assert.equal(done, false);
    while (!done) {
      read();
      await sleep(20);
    }
    await all;
    assert.equal(new Set(sent).size, 3000);
  });
});

describe('diagnostics compared as they would be sent', () => {
  test('alike exactly when their JSON is alike', () => {
    const diagnostic = { range: { start: { line: 1, character: 2 }, end: { line: 1, character: 5 } }, message: 'm', code: 'rule', severity: 1 };
    assert.ok(sameJson([diagnostic], [structuredClone(diagnostic)]));
    assert.ok(sameJson([{ ...diagnostic, data: undefined }], [diagnostic]), 'an undefined key is absent');
    for (const other of [
      { ...diagnostic, message: 'n' },
      { ...diagnostic, range: { ...diagnostic.range, end: { line: 1, character: 6 } } },
      { ...diagnostic, data: { fix: 'x' } },
      { ...diagnostic, relatedInformation: [] },
    ])
      assert.ok(!sameJson([diagnostic], [other]), JSON.stringify(other));
    assert.ok(!sameJson([diagnostic], [diagnostic, diagnostic]));
    assert.ok(!sameJson([], {}));
    assert.ok(!sameJson(undefined, []));
    assert.ok(!sameJson({ a: 1 }, { b: 1 }));
  });
});
