/**
 * Columns between UTF-16 and the client's unit (lsp/positionEncoding.ts): each position on a line
 * is a lookup in a table made once per line, equal to counting from the line's start as the
 * protocol defines it, for any text (astral characters, lone surrogates, columns past the end),
 * and linear in the line's length whatever the number of positions on it (a 192,000-character
 * line with 32,000 semantic tokens took 58 s when each position was counted from the start).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { LineColumns, PositionConverter, type PositionEncoding } from '../../server/src/lsp/positionEncoding';

/** The protocol's definition, counted from the line's start each time. */
function referenceToClient(line: string, utf16: number, encoding: PositionEncoding): number {
  let units = 0;
  for (const character of line.slice(0, Math.min(utf16, line.length))) {
    const code = character.codePointAt(0)!;
    units += encoding === 'utf-8' ? (code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4) : 1;
  }
  return units + Math.max(0, utf16 - line.length);
}

function referenceToUtf16(line: string, column: number, encoding: PositionEncoding): number {
  let units = 0;
  let utf16 = 0;
  for (const character of line) {
    const code = character.codePointAt(0)!;
    const size = encoding === 'utf-8' ? (code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4) : 1;
    if (units + size > column) return utf16;
    units += size;
    utf16 += character.length;
  }
  return utf16 + Math.max(0, column - units);
}

/** Lines mixing ASCII, Latin-1, CJK, emoji and lone surrogates. */
const lineArbitrary = fc.array(fc.constantFrom('a', ' ', 'é', '—', '中', '😀', '\ud83d', '\ude00', 'OUT-1'), { maxLength: 40 }).map((parts) => parts.join(''));

describe('position encoding: columns of a line', () => {
  for (const encoding of ['utf-8', 'utf-32'] as const) {
    test(`${encoding}: every UTF-16 offset and every client column converts as counting from the start does`, () => {
      fc.assert(
        fc.property(lineArbitrary, (line) => {
          const columns = new LineColumns(line, encoding);
          for (let offset = 0; offset <= line.length + 2; offset++)
            assert.equal(columns.toClient(offset), referenceToClient(line, offset, encoding), `toClient ${offset}`);
          const total = referenceToClient(line, line.length, encoding);
          for (let column = 0; column <= total + 2; column++)
            assert.equal(columns.toUtf16(column), referenceToUtf16(line, column, encoding), `toUtf16 ${column}`);
        }),
        { numRuns: 300 },
      );
    });
  }

  test('semantic tokens on one long line cost time linear in the line, not in line × tokens', () => {
    const time = (tokens: number) => {
      const line = Array.from({ length: tokens }, (_, index) => `é OUT-${index}`).join(' ');
      const document = TextDocument.create('file:///ws/long.md', 'markdown', 1, `${line}\n`);
      const converter = new PositionConverter(
        () => document,
        () => undefined,
      );
      converter.encoding = 'utf-8';
      const data: number[] = [];
      let previous = 0;
      for (let index = line.indexOf('OUT-'); index !== -1; index = line.indexOf('OUT-', index + 1)) {
        data.push(0, index - previous, 5, 0, 0);
        previous = index;
      }
      const started = performance.now();
      const converted = converter.toClient({ data }, document.uri);
      const elapsed = performance.now() - started;
      // Each `é` is one more UTF-8 byte than UTF-16 unit, and one stands before each token: every
      // start moves one byte further than the one before, the last by as many bytes as there are tokens.
      assert.equal(converted.data[1], data[1]! + 1);
      assert.equal(converted.data[6], data[6]! + 1);
      assert.equal(
        converted.data.filter((_, index) => index % 5 === 1).reduce((sum, delta) => sum + delta, 0),
        previous + tokens,
      );
      return elapsed;
    };
    time(1_000);
    const small = Math.max(time(8_000), 5);
    const large = time(32_000);
    assert.ok(large < small * 8 + 200, `8,000 tokens on one line: ${small.toFixed(0)} ms; 32,000: ${large.toFixed(0)} ms`);
  });
});
