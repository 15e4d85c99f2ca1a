/**
 * The server's heap growing factor once it serves: 1.2 for the heaps of up to 10,000s of PRDs, and
 * for larger heaps the factor that lets at most 128 MB of garbage gather, never below 1.1.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { servingHeapGrowingPercent } from '../../server/src/node/heapGrowth';

const MB = 1024 * 1024;

test('a heap of up to 640 MB live keeps the 20% allowance', () => {
  assert.equal(servingHeapGrowingPercent(150 * MB), 20);
  assert.equal(servingHeapGrowingPercent(640 * MB), 20);
});

test('a larger heap gets the percent that keeps the allowance at most 128 MB', () => {
  assert.equal(servingHeapGrowingPercent(641 * MB), 19);
  assert.equal(servingHeapGrowingPercent(1024 * MB), 12);
  for (const live of [700, 900, 1100, 1280]) {
    const percent = servingHeapGrowingPercent(live * MB);
    assert.ok((live * percent) / 100 <= 128, `${live} MB live: ${percent}%`);
    assert.ok((live * (percent + 1)) / 100 > 128, `${live} MB live: ${percent}% is not the largest that fits`);
  }
});

test('a very large heap is held at 10%, not collected after every few edits', () => {
  assert.equal(servingHeapGrowingPercent(1300 * MB), 10);
  assert.equal(servingHeapGrowingPercent(4096 * MB), 10);
});

test('an unknown live size keeps the default', () => {
  assert.equal(servingHeapGrowingPercent(0), 20);
  assert.equal(servingHeapGrowingPercent(Number.NaN), 20);
});
