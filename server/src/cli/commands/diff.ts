/**
 * `throughline diff REF [folder] [--format text|md|json] [--config file]`: how the alignment of the
 * working tree differs from the alignment at a git ref. It prints items added, removed and changed,
 * links added, removed and retargeted, coverage and objective progress before → after.
 *
 * The exit code is 0 whenever the comparison was printed, also when the working tree has more
 * problems than the ref: `diff` describes a change (for a pull-request comment, say) and `check`
 * is what fails a build. Finding problems would also mean running every rule on both states,
 * which would double the time on a large workspace. Bad usage, a folder outside git, or an unknown
 * ref exit 2 with one line on stderr.
 *
 * Like `git diff REF...` and `check --changed-since`, it compares with the merge base of REF and
 * HEAD: on a branch whose REF (main) moved on since it left, main's newer commits are not this
 * branch's changes, and comparing with REF itself showed them undone. The header then says so, and
 * JSON has `mergeBase: true` (`commit` is the merge base's).
 *
 * `--format json` prints one object (version 1); files are relative to the folder, lines 1-based,
 * progress is a fraction 0–1, and `null` means "absent on that side" or "cannot be measured".
 * `resolved` says whether the link's target is defined, with a kind the link may name:
 *
 *   { version: 1, ref, commit, mergeBase,
 *     documents: { before, after },
 *     items: { added: Item[], removed: Item[], changed: { id, kind, file, line, changes: { title?|status?|kind?|file?: { before, after } } }[] },
 *     links: { added: Link[], removed: Link[], retargeted: { from, context, file, line, before: string[], after: string[] }[] },
 *     coverage: { before: Coverage, after: Coverage },
 *     progress: { id, title, file, line, before, after, keyResults: { id, title, before: KeyResult | null, after: KeyResult | null }[] }[] }
 *   Item = { id, kind, title, status: string | null, file, line }
 *   Link = { from, context: traces|supports|frontMatterVision|frontMatterOutcomes, to, resolved, file, line, column }
 *   Coverage = { requirements, tracedRequirements, outcomes, deliveredOutcomes, objectives, objectivesWithOutcomes }
 *   KeyResult = { baseline, target, current: string | null, progress: number | null }
 *
 * It also has `period` ("What changed this period", cli/period.ts; printed in text and Markdown too):
 *
 *   period: { ref, commit, historyRead,
 *     problems: { gained: Problem[], lost: Problem[], gainedCount, lostCount },   (lists: the first 1,000)
 *     progress: { id, title, file, before: Value | null, after: Value | null, who: Who | null }[],
 *     targets: { id, title, file, changes: { figure: Baseline|Target|Due, before, after }[], who: Who | null }[],
 *     innovation: { before: { value, prds }[], after: { value, prds }[] } }
 *   Problem = { file, line, severity, rule, message }   Value = { current: string | null, progress: number | null }
 *   Who = { author, commit, subject } | { uncommitted: true }   (author: the name git records; null: unknown)
 */
import { FileSystemWorkspace, uriFromPath } from '../../node/fsWorkspace';
import { GitWorkspace } from '../../node/gitWorkspace';
import { todayFromEnvironment } from '../../node/today';
import { createLanguageService } from '../../service';
import {
  diffAlignment,
  isEmptyDiff,
  snapshotAlignment,
  type AlignmentDiff,
  type AlignmentSnapshot,
  type CoverageCounts,
  type ItemChange,
  type KeyResultSnapshot,
  type LinkContext,
  type ProgressChange,
  type SnapshotItem,
  type SnapshotLink,
} from '../../service/analysis/alignmentDiff';
import { KIND_LABELS } from '../../service/model/model';
import { formatProgress, formatShare } from '../../../../common/wording';
import { CONFIG_FILE_NAME } from '../../service/model/config';
import { joinUri, type IWorkspace, type ReadResult } from '../../service/workspace/workspace';
import type { WorkspaceGraph } from '../../service/workspace/workspaceGraph';
import {
  initializeService,
  plural,
  refWorkspace,
  relativeFile,
  reportNoFilesSelected,
  resolveInputs,
  skippedFilesLogger,
  UsageError,
  type CliIo,
} from '../common';
import { asCliIo, MAX_CELL_LENGTH, truncate, writeJson } from '../output';
import { comparePeriod, readPeriodHistory, sideState, type SideState } from '../period';
import { mergeBase as mergeBaseOf } from '../changedSince';
import type { PeriodChanges } from '../../service/analysis/report/periodModel';
import { periodJson, periodTextLines } from '../periodFormats';
import { periodMarkdownLines } from '../../report/periodSection';

interface DiffOptions {
  ref: string;
  folder: string;
  format: 'text' | 'md' | 'json';
  config?: string;
}

/** `io`: the CLI's writers; a caller outside the CLI (the benchmark) may pass only `out` and `err`. */
export async function runDiff(options: DiffOptions, callerIo: CliIo | Pick<CliIo, 'out' | 'err'>): Promise<number> {
  const io = asCliIo(callerIo);
  const report = await compareWithRef(options, io.err, { period: true, fromMergeBase: true });
  if (options.format === 'json') writeJson(io, { ...jsonReport(report), ...(report.period ? { period: periodJson(report.period) } : {}) });
  else if (options.format === 'md') io.markup(`${markdownReport(report)}${report.period ? `\n\n${periodMarkdownLines(report.period, 4).join('\n')}` : ''}\n`);
  else {
    const lines = textReport(report);
    // The period's sections go before the blank line and summary line, which stay last.
    if (report.period) lines.splice(lines.length - 2, 0, ...periodTextLines(report.period));
    for (const line of lines) io.out(line);
  }
  return 0;
}

interface DiffReport {
  readonly ref: string;
  readonly commit: string;
  /** Whether `commit` is the merge base of the ref and HEAD, which moved apart (`diff` only). */
  readonly mergeBase: boolean;
  /** The folder compared, absolute. */
  readonly root: string;
  readonly diff: AlignmentDiff;
  /** Whether the ref was indexed afresh rather than by updating the working tree's index. */
  readonly indexedRefAfresh: boolean;
  /** What changed this period (problems, progress, targets, innovation mix), when asked for. */
  readonly period?: PeriodChanges;
}

const MARKDOWN_FILE = /\.(?:md|markdown)$/i;

/**
 * When more files than this changed since the ref (and more than a quarter of the documents),
 * indexing the old tree afresh beats updating the new index file by file.
 */
const MAX_CHANGED_FILES_FOR_UPDATE = 200;
const MAX_CHANGED_SHARE_FOR_UPDATE = 0.25;

/**
 * The alignment of the working tree and at the ref, compared. The working tree is indexed; then,
 * when the ref had the same `.throughline.yml` (or `--config` names one file for both), that index
 * is taken back to the ref by re-reading only the files that differ, from git: a diff of a few
 * files in a workspace of 10,000 costs one index, not two. The graph's incremental update is
 * tested to agree with a fresh index. Otherwise, or when `fresh` is set, the ref gets its own index.
 */
export async function compareWithRef(
  options: Omit<DiffOptions, 'format'>,
  err: (text: string) => void,
  { fresh = false, period = false, since, fromMergeBase = false }: { fresh?: boolean; period?: boolean; since?: string; fromMergeBase?: boolean } = {},
): Promise<DiffReport> {
  if (!options.ref) throw new UsageError('diff needs a git ref to compare with, e.g. `throughline diff HEAD~1`');
  const { root, configFileUri } = await resolveInputs(options.folder, options.config);
  const named = await GitWorkspace.open(options.folder, options.ref);
  // A period (`report --since`) is a point on HEAD's own line; a pull request's diff starts where the branch left REF.
  const base = fromMergeBase ? await mergeBaseOf(root, named.commit) : undefined;
  const git = base === undefined || base === named.commit ? named : await GitWorkspace.open(options.folder, base);
  const workspace = new WorkingTreeThenRef(root, git, configFileUri);
  let messageSuffix = '';
  const logger = skippedFilesLogger((text) => err(`${text}${messageSuffix}`));
  const service = createLanguageService({ workspace, configFileUri, logger, today: todayFromEnvironment() });
  const { files } = await initializeService(service, options.folder);
  logger.finish();
  reportNoFilesSelected(service, files, options.folder, err);
  const after = snapshotAlignment(service);
  // Problems and key results now, before the index is taken back to the ref.
  const afterState = period ? sideState(service, root) : undefined;
  const history = period ? readPeriodHistory(service, root, git.commit) : undefined;

  const changed = await workspace.filesChangedSinceRef(service.graph, (uri) => service.isIncluded(uri));
  let before: AlignmentSnapshot;
  let beforeState: SideState | undefined;
  const update =
    !fresh && changed !== undefined && changed.length <= Math.max(MAX_CHANGED_FILES_FOR_UPDATE, MAX_CHANGED_SHARE_FOR_UPDATE * service.graph.documentCount);
  if (update) {
    git.readAhead(changed);
    workspace.showRef();
    messageSuffix = ` (at ${git.ref})`;
    for (const uri of changed) await service.fileChanged(uri);
    logger.finish();
    before = snapshotAlignment(service);
    if (afterState) beforeState = sideState(service, root);
  } else {
    ({ snapshot: before, state: beforeState } = await snapshotAtRef(git, configFileUri, err, root, afterState !== undefined));
  }
  const periodChanges =
    afterState && beforeState
      ? comparePeriod(beforeState, afterState, { ref: since ?? options.ref, commit: git.commit, ...(since ? { since } : {}) }, await history)
      : undefined;
  return {
    ref: options.ref,
    commit: git.commit,
    mergeBase: git !== named,
    root,
    diff: diffAlignment(before, after),
    indexedRefAfresh: !update,
    ...(periodChanges ? { period: periodChanges } : {}),
  };
}

/** A fresh index of the folder at the ref, over the git tree. */
async function snapshotAtRef(
  git: GitWorkspace,
  configFileUri: string | undefined,
  err: (text: string) => void,
  root: string,
  withState: boolean,
): Promise<{ snapshot: AlignmentSnapshot; state: SideState | undefined }> {
  const workspace = refWorkspace(git, configFileUri);
  const logger = skippedFilesLogger((text) => err(`${text} (at ${git.ref})`));
  const service = createLanguageService({ workspace, configFileUri, logger, today: todayFromEnvironment() });
  await initializeService(service, `${git.ref}`);
  logger.finish();
  return { snapshot: snapshotAlignment(service), state: withState ? sideState(service, root) : undefined };
}

/**
 * The working tree, read as `check` reads it. After `showRef()` every file reads as it was at the
 * ref (or as absent when the ref did not have it), so that `fileChanged` takes the service's index
 * back to the ref.
 */
class WorkingTreeThenRef implements IWorkspace {
  readonly folders: readonly string[];
  private readonly disk: FileSystemWorkspace;
  private atRef = false;
  /** Whether the configuration file was on disk, once the service has looked for it. */
  private configOnDisk: boolean | undefined;

  constructor(
    root: string,
    private readonly git: GitWorkspace,
    /** `--config`: one file for both sides, read from disk. */
    private readonly configFileUri: string | undefined,
  ) {
    this.disk = new FileSystemWorkspace([uriFromPath(root)]);
    this.folders = this.disk.folders;
  }

  private get folderConfigUri(): string {
    return joinUri(this.folders[0]!, CONFIG_FILE_NAME);
  }

  listFiles(folder: string, skipped?: (message: string) => void): Promise<readonly string[]> {
    // Submodules and nested repositories are left out on the working-tree side too: the ref side never lists their files.
    return this.atRef ? this.git.listFiles(folder) : this.disk.listFiles(folder, skipped).then((uris) => this.git.withoutNestedRepositories(uris));
  }

  async readFile(uri: string): Promise<ReadResult | undefined> {
    if (uri === this.configFileUri) return this.disk.readFile(uri);
    if (this.atRef) return this.git.readFile(uri);
    const read = await this.disk.readFile(uri);
    if (uri === this.folderConfigUri) this.configOnDisk = read !== undefined;
    return read;
  }

  showRef(): void {
    this.atRef = true;
  }

  /**
   * Files to read again at the ref: those git finds changed since it, and documents the ref does
   * not have. Undefined when the configuration differs (every file may index differently then) or
   * git could not tell what changed. Files the configuration leaves out are out on both sides.
   */
  async filesChangedSinceRef(graph: WorkspaceGraph, isIncluded: (uri: string) => boolean): Promise<string[] | undefined> {
    const changedInGit = await this.git.changedInWorkingTree();
    if (!changedInGit) return undefined;
    if (this.configFileUri === undefined) {
      const config = this.folderConfigUri;
      const sameConfig = this.git.has(config) ? !changedInGit.has(config) : this.configOnDisk !== true;
      if (!sameConfig) return undefined;
    }
    const changed = new Set<string>();
    for (const uri of changedInGit) if (MARKDOWN_FILE.test(uri) && isIncluded(uri)) changed.add(uri);
    for (const document of graph.allDocuments()) if (!this.git.has(document.uri)) changed.add(document.uri);
    return [...changed];
  }
}

// ---- shared wording ------------------------------------------------------------------------------

const LINK_LABELS: Record<LinkContext, string> = {
  traces: 'Traces:',
  supports: 'Supports:',
  frontMatterVision: 'vision:',
  frontMatterOutcomes: 'outcomes:',
};

const COVERAGE_ROWS: readonly { label: string; part: keyof CoverageCounts; whole: keyof CoverageCounts }[] = [
  { label: 'requirements traced', part: 'tracedRequirements', whole: 'requirements' },
  { label: 'outcomes delivered', part: 'deliveredOutcomes', whole: 'outcomes' },
  { label: 'objectives with outcomes', part: 'objectivesWithOutcomes', whole: 'objectives' },
];

function ratio(counts: CoverageCounts, part: keyof CoverageCounts, whole: keyof CoverageCounts): string {
  const total = counts[whole];
  return `${counts[part]}/${total} (${formatShare(counts[part], total)})`;
}

function progressText(progress: number | undefined): string {
  return progress === undefined ? '—' : formatProgress(progress);
}

function itemChangeText(change: ItemChange, root: string): string {
  return change.fields
    .map((field) => {
      if (field === 'uri') return `moved ${relativeFile(root, change.before.uri)} → ${relativeFile(root, change.after.uri)}`;
      if (field === 'kind') return `kind ${KIND_LABELS[change.before.kind]} → ${KIND_LABELS[change.after.kind]}`;
      const before = change.before[field] ?? '';
      const after = change.after[field] ?? '';
      return field === 'title' ? `title "${before}" → "${after}"` : `status ${before || '(none)'} → ${after || '(none)'}`;
    })
    .join(', ');
}

/** `Current: 46% → 50%` and the like, for the figures of a key result that changed. */
function figureChanges(before: KeyResultSnapshot | undefined, after: KeyResultSnapshot | undefined): string {
  if (!before) return 'new';
  if (!after) return 'removed';
  return (['baseline', 'target', 'current'] as const)
    .filter((figure) => before[figure] !== after[figure])
    .map((figure) => `${figure[0]!.toUpperCase()}${figure.slice(1)}: ${before[figure] ?? '(none)'} → ${after[figure] ?? '(none)'}`)
    .join(', ');
}

/** A link that does not count: its target is defined nowhere, or is not a kind the link may name. */
function unresolved(link: SnapshotLink): string {
  return link.resolved ? '' : ' (broken)';
}

function summaryLine(diff: AlignmentDiff): string {
  if (isEmptyDiff(diff)) return 'No items, links or progress changed.';
  const { items, links } = diff;
  const counts = [
    [items.added.length, 'item', 'added'],
    [items.removed.length, 'item', 'removed'],
    [items.changed.length, 'item', 'changed'],
    [links.added.length, 'link', 'added'],
    [links.removed.length, 'link', 'removed'],
    [links.retargeted.length, 'link', 'retargeted'],
  ] as const;
  const parts = counts.filter(([count]) => count > 0).map(([count, noun, change]) => `${plural(count, noun)} ${change}`);
  if (diff.progress.length) parts.push(`progress of ${plural(diff.progress.length, 'objective')} changed`);
  return `${parts.join(', ')}.`;
}

// ---- text ----------------------------------------------------------------------------------------

/** The text report, one line per entry: `io.out` escapes each line at the output boundary. */
function textReport({ ref, commit, mergeBase, root, diff }: DiffReport): string[] {
  const lines: string[] = [`Alignment at ${mergeBase ? `the merge base of ${ref} and HEAD` : ref} (${commit.slice(0, 7)}) → working tree`];
  const section = (title: string, body: string[]) => {
    if (body.length) lines.push('', title, ...body.map((line) => `  ${line}`));
  };
  const itemLine = (marker: string, item: SnapshotItem) => `${marker} ${item.id}  ${KIND_LABELS[item.kind]}  ${item.title}  (${relativeFile(root, item.uri)})`;
  section('Items', [
    ...diff.items.added.map((item) => itemLine('+', item)),
    ...diff.items.removed.map((item) => itemLine('-', item)),
    ...diff.items.changed.map(
      (change) => `~ ${change.after.id}  ${KIND_LABELS[change.after.kind]}  ${itemChangeText(change, root)}  (${relativeFile(root, change.after.uri)})`,
    ),
  ]);
  const linkLine = (marker: string, link: SnapshotLink) =>
    `${marker} ${link.fromId} ${LINK_LABELS[link.context]} ${link.toId}${unresolved(link)}  (${relativeFile(root, link.uri)})`;
  section('Links', [
    ...diff.links.added.map((link) => linkLine('+', link)),
    ...diff.links.removed.map((link) => linkLine('-', link)),
    ...diff.links.retargeted.map(
      (retarget) =>
        `~ ${retarget.fromId} ${LINK_LABELS[retarget.context]} ${retarget.removed.map((link) => `${link.toId}${unresolved(link)}`).join(', ')} → ` +
        `${retarget.added.map((link) => `${link.toId}${unresolved(link)}`).join(', ')}  (${relativeFile(root, retarget.added[0]!.uri)})`,
    ),
  ]);
  const labelWidth = Math.max(...COVERAGE_ROWS.map((row) => row.label.length));
  section(
    'Coverage',
    COVERAGE_ROWS.map(
      (row) => `${row.label.padEnd(labelWidth)}  ${ratio(diff.coverage.before, row.part, row.whole)} → ${ratio(diff.coverage.after, row.part, row.whole)}`,
    ),
  );
  section(
    'Progress',
    diff.progress.flatMap((objective) => [
      `${objective.id} ${progressText(objective.before)} → ${progressText(objective.after)}  ${objective.title}`,
      ...objective.keyResults.map(
        (keyResult) =>
          `  ${keyResult.id} ${progressText(keyResult.before?.progress)} → ${progressText(keyResult.after?.progress)}  ${figureChanges(keyResult.before, keyResult.after)}`,
      ),
    ]),
  );
  lines.push('', summaryLine(diff));
  return lines;
}

// ---- Markdown ------------------------------------------------------------------------------------

/** A pull-request comment holds at most 65,536 characters; long lists are cut and the JSON format has all. */
const MARKDOWN_ROWS = 50;

/** Control characters (line breaks too) in repository text, which a table row cannot hold. */
const CONTROLS = /[\u0000-\u001F\u007F-\u009F\u2028\u2029]+/g;

/** Repository text in a table cell: on one line, cut at MAX_CELL_LENGTH, Markdown punctuation escaped. */
function cell(text: string): string {
  return truncate(text, MAX_CELL_LENGTH)
    .replace(CONTROLS, ' ')
    .replace(/([\\`*_[\]<>|])/g, '\\$1');
}

function code(text: string): string {
  return `\`${truncate(text, MAX_CELL_LENGTH).replace(CONTROLS, ' ').replace(/`/g, "'").replace(/\|/g, '\\|')}\``;
}

function table(header: readonly string[], rows: readonly string[][], ref: string): string[] {
  const lines = [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`, ...rows.slice(0, MARKDOWN_ROWS).map((row) => `| ${row.join(' | ')} |`)];
  if (rows.length > MARKDOWN_ROWS) lines.push('', `…and ${rows.length - MARKDOWN_ROWS} more: \`throughline diff ${ref} --format json\` lists them all.`);
  return lines;
}

function markdownReport({ ref, commit, mergeBase, root, diff }: DiffReport): string {
  const since = mergeBase ? `the merge base of ${code(ref)} and HEAD` : code(ref);
  const lines: string[] = [`### Throughline: alignment changes since ${since} (${code(commit.slice(0, 7))})`, '', summaryLine(diff), ''];
  lines.push(
    ...table(
      ['Coverage', 'Before', 'After'],
      COVERAGE_ROWS.map((row) => [
        `${row.label[0]!.toUpperCase()}${row.label.slice(1)}`,
        ratio(diff.coverage.before, row.part, row.whole),
        ratio(diff.coverage.after, row.part, row.whole),
      ]),
      ref,
    ),
  );
  const { items, links } = diff;
  if (items.added.length + items.removed.length + items.changed.length) {
    const itemRow = (marker: string, item: SnapshotItem, change = ''): string[] => [
      marker,
      code(item.id),
      KIND_LABELS[item.kind],
      cell(item.title),
      code(relativeFile(root, item.uri)),
      cell(change),
    ];
    lines.push(
      '',
      `#### Items: ${items.added.length} added, ${items.removed.length} removed, ${items.changed.length} changed`,
      '',
      ...table(
        ['', 'ID', 'Kind', 'Title', 'File', 'Change'],
        [
          ...items.added.map((item) => itemRow('+', item)),
          ...items.removed.map((item) => itemRow('−', item)),
          ...items.changed.map((change) => itemRow('~', change.after, itemChangeText(change, root))),
        ],
        ref,
      ),
    );
  }
  if (links.added.length + links.removed.length + links.retargeted.length) {
    const target = (link: SnapshotLink) => `${code(link.toId)}${unresolved(link)}`;
    const linkRow = (marker: string, link: SnapshotLink): string[] => [
      marker,
      code(link.fromId),
      code(LINK_LABELS[link.context]),
      target(link),
      code(relativeFile(root, link.uri)),
    ];
    lines.push(
      '',
      `#### Links: ${links.added.length} added, ${links.removed.length} removed, ${links.retargeted.length} retargeted`,
      '',
      ...table(
        ['', 'From', 'Link', 'To', 'File'],
        [
          ...links.added.map((link) => linkRow('+', link)),
          ...links.removed.map((link) => linkRow('−', link)),
          ...links.retargeted.map((retarget) => [
            '~',
            code(retarget.fromId),
            code(LINK_LABELS[retarget.context]),
            `${retarget.removed.map((link) => `~~${code(link.toId)}~~${unresolved(link)}`).join(', ')} → ${retarget.added.map(target).join(', ')}`,
            code(relativeFile(root, retarget.added[0]!.uri)),
          ]),
        ],
        ref,
      ),
    );
  }
  if (diff.progress.length) {
    lines.push(
      '',
      '#### Objective progress',
      '',
      ...table(
        ['Objective or key result', 'Before', 'After', 'Change'],
        diff.progress.flatMap((objective) => [
          [`${code(objective.id)} ${cell(objective.title)}`, progressText(objective.before), progressText(objective.after), ''],
          ...objective.keyResults.map((keyResult) => [
            `↳ ${code(keyResult.id)} ${cell(keyResult.title)}`,
            progressText(keyResult.before?.progress),
            progressText(keyResult.after?.progress),
            cell(figureChanges(keyResult.before, keyResult.after)),
          ]),
        ]),
        ref,
      ),
    );
  }
  return lines.join('\n');
}

// ---- JSON ----------------------------------------------------------------------------------------

function jsonReport({ ref, commit, mergeBase, root, diff }: DiffReport) {
  const file = (uri: string) => relativeFile(root, uri);
  const item = (entry: SnapshotItem) => ({
    id: entry.id,
    kind: entry.kind,
    title: entry.title,
    status: entry.status ?? null,
    file: file(entry.uri),
    line: entry.line + 1,
  });
  const link = (entry: SnapshotLink) => ({
    from: entry.fromId,
    context: entry.context,
    to: entry.toId,
    resolved: entry.resolved,
    file: file(entry.uri),
    line: entry.line + 1,
    column: entry.character + 1,
  });
  const keyResult = (entry: KeyResultSnapshot | undefined) =>
    entry ? { baseline: entry.baseline ?? null, target: entry.target ?? null, current: entry.current ?? null, progress: entry.progress ?? null } : null;
  const progress = (entry: ProgressChange) => ({
    id: entry.id,
    title: entry.title,
    file: file(entry.uri),
    line: entry.line + 1,
    before: entry.before ?? null,
    after: entry.after ?? null,
    keyResults: entry.keyResults.map((change) => ({ id: change.id, title: change.title, before: keyResult(change.before), after: keyResult(change.after) })),
  });
  const changed = (change: ItemChange) => {
    const changes: Record<string, { before: string | null; after: string | null }> = {};
    for (const field of change.fields) {
      if (field === 'uri') changes['file'] = { before: file(change.before.uri), after: file(change.after.uri) };
      else changes[field] = { before: change.before[field] ?? null, after: change.after[field] ?? null };
    }
    return { id: change.after.id, kind: change.after.kind, file: file(change.after.uri), line: change.after.line + 1, changes };
  };
  return {
    version: 1,
    ref,
    commit,
    mergeBase,
    documents: diff.documents,
    items: { added: diff.items.added.map(item), removed: diff.items.removed.map(item), changed: diff.items.changed.map(changed) },
    links: {
      added: diff.links.added.map(link),
      removed: diff.links.removed.map(link),
      retargeted: diff.links.retargeted.map((retarget) => ({
        from: retarget.fromId,
        context: retarget.context,
        file: file(retarget.added[0]!.uri),
        line: retarget.added[0]!.line + 1,
        before: retarget.removed.map((entry) => entry.toId),
        after: retarget.added.map((entry) => entry.toId),
      })),
    },
    coverage: diff.coverage,
    progress: diff.progress.map(progress),
  };
}
