/**
 * A file whose `id:` has a Throughline prefix but whose `type:` is not a document type is not
 * checked, and says so: one info diagnostic on its `type:` (or `id:`), with a did-you-mean.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DiagnosticSeverity } from 'vscode-languageserver-types';
import { MINI_STRATEGY } from '../helpers/fixtures';
import { createService, range } from '../helpers/memoryWorkspace';

describe('front-matter: a Throughline ID with an unknown type', () => {
  test('`type: discovery` with `id: PRD-3` is reported on the type, and the file is not checked', async () => {
    const t = await createService({ 's.md': MINI_STRATEGY, 'd.md': '---\ntype: discovery\nid: PRD-3\n---\n# PRD-3: Interviews\n### REQ-3.1: Talk to users\n' });
    assert.deepEqual(
      t.diagnosticsOf('d.md', 'front-matter').map((diagnostic) => [diagnostic.range, diagnostic.severity, diagnostic.message]),
      [[range(1, 6, 15), DiagnosticSeverity.Information, '`type: discovery` is not one of vision, strategy, prd; this file is not checked.']],
    );
    assert.equal(t.service.graph.definition('REQ-3.1'), undefined);
  });

  test('a close type gets a did-you-mean', async () => {
    const t = await createService({ 'd.md': '---\ntype: strategie\nid: STR-3\n---\n# STR-3: Typo\n' });
    assert.match(t.diagnosticsOf('d.md', 'front-matter')[0]?.message ?? '', /Did you mean `strategy`\?$/);
  });

  test('near miss: a note without a Throughline ID, or with an ID of no configured prefix, says nothing', async () => {
    const t = await createService({ 'n.md': '---\ntype: note\n---\n# Notes\n', 'm.md': '---\ntype: meeting\nid: MTG-3\n---\n# Minutes\n' });
    assert.deepEqual(t.diagnosticsOf('n.md', 'front-matter'), []);
    assert.deepEqual(t.diagnosticsOf('m.md', 'front-matter'), []);
  });
});
