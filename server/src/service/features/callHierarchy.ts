import { SYMBOL_KIND } from './symbols';
import { SymbolTag, type CallHierarchyIncomingCall, type CallHierarchyItem, type CallHierarchyOutgoingCall, type Range } from 'vscode-languageserver-types';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { toRange } from '../model/ranges';
import { KIND_LABELS, LINK_CONTEXTS, type Item, type LineSpan } from '../model/model';
import { keyResultsOf, linksFromItem, objectivesOf } from '../workspace/relations';
import { idAtPosition, type Position, type ServiceState } from '../workspace/state';
import type { WorkspaceGraph } from '../workspace/workspaceGraph';
import { deprecation } from './semanticTokens';

/**
 * The call hierarchy is the trace chain: an item "calls" what it serves. Outgoing calls are the
 * links it makes (requirement → outcome, outcome → key result or objective, PRD → outcome,
 * strategy → vision) and, for a key result or an objective, the item it is written under (key
 * result → objective → strategy), as `chainToVision` climbs. Incoming calls are exactly the
 * reverse, so expanding either way walks the same edges.
 */

/** What a `CallHierarchyItem` carries for the follow-up requests; the item's `uri` picks the definition when the ID is duplicated. */
export interface CallHierarchyData {
  readonly id: string;
}

/** The item whose ID is under the cursor (its definition here, else the one navigation goes to). */
export function prepareCallHierarchy(state: ServiceState, document: TextDocument, position: Position): CallHierarchyItem[] {
  const index = state.currentIndex(document);
  if (!index?.participates) return [];
  const found = idAtPosition(index, position);
  const item = found && (found.item ?? state.graph.definition(found.id));
  return item ? [hierarchyItem(state, item)] : [];
}

/** The items that serve `target`: each with the ranges, in its own document, of the links (or the definition) that make it so. */
export function provideIncomingCalls(state: ServiceState, target: CallHierarchyItem): CallHierarchyIncomingCall[] {
  const { graph } = state;
  const item = itemOf(graph, target);
  if (!item) return [];
  const calls = new Map<Item, Range[]>();
  const add = (source: Item, span: LineSpan) => {
    const ranges = calls.get(source);
    if (ranges) ranges.push(toRange(span));
    else calls.set(source, [toRange(span)]);
  };
  for (const reference of graph.referencesTo(item.id)) {
    if (reference.fromId === undefined || !LINK_CONTEXTS.has(reference.context)) continue;
    const source = definitionIn(graph, reference.fromId, reference.uri);
    if (source) add(source, reference.span);
  }
  for (const child of [...keyResultsOf(graph, item.id), ...objectivesOf(graph, item.id)]) add(child, child.idSpan);
  const isDeprecated = deprecation(graph);
  return [...calls]
    .sort(([a], [b]) => (a.uri < b.uri ? -1 : a.uri > b.uri ? 1 : a.idSpan.line - b.idSpan.line || a.idSpan.start - b.idSpan.start))
    .map(([source, fromRanges]) => ({ from: hierarchyItem(state, source, isDeprecated), fromRanges }));
}

/** What `source` serves: each target with the ranges, in `source`'s document, of the links (or the definition) that point to it. */
export function provideOutgoingCalls(state: ServiceState, source: CallHierarchyItem): CallHierarchyOutgoingCall[] {
  const { graph } = state;
  const item = itemOf(graph, source);
  if (!item) return [];
  const calls = new Map<Item, Range[]>();
  const add = (target: Item, span: LineSpan) => {
    const ranges = calls.get(target);
    if (ranges) ranges.push(toRange(span));
    else calls.set(target, [toRange(span)]);
  };
  for (const reference of linksFromItem(graph, item)) {
    const target = graph.definition(reference.id);
    if (target) add(target, reference.span);
  }
  const parent = enclosingParent(graph, item);
  if (parent) add(parent, item.idSpan);
  const isDeprecated = deprecation(graph);
  return [...calls].map(([target, fromRanges]) => ({ to: hierarchyItem(state, target, isDeprecated), fromRanges }));
}

/** The item a key result or an objective is written under: the step hover's chains take for them. */
function enclosingParent(graph: WorkspaceGraph, item: Item): Item | undefined {
  if (item.kind !== 'keyResult' && item.kind !== 'objective') return undefined;
  // keyResultsOf / objectivesOf (the incoming side) find children by `parentId`: the same edge.
  return item.parentId === undefined ? undefined : definitionIn(graph, item.parentId, item.uri);
}

/** The definition of `id` in `uri`, else the first one: a link's source is an item of the link's own document. */
function definitionIn(graph: WorkspaceGraph, id: string, uri: string): Item | undefined {
  const first = graph.definition(id);
  if (first === undefined || first.uri === uri) return first;
  return graph.definitionsOf(id).find((definition) => definition.uri === uri) ?? first;
}

/** The item a client sends back: the ID from `data` (checked: client input), the definition in the item's URI when there is one. */
function itemOf(graph: WorkspaceGraph, hierarchy: CallHierarchyItem): Item | undefined {
  const sent: unknown = hierarchy;
  if (sent === null || typeof sent !== 'object') return undefined;
  const { data, uri } = sent as { data?: unknown; uri?: unknown };
  if (data === null || typeof data !== 'object' || !Object.hasOwn(data, 'id')) return undefined;
  const id = (data as { id: unknown }).id;
  if (typeof id !== 'string') return undefined;
  return definitionIn(graph, id, typeof uri === 'string' ? uri : '');
}

function hierarchyItem(state: ServiceState, item: Item, isDeprecated = deprecation(state.graph)): CallHierarchyItem {
  const data: CallHierarchyData = { id: item.id };
  return {
    name: item.id,
    kind: SYMBOL_KIND[item.kind],
    detail: item.title || KIND_LABELS[item.kind],
    ...(isDeprecated(item) ? { tags: [SymbolTag.Deprecated] } : {}),
    uri: item.uri,
    range: sectionRange(state, item),
    selectionRange: toRange(item.idSpan),
    data,
  };
}

/** The item's lines, from its defining line (a document's first line) to the end of its last line. */
function sectionRange(state: ServiceState, item: Item): Range {
  const start = { line: item.isDocument ? 0 : item.line, character: 0 };
  const index = state.graph.document(item.uri);
  if (!index) return toRange(item.idSpan);
  // Other documents' texts are not at hand: the end of a line is the start of the next, or the length of the last.
  const end = item.endLine + 1 < index.lineCount ? { line: item.endLine + 1, character: 0 } : { line: index.lineCount - 1, character: index.lastLineLength };
  return { start, end };
}
