/**
 * The TextMate grammar is generated from the one ID grammar (common/idGrammar.ts), and colours
 * exactly the IDs the server indexes.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { DEFAULT_CONFIG } from '../../server/src/service/model/config';
import { ANY_ID, DEFINITION, IdSyntax } from '../../server/src/service/parse/ids';
import { GRAMMAR_PATH, grammarText } from '../../scripts/grammar';

const grammar = JSON.parse(readFileSync(GRAMMAR_PATH, 'utf8')) as { repository: Record<string, { match: string }> };

test('syntaxes/throughline.injection.tmLanguage.json is what `npm run grammar` generates', () => {
  assert.equal(readFileSync(GRAMMAR_PATH, 'utf8'), grammarText(), 'run `npm run grammar`');
});

const LINES = [
  'See OUT-3, KR-1.2 and REQ-checkout_v2.',
  'Not IDs: out-3, OUT-, OUT-.3, x/OUT-3, a.OUT-3, #OUT-3, OUT3, https://x/OUT-3',
  'Trailing punctuation: OUT-3. OUT-4- OUT-5_ (OUT-6)',
  'Other prefixes: GOAL-1 ABC-2 and known ones VIS-1 STR-2 OBJ-3 PRD-4',
];

test('the prose pattern finds the same default-prefix IDs as the server', () => {
  const server = new IdSyntax(DEFAULT_CONFIG).knownId;
  const editor = new RegExp(grammar.repository['reference']!.match, 'g');
  for (const line of LINES)
    assert.deepEqual(
      [...line.matchAll(editor)].map((match) => match[0]),
      [...line.matchAll(server)].map((match) => match[0]),
      line,
    );
  // Any prefix is an ID in links; only configured ones in prose.
  assert.deepEqual(
    [...LINES[3]!.matchAll(ANY_ID)].map((match) => match[0]),
    ['GOAL-1', 'ABC-2', 'VIS-1', 'STR-2', 'OBJ-3', 'PRD-4'],
  );
});

test('the definition pattern colours the ID the indexer reads as a definition', () => {
  const editor = new RegExp(grammar.repository['item-definition']!.match);
  for (const [line, id] of [
    ['### OUT-3: Payers finish', 'OUT-3'],
    ['- KR-1.2: Activation', 'KR-1.2'],
    ['1. REQ-7: Export', 'REQ-7'],
    ['### OUT-3 Payers finish', undefined],
    ['### out-3: Payers finish', undefined],
  ] as const) {
    const text = line.replace(/^(?:#+|-|\d+\.)\s+/, '');
    const server = DEFINITION.exec(text);
    assert.equal(editor.exec(line)?.[1], id, line);
    assert.equal(server ? `${server[1]}-${server[2]}` : undefined, id, line);
  }
});
