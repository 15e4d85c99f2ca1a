import type { Range, TextEdit, WorkspaceEdit } from 'vscode-languageserver-types';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { toRange } from '../model/ranges';
import { KIND_LABELS, withArticle } from '../model/model';
import { ID_PATTERN } from '../model/schemas';
import type { Item } from '../model/model';
import { headingSlugs, markdownLinksOf } from '../parse/markdownLinks';
import { decodeAnchor, linkTargetUri } from '../workspace/linkTargets';
import { idAtPosition, type Position, type ServiceState } from '../workspace/state';

export class RenameError extends Error {}

export function prepareRename(state: ServiceState, document: TextDocument, position: Position): { range: Range; placeholder: string } | undefined {
  const index = state.currentIndex(document);
  if (!index?.participates) return undefined;
  const found = idAtPosition(index, position);
  if (!found) return undefined;
  if (state.graph.definitionCount(found.id) === 0) throw new RenameError(`${found.id} is not defined anywhere, so there is nothing to rename.`);
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
  if (graph.definitionCount(newId) > 0) throw new RenameError(`${newId} is already defined in ${state.displayPath(graph.definition(newId)!.uri)}.`);
  const changes: Record<string, TextEdit[]> = {};
  const add = (uri: string, range: Range, newText = newId) => (changes[uri] ??= []).push({ range, newText });
  for (const item of definitions) add(item.uri, toRange(item.idSpan));
  for (const reference of graph.referencesTo(oldId)) add(reference.uri, toRange(reference.span));
  for (const item of definitions) renameAnchors(state, item, oldId, newId, add);
  return { changes };
}

/**
 * When the ID is written in a heading, the heading's anchor changes with it (`#out-3-…` →
 * `#out-9-…`): every link in the workspace that leads to the old anchor of that document is
 * updated. Anchors are recomputed for the whole document, so numbered repeats stay right.
 */
function renameAnchors(state: ServiceState, item: Item, oldId: string, newId: string, add: (uri: string, range: Range, text: string) => void): void {
  if (item.isDocument || item.depth === 0) return;
  const headings = state.graph.headingsOf(item.uri);
  const at = headings?.findIndex((heading) => heading.line === item.line) ?? -1;
  if (!headings || at === -1) return;
  const texts = headings.map((heading) => heading.text);
  texts[at] = texts[at]!.replace(oldId, newId);
  const oldSlug = headings[at]!.slug;
  const newSlug = headingSlugs(texts)[at]!;
  if (newSlug === oldSlug) return;
  for (const document of state.graph.allDocuments()) {
    for (const link of markdownLinksOf(document).links) {
      if (link.anchor === undefined || decodeAnchor(link.anchor) !== oldSlug || linkTargetUri(document.uri, link.path) !== item.uri) continue;
      const anchorStart = link.end - link.anchor.length;
      add(document.uri, toRange({ line: link.line, start: anchorStart, end: link.end }), newSlug);
    }
  }
}
