/**
 * `decimalSeparator: ','` reaches every view of progress, not only the rules: code lens, hover,
 * the tree and coverage read `1,5` as one and a half.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { AlignmentNode } from '../../common/protocol';
import { createService } from '../helpers/memoryWorkspace';

const STRATEGY = [
  '---',
  'type: strategy',
  'id: STR-1',
  '---',
  '## OBJ-1: Faster payments',
  '- KR-1.1: Days to pay',
  '  Baseline: 10,5',
  '  Target: 2,5',
  '  Current: 6,5',
  '  Due: 2027-06-30',
  '',
].join('\n');

describe('decimal comma in the views', () => {
  test("with `decimalSeparator: ','` the key result is half done in the code lens, hover, tree and coverage", async () => {
    const t = await createService({ '.throughline.yml': "decimalSeparator: ','\n", 's.md': STRATEGY });
    const lens = t.service.getCodeLenses(t.doc('s.md')).find((candidate) => candidate.command?.title.startsWith('KR '));
    assert.equal(lens?.command?.title, 'KR 50% · objective 50%');
    const find = (nodes: readonly AlignmentNode[]): AlignmentNode | undefined => {
      for (const node of nodes) {
        if (node.id === 'KR-1.1') return node;
        const below = find(node.children);
        if (below) return below;
      }
      return undefined;
    };
    assert.equal(find(t.service.getAlignmentTree().roots)?.progress, 0.5);
    assert.match(JSON.stringify(t.service.getHover(t.doc('s.md'), { line: 5, character: 4 })?.contents), /50%/);
    assert.equal(t.service.getCoverage().progress[0]?.progress, 0.5);
  });

  test("near miss: with the default '.', `10,5` is not read as 105 or 10.5: no progress is shown", async () => {
    const t = await createService({ 's.md': STRATEGY });
    assert.equal(
      t.service.getCodeLenses(t.doc('s.md')).some((candidate) => candidate.command?.title.startsWith('KR ')),
      false,
    );
    assert.equal(t.service.getCoverage().progress[0]?.progress, undefined);
  });
});
