/**
 * `throughline check`: exit codes, the compiler-like text format with its summary line, and the
 * JSON format, on examples/acme and on temp workspaces.
 */
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ACME, DIAGNOSTIC_LINE, run, tempFolder, type TempFolder } from './run';

const EXPECTED_LINES = [
  'prds/guest-checkout.md:38:5  error  REQ-1.4 traces to no outcome: add a `Traces: OUT-…` line below it.  [untraced-requirement]',
  "prds/ledger-sync.md:32:16  info  REQ-3.4 traces to OUT-1, which PRD-3's front-matter `outcomes` does not list.  [prd-outcome-mismatch]",
  'prds/refund-permissions.md:7:1  info  This review document was last updated on 2026-06-30, more than 90 days ago: review it and bump `updated`, or mark it deprecated.  [stale-document]',
  'prds/refund-permissions.md:8:12  warning  OUT-6 is deprecated: link to its replacement instead.  [deprecated-target]',
  'prds/refund-permissions.md:19:9  warning  OUT-6 is deprecated: link to its replacement instead.  [deprecated-target]',
  'prds/refund-permissions.md:23:9  warning  OUT-6 is deprecated: link to its replacement instead.  [deprecated-target]',
  'prds/smart-reminders.md:26:11  error  OUT-14 is not defined anywhere in the workspace.  [unknown-reference]',
  'prds/smart-reminders.md:29:11  error  `Traces:` expects an outcome, but OBJ-2 is an objective.  [wrong-link-kind]',
  'strategy/payments-2027-h1.md:3:5  warning  STR-1 has 4 objectives for 2027-H1; keep at most 3 so each gets real attention.  [objective-count]',
  'strategy/payments-2027-h1.md:7:1  info  The PRDs delivering this strategy drift from its innovation mix by more than 10 points: core 75% (target 50%), adjacent 25% (target 30%), disruptive 0% (target 20%) across 4 PRDs.  [innovation-mix-drift]',
  'strategy/payments-2027-h1.md:59:3  info  KR-2.3 reads as an output ("launch …"), not a measurable change: state the outcome it should move, e.g. a rate, time or count with a baseline and target.  [output-key-result]',
  'strategy/payments-2027-h1.md:67:5  warning  No requirement traces to OUT-4: nothing delivers this outcome yet.  [orphan-outcome]',
  'strategy/payments-2027-h1.md:76:12  error  KR-3.1: `Current:` is in a plain number but the baseline and target in "%".  [key-result-target]',
  'strategy/payments-2027-h1.md:78:3  warning  KR-3.2 is not measurable: it needs a numeric `Baseline:`, a numeric `Target:` and a `Due:` date (YYYY-MM-DD).  [unmeasurable-key-result]',
  'strategy/payments-2027-h1.md:92:4  warning  OBJ-4 has 1 key result; an objective needs at least 2 to be tracked without diluting focus.  [key-result-count]',
  "strategy/payments-2027-h1.md:98:8  warning  KR-4.1 is due 2027-09-30, outside the strategy's period 2027-H1 (2027-01-01 to 2027-06-30).  [due-outside-period]",
  'strategy/payments-2027-h1.md:100:5  warning  No requirement traces to OUT-7: nothing delivers this outcome yet.  [orphan-outcome]',
];
const EXPECTED_SUMMARY = '4 errors, 9 warnings in 6 documents · 10/13 requirements traced (77%) · 4/6 outcomes delivered · 4/4 objectives with outcomes';
/** examples/acme's README is a Markdown file Throughline does not check: the summary says so. */
const NOT_CHECKED = ['Not checked: 1 Markdown file (1 not a strategy document)', '  README.md: not a strategy document (no front-matter)'];

interface JsonReport {
  version: number;
  summary: Record<string, number>;
  diagnostics: { file: string; line: number; column: number; endLine: number; endColumn: number; severity: string; rule: string; message: string }[];
  notChecked?: { file: string; reason: string; detail: string }[];
}

/** Parses stdout that must hold exactly one JSON object (one line). */
function parseOne(stdout: string): JsonReport {
  assert.ok(stdout.endsWith('\n'), 'output ends with a newline');
  assert.equal(stdout.trimEnd().split('\n').length, 1, 'exactly one line of output');
  const parsed: unknown = JSON.parse(stdout);
  assert.ok(parsed && typeof parsed === 'object' && !Array.isArray(parsed), 'a JSON object');
  return parsed as JsonReport;
}

/** Turns examples/acme into a workspace without problems. */
async function makeClean(folder: TempFolder): Promise<void> {
  const edit = async (file: string, from: string, to: string) => {
    const text = await readFile(folder.path(file), 'utf8');
    assert.ok(text.includes(from), `${file} contains ${from}`);
    await writeFile(folder.path(file), text.replace(from, to));
  };
  await edit('prds/guest-checkout.md', '### REQ-1.4: Show a receipt page after payment\n', '### REQ-1.4: Show a receipt page after payment\nTraces: OUT-1\n');
  await edit('prds/smart-reminders.md', 'Traces: OUT-14', 'Traces: OUT-4');
  await edit('prds/smart-reminders.md', 'Traces: OBJ-2', 'Traces: OUT-3');
  await edit('strategy/payments-2027-h1.md', '  Target: most of them\n  Due: end of Q2', '  Baseline: 60%\n  Target: 90%\n  Due: 2027-06-30');
  await edit('prds/ledger-sync.md', '### REQ-3.2: Push refunds', '### REQ-3.3: Forecast incoming cash\nTraces: OUT-7\n\n### REQ-3.2: Push refunds');
  // The strategy-health problems the example carries on purpose.
  await edit('prds/ledger-sync.md', 'Traces: OUT-5, OUT-1', 'Traces: OUT-5');
  await edit('prds/ledger-sync.md', 'outcomes: [OUT-5]', 'outcomes: [OUT-5, OUT-7]');
  await edit('prds/refund-permissions.md', 'updated: 2026-06-30', 'updated: 2026-11-19');
  await edit('strategy/payments-2027-h1.md', 'Status: deprecated\n', '');
  await edit('strategy/payments-2027-h1.md', '  Current: 108\n', '  Current: 108%\n');
  await edit('strategy/payments-2027-h1.md', 'KR-2.3: Launch the reminders dashboard', 'KR-2.3: Businesses opening the reminders dashboard monthly');
  await edit(
    'strategy/payments-2027-h1.md',
    '  Target: 25%\n  Due: 2027-09-30\n',
    '  Target: 25%\n  Due: 2027-06-30\n- KR-4.2: Forecast accuracy\n  Baseline: 60%\n  Target: 85%\n  Due: 2027-06-30\n',
  );
  await edit('strategy/payments-2027-h1.md', 'innovation_mix: {core: 50, adjacent: 30, disruptive: 20}', 'innovation_mix: {core: 75, adjacent: 25}');
  await edit('.throughline.yml', 'objectivesPerStrategy: 3', 'objectivesPerStrategy: 4');
}

describe('check examples/acme (text)', () => {
  test('exits 1 and prints one compiler-like line per problem, a blank line and the summary', async () => {
    const result = await run(['check', 'examples/acme']);
    assert.equal(result.code, 1, result.stderr);
    assert.equal(result.stderr, '');
    const lines = result.stdout.trimEnd().split('\n');
    assert.deepEqual(lines, [...EXPECTED_LINES, '', ...NOT_CHECKED, EXPECTED_SUMMARY]);
    for (const line of EXPECTED_LINES) assert.match(line, DIAGNOSTIC_LINE);
  });

  test('the same report whichever way the folder is named (absolute, ./, trailing slash, or the current folder)', async () => {
    const reference = (await run(['check', 'examples/acme'])).stdout;
    for (const [args, cwd] of [
      [['check', ACME], undefined],
      [['check', './examples/acme/'], undefined],
      [['check'], ACME],
      [['check', '.'], ACME],
      [['check', 'acme'], path.dirname(ACME)],
    ] as const) {
      const result = await run(args, { cwd });
      assert.equal(result.code, 1, `${args.join(' ')} in ${cwd ?? '.'}: ${result.stderr}`);
      assert.equal(result.stdout, reference, `${args.join(' ')} in ${cwd ?? '.'}`);
    }
  });

  test('--format text is the default', async () => {
    const explicit = await run(['check', 'examples/acme', '--format', 'text']);
    const inline = await run(['check', 'examples/acme', '--format=text']);
    const implicit = await run(['check', 'examples/acme']);
    assert.equal(explicit.stdout, implicit.stdout);
    assert.equal(inline.stdout, implicit.stdout);
  });
});

describe('check examples/acme --format json', () => {
  let report: JsonReport;
  let code: number | null;

  before(async () => {
    const result = await run(['check', 'examples/acme', '--format', 'json']);
    code = result.code;
    assert.equal(result.stderr, '');
    report = parseOne(result.stdout);
  });

  test('exits 1', () => {
    assert.equal(code, 1);
  });

  test('has exactly the documented shape', () => {
    assert.deepEqual(Object.keys(report).sort(), ['diagnostics', 'notChecked', 'summary', 'version']);
    assert.deepEqual(report.notChecked, [{ file: 'README.md', reason: 'not a strategy document', detail: 'no front-matter' }]);
    assert.equal(report.version, 1);
    assert.deepEqual(
      Object.keys(report.summary).sort(),
      ['deliveredOutcomes', 'documents', 'errors', 'items', 'notChecked', 'outcomes', 'requirements', 'tracedRequirements', 'warnings'].sort(),
    );
    for (const value of Object.values(report.summary)) assert.ok(Number.isInteger(value) && value >= 0);
    assert.ok(Array.isArray(report.diagnostics));
    for (const diagnostic of report.diagnostics) {
      assert.deepEqual(Object.keys(diagnostic).sort(), ['column', 'endColumn', 'endLine', 'file', 'line', 'message', 'rule', 'severity']);
      for (const key of ['line', 'column', 'endLine', 'endColumn'] as const)
        assert.ok(Number.isInteger(diagnostic[key]) && diagnostic[key] >= 1, `${key} is 1-based`);
      assert.ok(['error', 'warning', 'info', 'hint'].includes(diagnostic.severity));
      assert.match(diagnostic.rule, /^[a-z]+(?:-[a-z]+)*$/);
      assert.ok(diagnostic.message.length > 0);
    }
  });

  test('summary figures', () => {
    assert.deepEqual(report.summary, {
      documents: 6,
      items: 38,
      requirements: 13,
      tracedRequirements: 10,
      outcomes: 6,
      deliveredOutcomes: 4,
      errors: 4,
      warnings: 9,
      notChecked: 1,
    });
  });

  test('files are relative to the folder and use /', () => {
    for (const diagnostic of report.diagnostics) {
      assert.ok(!path.isAbsolute(diagnostic.file) && !diagnostic.file.startsWith('./') && !diagnostic.file.includes('\\'), diagnostic.file);
    }
    assert.deepEqual(
      [...new Set(report.diagnostics.map((diagnostic) => diagnostic.file))],
      ['prds/guest-checkout.md', 'prds/ledger-sync.md', 'prds/refund-permissions.md', 'prds/smart-reminders.md', 'strategy/payments-2027-h1.md'],
    );
  });

  test('known diagnostics at their exact 1-based positions', () => {
    assert.deepEqual(
      report.diagnostics.find((diagnostic) => diagnostic.rule === 'untraced-requirement'),
      {
        file: 'prds/guest-checkout.md',
        line: 38,
        column: 5,
        endLine: 38,
        endColumn: 12,
        severity: 'error',
        rule: 'untraced-requirement',
        message: 'REQ-1.4 traces to no outcome: add a `Traces: OUT-…` line below it.',
      },
    );
    const unknown = report.diagnostics.find((diagnostic) => diagnostic.rule === 'unknown-reference')!;
    assert.deepEqual([unknown.file, unknown.line, unknown.column, unknown.endLine, unknown.endColumn], ['prds/smart-reminders.md', 26, 11, 26, 17]);
  });

  test('the 1-based columns select what the problem is about: the ID, or the key or value at fault', async () => {
    // Rules about a front-matter key or an attribute value point there instead of at an ID.
    const notAnId: Record<string, (selected: string, line: string, message: string) => boolean> = {
      'stale-document': (selected) => selected === 'updated',
      'innovation-mix-drift': (selected) => selected === 'innovation_mix',
      'due-outside-period': (selected, _line, message) => /^\d{4}-\d{2}-\d{2}$/.test(selected) && message.includes(selected),
      'key-result-target': (selected, line) => /^\s+(?:Current|Target):\s/.test(line) && line.trimEnd().endsWith(selected),
    };
    for (const diagnostic of report.diagnostics) {
      const line = (await readFile(path.join(ACME, diagnostic.file), 'utf8')).split('\n')[diagnostic.line - 1]!;
      const selected = line.slice(diagnostic.column - 1, diagnostic.endColumn - 1);
      const where = `${diagnostic.file}:${diagnostic.line}: "${selected}" [${diagnostic.rule}]`;
      const check = notAnId[diagnostic.rule];
      if (check) {
        assert.ok(selected.length > 0 && check(selected, line, diagnostic.message), where);
        continue;
      }
      assert.match(selected, /^[A-Z]+-[\w.]+$/, where);
      assert.ok(diagnostic.message.includes(selected), `${diagnostic.message} names ${selected}`);
    }
  });

  test('text and JSON report the same diagnostics', async () => {
    const text = await run(['check', 'examples/acme']);
    const fromText = text.stdout.split('\n').filter((line) => DIAGNOSTIC_LINE.test(line));
    assert.deepEqual(
      fromText,
      report.diagnostics.map(
        (diagnostic) => `${diagnostic.file}:${diagnostic.line}:${diagnostic.column}  ${diagnostic.severity}  ${diagnostic.message}  [${diagnostic.rule}]`,
      ),
    );
  });
});

describe('check on other workspaces', () => {
  let clean: TempFolder;

  before(async () => {
    clean = await tempFolder(ACME, 'cli-clean');
    await makeClean(clean);
  });
  after(async () => {
    await clean?.dispose();
  });

  test('a clean workspace exits 0 with only the summary (and the file it did not check)', async () => {
    const result = await run(['check', clean.root]);
    assert.equal(result.code, 0, result.stdout + result.stderr);
    assert.equal(
      result.stdout,
      [
        ...NOT_CHECKED,
        '0 errors, 0 warnings in 6 documents · 14/14 requirements traced (100%) · 7/7 outcomes delivered · 4/4 objectives with outcomes',
        '',
      ].join('\n'),
    );
    assert.equal(result.stderr, '');
  });

  test('a clean workspace in JSON: no diagnostics, exit 0', async () => {
    const result = await run(['check', clean.root, '--format', 'json']);
    assert.equal(result.code, 0);
    const report = parseOne(result.stdout);
    assert.deepEqual(report.diagnostics, []);
    assert.equal(report.summary.errors, 0);
    assert.equal(report.summary.requirements, 14);
  });

  test('warnings alone do not fail the check', async () => {
    const folder = await tempFolder(clean.root, 'cli-warnings');
    try {
      const strategy = folder.path('strategy/payments-2027-h1.md');
      await writeFile(strategy, (await readFile(strategy, 'utf8')).replace('  Baseline: 60%\n  Target: 90%\n', '  Target: most of them\n'));
      const result = await run(['check', folder.root]);
      assert.equal(result.code, 0, result.stdout);
      assert.match(result.stdout, /^strategy\/payments-2027-h1\.md:\d+:3  warning  KR-3\.2 is not measurable.*\[unmeasurable-key-result\]$/m);
      assert.match(result.stdout, /^0 errors, 1 warning in 6 documents/m);
    } finally {
      await folder.dispose();
    }
  });

  test('an empty folder exits 0', async () => {
    const folder = await tempFolder(undefined, 'cli-empty');
    try {
      const result = await run(['check', folder.root]);
      assert.equal(result.code, 0, result.stderr);
      assert.match(result.stdout, /^0 errors, 0 warnings in 0 documents/);
      const json = parseOne((await run(['check', folder.root, '--format', 'json'])).stdout);
      assert.deepEqual(json.summary, {
        documents: 0,
        items: 0,
        requirements: 0,
        tracedRequirements: 0,
        outcomes: 0,
        deliveredOutcomes: 0,
        errors: 0,
        warnings: 0,
        notChecked: 0,
      });
    } finally {
      await folder.dispose();
    }
  });

  test('files in nested folders are reported with / separators', async () => {
    const folder = await tempFolder(ACME, 'cli-nested');
    try {
      await folder.write(
        'teams/payments/q1/extra prd.md',
        ['---', 'type: prd', 'id: PRD-9', 'title: Extra', '---', '# PRD-9: Extra', '', '### REQ-9.1: Something', 'Traces: OUT-404', ''].join('\n'),
      );
      const report = parseOne((await run(['check', folder.root, '--format', 'json'])).stdout);
      const nested = report.diagnostics.find((diagnostic) => diagnostic.message.includes('OUT-404'));
      assert.deepEqual(nested && [nested.file, nested.line, nested.column], ['teams/payments/q1/extra prd.md', 9, 9]);
    } finally {
      await folder.dispose();
    }
  });
});

describe('check names the Markdown files it did not check', () => {
  test('the summary names the first 5 with their reason and counts the rest; --verbose names them all', async () => {
    const folder = await tempFolder(ACME, 'cli-unchecked');
    try {
      for (let n = 1; n <= 4; n++) await folder.write(`notes/note-${n}.md`, `# Note ${n}\n`);
      await writeFile(folder.path('roadmap.md'), '---\ntype: roadmap\nid: RM-1\n---\n# Roadmap\n');
      await writeFile(folder.path('meeting.md'), '---\ntitle: Weekly\n---\n');
      await writeFile(folder.path('scan.md'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0]));
      const result = await run(['check', folder.root]);
      const lines = result.stdout.trimEnd().split('\n');
      const start = lines.findIndex((line) => line.startsWith('Not checked:'));
      assert.deepEqual(lines.slice(start), [
        'Not checked: 8 Markdown files (6 not strategy documents, 1 unknown type, 1 undecodable)',
        '  README.md: not a strategy document (no front-matter)',
        '  meeting.md: not a strategy document (no `type` in its front-matter)',
        '  notes/note-1.md: not a strategy document (no front-matter)',
        '  notes/note-2.md: not a strategy document (no front-matter)',
        '  notes/note-3.md: not a strategy document (no front-matter)',
        '  … and 3 more (--verbose lists them all)',
        '4 errors, 9 warnings in 6 documents · 10/13 requirements traced (77%) · 4/6 outcomes delivered · 4/4 objectives with outcomes',
      ]);
      const verbose = (await run(['check', folder.root, '--verbose'])).stdout.trimEnd().split('\n');
      const from = verbose.findIndex((line) => line.startsWith('Not checked:'));
      assert.deepEqual(verbose.slice(from + 6, -1), [
        '  notes/note-4.md: not a strategy document (no front-matter)',
        '  roadmap.md: unknown type (type: roadmap (Throughline reads vision, strategy, prd))',
        '  scan.md: undecodable (binary file (contains NUL bytes), not read)',
      ]);
      const json = parseOne((await run(['check', folder.root, '--format', 'json'])).stdout);
      assert.equal(json.summary.notChecked, 8);
      assert.equal(json.notChecked!.length, 5);
      assert.equal(parseOne((await run(['check', folder.root, '--format', 'json', '--verbose'])).stdout).notChecked!.length, 8);
    } finally {
      await folder.dispose();
    }
  });

  test('near miss: files excluded by the configuration are not named; --verbose takes no value', async () => {
    const folder = await tempFolder(ACME, 'cli-unchecked-excluded');
    try {
      await writeFile(folder.path('.throughline.yml'), 'exclude: ["README.md"]\n');
      const result = await run(['check', folder.root]);
      assert.doesNotMatch(result.stdout, /Not checked/);
      assert.match((await run(['check', folder.root, '--verbose=yes'])).stderr, /--verbose takes no value/);
    } finally {
      await folder.dispose();
    }
  });
});
