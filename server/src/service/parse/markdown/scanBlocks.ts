/**
 * A fast, dependency-free CommonMark 0.31 *block* scanner.
 *
 * It follows the structure of commonmark.js's `blocks.js`: for every line, the open blocks (a path
 * from the document to the tip, kept on an explicit stack) are matched in turn ("continuation"),
 * then new block starts are tried as children of the last matched block, then what is left of the
 * line is text: a paragraph continuation (possibly lazy), a new paragraph, or a line of a code or
 * HTML block. Inline content is not parsed, except link reference definitions at the start of
 * paragraphs, which block parsing needs (a paragraph made only of definitions is no paragraph and
 * cannot become a setext heading). Lines are found with `indexOf` and read with `charCodeAt` over
 * the original string; nothing is allocated per line but the output.
 *
 * The result agrees with remark-parse (micromark), which `test/unit/scanner.differential.test.ts`
 * checks on every CommonMark spec example and on a real corpus. Positions are remark's:
 * - a setext heading starts on the first line of its paragraph, even when that paragraph starts
 *   with link reference definitions (its `content` leaves them out);
 * - an unclosed fenced code block or HTML block ends at the last line its containers kept, which
 *   may be blank;
 * - a block quote extends to its last `>` line (or lazy line); a list item ends with its last
 *   child, or on its marker line when it has none.
 *
 * Where micromark departs from commonmark.js on inputs that no spec example covers, this scanner
 * follows micromark:
 * - list item starts "interrupt" (an ordered item must then start with `1`, and an item cannot
 *   start empty) whenever every open container continued and a paragraph *or an indented code
 *   block* is open, and this holds for every item that starts on that line, even nested in a new
 *   block quote or item (commonmark.js: only when the item's container is a paragraph);
 * - a type 7 HTML block that starts on a line that could be a lazy paragraph continuation (`> a`
 *   then `<span>`) ends the paragraph and opens inside the innermost container (commonmark.js:
 *   the line is paragraph text), unless it is the last line and has no line ending;
 * - an indented code block that starts on a line where some container did not continue (or on the
 *   first non-blank line after an empty list item that a blank line closed) ends on that line;
 * - a whitespace-only line indented by 4+ columns (relative to the containers) extends an indented
 *   code block;
 * - a setext-underline-like line after link reference definitions only starts a new paragraph.
 *
 * remark position artifacts that the scanner does not reproduce (it reports where blocks end):
 * - a list item whose last child is an unclosed fenced code or HTML block, a block quote or a list
 *   can end, in remark, on the next line, after the marker or the `>` that starts the next block;
 * - a list inside a block quote extends, in remark, over the blank `>` lines that follow it (and so
 *   does a list item whose last child is such a list);
 * - blocks open at the end of a text without a final line ending, whose last line holds only
 *   container markers.
 */
import { MAX_CONTAINER_DEPTH } from './blocks';
import type { CodeBlock, HeadingBlock, HtmlBlock, InlineLine, ListItemBlock, MarkdownBlocks, ParagraphBlock, TableBlock, TableRow } from './blocks';

type Writable<T> = { -readonly [K in keyof T]: T[K] };

// Block types.
const DOCUMENT = 0;
const BLOCK_QUOTE = 1;
const LIST = 2;
const ITEM = 3;
const PARAGRAPH = 4;
const FENCED_CODE = 5;
const INDENTED_CODE = 6;
const HTML = 7;
/** A GFM table (a leaf, like a paragraph: it ends at a blank line, a lazy line or another block start). */
const TABLE = 8;

// Characters.
const C_TAB = 9;
const C_LF = 10;
const C_CR = 13;
const C_SPACE = 32;
const C_BANG = 33;
const C_DQUOTE = 34;
const C_HASH = 35;
const C_SQUOTE = 39;
const C_LPAREN = 40;
const C_RPAREN = 41;
const C_STAR = 42;
const C_PLUS = 43;
const C_DASH = 45;
const C_DOT = 46;
const C_SLASH = 47;
const C_0 = 48;
const C_9 = 57;
const C_COLON = 58;
const C_LT = 60;
const C_EQ = 61;
const C_GT = 62;
const C_QUESTION = 63;
const C_LBRACKET = 91;
const C_BACKSLASH = 92;
const C_RBRACKET = 93;
const C_UNDERSCORE = 95;
const C_PIPE = 124;
const C_BACKTICK = 96;
const C_TILDE = 126;

/** Characters that may start a block other than a paragraph (commonmark.js's `reMaybeSpecial`). */
const MAYBE_SPECIAL = new Uint8Array(128);
for (const ch of '#`~*+_=<>-0123456789') MAYBE_SPECIAL[ch.charCodeAt(0)] = 1;

const HTML_BLOCK_NAMES = new Set([
  'address',
  'article',
  'aside',
  'base',
  'basefont',
  'blockquote',
  'body',
  'caption',
  'center',
  'col',
  'colgroup',
  'dd',
  'details',
  'dialog',
  'dir',
  'div',
  'dl',
  'dt',
  'fieldset',
  'figcaption',
  'figure',
  'footer',
  'form',
  'frame',
  'frameset',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'head',
  'header',
  'hr',
  'html',
  'iframe',
  'legend',
  'li',
  'link',
  'main',
  'menu',
  'menuitem',
  'nav',
  'noframes',
  'ol',
  'optgroup',
  'option',
  'p',
  'param',
  'search',
  'section',
  'summary',
  'table',
  'tbody',
  'td',
  'tfoot',
  'th',
  'thead',
  'title',
  'tr',
  'track',
  'ul',
]);
const HTML_RAW_NAMES = new Set(['pre', 'script', 'style', 'textarea']);

const NO_LINES: readonly InlineLine[] = [];

function isSpaceOrTab(c: number): boolean {
  return c === C_SPACE || c === C_TAB;
}

function isAsciiAlpha(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

function isAsciiAlphanumeric(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= C_0 && c <= C_9);
}

/** An open block. One class for all types keeps property access monomorphic. */
class Block {
  type: number;
  startLine: number;
  /** Last line the block covers so far. */
  endLine: number;
  /** Index in `listItems` of this block (items) or of the closest enclosing item; -1 for none. */
  itemIndex: number;
  /** Number of children added (a list item that has none ends at a blank line). */
  childCount = 0;
  /** Lists and items: the bullet character, or 1000 + the delimiter of an ordered list. */
  listKind = 0;
  markerOffset = 0;
  padding = 0;
  fenceChar = 0;
  fenceLength = 0;
  fenceOffset = 0;
  htmlType = 0;
  /** Index of the output record (code block, HTML block). */
  out = -1;
  /** Indented code started on a line where some container did not continue (micromark: ends there). */
  lazyStart = false;
  /**
   * Children that are content: all but paragraphs made only of link reference definitions
   * (a paragraph is counted when it closes). A list item's first paragraph is its first content child.
   */
  contentChildren = 0;

  constructor(type: number, startLine: number, itemIndex: number) {
    this.type = type;
    this.startLine = startLine;
    this.endLine = startLine;
    this.itemIndex = itemIndex;
  }
}

class Scanner {
  private readonly s: string;
  private readonly n: number;

  private readonly stack: Block[] = [];
  private depth = 0;
  /** Open block quotes and list items (at most `MAX_CONTAINER_DEPTH`). */
  private containerDepth = 0;
  private tooDeep: { line: number; column: number } | undefined;

  // Current line.
  private lineNo = 0;
  private lineStart = 0;
  private lineEnd = 0;
  private offset = 0;
  private column = 0;
  private nextNonspace = 0;
  /** Offset from which `nextNonspace` and friends were computed on the current line, or -1. */
  private nnFrom = -1;
  private nextNonspaceColumn = 0;
  private indent = 0;
  private indented = false;
  private blank = false;
  private allClosed = true;
  private lastMatched = 0;
  /**
   * micromark's "interrupt" flag for list item starts: set for the whole line when every open
   * container matched and a paragraph or an indented code block is open. It then applies to every
   * list item that starts on the line, even nested in a new block quote or list item.
   */
  private interrupting = false;
  /** Every open container (block quote, list, item) matched the current line; only a leaf may not have. */
  private containersMatched = true;
  /** A container block started on the current line. */
  private containerStarted = false;
  /**
   * An empty list item was closed by a blank line, and only blank lines followed. micromark keeps
   * such an item open until the next non-blank line, which it then marks "lazy".
   */
  private emptyItemClosed = false;
  private afterEmptyItem = false;

  // The open paragraph's lines (there is at most one open paragraph: it is always the tip).
  private pLine: number[] = [];
  private pStart: number[] = [];
  private pEnd: number[] = [];
  private pLineStart: number[] = [];
  private pCount = 0;
  /** The last line added to a paragraph as a lazy continuation (it cannot be a table's header row). */
  private lastLazyLine = -1;

  // Output.
  private readonly headings: HeadingBlock[] = [];
  private readonly listItems: Writable<ListItemBlock>[] = [];
  private readonly codeBlocks: Writable<CodeBlock>[] = [];
  private readonly htmlBlocks: Writable<HtmlBlock>[] = [];
  private readonly paragraphs: ParagraphBlock[] = [];
  private readonly tables: Writable<TableBlock>[] = [];

  constructor(text: string) {
    this.s = text;
    this.n = text.length;
  }

  run(startOffset: number, startLine: number): MarkdownBlocks {
    const s = this.s;
    const n = this.n;
    this.stack.push(new Block(DOCUMENT, startLine, -1));
    this.depth = 1;
    let pos = Math.max(0, startOffset);
    if (pos === 0 && s.charCodeAt(0) === 0xfeff) pos = 1;
    let line = startLine;
    // Line ends: the next LF or CR, both found with (native) indexOf.
    let nextCr = s.indexOf('\r', pos);
    if (nextCr === -1) nextCr = n;
    while (pos < n) {
      let end = s.indexOf('\n', pos);
      if (end === -1) end = n;
      if (nextCr < pos) {
        nextCr = s.indexOf('\r', pos);
        if (nextCr === -1) nextCr = n;
      }
      if (nextCr < end) end = nextCr;
      this.incorporateLine(line, pos, end);
      if (end >= n) break;
      pos = end + (s.charCodeAt(end) === C_CR && s.charCodeAt(end + 1) === C_LF ? 2 : 1);
      line++;
    }
    while (this.depth > 1) this.finalizeTop();
    return {
      headings: this.headings,
      listItems: this.listItems,
      codeBlocks: this.codeBlocks,
      htmlBlocks: this.htmlBlocks,
      paragraphs: this.paragraphs,
      tables: this.tables,
      ...(this.tooDeep && { tooDeep: this.tooDeep }),
    };
  }

  // ---------------------------------------------------------------------------------------------
  // Column bookkeeping (tabs are 4-column tab stops; a tab may be consumed partially).

  private findNextNonspace(): void {
    // Called for every open block and again for block starts: when the offset is still in the
    // whitespace run scanned last (on this line), the next non-space character and its column are
    // the same (tab stops are absolute), only the indentation relative to the offset changes.
    // This keeps deeply nested lists linear in their indentation.
    if (this.nnFrom !== -1 && this.offset >= this.nnFrom && this.offset <= this.nextNonspace) {
      this.indent = this.nextNonspaceColumn - this.column;
      this.indented = this.indent >= 4;
      return;
    }
    this.nnFrom = this.offset;
    const s = this.s;
    const end = this.lineEnd;
    let i = this.offset;
    let cols = this.column;
    while (i < end) {
      const c = s.charCodeAt(i);
      if (c === C_SPACE) {
        i++;
        cols++;
      } else if (c === C_TAB) {
        i++;
        cols += 4 - (cols % 4);
      } else {
        break;
      }
    }
    this.blank = i >= end;
    this.nextNonspace = i;
    this.nextNonspaceColumn = cols;
    this.indent = cols - this.column;
    this.indented = this.indent >= 4;
  }

  private advanceNextNonspace(): void {
    this.offset = this.nextNonspace;
    this.column = this.nextNonspaceColumn;
  }

  private advanceOffset(count: number, columns: boolean): void {
    const s = this.s;
    const end = this.lineEnd;
    while (count > 0 && this.offset < end) {
      if (s.charCodeAt(this.offset) === C_TAB) {
        const charsToTab = 4 - (this.column % 4);
        if (columns) {
          // A tab may be consumed partially: the column moves, the offset stays on the tab.
          const partial = charsToTab > count;
          const charsToAdvance = partial ? count : charsToTab;
          this.column += charsToAdvance;
          if (!partial) this.offset++;
          count -= charsToAdvance;
        } else {
          this.column += charsToTab;
          this.offset++;
          count--;
        }
      } else {
        this.offset++;
        this.column++;
        count--;
      }
    }
  }

  private peek(i: number): number {
    return i < this.lineEnd ? this.s.charCodeAt(i) : -1;
  }

  /** True when only spaces and tabs remain on the line from `i`. */
  private restIsBlank(i: number): boolean {
    const s = this.s;
    const end = this.lineEnd;
    for (; i < end; i++) {
      const c = s.charCodeAt(i);
      if (c !== C_SPACE && c !== C_TAB) return false;
    }
    return true;
  }

  // ---------------------------------------------------------------------------------------------
  // The tree of open blocks.

  private get tip(): Block {
    return this.stack[this.depth - 1]!;
  }

  /** Closes the blocks that did not match the current line (once per line). */
  private closeUnmatchedBlocks(): void {
    if (!this.allClosed) {
      while (this.depth - 1 > this.lastMatched) this.finalizeTop();
      this.allClosed = true;
    }
  }

  /** Closes tips that cannot contain a block of `type`, then returns the parent for it. */
  private parentFor(type: number): Block {
    for (;;) {
      const t = this.stack[this.depth - 1]!.type;
      if (t === DOCUMENT || t === BLOCK_QUOTE || t === ITEM ? type !== ITEM : t === LIST && type === ITEM) break;
      this.finalizeTop();
    }
    const parent = this.stack[this.depth - 1]!;
    parent.childCount++;
    return parent;
  }

  private addChild(type: number): Block {
    const parent = this.parentFor(type);
    if (type !== PARAGRAPH) parent.contentChildren++;
    const block = new Block(type, this.lineNo, parent.itemIndex);
    if (type === ITEM || type === BLOCK_QUOTE) this.containerDepth++;
    this.stack[this.depth++] = block;
    return block;
  }

  /** A one-line leaf (heading, thematic break) that is closed right away. */
  private addClosedLeaf(): void {
    const parent = this.parentFor(PARAGRAPH);
    parent.contentChildren++;
    if (this.lineNo > parent.endLine) parent.endLine = this.lineNo;
  }

  private finalizeTop(): void {
    const block = this.stack[--this.depth]!;
    if (block.type === ITEM || block.type === BLOCK_QUOTE) this.containerDepth--;
    switch (block.type) {
      case PARAGRAPH:
        this.finalizeParagraph(block);
        break;
      case TABLE:
        this.tables[block.out]!.endLine = block.endLine;
        break;
      case FENCED_CODE:
      case INDENTED_CODE:
        this.codeBlocks[block.out]!.endLine = block.endLine;
        break;
      case HTML:
        this.htmlBlocks[block.out]!.endLine = block.endLine;
        break;
      case ITEM:
        this.listItems[block.itemIndex]!.endLine = block.endLine;
        break;
    }
    const parent = this.stack[this.depth - 1]!;
    if (block.endLine > parent.endLine) parent.endLine = block.endLine;
  }

  // ---------------------------------------------------------------------------------------------
  // One line.

  private incorporateLine(lineNo: number, lineStart: number, lineEnd: number): void {
    const s = this.s;
    const stack = this.stack;
    this.lineNo = lineNo;
    this.lineStart = lineStart;
    this.lineEnd = lineEnd;
    this.offset = lineStart;
    this.column = 0;
    this.nnFrom = -1;
    this.blank = false;
    this.containerStarted = false;
    this.afterEmptyItem = this.emptyItemClosed;

    // 1. Continuation of the open blocks.
    let last = 0;
    const depth = this.depth;
    for (let i = 1; i < depth; i++) {
      const block = stack[i]!;
      this.findNextNonspace();
      let matched = true;
      switch (block.type) {
        case BLOCK_QUOTE:
          if (!this.indented && s.charCodeAt(this.nextNonspace) === C_GT && this.nextNonspace < lineEnd) {
            this.advanceNextNonspace();
            this.advanceOffset(1, false);
            if (isSpaceOrTab(this.peek(this.offset))) this.advanceOffset(1, true);
            block.endLine = lineNo;
          } else {
            matched = false;
          }
          break;
        case ITEM:
          if (this.blank) {
            if (block.childCount === 0) {
              matched = false;
              this.emptyItemClosed = true;
            }
            // commonmark.js skips all the whitespace; like micromark, consume at most the item's
            // indentation, so that an indented code block in the item sees the rest.
            else if (this.indent >= block.markerOffset + block.padding) this.advanceOffset(block.markerOffset + block.padding, true);
            else this.advanceNextNonspace();
          } else if (this.indent >= block.markerOffset + block.padding) {
            this.advanceOffset(block.markerOffset + block.padding, true);
          } else {
            matched = false;
          }
          break;
        case PARAGRAPH:
        case TABLE:
          if (this.blank) matched = false;
          break;
        case FENCED_CODE: {
          const p = this.nextNonspace;
          if (this.indent <= 3 && p < lineEnd && s.charCodeAt(p) === block.fenceChar) {
            let q = p + 1;
            while (q < lineEnd && s.charCodeAt(q) === block.fenceChar) q++;
            if (q - p >= block.fenceLength && this.restIsBlank(q)) {
              // Closing fence: the line is done.
              block.endLine = lineNo;
              this.finalizeTop();
              return;
            }
          }
          let k = block.fenceOffset;
          while (k > 0 && isSpaceOrTab(this.peek(this.offset))) {
            this.advanceOffset(1, true);
            k--;
          }
          break;
        }
        case INDENTED_CODE:
          if (block.lazyStart) {
            matched = false;
          } else if (this.indent >= 4) {
            this.advanceOffset(4, true);
            // Like micromark, a whitespace-only line indented by 4+ columns extends the block.
            block.endLine = lineNo;
          } else if (this.blank) {
            this.advanceNextNonspace();
          } else {
            matched = false;
          }
          break;
        case HTML:
          if (this.blank && block.htmlType >= 6) matched = false;
          break;
        // LIST: always matches.
      }
      if (!matched) break;
      last = i;
    }

    this.allClosed = last === depth - 1;
    this.lastMatched = last;
    const top = stack[depth - 1]!;
    const topIsLeaf = top.type >= PARAGRAPH;
    this.containersMatched = last === depth - 1 || (topIsLeaf && last === depth - 2);
    this.interrupting = this.containersMatched && (top.type === PARAGRAPH || (top.type === INDENTED_CODE && !top.lazyStart));
    let container = stack[last]!;

    // 2. New block starts, unless the line belongs to a matched code or HTML block.
    const t = container.type;
    if (t !== FENCED_CODE && t !== INDENTED_CODE && t !== HTML) {
      for (;;) {
        this.findNextNonspace();
        const p = this.nextNonspace;
        const c = p < lineEnd ? s.charCodeAt(p) : -1;
        if (!this.indented && !(c >= 0 && c < 128 && MAYBE_SPECIAL[c] === 1)) {
          this.advanceNextNonspace();
          break;
        }
        const result = this.tryBlockStarts(container, c);
        if (result === 0) {
          this.advanceNextNonspace();
          break;
        }
        this.emptyItemClosed = false;
        if (result === 2) return; // a leaf block took the whole line
        this.containerStarted = true;
        container = this.tip;
      }
    }

    // 3. What remains is text.
    if (!this.blank) this.emptyItemClosed = false;
    if (!this.allClosed && !this.blank && this.tip.type === PARAGRAPH) {
      // Lazy paragraph continuation.
      this.lastLazyLine = lineNo;
      this.addParagraphLine();
      return;
    }
    this.closeUnmatchedBlocks();
    const tip = this.tip;
    switch (tip.type) {
      case PARAGRAPH:
        if (!this.tryTableStart()) this.addParagraphLine();
        break;
      case TABLE:
        tip.endLine = lineNo;
        (this.tables[tip.out]!.rows as TableRow[]).push({ line: lineNo, cells: this.tableCells(lineNo, this.offset, lineEnd) });
        break;
      case FENCED_CODE:
        tip.endLine = lineNo;
        break;
      case INDENTED_CODE:
        break; // its end line was updated by the continuation
      case HTML:
        tip.endLine = lineNo;
        if (tip.htmlType <= 5 && this.htmlBlockEnds(tip.htmlType, this.offset)) this.finalizeTop();
        break;
      default:
        if (this.offset < lineEnd && !this.blank) {
          this.advanceNextNonspace();
          this.addChild(PARAGRAPH);
          this.addParagraphLine();
        }
    }
  }

  /**
   * GFM: the paragraph's last line is a table's header row when the current line is a delimiter
   * row with as many cells (and neither is a lazy line). The lines before the header stay a
   * paragraph; the table replaces the paragraph as the tip.
   */
  private tryTableStart(): boolean {
    const k = this.pCount - 1;
    if (k < 0 || this.pLine[k] === this.lastLazyLine) return false;
    const delimiter = this.delimiterCellCount(this.offset, this.lineEnd);
    if (delimiter === 0) return false;
    const headerLine = this.pLine[k]!;
    const cells = this.tableCells(headerLine, this.pStart[k]!, this.pEnd[k]!);
    if (cells.length !== delimiter) return false;
    // At least one pipe in the header or the delimiter row (else `a` / `-:` is no table).
    if (!this.hasPipe(this.pStart[k]!, this.pEnd[k]!) && !this.hasPipe(this.offset, this.lineEnd)) return false;
    const paragraph = this.tip;
    if (k > 0) {
      this.pCount = k;
      paragraph.endLine = this.pLine[k - 1]!;
      this.finalizeTop();
    } else {
      this.pCount = 0;
      this.depth--;
    }
    const block = this.addChild(TABLE);
    block.startLine = headerLine;
    block.endLine = this.lineNo;
    block.out = this.tables.length;
    this.tables.push({
      startLine: headerLine,
      endLine: this.lineNo,
      listItem: block.itemIndex,
      header: { line: headerLine, cells },
      delimiterLine: this.lineNo,
      rows: [],
    });
    return true;
  }

  private hasPipe(start: number, end: number): boolean {
    const i = this.s.indexOf('|', start);
    return i !== -1 && i < end;
  }

  /** The cells of a table row in `[start, end)`: split at unescaped pipes, an outer pipe on either side dropped, each trimmed. */
  private tableCells(line: number, start: number, end: number): InlineLine[] {
    const s = this.s;
    while (end > start && isSpaceOrTab(s.charCodeAt(end - 1))) end--;
    while (start < end && isSpaceOrTab(s.charCodeAt(start))) start++;
    if (start < end && s.charCodeAt(start) === C_PIPE) start++;
    const cells: InlineLine[] = [];
    let cellStart = start;
    let i = start;
    for (; i < end; i++) {
      const c = s.charCodeAt(i);
      if (c === C_BACKSLASH) {
        i++;
      } else if (c === C_PIPE) {
        cells.push(this.trimmedCell(line, cellStart, i));
        cellStart = i + 1;
      }
    }
    // A last cell after the final pipe, unless only whitespace follows it (the row's closing pipe).
    if (cellStart < end || cells.length === 0) cells.push(this.trimmedCell(line, cellStart, end));
    return cells;
  }

  private trimmedCell(line: number, start: number, end: number): InlineLine {
    const s = this.s;
    while (start < end && isSpaceOrTab(s.charCodeAt(start))) start++;
    while (end > start && isSpaceOrTab(s.charCodeAt(end - 1))) end--;
    return { line, start, end };
  }

  /** The number of cells of a delimiter row (`| :-- | --: |`) in `[start, end)`, or 0 when it is none. */
  private delimiterCellCount(start: number, end: number): number {
    const s = this.s;
    while (end > start && isSpaceOrTab(s.charCodeAt(end - 1))) end--;
    if (start < end && s.charCodeAt(start) === C_PIPE) start++;
    let cells = 0;
    let i = start;
    for (;;) {
      while (i < end && isSpaceOrTab(s.charCodeAt(i))) i++;
      if (i >= end) return cells;
      if (s.charCodeAt(i) === C_COLON) i++;
      const dashes = i;
      while (i < end && s.charCodeAt(i) === C_DASH) i++;
      if (i === dashes) return 0;
      if (i < end && s.charCodeAt(i) === C_COLON) i++;
      while (i < end && isSpaceOrTab(s.charCodeAt(i))) i++;
      cells++;
      if (i >= end) return cells;
      if (s.charCodeAt(i) !== C_PIPE) return 0;
      i++;
    }
  }

  private addParagraphLine(): void {
    const i = this.pCount++;
    this.pLine[i] = this.lineNo;
    this.pStart[i] = this.offset;
    this.pEnd[i] = this.lineEnd;
    this.pLineStart[i] = this.lineStart;
    this.tip.endLine = this.lineNo;
  }

  /**
   * Block starts, in commonmark.js's order. Returns 0 when nothing starts, 1 for a new container
   * (keep looking for more starts), 2 when a leaf block start took the whole line.
   */
  private tryBlockStarts(container: Block, c: number): number {
    const p = this.nextNonspace;
    const indented = this.indented;
    // One container too deep: the marker and the rest of the line are text (a paragraph, or its continuation).
    const atDepthLimit = this.containerDepth >= MAX_CONTAINER_DEPTH;

    if (!indented) {
      switch (c) {
        case C_GT: {
          if (atDepthLimit) {
            this.tooDeep ??= { line: this.lineNo, column: p - this.lineStart };
            break;
          }
          // Block quote.
          this.advanceNextNonspace();
          this.advanceOffset(1, false);
          if (isSpaceOrTab(this.peek(this.offset))) this.advanceOffset(1, true);
          this.closeUnmatchedBlocks();
          this.addChild(BLOCK_QUOTE);
          return 1;
        }
        case C_HASH:
          if (this.tryAtxHeading(p)) return 2;
          break;
        case C_BACKTICK:
        case C_TILDE:
          if (this.tryFencedCode(p, c)) return 2;
          break;
        case C_LT:
          if (this.tryHtmlBlock(p, container)) return 2;
          break;
      }
      // Setext heading underline.
      if ((c === C_EQ || c === C_DASH) && container.type === PARAGRAPH && this.trySetextHeading(p, c)) return 2;
      // Thematic break.
      if ((c === C_STAR || c === C_DASH || c === C_UNDERSCORE) && this.isThematicBreak(p, c)) {
        this.closeUnmatchedBlocks();
        this.addClosedLeaf();
        return 2;
      }
    }
    // List item.
    if (atDepthLimit) {
      if (!indented && this.startsListMarker(p, c)) this.tooDeep ??= { line: this.lineNo, column: p - this.lineStart };
    } else if ((!indented || container.type === LIST) && this.tryListItem(c)) return 1;
    // Indented code.
    if (indented && this.tip.type !== PARAGRAPH && !this.blank) {
      // micromark marks such a line "lazy" and an indented code block cannot continue after a lazy line.
      const lazyStart = (!this.allClosed && !this.containersMatched) || (this.afterEmptyItem && !this.containerStarted);
      this.advanceOffset(4, true);
      this.closeUnmatchedBlocks();
      const block = this.addChild(INDENTED_CODE);
      block.lazyStart = lazyStart;
      block.out = this.codeBlocks.length;
      this.codeBlocks.push({ fenced: false, startLine: this.lineNo, endLine: this.lineNo });
      return 2;
    }
    return 0;
  }

  private tryAtxHeading(p: number): boolean {
    const s = this.s;
    const lineEnd = this.lineEnd;
    let q = p;
    while (q < lineEnd && s.charCodeAt(q) === C_HASH) q++;
    const level = q - p;
    if (level > 6) return false;
    if (q < lineEnd && !isSpaceOrTab(s.charCodeAt(q))) return false;
    // Content: skip leading spaces, trailing spaces, and an optional closing sequence.
    let start = q;
    while (start < lineEnd && isSpaceOrTab(s.charCodeAt(start))) start++;
    let end = lineEnd;
    while (end > start && isSpaceOrTab(s.charCodeAt(end - 1))) end--;
    let k = end;
    while (k > start && s.charCodeAt(k - 1) === C_HASH) k--;
    if (k < end) {
      if (k === start) {
        end = start;
      } else if (isSpaceOrTab(s.charCodeAt(k - 1))) {
        end = k;
        while (end > start && isSpaceOrTab(s.charCodeAt(end - 1))) end--;
      }
    }
    this.closeUnmatchedBlocks();
    this.addClosedLeaf();
    this.headings.push({
      depth: level,
      setext: false,
      startLine: this.lineNo,
      startColumn: p - this.lineStart,
      endLine: this.lineNo,
      content: [{ line: this.lineNo, start, end }],
    });
    return true;
  }

  private tryFencedCode(p: number, c: number): boolean {
    const s = this.s;
    const lineEnd = this.lineEnd;
    let q = p;
    while (q < lineEnd && s.charCodeAt(q) === c) q++;
    const length = q - p;
    if (length < 3) return false;
    if (c === C_BACKTICK) {
      for (let i = q; i < lineEnd; i++) if (s.charCodeAt(i) === C_BACKTICK) return false;
    }
    this.closeUnmatchedBlocks();
    const block = this.addChild(FENCED_CODE);
    block.fenceChar = c;
    block.fenceLength = length;
    block.fenceOffset = this.indent;
    block.out = this.codeBlocks.length;
    this.codeBlocks.push({ fenced: true, startLine: this.lineNo, endLine: this.lineNo });
    return true;
  }

  private tryHtmlBlock(p: number, container: Block): boolean {
    // A type 7 block cannot interrupt a paragraph.
    const lazy = !this.allClosed && this.tip.type === PARAGRAPH;
    const type = this.htmlBlockStart(p, container.type !== PARAGRAPH);
    if (type === 0) return false;
    if (type === 7 && lazy && this.lineEnd < this.n) {
      // A line that could be a lazy paragraph continuation but starts a type 7 block: commonmark.js
      // reads it as paragraph continuation; micromark (remark) ends the paragraph and starts the
      // HTML block inside the innermost open container, without closing the unmatched containers
      // (unless the line is the last one and has no line ending: then it closes them, like cmark).
      // We follow micromark.
      this.finalizeTop();
    } else {
      this.closeUnmatchedBlocks();
    }
    const block = this.addChild(HTML);
    block.htmlType = type;
    block.out = this.htmlBlocks.length;
    this.htmlBlocks.push({ startLine: this.lineNo, endLine: this.lineNo });
    if (type <= 5 && this.htmlBlockEnds(type, p + 1)) this.finalizeTop();
    return true;
  }

  private trySetextHeading(p: number, c: number): boolean {
    const s = this.s;
    const lineEnd = this.lineEnd;
    let q = p + 1;
    while (q < lineEnd && s.charCodeAt(q) === c) q++;
    if (!this.restIsBlank(q)) return false;
    this.closeUnmatchedBlocks();
    const skip = this.countDefinitionLines();
    if (skip >= this.pCount) {
      // Only link reference definitions: no heading. micromark ends them here (the line may then
      // start a new paragraph); commonmark.js would keep adding to the same paragraph, which only
      // changes where a later setext heading starts.
      this.finalizeTop();
      return false;
    }
    const content = this.paragraphLines(skip, this.pCount);
    this.headings.push({
      depth: c === C_EQ ? 1 : 2,
      setext: true,
      startLine: this.pLine[0]!,
      startColumn: this.pStart[0]! - this.pLineStart[0]!,
      endLine: this.lineNo,
      content,
    });
    // The paragraph becomes the heading: drop it without emitting it.
    this.pCount = 0;
    this.depth--;
    const parent = this.tip;
    parent.contentChildren++;
    if (this.lineNo > parent.endLine) parent.endLine = this.lineNo;
    return true;
  }

  // What the last thematic break test for each marker character found on the current line: the
  // first character from `tbFrom` on that is neither the marker nor a space or tab (-1: none, and
  // fewer than three markers). `- - - … x` asks again after each nested list item starts, from a
  // later offset on the same line: the answer carries over instead of rescanning the line each time.
  private tbLine = [-1, -1, -1];
  private tbFrom = [0, 0, 0];
  private tbStop = [0, 0, 0];

  private isThematicBreak(p: number, c: number): boolean {
    const slot = c === C_STAR ? 0 : c === C_DASH ? 1 : 2;
    if (this.tbLine[slot] === this.lineNo && p >= this.tbFrom[slot]! && (this.tbStop[slot] === -1 || this.tbStop[slot]! >= p)) return false;
    const s = this.s;
    const lineEnd = this.lineEnd;
    let count = 0;
    for (let i = p; i < lineEnd; i++) {
      const d = s.charCodeAt(i);
      if (d === c) count++;
      else if (d !== C_SPACE && d !== C_TAB) {
        this.remember(slot, p, i);
        return false;
      }
    }
    if (count >= 3) return true;
    this.remember(slot, p, -1);
    return false;
  }

  private remember(slot: number, from: number, stop: number): void {
    this.tbLine[slot] = this.lineNo;
    this.tbFrom[slot] = from;
    this.tbStop[slot] = stop;
  }

  /** A list marker (`-`, `+`, `*`, or up to 9 digits and `.` or `)`) followed by a blank or the line's end starts at `p`. */
  private startsListMarker(p: number, c: number): boolean {
    let q = p + 1;
    if (c >= C_0 && c <= C_9) {
      while (q < this.lineEnd && q - p < 10 && this.s.charCodeAt(q) >= C_0 && this.s.charCodeAt(q) <= C_9) q++;
      const delimiter = this.peek(q);
      if (q - p > 9 || (delimiter !== C_DOT && delimiter !== C_RPAREN)) return false;
      q++;
    } else if (c !== C_STAR && c !== C_PLUS && c !== C_DASH) {
      return false;
    }
    const next = this.peek(q);
    return next === -1 || next === C_SPACE || next === C_TAB;
  }

  private tryListItem(c: number): boolean {
    if (this.indent >= 4) return false;
    const s = this.s;
    const lineEnd = this.lineEnd;
    const p = this.nextNonspace;
    let markerLength: number;
    let kind: number;
    let ordered = false;
    // micromark's rule (a superset of commonmark.js's "the container is a paragraph").
    const interruptsParagraph = this.interrupting;
    if (c === C_STAR || c === C_PLUS || c === C_DASH) {
      markerLength = 1;
      kind = c;
    } else if (c >= C_0 && c <= C_9) {
      let q = p;
      while (q < lineEnd && q - p < 10) {
        const d = s.charCodeAt(q);
        if (d < C_0 || d > C_9) break;
        q++;
      }
      const digits = q - p;
      const delimiter = this.peek(q);
      if (digits > 9 || (delimiter !== C_DOT && delimiter !== C_RPAREN)) return false;
      // When interrupting a paragraph, an ordered list must start with 1.
      if (interruptsParagraph && (digits !== 1 || c !== 49)) return false;
      markerLength = digits + 1;
      kind = 1000 + delimiter;
      ordered = true;
    } else {
      return false;
    }
    const after = p + markerLength;
    const next = this.peek(after);
    if (next !== -1 && next !== C_SPACE && next !== C_TAB) return false;
    // An empty item cannot interrupt a paragraph.
    if (interruptsParagraph && this.restIsBlank(after)) return false;

    const markerOffset = this.indent;
    this.advanceNextNonspace();
    this.advanceOffset(markerLength, true);
    const spacesStartColumn = this.column;
    const spacesStartOffset = this.offset;
    let d: number;
    do {
      this.advanceOffset(1, true);
      d = this.peek(this.offset);
    } while (this.column - spacesStartColumn < 5 && isSpaceOrTab(d));
    const blankItem = this.offset >= lineEnd;
    const spacesAfterMarker = this.column - spacesStartColumn;
    let padding: number;
    if (spacesAfterMarker >= 5 || spacesAfterMarker < 1 || blankItem) {
      padding = markerLength + 1;
      this.column = spacesStartColumn;
      this.offset = spacesStartOffset;
      if (isSpaceOrTab(this.peek(this.offset))) this.advanceOffset(1, true);
    } else {
      padding = markerLength + spacesAfterMarker;
    }

    this.closeUnmatchedBlocks();
    let tip = this.tip;
    if (tip.type !== LIST || tip.listKind !== kind) {
      tip = this.addChild(LIST);
      tip.listKind = kind;
    }
    const parentItem = tip.itemIndex;
    const item = this.addChild(ITEM);
    item.listKind = kind;
    item.markerOffset = markerOffset;
    item.padding = padding;
    item.itemIndex = this.listItems.length;
    this.listItems.push({
      startLine: this.lineNo,
      startColumn: p - this.lineStart,
      endLine: this.lineNo,
      ordered,
      parent: parentItem,
      firstParagraph: NO_LINES,
    });
    return true;
  }

  // ---------------------------------------------------------------------------------------------
  // HTML blocks.

  /** The HTML block type (1-7) that starts at `p` (a `<`), or 0. */
  private htmlBlockStart(p: number, canBeType7: boolean): number {
    const s = this.s;
    const lineEnd = this.lineEnd;
    const c1 = this.peek(p + 1);
    if (c1 === C_BANG) {
      const c2 = this.peek(p + 2);
      if (c2 === C_DASH) return this.peek(p + 3) === C_DASH ? 2 : 0;
      if (c2 === C_LBRACKET) return p + 9 <= lineEnd && s.startsWith('CDATA[', p + 3) ? 5 : 0;
      return isAsciiAlpha(c2) ? 4 : 0;
    }
    if (c1 === C_QUESTION) return 3;
    let q = p + 1;
    const closing = c1 === C_SLASH;
    if (closing) q++;
    if (!isAsciiAlpha(this.peek(q))) return 0;
    const nameStart = q;
    q++;
    while (q < lineEnd) {
      const c = s.charCodeAt(q);
      if (c === C_DASH || isAsciiAlphanumeric(c)) q++;
      else break;
    }
    const after = this.peek(q);
    if (!(after === -1 || after === C_SLASH || after === C_GT || after === C_SPACE || after === C_TAB)) return 0;
    if (q - nameStart <= 10) {
      const name = s.slice(nameStart, q).toLowerCase();
      if (!closing && after !== C_SLASH && HTML_RAW_NAMES.has(name)) return 1;
      if (HTML_BLOCK_NAMES.has(name)) {
        if (after === C_SLASH) return this.peek(q + 1) === C_GT ? 6 : 0;
        return 6;
      }
    }
    if (!canBeType7) return 0;
    return this.isCompleteTag(q, closing) ? 7 : 0;
  }

  /** After a tag name at `q`: the rest of a complete open or closing tag, then only spaces to the end of the line. */
  private isCompleteTag(q: number, closing: boolean): boolean {
    const s = this.s;
    const lineEnd = this.lineEnd;
    if (closing) {
      while (q < lineEnd && isSpaceOrTab(s.charCodeAt(q))) q++;
    } else {
      // micromark's html-flow state machine for attributes.
      for (;;) {
        let c = this.peek(q);
        if (c === C_SLASH) {
          q++;
          break;
        }
        if (c === C_COLON || c === C_UNDERSCORE || isAsciiAlpha(c)) {
          // Attribute name.
          q++;
          for (;;) {
            c = this.peek(q);
            if (c === C_DASH || c === C_DOT || c === C_COLON || c === C_UNDERSCORE || isAsciiAlphanumeric(c)) q++;
            else break;
          }
          // After the name: optional `= value`.
          for (;;) {
            while (isSpaceOrTab(this.peek(q))) q++;
            if (this.peek(q) !== C_EQ) break;
            q++;
            while (isSpaceOrTab(this.peek(q))) q++;
            c = this.peek(q);
            if (c === -1 || c === C_LT || c === C_EQ || c === C_GT || c === C_BACKTICK) return false;
            if (c === C_DQUOTE || c === C_SQUOTE) {
              q++;
              while (q < lineEnd && s.charCodeAt(q) !== c) q++;
              if (q >= lineEnd) return false;
              q++;
              const d = this.peek(q);
              if (!(d === C_SLASH || d === C_GT || isSpaceOrTab(d))) return false;
              break;
            }
            while (q < lineEnd) {
              const d = s.charCodeAt(q);
              if (
                d === C_DQUOTE ||
                d === C_SQUOTE ||
                d === C_SLASH ||
                d === C_LT ||
                d === C_EQ ||
                d === C_GT ||
                d === C_BACKTICK ||
                d === C_SPACE ||
                d === C_TAB
              )
                break;
              q++;
            }
            // An unquoted value is followed by what may follow an attribute name (including `=`).
          }
          continue;
        }
        if (isSpaceOrTab(c)) {
          q++;
          continue;
        }
        break;
      }
    }
    if (this.peek(q) !== C_GT) return false;
    return this.restIsBlank(q + 1);
  }

  /** Whether the current line contains, from `from`, the end condition of an HTML block of type 1-5. */
  private htmlBlockEnds(type: number, from: number): boolean {
    const s = this.s;
    const lineEnd = this.lineEnd;
    switch (type) {
      case 1:
        for (let i = from; i + 1 < lineEnd; i++) {
          if (s.charCodeAt(i) !== C_LT || s.charCodeAt(i + 1) !== C_SLASH) continue;
          let q = i + 2;
          while (q < lineEnd && q - i - 2 < 8 && isAsciiAlpha(s.charCodeAt(q))) q++;
          if (q < lineEnd && s.charCodeAt(q) === C_GT && HTML_RAW_NAMES.has(s.slice(i + 2, q).toLowerCase())) return true;
        }
        return false;
      case 2:
        for (let i = from; i + 2 < lineEnd; i++) {
          if (s.charCodeAt(i) === C_DASH && s.charCodeAt(i + 1) === C_DASH && s.charCodeAt(i + 2) === C_GT) return true;
        }
        return false;
      case 3:
        for (let i = from; i + 1 < lineEnd; i++) {
          if (s.charCodeAt(i) === C_QUESTION && s.charCodeAt(i + 1) === C_GT) return true;
        }
        return false;
      case 4:
        for (let i = from; i < lineEnd; i++) if (s.charCodeAt(i) === C_GT) return true;
        return false;
      default:
        for (let i = from; i + 2 < lineEnd; i++) {
          if (s.charCodeAt(i) === C_RBRACKET && s.charCodeAt(i + 1) === C_RBRACKET && s.charCodeAt(i + 2) === C_GT) return true;
        }
        return false;
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Paragraphs and link reference definitions.

  /** The open paragraph's lines `from` to `to` (exclusive), in an array of the exact size. */
  private paragraphLines(from: number, to: number): InlineLine[] {
    if (to - from === 1) return [{ line: this.pLine[from]!, start: this.pStart[from]!, end: this.pEnd[from]! }];
    const lines = new Array<InlineLine>(to - from);
    for (let i = from; i < to; i++) lines[i - from] = { line: this.pLine[i]!, start: this.pStart[i]!, end: this.pEnd[i]! };
    return lines;
  }

  /** Called with the paragraph already popped: the tip is its parent. */
  private finalizeParagraph(block: Block): void {
    const count = this.pCount;
    this.pCount = 0;
    const skip = this.countDefinitionLines(count);
    if (skip >= count) return; // only link reference definitions: not a paragraph
    const content = this.paragraphLines(skip, count);
    this.paragraphs.push({ content, listItem: block.itemIndex });
    const parent = this.stack[this.depth - 1]!;
    if (parent.type === ITEM && parent.contentChildren === 0) this.listItems[block.itemIndex]!.firstParagraph = content;
    parent.contentChildren++;
  }

  /** How many leading lines of the open paragraph are link reference definitions. */
  private countDefinitionLines(count = this.pCount): number {
    let k = 0;
    while (k < count && this.s.charCodeAt(this.pStart[k]!) === C_LBRACKET) {
      const next = this.parseDefinition(k, count);
      if (next < 0) break;
      k = next;
    }
    return k;
  }

  // A cursor over the open paragraph's lines, read as one string with `\n` between lines.
  private dLine = 0;
  private dPos = 0;
  private dEnd = 0;
  private dLast = 0;

  /** The character at the cursor: the line's text, LF between lines, -1 at the end. */
  private dPeek(): number {
    return this.dPos < this.dEnd ? this.s.charCodeAt(this.dPos) : this.dLine < this.dLast ? C_LF : -1;
  }

  private dAdvance(): void {
    if (this.dPos < this.dEnd) {
      this.dPos++;
    } else if (this.dLine < this.dLast) {
      this.dLine++;
      this.dPos = this.pStart[this.dLine]!;
      this.dEnd = this.pEnd[this.dLine]!;
    }
  }

  /** Skips spaces, tabs and line endings; returns whether there were any. */
  private dSkipWhitespace(): boolean {
    let seen = false;
    for (;;) {
      const c = this.dPeek();
      if (c !== C_SPACE && c !== C_TAB && c !== C_LF) return seen;
      this.dAdvance();
      seen = true;
    }
  }

  /** Skips spaces and tabs; returns whether the cursor is then at the end of its line. */
  private dSkipSpacesToEol(): boolean {
    const s = this.s;
    while (this.dPos < this.dEnd && isSpaceOrTab(s.charCodeAt(this.dPos))) this.dPos++;
    return this.dPos >= this.dEnd;
  }

  /**
   * Parses a link reference definition starting at paragraph line `first` (micromark's
   * `definition` construct: label, `:`, destination, optional title, then only spaces to the end
   * of a line). Returns the index of the line after it, or -1.
   */
  private parseDefinition(first: number, count: number): number {
    this.dLine = first;
    this.dPos = this.pStart[first]!;
    this.dEnd = this.pEnd[first]!;
    this.dLast = count - 1;

    // Label: up to 999 characters, no unescaped brackets, not only whitespace.
    this.dAdvance(); // `[`
    let size = 0;
    let seen = false;
    for (;;) {
      if (size > 999) return -1;
      const c = this.dPeek();
      if (c === -1 || c === C_LBRACKET) return -1;
      if (c === C_RBRACKET) {
        if (!seen) return -1;
        this.dAdvance();
        break;
      }
      this.dAdvance();
      if (c === C_LF) continue;
      size++;
      if (!seen && c !== C_SPACE && c !== C_TAB) seen = true;
      if (c === C_BACKSLASH) {
        const d = this.dPeek();
        if (d === C_LBRACKET || d === C_BACKSLASH || d === C_RBRACKET) {
          this.dAdvance();
          size++;
        }
      }
    }
    if (this.dPeek() !== C_COLON) return -1;
    this.dAdvance();
    this.dSkipWhitespace();

    // Destination: `<...>` on one line, or a run of non-space, non-control characters with balanced parentheses.
    let c = this.dPeek();
    if (c === C_LT) {
      this.dAdvance();
      for (;;) {
        c = this.dPeek();
        if (c === -1 || c === C_LF || c === C_LT) return -1;
        this.dAdvance();
        if (c === C_GT) break;
        if (c === C_BACKSLASH) {
          const d = this.dPeek();
          if (d === C_LT || d === C_GT || d === C_BACKSLASH) this.dAdvance();
        }
      }
    } else {
      if (c === -1 || c === C_SPACE || c === C_RPAREN || c < 0x20 || c === 0x7f) return -1;
      let balance = 0;
      for (;;) {
        c = this.dPeek();
        if (balance === 0 && (c === -1 || c === C_RPAREN || c === C_SPACE || c === C_TAB || c === C_LF)) break;
        if (c === C_LPAREN) balance++;
        else if (c === C_RPAREN) balance--;
        else if (c === -1 || c === C_SPACE || c < 0x20 || c === 0x7f) return -1;
        this.dAdvance();
        if (c === C_BACKSLASH) {
          const d = this.dPeek();
          if (d === C_LPAREN || d === C_RPAREN || d === C_BACKSLASH) this.dAdvance();
        }
      }
    }

    // Optional title after whitespace, then only spaces to the end of the line.
    const destinationLine = this.dLine;
    const destinationPos = this.dPos;
    const destinationEnd = this.dEnd;
    if (this.dSkipWhitespace()) {
      const open = this.dPeek();
      if (open === C_DQUOTE || open === C_SQUOTE || open === C_LPAREN) {
        const close = open === C_LPAREN ? C_RPAREN : open;
        this.dAdvance();
        for (;;) {
          c = this.dPeek();
          if (c === -1) break;
          this.dAdvance();
          if (c === close) {
            if (this.dSkipSpacesToEol()) return this.dLine + 1;
            break;
          }
          if (c === C_BACKSLASH) {
            const d = this.dPeek();
            if (d === close || d === C_BACKSLASH) this.dAdvance();
          }
        }
      }
    }
    // No valid title: the definition ends after the destination.
    this.dLine = destinationLine;
    this.dPos = destinationPos;
    this.dEnd = destinationEnd;
    return this.dSkipSpacesToEol() ? this.dLine + 1 : -1;
  }
}

/**
 * Scans the block structure of a Markdown document (CommonMark 0.31).
 *
 * @param from where to start (e.g. after YAML front matter): an offset that is the start of line
 *   `line`. Line numbers in the result are 0-based lines of the whole text.
 */
export function scanBlocks(text: string, from?: { offset: number; line: number }): MarkdownBlocks {
  return new Scanner(text).run(from ? from.offset : 0, from ? from.line : 0);
}
