/**
 * `--config file` replaces `.throughline.yml`; problems in the config file are reported like any
 * other diagnostic.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ACME, run, tempFolder, type TempFolder } from './run';

interface Report {
  summary: Record<string, number>;
  diagnostics: { file: string; line: number; column: number; rule: string; severity: string; message: string }[];
}

describe('--config', () => {
  let folder: TempFolder;

  before(async () => {
    folder = await tempFolder(undefined, 'cli-config');
  });
  after(async () => {
    await folder?.dispose();
  });

  const check = async (config: string, extra: string[] = []) => {
    const file = await folder.write(`config-${Math.random().toString(36).slice(2)}.yml`, config);
    const result = await run(['check', 'examples/acme', '--format', 'json', '--config', file, ...extra]);
    assert.equal(result.stderr, '');
    return { code: result.code, report: JSON.parse(result.stdout) as Report, file };
  };

  test('exclude globs are honoured: without the PRDs every live outcome is an orphan', async () => {
    const { code, report } = await check('exclude:\n  - "prds/**"\n');
    assert.equal(code, 1, 'the strategy still has its key-result-target error');
    assert.deepEqual(
      report.diagnostics.filter((diagnostic) => diagnostic.severity === 'error').map((diagnostic) => diagnostic.rule),
      ['key-result-target'],
    );
    assert.equal(report.summary.documents, 2);
    assert.equal(report.summary.requirements, 0);
    assert.ok(report.diagnostics.every((diagnostic) => !diagnostic.file.startsWith('prds/')));
    // Every outcome but the deprecated OUT-6, which needs no requirement.
    assert.equal(report.diagnostics.filter((diagnostic) => diagnostic.rule === 'orphan-outcome').length, 6);
  });

  test('rules set to off are honoured', async () => {
    const { code, report } = await check(
      'rules:\n  orphan-outcome: off\n  unmeasurable-key-result: off\n  deprecated-target: off\n  key-result-count: off\n  due-outside-period: off\n  stale-document: off\n',
    );
    assert.deepEqual(
      report.diagnostics.filter((diagnostic) => diagnostic.rule === 'config'),
      [],
      'the config file is valid',
    );
    assert.equal(report.summary.warnings, 0, JSON.stringify(report.diagnostics.map((diagnostic) => diagnostic.rule)));
    assert.ok(!report.diagnostics.some((diagnostic) => diagnostic.rule === 'stale-document'), 'an info rule switched off is gone too');
    assert.equal(report.summary.errors, 4);
    assert.equal(code, 1);
  });

  test('severities are honoured: errors turned into warnings let the check pass', async () => {
    const { code, report } = await check(
      'rules:\n  untraced-requirement: warning\n  unknown-reference: warning\n  wrong-link-kind: warning\n  key-result-target: warning\n',
    );
    assert.deepEqual(
      report.diagnostics.filter((diagnostic) => diagnostic.rule === 'config'),
      [],
    );
    assert.equal(report.summary.errors, 0);
    // The example's 8 warnings (without its own .throughline.yml, objective-count stays quiet) plus the 4 former errors.
    assert.equal(report.summary.warnings, 12);
    assert.equal(code, 0);
  });

  test('a YAML error in the config file is reported on that file and fails the check', async () => {
    const { code, report, file } = await check('rules: [orphan-outcome: off\n');
    const problems = report.diagnostics.filter((diagnostic) => diagnostic.rule === 'config');
    assert.ok(problems.length >= 1);
    assert.equal(problems[0]!.severity, 'error');
    assert.ok(file.endsWith(problems[0]!.file.split('/').pop()!), `${problems[0]!.file} names ${file}`);
    assert.equal(code, 1);
  });

  test("--config replaces the folder's own .throughline.yml", async () => {
    const workspace = await tempFolder(ACME, 'cli-config-own');
    try {
      await workspace.write('.throughline.yml', 'exclude:\n  - "prds/**"\n');
      const own = JSON.parse((await run(['check', workspace.root, '--format', 'json'])).stdout) as Report;
      assert.equal(own.summary.documents, 2, "the folder's .throughline.yml applies by default");
      const other = await folder.write('empty-config.yml', 'include:\n  - "**/*.md"\n');
      const replaced = JSON.parse((await run(['check', workspace.root, '--format', 'json', '--config', other])).stdout) as Report;
      assert.equal(replaced.summary.documents, 6, '--config wins over .throughline.yml');
    } finally {
      await workspace.dispose();
    }
  });

  test('a relative --config path is resolved from the current folder', async () => {
    await folder.write('relative.yml', 'exclude:\n  - "prds/**"\n');
    const result = await run(['check', ACME, '--format', 'json', '--config', 'relative.yml'], { cwd: folder.root });
    assert.equal((JSON.parse(result.stdout) as Report).summary.documents, 2);
  });
});
