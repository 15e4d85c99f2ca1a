import type { Range } from 'vscode-languageserver-types';
import type { LineSpan } from './model';

/**
 * The LSP range of a span on one line. A leaf module: features need it without loading the rules
 * (importing it from diagnostics.ts made diagnostics → rules → progress → diagnostics a cycle).
 */
export function toRange(span: LineSpan): Range {
  return { start: { line: span.line, character: span.start }, end: { line: span.line, character: span.end } };
}
