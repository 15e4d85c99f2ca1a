/** The kinds of item the strategy model knows. */
export const ITEM_KINDS = ['vision', 'strategy', 'objective', 'keyResult', 'outcome', 'prd', 'requirement'] as const;
export type ItemKind = (typeof ITEM_KINDS)[number];

export const DOCUMENT_TYPES = ['vision', 'strategy', 'prd'] as const;
export type DocumentType = (typeof DOCUMENT_TYPES)[number];

export const STATUSES = ['draft', 'review', 'approved', 'shipped', 'deprecated'] as const;

/**
 * Item statuses (`Status:`, lower-cased) that take a key result out of its objective's progress:
 * `deprecated`, and the words PMs write for a key result they dropped. Counted at 0%, a cancelled
 * key result dragged its objective down with no word of why.
 */
const RETIRED_STATUSES: ReadonlySet<string> = new Set([
  'deprecated',
  'cancelled',
  'canceled',
  'dropped',
  'abandoned',
  'descoped',
  'de-scoped',
  "won't do",
  'wont do',
  'obsolete',
  'superseded',
  'retired',
  'archived',
]);

/**
 * The item's status when it retires the item (see `RETIRED_STATUSES`), else undefined. Read as
 * PMs write it: in any case, emphasised (`**Cancelled**`), with a typographic apostrophe
 * (`Won’t do`, as document tools type it), or followed by a reason (`Cancelled (moved to Q3)`,
 * `Dropped.`, `Descoped — no budget`).
 */
export function retiredStatus(item: { readonly status?: string | undefined }): string | undefined {
  // Only the first 64 characters decide (`readRetiredStatus`): they are the key, so that long
  // statuses neither fill the memo nor hash alike (V8 hashes strings over 16,383 by length).
  const status = item.status?.slice(0, 64);
  if (status === undefined) return undefined;
  // Asked of every requirement and its document whenever coverage or the tree counts them (200,000
  // times at 10,000 PRDs), and statuses are few distinct strings: each is read once.
  let known = retiredByStatus.get(status);
  if (known === undefined) {
    known = readRetiredStatus(status) ?? null;
    if (retiredByStatus.size >= MAX_REMEMBERED_STATUSES) retiredByStatus.clear();
    retiredByStatus.set(status, known);
  }
  return known ?? undefined;
}

const retiredByStatus = new Map<string, string | null>();
const MAX_REMEMBERED_STATUSES = 1024;

function readRetiredStatus(text: string): string | undefined {
  // The words come first and are short: the pattern sees 64 characters at most, so that it stays
  // cheap on a hostile value (its lazy group backtracks over a long run of spaces).
  const words = /^[\s*_~]*([a-z'\u2019 -]*?)[\s*_~]*(?:[(.,;:\u2013\u2014]|\s-\s|$)/i.exec(text)?.[1];
  if (!words) return undefined;
  const status = words
    .toLowerCase()
    .replace(/\u2019/g, "'")
    .trim();
  return RETIRED_STATUSES.has(status) ? status : undefined;
}

/**
 * Whether a requirement is retired: its own `Status:` says so, or its PRD's front-matter status
 * is `deprecated`. A retired requirement delivers nothing: it is out of coverage, the tree and the
 * portfolio, and an outcome only it traces to is an orphan. `items` are its document's.
 */
export function isRetiredRequirement(requirement: Item, items: readonly Item[]): boolean {
  if (retiredStatus(requirement) !== undefined) return true;
  const document = items[0]?.isDocument ? items[0] : items.find((item) => item.isDocument);
  return document !== undefined && retiredStatus(document) !== undefined;
}

export const KIND_LABELS: Record<ItemKind, string> = {
  vision: 'vision',
  strategy: 'strategy',
  objective: 'objective',
  keyResult: 'key result',
  outcome: 'outcome',
  prd: 'PRD',
  requirement: 'requirement',
};

/**
 * A span on one line. Positions are 0-based, characters in UTF-16 code units, as in LSP.
 * Kept as plain numbers rather than LSP `Range` objects: a 10,000-document workspace holds
 * hundreds of thousands of them.
 */
export interface LineSpan {
  readonly line: number;
  readonly start: number;
  readonly end: number;
}

/**
 * `Key: value` under an item: a line after its definition, a nested `- Key: value` bullet, or a
 * table cell (`TableCellAttribute`: the key is then the column's header cell, on `keyLine`).
 * Positions are stored as numbers and spans made on demand: a large workspace has hundreds of
 * thousands of attributes, and two span objects each would double the objects the garbage
 * collector has to trace. For the same reason the key's line, which differs from the value's only
 * in a table, is a field of table cells alone (8 bytes less per attribute, about 2 million attributes
 * at 100,000 PRDs).
 */
export class Attribute {
  /** Lower-cased key, used for lookups. */
  readonly name: string;

  constructor(
    /** The key as written. */
    readonly key: string,
    readonly value: string,
    readonly line: number,
    readonly keyStart: number,
    readonly valueStart: number,
    /** The lower-cased name when it differs from the key (a table header such as `Due date` is `due`). */
    name?: string,
  ) {
    this.name = name ?? key.toLowerCase();
  }

  /** The line of the key: the value's line, but for a table cell. */
  get keyLine(): number {
    return this.line;
  }

  get keySpan(): LineSpan {
    return { line: this.keyLine, start: this.keyStart, end: this.keyStart + this.key.length };
  }

  get valueSpan(): LineSpan {
    return { line: this.line, start: this.valueStart, end: this.valueStart + this.value.length };
  }
}

/** A table cell as an attribute of its row's item: the key is the column's header cell. */
export class TableCellAttribute extends Attribute {
  constructor(
    key: string,
    value: string,
    line: number,
    keyStart: number,
    valueStart: number,
    /** The header row's line. */
    private readonly headerLine: number,
    name?: string,
  ) {
    super(key, value, line, keyStart, valueStart, name);
  }

  override get keyLine(): number {
    return this.headerLine;
  }
}

export interface Item {
  readonly id: string;
  readonly kind: ItemKind;
  readonly title: string;
  readonly uri: string;
  /** Where the ID is written in its definition (the front-matter `id` value for documents). */
  readonly idSpan: LineSpan;
  /** The defining line (heading, list item line, or the front-matter `id` line). */
  readonly line: number;
  /** Last line of the item's section: the line before the next heading of the same or higher level, or the list item's last line. */
  readonly endLine: number;
  /** Heading depth for heading items, 0 for list items and documents. */
  readonly depth: number;
  readonly attributes: readonly Attribute[];
  /** The objective enclosing a key result, or the document item enclosing a body item. */
  readonly parentId?: string;
  /** The document item (front-matter `id`) of the file, when it has one. */
  readonly documentId?: string;
  readonly status?: string;
  readonly owner?: string;
  /** True for the item defined by the front-matter `id`. */
  readonly isDocument: boolean;
  /** True for an item defined by a table row: its attributes are cells, and no line can be added below it. */
  readonly inTable?: boolean;
}

/**
 * An item as the indexer makes it. The ID's span is kept as three numbers and made into a
 * `LineSpan` when asked for, as `IndexedReference` does: at 10,000 PRDs that is 111,000 objects
 * fewer. Every field is set, in one order, so all items share one shape. Its kind, heading depth
 * and its two flags are one small integer (`traits`) read through getters: three fields fewer,
 * 24 bytes less per item.
 */
export class IndexedItem implements Item {
  readonly id: string;
  readonly title: string;
  readonly uri: string;
  readonly idLine: number;
  readonly idStart: number;
  readonly idEnd: number;
  readonly line: number;
  readonly endLine: number;
  readonly attributes: readonly Attribute[];
  readonly parentId: string | undefined;
  readonly documentId: string | undefined;
  readonly status: string | undefined;
  readonly owner: string | undefined;
  /** Bits 0–2 the kind's place in `ITEM_KINDS`, bit 3 `isDocument`, bit 4 `inTable`, from bit 5 `depth`. */
  private readonly traits: number;

  constructor(fields: Item) {
    this.id = fields.id;
    this.title = fields.title;
    this.uri = fields.uri;
    this.idLine = fields.idSpan.line;
    this.idStart = fields.idSpan.start;
    this.idEnd = fields.idSpan.end;
    this.line = fields.line;
    this.endLine = fields.endLine;
    this.attributes = fields.attributes;
    this.parentId = fields.parentId;
    this.documentId = fields.documentId;
    this.status = fields.status;
    this.owner = fields.owner;
    this.traits = KIND_NUMBERS[fields.kind] | (fields.isDocument ? IS_DOCUMENT : 0) | (fields.inTable ? IN_TABLE : 0) | (fields.depth << DEPTH_SHIFT);
  }

  get kind(): ItemKind {
    return ITEM_KINDS[this.traits & KIND_MASK]!;
  }

  get depth(): number {
    return this.traits >>> DEPTH_SHIFT;
  }

  get isDocument(): boolean {
    return (this.traits & IS_DOCUMENT) !== 0;
  }

  /** `true` or absent, as on an `Item` written out. */
  get inTable(): true | undefined {
    return (this.traits & IN_TABLE) !== 0 ? true : undefined;
  }

  get idSpan(): LineSpan {
    return { line: this.idLine, start: this.idStart, end: this.idEnd };
  }
}

const KIND_MASK = 0b111;
const IS_DOCUMENT = 0b1000;
const IN_TABLE = 0b10000;
const DEPTH_SHIFT = 5;
const KIND_NUMBERS = Object.fromEntries(ITEM_KINDS.map((kind, number) => [kind, number])) as Record<ItemKind, number>;

/** Where a reference is written, which decides which kinds it may name and how severe an unknown one is. */
export type ReferenceContext = 'traces' | 'supports' | 'frontMatterVision' | 'frontMatterOutcomes' | 'prose';

export const LINK_CONTEXTS: ReadonlySet<ReferenceContext> = new Set(['traces', 'supports', 'frontMatterVision', 'frontMatterOutcomes']);

/** Which kinds each link context may name. */
export const EXPECTED_KINDS: Readonly<Record<Exclude<ReferenceContext, 'prose'>, readonly ItemKind[]>> = {
  traces: ['outcome'],
  supports: ['objective', 'keyResult'],
  frontMatterVision: ['vision'],
  frontMatterOutcomes: ['outcome'],
};

export interface Reference {
  readonly id: string;
  readonly uri: string;
  readonly span: LineSpan;
  readonly context: ReferenceContext;
  /** The item whose attribute or front-matter holds the reference. */
  readonly fromId?: string;
}

/**
 * A reference as the index stores it: flat numbers, the span made on demand (see `Attribute`). Its
 * line and context are one number (`lineAndContext`, the line times 8 plus the context's number in
 * `CONTEXT_NUMBERS`) read through getters: 8 bytes less per reference, about 1.5 million
 * references at 100,000 PRDs. (Arithmetic, not bit operations, so that any line a string can hold is exact.)
 */
export class IndexedReference implements Reference {
  private readonly lineAndContext: number;

  constructor(
    readonly id: string,
    readonly uri: string,
    line: number,
    readonly start: number,
    readonly end: number,
    context: ReferenceContext,
    readonly fromId: string | undefined,
  ) {
    this.lineAndContext = line * CONTEXT_SLOTS + CONTEXT_NUMBERS[context];
  }

  get line(): number {
    return Math.floor(this.lineAndContext / CONTEXT_SLOTS);
  }

  get context(): ReferenceContext {
    return REFERENCE_CONTEXTS[this.lineAndContext % CONTEXT_SLOTS]!;
  }

  get span(): LineSpan {
    return { line: this.line, start: this.start, end: this.end };
  }
}

/** Each reference context's number in `IndexedReference` (a record, so that the compiler asks for a new context's). */
const CONTEXT_NUMBERS: Readonly<Record<ReferenceContext, number>> = { traces: 0, supports: 1, frontMatterVision: 2, frontMatterOutcomes: 3, prose: 4 };
const REFERENCE_CONTEXTS = Object.keys(CONTEXT_NUMBERS).sort(
  (a, b) => CONTEXT_NUMBERS[a as ReferenceContext] - CONTEXT_NUMBERS[b as ReferenceContext],
) as ReferenceContext[];
const CONTEXT_SLOTS = 8;

export type Severity = 'error' | 'warning' | 'info' | 'hint';

export interface RelatedLocation {
  readonly uri: string;
  readonly span: LineSpan;
  readonly message: string;
}

/** A problem found while parsing one document (front-matter, malformed attributes). */
export interface ParseProblem {
  readonly rule: string;
  readonly severity: Severity;
  readonly message: string;
  readonly span: LineSpan;
  readonly endLine?: number;
  readonly endCharacter?: number;
  /** What a quick fix writes over `span` (near-miss definitions). */
  readonly replacement?: string;
  /**
   * Set on a possible definition (`- REQ-14 Export`: a plain list item, an ID and a capitalised
   * title without separator): the ID, which is then a prose reference; the problem is reported
   * only when that ID is defined nowhere in the workspace (else the line is a list of IDs).
   */
  readonly unlessDefined?: string;
}

/** Inline suppression comments of one document. */
export interface Suppressions {
  /** Rules disabled for the whole file; `*` disables all. */
  readonly file: ReadonlySet<string>;
  /** Line → rules disabled on that line. */
  readonly lines: ReadonlyMap<number, ReadonlySet<string>>;
}

export interface FrontMatterInfo {
  readonly type: DocumentType;
  readonly data: Readonly<Record<string, unknown>>;
  /** First and last line of the front-matter block (the `---` lines). */
  readonly startLine: number;
  readonly endLine: number;
  /** Where the top-level keys that health rules and quick fixes point at are written (`updated`, `innovation_mix`, `outcomes`). */
  readonly keySpans: ReadonlyMap<string, LineSpan>;
}

/** Everything the workspace needs to know about one document; derived from its text alone. */
export interface DocumentIndex {
  readonly uri: string;
  readonly version: number;
  /** False for Markdown files that do not take part (no strategy front-matter). */
  readonly participates: boolean;
  readonly frontMatter?: FrontMatterInfo;
  readonly items: readonly Item[];
  readonly references: readonly Reference[];
  readonly problems: readonly ParseProblem[];
  readonly suppressions: Suppressions;
  readonly lineCount: number;
  /** Length of the last line, so edits can be appended to a document that is not open. */
  readonly lastLineLength: number;
  /** Heading sections (all headings, not just items) as flat triples `line, endLine, depth`, for folding. */
  readonly sections: Int32Array;
  /** Code blocks and HTML blocks spanning several lines, for folding. */
  readonly foldableBlocks: readonly { startLine: number; endLine: number; kind: 'code' | 'comment' | 'region' }[];
}

export interface Section {
  line: number;
  endLine: number;
  readonly depth: number;
}

/** An item's `Key: value` attribute by lower-cased key. */
export function attributeOf(item: Item, name: string): Attribute | undefined {
  return item.attributes.find((attribute) => attribute.name === name);
}

/** "an outcome", "a key result", "a PRD". */
export function withArticle(kind: ItemKind): string {
  const label = KIND_LABELS[kind];
  return `${/^[aeiou]/i.test(label) ? 'an' : 'a'} ${label}`;
}
