/** The quick fixes of the trace rules (`untraced-requirement`, `unknown-reference`); each edit is a workspace edit, so the editor can undo it. */
import { CodeActionKind, type CodeAction, type Diagnostic, type TextEdit } from 'vscode-languageserver-types';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { DocumentIndex, Item } from '../model/model';
import type { ServiceState } from '../workspace/state';
import { editDistance } from '../parse/text';
import { replaceRangeAction } from './rule';

const MAX_SUGGESTIONS = 3;

export function addTracesActions(
  state: ServiceState,
  document: TextDocument,
  index: DocumentIndex,
  requirementId: string,
  diagnostic: Diagnostic,
): CodeAction[] {
  const requirement = index.items.find((item) => item.id === requirementId && item.kind === 'requirement');
  if (!requirement) return [];
  const edit = tracesEdit(document, requirement);
  if (!edit) return [];
  return suggestOutcomes(state, requirement).map((outcome, order) => ({
    title: `Trace ${requirement.id} to ${outcome.id}: ${outcome.title}`,
    kind: CodeActionKind.QuickFix,
    diagnostics: [diagnostic],
    isPreferred: order === 0,
    edit: { changes: { [document.uri]: [{ range: edit.range, newText: edit.newText(outcome.id) }] } },
  }));
}

/** The PRD's declared outcomes first, then outcomes whose titles share the most words with the requirement. */
function suggestOutcomes(state: ServiceState, requirement: Item): Item[] {
  const { graph } = state;
  const declared: Item[] = [];
  const prdDocument = graph.document(requirement.uri);
  for (const reference of prdDocument?.references ?? []) {
    if (reference.context !== 'frontMatterOutcomes') continue;
    const outcome = graph.definition(reference.id);
    if (outcome?.kind === 'outcome' && !declared.includes(outcome)) declared.push(outcome);
  }
  if (declared.length >= 5) return declared.slice(0, 5);
  const words = new Set(
    requirement.title
      .toLowerCase()
      .split(/\W+/)
      .filter((word) => word.length > 3),
  );
  const scored: { outcome: Item; score: number }[] = [];
  for (const item of graph.allItems()) {
    if (item.kind !== 'outcome' || declared.includes(item)) continue;
    const score = item.title
      .toLowerCase()
      .split(/\W+/)
      .filter((word) => words.has(word)).length;
    scored.push({ outcome: item, score });
  }
  scored.sort((a, b) => b.score - a.score || a.outcome.id.localeCompare(b.outcome.id, 'en', { numeric: true }));
  return [...declared, ...scored.slice(0, 5 - declared.length).map((entry) => entry.outcome)];
}

/** Where to write `Traces:`: after the definition line and its attributes, indented like them. */
function tracesEdit(document: TextDocument, requirement: Item): { range: TextEdit['range']; newText(id: string): string } | undefined {
  const existing = requirement.attributes.find((attribute) => attribute.name === 'traces');
  if (existing) {
    if (existing.value.trim()) {
      const range = {
        start: { line: existing.line, character: existing.valueStart },
        end: { line: existing.line, character: existing.valueStart + existing.value.length },
      };
      return { range, newText: (id) => `${existing.value}, ${id}` };
    }
    if (existing.keyLine !== existing.line) {
      // An empty `Traces` cell of a table row: the ID goes into the cell, between spaces.
      const position = { line: existing.line, character: existing.valueStart };
      const before = document.getText({ start: { line: existing.line, character: existing.valueStart - 1 }, end: position });
      return { range: { start: position, end: position }, newText: (id) => `${before === ' ' ? '' : ' '}${id} ` };
    }
    // An empty `Traces:` (with or without trailing spaces) becomes `Traces: ID`.
    const lineText = document
      .getText({ start: { line: existing.line, character: 0 }, end: { line: existing.line + 1, character: 0 } })
      .replace(/(?:\r\n|\r|\n)$/, '');
    const colon = lineText.indexOf(':', existing.keyStart + existing.key.length);
    const range = { start: { line: existing.line, character: colon + 1 }, end: { line: existing.line, character: lineText.length } };
    return { range, newText: (id) => ` ${id}` };
  }
  // A table row has no line below it to write to (a `Traces` column is the user's call).
  if (requirement.inTable) return undefined;
  const lastLine = requirement.attributes.length ? requirement.attributes[requirement.attributes.length - 1]!.line : requirement.idSpan.line;
  const lineText = document.getText({ start: { line: lastLine, character: 0 }, end: { line: lastLine + 1, character: 0 } }).replace(/(?:\r\n|\r|\n)$/, '');
  const indent = requirement.attributes.length
    ? ' '.repeat(requirement.attributes[0]!.keySpan.start)
    : requirement.depth > 0
      ? ''
      : ' '.repeat(requirement.idSpan.start);
  const eol = /\r\n|\r|\n/.exec(document.getText())?.[0] ?? '\n';
  const position = { line: lastLine, character: lineText.length };
  return { range: { start: position, end: position }, newText: (id) => `${eol}${indent}Traces: ${id}` };
}

export function didYouMeanActions(state: ServiceState, document: TextDocument, unknownId: string, diagnostic: Diagnostic): CodeAction[] {
  const limit = Math.max(1, Math.min(3, Math.floor(unknownId.length / 3)));
  const candidates: { id: string; distance: number }[] = [];
  for (const id of state.graph.allIds()) {
    const distance = editDistance(unknownId.toUpperCase(), id.toUpperCase(), limit);
    if (distance <= limit) candidates.push({ id, distance });
  }
  candidates.sort((a, b) => a.distance - b.distance || a.id.localeCompare(b.id, 'en', { numeric: true }));
  return candidates.slice(0, MAX_SUGGESTIONS).map(({ id }, order) => {
    const target = state.graph.definition(id)!;
    return replaceRangeAction(document, diagnostic, `Change to ${id} (${target.title})`, id, order === 0);
  });
}

/** Appends `### OUT-n: …` to the strategy document that holds the most outcomes this document already uses. */
export function createOutcomeStubAction(state: ServiceState, document: TextDocument, unknownId: string, diagnostic: Diagnostic): CodeAction | undefined {
  const { graph, config, syntax } = state;
  if (config.prefixes.get(syntax.prefixOf(unknownId)) !== 'outcome') return undefined;
  const votes = new Map<string, number>();
  for (const reference of state.currentIndex(document)?.references ?? []) {
    const target = graph.definition(reference.id);
    if (target?.kind === 'outcome') votes.set(target.uri, (votes.get(target.uri) ?? 0) + 1);
  }
  let strategyUri = [...votes].sort((a, b) => b[1] - a[1])[0]?.[0];
  if (!strategyUri) {
    for (const candidate of graph.allDocuments()) {
      if (candidate.frontMatter?.type === 'strategy') {
        strategyUri = candidate.uri;
        break;
      }
    }
  }
  const strategy = strategyUri ? graph.document(strategyUri) : undefined;
  if (!strategy) return undefined;
  const depth = strategy.items.find((item) => item.kind === 'outcome' && item.depth > 0)?.depth ?? 3;
  const end = { line: strategy.lineCount - 1, character: strategy.lastLineLength };
  const separator = strategy.lastLineLength > 0 ? '\n\n' : '\n';
  return {
    title: `Create outcome ${unknownId} in ${state.displayPath(strategy.uri)}`,
    kind: CodeActionKind.QuickFix,
    diagnostics: [diagnostic],
    edit: {
      changes: { [strategy.uri]: [{ range: { start: end, end }, newText: `${separator}${'#'.repeat(depth)} ${unknownId}: New outcome\nSupports: \n` }] },
    },
  };
}
