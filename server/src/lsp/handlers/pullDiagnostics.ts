/**
 * Pull diagnostics (LSP 3.17) for clients that support them: `textDocument/diagnostic` for one
 * document and `workspace/diagnostic` for every document with problems, each with result IDs so
 * that what did not change is answered `unchanged`. A workspace pull with nothing new is held until
 * something changes (or the client cancels it), so a client that pulls again at once does not spin.
 */
import {
  DocumentDiagnosticReportKind,
  type CancellationToken,
  type Diagnostic,
  type DocumentDiagnosticReport,
  type ServerCapabilities,
  type WorkspaceDocumentDiagnosticReport,
} from 'vscode-languageserver/node';
import { normalizeUri } from '../../node/fsWorkspace';
import type { Session } from '../session';

/** How long a workspace pull with nothing new is held before it is answered anyway. */
const HOLD_MS = 60_000;

/** Announced in `initialize` only to a client that pulls; the others are sent diagnostics. */
export const PULL_DIAGNOSTICS_CAPABILITIES: ServerCapabilities = {
  diagnosticProvider: { identifier: 'throughline', interFileDependencies: true, workspaceDiagnostics: true },
};

/** A result ID for a list of diagnostics: equal lists, equal IDs (FNV-1a over their JSON). */
function resultIdOf(diagnostics: readonly Diagnostic[]): string {
  const text = JSON.stringify(diagnostics);
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index++) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return `${diagnostics.length}-${(hash >>> 0).toString(36)}`;
}

export function registerPullDiagnosticsHandlers(session: Session): void {
  const { connection } = session;

  connection.languages.diagnostics.on((params, token) =>
    session.guarded(
      'diagnostic',
      { kind: DocumentDiagnosticReportKind.Full, items: [] } as DocumentDiagnosticReport,
      (service): DocumentDiagnosticReport => {
        const uri = normalizeUri(params.textDocument.uri);
        const items = service.getDiagnostics(uri);
        const resultId = resultIdOf(items);
        return params.previousResultId === resultId
          ? { kind: DocumentDiagnosticReportKind.Unchanged, resultId }
          : { kind: DocumentDiagnosticReportKind.Full, resultId, items };
      },
      { token, uri: params.textDocument.uri },
    ),
  );

  connection.languages.diagnostics.onWorkspace((params, token) =>
    session.guarded(
      'workspaceDiagnostic',
      { items: [] },
      async () => {
        const previous = new Map(params.previousResultIds.map((entry) => [normalizeUri(entry.uri), entry.value]));
        const deadline = Date.now() + HOLD_MS;
        const whenCancelled = cancelled(token);
        for (;;) {
          const changed = changedReports(session, previous);
          if (changed.length > 0 || Date.now() >= deadline || token.isCancellationRequested || session.phase !== 'running') return { items: changed };
          await Promise.race([session.publisher.nextChange(), whenCancelled, delay(deadline - Date.now())]);
        }
      },
      { token },
    ),
  );
}

/** Reports for every document whose diagnostics differ from what the client has (`previous`). */
function changedReports(session: Session, previous: ReadonlyMap<string, string>): WorkspaceDocumentDiagnosticReport[] {
  const reports: WorkspaceDocumentDiagnosticReport[] = [];
  const seen = new Set<string>();
  for (const service of session.folders.services()) {
    for (const uri of service.diagnosticUris()) {
      seen.add(uri);
      const items = service.getDiagnostics(uri);
      const resultId = resultIdOf(items);
      if (previous.get(uri) !== resultId)
        reports.push({ kind: DocumentDiagnosticReportKind.Full, uri, version: session.openVersion(uri) ?? null, resultId, items });
    }
  }
  // A document the client has problems for and that has none now: an empty report clears them.
  for (const [uri, value] of previous) {
    const empty = resultIdOf([]);
    if (!seen.has(uri) && value !== empty)
      reports.push({ kind: DocumentDiagnosticReportKind.Full, uri, version: session.openVersion(uri) ?? null, resultId: empty, items: [] });
  }
  return reports;
}

function cancelled(token: CancellationToken): Promise<void> {
  return new Promise((resolve) => {
    if (token.isCancellationRequested) resolve();
    else token.onCancellationRequested(() => resolve());
  });
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)).unref());
}
