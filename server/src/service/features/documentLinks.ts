import type { DocumentLink } from 'vscode-languageserver-types';
import { toRange } from '../model/ranges';
import type { DocumentIndex } from '../model/model';
import type { ServiceState } from '../workspace/state';

/** Makes every reference to a defined ID a link to the line that defines it. */
export function provideDocumentLinks(state: ServiceState, index: DocumentIndex | undefined): DocumentLink[] {
  if (!index?.participates) return [];
  const links: DocumentLink[] = [];
  for (const reference of index.references) {
    const target = state.graph.definition(reference.id);
    if (!target) continue;
    links.push({
      range: toRange(reference.span),
      target: `${target.uri}#L${target.idSpan.line + 1},${target.idSpan.start + 1}`,
      tooltip: `${target.id}: ${target.title}`,
    });
  }
  return links;
}
