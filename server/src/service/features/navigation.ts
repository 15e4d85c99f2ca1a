import type { Location } from 'vscode-languageserver-types';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { toRange } from '../model/ranges';
import { idAtPosition, type Position, type ServiceState } from '../workspace/state';

/** Go to definition: every place the ID under the cursor is defined (several when it is duplicated). */
export function provideDefinition(state: ServiceState, document: TextDocument, position: Position): Location[] {
  const index = state.currentIndex(document);
  if (!index?.participates) return [];
  const found = idAtPosition(index, position);
  if (!found) return [];
  return state.graph.definitionsOf(found.id).map((item) => ({ uri: item.uri, range: toRange(item.idSpan) }));
}

/** Find all references: every place that names the ID, optionally with its definitions. */
export function provideReferences(state: ServiceState, document: TextDocument, position: Position, includeDeclaration: boolean): Location[] {
  const index = state.currentIndex(document);
  if (!index?.participates) return [];
  const found = idAtPosition(index, position);
  if (!found) return [];
  const locations: Location[] = [];
  if (includeDeclaration) for (const item of state.graph.definitionsOf(found.id)) locations.push({ uri: item.uri, range: toRange(item.idSpan) });
  for (const reference of state.graph.referencesTo(found.id)) locations.push({ uri: reference.uri, range: toRange(reference.span) });
  return locations;
}
