/**
 * The ID grammar, written once: the server's index, schemas and completion, the VS Code client and
 * the generated TextMate grammar (scripts/grammar.ts) all build their patterns from these sources.
 * An ID is an uppercase prefix, `-`, then letters, digits, `.`, `_` or `-`, starting and ending
 * with a letter or digit: `OUT-3`, `KR-1.2`, `REQ-checkout_v2`.
 */

/** The prefix: uppercase ASCII letters. */
export const ID_PREFIX_SOURCE = '[A-Z]+';

/** What follows the `-`. */
export const ID_SUFFIX_SOURCE = '[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?';

/** A whole ID. */
export const ID_SOURCE = `${ID_PREFIX_SOURCE}-${ID_SUFFIX_SOURCE}`;

/** Not preceded by anything that would make the match part of a longer word, path, URL or anchor. */
export const ID_BOUNDARY_SOURCE = '(?<![A-Za-z0-9_\\-./#])';

/** A string that is exactly one ID. */
export const WHOLE_ID = new RegExp(`^${ID_SOURCE}$`);

const LEADING_PREFIX = new RegExp(`^${ID_PREFIX_SOURCE}-`);

/** What follows the prefix and `-`: `12` for `PRD-12`, `3.1` for `OUT-3.1`; `id` unchanged when it has no prefix. */
export function idSuffix(id: string): string {
  return id.replace(LEADING_PREFIX, '');
}

/** `text` with the characters RegExp treats specially escaped (for configured prefixes). */
export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
