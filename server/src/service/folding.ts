import { FoldingRangeKind, type FoldingRange } from 'vscode-languageserver-types';
import type { DocumentIndex } from './model';

export function provideFoldingRanges(index: DocumentIndex | undefined): FoldingRange[] {
  if (!index?.participates) return [];
  const ranges: FoldingRange[] = [];
  for (const section of index.sections) {
    if (section.endLine > section.line) ranges.push({ startLine: section.line, endLine: section.endLine });
  }
  for (const block of index.foldableBlocks) {
    ranges.push({ startLine: block.startLine, endLine: block.endLine, kind: block.kind === 'comment' ? FoldingRangeKind.Comment : FoldingRangeKind.Region });
  }
  for (const item of index.items) {
    if (item.depth === 0 && !item.isDocument && item.endLine > item.line) ranges.push({ startLine: item.line, endLine: item.endLine });
  }
  return ranges;
}
