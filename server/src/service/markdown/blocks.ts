/**
 * The block structure the index needs from a Markdown document.
 *
 * Produced by the fast block scanner (`scanBlocks`). Everything is expressed as
 * 0-based line numbers and absolute UTF-16 offsets into the document text, so
 * callers can slice the text without copying it.
 */

/** One physical line of inline content with container markers and indentation removed. */
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
  /** First line of the heading. */
  readonly startLine: number;
  /** Column (UTF-16) of the first non-space character of the heading's first line (the `#`, or the first text character of a setext heading). */
  readonly startColumn: number;
  /** Last line: the same as startLine for ATX headings, the underline for setext headings. */
  readonly endLine: number;
  /** The heading text, one entry per line (ATX: exactly one, possibly empty: start === end). */
  readonly content: readonly InlineLine[];
}

export interface ListItemBlock {
  /** Line of the list marker. */
  readonly startLine: number;
  /** Column of the list marker. */
  readonly startColumn: number;
  /** Last line that belongs to the item (its last non-blank content line). */
  readonly endLine: number;
  readonly ordered: boolean;
  /** Index in `listItems` of the closest enclosing list item, or -1. */
  readonly parent: number;
  /**
   * The item's first paragraph, when the item starts with one (the text right after the marker):
   * its lines, including lazy continuation lines. Empty when the item starts with another block
   * (a heading, a code block, a blank line followed by nothing ...).
   */
  readonly firstParagraph: readonly InlineLine[];
}

export interface CodeBlock {
  readonly fenced: boolean;
  /** First line (the opening fence, or the first indented line). */
  readonly startLine: number;
  /** Last line (the closing fence when there is one, else the last content line). */
  readonly endLine: number;
}

export interface HtmlBlock {
  readonly startLine: number;
  readonly endLine: number;
}

export interface ParagraphBlock {
  readonly content: readonly InlineLine[];
  /** Index in `listItems` of the closest enclosing list item, or -1. */
  readonly listItem: number;
}

export interface MarkdownBlocks {
  readonly headings: readonly HeadingBlock[];
  readonly listItems: readonly ListItemBlock[];
  readonly codeBlocks: readonly CodeBlock[];
  readonly htmlBlocks: readonly HtmlBlock[];
  /** All paragraphs, including list items' first paragraphs, in document order. */
  readonly paragraphs: readonly ParagraphBlock[];
}
