/**
 * `detach`: what the index keeps of a document's text (IDs, titles, attribute values) is a copy of
 * exactly the value, which neither keeps the whole text alive nor takes two bytes per character
 * when one does. A PRD with one em dash is held by V8 as a two-byte string, and so were all its
 * titles and values, even those of plain ASCII.
 */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { detach, shared } from '../../server/src/service/parse/text';

/** A text V8 stores two bytes per character (one em dash does it), with `value` inside it. */
function inTwoByteText(value: string): string {
  const text = `Title — ${value} and more text after it`;
  const start = text.indexOf(value);
  return text.slice(start, start + value.length);
}

describe('detach', () => {
  it('keeps every value exactly as written', () => {
    const values = [
      'Export invoices from the dashboard',
      'Café façade — naïve résumé',
      'ÿ at the top of Latin-1: ÿÿÿÿÿÿÿÿÿÿ',
      'Ā just above Latin-1: ĀĀĀĀĀĀĀĀĀĀ',
      'An emoji 🚀 is a surrogate pair in UTF-16',
      'short',
      'x'.repeat(255),
      'x'.repeat(256),
      `${'y'.repeat(300)} longer than any scratch space`,
      '\u0000 NUL and \u0080 C1 controls \u009f are Latin-1 too',
    ];
    for (const value of values) {
      assert.equal(detach(inTwoByteText(value)), value);
      assert.equal(detach(value), value);
      assert.equal(shared(inTwoByteText(value)), value);
    }
  });

  it('holds a Latin-1 value from a two-byte text in one byte per character', () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    setFlagsFromString('--no-expose-gc');
    const count = 50_000;
    const length = 100;
    const parent = `${'Review tax reports through the public API, '.repeat(10)}— ${count}`;
    const measure = (copy: (value: string) => string) => {
      gc();
      const before = process.memoryUsage().heapUsed;
      const kept: string[] = new Array<string>(count);
      for (let index = 0; index < count; index++) {
        const start = index % 200;
        kept[index] = copy(parent.slice(start, start + length));
      }
      gc();
      const bytes = (process.memoryUsage().heapUsed - before) / count;
      assert.equal(kept[count - 1]!.length, length);
      return bytes;
    };
    // What a plain copy of the slice takes: two bytes per character and the header.
    const twoByte = measure((value) => [value.slice(0, 1), value.slice(1)].join(''));
    const detached = measure(detach);
    assert.ok(twoByte >= 2 * length, `a plain copy took ${twoByte.toFixed(0)} bytes: the parent text is not two-byte, so this test shows nothing`);
    assert.ok(detached < 1.5 * length, `a detached ${length}-character value took ${detached.toFixed(0)} bytes (a two-byte copy: ${twoByte.toFixed(0)})`);
  });
});
