/**
 * "What changed this period" in `throughline diff REF` and `throughline report --since REF|DATE`,
 * and the report's key result trends, on a real git repository with commits at fixed dates by
 * named authors: problems gained and lost, progress moved and targets changed with who changed
 * them (names as the repository records them, never emails), the innovation mix before → after.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { CHECKOUT, STRATEGY, WALLET, changesRepo, type ChangesRepo } from '../helpers/changesRepo';
import { run } from './run';

const RECEIPTS = `---
type: prd
id: PRD-3
title: Receipts
outcomes: [OUT-1]
innovation: adjacent
---
# PRD-3: Receipts

### REQ-5: Email a receipt
Traces: OUT-1
`;

interface Who {
  author?: string;
  commit?: string;
  uncommitted?: boolean;
}
interface PeriodJson {
  ref: string;
  commit: string;
  historyRead: boolean;
  problems: { gained: { file: string; rule: string; message: string }[]; lost: { file: string; rule: string; message: string }[] };
  progress: { id: string; before: { current: string | null } | null; after: { current: string | null } | null; who: Who | null }[];
  targets: { id: string; changes: { figure: string; before: string | null; after: string | null }[]; who: Who | null }[];
  innovation: { before: { value: string; prds: number }[]; after: { value: string; prds: number }[] };
}

describe('what changed this period', () => {
  let repo: ChangesRepo;
  let start = '';
  let checkIn = '';
  before(async () => {
    repo = await changesRepo('period');
    start = await repo.commit('2026-09-01', 'Maya', 'Initial strategy', {
      'strategy/payments.md': STRATEGY,
      'prds/checkout.md': CHECKOUT,
      'prds/wallet.md': `${WALLET}\n### REQ-3: Show the wallet's balance\n`,
    });
    await repo.edit('strategy/payments.md', 'Current: 40%', 'Current: 46%');
    checkIn = await repo.commit('2026-10-03', 'Ravi', 'KR-1.1 check-in');
    await repo.edit('strategy/payments.md', 'Current: 46%', 'Current: 50%');
    await repo.edit('strategy/payments.md', 'Target: 10 min', 'Target: 12 min');
    // REQ-3 traced now: a problem lost; PRD-3 untraced requirement: a problem gained.
    await repo.edit('prds/wallet.md', "### REQ-3: Show the wallet's balance\n", "### REQ-3: Show the wallet's balance\nTraces: OUT-2\n");
    await repo.commit('2026-11-10', 'Ana Lima', 'Quarter review', { 'prds/receipts.md': `${RECEIPTS}\n### REQ-6: Print a receipt\n` });
  });
  after(() => repo.dispose());

  test('diff --format json: problems gained and lost, progress and targets with who, the innovation mix', async () => {
    const result = await run(['diff', start, repo.root, '--format', 'json']);
    assert.equal(result.code, 0, result.stderr);
    const period = (JSON.parse(result.stdout) as { period: PeriodJson }).period;
    assert.equal(period.commit, start);
    assert.equal(period.historyRead, true);
    assert.ok(
      period.problems.gained.some((problem) => problem.file === 'prds/receipts.md' && problem.message.startsWith('REQ-6 traces to no outcome')),
      JSON.stringify(period.problems),
    );
    assert.ok(
      period.problems.lost.some((problem) => problem.file === 'prds/wallet.md' && problem.message.startsWith('REQ-3 traces to no outcome')),
      JSON.stringify(period.problems),
    );
    const kr11 = period.progress.find((entry) => entry.id === 'KR-1.1');
    assert.deepEqual([kr11?.before?.current, kr11?.after?.current], ['40%', '50%']);
    assert.equal(kr11?.who?.author, 'Ana Lima', 'the newest check-in in the period');
    const kr12 = period.targets.find((entry) => entry.id === 'KR-1.2');
    assert.deepEqual(kr12?.changes, [{ figure: 'Target', before: '10 min', after: '12 min' }]);
    assert.equal(kr12?.who?.author, 'Ana Lima');
    assert.doesNotMatch(result.stdout, /@example\.test/, 'no emails');
    const count = (list: { value: string; prds: number }[], value: string) => list.find((entry) => entry.value === value)?.prds ?? 0;
    assert.deepEqual([count(period.innovation.before, 'adjacent'), count(period.innovation.after, 'adjacent')], [0, 1]);
  });

  test('diff since the check-in: only the later change, by its author; uncommitted values are named so', async () => {
    await repo.edit('strategy/payments.md', 'Current: 50%', 'Current: 52%');
    try {
      const result = await run(['diff', checkIn, repo.root, '--format', 'json']);
      const period = (JSON.parse(result.stdout) as { period: PeriodJson }).period;
      const kr11 = period.progress.find((entry) => entry.id === 'KR-1.1');
      assert.deepEqual([kr11?.before?.current, kr11?.after?.current], ['46%', '52%']);
      assert.deepEqual(kr11?.who, { uncommitted: true });
    } finally {
      repo.git('checkout', '--', 'strategy/payments.md');
    }
  });

  test('diff text and Markdown show the section, the summary line stays last', async () => {
    const text = await run(['diff', start, repo.root]);
    assert.match(text.stdout, /^Problems: 1 gained, 2 lost$/m);
    assert.match(text.stdout, /^ {2}KR-1\.1 {2}40% \(0%\) → 50% \(50%\) {2}by Ana Lima \([0-9a-f]{7}\)/m);
    assert.match(text.stdout, /^ {2}KR-1\.2 {2}Target: 10 min → 12 min {2}by Ana Lima/m);
    assert.match(text.stdout.trimEnd().split('\n').at(-1)!, /changed\.$/);
    const md = await run(['diff', start, repo.root, '--format', 'md']);
    assert.match(md.stdout, /^#### What changed this period$/m);
    assert.match(md.stdout, /^\| `KR-1\.1` Invoice conversion \| 40% \(0%\) \| 50% \(50%\) \| Ana Lima \([0-9a-f]{7}\) \|$/m);
  });

  test('report --since DATE: the last commit on or before that day; HTML with the period and trend SVGs', async () => {
    const result = await run(['report', repo.root, '--since', '2026-09-15']);
    assert.equal(result.code, 0, result.stderr);
    const html = result.stdout;
    assert.match(html, /<section id="period" class="panel">/);
    assert.match(html, /Since <code>2026-09-15<\/code> \(<code>[0-9a-f]{7}<\/code>, the last commit on or before that day\)/);
    assert.ok(html.includes(start.slice(0, 7)));
    assert.match(html, /<section id="trends" class="panel">/);
    const svg = /<svg class="trend"[^]*?<\/svg>/.exec(html)?.[0] ?? '';
    assert.match(svg, /aria-label="KR-1\.1 check-ins from 2026-09-01 to 2026-11-10"/);
    assert.equal(svg.match(/<circle /g)?.length, 3, 'three check-ins: 40%, 46%, 50%');
    assert.match(svg, /class="trend-expected"/);
    assert.match(svg, /class="trend-today"/);
    assert.match(html, /Expected \d+% of the way by today, actual 50% \(/);
    assert.doesNotMatch(html, /\sstyle="/);
    assert.doesNotMatch(html, /<script/i);
  });

  test('report --since REF --format md; a date before any commit is a usage error', async () => {
    const md = await run(['report', repo.root, '--since', checkIn, '--format', 'md']);
    assert.equal(md.code, 0, md.stderr);
    assert.match(md.stdout, /^## What changed this period$/m);
    assert.match(md.stdout, /^## Key result trends$/m);
    const early = await run(['report', repo.root, '--since', '2020-01-01']);
    assert.equal(early.code, 2);
    assert.match(early.stderr, /^throughline: no commit on or before 2020-01-01/);
    assert.doesNotMatch(early.stderr, /shallow/, 'a full clone is not blamed on shallowness');
    const bad = await run(['report', repo.root, '--since', '2026-02-30']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /is not a date/);
  });

  test('report --since DATE in a shallow clone without commits that old names the clone and the way out', async () => {
    const shallow = await mkdtemp(path.join(os.tmpdir(), 'throughline-shallow-'));
    try {
      execFileSync('git', ['clone', '-q', '--depth', '1', pathToFileURL(repo.root).href, shallow], { stdio: 'ignore' });
      const result = await run(['report', shallow, '--since', '2026-09-15']);
      assert.equal(result.code, 2);
      assert.equal(
        result.stderr,
        `throughline: no commit on or before 2026-09-15 in the history of ${shallow}: this is a shallow clone, which may not have it (fetch more history with \`git fetch --unshallow\`, or check out with fetch-depth: 0)\n`,
      );
    } finally {
      await rm(shallow, { recursive: true, force: true });
    }
  });
});
