/**
 * `throughline report`: the HTML report of examples/acme written with `--out`, opened in headless
 * Chromium (playwright-core, Debian's /usr/bin/chromium from scripts/setup-e2e.sh) with every
 * request intercepted, checked against what `check` and `tree` say about the same folder, and
 * photographed to test-results/report.png (and, with UPDATE_DOC_IMAGES=1, to
 * docs/images/strategy-report.png for the README). Also the Markdown format on stdout, usage
 * errors, and the size of the report of the 10,000-PRD benchmark workspace (its time is a row of
 * `npm run bench`).
 *
 * The figures are not constants: the examples grow as rules are added, so the expected values
 * come from `check --format json` and `tree --format json`, which share the language service
 * with `report`.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { chmod, copyFile, mkdir, readFile, stat } from 'node:fs/promises';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import type { AlignmentNode } from '../../common/protocol';
import { defaultWorkspaceDir, generateWorkspace } from '../../bench/generate';
import { REPO_ROOT, run, tempFolder, UNPRIVILEGED, type TempFolder } from './run';

const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const TEST_RESULTS = path.join(REPO_ROOT, 'test-results');
const DOC_IMAGE = path.join(REPO_ROOT, 'docs/images/strategy-report.png');
const UPDATE_DOC_IMAGES = process.env.UPDATE_DOC_IMAGES === '1';

interface CheckJson {
  summary: { requirements: number; tracedRequirements: number; outcomes: number; deliveredOutcomes: number; errors: number; warnings: number };
  diagnostics: { file: string; line: number; severity: string; rule: string; message: string }[];
}

/** What `check` and `tree` say about examples/acme: the figures the report must show. */
interface Expected {
  check: CheckJson;
  objectives: { objectives: number; withOutcomes: number };
  /** Objective IDs in tree order, with their progress (0–1) when measurable. */
  objectiveIds: { id: string; progress?: number }[];
}

async function expectedFor(folder: string): Promise<Expected> {
  const json = await run(['check', folder, '--format', 'json']);
  assert.ok(json.code === 0 || json.code === 1, json.stderr);
  const check = JSON.parse(json.stdout) as CheckJson;
  const text = await run(['check', folder]);
  const objectives = /(\d+)\/(\d+) objectives with outcomes/.exec(text.stdout);
  assert.ok(objectives, `no objective figure in the summary:\n${text.stdout}`);
  const tree = await run(['tree', folder, '--format', 'json']);
  assert.equal(tree.code, 0, tree.stderr);
  const objectiveIds: Expected['objectiveIds'] = [];
  const walk = (nodes: AlignmentNode[]) => {
    for (const node of nodes) {
      if (node.kind === 'objective' && node.id && !objectiveIds.some((entry) => entry.id === node.id))
        objectiveIds.push({ id: node.id, progress: node.progress });
      walk(node.children);
    }
  };
  walk((JSON.parse(tree.stdout) as { roots: AlignmentNode[] }).roots);
  assert.ok(objectiveIds.length > 0, 'the example has objectives');
  return { check, objectives: { withOutcomes: Number(objectives[1]), objectives: Number(objectives[2]) }, objectiveIds };
}

const percent = (part: number, whole: number) => Math.round((100 * part) / whole);

describe('report examples/acme --out report.html, in headless Chromium', () => {
  let folder: TempFolder;
  let out: string;
  let expected: Expected;
  let written: { code: number | null; stdout: string; stderr: string };
  let browser: Browser | undefined;

  before(async () => {
    folder = await tempFolder(undefined, 'report');
    out = folder.path('report.html');
    expected = await expectedFor('examples/acme');
    written = await run(['report', 'examples/acme', '--out', out]);
    assert.ok(existsSync(CHROMIUM_PATH), `${CHROMIUM_PATH} is missing: run \`bash scripts/setup-e2e.sh\` once`);
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH });
  });
  after(async () => {
    await browser?.close();
    await folder?.dispose();
  });

  test('exits 0, writes the file and says so in one line on stderr', async () => {
    assert.equal(written.code, 0, written.stderr);
    assert.equal(written.stdout, '');
    const size = (await stat(out)).size;
    assert.equal(written.stderr, `throughline: wrote ${out} (${Math.round(size / 1024)} KB)\n`);
    const html = await readFile(out, 'utf8');
    assert.ok(html.startsWith('<!DOCTYPE html>'));
    assert.doesNotMatch(html, /<script/i);
  });

  test('loads nothing but itself, shows the figures of `check`, every objective and problem, and is photographed', async (t) => {
    assert.ok(browser);
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, deviceScaleFactor: 1, colorScheme: 'light' });
    try {
      const fileUrl = pathToFileURL(out).href;
      const requests: string[] = [];
      await page.route('**/*', async (route) => {
        const url = route.request().url();
        requests.push(url);
        if (url === fileUrl) await route.continue();
        else await route.abort('blockedbyclient');
      });
      const pageErrors: string[] = [];
      page.on('pageerror', (error) => pageErrors.push(error.message));
      await page.goto(fileUrl, { waitUntil: 'load' });
      await page.waitForLoadState('networkidle');
      assert.deepEqual(requests, [fileUrl], 'the report requested something besides itself');
      assert.deepEqual(pageErrors, []);
      // Titled after the vision, not the folder (issue 10, item 8).
      assert.equal(await page.title(), 'Strategy report: Every small business gets paid on time');

      // Coverage cards: the same figures as `check`.
      const { summary, diagnostics } = expected.check;
      const card = (figure: string) => page.locator(`.card[data-figure="${figure}"]`);
      for (const [figure, part, whole, noun] of [
        ['requirements', summary.tracedRequirements, summary.requirements, 'requirements'],
        ['outcomes', summary.deliveredOutcomes, summary.outcomes, 'outcomes'],
        ['objectives', expected.objectives.withOutcomes, expected.objectives.objectives, 'objectives'],
      ] as const) {
        await card(figure).waitFor({ state: 'visible' });
        assert.equal(await card(figure).getAttribute('data-part'), String(part), figure);
        assert.equal(await card(figure).getAttribute('data-whole'), String(whole), figure);
        assert.equal((await card(figure).locator('.card-value').innerText()).trim(), `${percent(part, whole)}%`, figure);
        assert.match(await card(figure).locator('.card-detail').innerText(), new RegExp(`^${part} of ${whole} ${noun}`), figure);
      }
      assert.ok(await card('progress').isVisible());

      // One progress bar per objective, filled to its progress; one graph node per objective.
      for (const { id, progress } of expected.objectiveIds) {
        const objective = page.locator(`article.objective[data-id="${id}"]`);
        assert.ok(await objective.locator('svg.bar-objective').isVisible(), `${id} has a visible bar`);
        const fill = objective.locator('svg.bar-objective .bar-fill');
        // Percentages round down, as in hover and code lenses.
        const shown = progress === undefined ? 0 : Math.floor(progress * 100 + 1e-9);
        if (shown > 0) {
          assert.equal(await fill.getAttribute('width'), `${shown}%`, id);
          assert.match(await objective.locator('.objective-pct').innerText(), new RegExp(`^${shown}%$`), id);
        } else {
          assert.equal(await fill.count(), 0, `${id} has no progress to fill`);
        }
        const node = page.locator(`svg.graph g.node[data-id="${id}"]`);
        assert.equal(await node.count(), 1, `${id} in the graph`);
        assert.ok(await node.isVisible(), `${id} node visible`);
      }

      // The problems table: one row per problem, each linking to its file and line.
      const rows = page.locator('table.problems tbody tr.problem');
      assert.equal(await rows.count(), diagnostics.length);
      const locations = await rows.locator('td.location a').allInnerTexts();
      assert.deepEqual([...locations].sort(), diagnostics.map((diagnostic) => `${diagnostic.file}:${diagnostic.line}`).sort());
      const hrefs = await rows.locator('td.location a').evaluateAll((links) => links.map((link) => link.getAttribute('href') ?? ''));
      for (const href of hrefs) assert.ok(href.startsWith(pathToFileURL(path.join(REPO_ROOT, 'examples/acme')).href + '/'), href);
      const severities = await rows.locator('.pill').allInnerTexts();
      assert.equal(severities.filter((severity) => severity === 'error').length, summary.errors);
      assert.equal(severities.filter((severity) => severity === 'warning').length, summary.warnings);

      await mkdir(TEST_RESULTS, { recursive: true });
      const screenshot = path.join(TEST_RESULTS, 'report.png');
      await page.screenshot({ path: screenshot, fullPage: true });
      const png = readFileSync(screenshot);
      assert.equal(png.subarray(1, 4).toString('latin1'), 'PNG');
      assert.ok(png.readUInt32BE(20) > 2000, 'the full page is taller than one screen');
      t.diagnostic(`screenshot: ${screenshot}`);
      if (UPDATE_DOC_IMAGES) {
        await copyFile(screenshot, DOC_IMAGE);
        t.diagnostic(`README image: ${DOC_IMAGE}`);
      }
    } finally {
      await page.close();
    }
  });

  test('in dark mode the page background turns dark', async () => {
    assert.ok(browser);
    const page = await browser.newPage({ colorScheme: 'dark' });
    try {
      await page.route('**/*', (route) => (route.request().url().startsWith('file:') ? route.continue() : route.abort()));
      await page.goto(pathToFileURL(out).href);
      const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
      const [r, g, b] = (background.match(/\d+/g) ?? []).map(Number);
      assert.ok(r! + g! + b! < 120, background);
    } finally {
      await page.close();
    }
  });
});

describe('report --format md', () => {
  test('prints the Markdown report to stdout: coverage table, Mermaid graph, problems with links', async () => {
    const expected = await expectedFor('examples/acme');
    const result = await run(['report', 'examples/acme', '--format', 'md']);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stderr, '');
    const { summary, diagnostics } = expected.check;
    assert.ok(result.stdout.startsWith('# Strategy report: Every small business gets paid on time\n'));
    assert.ok(result.stdout.endsWith('\n') && !result.stdout.endsWith('\n\n'), 'one final newline');
    assert.ok(result.stdout.includes('| Measure | Share | Count |\n| --- | ---: | ---: |\n'), result.stdout);
    assert.ok(
      result.stdout.includes(
        `| Requirements traced | **${percent(summary.tracedRequirements, summary.requirements)}%** | ${summary.tracedRequirements} / ${summary.requirements} |`,
      ),
    );
    assert.ok(
      result.stdout.includes(
        `| Outcomes delivered | **${percent(summary.deliveredOutcomes, summary.outcomes)}%** | ${summary.deliveredOutcomes} / ${summary.outcomes} |`,
      ),
    );
    const mermaid = /```mermaid\ngraph LR\n([\s\S]*?)\n```/.exec(result.stdout);
    assert.ok(mermaid, 'a mermaid block');
    for (const { id } of expected.objectiveIds) assert.match(mermaid[1]!, new RegExp(`\\["${id.replace('.', '\\.')}[ <]`), id);
    const first = diagnostics[0]!;
    assert.ok(result.stdout.includes(`[${first.file}:${first.line}](${first.file}#L${first.line})`), `a link to ${first.file}:${first.line}`);
    assert.equal(result.stdout.split('\n').filter((line) => /^\| (error|warning|info|hint) \|/.test(line)).length, diagnostics.length);
  });

  test('--out with a .md name writes Markdown', async () => {
    const folder = await tempFolder(undefined, 'report-md');
    try {
      const out = folder.path('plan.md');
      const result = await run(['report', 'examples/acme', '--out', out]);
      assert.equal(result.code, 0, result.stderr);
      assert.match(result.stderr, /^throughline: wrote .*plan\.md \(\d+ KB\)\n$/);
      assert.match(await readFile(out, 'utf8'), /^# Strategy report: Every small business gets paid on time\n[\s\S]*```mermaid\n/);
    } finally {
      await folder.dispose();
    }
  });
});

describe('report usage errors', () => {
  test('a missing folder for --out is one line on stderr and exit 2; nothing is written', async () => {
    const folder = await tempFolder(undefined, 'report-missing');
    try {
      const out = folder.path('missing/report.html');
      const result = await run(['report', 'examples/acme', '--out', out]);
      assert.equal(result.code, 2);
      assert.equal(result.stdout, '');
      assert.equal(result.stderr.trimEnd().split('\n').length, 1, result.stderr);
      assert.match(result.stderr, /^throughline: cannot write .*missing\/report\.html: folder .*missing does not exist/);
      assert.equal(existsSync(path.dirname(out)), false);
    } finally {
      await folder.dispose();
    }
  });

  test('--out naming a folder, or a folder that does not exist as input, is a usage error', async () => {
    const folder = await tempFolder(undefined, 'report-dir');
    try {
      const intoFolder = await run(['report', 'examples/acme', '--out', folder.root]);
      assert.equal(intoFolder.code, 2);
      assert.match(intoFolder.stderr, /^throughline: cannot write .*: it is a folder/);
      const noInput = await run(['report', folder.path('nope'), '--out', folder.path('r.html')]);
      assert.equal(noInput.code, 2);
      assert.match(noInput.stderr, /^throughline: cannot read folder .*nope: it does not exist/);
      assert.equal(existsSync(folder.path('r.html')), false);
    } finally {
      await folder.dispose();
    }
  });

  test('a folder that cannot be written to is a usage error, not a stack trace', async () => {
    const folder = await tempFolder(undefined, 'report-readonly');
    try {
      // Readable and searchable, not writable (root runs the CLI as nobody, who may not write there either).
      await chmod(path.dirname(folder.root), 0o755);
      await chmod(folder.root, 0o555);
      const out = folder.path('report.html');
      const result = await run(['report', 'examples/acme', '--out', out], UNPRIVILEGED);
      assert.equal(result.code, 2, result.stderr);
      assert.equal(result.stdout, '');
      assert.equal(result.stderr.trimEnd().split('\n').length, 1, result.stderr);
      assert.ok(result.stderr.startsWith(`throughline: cannot write ${out}: EACCES`), result.stderr);
      assert.equal(existsSync(out), false);
    } finally {
      await chmod(folder.root, 0o755);
      await folder.dispose();
    }
  });
});

describe('report on the 10,000-PRD benchmark workspace', () => {
  // How long it takes is a row of `npm run bench`; here only that the output stays within bounds.
  test('the HTML stays under 2 MB and the Markdown fits a pull-request description', { timeout: 300_000 }, async () => {
    // The workspace `npm run bench` uses, generated once and cached under .cache/bench/.
    const workspace = await generateWorkspace(defaultWorkspaceDir(10000), { prds: 10000 });
    const folder = await tempFolder(undefined, 'report-bench');
    try {
      const out = folder.path('report.html');
      const result = await run(['report', workspace.dir, '--out', out], { timeoutMs: 120_000 });
      assert.equal(result.code, 0, result.stderr);
      const size = (await stat(out)).size;
      assert.ok(size < 2 * 1024 * 1024, `the HTML is ${Math.round(size / 1024)} KB`);
      const markdown = await run(['report', workspace.dir, '--format', 'md'], { timeoutMs: 120_000 });
      assert.equal(markdown.code, 0, markdown.stderr);
      assert.ok(markdown.stdout.length < 65_536, `${markdown.stdout.length} characters of Markdown`);
    } finally {
      await folder.dispose();
    }
  });
});

describe('report --strategy', () => {
  test('one product line: titled after it, the strategy between the vision and its objectives, owners shown', async () => {
    const result = await run(['report', 'examples/acme', '--format', 'md', '--strategy', 'STR-1']);
    assert.equal(result.code, 0, result.stderr);
    assert.ok(
      result.stdout.startsWith('# Strategy report: Every small business gets paid on time · STR-1: Payments strategy, first half of 2027\n'),
      result.stdout.slice(0, 200),
    );
    assert.match(result.stdout, /\n### STR-1: Payments strategy, first half of 2027\n\nOwner: maya\.chen@acme\.test\n\n#### OBJ-1: /);
    const mermaid = /```mermaid\ngraph LR\n([\s\S]*?)\n```/.exec(result.stdout)![1]!;
    assert.match(mermaid, /\["STR-1<br\/>/);
  });

  test('an unknown strategy is a usage error that names the ones there are', async () => {
    const result = await run(['report', 'examples/acme', '--strategy', 'STR-9']);
    assert.equal(result.code, 2);
    assert.equal(result.stdout, '');
    assert.equal(result.stderr, 'throughline: no strategy STR-9 in examples/acme: the strategies are STR-1\n');
  });

  test('near miss: --strategy needs a value, and only report takes it', async () => {
    assert.match((await run(['report', 'examples/acme', '--strategy'])).stderr, /--strategy needs a value/);
    assert.match((await run(['check', 'examples/acme', '--strategy', 'STR-1'])).stderr, /check does not take --strategy/);
  });
});
