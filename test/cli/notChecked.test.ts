/**
 * `throughline check` names every Markdown file it did not check (README: "every unchecked
 * Markdown file is named there"), including a file that says so itself: `id: PRD-6` with
 * `type: discovery` gets an info and takes no part, and is named with its reason. A strategy
 * document that cannot be decoded is not named: it fails the check with an `encoding` error.
 */
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { ACME, REPO_ROOT, run, tempFolder } from './run';

interface JsonReport {
  summary: Record<string, number>;
  diagnostics: { file: string; line: number; severity: string; rule: string; message: string }[];
  notChecked?: { file: string; reason: string; detail: string }[];
}

const DISCOVERY = '---\ntype: discovery\nid: PRD-6\ntitle: Substitutions\n---\n# Substitutions\n\n- REQ-6.1: Ask for a substitute\n  Traces: OUT-1\n';
const UNTYPED = '---\nid: PRD-7\ntitle: Untyped\n---\n# Untyped\n';

/** The `Not checked:` block of the text output (the summary line after it left out). */
function notCheckedBlock(stdout: string): string[] {
  const lines = stdout.trimEnd().split('\n');
  const start = lines.findIndex((line) => line.startsWith('Not checked:'));
  return start === -1 ? [] : lines.slice(start, -1);
}

describe('check names files with a Throughline ID and an unknown or missing type', () => {
  test('`type: discovery` and a missing type are named with their reason, in walk order, in text and JSON', async () => {
    const folder = await tempFolder(ACME, 'cli-not-checked');
    try {
      await folder.write('prds/substitutions-discovery.md', DISCOVERY);
      await folder.write('notes/untyped.md', UNTYPED);
      const result = await run(['check', folder.root]);
      assert.deepEqual(notCheckedBlock(result.stdout), [
        'Not checked: 3 Markdown files (2 not strategy documents, 1 unknown type)',
        '  README.md: not a strategy document (no front-matter)',
        '  notes/untyped.md: not a strategy document (no `type` in its front-matter)',
        '  prds/substitutions-discovery.md: unknown type (type: discovery (Throughline reads vision, strategy, prd))',
      ]);
      // The info on the file itself stays.
      assert.match(
        result.stdout,
        /^prds\/substitutions-discovery\.md:2:7 {2}info {2}`type: discovery` is not one of vision, strategy, prd; this file is not checked\. {2}\[front-matter\]$/m,
      );
      const json = JSON.parse((await run(['check', folder.root, '--format', 'json'])).stdout) as JsonReport;
      assert.equal(json.summary['notChecked'], 3);
      assert.deepEqual(json.notChecked, [
        { file: 'README.md', reason: 'not a strategy document', detail: 'no front-matter' },
        { file: 'notes/untyped.md', reason: 'not a strategy document', detail: 'no `type` in its front-matter' },
        { file: 'prds/substitutions-discovery.md', reason: 'unknown type', detail: 'type: discovery (Throughline reads vision, strategy, prd)' },
      ]);
    } finally {
      await folder.dispose();
    }
  });

  test('the first draft names its `type: discovery` PRD', async () => {
    const result = await run(['check', path.join(REPO_ROOT, 'test', 'fixtures', 'first-draft')]);
    assert.deepEqual(notCheckedBlock(result.stdout), [
      'Not checked: 1 Markdown file (1 unknown type)',
      '  prds/substitutions-discovery.md: unknown type (type: discovery (Throughline reads vision, strategy, prd))',
    ]);
  });

  test('near misses: a strategy document that cannot be decoded fails with `encoding` and is not named; `type: PRD` is checked', async () => {
    const folder = await tempFolder(ACME, 'cli-not-checked-near');
    try {
      await writeFile(folder.path('prds/broken.md'), Buffer.concat([Buffer.from('---\ntype: prd\nid: PRD-9\n---\n'), Buffer.from([0, 0, 0])]));
      await folder.write('prds/upper.md', '---\ntype: PRD\nid: PRD-8\ntitle: Upper\n---\n# Upper\n');
      const json = JSON.parse((await run(['check', folder.root, '--format', 'json'])).stdout) as JsonReport;
      assert.deepEqual(json.notChecked, [{ file: 'README.md', reason: 'not a strategy document', detail: 'no front-matter' }]);
      assert.deepEqual(
        json.diagnostics.filter((diagnostic) => diagnostic.file === 'prds/broken.md').map((diagnostic) => [diagnostic.severity, diagnostic.rule]),
        [['error', 'encoding']],
      );
    } finally {
      await folder.dispose();
    }
  });
});
