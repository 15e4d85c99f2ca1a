/**
 * Bad usage and unreadable input: exit code 2, one clear line on stderr, nothing on stdout, and
 * never a stack trace.
 */
import assert from 'node:assert/strict';
import { chmod, mkdir, readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { REPO_ROOT, UNPRIVILEGED, run, tempFolder, type CliResult, type TempFolder } from './run';

function assertUsageError(result: CliResult, mentions: RegExp, what: string): void {
  assert.equal(result.code, 2, `${what}: exit code (stdout: ${result.stdout}, stderr: ${result.stderr})`);
  assert.equal(result.stdout, '', `${what}: nothing on stdout`);
  const lines = result.stderr.trimEnd().split('\n');
  assert.equal(lines.length, 1, `${what}: one line on stderr, got:\n${result.stderr}`);
  assert.match(lines[0]!, /^throughline: /, what);
  assert.match(lines[0]!, mentions, what);
  assert.doesNotMatch(result.stderr, /\n\s+at |Error:|internal error/, `${what}: no stack trace`);
}

describe('bad usage exits 2', () => {
  const cases: [string, string[], RegExp][] = [
    ['an unknown option', ['check', 'examples/acme', '--frobnicate'], /unknown option --frobnicate/],
    ['an unknown short option', ['check', 'examples/acme', '-x'], /unknown option -x/],
    ['a bad --format', ['check', 'examples/acme', '--format', 'xml'], /--format/],
    ['a bad --format=', ['check', 'examples/acme', '--format=yaml'], /--format/],
    ['a bad --format for tree', ['tree', 'examples/acme', '--format', 'html'], /--format/],
    ['--format without a value', ['check', 'examples/acme', '--format'], /--format needs a value/],
    ['--config without a value', ['check', 'examples/acme', '--config'], /--config needs a value/],
    ['an empty --config=', ['check', 'examples/acme', '--config='], /--config/],
    ['two folders', ['check', 'examples/acme', 'examples'], /one folder/],
    ['two folders for tree', ['tree', 'examples/acme', 'examples'], /one folder/],
    ['an unknown command', ['frobnicate'], /unknown command/],
  ];
  for (const [what, args, mentions] of cases) {
    test(what, async () => assertUsageError(await run(args), mentions, what));
  }
});

describe('missing or unreadable input exits 2', () => {
  let folder: TempFolder;

  before(async () => {
    folder = await tempFolder(undefined, 'cli-unreadable');
    await folder.write('plain-file.md', '# not a folder\n');
    await mkdir(folder.path('locked'));
    await folder.write('locked-config.yml', 'rules: {}\n');
    // The permission tests may run as `nobody`: let it reach the temp folder (mkdtemp makes it 0700).
    await chmod(path.dirname(folder.root), 0o755);
    await chmod(folder.root, 0o755);
  });
  after(async () => {
    await chmod(folder.path('locked'), 0o755).catch(() => undefined);
    await folder?.dispose();
  });

  test('a missing folder', async () => {
    assertUsageError(await run(['check', 'no/such/folder']), /no\/such\/folder.*does not exist/, 'check');
    assertUsageError(await run(['tree', 'no/such/folder']), /does not exist/, 'tree');
  });

  test('a file instead of a folder', async () => {
    assertUsageError(await run(['check', folder.path('plain-file.md')]), /not a folder/, 'check');
  });

  test('a missing --config file', async () => {
    assertUsageError(await run(['check', 'examples/acme', '--config', 'no-such-config.yml']), /no-such-config\.yml/, 'check');
  });

  test('a folder given as --config', async () => {
    assertUsageError(await run(['check', 'examples/acme', '--config', 'examples']), /config file examples/, 'check');
  });

  test('an unreadable folder', async () => {
    await chmod(folder.path('locked'), 0o000);
    assertUsageError(await run(['check', folder.path('locked')], UNPRIVILEGED), /cannot read folder/, 'check');
  });

  test('an unreadable --config file', async () => {
    await chmod(folder.path('locked-config.yml'), 0o000);
    assertUsageError(await run(['check', 'examples/acme', '--config', folder.path('locked-config.yml')], UNPRIVILEGED), /cannot read config file/, 'check');
  });
});

describe('help and version', () => {
  test('--help prints the usage on stdout and exits 0', async () => {
    const result = await run(['--help']);
    assert.equal(result.code, 0);
    assert.match(result.stdout, /^Usage:/);
    assert.match(result.stdout, /throughline check \[folder\] \[--format text\|json\] \[--config file\]/);
    assert.equal(result.stderr, '');
  });

  test("<command> --help and -h print that command's usage on stdout and exit 0, whatever else the line holds", async () => {
    const cases: [string[], RegExp][] = [
      [['check', '--help'], /^ {2}throughline check \[folder\] .*\n(?: {6}.*\n)*?.*--changed-since REF/m],
      [['check', 'examples/acme', '--format', 'json', '-h'], /^ {2}throughline check \[folder\]/m],
      [['history', '--help'], /^ {2}throughline history KR-ID \[folder\]/m],
      [['history', 'KR-1.1', '-h'], /^ {2}throughline history KR-ID \[folder\]/m],
      [['diff', '--help'], /^ {2}throughline diff REF \[folder\]/m],
      [['tree', '--help'], /^ {2}throughline tree \[folder\]/m],
      [['report', '--help'], /^ {2}throughline report \[folder\].*\n.*--strategy STR-ID/m],
      [['rules', '--help'], /^ {2}throughline rules /m],
      [['lsp', '--help'], /^ {2}throughline lsp --stdio /m],
      [['help', 'history'], /^ {2}throughline history KR-ID \[folder\]/m],
    ];
    for (const [args, usage] of cases) {
      const result = await run(args);
      const what = args.join(' ');
      assert.equal(result.code, 0, `${what}: exit code (stderr: ${result.stderr})`);
      assert.equal(result.stderr, '', what);
      assert.match(result.stdout, /^Usage:\n/, what);
      assert.match(result.stdout, usage, what);
      assert.match(result.stdout, /\nExit codes: 0 no errors, 1 errors found, 2 bad usage or unreadable input\.\n$/, what);
      // Only that command's lines.
      assert.equal(result.stdout.match(/^ {2}throughline /gm)?.length, 1, `${what}: one command\n${result.stdout}`);
    }
  });

  test('--help after an unknown command is still an unknown command (the near miss)', async () => {
    assertUsageError(await run(['frobnicate', '--help']), /unknown command "frobnicate"/, 'frobnicate --help');
    assertUsageError(await run(['toString', '-h']), /unknown command "toString"/, 'toString -h');
  });

  test('--version prints the version', async () => {
    const result = await run(['--version']);
    assert.equal(result.code, 0);
    const { version } = JSON.parse(await readFile(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string };
    assert.equal(result.stdout, `${version}\n`, 'the version of package.json');
  });

  test('no arguments at all exits 2 with the usage', async () => {
    const result = await run([]);
    assert.equal(result.code, 2);
    assert.match(result.stdout + result.stderr, /Usage:/);
  });
});
