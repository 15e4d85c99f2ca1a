/**
 * End-to-end harness: a real VS Code 1.100 workbench (code-server, Node extension host) driven
 * headless by Debian's Chromium through playwright-core. Offline: everything comes from
 * `bash scripts/setup-e2e.sh` (cached in .cache/code-server/).
 *
 *   const server = await startCodeServer({ workspaceFolder, vsixPath });
 *   const wb = await openWorkbench(server.url, workspaceFolder);
 *   await openFile(wb.page, 'notes.md');
 *   ...
 *   await wb.close(); await server.stop();
 *
 * One server and one browser can serve many workspaces: loadWorkbench(page, server.url, folder)
 * reloads the page on another folder (undefined: an empty window, `?ew=true`); the server shuts
 * down the extension host of the window left behind.
 *
 * Every UI helper drives the workbench through the keyboard (F1, Ctrl+P, Ctrl+G, ...) and waits
 * on a DOM condition; none sleeps for a fixed time. The selectors are those of VS Code 1.100 (see
 * SELECTORS); when code-server is upgraded, check them there first.
 *
 * Things that bite (each handled below):
 * - The server resolves the user's shell environment (`$SHELL -i -l`) before it starts the
 *   extension host and waits up to 10 s for it: VSCODE_CLI=1 in its environment skips that.
 * - VS Code for the Web auto-saves after 1 s by default; DEFAULT_SETTINGS turns that off.
 * - The Welcome page / walkthrough opens late in startup (after extensions are registered), so
 *   openWorkbench waits for the "Eventually" lifecycle phase before it looks for one to close.
 * - Quick Open's first file search waits for the extension host (remote search runs there).
 * - Monaco renders only visible lines, out of DOM order, with non-breaking spaces.
 * - The Problems tree is virtualized, and moving its keyboard focus reveals that problem in the
 *   editor (moving the cursor): readProblems scrolls it with the mouse wheel instead.
 * - Functions passed to page.evaluate/waitForFunction must not declare named inner functions:
 *   tsx (esbuild keepNames) wraps them in a __name() helper the page does not have.
 * - A tab's icon label reads "<absolute path> • 1 problem in this file" once the file has
 *   diagnostics; openFile compares only the part before " • ".
 * - The activity-bar entry of the container shown in the side bar has the class `checked`
 *   (aria-expanded stays false); its aria-label gets " - <badge tooltip>" when it has a badge.
 * - Command titles change between releases: "File: Save All" is "File: Save All Files" in 1.100.
 * - The editor hover fades in: waitForHover also waits for its animation to end, so that a
 *   screenshot shows it opaque. A hidden glyph-margin hover shares its class names.
 * - A custom tree view's row: aria-level, aria-expanded (absent on leaves), `.label-name`,
 *   `.label-description`; a file decoration (resourceUri) is drawn as the label's ::after content.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const CODE_SERVER_CACHE = process.env.THROUGHLINE_E2E_CACHE ?? path.join(REPO_ROOT, '.cache/code-server');
export const TEST_RESULTS_DIR = path.join(REPO_ROOT, 'test-results');
const CODE_SERVER_ENTRY = path.join(CODE_SERVER_CACHE, 'node_modules/code-server/out/node/entry.js');
const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** How long a UI condition may take before a helper fails (ms). Override with E2E_UI_TIMEOUT_MS. */
/** The day the tests pretend it is (`THROUGHLINE_TODAY`), so date rules give the same answers every day. */
export const TEST_TODAY = '2026-11-22';
export const UI_TIMEOUT_MS = Number(process.env.E2E_UI_TIMEOUT_MS ?? 30_000);

/** DOM selectors of the VS Code 1.100 workbench that the helpers rely on. */
export const SELECTORS = {
  workbench: '.monaco-workbench',
  statusBar: '.part.statusbar',
  statusProblems: '[id="status.problems"]',
  /** aria-label "Ln 3, Col 5" (or "Ln 3, Col 5 (4 selected)"). */
  statusCursor: '[id="status.editor.selection"]',
  quickInput: '.quick-input-widget',
  quickInputBox: '.quick-input-widget .quick-input-box input',
  quickInputRows: '.quick-input-widget .quick-input-list .monaco-list-row',
  activeGroup: '.part.editor .editor-group-container.active',
  /** The active tab; its data-resource-name is the file name, `.label-name` the title. */
  activeTab: '.part.editor .editor-group-container.active .tab.active',
  tabs: '.part.editor .tabs-container .tab',
  activeEditor: '.part.editor .editor-group-container.active .monaco-editor',
  /** Rendered (visible) lines of an editor; ordered by their CSS `top`, not by DOM order. */
  viewLines: '.view-lines',
  viewLine: '.view-line',
  problemsPanel: '[id="workbench.panel.markers"]',
  /** aria-label "Showing N problems" / "Showing N of M problems" / "No problems have been detected...". */
  problemsSummary: '[id="workbench.panel.markers"] #markers-panel-arialabel',
  problemsTree: '[id="workbench.panel.markers"] .tree-container',
  problemsRows: '[id="workbench.panel.markers"] .tree-container .monaco-list-rows > .monaco-list-row',
  notificationToasts: '.notifications-toasts .notification-toast',
  /** A toast's text; its severity is the `.notification-list-item-icon` codicon (codicon-error, -warning, -info). */
  notificationMessage: '.notification-list-item-message',
  /** Activity bar entries; aria-label is the container title, plus " - <badge tooltip>" when it has a badge. */
  activityBarItems: '.part.activitybar li.action-item',
  /** A view's tree in the side bar: `.monaco-list[role="tree"][aria-label="<view name>"]`. Its rows have aria-level and aria-expanded. */
  sideBarTrees: '.part.sidebar .monaco-list[role="tree"]',
  /** Welcome content of a side-bar view (viewsWelcome); its buttons are `.monaco-button`. */
  sideBarWelcome: '.part.sidebar .welcome-view-content',
  /** The editor hover; a hidden sibling (the glyph-margin hover) shares the class, so check visibility. */
  hoverContent: '.monaco-hover:not(.hidden) .monaco-hover-content',
  suggestRows: '.editor-widget.suggest-widget.visible .monaco-list-row',
  /** The F2 rename box's input; it opens with the old name selected. */
  renameInput: '.rename-box input.rename-input',
  /** Line numbers in the active editor's gutter; same CSS `top` as the view line they number. */
  lineNumbers: '.margin-view-overlays .line-numbers',
} as const;

/** Editors that VS Code may open on a fresh profile; closed by openWorkbench. */
const WELCOME_RESOURCE_NAMES = ['vscode_getting_started_page', 'welcomePage', 'release_notes'];
const WELCOME_TITLE = /^(Welcome|Walkthrough:|Release Notes)/;

/** User settings written into every fresh profile (the `settings` option is merged on top). */
export const DEFAULT_SETTINGS: Readonly<Record<string, unknown>> = {
  // Inlay hints are rendered inside a line's text, where visibleEditorLines and cursorLineText read
  // it; they show only while Ctrl+Alt is held. The server's hints are tested in test/protocol/features.test.ts.
  'editor.inlayHints.enabled': 'offUnlessPressed',
  'workbench.startupEditor': 'none',
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.editor.enablePreview': false,
  // VS Code for the Web defaults to 'afterDelay': tests save explicitly (saveActiveEditor).
  'files.autoSave': 'off',
  'telemetry.telemetryLevel': 'off',
  'security.workspace.trust.enabled': false,
  'security.workspace.trust.startupPrompt': 'never',
  'update.mode': 'none',
  'update.showReleaseNotes': false,
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'extensions.ignoreRecommendations': true,
  'json.schemaDownload.enable': false,
  'npm.fetchOnlinePackageInfo': false,
  'typescript.disableAutomaticTypeAcquisition': true,
};

// ---------------------------------------------------------------------------------------------
// code-server
// ---------------------------------------------------------------------------------------------

export interface CodeServerOptions {
  /** Folder to open (absolute). */
  workspaceFolder: string;
  /** A built .vsix, installed into the fresh extensions dir before the server starts. */
  vsixPath?: string;
  /** User settings merged over DEFAULT_SETTINGS (a key set to undefined drops that default). */
  settings?: Record<string, unknown>;
  /** Extra code-server command-line arguments. */
  extraArgs?: string[];
  /** How long to wait for "HTTP server listening on" (ms). */
  startTimeoutMs?: number;
}

export interface CodeServer {
  /** Base URL, e.g. http://127.0.0.1:41234/ (pass it to openWorkbench). */
  url: string;
  port: number;
  userDataDir: string;
  extensionsDir: string;
  workspaceFolder: string;
  /** Everything code-server printed so far (stdout and stderr, interleaved). */
  logs(): string;
  /** Log files VS Code wrote under the user data dir (extension host, output channels, ...): path → text. */
  logFiles(): Record<string, string>;
  /** Kills the process tree and removes the temp dirs. Safe to call twice. */
  stop(): Promise<void>;
}

export function assertE2ESetup(): void {
  if (!existsSync(CODE_SERVER_ENTRY)) {
    throw new Error(`code-server is not set up (${CODE_SERVER_ENTRY} is missing): run  bash scripts/setup-e2e.sh`);
  }
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`Chromium not found at ${CHROMIUM_PATH}: run  bash scripts/setup-e2e.sh  (or set CHROMIUM_PATH)`);
  }
}

/** Environment for code-server: nothing inherited that points at another VS Code or at ~. */
function codeServerEnv(root: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    // VSCODE_IPC_HOOK_CLI & co. would make code-server talk to the VS Code the tests run in.
    if (/^(VSCODE_|CODE_SERVER_|ELECTRON_)/.test(key)) continue;
    env[key] = value;
  }
  // Without this the server runs `$SHELL -i -l` to resolve the user's environment before it
  // starts the extension host, and gives up only after 10 s when the shell does not answer
  // (non-interactive CI, a detached process group). VSCODE_CLI=1 makes it skip that step.
  env.VSCODE_CLI = '1';
  // Date rules (stale-document) measure against this day, so the examples' problems do not age.
  env.THROUGHLINE_TODAY = TEST_TODAY;
  env.CODE_SERVER_CONFIG = path.join(root, 'config.yaml');
  env.XDG_CONFIG_HOME = path.join(root, 'xdg/config');
  env.XDG_DATA_HOME = path.join(root, 'xdg/data');
  env.XDG_CACHE_HOME = path.join(root, 'xdg/cache');
  // Sockets and temp files (e.g. the git extension's vscode-git-*.sock) go away with the run.
  env.TMPDIR = path.join(root, 'tmp');
  return env;
}

export async function startCodeServer(options: CodeServerOptions): Promise<CodeServer> {
  assertE2ESetup();
  const workspaceFolder = path.resolve(options.workspaceFolder);
  if (!existsSync(workspaceFolder)) throw new Error(`workspaceFolder does not exist: ${workspaceFolder}`);

  const root = await mkdtemp(path.join(os.tmpdir(), 'throughline-e2e-'));
  const userDataDir = path.join(root, 'user-data');
  const extensionsDir = path.join(root, 'extensions');
  const env = codeServerEnv(root);
  await mkdir(path.join(userDataDir, 'User'), { recursive: true });
  await mkdir(extensionsDir, { recursive: true });
  await mkdir(env.TMPDIR!, { recursive: true });
  await writeFile(env.CODE_SERVER_CONFIG!, 'auth: none\n');
  const settings = { ...DEFAULT_SETTINGS, ...options.settings };
  await writeFile(path.join(userDataDir, 'User', 'settings.json'), JSON.stringify(settings, null, 2));

  const common = ['--user-data-dir', userDataDir, '--extensions-dir', extensionsDir];
  let output = '';
  try {
    if (options.vsixPath) output += await installVsix(path.resolve(options.vsixPath), common, env);
  } catch (error) {
    await rm(root, { recursive: true, force: true });
    throw error;
  }

  const args = [
    CODE_SERVER_ENTRY,
    '--auth',
    'none',
    '--bind-addr',
    '127.0.0.1:0',
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    ...common,
    ...(options.extraArgs ?? []),
    workspaceFolder,
  ];
  // detached: code-server leads its own process group, so stop() can kill the whole tree
  // (its wrapper child, the extension host, the pty host, file watchers).
  const child = spawn(process.execPath, args, { cwd: root, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const pgid = child.pid!;
  installExitHooks();
  liveProcessGroups.add(pgid);
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    await terminate(child, pgid, exited);
    liveProcessGroups.delete(pgid);
    await rm(root, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
  };

  let port: number;
  try {
    port = await waitForPort(child, () => output, options.startTimeoutMs ?? 60_000);
  } catch (error) {
    await stop();
    throw error;
  }

  return {
    url: `http://127.0.0.1:${port}/`,
    port,
    userDataDir,
    extensionsDir,
    workspaceFolder,
    logs: () => output,
    logFiles: () => readLogFiles(path.join(userDataDir, 'logs')),
    stop,
  };
}

async function installVsix(vsixPath: string, common: string[], env: NodeJS.ProcessEnv): Promise<string> {
  if (!existsSync(vsixPath)) throw new Error(`vsixPath does not exist: ${vsixPath}`);
  const args = [CODE_SERVER_ENTRY, ...common, '--install-extension', vsixPath];
  const { code, text } = await new Promise<{ code: number | string; text: string }>((resolve) => {
    execFile(process.execPath, args, { env, timeout: 120_000 }, (error, stdout, stderr) => {
      const code = error ? ((error as { code?: number | string }).code ?? error.message) : 0;
      resolve({ code, text: `${stdout}${stderr}` });
    });
  });
  if (code !== 0 || !/successfully installed/i.test(text)) {
    throw new Error(`installing ${vsixPath} failed (exit ${code}):\n${text}`);
  }
  return text;
}

function waitForPort(child: ChildProcess, output: () => string, timeoutMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const pattern = /HTTP server listening on https?:\/\/[^:\s]+:(\d+)/;
    const check = (): void => {
      const match = pattern.exec(output());
      if (match) finish(() => resolve(Number(match[1])));
    };
    const onExit = (code: number | null, signal: string | null): void =>
      finish(() => reject(new Error(`code-server exited (${code ?? signal}) before listening:\n${output()}`)));
    const timer = setTimeout(() => finish(() => reject(new Error(`code-server did not listen within ${timeoutMs} ms:\n${output()}`))), timeoutMs);
    const finish = (fn: () => void): void => {
      clearTimeout(timer);
      child.stdout!.off('data', check);
      child.stderr!.off('data', check);
      child.off('exit', onExit);
      fn();
    };
    child.stdout!.on('data', check);
    child.stderr!.on('data', check);
    child.once('exit', onExit);
    check();
  });
}

interface ProcInfo {
  pid: number;
  ppid: number;
  pgid: number;
  zombie: boolean;
}

/** The process table from /proc (Linux); empty elsewhere. */
function processTable(): ProcInfo[] {
  let names: string[];
  try {
    names = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return [];
  }
  return names.flatMap((name) => {
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      // "pid (comm) state ppid pgrp ..."; comm may contain spaces and parentheses.
      const [state, ppid, pgid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      return [{ pid: Number(name), ppid: Number(ppid), pgid: Number(pgid), zombie: state === 'Z' }];
    } catch {
      return [];
    }
  });
}

/**
 * The live processes of a code-server tree: the group leader, everything in its process group,
 * and every descendant (including any that left the group with setsid, e.g. terminals).
 */
function treeMembers(pgid: number): number[] {
  const table = processTable().filter((p) => !p.zombie);
  const members = new Set<number>(table.filter((p) => p.pid === pgid || p.pgid === pgid).map((p) => p.pid));
  for (let grew = true; grew;) {
    grew = false;
    for (const p of table) {
      if (!members.has(p.pid) && members.has(p.ppid)) {
        members.add(p.pid);
        grew = true;
      }
    }
  }
  return [...members];
}

function signalTree(pgid: number, signal: NodeJS.Signals): number[] {
  const members = treeMembers(pgid);
  for (const pid of members) {
    try {
      process.kill(pid, signal);
    } catch {
      /* already gone */
    }
  }
  try {
    process.kill(-pgid, signal); // also covers platforms without /proc
  } catch {
    /* group already gone */
  }
  return members;
}

async function waitUntil(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (condition()) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return condition();
}

/** SIGTERM to the whole tree, SIGKILL to whatever is left after 5 s (re-scanned each time). */
async function terminate(child: ChildProcess, pgid: number, exited: Promise<void>): Promise<void> {
  signalTree(pgid, 'SIGTERM');
  if (!(await waitUntil(() => treeMembers(pgid).length === 0, 5_000))) {
    for (let i = 0; i < 20 && signalTree(pgid, 'SIGKILL').length > 0; i++) {
      await waitUntil(() => treeMembers(pgid).length === 0, 250);
    }
  }
  if (child.exitCode === null && child.signalCode === null) await exited;
}

const liveProcessGroups = new Set<number>();
let exitHooksInstalled = false;

/** Last resort when the test process ends without stop(): kill every code-server tree. */
function installExitHooks(): void {
  if (exitHooksInstalled) return;
  exitHooksInstalled = true;
  const killAll = (): void => {
    for (const pgid of liveProcessGroups) signalTree(pgid, 'SIGKILL');
  };
  process.once('exit', killAll);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      killAll();
      process.kill(process.pid, signal); // default action now that our handler is gone
    });
  }
}

function readLogFiles(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  const walk = (d: string): void => {
    let entries;
    try {
      entries = readdirSync(d, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const p = path.join(d, entry.name);
      if (entry.isDirectory()) walk(p);
      else if (entry.name.endsWith('.log')) files[path.relative(dir, p)] = readFileSync(p, 'utf8');
    }
  };
  walk(dir);
  return files;
}

/** Copies a fixture folder to a fresh temp dir (the tests edit files; fixtures stay clean). */
export async function copyFixture(source: string): Promise<{ folder: string; remove(): Promise<void> }> {
  const parent = await mkdtemp(path.join(os.tmpdir(), 'throughline-e2e-ws-'));
  const folder = path.join(parent, path.basename(source));
  await cp(source, folder, { recursive: true });
  return { folder, remove: () => rm(parent, { recursive: true, force: true }) };
}

// ---------------------------------------------------------------------------------------------
// Browser + workbench
// ---------------------------------------------------------------------------------------------

export interface Workbench {
  page: Page;
  browser: Browser;
  context: BrowserContext;
  /** Uncaught page errors and console.error lines (minus known-harmless ones). */
  consoleErrors: string[];
  /** Closes the browser (and its temporary profile). Safe to call twice. */
  close(): Promise<void>;
}

export interface OpenWorkbenchOptions {
  viewport?: { width: number; height: number };
  timeoutMs?: number;
}

/** Console noise of code-server that says nothing about the extension under test. */
const HARMLESS_CONSOLE = [/vsda/, /Failed to load resource: the server responded with a status of 404/];

/**
 * Launches Chromium and opens the workbench of `url` on `folder` (absolute), or on an empty window
 * (no folder) when `folder` is undefined. Use loadWorkbench to switch the same page to another folder.
 */
export async function openWorkbench(url: string, folder: string | undefined, options: OpenWorkbenchOptions = {}): Promise<Workbench> {
  assertE2ESetup();
  // chromium.launch gives every browser a fresh temporary --user-data-dir and deletes it on close;
  // the XDG dirs keep what Chromium writes outside its profile (crash reports) out of ~ too.
  const home = await mkdtemp(path.join(os.tmpdir(), 'throughline-e2e-chromium-'));
  const browser = await chromium
    .launch({
      executablePath: CHROMIUM_PATH,
      headless: true,
      env: { ...process.env, XDG_CONFIG_HOME: path.join(home, 'config'), XDG_CACHE_HOME: path.join(home, 'cache') },
      args: [
        '--no-sandbox', // root, and containers without user namespaces
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    })
    .catch(async (error: unknown) => {
      await rm(home, { recursive: true, force: true });
      throw new Error(`cannot launch ${CHROMIUM_PATH}: ${String(error)}`);
    });
  let closed = false;
  const close = async (): Promise<void> => {
    if (closed) return;
    closed = true;
    await browser.close().catch(() => undefined);
    await rm(home, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
  };
  try {
    const context = await browser.newContext({ viewport: options.viewport ?? { width: 1400, height: 900 } });
    // Lets tests use the clipboard (VS Code's copy/paste go through navigator.clipboard).
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(url).origin });
    const page = await context.newPage();
    page.setDefaultTimeout(UI_TIMEOUT_MS);
    const consoleErrors: string[] = [];
    page.on('pageerror', (error) => consoleErrors.push(String(error)));
    page.on('console', (message) => {
      if (message.type() === 'error' && !HARMLESS_CONSOLE.some((re) => re.test(message.text()))) {
        consoleErrors.push(message.text());
      }
    });

    // Navigating away from a window with unsaved editors asks "Leave site?": leave.
    page.on('dialog', (dialog) => void (dialog.type() === 'beforeunload' ? dialog.accept() : dialog.dismiss()).catch(() => undefined));
    await loadWorkbench(page, url, folder, options.timeoutMs);
    return { page, browser, context, consoleErrors, close };
  } catch (error) {
    await close();
    throw error;
  }
}

/**
 * (Re)loads the workbench in `page` on another folder (absolute), or on an empty window when
 * `folder` is undefined, and waits until it has started, as openWorkbench does. One code-server
 * serves any number of folders: every load gets its own extension host, and the one of the
 * window left behind is shut down by the server when the page unloads.
 */
export async function loadWorkbench(page: Page, url: string, folder: string | undefined, timeoutMs = 60_000): Promise<void> {
  const target = new URL(url);
  if (folder === undefined) target.searchParams.set('ew', 'true');
  else target.searchParams.set('folder', path.resolve(folder));
  await page.goto(target.toString(), { timeout: timeoutMs });
  await page.waitForSelector(SELECTORS.workbench, { timeout: timeoutMs });
  await waitForWorkbenchStartup(page, timeoutMs);
  await page.waitForSelector(SELECTORS.statusProblems);
  await closeWelcomeEditors(page);
  await clearNotifications(page);
}

/**
 * Waits until VS Code has finished starting: its extensions are registered (the extension host is
 * up) and the lifecycle reached its last phase, "Eventually" (by then the startup editors, such as
 * a Welcome page, have been opened). Both are `performance` marks the workbench sets.
 */
export async function waitForWorkbenchStartup(page: Page, timeoutMs = 60_000): Promise<void> {
  await page.waitForFunction(
    (marks) => marks.every((name) => performance.getEntriesByName(name).length > 0),
    ['code/didLoadExtensions', 'code/LifecyclePhase/Eventually'],
    { timeout: timeoutMs },
  );
}

/** Closes any Welcome / walkthrough / release-notes editor. */
export async function closeWelcomeEditors(page: Page): Promise<void> {
  for (;;) {
    const tabs = page.locator(SELECTORS.tabs);
    const count = await tabs.count();
    let closedOne = false;
    for (let i = 0; i < count; i++) {
      const tab = tabs.nth(i);
      const resource = (await tab.getAttribute('data-resource-name')) ?? '';
      const label = (await tab.getAttribute('aria-label')) ?? '';
      if (WELCOME_RESOURCE_NAMES.includes(resource) || WELCOME_TITLE.test(label)) {
        await tab.locator('.codicon-close').click();
        await tab.waitFor({ state: 'detached' });
        closedOne = true;
        break;
      }
    }
    if (!closedOne) return;
  }
}

/** Dismisses every notification toast (via "Notifications: Clear All Notifications"). */
export async function clearNotifications(page: Page): Promise<void> {
  if ((await page.locator(SELECTORS.notificationToasts).count()) === 0) return;
  await runCommand(page, 'Notifications: Clear All Notifications');
  await page.locator(SELECTORS.notificationToasts).first().waitFor({ state: 'detached' });
}

// ---------------------------------------------------------------------------------------------
// Quick input (Command Palette, Quick Open, Go to Line)
// ---------------------------------------------------------------------------------------------

async function closeQuickInput(page: Page): Promise<void> {
  const widget = page.locator(SELECTORS.quickInput);
  if (await widget.isVisible()) {
    await page.keyboard.press('Escape');
    await widget.waitFor({ state: 'hidden' });
  }
}

/**
 * Opens a quick input with `key`, types `text` after its `prefix`, and waits until the box has the
 * focus and holds exactly `prefix + text`.
 */
async function openQuickInput(page: Page, key: string, prefix: string, text: string): Promise<void> {
  await closeQuickInput(page);
  // A webview that takes the focus while it (re)loads can swallow the key press, or steal the focus
  // after the box opened so that the typed text goes to the webview: when the box does not hold what
  // was typed, close it and try again, up to three times, before giving up.
  for (let attempt = 1; ; attempt++) {
    await page.keyboard.press(key);
    try {
      const holds = (expected: string) =>
        page.waitForFunction(
          ({ selector, expected }) => {
            const input = document.querySelector<HTMLInputElement>(selector);
            return !!input && document.activeElement === input && input.value === expected && input.offsetParent !== null;
          },
          { selector: SELECTORS.quickInputBox, expected },
          { timeout: attempt < 3 ? 5_000 : UI_TIMEOUT_MS },
        );
      await holds(prefix);
      await page.keyboard.type(text);
      await holds(prefix + text);
      return;
    } catch (error) {
      if (attempt >= 3) throw error;
      await closeQuickInput(page);
    }
  }
}

/**
 * Waits for a quick-pick row whose label is `label` (and, when given, whose description is
 * `description`) and accepts it: Enter when it is the focused row, otherwise a click on it.
 */
async function acceptQuickPickRow(page: Page, what: string, matches: { label: string; description?: string }): Promise<void> {
  // The list can re-render between finding the row and clicking it (Quick Open shows recent files
  // first, then the search results): a click on a row that went away is retried.
  for (let attempt = 1; ; attempt++) {
    const row = await findQuickPickRow(page, what, matches);
    try {
      const focused = await row.evaluate((el) => el.classList.contains('focused'));
      if (focused) await page.keyboard.press('Enter');
      else await row.click({ timeout: 5_000 });
      return;
    } catch (error) {
      if (attempt >= 5 || !/not attached|detached/i.test(String(error))) throw error;
    }
  }
}

async function findQuickPickRow(page: Page, what: string, matches: { label: string; description?: string }) {
  const handle = await page
    .waitForFunction(
      ({ rowsSelector, label, description }) => {
        const rows = Array.from(document.querySelectorAll<HTMLElement>(rowsSelector));
        return (
          rows.find((row) => {
            if (row.querySelector('.label-name')?.textContent?.trim() !== label) return false;
            if (description === undefined) return true;
            const shown = (row.querySelector('.label-description')?.textContent ?? '').trim();
            return shown === description;
          }) ?? false
        );
      },
      { rowsSelector: SELECTORS.quickInputRows, ...matches },
    )
    .catch(async (error: unknown) => {
      const shown = await page.locator(SELECTORS.quickInputRows).allInnerTexts();
      throw new Error(`${what}: no matching entry (shown: ${JSON.stringify(shown)})\n${String(error)}`);
    });
  const row = handle.asElement();
  if (!row) throw new Error(`${what}: matching row vanished`);
  return row;
}

/** Runs a command by its Command Palette label, e.g. "View: Toggle Word Wrap". */
export async function runCommand(page: Page, label: string): Promise<void> {
  await openQuickInput(page, 'F1', '>', label);
  await acceptQuickPickRow(page, `runCommand(${JSON.stringify(label)})`, { label });
  // Accepted: the palette closed, or the command replaced it with its own quick input.
  await page.waitForFunction(
    ({ selector, typed }) => {
      const input = document.querySelector<HTMLInputElement>(selector);
      return !input || input.offsetParent === null || input.value !== typed;
    },
    { selector: SELECTORS.quickInputBox, typed: `>${label}` },
  );
}

/**
 * Opens a file of the workspace folder through Quick Open (Ctrl+P) and waits until it is the
 * active editor and has keyboard focus. `relativePath` is relative to the folder opened.
 */
export async function openFile(page: Page, relativePath: string): Promise<void> {
  const normalized = relativePath.split(path.sep).join('/').replace(/^\.\//, '');
  const dir = path.posix.dirname(normalized);
  const folder = new URL(page.url()).searchParams.get('folder');
  await openQuickInput(page, 'Control+P', '', normalized);
  // Quick Open shows a file's folder (relative to the workspace) as its description; none at the root.
  await acceptQuickPickRow(page, `openFile(${JSON.stringify(relativePath)})`, {
    label: path.posix.basename(normalized),
    description: dir === '.' ? '' : dir,
  });
  await page
    .waitForFunction(
      ({ tabSelector, editorSelector, expected, suffix }) => {
        const tab = document.querySelector(tabSelector);
        // The tab's icon label carries the file's absolute path, then " • 1 problem in this file" when it has problems.
        const fullPath = (tab?.querySelector('.monaco-icon-label')?.getAttribute('aria-label') ?? '').split(' • ')[0]!;
        const editor = document.querySelector(editorSelector);
        const isFile = expected ? fullPath === expected : fullPath.endsWith(suffix);
        return isFile && !!editor && editor.contains(document.activeElement);
      },
      {
        tabSelector: SELECTORS.activeTab,
        editorSelector: SELECTORS.activeEditor,
        expected: folder ? path.posix.join(folder, normalized) : null,
        suffix: `/${normalized}`,
      },
    )
    .catch(async (error: unknown) => {
      const state = await page
        .evaluate(
          ({ tabSelector, editorSelector }) => ({
            activeTab: document.querySelector(tabSelector)?.querySelector('.monaco-icon-label')?.getAttribute('aria-label') ?? null,
            focusInEditor: !!document.querySelector(editorSelector)?.contains(document.activeElement),
            focused: document.activeElement ? `${document.activeElement.tagName}.${document.activeElement.className}` : null,
          }),
          { tabSelector: SELECTORS.activeTab, editorSelector: SELECTORS.activeEditor },
        )
        .catch(() => undefined);
      throw new Error(`openFile(${JSON.stringify(relativePath)}): the editor did not become active and focused (${JSON.stringify(state)})\n${String(error)}`);
    });
}

/** Reads the cursor position from the status bar ("Ln 3, Col 5"). */
export async function cursorPosition(page: Page): Promise<{ line: number; column: number } | undefined> {
  const label = await page
    .locator(SELECTORS.statusCursor)
    .getAttribute('aria-label')
    .catch(() => null);
  const match = /Ln (\d+), Col (\d+)/.exec(label ?? '');
  return match ? { line: Number(match[1]), column: Number(match[2]) } : undefined;
}

/**
 * Moves the cursor of the active editor with Go to Line (Ctrl+G) and waits for the status bar
 * to show it. `column` is the visible column VS Code shows (tabs count as the tab size).
 */
export async function goToLine(page: Page, line: number, column?: number): Promise<void> {
  await focusActiveEditor(page);
  await openQuickInput(page, 'Control+G', ':', column === undefined ? String(line) : `${line}:${column}`);
  await page.keyboard.press('Enter');
  await page.locator(SELECTORS.quickInput).waitFor({ state: 'hidden' });
  const expected = `Ln ${line}, Col ${column ?? 1}`;
  await page
    .waitForFunction(
      ({ selector, expected }) => {
        const label = document.querySelector(selector)?.getAttribute('aria-label') ?? '';
        return label === expected || label.startsWith(`${expected} `);
      },
      { selector: SELECTORS.statusCursor, expected },
    )
    .catch(async (error: unknown) => {
      throw new Error(`goToLine: expected "${expected}", status bar shows ${JSON.stringify(await cursorPosition(page))}\n${String(error)}`);
    });
}

// ---------------------------------------------------------------------------------------------
// Editors
// ---------------------------------------------------------------------------------------------

/** Title of the active editor's tab (e.g. "notes.md"), or undefined when no editor is open. */
export async function activeEditorTitle(page: Page): Promise<string | undefined> {
  const tab = page.locator(SELECTORS.activeTab);
  if ((await tab.count()) === 0) return undefined;
  return (await tab.locator('.label-name').first().textContent())?.trim();
}

/** Whether the active editor has unsaved changes. */
export async function isActiveEditorDirty(page: Page): Promise<boolean> {
  return page
    .locator(`${SELECTORS.activeTab}.dirty`)
    .count()
    .then((n) => n > 0);
}

/** Whether keyboard focus is in the active editor. */
export function editorHasFocus(page: Page): Promise<boolean> {
  return page.evaluate((selector) => !!document.querySelector(selector)?.contains(document.activeElement), SELECTORS.activeEditor);
}

/** Puts keyboard focus into the active editor without moving its cursor. */
export async function focusActiveEditor(page: Page): Promise<void> {
  const editor = page.locator(SELECTORS.activeEditor).first();
  await editor.waitFor();
  if (await editorHasFocus(page)) return;
  await closeQuickInput(page);
  // Monaco's hidden input: a <textarea> in 1.100 (an EditContext <div> when that is enabled).
  await editor.locator('textarea.inputarea, .native-edit-context').first().focus();
  await page.waitForFunction((selector) => !!document.querySelector(selector)?.contains(document.activeElement), SELECTORS.activeEditor);
}

/**
 * The lines the active editor currently renders, top to bottom (Monaco renders only the visible
 * lines, and not in DOM order). Non-breaking spaces are turned back into spaces.
 */
export async function visibleEditorLines(page: Page): Promise<string[]> {
  const editor = page.locator(SELECTORS.activeEditor).first();
  await editor.locator(SELECTORS.viewLines).waitFor();
  return editor.locator(`${SELECTORS.viewLines} > ${SELECTORS.viewLine}`).evaluateAll((lines) =>
    lines
      .map((el) => ({ top: parseFloat((el as HTMLElement).style.top) || 0, text: el.textContent ?? '' }))
      .sort((a, b) => a.top - b.top)
      .map((l) => l.text.replace(/\u00a0/g, ' ')),
  );
}

/** Waits until a rendered line of the active editor contains `text`. */
export async function waitForEditorText(page: Page, text: string, timeoutMs = UI_TIMEOUT_MS): Promise<void> {
  await page
    .waitForFunction(
      ({ selector, text }) => {
        const editor = document.querySelector(selector);
        const lines = Array.from(editor?.querySelectorAll('.view-lines > .view-line') ?? []);
        return lines.some((l) => (l.textContent ?? '').replace(/\u00a0/g, ' ').includes(text));
      },
      { selector: SELECTORS.activeEditor, text },
      { timeout: timeoutMs },
    )
    .catch(async (error: unknown) => {
      throw new Error(`editor never showed ${JSON.stringify(text)}; visible lines:\n${(await visibleEditorLines(page)).join('\n')}\n${String(error)}`);
    });
}

/**
 * Types into the active editor at its cursor ("\n" presses Enter). Beware of editor features that
 * react to typing (auto-closing brackets/quotes, suggestions, auto-indent).
 */
export async function typeInEditor(page: Page, text: string): Promise<void> {
  await focusActiveEditor(page);
  await page.keyboard.type(text);
}

/** Saves the active editor (Ctrl+S) and waits until its tab is no longer dirty. */
export async function saveActiveEditor(page: Page): Promise<void> {
  await focusActiveEditor(page);
  await page.keyboard.press('Control+S');
  await page.locator(`${SELECTORS.activeTab}.dirty`).waitFor({ state: 'detached' });
}

// ---------------------------------------------------------------------------------------------
// Problems panel
// ---------------------------------------------------------------------------------------------

export interface Problem {
  severity: 'error' | 'warning' | 'info' | 'unknown';
  message: string;
  /** "json" in "json(513)"; the diagnostic's source. */
  source?: string;
  /** "513" in "json(513)"; the diagnostic's code. */
  code?: string;
  /** File name as the Problems tree shows it. */
  file?: string;
  /** Absolute path of the file (the tree row's tooltip). */
  filePath?: string;
  line?: number;
  column?: number;
  /** The row's screen-reader text, e.g. "Error: Property expected at line 2 and character 10. generated by json". */
  ariaLabel: string;
  /** Related information rows under it, as shown, e.g. "payments.md[Ln 45, Col 4]: OBJ-2 is defined here". */
  related?: string[];
}

async function showProblemsPanel(page: Page): Promise<void> {
  const panel = page.locator(SELECTORS.problemsPanel);
  if (await panel.isVisible()) return;
  await closeQuickInput(page);
  await page.keyboard.press('Control+Shift+M'); // View: Toggle Problems; only pressed while hidden
  await panel.waitFor({ state: 'visible' });
}

interface RawRow {
  index: number;
  level: number;
  ariaLabel: string;
  severity: string | undefined;
  message: string | undefined;
  source: string | undefined;
  code: string | undefined;
  lineText: string | undefined;
  fileName: string | undefined;
  filePath: string | undefined;
  text: string;
}

function readRenderedRows(page: Page): Promise<RawRow[]> {
  // Runs in the browser. No named inner functions here: tsx (esbuild keepNames) would wrap them
  // in a __name() helper that does not exist in the page.
  return page.locator(SELECTORS.problemsRows).evaluateAll((rows) =>
    rows.map((row) => {
      const icon = row.querySelector('.marker-icon');
      const messages = Array.from(row.querySelectorAll('.marker-message')).map((m) => m.textContent ?? '');
      return {
        index: Number(row.getAttribute('data-index')),
        level: Number(row.getAttribute('aria-level')),
        ariaLabel: row.getAttribute('aria-label') ?? '',
        severity: icon ? Array.from(icon.classList).find((c) => c !== 'marker-icon') : undefined,
        message: messages.join('\n').trim() || undefined,
        source: row.querySelector('.marker-source')?.textContent?.trim() || undefined,
        code: row.querySelector('.marker-code')?.textContent?.trim() || undefined,
        lineText: row.querySelector('.marker-line')?.textContent?.trim() || undefined,
        fileName: row.querySelector('.resource-label-container .label-name')?.textContent?.trim() || undefined,
        filePath: row.querySelector('.resource-label-container .monaco-icon-label')?.getAttribute('aria-label') ?? undefined,
        text: ((row.querySelector('.monaco-tl-contents') as HTMLElement | null)?.innerText ?? '').replace(/\s+/g, ' ').replace('] : ', ']: ').trim(),
      };
    }),
  );
}

/** Total number of problems the panel says it shows, or 0 for its "no problems" message. */
async function problemsShown(page: Page): Promise<number> {
  const label = (await page.locator(SELECTORS.problemsSummary).getAttribute('aria-label')) ?? '';
  const match = /Showing (\d+)/.exec(label);
  return match ? Number(match[1]) : 0;
}

/**
 * Opens the Problems panel (if hidden) and returns its problems, in tree order. A snapshot:
 * diagnostics arrive asynchronously, so use waitForProblems to wait for an expected state.
 * The tree renders only visible rows; when it holds more, this pages through it with the keyboard.
 */
export async function readProblems(page: Page): Promise<Problem[]> {
  const editorHadFocus = await editorHasFocus(page);
  await showProblemsPanel(page);
  // Wait for the panel to render either its "no problems" message or a populated tree.
  await page.waitForFunction(
    ({ summary, tree }) => {
      const label = document.querySelector(summary)?.getAttribute('aria-label') ?? '';
      const treeEl = document.querySelector(tree);
      return label !== '' && (!/^Showing/.test(label) || (!!treeEl && !treeEl.classList.contains('hidden')));
    },
    { summary: SELECTORS.problemsSummary, tree: SELECTORS.problemsTree },
  );
  const expected = await problemsShown(page);
  const byIndex = new Map<number, RawRow>();
  for (const row of await readRenderedRows(page)) byIndex.set(row.index, row);
  const markerCount = (): number => [...byIndex.values()].filter((r) => r.level === 2).length;

  if (markerCount() < expected) {
    // Virtualized tree: scroll it with the mouse wheel (the keyboard would move the tree's focus,
    // and the Problems view reveals the focused problem in the editor), collecting rendered rows.
    const tree = page.locator(SELECTORS.problemsTree);
    const box = await tree.boundingBox();
    if (box) {
      await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
      await page.mouse.wheel(0, -1e6); // to the top
      for (let guard = 0; markerCount() < expected && guard < 1000; guard++) {
        const before = byIndex.size;
        await page.mouse.wheel(0, Math.max(box.height - 40, 20));
        await page
          .waitForFunction(
            ({ selector, seen }) => {
              const indexes = Array.from(document.querySelectorAll(selector)).map((r) => Number(r.getAttribute('data-index')));
              return indexes.some((i) => !seen.includes(i)) || indexes.length === 0;
            },
            { selector: SELECTORS.problemsRows, seen: [...byIndex.keys()] },
            { timeout: 2_000 },
          )
          .catch(() => undefined); // reached the bottom: nothing new renders
        for (const row of await readRenderedRows(page)) byIndex.set(row.index, row);
        if (byIndex.size === before) break;
      }
    }
  }

  // Leave the keyboard where it was, so that typing after readProblems still goes to the editor.
  if (editorHadFocus && !(await editorHasFocus(page))) await focusActiveEditor(page);

  const problems: Problem[] = [];
  let file: RawRow | undefined;
  for (const row of [...byIndex.values()].sort((a, b) => a.index - b.index)) {
    if (row.level === 1) {
      file = row;
      continue;
    }
    if (row.level > 2) {
      // Related information of the problem above it.
      const owner = problems.at(-1);
      if (owner) (owner.related ??= []).push(row.text);
      continue;
    }
    const position = /Ln (\d+), Col (\d+)/.exec(row.lineText ?? '');
    const severity = row.severity === 'error' || row.severity === 'warning' || row.severity === 'info' ? row.severity : 'unknown';
    problems.push({
      severity,
      message: row.message ?? '',
      ...(row.source !== undefined && { source: row.source }),
      ...(row.code !== undefined && { code: row.code.replace(/^\((.*)\)$/, '$1') }),
      ...(file?.fileName !== undefined && { file: file.fileName }),
      ...(file?.filePath !== undefined && { filePath: file.filePath }),
      ...(position && { line: Number(position[1]), column: Number(position[2]) }),
      ariaLabel: row.ariaLabel,
    });
  }
  return problems;
}

/** Polls readProblems until `predicate` holds; returns the problems that satisfied it. */
export async function waitForProblems(page: Page, predicate: (problems: Problem[]) => boolean, timeoutMs = UI_TIMEOUT_MS): Promise<Problem[]> {
  const deadline = Date.now() + timeoutMs;
  let last: Problem[] = [];
  for (;;) {
    last = await readProblems(page);
    if (predicate(last)) return last;
    if (Date.now() > deadline) {
      throw new Error(`waitForProblems: condition not met within ${timeoutMs} ms; last seen:\n${JSON.stringify(last, null, 2)}`);
    }
    await page.waitForTimeout(200); // polling interval, not a fixed wait for a state
  }
}

/** The status bar's problem counts. */
export async function problemCounts(page: Page): Promise<{ errors: number; warnings: number; infos: number }> {
  const label = (await page.locator(SELECTORS.statusProblems).getAttribute('aria-label')) ?? '';
  const count = (word: string): number => Number(new RegExp(`${word}: (\\d+)`).exec(label)?.[1] ?? 0);
  return { errors: count('Errors'), warnings: count('Warnings'), infos: count('Infos') };
}

// ---------------------------------------------------------------------------------------------
// Artifacts
// ---------------------------------------------------------------------------------------------

/** Saves a PNG of the whole page to test-results/<name>.png and returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  await mkdir(TEST_RESULTS_DIR, { recursive: true });
  const file = path.join(TEST_RESULTS_DIR, `${name.replace(/[^\w.-]+/g, '-')}.png`);
  await page.screenshot({ path: file });
  return file;
}

// ---------------------------------------------------------------------------------------------
// Hover, suggestions, rename, notifications, side-bar views
// ---------------------------------------------------------------------------------------------

/**
 * Moves the mouse onto the first rendered occurrence of `text` in the active editor, on a line
 * that also contains `lineContains` when given (the line must be visible: use goToLine first).
 */
export async function hoverOverText(page: Page, text: string, lineContains = text): Promise<void> {
  const box = await page.evaluate(
    ({ selector, text, lineContains }) => {
      const lines = Array.from(document.querySelectorAll(`${selector} .view-lines > .view-line`));
      for (const line of lines) {
        if (!(line.textContent ?? '').replace(/\u00a0/g, ' ').includes(lineContains)) continue;
        const walker = document.createTreeWalker(line, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
          const at = (node.textContent ?? '').indexOf(text);
          if (at < 0) continue;
          const range = document.createRange();
          range.setStart(node, at);
          range.setEnd(node, at + text.length);
          const rect = range.getBoundingClientRect();
          return { x: rect.x + rect.width / 2, y: rect.y + rect.height / 2 };
        }
      }
      return null;
    },
    { selector: SELECTORS.activeEditor, text, lineContains },
  );
  if (!box) throw new Error(`hoverOverText: ${JSON.stringify(text)} is not on a rendered line containing ${JSON.stringify(lineContains)}`);
  // Come from elsewhere, so that the editor sees the mouse arrive on the token.
  await page.mouse.move(box.x, box.y - 60);
  await page.mouse.move(box.x, box.y, { steps: 4 });
}

/** Waits for a visible editor hover whose text contains every string in `expected`; returns its text. */
export async function waitForHover(page: Page, expected: string[], timeoutMs = UI_TIMEOUT_MS): Promise<string> {
  const handle = await page
    .waitForFunction(
      ({ selector, expected }) => {
        for (const el of Array.from(document.querySelectorAll<HTMLElement>(selector))) {
          if (el.getClientRects().length === 0) continue;
          const text = el.innerText.replace(/\s+/g, ' ').trim();
          // Also wait for the fade-in to end, so that a screenshot shows the hover opaque.
          const fading = (el.closest('.monaco-hover') ?? el).getAnimations({ subtree: true }).some((animation) => animation.playState === 'running');
          if (!fading && expected.every((part) => text.includes(part))) return text;
        }
        return false;
      },
      { selector: SELECTORS.hoverContent, expected },
      { timeout: timeoutMs },
    )
    .catch(async (error: unknown) => {
      const shown = await page.locator(SELECTORS.hoverContent).allInnerTexts();
      throw new Error(`no hover showed ${JSON.stringify(expected)} (hovers: ${JSON.stringify(shown)})\n${String(error)}`);
    });
  return (await handle.jsonValue()) as string;
}

export interface SuggestionRow {
  label: string;
  /** The rest of the row's screen-reader text (detail, kind). */
  ariaLabel: string;
  focused: boolean;
}

/** The rows the suggest widget renders (it shows up to 12 without scrolling), in order. */
export async function readSuggestions(page: Page): Promise<SuggestionRow[]> {
  const rows = await page.locator(SELECTORS.suggestRows).evaluateAll((elements) =>
    elements.map((row) => ({
      index: Number(row.getAttribute('data-index')),
      label: (row.querySelector('.label-name')?.textContent ?? '').trim(),
      ariaLabel: row.getAttribute('aria-label') ?? '',
      focused: row.classList.contains('focused'),
    })),
  );
  return rows.sort((a, b) => a.index - b.index).map(({ label, ariaLabel, focused }) => ({ label, ariaLabel, focused }));
}

/** Waits until the suggest widget shows rows and `predicate` holds for them; returns them. */
export async function waitForSuggestions(page: Page, predicate: (rows: SuggestionRow[]) => boolean, timeoutMs = UI_TIMEOUT_MS): Promise<SuggestionRow[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await page
      .locator(SELECTORS.suggestRows)
      .first()
      .waitFor({ timeout: Math.max(deadline - Date.now(), 1) });
    const rows = await readSuggestions(page);
    if (rows.length && predicate(rows)) return rows;
    if (Date.now() > deadline) throw new Error(`waitForSuggestions: condition not met; shown: ${JSON.stringify(rows)}`);
    await page.waitForTimeout(100); // polling interval
  }
}

/** Opens F2 rename at the cursor, replaces the proposed name with `newName` and presses Enter. Returns the proposed name. */
export async function renameSymbol(page: Page, newName: string): Promise<string> {
  await focusActiveEditor(page);
  await page.keyboard.press('F2');
  const input = page.locator(SELECTORS.renameInput).first();
  await input.waitFor({ state: 'visible' });
  await page.waitForFunction((selector) => document.activeElement === document.querySelector(selector), SELECTORS.renameInput);
  const proposed = await input.inputValue();
  await page.keyboard.press('Control+A');
  await page.keyboard.type(newName);
  await page.keyboard.press('Enter');
  await input.waitFor({ state: 'hidden' });
  return proposed;
}

export interface Notification {
  severity: 'error' | 'warning' | 'info' | 'unknown';
  message: string;
}

/** The notification toasts on screen. */
export async function readNotifications(page: Page): Promise<Notification[]> {
  return page.locator(SELECTORS.notificationToasts).evaluateAll((toasts) =>
    toasts.map((toast) => {
      const icon = toast.querySelector('.notification-list-item-icon');
      const classes = icon ? Array.from(icon.classList) : [];
      const severity = classes.includes('codicon-error')
        ? 'error'
        : classes.includes('codicon-warning')
          ? 'warning'
          : classes.includes('codicon-info')
            ? 'info'
            : 'unknown';
      return {
        severity: severity as 'error' | 'warning' | 'info' | 'unknown',
        message: (toast.querySelector('.notification-list-item-message')?.textContent ?? '').trim(),
      };
    }),
  );
}

/** Waits for a notification toast whose message matches `pattern`; returns it. */
export async function waitForNotification(page: Page, pattern: RegExp, timeoutMs = UI_TIMEOUT_MS): Promise<Notification> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const shown = await readNotifications(page);
    const match = shown.find((notification) => pattern.test(notification.message));
    if (match) return match;
    if (Date.now() > deadline) throw new Error(`no notification matched ${pattern}; shown: ${JSON.stringify(shown)}`);
    await page.waitForTimeout(100); // polling interval
  }
}

/** Clicks the activity-bar entry of a view container (by title) unless its side bar is already showing. */
export async function openViewContainer(page: Page, title: string): Promise<void> {
  const item = page
    .locator(SELECTORS.activityBarItems)
    .filter({ has: page.locator(`a.action-label[aria-label="${title}"], a.action-label[aria-label^="${title} - "]`) })
    .first();
  await item.waitFor();
  // The entry of the container showing in the side bar has the class `checked`.
  if (!(await item.evaluate((el) => el.classList.contains('checked')))) await item.click();
  await page.waitForFunction((el) => el.classList.contains('checked'), await item.elementHandle());
}

export interface TreeRow {
  /** Position in the tree (data-index). */
  index: number;
  /** 1 for roots. */
  level: number;
  label: string;
  description: string;
  /** undefined for leaves. */
  expanded: boolean | undefined;
  selected: boolean;
  /** The file-decoration badge drawn after the label (a problem count, a git letter), or '' for none. */
  badge: string;
  /** Labels of the ancestors, root first (computed from the rows above it). */
  path: string[];
}

/**
 * The rendered rows of a side-bar tree view, by view name (e.g. "Alignment"). Trees are
 * virtualized: only rows in view are rendered, so keep the parts you read expanded and in view.
 * `path` is only reliable when the rendered rows start at the top of the tree.
 */
export async function readTree(page: Page, viewName: string): Promise<TreeRow[]> {
  const tree = page.locator(`${SELECTORS.sideBarTrees}[aria-label="${viewName}"]`);
  if ((await tree.count()) === 0) return [];
  const raw = await tree.locator('.monaco-list-row').evaluateAll((rows) =>
    rows.map((row) => ({
      index: Number(row.getAttribute('data-index')),
      level: Number(row.getAttribute('aria-level')),
      label: (row.querySelector('.label-name')?.textContent ?? '').trim(),
      description: (row.querySelector('.label-description')?.textContent ?? '').trim(),
      expanded: row.hasAttribute('aria-expanded') ? row.getAttribute('aria-expanded') === 'true' : undefined,
      selected: row.getAttribute('aria-selected') === 'true',
      badge: (() => {
        const label = row.querySelector('.monaco-icon-label');
        const content = label ? getComputedStyle(label, '::after').content : 'none';
        return content === 'none' || content === 'normal' ? '' : content.replace(/^"|"$/g, '');
      })(),
    })),
  );
  raw.sort((a, b) => a.index - b.index);
  const stack: string[] = [];
  return raw.map((row) => {
    stack.length = Math.max(row.level - 1, 0);
    // An ancestor scrolled out of view (or not rendered yet) is ''.
    const result: TreeRow = { ...row, path: Array.from(stack, (label) => label ?? '') };
    stack[row.level - 1] = row.label;
    return result;
  });
}

/** Polls readTree until `predicate` holds; returns the rows that satisfied it. */
export async function waitForTree(page: Page, viewName: string, predicate: (rows: TreeRow[]) => boolean, timeoutMs = UI_TIMEOUT_MS): Promise<TreeRow[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const rows = await readTree(page, viewName);
    if (predicate(rows)) return rows;
    if (Date.now() > deadline) {
      throw new Error(
        `waitForTree(${viewName}): condition not met within ${timeoutMs} ms; rows:\n${rows.map((r) => `${'  '.repeat(r.level - 1)}${r.label} | ${r.description}`).join('\n')}`,
      );
    }
    await page.waitForTimeout(100); // polling interval
  }
}

/** The row element of a tree view whose label is `label` (a string matches the whole label), the first in tree order. */
export function treeRowLocator(page: Page, viewName: string, label: string | RegExp) {
  return page
    .locator(`${SELECTORS.sideBarTrees}[aria-label="${viewName}"] .monaco-list-row`)
    .filter({ has: page.locator('.label-name').getByText(label, { exact: true }) })
    .first();
}

/** Expands a collapsed tree row (see treeRowLocator) with a click on its twistie, and waits until it is expanded. */
export async function expandTreeItem(page: Page, viewName: string, label: string | RegExp): Promise<void> {
  const row = treeRowLocator(page, viewName, label);
  await row.waitFor();
  if ((await row.getAttribute('aria-expanded')) === 'true') return;
  if ((await row.getAttribute('aria-expanded')) === null) throw new Error(`expandTreeItem: ${String(label)} has no children`);
  await row.locator('.monaco-tl-twistie').click();
  await page.waitForFunction((el) => el.getAttribute('aria-expanded') === 'true', await row.elementHandle());
}

/** The text of the line the cursor is on in the active editor (from the status bar's line and the gutter). */
export async function cursorLineText(page: Page): Promise<string | undefined> {
  const position = await cursorPosition(page);
  if (!position) return undefined;
  return page.evaluate(
    ({ selector, line }) => {
      const editor = document.querySelector(selector);
      const number = Array.from(editor?.querySelectorAll<HTMLElement>('.margin-view-overlays .line-numbers') ?? []).find(
        (el) => el.textContent?.trim() === String(line),
      );
      const top = number?.parentElement?.style.top ?? number?.style.top;
      if (top === undefined) return undefined;
      const view = Array.from(editor?.querySelectorAll<HTMLElement>('.view-lines > .view-line') ?? []).find((el) => el.style.top === top);
      return view?.textContent?.replace(/\u00a0/g, ' ');
    },
    { selector: SELECTORS.activeEditor, line: position.line },
  );
}

// ---- README screenshots -------------------------------------------------------------------------

export const DOC_IMAGES = path.join(REPO_ROOT, 'docs/images');
/** UPDATE_DOC_IMAGES=1 regenerates the README's screenshots from the scenarios that take them. */
export const UPDATE_DOC_IMAGES = process.env.UPDATE_DOC_IMAGES === '1';

/** Drags the sash between the side bar and the editor until the side bar is `width` px wide, so that tree descriptions show whole in screenshots. */
export async function widenSideBar(page: Page, width: number): Promise<void> {
  const box = await page.locator('.part.sidebar').boundingBox();
  if (!box || box.width >= width) return;
  const y = box.y + box.height / 2;
  await page.mouse.move(box.x + box.width, y);
  await page.mouse.down();
  await page.mouse.move(box.x + width, y, { steps: 5 });
  await page.mouse.up();
  await page.mouse.move(box.x + 30, 12); // off the sash (it stays highlighted under the mouse), onto an empty part of the title bar
  await page.waitForFunction((width) => (document.querySelector('.part.sidebar')?.getBoundingClientRect().width ?? 0) >= width - 2, width);
}

/** With UPDATE_DOC_IMAGES=1, saves a README screenshot to docs/images/, once the status bar no longer shows extensions activating. */
export async function saveDocImage(page: Page, name: string): Promise<void> {
  if (!UPDATE_DOC_IMAGES) return;
  await page.waitForFunction(
    (selector) => !(document.querySelector<HTMLElement>(selector)?.innerText ?? '').includes('Activating Extensions'),
    SELECTORS.statusBar,
  );
  await mkdir(DOC_IMAGES, { recursive: true });
  await page.screenshot({ path: path.join(DOC_IMAGES, name) });
}
