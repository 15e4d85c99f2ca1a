/**
 * Bounds on what Throughline outputs per diagnostic and per file, whatever the input. Without
 * them one file with 8,000 copies of an ID asks for 64 million related locations, and a cycle of
 * 10,000 items names all 10,000 in each of its 10,000 messages. The README's "Reliability"
 * section lists these values.
 */

/** Related locations attached to one diagnostic; the message says how many more there are. */
export const MAX_RELATED_LOCATIONS = 10;

/** Members a cycle message names; the rest are counted. */
export const MAX_CYCLE_MEMBERS_NAMED = 10;

/** Longest message a diagnostic carries; longer ones (long titles or IDs) are cut with an ellipsis. */
const MAX_MESSAGE_LENGTH = 1_000;

/** Cuts `text` to `max` characters, ending in `…` when it was cut. */
export function truncate(text: string, max: number = MAX_MESSAGE_LENGTH): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** `a, b, c` naming at most `max` of `names`, then `and N more`. */
export function listBounded(names: readonly string[], max: number): string {
  if (names.length <= max) return names.join(', ');
  return `${names.slice(0, max).join(', ')} and ${names.length - max} more`;
}
