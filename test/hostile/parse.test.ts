/**
 * The real CLI (`bin/throughline.js`, run `npm run build` first) on hostile Markdown generated in
 * temp folders (issue 8, the parsing side): prototype names as attribute keys, ID parts and
 * front-matter keys; a YAML alias bomb and over-deep nesting in front-matter; lines built to make
 * a backtracking parser take seconds. Time limits are generous: a hang is the failure.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { DIAGNOSTIC_LINE, run, tempFolder, type CliResult, type TempFolder } from '../cli/run';

/** Names that a lookup in a plain object would find on `Object.prototype`. */
const PROTOTYPE_NAMES = [
  'constructor',
  '__proto__',
  'toString',
  'hasOwnProperty',
  'valueOf',
  'isPrototypeOf',
  'propertyIsEnumerable',
  'toLocaleString',
  '__defineGetter__',
  '__lookupSetter__',
];

/** The same name in several casings: as written, Capitalised, UPPER. */
function casings(name: string): string[] {
  return [...new Set([name, name[0]!.toUpperCase() + name.slice(1), name.toUpperCase()])];
}

function diagnostics(result: CliResult): { file: string; line: number; severity: string; message: string; rule: string }[] {
  return result.stdout
    .split('\n')
    .map((line) => DIAGNOSTIC_LINE.exec(line)?.groups)
    .filter((groups) => groups !== undefined)
    .map((groups) => ({
      file: groups['file']!,
      line: Number(groups['line']),
      severity: groups['severity']!,
      message: groups['message']!,
      rule: groups['rule']!,
    }));
}

/** Neither a stack trace nor an internal error anywhere in the output. */
function assertNoCrash(result: CliResult, what: string): void {
  for (const [stream, text] of [
    ['stdout', result.stdout],
    ['stderr', result.stderr],
  ] as const) {
    assert.doesNotMatch(text, /^\s+at .+[:(]\d+/m, `${what}: a stack trace on ${stream}:\n${text.slice(0, 2000)}`);
    assert.doesNotMatch(text, /internal error/i, `${what}: an internal error on ${stream}:\n${text.slice(0, 2000)}`);
  }
  assert.ok(
    result.code === 0 || result.code === 1,
    `${what}: exit code ${result.code}\nstdout: ${result.stdout.slice(0, 2000)}\nstderr: ${result.stderr.slice(0, 2000)}`,
  );
}

const STRATEGY = (body: string, extraFrontMatter = '') => `---\ntype: strategy\nid: STR-1\ntitle: Strategy\n${extraFrontMatter}---\n${body}`;

/** A healthy strategy next to the hostile one: its problems must still be reported. */
const CONTROL = `---\ntype: strategy\nid: STR-9\ntitle: Control\n---\n## OBJ-9: Control objective\n\nSee OUT-404 here.\n`;

describe('hostile input to the parser, through the CLI', () => {
  let folder: TempFolder;
  before(async () => {
    folder = await tempFolder(undefined, 'hostile-parse');
  });
  after(async () => {
    await folder.dispose();
  });

  async function check(files: Record<string, string>, timeoutMs = 60_000): Promise<CliResult> {
    const workspace = await tempFolder(undefined, 'hostile-parse');
    try {
      for (const [name, text] of Object.entries(files)) await workspace.write(name, text);
      await workspace.write('control.md', CONTROL);
      return await run(['check', workspace.root], { timeoutMs });
    } finally {
      await workspace.dispose();
    }
  }

  function assertControlChecked(result: CliResult, what: string): void {
    assert.ok(
      diagnostics(result).some((diagnostic) => diagnostic.file.endsWith('control.md') && diagnostic.message.includes('OUT-404')),
      `${what}: the control document's unknown reference is missing:\n${result.stdout.slice(0, 2000)}`,
    );
  }

  test('`Constructor: OUT-1` and every prototype name, in several casings, as an attribute key is an ordinary attribute', async () => {
    const keys = PROTOTYPE_NAMES.flatMap(casings);
    const attributes = keys.map((key) => `${key}: OUT-1`).join('\n');
    const result = await check({ 'strategy.md': STRATEGY(`## OBJ-1: Objective\nConstructor: OUT-1\n${attributes}\n\n## OUT-1: Outcome\nSupports: OBJ-1\n`) });
    assertNoCrash(result, 'prototype attribute keys');
    assertControlChecked(result, 'prototype attribute keys');
    // The outcome is still found: `Supports:` is read as a link (no `unsupported-outcome` for OUT-1).
    assert.ok(!diagnostics(result).some((diagnostic) => diagnostic.rule === 'unsupported-outcome' && diagnostic.message.includes('OUT-1 ')), result.stdout);
  });

  test('prototype names as ID suffixes define, reference and link like any other ID', async () => {
    const suffixes = PROTOTYPE_NAMES.filter((name) => /^[A-Za-z0-9]/.test(name)).flatMap(casings);
    const outcomes = suffixes.map((suffix) => `## OUT-${suffix}: Outcome ${suffix}\nSupports: OBJ-${suffix}\n`).join('\n');
    const objectives = suffixes
      .map((suffix) => `## OBJ-${suffix}: Objective ${suffix}\n\n### KR-${suffix}: Key result\nBaseline: 1\nTarget: 2\nDue: 2027-01-01\n`)
      .join('\n');
    const prd = `---\ntype: prd\nid: PRD-1\ntitle: PRD\nstatus: draft\noutcomes: [OUT-constructor]\n---\n${suffixes.map((suffix) => `- REQ-${suffix}: Requirement\n  Traces: OUT-${suffix}\n`).join('')}\nSee REQ-constructor and OUT-__proto__x.\n`;
    const result = await check({ 'strategy.md': STRATEGY(`${objectives}\n${outcomes}`), 'prd.md': prd });
    assertNoCrash(result, 'prototype ID parts');
    assertControlChecked(result, 'prototype ID parts');
    const found = diagnostics(result);
    for (const suffix of suffixes) {
      // Every requirement traces to an outcome that exists: no unknown reference to any of them.
      assert.ok(
        !found.some((diagnostic) => diagnostic.rule === 'unknown-reference' && diagnostic.message.includes(`OUT-${suffix} `)),
        `OUT-${suffix} reported unknown:\n${result.stdout}`,
      );
      assert.ok(
        !found.some((diagnostic) => diagnostic.rule === 'orphan-outcome' && diagnostic.message.includes(`OUT-${suffix}:`)),
        `OUT-${suffix} reported orphan:\n${result.stdout}`,
      );
    }
  });

  test('prototype names as front-matter keys are ordinary keys; `innovation_mix: {__proto__: 0}` is rejected', async () => {
    const keys = PROTOTYPE_NAMES.flatMap(casings).filter((key) => /^[A-Za-z_][A-Za-z0-9_-]*$/.test(key));
    const files: Record<string, string> = {
      'keys.md': STRATEGY('## OBJ-1: Objective\n', keys.map((key) => `${key}: x\n`).join('')),
      'quoted.md': STRATEGY('## OBJ-2: Objective\n', '"__proto__": {core: 100}\nconstructor: [a]\n'),
      'mix.md': STRATEGY('## OBJ-3: Objective\n', 'innovation_mix: {__proto__: 0}\n').replace('id: STR-1', 'id: STR-3'),
      'mix-sum.md': STRATEGY('## OBJ-4: Objective\n', 'innovation_mix: {core: 100, __proto__: 0}\n').replace('id: STR-1', 'id: STR-4'),
      'mix-block.md': STRATEGY('## OBJ-5: Objective\n', 'innovation_mix:\n  core: 100\n  __proto__: 5\n').replace('id: STR-1', 'id: STR-5'),
    };
    const result = await check(files);
    assertNoCrash(result, 'prototype front-matter keys');
    assertControlChecked(result, 'prototype front-matter keys');
    const frontMatter = diagnostics(result).filter((diagnostic) => diagnostic.rule === 'front-matter');
    assert.deepEqual(
      frontMatter.filter((diagnostic) => diagnostic.file.endsWith('keys.md') || diagnostic.file.endsWith('quoted.md')),
      [],
      'unknown keys are allowed in front-matter, prototype names included',
    );
    for (const file of ['mix.md', 'mix-sum.md', 'mix-block.md']) {
      assert.ok(
        frontMatter.some((diagnostic) => diagnostic.file.endsWith(file) && diagnostic.severity === 'error' && diagnostic.message.includes('__proto__')),
        `${file}: no front-matter error naming __proto__:\n${result.stdout}`,
      );
    }
    assert.equal(result.code, 1);
  });

  test('a YAML alias bomb in front-matter is a front-matter error on that file: exit 1, no stack trace, bounded time', async () => {
    const levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let level = 1; level < 12; level++) {
      const name = String.fromCharCode(97 + level);
      const previous = String.fromCharCode(96 + level);
      levels.push(`${name}: &${name} [${Array(9).fill(`*${previous}`).join(',')}]`);
    }
    const bomb = `---\ntype: prd\nid: PRD-1\ntitle: Bomb\n${levels.join('\n')}\n---\n# Body\n`;
    const started = Date.now();
    const result = await check({ 'bomb.md': bomb }, 30_000);
    assert.ok(Date.now() - started < 20_000, `took ${Date.now() - started} ms`);
    assertNoCrash(result, 'alias bomb');
    assertControlChecked(result, 'alias bomb');
    assert.equal(result.code, 1, result.stdout);
    const errors = diagnostics(result).filter(
      (diagnostic) => diagnostic.file.endsWith('bomb.md') && diagnostic.rule === 'front-matter' && diagnostic.severity === 'error',
    );
    assert.ok(
      errors.some((diagnostic) => /alias/i.test(diagnostic.message)),
      `no front-matter error about aliases:\n${result.stdout}`,
    );
    assert.doesNotMatch(result.stderr, /Skipped/, result.stderr);
  });

  test('over-deep or over-long front-matter is a front-matter error, not a stack overflow', async () => {
    const files = {
      'flow.md': `---\ntype: prd\nid: PRD-2\ntitle: Flow\nx: ${'['.repeat(20_000)}${']'.repeat(20_000)}\n---\n`,
      'flow-open.md': `---\ntype: prd\nid: PRD-3\ntitle: Open\nx: ${'{a: '.repeat(20_000)}\n---\n`,
      'seq.md': `---\ntype: prd\nid: PRD-4\ntitle: Seq\nx:\n  ${'- '.repeat(20_000)}a\n---\n`,
      'long.md': `---\ntype: prd\nid: PRD-5\ntitle: Long\n${Array.from({ length: 20_000 }, (_, i) => `key${i}: value\n`).join('')}---\n`,
    };
    const result = await check(files, 60_000);
    assertNoCrash(result, 'deep front-matter');
    assertControlChecked(result, 'deep front-matter');
    assert.equal(result.code, 1);
    for (const file of Object.keys(files)) {
      assert.ok(
        diagnostics(result).some((diagnostic) => diagnostic.file.endsWith(file) && diagnostic.rule === 'front-matter' && diagnostic.severity === 'error'),
        `${file}: no front-matter error:\n${result.stdout.slice(0, 3000)}`,
      );
    }
  });

  test('`Priority: a` + 100,000 spaces + `b`, `Baseline: 5` + 100,000 NBSP and similar lines finish within seconds', async () => {
    const blanks = (char: string) => char.repeat(100_000);
    const body = [
      `## OBJ-1: Objective\nPriority: a${blanks(' ')}b\n`,
      `### KR-1.1: Key result\nBaseline: 5${blanks('\u00a0')}!\nTarget: <${blanks(' ')}!\nCurrent: 5${blanks('\t')}x y z\nDue: 2027-01-01${blanks(' ')}!\n`,
      `## OUT-1: Outcome\nSupports: OBJ-1${blanks(' ')}x\n\nOUT-1 ${'` '.repeat(50_000)}\n\nOUT-1 ${'<!--'.repeat(25_000)}\n\nOUT-1 ${'](('.repeat(30_000)}\n\n${'OUT-1\n'.repeat(20_000)}\n`,
      `${'- '.repeat(50_000)}OUT-1\n\n<!-- throughline-disable${' a'.repeat(50_000)}\n`,
    ].join('\n');
    const started = Date.now();
    const result = await check({ 'slow.md': STRATEGY(body) }, 60_000);
    const elapsed = Date.now() - started;
    assertNoCrash(result, 'backtracking lines');
    assertControlChecked(result, 'backtracking lines');
    assert.ok(elapsed < 15_000, `check took ${elapsed} ms`);
  });

  test('dates keep their four-digit year: `Due: 0099-01-01` is the year 99, not 1999', async () => {
    const body = `## OBJ-1: Objective\n\n### KR-1.1: Key result\nBaseline: 1\nTarget: 2\nDue: 0099-01-01\n\n### KR-1.2: Key result\nBaseline: 1\nTarget: 2\nDue: 2027-06-30\n`;
    const result = await check({ 'dates.md': STRATEGY(body, 'period: "2027"\n') });
    assertNoCrash(result, 'dates');
    const dates = diagnostics(result).filter((diagnostic) => diagnostic.file.endsWith('dates.md'));
    assert.ok(!dates.some((diagnostic) => /1999/.test(diagnostic.message)), `a date read as 1999:\n${result.stdout}`);
    assert.ok(
      dates.some((diagnostic) => diagnostic.rule === 'due-outside-period' && diagnostic.message.includes('KR-1.1 is due 0099-01-01')),
      `KR-1.1 is not reported due 0099-01-01, outside the period:\n${result.stdout}`,
    );
    assert.ok(!dates.some((diagnostic) => diagnostic.message.includes('KR-1.2')), `KR-1.2 is inside the period:\n${result.stdout}`);
  });
});
