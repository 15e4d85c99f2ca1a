/**
 * `throughline diff REF [folder]` on temporary git repositories with two commits: the JSON, text
 * and Markdown reports of the changes between them (and of uncommitted changes), a folder inside
 * the repository, the ref's own `.throughline.yml`, and the one-line errors.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFile, rm, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { compareWithRef } from '../../server/src/cli/commands/diff';
import { run, tempFolder, type TempFolder } from './run';

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

### OUT-2: Payers use their own wallet
Supports: KR-1.1

### OUT-3: Payers get reminders
Supports: OBJ-1
`;

const CHECKOUT = `---
type: prd
id: PRD-1
title: Guest checkout
outcomes: [OUT-1]
---
# PRD-1: Guest checkout

### REQ-1: Pay without an account
Traces: OUT-1

### REQ-2: Remember the wallet
Traces: OUT-2
`;

const REMINDERS = `---
type: prd
id: PRD-2
title: Reminders
---
### REQ-3: Send a reminder
Traces: OUT-3
`;

/** Outside the `product/` folder: seen when the whole repository is compared, not when `product/` is. */
const OTHER_STRATEGY = `---
type: strategy
id: STR-9
---
## OBJ-9: Grow abroad
`;

interface DiffJson {
  version: number;
  ref: string;
  commit: string;
  documents: { before: number; after: number };
  items: {
    added: { id: string; kind: string; title: string; status: string | null; file: string; line: number }[];
    removed: { id: string; kind: string; title: string; status: string | null; file: string; line: number }[];
    changed: { id: string; kind: string; file: string; line: number; changes: Record<string, { before: string | null; after: string | null }> }[];
  };
  links: {
    added: { from: string; context: string; to: string; resolved: boolean; file: string; line: number; column: number }[];
    removed: { from: string; context: string; to: string; resolved: boolean; file: string; line: number; column: number }[];
    retargeted: { from: string; context: string; file: string; line: number; before: string[]; after: string[] }[];
  };
  coverage: { before: Record<string, number>; after: Record<string, number> };
  progress: {
    id: string;
    title: string;
    file: string;
    line: number;
    before: number | null;
    after: number | null;
    keyResults: { id: string; title: string; before: Record<string, unknown> | null; after: Record<string, unknown> | null }[];
  }[];
}

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Replaces one exact passage of a file; fails when it is absent, so an edit cannot silently do nothing. */
async function edit(file: string, from: string, to: string): Promise<void> {
  const text = await readFile(file, 'utf8');
  assert.ok(text.includes(from), `${file} contains ${JSON.stringify(from)}`);
  await writeFile(file, text.replace(from, to));
}

/**
 * A repository with two commits. The first holds the fixtures above (and a PRD with NUL bytes,
 * which is skipped); the second retargets REQ-2 from OUT-2 to OUT-1, removes OUT-2, adds REQ-4,
 * moves KR-1.1's Current from 45% to 55%, deletes the binary file and adds OUT-9 outside `product/`.
 */
async function twoCommitRepository(): Promise<TempFolder> {
  const repository = await tempFolder(undefined, 'diff');
  const root = repository.root;
  git(root, 'init', '-q');
  git(root, 'config', 'user.name', 'Diff Test');
  git(root, 'config', 'user.email', 'diff@example.test');
  git(root, 'config', 'commit.gpgsign', 'false');
  await repository.write('README.md', '# Not a strategy document\n');
  await repository.write('product/strategy.md', STRATEGY);
  await repository.write('product/prds/checkout.md', CHECKOUT);
  await repository.write('product/prds/reminders.md', REMINDERS);
  await repository.write('product/prds/binary.md', '---\ntype: prd\nid: PRD-8\n---\n\u0000\u0001');
  await repository.write('other/strategy.md', OTHER_STRATEGY);
  git(root, 'add', '-A');
  git(root, 'commit', '-q', '-m', 'Strategy and two PRDs');

  await edit(repository.path('product/prds/checkout.md'), 'Traces: OUT-2', 'Traces: OUT-1');
  await edit(repository.path('product/strategy.md'), '### OUT-2: Payers use their own wallet\nSupports: KR-1.1\n\n', '');
  await edit(repository.path('product/strategy.md'), 'Current: 45%', 'Current: 55%');
  await edit(repository.path('product/prds/reminders.md'), 'Traces: OUT-3\n', 'Traces: OUT-3\n\n### REQ-4: Snooze a reminder\nTraces: OUT-3\n');
  await rm(repository.path('product/prds/binary.md'));
  await edit(
    repository.path('other/strategy.md'),
    '## OBJ-9: Grow abroad\n',
    '## OBJ-9: Grow abroad\n\n### OUT-9: Payers abroad pay in their currency\nSupports: OBJ-9\n',
  );
  git(root, 'add', '-A');
  git(root, 'commit', '-q', '-m', 'Retarget, remove, add, measure');
  return repository;
}

function parseJson(stdout: string): DiffJson {
  assert.equal(stdout.trimEnd().split('\n').length, 1, 'one line of JSON');
  return JSON.parse(stdout) as DiffJson;
}

/** The one line a usage error prints, with nothing on stdout. */
function assertOneLineError(result: { code: number | null; stdout: string; stderr: string }, pattern: RegExp): void {
  assert.equal(result.code, 2, result.stderr);
  assert.equal(result.stdout, '');
  const lines = result.stderr.trimEnd().split('\n');
  assert.equal(lines.length, 1, `one line on stderr, got: ${result.stderr}`);
  assert.match(lines[0]!, /^throughline: /);
  assert.match(lines[0]!, pattern);
  assert.doesNotMatch(result.stderr, /\n\s+at /, 'no stack trace');
}

describe('diff HEAD~1 on a repository with two commits', () => {
  let repository: TempFolder;
  before(async () => {
    repository = await twoCommitRepository();
  });
  after(() => repository.dispose());

  test('json: exactly the items and links added, removed and retargeted, coverage and progress before and after', async () => {
    const result = await run(['diff', 'HEAD~1', repository.root, '--format', 'json']);
    assert.equal(result.code, 0, result.stderr);
    // The PRD with NUL bytes is skipped at the old commit, as `check` skips such a file on disk.
    assert.equal(
      result.stderr,
      'throughline: Skipped product/prds/binary.md: binary file (contains NUL bytes), not read. If it is UTF-16 or UTF-32 text, save it with a byte-order mark, or as UTF-8 (at HEAD~1)\n',
    );
    const report = parseJson(result.stdout);
    assert.equal(report.version, 1);
    assert.equal(report.ref, 'HEAD~1');
    assert.equal(report.commit, git(repository.root, 'rev-parse', 'HEAD~1').trim());
    assert.deepEqual(report.documents, { before: 4, after: 4 });
    assert.deepEqual(report.items.added, [
      { id: 'OUT-9', kind: 'outcome', title: 'Payers abroad pay in their currency', status: null, file: 'other/strategy.md', line: 7 },
      { id: 'REQ-4', kind: 'requirement', title: 'Snooze a reminder', status: null, file: 'product/prds/reminders.md', line: 9 },
    ]);
    assert.deepEqual(report.items.removed, [
      { id: 'OUT-2', kind: 'outcome', title: 'Payers use their own wallet', status: null, file: 'product/strategy.md', line: 19 },
    ]);
    assert.deepEqual(report.items.changed, []);
    assert.deepEqual(report.links.added, [
      { from: 'OUT-9', context: 'supports', to: 'OBJ-9', resolved: true, file: 'other/strategy.md', line: 8, column: 11 },
      { from: 'REQ-4', context: 'traces', to: 'OUT-3', resolved: true, file: 'product/prds/reminders.md', line: 10, column: 9 },
    ]);
    assert.deepEqual(report.links.removed, [
      { from: 'OUT-2', context: 'supports', to: 'KR-1.1', resolved: true, file: 'product/strategy.md', line: 20, column: 11 },
    ]);
    assert.deepEqual(report.links.retargeted, [
      { from: 'REQ-2', context: 'traces', file: 'product/prds/checkout.md', line: 13, before: ['OUT-2'], after: ['OUT-1'] },
    ]);
    assert.deepEqual(report.coverage, {
      before: { requirements: 3, tracedRequirements: 3, outcomes: 3, deliveredOutcomes: 3, objectives: 2, objectivesWithOutcomes: 1 },
      after: { requirements: 4, tracedRequirements: 4, outcomes: 3, deliveredOutcomes: 2, objectives: 2, objectivesWithOutcomes: 2 },
    });
    // KR-1.1: (45 − 40) / (60 − 40) = 25% before, (55 − 40) / 20 = 75% after; OBJ-9 has no key result and is not listed.
    assert.deepEqual(report.progress, [
      {
        id: 'OBJ-1',
        title: 'Make paying effortless',
        file: 'product/strategy.md',
        line: 8,
        before: 0.25,
        after: 0.75,
        keyResults: [
          {
            id: 'KR-1.1',
            title: 'Invoice conversion',
            before: { baseline: '40%', target: '60%', current: '45%', progress: 0.25 },
            after: { baseline: '40%', target: '60%', current: '55%', progress: 0.75 },
          },
        ],
      },
    ]);
  });

  test('text: grouped sections with +, - and ~ lines, coverage and progress before → after', async () => {
    const result = await run(['diff', 'HEAD~1', repository.root]);
    assert.equal(result.code, 0, result.stderr);
    const lines = result.stdout.split('\n');
    const short = git(repository.root, 'rev-parse', '--short=7', 'HEAD~1').trim();
    assert.equal(lines[0], `Alignment at HEAD~1 (${short}) → working tree`);
    for (const expected of [
      'Items',
      '  + OUT-9  outcome  Payers abroad pay in their currency  (other/strategy.md)',
      '  + REQ-4  requirement  Snooze a reminder  (product/prds/reminders.md)',
      '  - OUT-2  outcome  Payers use their own wallet  (product/strategy.md)',
      'Links',
      '  + REQ-4 Traces: OUT-3  (product/prds/reminders.md)',
      '  - OUT-2 Supports: KR-1.1  (product/strategy.md)',
      '  ~ REQ-2 Traces: OUT-2 → OUT-1  (product/prds/checkout.md)',
      'Coverage',
      '  requirements traced       3/3 (100%) → 4/4 (100%)',
      '  outcomes delivered        3/3 (100%) → 2/3 (67%)',
      '  objectives with outcomes  1/2 (50%) → 2/2 (100%)',
      'Progress',
      '  OBJ-1 25% → 75%  Make paying effortless',
      '    KR-1.1 25% → 75%  Current: 45% → 55%',
    ]) {
      assert.ok(lines.includes(expected), `text has the line ${JSON.stringify(expected)}:\n${result.stdout}`);
    }
    assert.ok(
      lines.indexOf('Items') < lines.indexOf('Links') &&
        lines.indexOf('Links') < lines.indexOf('Coverage') &&
        lines.indexOf('Coverage') < lines.indexOf('Progress'),
      'sections in order',
    );
    assert.equal(lines.at(-2), '2 items added, 1 item removed, 2 links added, 1 link removed, 1 link retargeted, progress of 1 objective changed.');
  });

  test('md: a heading, a coverage table and tables of items, links and progress', async () => {
    const result = await run(['diff', 'HEAD~1', repository.root, '--format=md']);
    assert.equal(result.code, 0, result.stderr);
    const lines = result.stdout.split('\n');
    assert.match(lines[0]!, /^### Throughline: alignment changes since `HEAD~1` \(`[0-9a-f]{7}`\)$/);
    for (const expected of [
      '| Coverage | Before | After |',
      '| Requirements traced | 3/3 (100%) | 4/4 (100%) |',
      '| Objectives with outcomes | 1/2 (50%) | 2/2 (100%) |',
      '| + | `REQ-4` | requirement | Snooze a reminder | `product/prds/reminders.md` |  |',
      '| − | `OUT-2` | outcome | Payers use their own wallet | `product/strategy.md` |  |',
      '| + | `REQ-4` | `Traces:` | `OUT-3` | `product/prds/reminders.md` |',
      '| − | `OUT-2` | `Supports:` | `KR-1.1` | `product/strategy.md` |',
      '| ~ | `REQ-2` | `Traces:` | ~~`OUT-2`~~ → `OUT-1` | `product/prds/checkout.md` |',
      '| `OBJ-1` Make paying effortless | 25% | 75% |  |',
      '| ↳ `KR-1.1` Invoice conversion | 25% | 75% | Current: 45% → 55% |',
    ]) {
      assert.ok(lines.includes(expected), `Markdown has the line ${JSON.stringify(expected)}:\n${result.stdout}`);
    }
  });

  test('a folder inside the repository compares only that folder, with paths relative to it', async () => {
    const result = await run(['diff', 'HEAD~1', repository.path('product'), '--format', 'json']);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(
      result.stderr,
      'throughline: Skipped prds/binary.md: binary file (contains NUL bytes), not read. If it is UTF-16 or UTF-32 text, save it with a byte-order mark, or as UTF-8 (at HEAD~1)\n',
    );
    const report = parseJson(result.stdout);
    assert.deepEqual(report.documents, { before: 3, after: 3 });
    assert.deepEqual(
      report.items.added.map((item) => [item.id, item.file]),
      [['REQ-4', 'prds/reminders.md']],
    );
    assert.deepEqual(
      report.items.removed.map((item) => [item.id, item.file]),
      [['OUT-2', 'strategy.md']],
    );
    assert.deepEqual(
      report.links.added.map((link) => [link.from, link.to, link.file]),
      [['REQ-4', 'OUT-3', 'prds/reminders.md']],
    );
    assert.deepEqual(
      report.links.retargeted.map((link) => [link.from, link.before, link.after, link.file]),
      [['REQ-2', ['OUT-2'], ['OUT-1'], 'prds/checkout.md']],
    );
    assert.equal(report.coverage.before['objectives'], 1);
  });

  test('run from inside the folder without a folder argument, the folder is the current one', async () => {
    const result = await run(['diff', 'HEAD~1', '--format', 'json'], { cwd: repository.path('product/prds') });
    assert.equal(result.code, 0, result.stderr);
    const report = parseJson(result.stdout);
    // Only the PRDs: REQ-4 is new; OUT-2 lived in the strategy, outside this folder.
    assert.deepEqual(
      report.items.added.map((item) => [item.id, item.file]),
      [['REQ-4', 'reminders.md']],
    );
    assert.deepEqual(report.items.removed, []);
    assert.deepEqual(
      report.links.retargeted.map((link) => [link.from, link.before, link.after]),
      [['REQ-2', ['OUT-2'], ['OUT-1']]],
    );
  });

  test('taking the index of the working tree back to the ref gives what indexing the ref afresh gives', async () => {
    // In-process: the CLI always takes the faster route when the configuration is the same on both sides.
    for (const folder of [repository.root, repository.path('product')]) {
      const ignored = () => undefined;
      const updated = await compareWithRef({ ref: 'HEAD~1', folder }, ignored);
      const fresh = await compareWithRef({ ref: 'HEAD~1', folder }, ignored, { fresh: true });
      assert.equal(updated.indexedRefAfresh, false);
      assert.equal(fresh.indexedRefAfresh, true);
      assert.ok(updated.diff.items.added.length > 0, 'there is something to compare');
      assert.deepEqual(updated.diff, fresh.diff);
    }
  });

  test('diff HEAD against a clean working tree reports no change', async () => {
    const result = await run(['diff', 'HEAD', repository.root, '--format', 'json']);
    assert.equal(result.code, 0, result.stderr);
    const report = parseJson(result.stdout);
    assert.deepEqual(report.items, { added: [], removed: [], changed: [] });
    assert.deepEqual(report.links, { added: [], removed: [], retargeted: [] });
    assert.deepEqual(report.progress, []);
    assert.deepEqual(report.coverage.before, report.coverage.after);
    const text = await run(['diff', 'HEAD', repository.root]);
    assert.equal(text.stdout.trimEnd().split('\n').at(-1), 'No items, links or progress changed.');
  });
});

describe('diff REF on a branch whose REF moved on: the merge base is compared, as git diff REF... does', () => {
  let repository: TempFolder;
  let main: string;
  before(async () => {
    repository = await twoCommitRepository();
    // The branch leaves main at its first commit and retitles OUT-3; main's second commit came after.
    main = git(repository.root, 'rev-parse', '--abbrev-ref', 'HEAD').trim();
    git(repository.root, 'checkout', '-q', '-b', 'feat', 'HEAD~1');
    await edit(repository.path('product/strategy.md'), '### OUT-3: Payers get reminders', '### OUT-3: Payers get reminders they act on');
    git(repository.root, 'commit', '-q', '-am', 'Sharpen OUT-3');
  });
  after(() => repository.dispose());

  test("only the branch's change, not main's newer commits undone; the header and JSON say the merge base", async () => {
    const result = await run(['diff', main, repository.root, '--format', 'json']);
    assert.equal(result.code, 0, result.stderr);
    const report = parseJson(result.stdout) as DiffJson & { mergeBase: boolean; commit: string };
    assert.equal(report.mergeBase, true);
    assert.equal(report.commit, git(repository.root, 'rev-parse', 'HEAD~1').trim());
    assert.deepEqual(
      report.items.changed.map((change) => change.id),
      ['OUT-3'],
    );
    assert.deepEqual([report.items.added, report.items.removed, report.links.retargeted], [[], [], []]);
    const text = await run(['diff', main, repository.root]);
    assert.match(text.stdout.split('\n')[0]!, new RegExp(`^Alignment at the merge base of ${main} and HEAD \\([0-9a-f]{7}\\) → working tree$`));
  });

  test('near miss: a REF on the branch itself is compared as it is', async () => {
    const report = parseJson((await run(['diff', 'HEAD~1', repository.root, '--format', 'json'])).stdout) as DiffJson & { mergeBase: boolean };
    assert.equal(report.mergeBase, false);
    assert.match((await run(['diff', 'HEAD~1', repository.root])).stdout.split('\n')[0]!, /^Alignment at HEAD~1 \([0-9a-f]{7}\) → working tree$/);
  });
});

describe('diff HEAD with uncommitted changes', () => {
  let repository: TempFolder;
  before(async () => {
    repository = await twoCommitRepository();
    // Not committed: a renamed PRD title, and a new file git does not track yet.
    await edit(repository.path('product/prds/checkout.md'), 'title: Guest checkout', 'title: Checkout without an account');
    await repository.write(
      'product/prds/export.md',
      '---\ntype: prd\nid: PRD-3\ntitle: Export\noutcomes: [OUT-1]\n---\n### REQ-5: Export receipts\nTraces: OUT-1\n',
    );
  });
  after(() => repository.dispose());

  test('the working tree, tracked or not, is compared with the commit', async () => {
    const result = await run(['diff', 'HEAD', repository.root, '--format', 'json']);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stderr, '');
    const report = parseJson(result.stdout);
    assert.deepEqual(
      report.items.added.map((item) => [item.id, item.file]),
      [
        ['PRD-3', 'product/prds/export.md'],
        ['REQ-5', 'product/prds/export.md'],
      ],
    );
    assert.deepEqual(report.items.removed, []);
    assert.deepEqual(report.items.changed, [
      {
        id: 'PRD-1',
        kind: 'prd',
        file: 'product/prds/checkout.md',
        line: 3,
        changes: { title: { before: 'Guest checkout', after: 'Checkout without an account' } },
      },
    ]);
    assert.deepEqual(
      report.links.added.map((link) => [link.from, link.context, link.to]),
      [
        ['PRD-3', 'frontMatterOutcomes', 'OUT-1'],
        ['REQ-5', 'traces', 'OUT-1'],
      ],
    );
    assert.deepEqual(report.links.removed, []);
    assert.deepEqual(report.links.retargeted, []);
    assert.equal(report.coverage.before['requirements'], 4);
    assert.equal(report.coverage.after['requirements'], 5);
  });
});

describe('diff reads the .throughline.yml of the ref', () => {
  let repository: TempFolder;
  before(async () => {
    repository = await tempFolder(undefined, 'diff-config');
    const root = repository.root;
    git(root, 'init', '-q');
    await repository.write('.throughline.yml', 'prefixes:\n  GOAL: objective\n');
    await repository.write('strategy.md', '---\ntype: strategy\nid: STR-1\n---\n## GOAL-1: Grow\n');
    git(root, '-c', 'user.name=Diff Test', '-c', 'user.email=diff@example.test', '-c', 'commit.gpgsign=false', 'add', '-A');
    git(root, '-c', 'user.name=Diff Test', '-c', 'user.email=diff@example.test', '-c', 'commit.gpgsign=false', 'commit', '-q', '-m', 'GOAL prefix');
    // The working tree drops the prefix: GOAL-1 is no longer an objective there.
    await rm(repository.path('.throughline.yml'));
    await repository.write('goal-prefix.yml', 'prefixes:\n  GOAL: objective\n');
  });
  after(() => repository.dispose());

  test('without --config each side uses its own .throughline.yml, so the ref is indexed afresh', async () => {
    const report = await compareWithRef({ ref: 'HEAD', folder: repository.root }, () => undefined);
    assert.equal(report.indexedRefAfresh, true);
    assert.deepEqual(
      report.diff.items.removed.map((item) => item.id),
      ['GOAL-1'],
    );
  });

  test('through the CLI too', async () => {
    const result = await run(['diff', 'HEAD', repository.root, '--format', 'json']);
    assert.equal(result.code, 0, result.stderr);
    const report = parseJson(result.stdout);
    assert.deepEqual(
      report.items.removed.map((item) => [item.id, item.kind]),
      [['GOAL-1', 'objective']],
    );
  });

  test('with --config both sides use the named file', async () => {
    const result = await run(['diff', 'HEAD', repository.root, '--format', 'json', '--config', path.join(repository.root, 'goal-prefix.yml')]);
    assert.equal(result.code, 0, result.stderr);
    const report = parseJson(result.stdout);
    assert.deepEqual(report.items, { added: [], removed: [], changed: [] });
    assert.equal(report.coverage.after['objectives'], 1);
  });
});

describe('diff errors: one line on stderr, exit code 2', () => {
  let repository: TempFolder;
  let plain: TempFolder;
  before(async () => {
    repository = await twoCommitRepository();
    plain = await tempFolder(undefined, 'diff-nogit');
    await plain.write('strategy.md', STRATEGY);
  });
  after(async () => {
    await repository.dispose();
    await plain.dispose();
  });

  test('a folder that is not inside a git repository', async () => {
    // The ceiling keeps git from finding a repository above the temp folder, whatever machine runs this.
    const result = await run(['diff', 'HEAD', plain.root], { env: { ...process.env, GIT_CEILING_DIRECTORIES: path.dirname(plain.root) } });
    assertOneLineError(result, /is not inside a git repository/);
  });

  test('a ref that names no commit', async () => {
    assertOneLineError(await run(['diff', 'no-such-branch', repository.root]), /unknown git ref no-such-branch/);
    assertOneLineError(await run(['diff', 'HEAD~5', repository.root]), /unknown git ref HEAD~5/);
  });

  test('no ref at all', async () => {
    assertOneLineError(await run(['diff'], { cwd: repository.root }), /diff needs a git ref/);
  });

  test('git missing from the PATH', async () => {
    // node is started by its absolute path, so only git is missing.
    const result = await run(['diff', 'HEAD', repository.root], { env: { ...process.env, PATH: plain.root } });
    assertOneLineError(result, /git is not installed/);
  });

  test('a folder that does not exist', async () => {
    assertOneLineError(await run(['diff', 'HEAD', repository.path('missing')]), /does not exist/);
  });
});

describe('diff --format md on a large change', () => {
  let repository: TempFolder;
  before(async () => {
    repository = await tempFolder(undefined, 'diff-large');
    git(repository.root, 'init', '-q');
    await repository.write('strategy.md', STRATEGY);
    git(repository.root, 'add', '-A');
    git(repository.root, '-c', 'user.name=Diff Test', '-c', 'user.email=diff@example.test', '-c', 'commit.gpgsign=false', 'commit', '-q', '-m', 'Strategy');
    const requirements = Array.from({ length: 60 }, (_, index) => `### REQ-${index + 1}: Requirement ${index + 1}\nTraces: OUT-1\n`).join('\n');
    await repository.write('prds/big.md', `---\ntype: prd\nid: PRD-1\n---\n${requirements}`);
  });
  after(() => repository.dispose());

  test('tables stop at 50 rows and say how many more the JSON format lists, so the comment fits a pull request', async () => {
    const result = await run(['diff', 'HEAD', repository.root, '--format', 'md']);
    assert.equal(result.code, 0, result.stderr);
    const itemRows = result.stdout.split('\n').filter((line) => line.startsWith('| + | `'));
    // 61 items (PRD-1 and 60 requirements) and 60 links: 50 rows each.
    assert.equal(itemRows.filter((line) => line.includes('| requirement |') || line.includes('| PRD |')).length, 50);
    assert.ok(result.stdout.includes('…and 11 more: `throughline diff HEAD --format json` lists them all.'), result.stdout);
    assert.ok(result.stdout.includes('…and 10 more: `throughline diff HEAD --format json` lists them all.'), result.stdout);
    const json = parseJson((await run(['diff', 'HEAD', repository.root, '--format', 'json'])).stdout);
    assert.equal(json.items.added.length, 61);
    assert.equal(json.links.added.length, 60);
  });
});
