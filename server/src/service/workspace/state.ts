import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { ThroughlineConfig } from '../model/config';
import type { IdSyntax } from '../parse/ids';
import type { DocumentIndex, Item, LineSpan, Reference } from '../model/model';
import { linksFromItem } from './relations';
import type { WorkspaceGraph } from './workspaceGraph';
import type { HistoryQueries } from '../history/strategyHistory';

/** The read-only view of the workspace that every feature module works on. */
export interface ServiceState {
  readonly graph: WorkspaceGraph;
  readonly config: ThroughlineConfig;
  readonly syntax: IdSyntax;
  /** The index of `document` if it is current for that version, else undefined (stale requests get empty answers). */
  currentIndex(document: TextDocument): DocumentIndex | undefined;
  /** Workspace-relative path for display. */
  displayPath(uri: string): string;
  /** The strategy's git history with working edits on top (check-ins); answers "unknown" when none was read. */
  readonly history: HistoryQueries;
  /** The date views measure against (Due passed, pace to date), as rules do. */
  today(): Date;
}

export type Position = { readonly line: number; readonly character: number };

/** The ID under the cursor: a definition or a reference, with where it is written. */
interface IdAtPosition {
  readonly id: string;
  readonly span: LineSpan;
  readonly item?: Item;
  readonly reference?: Reference;
}

function contains(span: LineSpan, position: Position): boolean {
  return span.line === position.line && position.character >= span.start && position.character <= span.end;
}

export function idAtPosition(index: DocumentIndex, position: Position): IdAtPosition | undefined {
  for (const item of index.items) if (contains(item.idSpan, position)) return { id: item.id, span: item.idSpan, item };
  for (const reference of index.references) if (contains(reference.span, position)) return { id: reference.id, span: reference.span, reference };
  return undefined;
}

/**
 * Every chain from an item up to the top (the vision, or wherever links stop), following every
 * resolvable link at each step: an outcome that supports two key results has two chains. At most
 * `limit` chains are returned; `total` counts them up to `countLimit`, so a caller can say how many
 * more there are.
 */
export function chainsToVision(
  graph: WorkspaceGraph,
  start: Item,
  limit: number,
  traceKinds: readonly Item['kind'][],
  countLimit = 1000,
): { chains: Item[][]; total: number } {
  const chains: Item[][] = [];
  let total = 0;
  const path: Item[] = [start];
  const onPath = new Set<string>([start.id]);
  const walk = (item: Item) => {
    if (total >= countLimit) return;
    const next = path.length < 12 ? allUp(graph, item, traceKinds).filter((candidate) => !onPath.has(candidate.id)) : [];
    if (next.length === 0) {
      total++;
      if (chains.length < limit) chains.push([...path]);
      return;
    }
    for (const candidate of next) {
      path.push(candidate);
      onPath.add(candidate.id);
      walk(candidate);
      onPath.delete(candidate.id);
      path.pop();
      if (total >= countLimit) return;
    }
  };
  walk(start);
  return { chains, total };
}

/** Every item one step up from `item`; a requirement's `Traces:` lead to `traceKinds` (see `traceTargetKinds`). */
function allUp(graph: WorkspaceGraph, item: Item, traceKinds: readonly Item['kind'][]): Item[] {
  const byLinks = (context: Reference['context'], kinds: readonly Item['kind'][]) => {
    const found = new Map<string, Item>();
    for (const reference of linksFromItem(graph, item)) {
      if (reference.context !== context || found.has(reference.id)) continue;
      const target = graph.definition(reference.id);
      if (target && kinds.includes(target.kind)) found.set(target.id, target);
    }
    return [...found.values()];
  };
  switch (item.kind) {
    case 'requirement':
      return byLinks('traces', traceKinds);
    case 'outcome':
      return byLinks('supports', ['keyResult', 'objective']);
    case 'strategy':
      return byLinks('frontMatterVision', ['vision']);
    case 'prd':
      return byLinks('frontMatterOutcomes', ['outcome']);
    default: {
      const up = writtenUnder(graph, item);
      return up ? [up] : [];
    }
  }
}

/** The item a key result or an objective is written under (its objective, or its strategy document). */
function writtenUnder(graph: WorkspaceGraph, item: Item): Item | undefined {
  if (item.kind !== 'keyResult' && item.kind !== 'objective') return undefined;
  const parent = item.parentId ? graph.definition(item.parentId) : undefined;
  if (parent) return parent;
  return item.documentId ? graph.definition(item.documentId) : undefined;
}
