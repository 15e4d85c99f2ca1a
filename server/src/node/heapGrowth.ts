/**
 * Bounds how far V8 lets the heap grow past what is live, for a long-running server.
 *
 * By default V8 sets the next full collection at up to several times the live heap when collecting
 * looks cheap. A server that indexed 10,000 PRDs holds about 250 MB live; each edit then makes
 * short-lived but promoted garbage (a new index, diagnostics, the tree and report the client asks
 * for), and with nothing forcing a full collection the resident size climbed by about 0.8 MB per
 * edit: 382 MB after indexing, 768 MB after 500 edits, on this project's benchmark (issue 12), with
 * the live heap flat.
 *
 * Once the first index is built (and its git history read: with the factor set, that read at
 * 10,000 PRDs took 2.7 s against 2.3–2.5 s), the growing factor is set to 1.2 and one full collection is
 * made, so the limit is set from what is live now: a limit set during the cold pass can be several
 * times the live heap, and the factor applies only from the next full collection (one benchmark run
 * with the factor alone still climbed to 697 MB, others stayed at 343–346 MB; with the collection,
 * 336–351 MB over 500 edits; 1.2 gave 322–338 MB but slower tree answers, which the tree no longer
 * is: on 2026-12-03, 1.25 gave 342–355 MB with the tree's p95 at 13.7–17.1 ms, and 1.2 gave 329 MB
 * with 16.7 ms, against a bar of 350 MB and 30 ms). The factor is not set
 * at start: during the cold pass the heap only grows, and a small factor makes a full collection at
 * every small step of growth (1.1 from the start made the cold pass 45% slower).
 *
 * The allowance is also capped in bytes: 20% of the 1.3 GB a server holds at 100,000 PRDs is
 * 260 MB of garbage, far more than an edit makes, all of it resident. The factor is set from what
 * is live after the collection, so that the allowance is at most 64 MB, and never below 1.05. At
 * 10,000 PRDs (about 150 MB live) it stays 1.2. The lower factor applies from the next full
 * collection on. The 100,000-PRD benchmark session, on 2026-12-04, ended at 1,553 MB resident with
 * 1.2, at 1,506–1,528 MB with 1.1 (where between live and live plus the allowance a session ends is
 * chance, so the allowance is what bounds it), and at 1,423–1,432 MB with this cap (about 1.05).
 *
 * The collection is V8's own `gc`, reached as the `expose-gc` technique does: the flag is set just
 * long enough to make one context that has it.
 */
import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** The next full collection at live heap × (1 + this / 100), for a heap up to 320 MB live. */
const SERVING_HEAP_GROWING_PERCENT = 20;
/** The most garbage a larger heap may gather before a full collection, as far as the factor allows. */
const SERVING_HEADROOM_BYTES = 64 * 1024 * 1024;
const MIN_SERVING_HEAP_GROWING_PERCENT = 5;

/** Call once the first index is built and its history read (process-wide). */
export function boundHeapGrowth(): void {
  setFlagsFromString(`--heap-growing-percent=${SERVING_HEAP_GROWING_PERCENT}`);
  fullCollection();
  const percent = servingHeapGrowingPercent(getHeapStatistics().used_heap_size);
  if (percent !== SERVING_HEAP_GROWING_PERCENT) setFlagsFromString(`--heap-growing-percent=${percent}`);
}

/** The growing factor's percent for a heap with `liveBytes` live: 20, less once 20% would exceed the byte cap. */
export function servingHeapGrowingPercent(liveBytes: number): number {
  if (!(liveBytes > 0)) return SERVING_HEAP_GROWING_PERCENT;
  const capped = Math.floor((100 * SERVING_HEADROOM_BYTES) / liveBytes);
  return Math.max(MIN_SERVING_HEAP_GROWING_PERCENT, Math.min(SERVING_HEAP_GROWING_PERCENT, capped));
}

function fullCollection(): void {
  try {
    setFlagsFromString('--expose-gc');
    const gc: unknown = runInNewContext('gc');
    if (typeof gc === 'function') gc();
  } finally {
    setFlagsFromString('--no-expose-gc');
  }
}
