/**
 * `throughline check --format sarif|junit|github`: SARIF validated against the SARIF 2.1.0 JSON
 * schema, JUnit XML read back with a strict XML parser, GitHub workflow commands unescaped as the
 * runner does; and which options and formats each command accepts. Expected problems are taken
 * from `--format json` of the same workspace, so new rules or example content do not break them.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { after, before, describe, test } from 'node:test';
import Ajv from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { SaxesParser } from 'saxes';
import { parse as parseYaml } from 'yaml';
import { escapeGithubData, escapeGithubProperty, renderGithubAnnotations, renderJunit, xmlAttribute, xmlText } from '../../server/src/cli/ciFormats';
import type { CliDiagnostic } from '../../server/src/cli/common';
import { RULES } from '../../server/src/service/rules/ruleCatalog';
import { ACME, REPO_ROOT, run, tempFolder, type CliResult, type TempFolder } from './run';

// ---- helpers ---------------------------------------------------------------------------------

interface JsonReport {
  summary: Record<string, number>;
  diagnostics: CliDiagnostic[];
}

async function jsonReport(folder: string, extra: string[] = []): Promise<JsonReport> {
  const result = await run(['check', folder, '--format', 'json', ...extra]);
  assert.ok(result.code === 0 || result.code === 1, result.stderr);
  return JSON.parse(result.stdout) as JsonReport;
}

/** Environment without GITHUB_WORKSPACE, so annotation paths are relative to the current folder. */
function localEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env = { ...process.env, ...extra };
  if (!('GITHUB_WORKSPACE' in extra)) delete env.GITHUB_WORKSPACE;
  return env;
}

function assertUsageError(result: CliResult, mentions: RegExp, what: string): void {
  assert.equal(result.code, 2, `${what}: exit code (stdout: ${result.stdout}, stderr: ${result.stderr})`);
  assert.equal(result.stdout, '', `${what}: nothing on stdout`);
  const lines = result.stderr.trimEnd().split('\n');
  assert.equal(lines.length, 1, `${what}: one line on stderr, got:\n${result.stderr}`);
  assert.match(lines[0]!, /^throughline: /, what);
  assert.match(lines[0]!, mentions, what);
}

/** A workspace whose file names and messages hold what every format must escape. */
const AWKWARD_FILE = 'plans/Q1, v2 ünï 100%.md';
async function awkwardWorkspace(): Promise<TempFolder> {
  const folder = await tempFolder(undefined, 'cli-formats-awkward');
  // An unknown rule name is echoed in the config problem's message: %, comma, markup, CR LF and a BEL.
  await folder.write('.throughline.yml', 'rules:\n  "bad%rule, <x> & \\"y\\"\\r\\nline \\a two": error\n');
  await folder.write(
    AWKWARD_FILE,
    ['---', 'type: prd', 'id: PRD-9', 'title: Awkward', '---', '# PRD-9: Awkward', '', '### REQ-9.1: Something', 'Traces: OUT-404', ''].join('\n'),
  );
  return folder;
}

// ---- SARIF -----------------------------------------------------------------------------------

interface SarifLog {
  $schema: string;
  version: string;
  runs: {
    tool: { driver: { name: string; version: string; rules: { id: string; shortDescription: { text: string }; defaultConfiguration: { level: string } }[] } };
    originalUriBaseIds: Record<string, { uri: string }>;
    results: {
      ruleId: string;
      ruleIndex: number;
      level: string;
      message: { text: string };
      locations: {
        physicalLocation: {
          artifactLocation: { uri: string; uriBaseId: string };
          region: { startLine: number; startColumn: number; endLine: number; endColumn: number };
        };
      }[];
      partialFingerprints: Record<string, string>;
      baselineState?: string;
    }[];
  }[];
}

/**
 * The SARIF 2.1.0 schema as npm ships it: @microsoft/jest-sarif's `sarif-2.1.0-rtm.5.json`, whose
 * validation keywords are those of the OASIS standard's schema (draft-04). Errata 01 later added
 * only a check that a region has a start (asserted separately below) and `type: string` next to
 * enums. Its `language` pattern is not valid with the `u` flag (errata 01 fixed it), hence
 * `unicodeRegExp: false`; strictRequired and strictTypes are style checks the schema predates.
 */
async function sarifValidator() {
  const require = createRequire(import.meta.url);
  const schema = JSON.parse(await readFile(require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json'), 'utf8')) as {
    properties: { version: { enum: string[] } };
  };
  assert.deepEqual(schema.properties.version.enum, ['2.1.0']);
  const ajv = new Ajv({ allErrors: true, strict: true, strictRequired: false, strictTypes: false, unicodeRegExp: false });
  addFormats(ajv);
  const validate = ajv.compile(schema);
  return (log: unknown): void => {
    assert.ok(validate(log), `not valid SARIF 2.1.0:\n${JSON.stringify(validate.errors, null, 2)}`);
  };
}

async function sarif(folder: string, extra: string[] = []): Promise<{ result: CliResult; log: SarifLog }> {
  const result = await run(['check', folder, '--format', 'sarif', ...extra]);
  assert.ok(result.code === 0 || result.code === 1, result.stderr);
  return { result, log: JSON.parse(result.stdout) as SarifLog };
}

const LEVEL: Record<string, string> = { error: 'error', warning: 'warning', info: 'note', hint: 'note' };

/** The file a result points at, resolving its uriBaseId as a SARIF consumer would. */
function resultPath(log: SarifLog, location: SarifLog['runs'][number]['results'][number]['locations'][number]): string {
  const artifact = location.physicalLocation.artifactLocation;
  const base = log.runs[0]!.originalUriBaseIds[artifact.uriBaseId];
  assert.ok(base, `uriBaseId ${artifact.uriBaseId} is declared in originalUriBaseIds`);
  return fileURLToPath(new URL(artifact.uri, base.uri));
}

describe('check --format sarif', () => {
  let validate: (log: unknown) => void;
  let acme: { result: CliResult; log: SarifLog };
  let report: JsonReport;

  before(async () => {
    validate = await sarifValidator();
    acme = await sarif('examples/acme');
    report = await jsonReport('examples/acme');
  });

  test('examples/acme: valid SARIF 2.1.0, exit code as for text', () => {
    validate(acme.log);
    assert.equal(acme.result.code, report.summary.errors! > 0 ? 1 : 0);
    assert.equal(acme.result.stderr, '');
  });

  test('the validator does reject what is not SARIF', () => {
    const broken = structuredClone(acme.log);
    broken.runs[0]!.results[0]!.level = 'fatal';
    broken.runs[0]!.results[0]!.locations[0]!.physicalLocation.artifactLocation.uri = 'has a space';
    assert.throws(() => validate(broken), /level[\s\S]*uri-reference|uri-reference[\s\S]*level/);
  });

  test('one run; the driver names Throughline and lists every rule with its default level', () => {
    assert.equal(acme.log.version, '2.1.0');
    assert.match(acme.log.$schema, /sarif-schema-2\.1\.0\.json$/);
    assert.equal(acme.log.runs.length, 1);
    const driver = acme.log.runs[0]!.tool.driver;
    assert.equal(driver.name, 'Throughline');
    assert.match(driver.version, /^\d+\.\d+\.\d+$/);
    assert.deepEqual(
      driver.rules.map((rule) => [rule.id, rule.shortDescription.text, rule.defaultConfiguration.level]),
      RULES.map((rule) => [rule.name, rule.description, LEVEL[rule.severity]]),
    );
  });

  test('one result per problem of --format json: rule, level, message and 1-based region', () => {
    const run0 = acme.log.runs[0]!;
    assert.equal(run0.results.length, report.diagnostics.length);
    assert.ok(report.diagnostics.length > 0, 'examples/acme has problems to show');
    run0.results.forEach((result, index) => {
      const expected = report.diagnostics[index]!;
      assert.equal(result.ruleId, expected.rule);
      assert.equal(run0.tool.driver.rules[result.ruleIndex]!.id, result.ruleId, 'ruleIndex points at the rule');
      assert.equal(result.level, LEVEL[expected.severity]);
      assert.equal(result.message.text, expected.message);
      assert.equal(result.locations.length, 1);
      const { region, artifactLocation } = result.locations[0]!.physicalLocation;
      // Errata 01 of the schema requires a region to say where it starts.
      assert.deepEqual(region, { startLine: expected.line, startColumn: expected.column, endLine: expected.endLine, endColumn: expected.endColumn });
      assert.equal(artifactLocation.uriBaseId, '%SRCROOT%');
      assert.equal(artifactLocation.uri, expected.file, 'plain names stay readable');
      assert.equal(result.baselineState, undefined, 'no baseline, no baselineState');
    });
  });

  test('uris are relative to the checked folder, which %SRCROOT% names', () => {
    assert.equal(acme.log.runs[0]!.originalUriBaseIds['%SRCROOT%']!.uri, `${pathToFileURL(ACME).href}/`);
    for (const result of acme.log.runs[0]!.results) {
      const file = resultPath(acme.log, result.locations[0]!);
      assert.ok(file.startsWith(`${ACME}${path.sep}`) && existsSync(file), file);
    }
  });

  test('fingerprints are unique, stable across runs, and do not change when lines move', async () => {
    const fingerprints = (log: SarifLog) => log.runs[0]!.results.map((result) => result.partialFingerprints['throughlineProblem/v1']);
    const first = fingerprints(acme.log);
    assert.ok(
      first.every((value) => typeof value === 'string' && /^[0-9a-f]{32}:\d+$/.test(value)),
      String(first),
    );
    assert.equal(new Set(first).size, first.length);
    assert.deepEqual(fingerprints((await sarif('examples/acme')).log), first);

    const moved = await tempFolder(ACME, 'cli-formats-moved');
    try {
      /** Per edited file, the last line of its front-matter: problems below it move down two lines. */
      const frontMatterEnd = new Map<string, number>();
      for (const file of new Set(report.diagnostics.map((diagnostic) => diagnostic.file))) {
        const text = await readFile(moved.path(file), 'utf8');
        const end = text.indexOf('\n---\n') + 5;
        assert.ok(end > 5, `${file} has front-matter`);
        frontMatterEnd.set(file, text.slice(0, end).split('\n').length - 1);
        await writeFile(moved.path(file), `${text.slice(0, end)}\nA note added above the problems.\n${text.slice(end)}`);
      }
      const after = (await sarif(moved.root)).log;
      assert.deepEqual(fingerprints(after), first);
      after.runs[0]!.results.forEach((result, index) => {
        const before = report.diagnostics[index]!;
        const shift = before.line > frontMatterEnd.get(before.file)! ? 2 : 0;
        assert.equal(result.locations[0]!.physicalLocation.region.startLine, before.line + shift, `${before.file}: ${before.message}`);
      });
      assert.ok(
        report.diagnostics.some((diagnostic) => diagnostic.line > frontMatterEnd.get(diagnostic.file)!),
        'some problem did move',
      );
    } finally {
      await moved.dispose();
    }
  });

  describe('a workspace with spaces, a comma, % and non-ASCII in a file name', () => {
    let folder: TempFolder;
    let log: SarifLog;
    let awkward: JsonReport;

    before(async () => {
      folder = await awkwardWorkspace();
      log = (await sarif(folder.root)).log;
      awkward = await jsonReport(folder.root);
    });
    after(async () => {
      await folder?.dispose();
    });

    test('is valid SARIF 2.1.0 with the same problems as --format json', () => {
      validate(log);
      assert.deepEqual(
        log.runs[0]!.results.map((result) => [result.ruleId, result.message.text]),
        awkward.diagnostics.map((diagnostic) => [diagnostic.rule, diagnostic.message]),
      );
      assert.ok(awkward.diagnostics.some((diagnostic) => diagnostic.file === AWKWARD_FILE));
    });

    test('the uri is percent-encoded and resolves to the file', () => {
      const result = log.runs[0]!.results.find((candidate) => candidate.message.text.includes('OUT-404'))!;
      const { uri } = result.locations[0]!.physicalLocation.artifactLocation;
      assert.match(uri, /^[\x21-\x7e]+$/, `only printable ASCII: ${uri}`);
      assert.equal(uri.split('/').map(decodeURIComponent).join('/'), AWKWARD_FILE);
      assert.equal(resultPath(log, result.locations[0]!), folder.path(AWKWARD_FILE));
    });
  });
});

// ---- JUnit -----------------------------------------------------------------------------------

interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  text: string;
}

/** Parses with saxes, a non-validating but strict XML 1.0 parser: it throws on anything not well-formed. */
function parseXml(xml: string): XmlElement {
  const parser = new SaxesParser();
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  parser.on('opentag', (tag) => {
    const element: XmlElement = { name: tag.name, attributes: { ...tag.attributes }, children: [], text: '' };
    if (stack.length) stack.at(-1)!.children.push(element);
    else root = element;
    stack.push(element);
  });
  parser.on('text', (text) => {
    if (stack.length) stack.at(-1)!.text += text;
  });
  parser.on('closetag', () => {
    stack.pop();
  });
  parser.write(xml).close();
  assert.ok(root, 'a root element');
  return root;
}

const children = (element: XmlElement, name: string) => element.children.filter((child) => child.name === name);

describe('check --format junit', () => {
  let xml: string;
  let code: number | null;
  let report: JsonReport;

  before(async () => {
    const result = await run(['check', 'examples/acme', '--format', 'junit']);
    assert.equal(result.stderr, '');
    xml = result.stdout;
    code = result.code;
    report = await jsonReport('examples/acme');
  });

  test('is well-formed XML with an XML declaration; exit code as for text', () => {
    assert.match(xml, /^<\?xml version="1\.0" encoding="UTF-8"\?>\n<testsuites /);
    assert.equal(parseXml(xml).name, 'testsuites');
    assert.equal(code, report.summary.errors! > 0 ? 1 : 0);
  });

  test('the strict parser does reject what is not well-formed', () => {
    assert.throws(() => parseXml(xml.replace('<testsuites ', '<testsuites broken="a & b" ')));
    assert.throws(() => parseXml(xml.replace('</testsuites>', '')));
  });

  test('one testsuite per checked file, one testcase per rule that ran on it; the counts add up', async () => {
    const root = parseXml(xml);
    const suites = children(root, 'testsuite');
    const configFile = path.join(ACME, '.throughline.yml');
    const hasConfig = existsSync(configFile);
    const off = new Set(
      Object.entries(hasConfig ? ((parseYaml(await readFile(configFile, 'utf8')) as { rules?: Record<string, string> }).rules ?? {}) : {})
        .filter(([, severity]) => severity === 'off')
        .map(([rule]) => rule),
    );
    assert.deepEqual(
      suites.map((suite) => suite.attributes.name).filter((name) => !name!.endsWith('.md')),
      hasConfig ? ['.throughline.yml'] : [],
    );
    assert.equal(suites.filter((suite) => suite.attributes.name!.endsWith('.md')).length, report.summary.documents);
    let tests = 0;
    let failures = 0;
    for (const suite of suites) {
      const cases = children(suite, 'testcase');
      // Strategy documents are checked by every rule left on but `config`; the config file by `config` alone.
      const ran = suite.attributes.name!.endsWith('.md') ? RULES.map((rule) => rule.name).filter((name) => name !== 'config' && !off.has(name)) : ['config'];
      assert.deepEqual(
        cases.map((testcase) => testcase.attributes.name),
        ran,
        suite.attributes.name,
      );
      for (const testcase of cases) assert.equal(testcase.attributes.classname, suite.attributes.name);
      const failing = cases.filter((testcase) => children(testcase, 'failure').length > 0).length;
      assert.equal(Number(suite.attributes.tests), cases.length);
      assert.equal(Number(suite.attributes.failures), failing);
      assert.equal(suite.attributes.errors, '0');
      tests += cases.length;
      failures += failing;
    }
    assert.equal(Number(root.attributes.tests), tests);
    assert.equal(Number(root.attributes.failures), failures);
  });

  test('a failing testcase for each file and rule with errors or warnings, listing every problem line', () => {
    const root = parseXml(xml);
    const expected = new Map<string, CliDiagnostic[]>();
    for (const diagnostic of report.diagnostics) {
      if (diagnostic.severity !== 'error' && diagnostic.severity !== 'warning') continue;
      const key = `${diagnostic.file} ${diagnostic.rule}`;
      expected.set(key, [...(expected.get(key) ?? []), diagnostic]);
    }
    const failing = new Map<string, XmlElement>();
    for (const suite of children(root, 'testsuite')) {
      for (const testcase of children(suite, 'testcase')) {
        const failure = children(testcase, 'failure');
        assert.ok(failure.length <= 1);
        if (failure[0]) failing.set(`${testcase.attributes.classname} ${testcase.attributes.name}`, failure[0]);
      }
    }
    assert.deepEqual([...failing.keys()].sort(), [...expected.keys()].sort());
    for (const [key, problems] of expected) {
      const failure = failing.get(key)!;
      assert.equal(failure.attributes.type, problems.some((problem) => problem.severity === 'error') ? 'error' : 'warning', key);
      assert.deepEqual(
        failure.text.split('\n'),
        problems.map((problem) => `${problem.file}:${problem.line}:${problem.column}  ${problem.severity}  ${problem.message}`),
      );
      for (const problem of problems) assert.ok(failure.attributes.message!.includes(String(problem.line)), `${key}: message names line ${problem.line}`);
    }
  });

  test('markup, line breaks and characters XML cannot hold survive in a workspace with awkward text', async () => {
    const folder = await awkwardWorkspace();
    try {
      const result = await run(['check', folder.root, '--format', 'junit']);
      const awkward = await jsonReport(folder.root);
      const root = parseXml(result.stdout);
      const suite = children(root, 'testsuite').find((candidate) => candidate.attributes.name === '.throughline.yml')!;
      assert.deepEqual(
        children(suite, 'testcase').map((testcase) => testcase.attributes.name),
        ['config'],
        'a config file is checked by the config rule',
      );
      const failure = children(children(suite, 'testcase')[0]!, 'failure')[0]!;
      const problem = awkward.diagnostics.find((diagnostic) => diagnostic.rule === 'config')!;
      // The service escapes control characters from the file's keys (CR, LF, BEL) before they reach any format;
      // markup and quotes still reach the XML writer, which must escape them.
      assert.ok(
        problem.message.includes('\\u000d\\u000a') && problem.message.includes('\\u0007') && problem.message.includes('<x> & "y"'),
        'the fixture message is awkward',
      );
      const readable = problem.message;
      assert.equal(failure.text, `.throughline.yml:${problem.line}:${problem.column}  error  ${readable}`);
      assert.equal(failure.attributes.message, `line ${problem.line}: ${readable}`);
      assert.ok(children(root, 'testsuite').some((candidate) => candidate.attributes.name === AWKWARD_FILE));
    } finally {
      await folder.dispose();
    }
  });

  test('rules set to info do not fail a testcase but are listed in its system-out; rules set to off are not testcases', async () => {
    const folder = await tempFolder(undefined, 'cli-formats-info');
    try {
      const config = await folder.write('info.yml', 'rules:\n  orphan-outcome: info\n  cycle: "off"\n');
      const report = await jsonReport('examples/acme', ['--config', config]);
      const informational = report.diagnostics.filter((diagnostic) => diagnostic.rule === 'orphan-outcome');
      assert.ok(informational.length > 0 && informational.every((diagnostic) => diagnostic.severity === 'info'));
      const root = parseXml((await run(['check', 'examples/acme', '--format', 'junit', '--config', config])).stdout);
      const documents = children(root, 'testsuite').filter((suite) => suite.attributes.name!.endsWith('.md'));
      assert.equal(documents.length, report.summary.documents);
      for (const suite of documents) {
        const cases = children(suite, 'testcase');
        assert.ok(!cases.some((testcase) => testcase.attributes.name === 'cycle'), 'cycle is off');
        const orphan = cases.find((testcase) => testcase.attributes.name === 'orphan-outcome')!;
        assert.equal(children(orphan, 'failure').length, 0);
        const mine = informational.filter((diagnostic) => diagnostic.file === suite.attributes.name);
        const out = children(orphan, 'system-out')[0];
        assert.equal(
          out?.text,
          mine.length
            ? mine.map((diagnostic) => `${diagnostic.file}:${diagnostic.line}:${diagnostic.column}  info  ${diagnostic.message}`).join('\n')
            : undefined,
        );
      }
    } finally {
      await folder.dispose();
    }
  });

  test('renderJunit: an empty check is an empty, well-formed report', () => {
    const root = parseXml(renderJunit([], [], RULES));
    assert.deepEqual([root.attributes.tests, root.attributes.failures, root.children.length], ['0', '0', 0]);
  });

  test('xmlText and xmlAttribute escape markup, keep line breaks and replace characters XML cannot hold', () => {
    assert.equal(xmlText('a < b && c > d\r\n\u0000\uFFFE\u{1F600}'), 'a &lt; b &amp;&amp; c &gt; d&#13;\n\uFFFD\uFFFD\u{1F600}');
    assert.equal(xmlAttribute('say "hi"\n\tthere'), 'say &quot;hi&quot;&#10;&#9;there');
    assert.equal(xmlText('lone \uD800 surrogate'), 'lone \uFFFD surrogate');
  });
});

// ---- GitHub ----------------------------------------------------------------------------------

interface Annotation {
  command: string;
  properties: Record<string, string>;
  message: string;
}

/** Reads a workflow command line back as the Actions runner does. */
function parseAnnotation(line: string): Annotation {
  const match = /^::(\w+) ([^:]*)::(.*)$/.exec(line);
  assert.ok(match, `a workflow command: ${line}`);
  const unescapeData = (text: string) => text.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%');
  const unescapeProperty = (text: string) => unescapeData(text.replace(/%3A/g, ':').replace(/%2C/g, ','));
  const properties: Record<string, string> = {};
  for (const pair of match[2]!.split(',')) {
    const equals = pair.indexOf('=');
    properties[pair.slice(0, equals)] = unescapeProperty(pair.slice(equals + 1));
  }
  return { command: match[1]!, properties, message: unescapeData(match[3]!) };
}

const COMMAND: Record<string, string> = { error: 'error', warning: 'warning', info: 'notice', hint: 'notice' };

describe('check --format github', () => {
  test('examples/acme: one workflow command per problem, paths from the current folder, then the summary', async () => {
    const result = await run(['check', 'examples/acme', '--format', 'github'], { cwd: REPO_ROOT, env: localEnv() });
    const report = await jsonReport('examples/acme');
    assert.equal(result.code, report.summary.errors! > 0 ? 1 : 0);
    const lines = result.stdout.trimEnd().split('\n');
    // Then the two lines naming the README it did not check (issue 10, item 10), then the summary.
    assert.equal(lines.length, report.diagnostics.length + 3);
    assert.match(lines.at(-1)!, /^\d+ errors?, \d+ warnings? in \d+ documents? · /);
    assert.deepEqual(lines.slice(-3, -1), [
      'Not checked: 1 Markdown file (1 not a strategy document)',
      '  README.md: not a strategy document (no front-matter)',
    ]);
    lines.slice(0, -3).forEach((line, index) => {
      const diagnostic = report.diagnostics[index]!;
      assert.deepEqual(parseAnnotation(line), {
        command: COMMAND[diagnostic.severity],
        properties: {
          file: `examples/acme/${diagnostic.file}`,
          line: String(diagnostic.line),
          col: String(diagnostic.column),
          endLine: String(diagnostic.endLine),
          endColumn: String(diagnostic.endColumn),
          title: `Throughline: ${diagnostic.rule}`,
        },
        message: diagnostic.message,
      });
    });
  });

  test('paths are relative to $GITHUB_WORKSPACE when it is set', async () => {
    const result = await run(['check', 'examples/acme', '--format', 'github'], { cwd: REPO_ROOT, env: localEnv({ GITHUB_WORKSPACE: ACME }) });
    const files = result.stdout
      .split('\n')
      .filter((line) => line.startsWith('::'))
      .map((line) => parseAnnotation(line).properties.file!);
    assert.ok(files.length > 0);
    for (const file of files) assert.ok(!file.startsWith('examples/') && existsSync(path.join(ACME, file)), file);
  });

  test('%, CR and LF are escaped in messages, and : and , in properties too', async () => {
    const folder = await awkwardWorkspace();
    try {
      const result = await run(['check', '.', '--format', 'github'], { cwd: folder.root, env: localEnv() });
      const report = await jsonReport(folder.root);
      const lines = result.stdout.trimEnd().split('\n');
      assert.equal(lines.length, report.diagnostics.length + 1, 'every problem stays on one line');
      const annotations = lines.slice(0, -1).map(parseAnnotation);
      assert.deepEqual(
        annotations.map((annotation) => [annotation.properties.file, annotation.message]),
        report.diagnostics.map((diagnostic) => [diagnostic.file, diagnostic.message]),
      );
      const config = lines.find((line) => line.includes('title=Throughline%3A config'))!;
      assert.ok(config.includes('bad%25rule, <x> & "y"\\u000d\\u000aline \\u0007 two'), config);
      assert.ok(
        lines.some((line) => line.includes(`file=plans/Q1%2C v2 ünï 100%25.md,`)),
        'file property escaped',
      );
    } finally {
      await folder.dispose();
    }
  });

  test('control characters in a file name are printed escaped, as the text format prints them; an ordinary name as is', async () => {
    const folder = await tempFolder(undefined, 'cli-formats-control');
    const prd = (id: string) =>
      ['---', 'type: prd', `id: ${id}`, '---', `# ${id}`, '', `### REQ-${id.slice(4)}.1: Something`, 'Traces: OUT-404', ''].join('\n');
    try {
      await folder.write('plans/b\u001b[2J\u0007\t\u202e, x:y%.md', prd('PRD-1'));
      await folder.write('plans/ordinary name.md', prd('PRD-2'));
      const result = await run(['check', 'plans', '--format', 'github'], { cwd: folder.root, env: localEnv() });
      assert.equal(result.code, 1, result.stderr);
      assert.doesNotMatch(result.stdout, /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/, 'no control character is printed raw');
      const annotations = result.stdout
        .split('\n')
        .filter((line) => line.startsWith('::'))
        .map(parseAnnotation);
      const files = new Set(annotations.map((annotation) => annotation.properties.file));
      assert.deepEqual([...files].sort(), ['plans/b\\x1B[2J\\x07\\t\\u202E, x:y%.md', 'plans/ordinary name.md']);
      assert.ok(result.stdout.includes('::error file=plans/b\\x1B[2J\\x07\\t\\u202E%2C x%3Ay%25.md,line='), 'the escapes of the runner still apply');
      // The text format prints the same name the same way.
      const text = await run(['check', 'plans'], { cwd: folder.root, env: localEnv() });
      assert.ok(text.stdout.includes('b\\x1B[2J\\x07\\t\\u202E, x:y%.md:'), text.stdout);
    } finally {
      await folder.dispose();
    }
  });

  test('escapeGithubData and escapeGithubProperty escape control characters, and keep CR and LF as %0D and %0A', () => {
    assert.equal(escapeGithubData('a\u001b[31mred\u0000\u009b\u2066\r\n%'), 'a\\x1B[31mred\\x00\\x9B\\u2066%0D%0A%25');
    assert.equal(escapeGithubProperty('dir/b\u001b[2J, x:y\n.md'), 'dir/b\\x1B[2J%2C x%3Ay%0A.md');
    assert.equal(escapeGithubProperty('plans/Q1 ünï.md'), 'plans/Q1 ünï.md');
  });

  test('info and hint problems become notices', async () => {
    const folder = await tempFolder(undefined, 'cli-formats-notice');
    try {
      const config = await folder.write('info.yml', 'rules:\n  orphan-outcome: info\n  unmeasurable-key-result: hint\n');
      const result = await run(['check', 'examples/acme', '--format', 'github', '--config', config], { env: localEnv() });
      const annotations = result.stdout
        .split('\n')
        .filter((line) => line.startsWith('::'))
        .map(parseAnnotation);
      const relaxed = annotations.filter((annotation) => /orphan-outcome|unmeasurable-key-result/.test(annotation.properties.title!));
      assert.ok(relaxed.length > 0);
      for (const annotation of relaxed) assert.equal(annotation.command, 'notice');
    } finally {
      await folder.dispose();
    }
  });

  test('escapeGithubData, escapeGithubProperty and a multi-line problem without columns', () => {
    assert.equal(escapeGithubData('100% done,\r\nnext: go'), '100%25 done,%0D%0Anext: go');
    assert.equal(escapeGithubProperty('a:b,c%d\ne'), 'a%3Ab%2Cc%25d%0Ae');
    const [line] = renderGithubAnnotations([{ file: 'a.md', line: 3, column: 2, endLine: 5, endColumn: 1, severity: 'hint', rule: 'cycle', message: 'm' }]);
    assert.equal(line, '::notice file=a.md,line=3,endLine=5,title=Throughline%3A cycle::m');
  });
});

// ---- which command takes what ------------------------------------------------------------------

describe('options and formats per command', () => {
  test('check accepts every format', async () => {
    for (const format of ['text', 'json', 'sarif', 'junit', 'github']) {
      const result = await run(['check', 'examples/acme', `--format=${format}`]);
      assert.ok(result.code === 0 || result.code === 1, `${format}: ${result.stderr}`);
      assert.equal(result.stderr, '', format);
    }
  });

  const cases: [string, string[], RegExp][] = [
    ['tree does not take a CI format', ['tree', 'examples/acme', '--format', 'sarif'], /--format must be text or json/],
    ['check does not take a report format', ['check', 'examples/acme', '--format', 'html'], /--format must be text, json, sarif, junit or github/],
    ['report takes html or md', ['report', 'examples/acme', '--format', 'json'], /--format must be html or md/],
    ['diff takes text, md or json', ['diff', 'HEAD', 'examples/acme', '--format', 'html'], /--format must be text, md or json/],
    ['diff without a ref', ['diff'], /diff needs a git ref/],
    ['diff with too many folders', ['diff', 'HEAD', 'examples/acme', 'examples'], /one folder/],
    ['--baseline is an option of check only', ['tree', 'examples/acme', '--baseline', 'b.json'], /tree does not take --baseline/],
    ['--write-baseline is an option of check only', ['report', 'examples/acme', '--write-baseline', 'b.json'], /report does not take --write-baseline/],
    ['--out is an option of report only', ['check', 'examples/acme', '--out', 'x.html'], /check does not take --out/],
    ['--baseline needs a value', ['check', 'examples/acme', '--baseline'], /--baseline needs a value/],
    ['--write-baseline needs a value', ['check', 'examples/acme', '--write-baseline='], /--write-baseline needs a value/],
    ['rules takes no folder', ['rules', 'examples/acme'], /rules takes no arguments/],
  ];
  for (const [what, args, mentions] of cases) {
    test(what, async () => assertUsageError(await run(args), mentions, what));
  }

  test('--help describes the CI formats, the baseline options, report and diff', async () => {
    const { stdout } = await run(['--help']);
    for (const expected of [
      '--format sarif|junit|github',
      '--baseline file',
      '--write-baseline file',
      'throughline report [folder] [--out file] [--format html|md] [--config file]',
      'throughline diff REF [folder] [--format text|md|json] [--config file]',
    ]) {
      assert.ok(stdout.includes(expected), `--help mentions ${expected}`);
    }
  });
});
