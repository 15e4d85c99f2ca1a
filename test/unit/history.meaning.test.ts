/**
 * The normalised hash a meaning is made of: two texts hash alike exactly when they are equal once
 * whitespace runs are collapsed to one space and the ends trimmed (issue 13: whitespace is not a
 * change of meaning; anything else is).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { normalisedHash } from '../../server/src/service/history/meaning';

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
