/**
 * `diffAlignment` over snapshots of two in-memory workspaces: items added, removed and changed,
 * links added, removed and retargeted, coverage and objective progress before and after.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { diffAlignment, isEmptyDiff, snapshotAlignment, type AlignmentDiff, type SnapshotLink } from '../../server/src/service/analysis/alignmentDiff';
import { createService, md, uri } from '../helpers/memoryWorkspace';

const STRATEGY = md`
  ---
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
  - KR-1.2: Time to pay
    Baseline: 40 min
    Target: 10 min
    Due: 2027-06-30

  ### OUT-1: Payers pay without an account
  Supports: OBJ-1

  ### OUT-2: Payers use their own wallet
  Supports: KR-1.2
  Status: draft
`;

const PRD = md`
  ---
  type: prd
  id: PRD-1
  title: Guest checkout
  outcomes: [OUT-1, OUT-2]
  ---
  # PRD-1: Guest checkout

  ### REQ-1: Pay without an account
  Traces: OUT-1

  ### REQ-2: Remember the wallet
  Traces: OUT-1, OUT-2
`;

const BASE: Record<string, string> = { 'strategy.md': STRATEGY, 'prds/checkout.md': PRD };

/** Replaces one exact passage of a fixture; throws when it is absent so the edit cannot silently do nothing. */
function edit(text: string, from: string, to: string): string {
  assert.ok(text.includes(from), `fixture contains ${JSON.stringify(from)}`);
  return text.replace(from, to);
}

async function diffOf(before: Record<string, string>, after: Record<string, string>): Promise<AlignmentDiff> {
  const [old, now] = await Promise.all([createService(before), createService(after)]);
  return diffAlignment(snapshotAlignment(old.service), snapshotAlignment(now.service));
}

const links = (list: readonly SnapshotLink[]) => list.map((link) => `${link.fromId} ${link.context} ${link.toId}`);

describe('diffAlignment', () => {
  test('the same workspace twice differs in nothing, and its coverage is the same on both sides', async () => {
    const diff = await diffOf(BASE, BASE);
    assert.ok(isEmptyDiff(diff));
    assert.deepEqual(diff.coverage.before, diff.coverage.after);
    assert.deepEqual(diff.coverage.after, {
      requirements: 2,
      tracedRequirements: 2,
      outcomes: 2,
      deliveredOutcomes: 2,
      objectives: 1,
      objectivesWithOutcomes: 1,
    });
    assert.deepEqual(diff.documents, { before: 2, after: 2 });
  });

  test('a new requirement is an added item with its Traces link added, and coverage counts it', async () => {
    const after = { ...BASE, 'prds/checkout.md': PRD + '\n### REQ-3: Email a receipt\nTraces: OUT-2\n' };
    const diff = await diffOf(BASE, after);
    assert.deepEqual(
      diff.items.added.map((item) => [item.id, item.kind, item.title, item.uri]),
      [['REQ-3', 'requirement', 'Email a receipt', uri('prds/checkout.md')]],
    );
    assert.deepEqual(diff.items.removed, []);
    assert.deepEqual(links(diff.links.added), ['REQ-3 traces OUT-2']);
    assert.deepEqual(diff.links.removed, []);
    assert.deepEqual(diff.links.retargeted, []);
    assert.equal(diff.coverage.before.requirements, 2);
    assert.equal(diff.coverage.after.requirements, 3);
    assert.equal(diff.coverage.after.tracedRequirements, 3);
  });

  test('a Traces target replaced by another is one retarget, not an added and a removed link', async () => {
    const after = { ...BASE, 'prds/checkout.md': edit(PRD, 'Traces: OUT-1\n\n### REQ-2', 'Traces: OUT-2\n\n### REQ-2') };
    const diff = await diffOf(BASE, after);
    assert.equal(diff.links.retargeted.length, 1);
    const [retarget] = diff.links.retargeted;
    assert.equal(retarget!.fromId, 'REQ-1');
    assert.equal(retarget!.context, 'traces');
    assert.deepEqual(
      retarget!.removed.map((link) => link.toId),
      ['OUT-1'],
    );
    assert.deepEqual(
      retarget!.added.map((link) => link.toId),
      ['OUT-2'],
    );
    assert.deepEqual(diff.links.added, []);
    assert.deepEqual(diff.links.removed, []);
    assert.deepEqual(diff.items.added, []);
  });

  test('in a list of targets only the replaced one is retargeted; the one kept is not mentioned', async () => {
    const after = {
      ...BASE,
      'strategy.md': STRATEGY + '\n### OUT-3: Payers get reminders\nSupports: OBJ-1\n',
      'prds/checkout.md': edit(PRD, 'Traces: OUT-1, OUT-2', 'Traces: OUT-1, OUT-3'),
    };
    const diff = await diffOf(BASE, after);
    assert.deepEqual(
      diff.links.retargeted.map((retarget) => [retarget.fromId, retarget.removed.map((link) => link.toId), retarget.added.map((link) => link.toId)]),
      [['REQ-2', ['OUT-2'], ['OUT-3']]],
    );
    assert.deepEqual(links(diff.links.added), ['OUT-3 supports OBJ-1']);
  });

  test('a target added next to the existing ones is an added link, not a retarget', async () => {
    const after = { ...BASE, 'prds/checkout.md': edit(PRD, 'Traces: OUT-1\n\n### REQ-2', 'Traces: OUT-1, OUT-2\n\n### REQ-2') };
    const diff = await diffOf(BASE, after);
    assert.deepEqual(links(diff.links.added), ['REQ-1 traces OUT-2']);
    assert.deepEqual(diff.links.retargeted, []);
  });

  test('a removed outcome takes its Supports link with it; the links to it are still written, so they are no change', async () => {
    const after = { ...BASE, 'strategy.md': edit(STRATEGY, '### OUT-2: Payers use their own wallet\nSupports: KR-1.2\nStatus: draft\n', '') };
    const diff = await diffOf(BASE, after);
    assert.deepEqual(
      diff.items.removed.map((item) => item.id),
      ['OUT-2'],
    );
    assert.deepEqual(links(diff.links.removed), ['OUT-2 supports KR-1.2']);
    assert.deepEqual(diff.links.added, []);
    assert.equal(diff.coverage.before.outcomes, 2);
    assert.equal(diff.coverage.after.outcomes, 1);
  });

  test('a link to an ID defined nowhere, or of the wrong kind, is marked unresolved', async () => {
    const after = { ...BASE, 'prds/checkout.md': PRD + '\n### REQ-3: Split the bill\nTraces: OUT-7, OBJ-1, OUT-1\n' };
    const diff = await diffOf(BASE, after);
    assert.deepEqual(
      diff.links.added.map((link) => [link.toId, link.resolved]),
      [
        ['OUT-7', false],
        ['OBJ-1', false],
        ['OUT-1', true],
      ],
    );
  });

  test('front-matter outcomes of a PRD are links too: one dropped is a removed link, one replaced a retarget', async () => {
    const dropped = await diffOf(BASE, { ...BASE, 'prds/checkout.md': edit(PRD, 'outcomes: [OUT-1, OUT-2]', 'outcomes: [OUT-2]') });
    assert.deepEqual(links(dropped.links.removed), ['PRD-1 frontMatterOutcomes OUT-1']);
    assert.deepEqual(dropped.links.retargeted, []);
    const replaced = await diffOf(BASE, { ...BASE, 'prds/checkout.md': edit(PRD, 'outcomes: [OUT-1, OUT-2]', 'outcomes: [OUT-9, OUT-2]') });
    assert.deepEqual(
      replaced.links.retargeted.map((retarget) => [
        retarget.fromId,
        retarget.context,
        retarget.removed.map((link) => link.toId),
        retarget.added.map((link) => [link.toId, link.resolved]),
      ]),
      [['PRD-1', 'frontMatterOutcomes', ['OUT-1'], [['OUT-9', false]]]],
    );
    assert.deepEqual(replaced.links.removed, []);
  });

  test('a changed title and status, and a definition moved to another file, are item changes', async () => {
    const strategy = edit(
      edit(
        STRATEGY,
        'OUT-2: Payers use their own wallet\nSupports: KR-1.2\nStatus: draft',
        'OUT-2: Payers pay with their wallet\nSupports: KR-1.2\nStatus: approved',
      ),
      '### OUT-1: Payers pay without an account\nSupports: OBJ-1\n',
      '',
    );
    const moved = md`
      ---
      type: strategy
      id: STR-2
      ---
      ### OUT-1: Payers pay without an account
      Supports: OBJ-1
    `;
    const diff = await diffOf(BASE, { ...BASE, 'strategy.md': strategy, 'more.md': moved });
    assert.deepEqual(
      diff.items.changed.map((change) => [change.after.id, change.fields]),
      [
        ['OUT-1', ['uri']],
        ['OUT-2', ['title', 'status']],
      ],
    );
    assert.equal(diff.items.changed[1]!.before.status, 'draft');
    assert.equal(diff.items.changed[1]!.after.status, 'approved');
    assert.deepEqual(
      diff.items.added.map((item) => item.id),
      ['STR-2'],
    );
    // The Supports link kept its from-item, context and target: it is the same link wherever it is written.
    assert.deepEqual(diff.links.added, []);
    assert.deepEqual(diff.links.removed, []);
  });

  test("a key result's new Current changes its objective's progress; the unchanged key result is not listed", async () => {
    const after = { ...BASE, 'strategy.md': edit(STRATEGY, 'Current: 45%', 'Current: 50%') };
    const diff = await diffOf(BASE, after);
    assert.equal(diff.progress.length, 1);
    const [objective] = diff.progress;
    assert.equal(objective!.id, 'OBJ-1');
    // KR-1.1 goes from 25% to 50%; KR-1.2 has no Current, so it counts as 0%; the mean moves from 12.5% to 25%.
    assert.equal(objective!.before, 0.125);
    assert.equal(objective!.after, 0.25);
    assert.deepEqual(
      objective!.keyResults.map((keyResult) => [
        keyResult.id,
        keyResult.before?.current,
        keyResult.after?.current,
        keyResult.before?.progress,
        keyResult.after?.progress,
      ]),
      [['KR-1.1', '45%', '50%', 0.25, 0.5]],
    );
    assert.deepEqual(diff.items.changed, [], 'a new Current is progress, not an item change');
  });

  test('an objective that disappears is listed with its progress before and none after', async () => {
    const after = { ...BASE, 'strategy.md': edit(STRATEGY, '## OBJ-1: Make paying effortless', '## Make paying effortless') };
    const diff = await diffOf(BASE, after);
    const removed = diff.progress.find((change) => change.id === 'OBJ-1');
    assert.ok(removed, 'OBJ-1 is listed');
    assert.equal(removed.before, 0.125);
    assert.equal(removed.after, undefined);
    assert.ok(diff.items.removed.some((item) => item.id === 'OBJ-1'));
  });

  test('changes are listed in document order: by file, then line', async () => {
    const after = {
      ...BASE,
      'prds/checkout.md': PRD + '\n### REQ-4: Later\nTraces: OUT-1\n',
      'prds/a.md': md`
      ---
      type: prd
      id: PRD-0
      ---
      ### REQ-0: First
      Traces: OUT-2
    `,
    };
    const diff = await diffOf(BASE, after);
    assert.deepEqual(
      diff.items.added.map((item) => item.id),
      ['PRD-0', 'REQ-0', 'REQ-4'],
    );
    assert.deepEqual(links(diff.links.added), ['REQ-0 traces OUT-2', 'REQ-4 traces OUT-1']);
  });
});

describe('diffAlignment between a snapshot and the same service updated file by file', () => {
  /**
   * `throughline diff` indexes the working tree, then takes that index back to the ref by
   * re-reading only the files that differ; the diff then skips the documents both snapshots share.
   * Whatever the edits, that must give what two separately built services give.
   */
  async function diffByUpdate(before: Record<string, string>, after: Record<string, string>): Promise<AlignmentDiff> {
    const test = await createService(after);
    const now = snapshotAlignment(test.service);
    for (const path of new Set([...Object.keys(before), ...Object.keys(after)])) {
      if (before[path] === after[path]) continue;
      if (before[path] === undefined) test.workspace.delete(path);
      else test.workspace.set(path, before[path]);
      await test.service.fileChanged(uri(path));
    }
    return diffAlignment(snapshotAlignment(test.service), now);
  }

  const DUPLICATE = md`
    ---
    type: prd
    id: PRD-9
    ---
    ### REQ-1: Pay without an account, again
    Traces: OUT-2
  `;
  const cases: [string, Record<string, string>][] = [
    ['a retargeted Traces', { ...BASE, 'prds/checkout.md': edit(PRD, 'Traces: OUT-1\n\n### REQ-2', 'Traces: OUT-2\n\n### REQ-2') }],
    ['a new PRD and a removed one', { 'strategy.md': STRATEGY, 'prds/other.md': PRD.replace(/PRD-1/g, 'PRD-5').replace(/REQ-/g, 'REQ-5') }],
    ['an ID defined a second time in a new file that sorts first', { ...BASE, 'a-duplicate.md': DUPLICATE }],
    [
      'an outcome removed and a key result measured',
      { ...BASE, 'strategy.md': edit(edit(STRATEGY, '### OUT-1: Payers pay without an account\nSupports: OBJ-1\n', ''), 'Current: 45%', 'Current: 52%') },
    ],
    ['nothing', BASE],
  ];
  for (const [name, edited] of cases) {
    test(`${name}: the same differences both ways, forwards and backwards`, async () => {
      assert.deepEqual(await diffByUpdate(BASE, edited), await diffOf(BASE, edited));
      assert.deepEqual(await diffByUpdate(edited, BASE), await diffOf(edited, BASE));
    });
  }

  test('an ID defined twice, once in an unchanged file: only the new definition’s link is new', async () => {
    const diff = await diffByUpdate(BASE, { ...BASE, 'a-duplicate.md': DUPLICATE });
    assert.deepEqual(
      diff.items.added.map((item) => item.id),
      ['PRD-9'],
    );
    // REQ-1 already traced OUT-1 from prds/checkout.md; the duplicate adds a trace to OUT-2.
    assert.deepEqual(links(diff.links.added), ['REQ-1 traces OUT-2']);
    assert.deepEqual(
      diff.items.changed.map((change) => [change.after.id, change.fields, change.after.uri]),
      [['REQ-1', ['title', 'uri'], uri('a-duplicate.md')]],
    );
  });
});
