/**
 * Differential test: `parseSimpleYaml`, the fast path for flat front-matter, must return either
 * `undefined` or exactly what the `yaml` package parses (with the options the front-matter parser
 * uses), and the locations it records must be those of the corresponding `yaml` nodes.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { isMap, isPair, isScalar, isSeq, parseDocument, type Node as YamlNode } from 'yaml';
import { parseSimpleYaml, type YamlLocation } from '../../server/src/service/parse/simpleYaml';
import { assertProperty } from '../helpers/property';

/** What `yaml` makes of a text: its value (or an error) and the location of every key and value node. */
function reference(text: string, start: number, end: number): { error: true } | { error: false; value: unknown; locations: Map<string, YamlLocation> } {
  const document = parseDocument(text.slice(start, end), { prettyErrors: false, uniqueKeys: true, strict: true });
  if (document.errors.length) return { error: true };
  const locations = new Map<string, YamlLocation>();
  const visit = (node: unknown, path: string) => {
    if (isMap(node)) {
      for (const pair of node.items) {
        if (!isPair(pair) || !isScalar(pair.key)) continue;
        const child = path ? `${path}.${String(pair.key.value)}` : String(pair.key.value);
        const keyRange = (pair.key as YamlNode).range;
        if (keyRange) locations.set(`${child}#`, { start: start + keyRange[0], end: start + keyRange[1] });
        const valueRange = (pair.value as YamlNode | null)?.range;
        if (valueRange) locations.set(child, { start: start + valueRange[0], end: start + valueRange[1] });
        visit(pair.value, child);
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, index) => {
        const itemRange = (item as YamlNode | null)?.range;
        if (itemRange) locations.set(`${path}.${index}`, { start: start + itemRange[0], end: start + itemRange[1] });
        visit(item, `${path}.${index}`);
      });
    }
  };
  visit(document.contents, '');
  return { error: false, value: document.toJS({ maxAliasCount: 100 }), locations };
}

/** Checks the contract on `text[start, end)`; returns whether the fast path answered. */
function check(text: string, start = 0, end = text.length): boolean {
  const fast = parseSimpleYaml(text, start, end);
  if (fast === undefined) return false;
  const slow = reference(text, start, end);
  assert.ok(!slow.error, `the fast path accepted YAML that yaml rejects: ${JSON.stringify(text.slice(start, end))}`);
  assert.deepEqual(fast.value, slow.value, `value of ${JSON.stringify(text.slice(start, end))}`);
  for (const [path, location] of fast.locations) {
    if (path.endsWith('#indent')) continue;
    const expected = slow.locations.get(path);
    assert.deepEqual(location, expected, `location of ${path} in ${JSON.stringify(text.slice(start, end))}`);
    assert.ok(location.start >= start && location.end <= end, `location of ${path} inside the range`);
  }
  return true;
}

// ---- generators --------------------------------------------------------------------------------

const word = fc.constantFrom(
  'a',
  'b',
  'x',
  'id',
  'Ines',
  'prd',
  'OUT-3',
  'KR-1.2',
  'north',
  'é',
  '日本',
  '😀',
  'a_b',
  'a-b',
  'v1.2',
  '90%',
  '$1',
  'a+b',
  'a/b',
  'a.b',
);
const tricky = fc.constantFrom(
  '0',
  '007',
  '12',
  '-5',
  '+5',
  '1.5',
  '1.',
  '.5',
  '1e3',
  '1E-3',
  '0x1F',
  '0o17',
  '0o8',
  '0b1',
  '1_000',
  '999999999999999',
  '1234567890123456',
  '.inf',
  '-.inf',
  '.NaN',
  'true',
  'False',
  'TRUE',
  'tRUE',
  'yes',
  'no',
  'on',
  'off',
  'null',
  'Null',
  'NULL',
  'nULL',
  '~',
  '~x',
  '2027-06-30',
  '2027-06-30T10:00:00Z',
  '12:30',
  'a:b',
  'a: b',
  'a #b',
  'a#b',
  '#a',
  '-x',
  '- x',
  '?x',
  '? x',
  '@x',
  '`x',
  '!x',
  '&x',
  '*x',
  '%x',
  '|',
  '>',
  'a,b',
  'a]',
  'a}',
  'x ',
  ' x',
  'x\u00a0',
  '\u00a0x',
  'x\ty',
  '"',
  "'",
  'a"b',
  "a'b",
  '\\',
  'a\\b',
  '...',
  '---',
  '.',
  '+',
  '/',
  '_',
);
const plain = fc.oneof(
  {
    weight: 12,
    arbitrary: fc
      .tuple(fc.constantFrom('a', 'x', 'Ines', 'prd', 'OUT-3', 'v1.2', '90%', 'a_b', 'north'), fc.array(word, { maxLength: 3 }))
      .map(([first, rest]) => [first, ...rest].join(' ')),
  },
  { weight: 2, arbitrary: fc.array(word, { minLength: 1, maxLength: 4 }).map((words) => words.join(' ')) },
  { weight: 3, arbitrary: tricky },
  { weight: 1, arbitrary: fc.string({ unit: fc.constantFrom('a', ' ', '-', ':', '#', ',', '[', ']', '{', '}', '"', "'", '1', '.', 'é', '\t'), maxLength: 8 }) },
);
const quoted = fc.oneof(
  plain.map((value) => `"${value}"`),
  plain.map((value) => `'${value}'`),
  fc.constantFrom('""', "''", '"a\\"b"', "'it''s'", '"tab\\tx"', '"x" ', '"x"y', "'x'#c", '"#"', "'#'"),
);
const scalar = fc.oneof({ weight: 4, arbitrary: plain }, { weight: 2, arbitrary: quoted });
const spacing = fc.constantFrom('', ' ', '  ');
const flowList = fc
  .tuple(fc.array(fc.tuple(spacing, scalar, spacing), { maxLength: 4 }), fc.boolean(), spacing)
  .map(
    ([items, trailingComma, inner]) => `[${inner}${items.map(([before, value, after]) => `${before}${value}${after}`).join(',')}${trailingComma ? ',' : ''}]`,
  );
const flowMap = fc
  .tuple(
    fc.array(fc.tuple(fc.constantFrom('a', 'b', 'metric', 'target', 'a b', '1'), fc.constantFrom(': ', ':', ' : ', ':  '), scalar), { maxLength: 3 }),
    fc.boolean(),
  )
  .map(([pairs, trailingComma]) => `{${pairs.map(([key, colon, value]) => `${key}${colon}${value}`).join(', ')}${trailingComma ? ', ' : ''}}`);
const key = fc.oneof(
  {
    weight: 20,
    arbitrary: fc.constantFrom('type', 'id', 'title', 'owner', 'status', 'tags', 'outcomes', 'north_star', 'team', 'a_b', 'Key-1', 'x', '_', 'a-'),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom('null', 'Null', 'NULL', 'true', 'false', 'yes', 'on', 'constructor', 'toString', '__proto__', '1', 'a b', '"q"', '-a'),
  },
);
const comment = fc.constantFrom('', '', '', '', '', '', '', '', '', ' # note', '  #note', ' #', '#x');

/** The value part of a top-level entry: `key: value`, `key:` alone, or `key:` followed by a block list. */
const entryBody = fc.oneof(
  {
    weight: 6,
    arbitrary: fc
      .tuple(
        fc.constantFrom(': ', ': ', ': ', ':  ', ':'),
        fc.oneof({ weight: 4, arbitrary: scalar }, { weight: 1, arbitrary: flowList }, { weight: 1, arbitrary: flowMap }),
        comment,
      )
      .map(([colon, value, c]) => (k: string) => [`${k}${colon}${value}${c}`]),
  },
  { weight: 1, arbitrary: comment.map((c) => (k: string) => [`${k}:${c}`]) },
  {
    weight: 2,
    arbitrary: fc
      .tuple(fc.constantFrom('', '  ', '    '), fc.array(fc.tuple(scalar, comment, fc.constantFrom('', '', '', '', ' ')), { minLength: 0, maxLength: 4 }))
      .map(([indent, items]) => (k: string) => [`${k}:`, ...items.map(([value, c, extra]) => `${indent}${extra}- ${value}${c}`)]),
  },
);
const filler = fc.constantFrom([''], ['# comment'], ['  # indented comment'], ['   ']);
/** Entries with distinct keys (plus, now and then, a repeated one), with blank and comment lines between. */
const yamlWith = (lineEnding: fc.Arbitrary<string>, keys: fc.Arbitrary<string> = key) =>
  fc
    .tuple(
      fc.uniqueArray(fc.tuple(keys, entryBody), { selector: ([k]) => k, minLength: 1, maxLength: 6 }),
      fc.array(fc.tuple(fc.nat(6), filler), { maxLength: 2 }),
      fc.oneof({ weight: 9, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fc.nat(5) }),
      lineEnding,
      fc.boolean(),
    )
    .map(([entries, fillers, repeat, eol, finalEol]) => {
      const blocks = entries.map(([k, body]) => body(k));
      if (repeat !== null && entries.length) blocks.push(entries[repeat % entries.length]![1](entries[repeat % entries.length]![0]));
      for (const [at, lines] of fillers) blocks.splice(Math.min(at, blocks.length), 0, [...lines]);
      const text = blocks.flat().join(eol);
      return finalEol && text ? text + eol : text;
    });
const frontMatterYaml = yamlWith(fc.constantFrom('\n', '\r\n'));

/** Realistic front-matter, mostly within the fast path's subset. */
const realistic = fc
  .record({
    type: fc.constantFrom('prd', 'strategy', 'vision', '"prd"', "'strategy'"),
    id: fc.constantFrom('PRD-1', 'STR-2', '"VIS-3"', 'OUT-1.2'),
    title: fc.array(word, { minLength: 1, maxLength: 5 }).map((words) => words.join(' ')),
    extra: fc.array(
      fc.constantFrom(
        'status: draft',
        'owner: ines.alves@acme.test',
        'updated: 2026-11-10',
        'outcomes: [OUT-1, OUT-2]',
        'tags:\n  - a\n  - b',
        'horizon: 2030',
        'north_star: { metric: "Paid on time", target: "90%" }',
        'innovation: core # for now',
      ),
      { maxLength: 4 },
    ),
  })
  .map(({ type, id, title, extra }) => [`type: ${type}`, `id: ${id}`, `title: ${title}`, ...new Set(extra)].join('\n') + '\n');

// ---- tests -------------------------------------------------------------------------------------

describe('parseSimpleYaml against yaml', () => {
  test('generated front-matter-like YAML: undefined or exactly what yaml parses, with the same locations', () => {
    assertProperty(
      fc.property(frontMatterYaml, (text) => {
        check(text);
      }),
      { numRuns: 5000 },
    );
  });

  test('the same text inside a document: offsets are absolute and the range is respected', () => {
    // Keys YAML reads as null are left to the test above: this one is about offsets.
    const ordinaryKeys = key.filter((candidate) => !/^(?:null|Null|NULL)$/.test(candidate));
    assertProperty(
      fc.property(
        yamlWith(fc.constantFrom('\n', '\r\n'), ordinaryKeys),
        fc.constantFrom('', '---\n', '\ufeff---\n', 'x: 1\n'),
        fc.constantFrom('', '---\n# Body: text\n', 'z: [\n'),
        (yaml, before, after) => {
          check(before + yaml + after, before.length, before.length + yaml.length);
        },
      ),
      { numRuns: 1000 },
    );
  });

  test('unusual line endings (lone CR, LF CR): undefined or exactly what yaml parses', () => {
    assertProperty(
      fc.property(yamlWith(fc.constantFrom('\r', '\n\r')), (text) => {
        check(text);
      }),
      { numRuns: 1000 },
    );
  });

  test('realistic front-matter takes the fast path and agrees with yaml', () => {
    let answered = 0;
    assertProperty(
      fc.property(realistic, (text) => {
        if (check(text)) answered++;
      }),
      { numRuns: 500 },
    );
    // Not a performance test: it guards against a fast path that declines everything, which would make this file vacuous.
    assert.ok(answered > 250, `the fast path answered only ${answered} of 500 realistic front-matters`);
  });

  test('examples: the shapes the fast path exists for', () => {
    const cases: [string, unknown][] = [
      ['type: prd\nid: PRD-1\ntitle: Guest checkout\n', { type: 'prd', id: 'PRD-1', title: 'Guest checkout' }],
      ['outcomes: [OUT-1, OUT-2]\n', { outcomes: ['OUT-1', 'OUT-2'] }],
      ['outcomes:\n  - OUT-1\n  - "OUT-2"\n', { outcomes: ['OUT-1', 'OUT-2'] }],
      ['north_star: { metric: Share paid, target: 90 }\n', { north_star: { metric: 'Share paid', target: 90 } }],
      ['horizon: 2030\nupdated: 2026-10-01\n', { horizon: 2030, updated: '2026-10-01' }],
      ['team: Growth # for now\n', { team: 'Growth' }],
      ['tags:\n', { tags: null }],
      ['tags: []\r\nowner: me\r\n', { tags: [], owner: 'me' }],
    ];
    for (const [text, value] of cases) {
      assert.ok(check(text), `the fast path should answer ${JSON.stringify(text)}`);
      assert.deepEqual(parseSimpleYaml(text, 0, text.length)!.value, value);
    }
  });

  test('examples: keys that YAML reads as null are not the string "null"', () => {
    for (const text of ['null: x\n', 'Null: x\n', 'NULL: x\n']) check(text);
  });

  test('examples: an empty or comment-only front-matter is not a mapping', () => {
    for (const text of ['', '# just a comment\n', '\n\n']) check(text);
  });
});
