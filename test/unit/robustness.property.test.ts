/**
 * Robustness: random Markdown and YAML (byte-order marks, CRLF and lone CR, tabs, unclosed fences
 * and comments, 10,000-character headings, IDs in every position, broken front-matter, non-ASCII)
 * goes through indexing and every feature at random positions. Nothing may throw (except the
 * documented `RenameError`), and every range a feature returns must lie inside its document.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Position, Range, TextEdit, WorkspaceEdit } from 'vscode-languageserver-types';
import type { AlignmentNode } from '../../common/protocol';
import { RenameError } from '../../server/src/service';
import { indexDocument } from '../../server/src/service/parse/indexDocument';
import { DEFAULT_CONFIG } from '../../server/src/service/model/config';
import { createService, rangeInside, type TestService } from '../helpers/memoryWorkspace';
import { assertAsyncProperty, assertProperty } from '../helpers/property';

// ---- generators --------------------------------------------------------------------------------

const id = fc.oneof(
  fc.constantFrom('OUT-1', 'OUT-2', 'OBJ-1', 'KR-1.1', 'KR-1.2', 'REQ-1', 'PRD-1', 'STR-1', 'VIS-1', 'OUT-99', 'ABC-1', 'OUT-1.', 'KR-1.1.2', 'OUT-é', 'OUT-'),
  fc
    .tuple(fc.constantFrom('OUT', 'OBJ', 'KR', 'REQ', 'PRD', 'STR', 'VIS', 'X'), fc.stringMatching(/^[A-Za-z0-9._-]{0,6}$/))
    .map(([prefix, suffix]) => `${prefix}-${suffix}`),
);
const words = fc
  .array(
    fc.constantFrom(
      'pay',
      'the',
      'invoice',
      'é',
      '日本語',
      '😀',
      '👩‍👩‍👧',
      'e\u0301',
      '\u200b',
      '\t',
      '`',
      '``',
      '<!--',
      '-->',
      '[link](',
      ')',
      '<https://x/',
      '>',
      '|',
      '*',
      '_',
      '\\',
      '#',
      ':',
      ' ',
      'OUT-1',
      'REQ-1',
    ),
    { maxLength: 8 },
  )
  .map((parts) => parts.join(' '));
const prose = fc.tuple(words, fc.option(id), words).map(([a, b, c]) => `${a}${b ? ` ${b} ` : ''}${c}`);

const bodyLine = fc.oneof(
  fc
    .tuple(fc.constantFrom('#', '##', '###', '####', '#######', ' ##', '    ###'), id, fc.constantFrom(': ', ':', ' '), words)
    .map(([hashes, item, colon, title]) => `${hashes} ${item}${colon}${title}`),
  fc
    .tuple(fc.constantFrom('- ', '* ', '1. ', '  - ', '    - ', '\t- ', '> - ', '> '), id, fc.constantFrom(': ', ':'), words)
    .map(([marker, item, colon, title]) => `${marker}${item}${colon}${title}`),
  fc
    .tuple(
      fc.constantFrom('', '  ', '\t', '> '),
      fc.constantFrom('Traces', 'Supports', 'traces', 'Baseline', 'Target', 'Due', 'Status', 'Owner', 'Metric'),
      fc.constantFrom(': ', ':', ' : '),
      fc.array(id, { maxLength: 3 }).map((ids) => ids.join(', ')),
      fc.constantFrom('', ' 12%', ' 2027-01-01', ','),
    )
    .map(([indent, key, colon, value, tail]) => `${indent}${key}${colon}${value}${tail}`),
  prose,
  fc.constantFrom(
    '```',
    '```yaml',
    '~~~',
    '    indented OUT-1 code',
    '<!--',
    '-->',
    '<!-- throughline-disable-next-line unknown-reference -->',
    '<!-- throughline-disable -->',
    '<div>',
    '</div>',
    '---',
    '===',
    '',
    '',
    '   ',
    '\t',
    '| a | OUT-1 |',
    '[ref]: https://x/OUT-1',
    'Setext OUT-1',
    '\u00a0',
  ),
  fc.constantFrom(10_000, 3_000).map((length) => `# OUT-7: ${'x'.repeat(length)}`),
);

const frontMatter = fc.oneof(
  fc
    .tuple(
      fc.constantFrom('prd', 'strategy', 'vision'),
      id,
      fc.array(
        fc.constantFrom(
          'title: T',
          'status: draft',
          'status: nope',
          'vision: VIS-1',
          'outcomes: [OUT-1, OUT-2]',
          'outcomes:\n  - OUT-1\n  - 5',
          'north_star: {metric: m, target: 1}',
          'tags: [a, "b"]',
          'period: 2027-H1',
          'owner: "x',
        ),
        { maxLength: 4 },
      ),
    )
    .map(([type, documentId, extra]) => `---\ntype: ${type}\nid: ${documentId}\n${extra.join('\n')}${extra.length ? '\n' : ''}---\n`),
  fc.constantFrom(
    '---\ntype: prd\nid: PRD-1\ntitle: "unclosed\n---\n',
    '---\ntype: prd\nid: PRD-1\n',
    '---\ntype: strategy\n\tid: STR-1\n---\n',
    '---\ntype: prd\nid: [a, b]\n---\n',
    '---\n- a\n---\n',
    '---\ntype: vision\n...\n',
    '---\n---\n',
    '',
    '# No front-matter\n',
    '---\ntype: prd\nid: PRD-1\nkey: &a [*a]\n---\n',
    '---\ntype: strategy\nid: STR-1\nx: !!binary aGVsbG8=\n---\n',
  ),
);

const lineEnding = fc.constantFrom('\n', '\n', '\n', '\r\n', '\r');
const markdown = fc
  .tuple(fc.boolean(), frontMatter, fc.array(fc.tuple(bodyLine, lineEnding), { maxLength: 25 }), lineEnding, fc.boolean())
  .map(([bom, head, lines, eol, convertHead]) => {
    const headText = convertHead ? head.replace(/\n/g, eol) : head;
    return `${bom ? '\ufeff' : ''}${headText}${lines.map(([text, ending]) => text + ending).join('')}`;
  });

const config = fc.constantFrom(
  undefined,
  'rules:\n  orphan-outcome: off\n',
  'prefixes:\n  GOAL: objective\n',
  'include: [',
  'exclude: ["b.md"]\n',
  '\ufeffrules: 5\n',
);

// ---- checks ------------------------------------------------------------------------------------

function assertInside(texts: Map<string, string>, uri: string, range: Range, label: string): void {
  const what = label.length > 80 ? `${label.slice(0, 80)}…` : label;
  const text = texts.get(uri);
  assert.ok(text !== undefined, `${what}: range in an unknown document ${uri}`);
  assert.ok(rangeInside(text, range), `${what}: ${JSON.stringify(range)} outside ${uri} (${JSON.stringify(text.slice(0, 200))}...)`);
}

function assertEditInside(texts: Map<string, string>, edit: WorkspaceEdit | undefined, what: string): void {
  for (const [uri, edits] of Object.entries(edit?.changes ?? {})) for (const change of edits as TextEdit[]) assertInside(texts, uri, change.range, what);
}

/** Valid positions chosen by the seeds, plus a few outside the text (which must give empty answers). */
function randomPositions(text: string, seeds: readonly [number, number][]): Position[] {
  const document = TextDocument.create('file:///tmp', 'markdown', 0, text);
  const lineLength = (line: number) => {
    const start = document.offsetAt({ line, character: 0 });
    let end = line + 1 < document.lineCount ? document.offsetAt({ line: line + 1, character: 0 }) : text.length;
    while (end > start && (text.charCodeAt(end - 1) === 10 || text.charCodeAt(end - 1) === 13)) end--;
    return end - start;
  };
  const positions: Position[] = [
    { line: 0, character: 0 },
    { line: document.lineCount, character: 0 },
    { line: 0, character: 100_000 },
  ];
  for (const [a, b] of seeds) {
    const line = a % document.lineCount;
    positions.push({ line, character: b % (lineLength(line) + 1) });
    positions.push({ line, character: lineLength(line) + 1 + (b % 3) });
  }
  return positions;
}

function exerciseEverything(t: TestService, texts: Map<string, string>, documents: TextDocument[], seeds: readonly [number, number][]): void {
  for (const uri of t.service.diagnosticUris()) {
    for (const diagnostic of t.service.getDiagnostics(uri)) {
      if (texts.has(uri)) assertInside(texts, uri, diagnostic.range, `diagnostic ${String(diagnostic.code)}`);
      for (const related of diagnostic.relatedInformation ?? []) assertInside(texts, related.location.uri, related.location.range, 'related information');
    }
  }
  for (const document of documents) {
    const uri = document.uri;
    for (const symbol of t.service.getDocumentSymbols(document)) {
      const walk = (node: typeof symbol) => {
        assertInside(texts, uri, node.range, 'symbol range');
        assertInside(texts, uri, node.selectionRange, 'symbol selection range');
        node.children?.forEach(walk);
      };
      walk(symbol);
    }
    for (const lens of t.service.getCodeLenses(document)) assertInside(texts, uri, lens.range, 'code lens');
    for (const link of t.service.getDocumentLinks(document)) assertInside(texts, uri, link.range, 'document link');
    for (const folding of t.service.getFoldingRanges(document)) {
      assert.ok(
        folding.startLine >= 0 && folding.startLine <= folding.endLine && folding.endLine < document.lineCount,
        `folding ${JSON.stringify(folding)} in ${uri}`,
      );
    }
    for (const action of t.service.getCodeActions(document, t.service.getDiagnostics(uri))) assertEditInside(texts, action.edit, `code action ${action.title}`);
    for (const position of randomPositions(document.getText(), seeds)) {
      const completion = t.service.getCompletions(document, position);
      for (const item of completion.items) if (item.textEdit && 'range' in item.textEdit) assertInside(texts, uri, item.textEdit.range, 'completion');
      const hover = t.service.getHover(document, position);
      if (hover?.range) assertInside(texts, uri, hover.range, 'hover');
      for (const location of t.service.getDefinition(document, position)) assertInside(texts, location.uri, location.range, 'definition');
      for (const location of t.service.getReferences(document, position, true)) assertInside(texts, location.uri, location.range, 'references');
      try {
        const prepared = t.service.prepareRename(document, position);
        if (prepared) assertInside(texts, uri, prepared.range, 'prepareRename');
        assertEditInside(texts, t.service.getRenameEdits(document, position, 'OUT-424242'), 'rename');
      } catch (error) {
        if (!(error instanceof RenameError)) throw error;
      }
    }
  }
  for (const symbol of t.service.getWorkspaceSymbols('o'))
    assertInside(texts, symbol.location.uri, (symbol.location as { range: Range }).range, 'workspace symbol');
  const walkTree = (node: AlignmentNode) => {
    if (node.uri && node.range) assertInside(texts, node.uri, node.range, `tree node ${node.key}`);
    node.children.forEach(walkTree);
  };
  t.service.getAlignmentTree().roots.forEach(walkTree);
  const coverage = t.service.getCoverage();
  assert.ok(
    coverage.tracedRequirements <= coverage.requirements &&
      coverage.deliveredOutcomes <= coverage.outcomes &&
      coverage.objectivesWithOutcomes <= coverage.objectives,
  );
}

// ---- tests -------------------------------------------------------------------------------------

describe('robustness on random input', () => {
  test('indexing never throws and every span lies inside the document', () => {
    assertProperty(
      fc.property(markdown, (text) => {
        const index = indexDocument('file:///ws/a.md', 0, text, DEFAULT_CONFIG);
        const check = (line: number, start: number, end: number, what: string) =>
          assert.ok(rangeInside(text, { start: { line, character: start }, end: { line, character: end } }), `${what} ${line}:${start}-${end}`);
        for (const item of index.items) check(item.idSpan.line, item.idSpan.start, item.idSpan.end, `item ${item.id}`);
        for (const reference of index.references) check(reference.span.line, reference.span.start, reference.span.end, `reference ${reference.id}`);
        for (const problem of index.problems) check(problem.span.line, problem.span.start, problem.span.end, `problem ${problem.message}`);
        for (const item of index.items) {
          for (const attribute of item.attributes) {
            check(attribute.keySpan.line, attribute.keySpan.start, attribute.keySpan.end, 'attribute key');
            check(attribute.valueSpan.line, attribute.valueSpan.start, attribute.valueSpan.end, 'attribute value');
          }
        }
      }),
      { numRuns: 400 },
    );
  });

  test('every feature at random positions, over a workspace of random files, some opened and edited', async () => {
    await assertAsyncProperty(
      fc.asyncProperty(
        fc.array(markdown, { minLength: 1, maxLength: 3 }),
        config,
        fc.array(fc.tuple(fc.nat(), fc.nat()), { minLength: 2, maxLength: 5 }),
        fc.option(markdown),
        async (files, configText, seeds, edited) => {
          const names = ['a.md', 'b.md', 'dir/c.md'];
          const fileMap: Record<string, string> = {};
          files.forEach((text, index) => (fileMap[names[index]!] = text));
          if (configText !== undefined) fileMap['.throughline.yml'] = configText;
          const t = await createService(fileMap);
          const texts = new Map<string, string>();
          for (const [path, text] of Object.entries(fileMap)) texts.set(t.uri(path), text);
          const documents = files.map((_, index) => t.doc(names[index]!));
          if (edited !== null) {
            // An editor edit of the first file: features answer for the new version.
            documents[0] = t.open(names[0]!, edited);
            texts.set(t.uri(names[0]!), edited);
          }
          exerciseEverything(t, texts, documents, seeds);
        },
      ),
      { numRuns: 150 },
    );
  });

  test('a single 10,000-character heading and a 2,000-line file of IDs stay fast and sound', async () => {
    const long = `---\ntype: strategy\nid: STR-1\n---\n# OUT-1: ${'é'.repeat(10_000)}\nSupports: OBJ-1\n`;
    const many = `---\ntype: prd\nid: PRD-1\n---\n${Array.from({ length: 2_000 }, (_, i) => `- REQ-${i}: r\n  Traces: OUT-1, OUT-${i}`).join('\n')}\n`;
    const started = performance.now();
    // Every problem is counted here, above the default cap of 1,000 per file (test/hostile/output.test.ts covers the cap).
    const t = await createService({ 'long.md': long, 'many.md': many }, { settings: { maxProblemsPerFile: 10_000 } });
    const texts = new Map([
      [t.uri('long.md'), long],
      [t.uri('many.md'), many],
    ]);
    exerciseEverything(
      t,
      texts,
      [t.doc('long.md'), t.doc('many.md')],
      [
        [4, 9_999],
        [5, 3],
      ],
    );
    assert.ok(performance.now() - started < 20_000, 'took too long');
    assert.equal(t.diagnosticsOf('many.md', 'unknown-reference').length, 1_999, 'OUT-0 .. OUT-1999 except OUT-1 are unknown');
  });
});
