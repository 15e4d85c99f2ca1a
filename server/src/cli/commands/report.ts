/**
 * `throughline report [folder] [--out file] [--format html|md] [--config file] [--strategy STR-ID]`:
 * the strategy report as one self-contained HTML file (the default) or as Markdown for a pull
 * request; titled after the vision, and with `--strategy` narrowed to one product line.
 *
 * Without `--out` the report goes to stdout. With it, the file is written and one line on stderr
 * says where and how big. The folder the file goes into must exist: creating folders is left to
 * the caller, so that a typo in the path is a usage error rather than a new directory tree.
 *
 * The exit code is 0 whenever the report was made, whatever problems it lists: the report informs,
 * `check` is what fails a build.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { renderReportHtml, renderReportMarkdown } from '../../report';
import { loadHistory, openWorkspace, UsageError, type CliIo } from '../common';
import { oneLineMessage } from '../output';
import { resolveSince } from '../period';
import { compareWithRef } from './diff';
import { productLineReport, reportTitleFromVision, strategyIds } from '../../service/analysis/report/productLines';

interface ReportOptions {
  folder: string;
  /** File to write; stdout when absent. */
  out?: string;
  format: 'html' | 'md';
  config?: string;
  /** One product line: the strategy with this ID. */
  strategy?: string;
  /** Add "What changed this period" since this git ref, or since the last commit on or before this date (YYYY-MM-DD). */
  since?: string;
}

/** Fails before the (possibly long) indexing when the output file cannot be written where asked. */
async function checkOutput(out: string): Promise<string> {
  const target = path.resolve(out);
  const parent = path.dirname(target);
  const parentStat = await fs.stat(parent).catch(() => undefined);
  if (!parentStat) throw new UsageError(`cannot write ${out}: folder ${path.dirname(out) || '.'} does not exist`);
  if (!parentStat.isDirectory()) throw new UsageError(`cannot write ${out}: ${path.dirname(out)} is not a folder`);
  const targetStat = await fs.stat(target).catch(() => undefined);
  if (targetStat?.isDirectory()) throw new UsageError(`cannot write ${out}: it is a folder`);
  return target;
}

function sizeText(bytes: number): string {
  if (bytes < 1024 * 1024) return `${Math.max(1, Math.round(bytes / 1024))} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

export async function runReport(options: ReportOptions, io: CliIo): Promise<number> {
  const target = options.out === undefined ? undefined : await checkOutput(options.out);
  // Resolved first: a date with no commit before it is a usage error before the indexing.
  const since = options.since === undefined ? undefined : await resolveSince(path.resolve(options.folder), options.since);
  const { service, root } = await openWorkspace(options.folder, options.config, io.err);
  // The history gives the key results' trend lines; without one (no repository, a shallow clone,
  // a repository git will not read) the report simply has none, so nothing is said.
  await loadHistory(service, root, () => undefined, false);
  const whole = service.getStrategyReport(reportTitleFromVision(service.graph));
  let report = whole;
  if (options.strategy !== undefined) {
    const line = productLineReport(whole, service.graph, options.strategy, service.config.thresholds.innovationMixTolerance);
    if (!line) {
      const known = strategyIds(service.graph);
      throw new UsageError(
        `no strategy ${options.strategy} in ${options.folder}: ${known.length ? `the strategies are ${known.slice(0, 20).join(', ')}${known.length > 20 ? ', …' : ''}` : 'it has no strategy document'}`,
      );
    }
    report = line;
  }
  if (since) {
    const compared = await compareWithRef({ ref: since.ref, folder: options.folder, config: options.config }, io.err, { period: true, since: since.since });
    // Copied with its property descriptors: spreading would read `tree`, a getter that builds the whole tree.
    if (compared.period) report = Object.defineProperties({ period: compared.period }, Object.getOwnPropertyDescriptors(report)) as typeof report;
  }
  const text = options.format === 'md' ? renderReportMarkdown(report) : renderReportHtml(report, { theme: 'standalone' });
  if (target === undefined) {
    // A document, not lines for people: written as rendered (the renderers escape in their own
    // syntax) apart from the markup guard, which keeps lines of it from being workflow commands.
    io.markup(text.endsWith('\n') ? text : `${text}\n`);
    return 0;
  }
  try {
    await fs.writeFile(target, text, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot write ${options.out}: ${(error as NodeJS.ErrnoException).code ?? oneLineMessage((error as Error).message)}`);
  }
  io.err(`throughline: wrote ${options.out} (${sizeText(Buffer.byteLength(text, 'utf8'))})`);
  return 0;
}
