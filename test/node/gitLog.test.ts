/**
 * parseLog: `git log -z --raw` output as node/gitHistory.ts reads it. Which files of a commit are
 * read (Markdown under the folder, outside skipped folders, regular files), deletions, and the
 * repository's text (authors, subjects) made plain before it reaches a diagnostic.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseLog } from '../../server/src/node/gitHistory';

const A = 'a'.repeat(40);
const B = 'b'.repeat(40);
const ZERO = '0'.repeat(40);

function record(sha: string, time: number, author: string, subject: string, entries: [string, string][], iso = ''): string {
  return `\x1e${sha}\x1f${time}\x1f${iso}\x1f${author}\x1f${subject}\0\n${entries.map(([meta, path]) => `${meta}\0${path}\0`).join('')}`;
}

describe('parseLog', () => {
  test('reads Markdown files under the folder with their new blob; a deletion has none', () => {
    const output = record(A, 1_790_000_000, 'Ana', 'First', [
      [`:000000 100644 ${ZERO} ${B} A`, 'docs/strategy/s.md'],
      [`:100644 000000 ${B} ${ZERO} D`, 'docs/strategy/old.markdown'],
      [`:000000 100644 ${ZERO} ${B} A`, 'docs/strategy/image.png'],
      [`:000000 100644 ${ZERO} ${B} A`, 'docs/other/x.md'],
      [`:000000 100644 ${ZERO} ${B} A`, 'docs/strategy/node_modules/p/readme.md'],
      [`:000000 120000 ${ZERO} ${B} A`, 'docs/strategy/link.md'],
    ]);
    const [commit, ...rest] = parseLog(output, 'docs/strategy/');
    assert.equal(rest.length, 0);
    assert.deepEqual(commit!.commit, { sha: A, time: 1_790_000_000_000, author: 'Ana', subject: 'First' });
    assert.deepEqual(commit!.files, [
      { relative: 's.md', objectId: B },
      { relative: 'old.markdown', objectId: undefined },
      // A symbolic link is not followed: that version of the path is treated as gone.
      { relative: 'link.md', objectId: undefined },
    ]);
  });

  test('a commit that touches no file of the folder is still a commit (it orders the others)', () => {
    const output = record(A, 1, 'Ana', 'One', []) + record(B, 2, 'Ben', 'Two', [[`:000000 100644 ${ZERO} ${B} A`, 's.md']]);
    assert.deepEqual(
      parseLog(output, '').map((entry) => [entry.commit.subject, entry.files.length]),
      [
        ['One', 0],
        ['Two', 1],
      ],
    );
  });

  test('authors and subjects become one plain line: controls, separators and bidirectional overrides are spaces', () => {
    const output = record(A, 1, 'Eve\u202e\u0007', 'Fix\u001b[31m red\u2028next\ttab\x1fextra field', []);
    const [commit] = parseLog(output, '');
    assert.equal(commit!.commit.author, 'Eve');
    assert.equal(commit!.commit.subject, 'Fix [31m red next tab extra field');
  });

  test("the committer's own day is kept: 20:00 in California on 2026-11-18 is that day, though UTC is on the 19th", () => {
    const time = Date.parse('2026-11-19T04:00:00Z') / 1000;
    const [commit] = parseLog(record(A, time, 'Ana', 'Evening', [], '2026-11-18T20:00:00-08:00'), '');
    assert.equal(commit!.commit.day, '2026-11-18');
    // Without it (another host), the UTC day.
    const [bare] = parseLog(record(A, time, 'Ana', 'Evening', []), '');
    assert.equal(bare!.commit.day, undefined);
  });

  test('a record that does not start with a commit ID is skipped', () => {
    assert.deepEqual(parseLog(`\x1enot-a-sha\x1f1\x1f\x1fA\x1fB\0\n`, ''), []);
  });
});
