import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver-types';
import type { ThroughlineConfig } from './config';
import type { DocumentIndex, LineSpan, Reference, Severity } from './model';
import { DEFAULT_SEVERITY } from './ruleCatalog';
import { DOCUMENT_RULES } from './rules';
import type { Finding, RuleContext } from './rules/rule';
import type { WorkspaceGraph } from './workspaceGraph';

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

/** Runs every rule on one document, then applies the configured severities and inline suppressions. */
export function computeDiagnostics(document: DocumentIndex, graph: WorkspaceGraph, config: ThroughlineConfig, today: Date = new Date()): Diagnostic[] {
  if (!document.participates) return [];
  const diagnostics: Diagnostic[] = [];
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
        const diagnostic: Diagnostic = {
          range: toRange(finding.span),
          severity: LSP_SEVERITY[severity],
          code: rule.name,
          source: DIAGNOSTIC_SOURCE,
          message: finding.message,
        };
        if (finding.related?.length) {
          diagnostic.relatedInformation = finding.related.map((related) => ({ location: { uri: related.uri, range: toRange(related.span) }, message: related.message }));
        }
        if (finding.data) diagnostic.data = finding.data;
        diagnostics.push(diagnostic);
      },
    };
    rule.check(context);
  }
  return diagnostics;
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
