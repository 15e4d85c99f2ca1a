/**
 * `markdown-limit`: block quotes and list items nested beyond what the scanner opens. The deeper
 * markers are read as text, and the author is told where, rather than the items there silently
 * going missing.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DiagnosticSeverity } from 'vscode-languageserver-types';
import { MAX_CONTAINER_DEPTH } from '../../server/src/service/parse/markdown/blocks';
import { MAX_DESTINATION, MAX_LINKS } from '../../server/src/service/parse/markdownLinks';
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

  describe('links', () => {
    // Each link is next to OUT-1 and leads to a file that is no strategy document: `broken-link` reports every one it checks.
    const links = (count: number) => `${MINI_PRD}\n${Array.from({ length: count }, (_, k) => `OUT-1 [spec ${k}](missing-${k}.md)`).join('\n')}\n`;
    const firstLinkLine = MINI_PRD.split('\n').length;

    test('past the links a document can have, a warning on the first link not checked', async () => {
      const t = await createService({ 's.md': MINI_STRATEGY, 'p.md': links(MAX_LINKS + 5) });
      const warnings = t.diagnosticsOf('p.md', 'markdown-limit');
      assert.equal(warnings.length, 1);
      assert.deepEqual(warnings[0]!.range, range(firstLinkLine + MAX_LINKS, 6, 6 + `[spec ${MAX_LINKS}]`.length));
      assert.match(warnings[0]!.message, /more than 10,000 Markdown links/);
    });

    test('near miss: exactly as many links as are read, without a warning', async () => {
      const t = await createService({ 's.md': MINI_STRATEGY, 'p.md': links(MAX_LINKS) });
      assert.deepEqual(t.diagnosticsOf('p.md', 'markdown-limit'), []);
    });

    test('near miss: web links beyond the count are not counted, since none is ever checked', async () => {
      const web = Array.from({ length: MAX_LINKS + 5 }, (_, k) => `OUT-1 [spec ${k}](https://example.com/${k}.md)`).join('\n');
      const t = await createService({ 's.md': MINI_STRATEGY, 'p.md': `${MINI_PRD}\n${web}\nOUT-1 [spec](missing.md)\n` });
      assert.deepEqual(t.diagnosticsOf('p.md', 'markdown-limit'), []);
      assert.equal(t.diagnosticsOf('p.md', 'broken-link').length, 1, 'the workspace link after them is checked');
    });

    test('a destination too long to be checked is said, where it is written', async () => {
      const long = `${'a'.repeat(MAX_DESTINATION + 1)}.md`;
      const t = await createService({ 's.md': MINI_STRATEGY, 'p.md': `${MINI_PRD}\nOUT-1 [spec](${long})\n` });
      const warnings = t.diagnosticsOf('p.md', 'markdown-limit');
      assert.deepEqual(
        warnings.map((warning) => warning.range),
        [range(firstLinkLine, 13, 13 + long.length)],
      );
      assert.match(warnings[0]!.message, /longer than 2,048 characters/);
      assert.deepEqual(t.diagnosticsOf('p.md', 'broken-link'), [], 'it is not checked');
    });

    test('near miss: a destination of exactly the longest length is checked, without a warning', async () => {
      const longest = `${'a'.repeat(MAX_DESTINATION - 3)}.md`;
      const t = await createService({ 's.md': MINI_STRATEGY, 'p.md': `${MINI_PRD}\nOUT-1 [spec](${longest})\n` });
      assert.deepEqual(t.diagnosticsOf('p.md', 'markdown-limit'), []);
      assert.equal(t.diagnosticsOf('p.md', 'broken-link').length, 1);
    });
  });
});
