/**
 * Issue 10, the `.throughline.yml` keys of natural writing: `linkAliases` (attribute keys read as
 * `Traces:`/`Supports:`), `requirementsMayTraceToKeyResults`, `reportTitle`; owners and teams
 * written as lists; JSON schemas listing only canonical enum values.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { DiagnosticSeverity, type MarkupContent } from 'vscode-languageserver-types';
import { parseConfigFile } from '../../server/src/service/config/configFile';
import { parseSettings } from '../../server/src/service/config/settings';
import { resolveConfig } from '../../server/src/service/model/config';
import { ENUM_ALIASES, enumKey } from '../../server/src/service/model/schemas';
import { MINI_PRD, MINI_STRATEGY } from '../helpers/fixtures';
import { createService, md } from '../helpers/memoryWorkspace';

const PRD_WITH_ALIAS = md`
  ---
  type: prd
  id: PRD-1
  outcomes: [OUT-1]
  ---
  ### REQ-1: Requirement one
  Outcome: OUT-1
`; // the alias key on line 6

describe('linkAliases', () => {
  test('`Outcome: traces` makes `Outcome: OUT-1` a trace: no unknown-link-key, the requirement is traced', async () => {
    const t = await createService({ '.throughline.yml': 'linkAliases:\n  Outcome: traces\n', 's.md': MINI_STRATEGY, 'p.md': PRD_WITH_ALIAS });
    assert.deepEqual(t.diagnostics('.throughline.yml'), []);
    assert.deepEqual(t.diagnostics('p.md'), []);
    assert.equal(t.service.getCoverage().tracedRequirements, 1);
    assert.deepEqual(t.diagnostics('s.md'), []);
  });

  test('near miss: without the alias the same line is no link, with the did-you-mean', async () => {
    const t = await createService({ 's.md': MINI_STRATEGY, 'p.md': PRD_WITH_ALIAS });
    assert.equal(t.diagnosticsOf('p.md', 'unknown-link-key').length, 1);
    assert.equal(t.diagnosticsOf('p.md', 'untraced-requirement').length, 1);
  });

  test('`Serves: supports` on an outcome, in any case, also as a table header; wrong kinds are still wrong-link-kind', async () => {
    const strategy = MINI_STRATEGY.replace('Supports: KR-1.1', 'serves: KR-1.1');
    const t = await createService({ '.throughline.yml': 'linkAliases: {Serves: Supports}\n', 's.md': strategy, 'p.md': MINI_PRD });
    assert.deepEqual(t.diagnostics('s.md'), []);
    const table = md`
      ---
      type: prd
      id: PRD-2
      ---
      | ID | Title | Outcome |
      |---|---|---|
      | REQ-2 | Export | OUT-1 |
      | REQ-3 | Import | KR-1.1 |
    `;
    const u = await createService({ '.throughline.yml': 'linkAliases: {Outcome: traces}\n', 's.md': MINI_STRATEGY, 'p.md': MINI_PRD, 't.md': table });
    assert.deepEqual(u.diagnosticsOf('t.md', 'untraced-requirement'), []);
    assert.deepEqual(u.diagnosticsOf('t.md', 'unknown-link-key'), []);
    assert.deepEqual(
      u.diagnosticsOf('t.md', 'wrong-link-kind').map((d) => d.range.start.line),
      [7],
    );
  });

  test('an unknown target is a config error; a built-in key is a config warning and keeps its meaning; the valid rest applies', async () => {
    const text = 'linkAliases:\n  Outcome: trace\n  Status: supports\n  Serves: traces\n';
    const parsed = parseConfigFile(text);
    assert.deepEqual(
      parsed.problems.map((problem) => [problem.severity, problem.span.line, problem.message]),
      [
        ['error', 1, '`linkAliases.Outcome`: must be one of traces, supports'],
        ['warning', 2, '`linkAliases.Status`: `Status:` is a key Throughline reads itself; this alias is ignored.'],
      ],
    );
    const config = resolveConfig(parsed.config);
    assert.deepEqual([...config.linkAliases], [['serves', 'traces']]);
    const t = await createService({ '.throughline.yml': text, 's.md': MINI_STRATEGY, 'p.md': MINI_PRD });
    assert.deepEqual(
      t.diagnostics('.throughline.yml').map((d) => d.severity),
      [DiagnosticSeverity.Error, DiagnosticSeverity.Warning],
    );
  });

  test('an alias that is no attribute key (three words, punctuation) is a config error', () => {
    const parsed = parseConfigFile('linkAliases:\n  "Traced to outcome": traces\n  "Out:come": traces\n  Delivers on: traces\n');
    assert.deepEqual(
      parsed.problems.map((problem) => problem.span.line),
      [1, 2],
    );
    assert.deepEqual([...resolveConfig(parsed.config).linkAliases], [['delivers on', 'traces']]);
  });

  test('hostile keys stay keys: `__proto__` and `constructor`', () => {
    const parsed = parseConfigFile('linkAliases:\n  constructor: traces\n  __proto__: traces\n');
    const config = resolveConfig(parsed.config);
    assert.deepEqual([...config.linkAliases.keys()], ['constructor']);
    assert.equal(Object.prototype.hasOwnProperty.call(Object.prototype, 'traces'), false);
  });

  test('the file-only keys are not editor settings', () => {
    const parsed = parseSettings({ linkAliases: { Outcome: 'traces' }, reportTitle: 'x', requirementsMayTraceToKeyResults: true });
    assert.equal(parsed.problems.length, 3);
  });
});

describe('requirementsMayTraceToKeyResults', () => {
  const prd = md`
    ---
    type: prd
    id: PRD-1
    outcomes: [OUT-1]
    ---
    ### REQ-1: Requirement one
    Traces: OUT-1
    ### REQ-2: Requirement two
    Traces: KR-1.2
  `; // the KR trace on line 8

  test('off (the default): `Traces: KR-1.2` is wrong-link-kind, which says how to allow it', async () => {
    const t = await createService({ 's.md': MINI_STRATEGY, 'p.md': prd });
    const [diagnostic, ...rest] = t.diagnosticsOf('p.md', 'wrong-link-kind');
    assert.equal(rest.length, 0);
    assert.equal(diagnostic!.range.start.line, 8);
    assert.equal(
      diagnostic!.message,
      '`Traces:` expects an outcome, but KR-1.2 is a key result. To let requirements trace to key results, set `requirementsMayTraceToKeyResults: true` in `.throughline.yml`.',
    );
  });

  test('on: no diagnostic on the trace; a trace to an objective is still wrong', async () => {
    const t = await createService({ '.throughline.yml': 'requirementsMayTraceToKeyResults: true\n', 's.md': MINI_STRATEGY, 'p.md': prd });
    assert.deepEqual(t.diagnostics('.throughline.yml'), []);
    assert.deepEqual(t.diagnostics('p.md'), []);
    const u = await createService({
      '.throughline.yml': 'requirementsMayTraceToKeyResults: true\n',
      's.md': MINI_STRATEGY,
      'p.md': prd.replace('KR-1.2', 'OBJ-1'),
    });
    assert.equal(u.diagnosticsOf('p.md', 'wrong-link-kind').length, 1);
  });

  test('on: coverage counts the requirement as traced, the tree hangs it under its key result, hover climbs through it', async () => {
    const on = await createService({ '.throughline.yml': 'requirementsMayTraceToKeyResults: true\n', 's.md': MINI_STRATEGY, 'p.md': prd });
    const off = await createService({ 's.md': MINI_STRATEGY, 'p.md': prd });
    assert.equal(on.service.getCoverage().tracedRequirements, 2);
    assert.equal(off.service.getCoverage().tracedRequirements, 1, 'the near miss: off, the trace to a key result does not count');
    const keyResult = (t: typeof on) => t.service.getAlignmentTree('STR-1/OBJ-1', 1).roots.find((node) => node.id === 'KR-1.2')!;
    assert.equal(keyResult(on).counts.requirements, 1);
    assert.deepEqual(
      on.service.getAlignmentTree('STR-1/OBJ-1/KR-1.2', 2).roots.map((node) => [node.kind, node.id, node.children.map((child) => child.id)]),
      [['prd', 'PRD-1', ['REQ-2']]],
    );
    assert.equal(
      on.service.getAlignmentTree('STR-1/OBJ-1', 1).roots.find((node) => node.id === undefined),
      undefined,
    );
    assert.equal(on.service.getAlignmentTree(undefined, 1).roots.find((node) => node.key === 'untraced')!.counts.requirements, 0);
    assert.equal(keyResult(off).counts.requirements, 0);
    assert.equal(off.service.getAlignmentTree(undefined, 1).roots.find((node) => node.key === 'untraced')!.counts.requirements, 1);
    const hover = (t: typeof on) => (t.service.getHover(t.doc('p.md'), { line: 7, character: 5 })!.contents as MarkupContent).value;
    assert.match(hover(on), /KR-1\.2/);
    assert.doesNotMatch(hover(off), /KR-1\.2.*OBJ-1/);
  });

  test('not a boolean: a config error', () => {
    assert.deepEqual(
      parseConfigFile('requirementsMayTraceToKeyResults: yes please\n').problems.map((problem) => problem.span.line),
      [0],
    );
  });
});

describe('reportTitle', () => {
  const vision = md`
    ---
    type: vision
    id: VIS-1
    title: Everyone gets paid
    ---
  `;

  test('overrides the title from the vision', async () => {
    const t = await createService({ '.throughline.yml': 'reportTitle: Northwind FY27\n', 'v.md': vision, 's.md': MINI_STRATEGY });
    assert.equal(t.service.getStrategyReport().title, 'Strategy report: Northwind FY27');
    // The CLI passes the vision's title; the configured one still wins.
    assert.equal(t.service.getStrategyReport('Strategy report: Everyone gets paid').title, 'Strategy report: Northwind FY27');
  });

  test('a title that already says so is kept as written; without the key the vision names the report', async () => {
    const t = await createService({ '.throughline.yml': 'reportTitle: "Strategy report — Q3"\n', 's.md': MINI_STRATEGY });
    assert.equal(t.service.getStrategyReport().title, 'Strategy report — Q3');
    const u = await createService({ 'v.md': vision, 's.md': MINI_STRATEGY });
    assert.equal(u.service.getStrategyReport().title, 'Strategy report: Everyone gets paid');
  });

  test('empty or not text: a config error, and the vision names the report', () => {
    for (const text of ['reportTitle: ""\n', 'reportTitle: [a]\n']) {
      const parsed = parseConfigFile(text);
      assert.equal(parsed.problems.length, 1, text);
      assert.equal(resolveConfig(parsed.config).reportTitle, undefined, text);
    }
  });
});

describe('owners and teams as lists are one value', () => {
  const prd = md`
    ---
    type: prd
    id: PRD-1
    outcomes: [OUT-1]
    owner: [ines, maya]
    team: [payments, risk]
    ---
    ### REQ-1: Requirement one
    Traces: OUT-1
  `;
  const strategy = MINI_STRATEGY.replace('## OBJ-1: Objective one', '## OBJ-1: Objective one\nOwner: [ana, ben]').replace(
    '- KR-1.1: Key result one',
    '- KR-1.1: Key result one\n  Owner: carla',
  );

  test('the portfolio counts the PRD once, under the joined names', async () => {
    const t = await createService({ 's.md': MINI_STRATEGY, 'p.md': prd });
    const portfolio = t.service.getPortfolio();
    const values = (name: string) => portfolio.dimensions.find((dimension) => dimension.name === name)!.buckets.map((bucket) => [bucket.value, bucket.prds]);
    assert.deepEqual(values('owner'), [['ines, maya', 1]]);
    assert.deepEqual(values('team'), [['payments, risk', 1]]);
  });

  test('hover shows the owners of the PRD, an objective and a key result', async () => {
    const t = await createService({ 's.md': strategy, 'p.md': prd });
    const hover = (path: string, line: number, character: number) => (t.service.getHover(t.doc(path), { line, character })?.contents as MarkupContent).value;
    assert.match(hover('p.md', 2, 5), /owner: ines, maya/);
    assert.match(hover('s.md', 4, 5), /owner: ana, ben/);
    assert.match(hover('s.md', 6, 5), /owner: carla/);
  });

  test('the report’s tree carries the objective’s and key result’s owners', async () => {
    const t = await createService({ 's.md': strategy, 'p.md': prd });
    const owners = new Map<string, string | undefined>();
    const stack = [...t.service.getStrategyReport().tree];
    while (stack.length) {
      const node = stack.pop()!;
      if (node.id) owners.set(node.id, node.owner);
      stack.push(...node.children);
    }
    assert.equal(owners.get('OBJ-1'), 'ana, ben');
    assert.equal(owners.get('KR-1.1'), 'carla');
  });
});

test('the JSON schemas list only canonical enum values, never an alias', () => {
  const aliases = new Set(Object.values(ENUM_ALIASES).flatMap((byValue) => Object.values(byValue).flat().map(enumKey)));
  for (const type of ['vision', 'strategy', 'prd']) {
    const text = readFileSync(`schemas/${type}.schema.json`, 'utf8');
    const enums: string[] = [];
    JSON.parse(text, (key, value: unknown) => {
      if (key === 'enum' && Array.isArray(value)) enums.push(...(value as string[]));
      return value;
    });
    assert.ok(enums.includes('review'), type);
    for (const value of enums) assert.equal(aliases.has(enumKey(value)), false, `${type}: ${value}`);
  }
});
