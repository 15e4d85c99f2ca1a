/**
 * Every file of a real product organisation's handbook, made a PRD by prepending strategy
 * front-matter, goes through indexing and every feature: nothing throws, every range lies inside
 * its document, and IDs that real prose happens to contain behave like references.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import type { Range } from 'vscode-languageserver-types';
import { createService } from '../helpers/memoryWorkspace';

const corpusRoot = join(import.meta.dirname, '..', '..', '..', 'shared', 'corpora', 'sourcegraph-handbook', 'content');

function markdownFiles(folder: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) found.push(...markdownFiles(path));
    else if (/\.md$/i.test(entry.name)) found.push(path);
  }
  return found.sort();
}

/** The body without the file's own front-matter, under a PRD front-matter. */
function asPrd(text: string, index: number): string {
  const body = text.startsWith('---') ? text.replace(/^---\r?\n[\s\S]*?\r?\n---\r?\n?/, '') : text;
  return `---\ntype: prd\nid: PRD-${index + 1}\ntitle: Handbook page ${index + 1}\n---\n${body}`;
}

function inside(range: Range, lines: string[]): boolean {
  const within = (position: Range['start']) =>
    position.line >= 0 && position.line < lines.length && position.character >= 0 && position.character <= lines[position.line]!.length;
  return within(range.start) && within(range.end);
}

test('the Sourcegraph handbook as PRDs: every feature answers inside the document, nothing throws', async (t) => {
  if (!existsSync(corpusRoot)) {
    t.skip(`corpus not found at ${corpusRoot}`);
    return;
  }
  const files = markdownFiles(corpusRoot);
  assert.ok(files.length > 800, `expected the ~880 handbook files, found ${files.length}`);
  const texts: Record<string, string> = {};
  files.forEach((file, index) => (texts[relative(corpusRoot, file)] = asPrd(readFileSync(file, 'utf8'), index)));
  const service = await createService(texts);
  assert.equal(service.service.graph.documentCount, files.length, 'every page takes part');

  let checkedPositions = 0;
  for (const path of Object.keys(texts)) {
    const document = service.doc(path);
    const lines = document.getText().split(/\r\n|\r|\n/);
    for (const diagnostic of service.diagnostics(path))
      assert.ok(inside(diagnostic.range, lines), `${path}: diagnostic ${JSON.stringify(diagnostic.range)} outside`);
    for (const symbol of service.service.getDocumentSymbols(document)) assert.ok(inside(symbol.range, lines), `${path}: symbol outside`);
    for (const range of service.service.getFoldingRanges(document))
      assert.ok(range.startLine <= range.endLine && range.endLine < lines.length, `${path}: folding outside`);
    for (const link of service.service.getDocumentLinks(document)) assert.ok(inside(link.range, lines), `${path}: link outside`);
    // Every 7th line, at its start, middle and end.
    for (let line = 0; line < lines.length; line += 7) {
      for (const character of [0, Math.floor(lines[line]!.length / 2), lines[line]!.length]) {
        const position = { line, character };
        const hover = service.service.getHover(document, position);
        if (hover?.range) assert.ok(inside(hover.range, lines), `${path}: hover outside`);
        for (const item of service.service.getCompletions(document, position).items) {
          const edit = item.textEdit as { range: Range } | undefined;
          if (edit) assert.ok(inside(edit.range, lines), `${path}: completion edit outside`);
        }
        service.service.getDefinition(document, position);
        service.service.getReferences(document, position, true);
        checkedPositions++;
      }
    }
  }
  assert.ok(checkedPositions > 10_000, `checked ${checkedPositions} positions`);
  // The tree and coverage cover the whole corpus without throwing; pages have no requirements.
  assert.equal(service.service.getCoverage().requirements, 0);
  assert.ok(service.service.getAlignmentTree().roots.length >= 3);
});
