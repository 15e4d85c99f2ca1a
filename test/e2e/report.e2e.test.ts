/**
 * The strategy report webview and the tree's progress and Portfolio rows, in the real VS Code
 * workbench (code-server + headless Chromium) with the packaged .vsix, as extension.e2e.test.ts.
 *
 * What the examples contain changes as rules are added to them, so the expected figures are not
 * constants: they come from the CLI (`throughline check|tree --format json`) on the same folder,
 * and from the PRDs' front-matter. The CLI and the extension share the language service, so the
 * test checks that the extension shows what the service computes, not the computation itself.
 *
 * Needs `bash scripts/setup-e2e.sh && npm run build && npm run package` first.
 * UPDATE_DOC_IMAGES=1 also rewrites the README screenshot docs/images/report-webview.png.
 */
import { strict as assert } from 'node:assert';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test, type TestContext } from 'node:test';
import type { Frame, Page } from 'playwright-core';
import type { AlignmentNode, AlignmentTree } from '../../common/protocol.ts';
import {
  saveDocImage,
  widenSideBar,
  copyFixture,
  cursorLineText,
  expandTreeItem,
  goToLine,
  loadWorkbench,
  openFile,
  openViewContainer,
  openWorkbench,
  REPO_ROOT,
  runCommand,
  saveActiveEditor,
  screenshot,
  SELECTORS,
  startCodeServer,
  TEST_RESULTS_DIR,
  treeRowLocator,
  typeInEditor,
  UI_TIMEOUT_MS,
  waitForEditorText,
  waitForTree,
  type CodeServer,
  type Workbench,
} from './harness.ts';

const VSIX = path.join(REPO_ROOT, 'throughline.vsix');
const ACME = path.join(REPO_ROOT, 'examples/acme');
const CLI = path.join(REPO_ROOT, 'bin/throughline.js');
const VIEW = 'Alignment';
const CONTAINER = 'Throughline';
const REPORT_TAB = 'Strategy Report';
const TEST_TIMEOUT_MS = 240_000;

// ---------------------------------------------------------------------------------------------
// Expectations from the CLI and the files
// ---------------------------------------------------------------------------------------------

interface CheckOutput {
  summary: { requirements: number; tracedRequirements: number };
  diagnostics: { file: string; line: number; rule: string }[];
}

/** Runs the CLI on `folder` and parses its JSON; exit code 1 (errors found) is expected for the examples. */
function cliJson<T>(args: string[]): Promise<T> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [CLI, ...args, '--format', 'json'], { cwd: REPO_ROOT, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = (error as { code?: number } | null)?.code ?? 0;
      if (code !== 0 && code !== 1) return reject(new Error(`throughline ${args.join(' ')} exited ${code}: ${stderr}`));
      try {
        resolve(JSON.parse(stdout) as T);
      } catch (parseError) {
        reject(new Error(`throughline ${args.join(' ')} printed no JSON (${String(parseError)}): ${stdout.slice(0, 500)}`));
      }
    });
  });
}

function walk(nodes: readonly AlignmentNode[], visit: (node: AlignmentNode) => void): void {
  for (const node of nodes) {
    visit(node);
    walk(node.children, visit);
  }
}

function findNode(nodes: readonly AlignmentNode[], predicate: (node: AlignmentNode) => boolean): AlignmentNode | undefined {
  let found: AlignmentNode | undefined;
  walk(nodes, (node) => {
    if (!found && predicate(node)) found = node;
  });
  return found;
}

/**
 * The `Current:` and `Target:` lines (0-based) of the key result whose line is `start`, as
 * docs/format.md writes them: attribute lines below the key result's list item, up to the next item or heading.
 */
function keyResultFigureLines(
  lines: readonly string[],
  start: number,
): { current?: { line: number; value: string }; target?: { line: number; value: string } } {
  const found: { current?: { line: number; value: string }; target?: { line: number; value: string } } = {};
  for (let line = start + 1; line < lines.length && !/^\s*(- |#)/.test(lines[line]!); line++) {
    const attribute = /^\s*(Current|Target):\s*(.*?)\s*$/.exec(lines[line]!);
    if (attribute) found[attribute[1] === 'Current' ? 'current' : 'target'] = { line, value: attribute[2]! };
  }
  return found;
}

/** `part/whole` as the status bar and the report round it. */
const percent = (part: number, whole: number) => `${Math.round((100 * part) / whole)}%`;

/** A top-level front-matter value (`innovation: core`) of a Markdown file, or undefined. */
function frontMatterValue(text: string, key: string): string | undefined {
  const block = /^---\r?\n([\s\S]*?)\r?\n---/.exec(text)?.[1] ?? '';
  return new RegExp(`^${key}:[ \\t]*(.*?)[ \\t]*$`, 'm').exec(block)?.[1]?.replace(/^["']|["']$/g, '') || undefined;
}

/** Every PRD of the folder (front-matter `type: prd`), relative path → text. */
async function readPrds(folder: string): Promise<Map<string, string>> {
  const prds = new Map<string, string>();
  for (const entry of await readdir(folder, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.md')) continue;
    const full = path.join(entry.parentPath, entry.name);
    const text = await readFile(full, 'utf8');
    if (frontMatterValue(text, 'type') === 'prd') prds.set(path.relative(folder, full).split(path.sep).join('/'), text);
  }
  return prds;
}

// ---------------------------------------------------------------------------------------------
// The report webview
// ---------------------------------------------------------------------------------------------

interface ReportView {
  frame: Frame;
  /** The page's text, whitespace collapsed. */
  text: string;
  /** The content of its Content-Security-Policy meta tag. */
  csp: string;
  /** `nonce` attributes of the report's <style> elements (not counting the defaults VS Code puts before the policy). */
  styleNonces: string[];
  /** The report's <style> elements without a nonce, and those the policy blocked (no style sheet): both must be 0. */
  stylesWithoutNonce: number;
  blockedStyles: number;
  /** Whether the report's own styles use the workbench theme's variables. */
  usesThemeVariables: boolean;
  /** <script> elements, and `src`/`href` to other hosts: both must be none. */
  scripts: number;
  remoteReferences: string[];
  /** The body's computed text colour, and the --vscode-foreground value VS Code injected into the page. */
  bodyColor: string;
  themeForeground: string;
}

/**
 * The report as the webview shows it. A webview is an iframe (VS Code's host page) holding
 * another (the content); the content frame is the one whose policy carries a nonce (the host's
 * own policy uses hashes). While a new version loads, two content frames can exist briefly.
 */
async function readReportViews(page: Page): Promise<ReportView[]> {
  const views: ReportView[] = [];
  for (const frame of page.frames()) {
    if (frame === page.mainFrame()) continue;
    const view = await frame
      .evaluate(() => {
        const meta = document.querySelector('meta[http-equiv="Content-Security-Policy" i]');
        const csp = meta?.getAttribute('content') ?? '';
        if (!csp.includes("'nonce-") || !document.body) return null;
        // VS Code prepends its default styles (#_defaultStyles) before the page's policy, which therefore does not apply to them.
        const styles = Array.from(document.querySelectorAll('style')).filter((style) => style.id !== '_defaultStyles');
        const remote = Array.from(document.querySelectorAll('[src], link[href], [srcset]'))
          .map((el) => el.getAttribute('src') ?? el.getAttribute('href') ?? el.getAttribute('srcset') ?? '')
          .filter((ref) => /^(https?:)?\/\//i.test(ref));
        return {
          text: document.body.innerText.replace(/\s+/g, ' ').trim(),
          csp,
          // Chromium hides the nonce attribute once parsed; the property keeps it.
          styleNonces: styles.map((style) => style.nonce || style.getAttribute('nonce') || '').filter(Boolean),
          stylesWithoutNonce: styles.filter((style) => !(style.nonce || style.getAttribute('nonce'))).length,
          blockedStyles: styles.filter((style) => style.sheet === null).length,
          usesThemeVariables: styles.some((style) => (style.textContent ?? '').includes('var(--vscode-')),
          scripts: document.querySelectorAll('script').length,
          remoteReferences: remote,
          bodyColor: getComputedStyle(document.body).color,
          themeForeground: getComputedStyle(document.documentElement).getPropertyValue('--vscode-foreground').trim(),
        };
      })
      .catch(() => null); // a frame that went away while we read it
    if (view) views.push({ frame, ...view });
  }
  return views;
}

/** Polls the webview until a report frame satisfies `predicate`; returns it. */
async function waitForReport(page: Page, what: string, predicate: (view: ReportView) => boolean, timeoutMs = UI_TIMEOUT_MS): Promise<ReportView> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const views = await readReportViews(page);
    const match = views.find(predicate);
    if (match) return match;
    if (Date.now() > deadline) {
      throw new Error(
        `the report never showed ${what}; report frames:\n${views.map((view) => `[${view.csp}]\n${view.text.slice(0, 2000)}`).join('\n---\n') || '(none)'}`,
      );
    }
    await page.waitForTimeout(200); // polling interval
  }
}

/** The nonce the page's policy allows, e.g. `abc` in `style-src 'nonce-abc'`. */
function policyNonce(csp: string): string | undefined {
  return /'nonce-([A-Za-z0-9+/=_-]+)'/.exec(csp)?.[1];
}

/** Converts a CSS colour (`#cccccc`, `rgb(204, 204, 204)`) to `r,g,b` through the page, for comparing colours. */
async function rgb(frame: Frame, colour: string): Promise<string> {
  return frame.evaluate((colour) => {
    const probe = document.createElement('span');
    probe.style.color = colour;
    document.body.append(probe);
    const value = getComputedStyle(probe).color;
    probe.remove();
    return (value.match(/\d+(\.\d+)?/g) ?? []).slice(0, 3).join(',');
  }, colour);
}

/** The editor tabs titled `title`, in every group. */
function tabsTitled(page: Page, title: string) {
  return page.locator(SELECTORS.tabs).filter({ has: page.locator('.label-name', { hasText: title }) });
}

/** Deletes the active editor's line `line` (Ctrl+Shift+K, "Delete Line"). */
async function deleteLine(page: Page, line: number, expected: string): Promise<void> {
  await goToLine(page, line);
  assert.equal(await cursorLineText(page), expected);
  await page.keyboard.press('Control+Shift+K');
}

// ---------------------------------------------------------------------------------------------

describe("the strategy report and the tree's progress and portfolio", { timeout: 20 * 60_000 }, () => {
  let server: CodeServer | undefined;
  let workbench: Workbench | undefined;
  const cleanups: (() => Promise<void>)[] = [];
  let failures = 0;

  const page = (): Page => {
    if (!workbench) throw new Error('the workbench did not open (see the before hook)');
    return workbench.page;
  };

  function scenario(name: string, title: string, body: (t: TestContext) => Promise<void>): void {
    test(title, { timeout: TEST_TIMEOUT_MS }, async (t) => {
      try {
        await body(t);
      } catch (error) {
        failures++;
        if (workbench) {
          const file = await screenshot(workbench.page, `report-${name}-failure`).catch(() => undefined);
          if (file) t.diagnostic(`failure screenshot: ${file}`);
        }
        throw error;
      }
    });
  }

  /** A fresh copy of examples/acme with the figures the CLI reports for it, loaded in the workbench once the server has indexed it. */
  async function openAcme(): Promise<{ page: Page; folder: string; check: CheckOutput; tree: AlignmentTree }> {
    const copy = await copyFixture(ACME);
    cleanups.push(copy.remove);
    const [check, tree] = await Promise.all([cliJson<CheckOutput>(['check', copy.folder]), cliJson<AlignmentTree>(['tree', copy.folder])]);
    await loadWorkbench(page(), server!.url, copy.folder);
    const traced = `⛓ ${percent(check.summary.tracedRequirements, check.summary.requirements)} traced`;
    await page().waitForFunction(({ selector, text }) => (document.querySelector<HTMLElement>(selector)?.innerText ?? '').trim() === text, {
      selector: `${SELECTORS.statusBar} [id$="throughline.coverage"]`,
      text: traced,
    });
    return { page: page(), folder: copy.folder, check, tree };
  }

  before(async () => {
    assert.ok(existsSync(VSIX), `${VSIX} is missing: run  npm run package`);
    assert.ok(existsSync(path.join(REPO_ROOT, 'dist/cli.js')), 'dist/cli.js is missing: run  npm run build');
    const start = await mkdtemp(path.join(os.tmpdir(), 'throughline-e2e-start-'));
    cleanups.push(() => rm(start, { recursive: true, force: true }));
    // Without word wrap, a rendered line is a whole line of the file: the half-width editor next to the report would wrap headings.
    server = await startCodeServer({ workspaceFolder: start, vsixPath: VSIX, settings: { '[markdown]': { 'editor.wordWrap': 'off' } } });
    workbench = await openWorkbench(server.url, undefined);
  });

  after(async () => {
    await workbench?.close().catch(() => undefined);
    if (server) {
      if (failures > 0) {
        await mkdir(TEST_RESULTS_DIR, { recursive: true });
        const log = path.join(TEST_RESULTS_DIR, 'report-code-server.log');
        await writeFile(log, [server.logs(), ...Object.entries(server.logFiles()).map(([name, text]) => `\n===== ${name}\n${text}`)].join('\n'));
        console.log(`# code-server output and logs: ${log}`);
      }
      await server.stop();
    }
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
  });

  scenario('webview', '"Open Strategy Report" shows the report under a nonce policy, and it follows edits, visible or hidden', async (t) => {
    const { page, folder, check, tree } = await openAcme();
    const { requirements, tracedRequirements } = check.summary;
    const objectives: string[] = [];
    walk(tree.roots, (node) => {
      if (node.kind === 'objective' && node.id && !objectives.includes(node.id)) objectives.push(node.id);
    });
    assert.ok(objectives.length > 0, 'the examples have no objective');
    const untraced = check.diagnostics.find((diagnostic) => diagnostic.rule === 'untraced-requirement');
    assert.ok(untraced, 'the examples have no untraced requirement to trace');
    const prdText = await readFile(path.join(folder, untraced.file), 'utf8');
    // Trace to an outcome the PRD already names, so that the edit changes the coverage and nothing else.
    const outcome = /\bOUT-[\w.-]*\w/.exec(frontMatterValue(prdText, 'outcomes') ?? '')?.[0];
    assert.ok(outcome, `${untraced.file} names no outcome in its front-matter`);
    const requirementHeading = prdText.split(/\r?\n/)[untraced.line - 1]!;
    const tracedText = (traced: number) => `${traced} of ${requirements} requirements`;
    // "1 of 12" is also in "11 of 12": match whole numbers.
    const shows = (view: ReportView, traced: number) => new RegExp(`(^|\\D)${tracedText(traced)}`).test(view.text);

    // Opened next to the document being edited.
    await openViewContainer(page, CONTAINER);
    await widenSideBar(page, 400);
    await openFile(page, untraced.file);
    await runCommand(page, `Throughline: Open ${REPORT_TAB}`);
    const first = await waitForReport(page, tracedText(tracedRequirements), (view) => shows(view, tracedRequirements));
    for (const id of objectives) assert.ok(first.text.includes(id), `the report does not mention ${id}:\n${first.text}`);
    assert.ok(first.text.includes(percent(tracedRequirements, requirements)), `the report lacks the traced percentage:\n${first.text}`);
    await tabsTitled(page, REPORT_TAB).first().waitFor();
    assert.equal(await page.locator('.part.editor .editor-group-container').count(), 2, 'the report did not open beside the document');

    // The policy: nothing by default, styles only with this render's nonce, and nothing runs or loads.
    assert.match(first.csp, /default-src 'none'/);
    const nonce = policyNonce(first.csp);
    assert.ok(nonce && nonce.length >= 16, `no nonce in the policy: ${first.csp}`);
    assert.ok(first.styleNonces.length > 0, 'the report has no nonce-carrying <style>');
    assert.deepEqual(new Set(first.styleNonces), new Set([nonce]), 'a <style> carries another nonce than the policy');
    assert.equal(first.stylesWithoutNonce, 0);
    assert.equal(first.blockedStyles, 0, "the policy blocked some of the report's styles");
    assert.equal(first.scripts, 0, 'the report contains a <script>');
    assert.deepEqual(first.remoteReferences, []);
    assert.doesNotMatch(first.csp, /'unsafe-(inline|eval)'/, 'the policy allows inline code');
    assert.doesNotMatch(first.csp, /script-src (?!'none')/, 'the policy allows scripts');
    // Styled with the workbench theme's variables: its text has the theme's foreground colour.
    assert.ok(first.usesThemeVariables, "the report's styles use no --vscode-* variable");
    assert.ok(first.themeForeground, 'VS Code did not provide --vscode-foreground to the report');
    assert.equal(await rgb(first.frame, first.bodyColor), await rgb(first.frame, first.themeForeground), 'the report does not use the theme foreground');
    t.diagnostic(`screenshot: ${await screenshot(page, 'report-webview')}`);
    await saveDocImage(page, 'report-webview.png');

    // Visible: an edit in the other group refreshes it, with a new nonce.
    await runCommand(page, 'View: Focus First Editor Group');
    await goToLine(page, untraced.line);
    assert.equal(await cursorLineText(page), requirementHeading);
    await page.keyboard.press('End');
    await typeInEditor(page, `\nTraces: ${outcome}`);
    await waitForEditorText(page, `Traces: ${outcome}`);
    if (await page.locator(SELECTORS.suggestRows).first().isVisible()) {
      await page.keyboard.press('Escape');
      await page.locator(SELECTORS.suggestRows).first().waitFor({ state: 'hidden' });
    }
    const edited = await waitForReport(page, tracedText(tracedRequirements + 1), (view) => shows(view, tracedRequirements + 1));
    assert.ok(edited.text.includes(percent(tracedRequirements + 1, requirements)), edited.text);
    const secondNonce = policyNonce(edited.csp);
    assert.ok(secondNonce && secondNonce !== nonce, 'the refreshed report reuses the nonce of the first');
    assert.deepEqual(new Set(edited.styleNonces), new Set([secondNonce]));
    if (await page.locator(SELECTORS.suggestRows).first().isVisible()) await page.keyboard.press('Escape'); // a late suggestion would cover the screenshot
    t.diagnostic(`screenshot: ${await screenshot(page, 'report-webview-refreshed')}`);

    // Hidden behind another editor while the alignment changes: it shows the new figures when it comes back.
    await tabsTitled(page, REPORT_TAB).first().click(); // makes the report's group the active one
    // The webview takes the keyboard focus once it is drawn; Quick Open opened before that would close again.
    await page.waitForFunction(() => document.activeElement?.tagName === 'IFRAME');
    await openFile(page, 'vision.md');
    await runCommand(page, 'View: Focus First Editor Group');
    await deleteLine(page, untraced.line + 1, `Traces: ${outcome}`);
    await page.waitForFunction(({ selector, text }) => (document.querySelector<HTMLElement>(selector)?.innerText ?? '').trim() === text, {
      selector: `${SELECTORS.statusBar} [id$="throughline.coverage"]`,
      text: `⛓ ${percent(tracedRequirements, requirements)} traced`,
    });
    await tabsTitled(page, REPORT_TAB).first().click();
    await waitForReport(page, `${tracedText(tracedRequirements)} again`, (view) => shows(view, tracedRequirements));

    // Running the command again reveals the same panel rather than opening a second one.
    await runCommand(page, 'View: Focus First Editor Group');
    await runCommand(page, `Throughline: Open ${REPORT_TAB}`);
    await waitForReport(page, tracedText(tracedRequirements), (view) => shows(view, tracedRequirements));
    assert.equal(await tabsTitled(page, REPORT_TAB).count(), 1, 'a second report panel was opened');

    const cspErrors = workbench!.consoleErrors.filter((line) => /Content Security Policy/i.test(line));
    assert.deepEqual(cspErrors, [], 'the report broke its own Content-Security-Policy');
  });

  scenario('tree', "the tree shows objectives' progress, following a key result's Current:, and a Portfolio section by innovation", async (t) => {
    const { page, folder, check, tree } = await openAcme();
    const measured: { id: string; progress: number }[] = [];
    walk(tree.roots, (node) => {
      if (node.kind === 'objective' && node.id && node.progress !== undefined && !measured.some((m) => m.id === node.id))
        measured.push({ id: node.id, progress: node.progress });
    });
    assert.ok(measured.length > 0, 'no objective of the examples has a measurable progress (throughline tree --format json)');

    await openViewContainer(page, CONTAINER);
    await widenSideBar(page, 480);
    let rows = await waitForTree(page, VIEW, (rows) => rows.some((row) => row.label === 'Portfolio'));
    for (const { id, progress } of measured) {
      const row = rows.find((r) => r.label.startsWith(`${id}:`));
      assert.ok(row, `${id} is not in the tree`);
      assert.ok(row.description.includes(`${Math.floor(progress * 100 + 1e-9)}% progress`), `${id}'s row says "${row.description}"`);
      // Its icon is the progress ring (an SVG image), not a codicon.
      const icon = await treeRowLocator(page, VIEW, row.label)
        .locator('.custom-view-tree-node-item-icon')
        .evaluate((el) => getComputedStyle(el).backgroundImage);
      assert.match(icon, /^url\("data:image\/svg\+xml;base64,/, `${id}'s icon is not a progress ring`);
    }
    // After the alignment, not in place of it.
    const roots = rows.filter((row) => row.level === 1).map((row) => row.label);
    assert.equal(roots.at(-1), 'Portfolio', roots.join(', '));
    assert.ok(roots.length > 1);

    // Innovation buckets: one per value of the PRDs' front-matter, counted in PRDs.
    const prds = await readPrds(folder);
    const expected = new Map<string, number>();
    for (const text of prds.values()) {
      const value = frontMatterValue(text, 'innovation') ?? 'unset';
      expected.set(value, (expected.get(value) ?? 0) + 1);
    }
    assert.equal(rows.find((row) => row.label === 'Portfolio')?.description, `${prds.size} PRDs · ${check.summary.requirements} requirements`);
    await expandTreeItem(page, VIEW, 'Portfolio');
    rows = await waitForTree(page, VIEW, (rows) => rows.some((row) => row.label === 'Innovation' && row.path.at(-1) === 'Portfolio'));
    assert.deepEqual(
      rows.filter((row) => row.path.at(-1) === 'Portfolio').map((row) => row.label),
      ['Innovation', 'Track', 'Horizon', 'Owner', 'Team'],
    );
    await expandTreeItem(page, VIEW, 'Innovation');
    rows = await waitForTree(page, VIEW, (rows) => rows.some((row) => row.path.at(-1) === 'Innovation'));
    const buckets = rows.filter((row) => row.path.at(-1) === 'Innovation');
    let requirementSum = 0;
    for (const [value, count] of expected) {
      const bucket = buckets.find((row) => row.label === value);
      assert.ok(bucket, `no "${value}" bucket under Innovation:\n${buckets.map((row) => `${row.label} | ${row.description}`).join('\n')}`);
      const match = /^(\d+) PRDs? \((\d+)%\) · (\d+) requirements? \((\d+)%\)/.exec(bucket.description);
      assert.ok(match, `bucket "${value}" says "${bucket.description}"`);
      assert.equal(Number(match[1]), count, `PRDs with innovation ${value}`);
      assert.equal(`${match[2]}%`, percent(count, prds.size));
      requirementSum += Number(match[3]);
    }
    // Every requirement belongs to one PRD, so the buckets share the requirements out exactly.
    assert.equal(requirementSum, check.summary.requirements, 'the innovation buckets do not add up to all requirements');
    t.diagnostic(`screenshot: ${await screenshot(page, 'report-tree-portfolio')}`);

    // A key result's `Current:` moves to its target: its objective's progress in the tree follows.
    let candidate: { objective: AlignmentNode; current: { line: number }; target: { value: string } } | undefined;
    const objectiveNodes: AlignmentNode[] = [];
    walk(tree.roots, (node) => {
      if (node.kind === 'objective' && node.progress !== undefined && node.uri) objectiveNodes.push(node);
    });
    for (const objective of objectiveNodes) {
      const lines = (await readFile(path.join(folder, objective.uri!), 'utf8')).split(/\r?\n/);
      for (const keyResult of objective.children) {
        if (keyResult.kind !== 'keyResult' || keyResult.progress === undefined || keyResult.progress >= 1 || !keyResult.range) continue;
        const { current, target } = keyResultFigureLines(lines, keyResult.range.start.line);
        if (current && target) candidate ??= { objective, current, target };
      }
    }
    assert.ok(candidate, 'no key result of the examples has a Current: short of its Target:');
    const { objective, current, target } = candidate;
    await openFile(page, objective.uri!);
    await goToLine(page, current.line + 1);
    await page.keyboard.press('End');
    await page.keyboard.press('Shift+Home');
    await page.keyboard.type(`Current: ${target.value}`);
    await saveActiveEditor(page);
    const after = findNode((await cliJson<AlignmentTree>(['tree', folder])).roots, (node) => node.kind === 'objective' && node.id === objective.id);
    assert.ok(after?.progress !== undefined && after.progress > objective.progress!, `${objective.id}'s progress did not rise on disk (CLI)`);
    rows = await waitForTree(
      page,
      VIEW,
      (rows) => !!rows.find((row) => row.label.startsWith(`${objective.id}:`))?.description.includes(`${Math.floor(after.progress! * 100 + 1e-9)}% progress`),
    );
  });

  scenario('links', "the tree's title-bar button opens the report, and a problem's location in it opens the file there", async () => {
    const { page, check, tree } = await openAcme();
    const objectives: string[] = [];
    walk(tree.roots, (node) => {
      if (node.kind === 'objective' && node.id && !objectives.includes(node.id)) objectives.push(node.id);
    });
    await openViewContainer(page, CONTAINER);
    await waitForTree(page, VIEW, (rows) => rows.some((row) => row.label === 'Portfolio'));

    const button = page.locator(`.part.sidebar .action-label[aria-label^="Open ${REPORT_TAB}"]`).first();
    await page.locator('.part.sidebar').hover(); // title-bar actions may show only under the mouse
    await button.click();
    const report = await waitForReport(page, 'the objectives', (view) => objectives.every((id) => view.text.includes(id)));
    assert.equal(await tabsTitled(page, REPORT_TAB).count(), 1);

    // A problem's location opens the file there: the workbench follows the link and runs our command; no script runs in the page.
    const commandLinks = await report.frame.locator('a[href^="command:"]').evaluateAll((links) => links.map((link) => link.getAttribute('href') ?? ''));
    assert.ok(
      commandLinks.some((href) => href.startsWith('command:throughline.openLocation?')),
      `the report links no problem through throughline.openLocation; its command links: ${JSON.stringify(commandLinks.slice(0, 3))}`,
    );
    const link = report.frame.locator('a[href^="command:throughline.openLocation"]').first();
    const where = /^(.+):(\d+):(\d+)$/.exec((await link.getAttribute('title')) ?? '');
    assert.ok(where, `the first problem link has no file:line:column title`);
    const [, file, line, column] = where;
    assert.ok(
      check.diagnostics.some((diagnostic) => diagnostic.file === file && diagnostic.line === Number(line)),
      `the report lists a problem the CLI does not: ${where[0]}`,
    );
    await link.click();
    await page.waitForFunction(({ selector, name }) => document.querySelector(selector)?.getAttribute('data-resource-name') === name, {
      selector: SELECTORS.activeTab,
      name: path.posix.basename(file!),
    });
    await page.waitForFunction(({ selector, expected }) => (document.querySelector(selector)?.getAttribute('aria-label') ?? '').startsWith(expected), {
      selector: SELECTORS.statusCursor,
      expected: `Ln ${line}, Col ${column}`,
    });
  });
});
