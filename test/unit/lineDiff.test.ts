/**
 * The line diff of `check --changed-since` (cli/lineDiff.ts): which lines of the new text were
 * added or changed. Against an LCS computed the slow way on random texts, on the cases that
 * matter to a reviewer, and bounded: past the edit cap the whole middle counts as changed.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { changedLines, splitLines } from '../../server/src/cli/lineDiff';

/** The length of a longest common subsequence, by dynamic programming. */
function lcsLength(a: readonly string[], b: readonly string[]): number {
  let previous = new Array<number>(b.length + 1).fill(0);
  for (let i = a.length - 1; i >= 0; i--) {
    const row = new Array<number>(b.length + 1).fill(0);
    for (let j = b.length - 1; j >= 0; j--) row[j] = a[i] === b[j] ? previous[j + 1]! + 1 : Math.max(previous[j]!, row[j + 1]!);
    previous = row;
  }
  return previous[0]!;
}

const sorted = (lines: Set<number>) => [...lines].sort((x, y) => x - y);

describe('changedLines', () => {
  test('inserted, replaced and deleted lines', () => {
    assert.deepEqual(sorted(changedLines('a\nb\nc', 'a\nb\nc')), []);
    assert.deepEqual(sorted(changedLines('a\nb\nc', 'a\nx\nb\nc')), [2]);
    assert.deepEqual(sorted(changedLines('a\nb\nc', 'a\nB\nc')), [2]);
    assert.deepEqual(sorted(changedLines('a\nb\nc', 'a\nc')), [], 'a deletion marks no line');
    assert.deepEqual(sorted(changedLines('a\nb\nc', 'c\na\nb')), [1]);
    assert.deepEqual(sorted(changedLines(undefined, 'a\nb')), [1, 2], 'a new file is all changed');
    assert.deepEqual(sorted(changedLines('a\r\nb\r\n', 'a\nb\n')), [], 'line endings are not changes');
  });

  test('the unchanged lines of the new text are a longest common subsequence (random texts)', () => {
    const text = fc.array(fc.constantFrom('a', 'b', 'c', 'd', ''), { maxLength: 30 }).map((lines) => lines.join('\n'));
    fc.assert(
      fc.property(text, text, (oldText, newText) => {
        const a = splitLines(oldText);
        const b = splitLines(newText);
        const changed = changedLines(oldText, newText);
        const kept = b.filter((_, index) => !changed.has(index + 1));
        let at = 0;
        for (const line of a) if (at < kept.length && kept[at] === line) at++;
        assert.equal(at, kept.length, 'kept lines appear in the old text in order');
        assert.equal(kept.length, lcsLength(a, b), 'and as many as can be kept');
      }),
      { numRuns: 500 },
    );
  });

  test('bounded: past the edit cap the whole middle counts as changed, fast', () => {
    const oldText = Array.from({ length: 20000 }, (_, index) => `old ${index}`).join('\n');
    const newText = ['same', ...Array.from({ length: 20000 }, (_, index) => `new ${index}`), 'end'].join('\n');
    const started = performance.now();
    const changed = changedLines(`same\n${oldText}\nend`, newText, 100);
    assert.ok(performance.now() - started < 2000);
    assert.equal(changed.size, 20000);
    assert.ok(!changed.has(1) && !changed.has(20002));
  });
});
