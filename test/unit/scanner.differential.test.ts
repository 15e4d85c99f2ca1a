/**
 * Differential test: the fast block scanner (`scanBlocks`) must find exactly the same block
 * structure as remark-parse (micromark), on every example of the CommonMark spec, on every file of
 * a real Markdown corpus, on hand-picked inputs where micromark and commonmark.js disagree, and on
 * random documents.
 *
 * Compared, in document order:
 * - headings: depth, start line, start column, end line, and the bounds (line:column) of their
 *   text (the first inline child's start, the last inline child's end);
 * - list items: start line, start column, end line, ordered, the index of the enclosing list item,
 *   and the item's first paragraph (first and last line, start);
 * - code blocks: start line, end line, fenced or indented;
 * - paragraphs: start line, end line, start and end (line:column) of their text, the index of the
 *   enclosing list item;
 * - block-level HTML (children of the root, block quotes and list items): start line, end line;
 * - GFM tables: start line, end line, the enclosing list item, and every row (header first, the
 *   delimiter row is no row) with the bounds of each cell's text (`empty` for an empty cell).
 *
 * remark parses with GFM tables on (micromark-extension-gfm-table and mdast-util-gfm-table, the
 * table part of remark-gfm): remark-gfm's other extensions move paragraph starts (task list items)
 * or make blocks the scanner does not know (footnote definitions). A test checks that remark-gfm
 * finds the same tables.
 *
 * Coordinates: remark's 1-based line/column points become 0-based lines and UTF-16 columns
 * (offset minus the line's start offset; remark's offsets skip a byte order mark, the scanner's do
 * not). A node's end line is the line of its end point, except when that point is at column 1 of a
 * line it cannot cover: a line with content (micromark ends a fenced code block that a new
 * container on the next line closes there), or the empty remainder after a final line ending (the
 * scanner, like commonmark.js, does not count it as a line). Then the node ends on the line before.
 * At column 1 of a blank line, the node covers that (empty) line.
 *
 * The random-document property alone also normalizes the remark position artifacts listed in
 * scanBlocks.ts (see `normalizeArtifacts`), which the scanner deliberately does not reproduce; the
 * spec, corpus and hand-picked comparisons use no such normalization.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import type { Nodes, Root } from 'mdast';
import { gfmTableFromMarkdown } from 'mdast-util-gfm-table';
import { gfmTable } from 'micromark-extension-gfm-table';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import { unified, type Processor } from 'unified';
import { MAX_CONTAINER_DEPTH, type MarkdownBlocks } from '../../server/src/service/parse/markdown/blocks';
import { scanBlocks } from '../../server/src/service/parse/markdown/scanBlocks';
import { assertProperty } from '../helpers/property';

const projectRoot = fileURLToPath(new URL('../..', import.meta.url));
const corpusRoot = join(projectRoot, '..', 'shared', 'corpora', 'sourcegraph-handbook');

interface SpecExample {
  readonly markdown: string;
  readonly section: string;
  readonly number: number;
}
const spec = createRequire(import.meta.url)('commonmark-spec') as { tests: readonly SpecExample[] };

type Category = 'headings' | 'listItems' | 'codeBlocks' | 'paragraphs' | 'htmlBlocks' | 'tables';
const CATEGORIES: readonly Category[] = ['headings', 'listItems', 'codeBlocks', 'paragraphs', 'htmlBlocks', 'tables'];

/** remark-parse with GFM tables only (what remark-gfm adds for tables). */
function remarkTables(this: Processor): void {
  const data = this.data();
  (data.micromarkExtensions ??= []).push(gfmTable());
  (data.fromMarkdownExtensions ??= []).push(gfmTableFromMarkdown());
}

function parseRemark(text: string): Root {
  return unified().use(remarkParse).use(remarkTables).parse(text) as Root;
}

/** One line of text per block, so that two summaries compare (and diff) as lists of strings. */
type Summary = Record<Category, string[]>;

/**
 * Spec examples where the scanner knowingly differs from remark in some categories; everything
 * else in them is still compared. Each entry says why. (There are none.)
 */
const SPEC_EXCEPTIONS: ReadonlyMap<number, { readonly categories: readonly Category[]; readonly reason: string }> = new Map();

// -------------------------------------------------------------------------------------------------
// Text helpers.

function lineStartsOf(text: string): number[] {
  const starts = [text.charCodeAt(0) === 0xfeff ? 1 : 0];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 13 && text.charCodeAt(i + 1) === 10) i++;
    if (c === 10 || c === 13) starts.push(i + 1);
  }
  return starts;
}

/** `line:column` (0-based line, UTF-16 column) of an offset. */
function pointOf(starts: readonly number[], offset: number): string {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= offset) lo = mid;
    else hi = mid - 1;
  }
  return `${lo}:${offset - starts[lo]!}`;
}

function lineEndAt(text: string, offset: number): number {
  while (offset < text.length && text.charCodeAt(offset) !== 10 && text.charCodeAt(offset) !== 13) offset++;
  return offset;
}

function trimEnd(text: string, end: number, floor: number): number {
  while (end > floor && (text.charCodeAt(end - 1) === 32 || text.charCodeAt(end - 1) === 9)) end--;
  return end;
}

/** Replaces YAML front matter (`---` ... `---` at the top) by empty lines; returns where the body starts. */
function blankFrontMatter(text: string): { text: string; from?: { offset: number; line: number } } {
  const lines = text.split(/(\r\n|\n|\r)/);
  if (lines[0]?.trimEnd() !== '---') return { text };
  for (let i = 2; i < lines.length; i += 2) {
    if (lines[i]!.trimEnd() === '---') {
      const head = lines.slice(0, i + 2);
      const offset = head.join('').length;
      const blanked = head.map((part, k) => (k % 2 === 0 ? '' : part)).join('') + lines.slice(i + 2).join('');
      return { text: blanked, from: { offset, line: i / 2 + 1 } };
    }
  }
  return { text };
}

// -------------------------------------------------------------------------------------------------
// Summaries.

interface RemarkOptions {
  /**
   * Normalize the remark position artifacts that the scanner does not reproduce (random documents
   * only): an end point preceded on its line only by container markers (`>`, spaces, tabs) and
   * followed by content ends the node on the line before; a list item's end line is derived from
   * its last child (through nested lists), not from the item's own end point.
   */
  readonly normalizeArtifacts?: boolean;
}

function fromRemark(text: string, options: RemarkOptions = {}): Summary {
  const tree = parseRemark(text);
  const starts = lineStartsOf(text);
  const bom = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const endsWithLineEnding = /[\r\n]$/.test(text);
  const out: Summary = { headings: [], listItems: [], codeBlocks: [], paragraphs: [], htmlBlocks: [], tables: [] };
  let itemCount = 0;

  const offsetOf = (point: { offset?: number | undefined }): number => point.offset! + bom;
  const startOf = (node: Nodes): { line: number; column: number; offset: number } => {
    const line = node.position!.start.line - 1;
    const offset = offsetOf(node.position!.start);
    return { line, column: offset - starts[line]!, offset };
  };
  const endLineOf = (node: Nodes): number => {
    const { start, end } = node.position!;
    const line = end.line - 1;
    if (end.line > start.line) {
      const offset = offsetOf(end);
      const before = text.slice(starts[line]!, offset);
      const after = text.slice(offset, lineEndAt(text, offset));
      if (before === '' || (options.normalizeArtifacts && /^[ \t>]*$/.test(before))) {
        // The node covers nothing of this line: it ends on the line before.
        if (/[^ \t]/.test(after) || (before === '' && offset === text.length && endsWithLineEnding)) return line - 1;
      }
    }
    return line;
  };
  const lastLineOf = (node: Nodes): number => {
    if (options.normalizeArtifacts && (node.type === 'list' || node.type === 'listItem')) {
      const last = node.children[node.children.length - 1];
      return last ? Math.max(startOf(node).line, lastLineOf(last)) : endLineOf(node);
    }
    return endLineOf(node);
  };
  const firstParagraphOf = (node: Nodes & { children: Nodes[] }): string => {
    const first = node.children.find((child) => child.type !== 'definition');
    if (!first || first.type !== 'paragraph') return '[]';
    return `[${startOf(first).line}-${endLineOf(first)} @${pointOf(starts, startOf(first).offset)}]`;
  };

  const walk = (node: Nodes, item: number, ordered: boolean): void => {
    switch (node.type) {
      case 'heading': {
        const s = startOf(node);
        const children = node.children;
        const bounds = children.length
          ? `${pointOf(starts, offsetOf(children[0]!.position!.start))}-${pointOf(starts, offsetOf(children[children.length - 1]!.position!.end))}`
          : 'empty';
        out.headings.push(`h${node.depth} L${s.line}:${s.column}-L${endLineOf(node)} text ${bounds}`);
        return;
      }
      case 'listItem': {
        const s = startOf(node);
        const index = itemCount++;
        out.listItems.push(
          `#${index} L${s.line}:${s.column}-L${lastLineOf(node)} ${ordered ? 'ordered' : 'bullet'} parent ${item} first ${firstParagraphOf(node)}`,
        );
        for (const child of node.children) walk(child, index, false);
        return;
      }
      case 'list':
        for (const child of node.children) walk(child, item, node.ordered === true);
        return;
      case 'code':
        out.codeBlocks.push(`L${startOf(node).line}-L${endLineOf(node)} ${/[`~]/.test(text.charAt(startOf(node).offset)) ? 'fenced' : 'indented'}`);
        return;
      case 'paragraph': {
        const s = startOf(node);
        out.paragraphs.push(`L${s.line}-L${endLineOf(node)} @${pointOf(starts, s.offset)}-${pointOf(starts, offsetOf(node.position!.end))} item ${item}`);
        return;
      }
      case 'html':
        out.htmlBlocks.push(`L${startOf(node).line}-L${endLineOf(node)}`);
        return;
      case 'table': {
        const rows = node.children.map((row) => {
          const cells = row.children.map((cell) => {
            const children = cell.children;
            return children.length
              ? `${pointOf(starts, offsetOf(children[0]!.position!.start))}-${pointOf(starts, offsetOf(children[children.length - 1]!.position!.end))}`
              : 'empty';
          });
          return `L${startOf(row).line}[${cells.join(' ')}]`;
        });
        out.tables.push(`L${startOf(node).line}-L${endLineOf(node)} item ${item} ${rows.join(' ')}`);
        return;
      }
      case 'root':
      case 'blockquote':
        for (const child of node.children) walk(child, item, false);
        return;
      default:
        return;
    }
  };
  walk(tree, -1, false);
  return out;
}

function summarize(text: string, blocks: MarkdownBlocks): Summary {
  const starts = lineStartsOf(text);
  const out: Summary = { headings: [], listItems: [], codeBlocks: [], paragraphs: [], htmlBlocks: [], tables: [] };
  for (const h of blocks.headings) {
    const first = h.content[0]!;
    const last = h.content[h.content.length - 1]!;
    // Setext heading lines keep trailing spaces; the heading's inline text does not.
    const end = trimEnd(text, last.end, last.start);
    const bounds = first.start === end && h.content.length === 1 ? 'empty' : `${pointOf(starts, first.start)}-${pointOf(starts, end)}`;
    out.headings.push(`h${h.depth} L${h.startLine}:${h.startColumn}-L${h.endLine} text ${bounds}`);
  }
  blocks.listItems.forEach((item, index) => {
    const first = item.firstParagraph;
    const firstText = first.length ? `[${first[0]!.line}-${first[first.length - 1]!.line} @${pointOf(starts, first[0]!.start)}]` : '[]';
    out.listItems.push(
      `#${index} L${item.startLine}:${item.startColumn}-L${item.endLine} ${item.ordered ? 'ordered' : 'bullet'} parent ${item.parent} first ${firstText}`,
    );
  });
  for (const code of blocks.codeBlocks) out.codeBlocks.push(`L${code.startLine}-L${code.endLine} ${code.fenced ? 'fenced' : 'indented'}`);
  for (const p of blocks.paragraphs) {
    const first = p.content[0]!;
    const last = p.content[p.content.length - 1]!;
    out.paragraphs.push(`L${first.line}-L${last.line} @${pointOf(starts, first.start)}-${pointOf(starts, last.end)} item ${p.listItem}`);
  }
  for (const html of blocks.htmlBlocks) out.htmlBlocks.push(`L${html.startLine}-L${html.endLine}`);
  for (const table of blocks.tables) {
    const rows = [table.header, ...table.rows].map(
      (row) =>
        `L${row.line}[${row.cells.map((cell) => (cell.start === cell.end ? 'empty' : `${pointOf(starts, cell.start)}-${pointOf(starts, cell.end)}`)).join(' ')}]`,
    );
    out.tables.push(`L${table.startLine}-L${table.endLine} item ${table.listItem} ${rows.join(' ')}`);
  }
  return out;
}

// -------------------------------------------------------------------------------------------------
// Comparison.

function diffLists(expected: readonly string[], actual: readonly string[]): string {
  const lines: string[] = [];
  const n = Math.max(expected.length, actual.length);
  for (let i = 0; i < n; i++) {
    const e = expected[i];
    const a = actual[i];
    if (e === a) {
      lines.push(`    ${e}`);
    } else {
      if (e !== undefined) lines.push(`  - ${e}`);
      if (a !== undefined) lines.push(`  + ${a}`);
    }
  }
  return lines.join('\n');
}

/** A readable report of the differences (remark: `-`, scanner: `+`), or '' when equal. */
function compare(expected: Summary, actual: Summary, ignore: readonly Category[] = []): string {
  const parts: string[] = [];
  for (const category of CATEGORIES) {
    if (ignore.includes(category)) continue;
    const e = expected[category];
    const a = actual[category];
    if (e.length === a.length && e.every((x, i) => x === a[i])) continue;
    parts.push(`  ${category}:\n${diffLists(e, a)}`);
  }
  return parts.join('\n');
}

type Counts = Record<Category | 'documents', number>;

function newCounts(): Counts {
  return { documents: 0, headings: 0, listItems: 0, codeBlocks: 0, paragraphs: 0, htmlBlocks: 0, tables: 0 };
}

function formatCounts(counts: Counts): string {
  return `${counts.documents} documents: ${counts.headings} headings, ${counts.listItems} list items, ${counts.codeBlocks} code blocks, ${counts.paragraphs} paragraphs, ${counts.htmlBlocks} HTML blocks, ${counts.tables} tables compared`;
}

/**
 * Compares remark on `text` with the scanner on `scannerText` (the same document, except that its
 * front matter is skipped with `from` rather than blanked).
 */
function checkDocument(
  text: string,
  counts: Counts,
  scanner: { text?: string; from?: { offset: number; line: number }; ignore?: readonly Category[] } = {},
): string {
  const expected = fromRemark(text);
  const scannerText = scanner.text ?? text;
  const actual = summarize(scannerText, scanBlocks(scannerText, scanner.from));
  counts.documents++;
  for (const category of CATEGORIES) if (!scanner.ignore?.includes(category)) counts[category] += expected[category].length;
  return compare(expected, actual, scanner.ignore);
}

function markdownFiles(dir: string): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) files.push(...markdownFiles(path));
    else if (entry.isFile() && entry.name.endsWith('.md')) files.push(path);
  }
  return files.sort();
}

// -------------------------------------------------------------------------------------------------
// The differential tests.

test('the comparison itself detects differences', () => {
  const counts = newCounts();
  assert.equal(checkDocument('# a\n\n- b\n', counts), '');
  // The scanner reads another document: every category that differs must be reported.
  const report = checkDocument('# a\n\n- b\n\n    code\n\n<div>\n\npara\n\n| t |\n|-|\n', counts, {
    text: '## a\n\n1. b\n   c\n\n```\ncode\n```\n\n<div>\nx\n\npara\n\n| t | u |\n|-|-|\n',
  });
  for (const category of CATEGORIES) assert.match(report, new RegExp(`^  ${category}:`, 'm'), report);
  // A single column, end line or parent is enough.
  assert.notEqual(checkDocument('- a\n  - b\n', counts, { text: '- a\n - b\n' }), '');
  assert.notEqual(checkDocument('> a\n> b\n', counts, { text: '> a\n> b\nc\n' }), '');
});

test('CommonMark spec examples: scanner = remark-parse', (t) => {
  assert.ok(spec.tests.length > 600, `expected the ~650 spec examples, got ${spec.tests.length}`);
  const counts = newCounts();
  const failures: string[] = [];
  for (const example of spec.tests) {
    const exception = SPEC_EXCEPTIONS.get(example.number);
    const report = checkDocument(example.markdown, counts, exception ? { ignore: exception.categories } : {});
    if (report) failures.push(`Example ${example.number} (${example.section}):\n${JSON.stringify(example.markdown)}\n${report}`);
  }
  t.diagnostic(formatCounts(counts));
  for (const [number, exception] of SPEC_EXCEPTIONS) t.diagnostic(`exception: example ${number} (${exception.categories.join(', ')}): ${exception.reason}`);
  assert.equal(failures.length, 0, `${failures.length} spec examples differ:\n\n${failures.join('\n\n')}`);
  assert.ok(
    counts.headings > 50 && counts.listItems > 100 && counts.codeBlocks > 50 && counts.paragraphs > 500 && counts.htmlBlocks > 40,
    formatCounts(counts),
  );
});

test('sourcegraph-handbook corpus: scanner = remark-parse', (t) => {
  if (!existsSync(corpusRoot)) {
    t.skip(`corpus not found at ${corpusRoot}`);
    return;
  }
  const files = markdownFiles(corpusRoot);
  assert.ok(files.length > 800, `expected ~880 Markdown files under ${corpusRoot}, found ${files.length}`);
  const counts = newCounts();
  const failures: string[] = [];
  let withFrontMatter = 0;
  for (const file of files) {
    const original = readFileSync(file, 'utf8');
    const { text, from } = blankFrontMatter(original);
    if (from) withFrontMatter++;
    // remark sees the front matter as empty lines; the scanner skips it with `from`.
    const report = checkDocument(text, counts, { text: original, ...(from ? { from } : {}) });
    if (report) failures.push(`${relative(corpusRoot, file)}:\n${report}`);
  }
  t.diagnostic(`${formatCounts(counts)} (${withFrontMatter} files with front matter)`);
  assert.equal(failures.length, 0, `${failures.length} corpus files differ:\n\n${failures.join('\n\n')}`);
  assert.ok(counts.headings > 1000 && counts.listItems > 1000 && counts.paragraphs > 1000 && withFrontMatter > 0, formatCounts(counts));
});

/** Inputs where micromark and commonmark.js disagree (and the spec has no example): the scanner follows micromark. */
const MICROMARK_CASES: readonly (readonly [string, string])[] = [
  ['a list item interrupts an indented code block: no `2.`', '    code\n2. foo\n'],
  ['... even after blank lines', '    code\n\n2. x\n'],
  ['... no empty item', '    code\n-\n'],
  ['an item start interrupts for the whole line, even nested', 'a\n- > - \n'],
  ['... in a new block quote', 'a\n>  *\n'],
  ['... but not for a sibling item', '- a\n- - \n'],
  ['a lazy type 7 HTML line opens inside the block quote', '> foo\n<a>\nbar\n'],
  ['... inside the innermost list item', '> - foo\n<span>\n> bar\n'],
  ['... but closes the containers when it is the last line, without line ending', '- foo\n<a>'],
  ['a lazy type 6 HTML line closes the containers', '> foo\n<div>\nbar\n'],
  ['indented code after a closed container ends on its first line', '>\n    code\n    more\n2. x\n'],
  ['... and after an empty item closed by a blank line', '-\n\n    code\n    more\n'],
  ['a whitespace-only line indented by 4 extends indented code', '    foo\n    \n\nbar\n'],
  ['... inside a list item', '- foo\n\n      code\n      \n'],
  ['a setext underline after definitions only starts a new paragraph', '[x]: y\n===\nfoo\n---\n'],
  ['a setext heading starts at its definitions', '[foo]: /url\nbar\n===\n'],
  ['an unclosed fence in an item keeps the blank line before the item ends', '- ```\n  foo\n\nbar\n'],
  ['an unclosed fence closed by a new container', '> ```\n2.\n'],
  ['an unclosed fence at the end keeps its blank lines', '```\nfoo\n\n\n'],
  ['an unclosed comment in an item', '- <!--\n  foo\n\nbar\n'],
  ['`01.` cannot interrupt a paragraph', 'a\n01. b\n'],
  ['partial tabs', '>\t\tfoo\n-\t\tbar\n  \tbaz\n'],
  ['byte order mark', '\uFEFF# Title\n\n- item\n'],
  ['CRLF and CR', '# a\r\n\r\n- b\r  c\r\n\r\n```\rx\r\n```\r\n'],
];

test('hand-picked inputs where micromark and commonmark.js disagree: scanner = remark-parse', () => {
  const counts = newCounts();
  const failures: string[] = [];
  for (const [note, markdown] of MICROMARK_CASES) {
    const report = checkDocument(markdown, counts);
    if (report) failures.push(`${note}:\n${JSON.stringify(markdown)}\n${report}`);
  }
  assert.equal(failures.length, 0, failures.join('\n\n'));
});

/** The table examples of the GFM spec (0.29-gfm, section 4.10, examples 198-205), written out: no npm package ships the GFM spec. */
const GFM_TABLE_EXAMPLES: readonly (readonly [number, string])[] = [
  [198, '| foo | bar |\n| --- | --- |\n| baz | bim |\n'],
  [199, '| abc | defghi |\n:-: | -----------:\nbar | baz\n'],
  [200, '| f\\|oo  |\n| ------ |\n| b `\\|` az |\n| b **\\|** im |\n'],
  [201, '| abc | def |\n| --- | --- |\n| bar | baz |\n> bar\n'],
  [202, '| abc | def |\n| --- | --- |\n| bar | baz |\nbar\n\nbar\n'],
  [203, '| abc | def |\n| --- |\n| bar |\n'],
  [204, '| abc | def |\n| --- | --- |\n| bar |\n| bar | baz | boo |\n'],
  [205, '| abc | def |\n| --- | --- |\n'],
];

/** Tables where the block structure around them matters. */
const TABLE_CASES: readonly (readonly [string, string])[] = [
  ['a table after paragraph lines: they stay a paragraph', 'para\nmore\n| a | b |\n|---|---|\n| c | d |\n'],
  ['a lazy line ends a table in a block quote', '> | a | b |\n> |---|---|\n| c | d |\n'],
  ['a lazy header row is no table', '> | a |\n|---|\n'],
  ['`===` after a row is a row, not a setext underline', '| a |\n|---|\n| b |\n===\n'],
  ['`---` after a row is a thematic break', '| a |\n|---|\n| b |\n---\n'],
  ['an indented line ends the table: indented code', '| a | b |\n|---|---|\n    | c | d |\n'],
  ['a bullet delimiter row is a list item', 'a | b\n- | -\n'],
  ['escaped pipes and code spans', '|a|b|\n|-|-|\n|`x\\|y`| z \\| w |\n|`p|q`|r|\n'],
  ['empty cells', '| a |  |\n|-|-|\n| |x|\n'],
  ['no outer pipes, alignments', 'a | b\n:-|-:\nc | d\n'],
  ['one column without pipes is a setext heading', 'a\n-\n'],
  ['one column, the pipe only in the delimiter', 'a\n|:-|\nb\n'],
  ['a heading, a fence, a quote and a list end a table', '| a |\n|-|\n| b |\n# h\n| a |\n|-|\n```\nx\n```\n| a |\n|-|\n> q\n| a |\n|-|\n- x\n'],
  ['an ordered list not starting at 1 after a table', '| a |\n|-|\n2. x\n'],
  ['an empty list item after a table', '| a |\n|-|\n-\n'],
  ['HTML after a table', '| a |\n|-|\n<div>\n\n| a |\n|-|\n<span>\n'],
  ['a table in a list item, then a less indented line', '- KR-1\n\n  | ID | Target |\n  |----|--------|\n  | KR-1.1 | 5 |\nlazy\n'],
  ['a table as the first block of a list item', '- | a |\n  |---|\n  | b |\n\n  text\n'],
  ['a table in a block quote in a list item', '- > | a | b |\n  > |:-:|---|\n  > | c | d |\n'],
  ['indented header and delimiter', '   | a |\n  |-|\n | b |\n'],
  ['tabs around cells', '|\ta\t|\tb\t|\n|---|---|\n|\tc\t|\td\t|\n'],
  ['a row of only a pipe', '| a |\n|-|\n|\n'],
  ['header and delimiter cell counts differ', '| a | b |\n|---|\n'],
  ['a delimiter row without dashes', '| a |\n| : |\n'],
  ['CRLF', '| a | b |\r\n|---|---|\r\n| c | d |\r\n'],
  ['link reference definition before a table', '[x]: /y\n| a |\n|-|\n'],
];

test('GFM spec table examples and hand-picked tables: scanner = remark-parse with GFM tables', (t) => {
  const counts = newCounts();
  const failures: string[] = [];
  for (const [number, markdown] of GFM_TABLE_EXAMPLES) {
    const report = checkDocument(markdown, counts);
    if (report) failures.push(`GFM example ${number}:\n${JSON.stringify(markdown)}\n${report}`);
  }
  for (const [note, markdown] of TABLE_CASES) {
    const report = checkDocument(markdown, counts);
    if (report) failures.push(`${note}:\n${JSON.stringify(markdown)}\n${report}`);
  }
  t.diagnostic(formatCounts(counts));
  assert.equal(failures.length, 0, failures.join('\n\n'));
  assert.ok(counts.tables >= 30, formatCounts(counts));
});

test('remark-gfm finds the same tables as remark-parse with GFM tables only', () => {
  const tablesOf = (tree: Root): string[] => {
    const found: string[] = [];
    const walk = (node: Nodes): void => {
      if (node.type === 'table') found.push(JSON.stringify(node.children.map((row) => row.children.map((cell) => [cell.position!.start, cell.position!.end]))));
      if ('children' in node) for (const child of node.children as Nodes[]) walk(child);
    };
    walk(tree);
    return found;
  };
  const documents = [...GFM_TABLE_EXAMPLES.map(([, markdown]) => markdown), ...TABLE_CASES.map(([, markdown]) => markdown)];
  // The corpus files with a table-like line (remark-gfm is slow: the others cannot differ in tables).
  if (existsSync(corpusRoot)) {
    for (const file of markdownFiles(corpusRoot)) {
      const text = readFileSync(file, 'utf8');
      if (/^[ \t>-]*\|/m.test(text)) documents.push(text);
    }
  }
  let tables = 0;
  for (const markdown of documents) {
    const expected = tablesOf(unified().use(remarkParse).use(remarkGfm).parse(markdown) as Root);
    assert.deepEqual(tablesOf(parseRemark(markdown)), expected, JSON.stringify(markdown.slice(0, 200)));
    tables += expected.length;
  }
  assert.ok(tables >= 250, `${tables} tables`);
});

test('remark position artifacts the scanner does not reproduce (everything else is compared)', () => {
  const cases: readonly { note: string; markdown: string; remark: string[]; scanner: string[] }[] = [
    {
      note: "remark ends an item whose unclosed fence the next item closes after the next item's marker",
      markdown: '- ```\n- a\n',
      remark: ['#0 L0:0-L1 bullet parent -1 first []', '#1 L1:0-L1 bullet parent -1 first [1-1 @1:2]'],
      scanner: ['#0 L0:0-L0 bullet parent -1 first []', '#1 L1:0-L1 bullet parent -1 first [1-1 @1:2]'],
    },
    {
      note: 'remark stretches a list in a block quote, and the item that holds it, over a blank `>` line',
      markdown: '> - - a\n>\n> b\n',
      remark: ['#0 L0:2-L1 bullet parent -1 first []', '#1 L0:4-L0 bullet parent 0 first [0-0 @0:6]'],
      scanner: ['#0 L0:2-L0 bullet parent -1 first []', '#1 L0:4-L0 bullet parent 0 first [0-0 @0:6]'],
    },
    {
      note: "remark ends a block quote closed by a new container after the next line's `>`",
      markdown: '> * > #\n> > # h\n',
      remark: ['#0 L0:2-L1 bullet parent -1 first []'],
      scanner: ['#0 L0:2-L0 bullet parent -1 first []'],
    },
  ];
  for (const { note, markdown, remark, scanner } of cases) {
    assert.equal(checkDocument(markdown, newCounts(), { ignore: ['listItems'] }), '', note);
    assert.deepEqual(fromRemark(markdown).listItems, remark, note);
    assert.deepEqual(summarize(markdown, scanBlocks(markdown)).listItems, scanner, note);
    // The normalization used for random documents reconciles them.
    assert.equal(compare(fromRemark(markdown, { normalizeArtifacts: true }), summarize(markdown, scanBlocks(markdown))), '', note);
  }
});

const PREFIXES = ['', '', '', '- ', '* ', '+ ', '1. ', '2) ', '10. ', '> ', '>', '  ', '   ', '    ', '\t', ' \t', '-\t', '1.\t', '-    ', '-      ', '>  '];
const CONTENTS = [
  'text',
  'more text',
  '',
  '',
  '# h',
  '## h ##',
  '#',
  '####### x',
  '#\tx',
  '\\# x',
  '```',
  '```js',
  '``` `',
  '~~~',
  '~~~ ~',
  '````',
  '***',
  '---',
  '___',
  '* * *',
  '===',
  '--',
  '-',
  '*',
  '1.',
  '2.',
  '10) x',
  '1234567890. x',
  '- [ ] task',
  '>',
  '<div>',
  '</div>',
  '<DIV class="a">',
  '<!-- c',
  '-->',
  '<!-- x -->',
  '<a href="x">',
  "<a b=c d='e' f/>",
  '<a/b>',
  '<span>',
  '</span>',
  '</x >',
  '<pre>',
  '</pre>',
  '<script>',
  '</script>',
  '<style>x</style>',
  '<?php',
  '?>',
  '<!DOCTYPE html>',
  '<![CDATA[',
  ']]>',
  '[foo]: /url',
  '[foo]: /url "t"',
  '[foo]:',
  '/url',
  '"title"',
  "'t",
  "x'",
  '[a]: <b c>',
  ' [x]: y (t)',
  '[bar]',
  'foo\\',
  '`code`',
  '<https://a.b>',
  '    ',
  '\t\tx',
  '<!-->',
  '<!--->',
  '<?>',
  '<!X>',
  '<![CDATA[]]>',
  '</pre> <pre>',
  '<a\tb="c"/>',
  '[f\\]]: /u',
  '[a]: b (t) x',
];
const OPENERS = ['- ', '* ', '1. ', '2) ', '> ', '-   ', '10. ', '>', '+\t'];

/** Lines of random prefixes and contents. */
const flatDocument = fc
  .tuple(
    fc.array(fc.tuple(fc.array(fc.constantFrom(...PREFIXES), { maxLength: 3 }), fc.constantFrom(...CONTENTS)), { minLength: 1, maxLength: 14 }),
    fc.boolean(),
  )
  .map(([lines, eol]) => lines.map(([prefixes, content]) => prefixes.join('') + content).join('\n') + (eol ? '\n' : ''));

/** Lines under a random stack of containers, mostly with the right continuation indentation. */
const nestedDocument = fc
  .tuple(
    fc.array(
      fc.record({
        close: fc.nat(6),
        open: fc.array(fc.constantFrom(...OPENERS), { maxLength: 2 }),
        lazy: fc.nat(9),
        blank: fc.nat(6),
        content: fc.constantFrom(...CONTENTS),
      }),
      { minLength: 1, maxLength: 14 },
    ),
    fc.boolean(),
  )
  .map(([steps, eol]) => {
    const stack: string[] = [];
    const lines = steps.map(({ close, open, lazy, blank, content }) => {
      if (close === 0) stack.length = 0;
      else if (close === 1) stack.pop();
      let prefix = stack.map((p, k) => (lazy === 0 && k === stack.length - 1 ? '' : p)).join('');
      for (const opener of open) {
        prefix += opener;
        stack.push(opener.startsWith('>') ? '> ' : ' '.repeat(opener.replace('\t', '  ').length));
      }
      return blank === 0 ? '' : prefix + content;
    });
    return lines.join('\n') + (eol ? '\n' : '');
  });

test('random documents: scanner = remark-parse (up to remark position artifacts)', () => {
  assertProperty(
    fc.property(fc.oneof(flatDocument, nestedDocument), (generated) => {
      // remark ends blocks open at the end of a text without final line ending, whose last line only
      // holds container markers, before that line (an artifact): give such texts a final line ending.
      const markdown = /(^|\n)[ \t>]*$/.test(generated) && !generated.endsWith('\n') ? `${generated}\n` : generated;
      const report = compare(fromRemark(markdown, { normalizeArtifacts: true }), summarize(markdown, scanBlocks(markdown)));
      assert.equal(report, '', `${JSON.stringify(markdown)}\n${report}`);
    }),
    { numRuns: 1500 },
  );
});

// -------------------------------------------------------------------------------------------------
// Focused tests of what remark does not report: inline line offsets and indexes.

function slices(text: string, lines: readonly { line: number; start: number; end: number }[]): string[] {
  return lines.map((l) => `${l.line}:${text.slice(l.start, l.end)}`);
}

test('heading content excludes markers and the closing sequence', () => {
  const text = '# Title #\n##   Spaced   ###   \n### \\#not closing#\n#\n## ##\nSetext\ntitle  \n===\n  ###### six\n';
  const { headings } = scanBlocks(text);
  assert.deepEqual(
    headings.map((h) => [h.depth, h.setext, h.startLine, h.startColumn, h.endLine, slices(text, h.content)]),
    [
      [1, false, 0, 0, 0, ['0:Title']],
      [2, false, 1, 0, 1, ['1:Spaced']],
      [3, false, 2, 0, 2, ['2:\\#not closing#']],
      [1, false, 3, 0, 3, ['3:']],
      [2, false, 4, 0, 4, ['4:']],
      [1, true, 5, 0, 7, ['5:Setext', '6:title  ']],
      [6, false, 8, 2, 8, ['8:six']],
    ],
  );
});

test('list item first paragraph: after the marker, with lazy continuation lines', () => {
  const text = '- KR-1: first\n  continued\nlazy line\n\n  second paragraph\n1.  ordered\n    > quoted\n-\n  late start\n- # heading\n  text\n';
  const { listItems, paragraphs } = scanBlocks(text);
  assert.deepEqual(
    listItems.map((item) => [item.startLine, item.startColumn, item.endLine, item.ordered, item.parent, slices(text, item.firstParagraph)]),
    [
      [0, 0, 4, false, -1, ['0:KR-1: first', '1:continued', '2:lazy line']],
      [5, 0, 6, true, -1, ['5:ordered']],
      [7, 0, 8, false, -1, ['8:late start']],
      [9, 0, 10, false, -1, []],
    ],
  );
  assert.deepEqual(
    paragraphs.map((p) => [p.listItem, slices(text, p.content)]),
    [
      [0, ['0:KR-1: first', '1:continued', '2:lazy line']],
      [0, ['4:second paragraph']],
      [1, ['5:ordered']],
      [1, ['6:quoted']],
      [2, ['8:late start']],
      [3, ['10:text']],
    ],
  );
  // The same line objects: a caller can match an item's first paragraph with its paragraph.
  assert.equal(listItems[0]!.firstParagraph, paragraphs[0]!.content);
});

test('block quote markers and list indentation are stripped; tabs', () => {
  const text = '> > deep\n> > lazy?\nlazy\n\n>\tTabbed\n\n- a\n\t- b\n\t\tc\n';
  const { paragraphs, listItems } = scanBlocks(text);
  assert.deepEqual(
    paragraphs.map((p) => slices(text, p.content)),
    [['0:deep', '1:lazy?', '2:lazy'], ['4:Tabbed'], ['6:a'], ['7:b', '8:c']],
  );
  assert.deepEqual(
    listItems.map((item) => [item.startLine, item.startColumn, item.parent]),
    [
      [6, 0, -1],
      [7, 1, 0],
    ],
  );
});

test(`containers nest up to ${MAX_CONTAINER_DEPTH} deep as remark-parse reads them; deeper markers are text, and said so`, () => {
  const counts = newCounts();
  // At the limit: the same blocks as remark, and nothing reported.
  for (const opener of ['- ', '> ', '1. ', '> - ']) {
    const levels = MAX_CONTAINER_DEPTH / opener.trim().split(' ').length;
    const atLimit = `${opener.repeat(levels)}OUT-1\n\npara\n`;
    assert.equal(checkDocument(atLimit, counts), '', `${JSON.stringify(opener)} × ${levels}`);
    assert.equal(scanBlocks(atLimit).tooDeep, undefined);
  }
  // One level more: the last marker starts no container; it and the rest of the line are the innermost paragraph.
  const text = `x\n${'- '.repeat(MAX_CONTAINER_DEPTH)}- OUT-1\n`;
  const blocks = scanBlocks(text);
  assert.equal(blocks.listItems.length, MAX_CONTAINER_DEPTH);
  assert.deepEqual(blocks.tooDeep, { line: 1, column: 2 * MAX_CONTAINER_DEPTH });
  assert.deepEqual(
    blocks.paragraphs.map((p) => [p.listItem, slices(text, p.content)]),
    [
      [-1, ['0:x']],
      [MAX_CONTAINER_DEPTH - 1, ['1:- OUT-1']],
    ],
  );
  const quotes = scanBlocks(`${'> '.repeat(MAX_CONTAINER_DEPTH + 5)}x\n`);
  assert.deepEqual(quotes.tooDeep, { line: 0, column: 2 * MAX_CONTAINER_DEPTH });
  // Past the limit on a later line too, and a thematic break there is still one (it opens no container).
  const later = scanBlocks(`${'> '.repeat(MAX_CONTAINER_DEPTH)}a\n${'> '.repeat(MAX_CONTAINER_DEPTH)}- - -\n`);
  assert.equal(later.tooDeep, undefined);
});

test('nested list items and paragraphs know their enclosing item', () => {
  const text = '- a\n  - b\n    > - c\n    >   text\n  - d\n\npara\n';
  const { listItems, paragraphs } = scanBlocks(text);
  assert.deepEqual(
    listItems.map((item) => [item.startLine, item.startColumn, item.endLine, item.parent]),
    [
      [0, 0, 4, -1],
      [1, 2, 3, 0],
      [2, 6, 3, 1],
      [4, 2, 4, 0],
    ],
  );
  assert.deepEqual(
    paragraphs.map((p) => [p.listItem, slices(text, p.content)]),
    [
      [0, ['0:a']],
      [1, ['1:b']],
      [2, ['2:c', '3:text']],
      [3, ['4:d']],
      [-1, ['6:para']],
    ],
  );
});

test('CRLF and CR line endings give the same blocks as LF', () => {
  const lf = '# Title\n\n- item\n  more\n\n```\ncode\n```\n\nSetext\n---\n<!--\ncomment\n-->\n';
  for (const eol of ['\n', '\r\n', '\r']) {
    const text = lf.replace(/\n/g, eol);
    const blocks = scanBlocks(text);
    assert.deepEqual(
      blocks.headings.map((h) => [h.startLine, h.endLine, slices(text, h.content)]),
      [
        [0, 0, ['0:Title']],
        [9, 10, ['9:Setext']],
      ],
    );
    assert.deepEqual(
      blocks.listItems.map((i) => [i.startLine, i.endLine, slices(text, i.firstParagraph)]),
      [[2, 3, ['2:item', '3:more']]],
    );
    assert.deepEqual(blocks.codeBlocks, [{ fenced: true, startLine: 5, endLine: 7 }]);
    assert.deepEqual(blocks.htmlBlocks, [{ startLine: 11, endLine: 13 }]);
    assert.deepEqual(
      blocks.paragraphs.map((p) => slices(text, p.content)),
      [['2:item', '3:more']],
    );
    assert.equal(compare(fromRemark(text), summarize(text, blocks)), '');
  }
});

test('`from` skips front matter and keeps absolute line numbers and offsets', () => {
  const text = '---\r\ntitle: x\r\n---\r\n# Heading\r\n\r\n- item\r\n';
  const offset = text.indexOf('# Heading');
  const blocks = scanBlocks(text, { offset, line: 3 });
  assert.deepEqual(
    blocks.headings.map((h) => [h.startLine, h.startColumn, h.endLine, slices(text, h.content)]),
    [[3, 0, 3, ['3:Heading']]],
  );
  assert.deepEqual(
    blocks.listItems.map((i) => [i.startLine, slices(text, i.firstParagraph)]),
    [[5, ['5:item']]],
  );
  // Without `from`, the front matter is a thematic break and a setext heading.
  const whole = scanBlocks(text);
  assert.deepEqual(
    whole.headings.map((h) => [h.depth, h.setext, h.startLine]),
    [
      [2, true, 1],
      [1, false, 3],
    ],
  );
});

test('link reference definitions are not paragraphs', () => {
  const text = '[a]: /url\n[b]:\n  <other> "title\n  more"\nText\n===\n\n[c]: /x\n---\n\n- [d]: /y\n\n  after\n';
  const { headings, paragraphs, listItems } = scanBlocks(text);
  // The setext heading starts where its paragraph started (as remark says), but its text is only `Text`.
  assert.deepEqual(
    headings.map((h) => [h.depth, h.startLine, h.endLine, slices(text, h.content)]),
    [[1, 0, 5, ['4:Text']]],
  );
  // `[c]: /x` then `---`: a definition and a thematic break, no paragraph; the item's definition is skipped.
  assert.deepEqual(
    paragraphs.map((p) => slices(text, p.content)),
    [['12:after']],
  );
  assert.deepEqual(
    listItems.map((i) => [i.startLine, i.endLine, slices(text, i.firstParagraph)]),
    [[10, 12, ['12:after']]],
  );
  assert.equal(compare(fromRemark(text), summarize(text, scanBlocks(text))), '');
});
