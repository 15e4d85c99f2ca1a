import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { settingsForServer } from '../../client/src/settings.ts';
import { configSchema, resolveConfig } from '../../server/src/service/model/config.ts';
import { MAX_CONFIG_PROBLEMS, parseConfigFile } from '../../server/src/service/config/configFile.ts';
import { ITEM_KINDS } from '../../server/src/service/model/model.ts';
import { RULES } from '../../server/src/service/rules/ruleCatalog.ts';
import { parseSettings } from '../../server/src/service/config/settings.ts';

const manifest = JSON.parse(readFileSync('package.json', 'utf8')) as {
  contributes: {
    configuration: { properties: Record<string, { properties?: Record<string, { enum: string[] }>; additionalProperties?: { enum: string[] } }> };
  };
};
const settings = manifest.contributes.configuration.properties;

test('the throughline.rules setting lists exactly the rules the server reports, with every severity and off', () => {
  const ruleSettings = settings['throughline.rules']!.properties!;
  assert.deepEqual(Object.keys(ruleSettings).sort(), RULES.map((rule) => rule.name).sort());
  for (const [name, setting] of Object.entries(ruleSettings)) assert.deepEqual(setting.enum, ['error', 'warning', 'info', 'hint', 'off'], name);
});

test('the throughline.prefixes setting offers exactly the item kinds', () => {
  assert.deepEqual(settings['throughline.prefixes']!.additionalProperties!.enum, [...ITEM_KINDS]);
});

// ---- editor settings: parseSettings (server/src/service/config/settings.ts) -------------------------------

const SETTING_NAMES = [
  'rules',
  'prefixes',
  'include',
  'exclude',
  'thresholds',
  'maxProblemsPerFile',
  'inlayHints',
  'decimalSeparator',
  'fiscalYearStart',
  'fiscalYearNamedAfter',
];

test('the documented settings are exactly the keys of the settings schema (and VS Code’s trace)', () => {
  assert.deepEqual(Object.keys(configSchema.shape).sort(), [...SETTING_NAMES].sort());
  const documented = Object.keys(settings).map((key) => key.replace(/^throughline\./, ''));
  assert.deepEqual(documented.filter((key) => key !== 'trace.server').sort(), [...SETTING_NAMES].sort());
  const thresholds = configSchema.shape.thresholds.unwrap().shape;
  assert.deepEqual(Object.keys(settings['throughline.thresholds']!.properties!).sort(), Object.keys(thresholds).sort());
});

test('VS Code’s defaults for every setting parse without a problem and change nothing', () => {
  const defaults = Object.fromEntries(
    Object.entries(manifest.contributes.configuration.properties as Record<string, { default?: unknown }>).map(([key, value]) => [
      key.replace(/^throughline\./, ''),
      value.default,
    ]),
  );
  // VS Code nests dotted settings: throughline.trace.server arrives as trace: {server}.
  delete defaults['trace.server'];
  const parsed = parseSettings({ ...defaults, trace: { server: 'off' } });
  assert.deepEqual(parsed.problems, []);
  assert.deepEqual(resolveConfig(parsed.settings), resolveConfig());
});

describe('parseSettings', () => {
  test('valid settings pass through whole, thresholds and maxProblemsPerFile included', () => {
    const raw = {
      rules: { 'orphan-outcome': 'off' },
      prefixes: { GOAL: 'objective' },
      include: ['docs/**'],
      exclude: ['drafts/**'],
      thresholds: {
        keyResultsPerObjective: { min: 1, max: 4 },
        objectivesPerStrategy: 3,
        outputVerbs: ['Ship'],
        staleAfterDays: 30,
        innovationMixTolerance: 5,
      },
      maxProblemsPerFile: 50,
    };
    const { settings: parsed, problems } = parseSettings(raw);
    assert.deepEqual(problems, []);
    assert.deepEqual(parsed, raw);
    const config = resolveConfig(parsed);
    assert.equal(config.maxProblemsPerFile, 50);
    assert.equal(config.severities.get('orphan-outcome'), 'off');
    assert.equal(config.prefixes.get('GOAL'), 'objective');
  });

  test('no settings (null, undefined) is no problem; a value that is not an object is one', () => {
    assert.deepEqual(parseSettings(undefined), { settings: undefined, problems: [] });
    assert.deepEqual(parseSettings(null), { settings: undefined, problems: [] });
    for (const raw of ['rules', 3, true, [{ rules: {} }]]) {
      const parsed = parseSettings(raw);
      assert.equal(parsed.settings, undefined);
      assert.equal(parsed.problems.length, 1, String(raw));
      assert.match(parsed.problems[0]!, /must be an object/);
    }
  });

  test('each invalid entry is dropped with one message naming it; the valid rest is kept', () => {
    const { settings: parsed, problems } = parseSettings({
      rules: { 'orphan-outcome': 'off', 'untraced-requirement': 'loud', 'no-such-rule': 'off' },
      prefixes: { GOAL: 'objective', goal: 'objective', AIM: 'wish' },
      include: ['docs/**', ''],
      exclude: ['drafts/**'],
      thresholds: { staleAfterDays: -1, innovationMixTolerance: 30, keyResultsPerObjective: { min: 7 }, colour: 1 },
      maxProblemsPerFile: 0,
      severity: 'high',
    });
    assert.deepEqual(parsed, {
      rules: { 'orphan-outcome': 'off' },
      prefixes: { GOAL: 'objective' },
      exclude: ['drafts/**'],
      thresholds: { innovationMixTolerance: 30 },
    });
    const expected = [
      /^`rules\.untraced-requirement`: must be one of error, warning, info, hint, off$/,
      /^`rules\.no-such-rule`: no such rule; the rules are .*orphan-outcome.* or /,
      /^`prefixes\.goal`: a prefix is uppercase letters only/,
      /^`prefixes\.AIM`: must be one of vision, strategy/,
      /^`include\.1`: /,
      /^`thresholds\.staleAfterDays`: /,
      /^`thresholds\.keyResultsPerObjective\.min`: min 7 is above the default max 5/,
      /^`thresholds\.colour`: no such setting; expected .*staleAfterDays/,
      /^`maxProblemsPerFile`: /,
      /^`severity`: no such setting; expected rules, prefixes, include, exclude, thresholds, maxProblemsPerFile, inlayHints, decimalSeparator, fiscalYearStart or fiscalYearNamedAfter\.$/,
    ];
    for (const pattern of expected)
      assert.equal(problems.filter((problem) => pattern.test(problem)).length, 1, `${pattern} in ${JSON.stringify(problems, null, 1)}`);
    assert.equal(problems.length, expected.length, JSON.stringify(problems, null, 1));
  });

  test('a section of the wrong type is dropped whole; null values are unset, not errors', () => {
    const { settings: parsed, problems } = parseSettings({ rules: 'off', include: 'docs/**', thresholds: null, maxProblemsPerFile: null, exclude: ['x/**'] });
    assert.deepEqual(parsed, { exclude: ['x/**'] });
    assert.equal(problems.length, 2, JSON.stringify(problems));
  });

  test('an unknown rule name alone is dropped with a message; the settings are otherwise whole', () => {
    const { settings: parsed, problems } = parseSettings({ rules: { cycle: 'off', 'no-such-rule': 'off' }, maxProblemsPerFile: 5 });
    assert.deepEqual(parsed, { rules: { cycle: 'off' }, maxProblemsPerFile: 5 });
    assert.equal(problems.length, 1, JSON.stringify(problems));
    assert.match(problems[0]!, /^`rules\.no-such-rule`: no such rule/);
  });

  test('VS Code’s own trace setting is ignored without a problem', () => {
    assert.deepEqual(parseSettings({ trace: { server: 'verbose' }, rules: { cycle: 'warning' } }), { settings: { rules: { cycle: 'warning' } }, problems: [] });
  });

  test('hostile keys: __proto__ is an unknown entry and reaches no prototype; control characters are escaped; problems are capped', () => {
    const raw = JSON.parse(
      '{"__proto__": {"polluted": true}, "rules": {"__proto__": "off", "cycle": "off"}, "prefixes": {"__proto__": "objective"}}',
    ) as unknown;
    const { settings: parsed, problems } = parseSettings(raw);
    assert.deepEqual(parsed, { rules: { cycle: 'off' }, prefixes: {} });
    assert.equal(Object.getPrototypeOf(parsed), Object.prototype);
    assert.equal(({} as Record<string, unknown>)['polluted'], undefined);
    assert.equal(problems.length, 3, JSON.stringify(problems));

    const escaped = parseSettings({ prefixes: { 'EVIL\u001b[31m\u202e': 'objective' } }).problems;
    assert.equal(escaped.length, 1);
    assert.ok(!/[\u001b\u202e]/.test(escaped[0]!), escaped[0]);
    assert.match(escaped[0]!, /\\u001b\[31m\\u202e/);

    const letters = (index: number) => String.fromCharCode(65 + (index % 26)) + String.fromCharCode(65 + Math.floor(index / 26));
    const many = parseSettings({ prefixes: Object.fromEntries(Array.from({ length: 500 }, (_, index) => [letters(index), 'wish'])) });
    assert.deepEqual(many.settings, { prefixes: {} });
    assert.equal(many.problems.length, MAX_CONFIG_PROBLEMS + 1);
    assert.match(many.problems.at(-1)!, /^400 more invalid entries not listed\.$/);
  });

  test('the same rules as .throughline.yml: what the file keeps, the settings keep', () => {
    const raw = {
      rules: { 'orphan-outcome': 'off', 'untraced-requirement': 'loud', 'no-such-rule': 'off' },
      thresholds: { staleAfterDays: 'soon', objectivesPerStrategy: 2 },
      include: [3],
    };
    const file = parseConfigFile(JSON.stringify(raw));
    assert.deepEqual(parseSettings(raw).settings, file.config);
  });
});

test('the VS Code client sends every setting the server reads, and not its own trace', () => {
  const values: Record<string, unknown> = {
    rules: { cycle: 'off' },
    prefixes: {},
    include: [],
    exclude: ['x/**'],
    thresholds: { staleAfterDays: 30 },
    maxProblemsPerFile: 10,
    inlayHints: false,
    decimalSeparator: ',',
    fiscalYearStart: 'july',
    fiscalYearNamedAfter: 'start',
    trace: { server: 'verbose' },
  };
  const sent = settingsForServer({ get: <T>(key: string) => values[key] as T });
  assert.deepEqual(Object.keys(sent).sort(), [...SETTING_NAMES].sort());
  const { trace: _trace, ...expected } = values;
  assert.deepEqual(sent, expected);
  assert.deepEqual(parseSettings(sent), { settings: expected, problems: [] });
});
