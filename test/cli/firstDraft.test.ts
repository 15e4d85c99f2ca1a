/**
 * test/fixtures/first-draft is the workspace a new product manager writes before reading
 * docs/format.md (issue 10): kind words before IDs, em dashes, bold bullets and bold paragraphs,
 * tables, `- Key: value` bullets, `type: PRD`, `status: in review`, a misspelled key, a fiscal year,
 * decimal commas, `Outcome:` where `Traces:` was meant and a `type: discovery` document.
 * EXPECTED.json lists, by hand, every definition, link and figure the author meant. The census
 * (scripts/census.ts, the real CLI as a process) must find each of them read, or flagged on its
 * line: none may be dropped without a word.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import * as path from 'node:path';
import { census, formatCensus, type CensusResult } from '../../scripts/census';
import { BIN, REPO_ROOT, run } from './run';

const FIRST_DRAFT = path.join(REPO_ROOT, 'test', 'fixtures', 'first-draft');

interface JsonDiagnostic {
  readonly file: string;
  readonly line: number;
  readonly severity: string;
  readonly rule: string;
  readonly message: string;
}

describe('census of the first draft', () => {
  let result: CensusResult | undefined;
  const counted = async (): Promise<CensusResult> => (result ??= await census({ folder: FIRST_DRAFT, cli: BIN }));

  test('nothing the author meant is dropped: every definition, link and figure is read or flagged on its line', async () => {
    const { entries } = await counted();
    const dropped = entries.filter((entry) => entry.verdict === 'dropped');
    assert.deepEqual(
      dropped.map((entry) => `${entry.label} (${entry.file}:${entry.line}): ${entry.why}`),
      [],
      formatCensus(await counted(), { relativeTo: REPO_ROOT }),
    );
  });

  test('48 definitions, 29 links and 8 figures: all read but the type: discovery file and the `Outcome:` link, which are flagged', async () => {
    const { counts } = await counted();
    assert.deepEqual(
      counts,
      {
        definitions: { recognised: 45, flagged: 3, dropped: 0 },
        links: { recognised: 26, flagged: 3, dropped: 0 },
        figures: { recognised: 8, flagged: 0, dropped: 0 },
      },
      formatCensus(await counted(), { relativeTo: REPO_ROOT }),
    );
    const flagged = (await counted()).entries.filter((entry) => entry.verdict === 'flagged').map((entry) => `${entry.label}: ${entry.why.split(':')[0]}`);
    assert.deepEqual(flagged, [
      'PRD-6: front-matter at prds/substitutions-discovery.md',
      'REQ-6.1: front-matter at prds/substitutions-discovery.md',
      'REQ-6.2: front-matter at prds/substitutions-discovery.md',
      'REQ-5.3 → OUT-1: unknown-link-key at prds/van-loading.md',
      'REQ-6.1 → OUT-CO-2: front-matter at prds/substitutions-discovery.md',
      'REQ-6.2 → OUT-CO-2: front-matter at prds/substitutions-discovery.md',
    ]);
  });
});

describe('what the author of the first draft is told', () => {
  let diagnostics: JsonDiagnostic[] | undefined;
  const checked = async (): Promise<JsonDiagnostic[]> => {
    if (!diagnostics) {
      const output = await run(['check', FIRST_DRAFT, '--format', 'json']);
      assert.ok(output.code === 0 || output.code === 1, output.stderr);
      diagnostics = (JSON.parse(output.stdout) as { diagnostics: JsonDiagnostic[] }).diagnostics;
    }
    return diagnostics;
  };
  const find = async (file: string, rule: string): Promise<JsonDiagnostic[]> =>
    (await checked()).filter((diagnostic) => diagnostic.file === file && diagnostic.rule === rule);

  test('`Outcome: OUT-1` under REQ-5.3 gets a did-you-mean `Traces:`, on its line', async () => {
    const found = await find('prds/van-loading.md', 'unknown-link-key');
    assert.deepEqual(
      found.map((diagnostic) => [diagnostic.line, diagnostic.severity, diagnostic.message]),
      [[23, 'warning', '`Outcome:` is not a link key, so REQ-5.3 is not linked to what it names: did you mean `Traces:`?']],
    );
  });

  test('`innovaton:` gets a hint that it is ignored and meant `innovation`', async () => {
    const found = await find('prds/live-tracking.md', 'misspelled-front-matter-key');
    assert.deepEqual(
      found.map((diagnostic) => [diagnostic.severity, diagnostic.message]),
      [['warning', '`innovaton` is not a front-matter key of a prd document, so it is ignored; did you mean `innovation`?']],
    );
  });

  test('`type: discovery` gets an info on the type: the file is not checked', async () => {
    const found = await find('prds/substitutions-discovery.md', 'front-matter');
    assert.deepEqual(
      found.map((diagnostic) => [diagnostic.line, diagnostic.severity, diagnostic.message]),
      [[2, 'info', '`type: discovery` is not one of vision, strategy, prd; this file is not checked.']],
    );
  });

  test("no definition of the author's gets `not defined anywhere`, and no figure is ambiguous under `decimalSeparator: auto`", async () => {
    const all = await checked();
    assert.deepEqual(
      all
        .filter((diagnostic) => diagnostic.rule === 'unknown-reference' || diagnostic.rule === 'ambiguous-number')
        .map((diagnostic) => `${diagnostic.file}:${diagnostic.line} ${diagnostic.message}`),
      [],
    );
    // The lenient front-matter reads `type: PRD`, `status: Approved`, `status: in review`, `innovation: Core`,
    // owner and team lists and `period: 2027` without a front-matter error; only the discovery file's info is left.
    assert.deepEqual(
      all.filter((diagnostic) => diagnostic.rule === 'front-matter').map((diagnostic) => diagnostic.file),
      ['prds/substitutions-discovery.md'],
    );
  });
});
