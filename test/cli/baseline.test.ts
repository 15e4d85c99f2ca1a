/**
 * `throughline check --write-baseline FILE` and `--baseline FILE`: recording today's problems,
 * then failing only on new ones, in every format. Expected problems come from `--format json` of
 * the same workspace, so new rules or example content do not break these tests.
 */
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import type { CliDiagnostic } from '../../server/src/cli/common';
import { ACME, DIAGNOSTIC_LINE, run, tempFolder, type CliResult, type TempFolder } from './run';

interface JsonReport {
  summary: Record<string, number>;
  diagnostics: CliDiagnostic[];
}

interface BaselineJson {
  version: number;
  problems: { rule: string; file: string; message: string; fingerprint: string }[];
}

async function jsonReport(args: string[]): Promise<{ result: CliResult; report: JsonReport }> {
  const result = await run([...args, '--format', 'json']);
  assert.ok(result.code === 0 || result.code === 1, result.stderr);
  return { result, report: JSON.parse(result.stdout) as JsonReport };
}

function assertUsageError(result: CliResult, mentions: RegExp, what: string): void {
  assert.equal(result.code, 2, `${what}: exit code (stdout: ${result.stdout}, stderr: ${result.stderr})`);
  assert.equal(result.stdout, '', `${what}: nothing on stdout`);
  const lines = result.stderr.trimEnd().split('\n');
  assert.equal(lines.length, 1, `${what}: one line on stderr, got:\n${result.stderr}`);
  assert.match(lines[0]!, /^throughline: /, what);
  assert.match(lines[0]!, mentions, what);
  assert.doesNotMatch(result.stderr, /\n\s+at |internal error/, `${what}: no stack trace`);
}

const PRD = (id: string, body: string[]) => ['---', 'type: prd', `id: ${id}`, 'title: Scratch', '---', `# ${id}: Scratch`, '', ...body, ''].join('\n');

describe('baseline round trip on examples/acme', () => {
  let scratch: TempFolder;
  let baselineFile: string;
  let original: JsonReport;
  let written: CliResult;

  before(async () => {
    scratch = await tempFolder(undefined, 'cli-baseline');
    baselineFile = scratch.path('baseline.json');
    original = (await jsonReport(['check', 'examples/acme'])).report;
    written = await run(['check', 'examples/acme', '--write-baseline', baselineFile]);
  });
  after(async () => {
    await scratch?.dispose();
  });

  test('--write-baseline exits 0 and says how many problems it recorded', () => {
    assert.ok(original.diagnostics.length > 0 && original.summary.errors! > 0, 'examples/acme has errors to record');
    assert.equal(written.code, 0, written.stderr);
    assert.equal(written.stderr, `throughline: wrote ${original.diagnostics.length} problems to the baseline ${baselineFile}\n`);
    // The report itself is printed as without the option.
    assert.match(written.stdout, /^\d+ errors?, \d+ warnings? in \d+ documents? · /m);
  });

  test('the baseline file lists every problem by rule, file, message and a fingerprint, sorted', async () => {
    const baseline = JSON.parse(await readFile(baselineFile, 'utf8')) as BaselineJson;
    assert.deepEqual(Object.keys(baseline), ['version', 'problems']);
    assert.equal(baseline.version, 1);
    const key = (entry: { file: string; rule: string; message: string }) => JSON.stringify([entry.file, entry.rule, entry.message]);
    assert.deepEqual(baseline.problems.map(key), original.diagnostics.map(key).sort());
    for (const entry of baseline.problems) {
      assert.deepEqual(Object.keys(entry), ['rule', 'file', 'message', 'fingerprint']);
      assert.match(entry.fingerprint, /^[0-9a-f]{32}$/);
    }
    // Recording again gives the same bytes: the file can live in git without churn.
    const again = scratch.path('again.json');
    await run(['check', 'examples/acme', '--write-baseline', again]);
    assert.equal(await readFile(again, 'utf8'), await readFile(baselineFile, 'utf8'));
  });

  test('--baseline: exit 0, no problem shown, the summary says how many were baselined', async () => {
    const result = await run(['check', 'examples/acme', '--baseline', baselineFile]);
    assert.equal(result.code, 0, result.stdout + result.stderr);
    assert.equal(result.stderr, '');
    // The README that is not checked is named before the summary (issue 10, item 10).
    const lines = result.stdout.trimEnd().split('\n').slice(2);
    assert.equal(lines.length, 1, result.stdout);
    assert.ok(!DIAGNOSTIC_LINE.test(lines[0]!));
    assert.match(lines[0]!, new RegExp(`^0 errors, 0 warnings in \\d+ documents · ${original.diagnostics.length} baselined problems not shown · `));
  });

  test('--baseline in every other format shows no problem either', async () => {
    const { result: json, report } = await jsonReport(['check', 'examples/acme', '--baseline', baselineFile]);
    assert.equal(json.code, 0);
    assert.deepEqual(report.diagnostics, []);
    assert.equal(report.summary.errors, 0);
    assert.equal(report.summary.baselined, original.diagnostics.length);
    assert.equal(report.summary.baselineFixed, 0);

    const sarif = await run(['check', 'examples/acme', '--format', 'sarif', '--baseline', baselineFile]);
    assert.equal(sarif.code, 0);
    assert.deepEqual((JSON.parse(sarif.stdout) as { runs: { results: unknown[] }[] }).runs[0]!.results, []);

    const junit = await run(['check', 'examples/acme', '--format', 'junit', '--baseline', baselineFile]);
    assert.equal(junit.code, 0);
    assert.match(junit.stdout, /<testsuites name="Throughline" tests="[1-9]\d*" failures="0"/);
    assert.doesNotMatch(junit.stdout, /<failure/);

    const github = await run(['check', 'examples/acme', '--format', 'github', '--baseline', baselineFile]);
    assert.equal(github.code, 0);
    assert.doesNotMatch(github.stdout, /^::/m);
  });

  test('an edit above known problems plus one new error: exit 1 and only the new problems show', async () => {
    const edited = await tempFolder(ACME, 'cli-baseline-edited');
    try {
      const file = 'prds/smart-reminders.md';
      const text = await readFile(edited.path(file), 'utf8');
      const end = text.indexOf('\n---\n') + 5;
      // Lines above the known problems move them; the new requirement at the end traces nowhere.
      const changed = `${text.slice(0, end)}\nA paragraph added at the top.\n\nAnd another one.\n${text.slice(end).trimEnd()}\n\n### REQ-2.9: Brand-new requirement\nTraces: OUT-404\n`;
      await writeFile(edited.path(file), changed);
      const newLine = changed.split('\n').indexOf('### REQ-2.9: Brand-new requirement') + 1;

      const { report: everything } = await jsonReport(['check', edited.root]);
      const expected = everything.diagnostics.filter((diagnostic) => diagnostic.file === file && diagnostic.line >= newLine);
      assert.ok(
        expected.some((diagnostic) => diagnostic.severity === 'error' && diagnostic.message.includes('OUT-404')),
        JSON.stringify(expected),
      );

      const { result, report } = await jsonReport(['check', edited.root, '--baseline', baselineFile]);
      assert.equal(result.code, 1);
      assert.deepEqual(report.diagnostics, expected);
      assert.equal(report.summary.baselined, everything.diagnostics.length - expected.length);
      assert.equal(report.summary.baselined, original.diagnostics.length, 'every known problem is still matched after moving');

      const textResult = await run(['check', edited.root, '--baseline', baselineFile]);
      assert.equal(textResult.code, 1);
      assert.deepEqual(
        textResult.stdout.split('\n').filter((line) => DIAGNOSTIC_LINE.test(line)),
        expected.map(
          (diagnostic) => `${diagnostic.file}:${diagnostic.line}:${diagnostic.column}  ${diagnostic.severity}  ${diagnostic.message}  [${diagnostic.rule}]`,
        ),
      );

      const sarif = JSON.parse((await run(['check', edited.root, '--format', 'sarif', '--baseline', baselineFile])).stdout) as {
        runs: { results: { message: { text: string }; baselineState: string }[] }[];
      };
      assert.deepEqual(
        sarif.runs[0]!.results.map((result) => [result.message.text, result.baselineState]),
        expected.map((diagnostic) => [diagnostic.message, 'new']),
      );
    } finally {
      await edited.dispose();
    }
  });
});

describe('baseline matching', () => {
  let folder: TempFolder;

  before(async () => {
    folder = await tempFolder(undefined, 'cli-baseline-multiset');
  });
  after(async () => {
    await folder?.dispose();
  });

  const requirements = (count: number) =>
    Array.from({ length: count }, (_, index) => [`### REQ-7.${index + 1}: Thing ${index + 1}`, 'Traces: OUT-404', '']).flat();

  test('identical problems are counted: two in the baseline and three now leave one new', async () => {
    await folder.write('ws/prd.md', PRD('PRD-7', requirements(2)));
    const baselineFile = folder.path('two.json');
    assert.equal((await run(['check', folder.path('ws'), '--write-baseline', baselineFile])).code, 0);
    const baseline = JSON.parse(await readFile(baselineFile, 'utf8')) as BaselineJson;
    const unknown = baseline.problems.filter((entry) => entry.message.includes('OUT-404'));
    assert.equal(unknown.length, 2);
    assert.equal(unknown[0]!.fingerprint, unknown[1]!.fingerprint, 'the same problem twice has one fingerprint');

    await folder.write('ws/prd.md', PRD('PRD-7', requirements(3)));
    const { result, report } = await jsonReport(['check', folder.path('ws'), '--baseline', baselineFile]);
    assert.equal(result.code, 1);
    assert.deepEqual(
      report.diagnostics.map((diagnostic) => diagnostic.message),
      ['OUT-404 is not defined anywhere in the workspace.'],
    );

    // One fewer than the baseline: nothing new, and the text summary says one was fixed.
    await folder.write('ws/prd.md', PRD('PRD-7', requirements(1)));
    const fewer = await run(['check', folder.path('ws'), '--baseline', baselineFile]);
    assert.equal(fewer.code, 0, fewer.stdout);
    assert.match(fewer.stdout, /^0 errors, 0 warnings in 1 document · \d+ baselined problems? not shown, 1 fixed · /);
  });

  test('new warnings alone do not fail the check', async () => {
    await folder.write(
      'warn/strategy.md',
      [
        '---',
        'type: strategy',
        'id: STR-1',
        'title: S',
        '---',
        '# STR-1: S',
        '',
        '## OBJ-1: An objective',
        '',
        '### OUT-1: An outcome',
        'Supports: OBJ-1',
        '',
      ].join('\n'),
    );
    const baselineFile = folder.path('empty.json');
    await writeFile(baselineFile, '{"version": 1, "problems": []}\n');
    const { result, report } = await jsonReport(['check', folder.path('warn'), '--baseline', baselineFile]);
    assert.ok(report.diagnostics.length > 0, 'the workspace has problems');
    assert.equal(report.summary.errors, 0, JSON.stringify(report.diagnostics));
    assert.equal(result.code, 0);
  });

  test('--write-baseline records every problem even when --baseline hides some, and always exits 0', async () => {
    await folder.write('both/prd.md', PRD('PRD-8', ['### REQ-8.1: Thing', 'Traces: OUT-404', '', '### REQ-8.2: Other', 'Traces: OUT-405', '']));
    const { report } = await jsonReport(['check', folder.path('both')]);
    const partial = folder.path('partial.json');
    const entry = report.diagnostics.find((diagnostic) => diagnostic.message.includes('OUT-404'))!;
    // A baseline written by hand with only one of the problems.
    const full = folder.path('full-first.json');
    await run(['check', folder.path('both'), '--write-baseline', full]);
    const written = JSON.parse(await readFile(full, 'utf8')) as BaselineJson;
    await writeFile(partial, JSON.stringify({ version: 1, problems: written.problems.filter((problem) => problem.message === entry.message) }));

    const rewritten = folder.path('rewritten.json');
    const result = await run(['check', folder.path('both'), '--format', 'sarif', '--baseline', partial, '--write-baseline', rewritten]);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stderr, `throughline: wrote ${report.diagnostics.length} problems to the baseline ${rewritten}\n`);
    const sarif = JSON.parse(result.stdout) as { runs: { results: { message: { text: string } }[] }[] };
    assert.ok(!sarif.runs[0]!.results.some((result) => result.message.text === entry.message), 'the baselined problem is hidden from the output');
    assert.equal((JSON.parse(await readFile(rewritten, 'utf8')) as BaselineJson).problems.length, report.diagnostics.length);
  });
});

describe('a bad baseline exits 2 with one line', () => {
  let folder: TempFolder;

  before(async () => {
    folder = await tempFolder(undefined, 'cli-baseline-bad');
  });
  after(async () => {
    await folder?.dispose();
  });

  const cases: [string, string, RegExp][] = [
    ['not JSON', '{"version": 1, "problems": [', /not a Throughline baseline: invalid JSON/],
    ['another version', '{"version": 2, "problems": []}', /expected "version": 1, found 2/],
    ['no version', '{"problems": []}', /expected "version": 1, found none/],
    ['an array', '[]', /expected a JSON object/],
    ['no problems array', '{"version": 1, "problems": {}}', /"problems" array/],
    [
      'an entry without a fingerprint',
      '{"version": 1, "problems": [{"rule": "cycle", "file": "a.md", "message": "m"}]}',
      /problems\[0\]\.fingerprint must be a non-empty string/,
    ],
    ['an entry that is not an object', '{"version": 1, "problems": ["x"]}', /problems\[0\] is not an object/],
  ];
  for (const [what, content, mentions] of cases) {
    test(what, async () => {
      const file = await folder.write(`${what.replace(/\W+/g, '-')}.json`, content);
      for (const format of ['text', 'sarif'])
        assertUsageError(await run(['check', 'examples/acme', '--format', format, '--baseline', file]), mentions, `${what} (${format})`);
    });
  }

  test('a missing baseline file', async () => {
    assertUsageError(
      await run(['check', 'examples/acme', '--baseline', folder.path('missing.json')]),
      /baseline file .*missing\.json does not exist/,
      'missing',
    );
  });

  test('a baseline that cannot be written: exit 2, nothing on stdout', async () => {
    assertUsageError(
      await run(['check', 'examples/acme', '--write-baseline', folder.path('no/such/folder/b.json')]),
      /cannot write baseline file .*b\.json: ENOENT/,
      'unwritable',
    );
  });
});
