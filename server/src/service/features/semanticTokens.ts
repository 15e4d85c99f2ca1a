import type { Range, SemanticTokens, SemanticTokensLegend } from 'vscode-languageserver-types';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Item, ItemKind } from '../model/model';
import type { ServiceState } from '../workspace/state';
import type { WorkspaceGraph } from '../workspace/workspaceGraph';

/**
 * Token types, all standard ones so that editors colour them without a theme rule of ours: one per
 * item kind (a theme or the user can tell the levels of the chain apart), `property` for attribute
 * keys, and `variable` for an ID whose prefix is not configured (it has no kind).
 */
const TOKEN_TYPES = ['namespace', 'type', 'class', 'enumMember', 'event', 'struct', 'function', 'property', 'variable'] as const;
type TokenType = (typeof TOKEN_TYPES)[number];

/**
 * `declaration`: where the ID is defined. `deprecated`: the item, or the document holding it, is
 * deprecated (as `deprecated-target` sees it). `unresolved` (not a standard modifier): no item has this
 * ID; the `unknown-reference` diagnostic already underlines it, the modifier lets a theme colour it.
 */
const TOKEN_MODIFIERS = ['declaration', 'deprecated', 'unresolved'] as const;
type TokenModifier = (typeof TOKEN_MODIFIERS)[number];

/** The legend to announce in `semanticTokensProvider`; token indexes below are positions in these lists. */
export const SEMANTIC_TOKENS_LEGEND: SemanticTokensLegend = { tokenTypes: [...TOKEN_TYPES], tokenModifiers: [...TOKEN_MODIFIERS] };

/** The symbol kinds of the outline (symbols.ts) in token types: vision and strategy are containers, a requirement is what gets done. */
const KIND_TOKEN: Record<ItemKind, TokenType> = {
  vision: 'namespace',
  strategy: 'type',
  objective: 'class',
  keyResult: 'enumMember',
  outcome: 'event',
  prd: 'struct',
  requirement: 'function',
};

const typeIndex = (type: TokenType) => TOKEN_TYPES.indexOf(type);
const modifierBit = (modifier: TokenModifier) => 1 << TOKEN_MODIFIERS.indexOf(modifier);
const DECLARATION = modifierBit('declaration');
const DEPRECATED = modifierBit('deprecated');
const UNRESOLVED = modifierBit('unresolved');
const PROPERTY = typeIndex('property');
const VARIABLE = typeIndex('variable');

/**
 * Semantic tokens of one document: IDs by kind (definitions, references, unknown IDs) and attribute
 * keys, for the whole document or the lines of `range`. Linear in the document: each token costs a
 * map lookup, and tokens are ordered by a counting sort on lines.
 */
export function provideSemanticTokens(state: ServiceState, document: TextDocument, range?: Range): SemanticTokens {
  const index = state.currentIndex(document);
  if (!index?.participates) return { data: [] };
  const { graph, config, syntax } = state;
  const firstLine = range ? range.start.line : 0;
  const lastLine = range ? range.end.line : index.lineCount - 1;
  const tokens = new TokenList(index.lineCount);
  const add = (line: number, start: number, end: number, type: number, modifiers: number) => {
    if (line >= firstLine && line <= lastLine && end > start) tokens.add(line, start, end - start, type, modifiers);
  };

  const isDeprecated = deprecation(graph);
  const idToken = (item: Item | undefined, id: string): [type: number, modifiers: number] => {
    if (!item) {
      const kind = config.prefixes.get(syntax.prefixOf(id));
      return [kind ? typeIndex(KIND_TOKEN[kind]) : VARIABLE, UNRESOLVED];
    }
    return [typeIndex(KIND_TOKEN[item.kind]), isDeprecated(item) ? DEPRECATED : 0];
  };

  // A table cell's key is its column's header cell, shared by every row of the table: added once.
  const headerKeys = new Set<string>();
  for (const item of index.items) {
    const [type, modifiers] = idToken(item, item.id);
    add(item.idSpan.line, item.idSpan.start, item.idSpan.end, type, modifiers | DECLARATION);
    for (const attribute of item.attributes) {
      const key = attribute.keySpan;
      if (attribute.keyLine !== attribute.line) {
        const where = `${key.line}:${key.start}`;
        if (headerKeys.has(where)) continue;
        headerKeys.add(where);
      }
      add(key.line, key.start, key.end, PROPERTY, 0);
    }
  }
  for (const reference of index.references) {
    const [type, modifiers] = idToken(graph.definition(reference.id), reference.id);
    const span = reference.span;
    add(span.line, span.start, span.end, type, modifiers);
  }
  return { data: tokens.encode() };
}

/**
 * Whether an item is deprecated, or sits in a deprecated document (as `deprecated-target` reads it).
 * Each document's own item is looked up once per answer: many IDs lead to the same few documents.
 */
export function deprecation(graph: WorkspaceGraph): (item: Item) => boolean {
  const deprecatedDocuments = new Map<string, boolean>();
  return (item) => {
    if (item.status?.toLowerCase() === 'deprecated') return true;
    if (item.isDocument) return false;
    let deprecated = deprecatedDocuments.get(item.uri);
    if (deprecated === undefined) {
      deprecated = graph.documentItem(item.uri)?.status?.toLowerCase() === 'deprecated';
      deprecatedDocuments.set(item.uri, deprecated);
    }
    return deprecated;
  };
}

/** Tokens collected in any order, encoded in position order as LSP's relative five-number groups. */
class TokenList {
  private readonly values: number[] = [];

  constructor(private readonly lineCount: number) {}

  add(line: number, start: number, length: number, type: number, modifiers: number): void {
    if (line < 0 || line >= this.lineCount) return;
    this.values.push(line, start, length, type, modifiers);
  }

  encode(): number[] {
    const values = this.values;
    const count = values.length / 5;
    // Counting sort on the line (linear), then by start within each line.
    const perLine = new Int32Array(this.lineCount + 1);
    for (let token = 0; token < count; token++) perLine[values[token * 5]! + 1]!++;
    for (let line = 0; line < this.lineCount; line++) perLine[line + 1]! += perLine[line]!;
    const order = new Int32Array(count);
    const next = perLine.slice(0, this.lineCount);
    for (let token = 0; token < count; token++) order[next[values[token * 5]!]!++] = token;
    const data: number[] = [];
    let previousLine = 0;
    let previousStart = 0;
    let previousEnd = 0;
    for (let line = 0; line < this.lineCount; line++) {
      const from = perLine[line]!;
      const to = perLine[line + 1]!;
      if (from === to) continue;
      const onLine = Array.from(order.subarray(from, to));
      if (onLine.length > 1) onLine.sort((a, b) => values[a * 5 + 1]! - values[b * 5 + 1]!);
      for (const token of onLine) {
        const start = values[token * 5 + 1]!;
        // Tokens may not overlap; the index never makes overlapping spans, but one too many is dropped rather than sent.
        if (line === previousLine && start < previousEnd) continue;
        data.push(
          line - previousLine,
          line === previousLine ? start - previousStart : start,
          values[token * 5 + 2]!,
          values[token * 5 + 3]!,
          values[token * 5 + 4]!,
        );
        previousLine = line;
        previousStart = start;
        previousEnd = start + values[token * 5 + 2]!;
      }
    }
    return data;
  }
}
