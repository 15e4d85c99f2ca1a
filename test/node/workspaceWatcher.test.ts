/**
 * Issue 11, item 4: the server's own watcher, on real temporary folders and a real git branch
 * switch of 5,000 Markdown files.
 */
import assert from 'node:assert/strict';
import { execFile, execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, test } from 'node:test';
import { uriFromPath } from '../../server/src/node/fsWorkspace';
import { WorkspaceWatcher, type WatchBatch, type WatchedChangeType, type WorkspaceWatcherOptions } from '../../server/src/node/workspaceWatcher';

const windows = process.platform === 'win32';
const temporary = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'throughline-watch-')));
after(() => rmSync(temporary, { recursive: true, force: true }));

const PRD = (id: string, extra = '') => `---\ntype: prd\nid: PRD-${id}\ntitle: Document ${id}\n---\n# PRD-${id}: Document ${id}\n${extra}`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let counter = 0;
function folder(files: Record<string, string> = {}): { root: string; at: (relative: string) => string; write: (relative: string, text?: string) => string } {
  const root = path.join(temporary, `w${++counter}`);
  mkdirSync(root, { recursive: true });
  const at = (relative: string) => path.join(root, ...relative.split('/'));
  const write = (relative: string, text = 'x') => {
    const file = at(relative);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, text);
    return file;
  };
  for (const [relative, text] of Object.entries(files)) write(relative, text);
  return { root, at, write };
}

/** A watcher whose batches are kept, with helpers to wait for them. */
async function watching(root: string, options: WorkspaceWatcherOptions = {}) {
  const batches: WatchBatch[] = [];
  const logs: string[] = [];
  const watcher = new WorkspaceWatcher(root, (batch) => batches.push(batch), { quietMs: 50, logger: { log: (line) => logs.push(line) }, ...options });
  await watcher.ready;
  return {
    watcher,
    batches,
    logs,
    /** Waits until no batch came for `quietMs` (after at least `atLeast` batches, within `timeoutMs`), and returns the batches since the last call. */
    async settle(atLeast = 1, quietMs = 400, timeoutMs = 10_000): Promise<WatchBatch[]> {
      const start = Date.now();
      let seen = batches.length;
      let lastChange = Date.now();
      while (Date.now() - start < timeoutMs) {
        await sleep(25);
        if (batches.length !== seen) {
          seen = batches.length;
          lastChange = Date.now();
        }
        if (batches.length >= atLeast && Date.now() - lastChange >= quietMs) break;
      }
      return batches.splice(0, batches.length);
    },
  };
}

/** The batches as one list of [uri, type], in order. */
function changesOf(batches: readonly WatchBatch[]): [string, WatchedChangeType][] {
  return batches.flatMap((batch) => batch.changes.map((change): [string, WatchedChangeType] => [change.uri, change.type]));
}

/** Batches composed into one change per file: what a host applying them in order ends up with. */
function composed(batches: readonly WatchBatch[]): Map<string, WatchedChangeType> {
  const result = new Map<string, WatchedChangeType>();
  for (const [uri, type] of changesOf(batches)) {
    const before = result.get(uri);
    const next = before === undefined ? type : before === 'created' ? (type === 'deleted' ? undefined : 'created') : before === 'deleted' ? 'changed' : type;
    if (next === undefined) result.delete(uri);
    else result.set(uri, next);
  }
  return result;
}

describe('WorkspaceWatcher', () => {
  test('a changed file is reported changed, once', async () => {
    const { root, at, write } = folder({ 'prds/a.md': PRD('1') });
    const watch = await watching(root);
    try {
      write('prds/a.md', PRD('1', 'more'));
      write('prds/a.md', PRD('1', 'and more'));
      const batches = await watch.settle();
      assert.deepEqual(changesOf(batches), [[uriFromPath(at('prds/a.md')), 'changed']]);
      assert.equal(batches[0]!.rescan, false);
    } finally {
      watch.watcher.close();
    }
  });

  test('a created file is reported created; a deleted one deleted', async () => {
    const { root, at, write } = folder({ 'a.md': PRD('1') });
    const watch = await watching(root);
    try {
      write('b.markdown', PRD('2'));
      assert.deepEqual(changesOf(await watch.settle()), [[uriFromPath(at('b.markdown')), 'created']]);
      rmSync(at('a.md'));
      assert.deepEqual(changesOf(await watch.settle()), [[uriFromPath(at('a.md')), 'deleted']]);
    } finally {
      watch.watcher.close();
    }
  });

  test('a file in a folder created after the watch started, nested two deep and written at once', async () => {
    const { root, at, write } = folder({ 'a.md': PRD('1') });
    const watch = await watching(root);
    try {
      write('new/deeper/c.md', PRD('3'));
      assert.deepEqual(changesOf(await watch.settle()), [[uriFromPath(at('new/deeper/c.md')), 'created']]);
      // The new folder is watched from then on.
      write('new/deeper/c.md', PRD('3', 'edited'));
      write('new/d.md', PRD('4'));
      assert.deepEqual(changesOf(await watch.settle()), [
        [uriFromPath(at('new/d.md')), 'created'],
        [uriFromPath(at('new/deeper/c.md')), 'changed'],
      ]);
    } finally {
      watch.watcher.close();
    }
  });

  test('.git, node_modules and files other than Markdown and .throughline.yml are not reported', async () => {
    const { root, at, write } = folder({ '.git/HEAD': 'ref: refs/heads/a\n', 'node_modules/pkg/readme.md': '# pkg', 'a.md': PRD('1') });
    const watch = await watching(root);
    try {
      write('.git/HEAD', 'ref: refs/heads/b\n');
      write('.git/notes.md', '# not a document');
      write('node_modules/pkg/readme.md', '# changed');
      write('node_modules/other/new.md', '# new');
      write('notes.txt', 'text');
      write('.throughline.yml.bak', 'rules: {}');
      assert.deepEqual(await watch.settle(0, 500), []);
      // Near miss: the configuration file is reported.
      write('.throughline.yml', 'rules: {}\n');
      assert.deepEqual(changesOf(await watch.settle()), [[uriFromPath(at('.throughline.yml')), 'created']]);
    } finally {
      watch.watcher.close();
    }
  });

  test('a FIFO named .md is not a created file; a file replaced by one is deleted', { skip: windows }, async () => {
    const { root, at } = folder({ 'a.md': PRD('1') });
    const watch = await watching(root);
    try {
      execFileSync('mkfifo', [at('pipe.md')]);
      assert.deepEqual(await watch.settle(0, 500), []);
      rmSync(at('a.md'));
      execFileSync('mkfifo', [at('a.md')]);
      assert.deepEqual(changesOf(await watch.settle()), [[uriFromPath(at('a.md')), 'deleted']]);
    } finally {
      watch.watcher.close();
    }
  });

  test('a deleted folder reports each of its files; a folder moved in reports its files created, moved out deleted', async () => {
    const { root, at, write } = folder({ 'docs/a.md': PRD('1'), 'docs/sub/b.md': PRD('2'), 'docs/sub/c.txt': 'text', 'keep.md': PRD('3') });
    const outside = path.join(temporary, `outside${++counter}`);
    mkdirSync(path.join(outside, 'deep'), { recursive: true });
    writeFileSync(path.join(outside, 'deep', 'e.md'), PRD('5'));
    writeFileSync(path.join(outside, 'd.md'), PRD('4'));
    const watch = await watching(root);
    try {
      rmSync(at('docs'), { recursive: true });
      assert.deepEqual(changesOf(await watch.settle()), [
        [uriFromPath(at('docs/a.md')), 'deleted'],
        [uriFromPath(at('docs/sub/b.md')), 'deleted'],
      ]);
      // A move is one event for the folder: its files are found by reading it.
      renameSync(outside, at('moved'));
      assert.deepEqual(changesOf(await watch.settle()), [
        [uriFromPath(at('moved/d.md')), 'created'],
        [uriFromPath(at('moved/deep/e.md')), 'created'],
      ]);
      renameSync(at('moved'), path.join(temporary, `gone${counter}`));
      assert.deepEqual(changesOf(await watch.settle()), [
        [uriFromPath(at('moved/d.md')), 'deleted'],
        [uriFromPath(at('moved/deep/e.md')), 'deleted'],
      ]);
      write('keep.md', PRD('3', 'still watched'));
      assert.deepEqual(changesOf(await watch.settle()), [[uriFromPath(at('keep.md')), 'changed']]);
    } finally {
      watch.watcher.close();
    }
  });

  test('a folder deleted and created again reports files in both as changed; a file created and deleted within a burst is not reported', async () => {
    const { root, at, write } = folder({ 'docs/a.md': PRD('1'), 'docs/b.md': PRD('2') });
    const watch = await watching(root, { quietMs: 200 });
    try {
      rmSync(at('docs'), { recursive: true });
      write('docs/a.md', PRD('1', 'again'));
      write('docs/c.md', PRD('3'));
      write('tmp.md', PRD('9'));
      rmSync(at('tmp.md'));
      assert.deepEqual(changesOf(await watch.settle()), [
        [uriFromPath(at('docs/a.md')), 'changed'],
        [uriFromPath(at('docs/b.md')), 'deleted'],
        [uriFromPath(at('docs/c.md')), 'created'],
      ]);
    } finally {
      watch.watcher.close();
    }
  });

  test('more folders than maxFolders: logged at the start, and a folder beyond the limit later asks for a rescan', async () => {
    const { root, at, write } = folder({ 'a/x.md': PRD('1'), 'b/y.md': PRD('2') });
    const watch = await watching(root, { maxFolders: 3 });
    try {
      assert.deepEqual(watch.logs, []);
      write('c/z.md', PRD('3'));
      const batches = await watch.settle();
      assert.deepEqual(
        batches.map((batch) => [batch.changes.length, batch.rescan]),
        [[0, true]],
      );
      assert.deepEqual(watch.logs, [
        `Watching ${root}: more than 3 folders; the rest are not watched, and changes there are seen only when a file there is opened`,
      ]);
      // Near miss: within the limit nothing asks for a rescan.
      write('a/x.md', PRD('1', 'edited'));
      const next = await watch.settle();
      assert.deepEqual(
        next.map((batch) => [changesOf([batch]), batch.rescan]),
        [[[[uriFromPath(at('a/x.md')), 'changed']], false]],
      );
    } finally {
      watch.watcher.close();
    }
  });

  test('a burst naming more paths than maxPendingPaths reads the folder again: every file reported, and a rescan', async () => {
    const { root, at, write } = folder({ 'kept.md': PRD('0'), 'gone.md': PRD('9') });
    const watch = await watching(root, { maxPendingPaths: 10 });
    try {
      // Near miss: nine paths stay within the bound.
      for (let index = 1; index <= 9; index++) write(`n${index}.md`, PRD(`n${index}`));
      const near = await watch.settle();
      assert.equal(near.length, 1);
      assert.equal(near[0]!.rescan, false);
      assert.equal(near[0]!.changes.length, 9);
      // Twelve files in the root folder: twelve paths, more than ten.
      for (let index = 1; index <= 12; index++) write(`f${String(index).padStart(2, '0')}.md`, PRD(`${index}`));
      rmSync(at('gone.md'));
      const batches = await watch.settle();
      assert.deepEqual(
        batches.map((batch) => batch.rescan),
        [true],
      );
      const expected: [string, WatchedChangeType][] = [
        ...Array.from({ length: 12 }, (_, index): [string, WatchedChangeType] => [uriFromPath(at(`f${String(index + 1).padStart(2, '0')}.md`)), 'created']),
        [uriFromPath(at('gone.md')), 'deleted'],
        [uriFromPath(at('kept.md')), 'changed'],
        ...Array.from({ length: 9 }, (_, index): [string, WatchedChangeType] => [uriFromPath(at(`n${index + 1}.md`)), 'changed']),
      ];
      assert.deepEqual(
        changesOf(batches),
        expected.sort((a, b) => (a[0] < b[0] ? -1 : 1)),
      );
      assert.deepEqual(watch.logs, [`Watching ${root}: more than 10 paths changed at once; reading it again`]);
    } finally {
      watch.watcher.close();
    }
  });

  test('close() stops every report; a watcher alone does not keep the process alive', async () => {
    const { root, write } = folder({ 'a.md': PRD('1') });
    const watch = await watching(root);
    watch.watcher.close();
    watch.watcher.close();
    write('a.md', PRD('1', 'after close'));
    write('b.md', PRD('2'));
    assert.deepEqual(await watch.settle(0, 400), []);

    const script = path.join(temporary, `alive${counter}.ts`);
    const module = path.resolve('server/src/node/workspaceWatcher.ts');
    writeFileSync(
      script,
      `import { WorkspaceWatcher } from ${JSON.stringify(module)};\n` +
        `const watcher = new WorkspaceWatcher(${JSON.stringify(root)}, () => {});\n` +
        `void watcher.ready.then(() => console.log('ready'));\n`,
    );
    const child = spawn(process.execPath, ['--import', 'tsx', script], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const code = await new Promise<number | null | 'timeout'>((resolve) => {
      const timer = setTimeout(() => {
        child.kill();
        resolve('timeout');
      }, 15_000);
      child.on('exit', (exitCode) => {
        clearTimeout(timer);
        resolve(exitCode);
      });
    });
    assert.equal(code, 0);
    assert.equal(output, 'ready\n');
  });

  test('the recursive backend (Node’s own on Linux) reports the same', async () => {
    const { root, at, write } = folder({ 'a.md': PRD('1'), 'docs/b.md': PRD('2') });
    const watch = await watching(root, { backend: 'recursive' });
    try {
      write('new/deeper/c.md', PRD('3'));
      write('a.md', PRD('1', 'edited'));
      rmSync(at('docs'), { recursive: true });
      write('.git/HEAD', 'x');
      // Node 20's recursive watcher on Linux may report a file in two bursts: composed, they must say the same.
      assert.deepEqual([...composed(await watch.settle())].sort(), [
        [uriFromPath(at('a.md')), 'changed'],
        [uriFromPath(at('docs/b.md')), 'deleted'],
        [uriFromPath(at('new/deeper/c.md')), 'created'],
      ]);
    } finally {
      watch.watcher.close();
    }
  });
});

describe('WorkspaceWatcher: a git branch switch of 5,000 Markdown files', () => {
  const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  /** Asynchronous, so the watcher's events are handled while git writes. */
  const gitAsync = (cwd: string, ...args: string[]) =>
    new Promise<void>((resolve, reject) => execFile('git', args, { cwd }, (error) => (error ? reject(error) : resolve())));

  /**
   * Branch `a`: 100 folders of 50 documents. Branch `b`: 2,000 changed, 1,500 deleted (500 as ten
   * whole folders), 1,500 created (500 in ten new nested folders): 5,000 files differ. Both commits
   * are streamed into `git fast-import`, and only branch `a` is written out, by git.
   */
  function repository(): string {
    const { root } = folder();
    git(root, 'init', '-q', '-b', 'a');
    const d = (index: number) => `docs/d${String(index).padStart(3, '0')}`;
    const lines: string[] = [];
    const commit = (branch: string, parent: string | undefined) => {
      lines.push(`commit refs/heads/${branch}`, 'committer Watch Test <watch@example.test> 1700000000 +0000', `data ${branch.length}`, branch);
      if (parent) lines.push(`from refs/heads/${parent}`);
    };
    const put = (file: string, text: string) => lines.push(`M 100644 inline ${file}`, `data ${Buffer.byteLength(text)}`, text);
    commit('a', undefined);
    for (let i = 0; i < 100; i++) for (let j = 0; j < 50; j++) put(`${d(i)}/f${j}.md`, PRD(`${i}-${j}`));
    commit('b', 'a');
    for (let i = 0; i < 40; i++) for (let j = 0; j < 50; j++) put(`${d(i)}/f${j}.md`, PRD(`${i}-${j}`, 'changed'));
    for (let i = 40; i < 50; i++) lines.push(`D ${d(i)}`);
    for (let i = 50; i < 100; i++) for (let j = 30; j < 50; j++) lines.push(`D ${d(i)}/f${j}.md`);
    for (let k = 0; k < 10; k++) for (let j = 0; j < 50; j++) put(`docs/new${k}/deeper/g${j}.md`, PRD(`n${k}-${j}`));
    for (let i = 50; i < 100; i++) for (let j = 0; j < 20; j++) put(`${d(i)}/added${j}.md`, PRD(`a${i}-${j}`));
    execFileSync('git', ['fast-import', '--quiet'], { cwd: root, input: lines.join('\n') + '\n', stdio: ['pipe', 'ignore', 'pipe'] });
    git(root, 'reset', '-q', '--hard', 'a');
    return root;
  }

  /** What `git diff` says changes from `from` to `to`, as the watcher should report it. */
  function expected(root: string, from: string, to: string): Map<string, WatchedChangeType> {
    const changes = new Map<string, WatchedChangeType>();
    for (const line of git(root, 'diff', '--no-renames', '--name-status', from, to).trim().split('\n')) {
      const [status, file] = line.split('\t') as [string, string];
      changes.set(uriFromPath(path.join(root, file)), status === 'A' ? 'created' : status === 'D' ? 'deleted' : 'changed');
    }
    return changes;
  }

  test('settles within 30 s, in at most 10 batches, with exactly the files git changed and their final types', { timeout: 60_000 }, async () => {
    const root = repository();
    const watch = await watching(root, { quietMs: 150 });
    try {
      for (const [from, to] of [
        ['a', 'b'],
        ['b', 'a'],
      ] as const) {
        const start = Date.now();
        await gitAsync(root, 'checkout', '-q', to);
        const batches = await watch.settle(1, 1000, 30_000);
        const elapsed = Date.now() - start;
        const want = expected(root, from, to);
        assert.equal(want.size, 5000);
        const got = composed(batches);
        assert.deepEqual([...got].sort(), [...want].sort(), `${from} → ${to}`);
        assert.ok(batches.length >= 1 && batches.length <= 10, `${from} → ${to}: ${batches.length} batches`);
        assert.ok(elapsed < 30_000, `${from} → ${to}: settled after ${elapsed} ms`);
        assert.ok(
          batches.every((batch) => !batch.rescan),
          'no rescan',
        );
      }
    } finally {
      watch.watcher.close();
    }
  });
});
