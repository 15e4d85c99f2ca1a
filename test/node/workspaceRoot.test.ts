/**
 * Issue 11, item 3: which folder is the strategy workspace, on real temporary folders. Each test
 * passes the temporary folder as `home`, so nothing above it is ever looked at: the answers do not
 * depend on what else is on the machine, and the home boundary itself is under test.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, test } from 'node:test';
import { chooseWorkspaceRoots, findStrategyRoot, startsAsStrategyDocument, type RootSearchOptions } from '../../server/src/node/workspaceRoot';

const windows = process.platform === 'win32';
const temporary = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'throughline-root-')));
after(() => rmSync(temporary, { recursive: true, force: true }));

let counter = 0;
/** A fresh folder below the temporary "home", and the options that make it the home. */
function sandbox(): { home: string; at: (relative: string) => string; write: (relative: string, text?: string) => string; options: RootSearchOptions } {
  const home = path.join(temporary, `home${++counter}`);
  mkdirSync(home, { recursive: true });
  const at = (relative: string) => path.join(home, ...relative.split('/'));
  const write = (relative: string, text = '') => {
    const file = at(relative);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, text);
    return file;
  };
  return { home, at, write, options: { home } };
}

const PRD = '---\ntype: prd\nid: PRD-1\ntitle: Guest checkout\n---\n# PRD-1: Guest checkout\n';
const VISION = "---\ntitle: Everyone gets paid\ntype: 'vision' # the north star\n---\n# VIS-1: Everyone gets paid\n";
const NOTE = '---\ntype: note\n---\n# Not a strategy document\n';
const BODY_ONLY = '# Notes\n\ntype: prd\n';

function mkfifo(file: string): void {
  mkdirSync(path.dirname(file), { recursive: true });
  execFileSync('mkfifo', [file]);
}

describe('findStrategyRoot: .throughline.yml', () => {
  test('the folder that holds it is the workspace', () => {
    const { at, write, options } = sandbox();
    write('acme/.throughline.yml', 'rules: {}\n');
    assert.deepEqual(findStrategyRoot(at('acme'), options), {
      root: at('acme'),
      reason: 'config',
      detail: `Throughline workspace: ${at('acme')} (it holds .throughline.yml)`,
    });
  });

  test('a folder below it, and a file below it, are lifted to it', () => {
    const { at, write, options } = sandbox();
    write('acme/.throughline.yml');
    const file = write('acme/prds/checkout.md', PRD);
    assert.deepEqual(findStrategyRoot(at('acme/prds'), options), {
      root: at('acme'),
      reason: 'config',
      detail: `Throughline workspace: ${at('acme')} (the nearest folder with .throughline.yml above ${at('acme/prds')})`,
    });
    assert.equal(findStrategyRoot(file, options).root, at('acme'));
    assert.equal(findStrategyRoot(file, options).detail, `Throughline workspace: ${at('acme')} (the nearest folder with .throughline.yml above ${file})`);
  });

  test('the nearest one wins, across a .git on the way (a submodule inside the workspace)', () => {
    const { at, write, options } = sandbox();
    write('outer/.throughline.yml');
    write('outer/inner/.throughline.yml');
    assert.equal(findStrategyRoot(at('outer/inner/prds'), options).root, at('outer/inner'));
    write('outer/teams/payments/.git', 'gitdir: ../../.git/modules/payments\n');
    assert.equal(findStrategyRoot(at('outer/teams/payments/prds'), options).root, at('outer'));
    assert.equal(findStrategyRoot(at('outer/teams/payments/prds'), options).reason, 'config');
  });

  test('a .git above it does not win: examples/acme inside a repository clone', () => {
    const { at, write, options } = sandbox();
    mkdirSync(at('clone/.git'), { recursive: true });
    write('clone/examples/acme/.throughline.yml');
    write('clone/examples/acme/prds/checkout.md', PRD);
    assert.equal(findStrategyRoot(at('clone/examples/acme'), options).reason, 'config');
    assert.equal(findStrategyRoot(at('clone/examples/acme'), options).root, at('clone/examples/acme'));
    assert.equal(findStrategyRoot(at('clone/examples/acme/prds/checkout.md'), options).root, at('clone/examples/acme'));
    // Near miss: outside acme, the repository root.
    assert.equal(findStrategyRoot(at('clone/examples'), options).root, at('clone'));
    assert.equal(findStrategyRoot(at('clone/examples'), options).reason, 'repository');
  });

  test('a .throughline.yml that is a folder does not count', () => {
    const { at, options } = sandbox();
    mkdirSync(at('acme/.throughline.yml'), { recursive: true });
    mkdirSync(at('acme/prds'), { recursive: true });
    assert.deepEqual(
      { ...findStrategyRoot(at('acme/prds'), options) },
      {
        root: at('acme/prds'),
        reason: 'given',
        detail: `Throughline workspace: ${at('acme/prds')} (as given: no .throughline.yml, repository or strategy documents at or above it)`,
      },
    );
  });

  test('a .throughline.yml that is a FIFO does not count, and does not block', { skip: windows, timeout: 10_000 }, () => {
    const { at, write, options } = sandbox();
    mkfifo(at('acme/.throughline.yml'));
    write('acme/prds/checkout.md', PRD);
    // The FIFO is next to the documents: the answer comes from them, and nothing opened the FIFO.
    assert.equal(findStrategyRoot(at('acme/prds'), options).reason, 'documents');
    assert.equal(findStrategyRoot(at('acme/prds'), options).root, at('acme/prds'));
  });

  test('a symbolic link to a regular file counts, as the configuration reader follows it; a dangling link or a loop does not', { skip: windows }, () => {
    const { at, write, options } = sandbox();
    const shared = write('shared.yml', 'rules: {}\n');
    mkdirSync(at('linked/prds'), { recursive: true });
    symlinkSync(shared, at('linked/.throughline.yml'));
    assert.equal(findStrategyRoot(at('linked/prds'), options).root, at('linked'));

    mkdirSync(at('dangling/prds'), { recursive: true });
    symlinkSync(at('nowhere.yml'), at('dangling/.throughline.yml'));
    assert.equal(findStrategyRoot(at('dangling/prds'), options).reason, 'given');

    mkdirSync(at('loop/prds'), { recursive: true });
    symlinkSync(at('loop/.throughline.yml'), at('loop/.throughline.yml'));
    assert.equal(findStrategyRoot(at('loop/prds'), options).reason, 'given');
  });
});

describe('findStrategyRoot: the repository', () => {
  test('the nearest folder with .git (a folder) when no .throughline.yml is on the way', () => {
    const { at, options } = sandbox();
    mkdirSync(at('repo/.git'), { recursive: true });
    mkdirSync(at('repo/docs/prds'), { recursive: true });
    assert.deepEqual(findStrategyRoot(at('repo/docs/prds'), options), {
      root: at('repo'),
      reason: 'repository',
      detail: `Throughline workspace: ${at('repo')} (the repository root above ${at('repo/docs/prds')}, with no .throughline.yml on the way)`,
    });
  });

  test('a .git file (a worktree or submodule) counts; a .git FIFO does not', { skip: windows, timeout: 10_000 }, () => {
    const { at, write, options } = sandbox();
    write('worktree/.git', 'gitdir: /elsewhere/.git/worktrees/w\n');
    mkdirSync(at('worktree/prds'), { recursive: true });
    assert.equal(findStrategyRoot(at('worktree/prds'), options).root, at('worktree'));
    assert.equal(findStrategyRoot(at('worktree/prds'), options).reason, 'repository');

    mkfifo(at('fifo/.git'));
    mkdirSync(at('fifo/prds'), { recursive: true });
    assert.equal(findStrategyRoot(at('fifo/prds'), options).reason, 'given');
  });

  test('a .git in the home folder (a dotfiles repository) is never the workspace', () => {
    const { home, at, write, options } = sandbox();
    mkdirSync(path.join(home, '.git'));
    write('.throughline.yml');
    mkdirSync(at('notes/prds'), { recursive: true });
    assert.equal(findStrategyRoot(at('notes/prds'), options).reason, 'given');
    assert.equal(findStrategyRoot(at('notes/prds'), options).root, at('notes/prds'));
    // A file directly in the home folder does not make it a workspace either…
    const file = write('loose.md', PRD);
    assert.equal(findStrategyRoot(file, options).reason, 'given');
    // …but a client that chose the home folder as its root gets it, with its configuration.
    assert.equal(findStrategyRoot(home, options).reason, 'config');
  });

  test('maxUp bounds the walk up', () => {
    const { at, options } = sandbox();
    mkdirSync(at('repo/.git'), { recursive: true });
    mkdirSync(at('repo/a/b/c'), { recursive: true });
    assert.equal(findStrategyRoot(at('repo/a/b/c'), { ...options, maxUp: 3 }).root, at('repo'));
    assert.equal(findStrategyRoot(at('repo/a/b/c'), { ...options, maxUp: 2 }).reason, 'given');
  });
});

describe('findStrategyRoot: strategy documents', () => {
  test('the top-most folder with strategy documents within four levels, gaps allowed', () => {
    const { at, write, options } = sandbox();
    write('strategy/vision.md', VISION);
    write('strategy/2027/readme.md', NOTE);
    write('strategy/2027/team/prds/checkout.md', PRD);
    assert.deepEqual(findStrategyRoot(at('strategy/2027/team/prds'), options), {
      root: at('strategy'),
      reason: 'documents',
      detail: `Throughline workspace: ${at('strategy')} (the top-most folder with strategy documents within 4 levels above ${at('strategy/2027/team/prds')}; no .throughline.yml or repository found)`,
    });
    // Near miss: one level too far.
    assert.equal(findStrategyRoot(at('strategy/2027/team/prds'), { ...options, maxDocumentLevels: 2 }).root, at('strategy/2027/team/prds'));
  });

  test('Markdown without strategy front-matter does not count', () => {
    const { at, write, options } = sandbox();
    write('notes/note.md', NOTE);
    write('notes/body.md', BODY_ONLY);
    write('notes/prds/checkout.md', PRD);
    assert.equal(findStrategyRoot(at('notes/prds'), options).root, at('notes/prds'));
    assert.equal(findStrategyRoot(at('notes'), options).reason, 'given');
  });

  test('a strategy document named .md that is a FIFO is not opened', { skip: windows, timeout: 10_000 }, () => {
    const { at, options } = sandbox();
    mkfifo(at('pipes/checkout.md'));
    assert.equal(findStrategyRoot(at('pipes'), options).reason, 'given');
  });

  test('at most maxFilesReadPerFolder files are read per folder, in name order', () => {
    const { at, write, options } = sandbox();
    for (let index = 0; index < 25; index++) write(`many/a${String(index).padStart(2, '0')}.md`, NOTE);
    write('many/z.md', PRD);
    assert.equal(findStrategyRoot(at('many'), options).reason, 'given');
    assert.equal(findStrategyRoot(at('many'), { ...options, maxFilesReadPerFolder: 26 }).reason, 'documents');
  });

  test('a folder with more entries than maxEntriesPerFolder is read only that far', () => {
    const { at, write, options } = sandbox();
    for (let index = 0; index < 30; index++) write(`wide/f${index}.txt`);
    write('wide/vision.md', VISION);
    assert.equal(findStrategyRoot(at('wide'), { ...options, maxEntriesPerFolder: 1000 }).reason, 'documents');
    assert.equal(findStrategyRoot(at('wide'), { ...options, maxEntriesPerFolder: 0 }).reason, 'given');
  });
});

describe('findStrategyRoot: nothing found', () => {
  test('a folder as given, a file in its folder, a missing path without throwing', () => {
    const { at, write, options } = sandbox();
    mkdirSync(at('plain'), { recursive: true });
    const file = write('plain/readme.md', NOTE);
    assert.equal(findStrategyRoot(at('plain'), options).root, at('plain'));
    assert.equal(findStrategyRoot(file, options).root, at('plain'));
    assert.deepEqual(findStrategyRoot(at('missing/folder/x.md'), options), {
      root: at('missing/folder'),
      reason: 'given',
      detail: `Throughline workspace: ${at('missing/folder')} (as given: no .throughline.yml, repository or strategy documents at or above it)`,
    });
  });

  test('an unreadable folder is as good as empty', { skip: windows || process.getuid?.() === 0 }, () => {
    const { at, write, options } = sandbox();
    write('locked/vision.md', VISION);
    execFileSync('chmod', ['000', at('locked')]);
    try {
      assert.equal(findStrategyRoot(at('locked'), options).reason, 'given');
    } finally {
      execFileSync('chmod', ['755', at('locked')]);
    }
  });
});

describe('startsAsStrategyDocument', () => {
  test('front-matter type lines, quoted, commented, after a byte-order mark and CRLF', () => {
    assert.equal(startsAsStrategyDocument(PRD), true);
    assert.equal(startsAsStrategyDocument(VISION), true);
    assert.equal(startsAsStrategyDocument('\uFEFF---\r\ntype: "strategy"\r\n---\r\n'), true);
    assert.equal(startsAsStrategyDocument('---\nid: PRD-1\ntype: prd'), true, 'the prefix may end inside the front-matter');
    assert.equal(startsAsStrategyDocument(NOTE), false);
    assert.equal(startsAsStrategyDocument(BODY_ONLY), false);
    assert.equal(startsAsStrategyDocument('---\ntitle: x\n---\ntype: prd\n'), false, 'after the front-matter');
    assert.equal(startsAsStrategyDocument('---\ntype: prds\n---\n'), false);
    assert.equal(startsAsStrategyDocument('---\n  type: prd\n---\n'), false, 'indented: a nested key');
  });
});

describe('chooseWorkspaceRoots', () => {
  test('a client folder below the workspace is lifted to it', () => {
    const { at, write, options } = sandbox();
    write('acme/.throughline.yml');
    write('acme/prds/checkout.md', PRD);
    assert.deepEqual(chooseWorkspaceRoots([at('acme/prds')], undefined, options), [
      {
        root: at('acme'),
        reason: 'config',
        detail: `Throughline workspace: ${at('acme')} (the nearest folder with .throughline.yml above ${at('acme/prds')})`,
      },
    ]);
  });

  test('no client folder: the first document decides; a document with nothing around it gives no folder', () => {
    const { at, write, options } = sandbox();
    write('acme/.throughline.yml');
    const file = write('acme/prds/checkout.md', PRD);
    assert.deepEqual(
      chooseWorkspaceRoots([], file, options).map((root) => [root.root, root.reason]),
      [[at('acme'), 'config']],
    );
    const loose = write('downloads/readme.md', NOTE);
    assert.deepEqual(chooseWorkspaceRoots([], loose, options), []);
    assert.deepEqual(chooseWorkspaceRoots([], undefined, options), []);
    // A strategy document alone in its folder is worth its folder.
    const alone = write('downloads2/checkout.md', PRD);
    assert.deepEqual(
      chooseWorkspaceRoots([], alone, options).map((root) => [root.root, root.reason]),
      [[at('downloads2'), 'documents']],
    );
  });

  test('the repository clone holding examples/acme: the only configured folder, when the clone has no strategy documents of its own', () => {
    const { at, write, options } = sandbox();
    mkdirSync(at('clone/.git/objects'), { recursive: true });
    write('clone/README.md', '# Throughline\n');
    write('clone/docs/format.md', '# Format\n');
    write('clone/node_modules/pkg/.throughline.yml');
    write('clone/examples/acme/.throughline.yml');
    write('clone/examples/acme/vision.md', VISION);
    write('clone/examples/acme/prds/checkout.md', PRD);
    assert.deepEqual(chooseWorkspaceRoots([at('clone')], undefined, options), [
      {
        root: at('clone/examples/acme'),
        reason: 'nested-config',
        detail: `Throughline workspace: ${at('clone/examples/acme')} (the only folder with .throughline.yml below ${at('clone')}, which has no strategy documents of its own)`,
      },
    ]);
    // Opening examples/acme itself: its own configuration.
    assert.deepEqual(
      chooseWorkspaceRoots([at('clone/examples/acme')], undefined, options).map((root) => [root.root, root.reason]),
      [[at('clone/examples/acme'), 'config']],
    );
  });

  test('the clone keeps its root when it has strategy documents of its own, or two configured folders', () => {
    const { at, write, options } = sandbox();
    mkdirSync(at('own/.git'), { recursive: true });
    write('own/examples/acme/.throughline.yml');
    write('own/strategy/vision.md', VISION);
    assert.deepEqual(
      chooseWorkspaceRoots([at('own')], undefined, options).map((root) => [root.root, root.reason]),
      [[at('own'), 'repository']],
    );

    mkdirSync(at('two/.git'), { recursive: true });
    write('two/examples/acme/.throughline.yml');
    write('two/examples/globex/.throughline.yml');
    assert.deepEqual(
      chooseWorkspaceRoots([at('two')], undefined, options).map((root) => [root.root, root.reason]),
      [[at('two'), 'repository']],
    );
  });

  test('a folder with its own vision inside a larger repository is kept; near miss: a folder of PRDs only is lifted to the repository', () => {
    const { at, write, options } = sandbox();
    mkdirSync(at('repo/.git'), { recursive: true });
    write('repo/.cache/bench/ws/vision.md', VISION);
    write('repo/.cache/bench/ws/prds/prd-1.md', PRD);
    assert.deepEqual(
      chooseWorkspaceRoots([at('repo/.cache/bench/ws')], undefined, options).map((root) => [root.root, root.reason]),
      [[at('repo/.cache/bench/ws'), 'given']],
    );
    write('repo/plans/vision.md', VISION);
    write('repo/plans/prds/prd-2.md', PRD);
    assert.deepEqual(
      chooseWorkspaceRoots([at('repo/plans/prds')], undefined, options).map((root) => [root.root, root.reason]),
      [[at('repo'), 'repository']],
    );
  });

  test('folders inside another chosen folder are dropped', () => {
    const { at, write, options } = sandbox();
    write('acme/.throughline.yml');
    mkdirSync(at('acme/prds'), { recursive: true });
    mkdirSync(at('other/.git'), { recursive: true });
    assert.deepEqual(
      chooseWorkspaceRoots([at('acme/prds'), at('acme'), at('other')], undefined, options).map((root) => root.root),
      [at('acme'), at('other')],
    );
  });
});
