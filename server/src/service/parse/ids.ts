import { escapeRegExp, ID_BOUNDARY_SOURCE as BOUNDARY, ID_PREFIX_SOURCE, ID_SUFFIX_SOURCE as SUFFIX } from '../../../../common/idGrammar';
import type { ThroughlineConfig } from '../model/config';

/** Any `PREFIX-SUFFIX` token, configured prefix or not (used inside link attributes). */
export const ANY_ID = new RegExp(`${BOUNDARY}${ID_PREFIX_SOURCE}-${SUFFIX}`, 'g');

/** The definition at the start of a heading or list item: `ID: title` (or `ID:` alone). */
export const DEFINITION = new RegExp(`^(${ID_PREFIX_SOURCE})-(${SUFFIX}):(?=\\s|$)`);

/** The regular expressions that depend on the configured prefixes, built once per configuration. */
export class IdSyntax {
  /** IDs with a configured prefix, for prose. */
  readonly knownId: RegExp;

  constructor(config: ThroughlineConfig) {
    const alternatives = [...config.prefixes.keys()]
      .sort((a, b) => b.length - a.length)
      .map(escapeRegExp)
      .join('|');
    this.knownId = new RegExp(`${BOUNDARY}(?:${alternatives || '(?!)'})-${SUFFIX}`, 'g');
  }

  prefixOf(id: string): string {
    const dash = id.indexOf('-');
    return dash === -1 ? id : id.slice(0, dash);
  }
}
