/**
 * Call hierarchy on the trace chain: an item's outgoing calls are what it serves (requirement →
 * outcome → key result or objective → strategy → vision, PRD → outcome), its incoming calls the
 * items that serve it; `fromRanges` are the link references (or, for an item written under
 * another, its definition), in the caller's document.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { SymbolKind, SymbolTag, type CallHierarchyItem, type Range } from 'vscode-languageserver-types';
import { CLEAN_WORKSPACE, MINI_STRATEGY } from '../helpers/fixtures';
import { createService, md, range, ROOT, type TestService } from '../helpers/memoryWorkspace';

/** A call as `ID in path at ranges`: the other item (the caller for incoming calls, the callee for outgoing ones), then the ranges in the caller's document. */
const show = (other: CallHierarchyItem, ranges: readonly Range[]) =>
  `${other.name} in ${other.uri.slice(ROOT.length + 1)} at ${ranges.map((at) => `${at.start.line}:${at.start.character}-${at.end.character}${at.end.line === at.start.line ? '' : `@${at.end.line}`}`).join(' ')}`;

function hierarchy(t: TestService) {
  const prepare = (path: string, line: number, character: number) => t.service.prepareCallHierarchy(t.doc(path), { line, character });
  const itemAt = (path: string, line: number, character: number): CallHierarchyItem => {
    const items = prepare(path, line, character);
    assert.equal(items.length, 1);
    return items[0]!;
  };
  return {
    prepare,
    itemAt,
    incoming: (item: CallHierarchyItem) => t.service.getIncomingCalls(item).map((call) => show(call.from, call.fromRanges)),
    outgoing: (item: CallHierarchyItem) => t.service.getOutgoingCalls(item).map((call) => show(call.to, call.fromRanges)),
  };
}

describe('call hierarchy', () => {
  test('prepare on a definition: the item, its section as range, its ID as selection range and the ID in data', async () => {
    const t = await createService(CLEAN_WORKSPACE);
    // L23 `### OUT-1: Payers pay without an account` … L27 (blank), L28 `### OUT-2`.
    assert.deepEqual(hierarchy(t).prepare('strategy.md', 23, 6), [
      {
        name: 'OUT-1',
        kind: SymbolKind.Event,
        detail: 'Payers pay without an account',
        uri: t.uri('strategy.md'),
        range: range(23, 0, 28, 0),
        selectionRange: range(23, 4, 9),
        data: { id: 'OUT-1' },
      },
    ]);
  });

  test('prepare on a reference gives the item it names; a document item spans its file; the last line ends at its length', async () => {
    const t = await createService(CLEAN_WORKSPACE);
    const { itemAt } = hierarchy(t);
    assert.deepEqual(itemAt('prds/checkout.md', 17, 9), itemAt('strategy.md', 23, 6));
    // vision.md: `id: VIS-1` on L2, 11 lines, the last one empty.
    const vision = itemAt('strategy.md', 4, 9);
    assert.deepEqual(
      [vision.name, vision.kind, vision.uri, vision.range, vision.selectionRange],
      ['VIS-1', SymbolKind.Package, t.uri('vision.md'), range(0, 0, 10, 0), range(2, 4, 9)],
    );
    const requirement = itemAt('prds/checkout.md', 16, 5);
    assert.deepEqual([requirement.name, requirement.kind, requirement.range], ['REQ-1.2', SymbolKind.Function, range(16, 0, 18, 0)]);
  });

  test('an outcome: requirements tracing it and PRDs listing it come in; what it supports goes out', async () => {
    const t = await createService(CLEAN_WORKSPACE);
    const { itemAt, incoming, outgoing } = hierarchy(t);
    const outcome = itemAt('strategy.md', 23, 6);
    assert.deepEqual(incoming(outcome), [
      'PRD-1 in prds/checkout.md at 6:11-16',
      'REQ-1.1 in prds/checkout.md at 13:8-13',
      'REQ-1.2 in prds/checkout.md at 17:8-13',
    ]);
    assert.deepEqual(outgoing(outcome), ['OBJ-1 in strategy.md at 24:10-15', 'KR-1.1 in strategy.md at 24:17-23']);
  });

  test('up the chain: requirement → outcomes → key result → objective → strategy → vision, then nothing', async () => {
    const t = await createService(CLEAN_WORKSPACE);
    const { itemAt, outgoing } = hierarchy(t);
    assert.deepEqual(outgoing(itemAt('prds/checkout.md', 16, 5)), ['OUT-1 in strategy.md at 17:8-13', 'OUT-2 in strategy.md at 17:15-20']);
    assert.deepEqual(outgoing(itemAt('strategy.md', 28, 5)), ['KR-1.2 in strategy.md at 29:10-16']);
    // A key result and an objective serve what they are written under; the range is their own ID.
    assert.deepEqual(outgoing(itemAt('strategy.md', 18, 3)), ['OBJ-1 in strategy.md at 18:2-8']);
    assert.deepEqual(outgoing(itemAt('strategy.md', 10, 4)), ['STR-1 in strategy.md at 10:3-8']);
    assert.deepEqual(outgoing(itemAt('strategy.md', 2, 5)), ['VIS-1 in vision.md at 4:8-13']);
    assert.deepEqual(outgoing(itemAt('vision.md', 2, 5)), []);
    assert.deepEqual(outgoing(itemAt('prds/checkout.md', 2, 5)), ['OUT-1 in strategy.md at 6:11-16', 'OUT-2 in strategy.md at 6:18-23']);
  });

  test('down the chain: the vision, the strategy, an objective and a key result, callers in document order', async () => {
    const t = await createService(CLEAN_WORKSPACE);
    const { itemAt, incoming } = hierarchy(t);
    assert.deepEqual(incoming(itemAt('vision.md', 2, 5)), ['STR-1 in strategy.md at 4:8-13']);
    assert.deepEqual(incoming(itemAt('strategy.md', 2, 5)), ['OBJ-1 in strategy.md at 10:3-8', 'OBJ-2 in strategy.md at 31:3-8']);
    assert.deepEqual(incoming(itemAt('strategy.md', 10, 4)), [
      'KR-1.1 in strategy.md at 12:2-8',
      'KR-1.2 in strategy.md at 18:2-8',
      'OUT-1 in strategy.md at 24:10-15',
    ]);
    assert.deepEqual(incoming(itemAt('strategy.md', 12, 3)), ['OUT-1 in strategy.md at 24:17-23']);
    assert.deepEqual(incoming(itemAt('prds/checkout.md', 12, 5)), []);
  });

  test('one caller linking twice is one call with both ranges; prose mentions and unknown targets are no calls', async () => {
    const prd = md`
      ---
      type: prd
      id: PRD-1
      ---
      ### REQ-1: Requirement one
      Traces: OUT-1, OUT-99, OUT-1

      ### REQ-2: Requirement two
      Mentions OUT-1 in prose only.
    `;
    const t = await createService({ 's.md': MINI_STRATEGY, 'p.md': prd });
    const { itemAt, incoming, outgoing } = hierarchy(t);
    assert.deepEqual(outgoing(itemAt('p.md', 4, 5)), ['OUT-1 in s.md at 5:8-13 5:23-28']);
    assert.deepEqual(outgoing(itemAt('p.md', 7, 5)), []);
    assert.deepEqual(incoming(itemAt('s.md', 13, 5)), ['REQ-1 in p.md at 5:8-13 5:23-28']);
  });

  test('a deprecated item, and an item of a deprecated document, is tagged', async () => {
    const strategy = `${MINI_STRATEGY}### OUT-2: Old outcome\nSupports: KR-1.2\nStatus: deprecated\n`;
    const oldPrd = '---\ntype: prd\nid: PRD-9\nstatus: deprecated\n---\n### REQ-9: Old requirement\nTraces: OUT-1\n';
    const t = await createService({ 's.md': strategy, 'old.md': oldPrd });
    const { itemAt } = hierarchy(t);
    assert.deepEqual(itemAt('s.md', 15, 5).tags, [SymbolTag.Deprecated]);
    assert.equal(itemAt('s.md', 13, 5).tags, undefined);
    const incoming = t.service.getIncomingCalls(itemAt('s.md', 13, 5));
    assert.deepEqual(
      incoming.map((call) => [call.from.name, call.from.tags]),
      [['REQ-9', [SymbolTag.Deprecated]]],
    );
  });

  test('near misses: no ID, an unknown ID, and follow-ups whose data names no item get nothing', async () => {
    const t = await createService({ ...CLEAN_WORKSPACE, 'p.md': '---\ntype: prd\nid: PRD-2\n---\n### REQ-2: R\nTraces: OUT-99\n' });
    const { prepare, itemAt } = hierarchy(t);
    assert.deepEqual(prepare('prds/checkout.md', 14, 3), []);
    assert.deepEqual(prepare('p.md', 5, 10), []);
    const valid = itemAt('strategy.md', 23, 6);
    for (const data of [undefined, null, 'OUT-1', { id: 7 }, { id: 'OUT-404' }, Object.create({ id: 'OUT-1' }) as unknown]) {
      const item = { ...valid, data };
      assert.deepEqual(t.service.getIncomingCalls(item), [], JSON.stringify(data));
      assert.deepEqual(t.service.getOutgoingCalls(item), [], JSON.stringify(data));
    }
    // A client's item is untrusted input: not even an object.
    assert.deepEqual(t.service.getIncomingCalls(null as unknown as CallHierarchyItem), []);
    // The URI picks nothing, the ID still names the item.
    assert.equal(t.service.getOutgoingCalls({ ...valid, uri: 42 as unknown as string }).length, 2);
  });
});
