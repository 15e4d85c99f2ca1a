/**
 * Bounds how far V8 lets the heap grow past what is live, for a long-running server.
 *
 * By default V8 sets the next full collection at up to several times the live heap when collecting
 * looks cheap. A server that indexed 10,000 PRDs holds about 300 MB live; each edit then makes
 * short-lived but promoted garbage (a new index, diagnostics, the tree and report the client asks
 * for), and with nothing forcing a full collection the resident size climbed by about 0.8 MB per
 * edit: 382 MB after indexing, 768 MB after 500 edits, on this project's benchmark (issue 12), with
 * the live heap flat. With a growing factor of 1.25 once the index is built, it stayed at 393–398 MB
 * over 300 edits, at the same edit latencies (2-core machine, 10,000 PRDs).
 *
 * It is set once the first index is built, not at start: during the cold pass the heap only grows,
 * and a small factor makes a full collection at every small step of growth (1.1 from the start
 * made the cold pass 45% slower; 1.5 from the start gave no steadier figures than the default).
 */
import { setFlagsFromString } from 'node:v8';

/** The next full collection at live heap × (1 + this / 100). */
const SERVING_HEAP_GROWING_PERCENT = 25;

/** Call once the first index is built (process-wide; calling again changes nothing). */
export function boundHeapGrowth(): void {
  setFlagsFromString(`--heap-growing-percent=${SERVING_HEAP_GROWING_PERCENT}`);
}
