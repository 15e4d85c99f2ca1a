import type { CodeAction, Diagnostic } from 'vscode-languageserver-types';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { DIAGNOSTIC_SOURCE } from '../rules/diagnostics';
import { RULE_BY_NAME } from '../rules';
import type { ServiceState } from '../workspace/state';

/**
 * Quick fixes for Throughline's own diagnostics, offered by the rule that reported each one (its
 * `fix` in `defineRule`), from the data the diagnostic carries. All edits are workspace edits, so
 * the editor can undo them.
 */
export function provideCodeActions(state: ServiceState, document: TextDocument, diagnostics: readonly Diagnostic[]): CodeAction[] {
  const index = state.currentIndex(document);
  if (!index?.participates) return [];
  const actions: CodeAction[] = [];
  for (const diagnostic of diagnostics) {
    if (diagnostic.source !== DIAGNOSTIC_SOURCE || diagnostic.data === undefined || typeof diagnostic.code !== 'string') continue;
    const fix = RULE_BY_NAME.get(diagnostic.code)?.fix;
    // The data has been to the editor and back: a fix runs only on data of the shape its rule reports.
    const data = fix?.data.safeParse(diagnostic.data);
    if (!fix || !data?.success) continue;
    actions.push(...fix.actions({ state, document, index, diagnostic, data: data.data }));
  }
  return actions;
}
