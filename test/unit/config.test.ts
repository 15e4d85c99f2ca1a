/**
 * Configuration: `.throughline.yml` problems as diagnostics on that file, rule severities,
 * custom prefixes, include/exclude globs, and the order of layers (defaults < editor settings < file).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DiagnosticSeverity } from 'vscode-languageserver-types';
import { configSchema } from '../../server/src/service';
import { resolveConfig } from '../../server/src/service/model/config';
import { parseConfigFile } from '../../server/src/service/config/configFile';
import { computeConfigDiagnostics } from '../../server/src/service/rules/diagnostics';
import { MINI_PRD, MINI_STRATEGY } from '../helpers/fixtures';
import { createService, md, range } from '../helpers/memoryWorkspace';

/** A strategy whose only problem is an orphan outcome (a warning by default). */
const ORPHAN = md`
  ---
  type: strategy
  id: STR-1
  ---
  ## OBJ-1: Objective
  - KR-1.1: Key result
    Baseline: 1
    Target: 2
    Due: 2027-01-01
  - KR-1.2: Second key result
    Baseline: 10
    Target: 20
    Due: 2027-01-01
  ### OUT-1: Nothing traces here
  Supports: KR-1.1
`;

const orphanSeverities = (t: Awaited<ReturnType<typeof createService>>) => t.diagnostics('s.md').map((diagnostic) => [diagnostic.code, diagnostic.severity]);

describe('.throughline.yml problems', () => {
  test('a valid partial rules section is accepted and applied', async () => {
    const t = await createService({ '.throughline.yml': 'rules:\n  orphan-outcome: error\n', 's.md': ORPHAN });
    assert.deepEqual(t.diagnostics('.throughline.yml'), []);
    assert.deepEqual(orphanSeverities(t), [['orphan-outcome', DiagnosticSeverity.Error]]);
  });

  test('the exported settings schema accepts a partial rules map (editor settings are validated with it)', () => {
    assert.equal(configSchema.safeParse({ rules: { 'orphan-outcome': 'off' } }).success, true);
    assert.equal(configSchema.safeParse({ rules: { 'orphan-outcome': 'loud' } }).success, false);
  });

  test('an unknown top-level key is an error on the key; the valid rest still applies', async () => {
    const t = await createService({
      '.throughline.yml': 'prefixes:\n  GOAL: objective\nrule: 1\n',
      's.md': ORPHAN.replace('## OBJ-1', '## GOAL-1').replace('KR-1.1\n', 'GOAL-1\n'),
    });
    const diagnostics = t.diagnostics('.throughline.yml');
    assert.deepEqual(
      diagnostics.map((diagnostic) => [diagnostic.code, diagnostic.severity, diagnostic.range, diagnostic.message]),
      [
        [
          'config',
          DiagnosticSeverity.Error,
          range(2, 0, 4),
          'Unknown setting `rule`; expected rules, prefixes, include, exclude, thresholds, maxProblemsPerFile, inlayHints, decimalSeparator, fiscalYearStart, fiscalYearNamedAfter, linkAliases, requirementsMayTraceToKeyResults or reportTitle.',
        ],
      ],
    );
    assert.equal(t.service.graph.definition('GOAL-1')?.kind, 'objective', 'the valid prefixes section still applies');
    assert.ok(t.service.diagnosticUris().includes(t.uri('.throughline.yml')));
  });

  test('an invalid severity is one error on its entry, and the other rules in the section still apply', async () => {
    const untraced = '---\ntype: prd\nid: PRD-1\n---\n### REQ-1: Untraced\n';
    const t = await createService({
      '.throughline.yml': 'rules:\n  orphan-outcome: loud\n  untraced-requirement: warning\n',
      's.md': ORPHAN,
      'p.md': untraced,
    });
    const diagnostics = t.diagnostics('.throughline.yml');
    assert.equal(diagnostics.length, 1, diagnostics.map((diagnostic) => diagnostic.message).join('\n'));
    assert.equal(diagnostics[0]!.range.start.line, 1);
    assert.match(diagnostics[0]!.message, /orphan-outcome.*must be one of error, warning, info, hint, off/);
    // "One typo does not switch every rule back to its default" (configFile.ts).
    assert.deepEqual(
      t.diagnosticsOf('p.md', 'untraced-requirement').map((diagnostic) => diagnostic.severity),
      [DiagnosticSeverity.Warning],
    );
  });

  test('an unknown rule name is reported as such, on its key', async () => {
    const t = await createService({ '.throughline.yml': 'rules:\n  orphan-outcomes: off\n', 's.md': ORPHAN });
    const diagnostics = t.diagnostics('.throughline.yml');
    assert.equal(diagnostics.length, 1, diagnostics.map((diagnostic) => diagnostic.message).join('\n'));
    assert.deepEqual(diagnostics[0]!.range, range(1, 2, 17));
    assert.match(diagnostics[0]!.message, /rule/i);
    assert.doesNotMatch(diagnostics[0]!.message, /Unknown setting|expected rules, prefixes/, 'it is a rule name, not a top-level setting');
  });

  test('invalid prefixes and kinds, a non-list include, a YAML syntax error', async () => {
    const check = async (text: string) => (await createService({ '.throughline.yml': text, 's.md': ORPHAN })).diagnostics('.throughline.yml');
    const prefix = await check('prefixes:\n  goal: objective\n');
    assert.deepEqual(
      prefix.map((diagnostic) => diagnostic.range),
      [range(1, 2, 6)],
    );
    assert.match(prefix[0]!.message, /^`prefixes\.goal`/);
    const kind = await check('prefixes:\n  GOAL: target\n');
    assert.equal(kind.length, 1);
    assert.match(kind[0]!.message, /^`prefixes\.GOAL`: must be one of vision, strategy, objective, keyResult, outcome, prd, requirement/);
    const include = await check('include: docs\n');
    assert.deepEqual(
      include.map((diagnostic) => diagnostic.range),
      [range(0, 0, 7)],
    );
    const syntax = await check('rules: [\n');
    assert.equal(syntax.length, 1);
    assert.match(syntax[0]!.message, /^YAML: /);
    assert.equal(syntax[0]!.code, 'config');
  });

  test('a syntax error at the very end of the file is reported inside the file', async () => {
    const t = await createService({ '.throughline.yml': 'include: [', 's.md': ORPHAN });
    const [diagnostic] = t.diagnostics('.throughline.yml');
    assert.ok(diagnostic);
    // The file is one line of 10 characters.
    assert.ok(diagnostic.range.end.line === 0 && diagnostic.range.end.character <= 10, JSON.stringify(diagnostic.range));
  });

  test('near misses: an empty file and a valid full file have no problems', async () => {
    const empty = await createService({ '.throughline.yml': '', 's.md': ORPHAN });
    assert.deepEqual(empty.diagnostics('.throughline.yml'), []);
    const full = await createService({
      '.throughline.yml': 'rules:\n  orphan-outcome: hint\nprefixes:\n  GOAL: key-result\ninclude: ["**/*.md"]\nexclude: [drafts/**]\n',
      's.md': ORPHAN,
      // The exclude pattern matches a file: one that matched nothing would be a config warning.
      'drafts/d.md': '# Draft\n',
    });
    assert.deepEqual(full.diagnostics('.throughline.yml'), []);
  });

  test('an alias bomb is one config error on the file; every document is still checked with the defaults', async () => {
    const levels = ['a: &a [x, x, x, x, x, x, x, x, x]'];
    for (let level = 1; level < 10; level++)
      levels.push(
        `${String.fromCharCode(97 + level)}: &${String.fromCharCode(97 + level)} [${Array(9)
          .fill(`*${String.fromCharCode(96 + level)}`)
          .join(', ')}]`,
      );
    const t = await createService({ '.throughline.yml': `rules:\n  orphan-outcome: off\n${levels.join('\n')}\n`, 's.md': ORPHAN });
    assert.deepEqual(
      t.diagnostics('.throughline.yml').map((diagnostic) => [diagnostic.code, diagnostic.severity, diagnostic.range.start.line]),
      [['config', DiagnosticSeverity.Error, 3]],
    );
    assert.deepEqual(orphanSeverities(t), [['orphan-outcome', DiagnosticSeverity.Warning]], "the defaults apply, not the file's `off`");
  });

  test('min above max is an error on min; the other thresholds still apply', async () => {
    const t = await createService({ '.throughline.yml': 'thresholds:\n  keyResultsPerObjective: {min: 10, max: 1}\n  staleAfterDays: 30\n', 's.md': ORPHAN });
    assert.deepEqual(
      t.diagnostics('.throughline.yml').map((diagnostic) => [diagnostic.range, diagnostic.message]),
      [[range(1, 27, 30), '`thresholds.keyResultsPerObjective.min`: min 10 is above max 1']],
    );
    assert.equal(t.service.config.thresholds.keyResultsMin, 2);
    assert.equal(t.service.config.thresholds.staleAfterDays, 30);
  });

  test('maxProblemsPerFile defaults to 1,000 and can be set', async () => {
    assert.equal((await createService({ 's.md': ORPHAN })).service.config.maxProblemsPerFile, 1_000);
    assert.equal((await createService({ '.throughline.yml': 'maxProblemsPerFile: 20\n', 's.md': ORPHAN })).service.config.maxProblemsPerFile, 20);
  });

  test('fixing the file on disk clears its diagnostics; deleting it restores the defaults', async () => {
    // t.md keeps the exclude from leaving nothing to check, which would be a config warning.
    const t = await createService({ '.throughline.yml': 'rule: 1\n', 's.md': ORPHAN, 't.md': '# Notes\n' });
    assert.equal(t.diagnostics('.throughline.yml').length, 1);
    t.workspace.set('.throughline.yml', 'exclude: ["s.md"]\n');
    const impact = await t.service.fileChanged(t.uri('.throughline.yml'));
    assert.ok(impact.affectedUris.has(t.uri('.throughline.yml')));
    assert.ok(impact.affectedUris.has(t.uri('s.md')), 'the document that is now excluded must be re-published (cleared)');
    assert.deepEqual(t.diagnostics('.throughline.yml'), []);
    assert.deepEqual(t.diagnostics('s.md'), []);
    t.workspace.delete('.throughline.yml');
    await t.service.fileDeleted(t.uri('.throughline.yml'));
    assert.deepEqual(orphanSeverities(t), [['orphan-outcome', DiagnosticSeverity.Warning]]);
  });
});

describe('rule severities', () => {
  test('settings change a severity and switch a rule off', async () => {
    const info = await createService({ 's.md': ORPHAN }, { settings: { rules: { 'orphan-outcome': 'info' } } });
    assert.deepEqual(orphanSeverities(info), [['orphan-outcome', DiagnosticSeverity.Information]]);
    const off = await createService({ 's.md': ORPHAN }, { settings: { rules: { 'orphan-outcome': 'off' } } });
    assert.deepEqual(off.diagnostics('s.md'), []);
  });

  test('the file wins over settings key by key', async () => {
    const t = await createService(
      { '.throughline.yml': 'rules:\n  orphan-outcome: hint\n', 's.md': ORPHAN, 'p.md': '---\ntype: prd\nid: PRD-1\n---\n### REQ-1: x\n' },
      { settings: { rules: { 'orphan-outcome': 'error', 'untraced-requirement': 'warning' } } },
    );
    assert.deepEqual(orphanSeverities(t), [['orphan-outcome', DiagnosticSeverity.Hint]]);
    assert.deepEqual(
      t.diagnosticsOf('p.md', 'untraced-requirement').map((diagnostic) => diagnostic.severity),
      [DiagnosticSeverity.Warning],
      'settings still apply to rules the file does not mention',
    );
  });

  test('a configured severity also applies where a rule lowers its own (unknown IDs in prose)', async () => {
    const prd = '---\ntype: prd\nid: PRD-1\n---\nSee OUT-99.\n';
    const t = await createService({ 'p.md': prd }, { settings: { rules: { 'unknown-reference': 'error' } } });
    assert.deepEqual(
      t.diagnosticsOf('p.md', 'unknown-reference').map((diagnostic) => diagnostic.severity),
      [DiagnosticSeverity.Error],
    );
  });

  test('updateSettings re-checks every document', async () => {
    const t = await createService({ 's.md': ORPHAN });
    assert.equal(t.diagnostics('s.md').length, 1);
    const impact = await t.service.updateSettings({ rules: { 'orphan-outcome': 'off' } });
    assert.ok(impact.affectedUris.has(t.uri('s.md')));
    assert.deepEqual(t.diagnostics('s.md'), []);
  });

  test('a config file named with configFileUri (the CLI --config) replaces the folder one', async () => {
    const t = await createService(
      { '.throughline.yml': 'exclude: ["s.md"]\n', 'ci/strict.yml': 'exclude: ["p.md"]\n', 's.md': ORPHAN, 'p.md': MINI_PRD },
      { configFileUri: 'file:///ws/ci/strict.yml' },
    );
    assert.ok(t.service.graph.document(t.uri('s.md')));
    assert.equal(t.service.graph.document(t.uri('p.md')), undefined);
  });
});

describe('prefixes', () => {
  test('a custom prefix defines items of its kind in headings and prose', async () => {
    const strategy = md`
      ---
      type: strategy
      id: STR-1
      ---
      ## GOAL-1: A goal is an objective here
      - METRIC-1: Spelled "key result"
        Baseline: 1
        Target: 2
        Due: 2027-01-01
      - METRIC-2: Another one
        Baseline: 10
        Target: 20
        Due: 2027-01-01
      ### OUT-1: Outcome
      Supports: GOAL-1, METRIC-1
      Owner: see GOAL-2
    `;
    const t = await createService({ '.throughline.yml': 'prefixes:\n  GOAL: objective\n  METRIC: key result\n', 's.md': strategy, 'p.md': MINI_PRD });
    assert.equal(t.service.graph.definition('GOAL-1')?.kind, 'objective');
    assert.equal(t.service.graph.definition('METRIC-1')?.kind, 'keyResult');
    assert.equal(t.service.graph.definition('METRIC-1')?.parentId, 'GOAL-1');
    assert.deepEqual(
      t.diagnostics('s.md').map((diagnostic) => [diagnostic.code, diagnostic.range]),
      [['unknown-reference', range(15, 11, 17)]],
    );
  });

  test('near miss: without the configuration the same headings define nothing', async () => {
    const t = await createService({ 's.md': '---\ntype: strategy\nid: STR-1\n---\n## GOAL-1: Not an item\nMentioning GOAL-2 is not a reference either.\n' });
    assert.equal(t.service.graph.definition('GOAL-1'), undefined);
    assert.deepEqual(t.diagnostics('s.md'), []);
  });
});

describe('include and exclude', () => {
  const untraced = '---\ntype: prd\nid: PRD-2\n---\n### REQ-2: Untraced\n';

  test('excluded files are neither indexed nor checked', async () => {
    const t = await createService({ '.throughline.yml': 'exclude: ["drafts/**"]\n', 's.md': MINI_STRATEGY, 'p.md': MINI_PRD, 'drafts/wip.md': untraced });
    assert.equal(t.service.graph.definition('REQ-2'), undefined);
    assert.deepEqual(t.diagnostics('drafts/wip.md'), []);
    assert.ok(!t.service.diagnosticUris().includes(t.uri('drafts/wip.md')));
  });

  test('only included files take part, also when they change later', async () => {
    const t = await createService({
      '.throughline.yml': 'include: ["docs/**/*.md"]\n',
      'docs/s.md': MINI_STRATEGY,
      'docs/p.md': MINI_PRD,
      'notes.md': untraced,
    });
    assert.equal(t.service.graph.definition('REQ-2'), undefined);
    assert.ok(t.service.graph.definition('OUT-1'));
    t.open('notes.md', untraced);
    assert.equal(t.service.graph.definition('REQ-2'), undefined, 'opening an excluded file does not index it');
    t.workspace.set('docs/new.md', untraced);
    await t.service.fileChanged(t.uri('docs/new.md'));
    assert.deepEqual(
      t.diagnosticsOf('docs/new.md', 'untraced-requirement').map((diagnostic) => diagnostic.range),
      [range(4, 4, 9)],
    );
  });

  test('settings exclude globs add to the defaults; node_modules is always skipped', async () => {
    const t = await createService(
      { 's.md': MINI_STRATEGY, 'p.md': MINI_PRD, 'node_modules/pkg/readme.md': untraced, 'archive/old.md': untraced.replace('REQ-2', 'REQ-3') },
      { settings: { exclude: ['archive/**'] } },
    );
    assert.equal(t.service.graph.definition('REQ-2'), undefined);
    assert.equal(t.service.graph.definition('REQ-3'), undefined);
  });
});

describe('editing .throughline.yml in the editor', () => {
  test('its problems update while typing; its settings apply once it is saved', async () => {
    const t = await createService({ '.throughline.yml': 'rules:\n  orphan-outcome: error\n', 's.md': ORPHAN });
    t.open('.throughline.yml');
    t.change('.throughline.yml', 'rules:\n  orphan-outcome: loud\n');
    assert.equal(t.diagnostics('.throughline.yml').length, 1, 'the bad severity is reported before saving');
    assert.deepEqual(orphanSeverities(t), [['orphan-outcome', DiagnosticSeverity.Error]], 'the saved settings still apply');
    t.change('.throughline.yml', 'rules:\n  orphan-outcome: info\n');
    assert.deepEqual(t.diagnostics('.throughline.yml'), []);
    t.workspace.set('.throughline.yml', 'rules:\n  orphan-outcome: info\n');
    await t.service.fileChanged(t.uri('.throughline.yml'));
    assert.deepEqual(orphanSeverities(t), [['orphan-outcome', DiagnosticSeverity.Information]]);
  });
});

describe('config problems go through the rule engine (computeConfigDiagnostics)', () => {
  const problems = parseConfigFile('rules:\n  orphan-outcome: bogus\n').problems;

  test("by default an error, with the link to the rule's docs", () => {
    const [diagnostic, ...rest] = computeConfigDiagnostics(problems, resolveConfig());
    assert.equal(rest.length, 0);
    assert.equal(diagnostic!.code, 'config');
    assert.equal(diagnostic!.severity, DiagnosticSeverity.Error);
    assert.equal(diagnostic!.codeDescription?.href, 'https://github.com/throughline/throughline/blob/main/docs/format.md#rule-config');
  });

  test('`config: warning` lowers them and `config: off` turns them off', () => {
    assert.deepEqual(
      computeConfigDiagnostics(problems, resolveConfig({ rules: { config: 'warning' } })).map((diagnostic) => diagnostic.severity),
      [DiagnosticSeverity.Warning],
    );
    assert.deepEqual(computeConfigDiagnostics(problems, resolveConfig({ rules: { config: 'off' } })), []);
  });

  test('a pattern warning keeps its own severity unless configured; `internal` is never turned off', () => {
    const warning = { rule: 'config', severity: 'warning' as const, message: 'matches nothing', span: { line: 0, start: 0, end: 1 } };
    const internal = { rule: 'internal', severity: 'error' as const, message: 'could not read', span: { line: 0, start: 0, end: 0 } };
    assert.deepEqual(
      computeConfigDiagnostics([warning], resolveConfig()).map((diagnostic) => diagnostic.severity),
      [DiagnosticSeverity.Warning],
    );
    assert.deepEqual(
      computeConfigDiagnostics([internal], resolveConfig({ rules: { config: 'off' } })).map((diagnostic) => diagnostic.code),
      ['internal'],
    );
  });
});
