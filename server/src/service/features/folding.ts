import { FoldingRangeKind, type FoldingRange } from 'vscode-languageserver-types';
import type { DocumentIndex } from '../model/model';

export function provideFoldingRanges(index: DocumentIndex | undefined): FoldingRange[] {
  if (!index?.participates) return [];
  const ranges: FoldingRange[] = [];
  for (let i = 0; i < index.sections.length; i += 3) {
    const line = index.sections[i]!;
    const endLine = index.sections[i + 1]!;
    if (endLine > line) ranges.push({ startLine: line, endLine });
  }
  for (const block of index.foldableBlocks) {
    ranges.push({ startLine: block.startLine, endLine: block.endLine, kind: block.kind === 'comment' ? FoldingRangeKind.Comment : FoldingRangeKind.Region });
  }
  for (const item of index.items) {
    if (item.depth === 0 && !item.isDocument && item.endLine > item.line) ranges.push({ startLine: item.line, endLine: item.endLine });
  }
  return ranges;
}
