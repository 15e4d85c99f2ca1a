/**
 * Every documented setting reaches the rules by every route a client may use: the
 * `workspace/configuration` answer, a `workspace/didChangeConfiguration` push
 * (`{settings: {throughline: …}}`), `initializationOptions.settings` and
 * `initializationOptions.throughline`. Each setting has a case that changes what the server
 * reports; each route runs every case. An invalid entry is dropped with a log line while the
 * valid rest applies, and `.throughline.yml` still wins key by key.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { copyExample, realisticCapabilities, startClient, type LspClient, type TempWorkspace } from './lspClient';

const STRATEGY = 'strategy/payments-2027-h1.md';
const GUEST = 'prds/guest-checkout.md';
const REFUNDS = 'prds/refund-permissions.md';
const LEDGER = 'prds/ledger-sync.md';
const CONFIG = '.throughline.yml';
const WARNING = 2;

type Settings = Record<string, unknown>;
/** The diagnostics last published for a workspace-relative path ([] when none were). */
type View = (relative: string) => Diagnostic[];
type Check = (view: View) => boolean;

const has =
  (relative: string, code: string, where: (diagnostic: Diagnostic) => boolean = () => true): Check =>
  (view) =>
    view(relative).some((diagnostic) => diagnostic.code === code && where(diagnostic));
const lacks =
  (relative: string, code: string, where?: (diagnostic: Diagnostic) => boolean): Check =>
  (view) =>
    !has(relative, code, where)(view);
const all =
  (...checks: Check[]): Check =>
  (view) =>
    checks.every((check) => check(view));
const mentions = (text: string) => (diagnostic: Diagnostic) => diagnostic.message.includes(text);

interface Case {
  readonly setting: string;
  readonly settings: Settings;
  /** Holds with the defaults. */
  readonly before: Check;
  /** Holds with `settings`, and not with the defaults. */
  readonly after: Check;
}

/**
 * The acme example without its `.throughline.yml` (so the defaults apply), with a prose mention of
 * GOAL-9 in the ledger PRD: an ID only once `GOAL` is a configured prefix.
 */
const CASES: readonly Case[] = [
  {
    setting: 'rules',
    settings: { rules: { 'untraced-requirement': 'off' } },
    before: has(GUEST, 'untraced-requirement'),
    after: all(lacks(GUEST, 'untraced-requirement'), has(STRATEGY, 'orphan-outcome')),
  },
  {
    setting: 'prefixes',
    settings: { prefixes: { GOAL: 'objective' } },
    before: all(has(LEDGER, 'prd-outcome-mismatch'), lacks(LEDGER, 'unknown-reference', mentions('GOAL-9'))),
    after: has(LEDGER, 'unknown-reference', mentions('GOAL-9')),
  },
  {
    setting: 'include',
    settings: { include: ['prds/**'] },
    before: has(STRATEGY, 'orphan-outcome'),
    after: all((view) => view(STRATEGY).length === 0, has(GUEST, 'untraced-requirement')),
  },
  {
    setting: 'exclude',
    settings: { exclude: [REFUNDS] },
    before: has(REFUNDS, 'stale-document'),
    after: all((view) => view(REFUNDS).length === 0, has(GUEST, 'untraced-requirement')),
  },
  {
    setting: 'thresholds.keyResultsPerObjective.min',
    settings: { thresholds: { keyResultsPerObjective: { min: 1 } } },
    before: has(STRATEGY, 'key-result-count', mentions('OBJ-4')),
    after: all(lacks(STRATEGY, 'key-result-count'), has(STRATEGY, 'orphan-outcome')),
  },
  {
    setting: 'thresholds.keyResultsPerObjective.max',
    settings: { thresholds: { keyResultsPerObjective: { max: 2 } } },
    before: lacks(STRATEGY, 'key-result-count', mentions('OBJ-2')),
    after: has(STRATEGY, 'key-result-count', mentions('OBJ-2 has 3 key results')),
  },
  {
    setting: 'thresholds.objectivesPerStrategy',
    settings: { thresholds: { objectivesPerStrategy: 3 } },
    before: all(lacks(STRATEGY, 'objective-count'), has(STRATEGY, 'orphan-outcome')),
    after: has(STRATEGY, 'objective-count'),
  },
  {
    setting: 'thresholds.outputVerbs',
    settings: { thresholds: { outputVerbs: ['invoice'] } },
    before: all(has(STRATEGY, 'output-key-result', mentions('KR-2.3')), lacks(STRATEGY, 'output-key-result', mentions('KR-1.1'))),
    after: all(has(STRATEGY, 'output-key-result', mentions('KR-1.1')), lacks(STRATEGY, 'output-key-result', mentions('KR-2.3'))),
  },
  {
    setting: 'thresholds.staleAfterDays',
    settings: { thresholds: { staleAfterDays: 365 } },
    before: has(REFUNDS, 'stale-document'),
    after: all(lacks(REFUNDS, 'stale-document'), has(REFUNDS, 'deprecated-target')),
  },
  {
    setting: 'thresholds.innovationMixTolerance',
    settings: { thresholds: { innovationMixTolerance: 30 } },
    before: has(STRATEGY, 'innovation-mix-drift'),
    after: all(lacks(STRATEGY, 'innovation-mix-drift'), has(STRATEGY, 'orphan-outcome')),
  },
  {
    setting: 'maxProblemsPerFile',
    settings: { maxProblemsPerFile: 1 },
    before: all((view) => view(STRATEGY).length > 2, lacks(STRATEGY, 'too-many-problems')),
    after: all((view) => view(STRATEGY).length === 2, has(STRATEGY, 'too-many-problems'), has(STRATEGY, 'key-result-target')),
  },
];

/** One invalid entry in each kind of place, next to valid ones that must still apply. */
const MIXED: Settings = {
  rules: { 'untraced-requirement': 'off', 'orphan-outcome': 'loud' },
  thresholds: { staleAfterDays: -1, innovationMixTolerance: 30 },
  maxProblemsPerFile: 0,
  colour: 'blue',
};
const MIXED_APPLIED = all(
  lacks(GUEST, 'untraced-requirement'),
  lacks(STRATEGY, 'innovation-mix-drift'),
  // The dropped entries keep their defaults.
  has(STRATEGY, 'orphan-outcome', (diagnostic) => diagnostic.severity === WARNING),
  has(REFUNDS, 'stale-document'),
  lacks(STRATEGY, 'too-many-problems'),
);
const MIXED_LOGS = [/`rules\.orphan-outcome`: must be one of/, /`thresholds\.staleAfterDays`/, /`maxProblemsPerFile`/, /`colour`: no such setting/];

async function workspaceWithDefaults(label: string): Promise<TempWorkspace> {
  const workspace = await copyExample(undefined, label);
  await workspace.remove(CONFIG);
  await workspace.write(LEDGER, `${await workspace.read(LEDGER)}\nWe plan GOAL-9 for the second half.\n`);
  return workspace;
}

const viewOf =
  (client: LspClient, workspace: TempWorkspace): View =>
  (relative) =>
    client.diagnostics.get(workspace.uri(relative)) ?? [];

async function waitUntil(client: LspClient, workspace: TempWorkspace, description: string, check: Check): Promise<void> {
  const view = viewOf(client, workspace);
  try {
    await client.waitFor(description, () => (check(view) ? true : undefined));
  } catch (error) {
    const shown = [STRATEGY, GUEST, REFUNDS, LEDGER]
      .map(
        (relative) =>
          `${relative}: ${view(relative)
            .map((diagnostic) => diagnostic.code)
            .join(', ')}`,
      )
      .join('\n');
    throw new Error(`${(error as Error).message}\n${shown}`);
  }
}

/** A client that cannot answer `workspace/configuration`: the initialization options are all it gives. */
function withoutConfiguration() {
  const capabilities = realisticCapabilities();
  return { ...capabilities, workspace: { ...capabilities.workspace, configuration: false } };
}

/** Routes that change the settings of a running server. */
const LIVE_ROUTES = [
  {
    route: 'workspace/configuration',
    apply: (client: LspClient, settings: Settings) => client.changeConfiguration(settings),
  },
  {
    // The client keeps answering `{}` to workspace/configuration: the pushed settings must be the ones used.
    route: 'workspace/didChangeConfiguration',
    apply: (client: LspClient, settings: Settings) => client.notify('workspace/didChangeConfiguration', { settings: { throughline: settings } }),
  },
] as const;

/** Routes that give the settings at startup. */
const START_ROUTES = [
  { route: 'initializationOptions.settings', options: (settings: Settings) => ({ settings }) },
  { route: 'initializationOptions.throughline', options: (settings: Settings) => ({ throughline: settings }) },
] as const;

for (const { route, apply } of LIVE_ROUTES) {
  describe(`settings by ${route}`, () => {
    let workspace: TempWorkspace;
    let client: LspClient;

    before(async () => {
      workspace = await workspaceWithDefaults('settings-live');
      client = await startClient({ folders: [workspace.root], settings: {} });
    });
    after(async () => {
      await client?.stop();
      await workspace?.dispose();
    });

    for (const { setting, settings, before: withDefaults, after: withSetting } of CASES) {
      test(`${setting} changes what the server reports`, async () => {
        await apply(client, {});
        await waitUntil(client, workspace, `the defaults (before ${setting})`, withDefaults);
        assert.ok(!withSetting(viewOf(client, workspace)), `the case for ${setting} must not hold with the defaults`);
        await apply(client, settings);
        await waitUntil(client, workspace, `the effect of ${setting}`, withSetting);
      });
    }

    test('an invalid entry is dropped with a log line naming it; the valid rest applies', async () => {
      await apply(client, {});
      await waitUntil(client, workspace, 'the defaults', has(GUEST, 'untraced-requirement'));
      const logged = client.logs.length;
      await apply(client, MIXED);
      await waitUntil(client, workspace, 'the valid entries applied', MIXED_APPLIED);
      const lines = client.logs.slice(logged).filter((line) => line.includes(`Ignoring invalid throughline settings from ${route}`));
      for (const pattern of MIXED_LOGS) assert.equal(lines.filter((line) => pattern.test(line)).length, 1, `${pattern} in ${JSON.stringify(lines)}`);
      assert.equal(lines.length, MIXED_LOGS.length, JSON.stringify(lines));
      assert.ok(client.alive);
    });
  });
}

for (const { route, options } of START_ROUTES) {
  describe(`settings by ${route}`, () => {
    for (const { setting, settings, after: withSetting } of CASES) {
      test(`${setting} changes what the server reports`, async () => {
        const workspace = await workspaceWithDefaults('settings-start');
        // startClient waits for the end of indexing, and every diagnostic is published before it.
        const client = await startClient({ folders: [workspace.root], capabilities: withoutConfiguration(), initializationOptions: options(settings) });
        try {
          await waitUntil(client, workspace, `the effect of ${setting}`, withSetting);
        } finally {
          await client.stop();
          await workspace.dispose();
        }
      });
    }

    test('an invalid entry is dropped with a log line naming it; the valid rest applies', async () => {
      const workspace = await workspaceWithDefaults('settings-start');
      const client = await startClient({ folders: [workspace.root], capabilities: withoutConfiguration(), initializationOptions: options(MIXED) });
      try {
        await waitUntil(client, workspace, 'the valid entries applied', MIXED_APPLIED);
        const lines = client.logs.filter((line) => line.includes('Ignoring invalid throughline settings from initializationOptions'));
        for (const pattern of MIXED_LOGS) assert.equal(lines.filter((line) => pattern.test(line)).length, 1, `${pattern} in ${JSON.stringify(lines)}`);
        assert.equal(lines.length, MIXED_LOGS.length, JSON.stringify(lines));
      } finally {
        await client.stop();
        await workspace.dispose();
      }
    });
  });
}

describe('.throughline.yml wins over the settings key by key, by every route', () => {
  // acme's .throughline.yml sets thresholds.objectivesPerStrategy: 3 (its strategy has 4 objectives).
  const SETTINGS: Settings = { thresholds: { objectivesPerStrategy: 10, staleAfterDays: 365 } };
  const EXPECTED = all(has(STRATEGY, 'objective-count'), lacks(REFUNDS, 'stale-document'));

  for (const { route, apply } of LIVE_ROUTES) {
    test(route, async () => {
      const workspace = await copyExample(undefined, 'settings-file');
      const client = await startClient({ folders: [workspace.root], settings: {} });
      try {
        await waitUntil(client, workspace, 'the file applied', all(has(STRATEGY, 'objective-count'), has(REFUNDS, 'stale-document')));
        await apply(client, SETTINGS);
        await waitUntil(client, workspace, 'staleAfterDays from the settings, objectivesPerStrategy from the file', EXPECTED);
      } finally {
        await client.stop();
        await workspace.dispose();
      }
    });
  }
  for (const { route, options } of START_ROUTES) {
    test(route, async () => {
      const workspace = await copyExample(undefined, 'settings-file');
      const client = await startClient({ folders: [workspace.root], capabilities: withoutConfiguration(), initializationOptions: options(SETTINGS) });
      try {
        await waitUntil(client, workspace, 'staleAfterDays from the settings, objectivesPerStrategy from the file', EXPECTED);
      } finally {
        await client.stop();
        await workspace.dispose();
      }
    });
  }
});

describe('how the routes combine', () => {
  test('a client that can be asked replaces the initialization options with what it answers; a push then replaces those', async () => {
    const workspace = await workspaceWithDefaults('settings-combined');
    const client = await startClient({
      folders: [workspace.root],
      settings: { thresholds: { staleAfterDays: 365 } },
      initializationOptions: { settings: { rules: { 'untraced-requirement': 'off' } } },
    });
    try {
      await waitUntil(
        client,
        workspace,
        'the answered settings, not the initialization options',
        all(has(GUEST, 'untraced-requirement'), lacks(REFUNDS, 'stale-document')),
      );
      await client.notify('workspace/didChangeConfiguration', { settings: { throughline: { thresholds: { innovationMixTolerance: 30 } } } });
      await waitUntil(client, workspace, 'the pushed settings alone', all(lacks(STRATEGY, 'innovation-mix-drift'), has(REFUNDS, 'stale-document')));
    } finally {
      await client.stop();
      await workspace.dispose();
    }
  });

  test('settings wrapped once more ({settings: {throughline: …}}) or pushed bare are found too', async () => {
    const workspace = await workspaceWithDefaults('settings-shapes');
    const client = await startClient({
      folders: [workspace.root],
      capabilities: withoutConfiguration(),
      initializationOptions: { settings: { throughline: { rules: { 'untraced-requirement': 'off' } } } },
    });
    try {
      await waitUntil(client, workspace, 'the wrapped initialization options', all(lacks(GUEST, 'untraced-requirement'), has(REFUNDS, 'stale-document')));
      await client.notify('workspace/didChangeConfiguration', { settings: { thresholds: { staleAfterDays: 365 } } });
      await waitUntil(client, workspace, 'the bare push', all(has(GUEST, 'untraced-requirement'), lacks(REFUNDS, 'stale-document')));
      // A bare notification from a client that cannot be asked changes nothing.
      await client.notify('workspace/didChangeConfiguration', { settings: null });
      await client.notify('workspace/didChangeConfiguration', {
        settings: { throughline: { thresholds: { staleAfterDays: 365, innovationMixTolerance: 30 } } },
      });
      await waitUntil(client, workspace, 'the next push', all(lacks(STRATEGY, 'innovation-mix-drift'), lacks(REFUNDS, 'stale-document')));
    } finally {
      await client.stop();
      await workspace.dispose();
    }
  });

  test("the same settings again reindex nothing; VS Code's own trace setting is no problem", async () => {
    const workspace = await workspaceWithDefaults('settings-same');
    const client = await startClient({ folders: [workspace.root], settings: {} });
    try {
      const settings = { rules: { 'untraced-requirement': 'off' }, trace: { server: 'verbose' } };
      await client.notify('workspace/didChangeConfiguration', { settings: { throughline: settings } });
      await waitUntil(client, workspace, 'the pushed rule', lacks(GUEST, 'untraced-requirement'));
      const logged = client.logs.length;
      await client.notify('workspace/didChangeConfiguration', { settings: { throughline: settings } });
      // Changes apply in order: once a different push has applied, the same one before it was handled.
      await client.notify('workspace/didChangeConfiguration', {
        settings: { throughline: { ...settings, rules: { 'untraced-requirement': 'off', 'orphan-outcome': 'off' } } },
      });
      await waitUntil(client, workspace, 'the next push', lacks(STRATEGY, 'orphan-outcome'));
      const indexed = client.logs.slice(logged).filter((line) => line.startsWith('Indexed '));
      assert.equal(indexed.length, 1, `one reindex, for the second push only: ${JSON.stringify(indexed)}`);
      assert.ok(!client.logs.some((line) => /Ignoring invalid throughline settings/.test(line)), client.logs.join('\n'));
    } finally {
      await client.stop();
      await workspace.dispose();
    }
  });
});
