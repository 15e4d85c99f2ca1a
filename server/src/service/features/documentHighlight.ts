import { DocumentHighlightKind, type DocumentHighlight } from 'vscode-languageserver-types';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { toRange } from '../model/ranges';
import { idAtPosition, type Position, type ServiceState } from '../workspace/state';

/**
 * Every occurrence in this document of the ID under the cursor, in document order: where it is
 * defined as `Write`, where it is named as `Read`. The same for a known or an unknown ID.
 */
export function provideDocumentHighlights(state: ServiceState, document: TextDocument, position: Position): DocumentHighlight[] {
  const index = state.currentIndex(document);
  if (!index?.participates) return [];
  const found = idAtPosition(index, position);
  if (!found) return [];
  const highlights: DocumentHighlight[] = [];
  for (const item of index.items) if (item.id === found.id) highlights.push({ range: toRange(item.idSpan), kind: DocumentHighlightKind.Write });
  for (const reference of index.references)
    if (reference.id === found.id) highlights.push({ range: toRange(reference.span), kind: DocumentHighlightKind.Read });
  return highlights.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
}
