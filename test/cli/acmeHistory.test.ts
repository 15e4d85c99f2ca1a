/**
 * The README's walk-through of suspect links, run as written: `examples/acme/make-history.mjs`
 * builds the example with half a year of commits, and `throughline check` on it prints the line
 * the README quotes. Then what a user does next: confirm one link in a commit, edit an outcome
 * without committing, and skip the history.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { mkdtemp } from 'node:fs/promises';
import { DIAGNOSTIC_LINE, REPO_ROOT, run } from './run';

const SCRIPT = path.join(REPO_ROOT, 'examples', 'acme', 'make-history.mjs');

/** The diagnostic line the README quotes under `$ npx throughline check /tmp/acme-history`. */
function readmeQuotedLine(): string {
  const readme = readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
  const start = readme.indexOf('$ npx throughline check /tmp/acme-history\n');
  assert.ok(start !== -1, 'the README walks through check on /tmp/acme-history');
  const block = readme.slice(start, readme.indexOf('```', start)).split('\n');
  const quoted = block.find((line) => DIAGNOSTIC_LINE.test(line));
  assert.ok(quoted, 'the README quotes a diagnostic line');
  return quoted;
}

function suspects(stdout: string): string[] {
  return stdout.split('\n').filter((line) => line.endsWith('[suspect-link]'));
}

function git(cwd: string, args: string[], date: string): void {
  execFileSync('git', ['-c', 'core.hooksPath=/dev/null', '-c', 'commit.gpgSign=false', ...args], {
    cwd,
    stdio: 'ignore',
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: 'Ines Alves',
      GIT_AUTHOR_EMAIL: 'ines@acme.test',
      GIT_COMMITTER_NAME: 'Ines Alves',
      GIT_COMMITTER_EMAIL: 'ines@acme.test',
      GIT_AUTHOR_DATE: date,
      GIT_COMMITTER_DATE: date,
    },
  });
}

describe('the README walk-through of suspect links on examples/acme with history', () => {
  let parent: string;
  let repo: string;

  before(async () => {
    parent = await mkdtemp(path.join(os.tmpdir(), 'throughline-acme-history-'));
    repo = path.join(parent, 'acme-history');
    execFileSync(process.execPath, [SCRIPT, repo], { stdio: 'ignore' });
  });
  after(async () => {
    await rm(parent, { recursive: true, force: true });
  });

  test('check prints the line the README quotes, and only the links to the outcome that changed are suspect', async () => {
    const result = await run(['check', repo]);
    assert.equal(result.code, 1, result.stderr);
    const lines = suspects(result.stdout);
    assert.ok(lines.includes(readmeQuotedLine()), `${readmeQuotedLine()}\nnot in:\n${lines.join('\n')}`);
    // OUT-2 changed; its neighbour OUT-1 in the same file, and the key results checked in four times, did not.
    assert.deepEqual(
      lines.map((line) => DIAGNOSTIC_LINE.exec(line)!.groups!['message']!.split(' ')[0]),
      ['OUT-2', 'OUT-2', 'OUT-2'],
    );
    assert.deepEqual(
      lines.map((line) => line.split('  ')[0]),
      ['prds/guest-checkout.md:8:19', 'prds/guest-checkout.md:31:16', 'prds/guest-checkout.md:35:9'],
    );
  });

  test('a committed review record clears that link only; a later change of the outcome makes it suspect again', async () => {
    const prd = path.join(repo, 'prds', 'guest-checkout.md');
    const text = await readFile(prd, 'utf8');
    await writeFile(prd, text.replace('Traces: OUT-1, OUT-2\n', 'Traces: OUT-1, OUT-2\nReviewed: OUT-2 2026-11-20\n'));
    git(repo, ['commit', '-qam', 'Confirm REQ-1.2 still serves OUT-2'], '2026-11-20T10:00:00Z');
    const confirmed = suspects((await run(['check', repo])).stdout);
    assert.deepEqual(
      confirmed.map((line) => line.split('  ')[0]),
      ['prds/guest-checkout.md:8:19', 'prds/guest-checkout.md:36:9'],
    );

    const strategy = path.join(repo, 'strategy', 'payments-2027-h1.md');
    const before = await readFile(strategy, 'utf8');
    await writeFile(strategy, before.replace('\nCards, bank transfer', '\nCards, bank transfer, instant payments'));
    git(repo, ['commit', '-qam', 'OUT-2: instant payments too'], '2026-11-21T10:00:00Z');
    const again = suspects((await run(['check', repo])).stdout);
    assert.equal(again.length, 3, again.join('\n'));
    assert.match(again[1]!, /its text changed on 2026-11-21 in [0-9a-f]{7} \(Ines Alves: OUT-2: instant payments too\)/);
  });

  test('an outcome edited and not committed makes its links suspect at once; whitespace alone does not', async () => {
    const strategy = path.join(repo, 'strategy', 'payments-2027-h1.md');
    const committed = await readFile(strategy, 'utf8');
    try {
      await writeFile(
        strategy,
        committed.replace(
          '### OUT-1: Payers complete payment without creating an account',
          '### OUT-1:   Payers complete payment   without creating an account',
        ),
      );
      assert.equal(suspects((await run(['check', repo])).stdout).filter((line) => line.includes(' OUT-1 ')).length, 0);

      await writeFile(
        strategy,
        committed.replace('### OUT-1: Payers complete payment without creating an account', '### OUT-1: Payers complete payment without a password'),
      );
      const lines = suspects((await run(['check', repo])).stdout).filter((line) => line.includes('warning  OUT-1 changed'));
      assert.ok(lines.length >= 2, lines.join('\n'));
      for (const line of lines) assert.match(line, /its title changed in edits not yet committed/);
    } finally {
      await writeFile(strategy, committed);
    }
  });

  test("history lists KR-1.1's check-ins and forecast as the README shows them", async () => {
    const readme = readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
    const start = readme.indexOf('$ npx throughline history KR-1.1 /tmp/acme-history\n');
    assert.ok(start !== -1, 'the README walks through history on /tmp/acme-history');
    const shown = readme.slice(readme.indexOf('\n', start) + 1, readme.indexOf('```', start)).trimEnd();
    const result = await run(['history', 'KR-1.1', repo]);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout.trimEnd(), shown);
  });

  test('--no-history reads no history and reports no suspect link', async () => {
    const result = await run(['check', repo, '--no-history']);
    assert.deepEqual(suspects(result.stdout), []);
  });
});
