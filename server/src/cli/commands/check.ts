/**
 * `throughline check`: every problem in a folder, as compiler-like text, JSON, SARIF, JUnit XML or
 * GitHub annotations; optionally only the problems a baseline does not list. Exit code 1 when an
 * error remains, else 0.
 */
import { formatShare } from '../../../../common/wording';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { RULES, type ThroughlineLanguageService } from '../../service';
import { compareWithBaseline, readBaseline, writeBaseline, type BaselineComparison } from '../baseline';
import { junitLines, renderGithubAnnotations, renderSarif, SARIF_OMITTED_PROPERTY, type CheckedFile } from '../ciFormats';
import { openWorkspace, plural, relativeFile, VERSION, type CliDiagnostic, type CliIo } from '../common';
import { MAX_PRINTED_MESSAGE_LENGTH, MAX_PRINTED_PROBLEMS, MAX_PRINTED_PROBLEMS_PER_FILE, truncate, writeJson } from '../output';
import { workspaceDiagnostics } from '../period';
import { UNCHECKED_REASONS, whyNotCheckedDespiteProblem, type UncheckedFile, type UncheckedReason } from '../../service/workspace/unchecked';
import { FileSystemWorkspace, MARKDOWN, uriFromPath } from '../../node/fsWorkspace';
import { scopeToChanges, type ChangeScope } from '../changedSince';

/** SARIF run property that says the results are scoped to the changes since a ref. */
export const SARIF_CHANGED_SINCE_PROPERTY = 'throughline/changedSince';

/** `scoped to changes since origin/main (1a2b3c4): 2 on changed lines, 1 caused elsewhere, 5 outside not shown` */
function scopeText(scope: ChangeScope): string {
  return (
    `scoped to changes since ${scope.ref} (${scope.commit.slice(0, 7)}): ${scope.onChangedLines} on changed lines, ` +
    `${scope.causedElsewhere} caused elsewhere, ${scope.outside} outside the changes not shown`
  );
}

export const CHECK_FORMATS = ['text', 'json', 'sarif', 'junit', 'github'] as const;
type CheckFormat = (typeof CHECK_FORMATS)[number];

interface CheckOptions {
  folder: string;
  format: CheckFormat;
  config?: string;
  /** Show and count only the problems this baseline file does not list. */
  baseline?: string;
  /** Record every current problem in this file (whatever `baseline` hides) and exit 0. */
  writeBaseline?: string;
  /**
   * Folder GitHub annotation paths are relative to: the repository root, which Actions runs in.
   * Default: $GITHUB_WORKSPACE, else the current folder.
   */
  annotationRoot?: string;
  /** Read the git history (suspect links, check-ins); on unless `--no-history`. */
  history?: boolean;
  /** List every Markdown file that was not checked, not only the first MAX_UNCHECKED_SHOWN. */
  verbose?: boolean;
  /** Report only problems on lines changed since this git ref, and those the changes caused elsewhere. */
  changedSince?: string;
}

/** Files not checked that the summary names; `--verbose` names them all (up to MAX_PRINTED_PROBLEMS). */
export const MAX_UNCHECKED_SHOWN = 5;

interface NotChecked {
  readonly file: string;
  readonly reason: UncheckedReason;
  readonly detail: string;
}

/** `Not checked: 7 Markdown files (4 not strategy documents, 2 unknown type, 1 too large)` and one line per file shown. */
function notCheckedLines(files: readonly NotChecked[], shown: readonly NotChecked[]): string[] {
  if (files.length === 0) return [];
  const counts = UNCHECKED_REASONS.map((reason) => [reason, files.filter((file) => file.reason === reason).length] as const).filter(([, count]) => count > 0);
  const reasons = counts.map(([reason, count]) =>
    reason === 'not a strategy document' ? plural(count, reason, 'not strategy documents') : `${count} ${reason}`,
  );
  const lines = [`Not checked: ${plural(files.length, 'Markdown file')} (${reasons.join(', ')})`];
  for (const file of shown) lines.push(`  ${file.file}: ${file.reason} (${file.detail})`);
  if (shown.length < files.length) lines.push(`  … and ${files.length - shown.length} more (--verbose lists them all)`);
  return lines;
}

/**
 * Every Markdown file the check did not cover: those the service names (`uncheckedFiles`), and
 * those it left out with one problem saying why (`id: PRD-6` with `type: discovery`: an info, and
 * no check), which it does not name. In the order the folder is walked (names sorted per folder).
 */
async function uncheckedFiles(service: ThroughlineLanguageService, root: string, config: string | undefined): Promise<UncheckedFile[]> {
  const unchecked = await service.uncheckedFiles();
  const named = new Set(unchecked.map((file) => file.uri));
  // `--config` may name any file; its problems are the `config` rule's, not a file left unchecked.
  if (config !== undefined) named.add(uriFromPath(config));
  const workspace = new FileSystemWorkspace([uriFromPath(root)]);
  let added = false;
  for (const uri of service.diagnosticUris()) {
    if (named.has(uri) || !MARKDOWN.test(uri) || service.graph.document(uri)) continue;
    const read = await workspace.readFile(uri).catch(() => undefined);
    const why = read && whyNotCheckedDespiteProblem(read);
    if (!why) continue;
    unchecked.push({ uri, ...why });
    named.add(uri);
    added = true;
  }
  if (!added) return unchecked;
  const keyed = unchecked.map((file) => ({ file, segments: relativeFile(root, file.uri).split('/') }));
  keyed.sort((a, b) => compareSegments(a.segments, b.segments));
  return keyed.map(({ file }) => file);
}

/** Paths in walk order: folder by folder, names compared as the walk sorts them. */
function compareSegments(a: readonly string[], b: readonly string[]): number {
  for (let i = 0; i < a.length && i < b.length; i++) if (a[i] !== b[i]) return a[i]! < b[i]! ? -1 : 1;
  return a.length - b.length;
}

/**
 * The files the check covered and the rules that ran on each: `.throughline.yml` files are checked
 * by the `config` rule alone, strategy documents by every other rule the configuration leaves on.
 */
function checkedFiles(service: ThroughlineLanguageService, root: string): CheckedFile[] {
  const enabled: string[] = RULES.map((rule) => rule.name).filter((name) => service.config.severities.get(name) !== 'off');
  return service.diagnosticUris().map((uri) => ({
    file: relativeFile(root, uri),
    rules: service.graph.document(uri) ? enabled.filter((name) => name !== 'config') : ['config'],
  }));
}

interface PrintedProblems {
  /** The problems every format prints: at most MAX_PRINTED_PROBLEMS_PER_FILE per file, MAX_PRINTED_PROBLEMS in all. */
  readonly printed: CliDiagnostic[];
  /** How many were left out. */
  readonly omitted: number;
}

/** The first problems of each file (in line order) up to the caps; `diagnostics` is sorted by file. */
export function capProblems(diagnostics: readonly CliDiagnostic[], perFile = MAX_PRINTED_PROBLEMS_PER_FILE, total = MAX_PRINTED_PROBLEMS): PrintedProblems {
  const printed: CliDiagnostic[] = [];
  let file: string | undefined;
  let inFile = 0;
  for (const diagnostic of diagnostics) {
    if (diagnostic.file !== file) {
      file = diagnostic.file;
      inFile = 0;
    }
    if (inFile < perFile && printed.length < total) {
      printed.push(diagnostic);
      inFile++;
    }
  }
  return { printed, omitted: diagnostics.length - printed.length };
}

/**
 * Problems printed per file: MAX_PRINTED_PROBLEMS_PER_FILE, or the configured `maxProblemsPerFile`
 * when larger, plus one for the service's own "N more problems in this file" summary.
 */
function printedPerFile(service: ThroughlineLanguageService): number {
  const configured = (service.config as { readonly maxProblemsPerFile?: unknown }).maxProblemsPerFile;
  return Math.max(MAX_PRINTED_PROBLEMS_PER_FILE, typeof configured === 'number' && Number.isSafeInteger(configured) ? configured : 0) + 1;
}

/** The line that ends text and GitHub output when some problems were not printed. */
function omittedLine(omitted: number, perFile: number): string {
  return (
    `… and ${plural(omitted, 'more problem')} not shown: output stops at ${perFile.toLocaleString('en')} problems per file and ` +
    `${MAX_PRINTED_PROBLEMS.toLocaleString('en')} in all (the counts below include every problem).`
  );
}

export async function runCheck(options: CheckOptions, io: CliIo): Promise<number> {
  // A bad baseline is a usage error: find it before the (longer) indexing.
  const baseline = options.baseline === undefined ? undefined : await readBaseline(options.baseline);
  const { service, root } = await openWorkspace(options.folder, options.config, io.err, { history: options.history, verbose: options.verbose });
  const all = workspaceDiagnostics(service, root);
  const comparison: BaselineComparison | undefined = baseline && compareWithBaseline(all, baseline);
  const unscoped = comparison ? comparison.fresh : all;
  const scope: ChangeScope | undefined =
    options.changedSince === undefined
      ? undefined
      : await scopeToChanges(
          {
            folder: options.folder,
            root,
            ref: options.changedSince,
            configFileUri: options.config === undefined ? undefined : uriFromPath(options.config),
            history: options.history ?? true,
          },
          unscoped,
          all,
        );
  const diagnostics = scope ? scope.problems : unscoped;
  const { printed, omitted } = capProblems(diagnostics, printedPerFile(service));
  // Written before any output, so that a baseline that cannot be written leaves stdout empty.
  const written = options.writeBaseline === undefined ? undefined : await writeBaseline(options.writeBaseline, all);

  const notChecked: NotChecked[] = (await uncheckedFiles(service, root, options.config)).map(({ uri, reason, detail }) => ({
    file: relativeFile(root, uri),
    reason,
    detail: truncate(detail, MAX_PRINTED_MESSAGE_LENGTH),
  }));
  const notCheckedShown = notChecked.slice(0, options.verbose ? MAX_PRINTED_PROBLEMS : MAX_UNCHECKED_SHOWN);

  // The counts alone: the summary shows no objective's progress (working it out took 40–90 ms at 10,000 PRDs).
  const coverage = service.getCoverageCounts();
  let items = 0;
  for (const document of service.graph.allDocuments()) items += document.items.length;
  let errors = 0;
  let warnings = 0;
  for (const diagnostic of diagnostics) {
    if (diagnostic.severity === 'error') errors++;
    else if (diagnostic.severity === 'warning') warnings++;
  }
  const summary = {
    documents: service.graph.documentCount,
    items,
    requirements: coverage.requirements,
    tracedRequirements: coverage.tracedRequirements,
    outcomes: coverage.outcomes,
    deliveredOutcomes: coverage.deliveredOutcomes,
    errors,
    warnings,
    notChecked: notChecked.length,
    ...(comparison ? { baselined: comparison.baselined, baselineFixed: comparison.fixed } : {}),
    ...(scope
      ? {
          changedSince: {
            ref: scope.ref,
            commit: scope.commit,
            onChangedLines: scope.onChangedLines,
            causedElsewhere: scope.causedElsewhere,
            outside: scope.outside,
          },
        }
      : {}),
  };
  const summaryLine =
    `${plural(errors, 'error')}, ${plural(warnings, 'warning')} in ${plural(summary.documents, 'document')} · ` +
    (comparison ? `${plural(comparison.baselined, 'baselined problem')} not shown${comparison.fixed ? `, ${comparison.fixed} fixed` : ''} · ` : '') +
    (scope ? `${scopeText(scope)} · ` : '') +
    `${summary.tracedRequirements}/${summary.requirements} requirements traced (${formatShare(summary.tracedRequirements, summary.requirements)}) · ` +
    `${summary.deliveredOutcomes}/${summary.outcomes} outcomes delivered · ${coverage.objectivesWithOutcomes}/${coverage.objectives} objectives with outcomes`;

  switch (options.format) {
    case 'json':
      writeJson(io, {
        version: 1,
        summary,
        diagnostics: printed,
        ...(omitted ? { omitted } : {}),
        ...(notChecked.length ? { notChecked: notCheckedShown } : {}),
      });
      break;
    case 'sarif': {
      const rootUri = pathToFileURL(root).href;
      const log = renderSarif(printed, {
        toolVersion: VERSION,
        rootUri: rootUri.endsWith('/') ? rootUri : `${rootUri}/`,
        rules: RULES,
        baselineUsed: comparison !== undefined,
      });
      if (omitted || scope)
        log.runs[0]!.properties = {
          ...(omitted ? { [SARIF_OMITTED_PROPERTY]: omitted } : {}),
          ...(scope ? { [SARIF_CHANGED_SINCE_PROPERTY]: { ...summary.changedSince, summary: scopeText(scope) } } : {}),
        };
      io.json(log, 2);
      break;
    }
    case 'junit':
      for (const line of junitLines(diagnostics, checkedFiles(service, root), RULES, new Set(printed))) io.markup(`${line}\n`);
      break;
    case 'github': {
      const annotationRoot = path.resolve(options.annotationRoot ?? (process.env.GITHUB_WORKSPACE || process.cwd()));
      const annotationPath = (file: string) =>
        path
          .relative(annotationRoot, path.join(root, ...file.split('/')))
          .split(path.sep)
          .join('/');
      for (const line of renderGithubAnnotations(printed, annotationPath)) io.command(line);
      // Plain lines are log text in a workflow run: the summary reads as it does in a terminal.
      if (omitted) io.out(omittedLine(omitted, printedPerFile(service)));
      for (const line of notCheckedLines(notChecked, notCheckedShown)) io.out(line);
      io.out(summaryLine);
      break;
    }
    case 'text':
      for (const diagnostic of printed)
        io.out(`${diagnostic.file}:${diagnostic.line}:${diagnostic.column}  ${diagnostic.severity}  ${diagnostic.message}  [${diagnostic.rule}]`);
      if (omitted) io.out(omittedLine(omitted, printedPerFile(service)));
      if (diagnostics.length) io.out('');
      // Before the summary, which stays the last line.
      for (const line of notCheckedLines(notChecked, notCheckedShown)) io.out(line);
      io.out(summaryLine);
      break;
  }
  if (written !== undefined) {
    io.err(`throughline: wrote ${plural(written, 'problem')} to the baseline ${options.writeBaseline}`);
    return 0;
  }
  return errors > 0 ? 1 : 0;
}
