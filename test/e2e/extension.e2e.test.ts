/**
 * The Throughline extension, installed from the packaged .vsix, in a real VS Code 1.100 workbench
 * (code-server) driven by headless Chromium. One code-server and one browser serve the whole file;
 * every test loads the workbench on its own fresh copy of examples/acme (or an empty folder), so
 * tests do not see each other's edits. Everything is asserted on the DOM the user sees, waiting for
 * conditions, never for fixed times.
 *
 * Needs `bash scripts/setup-e2e.sh && npm run package` first (npm run pretest:e2e does both).
 * UPDATE_DOC_IMAGES=1 also rewrites the README screenshots in docs/images/.
 */
import { strict as assert } from 'node:assert';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test, type TestContext } from 'node:test';
import type { Page } from 'playwright-core';
import { SERVER_ENVIRONMENT } from '../../common/serverEnvironment';
import {
  saveDocImage,
  widenSideBar,
  UPDATE_DOC_IMAGES,
  activeEditorTitle,
  copyFixture,
  cursorLineText,
  cursorPosition,
  focusActiveEditor,
  goToLine,
  hoverOverText,
  loadWorkbench,
  openFile,
  openViewContainer,
  openWorkbench,
  problemCounts,
  readNotifications,
  readProblems,
  readTree,
  renameSymbol,
  REPO_ROOT,
  runCommand,
  screenshot,
  SELECTORS,
  startCodeServer,
  TEST_RESULTS_DIR,
  typeInEditor,
  UI_TIMEOUT_MS,
  waitForEditorText,
  waitForHover,
  waitForNotification,
  waitForSuggestions,
  waitForTree,
  type CodeServer,
  type Problem,
  type TreeRow,
  type Workbench,
} from './harness.ts';

const VSIX = path.join(REPO_ROOT, 'throughline.vsix');
const ACME = path.join(REPO_ROOT, 'examples/acme');
const VIEW = 'Alignment';
const CONTAINER = 'Throughline';
const TEST_TIMEOUT_MS = 180_000;

/**
 * What `THROUGHLINE_TODAY=2026-11-22 throughline check examples/acme --format json` reports, as the
 * Problems panel must show it (file names only, as the panel groups them).
 */
const ACME_PROBLEMS = [
  {
    file: 'guest-checkout.md',
    line: 38,
    column: 5,
    severity: 'error',
    code: 'untraced-requirement',
    message: 'REQ-1.4 traces to no outcome: add a `Traces: OUT-…` line below it.',
  },
  {
    file: 'ledger-sync.md',
    line: 32,
    column: 16,
    severity: 'info',
    code: 'prd-outcome-mismatch',
    message: "REQ-3.4 traces to OUT-1, which PRD-3's front-matter `outcomes` does not list.",
  },
  {
    file: 'refund-permissions.md',
    line: 7,
    column: 1,
    severity: 'info',
    code: 'stale-document',
    message: 'This review document was last updated on 2026-06-30, more than 90 days ago: review it and bump `updated`, or mark it deprecated.',
  },
  {
    file: 'refund-permissions.md',
    line: 8,
    column: 12,
    severity: 'warning',
    code: 'deprecated-target',
    message: 'OUT-6 is deprecated: link to its replacement instead.',
  },
  {
    file: 'refund-permissions.md',
    line: 19,
    column: 9,
    severity: 'warning',
    code: 'deprecated-target',
    message: 'OUT-6 is deprecated: link to its replacement instead.',
  },
  {
    file: 'refund-permissions.md',
    line: 23,
    column: 9,
    severity: 'warning',
    code: 'deprecated-target',
    message: 'OUT-6 is deprecated: link to its replacement instead.',
  },
  {
    file: 'smart-reminders.md',
    line: 26,
    column: 11,
    severity: 'error',
    code: 'unknown-reference',
    message: 'OUT-14 is not defined anywhere in the workspace.',
  },
  {
    file: 'smart-reminders.md',
    line: 29,
    column: 11,
    severity: 'error',
    code: 'wrong-link-kind',
    message: '`Traces:` expects an outcome, but OBJ-2 is an objective.',
  },
  {
    file: 'payments-2027-h1.md',
    line: 3,
    column: 5,
    severity: 'warning',
    code: 'objective-count',
    message: 'STR-1 has 4 objectives for 2027-H1; keep at most 3 so each gets real attention.',
  },
  {
    file: 'payments-2027-h1.md',
    line: 7,
    column: 1,
    severity: 'info',
    code: 'innovation-mix-drift',
    message:
      'The PRDs delivering this strategy drift from its innovation mix by more than 10 points: core 75% (target 50%), adjacent 25% (target 30%), disruptive 0% (target 20%) across 4 PRDs.',
  },
  {
    file: 'payments-2027-h1.md',
    line: 59,
    column: 3,
    severity: 'info',
    code: 'output-key-result',
    message:
      'KR-2.3 reads as an output ("launch …"), not a measurable change: state the outcome it should move, e.g. a rate, time or count with a baseline and target.',
  },
  {
    file: 'payments-2027-h1.md',
    line: 67,
    column: 5,
    severity: 'warning',
    code: 'orphan-outcome',
    message: 'No requirement traces to OUT-4: nothing delivers this outcome yet.',
  },
  {
    file: 'payments-2027-h1.md',
    line: 76,
    column: 12,
    severity: 'error',
    code: 'key-result-target',
    message: 'KR-3.1: `Current:` is in a plain number but the baseline and target in "%".',
  },
  {
    file: 'payments-2027-h1.md',
    line: 78,
    column: 3,
    severity: 'warning',
    code: 'unmeasurable-key-result',
    message: 'KR-3.2 is not measurable: it needs a numeric `Baseline:`, a numeric `Target:` and a `Due:` date (YYYY-MM-DD).',
  },
  {
    file: 'payments-2027-h1.md',
    line: 92,
    column: 4,
    severity: 'warning',
    code: 'key-result-count',
    message: 'OBJ-4 has 1 key result; an objective needs at least 2 to be tracked without diluting focus.',
  },
  {
    file: 'payments-2027-h1.md',
    line: 98,
    column: 8,
    severity: 'warning',
    code: 'due-outside-period',
    message: "KR-4.1 is due 2027-09-30, outside the strategy's period 2027-H1 (2027-01-01 to 2027-06-30).",
  },
  {
    file: 'payments-2027-h1.md',
    line: 100,
    column: 5,
    severity: 'warning',
    code: 'orphan-outcome',
    message: 'No requirement traces to OUT-7: nothing delivers this outcome yet.',
  },
] as const;
/** How ACME_PROBLEMS count in the status bar. */
const ACME_COUNTS = { errors: 4, warnings: 9, infos: 4 };
/** Coverage of examples/acme: 10 of its 13 requirements trace to an outcome (Math.round, as the status bar rounds). */
const ACME_COVERAGE = '⛓ 77% traced';

type ExpectedProblem = { file: string; line: number; column: number; severity: string; code: string; message: string };

/** The one problem of ACME_PROBLEMS with rule `code`. */
function acmeProblem(code: string): ExpectedProblem {
  const found = ACME_PROBLEMS.filter((problem) => problem.code === code);
  if (found.length !== 1) throw new Error(`ACME_PROBLEMS has ${found.length} ${code} problems, not one`);
  return found[0]!;
}

/** A problem as compared in assertions: where, what rule, how severe, from which source. */
function summarize(problem: Problem): string {
  return `${problem.file}:${problem.line}:${problem.column} ${problem.severity} ${problem.source}(${problem.code}) ${problem.message}`;
}
function expected(problem: ExpectedProblem): string {
  return `${problem.file}:${problem.line}:${problem.column} ${problem.severity} throughline(${problem.code}) ${problem.message}`;
}
const sorted = (lines: string[]) => [...lines].sort();
const sameProblems = (shown: Problem[], wanted: readonly ExpectedProblem[]) =>
  JSON.stringify(sorted(shown.map(summarize))) === JSON.stringify(sorted(wanted.map(expected)));

/** The status-bar entry of the extension (`⛓ 77% traced`). */
const COVERAGE_ITEM = `${SELECTORS.statusBar} [id$="throughline.coverage"]`;

async function waitForCoverage(page: Page, text: string): Promise<void> {
  await page
    .waitForFunction(
      ({ selector, text }) => (document.querySelector<HTMLElement>(selector)?.innerText ?? '').trim() === text,
      { selector: COVERAGE_ITEM, text },
      { timeout: UI_TIMEOUT_MS },
    )
    .catch(async (error: unknown) => {
      const shown = await page
        .locator(COVERAGE_ITEM)
        .innerText()
        .catch(() => '(no coverage item)');
      throw new Error(`status bar never showed ${JSON.stringify(text)} (shows ${JSON.stringify(shown)})\n${String(error)}`);
    });
}

/** A tree label matches an ID (`OBJ-2` matches "OBJ-2: Help businesses…") or, for groups, the whole title. */
function labelMatches(label: string, key: string): boolean {
  return /^[A-Z]+-[\w.-]+$/.test(key) ? label.startsWith(`${key}:`) : label === key;
}
function findRow(rows: TreeRow[], key: string, parentPath?: string[]): TreeRow | undefined {
  return rows.find(
    (row) =>
      labelMatches(row.label, key) &&
      (!parentPath || (row.path.length === parentPath.length && row.path.every((label, i) => labelMatches(label, parentPath[i]!)))),
  );
}
/** The path of a row as IDs (or group titles), root first, ending with the row itself. */
function idPath(row: TreeRow): string[] {
  return [...row.path, row.label].map((label) => /^([A-Z]+-[\w.-]+):/.exec(label)?.[1] ?? label);
}
function formatTree(rows: TreeRow[]): string {
  return rows.map((row) => `${'  '.repeat(row.level - 1)}${row.label}  [${row.description}]`).join('\n');
}

/** Expands the tree along `keys` (IDs or group titles, root first), each under the one before. */
async function expandTreePath(page: Page, keys: string[]): Promise<void> {
  for (let depth = 0; depth < keys.length; depth++) {
    const parentPath = keys.slice(0, depth);
    const rows = await waitForTree(page, VIEW, (rows) => findRow(rows, keys[depth]!, parentPath) !== undefined);
    const row = findRow(rows, keys[depth]!, parentPath)!;
    if (row.expanded === true) continue;
    if (row.expanded === undefined) throw new Error(`${keys.slice(0, depth + 1).join(' › ')} has no children:\n${formatTree(rows)}`);
    // The row is found by its level and label when clicked, not by the index read before: a refresh
    // in between (the server's alignment notification) can move it, and the click then landed on
    // the row below. A click that a redraw swallowed is made again.
    const element = page
      .locator(`${SELECTORS.sideBarTrees}[aria-label="${VIEW}"] .monaco-list-row[aria-level="${row.level}"]`)
      .filter({ has: page.locator('.label-name', { hasText: new RegExp(`^${row.label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) }) });
    const drawn = (rows: TreeRow[]) => {
      const expanded = findRow(rows, keys[depth]!, parentPath);
      return expanded?.expanded === true && rows.find((next) => next.index === expanded.index + 1)?.level === expanded.level + 1;
    };
    for (let attempt = 1; ; attempt++) {
      // Clicked only while collapsed: a second click on an expanded row would fold it again.
      if (findRow(await readTree(page, VIEW), keys[depth]!, parentPath)?.expanded !== true) await element.locator('.monaco-tl-twistie').click();
      // The tree loads children on demand: wait until they are drawn, or later rows would still move.
      try {
        await waitForTree(page, VIEW, drawn, attempt < 3 ? 5_000 : undefined);
        break;
      } catch (error) {
        if (attempt >= 3) throw error;
      }
    }
  }
}

/** Every Markdown file under `folder`, relative path → text. */
async function readMarkdownFiles(folder: string): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  for (const entry of await readdir(folder, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.md')) continue;
    const full = path.join(entry.parentPath, entry.name);
    files[path.relative(folder, full).split(path.sep).join('/')] = await readFile(full, 'utf8');
  }
  return files;
}

/**
 * waitForProblems (harness.ts), with the Problems tree scrolled to its top before every read.
 * readProblems pages down through a list longer than the panel from where it believes the top is,
 * but its one `wheel(0, -1e6)` moves the list up by two or three rows only (the workbench's list
 * takes any wheel event as a small step), and each read leaves the list scrolled down. Once acme's
 * problems no longer fit the panel, every read after the first lost the first rows.
 */
async function waitForAllProblems(page: Page, predicate: (problems: Problem[]) => boolean, timeoutMs = UI_TIMEOUT_MS): Promise<Problem[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await scrollProblemsToTop(page);
    const shown = await readProblems(page);
    if (predicate(shown)) return shown;
    if (Date.now() > deadline)
      throw new Error(`the Problems panel did not reach the expected state within ${timeoutMs} ms; last seen:\n${JSON.stringify(shown, null, 2)}`);
    await page.waitForTimeout(200); // polling interval, not a fixed wait for a state
  }
}

/** Scrolls the Problems tree up, a wheel step at a time, until its first row shows at its top. */
async function scrollProblemsToTop(page: Page): Promise<void> {
  const tree = page.locator(SELECTORS.problemsTree);
  if (!(await tree.isVisible())) return; // readProblems opens the panel, which then shows its top
  const box = await tree.boundingBox();
  if (!box) return;
  const firstRendered = () =>
    page.evaluate(
      ({ selector, top }) => {
        const rows = Array.from(document.querySelectorAll(selector));
        const indexes = rows.map((row) => Number(row.getAttribute('data-index')));
        const first = rows.find((row) => row.getAttribute('data-index') === '0');
        return { index: indexes.length ? Math.min(...indexes) : -1, atTop: !rows.length || (!!first && first.getBoundingClientRect().top >= top - 1) };
      },
      { selector: SELECTORS.problemsRows, top: box.y },
    );
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  for (let step = 0; step < 500; step++) {
    const before = await firstRendered();
    if (before.atTop) return;
    await page.mouse.wheel(0, -box.height);
    await page
      .waitForFunction(
        ({ selector, index }) => Array.from(document.querySelectorAll(selector)).some((row) => Number(row.getAttribute('data-index')) < index),
        { selector: SELECTORS.problemsRows, index: before.index },
        { timeout: 1_000 },
      )
      .catch(() => undefined); // the last step moves the first row by less than a row
  }
  throw new Error('the Problems tree never scrolled back to its first row');
}

/**
 * Waits until the cursor's line reads `text`. Right after typing, the status bar's cursor position
 * and the rendered lines can be one frame apart, so a single read may see the line above.
 */
async function waitForCursorLine(page: Page, text: string, timeoutMs = UI_TIMEOUT_MS): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const line = await cursorLineText(page);
    if (line === text) return;
    if (Date.now() > deadline) throw new Error(`the cursor's line never read ${JSON.stringify(text)}; it reads ${JSON.stringify(line)}`);
    await page.waitForTimeout(100); // polling interval
  }
}

/** Polls the disk (not the UI) until `predicate` holds for the file; returns its text. */
async function waitForFile(file: string, predicate: (text: string | undefined) => boolean, timeoutMs = UI_TIMEOUT_MS): Promise<string | undefined> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const text = await readFile(file, 'utf8').catch(() => undefined);
    if (predicate(text)) return text;
    if (Date.now() > deadline) throw new Error(`${file} never reached the expected state; it holds:\n${text ?? '(missing)'}`);
    await new Promise((resolve) => setTimeout(resolve, 100)); // polling interval
  }
}

/**
 * For README screenshots (UPDATE_DOC_IMAGES=1), a side bar wide enough for whole tree labels and
 * the objectives' progress after them; call it early.
 */
async function layoutForDocImage(page: Page): Promise<void> {
  if (UPDATE_DOC_IMAGES) await widenSideBar(page, 600);
}

describe('Throughline in the real VS Code workbench', { timeout: 30 * 60_000 }, () => {
  let server: CodeServer | undefined;
  let workbench: Workbench | undefined;
  const cleanups: (() => Promise<void>)[] = [];
  let failures = 0;

  const page = (): Page => {
    if (!workbench) throw new Error('the workbench did not open (see the before hook)');
    return workbench.page;
  };

  /** A fresh copy of examples/acme, removed in `after`. */
  async function freshAcme(): Promise<string> {
    const copy = await copyFixture(ACME);
    cleanups.push(copy.remove);
    return copy.folder;
  }

  /** Log files that existed before the current window was loaded (those of earlier windows). */
  let earlierLogs = new Set<string>();

  /** Loads the workbench on `folder` (undefined: a window with no folder) with the extension running. */
  async function open(folder: string | undefined): Promise<Page> {
    earlierLogs = new Set(Object.keys(server!.logFiles()));
    await loadWorkbench(page(), server!.url, folder);
    return page();
  }

  /**
   * Waits until the "Throughline" output of the current window (where the client traces its LSP
   * messages, see the settings in `before`) matches `pattern`.
   */
  async function waitForThroughlineLog(pattern: RegExp, timeoutMs = UI_TIMEOUT_MS): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const log = Object.entries(server!.logFiles())
        .filter(([name]) => !earlierLogs.has(name) && name.endsWith('Throughline.log'))
        .map(([, text]) => text)
        .join('\n');
      if (pattern.test(log)) return;
      if (Date.now() > deadline) throw new Error(`the Throughline output never matched ${pattern}; it holds:\n${log}`);
      await new Promise((resolve) => setTimeout(resolve, 100)); // polling interval
    }
  }

  /** Loads a fresh acme copy and waits until the server has indexed it (the coverage figure shows). */
  async function openAcme(): Promise<{ page: Page; folder: string }> {
    const folder = await freshAcme();
    const p = await open(folder);
    await waitForCoverage(p, ACME_COVERAGE);
    return { page: p, folder };
  }

  /** The environment of every running Throughline server process (Linux's /proc), as `NAME=value` entries. */
  async function serverProcessEnvironments(): Promise<string[][]> {
    const environments: string[][] = [];
    for (const pid of (await readdir('/proc')).filter((name) => /^\d+$/.test(name))) {
      const read = async (file: string) => (await readFile(`/proc/${pid}/${file}`, 'utf8').catch(() => '')).split('\0');
      if ((await read('cmdline')).some((argument) => argument.endsWith(`${path.sep}dist${path.sep}server.js`))) environments.push(await read('environ'));
    }
    return environments;
  }

  /** Runs a test body; saves `test-results/extension-<name>.png` at its end, or `…-failure.png` when it fails. */
  function scenario(name: string, title: string, body: (t: TestContext) => Promise<void>): void {
    test(title, { timeout: TEST_TIMEOUT_MS }, async (t) => {
      try {
        await body(t);
        t.diagnostic(`screenshot: ${await screenshot(page(), `extension-${name}`)}`);
      } catch (error) {
        failures++;
        if (workbench) {
          const file = await screenshot(workbench.page, `extension-${name}-failure`).catch(() => undefined);
          if (file) t.diagnostic(`failure screenshot: ${file}`);
        }
        throw error;
      }
    });
  }

  before(async () => {
    assert.ok(existsSync(VSIX), `${VSIX} is missing: run  npm run package`);
    const start = await mkdtemp(path.join(os.tmpdir(), 'throughline-e2e-start-'));
    cleanups.push(() => rm(start, { recursive: true, force: true }));
    // The client traces its LSP messages into the "Throughline" output: tests can wait for an answer of the server.
    server = await startCodeServer({ workspaceFolder: start, vsixPath: VSIX, settings: { 'throughline.trace.server': 'messages' } });
    workbench = await openWorkbench(server.url, undefined);
  });

  after(async () => {
    if (workbench) {
      // Mostly VS Code's own noise of reloading a window (cancelled reads, IndexedDB closed), so
      // kept in a file rather than printed.
      if (workbench.consoleErrors.length > 0) {
        await mkdir(TEST_RESULTS_DIR, { recursive: true });
        const log = path.join(TEST_RESULTS_DIR, 'extension-console-errors.log');
        await writeFile(log, workbench.consoleErrors.join('\n') + '\n');
        console.log(`# ${workbench.consoleErrors.length} browser console errors: ${log}`);
      }
      await workbench.close().catch(() => undefined);
    }
    if (server) {
      if (failures > 0) {
        await mkdir(TEST_RESULTS_DIR, { recursive: true });
        const log = path.join(TEST_RESULTS_DIR, 'extension-code-server.log');
        const logFiles = server.logFiles();
        await writeFile(log, [server.logs(), ...Object.entries(logFiles).map(([name, text]) => `\n===== ${name}\n${text}`)].join('\n'));
        console.log(`# code-server output and logs: ${log}`);
      }
      await server.stop();
    }
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
  });

  scenario('01-problems', 'the Problems panel lists the diagnostics of examples/acme with their rule codes', async () => {
    const { page } = await openAcme();
    const problems = await waitForAllProblems(page, (shown) => sameProblems(shown, ACME_PROBLEMS)).catch((error: unknown) => {
      throw new Error(`expected:\n${sorted(ACME_PROBLEMS.map(expected)).join('\n')}\n${String(error)}`);
    });
    assert.equal(problems.length, 17);
    for (const problem of problems) assert.equal(problem.source, 'throughline', summarize(problem));
    assert.deepEqual(problems.map((problem) => problem.code).sort(), [
      'deprecated-target',
      'deprecated-target',
      'deprecated-target',
      'due-outside-period',
      'innovation-mix-drift',
      'key-result-count',
      'key-result-target',
      'objective-count',
      'orphan-outcome',
      'orphan-outcome',
      'output-key-result',
      'prd-outcome-mismatch',
      'stale-document',
      'unknown-reference',
      'unmeasurable-key-result',
      'untraced-requirement',
      'wrong-link-kind',
    ]);
    // Infos show with their own icon and count, not as warnings.
    assert.deepEqual(
      problems
        .filter((problem) => problem.severity === 'info')
        .map((problem) => problem.code)
        .sort(),
      ['innovation-mix-drift', 'output-key-result', 'prd-outcome-mismatch', 'stale-document'],
    );
    assert.deepEqual(await problemCounts(page), ACME_COUNTS);
    // Problems of files nobody opened: the server checks the whole workspace.
    assert.equal(await activeEditorTitle(page), undefined);
    // The client started the server with what common/serverEnvironment.ts says (its memory stays flat).
    const servers = await serverProcessEnvironments();
    assert.ok(servers.length > 0, 'the server process is running');
    for (const environment of servers)
      for (const [name, value] of Object.entries(SERVER_ENVIRONMENT))
        assert.ok(environment.includes(`${name}=${value}`), `the server runs with ${name}=${value}`);
  });

  scenario('02-hover', 'hovering a reference shows the outcome, its title and its chain up to the objective and vision', async () => {
    const { page } = await openAcme();
    // The tree and the Problems panel are not needed here, but make the README image.
    await openViewContainer(page, CONTAINER);
    await layoutForDocImage(page);
    await openFile(page, 'prds/guest-checkout.md');
    await waitForAllProblems(page, (shown) => sameProblems(shown, ACME_PROBLEMS));
    await scrollProblemsToTop(page); // the README image shows the errors, which come first
    await goToLine(page, 30);
    await waitForEditorText(page, 'Traces: OUT-1');
    await hoverOverText(page, 'OUT-1', 'Traces: OUT-1');
    const text = await waitForHover(page, ['OUT-1 — Payers complete payment without creating an account']);
    assert.match(text, /outcome · owner: ines\.alves@acme\.test · strategy\/payments-2027-h1\.md/);
    assert.ok(
      text.includes(
        'OUT-1 → OBJ-1 (Make paying an invoice effortless for the payer) → STR-1 (Payments strategy, first half of 2027) → VIS-1 (Every small business gets paid on time)',
      ),
      `hover lacks the chain to the objective and vision:\n${text}`,
    );
    // REQ-1.1 and REQ-1.2 of PRD-1, and REQ-3.4 of PRD-3.
    assert.match(text, /Traced by 3 requirements\./);
    await saveDocImage(page, 'problems-hover.png');
  });

  scenario('03-completion', 'typing `Traces: OUT-` under REQ-1.4 offers the outcome IDs, and accepting one clears untraced-requirement', async () => {
    const { page } = await openAcme();
    await openFile(page, 'prds/guest-checkout.md');
    await waitForAllProblems(page, (shown) => sameProblems(shown, ACME_PROBLEMS));
    await goToLine(page, 38);
    await waitForEditorText(page, '### REQ-1.4: Show a receipt page after payment');
    await page.keyboard.press('End');
    await typeInEditor(page, '\nTraces: OUT-');
    const rows = await waitForSuggestions(page, (rows) => rows.some((row) => row.label.startsWith('OUT-')));
    assert.deepEqual(
      rows.map((row) => row.label),
      ['OUT-1', 'OUT-2', 'OUT-3', 'OUT-4', 'OUT-5', 'OUT-6', 'OUT-7'],
    );
    assert.match(rows[0]!.ariaLabel, /^OUT-1, Payers complete payment without creating an account/);
    await screenshot(page, 'extension-03-completion-suggestions');
    const focused = rows.find((row) => row.focused);
    assert.ok(focused, 'no suggestion is focused');
    // OUT-1 is in PRD-1's front-matter `outcomes` and already delivered: accepting it clears REQ-1.4's problem and adds none.
    assert.equal(focused.label, 'OUT-1', 'the first suggestion is not the focused one');
    await page.keyboard.press('Enter');
    await page.locator(SELECTORS.suggestRows).first().waitFor({ state: 'hidden' });
    await waitForEditorText(page, `Traces: ${focused.label}`);
    await waitForCursorLine(page, `Traces: ${focused.label}`);
    const problems = await waitForAllProblems(page, (shown) =>
      sameProblems(
        shown,
        ACME_PROBLEMS.filter((p) => p.code !== 'untraced-requirement'),
      ),
    );
    assert.ok(!problems.some((problem) => problem.code === 'untraced-requirement'));
  });

  scenario('04-definition', 'F12 on a reference opens the defining file at the outcome heading', async () => {
    const { page } = await openAcme();
    await openFile(page, 'prds/guest-checkout.md');
    await goToLine(page, 35, 11); // "Traces: OUT-2", inside OUT-2
    assert.equal(await cursorLineText(page), 'Traces: OUT-2');
    await focusActiveEditor(page);
    await page.keyboard.press('F12');
    await page.waitForFunction(
      (selector) => document.querySelector(selector)?.getAttribute('data-resource-name') === 'payments-2027-h1.md',
      SELECTORS.activeTab,
    );
    assert.equal(await activeEditorTitle(page), 'payments-2027-h1.md');
    await page.waitForFunction((selector) => /^Ln 40,/.test(document.querySelector(selector)?.getAttribute('aria-label') ?? ''), SELECTORS.statusCursor);
    assert.equal((await cursorPosition(page))?.line, 40);
    assert.equal(await cursorLineText(page), '### OUT-2: Payers can pay with the method they already use');
  });

  scenario('05-rename', 'F2 renames an outcome in every file that mentions it', async () => {
    const { page, folder } = await openAcme();
    const before = await readMarkdownFiles(folder);
    await openFile(page, 'prds/guest-checkout.md');
    await goToLine(page, 35, 11); // "Traces: OUT-2"
    const proposed = await renameSymbol(page, 'OUT-22');
    assert.equal(proposed, 'OUT-2');
    await waitForEditorText(page, 'Traces: OUT-22');
    await runCommand(page, 'File: Save All Files');
    await page.locator(`${SELECTORS.tabs}.dirty`).first().waitFor({ state: 'detached' });
    const strategy = path.join(folder, 'strategy/payments-2027-h1.md');
    await waitForFile(strategy, (text) => !!text?.includes('### OUT-22: Payers can pay with the method they already use'));
    await waitForFile(path.join(folder, 'prds/guest-checkout.md'), (text) => !!text?.includes('Traces: OUT-22'));
    const afterRename = await readMarkdownFiles(folder);
    for (const [file, text] of Object.entries(afterRename)) {
      assert.doesNotMatch(text, /\bOUT-2\b/, `${file} still mentions OUT-2`);
      // Nothing but the ID changed.
      assert.equal(text, before[file]!.replace(/\bOUT-2\b/g, 'OUT-22'), `${file} changed beyond the rename`);
    }
    const guest = afterRename['prds/guest-checkout.md']!;
    assert.match(guest, /^outcomes: \[OUT-1, OUT-22\]$/m);
    assert.match(guest, /^Traces: OUT-1, OUT-22$/m);
    assert.match(guest, /^### REQ-1\.3: Offer the two local wallets\nTraces: OUT-22$/m);
    // The workspace still checks the same: the rename broke no link.
    await waitForAllProblems(page, (shown) => sameProblems(shown, ACME_PROBLEMS));
  });

  scenario('06-tree', 'the alignment tree shows vision, objectives, outcomes, requirements and the untraced group; a click opens the requirement', async () => {
    const { page } = await openAcme();
    await openViewContainer(page, CONTAINER);
    await layoutForDocImage(page);
    // The vision and its strategy (the product line) open by themselves, down to the objectives.
    let rows = await waitForTree(page, VIEW, (rows) => !!findRow(rows, 'Untraced requirements', []) && !!findRow(rows, 'OBJ-4', ['VIS-1', 'STR-1']));
    assert.deepEqual(
      rows.filter((row) => row.level === 1).map((row) => row.label),
      ['VIS-1: Every small business gets paid on time', 'Untraced requirements', 'Outcomes nothing delivers', 'Unaligned outcomes', 'Portfolio'],
      formatTree(rows),
    );
    assert.deepEqual(
      rows.filter((row) => row.level === 2).map((row) => row.label.split(':')[0]),
      ['STR-1'],
      formatTree(rows),
    );
    assert.deepEqual(
      rows.filter((row) => row.level === 3).map((row) => row.label),
      [
        'OBJ-1: Make paying an invoice effortless for the payer',
        'OBJ-2: Help businesses get paid before the due date',
        'OBJ-3: Earn the trust of larger customers',
        'OBJ-4: Help businesses plan their cash',
      ],
    );
    assert.equal(findRow(rows, 'VIS-1')?.description, 'approved · 4 objectives');
    assert.equal(findRow(rows, 'Untraced requirements')?.description, '3 requirements');
    // An objective shows its progress (the mean of its measurable key results, rounded down) and its own problems, not its
    // file's (one error, six warnings): only OBJ-4 has one (key-result-count). OBJ-3 has no progress: KR-3.1's `Current:`
    // is in another unit than its target, and KR-3.2 is not measurable.
    assert.deepEqual(
      rows.filter((row) => row.level === 3).map((row) => row.description),
      [
        '30% progress · 2 KRs · 2 outcomes · 4 requirements',
        '6% progress · 3 KRs · 2 outcomes · 2 requirements',
        '2 KRs · 2 outcomes · 5 requirements',
        '0% progress · 1 KR · 1 outcome · 0 requirements · ⚠ 1',
      ],
      formatTree(rows),
    );
    // The file's problem count is no decoration badge on every item of the file.
    for (const objective of ['OBJ-1', 'OBJ-2', 'OBJ-3', 'OBJ-4']) assert.equal(findRow(rows, objective)?.badge, '', `${objective} carries a decoration badge`);

    await expandTreePath(page, ['VIS-1', 'STR-1', 'OBJ-1', 'KR-1.1', 'OUT-1', 'PRD-1']);
    await expandTreePath(page, ['Untraced requirements', 'PRD-1']);
    await expandTreePath(page, ['Untraced requirements', 'PRD-2']);
    rows = await waitForTree(page, VIEW, (rows) => !!findRow(rows, 'REQ-2.4'));
    const requirement = findRow(rows, 'REQ-1.1');
    assert.deepEqual(requirement && idPath(requirement), ['VIS-1', 'STR-1', 'OBJ-1', 'KR-1.1', 'OUT-1', 'PRD-1', 'REQ-1.1'], formatTree(rows));
    assert.equal(requirement?.label, 'REQ-1.1: Pay an invoice without an account');
    assert.deepEqual(idPath(findRow(rows, 'REQ-1.2')!), ['VIS-1', 'STR-1', 'OBJ-1', 'KR-1.1', 'OUT-1', 'PRD-1', 'REQ-1.2']);
    assert.equal(findRow(rows, 'OUT-1')?.label, 'OUT-1: Payers complete payment without creating an account');
    assert.equal(findRow(rows, 'OUT-1')?.description, '3 requirements');
    assert.equal(findRow(rows, 'PRD-1', ['VIS-1', 'STR-1', 'OBJ-1', 'KR-1.1', 'OUT-1'])?.description, 'approved · 2 requirements');
    // REQ-3.4 of PRD-3 also traces to OUT-1.
    assert.equal(findRow(rows, 'PRD-3', ['VIS-1', 'STR-1', 'OBJ-1', 'KR-1.1', 'OUT-1'])?.description, 'draft · 1 requirement');
    assert.deepEqual(
      rows.filter((row) => row.path[0] === 'Untraced requirements' && row.level === 3).map(idPath),
      [
        ['Untraced requirements', 'PRD-1', 'REQ-1.4'],
        ['Untraced requirements', 'PRD-2', 'REQ-2.3'],
        ['Untraced requirements', 'PRD-2', 'REQ-2.4'],
      ],
      formatTree(rows),
    );

    // A click on a requirement opens its file at its heading.
    await waitForAllProblems(page, (shown) => sameProblems(shown, ACME_PROBLEMS)); // opens the Problems panel for the README image
    await scrollProblemsToTop(page);
    await openFile(page, 'vision.md');
    const untracedRow = rows.find((row) => row.path[0] === 'Untraced requirements' && labelMatches(row.label, 'REQ-1.4'))!;
    await page.locator(`${SELECTORS.sideBarTrees}[aria-label="${VIEW}"] .monaco-list-row[data-index="${untracedRow.index}"] .label-name`).click();
    await page.waitForFunction((selector) => document.querySelector(selector)?.getAttribute('data-resource-name') === 'guest-checkout.md', SELECTORS.activeTab);
    await page.waitForFunction((selector) => /^Ln 38,/.test(document.querySelector(selector)?.getAttribute('aria-label') ?? ''), SELECTORS.statusCursor);
    assert.equal(await cursorLineText(page), '### REQ-1.4: Show a receipt page after payment');

    // The README image: the expanded tree, the PRD it opened and the Problems panel.
    await saveDocImage(page, 'alignment-tree.png');
  });

  scenario('07-tree-follows-edits', 'adding a Traces line moves the requirement under its outcome and raises the coverage figure', async () => {
    const { page } = await openAcme();
    await openFile(page, 'prds/guest-checkout.md');
    await openViewContainer(page, CONTAINER);
    await expandTreePath(page, ['Untraced requirements', 'PRD-1']);
    let rows = await waitForTree(page, VIEW, (rows) => !!findRow(rows, 'REQ-1.4', ['Untraced requirements', 'PRD-1']));
    assert.equal(findRow(rows, 'Untraced requirements')?.description, '3 requirements');
    assert.equal(findRow(rows, 'Outcomes nothing delivers')?.description, '2 outcomes');
    assert.equal(findRow(rows, 'OUT-4', ['VIS-1', 'STR-1', 'OBJ-2', 'KR-2.1']), undefined); // OBJ-2 is collapsed
    await waitForCoverage(page, ACME_COVERAGE);

    await goToLine(page, 38);
    await page.keyboard.press('End');
    await typeInEditor(page, '\nTraces: OUT-4');
    await waitForEditorText(page, 'Traces: OUT-4');
    if (await page.locator(SELECTORS.suggestRows).first().isVisible()) {
      await page.keyboard.press('Escape');
      await page.locator(SELECTORS.suggestRows).first().waitFor({ state: 'hidden' });
    }
    await waitForCursorLine(page, 'Traces: OUT-4');

    // Unsaved: the tree and the status bar follow the editor's text. 11 of 13 requirements: 84.6%, rounded.
    await waitForCoverage(page, '⛓ 85% traced');
    rows = await waitForTree(page, VIEW, (rows) => findRow(rows, 'Untraced requirements')?.description === '2 requirements');
    assert.equal(findRow(rows, 'REQ-1.4', ['Untraced requirements', 'PRD-1']), undefined, formatTree(rows));
    assert.equal(findRow(rows, 'Outcomes nothing delivers')?.description, '1 outcome');
    await expandTreePath(page, ['VIS-1', 'STR-1', 'OBJ-2', 'KR-2.1', 'OUT-4', 'PRD-1']);
    rows = await waitForTree(page, VIEW, (rows) => !!findRow(rows, 'REQ-1.4', ['VIS-1', 'STR-1', 'OBJ-2', 'KR-2.1', 'OUT-4', 'PRD-1']));
    assert.equal(findRow(rows, 'OUT-4')?.description, '1 requirement');
    assert.deepEqual(
      rows.filter((row) => labelMatches(row.label, 'REQ-1.4')).map(idPath),
      [['VIS-1', 'STR-1', 'OBJ-2', 'KR-2.1', 'OUT-4', 'PRD-1', 'REQ-1.4']],
      formatTree(rows),
    );
  });

  scenario('08-delete-file', 'deleting the strategy removes its items and problems, and references to its IDs become unknown-reference', async () => {
    const { page, folder } = await openAcme();
    await openViewContainer(page, CONTAINER);
    await waitForAllProblems(page, (shown) => sameProblems(shown, ACME_PROBLEMS));
    await waitForTree(page, VIEW, (rows) => !!findRow(rows, 'OBJ-1'));

    await rm(path.join(folder, 'strategy/payments-2027-h1.md'));

    const unknown = (file: string, line: number, column: number, id: string, severity = 'error'): ExpectedProblem => ({
      file,
      line,
      column,
      severity,
      code: 'unknown-reference',
      message: `${id} is not defined anywhere in the workspace.`,
    });
    const afterDelete: ExpectedProblem[] = [
      unknown('guest-checkout.md', 8, 12, 'OUT-1'),
      unknown('guest-checkout.md', 8, 19, 'OUT-2'),
      unknown('guest-checkout.md', 20, 57, 'OUT-1', 'warning'),
      unknown('guest-checkout.md', 25, 9, 'OUT-1'),
      unknown('guest-checkout.md', 31, 9, 'OUT-1'),
      unknown('guest-checkout.md', 31, 16, 'OUT-2'),
      unknown('guest-checkout.md', 35, 9, 'OUT-2'),
      acmeProblem('untraced-requirement'),
      unknown('ledger-sync.md', 8, 12, 'OUT-5'),
      unknown('ledger-sync.md', 24, 9, 'OUT-5'),
      unknown('ledger-sync.md', 28, 9, 'OUT-5'),
      unknown('ledger-sync.md', 32, 9, 'OUT-5'),
      unknown('ledger-sync.md', 32, 16, 'OUT-1'),
      // The PRD's own date, not the strategy's: it stays.
      acmeProblem('stale-document'),
      unknown('refund-permissions.md', 8, 12, 'OUT-6'),
      unknown('refund-permissions.md', 19, 9, 'OUT-6'),
      unknown('refund-permissions.md', 23, 9, 'OUT-6'),
      unknown('smart-reminders.md', 8, 12, 'OUT-3'),
      unknown('smart-reminders.md', 8, 19, 'OUT-4'),
      unknown('smart-reminders.md', 20, 11, 'OUT-3'),
      unknown('smart-reminders.md', 23, 11, 'OUT-3'),
      unknown('smart-reminders.md', 26, 11, 'OUT-14'),
      unknown('smart-reminders.md', 29, 11, 'OBJ-2'),
    ];
    const problems = await waitForAllProblems(page, (shown) => sameProblems(shown, afterDelete)).catch((error: unknown) => {
      throw new Error(`expected:\n${sorted(afterDelete.map(expected)).join('\n')}\n${String(error)}`);
    });
    assert.ok(!problems.some((problem) => problem.file === 'payments-2027-h1.md'));
    assert.deepEqual(await problemCounts(page), { errors: 21, warnings: 1, infos: 1 });

    const rows = await waitForTree(page, VIEW, (rows) => findRow(rows, 'VIS-1')?.description === 'approved · 0 objectives');
    assert.ok(!rows.some((row) => /^(STR|OBJ|KR|OUT)-/.test(row.label)), formatTree(rows));
    assert.equal(findRow(rows, 'Untraced requirements')?.description, '13 requirements');
    assert.equal(findRow(rows, 'Outcomes nothing delivers')?.description, '0 outcomes');
    await waitForCoverage(page, '⛓ 0% traced');
  });

  scenario('09-welcome', 'an empty folder shows the welcome view, and "Create a starter set" creates three files and fills the tree', async () => {
    const parent = await mkdtemp(path.join(os.tmpdir(), 'throughline-e2e-empty-'));
    cleanups.push(() => rm(parent, { recursive: true, force: true }));
    const folder = path.join(parent, 'empty');
    await mkdir(folder);
    const page = await open(folder);
    await openViewContainer(page, CONTAINER);
    // The welcome view shows at once; it must still show once the server has answered with the
    // (empty) tree, not just until then. A request waits for indexing, so its answer is final.
    await waitForThroughlineLog(/Received response 'throughline\/alignmentTree - \(\d+\)'/);
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
    const welcome = page.locator(SELECTORS.sideBarWelcome);
    await welcome.filter({ hasText: 'No strategy documents found in this workspace.' }).waitFor({ timeout: 1_000 });
    assert.deepEqual(await readTree(page, VIEW), [], 'the tree shows rows instead of the welcome view');
    const button = welcome.locator('.monaco-button', { hasText: 'Create a starter set' });
    await button.waitFor({ timeout: 1_000 });
    await screenshot(page, 'extension-09-welcome-view');
    await button.click();

    for (const file of ['vision.md', 'strategy/strategy.md', 'prds/first-prd.md']) {
      await waitForFile(path.join(folder, file), (text) => !!text?.startsWith('---\ntype: '));
    }
    assert.deepEqual(Object.keys(await readMarkdownFiles(folder)).sort(), ['prds/first-prd.md', 'strategy/strategy.md', 'vision.md']);
    // The vision opens expanded, as it does in a workspace that had documents from the start.
    let rows = await waitForTree(page, VIEW, (rows) => !!findRow(rows, 'OBJ-1.1', ['VIS-1', 'STR-1']));
    assert.equal(findRow(rows, 'VIS-1')?.label, 'VIS-1: Our vision');
    assert.equal(findRow(rows, 'OBJ-1.1')?.label, 'OBJ-1.1: First objective');
    await welcome.waitFor({ state: 'hidden' });
    await expandTreePath(page, ['VIS-1', 'STR-1', 'OBJ-1.1', 'KR-1.1.1', 'OUT-1.1', 'PRD-1']);
    rows = await waitForTree(page, VIEW, (rows) => !!findRow(rows, 'REQ-1.1'));
    assert.deepEqual(idPath(findRow(rows, 'REQ-1.1')!), ['VIS-1', 'STR-1', 'OBJ-1.1', 'KR-1.1.1', 'OUT-1.1', 'PRD-1', 'REQ-1.1'], formatTree(rows));
    // The starter set is clean: it traces end to end and its front-matter is valid.
    await waitForAllProblems(page, (shown) => shown.length === 0);
    assert.deepEqual(await problemCounts(page), { errors: 0, warnings: 0, infos: 0 });
    await page.waitForFunction((selector) => document.querySelector(selector)?.getAttribute('data-resource-name') === 'first-prd.md', SELECTORS.activeTab);
    await waitForCoverage(page, '⛓ 100% traced');
  });

  scenario('10a-no-folder', 'New PRD… in a window without a folder says that a folder must be opened', async () => {
    const page = await open(undefined);
    await runCommand(page, 'Throughline: New PRD…');
    const notification = await waitForNotification(page, /open a folder first/);
    assert.deepEqual(notification, { severity: 'error', message: 'Throughline: open a folder first; new documents are created inside the workspace folder.' });
  });

  scenario('10b-file-exists', 'New PRD… and Create Starter Set say so when the file they would write exists', async () => {
    const { page, folder } = await openAcme();
    const before = await readMarkdownFiles(folder);
    await runCommand(page, 'Throughline: New PRD…');
    // The ID box proposes the next free PRD ID.
    await page.waitForFunction((selector) => document.querySelector<HTMLInputElement>(selector)?.value === 'PRD-5', SELECTORS.quickInputBox);
    await page.keyboard.press('Enter');
    await page.waitForFunction(
      ({ input, title }) =>
        document.querySelector<HTMLInputElement>(input)?.value === '' && (document.querySelector(title)?.textContent ?? '').includes('New PRD: title'),
      { input: SELECTORS.quickInputBox, title: `${SELECTORS.quickInput} .quick-input-title` },
    );
    await page.keyboard.type('Guest checkout');
    await page.keyboard.press('Enter');
    const exists = await waitForNotification(page, /guest-checkout\.md already exists/);
    assert.deepEqual(exists, { severity: 'error', message: 'Throughline: prds/guest-checkout.md already exists; choose another title.' });

    await runCommand(page, 'Throughline: Create Starter Set');
    const starter = await waitForNotification(page, /starter set was not created/);
    assert.deepEqual(starter, { severity: 'error', message: 'Throughline: vision.md already exists; the starter set was not created.' });
    assert.equal((await readNotifications(page)).length, 2);
    assert.deepEqual(await readMarkdownFiles(folder), before, 'a refused command changed files');
  });
});
