/** Rules on front-matter keys the schema lets through: a key that is no key of its type but nearly one. */
import { z } from 'zod';
import { CodeActionKind, type Range } from 'vscode-languageserver-types';
import { suggestFrontMatterKey } from '../parse/frontMatter';
import { defineRule } from './rule';

/** Longer keys are not compared (nothing known is that long). */
const MAX_KEY_LENGTH = 40;

export const misspelledFrontMatterKey = defineRule({
  name: 'misspelled-front-matter-key',
  severity: 'warning',
  description: 'A front-matter key is no key of its document type but close to one (`innovaton:` for `innovation:`), so its value is ignored.',
  details: 'The quick fix renames the key. Unknown keys that are close to no known key are kept and not reported.',
  fix: {
    data: z.object({ key: z.string(), suggestion: z.string() }),
    actions: ({ state, document, diagnostic, data }) => {
      // The diagnostic is on the key (`innovaton`, or `"innovaton"` quoted: the fix keeps the quotes).
      const written = document.getText(diagnostic.range);
      let range: Range | undefined = written === data.key ? diagnostic.range : undefined;
      if (!range && diagnostic.range.start.line === diagnostic.range.end.line && isQuoted(written, data.key)) {
        range = {
          start: { line: diagnostic.range.start.line, character: diagnostic.range.start.character + 1 },
          end: { line: diagnostic.range.end.line, character: diagnostic.range.end.character - 1 },
        };
      }
      if (!range) {
        // The document changed since (or the key's position is unknown): find its line in the front-matter.
        const endLine = state.currentIndex(document)?.frontMatter?.endLine ?? -1;
        for (let line = 1; line < endLine && !range; line++) {
          const text = document.getText({ start: { line, character: 0 }, end: { line, character: data.key.length + 1 } });
          if (text === `${data.key}:`) range = { start: { line, character: 0 }, end: { line, character: data.key.length } };
        }
      }
      if (!range) return [];
      return [
        {
          title: `Rename \`${data.key}\` to \`${data.suggestion}\``,
          kind: CodeActionKind.QuickFix,
          diagnostics: [diagnostic],
          isPreferred: true,
          edit: { changes: { [document.uri]: [{ range, newText: data.suggestion }] } },
        },
      ];
    },
  },
  check(context) {
    const frontMatter = context.document.frontMatter;
    if (!frontMatter) return;
    for (const key of Object.keys(frontMatter.data)) {
      if (key.length > MAX_KEY_LENGTH) continue;
      const suggestion = suggestFrontMatterKey(frontMatter.type, key);
      if (!suggestion || Object.hasOwn(frontMatter.data, suggestion)) continue;
      context.report({
        span: frontMatter.keySpans.get(key) ?? { line: frontMatter.startLine, start: 0, end: 3 },
        message: `\`${key}\` is not a front-matter key of a ${frontMatter.type} document, so it is ignored; did you mean \`${suggestion}\`?`,
        data: { key, suggestion },
      });
    }
  },
});

/** `"key"` or `'key'`. */
function isQuoted(written: string, key: string): boolean {
  return written.length === key.length + 2 && (written[0] === '"' || written[0] === "'") && written.endsWith(written[0]) && written.slice(1, -1) === key;
}
