/**
 * What changed in the alignment between two states of a workspace (`throughline diff`): items
 * added, removed and changed, links added, removed and retargeted, coverage and objective progress
 * before and after. Pure: it compares two snapshots, each taken from a language service.
 */
import type { CoverageFigures, ObjectiveProgress } from '../../../../common/protocol';
import { EXPECTED_KINDS, IndexedReference, type DocumentIndex, type Item, type ItemKind, type Reference, type ReferenceContext } from '../model/model';
import type { WorkspaceGraph } from '../workspace/workspaceGraph';

export type LinkContext = Exclude<ReferenceContext, 'prose'>;

export interface SnapshotItem {
  readonly id: string;
  readonly kind: ItemKind;
  readonly title: string;
  readonly uri: string;
  /** 0-based line of the definition, to list changes in document order. */
  readonly line: number;
  readonly status?: string;
}

/** An item's link upwards: `Traces:`, `Supports:` or a front-matter link, once per target. */
export interface SnapshotLink {
  readonly fromId: string;
  readonly context: LinkContext;
  readonly toId: string;
  /** Where the link is written. */
  readonly uri: string;
  readonly line: number;
  /** 0-based, in UTF-16 code units, of the target ID. */
  readonly character: number;
  /** Whether the target is defined, with a kind the link may name, in the same snapshot. */
  readonly resolved: boolean;
}

/** The coverage figures a snapshot keeps (the counts, without progress). */
export type CoverageCounts = Omit<CoverageFigures, 'progress'>;

export interface KeyResultSnapshot {
  readonly id: string;
  readonly title: string;
  readonly baseline?: string;
  readonly target?: string;
  readonly current?: string;
  /** 0–1; absent when the key result cannot be measured. */
  readonly progress?: number;
}

interface ObjectiveSnapshot {
  readonly id: string;
  readonly title: string;
  readonly uri: string;
  readonly line: number;
  /** 0–1; absent when none of its key results can be measured. */
  readonly progress?: number;
  readonly keyResults: readonly KeyResultSnapshot[];
}

/**
 * A workspace's alignment at one moment. It keeps the index's own (immutable) documents and items
 * rather than copies: the diff compares only documents that are not the very same object on both
 * sides, so a change to 3 files of 10,000 costs 3 files, when the new state was made by updating
 * the old one's index.
 */
export interface AlignmentSnapshot {
  /** By URI. */
  readonly documents: ReadonlyMap<string, DocumentIndex>;
  /** By ID; an ID defined twice keeps its first definition by file and line. */
  readonly items: ReadonlyMap<string, Item>;
  /** Every definition of the IDs defined more than once. */
  readonly duplicates: ReadonlyMap<string, readonly Item[]>;
  readonly coverage: CoverageCounts;
  readonly objectives: readonly ObjectiveSnapshot[];
}

type ItemField = 'kind' | 'title' | 'status' | 'uri';

export interface ItemChange {
  readonly before: SnapshotItem;
  readonly after: SnapshotItem;
  /** What differs; `uri` when the definition moved to another file. */
  readonly fields: readonly ItemField[];
}

/** One item's links of one context lost some targets and gained others: `Traces: OUT-1` became `Traces: OUT-3`. */
interface LinkRetarget {
  readonly fromId: string;
  readonly context: LinkContext;
  /** The targets no longer linked, in the order they were written. */
  readonly removed: readonly SnapshotLink[];
  /** The targets newly linked, in the order they are written. */
  readonly added: readonly SnapshotLink[];
}

interface KeyResultChange {
  readonly id: string;
  readonly title: string;
  /** Absent when the key result did not exist on that side. */
  readonly before?: KeyResultSnapshot;
  readonly after?: KeyResultSnapshot;
}

export interface ProgressChange {
  readonly id: string;
  readonly title: string;
  readonly uri: string;
  readonly line: number;
  readonly before?: number;
  readonly after?: number;
  /** Key results whose figures (baseline, target, current) or progress changed, or that came or went. */
  readonly keyResults: readonly KeyResultChange[];
}

export interface AlignmentDiff {
  readonly documents: { readonly before: number; readonly after: number };
  readonly items: { readonly added: readonly SnapshotItem[]; readonly removed: readonly SnapshotItem[]; readonly changed: readonly ItemChange[] };
  readonly links: { readonly added: readonly SnapshotLink[]; readonly removed: readonly SnapshotLink[]; readonly retargeted: readonly LinkRetarget[] };
  readonly coverage: { readonly before: CoverageCounts; readonly after: CoverageCounts };
  /** Objectives whose progress, or any key result's figures, changed; in the after state's order, then removed ones. */
  readonly progress: readonly ProgressChange[];
}

/** What a snapshot is taken from: a language service has both. */
interface AlignmentSource {
  readonly graph: WorkspaceGraph;
  getCoverage(): CoverageFigures;
}

function linkKey(link: Pick<SnapshotLink, 'fromId' | 'context' | 'toId'>): string {
  return `${link.fromId}\n${link.context}\n${link.toId}`;
}

/** Items, documents, coverage and progress of a workspace, detached from the service so the service can go on changing. */
export function snapshotAlignment(source: AlignmentSource): AlignmentSnapshot {
  const { graph } = source;
  const documents = new Map<string, DocumentIndex>();
  for (const document of graph.allDocuments()) documents.set(document.uri, document);
  const items = new Map<string, Item>();
  const duplicates = new Map<string, readonly Item[]>();
  for (const id of graph.allIds()) {
    const definitions = graph.definitionsOf(id);
    if (definitions.length === 0) continue;
    if (definitions.length === 1) {
      items.set(id, definitions[0]!);
      continue;
    }
    // The graph's own list changes with the next edit, and its order with the order of edits: a
    // sorted copy keeps this moment, and the same text gives the same primary definition.
    const sorted = [...definitions].sort(byPosition);
    items.set(id, sorted[0]!);
    duplicates.set(id, sorted);
  }
  const figures = source.getCoverage();
  return {
    documents,
    items,
    duplicates,
    coverage: {
      requirements: figures.requirements,
      tracedRequirements: figures.tracedRequirements,
      outcomes: figures.outcomes,
      deliveredOutcomes: figures.deliveredOutcomes,
      objectives: figures.objectives,
      objectivesWithOutcomes: figures.objectivesWithOutcomes,
    },
    objectives: figures.progress.map(objectiveSnapshot),
  };
}

function objectiveSnapshot(objective: ObjectiveProgress): ObjectiveSnapshot {
  return {
    id: objective.id,
    title: objective.title,
    uri: objective.uri,
    line: objective.range.start.line,
    progress: objective.progress,
    keyResults: objective.keyResults.map((keyResult) => ({
      id: keyResult.id,
      title: keyResult.title,
      baseline: keyResult.baseline,
      target: keyResult.target,
      current: keyResult.current,
      progress: keyResult.progress,
    })),
  };
}

export function diffAlignment(before: AlignmentSnapshot, after: AlignmentSnapshot): AlignmentDiff {
  // Only documents that differ can hold a difference: an ID or link found in a document both
  // sides share is on both sides.
  const changedBefore: DocumentIndex[] = [];
  const changedAfter: DocumentIndex[] = [];
  for (const [uri, document] of before.documents) if (after.documents.get(uri) !== document) changedBefore.push(document);
  for (const [uri, document] of after.documents) if (before.documents.get(uri) !== document) changedAfter.push(document);

  const added: SnapshotItem[] = [];
  const removed: SnapshotItem[] = [];
  const changed: ItemChange[] = [];
  const candidates = new Set<string>();
  for (const document of [...changedBefore, ...changedAfter]) for (const item of document.items) candidates.add(item.id);
  for (const id of candidates) {
    const old = before.items.get(id);
    const now = after.items.get(id);
    if (!old && now) added.push(now);
    else if (old && !now) removed.push(old);
    else if (old && now && old !== now) {
      const fields = (['kind', 'title', 'status', 'uri'] as const).filter((field) => old[field] !== now[field]);
      if (fields.length) changed.push({ before: old, after: now, fields });
    }
  }

  const linksAdded = linksOnlyIn(changedAfter, after, before);
  const linksRemoved = linksOnlyIn(changedBefore, before, after);
  const retargeted = pairRetargets(linksRemoved, linksAdded);
  const retargetedKeys = new Set<string>();
  for (const retarget of retargeted) for (const link of [...retarget.removed, ...retarget.added]) retargetedKeys.add(linkKey(link));

  return {
    documents: { before: before.documents.size, after: after.documents.size },
    items: { added: added.sort(byPosition), removed: removed.sort(byPosition), changed: changed.sort((a, b) => byPosition(a.after, b.after)) },
    links: {
      added: linksAdded.filter((link) => !retargetedKeys.has(linkKey(link))).sort(byLinkPosition),
      removed: linksRemoved.filter((link) => !retargetedKeys.has(linkKey(link))).sort(byLinkPosition),
      retargeted: retargeted.sort((a, b) => byLinkPosition(a.added[0]!, b.added[0]!)),
    },
    coverage: { before: before.coverage, after: after.coverage },
    progress: diffProgress(before.objectives, after.objectives),
  };
}

/** The links written in `documents` (of `these`) that `those` does not have, each once. */
function linksOnlyIn(documents: readonly DocumentIndex[], these: AlignmentSnapshot, those: AlignmentSnapshot): SnapshotLink[] {
  const only: SnapshotLink[] = [];
  const seen = new Set<string>();
  for (const document of documents) {
    for (const reference of document.references) {
      const fromId = reference.fromId;
      if (reference.context === 'prose' || fromId === undefined) continue;
      const link = { fromId, context: reference.context, toId: reference.id };
      const key = linkKey(link);
      if (seen.has(key)) continue;
      seen.add(key);
      if (hasLink(those, link)) continue;
      const target = these.items.get(link.toId);
      only.push({
        ...link,
        uri: reference.uri,
        ...position(reference),
        resolved: target !== undefined && EXPECTED_KINDS[link.context].includes(target.kind),
      });
    }
  }
  return only;
}

function position(reference: Reference): { line: number; character: number } {
  // The index's references keep their position as numbers; `span` would allocate an object.
  if (reference instanceof IndexedReference) return { line: reference.line, character: reference.start };
  const { line, start } = reference.span;
  return { line, character: start };
}

/** A link is written where its from-item is defined, so only those documents need to be looked at. */
function hasLink(snapshot: AlignmentSnapshot, link: { readonly fromId: string; readonly context: LinkContext; readonly toId: string }): boolean {
  const primary = snapshot.items.get(link.fromId);
  if (!primary) return false;
  for (const definition of snapshot.duplicates.get(link.fromId) ?? [primary]) {
    const document = snapshot.documents.get(definition.uri);
    if (document?.references.some((reference) => reference.fromId === link.fromId && reference.context === link.context && reference.id === link.toId))
      return true;
  }
  return false;
}

/** Links of the same item and context that were both removed and added are one retarget. */
function pairRetargets(removed: readonly SnapshotLink[], added: readonly SnapshotLink[]): LinkRetarget[] {
  const removedByGroup = new Map<string, SnapshotLink[]>();
  for (const link of removed) push(removedByGroup, `${link.fromId}\n${link.context}`, link);
  const addedByGroup = new Map<string, SnapshotLink[]>();
  for (const link of added) push(addedByGroup, `${link.fromId}\n${link.context}`, link);
  const retargets: LinkRetarget[] = [];
  for (const [group, addedLinks] of addedByGroup) {
    const removedLinks = removedByGroup.get(group);
    if (!removedLinks) continue;
    const first = addedLinks[0]!;
    retargets.push({ fromId: first.fromId, context: first.context, removed: removedLinks.sort(byLinkPosition), added: addedLinks.sort(byLinkPosition) });
  }
  return retargets;
}

function diffProgress(before: readonly ObjectiveSnapshot[], after: readonly ObjectiveSnapshot[]): ProgressChange[] {
  const beforeById = new Map(before.map((objective) => [objective.id, objective]));
  const afterIds = new Set(after.map((objective) => objective.id));
  const changes: ProgressChange[] = [];
  const compare = (old: ObjectiveSnapshot | undefined, now: ObjectiveSnapshot | undefined) => {
    const shown = (now ?? old)!;
    const keyResults = diffKeyResults(old?.keyResults ?? [], now?.keyResults ?? []);
    if (old?.progress === now?.progress && keyResults.length === 0) return;
    changes.push({ id: shown.id, title: shown.title, uri: shown.uri, line: shown.line, before: old?.progress, after: now?.progress, keyResults });
  };
  for (const objective of after) compare(beforeById.get(objective.id), objective);
  for (const objective of before) if (!afterIds.has(objective.id)) compare(objective, undefined);
  return changes;
}

function diffKeyResults(before: readonly KeyResultSnapshot[], after: readonly KeyResultSnapshot[]): KeyResultChange[] {
  const beforeById = new Map(before.map((keyResult) => [keyResult.id, keyResult]));
  const afterIds = new Set(after.map((keyResult) => keyResult.id));
  const changes: KeyResultChange[] = [];
  const figuresOf = (keyResult: KeyResultSnapshot | undefined) => [keyResult?.baseline, keyResult?.target, keyResult?.current, keyResult?.progress];
  const compare = (old: KeyResultSnapshot | undefined, now: KeyResultSnapshot | undefined) => {
    const oldFigures = figuresOf(old);
    const newFigures = figuresOf(now);
    // A key result without figures coming or going is an item change, not a change of progress.
    if (oldFigures.every((value, index) => value === newFigures[index])) return;
    const shown = (now ?? old)!;
    changes.push({ id: shown.id, title: shown.title, before: old, after: now });
  };
  for (const keyResult of after) compare(beforeById.get(keyResult.id), keyResult);
  for (const keyResult of before) if (!afterIds.has(keyResult.id)) compare(keyResult, undefined);
  return changes;
}

function byPosition(a: { readonly uri: string; readonly line: number }, b: { readonly uri: string; readonly line: number }): number {
  return a.uri < b.uri ? -1 : a.uri > b.uri ? 1 : a.line - b.line;
}

function byLinkPosition(a: SnapshotLink, b: SnapshotLink): number {
  return byPosition(a, b) || a.character - b.character || compareText(a.fromId, b.fromId) || compareText(a.context, b.context) || compareText(a.toId, b.toId);
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function push<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

export function isEmptyDiff(diff: AlignmentDiff): boolean {
  const { items, links } = diff;
  return (
    items.added.length +
      items.removed.length +
      items.changed.length +
      links.added.length +
      links.removed.length +
      links.retargeted.length +
      diff.progress.length ===
    0
  );
}
