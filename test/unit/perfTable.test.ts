/**
 * README.md's performance figures are written from bench/results.json by scripts/perf-table.ts:
 * a small results file in, the Markdown tables (machine, date, load, rows, growth) out, between
 * the markers only.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { END_MARKER, growthTable, renderPerfSection, replaceSection, START_MARKER, writePerfSection, type BenchResults } from '../../scripts/perf-table.ts';

const results: BenchResults = {
  machine: {
    cpuModel: 'Test CPU',
    cores: 2,
    totalMemoryMb: 24 * 1024,
    node: 'v20.20.2',
    platform: 'linux 6.1 x64',
    date: '2026-12-02T16:00:00.000Z',
    loadBefore: [1.5, 1.25, 1],
    loadAfter: [2, 1.75, 1.5],
  },
  peer: { package: 'vscode-markdown-languageserver', version: '0.5.0', mode: 'served' },
  passed: false,
  sizes: [
    {
      prds: 10000,
      files: 10041,
      totalMB: 74.04,
      measured: { date: '2026-12-02T16:05:00.000Z', loadBefore: [1.5, 1.25, 1], loadAfter: [2, 1.75, 1.5] },
      notes: ['The peer process failed: JavaScript heap out of memory'],
      rows: [
        {
          key: 'init',
          metric: 'initialize → all diagnostics published',
          note: 'first workspace symbols',
          unit: 'ms',
          throughline: 1800,
          peer: 9000,
          ratio: 0.2,
          bar: '< 2,000 ms',
          status: 'PASS',
        },
        {
          key: 'treeSliceP95',
          metric: 'tree slice | after a link edit, p95',
          unit: 'ms',
          throughline: 912.4,
          peer: null,
          ratio: null,
          bar: '< 30 ms',
          status: 'FAIL',
        },
        {
          key: 'rssAfterSession',
          metric: 'server resident memory after the session',
          unit: 'MB',
          throughline: 310.2,
          peer: 420,
          ratio: 0.74,
          bar: '< 350 MB',
          status: 'PASS',
        },
      ],
    },
    {
      prds: 1000,
      files: 1005,
      totalMB: 7.4,
      rows: [
        { key: 'init', metric: 'initialize → all diagnostics published', unit: 'ms', throughline: 450, peer: 1000, ratio: 0.45, bar: '', status: '' },
        { key: 'treeSliceP95', metric: 'tree slice | after a link edit, p95', unit: 'ms', throughline: 9.12, peer: null, ratio: null, bar: '', status: '' },
        {
          key: 'rssAfterSession',
          metric: 'server resident memory after the session',
          unit: 'MB',
          throughline: 150,
          peer: 170,
          ratio: 0.88,
          bar: '',
          status: '',
        },
      ],
    },
  ],
};

test('the section names the machine, the date, the load average before and after, and the peer', () => {
  const text = renderPerfSection(results);
  assert.match(text, /on 2026-12-02 \(2026-12-02T16:00:00\.000Z\) on Test CPU, 2 cores, 24 GiB, Node v20\.20\.2/);
  assert.match(text, /load average 1\.50, 1\.25, 1\.00 before and 2\.00, 1\.75, 1\.50 after/);
  assert.match(text, /Peer: vscode-markdown-languageserver 0\.5\.0 \(served\)/);
  assert.match(text, /Every bar passed: no\./);
});

test("the section says what Throughline's server was started with, and says nothing when it was started with nothing", () => {
  const started = renderPerfSection({ ...results, build: { serverEnvironment: { MALLOC_MMAP_THRESHOLD_: '131072' } } });
  assert.match(started, /Throughline's server was started with `MALLOC_MMAP_THRESHOLD_=131072`, as the VS Code client starts it\./);
  assert.doesNotMatch(renderPerfSection(results), /was started with/);
});

test('one table per size, smallest first, with figures, ratio, bar and result; pipes in a metric are escaped', () => {
  const text = renderPerfSection(results);
  const lines = text.split('\n');
  assert.ok(text.indexOf('**1,000 PRDs** — 1,005 files, 7.4 MB') < text.indexOf('**10,000 PRDs** — 10,041 files, 74.0 MB'));
  assert.ok(lines.includes('| initialize → all diagnostics published — peer: first workspace symbols | 1,800 ms | 9,000 ms | 0.20× | < 2,000 ms | PASS |'));
  assert.ok(lines.includes('| tree slice \\| after a link edit, p95 | 912 ms | — |  | < 30 ms | FAIL |'));
  assert.ok(lines.includes('| tree slice \\| after a link edit, p95 | 9.12 ms | — |  |  |  |'));
  assert.ok(lines.includes('| server resident memory after the session | 310 MB | 420 MB | 0.74× | < 350 MB | PASS |'));
  assert.ok(lines.includes('**10,000 PRDs** — 10,041 files, 74.0 MB; measured 2026-12-02T16:05:00.000Z, load average 1.50, 1.25, 1.00 → 2.00, 1.75, 1.50'));
  assert.ok(lines.includes('The peer process failed: JavaScript heap out of memory'), 'a failure of a side is said under its table');
});

test('the growth table lists each figure from the smallest size to the largest, with the factor', () => {
  assert.deepEqual(
    growthTable(results).map((row) => [row.metric, row.values]),
    [
      ['initialize → all diagnostics published', [450, 1800]],
      ['tree slice | after a link edit, p95', [9.12, 912.4]],
      ['server resident memory after the session', [150, 310.2]],
    ],
  );
  const lines = renderPerfSection(results).split('\n');
  assert.ok(lines.includes('| figure | 1,000 | 10,000 | last ÷ first |'));
  assert.ok(lines.includes('| initialize → all diagnostics published | 450 ms | 1,800 ms | 4.0× |'));
  assert.ok(lines.includes('| tree slice \\| after a link edit, p95 | 9.12 ms | 912 ms | 100.0× |'));
});

test('only the text between the markers is replaced, and the markers stay', () => {
  const readme = `# Title\n\n## Performance\n\nIntro.\n\n<!-- perf:start -->\nold figures\n${END_MARKER}\n\n## Development\n`;
  const next = replaceSection(readme, renderPerfSection(results));
  assert.ok(next.startsWith('# Title\n\n## Performance\n\nIntro.\n\n'));
  assert.ok(next.endsWith(`${END_MARKER}\n\n## Development\n`));
  assert.ok(next.includes(START_MARKER));
  assert.ok(!next.includes('old figures'));
  assert.equal(replaceSection(next, renderPerfSection(results)), next, 'writing twice changes nothing');
  assert.throws(() => replaceSection('# No markers\n', 'x'), /no <!-- perf:start -->/);
});

test('writePerfSection reads a results.json and rewrites the README file', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'throughline-perf-table-'));
  try {
    const resultsFile = path.join(dir, 'results.json');
    const readmeFile = path.join(dir, 'README.md');
    writeFileSync(resultsFile, JSON.stringify(results));
    writeFileSync(readmeFile, `before\n<!-- perf:start -->\n${END_MARKER}\nafter\n`);
    writePerfSection(resultsFile, readmeFile);
    const written = readFileSync(readmeFile, 'utf8');
    assert.ok(written.startsWith(`before\n${START_MARKER}\n\nMeasured by \`npm run bench\``));
    assert.ok(written.endsWith(`| server resident memory after the session | 150 MB | 310 MB | 2.1× |\n\n${END_MARKER}\nafter\n`));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
