/**
 * Smoke test of the e2e harness: a real VS Code workbench (code-server) in headless Chromium.
 * Needs `bash scripts/setup-e2e.sh` first (npm run pretest:e2e does it).
 */
import { strict as assert } from 'node:assert';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import {
  activeEditorTitle,
  goToLine,
  isActiveEditorDirty,
  openFile,
  openWorkbench,
  readProblems,
  runCommand,
  screenshot,
  SELECTORS,
  TEST_RESULTS_DIR,
  startCodeServer,
  typeInEditor,
  visibleEditorLines,
  waitForEditorText,
  type CodeServer,
  type Workbench,
} from './harness.ts';

const NOTES = ['# Smoke notes', '', 'Throughline keeps strategy traceable.', '', 'Last line of the fixture.', ''].join('\n');
const TYPED = 'Typed by the e2e smoke test.';

test('smoke: the real workbench opens, edits, saves and reads the Problems panel', { timeout: 240_000 }, async (t) => {
  const parent = await mkdtemp(path.join(os.tmpdir(), 'throughline-e2e-smoke-'));
  const folder = path.join(parent, 'smoke');
  let server: CodeServer | undefined;
  let workbench: Workbench | undefined;
  let failed = false;
  // Subtests share one workbench: after a failing step the later ones are skipped, and the
  // failure is remembered so that the finally block can save a screenshot and the logs.
  const step = (name: string, fn: () => Promise<void>): Promise<void> =>
    t.test(name, { skip: failed ? 'an earlier step failed' : false }, async () => {
      try {
        await fn();
      } catch (error) {
        failed = true;
        throw error;
      }
    });
  try {
    await mkdir(folder);
    await writeFile(path.join(folder, 'notes.md'), NOTES);

    server = await startCodeServer({ workspaceFolder: folder });
    workbench = await openWorkbench(server.url, folder);
    const { page } = workbench;

    await step('Quick Open opens notes.md and the editor shows its text', async () => {
      await openFile(page, 'notes.md');
      assert.equal(await activeEditorTitle(page), 'notes.md');
      await waitForEditorText(page, 'Throughline keeps strategy traceable.');
      const lines = await visibleEditorLines(page);
      assert.deepEqual(lines.slice(0, 5), NOTES.split('\n').slice(0, 5));
    });

    await step('typing into the editor shows the new line, and File: Save writes it', async () => {
      await goToLine(page, 5, 26); // end of "Last line of the fixture."
      await typeInEditor(page, `\n${TYPED}`);
      await waitForEditorText(page, TYPED);
      assert.deepEqual((await visibleEditorLines(page)).slice(4, 6), ['Last line of the fixture.', TYPED]);
      assert.equal(await isActiveEditorDirty(page), true);
      await runCommand(page, 'File: Save');
      await page.locator(`${SELECTORS.activeTab}.dirty`).waitFor({ state: 'detached' });
      const onDisk = await readFile(path.join(folder, 'notes.md'), 'utf8');
      assert.match(onDisk, /Last line of the fixture\.\nTyped by the e2e smoke test\.\n/);
    });

    await step('the Problems panel helper reads an empty list for a Markdown file', async () => {
      assert.deepEqual(await readProblems(page), []);
      assert.equal(await activeEditorTitle(page), 'notes.md');
    });

    if (!failed) t.diagnostic(`screenshot: ${await screenshot(page, 'smoke')}`);
  } catch (error) {
    failed = true;
    throw error;
  } finally {
    if (workbench) {
      if (failed) await screenshot(workbench.page, 'smoke-failure').catch(() => undefined);
      for (const line of workbench.consoleErrors) t.diagnostic(`browser console error: ${line}`);
      await workbench.close().catch(() => undefined);
    }
    if (server) {
      if (failed) {
        await mkdir(TEST_RESULTS_DIR, { recursive: true });
        const log = path.join(TEST_RESULTS_DIR, 'smoke-code-server.log');
        await writeFile(log, server.logs());
        t.diagnostic(`code-server output: ${log}`);
      }
      await server.stop();
    }
    await rm(parent, { recursive: true, force: true });
  }
});
