/**
 * An in-memory workspace for unit tests of the language service, in the style of
 * vscode-markdown-languageservice's `InMemoryWorkspace`: files live in a `Map<uri, text>`, the
 * service is built over it, and helpers open `TextDocument`s, place cursors and apply
 * `WorkspaceEdit`s to the in-memory texts.
 */
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Diagnostic, Position, Range, TextEdit, WorkspaceEdit } from 'vscode-languageserver-types';
import { createLanguageService, type ChangeImpact, type ThroughlineLanguageService } from '../../server/src/service';
import type { ConfigInput } from '../../server/src/service/model/config';
import type { IWorkspace, ReadResult } from '../../server/src/service/workspace/workspace';

/** The folder every fixture lives in unless a test says otherwise. */
export const ROOT = 'file:///ws';

/** `'prds/a.md'` → `file:///ws/prds/a.md`; full URIs are returned unchanged. */
export function uri(path: string, root = ROOT): string {
  return /^[a-z][a-z0-9+.-]*:/i.test(path) ? path : `${root}/${path.split('/').map(encodeURIComponent).join('/')}`;
}

/** An `IWorkspace` over a map of URI → text (or a read result, to simulate unreadable / mis-encoded files). */
export class MemoryWorkspace implements IWorkspace {
  readonly files = new Map<string, string | ReadResult>();
  readonly folders: string[];
  /** Every URI passed to `readFile`, in order, so tests can check what the service read. */
  readonly reads: string[] = [];

  constructor(files: Readonly<Record<string, string | ReadResult>> = {}, folders: readonly string[] = [ROOT]) {
    this.folders = [...folders];
    for (const [path, content] of Object.entries(files)) this.files.set(uri(path, this.folders[0] ?? ROOT), content);
  }

  async listFiles(folder: string): Promise<readonly string[]> {
    const base = folder.replace(/\/+$/, '') + '/';
    return [...this.files.keys()].filter((candidate) => candidate.startsWith(base)).sort();
  }

  async readFile(fileUri: string): Promise<ReadResult | undefined> {
    this.reads.push(fileUri);
    const content = this.files.get(fileUri);
    if (content === undefined) return undefined;
    return typeof content === 'string' ? { text: content } : content;
  }

  /** The text of a file (throws when it is missing or not plain text, which is a test bug). */
  text(path: string): string {
    const content = this.files.get(uri(path, this.folders[0] ?? ROOT));
    if (typeof content !== 'string') throw new Error(`no text for ${path}`);
    return content;
  }

  set(path: string, text: string | ReadResult): string {
    const fileUri = uri(path, this.folders[0] ?? ROOT);
    this.files.set(fileUri, text);
    return fileUri;
  }

  delete(path: string): string {
    const fileUri = uri(path, this.folders[0] ?? ROOT);
    this.files.delete(fileUri);
    return fileUri;
  }

  /** Applies a workspace edit to the stored texts; returns the URIs it changed. */
  applyEdit(edit: WorkspaceEdit | undefined): string[] {
    const texts = new Map<string, string>();
    for (const [key, value] of this.files) if (typeof value === 'string') texts.set(key, value);
    const changed = applyWorkspaceEdit(texts, edit);
    for (const changedUri of changed) this.files.set(changedUri, texts.get(changedUri)!);
    return changed;
  }
}

export interface TestService {
  readonly service: ThroughlineLanguageService;
  readonly workspace: MemoryWorkspace;
  /** The document as the service sees it: the editor's when it is open, else the file's text at the version the service gave it when reading it. */
  doc(path: string): TextDocument;
  /** Opens (or re-opens with a new version) a document in the service, as an editor would; the file on disk is left alone. */
  open(path: string, text?: string): TextDocument;
  /** Like `open`, returning what the service says the change affected. */
  change(path: string, text: string): ChangeImpact;
  /** Closes an open document: the service falls back to the file on disk. */
  close(path: string): Promise<ChangeImpact>;
  /** Diagnostics of one file. */
  diagnostics(path: string): Diagnostic[];
  /** Diagnostics of one rule (by code) in one file, in document order. */
  diagnosticsOf(path: string, code: string): Diagnostic[];
  uri(path: string): string;
}

export interface CreateOptions {
  readonly settings?: ConfigInput;
  /** Workspace folders; `[]` for single files opened without a folder. Defaults to `[ROOT]`. */
  readonly folders?: readonly string[];
  readonly configFileUri?: string;
  readonly log?: string[];
  /** Today for date rules; tests default to a fixed day so they do not age. */
  readonly today?: Date;
  /** `false`: a one-shot service, as the CLI makes (nothing read is recorded). */
  readonly recordReads?: boolean;
}

/** The day unit tests run on, unless a test says otherwise. */
export const TEST_TODAY = new Date(Date.UTC(2026, 10, 22));

/** Builds and initialises a service over `{ 'strategy.md': '...', ... }`. */
export async function createService(files: Readonly<Record<string, string | ReadResult>>, options: CreateOptions = {}): Promise<TestService> {
  const workspace = new MemoryWorkspace(files, options.folders ?? [ROOT]);
  const log = options.log;
  const service = createLanguageService({
    workspace,
    settings: options.settings,
    configFileUri: options.configFileUri,
    logger: log ? { log: (message) => log.push(message) } : undefined,
    today: () => options.today ?? TEST_TODAY,
    recordReads: options.recordReads,
    // The host decides: tests turn the rebuild-and-compare check on with THROUGHLINE_PARANOID=1.
    paranoid: process.env['THROUGHLINE_PARANOID'] === '1',
  });
  await service.initialize();
  return wrap(service, workspace);
}

export function wrap(
  service: ThroughlineLanguageService,
  workspace: MemoryWorkspace,
): TestService & { openWithImpact(path: string, text?: string): { document: TextDocument; impact: ChangeImpact } } {
  const versions = new Map<string, number>();
  const openDocuments = new Map<string, TextDocument>();
  const root = workspace.folders[0] ?? ROOT;
  const toUri = (path: string) => uri(path, root);
  return {
    service,
    workspace,
    uri: toUri,
    doc(path) {
      const fileUri = toUri(path);
      return openDocuments.get(fileUri) ?? TextDocument.create(fileUri, 'markdown', service.graph.document(fileUri)?.version ?? 0, workspace.text(path));
    },
    open(path, text) {
      return this.openWithImpact(path, text).document;
    },
    change(path, text) {
      return this.openWithImpact(path, text).impact;
    },
    openWithImpact(path: string, text?: string) {
      const fileUri = toUri(path);
      const version = (versions.get(fileUri) ?? 0) + 1;
      versions.set(fileUri, version);
      const document = TextDocument.create(fileUri, 'markdown', version, text ?? openDocuments.get(fileUri)?.getText() ?? workspace.text(path));
      openDocuments.set(fileUri, document);
      const impact = service.updateDocument(document);
      return { document, impact };
    },
    async close(path) {
      const fileUri = toUri(path);
      openDocuments.delete(fileUri);
      return service.closeDocument(fileUri);
    },
    diagnostics(path) {
      return service.getDiagnostics(toUri(path));
    },
    diagnosticsOf(path, code) {
      return sortByPosition(service.getDiagnostics(toUri(path)).filter((diagnostic) => diagnostic.code === code));
    },
  };
}

/** The cursor marker in inline fixtures. */
export const CURSOR = '|';

/**
 * Splits an inline fixture at its cursor marker: `withCursor('Traces: OUT-|')` gives the text
 * without the marker, a `TextDocument` of it and the marker's position.
 */
export function withCursor(
  textWithCursor: string,
  documentUri = uri('cursor.md'),
  version = 1,
): { text: string; document: TextDocument; position: Position; offset: number } {
  const offset = textWithCursor.indexOf(CURSOR);
  if (offset === -1) throw new Error('fixture has no cursor marker');
  if (textWithCursor.indexOf(CURSOR, offset + 1) !== -1) throw new Error('fixture has more than one cursor marker');
  const text = textWithCursor.slice(0, offset) + textWithCursor.slice(offset + 1);
  const document = TextDocument.create(documentUri, 'markdown', version, text);
  return { text, document, position: document.positionAt(offset), offset };
}

/**
 * A service over `files` in which `cursorPath`'s fixture carries a cursor marker; that document is
 * opened in the service (version 1) and returned with the position of the marker.
 */
export async function serviceWithCursor(
  files: Readonly<Record<string, string>>,
  cursorPath: string,
  options: CreateOptions = {},
): Promise<TestService & { document: TextDocument; position: Position }> {
  const fixture = files[cursorPath];
  if (fixture === undefined) throw new Error(`no fixture ${cursorPath}`);
  const { text, position } = withCursor(fixture);
  const test = await createService({ ...files, [cursorPath]: text }, options);
  const document = test.open(cursorPath);
  return { ...test, document, position };
}

/** Applies a `WorkspaceEdit` (`changes` or `documentChanges` with text edits) to a map of texts; returns changed URIs. */
export function applyWorkspaceEdit(texts: Map<string, string>, edit: WorkspaceEdit | undefined): string[] {
  if (!edit) return [];
  const byUri = new Map<string, TextEdit[]>();
  for (const [editUri, edits] of Object.entries(edit.changes ?? {})) byUri.set(editUri, [...(byUri.get(editUri) ?? []), ...edits]);
  for (const change of edit.documentChanges ?? []) {
    if (!('textDocument' in change)) throw new Error('resource operations are not supported by the test helper');
    byUri.set(change.textDocument.uri, [...(byUri.get(change.textDocument.uri) ?? []), ...(change.edits as TextEdit[])]);
  }
  for (const [editUri, edits] of byUri) {
    const before = texts.get(editUri);
    if (before === undefined) throw new Error(`edit for unknown document ${editUri}`);
    texts.set(editUri, applyTextEdits(before, edits));
  }
  return [...byUri.keys()];
}

/** Applies text edits to a text, as an editor does (all ranges refer to the original text; overlaps are an error). */
export function applyTextEdits(text: string, edits: readonly TextEdit[]): string {
  const document = TextDocument.create('file:///tmp', 'markdown', 0, text);
  const spans = edits.map((edit) => ({ start: document.offsetAt(edit.range.start), end: document.offsetAt(edit.range.end), newText: edit.newText }));
  spans.sort((a, b) => a.start - b.start || a.end - b.end);
  for (let i = 1; i < spans.length; i++) if (spans[i]!.start < spans[i - 1]!.end) throw new Error('overlapping edits');
  let result = '';
  let last = 0;
  for (const span of spans) {
    result += text.slice(last, span.start) + span.newText;
    last = span.end;
  }
  return result + text.slice(last);
}

/** `range(3, 4, 9)` → a one-line range; `range(1, 0, 2, 5)` → a multi-line one. */
export function range(line: number, start: number, endOrLine: number, endCharacter?: number): Range {
  return endCharacter === undefined
    ? { start: { line, character: start }, end: { line, character: endOrLine } }
    : { start: { line, character: start }, end: { line: endOrLine, character: endCharacter } };
}

/** The range of the `occurrence`-th (0-based) occurrence of `needle` in `text`; throws when absent, so fixtures stay honest. */
export function rangeOf(text: string, needle: string, occurrence = 0): Range {
  let offset = -1;
  for (let i = 0; i <= occurrence; i++) {
    offset = text.indexOf(needle, offset + 1);
    if (offset === -1) throw new Error(`"${needle}" (occurrence ${occurrence}) not in fixture`);
  }
  const document = TextDocument.create('file:///tmp', 'markdown', 0, text);
  return { start: document.positionAt(offset), end: document.positionAt(offset + needle.length) };
}

/** The position just inside the `occurrence`-th occurrence of `needle`, `delta` characters from its start. */
export function positionOf(text: string, needle: string, delta = 0, occurrence = 0): Position {
  const found = rangeOf(text, needle, occurrence);
  return { line: found.start.line, character: found.start.character + delta };
}

/** Whether `inner` lies inside a document of `text` (lines and characters within bounds, start ≤ end). */
export function rangeInside(text: string, inner: Range): boolean {
  const document = TextDocument.create('file:///tmp', 'markdown', 0, text);
  const within = (position: Position) => {
    if (!Number.isInteger(position.line) || !Number.isInteger(position.character)) return false;
    if (position.line < 0 || position.line >= document.lineCount || position.character < 0) return false;
    const lineStart = document.offsetAt({ line: position.line, character: 0 });
    const nextLine = position.line + 1 < document.lineCount ? document.offsetAt({ line: position.line + 1, character: 0 }) : text.length;
    let lineEnd = nextLine;
    while (lineEnd > lineStart && (text.charCodeAt(lineEnd - 1) === 10 || text.charCodeAt(lineEnd - 1) === 13)) lineEnd--;
    return position.character <= lineEnd - lineStart;
  };
  if (!within(inner.start) || !within(inner.end)) return false;
  return inner.start.line < inner.end.line || (inner.start.line === inner.end.line && inner.start.character <= inner.end.character);
}

/** Trims a template literal's common indentation and leading newline, so fixtures can be indented in tests. */
export function md(strings: TemplateStringsArray, ...values: unknown[]): string {
  let text = strings.reduce((result, part, index) => result + part + (index < values.length ? String(values[index]) : ''), '');
  if (text.startsWith('\n')) text = text.slice(1);
  const lines = text.split('\n');
  if (lines.length && lines[lines.length - 1]!.trim() === '') lines[lines.length - 1] = '';
  const indent = Math.min(...lines.filter((line) => line.trim() !== '').map((line) => /^ */.exec(line)![0].length));
  return lines.map((line) => line.slice(Number.isFinite(indent) ? indent : 0)).join('\n');
}

/** Diagnostics (or anything with a range) in document order. */
export function sortByPosition<T extends { range: Range }>(list: readonly T[]): T[] {
  return [...list].sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
}
