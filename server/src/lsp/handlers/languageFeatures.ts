/** The standard LSP requests on a document: each is answered by the language service. */
import { CodeActionKind, type CancellationToken, type Position, type ServerCapabilities, type TextDocumentIdentifier } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { ThroughlineLanguageService } from '../../service';
import { SEMANTIC_TOKENS_LEGEND } from '../../service/features/semanticTokens';
import { normalizeUri } from '../../node/fsWorkspace';
import type { Session } from '../session';

/** The capabilities these handlers serve, announced in the `initialize` result. */
export const LANGUAGE_FEATURE_CAPABILITIES: ServerCapabilities = {
  completionProvider: { triggerCharacters: ['-', ':', ' ', ','], resolveProvider: false },
  hoverProvider: true,
  definitionProvider: true,
  referencesProvider: true,
  renameProvider: { prepareProvider: true },
  documentSymbolProvider: { label: 'Throughline' },
  workspaceSymbolProvider: true,
  codeLensProvider: { resolveProvider: false },
  codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
  documentLinkProvider: { resolveProvider: false },
  foldingRangeProvider: true,
  inlayHintProvider: { resolveProvider: false },
  semanticTokensProvider: { legend: SEMANTIC_TOKENS_LEGEND, full: true, range: true },
  callHierarchyProvider: true,
  documentHighlightProvider: true,
};

export function registerLanguageFeatureHandlers(session: Session): void {
  const { connection } = session;

  /**
   * A request about an open document: answered by the service of the folder that holds it, or with
   * `fallback` when the document is not open (the service answers only for what the client sent)
   * or the handler fails. A `long` request may be cancelled (see `guarded`).
   */
  const onDocument =
    <P extends { textDocument: TextDocumentIdentifier }, T>(
      name: string,
      fallback: T,
      answer: (service: ThroughlineLanguageService, document: TextDocument, params: P) => T,
      long = false,
    ) =>
    (params: P, token: CancellationToken) =>
      session.guarded(
        name,
        fallback,
        (service) => {
          const document = session.document(params.textDocument.uri);
          return document ? answer(service, document, session.positions.paramsToServer(params, normalizeUri(params.textDocument.uri))) : fallback;
        },
        { token, long, uri: params.textDocument.uri },
      );
  const at = <P extends { position: Position }>(params: P) => params.position;

  connection.onCompletion(onDocument('completion', null, (service, document, params) => service.getCompletions(document, at(params))));
  connection.onHover(onDocument('hover', null, (service, document, params) => service.getHover(document, at(params)) ?? null));
  connection.onDefinition(onDocument('definition', [], (service, document, params) => service.getDefinition(document, at(params))));
  connection.onReferences(
    onDocument('references', [], (service, document, params) => service.getReferences(document, at(params), params.context.includeDeclaration), true),
  );
  connection.onPrepareRename(onDocument('prepareRename', null, (service, document, params) => service.prepareRename(document, at(params)) ?? null));
  connection.onRenameRequest(onDocument('rename', null, (service, document, params) => service.getRenameEdits(document, at(params), params.newName) ?? null));
  connection.onDocumentSymbol(onDocument('documentSymbol', [], (service, document) => service.getDocumentSymbols(document)));
  // Every folder's symbols: a workspace symbol search spans the window.
  connection.onWorkspaceSymbol((params, token) =>
    session.guarded('workspaceSymbol', [], () => session.folders.services().flatMap((service) => service.getWorkspaceSymbols(params.query)), {
      token,
      long: true,
    }),
  );
  connection.onCodeLens(onDocument('codeLens', [], (service, document) => service.getCodeLenses(document)));
  connection.onCodeAction(onDocument('codeAction', [], (service, document, params) => service.getCodeActions(document, params.context.diagnostics)));
  connection.onDocumentLinks(onDocument('documentLinks', [], (service, document) => service.getDocumentLinks(document)));
  connection.onFoldingRanges(onDocument('foldingRanges', [], (service, document) => service.getFoldingRanges(document)));
  connection.languages.inlayHint.on(onDocument('inlayHint', [], (service, document, params) => service.getInlayHints(document, params.range)));
  connection.languages.semanticTokens.on(onDocument('semanticTokens', { data: [] }, (service, document) => service.getSemanticTokens(document)));
  connection.languages.semanticTokens.onRange(
    onDocument('semanticTokensRange', { data: [] }, (service, document, params) => service.getSemanticTokens(document, params.range)),
  );
  connection.languages.callHierarchy.onPrepare(
    onDocument('prepareCallHierarchy', null, (service, document, params) => {
      const items = service.prepareCallHierarchy(document, at(params));
      return items.length ? items : null;
    }),
  );
  // The follow-ups name an item (its URI and `data.id`), not an open document: closed files answer too.
  connection.languages.callHierarchy.onIncomingCalls((params) =>
    session.guarded('incomingCalls', [], (service) => service.getIncomingCalls(params.item), { uri: params.item.uri }),
  );
  connection.languages.callHierarchy.onOutgoingCalls((params) =>
    session.guarded('outgoingCalls', [], (service) => service.getOutgoingCalls(params.item), { uri: params.item.uri }),
  );
  connection.onDocumentHighlight(onDocument('documentHighlight', [], (service, document, params) => service.getDocumentHighlights(document, at(params))));
}
