/**
 * Inline suppression comments: `throughline-disable-next-line [rules]` for the following line and
 * `throughline-disable [rules]` for the whole file.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { MINI_PRD, MINI_STRATEGY } from '../helpers/fixtures';
import { createService, md, range } from '../helpers/memoryWorkspace';

const codes = (t: Awaited<ReturnType<typeof createService>>, path: string) =>
  t
    .diagnostics(path)
    .map((diagnostic) => [diagnostic.code, diagnostic.range.start.line])
    .sort();

describe('throughline-disable-next-line', () => {
  test('silences the named rule on the next line only', async () => {
    const prd = md`
      ---
      type: prd
      id: PRD-1
      ---
      <!-- throughline-disable-next-line unknown-reference -->
      We will revisit OUT-99 once legal is done.
      And OUT-98 on the line after is still reported.
    `;
    const t = await createService({ 'p.md': prd });
    assert.deepEqual(
      t.diagnosticsOf('p.md', 'unknown-reference').map((diagnostic) => diagnostic.range),
      [range(6, 4, 10)],
    );
  });

  test('silences a rule on a heading item, several rules at once, and all rules without names', async () => {
    const prd = md`
      ---
      type: prd
      id: PRD-1
      ---
      <!-- throughline-disable-next-line untraced-requirement -->
      ### REQ-1: Deliberately untraced

      <!-- throughline-disable-next-line   cycle  unknown-reference -->
      ### REQ-2: Links to itself and to OUT-99
      Traces: REQ-2, OUT-99

      ### REQ-3: Traces an unknown outcome on a suppressed line
      <!-- throughline-disable-next-line -->
      Traces: OUT-97
    `;
    const t = await createService({ 'p.md': prd });
    // Line 8 (the heading's prose OUT-99) is silenced; line 9 keeps its problems: the directive covers line 8 only.
    // REQ-3's Traces line follows an HTML block, so it is prose (silenced) and REQ-3 is untraced.
    assert.deepEqual(codes(t, 'p.md'), [
      ['cycle', 9],
      ['unknown-reference', 9],
      ['untraced-requirement', 11],
      ['wrong-link-kind', 9],
    ]);
  });

  test('near misses: another rule name, and a directive inside a code block, suppress nothing', async () => {
    const prd = md`
      ---
      type: prd
      id: PRD-1
      ---
      <!-- throughline-disable-next-line orphan-outcome -->
      ### REQ-1: Untraced
      \`\`\`html
      <!-- throughline-disable-next-line untraced-requirement -->
      \`\`\`
      ### REQ-2: Untraced too
    `;
    const t = await createService({ 'p.md': prd });
    assert.deepEqual(
      t.diagnosticsOf('p.md', 'untraced-requirement').map((diagnostic) => diagnostic.range.start.line),
      [5, 9],
    );
  });

  test('a directive applies to the line after the comment ends when the comment spans lines', async () => {
    const prd = md`
      ---
      type: prd
      id: PRD-1
      ---
      <!--
        throughline-disable-next-line untraced-requirement
      -->
      ### REQ-1: Deliberately untraced
    `;
    const t = await createService({ 'p.md': prd });
    assert.deepEqual(t.diagnosticsOf('p.md', 'untraced-requirement'), []);
  });
});

describe('throughline-disable (file-wide)', () => {
  test('silences a rule in the whole file, wherever the comment is', async () => {
    const strategy = md`
      ---
      type: strategy
      id: STR-1
      ---
      ## OBJ-1: Objective
      ### OUT-1: First orphan
      Supports: OBJ-1
      ### OUT-2: Second orphan
      Supports: OBJ-1

      <!-- throughline-disable orphan-outcome -->
    `;
    const t = await createService({ 's.md': strategy });
    assert.deepEqual(t.diagnosticsOf('s.md', 'orphan-outcome'), []);
  });

  test('other rules and other files are unaffected; without names it silences everything in the file', async () => {
    const strategy = md`
      ---
      type: strategy
      id: STR-1
      ---
      <!-- throughline-disable orphan-outcome -->
      ### OUT-1: Orphan and unsupported
    `;
    const silent = md`
      ---
      type: prd
      id: PRD-1
      ---
      <!-- throughline-disable -->
      ### REQ-1: Untraced
      Mentions OUT-99.
    `;
    const other = md`
      ---
      type: strategy
      id: STR-2
      ---
      ### OUT-2: Orphan elsewhere
      Supports: OBJ-1
    `;
    const t = await createService({
      's.md': strategy,
      'p.md': silent,
      'o.md': other,
      'm.md': MINI_STRATEGY.replace('OUT-1', 'OUT-3').replace('STR-1', 'STR-3'),
    });
    assert.deepEqual(codes(t, 's.md'), [['unsupported-outcome', 5]]);
    assert.deepEqual(t.diagnostics('p.md'), []);
    assert.deepEqual(codes(t, 'o.md'), [['orphan-outcome', 4]]);
  });

  test('removing the comment brings the diagnostics back', async () => {
    const prd = '---\ntype: prd\nid: PRD-1\n---\n<!-- throughline-disable untraced-requirement -->\n### REQ-2: Untraced\n';
    const t = await createService({ 's.md': MINI_STRATEGY, 'p.md': MINI_PRD, 'q.md': prd.replace('PRD-1', 'PRD-2') });
    assert.deepEqual(t.diagnostics('q.md'), []);
    t.open('q.md', prd.replace('PRD-1', 'PRD-2').replace('<!-- throughline-disable untraced-requirement -->\n', ''));
    assert.deepEqual(
      t.diagnosticsOf('q.md', 'untraced-requirement').map((diagnostic) => diagnostic.range),
      [range(4, 4, 9)],
    );
  });
});
