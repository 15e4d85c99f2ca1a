/**
 * The server's heap growing factor once it serves: 1.2 for the heaps of up to 10,000s of PRDs, and
 * for larger heaps the factor that lets at most 64 MB of garbage gather, never below 1.05.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { servingHeapGrowingPercent } from '../../server/src/node/heapGrowth';

const MB = 1024 * 1024;

test('a heap of up to 320 MB live keeps the 20% allowance', () => {
  assert.equal(servingHeapGrowingPercent(150 * MB), 20);
  assert.equal(servingHeapGrowingPercent(320 * MB), 20);
});

test('a larger heap gets the largest percent that keeps the allowance at most 64 MB', () => {
  assert.equal(servingHeapGrowingPercent(321 * MB), 19);
  assert.equal(servingHeapGrowingPercent(640 * MB), 10);
  for (const live of [400, 500, 700, 900, 1100, 1280]) {
    const percent = servingHeapGrowingPercent(live * MB);
    assert.ok((live * percent) / 100 <= 64, `${live} MB live: ${percent}%`);
    assert.ok((live * (percent + 1)) / 100 > 64, `${live} MB live: ${percent}% is not the largest that fits`);
  }
});

test('a very large heap is held at 5%, not collected after every edit', () => {
  assert.equal(servingHeapGrowingPercent(1300 * MB), 5);
  assert.equal(servingHeapGrowingPercent(4096 * MB), 5);
});

test('an unknown live size keeps the default', () => {
  assert.equal(servingHeapGrowingPercent(0), 20);
  assert.equal(servingHeapGrowingPercent(Number.NaN), 20);
});
