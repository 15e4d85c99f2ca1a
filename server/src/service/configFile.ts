import { isMap, isPair, isScalar, isSeq, parseDocument, type Node as YamlNode } from 'yaml';
import { z } from 'zod';
import { configSchema, type ConfigInput } from './config';
import { RULE_NAMES } from './ruleCatalog';
import type { ParseProblem } from './model';
import { computeLineStarts, positionAtOffset } from './text';

export interface ParsedConfigFile {
  readonly config: ConfigInput | undefined;
  readonly problems: readonly ParseProblem[];
}

/**
 * Parses `.throughline.yml`. Invalid entries are reported where they are written and left out;
 * the valid rest still applies, so one typo does not switch every rule back to its default.
 */
export function parseConfigFile(text: string): ParsedConfigFile {
  const lineStarts = computeLineStarts(text);
  const problems: ParseProblem[] = [];
  const problemAt = (rawStart: number, rawEnd: number, message: string) => {
    // The parser reports errors at end of input one past the last character.
    const start = Math.min(Math.max(0, rawStart), text.length);
    const end = Math.min(Math.max(start, rawEnd), text.length);
    const from = positionAtOffset(lineStarts, start);
    const to = positionAtOffset(lineStarts, Math.max(start, end));
    problems.push({ rule: 'config', severity: 'error', message, span: { line: from.line, start: from.character, end: to.line === from.line ? to.character : from.character + 1 } });
  };
  const document = parseDocument(text, { prettyErrors: false, uniqueKeys: true });
  for (const error of document.errors) problemAt(error.pos[0], error.pos[1], `YAML: ${error.message.split('\n')[0]}`);
  if (document.errors.length) return { config: undefined, problems };
  const data: unknown = document.toJS() ?? {};
  const result = configSchema.safeParse(data);
  if (result.success) return { config: result.data, problems };

  const locate = (path: readonly PropertyKey[]): [number, number] => {
    let node: unknown = document.contents;
    let range: [number, number] = [0, 0];
    for (const segment of path) {
      if (isMap(node)) {
        const pair = node.items.find((candidate) => isPair(candidate) && isScalar(candidate.key) && String(candidate.key.value) === String(segment));
        if (!pair) break;
        const keyNode = pair.key as YamlNode;
        if (keyNode.range) range = [keyNode.range[0], keyNode.range[1]];
        node = pair.value;
        const valueRange = (pair.value as YamlNode | null)?.range;
        if (valueRange && typeof segment === 'string' && path[path.length - 1] !== segment) range = [valueRange[0], valueRange[1]];
      } else if (isSeq(node)) {
        const item = node.items[Number(segment)] as YamlNode | undefined;
        if (!item?.range) break;
        range = [item.range[0], item.range[1]];
        node = item;
      } else break;
    }
    return range;
  };
  const invalidTopKeys = new Set<string>();
  for (const issue of result.error.issues) {
    const path = issue.path;
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        const [start, end] = locate([...path, key]);
        problemAt(
          start,
          end,
          path[0] === 'rules' ? `Unknown rule \`${key}\`; the rules are ${RULE_NAMES.join(', ')}.` : `Unknown setting \`${key}\`; expected ${knownKeys(path).join(', ').replace(/, ([^,]*)$/, ' or $1')}.`,
        );
        invalidTopKeys.add(String(path[0] ?? key));
      }
      continue;
    }
    const [start, end] = locate(path);
    const where = path.map(String).join('.');
    let message = issue.message;
    if (issue.code === 'invalid_key' && path[0] === 'rules') message = `Unknown rule name.`;
    if (issue.code === 'invalid_value' && 'values' in issue) message = `must be one of ${(issue.values as unknown[]).join(', ')}`;
    problemAt(start, end, `${where ? `\`${where}\`: ` : ''}${message}`);
    invalidTopKeys.add(String(path[0] ?? ''));
  }
  // Keep what validated on its own: whole sections, and inside `rules` and `prefixes` each entry.
  const partial: Record<string, unknown> = {};
  if (data && typeof data === 'object') {
    for (const [key, value] of Object.entries(data)) {
      const single = configSchema.safeParse({ [key]: value });
      if (single.success) {
        Object.assign(partial, single.data);
      } else if ((key === 'rules' || key === 'prefixes') && value && typeof value === 'object') {
        const entries: Record<string, unknown> = {};
        for (const [entry, setting] of Object.entries(value)) {
          const one = configSchema.safeParse({ [key]: { [entry]: setting } });
          if (one.success) Object.assign(entries, (one.data as Record<string, Record<string, unknown>>)[key]);
        }
        partial[key] = entries;
      }
    }
  }
  return { config: partial as ConfigInput, problems };
}

/** The keys the schema knows at `path` (the top level or a nested object such as `thresholds`). */
function knownKeys(path: readonly PropertyKey[]): string[] {
  let schema: z.ZodType = configSchema;
  for (const segment of path) {
    while (schema instanceof z.ZodOptional) schema = schema.unwrap() as z.ZodType;
    if (!(schema instanceof z.ZodObject)) return [];
    schema = (schema.shape as Record<string, z.ZodType>)[String(segment)] ?? z.never();
  }
  while (schema instanceof z.ZodOptional) schema = schema.unwrap() as z.ZodType;
  return schema instanceof z.ZodObject ? Object.keys(schema.shape) : [];
}
