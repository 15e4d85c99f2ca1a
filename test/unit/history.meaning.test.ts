/**
 * The normalised hash a meaning is made of: two texts hash alike exactly when they are equal once
 * whitespace runs are collapsed to one space and the ends trimmed (issue 13: whitespace is not a
 * change of meaning; anything else is).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { indexFitsText, isTrailingMark, itemMeanings, meaningDifference, normalisedHash } from '../../server/src/service/history/meaning';
import { DEFAULT_CONFIG } from '../../server/src/service/model/config';
import { indexDocument } from '../../server/src/service/parse/indexDocument';

/** The definition the hash must agree with (not `trim()`, which also takes other Unicode spaces such as U+2003). */
const collapse = (text: string) =>
  text
    .replace(/[\t\n\v\f\r \u00a0]+/g, ' ')
    .replace(/^ /, '')
    .replace(/ $/, '');

const pieces = ['a', 'b', 'é', '字', ' ', '  ', '\t', '\n', '\r\n', '\v', '\f', '\u00a0', '\u2003', '\u0000', '\u0120'];
const text = fc.array(fc.constantFrom(...pieces), { maxLength: 10 }).map((parts) => parts.join(''));

describe('normalised hash', () => {
  test('equal exactly when the whitespace-collapsed texts are equal', () => {
    fc.assert(
      fc.property(text, text, (a, b) => {
        assert.equal(normalisedHash(a) === normalisedHash(b), collapse(a) === collapse(b), `${JSON.stringify(a)} vs ${JSON.stringify(b)}`);
      }),
      { numRuns: 5000 },
    );
  });

  test('near misses: characters that are not whitespace here, and a space that is added or removed, change it', () => {
    assert.equal(normalisedHash(' a \t b\n'), normalisedHash('a b'));
    assert.equal(normalisedHash('\u00a0a\u00a0'), normalisedHash('a'));
    assert.notEqual(normalisedHash('a b'), normalisedHash('ab'));
    assert.notEqual(normalisedHash('a\u2003b'), normalisedHash('a b'));
    assert.notEqual(normalisedHash('\u2003a'), normalisedHash('a'));
    // A character whose code shares its low bits with a space does not pass for one.
    assert.notEqual(normalisedHash('a\u0120b'), normalisedHash('a b'));
    assert.equal(normalisedHash(''), normalisedHash(' \n '));
  });
});

describe('whether an index reads as made from a text', () => {
  const uri = 'file:///ws/strategy/payments.md';
  const strategy = readFileSync(path.join(__dirname, '../../examples/acme/strategy/payments-2027-h1.md'), 'utf8');
  const heading = '### OUT-1: Payers complete payment without creating an account';
  const index = indexDocument(uri, 1, strategy, DEFAULT_CONFIG);

  test('a title is the end of its line, bar closing marks and spaces', () => {
    assert.ok(strategy.includes(heading));
    assert.ok(indexFitsText(index, strategy));
    for (const closing of [' #', ' ###', ' **', '_', '\u00a0', '\u3000', '\r', ' \t#*_'])
      assert.ok(indexFitsText(index, strategy.replace(heading, heading + closing)), JSON.stringify(closing));
    // Near misses: text after the title, or a title that changed at its end or lost a character.
    for (const changed of [`${heading} (v2)`, `${heading}s`, heading.slice(0, -1) + 'T', heading.slice(0, -1), `${heading} \u2060`])
      assert.ok(!indexFitsText(index, strategy.replace(heading, changed)), JSON.stringify(changed));
  });

  test('the closing marks are `#`, `*`, `_` and exactly what \\s matches', () => {
    for (let code = 0; code <= 0xffff; code++)
      assert.equal(isTrailingMark(code), /[\s#*_]/.test(String.fromCharCode(code)), `U+${code.toString(16).padStart(4, '0')}`);
  });
});

describe('what an item means', () => {
  const uri = 'file:///ws/strategy/payments.md';
  const strategy = readFileSync(path.join(__dirname, '../../examples/acme/strategy/payments-2027-h1.md'), 'utf8');
  const meaningsOf = (text: string) => itemMeanings(indexDocument(uri, 1, text, DEFAULT_CONFIG), text);
  const before = meaningsOf(strategy);
  const changedParts = (text: string, id: string) => meaningDifference(before.get(id)!, meaningsOf(text).get(id)!);
  const body = 'Guest checkout with saved wallets removes the biggest drop-off we see in session replays.';

  test('its body text, title and figures are its meaning; each change is named', () => {
    assert.ok(strategy.includes(body));
    assert.deepEqual(changedParts(strategy.replace(body, 'Guest checkout removes the drop-off.'), 'OUT-1'), ['text']);
    assert.deepEqual(changedParts(strategy.replace('### OUT-1: Payers complete payment', '### OUT-1: Payers finish payment'), 'OUT-1'), ['title']);
    assert.deepEqual(changedParts(strategy.replace('  Target: 72%', '  Target: 75%'), 'KR-2.1'), ['Target']);
  });

  test('near misses: whitespace, its links, `Current:`, its owner and another item are not', () => {
    for (const [text, id] of [
      [strategy.replace(body, `  ${body.replace(/ /g, '   ')}\n`), 'OUT-1'],
      [strategy.replace('Supports: OBJ-1, KR-1.1', 'Supports: OBJ-1'), 'OUT-1'],
      [strategy.replace('Owner: ines.alves@acme.test\n\nGuest', 'Owner: someone.else@acme.test\n\nGuest'), 'OUT-1'],
      [strategy.replace('  Current: 64%', '  Current: 70%'), 'KR-2.1'],
      [strategy.replace('  Target: 72%', '  Target: 75%'), 'KR-2.2'],
      [strategy.replace(body, 'Another text.'), 'OUT-2'],
    ] as const)
      assert.deepEqual(changedParts(text, id), [], JSON.stringify({ id, text: text.slice(0, 0) }));
  });
});
