/** The standard LSP requests on a document: each is answered by the language service. */
import { CodeActionKind, type Position, type ServerCapabilities, type TextDocumentIdentifier } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { ThroughlineLanguageService } from '../../service';
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
};

export function registerLanguageFeatureHandlers(session: Session): void {
  const { connection } = session;

  /**
   * A request about an open document: answered by `answer`, or with `fallback` when the document is
   * not open (the service answers only for what the client sent) or the handler fails.
   */
  const onDocument =
    <P extends { textDocument: TextDocumentIdentifier }, T>(
      name: string,
      fallback: T,
      answer: (service: ThroughlineLanguageService, document: TextDocument, params: P) => T,
    ) =>
    (params: P) =>
      session.guarded(name, fallback, (service) => {
        const document = session.document(params.textDocument.uri);
        return document ? answer(service, document, params) : fallback;
      });
  const at = <P extends { position: Position }>(params: P) => params.position;

  connection.onCompletion(onDocument('completion', null, (service, document, params) => service.getCompletions(document, at(params))));
  connection.onHover(onDocument('hover', null, (service, document, params) => service.getHover(document, at(params)) ?? null));
  connection.onDefinition(onDocument('definition', [], (service, document, params) => service.getDefinition(document, at(params))));
  connection.onReferences(
    onDocument('references', [], (service, document, params) => service.getReferences(document, at(params), params.context.includeDeclaration)),
  );
  connection.onPrepareRename(onDocument('prepareRename', null, (service, document, params) => service.prepareRename(document, at(params)) ?? null));
  connection.onRenameRequest(onDocument('rename', null, (service, document, params) => service.getRenameEdits(document, at(params), params.newName) ?? null));
  connection.onDocumentSymbol(onDocument('documentSymbol', [], (service, document) => service.getDocumentSymbols(document)));
  connection.onWorkspaceSymbol((params) => session.guarded('workspaceSymbol', [], (service) => service.getWorkspaceSymbols(params.query)));
  connection.onCodeLens(onDocument('codeLens', [], (service, document) => service.getCodeLenses(document)));
  connection.onCodeAction(onDocument('codeAction', [], (service, document, params) => service.getCodeActions(document, params.context.diagnostics)));
  connection.onDocumentLinks(onDocument('documentLinks', [], (service, document) => service.getDocumentLinks(document)));
  connection.onFoldingRanges(onDocument('foldingRanges', [], (service, document) => service.getFoldingRanges(document)));
}
