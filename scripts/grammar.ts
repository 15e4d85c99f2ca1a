/**
 * Generates syntaxes/throughline.injection.tmLanguage.json from the ID grammar in
 * common/idGrammar.ts and the default prefixes, so the editor colours exactly what the server
 * indexes. `npm run grammar` writes it; test/unit/grammar.test.ts fails when it is out of date.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { escapeRegExp, ID_BOUNDARY_SOURCE, ID_SOURCE, ID_SUFFIX_SOURCE } from '../common/idGrammar';
import { DEFAULT_PREFIXES } from '../server/src/service/model/config';

export const GRAMMAR_PATH = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'syntaxes', 'throughline.injection.tmLanguage.json');

/** Attribute keys the grammar highlights: the links and the figures and facts documented in docs/format.md. */
const HIGHLIGHTED_ATTRIBUTES = ['Traces', 'Supports', 'Metric', 'Baseline', 'Target', 'Current', 'Due', 'Priority', 'Status', 'Owner', 'Weight'];

export function grammarText(): string {
  const prefixes = Object.keys(DEFAULT_PREFIXES).map(escapeRegExp).join('|');
  const grammar = {
    $schema: 'https://raw.githubusercontent.com/martinring/tmlanguage/master/tmlanguage.json',
    scopeName: 'throughline.injection',
    injectionSelector: 'L:text.html.markdown -markup.fenced_code -markup.raw -markup.inline.raw',
    patterns: [{ include: '#item-definition' }, { include: '#attribute' }, { include: '#reference' }],
    repository: {
      'item-definition': {
        comment: 'The ID that opens a heading or list item: `### OUT-3: title`, `- KR-1.2: title`.',
        match: `(?<=^#{1,6}[ \\t]+|^[ \\t]*(?:[-*+]|\\d{1,9}[.)])[ \\t]+)(${ID_SOURCE})(?=:)`,
        captures: { '1': { name: 'entity.name.type.throughline.definition' } },
      },
      attribute: {
        comment: 'Attribute lines right under an item: `Traces: OUT-1, OUT-2`.',
        match: `^([ \\t]*)(${HIGHLIGHTED_ATTRIBUTES.join('|')})([ \\t]*:)`,
        captures: {
          '2': { name: 'support.type.property-name.throughline.attribute' },
          '3': { name: 'punctuation.separator.key-value.throughline' },
        },
      },
      reference: {
        comment: 'An ID with one of the default prefixes anywhere in prose.',
        match: `${ID_BOUNDARY_SOURCE}(?:${prefixes})-${ID_SUFFIX_SOURCE}`,
        name: 'variable.other.constant.throughline.reference',
      },
    },
  };
  return `${JSON.stringify(grammar, null, 2)}\n`;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const text = grammarText();
  if (readFileSync(GRAMMAR_PATH, 'utf8') !== text) writeFileSync(GRAMMAR_PATH, text);
  process.stdout.write(`${path.relative(process.cwd(), GRAMMAR_PATH)} is up to date.\n`);
}
