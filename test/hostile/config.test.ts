/**
 * Hostile `.throughline.yml`: an alias bomb, prototype names as keys, bounds that contradict each
 * other, huge lists and huge files. Before: an alias bomb made the CLI say `internal error` and
 * exit 2 (the server published nothing); `rules.__proto__` and `prefixes.__proto__` were dropped
 * without a word; `{min: 10, max: 1}` was accepted; a 300,000-entry `exclude` list aborted V8 out
 * of memory after 35 s. `parseConfigFile` must never throw, and must finish fast on any text.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { CONFIG_LIMITS, configSchema, DEFAULT_CONFIG, DEFAULT_MAX_PROBLEMS_PER_FILE, resolveConfig } from '../../server/src/service/model/config';
import { escapeConfigText, MAX_CONFIG_PROBLEMS, parseConfigFile, type ParsedConfigFile } from '../../server/src/service/config/configFile';
import { FRONT_MATTER_ENUMS, FRONT_MATTER_KEYS, FRONT_MATTER_SCHEMAS, strategyFrontMatter } from '../../server/src/service/model/schemas';
import { assertProperty } from '../helpers/property';
import { createService } from '../helpers/memoryWorkspace';
import { ACME, DIAGNOSTIC_LINE, run, tempFolder } from '../cli/run';

/** Ten levels of nine aliases each: 9^9 (387 million) strings once expanded. */
function aliasBomb(indent = ''): string {
  const lines = [`${indent}a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]`];
  for (let level = 1; level < 10; level++) {
    const name = String.fromCharCode(97 + level);
    const previous = String.fromCharCode(96 + level);
    lines.push(`${indent}${name}: &${name} [${Array(9).fill(`*${previous}`).join(', ')}]`);
  }
  return lines.join('\n') + '\n';
}

/** Runs `parse` once and returns its result with the time it took and the heap it grew by. */
function measured(text: string): ParsedConfigFile & { ms: number; heapMb: number } {
  global.gc?.();
  const heap = process.memoryUsage().heapUsed;
  const start = performance.now();
  const parsed = parseConfigFile(text);
  const ms = performance.now() - start;
  return { ...parsed, ms, heapMb: (process.memoryUsage().heapUsed - heap) / 1e6 };
}

const messages = (parsed: ParsedConfigFile) => parsed.problems.map((problem) => problem.message);

/** Generous limits: a hang or an out-of-memory abort is the failure, not a slow machine. */
const TIME_LIMIT_MS = 5_000;

/** Prototype names in several casings; each must be handled like any other word. */
const PROTOTYPE_NAMES = [
  ...new Set(
    [
      '__proto__',
      'constructor',
      'prototype',
      'toString',
      'valueOf',
      'hasOwnProperty',
      'isPrototypeOf',
      '__defineGetter__',
      '__lookupSetter__',
      'propertyIsEnumerable',
      'toLocaleString',
    ].flatMap((name) => [name, name.toUpperCase(), name[0]!.toUpperCase() + name.slice(1)]),
  ),
];

describe('a YAML alias bomb in .throughline.yml', () => {
  test('is one config error at the first alias, found fast; the defaults apply', () => {
    const parsed = measured(aliasBomb());
    assert.ok(parsed.ms < TIME_LIMIT_MS, `${parsed.ms} ms`);
    assert.equal(parsed.config, undefined, 'nothing of the file applies');
    assert.equal(parsed.problems.length, 1, messages(parsed).join('\n'));
    const [problem] = parsed.problems;
    assert.equal(problem!.rule, 'config');
    assert.equal(problem!.severity, 'error');
    assert.match(problem!.message, /aliases .* expand to too much data/);
    // `b: &b [*a, …`: the first alias is on line 2, column 8.
    assert.deepEqual(problem!.span, { line: 1, start: 7, end: 9 });
    assert.deepEqual(resolveConfig(undefined, parsed.config), DEFAULT_CONFIG);
  });

  test('inside an otherwise valid file, the whole file still falls back to the defaults', () => {
    const parsed = parseConfigFile(`rules:\n  orphan-outcome: off\n${aliasBomb()}thresholds:\n  outputVerbs: *j\n`);
    assert.equal(parsed.config, undefined);
    assert.equal(parsed.problems.length, 1, messages(parsed).join('\n'));
    assert.equal(parsed.problems[0]!.rule, 'config');
  });

  test('near miss: a few aliases are fine', () => {
    const parsed = parseConfigFile('common: &common ["archive/**", "drafts/**"]\nexclude: *common\n');
    assert.deepEqual(messages(parsed), [
      'Unknown setting `common`; expected rules, prefixes, include, exclude, thresholds, maxProblemsPerFile, inlayHints, decimalSeparator, fiscalYearStart, fiscalYearNamedAfter, linkAliases, requirementsMayTraceToKeyResults or reportTitle.',
    ]);
    assert.deepEqual(parsed.config?.exclude, ['archive/**', 'drafts/**']);
  });
});

describe('prototype names as keys', () => {
  test('every prototype name, in any casing, is an unknown rule naming it; the valid rules still apply', () => {
    const text = `rules:\n${PROTOTYPE_NAMES.map((name) => `  ${name}: off\n`).join('')}  orphan-outcome: info\n`;
    const parsed = parseConfigFile(text);
    assert.deepEqual(
      messages(parsed).map((message) => /^Unknown rule `([^`]+)`; the rules are /.exec(message)?.[1]),
      PROTOTYPE_NAMES,
    );
    parsed.problems.forEach((problem, index) => assert.deepEqual(problem.span, { line: index + 1, start: 2, end: 2 + PROTOTYPE_NAMES[index]!.length }));
    assert.deepEqual(parsed.config?.rules, { 'orphan-outcome': 'info' });
    const config = resolveConfig(parsed.config);
    assert.deepEqual([...config.severities], [['orphan-outcome', 'info']]);
  });

  test('as prefixes: lowercase and mixed case names are reported, uppercase ones are prefixes like any other', async () => {
    const text = `prefixes:\n${PROTOTYPE_NAMES.map((name) => `  ${name}: objective\n`).join('')}`;
    const parsed = parseConfigFile(text);
    const invalid = PROTOTYPE_NAMES.filter((name) => !/^[A-Z]+$/.test(name));
    assert.deepEqual(
      messages(parsed).map((message) => /^`prefixes\.([^`]+)`: a prefix is uppercase letters only/.exec(message)?.[1]),
      invalid,
    );
    const valid = PROTOTYPE_NAMES.filter((name) => /^[A-Z]+$/.test(name));
    assert.deepEqual(Object.keys(parsed.config?.prefixes ?? {}), valid);
    assert.ok(valid.includes('CONSTRUCTOR'));

    // CONSTRUCTOR-1 is an objective, as GOAL-1 would be.
    const t = await createService({
      '.throughline.yml': 'prefixes:\n  CONSTRUCTOR: objective\n  Constructor: objective\n',
      's.md': '---\ntype: strategy\nid: STR-1\n---\n## CONSTRUCTOR-1: An objective\n',
    });
    assert.equal(t.service.graph.definition('CONSTRUCTOR-1')?.kind, 'objective');
    assert.deepEqual(
      t.diagnostics('.throughline.yml').map((diagnostic) => [diagnostic.range.start.line, diagnostic.message]),
      [[2, '`prefixes.Constructor`: a prefix is uppercase letters only (at most 32)']],
    );
  });

  test('as top-level, thresholds and keyResultsPerObjective keys: unknown settings naming them', () => {
    for (const name of PROTOTYPE_NAMES) {
      const parsed = parseConfigFile(`${name}: 1\nthresholds:\n  ${name}: 1\n  staleAfterDays: 30\n  keyResultsPerObjective: {${name}: 1, min: 1}\n`);
      assert.deepEqual(messages(parsed), [
        `Unknown setting \`${name}\`; expected rules, prefixes, include, exclude, thresholds, maxProblemsPerFile, inlayHints, decimalSeparator, fiscalYearStart, fiscalYearNamedAfter, linkAliases, requirementsMayTraceToKeyResults or reportTitle.`,
        `Unknown setting \`${name}\`; expected keyResultsPerObjective, objectivesPerStrategy, outputVerbs, staleAfterDays, staleCheckInDays or innovationMixTolerance.`,
        `Unknown setting \`${name}\`; expected min or max.`,
      ]);
      assert.deepEqual(parsed.config, { thresholds: { staleAfterDays: 30 } }, name);
    }
  });

  test('the settings schema (editor settings) rejects a __proto__ prefix or rule too', () => {
    assert.equal(configSchema.safeParse(JSON.parse('{"prefixes": {"__proto__": "objective"}}')).success, false);
    assert.equal(configSchema.safeParse(JSON.parse('{"rules": {"__proto__": "off"}}')).success, false);
    assert.equal(configSchema.safeParse(JSON.parse('{"prefixes": {"GOAL": "objective"}}')).success, true);
  });

  test('innovation_mix: {__proto__: 0} is not accepted; nor is any other unknown share', () => {
    const mix = (json: string) => strategyFrontMatter.safeParse({ type: 'strategy', id: 'STR-1', innovation_mix: JSON.parse(json) as unknown });
    for (const name of PROTOTYPE_NAMES) {
      const result = mix(`{${JSON.stringify(name)}: 0, "core": 100}`);
      assert.equal(result.success, false, name);
      assert.deepEqual(
        result.error.issues.map((issue) => [issue.code, issue.path]),
        [['unrecognized_keys', ['innovation_mix']]],
        name,
      );
    }
    assert.equal(mix('{"core": 70, "adjacent": 30}').success, true);
  });

  test('front-matter lookup tables have no prototype', () => {
    for (const name of PROTOTYPE_NAMES) {
      for (const table of [FRONT_MATTER_SCHEMAS, FRONT_MATTER_KEYS, FRONT_MATTER_ENUMS, FRONT_MATTER_KEYS.prd, FRONT_MATTER_ENUMS.prd]) {
        assert.equal(name in table, false, name);
        assert.equal((table as Record<string, unknown>)[name], undefined, name);
      }
    }
  });
});

describe('thresholds that contradict themselves', () => {
  test('min > max is a config error on min; the entry is left out and the other thresholds apply', () => {
    const parsed = parseConfigFile('thresholds:\n  keyResultsPerObjective: {min: 10, max: 1}\n  staleAfterDays: 30\n');
    assert.deepEqual(
      parsed.problems.map((problem) => [problem.span, problem.message]),
      [[{ line: 1, start: 27, end: 30 }, '`thresholds.keyResultsPerObjective.min`: min 10 is above max 1']],
    );
    const config = resolveConfig(parsed.config);
    assert.equal(config.thresholds.keyResultsMin, 2);
    assert.equal(config.thresholds.keyResultsMax, 5);
    assert.equal(config.thresholds.staleAfterDays, 30);
  });

  test('one bound alone is compared with the other default', () => {
    assert.deepEqual(messages(parseConfigFile('thresholds:\n  keyResultsPerObjective:\n    min: 6\n')), [
      '`thresholds.keyResultsPerObjective.min`: min 6 is above the default max 5; set max too',
    ]);
    assert.deepEqual(messages(parseConfigFile('thresholds:\n  keyResultsPerObjective:\n    max: 1\n')), [
      '`thresholds.keyResultsPerObjective.max`: max 1 is below the default min 2; set min too',
    ]);
    // Near misses: equal bounds, and both moved together.
    assert.deepEqual(messages(parseConfigFile('thresholds:\n  keyResultsPerObjective: {min: 3, max: 3}\n')), []);
    const moved = parseConfigFile('thresholds:\n  keyResultsPerObjective: {min: 6, max: 9}\n');
    assert.deepEqual(messages(moved), []);
    assert.deepEqual([resolveConfig(moved.config).thresholds.keyResultsMin, resolveConfig(moved.config).thresholds.keyResultsMax], [6, 9]);
  });

  test('NaN, infinities, negatives, fractions, unsafe integers and blank verbs are errors, each on its key', () => {
    const cases: [string, RegExp][] = [
      ['staleAfterDays: .nan', /`thresholds\.staleAfterDays`: .*NaN/],
      ['staleAfterDays: .inf', /`thresholds\.staleAfterDays`: .*Infinity/],
      ['objectivesPerStrategy: -.inf', /`thresholds\.objectivesPerStrategy`: .*Infinity/],
      ['objectivesPerStrategy: -1', /`thresholds\.objectivesPerStrategy`: .*>=0/],
      ['staleAfterDays: 1.5', /`thresholds\.staleAfterDays`: .*expected int/],
      ['staleAfterDays: 1e300', /`thresholds\.staleAfterDays`/],
      ['innovationMixTolerance: 101', /`thresholds\.innovationMixTolerance`: .*<=100/],
      ['innovationMixTolerance: .nan', /`thresholds\.innovationMixTolerance`: .*NaN/],
      ['keyResultsPerObjective: {min: -1}', /`thresholds\.keyResultsPerObjective\.min`: .*>=0/],
      ['outputVerbs: ["  "]', /`thresholds\.outputVerbs\.0`: a verb needs a letter or digit/],
    ];
    for (const [entry, expected] of cases) {
      const parsed = parseConfigFile(`thresholds:\n  ${entry}\n  outputVerbs: [ship]\n`.replace(/(outputVerbs: .*\n)  outputVerbs: \[ship\]\n/, '$1'));
      assert.equal(parsed.problems.length, 1, `${entry}: ${messages(parsed).join('\n')}`);
      assert.match(parsed.problems[0]!.message, expected, entry);
      assert.equal(parsed.problems[0]!.span.line, 1, entry);
      const thresholds = resolveConfig(parsed.config).thresholds;
      for (const value of [
        thresholds.keyResultsMin,
        thresholds.keyResultsMax,
        thresholds.objectivesPerStrategy,
        thresholds.staleAfterDays,
        thresholds.innovationMixTolerance,
      ]) {
        assert.ok(Number.isSafeInteger(value) && value >= 0, `${entry}: ${JSON.stringify(thresholds)}`);
      }
    }
  });
});

describe('maxProblemsPerFile', () => {
  test('defaults to 1,000; a valid value applies; nonsense is an error and keeps the default', () => {
    assert.equal(DEFAULT_MAX_PROBLEMS_PER_FILE, 1_000);
    assert.equal(DEFAULT_CONFIG.maxProblemsPerFile, 1_000);
    assert.equal(resolveConfig(parseConfigFile('maxProblemsPerFile: 50\n').config).maxProblemsPerFile, 50);
    for (const value of ['0', '-1', '1.5', '.inf', '.nan', '"100"', '1000000', '[]']) {
      const parsed = parseConfigFile(`maxProblemsPerFile: ${value}\nexclude: ["drafts/**"]\n`);
      assert.equal(parsed.problems.length, 1, `${value}: ${messages(parsed).join('\n')}`);
      assert.match(parsed.problems[0]!.message, /^`maxProblemsPerFile`: /);
      const config = resolveConfig(parsed.config);
      assert.equal(config.maxProblemsPerFile, 1_000, value);
      assert.ok(config.exclude.includes('drafts/**'), 'the rest of the file applies');
    }
  });

  test('later layers win; an unvalidated layer cannot set nonsense', () => {
    assert.equal(resolveConfig({ maxProblemsPerFile: 10 }, { maxProblemsPerFile: 20 }).maxProblemsPerFile, 20);
    assert.equal(resolveConfig({ maxProblemsPerFile: 10 }, { maxProblemsPerFile: Number.NaN }).maxProblemsPerFile, 10);
    assert.equal(resolveConfig({ maxProblemsPerFile: 0 }).maxProblemsPerFile, 1_000);
  });
});

describe('size bounds', () => {
  test('a 300,000-entry exclude list (6.6 MB) is one error, in bounded time and memory', () => {
    const text = `exclude:\n${Array.from({ length: 300_000 }, (_, index) => `  - "archive${index}/**"\n`).join('')}`;
    const parsed = measured(text);
    assert.ok(parsed.ms < TIME_LIMIT_MS, `${parsed.ms} ms`);
    assert.ok(parsed.heapMb < 200, `${parsed.heapMb} MB`);
    assert.deepEqual(messages(parsed), ['This configuration file is more than 256 KB; at most 256 KB are read. It is ignored and the defaults apply.']);
    assert.deepEqual(parsed.problems[0]!.span, { line: 0, start: 0, end: 8 });
    assert.equal(parsed.config, undefined);
  });

  test('a list under 256 KB but over 1,000 entries is an error on its key; the rest of the file applies', () => {
    const text = `rules:\n  orphan-outcome: off\nexclude:\n${'  - a\n'.repeat(40_000)}`;
    assert.ok(text.length < CONFIG_LIMITS.fileBytes);
    const parsed = measured(text);
    assert.ok(parsed.ms < TIME_LIMIT_MS, `${parsed.ms} ms`);
    assert.deepEqual(
      parsed.problems.map((problem) => [problem.span, problem.message]),
      [[{ line: 2, start: 0, end: 7 }, '`exclude`: at most 1,000 patterns (this list has 40,000)']],
    );
    assert.deepEqual(parsed.config, { rules: { 'orphan-outcome': 'off' } });
    // Near miss: 1,000 patterns are fine.
    assert.deepEqual(messages(parseConfigFile(`include:\n${'  - "**/*.md"\n'.repeat(1_000)}`)), []);
  });

  test('more than 1,000 prefixes are one error; none of them applies', () => {
    const names = Array.from(
      { length: 1_500 },
      (_, index) =>
        index
          .toString(26)
          .split('')
          .map((digit) => String.fromCharCode(65 + parseInt(digit, 26)))
          .join('') + 'X',
    );
    const parsed = parseConfigFile(`prefixes:\n${names.map((name) => `  ${name}: objective\n`).join('')}`);
    assert.deepEqual(messages(parsed), ['`prefixes`: at most 1,000 prefixes']);
    assert.deepEqual(parsed.config, {});
  });

  test('a pattern longer than 1,000 characters and a prefix longer than 32 letters are errors', () => {
    assert.deepEqual(messages(parseConfigFile(`exclude: ["${'a'.repeat(70_000)}"]\n`)), ['`exclude.0`: a pattern has at most 1,000 characters']);
    assert.deepEqual(
      messages(parseConfigFile(`prefixes:\n  ${'A'.repeat(33)}: objective\n`)).map((message) => message.replace(/A+/, 'A…')),
      ['`prefixes.A…`: a prefix is uppercase letters only (at most 32)'],
    );
  });

  test('50 MB of text is rejected before parsing', () => {
    const parsed = measured(`# ${'x'.repeat(50_000_000)}\n`);
    assert.ok(parsed.ms < TIME_LIMIT_MS, `${parsed.ms} ms`);
    assert.equal(parsed.problems.length, 1);
    assert.match(parsed.problems[0]!.message, /more than 256 KB/);
  });

  test('the byte count is UTF-8: 100,000 three-byte characters are over the limit', () => {
    const parsed = parseConfigFile(`# ${'€'.repeat(100_000)}\n`);
    assert.deepEqual(messages(parsed), ['This configuration file is 293 KB; at most 256 KB are read. It is ignored and the defaults apply.']);
  });

  test('15,000 unknown rules, 20,000 duplicate keys, 50,000 syntax errors: bounded time, at most 100 problems and a count', () => {
    const shapes = {
      unknownRules: `rules:\n${Array.from({ length: 15_000 }, (_, index) => `  r${index}: off\n`).join('')}`,
      duplicateKeys: 'a: 1\n'.repeat(20_000),
      syntaxErrors: ']\n'.repeat(50_000),
      deepFlow: `a: ${'['.repeat(100_000)}${']'.repeat(100_000)}\n`,
      longKey: `${'x'.repeat(250_000)}: 1\n`,
      anchors: `a: &a x\n${Array.from({ length: 20_000 }, (_, index) => `b${index}: *a\n`).join('')}`,
    };
    for (const [name, text] of Object.entries(shapes)) {
      assert.ok(text.length <= CONFIG_LIMITS.fileBytes, name);
      const parsed = measured(text);
      assert.ok(parsed.ms < TIME_LIMIT_MS, `${name}: ${parsed.ms} ms`);
      assert.ok(parsed.problems.length >= 1 && parsed.problems.length <= MAX_CONFIG_PROBLEMS + 1, `${name}: ${parsed.problems.length}`);
      assert.ok(
        parsed.problems.every((problem) => problem.rule === 'config' && problem.message.length < 1_000),
        name,
      );
      if (parsed.problems.length === MAX_CONFIG_PROBLEMS + 1)
        assert.match(parsed.problems.at(-1)!.message, /^[\d,]+ more problems in this file are not shown\.$/, name);
    }
  });
});

describe('messages built from key names', () => {
  test('control characters, separators and bidi controls are escaped; long keys are shortened', () => {
    const parsed = parseConfigFile('"a\\e[31mb\\r\\n::error::x\\u2028\\u202e": 1\n');
    assert.deepEqual(messages(parsed), [
      'Unknown setting `a\\u001b[31mb\\u000d\\u000a::error::x\\u2028\\u202e`; expected rules, prefixes, include, exclude, thresholds, maxProblemsPerFile, inlayHints, decimalSeparator, fiscalYearStart, fiscalYearNamedAfter, linkAliases, requirementsMayTraceToKeyResults or reportTitle.',
    ]);
    assert.doesNotMatch(parsed.problems[0]!.message, /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e]/);
    assert.equal(escapeConfigText('x'.repeat(1_000)).length, 80);
    const rule = parseConfigFile(`rules:\n  "\\e]8;;http://x\\a": off\n`);
    assert.match(rule.problems[0]!.message, /^Unknown rule `\\u001b\]8;;http:\/\/x\\u0007`/);
  });
});

describe('parseConfigFile never throws', () => {
  const fragments = [
    'rules:',
    'prefixes:',
    'exclude:',
    'thresholds:',
    '  keyResultsPerObjective:',
    '__proto__:',
    'constructor:',
    '&a',
    '*a',
    '<<: *a',
    '[',
    ']',
    '{',
    '}',
    '- ',
    ': ',
    '!!js/function',
    '!!binary',
    '? ',
    '|',
    '>',
    '"',
    "'",
    '#',
    '\t',
    '\u0000',
    '\u001b',
    '\ufeff',
    '%YAML 1.1',
    '---',
    '...',
    'min: 10',
    'max: 1',
    '.nan',
    '.inf',
    '1e999',
    '\n',
    '\n  ',
    '\n    ',
  ];
  test('on random text and on random YAML fragments', () => {
    assertProperty(
      fc.property(
        fc.oneof(
          fc.string({ maxLength: 200 }),
          fc.array(fc.constantFrom(...fragments), { maxLength: 60 }).map((parts) => parts.join('')),
        ),
        (text) => {
          const parsed = parseConfigFile(text);
          for (const problem of parsed.problems) {
            assert.equal(problem.rule, 'config');
            assert.ok(problem.span.line >= 0 && problem.span.start >= 0 && problem.span.end >= problem.span.start, JSON.stringify(problem.span));
          }
          resolveConfig(parsed.config);
        },
      ),
      { numRuns: 2_000 },
    );
  });
});

describe('the CLI with a hostile .throughline.yml', () => {
  const check = async (config: string) => {
    const workspace = await tempFolder(ACME, 'hostile-config');
    try {
      await workspace.write('.throughline.yml', config);
      const start = performance.now();
      const text = await run(['check', workspace.root], { timeoutMs: 60_000 });
      const ms = performance.now() - start;
      const json = await run(['check', workspace.root, '--format', 'json'], { timeoutMs: 60_000 });
      return { text, json, ms };
    } finally {
      await workspace.dispose();
    }
  };

  const assertCheckedWithDefaults = (result: Awaited<ReturnType<typeof check>>, configMessage: RegExp) => {
    const { text, json } = result;
    for (const output of [text, json]) {
      assert.equal(output.code, 1, output.stderr);
      assert.doesNotMatch(output.stderr + output.stdout, /internal error|\n\s+at .*:\d+:\d+/);
    }
    const configLines = text.stdout.split('\n').filter((line) => line.endsWith('[config]'));
    assert.equal(configLines.length, 1, text.stdout);
    const match = DIAGNOSTIC_LINE.exec(configLines[0]!);
    assert.ok(match, configLines[0]);
    assert.equal(match.groups!['file'], '.throughline.yml');
    assert.equal(match.groups!['severity'], 'error');
    assert.match(match.groups!['message']!, configMessage);
    // The rest of the workspace is checked with the defaults: the example's own problems are all there.
    const report = JSON.parse(json.stdout) as { summary: { documents: number }; diagnostics: { rule: string }[] };
    assert.equal(report.summary.documents, 6);
    const rules = new Set(report.diagnostics.map((diagnostic) => diagnostic.rule));
    for (const rule of ['key-result-target', 'untraced-requirement', 'orphan-outcome', 'config'])
      assert.ok(rules.has(rule), `${rule} in ${[...rules].join(', ')}`);
  };

  test('an alias bomb: a config error line, the workspace checked with the defaults, exit 1, no stack trace', async () => {
    const result = await check(aliasBomb());
    assert.ok(result.ms < 30_000, `${result.ms} ms`);
    assertCheckedWithDefaults(result, /aliases in this file expand to too much data/);
  });

  test('a 300,000-entry exclude list: a config error line, bounded time, exit 1', async () => {
    const result = await check(`exclude:\n${Array.from({ length: 300_000 }, (_, index) => `  - "archive${index}/**"\n`).join('')}`);
    assert.ok(result.ms < 30_000, `${result.ms} ms`);
    assertCheckedWithDefaults(result, /more than 256 KB/);
  });
});
