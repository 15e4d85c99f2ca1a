/**
 * Semantic tokens: IDs by kind, with `declaration` where they are defined, `deprecated` when the item
 * or its document is, `unresolved` when no item has the ID; attribute keys as `property`. Positions
 * in UTF-16 code units, encoded relative to the previous token as LSP wants.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { SEMANTIC_TOKENS_LEGEND } from '../../server/src/service/features/semanticTokens';
import { CLEAN_WORKSPACE, MINI_STRATEGY } from '../helpers/fixtures';
import { createService, md, range, type TestService } from '../helpers/memoryWorkspace';

/** The tokens as `line:start-end type modifier…`, positions absolute. */
function decode(data: readonly number[]): string[] {
  assert.equal(data.length % 5, 0);
  const tokens: string[] = [];
  let line = 0;
  let start = 0;
  for (let at = 0; at < data.length; at += 5) {
    const [deltaLine, deltaStart, length, type, modifiers] = data.slice(at, at + 5) as [number, number, number, number, number];
    line += deltaLine;
    start = deltaLine === 0 ? start + deltaStart : deltaStart;
    const names = SEMANTIC_TOKENS_LEGEND.tokenModifiers.filter((_, bit) => modifiers & (1 << bit));
    assert.ok(modifiers < 1 << SEMANTIC_TOKENS_LEGEND.tokenModifiers.length, `unknown modifier bits ${modifiers}`);
    tokens.push([`${line}:${start}-${start + length}`, SEMANTIC_TOKENS_LEGEND.tokenTypes[type] ?? `?${type}`, ...names].join(' '));
  }
  return tokens;
}

const tokensOf = (t: TestService, path: string) => decode(t.service.getSemanticTokens(t.doc(path)).data);

describe('semantic tokens', () => {
  test('the legend: one standard token type per item kind, property, variable; three modifiers', () => {
    assert.deepEqual(SEMANTIC_TOKENS_LEGEND, {
      tokenTypes: ['namespace', 'type', 'class', 'enumMember', 'event', 'struct', 'function', 'property', 'variable'],
      tokenModifiers: ['declaration', 'deprecated', 'unresolved'],
    });
  });

  test('a PRD: its ID, front-matter outcomes, the repeated heading, requirement definitions, attribute keys and Traces references, in order', async () => {
    const t = await createService(CLEAN_WORKSPACE);
    assert.deepEqual(tokensOf(t, 'prds/checkout.md'), [
      '2:4-9 struct declaration', // id: PRD-1
      '6:11-16 event', // outcomes: [OUT-1, OUT-2]
      '6:18-23 event',
      '8:2-7 struct', // # PRD-1: Guest checkout
      '12:4-11 function declaration', // ### REQ-1.1: …
      '13:0-6 property', // Traces: OUT-1
      '13:8-13 event',
      '14:0-8 property', // Priority: must
      '16:4-11 function declaration',
      '17:0-6 property', // Traces: OUT-1, OUT-2
      '17:8-13 event',
      '17:15-20 event',
    ]);
  });

  test('a strategy: the vision in front-matter, objectives, key results in list items with their measures, outcomes and Supports', async () => {
    const t = await createService(CLEAN_WORKSPACE);
    const tokens = tokensOf(t, 'strategy.md');
    assert.deepEqual(tokens.slice(0, 12), [
      '2:4-9 type declaration', // id: STR-1
      '4:8-13 namespace', // vision: VIS-1
      '8:2-7 type', // # STR-1: Payments strategy
      '10:3-8 class declaration', // ## OBJ-1: …
      '12:2-8 enumMember declaration', // - KR-1.1: …
      '13:2-8 property', // Metric:
      '14:2-10 property', // Baseline:
      '15:2-8 property', // Target:
      '16:2-9 property', // Current:
      '17:2-5 property', // Due:
      '18:2-8 enumMember declaration', // - KR-1.2: …
      '19:2-10 property',
    ]);
    // ### OUT-1 with its Supports, Owner and Status lines.
    assert.deepEqual(
      tokens.filter((token) => /^2[3-6]:/.test(token)),
      ['23:4-9 event declaration', '24:0-8 property', '24:10-15 class', '24:17-23 enumMember', '25:0-5 property', '26:0-6 property'],
    );
  });

  test('unknown IDs are unresolved: typed by their prefix when it is configured, as a variable when it is not', async () => {
    const prd = md`
      ---
      type: prd
      id: PRD-1
      ---
      ### REQ-1: Requirement one
      Traces: OUT-99, FOO-1, OUT-1

      Compare KR-7.
    `;
    const t = await createService({ 's.md': MINI_STRATEGY, 'p.md': prd });
    assert.deepEqual(tokensOf(t, 'p.md'), [
      '2:4-9 struct declaration',
      '4:4-9 function declaration',
      '5:0-6 property',
      '5:8-14 event unresolved',
      '5:16-21 variable unresolved',
      '5:23-28 event',
      '7:8-12 enumMember unresolved',
    ]);
  });

  test('deprecated: an item whose status is deprecated, and every item of a deprecated document, wherever they are named', async () => {
    const strategy = `${MINI_STRATEGY}### OUT-2: Old outcome\nSupports: KR-1.2\nStatus: deprecated\n`;
    const oldPrd = '---\ntype: prd\nid: PRD-9\nstatus: deprecated\n---\n### REQ-9: Old requirement\nTraces: OUT-1\n';
    const prd = '---\ntype: prd\nid: PRD-1\n---\n### REQ-1: R\nTraces: OUT-1, OUT-2\n\nReplaces REQ-9 of PRD-9.\n';
    const t = await createService({ 's.md': strategy, 'old.md': oldPrd, 'p.md': prd });
    assert.deepEqual(tokensOf(t, 'p.md'), [
      '2:4-9 struct declaration',
      '4:4-9 function declaration',
      '5:0-6 property',
      '5:8-13 event',
      '5:15-20 event deprecated',
      '7:9-14 function deprecated',
      '7:18-23 struct deprecated',
    ]);
    assert.deepEqual(tokensOf(t, 'old.md').slice(0, 2), ['2:4-9 struct declaration deprecated', '5:4-9 function declaration deprecated']);
    assert.ok(tokensOf(t, 's.md').includes('15:4-9 event declaration deprecated'));
    assert.ok(tokensOf(t, 's.md').includes('13:4-9 event declaration'), 'OUT-1 is not deprecated');
  });

  test('positions are UTF-16 code units: an emoji before an ID counts two', async () => {
    const prd = '---\ntype: prd\nid: PRD-1\n---\n### REQ-1: R 😀\nTraces: OUT-1\n\n😀😀 see OUT-1 and é OUT-1.\n';
    const t = await createService({ 's.md': MINI_STRATEGY, 'p.md': prd });
    assert.deepEqual(tokensOf(t, 'p.md').slice(-2), ['7:9-14 event', '7:21-26 event']);
  });

  test('a range gives the tokens of its lines only, the first one encoded from line 0', async () => {
    const t = await createService(CLEAN_WORKSPACE);
    const tokens = t.service.getSemanticTokens(t.doc('prds/checkout.md'), range(13, 5, 14, 2));
    assert.deepEqual(tokens.data.slice(0, 2), [13, 0]);
    assert.deepEqual(decode(tokens.data), ['13:0-6 property', '13:8-13 event', '14:0-8 property']);
  });

  test('near misses: a file that takes no part, a stale version, IDs in code and a key that is not an attribute get no tokens', async () => {
    const prd = '---\ntype: prd\nid: PRD-1\n---\nNote: not under an item\n\n```\nTraces: OUT-1\n```\n';
    const t = await createService({ ...CLEAN_WORKSPACE, 'readme.md': '# Readme\nTraces: OUT-1\n', 'p.md': prd });
    assert.deepEqual(t.service.getSemanticTokens(t.doc('readme.md')), { data: [] });
    const current = t.doc('prds/checkout.md');
    assert.deepEqual(t.service.getSemanticTokens(TextDocument.create(current.uri, 'markdown', current.version + 1, current.getText())), { data: [] });
    assert.deepEqual(tokensOf(t, 'p.md'), ['2:4-9 struct declaration']);
  });
});
