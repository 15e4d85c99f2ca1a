/**
 * `throughline history KR-ID [folder]` on a temporary git repository whose commits are made at
 * fixed dates: the check-ins oldest first with an uncommitted value last, the forecast, JSON, an
 * unknown ID or a non-key-result (exit 2), and a folder without history (empty list, exit 0).
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { rm } from 'node:fs/promises';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { changesRepo, type ChangesRepo } from '../helpers/changesRepo';
import { run, tempFolder } from './run';

const strategy = (current: string) => `---
type: strategy
id: STR-1
title: Payments
period: 2027-H1
---
# STR-1: Payments

## OBJ-1: Make paying effortless

- KR-1.1: Invoice conversion
  Baseline: 40%
  Target: 60%
  Current: ${current}
  Confidence: medium
  Due: 2027-06-30
- KR-1.2: Time to pay
  Baseline: 38 min
  Target: 10 min
  Due: 2027-06-30
`;

/** A repository with check-ins of KR-1.1 at fixed dates (noon UTC); `checkIns` are [date, author, Current]. */
async function checkInRepository(checkIns: readonly [string, string, string][]): Promise<ChangesRepo> {
  const repo = await changesRepo('history');
  for (const [date, author, current] of checkIns) await repo.commit(date, author, `KR-1.1 check-in ${current}`, { 'strategy.md': strategy(current) });
  return repo;
}

const env = { ...process.env, THROUGHLINE_TODAY: '2027-03-01' };

describe('throughline history', () => {
  let repository: ChangesRepo;
  before(async () => {
    repository = await checkInRepository([
      ['2027-01-10', 'Ana Alves', '41%'],
      ['2027-02-01', 'Ben', '44%'],
      ['2027-02-20', 'Ana Alves', '46%'],
    ]);
    // Not committed: dated today and listed last.
    await repository.write('strategy.md', strategy('47%'));
  });
  after(() => repository.dispose());

  test('text: the check-ins oldest first, the uncommitted value last, the forecast and confidence', async () => {
    const result = await run(['history', 'KR-1.1', repository.root], { env });
    assert.equal(result.stderr, '');
    assert.equal(result.code, 0);
    const lines = result.stdout.trimEnd().split('\n');
    assert.equal(lines[0], 'KR-1.1: Invoice conversion (strategy.md)');
    assert.match(lines[1]!, /^2027-01-10  [0-9a-f]{7}      Ana Alves  41%$/);
    assert.match(lines[2]!, /^2027-02-01  [0-9a-f]{7}      Ben        44%$/);
    assert.match(lines[3]!, /^2027-02-20  [0-9a-f]{7}      Ana Alves  46%$/);
    assert.equal(lines[4], '2027-03-01  uncommitted             47%');
    assert.match(lines[5]!, /^Forecast: \d+(\.\d)?% by 2027-06-30 \(linear trend of 4 check-ins\) · grade 1\.0 · on track$/);
    assert.equal(lines[6], 'Confidence: medium');
    assert.equal(lines.length, 7);
  });

  test('json: id, check-ins with date, commit, author, value and number, and the forecast', async () => {
    const result = await run(['history', 'KR-1.1', repository.root, '--format', 'json'], { env });
    assert.equal(result.code, 0);
    const json = JSON.parse(result.stdout) as {
      id: string;
      checkIns: { date: string; commit: string | null; author: string | null; value: string; number?: number; uncommitted?: boolean }[];
      forecast?: { model: string; checkIns: number; status: string; due: string; grade: number; expectedGrade: number };
      note?: string;
    };
    assert.equal(json.id, 'KR-1.1');
    assert.deepEqual(
      json.checkIns.map(({ date, author, value, number, uncommitted }) => ({ date, author, value, number, uncommitted })),
      [
        { date: '2027-01-10', author: 'Ana Alves', value: '41%', number: 41, uncommitted: undefined },
        { date: '2027-02-01', author: 'Ben', value: '44%', number: 44, uncommitted: undefined },
        { date: '2027-02-20', author: 'Ana Alves', value: '46%', number: 46, uncommitted: undefined },
        { date: '2027-03-01', author: null, value: '47%', number: 47, uncommitted: true },
      ],
    );
    assert.match(json.checkIns[0]!.commit!, /^[0-9a-f]{40}$/);
    assert.equal(json.checkIns[3]!.commit, null);
    assert.equal(json.forecast?.model, 'linear');
    assert.equal(json.forecast?.checkIns, 4);
    assert.equal(json.forecast?.due, '2027-06-30');
    assert.equal(json.forecast?.status, 'on track');
    assert.equal(json.note, undefined);
  });

  test('a key result without check-ins says so; an unknown ID or another kind is a usage error (exit 2)', async () => {
    const none = await run(['history', 'KR-1.2', repository.root], { env });
    assert.equal(none.code, 0);
    // Pasted with a space around it, the ID is still found.
    assert.equal((await run(['history', ' KR-1.2 ', repository.root], { env })).stdout, none.stdout);
    assert.deepEqual(none.stdout.trimEnd().split('\n'), [
      'KR-1.2: Time to pay (strategy.md)',
      'No check-ins: the history has no `Current:` value for this key result.',
    ]);
    const unknown = await run(['history', 'KR-9.9', repository.root], { env });
    assert.equal(unknown.code, 2);
    assert.equal(unknown.stdout, '');
    assert.equal(unknown.stderr, `throughline: KR-9.9 is not defined in ${repository.root}; did you mean KR-1.1, KR-1.2?\n`);
    // A typo of a key result's ID is named; an objective's ID a typo away is not offered.
    const typo = await run(['history', 'kr-1.3', repository.root], { env });
    assert.equal(typo.stderr, `throughline: kr-1.3 is not defined in ${repository.root}; did you mean KR-1.1, KR-1.2?\n`);
    const far = await run(['history', 'OBJ-2', repository.root], { env });
    assert.equal(far.stderr, `throughline: OBJ-2 is not defined in ${repository.root}\n`);
    // The folder where the ID goes: said as such, not as an ID nobody defined.
    const folderFirst = await run(['history', '.'], { env, cwd: repository.root });
    assert.equal(folderFirst.code, 2);
    assert.equal(folderFirst.stderr, 'throughline: . is a folder, not a key result ID: the ID comes first, e.g. `throughline history KR-1.1 .`\n');
    const objective = await run(['history', 'OBJ-1', repository.root], { env });
    assert.equal(objective.code, 2);
    assert.equal(objective.stderr, 'throughline: OBJ-1 is an objective, not a key result: only key results have check-ins\n');
    const missing = await run(['history'], { env });
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /history needs a key result ID/);
  });

  test("the repository is the folder's own: GIT_DIR or GIT_WORK_TREE set to another repository changes nothing", async () => {
    const other = await checkInRepository([['2027-01-05', 'Zed', '12%']]);
    try {
      const own = await run(['history', 'KR-1.1', repository.root, '--format', 'json'], { env });
      const values = (result: { stdout: string }) => (JSON.parse(result.stdout) as { checkIns: { value: string }[] }).checkIns.map((checkIn) => checkIn.value);
      assert.deepEqual(values(own), ['41%', '44%', '46%', '47%']);
      for (const variables of [{ GIT_DIR: `${other.root}/.git` }, { GIT_DIR: '.git' }, { GIT_WORK_TREE: other.root, GIT_DIR: `${other.root}/.git` }]) {
        const result = await run(['history', 'KR-1.1', repository.root, '--format', 'json'], { env: { ...env, ...variables }, cwd: other.root });
        assert.equal(result.code, 0, JSON.stringify(variables));
        assert.deepEqual(values(result), values(own), JSON.stringify(variables));
      }
    } finally {
      await other.dispose();
    }
  });

  test('a file named git that cannot be run, earlier on the PATH, is passed over as a shell does', async () => {
    const stray = await tempFolder(undefined, 'history-stray-git');
    try {
      await stray.write('git', 'not a program\n');
      const result = await run(['history', 'KR-1.1', repository.root], { env: { ...env, PATH: `${stray.root}${path.delimiter}${process.env.PATH ?? ''}` } });
      assert.equal(result.stderr, '');
      assert.match(result.stdout.split('\n')[1]!, /^2027-01-10  [0-9a-f]{7}/);
    } finally {
      await stray.dispose();
    }
  });

  test('a check-in is dated when it was committed, not when it was first written (an amend, a rebase)', async () => {
    const rebased = await checkInRepository([
      ['2027-01-10', 'Ana Alves', '41%'],
      ['2027-02-01', 'Ben', '44%'],
    ]);
    try {
      await rebased.write('strategy.md', strategy('40%'));
      rebased.git('add', '-A');
      execFileSync('git', ['-c', 'user.name=Cy', 'commit', '-q', '-m', 'KR-1.1 check-in 40%'], {
        cwd: rebased.root,
        stdio: 'ignore',
        env: {
          ...process.env,
          GIT_CONFIG_NOSYSTEM: '1',
          GIT_CONFIG_GLOBAL: '/dev/null',
          GIT_AUTHOR_DATE: '2027-01-15T12:00:00Z',
          GIT_COMMITTER_DATE: '2027-02-25T12:00:00Z',
        },
      });
      const lines = (await run(['history', 'KR-1.1', rebased.root], { env })).stdout.split('\n');
      assert.match(lines[1]!, /^2027-01-10 .* 41%$/);
      assert.match(lines[2]!, /^2027-02-01 .* 44%$/);
      assert.match(lines[3]!, /^2027-02-25 .* Cy .* 40%$/);
    } finally {
      await rebased.dispose();
    }
  });

  test('a Markdown file over the size limit in one commit costs that file alone, not the versions read after it', async () => {
    const huge = await changesRepo('history-huge');
    try {
      // Named to sort first: git is asked for its blob before the strategy's of the same commit.
      await huge.commit('2027-01-10', 'Ana', 'check-in 41%, and a huge file', { 'aaa-huge.md': 'a'.repeat(25 * 1024 * 1024), 'strategy.md': strategy('41%') });
      await rm(huge.path('aaa-huge.md'));
      await huge.commit('2027-02-01', 'Ana', 'check-in 43%', { 'strategy.md': strategy('43%') });
      await huge.commit('2027-02-20', 'Ana', 'check-in 44%', { 'strategy.md': strategy('44%') });
      const result = await run(['history', 'KR-1.1', huge.root, '--format', 'json'], { env });
      assert.equal(result.code, 0);
      assert.deepEqual(
        (JSON.parse(result.stdout) as { checkIns: { date: string; value: string }[] }).checkIns.map((checkIn) => [checkIn.date, checkIn.value]),
        [
          ['2027-01-10', '41%'],
          ['2027-02-01', '43%'],
          ['2027-02-20', '44%'],
        ],
      );
    } finally {
      await huge.dispose();
    }
  });

  test('a partial clone, which lacks older versions, has no history and says why in one line (never a history with holes)', async () => {
    repository.git('config', 'uploadpack.allowFilter', 'true');
    const clone = await tempFolder(undefined, 'history-partial');
    try {
      execFileSync('git', ['clone', '-q', '--filter=blob:none', `file://${repository.root}`, clone.path('repo')], { stdio: 'ignore' });
      const folder = clone.path('repo');
      const text = await run(['history', 'KR-1.1', folder], { env });
      assert.equal(text.code, 0);
      const lines = text.stdout.trimEnd().split('\n');
      assert.match(
        lines[1]!,
        /^No history: git could not give \d+ versions? of the Markdown files \(.*\)\. A partial clone \(git clone --filter\) lacks older versions/,
      );
      const check = await run(['check', folder], { env });
      assert.match(check.stderr, /^throughline: No history: git could not give .* partial clone/m);
      assert.equal(check.stderr.trimEnd().split('\n').length, 1);
    } finally {
      await clone.dispose();
    }
  });

  test("a key result in a submodule, read from the superproject, points at the submodule's own history", async () => {
    const outer = await tempFolder(undefined, 'history-submodule');
    try {
      const git = (cwd: string, ...args: string[]) =>
        execFileSync('git', ['-c', 'user.name=Ana', '-c', 'user.email=ana@example.com', '-c', 'protocol.file.allow=always', ...args], {
          cwd,
          stdio: 'ignore',
          env: { ...process.env, GIT_COMMITTER_DATE: '2027-01-05T12:00:00Z', GIT_AUTHOR_DATE: '2027-01-05T12:00:00Z' },
        });
      git(outer.root, 'init', '-q');
      await outer.write('vision.md', '---\ntype: vision\nid: VIS-1\n---\n# VIS-1: Pay in one tap\n');
      await outer.write('own.md', strategy('44%').replaceAll('KR-1.', 'KR-2.').replace('STR-1', 'STR-2').replace('OBJ-1', 'OBJ-2'));
      git(outer.root, 'add', '-A');
      git(outer.root, 'commit', '-q', '-m', 'vision');
      git(outer.root, 'submodule', 'add', '-q', repository.root, 'payments');
      git(outer.root, 'commit', '-q', '-m', 'payments strategy');
      const inSubmodule = await run(['history', 'KR-1.1', outer.root], { env });
      assert.equal(inSubmodule.code, 0);
      assert.deepEqual(inSubmodule.stdout.trimEnd().split('\n'), [
        'KR-1.1: Invoice conversion (payments/strategy.md)',
        'No history here: payments/strategy.md is in another git repository, payments (a submodule or a clone inside this one); `throughline history KR-1.1 payments` reads its history.',
        'Confidence: medium',
      ]);
      // Near miss: the superproject's own key result has its check-in and no such note.
      const own = await run(['history', 'KR-2.1', outer.root], { env });
      assert.match(own.stdout, /^2027-01-05 {2}[0-9a-f]{7} {6}Ana {2}44%$/m);
      assert.doesNotMatch(own.stdout, /another git repository/);
    } finally {
      await outer.dispose();
    }
  });

  test('a folder whose path has a line break: no history, and diff refuses, each in one line saying so', async () => {
    const parent = await tempFolder(undefined, 'history-line-break');
    try {
      const folder = parent.path('line\nbreak');
      execFileSync('git', ['clone', '-q', repository.root, folder], { stdio: 'ignore' });
      const text = await run(['history', 'KR-1.1', folder], { env });
      assert.equal(text.code, 0);
      assert.equal(
        text.stdout.trimEnd().split('\n')[1],
        "No history: the folder's path has a line break, which git's answers about where the repository is cannot carry.",
      );
      const diff = await run(['diff', 'HEAD~1', folder], { env });
      assert.equal(diff.code, 2);
      assert.match(diff.stderr, /^throughline: git cannot be asked about .*: the folder's path has a line break/);
      assert.equal(diff.stderr.trimEnd().split('\n').length, 1);
    } finally {
      await parent.dispose();
    }
  });

  test('an orphan branch with no commit yet, in a repository that has commits: says so, not that the repository has none', async () => {
    const orphan = await checkInRepository([['2027-01-10', 'Ana Alves', '41%']]);
    try {
      orphan.git('checkout', '-q', '--orphan', 'fresh');
      const result = await run(['history', 'KR-1.1', orphan.root], { env });
      assert.equal(result.code, 0);
      assert.equal(result.stdout.trimEnd().split('\n')[1], 'No history: HEAD has no commit yet (a new repository, or a new orphan branch).');
    } finally {
      await orphan.dispose();
    }
  });

  test('a folder outside any repository: an empty list and one line saying why, exit 0', async () => {
    const plain = await tempFolder(undefined, 'history-plain');
    try {
      await plain.write('strategy.md', strategy('46%'));
      const text = await run(['history', 'KR-1.1', plain.root], { env });
      assert.equal(text.code, 0);
      const lines = text.stdout.trimEnd().split('\n');
      assert.equal(lines[0], 'KR-1.1: Invoice conversion (strategy.md)');
      assert.match(lines[1]!, /^No history: /);
      const json = JSON.parse((await run(['history', 'KR-1.1', plain.root, '--format', 'json'], { env })).stdout) as { checkIns: unknown[]; note?: string };
      assert.deepEqual(json.checkIns, []);
      assert.match(json.note!, /^No history: /);
    } finally {
      await plain.dispose();
    }
  });
});
