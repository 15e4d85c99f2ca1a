/**
 * The front-matter rule: YAML syntax errors where they are, schema violations on the offending
 * key or value, and a broken front-matter never stops the rest of the workspace being checked.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DiagnosticSeverity } from 'vscode-languageserver-types';
import { MINI_PRD, MINI_STRATEGY } from '../helpers/fixtures';
import { createService, range } from '../helpers/memoryWorkspace';

async function frontMatterDiagnostics(text: string) {
  const t = await createService({ 'doc.md': text });
  return t
    .diagnosticsOf('doc.md', 'front-matter')
    .map((diagnostic) => ({ range: diagnostic.range, message: diagnostic.message, severity: diagnostic.severity }));
}

describe('YAML syntax errors', () => {
  test('a nested mapping in a plain value is reported at the value', async () => {
    const found = await frontMatterDiagnostics('---\ntype: prd\nid: PRD-1\ntitle: a: b\n---\n');
    assert.equal(found.length, 1);
    assert.deepEqual(found[0]!.range, range(3, 7, 8));
    assert.equal(found[0]!.severity, DiagnosticSeverity.Error);
    assert.match(found[0]!.message, /^YAML: /);
  });

  test('a duplicated key is reported on the second occurrence', async () => {
    const found = await frontMatterDiagnostics('---\ntype: prd\nid: PRD-1\nid: PRD-2\n---\n');
    assert.equal(found.length, 1);
    assert.deepEqual(found[0]!.range.start, { line: 3, character: 0 });
    assert.match(found[0]!.message, /unique/);
  });

  test('a tab used as indentation is reported at the tab', async () => {
    const found = await frontMatterDiagnostics('---\ntype: prd\nid: PRD-1\ntags:\n\t- a\n---\n');
    assert.equal(found.length, 1);
    assert.deepEqual(found[0]!.range, range(4, 0, 1));
    assert.match(found[0]!.message, /^YAML: .*[Tt]ab/);
  });

  test('an unclosed front-matter is reported on the opening fence', async () => {
    const found = await frontMatterDiagnostics('---\ntype: prd\nid: PRD-1\n# Body\n');
    assert.deepEqual(found, [
      { range: range(0, 0, 3), severity: DiagnosticSeverity.Error, message: 'The front-matter is not closed: add a line `---` after the last key.' },
    ]);
  });

  test('a broken file still takes part when its type line is readable, and other files are still checked', async () => {
    const broken = '---\ntype: prd\nid: PRD-2\ntitle: "unclosed\n---\n### REQ-2: Still indexed\nTraces: OUT-1\n';
    const untraced = '---\ntype: prd\nid: PRD-3\n---\n### REQ-3: Not traced\n';
    const t = await createService({ 's.md': MINI_STRATEGY, 'p.md': MINI_PRD, 'broken.md': broken, 'untraced.md': untraced });
    assert.equal(t.diagnosticsOf('broken.md', 'front-matter').length, 1);
    assert.ok(t.service.graph.definition('REQ-2'), 'the body of the broken file is indexed');
    assert.deepEqual(
      t.diagnosticsOf('untraced.md', 'untraced-requirement').map((diagnostic) => diagnostic.range),
      [range(4, 4, 9)],
    );
    assert.deepEqual(t.diagnostics('s.md'), []);
  });
});

describe('schema violations', () => {
  test('an enum value is reported on the value', async () => {
    const found = await frontMatterDiagnostics('---\ntype: prd\nid: PRD-1\nstatus: done\n---\n');
    assert.deepEqual(found, [
      { range: range(3, 8, 12), severity: DiagnosticSeverity.Error, message: '`status` must be one of draft, review, approved, shipped, deprecated.' },
    ]);
  });

  test('the same on the full-YAML path (a value the fast path declines) and with a trailing comment', async () => {
    const escaped = await frontMatterDiagnostics('---\ntype: prd\nid: PRD-1\ntitle: "say \\"hi\\""\nstatus: done\n---\n');
    assert.deepEqual(
      escaped.map((problem) => problem.range),
      [range(4, 8, 12)],
    );
    const commented = await frontMatterDiagnostics('---\ntype: prd\nid: PRD-1\ninnovation: radical # maybe\n---\n');
    assert.deepEqual(
      commented.map((problem) => [problem.range, problem.message]),
      [[range(3, 12, 19), '`innovation` must be one of core, adjacent, disruptive.']],
    );
  });

  test('a bad list element is reported on that element, in flow and block lists', async () => {
    const flow = await frontMatterDiagnostics('---\ntype: prd\nid: PRD-1\noutcomes: [OUT-1, bad]\n---\n');
    assert.deepEqual(
      flow.map((problem) => problem.range),
      [range(3, 18, 21)],
    );
    assert.match(flow[0]!.message, /^`outcomes\.1`: expected an ID such as OUT-3/);
    const block = await frontMatterDiagnostics('---\ntype: prd\nid: PRD-1\nstakeholders:\n  - finance\n  - 3\n---\n');
    assert.deepEqual(
      block.map((problem) => [problem.range, problem.message]),
      [[range(5, 4, 5), '`stakeholders.1`: expected string.']],
    );
  });

  test('a missing id is reported on the type, a malformed one on the id', async () => {
    assert.deepEqual(await frontMatterDiagnostics('---\ntype: prd\ntitle: x\n---\n'), [
      { range: range(1, 6, 9), severity: DiagnosticSeverity.Error, message: 'Missing required key `id`.' },
    ]);
    const malformed = await frontMatterDiagnostics('---\ntype: prd\nid: prd-1\n---\n');
    assert.deepEqual(
      malformed.map((problem) => problem.range),
      [range(2, 4, 9)],
    );
    assert.match(malformed[0]!.message, /^`id`: expected an ID/);
  });

  test('a period in the wrong format and a value of the wrong type', async () => {
    assert.deepEqual(
      (await frontMatterDiagnostics('---\ntype: strategy\nid: STR-1\nperiod: 2027-H3\n---\n')).map((problem) => [problem.range, problem.message]),
      [[range(3, 8, 15), '`period`: expected a period such as 2027, 2027-H1, 2027-Q3, FY27, FY2027-Q1 or FY27-H2']],
    );
    assert.deepEqual(
      // A number as a title is its text since issue 10 (`title: 5` is "5"); a list is still the wrong type.
      (await frontMatterDiagnostics('---\ntype: prd\nid: PRD-1\ntitle: true\n---\n')).map((problem) => [problem.range, problem.message]),
      [[range(3, 7, 11), '`title`: expected string.']],
    );
  });

  test('an id whose prefix belongs to another kind is reported on the id, in plain English', async () => {
    const outcome = await frontMatterDiagnostics('---\ntype: prd\nid: OUT-1\n---\n');
    assert.deepEqual(
      outcome.map((problem) => problem.range),
      [range(2, 4, 9)],
    );
    assert.equal(outcome[0]!.message, '`id` of a prd document must start with PRD-; OUT-1 is an outcome ID.');
    const keyResult = await frontMatterDiagnostics('---\ntype: strategy\nid: KR-1\n---\n');
    assert.equal(keyResult[0]!.message, '`id` of a strategy document must start with STR-; KR-1 is a key result ID.');
    const unknown = await frontMatterDiagnostics('---\ntype: strategy\nid: ABC-1\n---\n');
    assert.equal(unknown[0]!.message, '`id` of a strategy document must start with STR-; ABC-1 has an unknown prefix.');
  });

  test('positions stay exact with CRLF line endings and a byte-order mark', async () => {
    const crlf = await frontMatterDiagnostics('---\r\ntype: prd\r\nid: PRD-1\r\nstatus: done\r\n---\r\n');
    assert.deepEqual(
      crlf.map((problem) => problem.range),
      [range(3, 8, 12)],
    );
    const bom = await frontMatterDiagnostics('\ufeff---\ntype: prd\nid: PRD-1\nstatus: done\n---\n');
    assert.deepEqual(
      bom.map((problem) => problem.range),
      [range(3, 8, 12)],
    );
  });

  test('lone CR line endings (classic Mac) parse like LF ones', async () => {
    const t = await createService({ 'doc.md': '---\rtype: prd\rid: PRD-1\rstatus: done\r---\r# Body\r' });
    assert.deepEqual(
      t.diagnosticsOf('doc.md', 'front-matter').map((diagnostic) => [diagnostic.range, diagnostic.message]),
      [[range(3, 8, 12), '`status` must be one of draft, review, approved, shipped, deprecated.']],
    );
    assert.equal(t.service.graph.definition('PRD-1')?.kind, 'prd', 'the document ID is read');
  });

  test('near misses: a complete, valid front-matter of each type has no problem', async () => {
    const vision =
      '---\ntype: vision\nid: VIS-1\ntitle: V\nhorizon: 2030\nnorth_star: { metric: "Share paid on time", target: "90%" }\ntags: [a, b]\nupdated: 2026-10-01\n---\n';
    const strategy = '---\ntype: strategy\nid: STR-1\nvision: VIS-1\nperiod: 2027-Q3\nstatus: approved\nowner: maya\n---\n';
    const prd =
      '---\ntype: \'prd\'\nid: "PRD-1"\noutcomes:\n  - OUT-1\ninnovation: adjacent\ntrack: discovery\nhorizon: later\nteam: Growth\nstakeholders: [support]\n---\n';
    for (const text of [vision, strategy, prd]) assert.deepEqual(await frontMatterDiagnostics(text), [], text);
  });

  test('near misses: files without strategy front-matter take no part and get no diagnostics', async () => {
    const t = await createService({
      'readme.md': '# Readme\n\nOUT-99 is mentioned and REQ-1: is not defined.\n',
      'other.md': '---\ntype: blog\ntitle: "unclosed\n---\n',
      'list.md': '---\n- type: prd\n---\n',
    });
    assert.deepEqual(t.service.diagnosticUris(), []);
    for (const path of ['readme.md', 'other.md', 'list.md']) assert.deepEqual(t.diagnostics(path), []);
  });
});

describe('empty optional keys', () => {
  test('`owner:` or `team:` left empty while drafting is not an error; an empty required `id:` is', async () => {
    const t = await createService({ 'prd.md': '---\ntype: prd\nid: PRD-1\nowner:\nteam:\noutcomes:\n---\n# PRD-1: Draft\n' });
    assert.deepEqual(t.diagnosticsOf('prd.md', 'front-matter'), []);
    const missing = await createService({ 'prd.md': '---\ntype: prd\nid:\n---\n# Draft\n' });
    assert.equal(missing.diagnosticsOf('prd.md', 'front-matter').length, 1);
  });
});
