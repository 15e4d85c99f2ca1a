/**
 * Issue 8, item 9: git runs nothing from the repository. Every repository here is generated in a
 * temp folder. The hostile one sets every git setting that names a command (fsmonitor, hooks,
 * filters, textconv, external diff, pagers, editors, credential helpers, ssh, upload-pack, gpg…) to
 * a script that writes a marker file, and its `.gitattributes` assigns the filter and diff drivers
 * to every Markdown and YAML file; `check`, `diff` and `report` must leave no marker and still
 * work. Also: lazy fetches of a partial clone, submodules, shallow clones, and the bounds and
 * allow-list of the one git helper (`runGit`).
 *
 * Runs the real CLI (`bin/throughline.js`): `npm run build` first.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { compareWithRef } from '../../server/src/cli/commands/diff';
import { uriFromPath } from '../../server/src/node/fsWorkspace';
import { firstLine, runGit, SAFE_GIT_CONFIG, safeGitArguments } from '../../server/src/node/gitRun';
import { GitWorkspace } from '../../server/src/node/gitWorkspace';
import { run, tempFolder, type TempFolder } from '../cli/run';

const TIMEOUT = { timeoutMs: 120_000 };
const windows = process.platform === 'win32';

const STRATEGY = `---
type: strategy
id: STR-1
title: Payments
---
# STR-1: Payments

## OBJ-1: Make paying effortless

- KR-1.1: Invoice conversion
  Baseline: 40%
  Target: 60%
  Current: 45%
  Due: 2027-06-30

### OUT-1: Payers pay without an account
Supports: OBJ-1
`;

const PRD = `---
type: prd
id: PRD-1
title: Guest checkout
outcomes: [OUT-1]
---
# PRD-1: Guest checkout

### REQ-1: Pay without an account
Traces: OUT-1
`;

/** Git for the tests' own set-up: never in a repository whose hostile settings are already written. */
function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'protocol.file.allow=always', ...args], {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, GIT_AUTHOR_DATE: '2026-01-01T00:00:00Z', GIT_COMMITTER_DATE: '2026-01-01T00:00:00Z' },
  });
}

function initRepository(root: string): void {
  git(root, 'init', '-q');
  git(root, 'config', 'user.name', 'Hostile Test');
  git(root, 'config', 'user.email', 'hostile@example.test');
  git(root, 'config', 'commit.gpgsign', 'false');
}

/** Every hook git knows of (githooks(5)), each one a marker script. */
const HOOKS = [
  'applypatch-msg',
  'pre-applypatch',
  'post-applypatch',
  'pre-commit',
  'pre-merge-commit',
  'prepare-commit-msg',
  'commit-msg',
  'post-commit',
  'pre-rebase',
  'post-checkout',
  'post-merge',
  'pre-push',
  'pre-receive',
  'update',
  'proc-receive',
  'post-receive',
  'post-update',
  'reference-transaction',
  'push-to-checkout',
  'pre-auto-gc',
  'post-rewrite',
  'sendemail-validate',
  'fsmonitor-watchman',
  'p4-changelist',
  'p4-prepare-changelist',
  'p4-post-changelist',
  'p4-pre-submit',
  'post-index-change',
];

/**
 * Writes `bin/<name>` under `base`: a script that records its name (and arguments) in
 * `markers/<name>`, then behaves well enough for git to carry on (filters and pagers pass their
 * input through, textconv prints its file).
 */
function markerScripts(base: string): { markers: string; script(name: string, behaviour?: 'passthrough' | 'print-file'): string } {
  const markers = path.join(base, 'markers');
  const bin = path.join(base, 'bin');
  mkdirSync(markers, { recursive: true });
  mkdirSync(bin, { recursive: true });
  return {
    markers,
    script(name, behaviour) {
      const file = path.join(bin, name);
      const tail = behaviour === 'passthrough' ? 'cat\n' : behaviour === 'print-file' ? 'cat "$1"\n' : '';
      writeFileSync(file, `#!/bin/sh\necho "$0 $*" >> '${path.join(markers, name)}'\n${tail}`);
      chmodSync(file, 0o755);
      return file;
    },
  };
}

function markersIn(folder: string): string[] {
  return readdirSync(folder).sort();
}

/** Writes settings into `.git/config` with `git config --file`, which reads no other setting and runs nothing. */
function setConfig(root: string, settings: readonly (readonly [string, string])[]): void {
  const file = path.join(root, '.git', 'config');
  for (const [key, value] of settings) execFileSync('git', ['config', '--file', file, '--add', key, value], { stdio: 'ignore' });
}

interface DiffJson {
  documents: { before: number; after: number };
  items: { added: { id: string }[]; removed: { id: string }[]; changed: { id: string }[] };
}

describe('git runs nothing from the repository', { skip: windows && 'marker scripts are POSIX shell' }, () => {
  let repository: TempFolder;
  let markers: string;
  let report: string;
  /** The settings written, for the message of a failing assertion. */
  let settings: [string, string][];

  before(async () => {
    repository = await tempFolder(undefined, 'hostile-git');
    const root = repository.root;
    const base = path.dirname(root);
    report = path.join(base, 'report.html');
    initRepository(root);
    await repository.write('product/strategy.md', STRATEGY);
    await repository.write('product/prds/checkout.md', PRD);
    await repository.write('product/.throughline.yml', 'thresholds:\n  objectivesPerStrategy: 3\n');
    // Committed while no driver is configured: the attributes name drivers only the hostile config defines.
    await repository.write('.gitattributes', '* filter=evil diff=evil merge=evil\n*.yml filter=evilprocess diff=evil\n');
    git(root, 'add', '-A');
    git(root, 'commit', '-q', '-m', 'Strategy and a PRD');
    await repository.write('product/prds/checkout.md', `${PRD}\n### REQ-2: Remember the payer\nTraces: OUT-1\n`);
    git(root, 'commit', '-q', '-am', 'REQ-2');
    // Uncommitted: REQ-3 added, and every file stat-dirty (newer than the index), so that a
    // command comparing with the working tree would have to run the clean filter to tell.
    await repository.write('product/prds/checkout.md', `${PRD}\n### REQ-2: Remember the payer\nTraces: OUT-1\n\n### REQ-3: Pay by link\nTraces: OUT-1\n`);
    const later = new Date(Date.now() + 60_000);
    for (const file of ['product/strategy.md', 'product/prds/checkout.md', 'product/.throughline.yml', '.gitattributes'])
      utimesSync(repository.path(file), later, later);

    const scripts = markerScripts(base);
    markers = scripts.markers;
    const hooks = path.join(base, 'hooks');
    mkdirSync(hooks);
    for (const hook of HOOKS) {
      const file = scripts.script(`hook-${hook}`);
      writeFileSync(path.join(hooks, hook), `#!/bin/sh\nexec '${file}' "$@"\n`, { mode: 0o755 });
      // The default hooks folder too, in case core.hooksPath were reset to it.
      writeFileSync(path.join(root, '.git', 'hooks', hook), `#!/bin/sh\nexec '${file}' "$@"\n`, { mode: 0o755 });
    }
    const upstream = path.join(base, 'upstream.git');
    execFileSync('git', ['init', '-q', '--bare', upstream]);
    settings = [
      ['core.fsmonitor', scripts.script('core.fsmonitor')],
      ['core.hooksPath', hooks],
      ['core.pager', scripts.script('core.pager', 'passthrough')],
      ...['diff', 'log', 'show', 'ls-tree', 'cat-file', 'rev-parse', 'status', 'config', 'blame'].map((command): [string, string] => [
        `pager.${command}`,
        scripts.script(`pager.${command}`, 'passthrough'),
      ]),
      ['core.editor', scripts.script('core.editor')],
      ['sequence.editor', scripts.script('sequence.editor')],
      ['core.askPass', scripts.script('core.askPass')],
      ['credential.helper', scripts.script('credential.helper')],
      ['core.sshCommand', scripts.script('core.sshCommand')],
      ['core.gitProxy', scripts.script('core.gitProxy')],
      ['core.alternateRefsCommand', scripts.script('core.alternateRefsCommand')],
      ['diff.external', scripts.script('diff.external')],
      ['diff.evil.textconv', scripts.script('diff.evil.textconv', 'print-file')],
      ['diff.evil.command', scripts.script('diff.evil.command')],
      ['filter.evil.clean', scripts.script('filter.evil.clean', 'passthrough')],
      ['filter.evil.smudge', scripts.script('filter.evil.smudge', 'passthrough')],
      ['filter.evil.required', 'true'],
      ['filter.evilprocess.process', scripts.script('filter.evilprocess.process')],
      ['filter.evilprocess.required', 'true'],
      ['merge.evil.driver', scripts.script('merge.evil.driver')],
      ['gpg.program', scripts.script('gpg.program')],
      ['gpg.ssh.program', scripts.script('gpg.ssh.program')],
      ['log.showSignature', 'true'],
      ['uploadpack.packObjectsHook', scripts.script('uploadpack.packObjectsHook')],
      ['remote.origin.url', upstream],
      ['remote.origin.uploadpack', scripts.script('remote.origin.uploadpack')],
      ['remote.origin.receivepack', scripts.script('remote.origin.receivepack')],
      ['gc.auto', '1'],
      ['core.untrackedCache', 'true'],
    ];
    setConfig(root, settings);
  });
  after(() => repository.dispose());

  test('check, diff HEAD~1, diff HEAD and report leave no marker, and still work', async () => {
    const check = await run(['check', repository.root, '--format', 'json'], { ...TIMEOUT, cwd: repository.root });
    assert.ok(check.code === 0 || check.code === 1, check.stderr);
    assert.doesNotMatch(check.stderr, /internal error/);

    const sinceParent = await run(['diff', 'HEAD~1', repository.root, '--format', 'json'], { ...TIMEOUT, cwd: repository.root });
    assert.equal(sinceParent.code, 0, sinceParent.stderr);
    assert.deepEqual(
      (JSON.parse(sinceParent.stdout) as DiffJson).items.added.map((item) => item.id),
      ['REQ-2', 'REQ-3'],
    );
    const sinceHead = await run(['diff', 'HEAD', repository.root, '--format', 'json'], { ...TIMEOUT, cwd: repository.root });
    assert.equal(sinceHead.code, 0, sinceHead.stderr);
    const sinceHeadJson = JSON.parse(sinceHead.stdout) as DiffJson;
    assert.deepEqual(
      sinceHeadJson.items.added.map((item) => item.id),
      ['REQ-3'],
    );
    assert.deepEqual(sinceHeadJson.items.removed, []);
    // A folder inside the repository, where the ref's own `.throughline.yml` applies.
    const product = await run(['diff', 'HEAD~1', repository.path('product')], { ...TIMEOUT, cwd: repository.root });
    assert.equal(product.code, 0, product.stderr);
    assert.match(product.stdout, /\+ REQ-2 /);

    const html = await run(['report', repository.root, '--out', report], { ...TIMEOUT, cwd: repository.root });
    assert.equal(html.code, 0, html.stderr);

    assert.deepEqual(markersIn(markers), [], `settings tried: ${settings.map(([key]) => key).join(', ')}`);
  });
});

describe('a partial clone fetches nothing: no transport runs from the repository', { skip: windows && 'marker scripts are POSIX shell' }, () => {
  let repository: TempFolder;
  let markers: string;

  before(async () => {
    repository = await tempFolder(undefined, 'hostile-git-promisor');
    const root = repository.root;
    const base = path.dirname(root);
    initRepository(root);
    await repository.write('strategy.md', STRATEGY);
    await repository.write('prd.md', PRD);
    git(root, 'add', '-A');
    git(root, 'commit', '-q', '-m', 'one');
    const oldBlob = git(root, 'rev-parse', 'HEAD:prd.md').trim();
    await repository.write('prd.md', `${PRD}\n### REQ-2: Remember the payer\nTraces: OUT-1\n`);
    git(root, 'commit', '-q', '-am', 'two');
    // The old PRD's blob is gone, as in a blobless clone: reading it would ask a promisor remote.
    rmSync(path.join(root, '.git', 'objects', oldBlob.slice(0, 2), oldBlob.slice(2)));

    const scripts = markerScripts(base);
    markers = scripts.markers;
    const upstream = path.join(base, 'upstream.git');
    execFileSync('git', ['init', '-q', '--bare', upstream]);
    setConfig(root, [
      ['core.repositoryformatversion', '1'],
      ['extensions.partialClone', 'origin'],
      ['remote.origin.url', `ext::${scripts.script('ext-transport')} %S`],
      ['remote.origin.promisor', 'true'],
      ['protocol.ext.allow', 'always'],
      ['remote.viassh.url', 'ssh://example.invalid/strategy.git'],
      ['remote.viassh.promisor', 'true'],
      ['core.sshCommand', scripts.script('core.sshCommand')],
      ['remote.local.url', upstream],
      ['remote.local.promisor', 'true'],
      ['remote.local.uploadpack', scripts.script('remote.local.uploadpack')],
      ['protocol.file.allow', 'always'],
      ['credential.helper', scripts.script('credential.helper')],
    ]);
    // Without Throughline's settings, git itself does run them (this proves the set-up is live).
  });
  after(() => repository.dispose());

  test('diff HEAD~1 runs no transport, ssh command or upload-pack for the missing blob', async () => {
    const result = await run(['diff', 'HEAD~1', repository.root, '--format', 'json'], { ...TIMEOUT, cwd: repository.root });
    assert.doesNotMatch(result.stderr, /internal error|\n\s+at /);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, /Skipped prd\.md: not in this clone .*fetches nothing/);
    assert.deepEqual(markersIn(markers), []);
  });
});

describe('submodules are skipped on both sides', () => {
  let repository: TempFolder;

  before(async () => {
    const library = await tempFolder(undefined, 'hostile-git-sub');
    initRepository(library.root);
    await library.write(
      'strategy.md',
      STRATEGY.replaceAll('STR-1', 'STR-7').replaceAll('OBJ-1', 'OBJ-7').replaceAll('KR-1.1', 'KR-7.1').replaceAll('OUT-1', 'OUT-7'),
    );
    git(library.root, 'add', '-A');
    git(library.root, 'commit', '-q', '-m', 'library');

    repository = await tempFolder(undefined, 'hostile-git-super');
    initRepository(repository.root);
    await repository.write('strategy.md', STRATEGY);
    await repository.write('prd.md', PRD);
    git(repository.root, 'submodule', 'add', '-q', library.root, 'vendor/library');
    git(repository.root, 'add', '-A');
    git(repository.root, 'commit', '-q', '-m', 'strategy with a submodule');
    await library.dispose();
  });
  after(() => repository.dispose());

  test('diff HEAD reports no change for a checked-out submodule', async () => {
    const result = await run(['diff', 'HEAD', repository.root, '--format', 'json'], TIMEOUT);
    assert.equal(result.code, 0, result.stderr);
    const report = JSON.parse(result.stdout) as DiffJson;
    assert.deepEqual(report.items, { added: [], removed: [], changed: [] });
    assert.deepEqual(report.documents, { before: 2, after: 2 });
  });
});

describe('a shallow clone that lacks the ref', () => {
  let base: TempFolder;
  let clone: string;

  before(async () => {
    base = await tempFolder(undefined, 'hostile-git-shallow');
    initRepository(base.root);
    await base.write('strategy.md', STRATEGY);
    git(base.root, 'add', '-A');
    git(base.root, 'commit', '-q', '-m', 'one');
    await base.write('prd.md', PRD);
    git(base.root, 'add', '-A');
    git(base.root, 'commit', '-q', '-m', 'two');
    clone = path.join(path.dirname(base.root), 'clone');
    git(path.dirname(base.root), 'clone', '-q', '--depth', '1', `file://${base.root}`, clone);
  });
  after(() => base.dispose());

  test('says that the clone is shallow, in one line, exit 2', async () => {
    const result = await run(['diff', 'HEAD~1', clone], TIMEOUT);
    assert.equal(result.code, 2, result.stderr);
    assert.equal(result.stdout, '');
    const lines = result.stderr.trimEnd().split('\n');
    assert.equal(lines.length, 1, result.stderr);
    assert.match(lines[0]!, /^throughline: unknown git ref HEAD~1: this is a shallow clone\b.*`git fetch --unshallow`/);
  });

  test('a ref that a full clone lacks too still gets the plain message', async () => {
    const result = await run(['diff', 'no-such-branch', base.root], TIMEOUT);
    assert.equal(result.code, 2, result.stderr);
    assert.match(result.stderr, /^throughline: unknown git ref no-such-branch: no commit of that name/);
    assert.doesNotMatch(result.stderr, /shallow clone/);
  });
});

describe('only regular blobs are read at the ref', { skip: windows && 'symbolic links need privileges on Windows' }, () => {
  let repository: TempFolder;

  before(async () => {
    repository = await tempFolder(undefined, 'hostile-git-links');
    initRepository(repository.root);
    await repository.write('strategy.md', STRATEGY);
    git(repository.root, 'add', '-A');
    git(repository.root, 'commit', '-q', '-m', 'one');
    // A link whose stored blob is a path: read as a document it would be one paragraph of text,
    // followed it would leave the repository. Committed, then removed from the working tree.
    execFileSync('ln', ['-s', '/etc/passwd', repository.path('passwd.md')]);
    git(repository.root, 'add', '-A');
    git(repository.root, 'commit', '-q', '-m', 'a link');
    rmSync(repository.path('passwd.md'));
  });
  after(() => repository.dispose());

  test('a committed symbolic link is neither read nor followed', async () => {
    const result = await run(['diff', 'HEAD', repository.root, '--format', 'json'], TIMEOUT);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stderr, '');
    assert.deepEqual((JSON.parse(result.stdout) as DiffJson).documents, { before: 1, after: 1 });
  });
});

describe('runGit: the one way Throughline runs git', () => {
  let repository: TempFolder;
  let blob: string;

  before(async () => {
    repository = await tempFolder(undefined, 'hostile-git-helper');
    initRepository(repository.root);
    await repository.write('big.md', 'x'.repeat(100_000));
    git(repository.root, 'add', '-A');
    git(repository.root, 'commit', '-q', '-m', 'one');
    blob = git(repository.root, 'rev-parse', 'HEAD:big.md').trim();
  });
  after(() => repository.dispose());

  test('passes the overrides on every call', async () => {
    const keys = SAFE_GIT_CONFIG.map((setting) => setting.slice(0, setting.indexOf('=')));
    for (const key of ['core.fsmonitor', 'core.hooksPath', 'core.pager', 'credential.helper', 'protocol.allow', 'log.showSignature'])
      assert.ok(keys.includes(key), key);
    // The commands that can diff never run an external diff or textconv; log never runs gpg.
    for (const command of ['log', 'diff-tree']) {
      const args = safeGitArguments([command, 'HEAD']);
      assert.ok(args.includes('--no-ext-diff') && args.includes('--no-textconv'), args.join(' '));
      assert.ok(args.indexOf('--no-ext-diff') > args.indexOf(command), 'after the command');
    }
    assert.ok(safeGitArguments(['log']).includes('--no-show-signature'));
    assert.equal(safeGitArguments(['ls-tree', 'HEAD'])[0], '--no-pager');
    // core.hooksPath as git sees it: the override, not the repository's own hooks folder.
    const result = await runGit(['rev-parse', '--git-path', 'hooks'], repository.root);
    assert.equal(result.stdout.toString('utf8').trim(), '/dev/null');
  });

  test("names the cause from git's messages: the fatal or error line, not a warning before it", () => {
    assert.equal(firstLine('warning: lazy fetching disabled; some objects may not be available\nfatal: bad revision HEAD~2\n'), 'bad revision HEAD~2');
    assert.equal(firstLine('\nwarning: one\nerror: could not fetch abc from promisor remote\n'), 'error: could not fetch abc from promisor remote');
    // Near miss: with no fatal or error line, the first line is the message.
    assert.equal(firstLine('\n  something odd\nmore\n'), 'something odd');
  });

  test('bounds what it reads from git', async () => {
    const whole = await runGit(['cat-file', 'blob', blob], repository.root);
    assert.equal(whole.stdout.length, 100_000);
    await assert.rejects(runGit(['cat-file', 'blob', blob], repository.root, { maxBytes: 1_000 }), /more than 1000 bytes/);
  });

  test('refuses commands and options that run filters, textconv or external diffs, or write', async () => {
    for (const args of [
      ['status'],
      ['blame', 'big.md'],
      ['diff', 'HEAD'],
      ['add', '-A'],
      ['update-index', '--refresh'],
      ['ls-files', '-m'],
      ['ls-files', '--others'],
      ['cat-file', '--filters', `HEAD:big.md`],
      ['cat-file', '--textconv', `HEAD:big.md`],
      ['cat-file', '--batch', '--filters'],
      ['log', '--ext-diff', '-p'],
      ['log', '--textconv', '-p'],
      ['-c', 'core.fsmonitor=true', 'ls-tree', 'HEAD'],
    ]) {
      await assert.rejects(runGit(args, repository.root), /not run/, args.join(' '));
    }
  });
});

describe('which working-tree files differ from the ref, told without git', () => {
  let repository: TempFolder;

  before(async () => {
    repository = await tempFolder(undefined, 'hostile-git-changed');
    initRepository(repository.root);
    for (const name of ['same', 'edited', 'staged', 'deleted', 'crlf', 'link', 'fifo', 'folder'])
      await repository.write(`docs/${name}.md`, `# ${name}\n\nline one\nline two\n`);
    await repository.write('docs/.throughline.yml', 'thresholds:\n  objectivesPerStrategy: 3\n');
    git(repository.root, 'add', '-A');
    git(repository.root, 'commit', '-q', '-m', 'one');
    await repository.write('docs/edited.md', '# edited\n\nline one\nline 2!\n');
    rmSync(repository.path('docs/deleted.md'));
    await repository.write('docs/crlf.md', '# crlf\r\n\r\nline one\r\nline two\r\n');
    await repository.write('docs/new.md', '# new\n');
    // Staged: the index's file stamps match, but its blob is not the ref's.
    await repository.write('docs/staged.md', '# staged\n\nline one\nline 2!\n');
    git(repository.root, 'add', 'docs/staged.md');
    if (!windows) {
      rmSync(repository.path('docs/link.md'));
      execFileSync('ln', ['-s', 'same.md', repository.path('docs/link.md')]);
      rmSync(repository.path('docs/fifo.md'));
      execFileSync('mkfifo', [repository.path('docs/fifo.md')]);
    }
    rmSync(repository.path('docs/folder.md'));
    mkdirSync(repository.path('docs/folder.md'));
  });
  after(() => repository.dispose());

  test('edited, staged, deleted and no-longer-regular files; not CRLF line endings, untracked files or the same bytes; a FIFO is not opened', async () => {
    for (const folder of [repository.root, repository.path('docs')]) {
      const workspace = await GitWorkspace.open(folder, 'HEAD');
      const changed = await workspace.changedInWorkingTree();
      assert.ok(changed);
      const expected = ['deleted', 'edited', 'folder', 'staged', ...(windows ? [] : ['fifo', 'link'])].map((name) =>
        uriFromPath(repository.path(`docs/${name}.md`)),
      );
      assert.deepEqual([...changed].sort(), expected.sort());
    }
  });

  test('a diff that re-reads only these files at the ref gives what indexing the ref afresh gives (CRLF included)', async () => {
    const crlf = await tempFolder(undefined, 'hostile-git-crlf');
    try {
      initRepository(crlf.root);
      await crlf.write('strategy.md', STRATEGY);
      await crlf.write('prd.md', PRD);
      git(crlf.root, 'add', '-A');
      git(crlf.root, 'commit', '-q', '-m', 'one');
      await crlf.write('strategy.md', STRATEGY.replaceAll('\n', '\r\n'));
      await crlf.write('prd.md', `${PRD}\r\n### REQ-2: Remember the payer\r\nTraces: OUT-1\r\n`.replaceAll('\n', '\r\n').replaceAll('\r\r', '\r'));
      const ignored = () => undefined;
      const updated = await compareWithRef({ ref: 'HEAD', folder: crlf.root }, ignored);
      const fresh = await compareWithRef({ ref: 'HEAD', folder: crlf.root }, ignored, { fresh: true });
      assert.equal(updated.indexedRefAfresh, false);
      assert.deepEqual(
        updated.diff.items.added.map((item) => item.id),
        ['REQ-2'],
      );
      assert.deepEqual(updated.diff, fresh.diff);
    } finally {
      await crlf.dispose();
    }
  });

  test('a file that holds another repository is left out of the working tree side', async () => {
    await repository.write('docs/nested/inner/x.md', '# x\n');
    await repository.write('docs/nested/.git', 'gitdir: ../../.git/modules/nested\n');
    await repository.write('docs/plain/y.md', '# y\n');
    const workspace = await GitWorkspace.open(repository.root, 'HEAD');
    const uris = ['docs/same.md', 'docs/nested/inner/x.md', 'docs/plain/y.md'].map((relative) => uriFromPath(repository.path(relative)));
    assert.deepEqual(await workspace.withoutNestedRepositories(uris), [uris[0], uris[2]]);
  });
});
