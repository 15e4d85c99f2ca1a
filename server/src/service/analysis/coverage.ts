import type { CoverageCounts, CoverageFigures, ObjectiveProgress } from '../../../../common/protocol';
import { traceTargetKinds, type DecimalSeparator, type ThroughlineConfig } from '../model/config';
import { isRetiredRequirement, retiredStatus, type ItemKind } from '../model/model';
import { objectiveProgress } from './progress';
import { DocumentFold } from '../workspace/documentFold';
import { ReadKind, type ReadSet } from '../workspace/readSet';
import { keyResultsOf, outcomesSupportingObjective } from '../workspace/relations';
import type { GraphQueries, WorkspaceGraph } from '../workspace/workspaceGraph';

/** What one document adds to the coverage counts. */
interface CountsShape {
  readonly requirements: number;
  readonly tracedRequirements: number;
  /** Outcomes a requirement of this document traces to. */
  readonly tracedOutcomes: readonly string[];
  /** Outcomes defined here (an ID defined twice counts twice, as everywhere in coverage). */
  readonly outcomes: readonly string[];
  readonly objectives: number;
  readonly objectivesWithOutcomes: number;
}

const collator = new Intl.Collator('en', { numeric: true });

/**
 * Coverage and progress, as the status bar and the report show them, kept current edit by edit:
 * each document's part is memoised (DocumentFold), the counts are adjusted by the difference of
 * the parts that changed, and the progress list is sorted again only when an objective's
 * progress changed. The figures equal a count over the whole workspace (the paranoid check and
 * the random-edit test compare them with a fresh view).
 */
export class CoverageView {
  private readonly countParts: DocumentFold<CountsShape>;
  private readonly progress: DocumentFold<readonly ObjectiveProgress[]>;
  private totals = emptyTotals();
  private progressList: ObjectiveProgress[] | undefined;

  constructor(
    private readonly graph: () => WorkspaceGraph,
    config: () => Pick<ThroughlineConfig, 'decimalSeparator' | 'requirementsMayTraceToKeyResults'>,
    recordReads = true,
  ) {
    this.countParts = new DocumentFold((graph, uri) => countsOf(graph, uri, traceTargetKinds(config())), recordReads);
    this.progress = new DocumentFold((graph, uri, reads) => progressOf(graph, uri, reads, config().decimalSeparator), recordReads);
  }

  invalidate(changed: ReadSet): void {
    this.countParts.invalidate(changed);
    this.progress.invalidate(changed);
  }

  /** See `GraphMemo.prepareForEdits`. */
  prepareForEdits(): void {
    this.countParts.prepareForEdits();
    this.progress.prepareForEdits();
  }

  clear(): void {
    this.countParts.clear();
    this.progress.clear();
    this.totals = emptyTotals();
    this.progressList = undefined;
  }

  figures(): CoverageFigures {
    const counts = this.counts();
    const graph = this.graph();
    if (this.progress.refresh(graph) || !this.progressList) this.progressList = sortedProgress(this.progress.all(graph));
    return { ...counts, progress: this.progressList };
  }

  /** The counts alone: the progress parts are left as they are until `figures` is asked for. */
  counts(): CoverageCounts {
    this.countParts.refresh(this.graph(), (before, after) => {
      if (before) this.add(before, -1);
      if (after) this.add(after, 1);
    });
    let deliveredOutcomes = 0;
    for (const [id, definitions] of this.totals.outcomeDefinitions) if (this.totals.tracedBy.has(id)) deliveredOutcomes += definitions;
    const { requirements, tracedRequirements, outcomes, objectives, objectivesWithOutcomes } = this.totals;
    return { requirements, tracedRequirements, outcomes, deliveredOutcomes, objectives, objectivesWithOutcomes };
  }

  private add(shape: CountsShape, sign: 1 | -1): void {
    const totals = this.totals;
    totals.requirements += sign * shape.requirements;
    totals.tracedRequirements += sign * shape.tracedRequirements;
    totals.outcomes += sign * shape.outcomes.length;
    totals.objectives += sign * shape.objectives;
    totals.objectivesWithOutcomes += sign * shape.objectivesWithOutcomes;
    for (const id of shape.tracedOutcomes) adjust(totals.tracedBy, id, sign);
    for (const id of shape.outcomes) adjust(totals.outcomeDefinitions, id, sign);
  }
}

function emptyTotals() {
  return {
    requirements: 0,
    tracedRequirements: 0,
    outcomes: 0,
    objectives: 0,
    objectivesWithOutcomes: 0,
    /** How many documents trace to each outcome. */
    tracedBy: new Map<string, number>(),
    /** How many times each outcome ID is defined. */
    outcomeDefinitions: new Map<string, number>(),
  };
}

function adjust(counts: Map<string, number>, id: string, by: number): void {
  const next = (counts.get(id) ?? 0) + by;
  if (next === 0) counts.delete(id);
  else counts.set(id, next);
}

function countsOf(graph: GraphQueries, uri: string, traceKinds: readonly ItemKind[]): CountsShape {
  const document = graph.document(uri);
  const items = document?.items ?? [];
  // Live requirements only: a retired one (its status, or a deprecated PRD) delivers nothing, and
  // neither does a `Traces:` written under another kind of item (as the tree counts).
  const live = new Set<string>();
  for (const item of items) if (item.kind === 'requirement' && !isRetiredRequirement(item, items)) live.add(item.id);
  const tracing = new Set<string>();
  const tracedOutcomes = new Set<string>();
  for (const reference of document?.references ?? []) {
    if (reference.context !== 'traces' || !reference.fromId || !live.has(reference.fromId)) continue;
    const kind = graph.definition(reference.id)?.kind;
    if (kind !== undefined && traceKinds.includes(kind)) tracing.add(reference.fromId);
    if (kind === 'outcome') tracedOutcomes.add(reference.id);
  }
  let requirements = 0;
  let tracedRequirements = 0;
  let objectives = 0;
  let objectivesWithOutcomes = 0;
  const outcomes: string[] = [];
  for (const item of items) {
    if (item.kind === 'requirement') {
      if (!live.has(item.id)) continue;
      requirements++;
      if (tracing.has(item.id)) tracedRequirements++;
    } else if (retiredStatus(item) !== undefined) {
      // A retired outcome or objective is out of the counts, as a retired requirement is.
      continue;
    } else if (item.kind === 'outcome' && !item.isDocument) outcomes.push(item.id);
    else if (item.kind === 'objective') {
      objectives++;
      if (outcomesSupportingObjective(graph, item.id).length > 0) objectivesWithOutcomes++;
    }
  }
  return {
    requirements,
    tracedRequirements,
    tracedOutcomes: tracedOutcomes.size === 0 ? NO_IDS : [...tracedOutcomes],
    outcomes: outcomes.length === 0 ? NO_IDS : outcomes,
    objectives,
    objectivesWithOutcomes,
  };
}

/**
 * One empty list for every document's parts that have none: the parts are kept per document
 * (100,000 PRDs, nearly all without outcomes or objectives of their own).
 */
const NO_IDS: readonly never[] = Object.freeze([]);

/**
 * The progress of the objectives a document defines (the first definition of each ID). Progress
 * carries positions, so it reads the whole document and those of its key results: any edit of
 * them computes it again.
 */
function progressOf(graph: GraphQueries, uri: string, reads: ReadSet, separator: DecimalSeparator): readonly ObjectiveProgress[] {
  const progress: ObjectiveProgress[] = [];
  for (const item of graph.document(uri)?.items ?? []) {
    if (item.kind !== 'objective' || graph.definition(item.id) !== item) continue;
    reads.add(ReadKind.document, uri);
    for (const keyResult of keyResultsOf(graph, item.id)) reads.add(ReadKind.document, keyResult.uri);
    progress.push(objectiveProgress(graph, item, separator));
  }
  return progress.length === 0 ? NO_IDS : progress;
}

/** Strategies in ID order, objectives in document order. */
function sortedProgress(parts: Iterable<readonly ObjectiveProgress[]>): ObjectiveProgress[] {
  const objectives: ObjectiveProgress[] = [];
  for (const part of parts) objectives.push(...part);
  return objectives.sort(
    (a, b) => collator.compare(a.strategyId ?? '', b.strategyId ?? '') || a.uri.localeCompare(b.uri) || a.range.start.line - b.range.start.line,
  );
}
