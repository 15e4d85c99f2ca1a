/**
 * The real CLI (`bin/throughline.js`, run `npm run build` first) on hostile inputs generated in
 * temp folders (issue 8): forged workflow commands and terminal escapes in titles, file names and
 * config keys; a flood of problems in every format; FIFOs named by --config and --baseline; a
 * baseline built to be slow or to hide a problem; `lsp` without a transport; YAML bombs.
 * Time limits are generous on purpose: a hang is the failure, not a slow machine.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import { capProblems } from '../../server/src/cli/commands/check';
import { junitLines } from '../../server/src/cli/ciFormats';
import type { CliDiagnostic } from '../../server/src/cli/common';
import { displayLine, guardJson, guardMarkup, MAX_PRINTED_PROBLEMS, MAX_TEXT_LINE_LENGTH } from '../../server/src/cli/output';
import { RULES } from '../../server/src/service/rules/ruleCatalog';
import { assertProperty } from '../helpers/property';
import { BIN, run, tempFolder, type CliResult, type TempFolder } from '../cli/run';

const LONG = 120_000;

/** Lines as the Actions runner reads them: .NET's ReadLine ends a line at LF, CR or CR LF. */
function runnerLines(text: string): string[] {
  return text.split(/\r\n|\r|\n/);
}

/** One of Throughline's own annotations, every property value escaped (no raw `:` or `,`, CR or LF). */
const OWN_COMMAND = /^::(?:error|warning|notice) file=[^,:\r\n]*,line=\d+(?:,col=\d+)?,endLine=\d+(?:,endColumn=\d+)?,title=Throughline%3A [a-z-]+::[^\r\n]*$/;

/**
 * Every line of stdout and stderr is one of Throughline's own workflow commands (allowed only when
 * `commands` is set) or text the runner cannot read as one: it does not start with `::` after
 * white space, and holds no legacy `##[` command anywhere.
 */
function assertNoForgedCommand(result: CliResult, what: string, { commands = false } = {}): number {
  let own = 0;
  for (const [stream, text] of [
    ['stdout', result.stdout],
    ['stderr', result.stderr],
  ] as const) {
    for (const line of runnerLines(text)) {
      if (/^\s*::/.test(line)) {
        assert.ok(
          commands && stream === 'stdout' && OWN_COMMAND.test(line),
          `${what} ${stream}: a forged workflow command ${JSON.stringify(line.slice(0, 300))}`,
        );
        // The runner parses this line as our command (TryParseV2), so it never looks for `##[` in its message.
        own++;
        continue;
      }
      assert.ok(!line.includes('##['), `${what} ${stream}: a legacy command in ${JSON.stringify(line.slice(0, 200))}`);
    }
  }
  return own;
}

/** No control character reaches the terminal: no C0 but LF, no DEL, no C1, no bidi override. */
function assertNoControls(text: string, what: string): void {
  const found = /[\u0000-\u0009\u000B-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/.exec(text);
  assert.equal(
    found,
    null,
    `${what}: a control character U+${found?.[0].charCodeAt(0).toString(16).padStart(4, '0')} at ${found?.index}: ${JSON.stringify(text.slice(Math.max(0, (found?.index ?? 0) - 60), (found?.index ?? 0) + 20))}`,
  );
}

function assertOneLineError(result: CliResult, mentions: RegExp, what: string): void {
  assert.equal(result.code, 2, `${what}: exit code (stdout: ${result.stdout.slice(0, 500)}, stderr: ${result.stderr.slice(0, 500)})`);
  const lines = result.stderr.trimEnd().split('\n');
  assert.equal(lines.length, 1, `${what}: one line on stderr, got:\n${result.stderr.slice(0, 2000)}`);
  assert.match(lines[0]!, /^throughline: /, what);
  assert.match(lines[0]!, mentions, what);
  assert.doesNotMatch(result.stderr, /\n\s+at |internal error/, `${what}: no stack trace`);
}

function git(cwd: string, args: string[]): void {
  execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.test', '-c', 'commit.gpgsign=false', ...args], { cwd, stdio: 'ignore' });
}

const PRD = (id: string, title: string, reference: string) =>
  ['---', 'type: prd', `id: ${id}`, `title: ${JSON.stringify(title)}`, `outcomes: [${reference}]`, '---', `# ${id}: t`, ''].join('\n');

// ---- item 10: no forged workflow command, no terminal escape -----------------------------------------

describe('repository text cannot forge a workflow command or a terminal escape', () => {
  let folder: TempFolder;
  const FORGED_TITLE = 'x\n::error file=a::forged \u001b[31mRED\r::warning::cr ##[stop-commands]tok \u009b2J \u202Egnp.md';

  before(async () => {
    folder = await tempFolder(undefined, 'hostile-inject');
    git(folder.root, ['init', '-q']);
    git(folder.root, ['commit', '-q', '--allow-empty', '-m', 'empty']);
    await folder.write('prd.md', `${PRD('PRD-1', FORGED_TITLE, 'OUT-9')}\n### REQ-1.1: Pay \u001b]0;title\u0007 now ##[error]x\nTraces: OUT-9\n`);
    // A Linux file name may hold `:`, line breaks and escapes.
    await writeFile(folder.path('a\n::stop-commands::tok.md'), 'x\u0000y');
    await folder.write('::error::forged.md', PRD('PRD-2', 'plain', 'OUT-8'));
    await folder.write('b\n::error::x.md', PRD('PRD-3', 'plain', 'OUT-7'));
    await folder.write('c\u001b[2J\r::notice::d.md', PRD('PRD-4', 'plain', 'OUT-6'));
    await folder.write('.throughline.yml', '"\\e[31mevil\\r\\n::error::x": 1\nrules:\n  "::stop-commands::y": "off"\n  "##[stop-commands]z": "off"\n');
  });
  after(() => folder?.dispose());

  test('check: text, json, sarif and junit print no command, text no control character', async () => {
    for (const format of ['text', 'json', 'sarif', 'junit']) {
      const result = await run(['check', folder.root, '--format', format], { timeoutMs: 120_000 });
      assert.equal(result.code, 1, `${format}: ${result.stderr}`);
      assertNoForgedCommand(result, `check --format ${format}`);
      assertNoControls(result.stderr, `check --format ${format} stderr`);
      if (format === 'text') assertNoControls(result.stdout, 'check text');
    }
  });

  test('check --format github: only Throughline’s own escaped commands, one per problem', async () => {
    const json = JSON.parse((await run(['check', folder.root, '--format', 'json'])).stdout) as { diagnostics: CliDiagnostic[] };
    const result = await run(['check', folder.root, '--format', 'github'], { cwd: folder.root, env: { ...process.env, GITHUB_WORKSPACE: folder.root } });
    const own = assertNoForgedCommand(result, 'check --format github', { commands: true });
    assert.equal(own, json.diagnostics.length, 'one annotation per problem and no other command');
    // The skipped file is named on stderr with its line break escaped: it cannot stop the commands.
    assert.match(result.stderr, /Skipped a\\n::stop-commands::tok\.md/);
    // The JSON values are exactly the repository's text: the guard changes no parsed value.
    assert.ok(json.diagnostics.some((diagnostic) => diagnostic.file === '::error::forged.md'));
    assert.ok(json.diagnostics.some((diagnostic) => diagnostic.file === 'b\n::error::x.md'));
    assert.ok(json.diagnostics.some((diagnostic) => diagnostic.message.includes('##[stop-commands]z')));
  });

  test('tree: titles are shown with their controls escaped', async () => {
    const result = await run(['tree', folder.root]);
    assert.equal(result.code, 0, result.stderr);
    assertNoForgedCommand(result, 'tree');
    assertNoControls(result.stdout + result.stderr, 'tree');
    assert.ok(
      result.stdout.includes('PRD-1: x\\n::error file=a::forged \\x1B[31mRED\\r::warning::cr ##\\x5Bstop-commands]tok \\x9B2J \\u202Egnp.md'),
      result.stdout,
    );
    const json = await run(['tree', folder.root, '--format', 'json']);
    assertNoForgedCommand(json, 'tree --format json');
    assert.ok(json.stdout.includes(JSON.stringify(FORGED_TITLE).slice(1, 20)), 'JSON keeps the title, escaped as JSON');
    const titles: string[] = [];
    const walk = (node: { title: string; children: unknown[] }) => {
      titles.push(node.title);
      node.children.forEach((child) => walk(child as typeof node));
    };
    (JSON.parse(json.stdout) as { roots: { title: string; children: unknown[] }[] }).roots.forEach(walk);
    assert.ok(titles.includes(FORGED_TITLE), 'the parsed JSON holds the title exactly');
  });

  test('diff: text, md and json', async () => {
    for (const format of ['text', 'md', 'json']) {
      const result = await run(['diff', 'HEAD', folder.root, '--format', format]);
      assert.equal(result.code, 0, `${format}: ${result.stderr}`);
      assertNoForgedCommand(result, `diff --format ${format}`);
      assertNoControls(result.stderr, `diff --format ${format} stderr`);
      if (format === 'text') {
        assertNoControls(result.stdout, 'diff text');
        assert.ok(result.stdout.includes('x\\n::error file=a::forged \\x1B[31mRED'), result.stdout);
      }
    }
  });

  test('report --format md and html to stdout', async () => {
    for (const format of ['md', 'html']) {
      const result = await run(['report', folder.root, '--format', format]);
      assert.equal(result.code, 0, result.stderr);
      assertNoForgedCommand(result, `report --format ${format}`);
    }
  });

  test('config key names are printed escaped', async () => {
    const result = await run(['check', folder.root]);
    const config = result.stdout.split('\n').filter((line) => line.startsWith('.throughline.yml:'));
    assert.ok(config.length >= 2, result.stdout);
    assertNoControls(result.stdout, 'config problems');
    assert.ok(config.some((line) => /evil/.test(line)));
  });
});

// ---- item 2: output stays bounded ------------------------------------------------------------------

interface Measured extends CliResult {
  readonly maxRssKb?: number;
}

const TIME = '/usr/bin/time';
/** Runs the CLI under /usr/bin/time when there is one, to read its peak resident size. */
async function measured(args: string[]): Promise<Measured> {
  if (!existsSync(TIME)) return run(args, { timeoutMs: 300_000 });
  const result = await run(args, { command: [TIME, '-f', 'maxrss=%M', process.execPath, BIN], timeoutMs: 300_000 });
  const match = /maxrss=(\d+)\s*$/.exec(result.stderr);
  return { ...result, stderr: result.stderr.replace(/maxrss=\d+\s*$/, ''), maxRssKb: match ? Number(match[1]) : undefined };
}

describe('a flood of problems: every format stays bounded', () => {
  let folder: TempFolder;
  const REFERENCES = 50_000;

  before(async () => {
    folder = await tempFolder(undefined, 'hostile-flood');
    // The service's own per-file cap raised to its maximum, so the CLI's caps are what bounds the output.
    await folder.write('.throughline.yml', 'maxProblemsPerFile: 100000\n');
    const lines = ['---', 'type: prd', 'id: PRD-1', 'title: t', 'outcomes: [OUT-1]', '---', '# PRD-1: t', ''];
    for (let i = 1; i <= REFERENCES; i++) lines.push(`### REQ-1.${i}: r`, `Traces: OUT-${i + 100}`, '');
    await folder.write('prd.md', lines.join('\n'));
    // And many files, each with more problems than the per-file cap of the service.
    for (let file = 0; file < 12; file++) {
      const body = ['---', 'type: prd', `id: PRD-${file + 10}`, 'title: t', '---', `# PRD-${file + 10}: t`, ''];
      for (let i = 1; i <= 1_200; i++) body.push(`### REQ-${file + 10}.${i}: r`, `Traces: OUT-${i + 100}`, '');
      await folder.write(`many/prd-${file}.md`, body.join('\n'));
    }
  });
  after(() => folder?.dispose());

  const MAX_BYTES = 12 * 1024 * 1024;
  const MAX_RSS_KB = 1_500_000;

  for (const format of ['text', 'json', 'sarif', 'junit', 'github']) {
    test(`check --format ${format}`, async () => {
      const result = await measured(['check', folder.root, '--format', format]);
      assert.equal(result.code, 1, result.stderr.slice(0, 2000));
      assert.ok(result.stdout.length < MAX_BYTES, `${format}: ${result.stdout.length} characters on stdout`);
      if (result.maxRssKb !== undefined) assert.ok(result.maxRssKb < MAX_RSS_KB, `${format}: peak resident size ${result.maxRssKb} KB`);
      assertNoForgedCommand(result, format, { commands: format === 'github' });
      switch (format) {
        case 'text':
        case 'github': {
          const lines = result.stdout.trimEnd().split('\n');
          assert.ok(lines.length <= MAX_PRINTED_PROBLEMS + 3, `${lines.length} lines`);
          assert.ok(
            lines.some((line) => /^… and [\d,]+ more problems not shown/.test(line)),
            'says how many were left out',
          );
          break;
        }
        case 'json': {
          const report = JSON.parse(result.stdout) as { summary: { errors: number }; diagnostics: unknown[]; omitted: number };
          assert.equal(report.diagnostics.length, MAX_PRINTED_PROBLEMS);
          assert.ok(report.summary.errors > MAX_PRINTED_PROBLEMS, 'the counts cover every problem');
          assert.equal(report.omitted, report.summary.errors - MAX_PRINTED_PROBLEMS);
          break;
        }
        case 'sarif': {
          const log = JSON.parse(result.stdout) as { runs: { results: unknown[]; properties?: Record<string, number> }[] };
          assert.equal(log.runs[0]!.results.length, MAX_PRINTED_PROBLEMS);
          assert.ok(log.runs[0]!.properties!['throughline/omittedResults']! > 0);
          break;
        }
        case 'junit':
          assert.match(result.stdout, /… and \d+ more not shown \(output capped\)/);
          assert.match(result.stdout, /<\/testsuites>\n$/);
          break;
      }
    });
  }

  test('capProblems: at most the cap per file and in all, in line order', () => {
    const diagnostics: CliDiagnostic[] = [];
    for (const file of ['a.md', 'b.md', 'c.md'])
      for (let line = 1; line <= 50; line++)
        diagnostics.push({ file, line, column: 1, endLine: line, endColumn: 2, severity: 'error', rule: 'cycle', message: 'm' });
    const { printed, omitted } = capProblems(diagnostics, 10, 25);
    assert.equal(printed.length, 25);
    assert.equal(omitted, 125);
    assert.deepEqual(printed.map((problem) => `${problem.file}:${problem.line}`).slice(9, 12), ['a.md:10', 'b.md:1', 'b.md:2']);
  });

  test('junitLines is linear in the number of problems of one file and rule', () => {
    const time = (count: number) => {
      const diagnostics: CliDiagnostic[] = Array.from({ length: count }, (_, index) => ({
        file: 'a.md',
        line: index + 1,
        column: 1,
        endLine: index + 1,
        endColumn: 2,
        severity: index % 2 ? 'error' : 'info',
        rule: 'unknown-reference',
        message: 'm',
      }));
      const started = performance.now();
      let size = 0;
      for (const line of junitLines(diagnostics, [{ file: 'a.md', rules: ['unknown-reference'] }], RULES)) size += line.length;
      assert.ok(size > count);
      return performance.now() - started;
    };
    time(1_000);
    const small = Math.max(time(40_000), 5);
    const large = time(80_000);
    assert.ok(large < small * 4 + 200, `40k problems: ${small.toFixed(0)} ms, 80k: ${large.toFixed(0)} ms`);
  });
});

// ---- items 3, 4, 5: special files, slow or forged baselines, no stack traces ----------------------

describe('special files, baselines and stack traces', () => {
  let folder: TempFolder;

  before(async () => {
    folder = await tempFolder(undefined, 'hostile-inputs');
    await folder.write('prd.md', PRD('PRD-1', 'a PRD', 'OUT-9'));
  });
  after(() => folder?.dispose());

  test('--config and --baseline naming a FIFO: one line and exit 2, no hang', async () => {
    const fifo = folder.path('fifo');
    execFileSync('mkfifo', [fifo]);
    assertOneLineError(await run(['check', folder.root, '--config', fifo], { timeoutMs: 30_000 }), /named pipe \(FIFO\)/, '--config FIFO');
    assertOneLineError(await run(['check', folder.root, '--baseline', fifo], { timeoutMs: 30_000 }), /named pipe \(FIFO\)/, '--baseline FIFO');
    assertOneLineError(await run(['tree', folder.root, '--config', fifo], { timeoutMs: 30_000 }), /named pipe \(FIFO\)/, 'tree --config FIFO');
    assertOneLineError(await run(['check', folder.root, '--config', '/dev/zero'], { timeoutMs: 30_000 }), /a device/, '--config device');
    assertOneLineError(await run(['check', folder.root, '--baseline', folder.root], { timeoutMs: 30_000 }), /a folder/, '--baseline folder');
  });

  test('a baseline whose version is 200,000 spaces is refused in seconds, in one short line', async () => {
    const baseline = await folder.write('slow.json', JSON.stringify({ version: ' '.repeat(200_000), problems: [] }));
    const started = performance.now();
    const result = await run(['check', folder.root, '--baseline', baseline], { timeoutMs: 60_000 });
    const seconds = (performance.now() - started) / 1000;
    assertOneLineError(result, /not a Throughline baseline: expected "version": 1/, 'slow baseline');
    assert.ok(seconds < 10, `${seconds.toFixed(1)} s`);
    assert.ok(result.stderr.length < 500, `${result.stderr.length} characters`);
  });

  test('a baseline entry whose fingerprint is not its own is refused: it cannot hide a real problem', async () => {
    const written = folder.path('baseline.json');
    const recorded = await run(['check', folder.root, '--write-baseline', written]);
    assert.equal(recorded.code, 0, recorded.stderr);
    const honest = await run(['check', folder.root, '--baseline', written]);
    assert.equal(honest.code, 0, honest.stderr);
    const baseline = JSON.parse(await readFile(written, 'utf8')) as { problems: { rule: string; file: string; message: string; fingerprint: string }[] };
    assert.ok(baseline.problems.length > 0);
    // The real problem's fingerprint, under a harmless-looking rule, file and message.
    const forged = { ...baseline, problems: [{ ...baseline.problems[0]!, rule: 'stale-document', file: 'other.md', message: 'nothing to see' }] };
    const forgedFile = await folder.write('forged.json', JSON.stringify(forged));
    assertOneLineError(
      await run(['check', folder.root, '--baseline', forgedFile]),
      /problems\[0\]\.fingerprint does not match its rule, file and message/,
      'forged baseline',
    );
  });

  test('lsp without a transport: a usage line and exit 2', async () => {
    assertOneLineError(await run(['lsp'], { timeoutMs: 30_000 }), /lsp needs a transport: throughline lsp --stdio/, 'lsp');
    assertOneLineError(await run(['lsp', '--socket'], { timeoutMs: 30_000 }), /--socket needs a port number/, 'lsp --socket');
    assertOneLineError(await run(['lsp', '--node-ipc'], { timeoutMs: 30_000 }), /--node-ipc needs a parent process/, 'lsp --node-ipc');
  });

  test('YAML bombs in the configuration and in front-matter: no internal error, no stack trace', async () => {
    const bombs = await tempFolder(undefined, 'hostile-bomb');
    try {
      let yaml = 'a: &a [x,x,x,x,x,x,x,x,x]\n';
      let previous = 'a';
      for (let i = 0; i < 12; i++) {
        yaml += `b${i}: &b${i} [${Array(9).fill(`*${previous}`).join(',')}]\n`;
        previous = `b${i}`;
      }
      await bombs.write('.throughline.yml', yaml);
      await bombs.write('prd.md', `---\ntype: prd\nid: PRD-1\ntitle: t\n${yaml}---\n# PRD-1: t\n`);
      await bombs.write('other.md', PRD('PRD-2', 'fine', 'OUT-9'));
      for (const command of ['check', 'tree', 'report']) {
        const result = await run([command, bombs.root], { timeoutMs: 120_000 });
        assert.ok(result.code === 0 || result.code === 1, `${command}: exit ${result.code}, stderr ${result.stderr.slice(0, 1000)}`);
        assert.doesNotMatch(result.stderr, /internal error|\n\s+at /, `${command}: ${result.stderr.slice(0, 1000)}`);
        for (const line of result.stderr.trimEnd().split('\n').filter(Boolean)) assert.match(line, /^throughline: /, command);
      }
    } finally {
      await bombs.dispose();
    }
  });

  test('include/exclude that select no file: one line says so', async () => {
    const empty = await tempFolder(undefined, 'hostile-exclude');
    try {
      await empty.write('prd.md', PRD('PRD-1', 'a PRD', 'OUT-9'));
      for (const config of ['exclude: ["**"]\n', 'include: ["../outside/**/*.md"]\n']) {
        await empty.write('.throughline.yml', config);
        const result = await run(['check', empty.root]);
        assert.match(
          result.stderr,
          /^throughline: include\/exclude in the configuration select no Markdown file in .*: 0 documents checked$/m,
          `${config}: ${result.stderr}`,
        );
      }
    } finally {
      await empty.dispose();
    }
  });
});

// ---- the escaping functions themselves ------------------------------------------------------------

describe('the output boundary', () => {
  test('displayLine: any text becomes one line, without controls, never a command', () => {
    assertProperty(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (text) => {
        const line = displayLine(text);
        assert.ok(!/[\r\n]/.test(line));
        assertNoControls(line, 'displayLine');
        assert.ok(!/^\s*::/.test(line) && !line.includes('##['), line);
      }),
      { numRuns: 2_000 },
    );
    assert.equal(displayLine('::error::x'), '\\x3A:error::x');
    assert.equal(displayLine(' \t::x'), ' \\t::x');
    assert.equal(displayLine('  ::x'), '  \\x3A:x');
    assert.equal(displayLine('a\u001b[31mb\r\nc\u007f\u0085'), 'a\\x1B[31mb\\r\\nc\\x7F\\x85');
    const long = displayLine('x'.repeat(LONG));
    assert.ok(long.length < MAX_TEXT_LINE_LENGTH + 100 && long.endsWith(`… (${LONG - MAX_TEXT_LINE_LENGTH} more characters)`), long.slice(-60));
  });

  test('guardJson keeps every value and leaves no legacy command; guardMarkup starts no line with ::', () => {
    assertProperty(
      fc.property(
        fc.array(fc.string({ unit: fc.constantFrom('#', '[', ':', '\n', '\r', 'a', ' ', '\u0085', '\u009b', '\u001b', '\u202e'), maxLength: 40 })),
        (strings) => {
          const json = guardJson(JSON.stringify(strings));
          assert.deepEqual(JSON.parse(json), strings);
          assert.ok(!json.includes('##['));
          assertNoControls(json, 'guardJson');
          const markup = guardMarkup(strings.join('\n'));
          for (const line of runnerLines(markup)) assert.ok(!/^\s*::/.test(line) && !line.includes('##['), JSON.stringify(line));
        },
      ),
      { numRuns: 2_000 },
    );
  });

  test('the escapers are linear on long runs', () => {
    for (const unit of [' ', ':', '#', '\u001b', '\n']) {
      const time = (size: number) => {
        const text = unit.repeat(size);
        const started = performance.now();
        displayLine(text);
        guardJson(JSON.stringify(text));
        guardMarkup(text);
        return performance.now() - started;
      };
      time(10_000);
      const small = Math.max(time(200_000), 5);
      const large = time(400_000);
      assert.ok(large < small * 4 + 100, `${JSON.stringify(unit)}: ${small.toFixed(0)} ms → ${large.toFixed(0)} ms`);
    }
  });
});
