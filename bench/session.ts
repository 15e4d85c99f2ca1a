/**
 * The scripted editing session both servers go through, edit by edit: the same text changes on
 * the same PRD. A cycle is ten edits:
 *
 * 1. the `Traces:` line becomes `Traces: OUT-` (typing a reference; completion is asked there);
 * 2. it becomes `Traces: OUT-<n>, OUT-99999`, n moving through the outcomes (a link edit: the
 *    requirement now delivers another outcome; the dangling `OUT-99999` keeps an error on the
 *    document, so every later edit publishes diagnostics); hover is asked on the ID;
 * 3–10. one character typed at the end of a prose line each.
 *
 * Only edit 2 changes the alignment, so a client refreshes its views once per cycle.
 */

export interface Position {
  line: number;
  character: number;
}

export interface SessionEdit {
  /** 1-based number of the edit in the session. */
  index: number;
  kind: 'typing-reference' | 'link' | 'prose';
  line: number;
  /** The whole new text of `line`. */
  text: string;
  /** Where completion is asked after this edit (typing-reference only). */
  completionAt?: Position;
  /** Where hover is asked after this edit (link only). */
  hoverAt?: Position;
}

export const EDITS_PER_CYCLE = 10;
export const DANGLING_ID = 'OUT-99999';

/** The edits of a session of `cycles` cycles on a document whose lines are `lines`. */
export function sessionEdits(lines: readonly string[], tracesLine: number, proseLine: number, cycles: number, outcomes: number): SessionEdit[] {
  const edits: SessionEdit[] = [];
  let prose = lines[proseLine] ?? '';
  for (let cycle = 0; cycle < cycles; cycle++) {
    const base = cycle * EDITS_PER_CYCLE;
    const typing = 'Traces: OUT-';
    edits.push({ index: base + 1, kind: 'typing-reference', line: tracesLine, text: typing, completionAt: { line: tracesLine, character: typing.length } });
    // OUT-2 … OUT-min(outcomes, 41), round and round (OUT-1 is the rename target and stays as generated elsewhere).
    const target = 2 + (cycle % Math.max(1, Math.min(40, outcomes - 1)));
    edits.push({
      index: base + 2,
      kind: 'link',
      line: tracesLine,
      text: `Traces: OUT-${target}, ${DANGLING_ID}`,
      hoverAt: { line: tracesLine, character: 'Traces: OUT'.length },
    });
    for (let k = 3; k <= EDITS_PER_CYCLE; k++) {
      prose += 'abcdefghijklmnopqrstuvwxyz'[(base + k) % 26]!;
      edits.push({ index: base + k, kind: 'prose', line: proseLine, text: prose });
    }
  }
  return edits;
}

/**
 * The LSP content change for `edit` on a line whose text is `current`: typing inserts its one
 * character at the end of the line, as an editor sends it; the other edits replace the line.
 */
export function changeFor(edit: SessionEdit, current: string) {
  if (edit.kind === 'prose' && edit.text.startsWith(current) && edit.text.length === current.length + 1) {
    const at = { line: edit.line, character: current.length };
    return { range: { start: at, end: at }, text: edit.text.slice(current.length) };
  }
  return { range: { start: { line: edit.line, character: 0 }, end: { line: edit.line, character: current.length } }, text: edit.text };
}
