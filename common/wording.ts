/**
 * Wording every product shares (server, CLI, report, VS Code client), so the same figure reads the
 * same everywhere. A leaf module: no imports.
 */

/** `1 key result`, `3 key results`; `nouns` for irregular plurals. */
export function plural(count: number, noun: string, nouns = `${noun}s`): string {
  return `${count} ${count === 1 ? noun : nouns}`;
}

/**
 * Whole percent of a progress fraction, clamped to 0–100 and rounded down, so 99.6% never reads as
 * done. The epsilon keeps 0.29 × 100 = 28.999… at 29.
 */
export function progressPercent(progress: number): number {
  return Math.floor(100 * clampProgress(progress) + 1e-9);
}

/** A progress fraction clamped to 0–1; 0 when it is not a finite number. */
export function clampProgress(progress: number): number {
  return Number.isFinite(progress) ? Math.min(1, Math.max(0, progress)) : 0;
}

/** `48%`, as hover, code lenses, the tree and the CLI print progress. */
export function formatProgress(progress: number): string {
  return `${progressPercent(progress)}%`;
}

/** `part/whole` as a whole percentage, rounded to the nearest (a share, not progress); undefined when `whole` is 0. */
export function sharePercent(part: number, whole: number): number | undefined {
  return whole > 0 ? Math.round((100 * part) / whole) : undefined;
}

/** `87%`, or `n/a` when there is nothing to count: the status bar, the CLI summary, diff and the portfolio. */
export function formatShare(part: number, whole: number): string {
  const percent = sharePercent(part, whole);
  return percent === undefined ? 'n/a' : `${percent}%`;
}
