/**
 * Folding ranges: the front-matter, heading sections, multi-line list items, code blocks and
 * HTML comments.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { FoldingRangeKind, type FoldingRange } from 'vscode-languageserver-types';
import { CLEAN_WORKSPACE } from '../helpers/fixtures';
import { createService, md } from '../helpers/memoryWorkspace';

const key = (range: FoldingRange) => `${range.startLine}-${range.endLine}${range.kind ? `:${range.kind}` : ''}`;

describe('folding ranges', () => {
  test('the strategy: front-matter, each heading section, each multi-line key result', async () => {
    const t = await createService(CLEAN_WORKSPACE);
    const ranges = t.service.getFoldingRanges(t.doc('strategy.md'));
    const byStart = new Map(ranges.map((range) => [range.startLine, range]));
    assert.deepEqual(byStart.get(0), { startLine: 0, endLine: 7, kind: FoldingRangeKind.Region }, 'the front-matter');
    // List items end on their last attribute line.
    assert.equal(byStart.get(12)?.endLine, 17, '- KR-1.1');
    assert.equal(byStart.get(18)?.endLine, 21, '- KR-1.2');
    assert.equal(byStart.get(33)?.endLine, 36, '- KR-2.1');
    assert.equal(byStart.get(37)?.endLine, 40, '- KR-2.2');
    // A heading section ends after its last content line and before the next heading of its level or higher
    // (trailing blank lines may be included).
    const sections: [number, number, number][] = [
      [8, 43, 44], // # STR-1 runs to the end
      [10, 29, 30], // ## OBJ-1, last content line 29, ## OBJ-2 on 31
      [23, 26, 27], // ### OUT-1
      [28, 29, 30], // ### OUT-2
      [31, 43, 44], // ## OBJ-2
      [42, 43, 44], // ### OUT-3
    ];
    for (const [start, lastContent, limit] of sections) {
      const range = byStart.get(start);
      assert.ok(range && range.endLine >= lastContent && range.endLine <= limit, `section at ${start}: ${JSON.stringify(range)}`);
    }
    assert.equal(ranges.length, 11, ranges.map(key).join(' '));
  });

  test('fenced code blocks fold, HTML comments fold as comments, one-line items and headings do not', async () => {
    const prd = md`
      ---
      type: prd
      id: PRD-9
      ---
      # Title
      - REQ-9.1: One line
      - REQ-9.2: Two lines
        Traces: OUT-1

      \`\`\`yaml
      a: 1
      b: 2
      \`\`\`

      <!--
      a comment
      -->
      ## Last
    `;
    const t = await createService({ ...CLEAN_WORKSPACE, 'p.md': prd });
    const ranges = t.service.getFoldingRanges(t.doc('p.md'));
    const keys = ranges.map(key);
    assert.ok(keys.includes('6-7'), keys.join(' '));
    assert.ok(!keys.some((candidate) => candidate.startsWith('5-')), 'a one-line list item does not fold');
    const code = ranges.find((range) => range.startLine === 9)!;
    assert.equal(code.endLine, 12);
    const comment = ranges.find((range) => range.startLine === 14)!;
    assert.deepEqual([comment.endLine, comment.kind], [16, FoldingRangeKind.Comment]);
  });

  test('every range starts before it ends and lies inside the document', async () => {
    const t = await createService(CLEAN_WORKSPACE);
    for (const path of Object.keys(CLEAN_WORKSPACE)) {
      const lineCount = t.doc(path).lineCount;
      for (const range of t.service.getFoldingRanges(t.doc(path))) {
        assert.ok(range.startLine < range.endLine && range.startLine >= 0 && range.endLine < lineCount, `${path} ${key(range)}`);
      }
    }
  });

  test('near miss: files that take no part get no ranges', async () => {
    const t = await createService({ 'readme.md': '# A\ntext\n## B\ntext\n' });
    assert.deepEqual(t.service.getFoldingRanges(t.doc('readme.md')), []);
  });
});
