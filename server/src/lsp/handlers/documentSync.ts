/**
 * What changes the workspace: documents opened, edited and closed in the editor, files changed on
 * disk, and settings changed by the client. Each change goes to the service, and what it affected
 * is published.
 */
import { FileChangeType, type DidChangeTextDocumentParams } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { normalizeUri } from '../../node/fsWorkspace';
import { withCanonicalUri, type Session } from '../session';

export function registerDocumentSyncHandlers(session: Session): void {
  const { connection, documents, publisher } = session;

  const updated = (name: string) => (event: { document: Parameters<typeof withCanonicalUri>[0] }) =>
    session.notified(
      name,
      (service) => publisher.handleImpact(service.updateDocument(withCanonicalUri(event.document)), { immediate: normalizeUri(event.document.uri) }),
      event.document.uri,
    );
  const opened = updated('didOpen');
  documents.onDidOpen((event) => {
    session.folders.placeUntitled(normalizeUri(event.document.uri), session.settings.initialSettings);
    return opened(event);
  });
  documents.onDidChangeContent(updated('didChange'));
  documents.onDidClose((event) =>
    session.notified(
      'didClose',
      async (service) => {
        const uri = normalizeUri(event.document.uri);
        publisher.handleImpact(await service.closeDocument(uri));
        // Files outside the workspace lose their diagnostics when closed.
        if (!service.graph.document(uri)) publisher.publish(uri);
        session.folders.closedUntitled(uri);
      },
      event.document.uri,
    ),
  );

  connection.onDidChangeWatchedFiles((params) =>
    session.notified('didChangeWatchedFiles', () =>
      applyFileChanges(
        session,
        params.changes.map((change) => ({ uri: change.uri, deleted: change.type === FileChangeType.Deleted })),
      ),
    ),
  );

  connection.onDidChangeConfiguration((params) => {
    if (session.phase !== 'running') return;
    session.settingsQueue = session.settingsQueue.then(() =>
      session.guarded('didChangeConfiguration', undefined, async () => {
        for (const folder of session.folders.all()) {
          const next = await session.settings.afterChange(folder, params);
          if (!next || !session.settings.differFromApplied(folder, next.settings)) continue;
          publisher.handleImpact(await folder.service.updateSettings(next.settings));
        }
        await publisher.publishAll();
      }),
    );
  });

  // Content changes arrive in the client's columns; the documents are kept in UTF-16 ones.
  documents.listen(
    new Proxy(connection, {
      get: (target, property, receiver) =>
        property === 'onDidChangeTextDocument'
          ? (handler: (params: DidChangeTextDocumentParams) => void) =>
              target.onDidChangeTextDocument((params) => handler(session.positions.converts ? changesToServer(session, params) : params))
          : (Reflect.get(target, property, receiver) as unknown),
    }),
  );
}

/**
 * Files changed on disk, from the client's watchers or the server's own (see lifecycle.ts): each
 * change goes to the folder that holds it; one outside every folder concerns no workspace. One
 * change that fails (a file that cannot be read, a URI that cannot be parsed) is logged; the
 * others still apply.
 */
export async function applyFileChanges(session: Session, changes: readonly { uri: string; deleted: boolean }[]): Promise<void> {
  for (const change of changes) {
    try {
      const uri = normalizeUri(change.uri);
      const service = session.folders.containing(uri)?.service;
      if (!service) continue;
      session.publisher.handleImpact(change.deleted ? await service.fileDeleted(uri) : await service.fileChanged(uri));
    } catch (error) {
      session.logError('A watched-file change failed', error);
    }
  }
}

/**
 * A change notification with its ranges in UTF-16 columns. Each range is read against the text the
 * changes before it left, as the client applied them one after the other.
 */
function changesToServer(session: Session, params: DidChangeTextDocumentParams): DidChangeTextDocumentParams {
  const open = session.documents.get(params.textDocument.uri);
  if (!open) return params;
  const scratch = TextDocument.create(open.uri, open.languageId, open.version, open.getText());
  const contentChanges = params.contentChanges.map((change) => {
    const converted = 'range' in change ? { ...change, range: session.positions.changeRangeToServer(change.range, scratch.getText()) } : change;
    TextDocument.update(scratch, [converted], scratch.version + 1);
    return converted;
  });
  return { ...params, contentChanges };
}
