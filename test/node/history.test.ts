/**
 * Issue 13: suspect links from git history, on real repositories built at fixed dates
 * (test/helpers/gitRepo.ts), through the real CLI (`throughline check --format json`) where that is
 * natural, and through the fold and git reading (`readFolderHistory`, `updateFolderHistory`) for what
 * only the server does: new commits folded in, HEAD moved to a non-descendant.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, realpathSync, rmSync, statSync, utimesSync, writeFileSync, chmodSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { after, describe, test } from 'node:test';
import { createGitRepo, gitEnvironment, type GitRepo } from '../helpers/gitRepo';
import { PRD, STRATEGY } from '../helpers/historyFixtures';
import { openWorkspace } from '../../server/src/cli/common';
import {
  parseIndexStamps,
  readFolderHistory,
  readIndexStamps,
  startHistoryRead,
  updateFolderHistory,
  type FolderHistory,
} from '../../server/src/node/gitHistory';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const CLI = path.join(REPO_ROOT, 'bin', 'throughline.js');
const TODAY = '2026-11-22';

const temporaries: string[] = [];
after(() => {
  for (const folder of temporaries) rmSync(folder, { recursive: true, force: true });
});

/** A repository with the strategy and the PRD committed on 2026-09-01. */
function baseRepo(label: string): GitRepo {
  const repo = createGitRepo(label);
  temporaries.push(repo.root);
  repo.write('strategy.md', STRATEGY);
  repo.write('prds/guest-checkout.md', PRD);
  repo.commit('Initial strategy', '2026-09-01');
  return repo;
}

function edit(repo: GitRepo, relative: string, from: string, to: string): void {
  const text = repo.read(relative);
  assert.ok(text.includes(from), `${relative} has ${JSON.stringify(from)}`);
  repo.write(relative, text.replace(from, to));
}

interface Checked {
  status: number | null;
  stderr: string;
  /** `REQ-1.1>OUT-1` per suspect-link warning, sorted. */
  suspects: string[];
  /** `REQ-1.1>OUT-1` per transitive hint, sorted. */
  hints: string[];
  messages: string[];
}

function check(folder: string, ...extra: string[]): Checked {
  const run = spawnSync(process.execPath, [CLI, 'check', folder, '--format', 'json', ...extra], {
    encoding: 'utf8',
    env: { ...gitEnvironment(), THROUGHLINE_TODAY: TODAY },
  });
  assert.ok(run.stdout.startsWith('{'), `JSON output: ${run.stdout.slice(0, 300)} ${run.stderr}`);
  const output = JSON.parse(run.stdout) as { diagnostics: { rule: string; severity: string; message: string }[] };
  const suspect = output.diagnostics.filter((diagnostic) => diagnostic.rule === 'suspect-link');
  const pair = (message: string) => {
    const warning = /^(\S+) changed after (\S+)'s link/.exec(message);
    if (warning) return `${warning[2]}>${warning[1]}`;
    const hint = /^(\S+) is itself suspect: .*?\. (\S+)'s chain/.exec(message);
    return hint ? `${hint[2]}>${hint[1]}` : message;
  };
  return {
    status: run.status,
    stderr: run.stderr,
    suspects: suspect
      .filter((diagnostic) => diagnostic.severity !== 'hint')
      .map((diagnostic) => pair(diagnostic.message))
      .sort(),
    hints: suspect
      .filter((diagnostic) => diagnostic.severity === 'hint')
      .map((diagnostic) => pair(diagnostic.message))
      .sort(),
    messages: suspect.map((diagnostic) => diagnostic.message),
  };
}

describe('suspect links from git history, through the CLI', () => {
  test('a changed outcome makes the links to it suspect; its untouched neighbours and a check-in in the same file do not', () => {
    const repo = baseRepo('changed');
    assert.deepEqual(check(repo.root).suspects, []);
    edit(repo, 'strategy.md', '### OUT-1: Payers complete payment without an account', '### OUT-1: Payers pay an invoice without signing up');
    edit(repo, 'strategy.md', 'Current: 31 min', 'Current: 24 min');
    repo.commit('Sharpen OUT-1; KR-1.2 check-in', '2026-10-03', 'Ana');
    const checked = check(repo.root);
    assert.deepEqual(checked.suspects, ['PRD-1>OUT-1', 'REQ-1.1>OUT-1']);
    assert.match(
      checked.messages.find((message) => message.startsWith('OUT-1 changed after REQ-1.1'))!,
      /its title changed on 2026-10-03 in [0-9a-f]{7} \(Ana: Sharpen OUT-1; KR-1\.2 check-in\)/,
    );
    // --no-history: nothing read, nothing suspect.
    assert.deepEqual(check(repo.root, '--no-history').suspects, []);
  });

  test('whitespace-only and Current-only changes are not changes of meaning', () => {
    const repo = baseRepo('whitespace');
    edit(repo, 'strategy.md', 'Guest checkout removes the biggest drop-off we see.', 'Guest  checkout removes the biggest\ndrop-off   we see.  ');
    edit(repo, 'strategy.md', '### OUT-2: Payers pay with the method they already use', '### OUT-2:   Payers pay with the method they already use   ');
    repo.commit('Reflow', '2026-10-01');
    edit(repo, 'strategy.md', 'Current: 46%', 'Current: 49%');
    edit(repo, 'strategy.md', 'Current: 31 min', 'Current: 20 min');
    repo.commit('Check-ins', '2026-10-02');
    assert.deepEqual(check(repo.root).suspects, []);
  });

  test('a review committed after the change clears the link; a later change makes it suspect again', () => {
    const repo = baseRepo('review');
    edit(repo, 'strategy.md', 'Guest checkout removes the biggest drop-off we see.', 'Guest checkout and saved wallets remove the drop-off.');
    repo.commit('OUT-1: wallets too', '2026-10-03');
    assert.deepEqual(check(repo.root).suspects, ['PRD-1>OUT-1', 'REQ-1.1>OUT-1']);
    edit(repo, 'prds/guest-checkout.md', 'Traces: OUT-1\nPriority: must', 'Traces: OUT-1\nPriority: must\nReviewed: OUT-1 2026-10-05');
    repo.commit('Confirm REQ-1.1 still serves OUT-1', '2026-10-05');
    assert.deepEqual(check(repo.root).suspects, ['PRD-1>OUT-1']);
    edit(repo, 'strategy.md', '### OUT-1: Payers complete payment without an account', '### OUT-1: Payers pay in one step');
    repo.commit('OUT-1 again', '2026-10-20');
    assert.deepEqual(check(repo.root).suspects, ['PRD-1>OUT-1', 'REQ-1.1>OUT-1']);
  });

  test('renames across history change nothing: the strategy file moved, an outcome moved to another file unchanged', () => {
    const repo = baseRepo('rename');
    repo.git('mv', 'strategy.md', 'strategy-2027.md');
    repo.commit('Rename the strategy', '2026-10-01');
    assert.deepEqual(check(repo.root).suspects, []);
    const text = repo.read('strategy-2027.md');
    const start = text.indexOf('### OUT-2');
    const moved = text.slice(start);
    repo.write('strategy-2027.md', text.slice(0, start));
    repo.write(
      'outcomes.md',
      `---\ntype: strategy\nid: STR-2\ntitle: Payment methods\nperiod: 2027-H1\nstatus: approved\nupdated: 2026-10-02\n---\n# STR-2: Payment methods\n\n${moved}`,
    );
    repo.commit('Move OUT-2 to its own file', '2026-10-02');
    assert.deepEqual(check(repo.root).suspects, []);
  });

  test('uncommitted edits count at once', () => {
    const repo = baseRepo('working');
    edit(repo, 'strategy.md', '### OUT-1: Payers complete payment without an account', '### OUT-1: Payers pay without signing up');
    const checked = check(repo.root);
    assert.deepEqual(checked.suspects, ['PRD-1>OUT-1', 'REQ-1.1>OUT-1']);
    assert.ok(checked.messages.every((message) => message.includes('in edits not yet committed')));
  });

  test('a requirement whose outcome is itself suspect gets the transitive hint', () => {
    const repo = baseRepo('transitive');
    edit(repo, 'strategy.md', 'Target: 55%', 'Target: 60%');
    repo.commit('Raise KR-1.1', '2026-10-03');
    const checked = check(repo.root);
    assert.deepEqual(checked.suspects, ['OUT-1>KR-1.1']);
    assert.deepEqual(checked.hints, ['PRD-1>OUT-1', 'REQ-1.1>OUT-1']);
  });

  test('a shallow clone has no history: one line on stderr, the exit code unaffected, no suspect link', () => {
    const repo = baseRepo('shallow-source');
    edit(repo, 'strategy.md', '### OUT-1: Payers complete payment without an account', '### OUT-1: Payers pay without signing up');
    repo.commit('Sharpen OUT-1', '2026-10-03');
    const parent = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'throughline-git-shallow-')));
    temporaries.push(parent);
    const clone = path.join(parent, 'clone');
    const cloned = spawnSync('git', ['clone', '-q', '--depth', '1', pathToFileURL(repo.root).href, clone], { env: gitEnvironment(), encoding: 'utf8' });
    assert.equal(cloned.status, 0, cloned.stderr);
    const checked = check(clone);
    const without = check(clone, '--no-history');
    assert.deepEqual(checked.suspects, []);
    assert.equal(checked.status, without.status);
    const lines = checked.stderr.split('\n').filter((line) => /history/i.test(line));
    assert.equal(lines.length, 1, checked.stderr);
    assert.match(lines[0]!, /No history: .*shallow clone/);
  });

  test('a folder that is not a repository: no suspect link, no error', () => {
    const parent = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'throughline-nogit-')));
    temporaries.push(parent);
    writeFileSync(path.join(parent, 'strategy.md'), STRATEGY);
    cpSync(path.join(REPO_ROOT, 'examples', 'acme', 'prds'), path.join(parent, 'prds'), { recursive: true });
    const checked = check(parent);
    assert.deepEqual(checked.suspects, []);
    assert.equal(checked.status, check(parent, '--no-history').status);
    assert.doesNotMatch(checked.stderr, /history/i);
  });

  test("the repository's fsmonitor and filters never run", () => {
    const repo = baseRepo('hostile');
    repo.write('.gitattributes', '*.md filter=x\n');
    edit(repo, 'strategy.md', '### OUT-1: Payers complete payment without an account', '### OUT-1: Payers pay without signing up');
    repo.commit('Sharpen OUT-1 and add attributes', '2026-10-03');
    const marker = path.join(repo.root, 'ran.marker');
    const monitor = path.join(repo.root, '.git', 'fsmonitor.sh');
    writeFileSync(monitor, `#!/bin/sh\ntouch '${marker}'\n`);
    chmodSync(monitor, 0o755);
    repo.git('config', 'core.fsmonitor', monitor);
    repo.git('config', 'filter.x.clean', `touch '${marker}'; cat`);
    repo.git('config', 'filter.x.smudge', `touch '${marker}'; cat`);
    // A working-tree edit, so that anything comparing the working tree with the index would hash files through the filter.
    edit(repo, 'prds/guest-checkout.md', 'Priority: must', 'Priority: should');
    const checked = check(repo.root);
    assert.deepEqual(checked.suspects, ['PRD-1>OUT-1', 'REQ-1.1>OUT-1']);
    assert.equal(existsSync(marker), false, 'the repository ran a command');
    // The trap works: an ordinary `git status` springs it.
    spawnSync('git', ['status'], { cwd: repo.root, env: gitEnvironment() });
    assert.equal(existsSync(marker), true, 'git status runs the configured commands');
  });
});

describe("git's part of the history, started before the folder is indexed", () => {
  test('one git run tells a repository without commits, a folder outside any repository, and a folder inside one apart', async () => {
    const empty = createGitRepo('no-commits');
    temporaries.push(empty.root);
    empty.write('strategy.md', STRATEGY);
    assert.match((await startHistoryRead(empty.root)).note ?? '', /HEAD has no commit yet/);

    const outside = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'throughline-nogit-')));
    temporaries.push(outside);
    assert.match((await startHistoryRead(outside)).note ?? '', /not a git repository/i);

    const repo = createGitRepo('nested');
    temporaries.push(repo.root);
    repo.write('docs/strategy/strategy.md', STRATEGY);
    repo.write('docs/strategy/prds/guest-checkout.md', PRD);
    repo.commit('Initial strategy', '2026-09-01');
    const source = await startHistoryRead(repo.path('docs/strategy'));
    assert.equal(source.note, undefined);
    assert.ok(source.note === undefined);
    assert.deepEqual({ topLevel: source.topLevel, prefix: source.prefix }, { topLevel: repo.root, prefix: 'docs/strategy/' });
    assert.deepEqual(
      (await source.logged).map((logged) => logged.files.map((file) => file.relative).sort()),
      [['prds/guest-checkout.md', 'strategy.md']],
    );
  });

  test('a read started before an edit and a read started after it fold the same history', async () => {
    const repo = baseRepo('early');
    const started = startHistoryRead(repo.root);
    edit(repo, 'strategy.md', '### OUT-1: Payers complete payment without an account', '### OUT-1: Payers pay without signing up');
    const { service } = await openWorkspace(repo.root, undefined, () => undefined);
    const early = await readFolderHistory(repo.root, service.newHistoryFold(), service, 'HEAD', started);
    const late = await readFolderHistory(repo.root, service.newHistoryFold(), service);
    assert.ok(early.fold && late.fold, `${early.note ?? ''} ${late.note ?? ''}`);
    assert.equal(early.fold.commitCount, 1);
    assert.deepEqual([...(early as FolderHistory).unchangedSinceHead].sort(), [...(late as FolderHistory).unchangedSinceHead].sort());
    // The edited file is not as committed, whichever read says so.
    assert.ok(!(early as FolderHistory).unchangedSinceHead.has(repo.uri('strategy.md')));
    assert.ok((early as FolderHistory).unchangedSinceHead.has(repo.uri('prds/guest-checkout.md')));
  });

  test('a started read whose git log fails rejects for whoever awaits it, and is no unhandled rejection for a host that never does', async () => {
    const repo = baseRepo('failing-log');
    const unhandled: unknown[] = [];
    const listener = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', listener);
    try {
      // A full commit ID that names no commit: the log fails.
      const missing = '0123456789abcdef0123456789abcdef01234567';
      const ignored = startHistoryRead(repo.root, missing);
      const awaited = startHistoryRead(repo.root, missing);
      await assert.rejects(
        readFolderHistory(repo.root, (await openWorkspace(repo.root, undefined, () => undefined)).service.newHistoryFold(), undefined, missing, awaited),
        /git log failed/,
      );
      const source = await ignored;
      assert.equal(source.note, undefined);
      await new Promise((resolve) => setTimeout(resolve, 50));
      assert.deepEqual(unhandled, []);
    } finally {
      process.off('unhandledRejection', listener);
    }
  });

  test('a read started for one revision is not used for another', async () => {
    const repo = baseRepo('other-rev');
    const head = repo.git('rev-parse', 'HEAD').trim();
    await assert.rejects(
      readFolderHistory(
        repo.root,
        (await openWorkspace(repo.root, undefined, () => undefined)).service.newHistoryFold(),
        undefined,
        head,
        startHistoryRead(repo.root),
      ),
      /started for HEAD/,
    );
  });
});

describe('the fold read from git and updated commit by commit', () => {
  test('new commits are folded in; HEAD moved to a non-descendant asks for a full read', async () => {
    const repo = baseRepo('update');
    const { service } = await openWorkspace(repo.root, undefined, () => undefined);
    const read = await readFolderHistory(repo.root, service.newHistoryFold());
    assert.ok(read.fold, read.note);
    const history = read as FolderHistory;
    await service.setHistory(history.fold);
    const prd = repo.uri('prds/guest-checkout.md');
    const suspects = () => service.getDiagnostics(prd).filter((diagnostic) => diagnostic.code === 'suspect-link' && diagnostic.severity !== 4);
    assert.equal(suspects().length, 0);
    const first = repo.git('rev-parse', 'HEAD').trim();

    edit(repo, 'strategy.md', '### OUT-2: Payers pay with the method they already use', '### OUT-2: Payers pay with any card or wallet');
    // The service sees the file change as the server's watcher would tell it.
    await service.fileChanged(repo.uri('strategy.md'));
    // Not committed yet: suspect at once.
    assert.equal(suspects().length, 2);
    repo.commit('Sharpen OUT-2', '2026-10-03');
    const update = await updateFolderHistory(history);
    assert.deepEqual({ updated: update.updated, commits: update.commits }, { updated: true, commits: 1 });
    assert.ok(update.changed.has('OUT-2'), [...update.changed].join(','));
    assert.ok(!update.changed.has('OUT-1'));
    const impact = await service.historyAdvanced(update.changed);
    assert.ok(impact.affectedUris.has(prd));
    assert.equal(suspects().length, 2);

    // Nothing new: nothing folded.
    assert.deepEqual(await updateFolderHistory(history), { updated: true, commits: 0, changed: new Set(), files: new Set() });
    // Another line of history: the caller reads it all again.
    repo.git('reset', '-q', '--hard', first);
    repo.commit('Another line', '2026-10-04');
    assert.equal((await updateFolderHistory(history)).updated, false);
  });
});

describe("git's index proves which working files are as committed, without reading them", () => {
  const blobAtHead = (repo: GitRepo, relative: string) => repo.git('rev-parse', `HEAD:${relative}`).trim();
  const indexFile = (repo: GitRepo) => path.join(repo.root, '.git', 'index');

  test('a file as committed is proven and read; one edited to the same size with its times set back is not', async () => {
    const repo = baseRepo('stamps');
    repo.write('notes.txt', 'not Markdown');
    repo.write('node_modules/readme.md', '# skipped');
    repo.commit('More files', '2026-09-02');
    // A whole second, so the time can be set back exactly; staged again so git's index records it.
    const prd = repo.path('prds/guest-checkout.md');
    utimesSync(prd, 1_700_000_000, 1_700_000_000);
    repo.git('add', 'prds/guest-checkout.md');
    const stamps = await readIndexStamps(repo.root, '', indexFile(repo));
    assert.ok(stamps);
    assert.equal(stamps.blobOf('strategy.md', repo.path('strategy.md')), blobAtHead(repo, 'strategy.md'));
    assert.deepEqual(stamps.readProven('strategy.md', repo.path('strategy.md')), readFileSync(repo.path('strategy.md')));
    // Only Markdown files outside skipped folders are listed.
    assert.equal(stamps.blobOf('notes.txt', repo.path('notes.txt')), undefined);
    assert.equal(stamps.blobOf('node_modules/readme.md', repo.path('node_modules/readme.md')), undefined);
    assert.equal(stamps.size, 2);

    assert.equal(stamps.blobOf('prds/guest-checkout.md', prd), blobAtHead(repo, 'prds/guest-checkout.md'));
    const before = statSync(prd);
    edit(repo, 'prds/guest-checkout.md', 'Traces: OUT-2', 'Traces: OUT-1');
    utimesSync(prd, 1_700_000_000, 1_700_000_000);
    assert.equal(statSync(prd).size, before.size);
    assert.equal(statSync(prd).mtimeMs, before.mtimeMs);
    // Same size and modification time: the change time still tells.
    assert.equal(stamps.blobOf('prds/guest-checkout.md', prd), undefined);
    assert.equal(stamps.readProven('prds/guest-checkout.md', prd), undefined);
  });

  test('a racy entry, and files git is told not to look at, prove nothing', async () => {
    const repo = baseRepo('stamps-racy');
    // Staged with a modification time after the index was written: git itself would compare the bytes.
    const future = new Date(Date.now() + 3_600_000);
    utimesSync(repo.path('strategy.md'), future, future);
    repo.git('add', 'strategy.md');
    repo.git('update-index', '--assume-unchanged', 'prds/guest-checkout.md');
    const stamps = await readIndexStamps(repo.root, '', indexFile(repo));
    assert.ok(stamps);
    assert.equal(stamps.blobOf('strategy.md', repo.path('strategy.md')), undefined);
    assert.equal(stamps.blobOf('prds/guest-checkout.md', repo.path('prds/guest-checkout.md')), undefined);
  });

  test('output not in the expected shape is left out, entry by entry', () => {
    const blob = 'a'.repeat(40);
    const lines = (size: number, flags = '0') => `  ctime: 1:2\n  mtime: 3:4\n  dev: 5\tino: 6\n  uid: 7\tgid: 8\n  size: ${size}\tflags: ${flags}\n`;
    const output = [
      `100644 ${blob} 0\tgood.md`,
      `${lines(10)}120000 ${blob} 0\tlink.md`,
      `${lines(11)}100644 ${blob} 2\tconflict.md`,
      `${lines(12)}100644 ${blob} 0\tgarbled.md`,
      `  ctime: x\n  mtime\n\n\n\n100755 ${blob} 0\tafter-garbage.md`,
      `${lines(13)}100644 ${blob} 0\tskip.md`,
      `${lines(14, '40000000')}`,
    ].join('\0');
    const stamps = parseIndexStamps(output, '');
    assert.deepEqual([...stamps.keys()], ['good.md', 'after-garbage.md']);
    assert.equal(stamps.get('good.md')!.size, 10n);
    assert.equal(stamps.get('after-garbage.md')!.executable, true);
    assert.deepEqual(parseIndexStamps('\0\0garbage\0', ''), new Map());
  });

  test('the history read finds the same fold and the same files unchanged since HEAD with git index or without', async () => {
    const repo = baseRepo('stamps-read');
    repo.write('prds/other.md', PRD.replaceAll('PRD-1', 'PRD-2').replaceAll('REQ-1.', 'REQ-2.'));
    repo.commit('Another PRD', '2026-09-02');
    edit(repo, 'strategy.md', '### OUT-2: Payers pay with the method they already use', '### OUT-2: Payers pay with any card or wallet');
    repo.commit('Sharpen OUT-2', '2026-09-03');
    // Edited and not staged; and touched (new times, same bytes): only the bytes can tell.
    edit(repo, 'prds/guest-checkout.md', 'Traces: OUT-2', 'Traces: OUT-1');
    const later = new Date(Date.now() + 1000);
    utimesSync(repo.path('prds/other.md'), later, later);
    const ids = ['OBJ-1', 'OUT-1', 'OUT-2', 'PRD-1', 'REQ-1.1', 'REQ-1.2', 'PRD-2', 'REQ-2.1'];
    const readHistory = async () => {
      const { service } = await openWorkspace(repo.root, undefined, () => undefined);
      const read = await readFolderHistory(repo.root, service.newHistoryFold(), service);
      assert.ok(read.fold, read.note);
      const { fold, unchangedSinceHead } = read as FolderHistory;
      return {
        unchanged: [...unchangedSinceHead].map((uri) => path.relative(repo.root, fileURLToPath(uri))).sort(),
        // What the fold knows, worked out from disk (git's index) or from git's blobs: the same.
        items: ids.map((id) => ({ id, meaning: fold.meaning(id), change: fold.lastChange(id)?.commit?.sha, linkToOut1: fold.linkWritten(id, 'OUT-1')?.sha })),
      };
    };
    const withIndex = await readHistory();
    assert.deepEqual(withIndex.unchanged, ['prds/other.md', 'strategy.md']);
    assert.ok(withIndex.items.some((item) => item.change !== undefined));
    assert.ok(withIndex.items.some((item) => item.linkToOut1 !== undefined));
    rmSync(indexFile(repo));
    assert.deepEqual(await readHistory(), withIndex);
  });

  test('a file kept as committed is compared again with a new commit that changed it', async () => {
    const repo = baseRepo('recompare');
    const { service } = await openWorkspace(repo.root, undefined, () => undefined);
    const read = await readFolderHistory(repo.root, service.newHistoryFold(), service);
    assert.ok(read.fold, read.note);
    const history = read as FolderHistory;
    await service.setHistory(history.fold, { unchangedSinceHead: history.unchangedSinceHead });
    // A new title is staged and committed while the working file keeps the old one.
    const original = repo.read('strategy.md');
    edit(repo, 'strategy.md', '### OUT-2: Payers pay with the method they already use', '### OUT-2: Payers pay with any card or wallet');
    repo.git('add', 'strategy.md');
    repo.write('strategy.md', original);
    repo.git('-c', 'user.name=Ana', '-c', 'user.email=ana@example.test', 'commit', '-q', '--no-verify', '-m', 'Sharpen OUT-2');
    await service.fileChanged(repo.uri('strategy.md'));
    const update = await updateFolderHistory(history, undefined, service);
    assert.ok(update.files.has(repo.uri('strategy.md')));
    await service.historyAdvanced(update.changed, update.files);
    // The working file undoes the commit's change: an uncommitted change, not the commit's.
    const messages = service
      .getDiagnostics(repo.uri('prds/guest-checkout.md'))
      .filter((diagnostic) => diagnostic.code === 'suspect-link' && diagnostic.severity !== 4)
      .map((diagnostic) => diagnostic.message);
    assert.equal(messages.length, 2, messages.join('\n'));
    for (const message of messages)
      assert.match(message, /^OUT-2 changed after (PRD-1|REQ-1\.2)'s link to it was last reviewed: its title changed in edits not yet committed/);
  });
});
