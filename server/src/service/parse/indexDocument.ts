import { BUILT_IN_ATTRIBUTE_KEYS, type ThroughlineConfig } from '../model/config';
import { findFrontMatter, knownFrontMatterKeys, parseFrontMatter, unknownTypeProblem, type ParsedFrontMatter } from './frontMatter';
import { matchDefinition, matchUnconfiguredDefinition, type Definition, type DefinitionPlace } from './definitions';
import { ANY_ID, IdSyntax } from './ids';
import { MAX_CONTAINER_DEPTH, type InlineLine, type MarkdownBlocks, type TableBlock, type TableRow } from './markdown/blocks';
import { scanBlocks } from './markdown/scanBlocks';
import { withMarkdownLinks } from './markdownLinks';
import {
  Attribute,
  DocumentIndex,
  IndexedItem,
  IndexedReference,
  DocumentType,
  FrontMatterInfo,
  Item,
  ItemKind,
  LineSpan,
  ParseProblem,
  Reference,
  ReferenceContext,
  Section,
  Suppressions,
  TableCellAttribute,
  withArticle,
} from '../model/model';
import { ID_PATTERN } from '../model/schemas';
import { computeLineStarts, detach, isJsWhitespace, lineAt, shared, skipJsWhitespace } from './text';

const EMPTY_SUPPRESSIONS: Suppressions = { file: new Set(), lines: new Map() };
const EMPTY_SECTIONS = new Int32Array(0);

/** Front-matter keys whose position diagnostics and quick fixes need. */
const SPANNED_KEYS = ['updated', 'innovation_mix', 'outcomes'];

const DOCUMENT_KIND: Record<DocumentType, ItemKind> = { vision: 'vision', strategy: 'strategy', prd: 'prd' };

const NO_LINES: readonly InlineLine[] = [];

/** Attributes whose value links to other items, by lower-cased key. A `Map`: keys are user text (`constructor`, `__proto__` ...). */
const LINK_ATTRIBUTES: ReadonlyMap<string, ReferenceContext> = new Map([
  ['traces', 'traces'],
  ['supports', 'supports'],
]);

function emptyDocumentIndex(uri: string, version: number, lineCount = 0, problems: readonly ParseProblem[] = []): DocumentIndex {
  return {
    uri,
    version,
    participates: false,
    items: [],
    references: [],
    problems,
    suppressions: EMPTY_SUPPRESSIONS,
    lineCount,
    lastLineLength: 0,
    sections: EMPTY_SECTIONS,
    foldableBlocks: [],
  };
}

/** Builds the index of one document from its text alone; never throws on any input. */
export function indexDocument(uri: string, version: number, text: string, config: ThroughlineConfig, syntax = new IdSyntax(config)): DocumentIndex {
  return indexWithOrWithoutLinks(uri, version, text, config, syntax, false);
}

/**
 * `indexDocument` with the document's Markdown links and headings kept on it too
 * (`withMarkdownLinks`), scanned on the same table of line starts.
 */
export function indexDocumentWithLinks(uri: string, version: number, text: string, config: ThroughlineConfig, syntax = new IdSyntax(config)): DocumentIndex {
  return indexWithOrWithoutLinks(uri, version, text, config, syntax, true);
}

function indexWithOrWithoutLinks(uri: string, version: number, text: string, config: ThroughlineConfig, syntax: IdSyntax, links: boolean): DocumentIndex {
  const block = findFrontMatter(text);
  if (!block) return emptyDocumentIndex(uri, version);
  const frontMatter = parseFrontMatter(text, block);
  if (!frontMatter) {
    // Not a strategy document; but one whose `id:` has a configured prefix was meant to be: say why it is not checked.
    const unknown = unknownTypeProblem(text, block, (prefix) => config.prefixes.has(prefix));
    if (!unknown) return emptyDocumentIndex(uri, version);
    const lineStarts = computeLineStarts(text);
    const line = lineAt(lineStarts, unknown.start);
    const span = { line, start: unknown.start - lineStarts[line]!, end: unknown.end - lineStarts[line]! };
    return emptyDocumentIndex(uri, version, 0, [{ rule: 'front-matter', severity: unknown.severity, message: unknown.message, span }]);
  }
  const indexer = new DocumentIndexer(uri, version, text, config, syntax, frontMatter, block.bodyOffset, block.bodyLine, block.closingLine);
  const index = indexer.build();
  return links ? withMarkdownLinks(index, text, indexer.lineStarts) : index;
}

/** The marker git writes at the start of a conflict. */
const CONFLICT_MARKER = '<<<<<<<';
/** Conflicts reported per file at most: a file with more says enough with these. */
const MAX_CONFLICTS_REPORTED = 20;

class DocumentIndexer {
  readonly lineStarts: readonly number[];
  private readonly items: Item[] = [];
  private readonly references: Reference[] = [];
  private readonly problems: ParseProblem[] = [];
  private readonly documentId: string | undefined;
  /** List item index (of an item defining nothing) → the ID its closest defining ancestor defines (null: none). */
  private readonly listParents = new Map<number, string | null>();

  constructor(
    private readonly uri: string,
    private readonly version: number,
    private readonly text: string,
    private readonly config: ThroughlineConfig,
    private readonly syntax: IdSyntax,
    private readonly frontMatter: ParsedFrontMatter,
    private readonly bodyOffset: number,
    private readonly bodyLine: number,
    private readonly closingLine: number,
  ) {
    this.lineStarts = computeLineStarts(text);
    const id = frontMatter.data['id'];
    this.documentId = typeof id === 'string' && ID_PATTERN.test(id) ? id : undefined;
  }

  build(): DocumentIndex {
    const frontMatterInfo = this.indexFrontMatter();
    const blocks = scanBlocks(this.text, { offset: this.bodyOffset, line: this.bodyLine });
    const sections = this.indexBody(blocks);
    this.findConflictMarkers(blocks);
    if (blocks.tooDeep) {
      const { line, column } = blocks.tooDeep;
      this.problems.push({
        rule: 'markdown-limit',
        severity: 'warning',
        message: `Block quotes and lists nest more than ${MAX_CONTAINER_DEPTH} levels deep here: Throughline reads the rest of this line as text, so IDs and links nested deeper are not read as items or list structure.`,
        span: { line, start: column, end: Math.min(column + 1, this.lineEndOffset(line) - this.lineStarts[line]!) },
      });
    }
    const lineCount = this.lineStarts.length;
    const foldableBlocks: DocumentIndex['foldableBlocks'][number][] = [];
    if (this.closingLine > 0) foldableBlocks.push({ startLine: 0, endLine: this.closingLine, kind: 'region' });
    for (const code of blocks.codeBlocks)
      if (code.endLine > code.startLine) foldableBlocks.push({ startLine: code.startLine, endLine: code.endLine, kind: 'code' });
    for (const html of blocks.htmlBlocks)
      if (html.endLine > html.startLine) foldableBlocks.push({ startLine: html.startLine, endLine: html.endLine, kind: 'comment' });
    return {
      uri: this.uri,
      version: this.version,
      participates: true,
      frontMatter: frontMatterInfo,
      // Copies of exactly their length (see pushItem): the index outlives the indexer.
      items: this.items.slice(),
      references: this.references.slice(),
      problems: this.problems.slice(),
      suppressions: this.indexSuppressions(blocks),
      lineCount,
      lastLineLength: this.text.length - this.lineStarts[lineCount - 1]!,
      sections: flattenSections(sections),
      foldableBlocks: foldableBlocks.slice(),
    };
  }

  private span(start: number, end: number): LineSpan {
    const line = lineAt(this.lineStarts, start);
    const lineStart = this.lineStarts[line]!;
    const lineEnd = this.lineEndOffset(line);
    return { line, start: start - lineStart, end: Math.min(end, lineEnd) - lineStart };
  }

  private pushReference(id: string, start: number, end: number, context: ReferenceContext, fromId: string | undefined): void {
    const { line, start: from, end: to } = this.span(start, end);
    this.references.push(new IndexedReference(id, this.uri, line, from, to, context, fromId));
  }

  private lineEndOffset(line: number): number {
    let end = line + 1 < this.lineStarts.length ? this.lineStarts[line + 1]! : this.text.length;
    while (end > this.lineStarts[line]! && (this.text.charCodeAt(end - 1) === 10 || this.text.charCodeAt(end - 1) === 13)) end--;
    return end;
  }

  private indexFrontMatter(): FrontMatterInfo {
    const { data, locations, type } = this.frontMatter;
    for (const problem of this.frontMatter.problems) {
      const startSpan = this.span(problem.start, problem.start);
      const endLine = lineAt(this.lineStarts, problem.end);
      const span: LineSpan =
        endLine === startSpan.line
          ? this.span(problem.start, problem.end)
          : { line: startSpan.line, start: startSpan.start, end: this.lineEndOffset(startSpan.line) - this.lineStarts[startSpan.line]! };
      this.problems.push({ rule: 'front-matter', severity: 'error', message: problem.message, span });
    }
    const idLocation = locations.get('id');
    if (this.documentId && idLocation) {
      const prefixKind = this.config.prefixes.get(this.syntax.prefixOf(this.documentId));
      const kind = DOCUMENT_KIND[type];
      const idSpan = this.span(
        idLocation.start + quoteOffset(this.text, idLocation.start),
        idLocation.start + quoteOffset(this.text, idLocation.start) + this.documentId.length,
      );
      if (prefixKind !== kind) {
        const expected = [...this.config.prefixes].filter(([, k]) => k === kind).map(([prefix]) => prefix);
        this.problems.push({
          rule: 'front-matter',
          severity: 'error',
          message: `\`id\` of a ${type} document must start with ${expected.map((prefix) => `${prefix}-`).join(' or ') || `a prefix configured for ${kind}`}; ${this.documentId} ${prefixKind ? `is ${withArticle(prefixKind)} ID` : 'has an unknown prefix'}.`,
          span: idSpan,
        });
      }
      this.items.push(
        new IndexedItem({
          id: this.documentId,
          kind,
          title: typeof data['title'] === 'string' ? data['title'] : '',
          uri: this.uri,
          idSpan,
          line: idSpan.line,
          endLine: Math.max(0, this.lineStarts.length - 1),
          depth: 0,
          attributes: [],
          status: typeof data['status'] === 'string' ? data['status'] : undefined,
          owner: typeof data['owner'] === 'string' ? data['owner'] : undefined,
          isDocument: true,
        }),
      );
    }
    if (type === 'strategy') this.frontMatterReference('vision', 'frontMatterVision');
    if (type === 'prd') {
      const outcomes = data['outcomes'];
      if (Array.isArray(outcomes)) outcomes.forEach((_, index) => this.frontMatterReference(`outcomes.${index}`, 'frontMatterOutcomes'));
    }
    // Where the keys health rules and quick fixes point at are written (a handful per document).
    const keySpans = new Map<string, LineSpan>();
    for (const key of SPANNED_KEYS) {
      const location = locations.get(`${key}#`) ?? locations.get(key);
      if (location) keySpans.set(key, this.span(location.start, location.end));
    }
    // And every key that is no key of the type (`innovaton:`), where `misspelled-front-matter-key` and its fix point.
    const known = knownFrontMatterKeys(type);
    for (const key of Object.keys(data)) {
      if (known.includes(key)) continue;
      const location = locations.get(`${key}#`);
      if (location) keySpans.set(key, this.span(location.start, location.end));
    }
    return { type, data, startLine: 0, endLine: this.closingLine, keySpans };
  }

  private frontMatterReference(path: string, context: ReferenceContext): void {
    const location = this.frontMatter.locations.get(path);
    if (!location) return;
    const start = location.start + quoteOffset(this.text, location.start);
    const match = matchesIn(ANY_ID, this.text, start, location.end)[0];
    if (!match) return;
    this.pushReference(shared(match.id), match.start, match.end, context, this.documentId);
  }

  /**
   * git's conflict markers left in the file (`<<<<<<< HEAD` at the start of a line, outside code
   * blocks): both sides of the conflict are read until it is resolved, so IDs may be defined twice
   * and links counted twice. Found with `indexOf`, so that a file without one costs one search.
   */
  private findConflictMarkers(blocks: MarkdownBlocks): void {
    let reported = 0;
    for (let at = this.text.indexOf(CONFLICT_MARKER); at !== -1 && reported < MAX_CONFLICTS_REPORTED; at = this.text.indexOf(CONFLICT_MARKER, at + 1)) {
      if (at > 0 && this.text.charCodeAt(at - 1) !== 10) continue;
      const after = this.text.charCodeAt(at + CONFLICT_MARKER.length);
      // `<<<<<<< HEAD`, or the marker alone; not an eighth `<`.
      if (!(Number.isNaN(after) || after === 32 || after === 10 || after === 13)) continue;
      const line = lineAt(this.lineStarts, at);
      if (blocks.codeBlocks.some((code) => line >= code.startLine && line <= code.endLine)) continue;
      reported++;
      this.problems.push({
        rule: 'merge-conflict',
        severity: 'error',
        message:
          'An unresolved merge conflict: git left its markers here (<<<<<<<, =======, >>>>>>>). Throughline reads both sides until you keep one, so IDs may be defined twice and links counted twice.',
        span: { line, start: 0, end: CONFLICT_MARKER.length },
      });
    }
  }

  private indexBody(blocks: MarkdownBlocks): Section[] {
    const lastLine = this.lineStarts.length - 1;
    const sections: Section[] = [];
    // Heading sections: each runs to the line before the next heading of the same or a higher level.
    const open: { depth: number; section: { line: number; endLine: number; depth: number }; itemIndex: number }[] = [];
    // By line, in typed arrays rather than sets and maps: a document's lines are few and dense
    // (indexing 10,000 PRDs made 95 young-generation collections instead of 97). -1: none.
    const headingItemAt = new Int32Array(lastLine + 2).fill(-1);
    const blockStarts: LineMarks = new Uint8Array(lastLine + 2);
    for (const code of blocks.codeBlocks) blockStarts[code.startLine] = 1;
    for (const html of blocks.htmlBlocks) blockStarts[html.startLine] = 1;
    for (const listItem of blocks.listItems) blockStarts[listItem.startLine] = 1;
    for (const heading of blocks.headings) blockStarts[heading.startLine] = 1;
    for (const table of blocks.tables) blockStarts[table.startLine] = 1;
    const paragraphStarts: LineMarks = new Uint8Array(lastLine + 2);
    for (const paragraph of blocks.paragraphs) paragraphStarts[paragraph.content[0]!.line] = 1;

    // By paragraph index: 1 once the paragraph was read as an item's attributes or title continuation.
    const consumedParagraphs = new Uint8Array(blocks.paragraphs.length);
    let paragraphCursor = 0;
    const paragraphs = blocks.paragraphs;
    const headings = blocks.headings;

    // Each list item's first paragraph (its index in `paragraphs`), the children of each item and
    // the first item starting on each line: for attribute bullets.
    const firstParagraphOf = new Map<number, number>();
    for (let p = 0; p < paragraphs.length; p++) {
      const paragraph = paragraphs[p]!;
      const owner = paragraph.listItem;
      if (owner === -1 || firstParagraphOf.has(owner)) continue;
      const listItem = blocks.listItems[owner]!;
      if (listItem.firstParagraph.length && listItem.firstParagraph[0]!.line === paragraph.content[0]!.line) firstParagraphOf.set(owner, p);
    }
    const childrenOf = new Map<number, number[]>();
    const siblingIndex = new Int32Array(blocks.listItems.length);
    const listItemAtLine = new Int32Array(lastLine + 2).fill(-1);
    blocks.listItems.forEach((listItem, index) => {
      let siblings = childrenOf.get(listItem.parent);
      if (!siblings) childrenOf.set(listItem.parent, (siblings = []));
      siblingIndex[index] = siblings.length;
      siblings.push(index);
      if (listItemAtLine[listItem.startLine] === -1) listItemAtLine[listItem.startLine] = index;
    });
    /** `Key: value` bullets: consecutive siblings from `siblings[from]`, each right after the previous one; stops at the first that is not one. */
    const attributeBullets = (siblings: readonly number[], from: number): InlineLine[] => {
      const lines: InlineLine[] = [];
      let previousEnd = -1;
      for (let s = from; s < siblings.length; s++) {
        const index = siblings[s]!;
        const listItem = blocks.listItems[index]!;
        if (
          previousEnd !== -1 &&
          (hasBlockStartBetween(blockStarts, previousEnd + 1, listItem.startLine) || hasBlockStartBetween(paragraphStarts, previousEnd + 1, listItem.startLine))
        )
          break;
        const first = listItem.firstParagraph[0];
        const paragraphIndex = firstParagraphOf.get(index);
        if (!first || paragraphIndex === undefined) break;
        if (this.matchDefinition(first, 'listItem')) break;
        if (!matchAttribute(this.text, first.start, first.end)) break;
        consumedParagraphs[paragraphIndex] = 1;
        lines.push(first);
        // The bullet's further lines are prose.
        if (listItem.firstParagraph.length > 1) this.scanProse(listItem.firstParagraph.slice(1));
        previousEnd = listItem.endLine;
      }
      return lines;
    };

    /**
     * Paragraphs of `Key: value` lines only, one after another from paragraph `from` in the same
     * container, with only blank lines between: authors space attributes out (`Current: 45%` a blank
     * line below `Target: 50%`) so that GitHub shows one per line, and a blank line is no reason to
     * drop a figure. A paragraph needs a key Throughline reads, so that `Note: we chose …` stays
     * prose. Read paragraphs are marked consumed.
     */
    const spacedAttributeLines = (from: number, afterLine: number, listItem: number): readonly InlineLine[] => {
      let lines: InlineLine[] | undefined;
      let previousEnd = afterLine;
      for (let p = from; p < paragraphs.length; p++) {
        const paragraph = paragraphs[p]!;
        const content = paragraph.content;
        if (paragraph.listItem !== listItem || consumedParagraphs[p] === 1) break;
        if (hasBlockStartBetween(blockStarts, previousEnd + 1, content[0]!.line + 1)) break;
        if (!this.isAttributeParagraph(content) || (listItem === -1 && this.paragraphDefinition(content))) break;
        consumedParagraphs[p] = 1;
        lines ??= [];
        // One by one: a spread of a 100,000-line paragraph overflows the stack.
        for (const line of content) lines.push(line);
        previousEnd = content[content.length - 1]!.line;
      }
      return lines ?? NO_LINES;
    };

    for (let h = 0; h < headings.length; h++) {
      const heading = headings[h]!;
      while (open.length && open[open.length - 1]!.depth >= heading.depth) {
        const closed = open.pop()!;
        closed.section.endLine = previousContentLine(heading.startLine - 1, closed.section.line);
      }
      const content = heading.content;
      const section = { line: heading.startLine, endLine: lastLine, depth: heading.depth };
      sections.push(section);
      let itemIndex = -1;
      const first = content[0];
      if (first) {
        const definition = this.matchDefinition(first, 'heading');
        if (definition && definition.id === this.documentId) {
          // `# PRD-7: Title` repeating the front-matter id is the document's own heading, not a second definition.
          this.pushReference(definition.id, definition.idStart, definition.idEnd, 'prose', this.documentId);
          this.scanProse([{ line: first.line, start: definition.idEnd, end: first.end }, ...content.slice(1)]);
        } else if (definition) {
          // Attributes: the paragraph right after the heading, when no other block comes between;
          // then `- Key: value` bullets right after the heading or that paragraph.
          while (paragraphCursor < paragraphs.length && paragraphs[paragraphCursor]!.content[0]!.line <= heading.endLine) paragraphCursor++;
          const next = paragraphs[paragraphCursor];
          let attributeLines: readonly InlineLine[] = [];
          if (
            next &&
            next.listItem === -1 &&
            !hasBlockStartBetween(blockStarts, heading.endLine + 1, next.content[0]!.line) &&
            !this.paragraphDefinition(next.content)
          ) {
            attributeLines = next.content;
            consumedParagraphs[paragraphCursor] = 1;
          }
          const parentId = this.enclosingParent(
            open.map((entry) => entry.itemIndex),
            definition.kind,
          );
          let bullets: InlineLine[] = [];
          const lineAttributeCount = this.countLineAttributes(attributeLines);
          if (lineAttributeCount === attributeLines.length) {
            if (attributeLines.length) {
              const spaced = spacedAttributeLines(paragraphCursor + 1, attributeLines[attributeLines.length - 1]!.line, -1);
              if (spaced.length) attributeLines = [...attributeLines, ...spaced];
            }
            const after = attributeLines.length ? attributeLines[attributeLines.length - 1]!.line : heading.endLine;
            const bulletLine = nextStart(blockStarts, after + 1, lastLine);
            const bullet = bulletLine === -1 ? -1 : listItemAtLine[bulletLine]!;
            if (bullet !== -1 && !hasBlockStartBetween(paragraphStarts, after + 1, bulletLine)) {
              bullets = attributeBullets(childrenOf.get(blocks.listItems[bullet]!.parent)!, siblingIndex[bullet]!);
            }
          }
          itemIndex = this.items.length;
          this.nearMiss(definition, first);
          const attributesEnd = this.defineItem(definition, heading.depth, heading.startLine, lastLine, attributeLines, parentId, bullets);
          this.scanProse([{ line: first.line, start: definition.titleStart, end: first.end }, ...content.slice(1)]);
          if (attributeLines.length) this.scanProse(attributeLines.slice(attributesEnd));
          headingItemAt[heading.startLine] = itemIndex;
        } else {
          this.unconfiguredPrefix(first, 'heading');
          this.scanProse(content);
        }
      }
      open.push({ depth: heading.depth, section, itemIndex });
    }
    for (const entry of open) entry.section.endLine = previousContentLine(lastLine, entry.section.line);
    // Items defined by headings end where their section ends.
    for (const section of sections) {
      const index = headingItemAt[section.line] ?? -1;
      if (index !== -1) (this.items[index] as { endLine: number }).endLine = section.endLine;
    }

    // List items defining items; their continuation lines and nested `- Key: value` bullets carry the attributes.
    const listItemDefinitions = new Map<number, number>();
    // Blocks come in document order: the heading sections enclosing each are kept on a stack
    // while sweeping (heading sections nest), instead of testing every section for every item.
    const enclosingSectionsSweep = (): ((line: number) => readonly Section[]) => {
      const enclosingSections: Section[] = [];
      let nextSection = 0;
      return (line) => {
        for (; nextSection < sections.length && sections[nextSection]!.line <= line; nextSection++) {
          const section = sections[nextSection]!;
          while (enclosingSections.length && enclosingSections[enclosingSections.length - 1]!.endLine < section.line) enclosingSections.pop();
          enclosingSections.push(section);
        }
        while (enclosingSections.length && enclosingSections[enclosingSections.length - 1]!.endLine < line) enclosingSections.pop();
        return enclosingSections;
      };
    };
    const parentsIn = (enclosing: readonly Section[], kind: ItemKind) =>
      this.enclosingParent(
        enclosing.map((section) => headingItemAt[section.line] ?? -1),
        kind,
      );
    const headingParents = (): ((line: number, kind: ItemKind) => string | undefined) => {
      const sweep = enclosingSectionsSweep();
      return (line, kind) => parentsIn(sweep(line), kind);
    };
    const headingParent = headingParents();
    blocks.listItems.forEach((listItem, index) => {
      const first = listItem.firstParagraph[0];
      if (!first) return;
      const paragraphIndex = firstParagraphOf.get(index);
      if (paragraphIndex === undefined || consumedParagraphs[paragraphIndex] === 1) return;
      const continuation = listItem.firstParagraph.slice(1);
      const children = childrenOf.get(index);
      let definition = this.matchDefinition(first, 'listItem');
      if (!definition) {
        // `- REQ-14 Export` with `Key: value` lines or bullets right under it meant a definition: read and reported.
        // Without them it is prose, unless the ID turns out to be defined nowhere (`unlessDefined`).
        const firstChild = children?.[0] === undefined ? undefined : blocks.listItems[children[0]]!.firstParagraph[0];
        const attributesFollow =
          (continuation.length > 0 && continuation[0] !== undefined && this.isAttributeEvidence(continuation[0])) ||
          (continuation.length === 0 && firstChild !== undefined && this.isAttributeEvidence(firstChild));
        const plain = matchDefinition(this.text, first.start, first.end, this.config, 'listItem', true);
        if (plain && attributesFollow) definition = plain;
        else if (plain?.nearMiss && plain.idStart === first.start && plain.id !== this.documentId && startsCapitalised(plain.title)) {
          this.problems.push({
            rule: 'unrecognised-definition',
            severity: 'warning',
            message: `${plain.id} is defined nowhere, and this list item reads like its definition but has no \`:\` after the ID: write \`${plain.nearMiss.replacement}\`.`,
            span: this.span(first.start, first.end),
            replacement: plain.nearMiss.replacement,
            unlessDefined: plain.id,
          });
        } else if (!plain) {
          this.unconfiguredPrefix(first, 'listItem');
        }
      }
      if (!definition || definition.id === this.documentId) return;
      consumedParagraphs[paragraphIndex] = 1;
      const parentId = this.listParent(blocks, index, listItemDefinitions) ?? headingParent(listItem.startLine, definition.kind);
      listItemDefinitions.set(index, this.items.length);
      const allAttributes = this.countLineAttributes(continuation) === continuation.length;
      const spaced = allAttributes ? spacedAttributeLines(paragraphIndex + 1, (continuation[continuation.length - 1] ?? first).line, index) : NO_LINES;
      const bullets = children && allAttributes ? attributeBullets(children, 0) : [];
      this.nearMiss(definition, first);
      const attributeLines = spaced.length ? [...continuation, ...spaced] : continuation;
      const attributesEnd = this.defineItem(definition, 0, listItem.startLine, listItem.endLine, attributeLines, parentId, bullets);
      this.scanProse([{ line: first.line, start: definition.titleStart, end: first.end }, ...continuation.slice(attributesEnd)]);
    });

    // Tables whose ID column holds IDs: one item per row.
    const tableParent = headingParents();
    for (const table of blocks.tables) this.indexTable(blocks, table, listItemDefinitions, tableParent);

    // Bold paragraphs that define an item (`**OUT-1 — title**`), with their `Key: value` lines, or
    // (a one-line paragraph) the attribute paragraph right after it, then `- Key: value` bullets.
    const paragraphSections = enclosingSectionsSweep();
    // The last line at or before each line where an item is defined (-1: none), and the last bold
    // paragraph definition so far: an unread attribute paragraph is said only when no other item
    // stands between it and the one it is named after.
    const lastDefinedAt = new Int32Array(lastLine + 2).fill(-1);
    for (const item of this.items) if (!item.isDocument) lastDefinedAt[item.line] = item.line;
    for (let line = 1; line < lastDefinedAt.length; line++) if (lastDefinedAt[line] === -1) lastDefinedAt[line] = lastDefinedAt[line - 1]!;
    let lastParagraphDefinition = -1;
    for (let p = 0; p < paragraphs.length; p++) {
      if (consumedParagraphs[p] === 1) continue;
      const paragraph = paragraphs[p]!;
      // Only paragraphs outside lists: a list item's first line is read as a list item definition above.
      const definition = paragraph.listItem === -1 ? this.paragraphDefinition(paragraph.content) : undefined;
      if (!definition) {
        if (paragraph.listItem === -1) this.unconfiguredPrefix(paragraph.content[0]!, 'paragraph');
        const first = paragraph.content[0]!;
        if (matchAttribute(this.text, first.start, first.end) && this.isAttributeParagraph(paragraph.content)) {
          // Whose attributes these look like: the list item's, or the innermost heading section's item.
          let owner = -1;
          if (paragraph.listItem !== -1) owner = listItemDefinitions.get(paragraph.listItem) ?? -1;
          else {
            const enclosing = paragraphSections(first.line);
            owner = enclosing.length ? (headingItemAt[enclosing[enclosing.length - 1]!.line] ?? -1) : -1;
          }
          const ownerItem = owner === -1 ? undefined : this.items[owner]!;
          if (ownerItem && Math.max(lastDefinedAt[first.line]!, lastParagraphDefinition) === ownerItem.line)
            this.unreadAttributes(paragraph.content, ownerItem.id);
        }
        this.scanProse(paragraph.content);
        continue;
      }
      lastParagraphDefinition = paragraph.content[0]!.line;
      const first = paragraph.content[0]!;
      let attributeLines: readonly InlineLine[] = paragraph.content.slice(1);
      const next = paragraphs[p + 1];
      if (
        attributeLines.length === 0 &&
        next &&
        next.listItem === -1 &&
        consumedParagraphs[p + 1] !== 1 &&
        !hasBlockStartBetween(blockStarts, first.line + 1, next.content[0]!.line) &&
        this.countLineAttributes(next.content) > 0
      ) {
        attributeLines = next.content;
        consumedParagraphs[p + 1] = 1;
      }
      let bullets: InlineLine[] = [];
      if (attributeLines.length && this.countLineAttributes(attributeLines) === attributeLines.length) {
        const spaced = spacedAttributeLines(consumedParagraphs[p + 1] === 1 ? p + 2 : p + 1, attributeLines[attributeLines.length - 1]!.line, -1);
        if (spaced.length) attributeLines = [...attributeLines, ...spaced];
      }
      const lastLineOf = attributeLines.length ? attributeLines[attributeLines.length - 1]!.line : first.line;
      if (this.countLineAttributes(attributeLines) === attributeLines.length) {
        const bulletLine = nextStart(blockStarts, lastLineOf + 1, lastLine);
        const bullet = bulletLine === -1 ? -1 : listItemAtLine[bulletLine]!;
        if (bullet !== -1 && blocks.listItems[bullet]!.parent === -1 && !hasBlockStartBetween(paragraphStarts, lastLineOf + 1, bulletLine)) {
          bullets = attributeBullets(childrenOf.get(blocks.listItems[bullet]!.parent)!, siblingIndex[bullet]!);
        }
      }
      const endLine = bullets.length ? Math.max(lastLineOf, bullets[bullets.length - 1]!.line) : lastLineOf;
      const parentId = parentsIn(paragraphSections(first.line), definition.kind);
      this.nearMiss(definition, first);
      const attributesEnd = this.defineItem(definition, 0, first.line, endLine, attributeLines, parentId, bullets);
      this.scanProse([{ line: first.line, start: definition.titleStart, end: first.end }]);
      this.scanProse(attributeLines.slice(attributesEnd));
    }
    return sections;

    function previousContentLine(line: number, floor: number): number {
      return Math.max(floor, line);
    }
  }

  private matchDefinition(line: InlineLine, where: 'heading' | 'listItem' | 'cell'): Definition | undefined {
    return matchDefinition(this.text, line.start, line.end, this.config, where);
  }

  /** The definition a paragraph's bold first line makes (`**OUT-1 — title**`), when it makes one and is not the document's own ID. */
  private paragraphDefinition(content: readonly InlineLine[]): Definition | undefined {
    const first = content[0];
    if (!first) return undefined;
    const definition = matchDefinition(this.text, first.start, first.end, this.config, 'paragraph');
    return definition && definition.id !== this.documentId ? definition : undefined;
  }

  /** A near-miss definition is indexed, and reported with the canonical line as its fix. */
  private nearMiss(definition: Definition, line: InlineLine): void {
    if (!definition.nearMiss) return;
    this.problems.push({
      rule: 'unrecognised-definition',
      severity: 'warning',
      message: definition.nearMiss.message,
      span: this.span(line.start, line.end),
      replacement: definition.nearMiss.replacement,
    });
  }

  /**
   * A line that would define an item but for its ID's prefix (`### Objective CO-1: Grow revenue`,
   * `CO` not configured) is prose, and says so on the ID.
   */
  private unconfiguredPrefix(line: InlineLine, where: DefinitionPlace): void {
    const found = matchUnconfiguredDefinition(this.text, line.start, line.end, this.config, where);
    if (!found) return;
    this.problems.push({
      rule: 'unconfigured-prefix',
      severity: 'warning',
      message:
        `\`${found.id}\` looks like ${withArticle(found.kind)}'s ID, but \`${found.prefix}\` is not a configured prefix, so this line defines nothing: ` +
        `add \`prefixes: {${found.prefix}: ${found.kind}}\` to .throughline.yml.`,
      span: this.span(found.idStart, found.idEnd),
    });
  }

  /**
   * A table defines items when its ID column (the column named `ID`, else the first) starts with
   * an ID in some body row. Each such row is an item: the title from the title column, the other
   * cells attributes keyed by their header cell. Other tables, and rows without an ID, are prose.
   */
  private indexTable(
    blocks: MarkdownBlocks,
    table: TableBlock,
    listItemDefinitions: Map<number, number>,
    headingParent: (line: number, kind: ItemKind) => string | undefined,
  ): void {
    const header = table.header.cells;
    const headerNames = header.map((cell) => headerName(this.text, cell));
    let idColumn = headerNames.indexOf('id');
    if (idColumn === -1) idColumn = 0;
    const rows: { row: TableRow; definition: Definition }[] = [];
    for (const row of table.rows) {
      const cell = row.cells[idColumn];
      const definition = cell ? this.matchDefinition(cell, 'cell') : undefined;
      if (definition && definition.id !== this.documentId) rows.push({ row, definition });
      else {
        if (cell && !definition) this.unconfiguredPrefix(cell, 'cell');
        this.scanProse(row.cells);
      }
    }
    this.scanProse(header);
    let parentOfTable: string | undefined | null = null;
    // The title column depends on the row's kind only: found once per kind (a wide table stays linear).
    const titleColumns = new Map<ItemKind, number>();
    for (const { row, definition } of rows) {
      if (parentOfTable === null) {
        parentOfTable = table.listItem === -1 ? undefined : this.tableListParent(blocks, table.listItem, listItemDefinitions);
      }
      const parentId = parentOfTable ?? headingParent(row.line, definition.kind);
      let titleColumn = titleColumns.get(definition.kind);
      if (titleColumn === undefined) titleColumns.set(definition.kind, (titleColumn = titleColumnFor(headerNames, idColumn, definition.kind)));
      const lines: InlineLine[] = [];
      const keys: { column: number; cell: InlineLine }[] = [];
      row.cells.forEach((cell, column) => {
        if (column === idColumn || column === titleColumn || column >= header.length || !headerNames[column]) return;
        keys.push({ column, cell });
        lines.push(cell);
      });
      const titleCell = titleColumn === -1 ? undefined : row.cells[titleColumn];
      // `\|` in a cell is a `|` (GFM); values keep the text as written, so that their spans stay exact.
      const title = titleCell ? detach(this.text.slice(titleCell.start, titleCell.end).split('\\|').join('|')) : titleColumn === -1 ? definition.title : '';
      const rowDefinition = { ...definition, title };
      const attributes: Attribute[] = [];
      for (const { column, cell } of keys) {
        const key = header[column]!;
        const keyText = shared(headerText(this.text, key));
        const value = shared(this.text.slice(cell.start, cell.end));
        const lineStart = this.lineStarts[cell.line]!;
        const keyStart = key.start + headerOffset(this.text, key) - this.lineStarts[key.line]!;
        const name = headerNames[column]!;
        const attribute = new TableCellAttribute(
          keyText,
          value,
          cell.line,
          keyStart,
          cell.start - lineStart,
          key.line,
          this.config.linkAliases.get(name) ?? canonicalName(name),
        );
        this.addAttribute(attributes, attribute, cell.start, cell.end, definition.id);
      }
      this.nearMiss(definition, row.cells[idColumn]!);
      this.pushItem(rowDefinition, 0, row.line, row.line, attributes, parentId, true);
      if (titleCell) this.scanProse([titleCell]);
      else if (definition.titleStart < row.cells[idColumn]!.end)
        this.scanProse([{ line: row.line, start: definition.titleStart, end: row.cells[idColumn]!.end }]);
      for (const cell of row.cells.slice(header.length)) this.scanProse([cell]);
    }
  }

  private tableListParent(blocks: MarkdownBlocks, listItem: number, listItemDefinitions: Map<number, number>): string | undefined {
    const own = listItemDefinitions.get(listItem);
    if (own !== undefined) return this.items[own]!.id;
    return this.listParent(blocks, listItem, listItemDefinitions);
  }

  private enclosingParent(openItemIndexes: number[], kind: ItemKind): string | undefined {
    for (let i = openItemIndexes.length - 1; i >= 0; i--) {
      const index = openItemIndexes[i]!;
      if (index < 0) continue;
      const candidate = this.items[index]!;
      if (kind !== 'keyResult' || candidate.kind === 'objective') return candidate.id;
    }
    return kind === 'keyResult' ? undefined : this.documentId;
  }

  /**
   * The ID defined by the closest enclosing list item that defines one. What was found for each
   * ancestor is remembered (its ancestors come first in document order, so it no longer changes):
   * deeply nested lists stay linear, and no recursion can overflow the stack.
   */
  private listParent(blocks: MarkdownBlocks, index: number, definitions: Map<number, number>): string | undefined {
    const chain: number[] = [];
    let found: string | null = null;
    for (let parent = blocks.listItems[index]!.parent; parent !== -1; parent = blocks.listItems[parent]!.parent) {
      const itemIndex = definitions.get(parent);
      if (itemIndex !== undefined) {
        found = this.items[itemIndex]!.id;
        break;
      }
      const known = this.listParents.get(parent);
      if (known !== undefined) {
        found = known;
        break;
      }
      chain.push(parent);
    }
    for (const member of chain) this.listParents.set(member, found);
    return found ?? undefined;
  }

  /** How many of `lines`, from the first, are `Key: value` lines. */
  /**
   * Whether `line`, right under `- REQ-14 Export`, shows the item meant a definition: a plain
   * `Key: value`, or an emphasised key Throughline reads (`**Status:** shipped`). An emphasised
   * key of one's own (`**Note:** rollout at 50%`) is how a status list annotates a mention.
   */
  private isAttributeEvidence(line: InlineLine): boolean {
    const match = matchAttribute(this.text, line.start, line.end);
    if (!match) return false;
    return match.keyStart === line.start || BUILT_IN_ATTRIBUTE_KEYS.has(this.text.slice(match.keyStart, match.keyEnd).toLowerCase());
  }

  /**
   * A paragraph of `Key: value` lines inside an item but not read as its attributes: prose or
   * another block comes between it and the item's line. Said on the paragraph, since a `Current:`
   * or `Supports:` there would otherwise be missing without a word.
   */
  private unreadAttributes(content: readonly InlineLine[], itemId: string): void {
    const first = content[0]!;
    const match = matchAttribute(this.text, first.start, first.end)!;
    const key = this.text.slice(match.keyStart, match.keyEnd);
    const more = content.length > 1 ? ` and the ${content.length - 1 === 1 ? 'line' : `${content.length - 1} lines`} below it` : '';
    this.problems.push({
      rule: 'unread-attribute',
      severity: 'warning',
      message:
        `\`${key}:\`${more} ${content.length > 1 ? `are not read as ${itemId}'s attributes` : `is not read as ${itemId}'s attribute`}: prose or another block comes between ${content.length > 1 ? 'them' : 'it'} and ${itemId}. ` +
        `Move ${content.length > 1 ? 'them' : 'it'} up, right below ${itemId}'s line or its other attributes.`,
      span: this.span(first.start, first.end),
    });
  }

  /**
   * Whether every line of a paragraph is `Key: value`, one of them with a key Throughline reads (or
   * a configured link alias), and none keyed by an ID: `REQ-2: Export PDF` above `Traces: OUT-2`
   * is another item written without a heading, not attributes of the one before.
   */
  private isAttributeParagraph(content: readonly InlineLine[]): boolean {
    let known = false;
    for (const line of content) {
      const match = matchAttribute(this.text, line.start, line.end);
      if (!match) return false;
      const key = this.text.slice(match.keyStart, match.keyEnd);
      if (key.indexOf('-') !== -1 && isIdShaped(key)) return false;
      if (!known) {
        const name = key.toLowerCase();
        known = BUILT_IN_ATTRIBUTE_KEYS.has(name) || this.config.linkAliases.has(name);
      }
    }
    return known;
  }

  private countLineAttributes(lines: readonly InlineLine[]): number {
    let count = 0;
    for (const line of lines) {
      if (!matchAttribute(this.text, line.start, line.end)) break;
      count++;
    }
    return count;
  }

  /** Records an item and its attributes (lines, then bullets); returns how many of `attributeLines` were attributes. */
  private defineItem(
    definition: { id: string; kind: ItemKind; title: string; idStart: number; idEnd: number },
    depth: number,
    line: number,
    endLine: number,
    attributeLines: readonly InlineLine[],
    parentId: string | undefined,
    bullets: readonly InlineLine[] = [],
  ): number {
    const attributes: Attribute[] = [];
    let consumed = 0;
    for (const attributeLine of attributeLines) {
      if (!this.lineAttribute(attributes, attributeLine, definition.id)) break;
      consumed++;
    }
    for (const bullet of bullets) this.lineAttribute(attributes, bullet, definition.id);
    this.pushItem(definition, depth, line, endLine, attributes, parentId, false);
    return consumed;
  }

  private lineAttribute(attributes: Attribute[], attributeLine: InlineLine, fromId: string): boolean {
    const match = matchAttribute(this.text, attributeLine.start, attributeLine.end);
    if (!match) return false;
    const key = shared(this.text.slice(match.keyStart, match.keyEnd));
    const value = shared(this.text.slice(match.valueStart, match.valueEnd));
    const valueStart = value ? match.valueStart : attributeLine.end;
    const lineStart = this.lineStarts[attributeLine.line]!;
    const name = shared(key.toLowerCase());
    // A configured alias (`linkAliases: {Outcome: traces}`) is read as the key it stands for.
    const alias = this.config.linkAliases.size ? this.config.linkAliases.get(name) : undefined;
    const attribute = new Attribute(key, value, attributeLine.line, match.keyStart - lineStart, valueStart - lineStart, alias ?? name);
    this.addAttribute(attributes, attribute, valueStart, valueStart + value.length, fromId);
    return true;
  }

  /** Adds an attribute and the references in its value (links for `Traces:`/`Supports:`, else prose). */
  private addAttribute(attributes: Attribute[], attribute: Attribute, valueStart: number, valueEnd: number, fromId: string): void {
    attributes.push(attribute);
    const context = LINK_ATTRIBUTES.get(attribute.name);
    if (context) this.linkReferences(valueStart, valueEnd, context, fromId);
    else this.scanProse([{ line: attribute.line, start: valueStart, end: valueEnd }]);
  }

  private pushItem(
    definition: { id: string; kind: ItemKind; title: string; idStart: number; idEnd: number },
    depth: number,
    line: number,
    endLine: number,
    attributes: Attribute[],
    parentId: string | undefined,
    inTable: boolean,
  ): void {
    const attribute = (name: string) => attributes.find((candidate) => candidate.name === name)?.value;
    const item = new IndexedItem({
      id: definition.id,
      kind: definition.kind,
      title: definition.title,
      uri: this.uri,
      idSpan: this.span(definition.idStart, definition.idEnd),
      line,
      endLine: Math.max(line, endLine),
      depth,
      // A copy of exactly its length: a pushed-to array keeps room for 16 more, and most items have one to three attributes.
      attributes: attributes.length === 0 ? attributes : attributes.slice(),
      parentId,
      documentId: this.documentId,
      status: sharedOrUndefined(attribute('status')?.toLowerCase()),
      owner: sharedOrUndefined(ownerText(attribute('owner'))),
      isDocument: false,
      ...(inTable && { inTable: true }),
    });
    this.items.push(item);
  }

  /**
   * The links of a `Traces:`/`Supports:` value. What the author wrote as a note is not a link: an
   * ID in parentheses or struck through (`OUT-1 (not OUT-5)`, `~~OUT-6~~ OUT-2`) is a mention, as
   * in prose, and one in a code span or an HTML comment is neither, as in prose. Reading them as
   * links counted outcomes as delivered that the author had ruled out.
   */
  private linkReferences(start: number, end: number, context: ReferenceContext, fromId: string): void {
    const matches = matchesIn(ANY_ID, this.text, start, end);
    if (matches.length === 0) return;
    if (!hasNoteMarks(this.text, start, end)) {
      for (const match of matches) this.pushReference(shared(match.id), match.start, match.end, context, fromId);
      return;
    }
    const line = lineAt(this.lineStarts, start);
    const ignored = inlineExclusions(this.text, [{ line, start, end }]);
    const notes = linkValueNotes(this.text, start, end, ignored);
    // Matches and ranges are in text order: one pass over each.
    const skipped = [...ignored, ...notes].sort((a, b) => a[0] - b[0]);
    let next = 0;
    let reach = -1;
    for (const match of matches) {
      while (next < skipped.length && skipped[next]![0] <= match.start) reach = Math.max(reach, skipped[next++]![1]);
      if (reach > match.start) continue;
      this.pushReference(shared(match.id), match.start, match.end, context, fromId);
    }
    if (notes.length > 0) this.scanProse(notes.map(([from, to]) => ({ line, start: from, end: to })));
  }

  /** Finds ID references in inline content, skipping code spans, HTML comments and link destinations. */
  private scanProse(lines: readonly InlineLine[]): void {
    if (lines.length === 0) return;
    const first = lines[0]!;
    const last = lines[lines.length - 1]!;
    if (last.end <= first.start) return;
    let candidates = matchesIn(this.syntax.knownId, this.text, first.start, last.end);
    if (candidates.length === 0) return;
    // Block quote markers and indentation between lines are outside every line's content.
    // Candidates and lines are both in text order: one pass over each (not candidates × lines).
    if (lines.length > 1) {
      let l = 0;
      candidates = candidates.filter((candidate) => {
        while (l + 1 < lines.length && lines[l + 1]!.start <= candidate.start) l++;
        const line = lines[l]!;
        return candidate.start >= line.start && candidate.end <= line.end;
      });
    }
    // Excluded ranges by start; a candidate is excluded when some range that starts at or before it reaches past it.
    const excluded = inlineExclusions(this.text, lines).sort((a, b) => a[0] - b[0]);
    let next = 0;
    let reach = -1;
    for (const candidate of candidates) {
      while (next < excluded.length && excluded[next]![0] <= candidate.start) reach = Math.max(reach, excluded[next++]![1]);
      if (reach > candidate.start) continue;
      this.pushReference(shared(candidate.id), candidate.start, candidate.end, 'prose', undefined);
    }
  }

  /** Suppression directives are HTML comments on lines of their own (HTML blocks); code blocks never hold one. */
  private indexSuppressions(blocks: MarkdownBlocks): Suppressions {
    let file: Set<string> | undefined;
    let lines: Map<number, Set<string>> | undefined;
    for (const html of blocks.htmlBlocks) {
      const start = this.lineStarts[html.startLine]!;
      const end = html.endLine + 1 < this.lineStarts.length ? this.lineStarts[html.endLine + 1]! : this.text.length;
      const blockText = this.text.slice(start, end);
      if (!blockText.includes('throughline-disable')) continue;
      for (const match of directivesIn(blockText)) {
        const names = match.rules.length ? match.rules : ['*'];
        if (match.nextLine) {
          const nextLine = lineAt(this.lineStarts, start + match.end) + 1;
          lines ??= new Map();
          const set = lines.get(nextLine) ?? new Set<string>();
          for (const name of names) set.add(name);
          lines.set(nextLine, set);
        } else {
          file ??= new Set();
          for (const name of names) file.add(name);
        }
      }
    }
    return file || lines ? { file: file ?? new Set(), lines: lines ?? new Map() } : EMPTY_SUPPRESSIONS;
  }
}

/** Whether a link value has a character that may start a note, a code span or a comment: most have none. */
function hasNoteMarks(text: string, start: number, end: number): boolean {
  for (let index = start; index < end; index++) {
    const code = text.charCodeAt(index);
    if (code === 40 /* ( */ || code === 126 /* ~ */ || code === 96 /* ` */ || code === 60 /* < */ || code === 0x2014 /* — */) return true;
  }
  return false;
}

/** Separators between IDs in a link value: an ID list in parentheses (`Checkout (OUT-1, OUT-2)`) is links, not a note. */
const ID_LIST_SEPARATORS = /^(?:[\s,;/&+]|\band\b|\bor\b)*$/i;

/** Whether `text[from, to)` holds IDs and separators only. */
function onlyIds(text: string, from: number, to: number): boolean {
  return ID_LIST_SEPARATORS.test(text.slice(from, to).replace(ANY_ID, ' '));
}

/**
 * The notes of a link value, in order:
 * - each parenthesis with words in it (`OUT-1 (not OUT-5)`), to the value's end when it is not
 *   closed; one that holds IDs alone (`Checkout (OUT-1)`) is links;
 * - each `~~…~~` strikethrough, as GFM reads one: the opening run not followed by a space, the
 *   closing one not preceded by one (a lone `~` is "about": `~60%`);
 * - what follows an em dash, to the next `,` or `;` (`OUT-3 — replaces OUT-4, OUT-5`), as in a
 *   figure's value.
 * A Markdown link's destination, a code span and a comment (`ignored`) hold no note marks.
 */
function linkValueNotes(text: string, start: number, end: number, ignored: readonly (readonly [number, number])[]): [number, number][] {
  const notes: [number, number][] = [];
  let depth = 0;
  let open = -1;
  let strike = -1;
  let dash = -1;
  const closeDash = (at: number) => {
    if (dash !== -1) notes.push([dash, at]);
    dash = -1;
  };
  // The ignored ranges in order, passed once: a value with thousands of code spans stays linear.
  const skips = [...ignored].sort((a, b) => a[0] - b[0]);
  let nextSkip = 0;
  for (let index = start; index < end; index++) {
    while (nextSkip < skips.length && skips[nextSkip]![1] <= index) nextSkip++;
    const skip = skips[nextSkip];
    if (skip && skip[0] <= index) {
      index = skip[1] - 1;
      continue;
    }
    const code = text.charCodeAt(index);
    if (code === 92 /* \ */) index++;
    else if (code === 40 /* ( */) {
      if (depth++ === 0) open = index;
    } else if (code === 41 /* ) */ && depth > 0) {
      if (--depth === 0 && !onlyIds(text, open + 1, index)) notes.push([open, index + 1]);
    } else if (depth > 0) {
      continue;
    } else if (code === 0x2014 /* — */ && dash === -1) {
      dash = index;
    } else if ((code === 44 /* , */ || code === 59) /* ; */ && dash !== -1) {
      closeDash(index);
    } else if (code === 126 /* ~ */) {
      let run = index;
      while (run < end && text.charCodeAt(run) === 126) run++;
      if (run - index === 2) {
        const before = text.charCodeAt(index - 1);
        const after = text.charCodeAt(run);
        if (strike === -1 && run < end && !isSpaceOrTab(after)) strike = index;
        else if (strike !== -1 && !isSpaceOrTab(before)) {
          notes.push([strike, run]);
          strike = -1;
        }
      }
      index = run - 1;
    }
  }
  closeDash(end);
  if (depth > 0 && !onlyIds(text, open + 1, end)) notes.push([open, end]);
  return notes.sort((a, b) => a[0] - b[0]);
}

/**
 * Matches of a global regular expression inside `text[start, end)`. The regex runs on a slice so
 * that it stops at `end` instead of scanning on through the rest of the document.
 */
/** Whether a whole key is shaped like an ID (`REQ-2`, `OUT-1.2`), whatever its prefix. */
function isIdShaped(key: string): boolean {
  ANY_ID.lastIndex = 0;
  const match = ANY_ID.exec(key);
  return match !== null && match.index === 0 && match[0].length === key.length;
}

function matchesIn(pattern: RegExp, text: string, start: number, end: number): { id: string; start: number; end: number }[] {
  const found: { id: string; start: number; end: number }[] = [];
  if (end <= start) return found;
  const slice = text.slice(start, end);
  pattern.lastIndex = 0;
  for (let match = pattern.exec(slice); match; match = pattern.exec(slice)) {
    // The lookbehind cannot see before the slice: check the character just before it.
    if (match.index === 0 && start > 0 && /[A-Za-z0-9_\-./#]/.test(text[start - 1]!)) continue;
    found.push({ id: match[0], start: start + match.index, end: start + match.index + match[0].length });
  }
  return found;
}

function flattenSections(sections: readonly Section[]): Int32Array {
  const flat = new Int32Array(sections.length * 3);
  sections.forEach((section, index) => {
    flat[index * 3] = section.line;
    flat[index * 3 + 1] = section.endLine;
    flat[index * 3 + 2] = section.depth;
  });
  return flat;
}

function quoteOffset(text: string, offset: number): number {
  const c = text.charCodeAt(offset);
  return c === 34 || c === 39 ? 1 : 0;
}

/** The first line in `[fromLine, lastLine]` where a block starts, or -1. */
function nextStart(blockStarts: LineMarks, fromLine: number, lastLine: number): number {
  for (let line = fromLine; line <= lastLine; line++) if (blockStarts[line] === 1) return line;
  return -1;
}

/** Header cells that name the item's title, by preference. A kind word names the title only for items of that kind. */
const TITLE_HEADERS: readonly string[] = ['title', 'name', 'summary', 'key result', 'requirement', 'objective', 'outcome', 'description'];
const KIND_HEADERS: ReadonlyMap<string, ItemKind> = new Map([
  ['key result', 'keyResult'],
  ['requirement', 'requirement'],
  ['objective', 'objective'],
  ['outcome', 'outcome'],
]);

function titleColumnFor(headerNames: readonly string[], idColumn: number, kind: ItemKind): number {
  for (const name of TITLE_HEADERS) {
    const headerKind = KIND_HEADERS.get(name);
    if (headerKind !== undefined && headerKind !== kind) continue;
    const column = headerNames.indexOf(name);
    if (column !== -1 && column !== idColumn) return column;
  }
  return -1;
}

/** Table headers that name a known attribute another way. A `Map`: keys are user text. */
const HEADER_SYNONYMS: ReadonlyMap<string, string> = new Map([
  ['due date', 'due'],
  ['deadline', 'due'],
  ['target date', 'due'],
  ['current value', 'current'],
  ['baseline value', 'baseline'],
  ['target value', 'target'],
]);

function canonicalName(headerName: string): string {
  return HEADER_SYNONYMS.get(headerName) ?? headerName;
}

/** A header cell's text without surrounding `**`/`__`. */
function headerText(text: string, cell: InlineLine): string {
  const offset = headerOffset(text, cell);
  return text.slice(cell.start + offset, cell.end - offset);
}

function headerOffset(text: string, cell: InlineLine): number {
  if (cell.end - cell.start < 5) return 0;
  const c = text.charCodeAt(cell.start);
  if ((c === 42 || c === 95) && text.charCodeAt(cell.start + 1) === c && text.charCodeAt(cell.end - 1) === c && text.charCodeAt(cell.end - 2) === c) return 2;
  return 0;
}

/** A header cell's name: lower-cased, inner spaces collapsed. */
function headerName(text: string, cell: InlineLine): string {
  return headerText(text, cell)
    .toLowerCase()
    .split(/[ \t]+/)
    .join(' ');
}

/** 1 at each line where something starts (a block, a paragraph), by line number. */
type LineMarks = Uint8Array;

function hasBlockStartBetween(blockStarts: LineMarks, fromLine: number, toLine: number): boolean {
  for (let line = fromLine; line < toLine; line++) if (blockStarts[line] === 1) return true;
  return false;
}

/** An `Owner:` value as shown: a YAML-style list (`[ana, ben]`) is one value, `ana, ben`; empty is no owner. */
function sharedOrUndefined(value: string | undefined): string | undefined {
  return value === undefined ? undefined : shared(value);
}

function ownerText(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  let text = value;
  if (text.length >= 2 && text.charCodeAt(0) === 91 /* [ */ && text.charCodeAt(text.length - 1) === 93 /* ] */) {
    text = text
      .slice(1, -1)
      .split(',')
      .map((name) => name.trim())
      .filter((name) => name !== '')
      .join(', ');
  }
  return text === '' ? undefined : text;
}

/** Whether a title starts with an uppercase letter (`Export CSV`, not `is late`). */
function startsCapitalised(title: string): boolean {
  const c = title.codePointAt(0);
  if (c === undefined) return false;
  const first = String.fromCodePoint(c);
  return first !== first.toLowerCase() && first === first.toUpperCase();
}

function isSpaceOrTab(c: number): boolean {
  return c === 32 || c === 9;
}

function isAsciiLetter(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

/** `[A-Za-z0-9_-]` */
function isKeyCharacter(c: number): boolean {
  return isAsciiLetter(c) || (c >= 48 && c <= 57) || c === 95 || c === 45;
}

/**
 * `Key: value` in `text[start, end)`: keys are one or two words (`[A-Za-z][A-Za-z0-9_-]*`, one
 * space between them) so that ordinary prose rarely looks like an attribute; spaces or tabs may
 * come before the colon, at least one must follow it unless nothing else does; the value is the
 * rest of the line without surrounding spaces and tabs. Scanned by hand, once: the regular
 * expression this replaces (`(.*?))?[ \t]*$` at its end) backtracked over every run of spaces,
 * so that `Priority: a` + 100,000 spaces + `b` took seconds.
 */
function matchAttribute(text: string, start: number, end: number): { keyStart: number; keyEnd: number; valueStart: number; valueEnd: number } | undefined {
  let i = start;
  // An emphasised key, as document tools export them: `**Target:** 40%`, `**Target**: 40%`, `*Target:* 40%`.
  let emphasis = 0;
  while (emphasis < 2 && i < end && text.charCodeAt(i) === 42 /* * */) {
    emphasis++;
    i++;
  }
  /** Whether exactly `emphasis` asterisks stand at `at`. */
  const closesAt = (at: number) => {
    for (let k = 0; k < emphasis; k++) if (at + k >= end || text.charCodeAt(at + k) !== 42) return false;
    return text.charCodeAt(at + emphasis) !== 42;
  };
  const keyStart = i;
  if (i >= end || !isAsciiLetter(text.charCodeAt(i))) return undefined;
  for (i++; i < end && isKeyCharacter(text.charCodeAt(i)); i++);
  if (i + 1 < end && text.charCodeAt(i) === 32 && isAsciiLetter(text.charCodeAt(i + 1))) {
    for (i += 2; i < end && isKeyCharacter(text.charCodeAt(i)); i++);
  }
  const keyEnd = i;
  if (emphasis > 0 && text.charCodeAt(i) === 58 /* : */ && closesAt(i + 1)) {
    i += 1 + emphasis; // `**Target:**`
  } else {
    if (emphasis > 0) {
      if (!closesAt(i)) return undefined;
      i += emphasis; // `**Target**:`
    }
    while (i < end && isSpaceOrTab(text.charCodeAt(i))) i++;
    if (i >= end || text.charCodeAt(i) !== 58 /* : */) return undefined;
    i++;
  }
  if (i < end && !isSpaceOrTab(text.charCodeAt(i))) return undefined;
  // As `.` in the old pattern, the value cannot hold a line terminator (U+2028 and U+2029 can occur inside a Markdown line).
  for (let k = i; k < end; k++) {
    const c = text.charCodeAt(k);
    if (c === 0x2028 || c === 0x2029 || c === 10 || c === 13) return undefined;
  }
  let valueStart = i;
  while (valueStart < end && isSpaceOrTab(text.charCodeAt(valueStart))) valueStart++;
  let valueEnd = end;
  while (valueEnd > valueStart && isSpaceOrTab(text.charCodeAt(valueEnd - 1))) valueEnd--;
  return { keyStart, keyEnd, valueStart, valueEnd };
}

const DISABLE = 'throughline-disable';
const NEXT_LINE = '-next-line';

/**
 * The suppression directives in the text of an HTML block: `<!-- throughline-disable[-next-line] [rule ...] -->`,
 * whitespace allowed after `<!--` and before `-->`, rule names `[a-z][a-z-]*` separated by spaces or tabs.
 * `end` is the offset just past the `-->`. Scanned by hand, each `<!--` once, with the result of
 * `/<!--\s*throughline-disable(-next-line)?((?:[ \t]+[a-z][a-z-]*)*)\s*-->/g`, including its one
 * backtracking case: a last rule name that ends in `--` right before `>` (`a-->`) gives the `--` back.
 */
function directivesIn(text: string): { nextLine: boolean; rules: string[]; end: number }[] {
  const found: { nextLine: boolean; rules: string[]; end: number }[] = [];
  const n = text.length;
  for (let open = text.indexOf('<!--'); open !== -1;) {
    let k = skipJsWhitespace(text, open + 4);
    let matchEnd = -1;
    let nextLine = false;
    const rules: string[] = [];
    if (text.startsWith(DISABLE, k)) {
      k += DISABLE.length;
      if (text.startsWith(NEXT_LINE, k)) {
        nextLine = true;
        k += NEXT_LINE.length;
      }
      for (;;) {
        let j = k;
        while (j < n && isSpaceOrTab(text.charCodeAt(j))) j++;
        const c = text.charCodeAt(j);
        if (j === k || !(c >= 97 && c <= 122)) break;
        const wordStart = j;
        for (j++; j < n; j++) {
          const d = text.charCodeAt(j);
          if (!((d >= 97 && d <= 122) || d === 45)) break;
        }
        rules.push(text.slice(wordStart, j));
        k = j;
      }
      const close = skipJsWhitespace(text, k);
      if (text.startsWith('-->', close)) {
        matchEnd = close + 3;
      } else if (rules.length && text.charCodeAt(k) === 62 /* > */ && rules[rules.length - 1]!.length >= 3 && rules[rules.length - 1]!.endsWith('--')) {
        rules[rules.length - 1] = rules[rules.length - 1]!.slice(0, -2);
        matchEnd = k + 1;
      }
    }
    if (matchEnd === -1) {
      open = text.indexOf('<!--', open + 1);
    } else {
      found.push({ nextLine, rules, end: matchEnd });
      open = text.indexOf('<!--', matchEnd);
    }
  }
  return found;
}

/**
 * Offset ranges of a paragraph that hold no references: code spans, inline HTML comments,
 * link destinations and autolinks. Only computed for paragraphs that contain a candidate ID.
 * Linear in the paragraph: each character is looked at a bounded number of times, however many
 * backticks, `<!--` or `](` it holds. The ranges are not in order.
 */
function inlineExclusions(text: string, lines: readonly InlineLine[]): [number, number][] {
  const excluded: [number, number][] = [];
  const last = lines[lines.length - 1]!.end;
  // Backtick runs across the paragraph; a run opens a code span only if a run of equal length closes it.
  const runStarts: number[] = [];
  const runLengths: number[] = [];
  // The first `-->` at or after `closeFrom` and at or before `last` (-1: none): comments search forwards only.
  let closeFrom = -1;
  let closeAt = -1;
  const commentClose = (from: number): number => {
    if (closeFrom !== -1 && from >= closeFrom && (closeAt === -1 || closeAt >= from)) return closeAt;
    closeFrom = from;
    closeAt = -1;
    for (let k = from; k <= last; k++) {
      if (text.charCodeAt(k) === 45 && text.startsWith('-->', k)) {
        closeAt = k;
        break;
      }
    }
    return closeAt;
  };
  const linkStarts: number[] = [];
  for (const line of lines) {
    linkStarts.length = 0;
    for (let i = line.start; i < line.end; i++) {
      const c = text.charCodeAt(i);
      if (c === 92 /* \ */) {
        i++;
        continue;
      }
      if (c === 96 /* ` */) {
        let j = i;
        while (j < line.end && text.charCodeAt(j) === 96) j++;
        runStarts.push(i);
        runLengths.push(j - i);
        i = j - 1;
      } else if (c === 60 /* < */) {
        if (text.startsWith('<!--', i)) {
          const close = commentClose(i + 4);
          excluded.push([i, close === -1 ? last : close + 3]);
        } else {
          const autolink = autolinkLength(text, i, line.end);
          if (autolink) excluded.push([i, i + autolink]);
        }
      } else if (c === 93 /* ] */ && text.charCodeAt(i + 1) === 40 /* ( */) {
        linkStarts.push(i);
      }
    }
    if (linkStarts.length) excludeLinkDestinations(text, linkStarts, line.end, excluded);
  }
  // Each run closes at the next run of the same length, if any; found from the right, once.
  const nextSame = new Int32Array(runStarts.length);
  const lastOfLength = new Map<number, number>();
  for (let r = runStarts.length - 1; r >= 0; r--) {
    nextSame[r] = lastOfLength.get(runLengths[r]!) ?? -1;
    lastOfLength.set(runLengths[r]!, r);
  }
  for (let r = 0; r < runStarts.length; r++) {
    const close = nextSame[r]!;
    if (close === -1) continue;
    excluded.push([runStarts[r]!, runStarts[close]! + runLengths[close]!]);
    r = close;
  }
  return excluded;
}

/** Length of the autolink `<scheme:...>` at `i` (scheme of 2-32 characters, no spaces, `<` or `>` after the colon) before `end`, or 0. */
function autolinkLength(text: string, i: number, end: number): number {
  let k = i + 1;
  if (k >= end || !isAsciiLetter(text.charCodeAt(k))) return 0;
  k++;
  const schemeRest = k;
  for (; k < end && k - schemeRest <= 31; k++) {
    const c = text.charCodeAt(k);
    if (!(isAsciiLetter(c) || (c >= 48 && c <= 57) || c === 43 || c === 46 || c === 45)) break;
  }
  if (k - schemeRest < 1 || k - schemeRest > 31 || k >= end || text.charCodeAt(k) !== 58 /* : */) return 0;
  for (k++; k < end; k++) {
    const c = text.charCodeAt(k);
    if (c === 60 || c === 62 || isJsWhitespace(c)) break;
  }
  return k < end && text.charCodeAt(k) === 62 /* > */ ? k + 1 - i : 0;
}

/**
 * The destination of each `](` at `starts` (in order, on one line ending at `end`): from the `(`
 * to the `)` that balances it, or to the end of the line. With `depth(k)` the number of `(` minus
 * `)` up to and including `k`, the balancing `)` is the first `j > i` with `depth(j) = depth(i)`;
 * found for all starts in one pass from the right instead of one scan per start.
 */
function excludeLinkDestinations(text: string, starts: readonly number[], end: number, excluded: [number, number][]): void {
  const from = starts[0]!;
  const length = end - from;
  const depth = new Int32Array(length);
  let d = 0;
  for (let k = 0; k < length; k++) {
    const c = text.charCodeAt(from + k);
    if (c === 40) d++;
    else if (c === 41) d--;
    depth[k] = d;
  }
  // nextAtDepth[depth + length]: the smallest offset seen so far (to the right) with that depth.
  const nextAtDepth = new Int32Array(2 * length + 1).fill(-1);
  let s = starts.length - 1;
  for (let k = length - 1; k >= 0 && s >= 0; k--) {
    if (from + k === starts[s]) {
      const close = nextAtDepth[depth[k]! + length]!;
      excluded.push([from + k + 1, (close === -1 ? end : from + close) + 1]);
      s--;
    }
    nextAtDepth[depth[k]! + length] = k;
  }
}
