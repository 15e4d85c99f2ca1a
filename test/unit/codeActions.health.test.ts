/** Quick fix for prd-outcome-mismatch: add the outcome to the PRD's front-matter, in the style already used. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { applyTextEdits, createService, md } from '../helpers/memoryWorkspace';

const STRATEGY = md`
  ---
  type: strategy
  id: STR-1
  ---
  ## OBJ-1: Objective
  ### OUT-1: One
  Supports: OBJ-1
  ### OUT-2: Two
  Supports: OBJ-1
`;

async function fixed(prd: string): Promise<string> {
  const t = await createService({ 's.md': STRATEGY, 'p.md': prd });
  const document = t.doc('p.md');
  const diagnostics = t.diagnosticsOf('p.md', 'prd-outcome-mismatch');
  assert.equal(diagnostics.length, 1);
  const actions = t.service.getCodeActions(document, diagnostics);
  assert.equal(actions.length, 1);
  assert.equal(actions[0]!.title, "Add OUT-2 to this PRD's front-matter `outcomes`");
  const edits = actions[0]!.edit!.changes![t.uri('p.md')]!;
  const text = applyTextEdits(prd, edits);
  // Applying the fix clears the diagnostic.
  t.change('p.md', text);
  assert.deepEqual(t.diagnosticsOf('p.md', 'prd-outcome-mismatch'), []);
  return text;
}

const body = '### REQ-1: One\nTraces: OUT-1, OUT-2\n';

describe('quick fix: add the outcome to the PRD front-matter', () => {
  test('a flow list gets the ID before its closing bracket', async () => {
    assert.equal(
      await fixed(`---\ntype: prd\nid: PRD-1\noutcomes: [OUT-1]\n---\n${body}`),
      `---\ntype: prd\nid: PRD-1\noutcomes: [OUT-1, OUT-2]\n---\n${body}`,
    );
  });

  test('a block list gets a new item with the same indentation', async () => {
    assert.equal(
      await fixed(`---\ntype: prd\nid: PRD-1\noutcomes:\n    - OUT-1\nteam: Checkout\n---\n${body}`),
      `---\ntype: prd\nid: PRD-1\noutcomes:\n    - OUT-1\n    - OUT-2\nteam: Checkout\n---\n${body}`,
    );
  });

  test('a flow list over several lines, and a list item with a comment, keep what they hold', async () => {
    assert.equal(
      await fixed(`---\ntype: prd\nid: PRD-1\noutcomes: [OUT-3,\n  OUT-1]\n---\n${body}`),
      `---\ntype: prd\nid: PRD-1\noutcomes: [OUT-3,\n  OUT-1, OUT-2]\n---\n${body}`,
    );
    assert.equal(
      await fixed(`---\ntype: prd\nid: PRD-1\noutcomes:\n  - OUT-1 # the main one ]\n---\n${body}`),
      `---\ntype: prd\nid: PRD-1\noutcomes:\n  - OUT-1 # the main one ]\n  - OUT-2\n---\n${body}`,
    );
  });

  test('a missing key is added before the closing line; an empty one is filled', async () => {
    assert.equal(
      await fixed(`---\ntype: prd\nid: PRD-1\n---\n${body.replace('OUT-1, ', '')}`),
      `---\ntype: prd\nid: PRD-1\noutcomes: [OUT-2]\n---\n${body.replace('OUT-1, ', '')}`,
    );
    assert.equal(
      await fixed(`---\ntype: prd\nid: PRD-1\noutcomes: []\n---\n${body.replace('OUT-1, ', '')}`),
      `---\ntype: prd\nid: PRD-1\noutcomes: [OUT-2]\n---\n${body.replace('OUT-1, ', '')}`,
    );
    assert.equal(
      await fixed(`---\ntype: prd\nid: PRD-1\noutcomes:\n---\n${body.replace('OUT-1, ', '')}`),
      `---\ntype: prd\nid: PRD-1\noutcomes: [OUT-2]\n---\n${body.replace('OUT-1, ', '')}`,
    );
  });
});
