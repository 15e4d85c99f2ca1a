/**
 * The CLI's process streams: a report of thousands of lines reaches stdout in a few writes, in
 * order, and a line on stderr never overtakes what was written to stdout before it.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { processStreams } from '../../server/src/cli/output';

describe('process streams', () => {
  const writes: [stream: 'out' | 'err', text: string][] = [];
  const make = () => {
    writes.length = 0;
    return processStreams({ write: (text: string) => (writes.push(['out', text]), true) }, { write: (text: string) => (writes.push(['err', text]), true) });
  };
  const tick = () => new Promise<void>((resolve) => process.nextTick(resolve));

  test('lines written in one go are one write once the writing code returns', async () => {
    const streams = make();
    const lines = Array.from({ length: 1000 }, (_, n) => `prds/prd-${n}.md:1:1  error  é ${n}\n`);
    for (const line of lines) streams.stdout(line);
    assert.deepEqual(writes, []);
    await tick();
    assert.deepEqual(writes, [['out', lines.join('')]]);
  });

  test('past 64 KB what was collected is written at once, and nothing is lost or reordered', async () => {
    const streams = make();
    const line = `${'x'.repeat(99)}\n`;
    for (let n = 0; n < 1000; n++) streams.stdout(line);
    assert.equal(writes.length, 1);
    assert.ok(writes.every(([stream, text]) => stream === 'out' && text.length <= 64 * 1024 + line.length));
    await tick();
    assert.equal(writes.length, 2);
    assert.equal(writes.map(([, text]) => text).join(''), line.repeat(1000));
  });

  test('a line on stderr comes after the stdout lines written before it', async () => {
    const streams = make();
    streams.stdout('first\n');
    streams.stderr('note\n');
    streams.stdout('second\n');
    await tick();
    assert.deepEqual(writes, [
      ['out', 'first\n'],
      ['err', 'note\n'],
      ['out', 'second\n'],
    ]);
  });
});
