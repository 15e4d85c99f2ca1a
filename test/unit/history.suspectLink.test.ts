/**
 * suspect-link on the in-memory workspace, with a history fed commit by commit (what
 * node/gitHistory.ts does from git): which changes make a link suspect and which do not, the
 * review record and its quick fix, uncommitted edits, the transitive hint, and new commits folded
 * in. The rebuild-and-compare check runs after every change.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { HistoryFold, LoggedCommit } from '../../server/src/service/history/historyFold';
import { applyTextEdits, createService, md, TEST_TODAY, type TestService } from '../helpers/memoryWorkspace';

process.env['THROUGHLINE_PARANOID'] = '1';

const STRATEGY = md`
  ---
  type: strategy
  id: STR-1
  ---
  ## OBJ-1: Make paying effortless

  - KR-1.1: Invoice conversion
    Baseline: 40%
    Target: 60%
    Current: 45%
    Due: 2027-06-30

  ### OUT-1: Payers pay without an account
  Supports: OBJ-1

  Guest checkout removes the biggest drop-off.

  ### OUT-2: Payers pay with their usual method
  Supports: OBJ-1, KR-1.1
`;

const PRD = md`
  ---
  type: prd
  id: PRD-1
  outcomes: [OUT-1]
  ---
  ### REQ-1: Pay by email alone
  Traces: OUT-1
  Priority: must

  ### REQ-2: Remember the card
  Traces: OUT-2
`;

let order = 0;
function commit(day: string, subject = `change on ${day}`, author = 'Ana'): LoggedCommit {
  order++;
  return { sha: order.toString(16).padStart(40, 'a'), time: Date.parse(`${day}T10:00:00Z`), author, subject };
}

/** A service over the files as they are now, with a history of the given commits (each: day and files' texts). */
async function withHistory(
  now: Record<string, string>,
  commits: readonly { day: string; subject?: string; files: Record<string, string | undefined> }[],
): Promise<{ t: TestService; fold: HistoryFold }> {
  const t = await createService(now);
  const fold = t.service.newHistoryFold();
  for (const entry of commits) {
    fold.apply(
      commit(entry.day, entry.subject),
      Object.entries(entry.files).map(([path, text]) => ({ uri: t.uri(path), text })),
    );
  }
  await t.service.setHistory(fold);
  return { t, fold };
}

function suspectLines(t: TestService, path: string): number[] {
  return t
    .diagnosticsOf(path, 'suspect-link')
    .filter((diagnostic) => diagnostic.severity === 2)
    .map((diagnostic) => diagnostic.range.start.line);
}

const RETITLED = STRATEGY.replace('### OUT-1: Payers pay without an account', '### OUT-1: Payers pay without a password');

describe('suspect-link: what makes a link suspect', () => {
  test('a changed outcome makes the links to it suspect; its untouched neighbour in the same file does not', async () => {
    const { t } = await withHistory({ 's.md': RETITLED, 'p.md': PRD }, [
      { day: '2026-09-01', files: { 's.md': STRATEGY, 'p.md': PRD } },
      { day: '2026-10-03', subject: 'Sharpen OUT-1', files: { 's.md': RETITLED } },
    ]);
    // The front-matter `outcomes: [OUT-1]` (line 3) and REQ-1's `Traces: OUT-1` (line 6); not REQ-2's OUT-2.
    assert.deepEqual(suspectLines(t, 'p.md'), [3, 6]);
    const [diagnostic] = t.diagnosticsOf('p.md', 'suspect-link').filter((d) => d.range.start.line === 6);
    assert.equal(
      diagnostic!.message,
      `OUT-1 changed after REQ-1's link to it was last reviewed: its title changed on 2026-10-03 in ${'2'.padStart(40, 'a').slice(0, 7)} (Ana: Sharpen OUT-1). Check that REQ-1 still serves OUT-1, then confirm the link.`,
    );
    assert.equal(diagnostic!.relatedInformation?.[0]?.location.uri, t.uri('s.md'));
    assert.equal(diagnostic!.relatedInformation?.[0]?.location.range.start.line, 12);
  });

  test('near misses: a check-in, whitespace, a status or owner change and the outcome’s own links change no meaning', async () => {
    const edited = STRATEGY.replace('Current: 45%', 'Current: 52%')
      .replace('Guest checkout removes the biggest drop-off.', 'Guest   checkout removes\nthe biggest drop-off.')
      .replace(
        '### OUT-1: Payers pay without an account\nSupports: OBJ-1',
        '### OUT-1: Payers pay without an account\nSupports: OBJ-1, KR-1.1\nStatus: approved\nOwner: ana',
      );
    const { t } = await withHistory({ 's.md': edited, 'p.md': PRD }, [
      { day: '2026-09-01', files: { 's.md': STRATEGY, 'p.md': PRD } },
      { day: '2026-10-03', files: { 's.md': edited } },
    ]);
    assert.deepEqual(t.diagnosticsOf('p.md', 'suspect-link'), []);
    // OUT-2 supports KR-1.1, whose only change is a check-in.
    assert.deepEqual(t.diagnosticsOf('s.md', 'suspect-link'), []);
  });

  test("a target changed in a figure other than Current: KR-1.1 retargeted makes OUT-2's link to it suspect", async () => {
    const retargeted = STRATEGY.replace('Target: 60%', 'Target: 70%');
    const { t } = await withHistory({ 's.md': retargeted, 'p.md': PRD }, [
      { day: '2026-09-01', files: { 's.md': STRATEGY, 'p.md': PRD } },
      { day: '2026-10-03', files: { 's.md': retargeted } },
    ]);
    const [diagnostic, ...rest] = t.diagnosticsOf('s.md', 'suspect-link');
    assert.equal(rest.length, 0);
    assert.match(diagnostic!.message, /^KR-1\.1 changed after OUT-2's link to it was last reviewed: its Target changed on 2026-10-03/);
  });

  test('diagnostics computed before the history arrives are checked again when it does', async () => {
    const t = await createService({ 's.md': RETITLED, 'p.md': PRD });
    assert.deepEqual(t.diagnosticsOf('p.md', 'suspect-link'), []);
    const fold = t.service.newHistoryFold();
    fold.apply(commit('2026-09-01'), [
      { uri: t.uri('s.md'), text: STRATEGY },
      { uri: t.uri('p.md'), text: PRD },
    ]);
    fold.apply(commit('2026-10-03'), [{ uri: t.uri('s.md'), text: RETITLED }]);
    const impact = await t.service.setHistory(fold);
    assert.ok(impact.affectedUris.has(t.uri('p.md')));
    assert.deepEqual(suspectLines(t, 'p.md'), [3, 6]);
  });

  test('a figure other than Current and the body text are changes, named in the message', async () => {
    const edited = STRATEGY.replace('Guest checkout removes the biggest drop-off.', 'Guest checkout and saved wallets remove the drop-off.');
    const { t } = await withHistory({ 's.md': edited, 'p.md': PRD }, [
      { day: '2026-09-01', files: { 's.md': STRATEGY, 'p.md': PRD } },
      { day: '2026-10-03', files: { 's.md': edited } },
    ]);
    assert.match(t.diagnosticsOf('p.md', 'suspect-link')[0]!.message, /its text changed on 2026-10-03/);
  });

  test('a link written after the change, or in the same commit, is not suspect', async () => {
    const linkedLater = PRD.replace('Traces: OUT-2', 'Traces: OUT-2, OUT-1');
    const { t } = await withHistory({ 's.md': RETITLED, 'p.md': linkedLater }, [
      { day: '2026-09-01', files: { 's.md': STRATEGY, 'p.md': PRD } },
      { day: '2026-10-03', files: { 's.md': RETITLED, 'p.md': PRD.replace('Traces: OUT-1', 'Traces: OUT-1 ') } },
      { day: '2026-10-04', files: { 'p.md': linkedLater } },
    ]);
    // REQ-1 (line 6) was linked before the change; REQ-2's new link to OUT-1 (line 10) after it.
    assert.deepEqual(suspectLines(t, 'p.md'), [3, 6]);
  });

  test('a file renamed, and an item moved to another file unchanged, change nothing', async () => {
    const withoutOut2 = STRATEGY.slice(0, STRATEGY.indexOf('### OUT-2'));
    const out2File = md`
      ---
      type: strategy
      id: STR-2
      ---
      ### OUT-2: Payers pay with their usual method
      Supports: OBJ-1
    `;
    const { t } = await withHistory({ 'renamed.md': withoutOut2, 'o2.md': out2File, 'p.md': PRD }, [
      { day: '2026-09-01', files: { 's.md': STRATEGY, 'p.md': PRD } },
      { day: '2026-10-03', files: { 's.md': undefined, 'renamed.md': STRATEGY } },
      { day: '2026-10-04', files: { 'renamed.md': withoutOut2, 'o2.md': out2File } },
    ]);
    assert.deepEqual(t.diagnosticsOf('p.md', 'suspect-link'), []);
  });

  test('an outcome that went for a commit (its file unreadable, or deleted) and came back changed makes the links to it suspect', async () => {
    const broken = STRATEGY.replace('type: strategy', 'type: [strategy');
    const { t } = await withHistory({ 's.md': RETITLED, 'p.md': PRD }, [
      { day: '2026-09-01', files: { 's.md': STRATEGY, 'p.md': PRD } },
      { day: '2026-10-01', files: { 's.md': broken } },
      { day: '2026-10-03', subject: 'Fixed and retitled', files: { 's.md': RETITLED } },
    ]);
    assert.deepEqual(suspectLines(t, 'p.md'), [3, 6]);
    assert.match(t.diagnosticsOf('p.md', 'suspect-link')[0]!.message, /its title changed on 2026-10-03/);
  });

  test('near miss: an outcome that went for a commit and came back as it was changes nothing', async () => {
    const broken = STRATEGY.replace('type: strategy', 'type: [strategy');
    const { t, fold } = await withHistory({ 's.md': STRATEGY, 'p.md': PRD }, [
      { day: '2026-09-01', files: { 's.md': STRATEGY, 'p.md': PRD } },
      { day: '2026-10-01', files: { 's.md': broken } },
      { day: '2026-10-03', files: { 's.md': STRATEGY } },
      { day: '2026-10-05', files: { 's.md': undefined } },
      { day: '2026-10-07', files: { 's.md': STRATEGY } },
    ]);
    assert.deepEqual(t.diagnosticsOf('p.md', 'suspect-link'), []);
    // Nor is its unchanged `Current:` a check-in each time it comes back.
    assert.deepEqual(
      fold.checkInsOf('KR-1.1').map((checkIn) => checkIn.value),
      ['45%'],
    );
  });

  test('a key result that comes back with another value is checked in once, with that value', async () => {
    const broken = STRATEGY.replace('type: strategy', 'type: [strategy');
    const { fold } = await withHistory({ 's.md': STRATEGY.replace('Current: 45%', 'Current: 50%'), 'p.md': PRD }, [
      { day: '2026-09-01', files: { 's.md': STRATEGY, 'p.md': PRD } },
      { day: '2026-10-01', files: { 's.md': broken } },
      { day: '2026-10-03', files: { 's.md': STRATEGY.replace('Current: 45%', 'Current: 50%') } },
    ]);
    assert.deepEqual(
      fold.checkInsOf('KR-1.1').map((checkIn) => [checkIn.value, new Date(checkIn.commit!.time).toISOString().slice(0, 10)]),
      [
        ['45%', '2026-09-01'],
        ['50%', '2026-10-03'],
      ],
    );
  });

  test('an index a host offers for a version is used only if it reads as made from that text', async () => {
    const t = await createService({ 's.md': STRATEGY, 'p.md': PRD });
    const fold = t.service.newHistoryFold();
    const stale = t.service.diskIndex(t.uri('s.md'));
    assert.ok(stale);
    fold.apply(commit('2026-09-01'), [{ uri: t.uri('s.md'), text: STRATEGY, index: stale }]);
    // The file changed on disk and was committed before the service heard of it: its index is of the old text.
    fold.apply(commit('2026-10-03'), [{ uri: t.uri('s.md'), text: RETITLED, index: stale }]);
    assert.deepEqual(fold.lastChange('OUT-1')?.parts, ['title']);
    // Text added after a title keeps the old title a substring of the line: still a change.
    const appended = RETITLED.replace('without a password', 'without a password (v2)');
    const retitledIndex = (await createService({ 's.md': RETITLED })).service.diskIndex(t.uri('s.md'));
    fold.apply(commit('2026-10-03'), [{ uri: t.uri('s.md'), text: appended, index: retitledIndex }]);
    assert.equal(fold.lastChange('OUT-1')?.commit?.order, fold.commitCount);
    const retargeted = STRATEGY.replace('Target: 60%', 'Target: 70%');
    fold.apply(commit('2026-10-04'), [{ uri: t.uri('s.md'), text: retargeted, index: stale }]);
    assert.deepEqual(fold.lastChange('KR-1.1')?.parts, ['Target']);
  });

  test('without a history, and with a deprecated target, the rule is silent', async () => {
    const t = await createService({ 's.md': RETITLED, 'p.md': PRD });
    assert.deepEqual(t.diagnosticsOf('p.md', 'suspect-link'), []);
    const deprecated = RETITLED.replace('Supports: OBJ-1\n\nGuest', 'Supports: OBJ-1\nStatus: deprecated\n\nGuest');
    const { t: t2 } = await withHistory({ 's.md': deprecated, 'p.md': PRD }, [
      { day: '2026-09-01', files: { 's.md': STRATEGY, 'p.md': PRD } },
      { day: '2026-10-03', files: { 's.md': deprecated } },
    ]);
    assert.deepEqual(t2.diagnosticsOf('p.md', 'suspect-link'), []);
  });
});

describe('suspect-link: confirming a link', () => {
  async function confirm(prdNow: string, line: number): Promise<{ t: TestService; text: string; title: string }> {
    const { t } = await withHistory({ 's.md': RETITLED, 'p.md': prdNow }, [
      { day: '2026-09-01', files: { 's.md': STRATEGY, 'p.md': prdNow } },
      { day: '2026-10-03', files: { 's.md': RETITLED } },
    ]);
    const diagnostic = t.diagnosticsOf('p.md', 'suspect-link').find((d) => d.range.start.line === line)!;
    const actions = t.service.getCodeActions(t.doc('p.md'), [diagnostic]);
    assert.equal(actions.length, 1);
    const text = applyTextEdits(prdNow, actions[0]!.edit!.changes![t.uri('p.md')]!);
    t.change('p.md', text);
    return { t, text, title: actions[0]!.title };
  }

  test('"Confirm REQ-1 still serves OUT-1" writes a Reviewed line under the item, which clears the link at once', async () => {
    const { t, text, title } = await confirm(PRD, 6);
    assert.equal(title, 'Confirm REQ-1 still serves OUT-1');
    assert.equal(text, PRD.replace('Priority: must\n', 'Priority: must\nReviewed: OUT-1 2026-11-22\n'));
    assert.deepEqual(suspectLines(t, 'p.md'), [3]);
  });

  test('an existing review record gets the entry added; bullets keep their style', async () => {
    const bullets = PRD.replace('Traces: OUT-1\nPriority: must', '- Traces: OUT-1\n- Reviewed: OUT-9 2026-01-02');
    const { text } = await confirm(bullets, 6);
    assert.ok(text.includes('- Reviewed: OUT-9 2026-01-02, OUT-1 2026-11-22\n'), text);
  });

  test("a PRD's front-matter link is confirmed in the front-matter", async () => {
    const { t, text, title } = await confirm(PRD, 3);
    assert.equal(title, 'Confirm PRD-1 still serves OUT-1');
    assert.ok(text.startsWith('---\ntype: prd\nid: PRD-1\noutcomes: [OUT-1]\nreviewed_links: [OUT-1 2026-11-22]\n---\n'), text);
    assert.deepEqual(suspectLines(t, 'p.md'), [7]);
  });

  test('a review made in the pull request that changed the target still counts once it lands in a merge commit dated later', async () => {
    // The branch changed OUT-1 and confirmed REQ-1's link on 2026-11-05; main got both in one commit
    // (a --no-ff or squash merge) on 2026-11-10, later than the date the review wrote.
    const reviewed = PRD.replace('Priority: must', 'Priority: must\nReviewed: OUT-1 2026-11-05');
    const { t } = await withHistory({ 's.md': RETITLED, 'p.md': reviewed }, [
      { day: '2026-09-01', files: { 's.md': STRATEGY, 'p.md': PRD } },
      { day: '2026-11-10', subject: 'Merge branch feat', files: { 's.md': RETITLED, 'p.md': reviewed } },
    ]);
    // The front-matter link (line 3) was not confirmed; REQ-1's (line 6) was.
    assert.deepEqual(suspectLines(t, 'p.md'), [3]);
  });

  test('a review committed after the change counts, whatever date it wrote', async () => {
    const reviewed = PRD.replace('Priority: must', 'Priority: must\nReviewed: OUT-1 2026-09-15');
    const { t } = await withHistory({ 's.md': RETITLED, 'p.md': reviewed }, [
      { day: '2026-09-01', files: { 's.md': STRATEGY, 'p.md': PRD } },
      { day: '2026-10-03', files: { 's.md': RETITLED } },
      { day: '2026-10-04', subject: 'Confirm links', files: { 'p.md': reviewed } },
    ]);
    assert.deepEqual(suspectLines(t, 'p.md'), [3]);
  });

  test('a review that is no day, or after today, confirms nothing, and invalid-review says so on the entry', async () => {
    for (const [entry, why] of [
      ['OUT-1 2026-13-45', 'has 2026-13-45, which is no day of the calendar'],
      ['OUT-1 2099-01-01', 'is dated 2099-01-01, after today'],
      ['OUT-1 soon', 'has no date written as YYYY-MM-DD'],
    ] as const) {
      const reviewed = PRD.replace('Priority: must', `Priority: must\nReviewed: ${entry}`);
      const { t } = await withHistory({ 's.md': RETITLED, 'p.md': reviewed }, [
        { day: '2026-09-01', files: { 's.md': STRATEGY, 'p.md': reviewed } },
        { day: '2026-10-03', files: { 's.md': RETITLED } },
      ]);
      assert.deepEqual(suspectLines(t, 'p.md'), [3, 6], entry);
      const today = TEST_TODAY.toISOString().slice(0, 10);
      assert.deepEqual(
        t.diagnosticsOf('p.md', 'invalid-review').map((diagnostic) => diagnostic.message),
        [`\`${entry}\` ${why}, so it confirms nothing: write the ID and the day it was reviewed, as \`OUT-1 ${today}\`.`],
      );
    }
  });

  test("days are the committer's: a change committed at 20:00 in California on 2026-11-18 is covered by a review of that day", async () => {
    const reviewed = PRD.replace('Priority: must', 'Priority: must\nReviewed: OUT-1 2026-11-18');
    const t = await createService({ 's.md': RETITLED, 'p.md': reviewed });
    const fold = t.service.newHistoryFold();
    fold.apply(commit('2026-09-01'), [
      { uri: t.uri('s.md'), text: STRATEGY },
      { uri: t.uri('p.md'), text: PRD },
    ]);
    // 2026-11-19T04:00Z, made on the evening of 2026-11-18 at -08:00.
    fold.apply({ ...commit('2026-11-19'), time: Date.parse('2026-11-19T04:00:00Z'), day: '2026-11-18', subject: 'Evening edit' }, [
      { uri: t.uri('s.md'), text: RETITLED },
    ]);
    await t.service.setHistory(fold);
    // REQ-1's link (line 6) is confirmed; the front-matter link (line 3) was not, and its message names the committer's day.
    assert.deepEqual(suspectLines(t, 'p.md'), [3]);
    assert.match(t.diagnosticsOf('p.md', 'suspect-link')[0]!.message, / changed on 2026-11-18 in /);
  });

  test('near misses: a review committed after the change but dated after that commit, or long before it, counts only by its date', async () => {
    for (const date of ['2099-01-01', '2001-01-01']) {
      const reviewed = PRD.replace('Priority: must', `Priority: must\nReviewed: OUT-1 ${date}`);
      const { t } = await withHistory({ 's.md': RETITLED, 'p.md': reviewed }, [
        { day: '2026-09-01', files: { 's.md': STRATEGY, 'p.md': PRD } },
        { day: '2026-10-03', files: { 's.md': RETITLED } },
        { day: '2026-10-05', files: { 'p.md': reviewed } },
      ]);
      assert.deepEqual(suspectLines(t, 'p.md'), [3, 6], date);
    }
  });

  test('a change committed ahead of UTC (08:00 in Tokyo, still the day before in UTC) is covered by a review of the UTC day the quick fix writes', async () => {
    const reviewed = PRD.replace('Priority: must', 'Priority: must\nReviewed: OUT-1 2026-11-21');
    const t = await createService({ 's.md': RETITLED, 'p.md': reviewed });
    const fold = t.service.newHistoryFold();
    fold.apply(commit('2026-09-01'), [
      { uri: t.uri('s.md'), text: STRATEGY },
      { uri: t.uri('p.md'), text: PRD },
    ]);
    fold.apply({ ...commit('2026-11-21'), time: Date.parse('2026-11-21T23:00:00Z'), day: '2026-11-22' }, [{ uri: t.uri('s.md'), text: RETITLED }]);
    await t.service.setHistory(fold);
    assert.deepEqual(suspectLines(t, 'p.md'), [3]);
  });

  test('a confirmation older than the change does not clear it', async () => {
    const reviewedBefore = PRD.replace('Priority: must', 'Priority: must\nReviewed: OUT-1 2026-09-15');
    const { t } = await withHistory({ 's.md': RETITLED, 'p.md': reviewedBefore }, [
      { day: '2026-09-01', files: { 's.md': STRATEGY, 'p.md': reviewedBefore } },
      { day: '2026-10-03', files: { 's.md': RETITLED } },
    ]);
    assert.deepEqual(suspectLines(t, 'p.md'), [3, 6]);
  });
});

describe('suspect-link: uncommitted edits, the chain above, new commits', () => {
  test('an outcome edited in the editor makes the links to it suspect at once; undoing the edit clears them', async () => {
    const { t } = await withHistory({ 's.md': STRATEGY, 'p.md': PRD }, [{ day: '2026-09-01', files: { 's.md': STRATEGY, 'p.md': PRD } }]);
    assert.deepEqual(suspectLines(t, 'p.md'), []);
    t.change('s.md', RETITLED);
    assert.deepEqual(suspectLines(t, 'p.md'), [3, 6]);
    assert.match(t.diagnosticsOf('p.md', 'suspect-link')[0]!.message, /its title changed in edits not yet committed/);
    t.change('s.md', STRATEGY);
    assert.deepEqual(suspectLines(t, 'p.md'), []);
  });

  test('a link written in the editor since the last commit is not suspect', async () => {
    const { t } = await withHistory({ 's.md': STRATEGY, 'p.md': PRD }, [{ day: '2026-09-01', files: { 's.md': STRATEGY, 'p.md': PRD } }]);
    t.change('s.md', RETITLED);
    t.change('p.md', PRD.replace('Traces: OUT-2', 'Traces: OUT-2, OUT-1'));
    assert.deepEqual(suspectLines(t, 'p.md'), [3, 6]);
  });

  test('a requirement whose outcome is itself suspect against its objective gets a hint', async () => {
    const objectiveChanged = STRATEGY.replace('## OBJ-1: Make paying effortless', '## OBJ-1: Make paying effortless for large accounts');
    const { t } = await withHistory({ 's.md': objectiveChanged, 'p.md': PRD }, [
      { day: '2026-09-01', files: { 's.md': STRATEGY, 'p.md': PRD } },
      { day: '2026-10-03', files: { 's.md': objectiveChanged } },
    ]);
    assert.equal(t.diagnosticsOf('s.md', 'suspect-link').length, 2);
    const hints = t.diagnosticsOf('p.md', 'suspect-link').filter((diagnostic) => diagnostic.severity === 4);
    assert.deepEqual(
      hints.map((hint) => hint.range.start.line),
      [3, 6, 10],
    );
    assert.match(hints[1]!.message, /^OUT-1 is itself suspect: OBJ-1 changed after OUT-1's link to it was last reviewed/);
  });

  test('a new commit folded in makes the links to what it changed suspect, and re-checks only their readers', async () => {
    const { t, fold } = await withHistory({ 's.md': STRATEGY, 'p.md': PRD }, [{ day: '2026-09-01', files: { 's.md': STRATEGY, 'p.md': PRD } }]);
    assert.deepEqual(suspectLines(t, 'p.md'), []);
    // The change is made on disk and committed, as a user would.
    t.workspace.set('s.md', RETITLED);
    await t.service.fileChanged(t.uri('s.md'));
    assert.deepEqual(suspectLines(t, 'p.md'), [3, 6]);
    const changed = fold.apply(commit('2026-10-03', 'Sharpen OUT-1'), [{ uri: t.uri('s.md'), text: RETITLED }]);
    assert.ok(changed.has('OUT-1'));
    const impact = await t.service.historyAdvanced(changed);
    assert.ok(impact.affectedUris.has(t.uri('p.md')));
    assert.match(t.diagnosticsOf('p.md', 'suspect-link')[0]!.message, /its title changed on 2026-10-03 in [0-9a]{7} \(Ana: Sharpen OUT-1\)/);
  });
});
