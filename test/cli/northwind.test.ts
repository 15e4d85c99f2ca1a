/**
 * examples/northwind is written the way product managers write: tables, dashes, bold bullets,
 * `- Key: value` bullets, a fiscal year starting in July and decimal commas. It checks clean, and
 * its figures are read as written (31,5 % is 31.5; 9 days → 1 day converts).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import * as path from 'node:path';
import { REPO_ROOT, run, tempFolder } from './run';

describe('check examples/northwind', () => {
  test('exits 0 with every requirement traced, every outcome delivered and every objective supported', async () => {
    const result = await run(['check', 'examples/northwind']);
    assert.equal(result.code, 0, result.stdout + result.stderr);
    assert.equal(
      result.stdout.trim(),
      '0 errors, 0 warnings in 4 documents · 5/5 requirements traced (100%) · 3/3 outcomes delivered · 2/2 objectives with outcomes',
    );
  });

  test('the tree reads the decimal commas and converts days: KR-1.1 43%, KR-1.2 33%, KR-2.2 62%', async () => {
    const result = await run(['tree', 'examples/northwind']);
    assert.equal(result.code, 0, result.stderr);
    for (const [id, percent] of [
      ['KR-1.1', '43%'],
      ['KR-1.2', '33%'],
      ['KR-2.1', '46%'],
      ['KR-2.2', '62%'],
    ] as const) {
      assert.match(result.stdout, new RegExp(`◎ ${id.replace('.', '\\.')}: [^\\n]*\\(${percent} done`), `${id} shows ${percent}`);
    }
  });

  test("near miss: without `decimalSeparator: ','`, the decimal commas are reported as ambiguous, never read as 315 or 42", async () => {
    const copy = await tempFolder(path.join(REPO_ROOT, 'examples', 'northwind'), 'northwind');
    try {
      await copy.write('.throughline.yml', 'fiscalYearStart: july\n');
      const result = await run(['check', copy.root, '--format', 'json']);
      const report = JSON.parse(result.stdout) as { diagnostics: { rule: string; message: string }[] };
      const ambiguous = report.diagnostics.filter((diagnostic) => diagnostic.rule === 'ambiguous-number');
      assert.ok(
        ambiguous.some((diagnostic) => diagnostic.message.includes('31,5')),
        JSON.stringify(ambiguous.map((diagnostic) => diagnostic.message)),
      );
      const tree = (await run(['tree', copy.root])).stdout;
      assert.doesNotMatch(tree, /KR-1\.1: [^\n]*% done/, 'a misread figure still shows progress');
    } finally {
      await copy.dispose();
    }
  });
});
