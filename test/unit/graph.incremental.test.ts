/**
 * The workspace graph is updated incrementally from each document's old and new index. This test
 * applies random edit sequences to a generated workspace (add, remove and retarget `Traces:` and
 * `Supports:` links, rename, duplicate and delete IDs, move a key result under another objective,
 * rename documents, delete and create files, edit in the editor or on disk, close documents,
 * create cycles, shift lines, deprecate items and documents, change titles, figures, `updated`
 * dates, innovation and innovation mixes) and checks:
 * - after each step, that every document the service did NOT report as affected has exactly the
 *   diagnostics it had before (the server only re-publishes affected documents);
 * - after each sequence, that `graph.snapshot()` equals `WorkspaceGraph.fromDocuments(...)` built
 *   from scratch, and that every document's diagnostics equal those of a fresh service built on
 *   the final texts.
 * The service under test runs in paranoid mode (THROUGHLINE_PARANOID): after every change it also
 * compares its incremental state with a rebuild and throws on a difference.
 * THROUGHLINE_PROPERTY_RUNS sets the number of random sequences (default 1000).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import type { Diagnostic } from 'vscode-languageserver-types';
import type { AlignmentNode } from '../../common/protocol';
import type { ConfigInput } from '../../server/src/service/model/config';
import { computeDiagnostics } from '../../server/src/service/rules/diagnostics';
import { indexDocument } from '../../server/src/service/parse/indexDocument';
import { WorkspaceGraph } from '../../server/src/service/workspace/workspaceGraph';
import { DEFAULT_CONFIG } from '../../server/src/service/model/config';
import { IndexedItem, IndexedReference, ITEM_KINDS, type ReferenceContext } from '../../server/src/service/model/model';
import { createService, range, TEST_TODAY, type TestService } from '../helpers/memoryWorkspace';
import { assertAsyncProperty } from '../helpers/property';
import { reportAlignment, reportItemIds, type ReportItem, type StrategyReport } from '../../server/src/service/analysis/report/reportModel';

// ---- the model of a workspace ------------------------------------------------------------------

type Kind = 'objective' | 'keyResult' | 'outcome' | 'requirement';

interface ItemModel {
  id: string;
  kind: Kind;
  heading: boolean;
  links: string[];
  /** A key result without a due date is not measurable. */
  measurable: boolean;
  /** `Status: deprecated`: links to it are reported (deprecated-target). */
  deprecated: boolean;
  /** Index into TITLES: some start with an output verb (output-key-result). */
  title: number;
  /** A key result's `Current:` (key-result-target), if any. */
  current: string | undefined;
}

interface FileModel {
  type: 'strategy' | 'prd';
  id: string | undefined;
  /** `vision:` of a strategy, `outcomes:` of a PRD. */
  frontLinks: string[];
  items: ItemModel[];
  /** IDs mentioned in a prose paragraph at the end. */
  prose: string[];
  /** Front-matter `status: deprecated`: links into the document are reported. */
  deprecated: boolean;
  /** A PRD's `innovation`, counted in the innovation mix of the strategies it delivers. */
  innovation: string | undefined;
  /** Lines of text between the front-matter and the first item: changing it moves every position. */
  preamble: number;
  /** Front-matter `updated:` (stale-document), if any. */
  updated: string | undefined;
  /** A strategy's `innovation_mix` (innovation-mix-drift), if any. */
  mix: string | undefined;
}

const TITLES = ['Title of', 'Launch', 'Grow'];
const CURRENTS = [undefined, '1.5', '2', 'many'];
const UPDATED = [undefined, '2026-11-01', '2025-01-01'];
const MIXES = ['{core: 50, adjacent: 50}', '{core: 100}', undefined, '{core: 34, adjacent: 33, disruptive: 33}'];

const POOLS: Record<Kind, readonly string[]> = {
  objective: ['OBJ-1', 'OBJ-2', 'OBJ-3'],
  keyResult: ['KR-1', 'KR-2', 'KR-3', 'KR-4'],
  outcome: ['OUT-1', 'OUT-2', 'OUT-3', 'OUT-4', 'OUT-5'],
  requirement: ['REQ-1', 'REQ-2', 'REQ-3', 'REQ-4', 'REQ-5'],
};
const DOCUMENT_IDS = { strategy: ['STR-1', 'STR-2'], prd: ['PRD-1', 'PRD-2', 'PRD-3'] } as const;
/** Everything a link may name: every kind (wrong kinds included), documents, and IDs never defined. */
const TARGETS = [...Object.values(POOLS).flat(), 'STR-1', 'PRD-1', 'VIS-1', 'OUT-9', 'OBJ-9'];
const PATHS = ['vision.md', 'strategy.md', 'goals/more.md', 'prds/a.md', 'prds/b.md', 'prds/c.md'];

const VISION = '---\ntype: vision\nid: VIS-1\ntitle: The vision\n---\n# VIS-1: The vision\n';

function render(file: FileModel): string {
  const lines = ['---', `type: ${file.type}`];
  if (file.id) lines.push(`id: ${file.id}`);
  if (file.type === 'strategy' && file.frontLinks[0]) lines.push(`vision: ${file.frontLinks[0]}`);
  if (file.type === 'prd' && file.frontLinks.length) lines.push(`outcomes: [${file.frontLinks.join(', ')}]`);
  if (file.deprecated) lines.push('status: deprecated');
  if (file.type === 'prd' && file.innovation) lines.push(`innovation: ${file.innovation}`);
  if (file.type === 'strategy' && file.mix) lines.push(`innovation_mix: ${file.mix}`);
  if (file.updated) lines.push(`updated: ${file.updated}`);
  lines.push('---', '');
  for (let line = 0; line < file.preamble; line++) lines.push(`Preamble line ${line}.`, '');
  for (const item of file.items) {
    const key = item.kind === 'requirement' ? 'Traces' : 'Supports';
    const attributes: string[] = [];
    if (item.kind === 'keyResult')
      attributes.push('Baseline: 1', 'Target: 2', ...(item.measurable ? ['Due: 2027-01-01'] : []), ...(item.current ? [`Current: ${item.current}`] : []));
    if (item.links.length) attributes.push(`${key}: ${item.links.join(', ')}`);
    if (item.deprecated) attributes.push('Status: deprecated');
    if (item.heading) {
      const depth = { objective: '##', keyResult: '####', outcome: '###', requirement: '###' }[item.kind];
      lines.push(`${depth} ${item.id}: ${TITLES[item.title]} ${item.id}`, ...attributes, '');
    } else {
      lines.push(`- ${item.id}: ${TITLES[item.title]} ${item.id}`, ...attributes.map((attribute) => `  ${attribute}`), '');
    }
  }
  if (file.prose.length) lines.push(`Mentions ${file.prose.join(' and ')}.`, '');
  return lines.join('\n');
}

// ---- generators --------------------------------------------------------------------------------

const kindFor = (type: FileModel['type']) =>
  type === 'prd' ? fc.constant<Kind>('requirement') : fc.constantFrom<Kind>('objective', 'objective', 'keyResult', 'keyResult', 'outcome', 'outcome');
const item = (type: FileModel['type']) =>
  kindFor(type).chain((kind) =>
    fc.record({
      id: fc.constantFrom(...POOLS[kind]),
      kind: fc.constant(kind),
      heading: fc.boolean(),
      links: fc.array(fc.constantFrom(...TARGETS), { maxLength: 2 }),
      measurable: fc.boolean(),
      deprecated: fc.constantFrom(false, false, false, true),
      title: fc.constantFrom(0, 0, 1, 2),
      current: fc.constantFrom(...CURRENTS),
    }),
  );
const file = (type: FileModel['type']): fc.Arbitrary<FileModel> =>
  fc.record({
    type: fc.constant(type),
    id: fc.option(fc.constantFrom(...DOCUMENT_IDS[type]), { freq: 6, nil: undefined }),
    frontLinks:
      type === 'strategy'
        ? fc.constantFrom<string[]>([], ['VIS-1'], ['VIS-1'], ['STR-1'])
        : fc.array(fc.constantFrom(...POOLS.outcome, 'OUT-9', 'KR-1'), { maxLength: 2 }),
    items: fc.array(item(type), { minLength: 1, maxLength: 5 }),
    prose: fc.array(fc.constantFrom(...TARGETS), { maxLength: 1 }),
    deprecated: fc.constantFrom(false, false, false, true),
    innovation: type === 'prd' ? fc.constantFrom(undefined, 'core', 'adjacent', 'disruptive') : fc.constant(undefined),
    preamble: fc.constantFrom(0, 0, 1),
    updated: fc.constantFrom(...UPDATED),
    // Most strategies ask for a mix, so innovation-mix-drift takes part in most runs.
    mix: type === 'strategy' ? fc.constantFrom(MIXES[0], MIXES[0], MIXES[1], undefined) : fc.constant(undefined),
  });

const workspace = fc.record({
  vision: fc.boolean(),
  /**
   * Rules whose related information points into other documents are turned off in some runs: the
   * related locations make a document depend on everything in the documents they point into, which
   * would hide a missing finer dependency (a duplicated objective's key results, for one).
   */
  quiet: fc.constantFrom(false, false, true),
  strategies: fc.array(file('strategy'), { minLength: 1, maxLength: 2 }),
  prds: fc.array(file('prd'), { minLength: 1, maxLength: 3 }),
});

type Operation =
  | {
      op:
        | 'addLink'
        | 'removeLink'
        | 'retarget'
        | 'rename'
        | 'duplicate'
        | 'deleteItem'
        | 'move'
        | 'setDocumentId'
        | 'frontLink'
        | 'prose'
        | 'deprecateDocument'
        | 'deprecateItem'
        | 'innovation'
        | 'shift'
        | 'retitle'
        | 'figure'
        | 'updated'
        | 'mix';
      file: number;
      item: number;
      n: number;
      m: number;
    }
  | { op: 'deleteFile'; file: number }
  | { op: 'close'; file: number }
  | { op: 'createFile'; path: number; model: FileModel };

const operation: fc.Arbitrary<Operation & { editor: boolean }> = fc.oneof(
  fc
    .record({
      op: fc.constantFrom(
        'addLink',
        'addLink',
        'removeLink',
        'retarget',
        'retarget',
        'rename',
        'duplicate',
        'deleteItem',
        'move',
        'move',
        'setDocumentId',
        'frontLink',
        'prose',
        'deprecateDocument',
        'deprecateItem',
        'innovation',
        'shift',
        'shift',
        'retitle',
        'figure',
        'updated',
        'mix',
      ),
      file: fc.nat(),
      item: fc.nat(),
      n: fc.nat(),
      m: fc.nat(),
      editor: fc.boolean(),
    })
    .map((value) => value as Operation & { editor: boolean }),
  fc.record({ op: fc.constantFrom('deleteFile', 'close'), file: fc.nat(), editor: fc.boolean() }).map((value) => value as Operation & { editor: boolean }),
  fc
    .record({ op: fc.constant('createFile'), path: fc.nat(), model: fc.oneof(file('strategy'), file('prd')), editor: fc.boolean() })
    .map((value) => value as Operation & { editor: boolean }),
);

// ---- applying operations -----------------------------------------------------------------------

/** The texts on disk and in the editor; the service sees the editor's text where there is one. */
class Harness {
  readonly disk = new Map<string, FileModel | string>();
  readonly editor = new Map<string, FileModel | string>();
  constructor(readonly t: TestService) {}

  paths(): string[] {
    return [...new Set([...this.disk.keys(), ...this.editor.keys()])].sort();
  }

  modelFor(path: string, editor: boolean): FileModel | undefined {
    const found = editor ? (this.editor.get(path) ?? this.disk.get(path)) : this.disk.get(path);
    return typeof found === 'object' ? structuredClone(found) : undefined;
  }

  async write(path: string, model: FileModel | string, editor: boolean) {
    const text = typeof model === 'string' ? model : render(model);
    if (editor) {
      this.editor.set(path, model);
      return this.t.change(path, text);
    }
    this.disk.set(path, model);
    this.t.workspace.set(path, text);
    return this.t.service.fileChanged(this.t.uri(path));
  }

  async apply(operation: Operation & { editor: boolean }) {
    const paths = this.paths();
    if (operation.op === 'createFile') {
      const path = PATHS[operation.path % PATHS.length]!;
      return this.write(path, operation.model, operation.editor);
    }
    if (paths.length === 0) return undefined;
    const path = paths[operation.file % paths.length]!;
    if (operation.op === 'close') {
      if (!this.editor.has(path)) return undefined;
      this.editor.delete(path);
      return this.t.close(path);
    }
    if (operation.op === 'deleteFile') {
      if (!this.disk.has(path)) return undefined;
      this.disk.delete(path);
      this.t.workspace.delete(path);
      return this.t.service.fileDeleted(this.t.uri(path));
    }
    const model = this.modelFor(path, operation.editor);
    if (!model) return undefined;
    const items = model.items;
    const at = items.length ? operation.item % items.length : -1;
    const target = TARGETS[operation.n % TARGETS.length]!;
    const chosen = at >= 0 ? items[at]! : undefined;
    switch (operation.op) {
      case 'addLink':
        if (chosen) chosen.links.push(target);
        break;
      case 'removeLink':
        if (chosen?.links.length) chosen.links.splice(operation.m % chosen.links.length, 1);
        break;
      case 'retarget':
        if (chosen?.links.length) chosen.links[operation.m % chosen.links.length] = target;
        break;
      case 'rename':
        if (chosen) chosen.id = POOLS[chosen.kind][operation.n % POOLS[chosen.kind].length]!;
        break;
      case 'duplicate': {
        // The same ID defined again, in this file or another one.
        if (!chosen) break;
        const other = paths[operation.m % paths.length]!;
        const otherModel = this.modelFor(other, operation.editor);
        if (!otherModel || other === path) {
          items.push(structuredClone(chosen));
          break;
        }
        otherModel.items.push(structuredClone(chosen));
        return this.write(other, otherModel, operation.editor);
      }
      case 'deleteItem':
        if (chosen) items.splice(at, 1);
        break;
      case 'move':
        // Moving a key result below another objective changes its parent.
        if (chosen) {
          items.splice(at, 1);
          items.splice(operation.m % (items.length + 1), 0, chosen);
        }
        break;
      case 'setDocumentId': {
        const pool = DOCUMENT_IDS[model.type];
        model.id = operation.n % 4 === 3 ? undefined : pool[operation.n % pool.length];
        break;
      }
      case 'frontLink':
        if (model.type === 'strategy') model.frontLinks = operation.n % 3 === 0 ? [] : [operation.n % 3 === 1 ? 'VIS-1' : target];
        else if (operation.m % 2 === 0) model.frontLinks.push(target);
        else model.frontLinks.splice(0, 1);
        break;
      case 'prose':
        model.prose = operation.m % 3 === 0 ? [] : [target];
        break;
      case 'deprecateDocument':
        model.deprecated = !model.deprecated;
        break;
      case 'deprecateItem':
        if (chosen) chosen.deprecated = !chosen.deprecated;
        break;
      case 'innovation':
        if (model.type === 'prd') model.innovation = [undefined, 'core', 'adjacent', 'disruptive'][operation.n % 4];
        break;
      case 'shift':
        // Lines above every item come or go: every position in the file moves, nothing else.
        model.preamble = (model.preamble + 1 + (operation.n % 2)) % 3;
        break;
      case 'retitle':
        if (chosen) chosen.title = operation.n % TITLES.length;
        break;
      case 'figure':
        if (chosen) chosen.current = CURRENTS[operation.n % CURRENTS.length];
        break;
      case 'updated':
        model.updated = UPDATED[operation.n % UPDATED.length];
        break;
      case 'mix':
        if (model.type === 'strategy') model.mix = MIXES[operation.n % MIXES.length];
        break;
    }
    return this.write(path, model, operation.editor);
  }

  finalTexts(): Record<string, string> {
    const texts: Record<string, string> = {};
    for (const path of this.paths()) {
      const model = this.editor.get(path) ?? this.disk.get(path)!;
      texts[path] = typeof model === 'string' ? model : render(model);
    }
    return texts;
  }
}

/**
 * Diagnostics in a canonical order (related information sorted). A link to an ID defined several
 * times names one of its definitions in its related information; which one may depend on indexing
 * order, so for such IDs only the message of that related information is compared.
 */
function normalize(diagnostics: readonly Diagnostic[], isDuplicated: (id: string) => boolean): string {
  return JSON.stringify(
    diagnostics
      .map((diagnostic) => ({
        ...diagnostic,
        relatedInformation: diagnostic.relatedInformation
          ?.map((related) => {
            const target = /^(\S+) is defined here$/.exec(related.message)?.[1];
            return diagnostic.code === 'wrong-link-kind' && target && isDuplicated(target) ? related.message : JSON.stringify(related);
          })
          .sort(),
      }))
      .map((diagnostic) => JSON.stringify(diagnostic))
      .sort(),
  );
}

const duplicatedIn = (t: TestService) => (id: string) => t.service.graph.definitionsOf(id).length > 1;

function uncachedDiagnostics(t: TestService, uri: string): string {
  const document = t.service.graph.document(uri);
  return normalize(document ? computeDiagnostics(document, t.service.graph, t.service.config, TEST_TODAY) : [], duplicatedIn(t));
}

/** Builds a service in paranoid mode: it checks itself against a rebuild after every change. */
async function paranoid<T>(build: () => Promise<T>): Promise<T> {
  const previous = process.env['THROUGHLINE_PARANOID'];
  process.env['THROUGHLINE_PARANOID'] = '1';
  try {
    return await build();
  } finally {
    if (previous === undefined) delete process.env['THROUGHLINE_PARANOID'];
    else process.env['THROUGHLINE_PARANOID'] = previous;
  }
}

const RUNS = Number(process.env['THROUGHLINE_PROPERTY_RUNS'] ?? 1000);

const QUIET: ConfigInput = { rules: { 'duplicate-id': 'off', 'wrong-link-kind': 'off', 'deprecated-target': 'off' } };

async function runSequence(
  initial: { vision: boolean; quiet?: boolean; strategies: FileModel[]; prds: FileModel[] },
  operations: (Operation & { editor: boolean })[],
): Promise<void> {
  const options = initial.quiet ? { settings: QUIET } : {};
  const files: Record<string, string> = {};
  if (initial.vision) files['vision.md'] = VISION;
  initial.strategies.forEach((model, index) => (files[['strategy.md', 'goals/more.md'][index]!] = render(model)));
  initial.prds.forEach((model, index) => (files[['prds/a.md', 'prds/b.md', 'prds/c.md'][index]!] = render(model)));
  const t = await paranoid(() => createService(files, options));
  const harness = new Harness(t);
  if (initial.vision) harness.disk.set('vision.md', VISION);
  initial.strategies.forEach((model, index) => harness.disk.set(['strategy.md', 'goals/more.md'][index]!, model));
  initial.prds.forEach((model, index) => harness.disk.set(['prds/a.md', 'prds/b.md', 'prds/c.md'][index]!, model));

  for (const [step, operation] of operations.entries()) {
    // What the editor shows before the step (this also fills the service's diagnostics cache).
    const before = new Map<string, string>();
    for (const uri of t.service.diagnosticUris()) before.set(uri, normalize(t.service.getDiagnostics(uri), duplicatedIn(t)));
    const impact = await harness.apply(operation);
    if (!impact) continue;
    for (const uri of new Set([...before.keys(), ...t.service.diagnosticUris()])) {
      if (impact.affectedUris.has(uri)) continue;
      assert.equal(
        uncachedDiagnostics(t, uri),
        before.get(uri) ?? '[]',
        `step ${step} (${operation.op}) changed the diagnostics of ${uri}, which the change impact did not list`,
      );
    }
  }

  const finalTexts = harness.finalTexts();
  const indexes = Object.entries(finalTexts)
    .map(([path, text]) => indexDocument(t.uri(path), 0, text, t.service.config))
    .filter((index) => index.participates);
  const incremental = t.service.graph.snapshot();
  const scratch = WorkspaceGraph.fromDocuments(indexes).snapshot();
  assert.ok(incremental === scratch, `incremental graph vs graph built from scratch:\n${incremental}\n=== vs ===\n${scratch}`);

  const fresh = await createService(finalTexts, options);
  const uris = new Set([...t.service.diagnosticUris(), ...fresh.service.diagnosticUris()]);
  assert.deepEqual([...t.service.diagnosticUris()].sort(), [...fresh.service.diagnosticUris()].sort(), 'documents with diagnostics');
  for (const uri of uris) {
    assert.equal(
      normalize(t.service.getDiagnostics(uri), duplicatedIn(t)),
      normalize(fresh.service.getDiagnostics(uri), duplicatedIn(fresh)),
      `diagnostics of ${uri} (cached, incremental) vs a fresh service`,
    );
  }
  // The tree's memo survived every step (the paranoid check compares it after each one); its slices equal a fresh service's.
  assert.equal(
    JSON.stringify(t.service.getAlignmentTree(undefined, 3)),
    JSON.stringify(fresh.service.getAlignmentTree(undefined, 3)),
    'tree slice vs a fresh service',
  );
  // A slice's last level counts its nodes' children without building them: the counts equal the whole tree's.
  const cut = (nodes: readonly AlignmentNode[], levels: number): AlignmentNode[] =>
    nodes.map((node) => ({ ...node, children: levels > 1 ? cut(node.children, levels - 1) : [] }));
  for (const depth of [1, 2, 3, 4, 5]) {
    assert.equal(
      JSON.stringify(t.service.getAlignmentTree(undefined, depth)),
      JSON.stringify({ roots: cut(t.service.getAlignmentTree().roots, depth) }),
      `tree slice of depth ${depth} vs the whole tree cut there`,
    );
  }
  // The report draws its graph from the tree's nodes unbuilt (memoised shapes): the same as from the whole tree.
  for (const service of [t.service, fresh.service]) assertReportAlignment(service.getStrategyReport());
}

/** The report's alignment, built from the tree view's unbuilt nodes, equals the one derived from its whole tree. */
function assertReportAlignment(report: StrategyReport): void {
  const alignment = report.alignment;
  assert.ok(alignment, 'the service computes the report alignment');
  const whole = reportAlignment({ ...report, alignment: undefined });
  assert.equal(JSON.stringify(alignment.graph), JSON.stringify(whole.graph), 'report graph vs the whole tree');
  const ids = reportItemIds(report.objectives);
  const shown = (items: ReadonlyMap<string, ReportItem>) =>
    JSON.stringify(
      [...items]
        .filter(([id]) => ids.has(id))
        .map(([id, item]) => [id, item.title, item.owner])
        .sort(([a], [b]) => (a! < b! ? -1 : 1)),
    );
  assert.equal(shown(alignment.items), shown(whole.items), 'report items vs the whole tree');
}

// ---- tests -------------------------------------------------------------------------------------

describe('incremental workspace graph', () => {
  test('random edit sequences: graph and diagnostics equal a from-scratch build; change impacts are complete', async () => {
    await assertAsyncProperty(
      fc.asyncProperty(workspace, fc.array(operation, { minLength: 1, maxLength: 14 }), async (initial, operations) => {
        await runSequence(initial, operations);
      }),
      { numRuns: RUNS },
    );
  });

  test('example: a cycle appears and disappears through edits in two files', async () => {
    const strategy: FileModel = {
      type: 'strategy',
      id: 'STR-1',
      frontLinks: [],
      items: [
        { id: 'OBJ-1', kind: 'objective', heading: true, links: [], measurable: true, deprecated: false, title: 0, current: undefined },
        { id: 'KR-1', kind: 'keyResult', heading: false, links: [], measurable: true, deprecated: false, title: 0, current: undefined },
      ],
      prose: [],
      deprecated: false,
      innovation: undefined,
      preamble: 0,
      updated: undefined,
      mix: undefined,
    };
    const outcomes: FileModel = {
      type: 'strategy',
      id: 'STR-2',
      frontLinks: [],
      items: [{ id: 'OUT-1', kind: 'outcome', heading: true, links: ['KR-1'], measurable: true, deprecated: false, title: 0, current: undefined }],
      prose: [],
      deprecated: false,
      innovation: undefined,
      preamble: 0,
      updated: undefined,
      mix: undefined,
    };
    await runSequence(
      {
        vision: false,
        strategies: [strategy, outcomes],
        prds: [
          {
            type: 'prd',
            id: 'PRD-1',
            frontLinks: [],
            items: [{ id: 'REQ-1', kind: 'requirement', heading: true, links: ['OUT-1'], measurable: true, deprecated: false, title: 0, current: undefined }],
            prose: [],
            deprecated: false,
            innovation: undefined,
            preamble: 0,
            updated: undefined,
            mix: undefined,
          },
        ],
      },
      [
        // Files in path order: goals/more.md, prds/a.md, strategy.md (2).
        // OBJ-1 (strategy.md, item 0) supports OUT-1: OBJ-1 → OUT-1 → KR-1 → OBJ-1.
        { op: 'addLink', file: 2, item: 0, n: TARGETS.indexOf('OUT-1'), m: 0, editor: true },
        { op: 'removeLink', file: 2, item: 0, n: 0, m: 0, editor: true },
        { op: 'addLink', file: 2, item: 0, n: TARGETS.indexOf('OUT-1'), m: 0, editor: false },
        { op: 'move', file: 2, item: 1, n: 0, m: 0, editor: false },
      ],
    );
  });
});

describe('incremental updates: examples', () => {
  const objectives = '---\ntype: strategy\nid: STR-1\n---\n## OBJ-1: One\n### OUT-1: Outcome\nSupports: OBJ-1\n';

  test('a definition moving down in its file moves the related information of a duplicate-id error in another file', async () => {
    const other = '---\ntype: strategy\nid: STR-2\n---\n### OUT-1: Again\n';
    const t = await createService({ 's.md': objectives, 'other.md': other });
    assert.deepEqual(t.diagnosticsOf('s.md', 'duplicate-id')[0]!.relatedInformation![0]!.location, { uri: t.uri('other.md'), range: range(4, 4, 9) });
    t.open('other.md', other.replace('---\n###', '---\nA new first line.\n\n###'));
    assert.deepEqual(t.diagnosticsOf('s.md', 'duplicate-id')[0]!.relatedInformation![0]!.location, { uri: t.uri('other.md'), range: range(6, 4, 9) });
  });

  test('a definition moving down in its file moves the related information of a wrong-link-kind error in another file', async () => {
    const prd = '---\ntype: prd\nid: PRD-1\n---\n### REQ-1: Requirement\nTraces: OBJ-1\n';
    const t = await createService({ 's.md': objectives, 'p.md': prd });
    assert.deepEqual(t.diagnosticsOf('p.md', 'wrong-link-kind')[0]!.relatedInformation![0]!.location, { uri: t.uri('s.md'), range: range(4, 3, 8) });
    t.open('s.md', objectives.replace('---\n##', '---\nIntroduction.\n\n##'));
    assert.deepEqual(t.diagnosticsOf('p.md', 'wrong-link-kind')[0]!.relatedInformation![0]!.location, { uri: t.uri('s.md'), range: range(6, 3, 8) });
  });

  test('a cycle error follows its link when lines are inserted above it', async () => {
    const loop = '---\ntype: strategy\nid: STR-1\n---\n### OUT-1: Loops\nSupports: OUT-1\n';
    const t = await createService({ 's.md': loop });
    assert.deepEqual(
      t.diagnosticsOf('s.md', 'cycle').map((diagnostic) => diagnostic.range),
      [range(5, 10, 15)],
    );
    t.open('s.md', loop.replace('---\n###', '---\nIntroduction.\n\n###'));
    assert.deepEqual(
      t.diagnosticsOf('s.md', 'cycle').map((diagnostic) => diagnostic.range),
      [range(7, 10, 15)],
    );
  });

  test('a deleted link that closed a cycle is no longer reported when the cycle persists through another edge', async () => {
    // OBJ-1 → KR-1 (Supports), KR-1 → OBJ-1 (Supports, and as its objective).
    const before =
      '---\ntype: strategy\nid: STR-1\n---\n## OBJ-1: One\nSupports: KR-1\n\n- KR-1: Key result\n  Baseline: 1\n  Target: 2\n  Due: 2027-01-01\n  Supports: OBJ-1\n';
    const t = await createService({ 's.md': before });
    assert.deepEqual(
      t.diagnosticsOf('s.md', 'cycle').map((diagnostic) => diagnostic.range),
      [range(5, 10, 14), range(11, 12, 17)],
    );
    t.open('s.md', before.replace('  Supports: OBJ-1\n', ''));
    assert.deepEqual(
      t.diagnosticsOf('s.md', 'cycle').map((diagnostic) => diagnostic.range),
      [range(5, 10, 14)],
    );
  });

  test('a document that becomes deprecated: links into it from other files are reported', async () => {
    const prd = '---\ntype: prd\nid: PRD-1\noutcomes: [OUT-1]\n---\n### REQ-1: Requirement\nTraces: OUT-1\n';
    const t = await createService({ 's.md': objectives, 'p.md': prd });
    assert.deepEqual(t.diagnosticsOf('p.md', 'deprecated-target'), []);
    const impact = t.change('s.md', objectives.replace('id: STR-1\n', 'id: STR-1\nstatus: deprecated\n'));
    assert.ok(impact.affectedUris.has(t.uri('p.md')));
    assert.equal(t.diagnosticsOf('p.md', 'deprecated-target').length, 2);
  });

  test('a key result removed under an objective also defined in another file: that file is checked again', async () => {
    // OBJ-1 is defined twice (duplicate-id off); s.md's copy is supported only through KR-1, which other.md holds.
    const mine = '---\ntype: strategy\nid: STR-1\n---\n## OBJ-1: One\n';
    const other =
      '---\ntype: strategy\nid: STR-2\n---\n## OBJ-1: One again\n\n- KR-1: Key result\n  Baseline: 1\n  Target: 2\n  Due: 2027-01-01\n\n### OUT-1: Outcome\nSupports: KR-1\n';
    const t = await createService({ 's.md': mine, 'other.md': other }, { settings: { rules: { 'duplicate-id': 'off' } } });
    assert.deepEqual(t.diagnosticsOf('s.md', 'objective-without-outcomes'), []);
    const impact = t.change('other.md', other.replace(/- KR-1[^#]*/, ''));
    assert.ok(impact.affectedUris.has(t.uri('s.md')));
    assert.equal(t.diagnosticsOf('s.md', 'objective-without-outcomes').length, 1);
  });

  test('editing a file does not re-check files that only link to it, unless what they read changed', async () => {
    const prd = '---\ntype: prd\nid: PRD-1\noutcomes: [OUT-1]\n---\n### REQ-1: Requirement\nTraces: OUT-1\n';
    const t = await createService({ 's.md': objectives, 'p.md': prd });
    for (const path of ['s.md', 'p.md']) t.diagnostics(path);
    // Lines inserted above OUT-1: positions move, nothing p.md reads changes.
    assert.deepEqual([...t.change('s.md', objectives.replace('---\n##', '---\nIntroduction.\n\n##')).affectedUris], [t.uri('s.md')]);
    // OUT-1's title changes: p.md reads OUT-1's definition.
    assert.deepEqual([...t.change('s.md', objectives.replace('Outcome', 'Renamed outcome')).affectedUris].sort(), [t.uri('p.md'), t.uri('s.md')]);
  });

  test('a requirement traced twice to an outcome, then once: the outcome stays delivered', async () => {
    const prd = '---\ntype: prd\nid: PRD-1\n---\n### REQ-1: One\nTraces: OUT-1, OUT-1\n';
    const t = await createService({ 's.md': objectives, 'p.md': prd });
    assert.deepEqual(t.diagnosticsOf('s.md', 'orphan-outcome'), []);
    t.open('p.md', prd.replace('OUT-1, OUT-1', 'OUT-1'));
    assert.deepEqual(t.diagnosticsOf('s.md', 'orphan-outcome'), []);
    t.open('p.md', prd.replace('OUT-1, OUT-1', 'OUT-2'));
    assert.equal(t.diagnosticsOf('s.md', 'orphan-outcome').length, 1);
  });
});

describe('the graph keeps one definition as itself and several as a list', () => {
  const strategy = (id: string, outcomes: string) => `---\ntype: strategy\nid: ${id}\n---\n${outcomes}`;
  const index = (name: string, text: string) => indexDocument(`file:///w/${name}`, 0, text, DEFAULT_CONFIG);
  const where = (graph: WorkspaceGraph, id: string) => ({
    uris: graph.definitionsOf(id).map((item) => `${item.uri.slice('file:///w/'.length)}:${item.line}`),
    count: graph.definitionCount(id),
    first: graph.definition(id)?.uri.slice('file:///w/'.length),
  });

  test('an ID defined once, twice (added out of URI order), in one file twice, then once again and nowhere', () => {
    const graph = WorkspaceGraph.fromDocuments([index('b.md', strategy('STR-2', '### OUT-1: B\n')), index('a.md', strategy('STR-1', '### OUT-2: A\n'))]);
    assert.deepEqual(where(graph, 'OUT-1'), { uris: ['b.md:4'], count: 1, first: 'b.md' });
    graph.update(index('a.md', strategy('STR-1', '### OUT-2: A\n### OUT-1: A too\n')));
    assert.deepEqual(where(graph, 'OUT-1'), { uris: ['a.md:5', 'b.md:4'], count: 2, first: 'a.md' });
    graph.update(index('b.md', strategy('STR-2', '### OUT-1: B\n### OUT-1: B again\n')));
    assert.deepEqual(where(graph, 'OUT-1'), { uris: ['a.md:5', 'b.md:4', 'b.md:5'], count: 3, first: 'a.md' });
    graph.update(index('a.md', strategy('STR-1', '### OUT-2: A\n')));
    assert.deepEqual(where(graph, 'OUT-1'), { uris: ['b.md:4', 'b.md:5'], count: 2, first: 'b.md' });
    graph.update(index('b.md', strategy('STR-2', '### OUT-1: B\n')));
    assert.deepEqual(where(graph, 'OUT-1'), { uris: ['b.md:4'], count: 1, first: 'b.md' });
    graph.remove('file:///w/b.md');
    assert.deepEqual(where(graph, 'OUT-1'), { uris: [], count: 0, first: undefined });
    assert.deepEqual([...graph.allItems()].map((item) => item.id).sort(), ['OUT-2', 'STR-1']);
  });

  test('a cold build out of URI order lists duplicates by URI, as an incremental one does', () => {
    const b = index('b.md', strategy('STR-2', '### OUT-1: B\n'));
    const a = index('a.md', strategy('STR-1', '### OUT-1: A\n'));
    const cold = WorkspaceGraph.fromDocuments([b, a]);
    const incremental = WorkspaceGraph.fromDocuments([b]);
    incremental.update(a);
    assert.deepEqual(where(cold, 'OUT-1'), { uris: ['a.md:4', 'b.md:4'], count: 2, first: 'a.md' });
    assert.deepEqual(where(incremental, 'OUT-1'), where(cold, 'OUT-1'));
    assert.equal(incremental.snapshot(), cold.snapshot());
  });
});

describe("an item's kind, depth and flags, and a reference's line and context (each kept in one number)", () => {
  test("a reference's line and context read back as written, for every context and any line", () => {
    const contexts: ReferenceContext[] = ['traces', 'supports', 'frontMatterVision', 'frontMatterOutcomes', 'prose'];
    for (const context of contexts) {
      for (const line of [0, 1, 7, 8, 9, 65_535, 2 ** 28 - 1, 2 ** 28, 2 ** 31 + 3, 2 ** 45 + 1]) {
        const reference = new IndexedReference('OUT-1', 'file:///w/a.md', line, 3, 8, context, 'REQ-1');
        assert.deepEqual([reference.line, reference.context, reference.span], [line, context, { line, start: 3, end: 8 }]);
      }
    }
  });

  test('read back as written, for every kind, depth and flag', () => {
    for (const kind of ITEM_KINDS) {
      for (let depth = 0; depth <= 6; depth++) {
        for (const isDocument of [false, true]) {
          for (const inTable of [undefined, true] as const) {
            const item = new IndexedItem({
              id: 'X-1',
              kind,
              title: 't',
              uri: 'file:///w/a.md',
              idSpan: { line: 1, start: 2, end: 5 },
              line: 1,
              endLine: 3,
              depth,
              attributes: [],
              isDocument,
              inTable,
            });
            assert.deepEqual([item.kind, item.depth, item.isDocument, item.inTable], [kind, depth, isDocument, inTable]);
          }
        }
      }
    }
  });

  test("a heading's depth changed alone is a change the views see", () => {
    const text = (hashes: string) => `---\ntype: strategy\nid: STR-1\n---\n## OBJ-1: Grow\n${hashes} OUT-1: Pay\nSupports: OBJ-1\n`;
    const graph = WorkspaceGraph.fromDocuments([indexDocument('file:///w/s.md', 0, text('###'), DEFAULT_CONFIG)]);
    assert.equal(graph.definition('OUT-1')?.depth, 3);
    assert.equal(graph.update(indexDocument('file:///w/s.md', 1, text('###'), DEFAULT_CONFIG)).structureChanged, false);
    assert.equal(graph.update(indexDocument('file:///w/s.md', 2, text('####'), DEFAULT_CONFIG)).structureChanged, true);
    assert.equal(graph.definition('OUT-1')?.depth, 4);
  });
});
