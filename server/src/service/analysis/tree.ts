import type { AlignmentNode, AlignmentTree } from '../../../../common/protocol';
import { toRange } from '../model/ranges';
import { isRetiredRequirement, retiredStatus, type Item, type Reference } from '../model/model';
import { traceTargetKinds } from '../model/config';
import { keyResultProgress, objectiveProgress } from './progress';
import { GraphMemo } from '../workspace/graphMemo';
import { DocumentFold, sameValue } from '../workspace/documentFold';
import type { ReadSet } from '../workspace/readSet';
import { isTraced, keyResultsOf, linksByItem, objectivesOf, outcomesSupporting, requirementsTracing, strategiesOf } from '../workspace/relations';
import type { ServiceState } from '../workspace/state';
import type { GraphQueries } from '../workspace/workspaceGraph';
import { alignmentGraphOf, type AlignmentGraph, type GraphLimits, type GraphSource } from './report/graph';
import type { ReportItem } from './report/reportModel';

type ProblemCounter = (item: Item) => { errors: number; warnings: number };

const collator = new Intl.Collator('en', { numeric: true });
const byId = (a: { id: string }, b: { id: string }) => collator.compare(a.id, b.id);
const compareIds = (a: string, b: string) => collator.compare(a, b);

/** A definition by ID and the document it is written in (an ID may be defined twice). */
interface Defined {
  readonly id: string;
  readonly uri: string;
}

/**
 * The requirements of one PRD (or file) under a node, in ID order, as IDs and the URIs that define
 * them rather than an object per requirement: every outcome's groups are memoised, and at 10,000
 * PRDs that was 114,000 objects and 52,000 arrays (about 11 MB of the 16 MB the tree kept).
 */
interface RequirementGroup {
  readonly documentKey: string;
  readonly ids: readonly string[];
  /** Where each requirement is defined: one URI when all share it (a PRD is one file), else one per ID. */
  readonly uris: string | readonly string[];
}

/** Requirements grouped by the PRD (or file) that defines them. */
type RequirementGroups = readonly RequirementGroup[];

function uriAt(group: RequirementGroup, index: number): string {
  return typeof group.uris === 'string' ? group.uris : group.uris[index]!;
}

interface OutcomeShape {
  readonly requirements: RequirementGroups;
  readonly requirementCount: number;
}

interface ObjectiveShape {
  readonly keyResults: readonly {
    readonly id: string;
    readonly outcomes: readonly string[];
    /** Requirements that trace to the key result itself (`requirementsMayTraceToKeyResults`). */
    readonly direct: RequirementGroups;
    readonly requirements: number;
  }[];
  /** Outcomes supporting the objective directly and none of its key results. */
  readonly directOutcomes: readonly string[];
  readonly outcomes: number;
  readonly requirements: number;
}

/** What one document adds to the tree's roots and loose groups (IDs with the URI that defines them). */
interface DocumentShape {
  readonly visions: readonly string[];
  readonly strategies: readonly string[];
  readonly untraced: readonly (Defined & { readonly documentKey: string })[];
  readonly undelivered: readonly string[];
  readonly unaligned: readonly string[];
}

interface WorkspaceShape {
  readonly visions: readonly string[];
  readonly strategies: readonly string[];
  readonly untraced: RequirementGroups;
  readonly untracedCount: number;
  readonly undelivered: readonly string[];
  readonly unaligned: readonly string[];
}

/** A node not yet built: enough to build it, or to list its children, and what the report's graph reads of it. */
interface NodeSpec {
  readonly key: string;
  readonly kind: AlignmentNode['kind'];
  readonly id?: string;
  readonly counts: AlignmentNode['counts'];
  /** The item a node shows (none for a group). */
  readonly item?: Item;
  /** A requirements group (a PRD or a file under an outcome, key result or the untraced group): its requirements, its children unbuilt. */
  readonly requirements?: RequirementGroup;
  /** An outcome (or the untraced group): its requirements by PRD (or file), its children unbuilt. */
  readonly groups?: RequirementGroups;
  build(childCount: number): AlignmentNode;
  children(): NodeSpec[];
  /**
   * The one child on the way to `key` (a descendant's key), made alone; undefined when no child
   * leads there. Given where children are keyed by an ID list (a vision's strategies, a strategy's
   * objectives): finding a slice's node then makes one spec per level, not every sibling's
   * (a tree view refresh asks for a slice per expanded strategy, 400 of them at 100,000 PRDs).
   */
  readonly childOnPathTo?: (key: string) => NodeSpec | undefined;
  /** How many children `children()` lists, without building them: for a slice's last level (an outcome lists every PRD delivering it). */
  readonly count?: () => number;
}

/**
 * The alignment tree, answered slice by slice:
 * vision → strategies (product lines) → objectives → key results and outcomes → requirements
 * grouped by PRD, plus groups for untraced requirements, outcomes nothing delivers, and outcomes
 * that support nothing.
 *
 * A slice builds only the nodes it returns. What a node's counts and children are (IDs and counts,
 * never positions) is memoised per objective, outcome, strategy, vision and document in a
 * `GraphMemo`, which drops exactly the entries that read something an edit changed; titles,
 * ranges, status, progress and problems are read from the current graph when a node is built.
 * So a slice after an edit costs the slice plus what the edit invalidated, not the workspace.
 */
export class AlignmentTreeView {
  private readonly memo: GraphMemo;
  private readonly documents: DocumentFold<ReturnType<typeof documentShape>>;
  /** The union of the documents' shapes, adjusted by each document whose shape changed. */
  private workspace = new ShapeUnion();
  /**
   * The report's graph reads the tree's nodes unbuilt, and an outcome's PRDs from its memoised
   * shape by index (keys and counts): it builds only the nodes it draws.
   */
  private readonly graphSource: GraphSource<NodeSpec> = {
    key: (spec) => spec.key,
    kind: (spec) => spec.kind,
    id: (spec) => spec.id,
    counts: (spec) => spec.counts,
    children: (spec) => spec.children(),
    // What a drawn node shows; its child count is not drawn.
    node: (spec) => spec.build(0),
    groupCount: (outcome) => outcome.groups?.length ?? 0,
    groupKey: (outcome, index) => {
      const documentKey = outcome.groups![index]!.documentKey;
      const prd = this.graph.definition(documentKey);
      // As requirementGroupSpecs makes it: the PRD's node, or a group named after the file.
      return prd && prd.kind === 'prd' ? prd.id : `group:${outcome.key}/${documentKey}`;
    },
    groupRequirements: (outcome, index) => outcome.groups![index]!.ids.length,
    group: (outcome, index) => this.requirementGroupSpecs(outcome.key, [outcome.groups![index]!])[0]!,
  };

  constructor(
    private readonly state: ServiceState,
    private readonly countProblems: ProblemCounter,
    recordReads = true,
  ) {
    this.memo = new GraphMemo(false, recordReads);
    this.documents = new DocumentFold((graph, uri) => documentShape(graph, uri, traceTargetKinds(this.state.config)), recordReads);
  }

  /** Forgets what an edit may have changed; the next slice recomputes only that. */
  invalidate(changed: ReadSet): void {
    this.memo.invalidate(changed);
    this.documents.invalidate(changed);
  }

  clear(): void {
    this.memo.clear();
    this.documents.clear();
    this.workspace = new ShapeUnion();
  }

  /** See `GraphMemo.prepareForEdits`. */
  prepareForEdits(): void {
    this.memo.prepareForEdits();
    this.documents.prepareForEdits();
  }

  /** The children of `key` (or the roots), `depth` levels deep; the whole tree without a depth. */
  slice(key: string | undefined, depth: number | undefined): AlignmentTree {
    let specs: NodeSpec[];
    if (key === undefined) specs = this.roots();
    else specs = this.find(key)?.children() ?? [];
    const levels = depth === undefined ? undefined : Math.max(1, depth);
    return { roots: specs.map((spec) => expand(spec, levels)) };
  }

  /**
   * The report's alignment graph (report/graph.ts), as `buildAlignmentGraph` draws it from the whole
   * tree, but built from the nodes unbuilt: the graph walks the tree down to the PRDs under each
   * outcome through the memoised shapes, and builds the nodes it draws (at most 16 per column) alone.
   */
  reportGraph(limits?: GraphLimits): AlignmentGraph {
    return alignmentGraphOf(this.roots(), this.graphSource, limits);
  }

  /**
   * For each of `ids`, the title and owner of its node at its first place in the whole tree
   * (depth first, as `treeItemsById` finds it), no node built; IDs the tree does not show are left
   * out. An outcome's PRDs and a group's requirements are walked only when one of them is asked for.
   */
  firstNodes(ids: Iterable<string>): Map<string, ReportItem> {
    const wanted = new Set(ids);
    const found = new Map<string, ReportItem>();
    const stack = this.roots().reverse();
    while (stack.length > 0 && found.size < wanted.size) {
      const spec = stack.pop()!;
      // Only the title and owner: building the node would compute an objective's progress too.
      if (spec.id !== undefined && wanted.has(spec.id) && !found.has(spec.id))
        found.set(spec.id, spec.item ? { title: spec.item.title, owner: spec.item.owner } : spec.build(0));
      // Below a requirements group, or an outcome's PRDs, only when one of them or their requirements is asked for.
      const missing = (id: string) => wanted.has(id) && !found.has(id);
      if (spec.requirements && !spec.requirements.ids.some(missing)) continue;
      if (spec.groups && !spec.groups.some((group) => missing(group.documentKey) || group.ids.some(missing))) continue;
      const children = spec.children();
      for (let index = children.length - 1; index >= 0; index--) stack.push(children[index]!);
    }
    return found;
  }

  private find(key: string): NodeSpec | undefined {
    // Keys are paths (`VIS-1/STR-1/OBJ-1/KR-1.1`), so only the branch whose key prefixes the target is searched.
    const onPath = (spec: NodeSpec) => spec.key === key || key.startsWith(`${spec.key}/`);
    let next = this.roots().find(onPath);
    while (next && next.key !== key) next = next.childOnPathTo ? next.childOnPathTo(key) : next.children().find(onPath);
    return next;
  }

  // ---- specs ---------------------------------------------------------------------------------

  private roots(): NodeSpec[] {
    const shape = this.workspaceShape();
    const roots: NodeSpec[] = [];
    const placed = new Set<string>();
    for (const visionId of shape.visions) {
      const vision = this.graph.definition(visionId);
      if (!vision) continue;
      // With the objectives counted once per change, not per slice: every slice starts at the roots.
      const { strategies, objectives } = this.memoised(`v:${visionId}`, (graph) => {
        const ids = strategiesOf(graph, visionId)
          .sort(byId)
          .map((item) => item.id);
        let count = 0;
        for (const id of ids) count += this.objectivesOf(id).length;
        return { strategies: ids, objectives: count };
      });
      for (const id of strategies) placed.add(id);
      const strategySpecs = () => strategies.flatMap((id) => this.strategySpec(`${visionId}/${id}`, id) ?? []);
      roots.push({
        ...this.itemSpec(visionId, vision, strategySpecs, { objectives }),
        childOnPathTo: (key) => {
          const id = childIdOnPath(visionId, key);
          return id !== undefined && strategies.includes(id) ? this.strategySpec(`${visionId}/${id}`, id) : undefined;
        },
      });
    }
    // Strategies that name no existing vision are roots of their own.
    for (const id of shape.strategies) {
      const spec = placed.has(id) ? undefined : this.strategySpec(id, id);
      if (spec) roots.push(spec);
    }
    roots.push(
      {
        ...groupSpec('untraced', 'Untraced requirements', () => this.requirementGroupSpecs('untraced', shape.untraced), { requirements: shape.untracedCount }),
        groups: shape.untraced,
      },
      groupSpec('undelivered', 'Outcomes nothing delivers', () => this.leafSpecs('undelivered', shape.undelivered), { outcomes: shape.undelivered.length }),
      groupSpec('unaligned', 'Unaligned outcomes', () => this.outcomeSpecs('unaligned', shape.unaligned), { outcomes: shape.unaligned.length }),
    );
    return roots;
  }

  private strategySpec(key: string, strategyId: string): NodeSpec | undefined {
    const strategy = this.graph.definition(strategyId);
    if (!strategy) return undefined;
    const objectives = this.objectivesOf(strategyId);
    return {
      ...this.itemSpec(key, strategy, () => objectives.flatMap((id) => this.objectiveSpec(`${key}/${id}`, id) ?? []), {
        objectives: objectives.length,
      }),
      childOnPathTo: (target) => {
        const id = childIdOnPath(key, target);
        return id !== undefined && objectives.includes(id) ? this.objectiveSpec(`${key}/${id}`, id) : undefined;
      },
    };
  }

  private objectiveSpec(key: string, objectiveId: string): NodeSpec | undefined {
    const objective = this.graph.definition(objectiveId);
    if (!objective) return undefined;
    const keyResultsTraced = this.state.config.requirementsMayTraceToKeyResults === true;
    const shape = this.memoised(`j:${objectiveId}`, (graph) =>
      objectiveShape(graph, objectiveId, keyResultsTraced, (outcomeId) => this.outcomeShape(outcomeId)),
    );
    const children = (): NodeSpec[] => [
      ...shape.keyResults.flatMap((keyResult) => {
        const item = this.graph.definition(keyResult.id);
        if (!item) return [];
        const krKey = `${key}/${keyResult.id}`;
        const children = () => [...this.outcomeSpecs(krKey, keyResult.outcomes), ...this.requirementGroupSpecs(krKey, keyResult.direct)];
        const spec: NodeSpec = {
          ...this.itemSpec(krKey, item, children, {
            outcomes: keyResult.outcomes.length,
            requirements: keyResult.requirements,
          }),
          count: () => this.defined(keyResult.outcomes) + keyResult.direct.length,
        };
        return [
          withProgress(spec, () => {
            const progress = keyResultProgress(item, this.state.config.decimalSeparator);
            // A retired key result (its status shows) is not counted: no share to show either.
            return { progress: progress.retired === undefined ? progress.progress : undefined, confidence: progress.confidence };
          }),
        ];
      }),
      ...this.outcomeSpecs(key, shape.directOutcomes),
    ];
    const spec = this.itemSpec(key, objective, children, { keyResults: shape.keyResults.length, outcomes: shape.outcomes, requirements: shape.requirements });
    return withProgress(spec, () => ({ progress: objectiveProgress(this.graph, objective, this.state.config.decimalSeparator).progress }));
  }

  private outcomeSpecs(parentKey: string, outcomeIds: readonly string[]): NodeSpec[] {
    return outcomeIds.flatMap((outcomeId) => {
      const outcome = this.graph.definition(outcomeId);
      if (!outcome) return [];
      const key = `${parentKey}/${outcomeId}`;
      const shape = this.outcomeShape(outcomeId);
      const spec = this.itemSpec(key, outcome, () => this.requirementGroupSpecs(key, shape.requirements), { requirements: shape.requirementCount });
      return [{ ...spec, groups: shape.requirements, count: () => shape.requirements.length }];
    });
  }

  private requirementGroupSpecs(parentKey: string, groups: RequirementGroups): NodeSpec[] {
    return groups.map((group) => {
      const key = `${parentKey}/${group.documentKey}`;
      const children = () => this.requirementSpecs(key, group);
      const prd = this.graph.definition(group.documentKey);
      const requirements = group.ids.length;
      const spec =
        prd && prd.kind === 'prd'
          ? this.itemSpec(key, prd, children, { requirements })
          : groupSpec(key, () => this.state.displayPath(uriAt(group, 0)), children, { requirements });
      return { ...spec, requirements: group, count: () => this.defined(group.ids) };
    });
  }

  /** How many of `ids` are defined: the nodes `leafSpecs`, `requirementSpecs` or `outcomeSpecs` make of them. */
  private defined(ids: readonly string[]): number {
    let count = 0;
    for (const id of ids) if (this.graph.definition(id)) count++;
    return count;
  }

  private leafSpecs(parentKey: string, ids: readonly string[]): NodeSpec[] {
    return ids.flatMap((id) => {
      const item = this.graph.definition(id);
      return item ? [this.leafSpec(parentKey, item)] : [];
    });
  }

  /** A group's requirements, each the definition written where the group says (an ID may be defined twice). */
  private requirementSpecs(parentKey: string, group: RequirementGroup): NodeSpec[] {
    return group.ids.flatMap((id, index) => {
      const item = definedIn(this.graph, id, uriAt(group, index));
      return item ? [this.leafSpec(parentKey, item)] : [];
    });
  }

  private leafSpec(parentKey: string, item: Item): NodeSpec {
    return this.itemSpec(`${parentKey}/${item.id}`, item, () => [], {});
  }

  private itemSpec(key: string, item: Item, children: () => NodeSpec[], counts: AlignmentNode['counts']): NodeSpec {
    return {
      key,
      kind: item.kind,
      id: item.id,
      counts,
      item,
      children,
      build: (childCount) => ({
        childCount,
        key,
        id: item.id,
        kind: item.kind,
        title: item.title,
        uri: item.uri,
        range: toRange(item.idSpan),
        status: item.status,
        owner: item.owner,
        documentId: item.documentId,
        counts,
        problems: this.countProblems(item),
        children: [],
      }),
    };
  }

  // ---- memoised shapes -----------------------------------------------------------------------

  private get graph() {
    return this.state.graph;
  }

  private memoised<T>(key: string, compute: (graph: GraphQueries) => T): T {
    return this.memo.get(key, this.graph, compute);
  }

  private outcomeShape(outcomeId: string): OutcomeShape {
    return this.memoised(`o:${outcomeId}`, (graph) => outcomeShape(graph, outcomeId));
  }

  private objectivesOf(strategyId: string): readonly string[] {
    return this.memoised(`s:${strategyId}`, (graph) => objectivesOf(graph, strategyId).map((item) => item.id));
  }

  /**
   * The roots and loose groups: the union of every document's shape. An edit usually leaves its
   * document's shape as it was (a requirement traced elsewhere is still traced); when it does not,
   * the union is adjusted by that document alone (`ShapeUnion`).
   */
  private workspaceShape(): WorkspaceShape {
    const union = this.workspace;
    this.documents.refresh(this.graph, (before, after, uri) => union.replace(uri, before, after));
    return union.shape();
  }
}

/**
 * The union of every document's shape, kept by document and adjusted by the documents whose shape
 * changed (`replace`): an edit that changes one PRD's untraced requirements costs that PRD and a
 * sort of what the loose groups list, not a walk over every document (100,000 PRDs: a quarter of
 * the tree's roots after a link edit). Only the lists a change touched are sorted again.
 */
class ShapeUnion {
  /** How many documents name each vision and strategy (an ID defined twice is listed once). */
  private readonly visions = new Map<string, number>();
  private readonly strategies = new Map<string, number>();
  /** The documents' non-empty lists, by URI. */
  private readonly untraced = new Map<string, DocumentShape['untraced']>();
  private readonly undelivered = new Map<string, DocumentShape['undelivered']>();
  private readonly unaligned = new Map<string, DocumentShape['unaligned']>();
  private current: WorkspaceShape = {
    visions: [],
    strategies: [],
    untraced: [],
    untracedCount: 0,
    undelivered: [],
    unaligned: [],
  };
  private readonly stale = new Set<keyof DocumentShape>();

  /** A document's shape changed from `before` to `after` (undefined: it came, or went). */
  replace(uri: string, before: DocumentShape | undefined, after: DocumentShape | undefined): void {
    const countPart = (part: 'visions' | 'strategies', counts: Map<string, number>) => {
      const old = before?.[part] ?? NO_ENTRIES;
      const now = after?.[part] ?? NO_ENTRIES;
      if (sameValue(old, now)) return;
      for (const id of old) {
        const count = counts.get(id)! - 1;
        if (count === 0) counts.delete(id);
        else counts.set(id, count);
      }
      for (const id of now) counts.set(id, (counts.get(id) ?? 0) + 1);
      this.stale.add(part);
    };
    const listPart = <K extends 'untraced' | 'undelivered' | 'unaligned'>(part: K, lists: Map<string, DocumentShape[K]>) => {
      const old = before?.[part] ?? NO_ENTRIES;
      const now = after?.[part] ?? NO_ENTRIES;
      if (old === now || (old.length === 0 && now.length === 0)) return;
      if (now.length > 0) lists.set(uri, now);
      else lists.delete(uri);
      this.stale.add(part);
    };
    countPart('visions', this.visions);
    countPart('strategies', this.strategies);
    listPart('untraced', this.untraced);
    listPart('undelivered', this.undelivered);
    listPart('unaligned', this.unaligned);
  }

  /** The union as the tree reads it, its changed lists sorted again. */
  shape(): WorkspaceShape {
    if (this.stale.size === 0) return this.current;
    const next = { ...this.current };
    if (this.stale.has('visions')) next.visions = [...this.visions.keys()].sort(compareIdsFully);
    if (this.stale.has('strategies')) next.strategies = [...this.strategies.keys()].sort(compareIdsFully);
    if (this.stale.has('untraced')) {
      const untraced = [...this.untraced.values()].flat().sort(byIdThenUri);
      next.untraced = groupByDocument(untraced);
      next.untracedCount = untraced.length;
    }
    if (this.stale.has('undelivered')) next.undelivered = [...this.undelivered.values()].flat().sort(compareIdsFully);
    if (this.stale.has('unaligned')) next.unaligned = [...this.unaligned.values()].flat().sort(compareIdsFully);
    this.stale.clear();
    this.current = next;
    return next;
  }
}

/**
 * `compareIds`, then by code units: the collator finds `OUT-01` and `OUT-1` equal, and the union's
 * lists are gathered in no fixed order of documents, so ties are broken by the IDs themselves.
 */
function compareIdsFully(a: string, b: string): number {
  return compareIds(a, b) || (a < b ? -1 : a > b ? 1 : 0);
}

/** The ID of the child of `parentKey` on the way to `key` (`VIS-1`, `VIS-1/STR-2/OBJ-3` → `STR-2`); undefined when `key` is not below it. */
function childIdOnPath(parentKey: string, key: string): string | undefined {
  if (key.length <= parentKey.length + 1 || !key.startsWith(parentKey) || key.charCodeAt(parentKey.length) !== 0x2f) return undefined;
  const end = key.indexOf('/', parentKey.length + 1);
  return key.slice(parentKey.length + 1, end === -1 ? undefined : end);
}

function expand(spec: NodeSpec, levels: number | undefined): AlignmentNode {
  // A slice's last level shows how many children a node has: counted, not built.
  if (levels !== undefined && levels <= 1 && spec.count) return spec.build(spec.count());
  const children = spec.children();
  const node = spec.build(children.length);
  if (levels === undefined || levels > 1) node.children = children.map((child) => expand(child, levels === undefined ? undefined : levels - 1));
  return node;
}

function groupSpec(key: string, title: string | (() => string), children: () => NodeSpec[], counts: AlignmentNode['counts']): NodeSpec {
  return {
    key,
    kind: 'group',
    counts,
    children,
    build: (childCount) => ({
      childCount,
      key,
      kind: 'group',
      title: typeof title === 'string' ? title : title(),
      counts,
      problems: { errors: 0, warnings: 0 },
      children: [],
    }),
  };
}

function withProgress(spec: NodeSpec, progress: () => { progress: number | undefined; confidence?: string | undefined }): NodeSpec {
  return {
    ...spec,
    build: (childCount) => {
      const node = spec.build(childCount);
      const value = progress();
      if (value.progress !== undefined) node.progress = value.progress;
      if (value.confidence !== undefined) node.confidence = value.confidence;
      return node;
    },
  };
}

function groupByDocument(requirements: readonly (Defined & { documentKey: string })[]): RequirementGroups {
  const byDocument = new Map<string, { ids: string[]; uris: string[] }>();
  for (const { id, uri, documentKey } of requirements) {
    const group = byDocument.get(documentKey);
    if (group) {
      group.ids.push(id);
      group.uris.push(uri);
    } else byDocument.set(documentKey, { ids: [id], uris: [uri] });
  }
  const groups: RequirementGroup[] = [];
  // Copies: an array grown by `push` keeps room for 17 entries or more, and groups are kept (2 MB of 8 at 10,000 PRDs).
  for (const [documentKey, { ids, uris }] of byDocument) {
    const first = uris[0]!;
    groups.push({ documentKey, ids: ids.slice(), uris: uris.every((uri) => uri === first) ? first : uris.slice() });
  }
  return groups;
}

/** The definition of `id` written in `uri` (an ID defined twice has a node per definition). */
function definedIn(graph: GraphQueries, id: string, uri: string): Item | undefined {
  const first = graph.definition(id);
  if (first === undefined || first.uri === uri || graph.definitionCount(id) === 1) return first;
  return graph.definitionsOf(id).find((item) => item.uri === uri) ?? first;
}

// Documents are iterated in the order they were added, which differs between an edited graph and a rebuilt one.
const byIdThenUri = (a: Defined, b: Defined) => collator.compare(a.id, b.id) || (a.uri < b.uri ? -1 : a.uri > b.uri ? 1 : 0);

const documentKeyOf = (item: Item) => item.documentId ?? item.uri;

function outcomeShape(graph: GraphQueries, outcomeId: string): OutcomeShape {
  const requirements = requirementsTracing(graph, outcomeId).sort(byId);
  const entries = requirements.map((item) => ({ id: item.id, uri: item.uri, documentKey: documentKeyOf(item) }));
  return { requirements: groupByDocument(entries), requirementCount: requirements.length };
}

/** An objective's key results and outcomes, with the requirements below them counted once each (outcomes' shapes are memoised parts). */
function objectiveShape(
  graph: GraphQueries,
  objectiveId: string,
  keyResultsTraced: boolean,
  outcomeShapeOf: (outcomeId: string) => OutcomeShape,
): ObjectiveShape {
  const seenOutcomes = new Set<string>();
  const requirementIds = new Set<string>();
  const addRequirements = (outcomeId: string, into: Set<string>[]) => {
    for (const group of outcomeShapeOf(outcomeId).requirements) for (const id of group.ids) for (const set of into) set.add(id);
  };
  const keyResults = keyResultsOf(graph, objectiveId).map((keyResult) => {
    const outcomes = outcomesSupporting(graph, keyResult.id).sort(byId);
    const keyResultRequirements = new Set<string>();
    for (const outcome of outcomes) {
      seenOutcomes.add(outcome.id);
      addRequirements(outcome.id, [requirementIds, keyResultRequirements]);
    }
    const direct = keyResultsTraced ? outcomeShape(graph, keyResult.id).requirements : [];
    for (const group of direct) for (const id of group.ids) for (const set of [requirementIds, keyResultRequirements]) set.add(id);
    return { id: keyResult.id, outcomes: outcomes.map((outcome) => outcome.id), direct, requirements: keyResultRequirements.size };
  });
  const direct = outcomesSupporting(graph, objectiveId).sort(byId);
  const directOutcomes = direct.filter((outcome) => !seenOutcomes.has(outcome.id)).map((outcome) => outcome.id);
  for (const outcome of direct) {
    seenOutcomes.add(outcome.id);
    addRequirements(outcome.id, [requirementIds]);
  }
  return { keyResults, directOutcomes, outcomes: seenOutcomes.size, requirements: requirementIds.size };
}

function documentShape(graph: GraphQueries, uri: string, traceKinds: readonly Item['kind'][]): DocumentShape {
  const shape = {
    visions: [] as string[],
    strategies: [] as string[],
    untraced: [] as (Defined & { documentKey: string })[],
    undelivered: [] as string[],
    unaligned: [] as string[],
  };
  const document = graph.document(uri);
  // The links of every item at once: one item's links filtered from the document's references would be
  // quadratic in a document of 15,000 requirements.
  const links = linksByItem(document?.references ?? []);
  const resolves = (item: Item, context: Reference['context'], kinds: readonly Item['kind'][]) =>
    (links.get(item.id) ?? []).some((reference) => {
      if (reference.context !== context) return false;
      const target = graph.definition(reference.id);
      return target !== undefined && kinds.includes(target.kind);
    });
  for (const item of document?.items ?? []) {
    if (item.kind === 'vision') shape.visions.push(item.id);
    else if (item.kind === 'strategy') shape.strategies.push(item.id);
    else if (item.kind === 'requirement' && !resolves(item, 'traces', traceKinds) && !isRetiredRequirement(item, document!.items))
      shape.untraced.push({ id: item.id, uri: item.uri, documentKey: documentKeyOf(item) });
    else if (item.kind === 'outcome' && !item.isDocument && retiredStatus(item) === undefined) {
      if (!isTraced(graph, item.id)) shape.undelivered.push(item.id);
      if (!resolves(item, 'supports', ['objective', 'keyResult'])) shape.unaligned.push(item.id);
    }
  }
  // Kept for every document (10,000 PRDs: 50,000 lists, nearly all empty): the empty ones are one shared list.
  return {
    visions: orShared(shape.visions),
    strategies: orShared(shape.strategies),
    untraced: orShared(shape.untraced),
    undelivered: orShared(shape.undelivered),
    unaligned: orShared(shape.unaligned),
  };
}

const NO_ENTRIES: readonly never[] = Object.freeze([]);

function orShared<T>(list: readonly T[]): readonly T[] {
  return list.length === 0 ? NO_ENTRIES : list;
}
