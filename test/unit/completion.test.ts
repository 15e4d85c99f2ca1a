/**
 * Completion: IDs of the right kind after `Traces:` / `Supports:` / front-matter links, IDs
 * wherever a prefix is typed, front-matter keys and enum values, and the incomplete flag.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CompletionItemKind, type CompletionList, type TextEdit } from 'vscode-languageserver-types';
import { CLEAN_WORKSPACE } from '../helpers/fixtures';
import { range, serviceWithCursor } from '../helpers/memoryWorkspace';

async function complete(fixture: string, extra: Record<string, string> = {}): Promise<CompletionList> {
  const t = await serviceWithCursor({ ...CLEAN_WORKSPACE, ...extra, 'cursor.md': fixture }, 'cursor.md');
  return t.service.getCompletions(t.document, t.position);
}

const labels = (list: CompletionList) => list.items.map((item) => item.label);
const PRD_HEAD = '---\ntype: prd\nid: PRD-9\n---\n';

describe('IDs in link attributes', () => {
  test('after Traces: only outcomes, in natural order, with title and file', async () => {
    const list = await complete(`${PRD_HEAD}### REQ-9: New\nTraces: |\n`);
    assert.deepEqual(labels(list), ['OUT-1', 'OUT-2', 'OUT-3']);
    assert.equal(list.isIncomplete, false);
    const first = list.items[0]!;
    assert.equal(first.kind, CompletionItemKind.Reference);
    assert.equal(first.detail, 'outcome — Payers pay without an account');
    assert.equal(first.documentation, 'strategy.md');
    assert.deepEqual((first.textEdit as TextEdit).range, range(5, 8, 8));
  });

  test("the edit starts where Vim's keyword starts, so every client inserts the same valid ID", async () => {
    // After `OUT-` the edit inserts `2` from the cursor: Neovim's omnifunc, which ignores the range
    // and inserts from the keyword start (after `-`), and clients that honour it agree.
    const typed = await complete(`${PRD_HEAD}### REQ-9: New\nTraces: OUT-|\n`);
    assert.deepEqual(labels(typed), ['OUT-1', 'OUT-2', 'OUT-3']);
    assert.deepEqual(typed.items[1]!.textEdit, { range: range(5, 12, 12), newText: '2' });
    assert.equal(typed.items[1]!.filterText, 'OUT-2');
    const line = 'Traces: OUT-';
    const keywordStart = line.length; // `-` is not a keyword character
    assert.equal(line.slice(0, keywordStart) + (typed.items[1]!.textEdit as TextEdit).newText, 'Traces: OUT-2');
    // A digit typed after the dash is part of the keyword run and is replaced with the rest.
    const digit = await complete(`${PRD_HEAD}### REQ-9: New\nTraces: OUT-|\n`.replace('OUT-|', 'OUT-1|'));
    assert.deepEqual(digit.items[0]!.textEdit, { range: range(5, 12, 13), newText: '1' });
  });

  test('the rest of the ID after the cursor is replaced too', async () => {
    const middle = await complete(`${PRD_HEAD}### REQ-9: New\nTraces: OUT-1, OU|T-3\n`);
    // The IDs the document already names come first.
    assert.deepEqual(labels(middle), ['OUT-1', 'OUT-3', 'OUT-2']);
    assert.deepEqual(middle.items[0]!.textEdit, { range: range(5, 15, 20), newText: 'OUT-1' });
  });

  test('near miss: a prefix typed in another case is replaced whole, so the ID comes out in its own case', async () => {
    const lower = await complete(`${PRD_HEAD}### REQ-9: New\nTraces: Out-|\n`);
    assert.deepEqual(labels(lower), ['OUT-1', 'OUT-2', 'OUT-3']);
    assert.deepEqual(lower.items[0]!.textEdit, { range: range(5, 8, 12), newText: 'OUT-1' });
  });

  test('after Supports: objectives and key results, but no outcomes or requirements', async () => {
    const list = await complete('---\ntype: strategy\nid: STR-9\n---\n### OUT-9: New\nSupports: |\n');
    assert.deepEqual(labels(list).sort(), ['KR-1.1', 'KR-1.2', 'KR-2.1', 'KR-2.2', 'OBJ-1', 'OBJ-2']);
    const narrowed = await complete('---\ntype: strategy\nid: STR-9\n---\n- OUT-9: New\n  supports: KR-1|\n');
    assert.deepEqual(labels(narrowed), ['KR-1.1', 'KR-1.2']);
  });

  test('near miss: after another attribute nothing is offered unless a prefix is typed', async () => {
    assert.deepEqual(labels(await complete(`${PRD_HEAD}### REQ-9: New\nPriority: |\n`)), []);
  });
});

describe('IDs in front-matter links', () => {
  test('vision: offers visions', async () => {
    const list = await complete('---\ntype: strategy\nid: STR-9\nvision: |\n---\n');
    assert.deepEqual(labels(list), ['VIS-1']);
  });

  test('outcomes: offers outcomes in a flow list and in a block list', async () => {
    assert.deepEqual(labels(await complete('---\ntype: prd\nid: PRD-9\noutcomes: [OUT-1, |]\n---\n')), ['OUT-1', 'OUT-2', 'OUT-3']);
    assert.deepEqual(labels(await complete('---\ntype: prd\nid: PRD-9\noutcomes:\n  - OUT-|\n---\n')), ['OUT-1', 'OUT-2', 'OUT-3']);
  });
});

describe('IDs wherever a prefix is typed', () => {
  test('a typed prefix in prose offers IDs of every kind that match it', async () => {
    assert.deepEqual(labels(await complete(`${PRD_HEAD}This builds on KR-|\n`)), ['KR-1.1', 'KR-1.2', 'KR-2.1', 'KR-2.2']);
    assert.deepEqual(labels(await complete(`${PRD_HEAD}See OB|\n`)), ['OBJ-1', 'OBJ-2']);
    assert.deepEqual(labels(await complete(`${PRD_HEAD}Builds on RE|\n`)), ['REQ-1.1', 'REQ-1.2', 'REQ-2.1']);
  });

  test('near misses: one letter, an unknown prefix, lower case and the middle of a word offer nothing', async () => {
    for (const fixture of ['See O|', 'See XYZ-|', 'see out-|', 'See aOUT-|', 'A path/OUT-|']) {
      assert.deepEqual(labels(await complete(`${PRD_HEAD}${fixture}\n`)), [], fixture);
    }
  });

  test('near miss: a document without strategy front-matter gets no ID completions', async () => {
    assert.deepEqual(labels(await complete('# Notes\n\nTraces: OUT-|\n')), []);
  });
});

describe('front-matter keys and values', () => {
  test('keys of the document type that are not there yet', async () => {
    const list = await complete('---\ntype: strategy\nid: STR-9\n|\n---\n');
    const keys = labels(list);
    assert.ok(keys.includes('vision') && keys.includes('period') && keys.includes('title'), keys.join());
    assert.ok(!keys.includes('id') && !keys.includes('type'), 'present keys are not offered again');
    assert.ok(!keys.includes('outcomes'), 'PRD keys are not offered in a strategy');
    const vision = list.items.find((item) => item.label === 'vision')!;
    assert.equal(vision.kind, CompletionItemKind.Property);
    assert.deepEqual(vision.textEdit, { range: range(3, 0, 0), newText: 'vision: ' });
  });

  test('without a type line, only type is offered; typing a key replaces it', async () => {
    assert.deepEqual(labels(await complete('---\n|\n---\n')), ['type']);
    const list = await complete('---\ntype: prd\nid: PRD-9\nout|\n---\n');
    const outcomes = list.items.find((item) => item.label === 'outcomes')!;
    assert.deepEqual(outcomes.textEdit, { range: range(3, 0, 3), newText: 'outcomes: ' });
  });

  test('enum values for type, status and PRD enums', async () => {
    assert.deepEqual(labels(await complete('---\ntype: |\n---\n')), ['vision', 'strategy', 'prd']);
    const status = await complete('---\ntype: prd\nid: PRD-9\nstatus: re|\n---\n');
    assert.deepEqual(labels(status), ['draft', 'review', 'approved', 'shipped', 'deprecated']);
    assert.deepEqual(status.items[1]!.textEdit, { range: range(3, 8, 10), newText: 'review' });
    assert.deepEqual(labels(await complete('---\ntype: prd\nid: PRD-9\ninnovation: |\n---\n')), ['core', 'adjacent', 'disruptive']);
    assert.deepEqual(labels(await complete('---\ntype: prd\nid: PRD-9\nhorizon: |\n---\n')), ['now', 'next', 'later']);
  });

  test("a vision's horizon is a year or free text, so the PRD horizon values are not offered", async () => {
    assert.deepEqual(labels(await complete('---\ntype: vision\nid: VIS-9\nhorizon: |\n---\n')), []);
  });

  test('near miss: free-text keys get no value completions; the front-matter fences get none', async () => {
    assert.deepEqual(labels(await complete('---\ntype: prd\nid: PRD-9\nteam: |\n---\n')), []);
    assert.deepEqual(labels(await complete('---|\ntype: prd\nid: PRD-9\n---\n')), []);
  });
});

describe('isIncomplete', () => {
  const manyOutcomes = (count: number) => {
    let text = '---\ntype: strategy\nid: STR-50\n---\n';
    for (let i = 1; i <= count; i++) text += `- OUT-${1000 + i}: Outcome ${i}\n`;
    return text;
  };

  test('more matches than the limit: the list is cut at 50 and marked incomplete', async () => {
    const list = await complete(`${PRD_HEAD}### REQ-9: New\nTraces: OUT-|\n`, { 'many.md': manyOutcomes(600) });
    assert.equal(list.items.length, 50);
    assert.equal(list.isIncomplete, true);
    assert.equal(list.items[0]!.label, 'OUT-1');
  });

  test("the PRD's own outcomes come first, then the rest in natural order", async () => {
    const head = '---\ntype: prd\nid: PRD-9\noutcomes: [OUT-1590]\n---\n';
    const list = await complete(`${head}### REQ-8: Old\nTraces: OUT-1333\n### REQ-9: New\nTraces: OUT-|\n`, { 'many.md': manyOutcomes(600) });
    assert.deepEqual(labels(list).slice(0, 4), ['OUT-1333', 'OUT-1590', 'OUT-1', 'OUT-2']);
    assert.equal(list.items.length, 50);
    assert.deepEqual(
      list.items.slice(0, 3).map((item) => item.sortText),
      ['000000', '000001', '000002'],
      'sortText keeps the ranking in clients that sort',
    );
    const narrowed = await complete(`${head}### REQ-9: New\nTraces: OUT-12|\n`, { 'many.md': manyOutcomes(600) });
    assert.equal(labels(narrowed)[0], 'OUT-1200', 'near miss: an own outcome that does not match what is typed is not offered');
    assert.ok(!labels(narrowed).includes('OUT-1590'));
  });

  test('the exact ID typed is offered even when more than the limit of longer IDs start with it', async () => {
    const list = await complete(`${PRD_HEAD}### REQ-9: New\nTraces: OUT-1|\n`, { 'many.md': manyOutcomes(600) });
    assert.equal(list.isIncomplete, true);
    assert.ok(labels(list).includes('OUT-1'), 'OUT-1 must be among the items, else it can never be completed');
  });

  test('typing narrows the list below the limit: complete again', async () => {
    const list = await complete(`${PRD_HEAD}### REQ-9: New\nTraces: OUT-150|\n`, { 'many.md': manyOutcomes(600) });
    assert.equal(list.isIncomplete, false);
    assert.equal(list.items.length, 10);
  });

  test('near miss: exactly the limit is complete', async () => {
    const list = await complete(`${PRD_HEAD}### REQ-9: New\nTraces: OUT-10|\n`, { 'many.md': manyOutcomes(50) });
    assert.deepEqual([list.items.length, list.isIncomplete], [50, false], 'OUT-1001 … OUT-1050');
    const over = await complete(`${PRD_HEAD}### REQ-9: New\nTraces: OUT-10|\n`, { 'many.md': manyOutcomes(51) });
    assert.deepEqual([over.items.length, over.isIncomplete], [50, true]);
  });
});
