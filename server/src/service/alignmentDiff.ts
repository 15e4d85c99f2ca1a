/**
 * What changed in the alignment between two states of a workspace (`throughline diff`): items
 * added, removed and changed, links added, removed and retargeted, coverage and objective progress
 * before and after. Pure: it compares two snapshots, each taken from a language service.
 */
import type { CoverageFigures, ObjectiveProgress } from '../../../common/protocol';
import { EXPECTED_KINDS, IndexedReference, type ItemKind, type ReferenceContext } from './model';
import type { WorkspaceGraph } from './workspaceGraph';

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
  /** Where the link is written (its first occurrence). */
  readonly uri: string;
  readonly line: number;
  /** Whether the target is defined, with a kind the link may name, in the same snapshot. */
  readonly resolved: boolean;
}

export interface CoverageCounts {
  readonly requirements: number;
  readonly tracedRequirements: number;
  readonly outcomes: number;
  readonly deliveredOutcomes: number;
  readonly objectives: number;
  readonly objectivesWithOutcomes: number;
}

export interface KeyResultSnapshot {
  readonly id: string;
  readonly title: string;
  readonly baseline?: string;
  readonly target?: string;
  readonly current?: string;
  /** 0–1; absent when the key result cannot be measured. */
  readonly progress?: number;
}

export interface ObjectiveSnapshot {
  readonly id: string;
  readonly title: string;
  readonly uri: string;
  readonly line: number;
  /** 0–1; absent when none of its key results can be measured. */
  readonly progress?: number;
  readonly keyResults: readonly KeyResultSnapshot[];
}

export interface AlignmentSnapshot {
  readonly documents: number;
  /** By ID; an ID defined twice keeps the definition the graph uses for navigation. */
  readonly items: ReadonlyMap<string, SnapshotItem>;
  /** By the item they start from; each (context, target) once. */
  readonly links: ReadonlyMap<string, readonly SnapshotLink[]>;
  readonly coverage: CoverageCounts;
  readonly objectives: readonly ObjectiveSnapshot[];
}

export type ItemField = 'kind' | 'title' | 'status' | 'uri';

export interface ItemChange {
  readonly before: SnapshotItem;
  readonly after: SnapshotItem;
  /** What differs; `uri` when the definition moved to another file. */
  readonly fields: readonly ItemField[];
}

/** One item's links of one context lost some targets and gained others: `Traces: OUT-1` became `Traces: OUT-3`. */
export interface LinkRetarget {
  readonly fromId: string;
  readonly context: LinkContext;
  /** The targets no longer linked, in the order they were written. */
  readonly removed: readonly SnapshotLink[];
  /** The targets newly linked, in the order they are written. */
  readonly added: readonly SnapshotLink[];
}

export interface KeyResultChange {
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
export interface AlignmentSource {
  readonly graph: WorkspaceGraph;
  getCoverage(): CoverageFigures;
}

export function linkKey(link: Pick<SnapshotLink, 'fromId' | 'context' | 'toId'>): string {
  return `${link.fromId}\n${link.context}\n${link.toId}`;
}

/**
 * Items, links, coverage and progress of a workspace, detached from the service so the service can
 * go on changing. Items are the index's own (immutable) objects: copying 100,000 of them would
 * cost more than the rest of the snapshot.
 */
export function snapshotAlignment(source: AlignmentSource): AlignmentSnapshot {
  const { graph } = source;
  const items = new Map<string, SnapshotItem>();
  for (const id of graph.allIds()) {
    const item = graph.definition(id);
    if (item) items.set(id, item);
  }
  const links = new Map<string, SnapshotLink[]>();
  for (const document of graph.allDocuments()) {
    for (const reference of document.references) {
      const fromId = reference.fromId;
      if (reference.context === 'prose' || fromId === undefined) continue;
      const context = reference.context;
      const toId = reference.id;
      let fromItem = links.get(fromId);
      if (!fromItem) links.set(fromId, (fromItem = []));
      else if (fromItem.some((link) => link.context === context && link.toId === toId)) continue;
      const target = graph.definition(toId);
      fromItem.push({
        fromId,
        context,
        toId,
        uri: reference.uri,
        // The index's references keep their line as a number; `span` would allocate for each of 100,000 links.
        line: reference instanceof IndexedReference ? reference.line : reference.span.line,
        resolved: target !== undefined && EXPECTED_KINDS[context].includes(target.kind),
      });
    }
  }
  const figures = source.getCoverage();
  return {
    documents: graph.documentCount,
    items,
    links,
    coverage: {
      requirements: figures.requirements,
      tracedRequirements: figures.tracedRequirements,
      outcomes: figures.outcomes,
      deliveredOutcomes: figures.deliveredOutcomes,
      objectives: figures.objectives,
      objectivesWithOutcomes: figures.objectivesWithOutcomes,
    },
    // Progress came later than the counts; figures made without it count as no objective measured.
    objectives: (figures.progress as readonly ObjectiveProgress[] | undefined ?? []).map(objectiveSnapshot),
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
  const added: SnapshotItem[] = [];
  const removed: SnapshotItem[] = [];
  const changed: ItemChange[] = [];
  for (const [id, item] of after.items) {
    const old = before.items.get(id);
    if (!old) {
      added.push(item);
      continue;
    }
    const fields = (['kind', 'title', 'status', 'uri'] as const).filter((field) => old[field] !== item[field]);
    if (fields.length) changed.push({ before: old, after: item, fields });
  }
  for (const [id, item] of before.items) if (!after.items.has(id)) removed.push(item);

  const linksAdded = linksOnlyIn(after.links, before.links);
  const linksRemoved = linksOnlyIn(before.links, after.links);
  const retargeted = pairRetargets(linksRemoved, linksAdded);
  const retargetedKeys = new Set<string>();
  for (const retarget of retargeted) for (const link of [...retarget.removed, ...retarget.added]) retargetedKeys.add(linkKey(link));

  return {
    documents: { before: before.documents, after: after.documents },
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

function linksOnlyIn(these: AlignmentSnapshot['links'], those: AlignmentSnapshot['links']): SnapshotLink[] {
  const only: SnapshotLink[] = [];
  for (const [fromId, links] of these) {
    const others = those.get(fromId);
    for (const link of links) if (!others?.some((other) => other.context === link.context && other.toId === link.toId)) only.push(link);
  }
  return only;
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
  return byPosition(a, b) || compareText(a.fromId, b.fromId) || compareText(a.context, b.context) || compareText(a.toId, b.toId);
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
  return items.added.length + items.removed.length + items.changed.length + links.added.length + links.removed.length + links.retargeted.length + diff.progress.length === 0;
}
