/**
 * Which lines of a file's new text were added or changed since its old text: a line diff done in
 * JavaScript, because git may not diff the working tree (gitRun.ts refuses it: it would run the
 * repository's filters and fsmonitor). Common leading and trailing lines are set aside first, then
 * Myers' O(ND) algorithm finds a shortest edit script for the middle. It is bounded: past
 * `maxEdits` edits (or a middle too large to trace) the whole middle of the new text counts as
 * changed, which is what a reviewer sees of a rewritten file anyway.
 */

/** Edits traced at most; past this the middle of the new text is taken as changed whole. */
export const MAX_LINE_EDITS = 2000;
/** Cells of the trace kept at most (about (edits)² / 1): 16 MB of Int32. */
const MAX_TRACE_CELLS = 4_000_000;

/** A text's lines, without their terminators (`\n`, `\r\n`, a lone `\r`). */
export function splitLines(text: string): string[] {
  return text.split(/\r\n|\r|\n/);
}

/**
 * The 1-based line numbers of `newText` that `oldText` does not have at that place: inserted or
 * replaced lines. Lines only deleted mark nothing (their neighbours did not change). An absent
 * old text (a new file) marks every line.
 */
export function changedLines(oldText: string | undefined, newText: string, maxEdits = MAX_LINE_EDITS): Set<number> {
  const b = splitLines(newText);
  const changed = new Set<number>();
  if (oldText === undefined) {
    for (let line = 1; line <= b.length; line++) changed.add(line);
    return changed;
  }
  const a = splitLines(oldText);
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  if (endB === start) return changed;
  if (endA === start) {
    for (let line = start; line < endB; line++) changed.add(line + 1);
    return changed;
  }
  // Lines as small integers, so the inner loop compares numbers.
  const ids = new Map<string, number>();
  const code = (line: string) => {
    let id = ids.get(line);
    if (id === undefined) ids.set(line, (id = ids.size));
    return id;
  };
  const x = Int32Array.from(a.slice(start, endA), code);
  const y = Int32Array.from(b.slice(start, endB), code);
  const inserted = myersInserted(x, y, maxEdits);
  if (inserted === undefined) {
    for (let line = start; line < endB; line++) changed.add(line + 1);
  } else {
    for (const index of inserted) changed.add(start + index + 1);
  }
  return changed;
}

/**
 * The indexes of `y` not matched in a shortest edit script from `x` to `y`, or undefined when it
 * needs more than `maxEdits` edits or its trace would exceed MAX_TRACE_CELLS.
 */
function myersInserted(x: Int32Array, y: Int32Array, maxEdits: number): number[] | undefined {
  const n = x.length;
  const m = y.length;
  const max = Math.min(n + m, maxEdits);
  const offset = max + 1;
  const v = new Int32Array(2 * max + 3);
  // trace[d] holds v[-d..d] before step d, as V arrays of length 2d+1.
  const trace: Int32Array[] = [];
  let cells = 0;
  for (let d = 0; d <= max; d++) {
    cells += 2 * d + 1;
    if (cells > MAX_TRACE_CELLS) return undefined;
    trace.push(v.slice(offset - d, offset + d + 1));
    for (let k = -d; k <= d; k += 2) {
      let px: number;
      if (k === -d || (k !== d && v[offset + k - 1]! < v[offset + k + 1]!)) px = v[offset + k + 1]!;
      else px = v[offset + k - 1]! + 1;
      let py = px - k;
      while (px < n && py < m && x[px] === y[py]) {
        px++;
        py++;
      }
      v[offset + k] = px;
      if (px >= n && py >= m) return backtrack(trace, n, m, d);
    }
  }
  return undefined;
}

/** Walks the trace back from (n, m) and collects the `y` indexes reached by insertions. */
function backtrack(trace: readonly Int32Array[], n: number, m: number, last: number): number[] {
  const inserted: number[] = [];
  let px = n;
  let py = m;
  for (let d = last; d > 0; d--) {
    const row = trace[d]!;
    // row holds v[-d..d] as it was before step d (that is, after step d − 1).
    const at = (k: number) => row[k + d]!;
    const k = px - py;
    const down = k === -d || (k !== d && at(k - 1) < at(k + 1));
    const prevK = down ? k + 1 : k - 1;
    const prevX = at(prevK);
    const prevY = prevX - prevK;
    // Coming down from diagonal k + 1 inserted y[prevY]; coming right deleted x[prevX].
    if (down) inserted.push(prevY);
    px = prevX;
    py = prevY;
  }
  return inserted.reverse();
}
