/**
 * Inlay hints: the referenced item's title after each reference to a known ID, in the requested
 * range; none after definitions, unknown IDs or a heading repeating the document's ID, and none
 * when the `inlayHints` setting is off (by every route the configuration has).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { InlayHint } from 'vscode-languageserver-types';
import { parseConfigFile } from '../../server/src/service/config/configFile';
import { parseSettings } from '../../server/src/service/config/settings';
import { DEFAULT_CONFIG, resolveConfig } from '../../server/src/service/model/config';
import { CLEAN_WORKSPACE, MINI_STRATEGY } from '../helpers/fixtures';
import { createService, md, range } from '../helpers/memoryWorkspace';

const WHOLE = range(0, 0, 1_000, 0);
const hint = (line: number, character: number, label: string, tooltip?: string): InlayHint =>
  tooltip === undefined ? { position: { line, character }, label, paddingLeft: true } : { position: { line, character }, label, paddingLeft: true, tooltip };

describe('inlay hints', () => {
  test('after front-matter outcomes and every Traces reference: the outcome title; none on definitions or the repeated document heading', async () => {
    const t = await createService(CLEAN_WORKSPACE);
    // L6 `outcomes: [OUT-1, OUT-2]`, L8 `# PRD-1: Guest checkout`, L12 `### REQ-1.1: …`, L13 `Traces: OUT-1`, L17 `Traces: OUT-1, OUT-2`.
    assert.deepEqual(t.service.getInlayHints(t.doc('prds/checkout.md'), WHOLE), [
      hint(6, 16, 'Payers pay without an account'),
      hint(6, 23, 'Payers use their own wallet'),
      hint(13, 13, 'Payers pay without an account'),
      hint(17, 13, 'Payers pay without an account'),
      hint(17, 20, 'Payers use their own wallet'),
    ]);
  });

  test('in a strategy: the vision in front-matter, and objectives and key results after Supports', async () => {
    const t = await createService(CLEAN_WORKSPACE);
    assert.deepEqual(t.service.getInlayHints(t.doc('strategy.md'), WHOLE), [
      hint(4, 13, 'Everyone gets paid on time'),
      hint(24, 15, 'Make paying effortless'),
      hint(24, 23, 'Invoice conversion'),
      hint(29, 16, 'Time to pay'),
      hint(43, 16, 'Retention of large accounts'),
    ]);
  });

  test('only the hints inside the requested range, its ends included', async () => {
    const t = await createService(CLEAN_WORKSPACE);
    const document = t.doc('prds/checkout.md');
    assert.deepEqual(t.service.getInlayHints(document, range(13, 0, 17, 13)), [
      hint(13, 13, 'Payers pay without an account'),
      hint(17, 13, 'Payers pay without an account'),
    ]);
    assert.deepEqual(t.service.getInlayHints(document, range(17, 14, 17, 20)), [hint(17, 20, 'Payers use their own wallet')]);
    assert.deepEqual(t.service.getInlayHints(document, range(9, 0, 12, 40)), []);
  });

  test('near misses: an unknown ID, an ID in code and an untitled item get none; a prose mention of a titled one does', async () => {
    const prd = md`
      ---
      type: prd
      id: PRD-1
      outcomes: [OUT-1]
      ---
      ### REQ-1: Requirement one
      Traces: OUT-1, OUT-99

      See OUT-7 and \`OUT-1\` and OUT-1.
    `;
    const strategy = `${MINI_STRATEGY}### OUT-7:\nSupports: KR-1.2\n`;
    const t = await createService({ 's.md': strategy, 'p.md': prd });
    // L6 `Traces: OUT-1, OUT-99`, L8 `See OUT-7 and \`OUT-1\` and OUT-1.`
    assert.deepEqual(t.service.getInlayHints(t.doc('p.md'), WHOLE), [hint(3, 16, 'Outcome one'), hint(6, 13, 'Outcome one'), hint(8, 31, 'Outcome one')]);
  });

  test('a long title is cut to 40 characters with an ellipsis, never inside a surrogate pair; the tooltip has it whole', async () => {
    const long = 'Payers complete payment without creating an account';
    const emoji = `${'a'.repeat(37)} 😀 and more words after it`;
    const strategy = `${MINI_STRATEGY}### OUT-2: ${long}\nSupports: KR-1.1\n### OUT-3: ${emoji}\nSupports: KR-1.2\n`;
    const prd = '---\ntype: prd\nid: PRD-1\n---\n### REQ-1: R\nTraces: OUT-2, OUT-3\n';
    const t = await createService({ 's.md': strategy, 'p.md': prd });
    const hints = t.service.getInlayHints(t.doc('p.md'), WHOLE);
    assert.deepEqual(hints, [hint(5, 13, 'Payers complete payment without creatin…', long), hint(5, 20, `${'a'.repeat(37)}…`, emoji)]);
    assert.equal((hints[0]!.label as string).length, 40);
  });

  test('a stale document version and a file that takes no part get none', async () => {
    const t = await createService({ ...CLEAN_WORKSPACE, 'readme.md': '# Readme\nTraces: OUT-1\n' });
    const current = t.doc('prds/checkout.md');
    const stale = TextDocument.create(current.uri, 'markdown', current.version + 1, current.getText());
    assert.deepEqual(t.service.getInlayHints(stale, WHOLE), []);
    assert.deepEqual(t.service.getInlayHints(t.doc('readme.md'), WHOLE), []);
  });
});

describe('the inlayHints setting', () => {
  test('is on by default; editor settings turn it off, and a later change of settings turns it on again', async () => {
    assert.equal(DEFAULT_CONFIG.inlayHints, true);
    const t = await createService(CLEAN_WORKSPACE, { settings: { inlayHints: false } });
    assert.equal(t.service.config.inlayHints, false);
    assert.deepEqual(t.service.getInlayHints(t.doc('prds/checkout.md'), WHOLE), []);
    await t.service.updateSettings({ inlayHints: true });
    assert.equal(t.service.getInlayHints(t.doc('prds/checkout.md'), WHOLE).length, 5);
    await t.service.updateSettings({ inlayHints: false });
    assert.deepEqual(t.service.getInlayHints(t.doc('prds/checkout.md'), WHOLE), []);
  });

  test('`.throughline.yml` sets it, and wins over the editor setting', async () => {
    const off = await createService({ ...CLEAN_WORKSPACE, '.throughline.yml': 'inlayHints: false\n' });
    assert.deepEqual(off.service.getInlayHints(off.doc('prds/checkout.md'), WHOLE), []);
    const on = await createService({ ...CLEAN_WORKSPACE, '.throughline.yml': 'inlayHints: true\n' }, { settings: { inlayHints: false } });
    assert.equal(on.service.getInlayHints(on.doc('prds/checkout.md'), WHOLE).length, 5);
    assert.deepEqual(on.diagnostics('.throughline.yml'), []);
  });

  test('settings and the configuration file accept a boolean and report anything else, keeping the valid rest', () => {
    assert.deepEqual(parseSettings({ inlayHints: false }), { settings: { inlayHints: false }, problems: [] });
    const invalid = parseSettings({ inlayHints: 'no', maxProblemsPerFile: 5 });
    assert.deepEqual(invalid.settings, { maxProblemsPerFile: 5 });
    assert.deepEqual(invalid.problems, ['`inlayHints`: Invalid input: expected boolean, received string']);
    assert.deepEqual(parseConfigFile('inlayHints: false\n'), { config: { inlayHints: false }, problems: [] });
    const file = parseConfigFile('inlayHints: 3\nmaxProblemsPerFile: 5\n');
    assert.deepEqual(file.config, { maxProblemsPerFile: 5 });
    assert.deepEqual(
      file.problems.map((problem) => [problem.span, problem.message]),
      [[{ line: 0, start: 0, end: 10 }, '`inlayHints`: Invalid input: expected boolean, received number']],
    );
    assert.equal(resolveConfig({ inlayHints: false }, {}).inlayHints, false);
    assert.equal(resolveConfig({ inlayHints: false }, { inlayHints: true }).inlayHints, true);
  });
});
