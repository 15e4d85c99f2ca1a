import { SymbolKind, type DocumentSymbol, type WorkspaceSymbol } from 'vscode-languageserver-types';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { toRange } from '../model/ranges';
import { KIND_LABELS, type DocumentIndex, type Item, type ItemKind } from '../model/model';
import type { ServiceState } from '../workspace/state';

/** The symbol kind an item shows with, in the outline, workspace symbols and the call hierarchy. */
export const SYMBOL_KIND: Record<ItemKind, SymbolKind> = {
  vision: SymbolKind.Package,
  strategy: SymbolKind.Namespace,
  objective: SymbolKind.Class,
  keyResult: SymbolKind.Field,
  outcome: SymbolKind.Event,
  prd: SymbolKind.Module,
  requirement: SymbolKind.Function,
};

/** The outline: items nested by where they are written (a key result inside its objective's section). */
export function provideDocumentSymbols(index: DocumentIndex | undefined, document: TextDocument): DocumentSymbol[] {
  if (!index?.participates) return [];
  // Ranges end at the end of an item's last line, so its attribute lines are inside it.
  const endOf = (line: number) => ({
    line,
    character: document.getText({ start: { line, character: 0 }, end: { line: line + 1, character: 0 } }).replace(/(?:\r\n|\r|\n)$/, '').length,
  });
  const roots: DocumentSymbol[] = [];
  const stack: { item: Item; symbol: DocumentSymbol }[] = [];
  const body = index.items.filter((item) => !item.isDocument).sort((a, b) => a.line - b.line || b.endLine - a.endLine);
  for (const item of body) {
    while (stack.length && stack[stack.length - 1]!.item.endLine < item.line) stack.pop();
    const parent = stack[stack.length - 1];
    // A child never reaches past its parent, even when a list item's last line is the section's last.
    const endLine = parent ? Math.min(item.endLine, parent.item.endLine) : item.endLine;
    const symbol: DocumentSymbol = {
      name: `${item.id}: ${item.title}`,
      detail: KIND_LABELS[item.kind],
      kind: SYMBOL_KIND[item.kind],
      range: { start: { line: item.line, character: 0 }, end: endOf(endLine) },
      selectionRange: toRange(item.idSpan),
      children: [],
    };
    if (parent) parent.symbol.children!.push(symbol);
    else roots.push(symbol);
    stack.push({ item, symbol });
  }
  const documentItem = index.items.find((item) => item.isDocument);
  if (!documentItem) return roots;
  const lastLine = Math.max(0, document.lineCount - 1);
  return [
    {
      name: `${documentItem.id}: ${documentItem.title}`,
      detail: KIND_LABELS[documentItem.kind],
      kind: SYMBOL_KIND[documentItem.kind],
      range: { start: { line: 0, character: 0 }, end: endOf(lastLine) },
      selectionRange: toRange(documentItem.idSpan),
      children: roots,
    },
  ];
}

/** Workspace symbols: IDs and titles matching the query as a case-insensitive subsequence, capped for huge workspaces. */
export function provideWorkspaceSymbols(state: ServiceState, query: string, limit = 1000): WorkspaceSymbol[] {
  const needle = query.toLowerCase().replace(/\s+/g, '');
  const results: WorkspaceSymbol[] = [];
  for (const item of state.graph.allItems()) {
    if (needle && !isSubsequence(needle, `${item.id}${item.title}`.toLowerCase())) continue;
    results.push({
      name: `${item.id}: ${item.title}`,
      kind: SYMBOL_KIND[item.kind],
      containerName: state.displayPath(item.uri),
      location: { uri: item.uri, range: toRange(item.idSpan) },
    });
    if (results.length >= limit) break;
  }
  return results;
}

function isSubsequence(needle: string, haystack: string): boolean {
  let position = 0;
  for (let i = 0; i < needle.length; i++) {
    position = haystack.indexOf(needle[i]!, position);
    if (position === -1) return false;
    position++;
  }
  return true;
}
