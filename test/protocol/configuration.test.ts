/**
 * Configuration: editor settings pulled with workspace/configuration (at startup and after
 * workspace/didChangeConfiguration), and `.throughline.yml` in the workspace folder. Every
 * setting by every route (pushes and initializationOptions too) is in settings.test.ts.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { copyExample, hasCode, lacksCode, startClient, type LspClient, type TempWorkspace } from './lspClient';

const STRATEGY = 'strategy/payments-2027-h1.md';
const GUEST = 'prds/guest-checkout.md';
const CONFIG = '.throughline.yml';
const CREATED = 1;
const CHANGED = 2;
const DELETED = 3;
const ERROR = 1;
const WARNING = 2;

describe('a client that does not answer workspace/configuration', () => {
  test('the folder is indexed with the settings given at start after 5 s, and the answer applies when it comes', async () => {
    const workspace = await copyExample(undefined, 'settings-unanswered');
    let answer!: () => void;
    const gate = new Promise<void>((resolve) => (answer = resolve));
    const started = performance.now();
    const client = await startClient({ folders: [workspace.root], settings: { rules: { 'orphan-outcome': 'error' } }, configurationGate: gate });
    try {
      const waited = performance.now() - started;
      assert.ok(waited >= 4500 && waited < 9500, `indexed after the 5 s wait, not before and not never (${Math.round(waited)} ms)`);
      await client.waitForDiagnostics(
        workspace.uri(STRATEGY),
        hasCode('orphan-outcome', (diagnostic) => diagnostic.severity === WARNING),
      );
      await client.waitForLog(/has not answered workspace\/configuration in 5 s; indexing with the settings given at start/);
      answer();
      await client.waitForDiagnostics(
        workspace.uri(STRATEGY),
        hasCode('orphan-outcome', (diagnostic) => diagnostic.severity === ERROR),
      );
      assert.ok(hasCode('untraced-requirement')(client.diagnostics.get(workspace.uri(GUEST)) ?? []), 'the other rules still report');
    } finally {
      await client.stop();
      await workspace.dispose();
    }
  });

  test('with two folders, one wait for both, not one each', async () => {
    const first = await copyExample(undefined, 'settings-unanswered-a');
    const second = await copyExample(undefined, 'settings-unanswered-b');
    const started = performance.now();
    const client = await startClient({ folders: [first.root, second.root], settings: {}, configurationGate: new Promise(() => undefined) });
    try {
      const waited = performance.now() - started;
      assert.ok(waited >= 4500 && waited < 9000, `both folders indexed after one 5 s wait (${Math.round(waited)} ms)`);
      await client.waitForDiagnostics(first.uri(STRATEGY), hasCode('orphan-outcome'));
      await client.waitForDiagnostics(second.uri(STRATEGY), hasCode('orphan-outcome'));
    } finally {
      await client.stop();
      await first.dispose();
      await second.dispose();
    }
  });

  test('near miss: an answer within the wait is used for the first diagnostics, with no log line about waiting', async () => {
    const workspace = await copyExample(undefined, 'settings-slow');
    const client = await startClient({
      folders: [workspace.root],
      settings: { rules: { 'orphan-outcome': 'error' } },
      configurationGate: new Promise((resolve) => setTimeout(resolve, 300)),
    });
    try {
      const first = client.publishLog.find((entry) => entry.uri === workspace.uri(STRATEGY));
      assert.ok(first && hasCode('orphan-outcome', (diagnostic) => diagnostic.severity === ERROR)(first.diagnostics), 'the first publish follows the answer');
      assert.ok(!client.logs.some((message) => /has not answered workspace\/configuration/.test(message)));
    } finally {
      await client.stop();
      await workspace.dispose();
    }
  });
});

describe('editor settings', () => {
  let workspace: TempWorkspace;
  let client: LspClient;

  before(async () => {
    workspace = await copyExample(undefined, 'settings');
    client = await startClient({ folders: [workspace.root], settings: {} });
    await client.waitForDiagnostics(workspace.uri(STRATEGY), hasCode('orphan-outcome'));
  });
  after(async () => {
    await client?.stop();
    await workspace?.dispose();
  });

  test('a rule set to "off" removes its diagnostics (and only those)', async () => {
    const requests = client.configurationRequests.length;
    await client.changeConfiguration({ rules: { 'orphan-outcome': 'off' } });
    const diagnostics = await client.waitForDiagnostics(workspace.uri(STRATEGY), lacksCode('orphan-outcome'));
    assert.ok(client.configurationRequests.length > requests, 'the server pulled the new settings');
    assert.ok(hasCode('unmeasurable-key-result')(diagnostics));
    assert.ok(hasCode('untraced-requirement')(client.diagnostics.get(workspace.uri(GUEST)) ?? []));
  });

  test('a rule whose every diagnostic is off clears the file entirely', async () => {
    await client.changeConfiguration({ rules: { 'untraced-requirement': 'off' } });
    await client.waitForDiagnostics(workspace.uri(GUEST), (diagnostics) => diagnostics.length === 0);
    // orphan-outcome is back: settings replace, they do not accumulate.
    await client.waitForDiagnostics(workspace.uri(STRATEGY), hasCode('orphan-outcome'));
  });

  test('a severity can be changed', async () => {
    await client.changeConfiguration({ rules: { 'untraced-requirement': 'warning', 'orphan-outcome': 'error' } });
    await client.waitForDiagnostics(
      workspace.uri(GUEST),
      hasCode('untraced-requirement', (diagnostic) => diagnostic.severity === WARNING),
    );
    await client.waitForDiagnostics(
      workspace.uri(STRATEGY),
      hasCode('orphan-outcome', (diagnostic) => diagnostic.severity === ERROR),
    );
  });

  test('an invalid entry is ignored with a log line (its default applies), the valid rest applies, and the server keeps running', async () => {
    await client.changeConfiguration({ rules: { 'orphan-outcome': 'loud', 'untraced-requirement': 'warning' } });
    await client.waitForDiagnostics(
      workspace.uri(GUEST),
      hasCode('untraced-requirement', (diagnostic) => diagnostic.severity === WARNING),
    );
    await client.waitForDiagnostics(
      workspace.uri(STRATEGY),
      hasCode('orphan-outcome', (diagnostic) => diagnostic.severity === WARNING),
    );
    await client.waitForLog(/Ignoring invalid throughline settings from workspace\/configuration: `rules\.orphan-outcome`: must be one of/);
    assert.ok(client.alive);
  });

  test('empty settings restore the defaults', async () => {
    await client.changeConfiguration({});
    await client.waitForDiagnostics(
      workspace.uri(GUEST),
      hasCode('untraced-requirement', (diagnostic) => diagnostic.severity === ERROR),
    );
    await client.waitForDiagnostics(
      workspace.uri(STRATEGY),
      hasCode('orphan-outcome', (diagnostic) => diagnostic.severity === WARNING),
    );
  });
});

describe('settings at startup', () => {
  test('rules turned off in the settings pulled at initialization are never published', async () => {
    const workspace = await copyExample(undefined, 'settings-start');
    // Every rule that reports on the acme strategy is off, so it must never get a diagnostic.
    const off = [
      'orphan-outcome',
      'unmeasurable-key-result',
      'key-result-count',
      'objective-count',
      'output-key-result',
      'key-result-target',
      'due-outside-period',
      'innovation-mix-drift',
    ] as const;
    const client = await startClient({ folders: [workspace.root], settings: { rules: Object.fromEntries(off.map((rule) => [rule, 'off'])) } });
    try {
      await client.waitForDiagnostics(workspace.uri(GUEST), hasCode('untraced-requirement'));
      // Indexing is over (alignmentChanged came first), so the strategy has been decided: nothing to report.
      assert.deepEqual(client.diagnostics.get(workspace.uri(STRATEGY)) ?? [], []);
      assert.ok(!client.publishLog.some((entry) => entry.diagnostics.some((diagnostic) => (off as readonly unknown[]).includes(diagnostic.code))));
    } finally {
      await client.stop();
      await workspace.dispose();
    }
  });
});

describe('.throughline.yml', () => {
  let workspace: TempWorkspace;
  let client: LspClient;
  let configUri: string;

  before(async () => {
    workspace = await copyExample(undefined, 'config-file');
    configUri = workspace.uri(CONFIG);
    client = await startClient({ folders: [workspace.root], settings: {} });
    await client.waitForDiagnostics(workspace.uri(STRATEGY), hasCode('orphan-outcome'));
  });
  after(async () => {
    await client?.stop();
    await workspace?.dispose();
  });

  test('a created config file applies', async () => {
    await workspace.write(CONFIG, 'rules:\n  orphan-outcome: off\n');
    await client.watched([{ uri: configUri, type: CREATED }]);
    await client.waitForDiagnostics(workspace.uri(STRATEGY), lacksCode('orphan-outcome'));
    assert.deepEqual(client.diagnostics.get(configUri) ?? [], []);
  });

  test('an invalid value gets a diagnostic on the config file where it is written; the valid entries still apply', async () => {
    // Before: orphan-outcome off (previous test). After: only unmeasurable-key-result off, plus a typo.
    await workspace.write(CONFIG, 'rules:\n  unmeasurable-key-result: off\n  untraced-requirement: loud\n');
    await client.watched([{ uri: configUri, type: CHANGED }]);
    const diagnostics = await client.waitForDiagnostics(configUri, hasCode('config'));
    assert.equal(diagnostics.length, 1, JSON.stringify(diagnostics));
    assert.equal(diagnostics[0]!.severity, ERROR);
    assert.equal(diagnostics[0]!.range.start.line, 2, JSON.stringify(diagnostics[0]));
    assert.match(diagnostics[0]!.message, /untraced-requirement/);
    // "One typo does not switch every rule back to its default" (configFile.ts).
    await client.waitForDiagnostics(workspace.uri(STRATEGY), (found) => hasCode('orphan-outcome')(found) && lacksCode('unmeasurable-key-result')(found));
    // The rule with the typo keeps its default.
    await client.waitForDiagnostics(
      workspace.uri(GUEST),
      hasCode('untraced-requirement', (diagnostic) => diagnostic.severity === ERROR),
    );
  });

  test('an unknown rule name and an unknown key are reported', async () => {
    await workspace.write(CONFIG, 'rules:\n  no-such-rule: off\nseverity: high\n');
    await client.watched([{ uri: configUri, type: CHANGED }]);
    const diagnostics = await client.waitForDiagnostics(configUri, (found) => found.length === 2);
    assert.deepEqual(diagnostics.map((diagnostic) => diagnostic.range.start.line).sort(), [1, 2]);
  });

  test('a YAML syntax error gets a diagnostic, and the server keeps working', async () => {
    await workspace.write(CONFIG, 'rules: [orphan-outcome: off\n');
    await client.watched([{ uri: configUri, type: CHANGED }]);
    const diagnostics = await client.waitForDiagnostics(
      configUri,
      hasCode('config', (diagnostic) => /YAML/.test(diagnostic.message)),
    );
    assert.ok(diagnostics.length >= 1);
    await client.waitForDiagnostics(workspace.uri(STRATEGY), hasCode('orphan-outcome'));
  });

  test('fixing the file clears its diagnostics', async () => {
    await workspace.write(CONFIG, 'rules:\n  unmeasurable-key-result: off\n');
    await client.watched([{ uri: configUri, type: CHANGED }]);
    await client.waitForDiagnostics(configUri, (diagnostics) => diagnostics.length === 0);
    await client.waitForDiagnostics(workspace.uri(STRATEGY), lacksCode('unmeasurable-key-result'));
  });

  test('the file overrides editor settings key by key', async () => {
    await client.changeConfiguration({ rules: { 'unmeasurable-key-result': 'error', 'orphan-outcome': 'off' } });
    const diagnostics = await client.waitForDiagnostics(workspace.uri(STRATEGY), lacksCode('orphan-outcome'));
    assert.ok(!hasCode('unmeasurable-key-result')(diagnostics), 'the file keeps unmeasurable-key-result off');
    await client.changeConfiguration({});
    await client.waitForDiagnostics(workspace.uri(STRATEGY), hasCode('orphan-outcome'));
  });

  test('deleting the file with an error clears its diagnostics and restores the defaults', async () => {
    await workspace.write(CONFIG, 'rules:\n  untraced-requirement: loud\n');
    await client.watched([{ uri: configUri, type: CHANGED }]);
    await client.waitForDiagnostics(configUri, hasCode('config'));
    await workspace.remove(CONFIG);
    await client.watched([{ uri: configUri, type: DELETED }]);
    await client.waitForDiagnostics(configUri, (diagnostics) => diagnostics.length === 0);
    await client.waitForDiagnostics(workspace.uri(STRATEGY), hasCode('unmeasurable-key-result'));
  });

  test('a config file with an error that exists at startup is reported after indexing', async () => {
    const other = await copyExample(undefined, 'config-start');
    await other.write(CONFIG, 'rules:\n  orphan-outcome: sometimes\n');
    const second = await startClient({ folders: [other.root] });
    try {
      const diagnostics = await second.waitForDiagnostics(other.uri(CONFIG), hasCode('config'));
      assert.equal(diagnostics[0]!.range.start.line, 1);
    } finally {
      await second.stop();
      await other.dispose();
    }
  });
});
