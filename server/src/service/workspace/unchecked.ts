/**
 * Why a Markdown file of the workspace is not checked, for the CLI's summary: the service leaves
 * out files that are not strategy documents and files it could not read, and says nothing about
 * them in the diagnostics (see `ThroughlineLanguageService.uncheckedFiles`), and files that say in
 * one info why they are not checked (`id: PRD-6` with `type: discovery`; see
 * `whyNotCheckedDespiteProblem`).
 */
import { DOCUMENT_TYPES } from '../model/model';
import { documentTypeOf, findFrontMatter } from '../parse/frontMatter';
import type { ReadResult } from './workspace';

export const UNCHECKED_REASONS = ['not a strategy document', 'unknown type', 'undecodable', 'too large', 'unreadable'] as const;
export type UncheckedReason = (typeof UNCHECKED_REASONS)[number];

export interface UncheckedFile {
  readonly uri: string;
  readonly reason: UncheckedReason;
  /** One short phrase: `no front-matter`, `type: roadmap`, the host's error. */
  readonly detail: string;
}

/** Longest front-matter `type` value quoted back. */
const MAX_TYPE_QUOTED = 40;

/** Why a file read as `read` takes no part; undefined when it would (a strategy document). */
export function whyNotChecked(read: ReadResult): Omit<UncheckedFile, 'uri'> | undefined {
  if ('error' in read) {
    if (read.error.startsWith('larger than')) return { reason: 'too large', detail: read.error };
    if (read.error.startsWith('binary file')) return { reason: 'undecodable', detail: read.error };
    return { reason: 'unreadable', detail: read.error };
  }
  const { text } = read;
  const block = findFrontMatter(text);
  if (!block) return { reason: 'not a strategy document', detail: 'no front-matter' };
  const type = typeValue(text, block.contentStart, block.contentEnd);
  if (type === undefined) return { reason: 'not a strategy document', detail: 'no `type` in its front-matter' };
  // Read as the service reads it: `type: PRD`, `Strategy` and `product requirements document` take part.
  if (documentTypeOf(type)) return undefined;
  const quoted = type.length > MAX_TYPE_QUOTED ? `${type.slice(0, MAX_TYPE_QUOTED)}…` : type;
  return { reason: 'unknown type', detail: `type: ${quoted} (Throughline reads ${DOCUMENT_TYPES.join(', ')})` };
}

/**
 * Why a file that has a problem but is no document of the workspace is not checked: a file whose
 * `id:` has a configured prefix but whose `type:` is unknown or missing takes no part and gets one
 * info saying so; it is not checked all the same. Undefined for the other files with such a problem:
 * a strategy document that cannot be read or decoded fails the check with an `encoding` error, and
 * one the indexer failed on has an `internal` error; both count as checked.
 */
export function whyNotCheckedDespiteProblem(read: ReadResult): Omit<UncheckedFile, 'uri'> | undefined {
  if ('error' in read) return undefined;
  const why = whyNotChecked(read);
  return why && (why.reason === 'unknown type' || why.reason === 'not a strategy document') ? why : undefined;
}

/** The value of a top-level `type:` line of the front-matter, unquoted, comment dropped; a line scan. */
function typeValue(text: string, start: number, end: number): string | undefined {
  let lineStart = start;
  while (lineStart < end) {
    let lineEnd = text.indexOf('\n', lineStart);
    if (lineEnd === -1 || lineEnd > end) lineEnd = end;
    if (text.startsWith('type:', lineStart)) {
      let value = text.slice(lineStart + 5, lineEnd);
      const comment = value.indexOf(' #');
      if (comment !== -1) value = value.slice(0, comment);
      value = value.trim();
      if (value.length >= 2 && (value[0] === '"' || value[0] === "'") && value.endsWith(value[0])) value = value.slice(1, -1);
      return value === '' ? undefined : value;
    }
    lineStart = lineEnd + 1;
  }
  return undefined;
}
