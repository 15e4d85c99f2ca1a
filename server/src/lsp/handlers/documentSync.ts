/**
 * What changes the workspace: documents opened, edited and closed in the editor, files changed on
 * disk, and settings changed by the client. Each change goes to the service, and what it affected
 * is published.
 */
import { FileChangeType } from 'vscode-languageserver/node';
import { normalizeUri } from '../../node/fsWorkspace';
import { withCanonicalUri, type Session } from '../session';

export function registerDocumentSyncHandlers(session: Session): void {
  const { connection, documents, publisher } = session;

  const updated = (name: string) => (event: { document: Parameters<typeof withCanonicalUri>[0] }) =>
    session.notified(name, (service) => publisher.handleImpact(service.updateDocument(withCanonicalUri(event.document)), normalizeUri(event.document.uri)));
  documents.onDidOpen(updated('didOpen'));
  documents.onDidChangeContent(updated('didChange'));
  documents.onDidClose((event) =>
    session.notified('didClose', async (service) => {
      const uri = normalizeUri(event.document.uri);
      publisher.handleImpact(await service.closeDocument(uri));
      // Files outside the workspace lose their diagnostics when closed.
      if (!service.graph.document(uri)) publisher.publish(uri);
    }),
  );

  connection.onDidChangeWatchedFiles((params) =>
    session.notified('didChangeWatchedFiles', async (service) => {
      // One change that fails (a file that cannot be read, a URI that cannot be parsed) is logged; the others still apply.
      for (const change of params.changes) {
        try {
          const uri = normalizeUri(change.uri);
          const impact = change.type === FileChangeType.Deleted ? await service.fileDeleted(uri) : await service.fileChanged(uri);
          publisher.handleImpact(impact);
        } catch (error) {
          session.logError('A watched-file change failed', error);
        }
      }
    }),
  );

  connection.onDidChangeConfiguration((params) => {
    if (session.phase !== 'running') return;
    session.settingsQueue = session.settingsQueue.then(() =>
      session.guarded('didChangeConfiguration', undefined, async (service) => {
        const next = await session.settings.afterChange(params);
        if (!next || !session.settings.differFromApplied(next.settings)) return;
        publisher.handleImpact(await service.updateSettings(next.settings));
        publisher.publishAll();
      }),
    );
  });

  documents.listen(connection);
}
