/**
 * The block structure the index needs from a Markdown document.
 *
 * Produced by the fast block scanner (`scanBlocks`). Everything is expressed as
 * 0-based line numbers and absolute UTF-16 offsets into the document text, so
 * callers can slice the text without copying it.
 */

/**
 * One physical line of inline content with container markers and indentation removed.
 * Paragraph and setext heading lines keep their trailing spaces (`end` is the end of the line).
 */
export interface InlineLine {
  /** 0-based line number. */
  readonly line: number;
  /** Offset of the first content character (after block quote markers, list indentation, leading spaces). */
  readonly start: number;
  /** Offset just past the last content character (line ending excluded; for ATX headings, closing `#`s and trailing spaces excluded). */
  readonly end: number;
}

export interface HeadingBlock {
  /** 1..6 */
  readonly depth: number;
  /** True for `Title\n=====` headings. */
  readonly setext: boolean;
  /**
   * First line of the heading. For a setext heading, the first line of its paragraph, even when
   * that paragraph starts with link reference definitions (as remark reports it).
   */
  readonly startLine: number;
  /**
   * Column (UTF-16 offset from the start of the line, after a byte order mark on the first line)
   * of the first non-space character of the heading's first line (the `#`, or the first text
   * character of a setext heading).
   */
  readonly startColumn: number;
  /** Last line: the same as startLine for ATX headings, the underline for setext headings. */
  readonly endLine: number;
  /** The heading text, one entry per line (ATX: exactly one, possibly empty: start === end). */
  readonly content: readonly InlineLine[];
}

export interface ListItemBlock {
  /** Line of the list marker. */
  readonly startLine: number;
  /** Column (UTF-16, like `HeadingBlock.startColumn`) of the list marker. */
  readonly startColumn: number;
  /**
   * Last line that belongs to the item: the end of its last child (its last non-blank content line,
   * unless that child is an unclosed fenced code or HTML block that kept blank lines), or the
   * marker line when the item is empty.
   */
  readonly endLine: number;
  readonly ordered: boolean;
  /** Index in `listItems` of the closest enclosing list item, or -1. */
  readonly parent: number;
  /**
   * The item's first paragraph, when the item starts with one (usually the text right after the
   * marker, or on the next line after a marker alone on its line; link reference definitions
   * before it are skipped): its lines, including lazy continuation lines. The same `InlineLine`s
   * as in the `paragraphs` entry. Empty when the item starts with another block (a heading, a code
   * block, a nested list ...) or has no content.
   */
  readonly firstParagraph: readonly InlineLine[];
}

export interface CodeBlock {
  readonly fenced: boolean;
  /** First line (the opening fence, or the first indented line). */
  readonly startLine: number;
  /**
   * Last line: the closing fence when there is one; else, for a fenced block, the last line its
   * containers kept (possibly blank), and for an indented block its last line indented by 4+
   * columns (as remark reports it, a whitespace-only line counts).
   */
  readonly endLine: number;
}

export interface HtmlBlock {
  readonly startLine: number;
  /** Last line: the line with the end condition (types 1-5), else the last line before a blank line or the end of the containers. */
  readonly endLine: number;
}

export interface ParagraphBlock {
  readonly content: readonly InlineLine[];
  /** Index in `listItems` of the closest enclosing list item, or -1. */
  readonly listItem: number;
}

/** One row of a GFM table: its cells' text, trimmed (an empty cell has start === end, at the cell's start). */
export interface TableRow {
  readonly line: number;
  readonly cells: readonly InlineLine[];
}

/**
 * A GFM table: a header row, a delimiter row (`| --- | :-: |`) with as many cells, then body rows
 * up to a blank line, a lazy line or another block. Cells are split at unescaped `|` (also inside
 * code spans, as GFM says); `\|` stays in the cell's text.
 */
export interface TableBlock {
  readonly startLine: number;
  readonly endLine: number;
  /** Index in `listItems` of the closest enclosing list item, or -1. */
  readonly listItem: number;
  readonly header: TableRow;
  readonly delimiterLine: number;
  readonly rows: readonly TableRow[];
}

export interface MarkdownBlocks {
  readonly headings: readonly HeadingBlock[];
  readonly listItems: readonly ListItemBlock[];
  readonly codeBlocks: readonly CodeBlock[];
  readonly htmlBlocks: readonly HtmlBlock[];
  /** All paragraphs, including list items' first paragraphs, in document order. */
  readonly paragraphs: readonly ParagraphBlock[];
  /** GFM tables, in document order (their lines are in no paragraph). */
  readonly tables: readonly TableBlock[];
  /**
   * The first place where block quotes and list items would have nested deeper than
   * `MAX_CONTAINER_DEPTH`: from there on the line was read as text, not as more containers.
   */
  readonly tooDeep?: { readonly line: number; readonly column: number };
}

/**
 * Block quotes and list items open inside each other at most this deep. No document is written so;
 * a line of 40,000 `- ` would otherwise keep 80,000 open blocks, and the time to index it grows
 * with the garbage they make. Deeper markers are read as text, and the index says so.
 */
export const MAX_CONTAINER_DEPTH = 100;
