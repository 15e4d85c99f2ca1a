/**
 * Position encodings (LSP 3.17 `positionEncoding`). The service counts columns in UTF-16 code
 * units, as the protocol's default does. A client that prefers UTF-8 (Neovim 0.10+, Helix) or
 * UTF-32 gets its columns in that unit: positions in requests are converted to UTF-16 here, and
 * every position in a result, a published diagnostic or a workspace edit is converted back, with
 * the text of the document it belongs to. With UTF-16 nothing is converted.
 */
import { readFileSync, statSync } from 'node:fs';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { pathFromUri } from '../node/fsWorkspace';

export type PositionEncoding = 'utf-16' | 'utf-8' | 'utf-32';

/** Largest file read from disk to convert positions in it; larger ones keep UTF-16 columns (and are logged). */
const MAX_CONVERTED_FILE_BYTES = 16 * 1024 * 1024;

/** The encoding to use: the first of the client's, in its order of preference, that the server speaks; UTF-16 otherwise. */
export function negotiateEncoding(offered: readonly string[] | undefined): PositionEncoding {
  for (const encoding of offered ?? []) if (encoding === 'utf-16' || encoding === 'utf-8' || encoding === 'utf-32') return encoding;
  return 'utf-16';
}

interface Position {
  line: number;
  character: number;
}

const isPosition = (value: unknown): value is Position =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as Position).line === 'number' &&
  typeof (value as Position).character === 'number' &&
  Object.keys(value).length === 2;

/**
 * The columns of one line, between UTF-16 and the client's unit. A line without a character
 * beyond ASCII (UTF-8) or beyond the Basic Multilingual Plane (UTF-32) has the same columns in
 * both. Otherwise the client's column at every UTF-16 offset is worked out once, so that each
 * position on the line costs a lookup: counting from the line's start for each one made a long
 * line with thousands of tokens (semantic tokens, a generated table) take a minute.
 */
export class LineColumns {
  /** `clientAt[i]`: the client's units before UTF-16 offset `i`; undefined when the columns are the same. */
  private readonly clientAt: Int32Array | undefined;

  constructor(
    private readonly line: string,
    encoding: PositionEncoding,
  ) {
    const same = encoding === 'utf-8' ? !/[^\x00-\x7f]/.test(line) : !/[\ud800-\udfff]/.test(line);
    if (same) return;
    const clientAt = new Int32Array(line.length + 1);
    for (let index = 0; index < line.length; index++) {
      const code = line.charCodeAt(index);
      const next = line.charCodeAt(index + 1);
      if (code >= 0xd800 && code <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
        // Halfway through a pair, the line so far ends in a lone high surrogate (three UTF-8 bytes, as U+FFFD would be).
        clientAt[index + 1] = clientAt[index]! + (encoding === 'utf-8' ? 3 : 1);
        clientAt[index + 2] = clientAt[index]! + (encoding === 'utf-8' ? 4 : 1);
        index++;
      } else {
        clientAt[index + 1] = clientAt[index]! + (encoding === 'utf-8' ? utf8Length(code) : 1);
      }
    }
    this.clientAt = clientAt;
  }

  toClient(utf16: number): number {
    const { clientAt, line } = this;
    if (!clientAt) return utf16;
    // A column past the end (the end of a line or of the document) keeps its distance past the end.
    return utf16 <= line.length ? clientAt[utf16]! : clientAt[line.length]! + (utf16 - line.length);
  }

  /** The UTF-16 offset of the character the client's `column` falls in (its start), or past the end by the same distance. */
  toUtf16(column: number): number {
    const { clientAt, line } = this;
    if (!clientAt) return column;
    const total = clientAt[line.length]!;
    if (column >= total) return line.length + (column - total);
    let low = 0;
    let high = line.length;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (clientAt[middle]! <= column) low = middle;
      else high = middle - 1;
    }
    const code = line.charCodeAt(low);
    const before = line.charCodeAt(low - 1);
    return code >= 0xdc00 && code <= 0xdfff && before >= 0xd800 && before <= 0xdbff ? low - 1 : low;
  }
}

/** A document's lines, each with its columns worked out when a position on it is first converted. */
class DocumentLines {
  private readonly columns: (LineColumns | undefined)[] = [];

  constructor(
    private readonly lines: readonly string[],
    private readonly encoding: PositionEncoding,
  ) {}

  /** The columns of line `line`; undefined past the last line. */
  at(line: number): LineColumns | undefined {
    const text = this.lines[line];
    if (text === undefined) return undefined;
    return (this.columns[line] ??= new LineColumns(text, this.encoding));
  }
}

function utf8Length(codePoint: number): number {
  return codePoint < 0x80 ? 1 : codePoint < 0x800 ? 2 : codePoint < 0x10000 ? 3 : 4;
}

/** The keys under which a client may send a position of the request's document. */
const REQUEST_POSITION_KEYS = ['position', 'range'] as const;

export class PositionConverter {
  encoding: PositionEncoding = 'utf-16';

  constructor(
    private readonly openDocument: (uri: string) => TextDocument | undefined,
    private readonly log: (message: string) => void,
  ) {}

  get converts(): boolean {
    return this.encoding !== 'utf-16';
  }

  /** A request's `position`, `range` and code-action context diagnostics, in UTF-16, for the document `uri`. */
  paramsToServer<P>(params: P, uri: string): P {
    if (!this.converts || typeof params !== 'object' || params === null) return params;
    const lines = this.linesOf(new Map());
    const copy: Record<string, unknown> = { ...(params as Record<string, unknown>) };
    for (const key of REQUEST_POSITION_KEYS) if (key in copy) copy[key] = this.walk(copy[key], uri, lines, 'toServer');
    const context = copy['context'] as { diagnostics?: unknown } | undefined;
    if (context && Array.isArray(context.diagnostics)) copy['context'] = { ...context, diagnostics: this.walk(context.diagnostics, uri, lines, 'toServer') };
    return copy as P;
  }

  /** A content change's range, in UTF-16 against `text` (the document before this change). */
  changeRangeToServer<R extends { start: Position; end: Position }>(range: R, text: string): R {
    if (!this.converts) return range;
    const lines = new DocumentLines(text.split(/\r\n|\r|\n/), this.encoding);
    const column = (position: Position) => ({
      line: position.line,
      character: (lines.at(position.line) ?? new LineColumns('', this.encoding)).toUtf16(position.character),
    });
    return { ...range, start: column(range.start), end: column(range.end) };
  }

  /** Every position in `value` (a result, diagnostics, an edit), in the client's unit. `uri`: the document positions belong to when nothing says otherwise. */
  toClient<T>(value: T, uri: string | undefined): T {
    if (!this.converts) return value;
    return this.walk(value, uri, this.linesOf(new Map()), 'toClient') as T;
  }

  private linesOf(cache: Map<string, DocumentLines | null>): (uri: string) => DocumentLines | null {
    return (uri) => {
      if (!cache.has(uri)) {
        const lines = this.readLines(uri);
        cache.set(uri, lines && new DocumentLines(lines, this.encoding));
      }
      return cache.get(uri)!;
    };
  }

  private readLines(uri: string): string[] | null {
    const open = this.openDocument(uri);
    if (open) return open.getText().split(/\r\n|\r|\n/);
    try {
      const file = pathFromUri(uri);
      const stat = statSync(file);
      if (!stat.isFile() || stat.size > MAX_CONVERTED_FILE_BYTES) {
        this.log(`Positions in ${uri} stay in UTF-16 columns: it is not a regular file of at most 16 MB.`);
        return null;
      }
      return readFileSync(file, 'utf8').split(/\r\n|\r|\n/);
    } catch {
      return null;
    }
  }

  private walk(value: unknown, uri: string | undefined, lines: (uri: string) => DocumentLines | null, direction: 'toServer' | 'toClient'): unknown {
    if (Array.isArray(value)) return value.map((entry) => this.walk(entry, uri, lines, direction));
    if (typeof value !== 'object' || value === null) return value;
    if (isPosition(value)) {
      const line = uri === undefined ? undefined : lines(uri)?.at(value.line);
      if (line === undefined) return value;
      const character = direction === 'toClient' ? line.toClient(value.character) : line.toUtf16(value.character);
      return { line: value.line, character };
    }
    const record = value as Record<string, unknown>;
    // Semantic tokens: relative columns and lengths, in the request's document.
    if (Array.isArray(record['data']) && Object.keys(record).every((key) => key === 'data' || key === 'resultId') && direction === 'toClient') {
      return { ...record, data: this.semanticTokensToClient(record['data'] as number[], uri, lines) };
    }
    // Where the positions of this object belong: its own `uri` (a location, a call hierarchy item,
    // a document report), a link's target, or an edit's document.
    const own = typeof record['uri'] === 'string' ? record['uri'] : uri;
    const result: Record<string, unknown> = {};
    for (const [key, entry] of Object.entries(record)) {
      // `data` is the server's own, round-tripped as sent (quick-fix data, call hierarchy IDs).
      if (key === 'data') result[key] = entry;
      else if (key === 'targetRange' || key === 'targetSelectionRange') result[key] = this.walk(entry, record['targetUri'] as string, lines, direction);
      // An incoming call's ranges are in the caller's document.
      else if (key === 'fromRanges' && typeof (record['from'] as { uri?: unknown } | undefined)?.uri === 'string') {
        result[key] = this.walk(entry, (record['from'] as { uri: string }).uri, lines, direction);
      } else if (key === 'changes' && typeof entry === 'object' && entry !== null && !Array.isArray(entry)) {
        result[key] = Object.fromEntries(Object.entries(entry).map(([editUri, edits]) => [editUri, this.walk(edits, editUri, lines, direction)]));
      } else if (key === 'edits' && typeof (record['textDocument'] as { uri?: unknown } | undefined)?.uri === 'string') {
        result[key] = this.walk(entry, (record['textDocument'] as { uri: string }).uri, lines, direction);
      } else result[key] = this.walk(entry, own, lines, direction);
    }
    return result;
  }

  private semanticTokensToClient(data: readonly number[], uri: string | undefined, lines: (uri: string) => DocumentLines | null): number[] {
    const text = uri === undefined ? null : lines(uri);
    if (!text) return [...data];
    const converted: number[] = [];
    let line = 0;
    let start = 0;
    let previousLine = 0;
    let previousStart = 0;
    for (let index = 0; index + 4 < data.length; index += 5) {
      line += data[index]!;
      start = data[index] === 0 ? start + data[index + 1]! : data[index + 1]!;
      const columns = text.at(line) ?? new LineColumns('', this.encoding);
      const clientStart = columns.toClient(start);
      const clientEnd = columns.toClient(start + data[index + 2]!);
      converted.push(
        line - previousLine,
        line === previousLine ? clientStart - previousStart : clientStart,
        clientEnd - clientStart,
        data[index + 3]!,
        data[index + 4]!,
      );
      previousLine = line;
      previousStart = clientStart;
    }
    return converted;
  }
}
