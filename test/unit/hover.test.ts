/**
 * Hover: what an item is (title, kind, status, owner, file), how it chains up to the vision,
 * its measures and what hangs below it; front-matter keys are explained.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { MarkupContent } from 'vscode-languageserver-types';
import { CLEAN_WORKSPACE, PRD, STRATEGY, VISION } from '../helpers/fixtures';
import { createService, md, positionOf, range } from '../helpers/memoryWorkspace';

async function hoverIn(files: Record<string, string>, path: string, needle: string, delta = 1, occurrence = 0) {
  const t = await createService(files);
  const hover = t.service.getHover(t.doc(path), positionOf(files[path]!, needle, delta, occurrence));
  return hover && { value: (hover.contents as MarkupContent).value, kind: (hover.contents as MarkupContent).kind, range: hover.range };
}

describe('hover on items', () => {
  test('an outcome: title, kind, status, owner, file, chain to the vision and what traces it', async () => {
    const hover = await hoverIn(CLEAN_WORKSPACE, 'strategy.md', 'OUT-1:');
    assert.equal(hover?.kind, 'markdown');
    assert.deepEqual(hover?.range, range(23, 4, 9));
    assert.equal(
      hover?.value,
      [
        '**OUT-1** — Payers pay without an account',
        '',
        'outcome · status: approved · owner: ines · `strategy.md`',
        '',
        // OUT-1 supports both OBJ-1 and KR-1.1: both chains, not only the first (issue 10, item 8).
        '2 chains to the vision:',
        '',
        '- OUT-1 → OBJ-1 (Make paying effortless) → STR-1 (Payments strategy) → VIS-1 (Everyone gets paid on time)',
        '- OUT-1 → KR-1.1 (Invoice conversion) → OBJ-1 (Make paying effortless) → STR-1 (Payments strategy) → VIS-1 (Everyone gets paid on time)',
        '',
        // Every attribute the author wrote, in order.
        '| | |',
        '|---|---|',
        '| Supports | OBJ-1, KR-1.1 |',
        '| Owner | ines |',
        '| Status | approved |',
        '',
        'Traced by 2 requirements.',
      ].join('\n'),
    );
  });

  test('a reference shows the same as its definition, with the range of the reference', async () => {
    const hover = await hoverIn(CLEAN_WORKSPACE, 'prds/checkout.md', 'OUT-2', 2, 1);
    assert.deepEqual(hover?.range, range(17, 15, 20));
    assert.match(hover!.value, /^\*\*OUT-2\*\* — Payers use their own wallet\n/);
    assert.match(hover!.value, /OUT-2 → KR-1\.2 \(Time to pay\) → OBJ-1 \(Make paying effortless\) → STR-1 .* → VIS-1 /);
    assert.match(hover!.value, /Traced by 1 requirement\.$/);
  });

  test('a key result: its measures as a table and how many outcomes support it', async () => {
    const hover = await hoverIn(CLEAN_WORKSPACE, 'strategy.md', 'KR-1.1');
    assert.equal(
      hover?.value,
      [
        '**KR-1.1** — Invoice conversion',
        '',
        'key result · `strategy.md`',
        '',
        'KR-1.1 → OBJ-1 (Make paying effortless) → STR-1 (Payments strategy) → VIS-1 (Everyone gets paid on time)',
        '',
        '| | |',
        '|---|---|',
        '| Metric | invoices paid within 7 days |',
        '| Baseline | 41% |',
        '| Target | 55% |',
        '| Current | 46% |',
        '| Due | 2027-06-30 |',
        '',
        // (46 − 41) / (55 − 41) = 5/14 ≈ 35.7%: 4 of 10 blocks, the figure rounded down.
        'Progress: ███░░░░░░░ 35%',
        '',
        'Supported by 1 outcome.',
      ].join('\n'),
    );
  });

  test('a pipe in a measure does not break the table', async () => {
    const strategy = '---\ntype: strategy\nid: STR-1\n---\n- KR-1: Pipes\n  Metric: a | b\n  Baseline: 1\n  Target: 2\n  Due: 2027-01-01\n';
    const hover = await hoverIn({ 's.md': strategy }, 's.md', 'KR-1');
    assert.match(hover!.value, /\| Metric \| a \\\| b \|/);
  });

  test('an objective shows its progress and counts its key results, outcomes and distinct requirements', async () => {
    const hover = await hoverIn(CLEAN_WORKSPACE, 'strategy.md', 'OBJ-1:');
    // KR-1.1 is 5/14 of the way, KR-1.2 has no `Current:` (0): the mean is 5/28 ≈ 17.9%, 2 of 10 blocks.
    assert.match(hover!.value, /\n\nProgress: █░░░░░░░░░ 17% \(mean of 2 key results\)\n\n2 key results · 2 outcomes · 2 requirements\.$/);
    const second = await hoverIn(CLEAN_WORKSPACE, 'strategy.md', 'OBJ-2:');
    assert.match(second!.value, /\n\nProgress: ░░░░░░░░░░ 0% \(mean of 2 key results\)\n\n2 key results · 1 outcome · 1 requirement\.$/);
  });

  test('a requirement chains through its outcome to the vision', async () => {
    const hover = await hoverIn(CLEAN_WORKSPACE, 'prds/checkout.md', 'REQ-1.1');
    assert.match(
      hover!.value,
      /\n- REQ-1\.1 → OUT-1 \(Payers pay without an account\) → OBJ-1 \(Make paying effortless\) → STR-1 \(Payments strategy\) → VIS-1 \(Everyone gets paid on time\)\n/,
    );
    assert.match(hover!.value, /\| Priority \| must \|$/);
  });

  test('documents: a strategy counts objectives, a PRD requirements', async () => {
    const strategy = await hoverIn(CLEAN_WORKSPACE, 'strategy.md', 'STR-1\n');
    assert.match(
      strategy!.value,
      /^\*\*STR-1\*\* — Payments strategy\n\nstrategy · owner: maya · `strategy\.md`\n\nSTR-1 → VIS-1 \(Everyone gets paid on time\)\n\n2 objectives\.$/,
    );
    const prd = await hoverIn(CLEAN_WORKSPACE, 'prds/checkout.md', 'PRD-1\n');
    assert.match(prd!.value, /^\*\*PRD-1\*\* — Guest checkout\n\nPRD · status: review · owner: ines · `prds\/checkout\.md`/);
    assert.match(prd!.value, /\n2 requirements\.$/);
  });

  test('a vision says how many strategies point to it, in correct English', async () => {
    const one = await hoverIn(CLEAN_WORKSPACE, 'vision.md', 'VIS-1');
    assert.match(one!.value, /\n1 strategy points to this vision\.$/);
    const second = '---\ntype: strategy\nid: STR-2\nvision: VIS-1\n---\n';
    const two = await hoverIn({ ...CLEAN_WORKSPACE, 'strategy2.md': second }, 'vision.md', 'VIS-1');
    assert.match(two!.value, /\n2 strategies point to this vision\.$/);
    const none = await hoverIn({ 'vision.md': VISION }, 'vision.md', 'VIS-1');
    assert.match(none!.value, /\nNo strateg(y|ies) points? to this vision\.$|\n0 strategies point to this vision\.$/);
  });

  test('a vision shows its north star: the front-matter `north_star`, or a `North star:` line', async () => {
    const vision = VISION.replace('status: approved\n', 'status: approved\nnorth_star: {metric: invoices paid on time, target: 95%}\n');
    const fromFrontMatter = await hoverIn({ 'vision.md': vision }, 'vision.md', 'VIS-1');
    assert.match(fromFrontMatter!.value, /\n\nNorth star: invoices paid on time → 95%\n\n/);
    const camel = VISION.replace('status: approved\n', 'status: approved\nnorthStar: Every invoice paid within a week\n');
    const fromCamel = await hoverIn({ 'vision.md': camel }, 'vision.md', 'VIS-1');
    assert.match(fromCamel!.value, /\n\nNorth star: Every invoice paid within a week\n\n/);
    const bodyVision = md`
      ---
      type: vision
      id: VIS-1
      ---
      ## VIS-2: Paid on time
      North star: share of invoices paid within 7 days
    `;
    const fromLine = await hoverIn({ 'v.md': bodyVision }, 'v.md', 'VIS-2');
    assert.match(
      fromLine!.value,
      /\n\nNorth star: share of invoices paid within 7 days\n\n\| \| \|\n\|---\|---\|\n\| North star \| share of invoices paid within 7 days \|/,
    );
    // Near miss: a vision without one says nothing about it.
    const none = await hoverIn(CLEAN_WORKSPACE, 'vision.md', 'VIS-1');
    assert.doesNotMatch(none!.value, /North star/);
  });

  test('every attribute the author wrote, known or not, in order; near miss: one chain is written without a list', async () => {
    const strategy = md`
      ---
      type: strategy
      id: STR-1
      ---
      ## OBJ-1: Objective
      Owner: ines
      Confidence: medium | rising
      Review cadence: monthly
    `;
    const hover = await hoverIn({ 's.md': strategy }, 's.md', 'OBJ-1');
    assert.match(hover!.value, /\n\| Owner \| ines \|\n\| Confidence \| medium \\\| rising \|\n\| Review cadence \| monthly \|\n/);
    assert.match(hover!.value, /^\*\*OBJ-1\*\* — Objective\n\nobjective · owner: ines · `s\.md`\n\nOBJ-1 → STR-1\n\n/);
    assert.doesNotMatch(hover!.value, /chains to the vision/);
  });

  test('an untitled item, an unknown ID and a duplicated ID', async () => {
    const strategy = md`
      ---
      type: strategy
      id: STR-1
      ---
      ### OUT-1:
      Supports: OBJ-404
      ### OUT-2: Twice
      ### OUT-2: Twice again
    `;
    const untitled = await hoverIn({ 's.md': strategy }, 's.md', 'OUT-1');
    assert.match(untitled!.value, /^\*\*OUT-1\*\* — _untitled_\n/);
    assert.match(untitled!.value, /No requirement traces to this outcome yet\.$/);
    const unknown = await hoverIn({ 's.md': strategy }, 's.md', 'OBJ-404');
    assert.deepEqual(unknown, { value: '**OBJ-404** is not defined anywhere in the workspace.', kind: 'markdown', range: range(5, 10, 17) });
    const duplicate = await hoverIn({ 's.md': strategy }, 's.md', 'OUT-2', 1, 1);
    assert.match(duplicate!.value, /\n\n⚠ OUT-2 is defined 2 times\.$/);
  });

  test('describe() gives the hover text for tree tooltips', async () => {
    const t = await createService(CLEAN_WORKSPACE);
    const hover = t.service.getHover(t.doc('strategy.md'), positionOf(STRATEGY, 'OUT-3:', 1));
    assert.equal(t.service.describe('OUT-3'), (hover!.contents as MarkupContent).value);
    assert.equal(t.service.describe('OUT-404'), undefined);
  });
});

describe('hover on front-matter keys', () => {
  test('a known key is explained, with the key as range', async () => {
    const hover = await hoverIn(CLEAN_WORKSPACE, 'prds/checkout.md', 'status', 2);
    assert.deepEqual(hover, { value: '`status` — draft | review | approved | shipped | deprecated', kind: 'markdown', range: range(5, 0, 6) });
    const outcomes = await hoverIn(CLEAN_WORKSPACE, 'prds/checkout.md', 'outcomes', 0);
    assert.equal(outcomes?.value, '`outcomes` — Outcomes (OUT ids) this PRD delivers.');
  });

  test('near misses: the value of a key, an unknown key, a key of another document type', async () => {
    assert.equal(await hoverIn(CLEAN_WORKSPACE, 'prds/checkout.md', 'review', 1), undefined);
    const custom = '---\ntype: prd\nid: PRD-9\nsquad: blue\n---\n';
    assert.equal(await hoverIn({ 'p.md': custom }, 'p.md', 'squad', 1), undefined);
    const visionKey = '---\ntype: prd\nid: PRD-9\nnorth_star: x\n---\n';
    assert.equal(await hoverIn({ 'p.md': visionKey }, 'p.md', 'north_star', 1), undefined);
  });
});

describe('no hover', () => {
  test('on prose, on IDs inside code, and in files that take no part', async () => {
    const prd = PRD + '\nPlain prose here.\n\n```\nOUT-1 in code\n```\n';
    assert.equal(await hoverIn({ ...CLEAN_WORKSPACE, 'prds/checkout.md': prd }, 'prds/checkout.md', 'Plain prose'), undefined);
    assert.equal(await hoverIn({ ...CLEAN_WORKSPACE, 'prds/checkout.md': prd }, 'prds/checkout.md', 'OUT-1 in code'), undefined);
    assert.equal(await hoverIn({ ...CLEAN_WORKSPACE, 'readme.md': '# Readme\nOUT-1 here\n' }, 'readme.md', 'OUT-1'), undefined);
  });
});
