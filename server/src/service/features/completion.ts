import { ID_BOUNDARY_SOURCE } from '../../../../common/idGrammar';
import { CompletionItemKind, type CompletionItem, type CompletionList } from 'vscode-languageserver-types';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { findFrontMatter } from '../parse/frontMatter';
import { EXPECTED_KINDS, KIND_LABELS, type ItemKind } from '../model/model';
import { FRONT_MATTER_ENUMS, FRONT_MATTER_KEYS } from '../model/schemas';
import type { Position, ServiceState } from '../workspace/state';
import { computeLineStarts } from '../parse/text';

/**
 * Above this many matches the list is cut and marked incomplete, so the client asks again as the
 * user types and one response stays small (a few KB, not the 2,000 outcomes of a large workspace).
 */
const COMPLETION_LIMIT = 50;

const LINK_KEY = /(?:^|[\s>*+-])(traces|supports)[ \t]*:(?=[^:]*$)/i;
// A prefix of an ID, at the same boundary as a whole one.
const ID_BEING_TYPED = new RegExp(`${ID_BOUNDARY_SOURCE}[A-Z][A-Za-z0-9]*(?:-[A-Za-z0-9._-]*)?$`);
const ID_TAIL = /^[A-Za-z0-9._-]*/;
const LINE_END = /(?:\r\n|\r|\n)$/;

interface Candidates {
  readonly version: number;
  /** IDs per kind in natural order (OUT-2 before OUT-10), so the first matches are the ones to show. */
  readonly byKind: Map<ItemKind, string[]>;
}

const cache = new WeakMap<object, Candidates>();
const collator = new Intl.Collator('en', { numeric: true });

function candidatesByKind(state: ServiceState): Map<ItemKind, string[]> {
  // Rebuilt only when IDs come or go, not when a title changes or on every keystroke.
  const cached = cache.get(state.graph);
  if (cached && cached.version === state.graph.idSetVersion) return cached.byKind;
  const byKind = new Map<ItemKind, string[]>();
  for (const id of state.graph.allIds()) {
    const kind = state.graph.definition(id)?.kind;
    if (!kind) continue;
    const list = byKind.get(kind);
    if (list) list.push(id);
    else byKind.set(kind, [id]);
  }
  for (const list of byKind.values()) list.sort(collator.compare);
  cache.set(state.graph, { version: state.graph.idSetVersion, byKind });
  return byKind;
}

export function provideCompletions(state: ServiceState, document: TextDocument, position: Position): CompletionList {
  const empty: CompletionList = { isIncomplete: false, items: [] };
  if (position.line < 0 || position.line >= document.lineCount) return empty;
  const text = document.getText();
  const lineStarts = computeLineStarts(text);
  const lineStart = lineStarts[position.line]!;
  const lineEnd = position.line + 1 < lineStarts.length ? lineStarts[position.line + 1]! : text.length;
  const lineText = text.slice(lineStart, lineEnd).replace(LINE_END, '');
  if (position.character > lineText.length) return empty;
  const before = lineText.slice(0, position.character);
  const after = lineText.slice(position.character);

  const block = findFrontMatter(text);
  const closingLine = block ? (block.closingLine === -1 ? lineStarts.length : block.closingLine) : -1;
  if (block && position.line > 0 && position.line < closingLine) {
    return frontMatterCompletions(state, lines(text, lineStarts, position.line), position, before, after);
  }
  if (!state.currentIndex(document)?.participates) return empty;

  const typed = ID_BEING_TYPED.exec(before)?.[0] ?? '';
  const link = LINK_KEY.exec(before);
  if (link) return idCompletions(state, EXPECTED_KINDS[link[1]!.toLowerCase() as 'traces' | 'supports'], typed, position, after, nearby(state, document));
  if (!typed) return empty;
  const typedPrefix = typed.split('-')[0]!;
  const matchesPrefix = [...state.config.prefixes.keys()].some((prefix) => (typed.includes('-') ? prefix === typedPrefix : prefix.startsWith(typed)));
  if (!matchesPrefix || (typed.length < 2 && !typed.includes('-'))) return empty;
  return idCompletions(state, undefined, typed, position, after, nearby(state, document));
}

/**
 * IDs the document already names: the outcomes a PRD lists in its front-matter, the IDs its links
 * point at, and the items it defines. They are offered first: a requirement usually traces to
 * the PRD's own outcomes, a key result's outcome usually sits in the same strategy.
 */
function nearby(state: ServiceState, document: TextDocument): ReadonlySet<string> {
  const index = state.currentIndex(document);
  const ids = new Set<string>();
  if (!index) return ids;
  for (const reference of index.references) if (reference.context !== 'prose') ids.add(reference.id);
  for (const item of index.items) ids.add(item.id);
  return ids;
}

function lines(text: string, lineStarts: readonly number[], upTo: number): string[] {
  const result: string[] = [];
  for (let line = 1; line <= upTo; line++) {
    const end = line + 1 < lineStarts.length ? lineStarts[line + 1]! : text.length;
    result.push(text.slice(lineStarts[line]!, end).replace(LINE_END, ''));
  }
  return result;
}

/**
 * Length of the run of keyword characters (letters, digits, `_`) that ends `typed`. Vim's
 * omnifunc (Neovim's `vim.lsp.omnifunc`, 0.7 to 0.11) ignores the edit's range and inserts the new
 * text from the start of this run, since `-` and `.` are not keyword characters in Markdown. So
 * each edit starts there too: after `OUT-` it inserts `2`, not `OUT-2`, and every client ends with
 * the same valid ID, whether or not it honours `textEdit` ranges.
 */
function keywordTailLength(typed: string): number {
  let start = typed.length;
  while (start > 0 && isKeywordCharacter(typed.charCodeAt(start - 1))) start--;
  return typed.length - start;
}

function isKeywordCharacter(code: number): boolean {
  // Vim's default 'iskeyword' for Markdown: @,48-57,_,192-255.
  return (code >= 0x30 && code <= 0x39) || (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a) || code === 0x5f || (code >= 0xc0 && code <= 0xff);
}

function idCompletions(
  state: ServiceState,
  kinds: readonly ItemKind[] | undefined,
  typed: string,
  position: Position,
  after: string,
  preferred: ReadonlySet<string> = new Set(),
): CompletionList {
  const byKind = candidatesByKind(state);
  const tail = ID_TAIL.exec(after)?.[0] ?? '';
  const keywordLength = keywordTailLength(typed);
  // What was typed before the keyword run (`OUT-` of `OUT-1`): an ID that starts with it exactly is
  // completed from the keyword run on; one that matches only in another case replaces all of it.
  const fixed = typed.slice(0, typed.length - keywordLength);
  const end = { line: position.line, character: position.character + tail.length };
  const fromKeyword = { start: { line: position.line, character: position.character - keywordLength }, end };
  const whole = { start: { line: position.line, character: position.character - typed.length }, end };
  const upperTyped = typed.toUpperCase();
  const wanted = kinds ?? [...byKind.keys()];
  const matchesTyped = (id: string) => !upperTyped || id.toUpperCase().startsWith(upperTyped);
  // Ranked: the ID exactly as typed, then the IDs the document already names, then the rest in
  // natural order (OUT-2 before OUT-10). At most one more than the limit is collected per kind: enough to know the list is cut.
  const first: string[] = [];
  const rest: string[] = [];
  for (const id of preferred) {
    const kind = state.graph.definition(id)?.kind;
    if (kind && wanted.includes(kind) && matchesTyped(id)) first.push(id);
  }
  first.sort((a, b) => Number(b.toUpperCase() === upperTyped) - Number(a.toUpperCase() === upperTyped) || collator.compare(a, b));
  for (const kind of wanted) {
    let taken = 0;
    for (const id of byKind.get(kind) ?? []) {
      if (!matchesTyped(id) || preferred.has(id)) continue;
      rest.push(id);
      if (++taken > COMPLETION_LIMIT) break;
    }
  }
  if (wanted.length > 1) rest.sort(collator.compare);
  const exact = rest.findIndex((id) => id.toUpperCase() === upperTyped);
  if (exact > 0) rest.unshift(...rest.splice(exact, 1));
  const ranked = [...first, ...rest];
  const isIncomplete = ranked.length > COMPLETION_LIMIT;
  const matches = ranked.slice(0, COMPLETION_LIMIT);
  const items: CompletionItem[] = [];
  for (const id of matches) {
    const item = state.graph.definition(id);
    if (!item) continue;
    const suffixOnly = id.startsWith(fixed);
    const newText = suffixOnly ? id.slice(fixed.length) : id;
    items.push({
      label: id,
      labelDetails: { description: item.title },
      kind: CompletionItemKind.Reference,
      detail: `${KIND_LABELS[item.kind]} — ${item.title}`,
      documentation: state.displayPath(item.uri),
      sortText: String(items.length).padStart(6, '0'),
      // The whole ID: eglot filters it against the word at the cursor, which in text modes includes
      // `OUT-`; VS Code matches the part after the edit's start (`1` of `OUT-12`) within it.
      filterText: id,
      textEdit: { range: suffixOnly ? fromKeyword : whole, newText },
    });
  }
  return { isIncomplete, items };
}

function frontMatterCompletions(state: ServiceState, previousLines: string[], position: Position, before: string, after: string): CompletionList {
  const keysPresent = new Set(previousLines.map((line) => /^([A-Za-z_][\w-]*):/.exec(line)?.[1]).filter((key): key is string => key !== undefined));
  const typeLine = previousLines.map((line) => /^type:\s*(\w+)/.exec(line)?.[1]).find(Boolean) as keyof typeof FRONT_MATTER_KEYS | undefined;
  const keyOnly = /^([A-Za-z_][\w-]*)?$/.exec(before);
  if (keyOnly) {
    const keys = FRONT_MATTER_KEYS[typeLine && typeLine in FRONT_MATTER_KEYS ? typeLine : 'prd'];
    const typed = keyOnly[1] ?? '';
    const range = {
      start: { line: position.line, character: 0 },
      end: { line: position.line, character: before.length + (/^[\w-]*/.exec(after)?.[0].length ?? 0) },
    };
    return {
      isIncomplete: false,
      items: Object.entries(typeLine ? keys : { type: FRONT_MATTER_KEYS.prd.type! })
        .filter(([key]) => !keysPresent.has(key) || key === typed)
        .map(([key, description]) => ({ label: key, kind: CompletionItemKind.Property, detail: description, textEdit: { range, newText: `${key}: ` } })),
    };
  }
  const keyValue = /^([A-Za-z_][\w-]*):\s*(.*)$/.exec(before);
  const key =
    keyValue?.[1] ??
    (/^\s*-\s*/.test(before)
      ? [...previousLines]
          .reverse()
          .map((line) => /^([A-Za-z_][\w-]*):/.exec(line)?.[1])
          .find(Boolean)
      : undefined);
  if (!key) return { isIncomplete: false, items: [] };
  const enums = FRONT_MATTER_ENUMS[typeLine && typeLine in FRONT_MATTER_ENUMS ? typeLine : 'prd'];
  const enumValues = Object.hasOwn(enums, key) ? enums[key] : undefined;
  if (enumValues) {
    const typed = before.slice(before.length - trailingWordLength(before));
    const range = {
      start: { line: position.line, character: position.character - typed.length },
      end: { line: position.line, character: position.character + (/^[\w-]*/.exec(after)?.[0].length ?? 0) },
    };
    return {
      isIncomplete: false,
      items: enumValues.map((value) => ({ label: value, kind: CompletionItemKind.EnumMember, textEdit: { range, newText: value } })),
    };
  }
  const typed = ID_BEING_TYPED.exec(before)?.[0] ?? '';
  if (key === 'vision') return idCompletions(state, ['vision'], typed, position, after);
  if (key === 'outcomes') return idCompletions(state, ['outcome'], typed, position, after);
  return { isIncomplete: false, items: [] };
}

/**
 * Length of the run of word characters (`[A-Za-z0-9_-]`) that ends `text`, scanned from the end:
 * an unanchored `/[\w-]*$/` retries from every position and is quadratic on a long word.
 */
function trailingWordLength(text: string): number {
  let start = text.length;
  while (start > 0 && /[\w-]/.test(text[start - 1]!)) start--;
  return text.length - start;
}
