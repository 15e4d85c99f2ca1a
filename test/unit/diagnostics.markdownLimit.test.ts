/**
 * `markdown-limit`: block quotes and list items nested beyond what the scanner opens. The deeper
 * markers are read as text, and the author is told where, rather than the items there silently
 * going missing.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DiagnosticSeverity } from 'vscode-languageserver-types';
import { MAX_CONTAINER_DEPTH } from '../../server/src/service/parse/markdown/blocks';
import { MINI_PRD, MINI_STRATEGY } from '../helpers/fixtures';
import { createService, range } from '../helpers/memoryWorkspace';

const nested = (levels: number) => `${MINI_PRD}\n${'> '.repeat(levels)}REQ-9: Deep requirement\n`;

describe('markdown-limit', () => {
  test('a marker one level too deep gets a warning at that marker, and the rest of the workspace is checked', async () => {
    const t = await createService({ 's.md': MINI_STRATEGY, 'p.md': nested(MAX_CONTAINER_DEPTH + 20) });
    const line = MINI_PRD.split('\n').length;
    const diagnostics = t.diagnosticsOf('p.md', 'markdown-limit');
    assert.deepEqual(
      diagnostics.map((diagnostic) => [diagnostic.range, diagnostic.severity]),
      [[range(line, 2 * MAX_CONTAINER_DEPTH, 2 * MAX_CONTAINER_DEPTH + 1), DiagnosticSeverity.Warning]],
    );
    assert.match(diagnostics[0]!.message, new RegExp(`more than ${MAX_CONTAINER_DEPTH} levels deep`));
    assert.ok(t.service.graph.definition('REQ-1'), 'the items above it are indexed');
    assert.deepEqual(t.diagnosticsOf('s.md', 'orphan-outcome'), [], 'and their traces count');
  });

  test('near miss: nesting exactly at the limit is read in full, without a warning', async () => {
    const t = await createService({ 's.md': MINI_STRATEGY, 'p.md': nested(MAX_CONTAINER_DEPTH) });
    assert.deepEqual(t.diagnosticsOf('p.md', 'markdown-limit'), []);
  });

  test('the rule can be switched off', async () => {
    const t = await createService({ 's.md': MINI_STRATEGY, 'p.md': nested(MAX_CONTAINER_DEPTH + 1) }, { settings: { rules: { 'markdown-limit': 'off' } } });
    assert.deepEqual(t.diagnosticsOf('p.md', 'markdown-limit'), []);
  });
});
