import type { Range, TextEdit, WorkspaceEdit } from 'vscode-languageserver-types';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { toRange } from '../model/ranges';
import { KIND_LABELS, withArticle } from '../model/model';
import { ID_PATTERN } from '../model/schemas';
import { idAtPosition, type Position, type ServiceState } from '../workspace/state';

export class RenameError extends Error {}

export function prepareRename(state: ServiceState, document: TextDocument, position: Position): { range: Range; placeholder: string } | undefined {
  const index = state.currentIndex(document);
  if (!index?.participates) return undefined;
  const found = idAtPosition(index, position);
  if (!found) return undefined;
  if (state.graph.definitionsOf(found.id).length === 0) throw new RenameError(`${found.id} is not defined anywhere, so there is nothing to rename.`);
  return { range: toRange(found.span), placeholder: found.id };
}

/** Renames an ID everywhere: its definitions (front-matter `id` or heading) and every reference. */
export function provideRenameEdits(state: ServiceState, document: TextDocument, position: Position, newName: string): WorkspaceEdit | undefined {
  const index = state.currentIndex(document);
  if (!index?.participates) return undefined;
  const found = idAtPosition(index, position);
  if (!found) return undefined;
  return renameId(state, found.id, newName.trim());
}

function renameId(state: ServiceState, oldId: string, newId: string): WorkspaceEdit {
  const { graph, config, syntax } = state;
  const definitions = graph.definitionsOf(oldId);
  if (definitions.length === 0) throw new RenameError(`${oldId} is not defined anywhere, so there is nothing to rename.`);
  if (!ID_PATTERN.test(newId))
    throw new RenameError(`"${newId}" is not a valid ID: use an uppercase prefix, "-", then letters, digits, ".", "-" or "_" (e.g. OUT-12).`);
  if (newId === oldId) return { changes: {} };
  const kind = definitions[0]!.kind;
  const newKind = config.prefixes.get(syntax.prefixOf(newId));
  if (newKind !== kind) {
    throw new RenameError(`${newId} would not be ${withArticle(kind)}: its prefix ${newKind ? `is for ${KIND_LABELS[newKind]}s` : 'is not configured'}.`);
  }
  if (graph.definitionsOf(newId).length > 0) throw new RenameError(`${newId} is already defined in ${state.displayPath(graph.definition(newId)!.uri)}.`);
  const changes: Record<string, TextEdit[]> = {};
  const add = (uri: string, range: Range) => (changes[uri] ??= []).push({ range, newText: newId });
  for (const item of definitions) add(item.uri, toRange(item.idSpan));
  for (const reference of graph.referencesTo(oldId)) add(reference.uri, toRange(reference.span));
  return { changes };
}
