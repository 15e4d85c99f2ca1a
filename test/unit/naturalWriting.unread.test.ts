/**
 * Lines PMs write that Throughline read without a word, so that a count or a progress figure
 * stood on part of the document (found by a review that wrote documents the way PMs do):
 * - a key result under a heading that is not an objective's (`## Key results we are still
 *   negotiating`), or before the first objective, counted toward nothing and left the tree
 *   (`key-result-without-objective`).
 * Each has a fixture that triggers it and near misses that must not.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { MINI_PRD } from '../helpers/fixtures';
import { createService, md } from '../helpers/memoryWorkspace';

const keyResult = (id: string) => `- ${id}: Churn down\n  Baseline: 5%\n  Target: 3%\n  Due: 2027-06-30\n`;

describe('key-result-without-objective', () => {
  const strategy = (body: string) => `---\ntype: strategy\nid: STR-1\n---\n${body}`;
  const messages = async (body: string) => {
    const t = await createService({ 's.md': strategy(body), 'p.md': MINI_PRD });
    return t.diagnosticsOf('s.md', 'key-result-without-objective').map((diagnostic) => [diagnostic.range.start.line, diagnostic.message]);
  };

  test('under a heading that is not an objective, after one that is: a warning on the ID that says what it costs', async () => {
    const body = `## OBJ-1: Grow activation\n\n${keyResult('KR-1.1')}${keyResult('KR-1.2')}\n## Key results we are still negotiating\n\n${keyResult('KR-2.1')}`;
    assert.deepEqual(await messages(body), [
      [
        17,
        "KR-2.1 is under no objective, so its progress counts toward none and the alignment tree leaves it out: move it under its objective's heading (`## OBJ-…`) or list item.",
      ],
    ]);
  });

  test('before any objective, and in a strategy with no objective at all', async () => {
    assert.deepEqual(
      (await messages(`${keyResult('KR-9.1')}\n## OBJ-1: Grow activation\n\n${keyResult('KR-1.1')}`)).map(([line]) => line),
      [4],
    );
    assert.deepEqual(
      (await messages(`# STR-1: Strategy\n\n${keyResult('KR-1.1')}`)).map(([line]) => line),
      [6],
    );
  });

  test('near misses: under an objective heading, a deeper heading inside it, an objective list item, or a table under an objective', async () => {
    const underHeading = `## OBJ-1: Grow activation\n\n### Key results\n\n${keyResult('KR-1.1')}${keyResult('KR-1.2')}`;
    const underListItem = `- OBJ-1: Grow activation\n  - KR-1.1: Activation\n    Baseline: 1\n    Target: 2\n    Due: 2027-06-30\n`;
    const inTable = md`
      ## OBJ-1: Grow activation

      | ID | Key result | Baseline | Target | Due |
      |---|---|---|---|---|
      | KR-1.1 | Activation | 1 | 2 | 2027-06-30 |
    `;
    for (const body of [underHeading, underListItem, inTable]) assert.deepEqual(await messages(body), [], body);
  });
});
