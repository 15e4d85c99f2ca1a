import type { ThroughlineConfig } from './config';

const SUFFIX = '[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?';
/** Not preceded by anything that would make the match part of a longer word, path or URL. */
const BOUNDARY = '(?<![A-Za-z0-9_\\-./#])';

/** Any `PREFIX-SUFFIX` token, configured prefix or not (used inside link attributes). */
export const ANY_ID = new RegExp(`${BOUNDARY}[A-Z]+-${SUFFIX}`, 'g');

/** The definition at the start of a heading or list item: `ID: title` (or `ID:` alone). */
export const DEFINITION = new RegExp(`^([A-Z]+)-(${SUFFIX}):(?=\\s|$)`);

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The regular expressions that depend on the configured prefixes, built once per configuration. */
export class IdSyntax {
  /** IDs with a configured prefix, for prose. */
  readonly knownId: RegExp;
  private readonly prefixes: ReadonlyMap<string, unknown>;

  constructor(config: ThroughlineConfig) {
    this.prefixes = config.prefixes;
    const alternatives = [...config.prefixes.keys()].sort((a, b) => b.length - a.length).map(escape).join('|');
    this.knownId = new RegExp(`${BOUNDARY}(?:${alternatives || '(?!)'})-${SUFFIX}`, 'g');
  }

  prefixOf(id: string): string {
    const dash = id.indexOf('-');
    return dash === -1 ? id : id.slice(0, dash);
  }

  isKnownPrefix(prefix: string): boolean {
    return this.prefixes.has(prefix);
  }
}
