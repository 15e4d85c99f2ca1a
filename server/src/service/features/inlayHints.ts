import type { InlayHint, Range } from 'vscode-languageserver-types';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { ServiceState } from '../workspace/state';

/** Characters of a title a hint shows; a longer one is cut and ends in `…` (the whole title is the hint's tooltip). */
export const MAX_HINT_TITLE = 40;

/**
 * After each reference to a known item in `range`, the item's title: `Traces: OUT-2 ⟨Faster checkout⟩`.
 * Definitions get none (their title is written next to them), nor does a heading repeating the
 * document's own ID, an unknown ID or an untitled item. Linear in the document's references.
 */
export function provideInlayHints(state: ServiceState, document: TextDocument, range: Range): InlayHint[] {
  if (!state.config.inlayHints) return [];
  const index = state.currentIndex(document);
  if (!index?.participates) return [];
  const hints: InlayHint[] = [];
  for (const reference of index.references) {
    // `# PRD-7: Title` under `id: PRD-7` is indexed as a reference from the document to itself; its title is right there.
    if (reference.context === 'prose' && reference.fromId === reference.id) continue;
    const position = { line: reference.span.line, character: reference.span.end };
    if (before(position, range.start) || before(range.end, position)) continue;
    const title = state.graph.definition(reference.id)?.title;
    if (!title) continue;
    const label = shorten(title);
    hints.push(label === title ? { position, label, paddingLeft: true } : { position, label, paddingLeft: true, tooltip: title });
  }
  return hints.sort((a, b) => a.position.line - b.position.line || a.position.character - b.position.character);
}

function before(a: Range['start'], b: Range['start']): boolean {
  return a.line < b.line || (a.line === b.line && a.character < b.character);
}

/** The title cut to `MAX_HINT_TITLE` characters, never between the two halves of a surrogate pair. */
function shorten(title: string): string {
  if (title.length <= MAX_HINT_TITLE) return title;
  let cut = MAX_HINT_TITLE - 1;
  const last = title.charCodeAt(cut - 1);
  if (last >= 0xd800 && last <= 0xdbff) cut--;
  return `${title.slice(0, cut).trimEnd()}…`;
}
