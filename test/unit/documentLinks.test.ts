/**
 * Document links: every reference to a defined ID links to the line and column that define it.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CLEAN_WORKSPACE, PRD } from '../helpers/fixtures';
import { createService, range } from '../helpers/memoryWorkspace';

describe('document links', () => {
  test('references in front-matter, Traces and a repeated document heading link to their definitions', async () => {
    const t = await createService(CLEAN_WORKSPACE);
    const links = t.service.getDocumentLinks(t.doc('prds/checkout.md'));
    assert.deepEqual(
      links.map((link) => [link.range, link.target, link.tooltip]),
      [
        [range(6, 11, 16), `${t.uri('strategy.md')}#L24,5`, 'OUT-1: Payers pay without an account'],
        [range(6, 18, 23), `${t.uri('strategy.md')}#L29,5`, 'OUT-2: Payers use their own wallet'],
        [range(8, 2, 7), `${t.uri('prds/checkout.md')}#L3,5`, 'PRD-1: Guest checkout'],
        [range(13, 8, 13), `${t.uri('strategy.md')}#L24,5`, 'OUT-1: Payers pay without an account'],
        [range(17, 8, 13), `${t.uri('strategy.md')}#L24,5`, 'OUT-1: Payers pay without an account'],
        [range(17, 15, 20), `${t.uri('strategy.md')}#L29,5`, 'OUT-2: Payers use their own wallet'],
      ],
    );
  });

  test('a key result in a list item links to its column', async () => {
    const t = await createService(CLEAN_WORKSPACE);
    const link = t.service
      .getDocumentLinks(t.doc('strategy.md'))
      .find((candidate) => candidate.range.start.line === 24 && candidate.range.start.character === 17);
    assert.equal(link?.target, `${t.uri('strategy.md')}#L13,3`);
  });

  test('near misses: unknown IDs, IDs in code, and files that take no part get no links', async () => {
    const prd = `${PRD}\nSee OUT-99 and \`OUT-1\`.\n`;
    const t = await createService({ ...CLEAN_WORKSPACE, 'prds/checkout.md': prd, 'readme.md': '# Readme\nOUT-1\n' });
    const lines = t.service.getDocumentLinks(t.doc('prds/checkout.md')).map((link) => link.range.start.line);
    assert.ok(!lines.includes(19));
    assert.deepEqual(t.service.getDocumentLinks(t.doc('readme.md')), []);
  });
});
