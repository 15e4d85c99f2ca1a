/**
 * README's Emacs configuration (`<!-- editor-config: emacs -->`, eglot) in Debian's real Emacs 30
 * from bookworm-backports, without markdown-mode (as Debian installs it): `emacs -Q
 * --fg-daemon=<socket> -l <the README block> -l test/editors/support/driver.el`, driven with
 * `emacsclient --eval`. User actions are keyboard macros, so they run through the command loop as
 * typed: `C-x C-f` (eglot-ensure connects from post-command-hook), `C-M-i`, `M-.`, `M-x …`.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { rm, unlink, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  ACME_FILES,
  ACME_OUTCOMES,
  CASH_FORECAST_PRD,
  SUPPORT_DIR,
  createSandbox,
  findDiagnostic,
  readmeConfig,
  requireTools,
  show,
  sleep,
  spawnLogged,
  tail,
  waitFor,
  type Sandbox,
  type SeenDiagnostic,
  type Spawned,
} from './harness.ts';

interface EmacsState {
  file: string | null;
  buffer: string;
  line: number;
  col: number;
  text: string;
  mode: string;
  managed: boolean;
  modified: boolean;
  minibuffer: boolean;
}

interface EglotServer {
  name: string;
  root: string;
  command: string[];
  languageIds: string[];
  buffers: string[];
}

class Emacs {
  private constructor(
    private readonly sandbox: Sandbox,
    private readonly process: Spawned,
    private readonly socket: string,
  ) {}

  static async start(sandbox: Sandbox): Promise<Emacs> {
    const block = readmeConfig('emacs');
    assert.equal(block.language, 'elisp', 'the Emacs block is Emacs Lisp');
    const init = path.join(sandbox.root, 'init.el');
    await writeFile(init, block.code);
    // emacs refuses a socket in a folder others can read; mkdtemp's folder is 0700.
    const socket = path.join(sandbox.root, 'emacs.sock');
    const process = spawnLogged('emacs', ['-Q', `--fg-daemon=${socket}`, '-l', init, '-l', path.join(SUPPORT_DIR, 'driver.el')], {
      cwd: sandbox.workspace,
      env: sandbox.env,
    });
    const emacs = new Emacs(sandbox, process, socket);
    try {
      await waitFor(
        'the Emacs daemon and the test driver',
        async () => (existsSync(socket) && (await emacs.eval("(featurep 'throughline-test-driver)")) === 't' ? true : undefined),
        {
          observe: async () => process.output(),
        },
      );
    } catch (error) {
      await process.stop();
      throw error;
    }
    return emacs;
  }

  /** Evaluates an Emacs Lisp form in the daemon; the value as emacsclient prints it. */
  eval(form: string): Promise<string> {
    return new Promise((resolve, reject) => {
      execFile(
        'emacsclient',
        ['-s', this.socket, '--eval', form],
        { env: this.sandbox.env, timeout: 15_000, maxBuffer: 16 * 1024 * 1024 },
        (error, stdout, stderr) => {
          if (error) reject(new Error(`emacsclient --eval failed: ${error.message}\n${stderr}`));
          else resolve(stdout.trim());
        },
      );
    });
  }

  /** Calls throughline-test-<fn> with args in Emacs and returns its result. */
  async call<T>(fn: string, ...args: unknown[]): Promise<T> {
    const request = JSON.stringify({ fn, args }).replaceAll('\\', '\\\\').replaceAll('"', '\\"');
    const printed = await this.eval(`(throughline-test-call "${request}")`);
    const base64 = /^"([A-Za-z0-9+/=]*)"$/.exec(printed)?.[1];
    if (base64 === undefined) throw new Error(`unexpected reply from Emacs for ${fn}: ${printed}`);
    const reply = JSON.parse(Buffer.from(base64, 'base64').toString('utf8')) as { ok: boolean; result?: T; error?: string };
    if (!reply.ok) throw new Error(`throughline-test-${fn} failed in Emacs: ${reply.error}`);
    return reply.result as T;
  }

  /** Types KEYS (`kbd` syntax) through the command loop. */
  keys(keys: string): Promise<null> {
    return this.call('keys', keys);
  }

  /** Types TEXT literally. */
  type(text: string): Promise<null> {
    return this.call('type', text);
  }

  /**
   * Visits a workspace file with `C-x C-f` and waits for eglot to manage it. Then presses `C-a`, as
   * a user goes on typing: Flymake defers its first check of a buffer opened during a command to
   * the end of the next command.
   */
  async visit(relative: string): Promise<void> {
    await this.keys(`C-x C-f C-a C-k ${this.sandbox.file(relative)} RET`);
    const state = await waitFor(
      `eglot to manage ${relative}`,
      async () => {
        const state = await this.state();
        return state.managed ? state : undefined;
      },
      { observe: () => this.snapshot() },
    );
    assert.equal(state.file, this.sandbox.file(relative), `C-x C-f did not visit ${relative}: ${show(state)}`);
    await this.keys('C-a');
  }

  goto(line: number, col: number): Promise<null> {
    return this.call('goto', line, col);
  }

  state(): Promise<EmacsState> {
    return this.call('state');
  }

  lines(relative: string): Promise<string[] | null> {
    return this.call('lines', this.sandbox.file(relative));
  }

  diagnostics(relative: string): Promise<SeenDiagnostic[]> {
    return this.call('diagnostics', this.sandbox.file(relative));
  }

  /** What Emacs shows, for failure messages. */
  async snapshot(relative?: string): Promise<Record<string, unknown>> {
    const safe = async <T>(promise: Promise<T>): Promise<T | string> => promise.catch((error: Error) => `(failed: ${error.message})`);
    return {
      state: await safe(this.state()),
      server: await safe(this.call('server')),
      ...(relative ? { [`diagnostics of ${relative}`]: await safe(this.diagnostics(relative)) } : {}),
      completions: await safe(this.call('completions')),
      eldoc: await safe(this.call('eldoc')),
      messages: await safe(this.call('messages')),
      eglotEvents: await safe(this.call('events')),
      emacsOutput: tail(this.process.output(), 20),
      serverStderr: this.sandbox.serverLogTail(),
    };
  }

  async stop(): Promise<void> {
    if (!this.process.exited()) {
      await this.eval("(run-at-time 0 nil #'kill-emacs)").catch(() => undefined);
      await Promise.race([
        waitFor('Emacs to quit', async () => (this.process.exited() ? true : undefined), { timeoutMs: 3_000 }).catch(() => undefined),
        sleep(3_000),
      ]);
    }
    await this.process.stop();
  }
}

describe('Emacs (eglot) with the README configuration', { timeout: 150_000 }, () => {
  let sandbox: Sandbox;
  let emacs: Emacs;

  before(async () => {
    requireTools('emacs', 'emacsclient');
    sandbox = await createSandbox('emacs');
    emacs = await Emacs.start(sandbox);
  });

  after(async () => {
    await emacs?.stop();
    await sandbox?.dispose();
  });

  const diagnostic = (relative: string, messageStart: string, severity?: number) =>
    waitFor(
      `a diagnostic "${messageStart}…"${severity ? ` of severity ${severity}` : ''} in ${relative}`,
      async () => {
        const found = findDiagnostic(await emacs.diagnostics(relative), messageStart);
        return found && (severity === undefined || found.severity === severity) ? found : undefined;
      },
      { observe: () => emacs.snapshot(relative) },
    );
  const noDiagnostic = (relative: string, messageStart: string) =>
    waitFor(
      `the diagnostic "${messageStart}…" in ${relative} to go away`,
      async () => (findDiagnostic(await emacs.diagnostics(relative), messageStart) ? undefined : true),
      {
        observe: () => emacs.snapshot(relative),
      },
    );

  test('diagnostics arrive for the workspace, with the settings of the README block', async () => {
    await emacs.visit(ACME_FILES.guestCheckout);
    const untraced = await diagnostic(ACME_FILES.guestCheckout, 'REQ-1.4 traces to no outcome');
    assert.deepEqual({ line: untraced.line, col: untraced.col, severity: untraced.severity }, { line: 37, col: 4, severity: 1 });

    const state = await emacs.state();
    assert.equal(state.mode, 'throughline-markdown-mode', 'without markdown-mode, .md opens in the README block’s text mode');
    assert.equal(state.managed, true);
    const server = await emacs.call<EglotServer>('server');
    assert.deepEqual(server.command, ['throughline', 'lsp', '--stdio']);
    assert.equal(server.root, `${sandbox.workspace}/`, 'the project root is the folder with .throughline.yml');
    assert.ok(
      server.languageIds.every((id) => id === 'markdown'),
      show(server.languageIds),
    );

    // The block sets orphan-outcome to info (default: warning): Flymake shows it as a note.
    await emacs.visit(ACME_FILES.strategy);
    const orphan = await diagnostic(ACME_FILES.strategy, 'No requirement traces to OUT-4', 3);
    assert.deepEqual({ line: orphan.line, col: orphan.col }, { line: 66, col: 4 });
    const after = await emacs.call<EglotServer>('server');
    assert.deepEqual(
      [...after.buffers].sort(),
      [sandbox.file(ACME_FILES.guestCheckout), sandbox.file(ACME_FILES.strategy)].sort(),
      'one server for the workspace',
    );
  });

  test('completion (C-M-i, completion-at-point) inserts a defined ID after `Traces: OUT-`', async () => {
    await emacs.visit(ACME_FILES.guestCheckout);
    await emacs.goto(38, 0); // ### REQ-1.4: Show a receipt page after payment
    await emacs.keys('C-e RET');
    await emacs.type('Traces: OUT-');
    await emacs.keys('C-M-i').catch(async (error: Error) => {
      throw new Error(`C-M-i found no completion: ${error.message}\n${show(await emacs.snapshot())}`);
    });
    const listed = await waitFor('the *Completions* list', async () => (await emacs.call<string | null>('completions')) ?? undefined, {
      observe: () => emacs.snapshot(),
    });
    // Choose the first candidate, as a user does with M-<down> M-RET.
    await emacs.keys('M-<down> M-RET');
    const state = await emacs.state();
    assert.equal(state.line, 39, show(state));
    const inserted = /^Traces: (\S+)$/.exec(state.text)?.[1];
    assert.ok(inserted && ACME_OUTCOMES.includes(inserted), `line 39 is "${state.text}": not \`Traces: <a defined outcome ID>\` (listed: ${listed})`);
    assert.equal(state.text, 'Traces: OUT-1', 'the PRD’s front-matter lists OUT-1 first: the server offers it first');
    await noDiagnostic(ACME_FILES.guestCheckout, 'REQ-1.4 traces to no outcome');
  });

  test('hover (M-x eldoc) on an ID shows the item’s title', async () => {
    await emacs.visit(ACME_FILES.guestCheckout);
    await emacs.goto(35, 10); // Traces: OUT-2
    await emacs.keys('M-x eldoc RET');
    const text = await waitFor(
      'the hover text in ElDoc’s buffer',
      async () => {
        const doc = await emacs.call<string | null>('eldoc');
        return doc?.includes('Payers can pay with the method they already use') ? doc : undefined;
      },
      { observe: () => emacs.snapshot() },
    );
    assert.match(text, /OUT-2/);
  });

  test('go to definition (M-.) jumps to the defining file and line', async () => {
    await emacs.visit(ACME_FILES.guestCheckout);
    await emacs.goto(35, 10); // Traces: OUT-2
    await emacs.keys('M-.');
    const state = await waitFor(
      'the jump to strategy/payments-2027-h1.md',
      async () => {
        const state = await emacs.state();
        return state.file === sandbox.file(ACME_FILES.strategy) ? state : undefined;
      },
      { observe: () => emacs.snapshot() },
    );
    assert.equal(state.line, 40, show(state));
    assert.equal(state.text, '### OUT-2: Payers can pay with the method they already use');
    assert.equal(state.col, 4, 'on the ID');
  });

  test('rename (M-x eglot-rename) changes the ID in every file', async () => {
    await emacs.visit(ACME_FILES.strategy);
    await emacs.goto(40, 5); // ### OUT-2: …
    await emacs.keys('M-x eglot-rename RET OUT-20 RET');
    const guest = await waitFor(
      'the rename to reach prds/guest-checkout.md',
      async () => {
        const lines = await emacs.lines(ACME_FILES.guestCheckout);
        return lines && lines[34] === 'Traces: OUT-20' ? lines : undefined;
      },
      { observe: async () => ({ lines: await emacs.lines(ACME_FILES.guestCheckout), ...(await emacs.snapshot()) }) },
    );
    assert.equal(guest[7], 'outcomes: [OUT-1, OUT-20]');
    assert.equal(guest[30], 'Traces: OUT-1, OUT-20');
    const strategy = (await emacs.lines(ACME_FILES.strategy))!;
    assert.equal(strategy[39], '### OUT-20: Payers can pay with the method they already use');
    await emacs.call('save-all');
    assert.match(await sandbox.readDisk(ACME_FILES.guestCheckout), /^Traces: OUT-1, OUT-20$/m);
    assert.match(await sandbox.readDisk(ACME_FILES.strategy), /^### OUT-20: /m);
    assert.doesNotMatch(await sandbox.readDisk(ACME_FILES.guestCheckout), /\bOUT-2\b(?!0)/);
  });

  test('a quick fix (M-x eglot-code-action-quickfix) replaces an unknown ID', async () => {
    await emacs.visit(ACME_FILES.smartReminders);
    const unknown = await diagnostic(ACME_FILES.smartReminders, 'OUT-14 is not defined anywhere');
    assert.deepEqual({ line: unknown.line, col: unknown.col, severity: unknown.severity }, { line: 25, col: 10, severity: 1 });
    await emacs.goto(26, 11);
    const offered = await emacs.call<{ title: string; preferred: boolean }[]>('code-action-titles');
    const preferred = offered.find((action) => action.preferred);
    assert.ok(preferred, `no preferred quick fix among ${show(offered)}`);
    assert.equal(preferred.title, 'Change to OUT-1 (Payers complete payment without creating an account)');
    // RET in the prompt takes the default: the preferred action.
    await emacs.keys('M-x eglot-code-action-quickfix RET RET');
    const line = await waitFor(
      'the quick fix to apply',
      async () => {
        const lines = await emacs.lines(ACME_FILES.smartReminders);
        return lines && lines[25] !== '  Traces: OUT-14' ? lines[25] : undefined;
      },
      { observe: () => emacs.snapshot(ACME_FILES.smartReminders) },
    );
    assert.equal(line, '  Traces: OUT-1');
    await noDiagnostic(ACME_FILES.smartReminders, 'OUT-14 is not defined anywhere');
  });

  test('a file written on disk behind the editor changes the diagnostics of an open buffer', async () => {
    await emacs.visit(ACME_FILES.strategy);
    const orphan = await diagnostic(ACME_FILES.strategy, 'No requirement traces to OUT-7');
    assert.equal(orphan.line, 99);
    const added = sandbox.file('prds/cash-forecast.md');
    await writeFile(added, CASH_FORECAST_PRD);
    try {
      await noDiagnostic(ACME_FILES.strategy, 'No requirement traces to OUT-7');
      await unlink(added);
      await diagnostic(ACME_FILES.strategy, 'No requirement traces to OUT-7');
    } finally {
      await rm(added, { force: true });
    }
  });
});
