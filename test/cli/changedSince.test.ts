/**
 * `throughline check --changed-since REF` on a real git repository with commits at fixed dates: a
 * feature branch adds an untraced requirement (a problem on a changed line) and renames an outcome
 * that an unchanged PRD links to (a problem the change caused elsewhere), while a problem that was
 * already there at REF is left out; in every format, with the summary saying it is scoped.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { CHECKOUT, STRATEGY, WALLET, changesRepo, type ChangesRepo } from '../helpers/changesRepo';
import { run } from './run';

const UNTRACED_AT_REF = 'REQ-3 traces to no outcome';

/** A repository whose first commit (on `main`) has the strategy and two PRDs, with a problem already there: REQ-3 traces nowhere. */
async function initialRepository(label: string): Promise<ChangesRepo> {
  const repo = await changesRepo(label);
  await repo.commit('2026-09-01', 'Maya', 'Initial strategy', {
    'strategy/payments.md': STRATEGY,
    'prds/checkout.md': CHECKOUT,
    'prds/wallet.md': `${WALLET}\n### REQ-3: Show the wallet's balance\n`,
  });
  return repo;
}

describe('check --changed-since REF', () => {
  let repo: ChangesRepo;
  before(async () => {
    repo = await initialRepository('changed-since');
    repo.git('checkout', '-q', '-b', 'feature');
    await repo.edit('prds/checkout.md', 'Traces: OUT-1\n', 'Traces: OUT-1\n\n### REQ-9: Export receipts\n');
    await repo.edit('strategy/payments.md', '### OUT-2: Payers use their own wallet', '### OUT-20: Payers use their own wallet');
    await repo.commit('2026-10-03', 'Ravi', 'Receipts; rename OUT-2');
  });
  after(() => repo.dispose());

  test('text: problems on changed lines and those caused elsewhere, not the ones already at REF; the summary says it is scoped', async () => {
    const result = await run(['check', repo.root, '--changed-since', 'main']);
    assert.equal(result.code, 1, result.stderr);
    assert.match(result.stdout, /^prds\/checkout\.md:13:\d+ {2}error {2}REQ-9 traces to no outcome/m);
    assert.match(result.stdout, /^prds\/wallet\.md:\d+:\d+ {2}error {2}OUT-2 is not defined/m, 'the unchanged PRD that links to the renamed outcome');
    assert.doesNotMatch(result.stdout, new RegExp(UNTRACED_AT_REF));
    const summary = result.stdout.trimEnd().split('\n').at(-1)!;
    assert.match(summary, /scoped to changes since main \([0-9a-f]{7}\): \d+ on changed lines, \d+ caused elsewhere, \d+ outside the changes not shown/);
    const full = await run(['check', repo.root]);
    assert.match(full.stdout, new RegExp(UNTRACED_AT_REF), 'without the option the old problem is reported');
  });

  test('uncommitted edits count as changes too', async () => {
    const file = 'prds/wallet.md';
    await repo.edit(file, "### REQ-3: Show the wallet's balance\n", "### REQ-3: Show the wallet's balance\n\n### REQ-4: Pay by QR code\n");
    try {
      const result = await run(['check', repo.root, '--changed-since', 'HEAD', '--format', 'json']);
      const report = JSON.parse(result.stdout) as { summary: { changedSince: Record<string, unknown> }; diagnostics: { file: string; message: string }[] };
      assert.deepEqual(
        report.diagnostics.map((diagnostic) => diagnostic.message.slice(0, 30)),
        ['REQ-4 traces to no outcome: ad'],
      );
      assert.equal(report.summary.changedSince.ref, 'HEAD');
      assert.equal(report.summary.changedSince.onChangedLines, 1);
      assert.equal(report.summary.changedSince.causedElsewhere, 0);
    } finally {
      repo.git('checkout', '--', file);
    }
  });

  test('json, sarif, junit and github carry only the scoped problems', async () => {
    const json = JSON.parse((await run(['check', repo.root, '--changed-since', 'main', '--format', 'json'])).stdout) as {
      summary: { errors: number; changedSince: { ref: string; commit: string; onChangedLines: number; causedElsewhere: number; outside: number } };
      diagnostics: { file: string; message: string }[];
    };
    assert.equal(json.summary.changedSince.ref, 'main');
    assert.match(json.summary.changedSince.commit, /^[0-9a-f]{40}$/);
    assert.ok(json.summary.changedSince.onChangedLines >= 1 && json.summary.changedSince.causedElsewhere >= 1, JSON.stringify(json.summary));
    assert.ok(json.summary.changedSince.outside >= 1);
    assert.ok(!json.diagnostics.some((diagnostic) => diagnostic.message.startsWith(UNTRACED_AT_REF)));
    assert.equal(json.summary.errors, json.diagnostics.filter((diagnostic) => (diagnostic as unknown as { severity: string }).severity === 'error').length);

    const sarif = JSON.parse((await run(['check', repo.root, '--changed-since', 'main', '--format', 'sarif'])).stdout) as {
      runs: { results: { message: { text: string } }[]; properties?: Record<string, { summary: string }> }[];
    };
    assert.equal(sarif.runs[0]!.results.length, json.diagnostics.length);
    assert.ok(!sarif.runs[0]!.results.some((result) => result.message.text.startsWith(UNTRACED_AT_REF)));
    assert.match(sarif.runs[0]!.properties?.['throughline/changedSince']?.summary ?? '', /^scoped to changes since main/);

    const junit = await run(['check', repo.root, '--changed-since', 'main', '--format', 'junit']);
    assert.match(junit.stdout, /REQ-9 traces to no outcome/);
    assert.doesNotMatch(junit.stdout, new RegExp(UNTRACED_AT_REF));

    const github = await run(['check', repo.root, '--changed-since', 'main', '--format', 'github'], { env: { ...process.env, GITHUB_WORKSPACE: repo.root } });
    assert.equal(github.code, 1);
    assert.match(github.stdout, /^::error file=prds\/checkout\.md,line=13,/m);
    assert.match(github.stdout, /^::error file=prds\/wallet\.md,/m);
    assert.doesNotMatch(github.stdout, new RegExp(UNTRACED_AT_REF));
    assert.match(github.stdout.trimEnd().split('\n').at(-1)!, /scoped to changes since main/);
  });

  test('an unknown ref or a folder outside git: one line, exit 2', async () => {
    const unknown = await run(['check', repo.root, '--changed-since', 'no-such-branch']);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /^throughline: unknown git ref no-such-branch/);
    const missing = await run(['check', repo.root, '--changed-since']);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /--changed-since needs a value/);
  });
});

describe('check --changed-since REF: what counts as a change', () => {
  test('a REF that moved on since the branch left it: its newer commits are not the branch’s changes (the merge base is compared)', async () => {
    const repo = await initialRepository('changed-since-moved');
    try {
      repo.git('checkout', '-q', '-b', 'feature');
      await repo.edit('prds/checkout.md', 'Traces: OUT-1\n', 'Traces: OUT-1\nPriority: must\n');
      await repo.commit('2026-10-03', 'Ravi', 'Priority');
      // main moves on: REQ-3 is traced there, so main no longer has the problem this branch still has.
      repo.git('checkout', '-q', 'main');
      await repo.edit('prds/wallet.md', "### REQ-3: Show the wallet's balance\n", "### REQ-3: Show the wallet's balance\nTraces: OUT-2\n");
      await repo.commit('2026-10-05', 'Maya', 'Trace REQ-3');
      repo.git('checkout', '-q', 'feature');
      const result = await run(['check', repo.root, '--changed-since', 'main', '--format', 'json']);
      const report = JSON.parse(result.stdout) as { summary: { changedSince: { commit: string; causedElsewhere: number } }; diagnostics: unknown[] };
      assert.equal(result.code, 0, result.stdout);
      assert.deepEqual(report.diagnostics, []);
      assert.equal(report.summary.changedSince.commit, repo.git('merge-base', 'main', 'feature').trim());
      // Near miss: a change of the branch on a line is still in scope against the moved REF.
      await repo.edit('prds/checkout.md', 'Priority: must\n', 'Priority: must\n\n### REQ-9: Export receipts\n');
      const edited = await run(['check', repo.root, '--changed-since', 'main']);
      assert.equal(edited.code, 1);
      assert.match(edited.stdout, /^prds\/checkout\.md:\d+:\d+ {2}error {2}REQ-9 traces to no outcome/m);
      assert.doesNotMatch(edited.stdout, /REQ-3/);
    } finally {
      await repo.dispose();
    }
  });

  test('a file only renamed since REF changes no line, and its old problems stay out of scope', async () => {
    const repo = await initialRepository('changed-since-renamed');
    try {
      repo.git('mv', 'prds/wallet.md', 'prds/wallets.md');
      await repo.commit('2026-10-03', 'Ravi', 'Rename');
      const result = await run(['check', repo.root, '--changed-since', 'HEAD~1']);
      assert.equal(result.code, 0, result.stdout);
      assert.match(result.stdout.trimEnd().split('\n').at(-1)!, /: 0 on changed lines, 0 caused elsewhere, [1-9]\d* outside the changes not shown/);
      // Near miss: renamed and edited, the edited line is a change.
      await repo.edit('prds/wallets.md', "### REQ-3: Show the wallet's balance\n", "### REQ-3: Show the wallet's balance\n\n### REQ-4: Pay by QR code\n");
      const edited = await run(['check', repo.root, '--changed-since', 'HEAD~1']);
      assert.equal(edited.code, 1);
      assert.match(edited.stdout, /^prds\/wallets\.md:\d+:\d+ {2}error {2}REQ-4 traces to no outcome/m);
      assert.doesNotMatch(edited.stdout, /REQ-3 traces/);
    } finally {
      await repo.dispose();
    }
  });
});
