import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver-types';
import type { ThroughlineConfig } from './config';
import type { DocumentIndex, LineSpan, Reference, Severity } from './model';
import { DEFAULT_SEVERITY } from './ruleCatalog';
import { DOCUMENT_RULES } from './rules';
import type { Finding, RuleContext } from './rules/rule';
import type { WorkspaceGraph } from './workspaceGraph';
import { MAX_RELATED_LOCATIONS, truncate } from './limits';

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
 * Runs every rule on one document, then applies the configured severities and inline suppressions.
 *
 * Output is bounded whatever the document holds: each diagnostic names at most
 * MAX_RELATED_LOCATIONS related locations, and a file gets at most `config.maxProblemsPerFile`
 * diagnostics plus one summary. The most severe problems are kept, so a capped file fails the
 * CI gate whenever the full list would. A rule that throws costs that rule on this document only:
 * it becomes one `internal` error here and every other rule still runs.
 */
export function computeDiagnostics(document: DocumentIndex, graph: WorkspaceGraph, config: ThroughlineConfig, today: Date = new Date()): Diagnostic[] {
  if (!document.participates) return [];
  const limit = Math.max(1, config.maxProblemsPerFile);
  // One bucket per severity, each kept to `limit` entries, so memory stays bounded while rules run.
  // Each entry keeps its reporting order, which the result restores after the most severe are chosen.
  const kept = new Map<Severity, [number, Diagnostic][]>(SEVERITY_ORDER.map((severity) => [severity, []]));
  let reported = 0;
  let dropped = 0;
  let mostSevereDropped: Severity | undefined;
  const noteDropped = (severity: Severity, count: number) => {
    dropped += count;
    if (mostSevereDropped === undefined || SEVERITY_ORDER.indexOf(severity) < SEVERITY_ORDER.indexOf(mostSevereDropped)) mostSevereDropped = severity;
  };
  const add = (severity: Severity, diagnostic: () => Diagnostic) => {
    const bucket = kept.get(severity)!;
    if (bucket.length < limit) bucket.push([reported++, diagnostic()]);
    else noteDropped(severity, 1);
  };
  let linksByItem: Map<string, Reference[]> | undefined;
  for (const rule of DOCUMENT_RULES) {
    const configured = config.severities.get(rule.name);
    if (configured === 'off' || document.suppressions.file.has(rule.name) || document.suppressions.file.has('*')) continue;
    const context: RuleContext = {
      document,
      graph,
      config,
      today,
      linksFrom(itemId) {
        if (!linksByItem) {
          linksByItem = new Map();
          for (const reference of document.references) {
            if (!reference.fromId || reference.context === 'prose') continue;
            const list = linksByItem.get(reference.fromId);
            if (list) list.push(reference);
            else linksByItem.set(reference.fromId, [reference]);
          }
        }
        return linksByItem.get(itemId) ?? [];
      },
      report(finding: Finding) {
        const suppressed = document.suppressions.lines.get(finding.span.line);
        if (suppressed && (suppressed.has(rule.name) || suppressed.has('*'))) return;
        const severity = configured ?? finding.severity ?? DEFAULT_SEVERITY.get(rule.name) ?? 'warning';
        add(severity, () => toDiagnostic(rule.name, severity, finding));
      },
    };
    try {
      rule.check(context);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      add('error', () => ({
        range: toRange({ line: 0, start: 0, end: 0 }),
        severity: DiagnosticSeverity.Error,
        code: INTERNAL_CODE,
        source: DIAGNOSTIC_SOURCE,
        message: truncate(`Throughline could not check this document with rule ${rule.name}: ${reason}. The other rules still ran; please report this.`),
      }));
    }
  }
  const chosen: [number, Diagnostic][] = [];
  for (const severity of SEVERITY_ORDER) {
    const bucket = kept.get(severity)!;
    const room = limit - chosen.length;
    chosen.push(...bucket.slice(0, room));
    if (bucket.length > room) noteDropped(severity, bucket.length - room);
  }
  const diagnostics = chosen.sort((a, b) => a[0] - b[0]).map(([, diagnostic]) => diagnostic);
  if (dropped > 0) {
    diagnostics.push({
      range: toRange({ line: 0, start: 0, end: 0 }),
      severity: LSP_SEVERITY[mostSevereDropped ?? 'info'],
      code: TOO_MANY_PROBLEMS_CODE,
      source: DIAGNOSTIC_SOURCE,
      message: `${dropped} more ${dropped === 1 ? 'problem' : 'problems'} in this file ${dropped === 1 ? 'is' : 'are'} not shown: Throughline reports at most ${limit} per file (maxProblemsPerFile). Fix the ones shown first.`,
    });
  }
  return diagnostics;
}

function toDiagnostic(code: string, severity: Severity, finding: Finding): Diagnostic {
  const related = finding.related ?? [];
  const unlisted = Math.max(0, related.length - MAX_RELATED_LOCATIONS) + (finding.unlistedRelated ?? 0);
  const message = unlisted > 0 ? `${finding.message} (${unlisted} more ${unlisted === 1 ? 'location' : 'locations'} not listed)` : finding.message;
  const diagnostic: Diagnostic = { range: toRange(finding.span), severity: LSP_SEVERITY[severity], code, source: DIAGNOSTIC_SOURCE, message: truncate(message) };
  if (related.length) {
    diagnostic.relatedInformation = related
      .slice(0, MAX_RELATED_LOCATIONS)
      .map((location) => ({ location: { uri: location.uri, range: toRange(location.span) }, message: truncate(location.message) }));
  }
  if (finding.data) diagnostic.data = finding.data;
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
