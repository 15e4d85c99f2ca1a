import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver-types';
import { plural } from '../../../../common/wording';
import type { ThroughlineConfig } from '../model/config';
import type { DocumentIndex, LineSpan, ParseProblem, Reference, Severity } from '../model/model';
import { linksByItem } from '../workspace/relations';
import { DOCUMENT_RULES, RULE_BY_NAME } from '.';
import { ruleDocsHref, type Finding, type Rule, type RuleContext } from './rule';
import type { GraphQueries } from '../workspace/workspaceGraph';
import { NO_HISTORY, type HistoryQueries } from '../history/strategyHistory';
import { MAX_RELATED_LOCATIONS, truncate } from '../model/limits';

export const DIAGNOSTIC_SOURCE = 'throughline';

const LSP_SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

export function toRange(span: LineSpan) {
  return { start: { line: span.line, character: span.start }, end: { line: span.line, character: span.end } };
}

/** Diagnostic codes that are not rules: they say what Throughline itself could not do. */
export const INTERNAL_CODE = 'internal';
export const TOO_MANY_PROBLEMS_CODE = 'too-many-problems';

const SEVERITY_ORDER: readonly Severity[] = ['error', 'warning', 'info', 'hint'];

/**
 * Collects one file's diagnostics under the configured severities, bounded whatever the rules
 * report: each diagnostic names at most MAX_RELATED_LOCATIONS related locations, and a file gets at
 * most `config.maxProblemsPerFile` diagnostics plus one summary. The most severe problems are kept,
 * so a capped file fails the CI gate whenever the full list would.
 */
class DiagnosticCollector {
  private readonly limit: number;
  // One bucket per severity, each kept to `limit` entries, so memory stays bounded while rules run.
  // Each entry keeps its reporting order, which the result restores after the most severe are chosen.
  private readonly kept = new Map<Severity, [number, Diagnostic][]>(SEVERITY_ORDER.map((severity) => [severity, []]));
  private reported = 0;
  private dropped = 0;
  private mostSevereDropped: Severity | undefined;

  constructor(private readonly config: ThroughlineConfig) {
    this.limit = Math.max(1, config.maxProblemsPerFile);
  }

  /** The configured severity of a rule, `off` included. */
  configured(rule: string): Severity | 'off' | undefined {
    return this.config.severities.get(rule);
  }

  /** Reports a finding of `rule`: the configuration's severity wins, then the finding's, then the rule's default. */
  report(rule: Rule, finding: Finding<unknown>): void {
    const configured = this.configured(rule.name);
    if (configured === 'off') return;
    const severity = configured ?? finding.severity ?? rule.severity;
    this.add(severity, () => toDiagnostic(rule.name, severity, finding));
  }

  /** A problem that is no rule's, such as what Throughline itself could not do (`internal`); never configured away. */
  internal(message: string, span: LineSpan = { line: 0, start: 0, end: 0 }, code: string = INTERNAL_CODE, severity: Severity = 'error'): void {
    this.add(severity, () => ({ range: toRange(span), severity: LSP_SEVERITY[severity], code, source: DIAGNOSTIC_SOURCE, message: truncate(message) }));
  }

  private add(severity: Severity, diagnostic: () => Diagnostic): void {
    const bucket = this.kept.get(severity)!;
    if (bucket.length < this.limit) bucket.push([this.reported++, diagnostic()]);
    else this.noteDropped(severity, 1);
  }

  private noteDropped(severity: Severity, count: number): void {
    this.dropped += count;
    if (this.mostSevereDropped === undefined || SEVERITY_ORDER.indexOf(severity) < SEVERITY_ORDER.indexOf(this.mostSevereDropped))
      this.mostSevereDropped = severity;
  }

  diagnostics(): Diagnostic[] {
    const chosen: [number, Diagnostic][] = [];
    for (const severity of SEVERITY_ORDER) {
      const bucket = this.kept.get(severity)!;
      const room = this.limit - chosen.length;
      chosen.push(...bucket.slice(0, room));
      if (bucket.length > room) this.noteDropped(severity, bucket.length - room);
    }
    const diagnostics = chosen.sort((a, b) => a[0] - b[0]).map(([, diagnostic]) => diagnostic);
    const dropped = this.dropped;
    if (dropped > 0) {
      diagnostics.push({
        range: toRange({ line: 0, start: 0, end: 0 }),
        severity: LSP_SEVERITY[this.mostSevereDropped ?? 'info'],
        code: TOO_MANY_PROBLEMS_CODE,
        source: DIAGNOSTIC_SOURCE,
        message: `${plural(dropped, 'more problem')} in this file ${dropped === 1 ? 'is' : 'are'} not shown: Throughline reports at most ${this.limit} per file (maxProblemsPerFile). Fix the ones shown first.`,
      });
    }
    return diagnostics;
  }
}

/**
 * Runs every rule on one document, then applies the configured severities and inline suppressions.
 *
 * Output is bounded (see DiagnosticCollector). A rule that throws costs that rule on this document
 * only: it becomes one `internal` error here and every other rule still runs.
 */
export function computeDiagnostics(
  document: DocumentIndex,
  graph: GraphQueries,
  config: ThroughlineConfig,
  today: Date = new Date(),
  history: HistoryQueries = NO_HISTORY,
): Diagnostic[] {
  if (!document.participates) return [];
  const collector = new DiagnosticCollector(config);
  let links: Map<string, Reference[]> | undefined;
  const linksFrom = (itemId: string): readonly Reference[] => (links ??= linksByItem(document.references)).get(itemId) ?? [];
  // One context for every rule of the document, reporting for the rule now running: a context
  // and a closure per rule and document came to 70 MB of garbage in a 10,000-PRD cold pass.
  let rule: (typeof DOCUMENT_RULES)[number] = DOCUMENT_RULES[0]!;
  const context: RuleContext<unknown> = {
    document,
    graph,
    config,
    today,
    history,
    problems: document.problems,
    linksFrom,
    report(finding) {
      const suppressed = document.suppressions.lines.get(finding.span.line);
      if (suppressed && (suppressed.has(rule.name) || suppressed.has('*'))) return;
      collector.report(rule, finding);
    },
  };
  for (const next of DOCUMENT_RULES) {
    rule = next;
    if (collector.configured(rule.name) === 'off' || document.suppressions.file.has(rule.name) || document.suppressions.file.has('*')) continue;
    try {
      rule.check(context);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      collector.internal(`Throughline could not check this document with rule ${rule.name}: ${reason}. The other rules still ran; please report this.`);
    }
  }
  return collector.diagnostics();
}

/**
 * Diagnostics for problems found outside the document rules: a `.throughline.yml` file's problems
 * (rule `config`) or a file that could not be read (`encoding`, `internal`). They go through the
 * same severities and bounds as the rules' findings: `rules: {config: off}` hides config problems,
 * `config: warning` lowers them. An `internal` problem is never configured away.
 */
export function computeConfigDiagnostics(problems: readonly ParseProblem[], config: ThroughlineConfig): Diagnostic[] {
  const collector = new DiagnosticCollector(config);
  for (const problem of problems) {
    const rule = RULE_BY_NAME.get(problem.rule);
    if (rule) collector.report(rule, { span: problem.span, message: problem.message, severity: problem.severity });
    else collector.internal(problem.message, problem.span, problem.rule, problem.severity);
  }
  return collector.diagnostics();
}

/**
 * One `codeDescription` per rule, shared by its diagnostics (never changed once made): a workspace's
 * cached diagnostics held a copy of the same link in each of thousands.
 */
const codeDescriptions = new Map<string, Readonly<{ href: string }>>();

function codeDescriptionOf(code: string): { href: string } {
  let description = codeDescriptions.get(code);
  if (!description) codeDescriptions.set(code, (description = Object.freeze({ href: ruleDocsHref(code) })));
  return description;
}

function toDiagnostic(code: string, severity: Severity, finding: Finding<unknown>): Diagnostic {
  const related = finding.related ?? [];
  const unlisted = Math.max(0, related.length - MAX_RELATED_LOCATIONS) + (finding.unlistedRelated ?? 0);
  const message = unlisted > 0 ? `${finding.message} (${plural(unlisted, 'more location')} not listed)` : finding.message;
  const diagnostic: Diagnostic = {
    range: toRange(finding.span),
    severity: LSP_SEVERITY[severity],
    code,
    codeDescription: codeDescriptionOf(code),
    source: DIAGNOSTIC_SOURCE,
    message: truncate(message),
  };
  if (related.length) {
    diagnostic.relatedInformation = related
      .slice(0, MAX_RELATED_LOCATIONS)
      .map((location) => ({ location: { uri: location.uri, range: toRange(location.span) }, message: truncate(location.message) }));
  }
  if (finding.data !== undefined) diagnostic.data = finding.data;
  return diagnostic;
}

export function severityName(severity: DiagnosticSeverity | undefined): Severity {
  switch (severity) {
    case DiagnosticSeverity.Error:
      return 'error';
    case DiagnosticSeverity.Warning:
      return 'warning';
    case DiagnosticSeverity.Hint:
      return 'hint';
    default:
      return 'info';
  }
}
