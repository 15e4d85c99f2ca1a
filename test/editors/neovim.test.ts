/**
 * README's Neovim 0.7 configuration (`<!-- editor-config: neovim-0.7 -->`) in Debian's real
 * Neovim 0.7.2, headless: `nvim --headless --clean -u <the README block> --listen <socket>`, driven
 * over `nvim --server <socket> --remote-expr` (test/editors/support/driver.lua observes and types).
 * Keys go through Neovim's input queue, so the README's mappings (`K`, `gd`) and the omnifunc
 * (`<C-x><C-o>`) run as they do for a user.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, rm, unlink, writeFile } from 'node:fs/promises';
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

interface NvimState {
  file: string;
  line: number;
  col: number;
  text: string;
  mode: string;
  filetype: string;
  omnifunc: string;
  modified: boolean;
}

interface NvimClient {
  id: number;
  name: string;
  root: string | null;
  initialized: boolean;
  buffers: string[];
}

interface NvimCompletion {
  visible: boolean;
  selected: number;
  mode: string;
  words: string[];
}

class Neovim {
  private calls = 0;

  private constructor(
    private readonly sandbox: Sandbox,
    private readonly process: Spawned,
    private readonly socket: string,
  ) {}

  static async start(sandbox: Sandbox): Promise<Neovim> {
    const block = readmeConfig('neovim-0.7');
    assert.equal(block.language, 'lua', 'the Neovim 0.7 block is Lua');
    const init = path.join(sandbox.root, 'init.lua');
    await writeFile(init, block.code);
    const socket = path.join(sandbox.root, 'nvim.sock');
    const process = spawnLogged('nvim', ['--headless', '--clean', '-u', init, '--listen', socket, '-c', `luafile ${path.join(SUPPORT_DIR, 'driver.lua')}`], {
      cwd: sandbox.workspace,
      env: sandbox.env,
    });
    const nvim = new Neovim(sandbox, process, socket);
    try {
      await waitFor('Neovim to listen on its socket', async () => (existsSync(socket) && (await nvim.expr('1 + 1')) === '2' ? true : undefined), {
        observe: async () => process.output(),
      });
      await waitFor('the test driver to load', async () => ((await nvim.expr('luaeval("ThroughlineTest ~= nil and 1 or 0")')) === '1' ? true : undefined), {
        observe: async () => process.output(),
      });
    } catch (error) {
      await process.stop();
      throw error;
    }
    return nvim;
  }

  /** Evaluates a Vim expression in the running Neovim; the result as Neovim prints it. */
  expr(expression: string): Promise<string> {
    return new Promise((resolve, reject) => {
      execFile(
        'nvim',
        ['--clean', '--headless', '--server', this.socket, '--remote-expr', expression],
        { env: this.sandbox.env, timeout: 10_000, maxBuffer: 16 * 1024 * 1024 },
        (error, stdout, stderr) => {
          // Neovim 0.7 prints the value on stderr when its stdout is not a terminal.
          if (error) reject(new Error(`nvim --remote-expr failed: ${error.message}\n${stderr}`));
          else resolve(stdout !== '' ? stdout : stderr);
        },
      );
    });
  }

  /** Calls ThroughlineTest.<fn>(...args) in Neovim and returns its result. */
  async call<T>(fn: string, ...args: unknown[]): Promise<T> {
    const out = path.join(this.sandbox.root, `reply-${++this.calls}.json`);
    const request = JSON.stringify({ fn, args, out }).replaceAll("'", "''");
    const printed = await this.expr(`luaeval('ThroughlineTest.call(_A)', '${request}')`);
    let reply: { ok: boolean; result?: T; error?: string };
    try {
      reply = JSON.parse(await readFile(out, 'utf8')) as typeof reply;
    } catch (error) {
      throw new Error(`no reply from Neovim for ${fn} (${(error as Error).message}); it printed: ${printed}`);
    } finally {
      await rm(out, { force: true });
    }
    if (!reply.ok) throw new Error(`ThroughlineTest.${fn} failed in Neovim: ${reply.error}`);
    return reply.result as T;
  }

  edit(relative: string): Promise<number> {
    return this.call('edit', this.sandbox.file(relative));
  }

  state(): Promise<NvimState> {
    return this.call('state');
  }

  async lines(relative: string): Promise<string[] | null> {
    return this.call('lines', this.sandbox.file(relative));
  }

  async diagnostics(relative: string): Promise<SeenDiagnostic[]> {
    return this.call('diagnostics', this.sandbox.file(relative));
  }

  /** What Neovim shows, for failure messages. */
  async snapshot(relative?: string): Promise<Record<string, unknown>> {
    const safe = async <T>(promise: Promise<T>): Promise<T | string> => promise.catch((error: Error) => `(failed: ${error.message})`);
    return {
      state: await safe(this.state()),
      clients: await safe(this.call('clients')),
      ...(relative ? { [`diagnostics of ${relative}`]: await safe(this.diagnostics(relative)) } : {}),
      floats: await safe(this.call('floats')),
      messages: await safe(this.call('messages')),
      lspLog: await safe(this.call('lsp_log_tail')),
      nvimOutput: tail(this.process.output(), 20),
      serverStderr: this.sandbox.serverLogTail(),
    };
  }

  async stop(): Promise<void> {
    if (!this.process.exited()) {
      await this.expr(`luaeval("vim.schedule(function() vim.cmd('qa!') end)")`).catch(() => undefined);
      await Promise.race([
        waitFor('Neovim to quit', async () => (this.process.exited() ? true : undefined), { timeoutMs: 3_000 }).catch(() => undefined),
        sleep(3_000),
      ]);
    }
    await this.process.stop();
  }
}

describe('Neovim 0.7 with the README configuration', { timeout: 150_000 }, () => {
  let sandbox: Sandbox;
  let nvim: Neovim;

  before(async () => {
    requireTools('nvim');
    sandbox = await createSandbox('nvim');
    nvim = await Neovim.start(sandbox);
  });

  after(async () => {
    await nvim?.stop();
    await sandbox?.dispose();
  });

  /** Waits for a diagnostic whose message starts with `messageStart` in `relative`. */
  const diagnostic = (relative: string, messageStart: string) =>
    waitFor(`a diagnostic "${messageStart}…" in ${relative}`, async () => findDiagnostic(await nvim.diagnostics(relative), messageStart), {
      observe: () => nvim.snapshot(relative),
    });
  const noDiagnostic = (relative: string, messageStart: string) =>
    waitFor(
      `the diagnostic "${messageStart}…" in ${relative} to go away`,
      async () => (findDiagnostic(await nvim.diagnostics(relative), messageStart) ? undefined : true),
      {
        observe: () => nvim.snapshot(relative),
      },
    );

  test('diagnostics arrive for the workspace, with the settings of the README block', async () => {
    await nvim.edit(ACME_FILES.guestCheckout);
    const untraced = await diagnostic(ACME_FILES.guestCheckout, 'REQ-1.4 traces to no outcome');
    assert.deepEqual({ line: untraced.line, col: untraced.col, severity: untraced.severity }, { line: 37, col: 4, severity: 1 });
    // The block sets orphan-outcome to info (default: warning), from the first time it shows, in
    // the strategy not opened yet: settings pushed after the first diagnostics left it a warning
    // for half a second.
    const orphan = await diagnostic(ACME_FILES.strategy, 'No requirement traces to OUT-4');
    const severities = await nvim.call<number[]>('published_severities', sandbox.file(ACME_FILES.strategy), 'orphan-outcome', 'No requirement traces to OUT-4');
    assert.ok(severities.length > 0 && severities.every((severity) => severity === 3), `published as information every time: ${show(severities)}`);

    const clients = await nvim.call<NvimClient[]>('clients');
    assert.equal(clients.length, 1, show(clients));
    assert.equal(clients[0]!.name, 'throughline');
    assert.equal(clients[0]!.root, sandbox.workspace, 'the root is the folder with .throughline.yml');
    const state = await nvim.state();
    assert.equal(state.filetype, 'markdown');
    assert.equal(state.omnifunc, 'v:lua.vim.lsp.omnifunc', "the README block replaces Markdown's HTML omnifunc");

    await nvim.edit(ACME_FILES.strategy);
    assert.deepEqual(
      { line: orphan.line, col: orphan.col, severity: orphan.severity },
      { line: 66, col: 4, severity: 3 },
      'orphan-outcome on OUT-4 as information when it first shows (the README block sets it to info; the default is warning)',
    );
    const after = await nvim.call<NvimClient[]>('clients');
    assert.equal(after.length, 1, `one client for the workspace: ${show(after)}`);
    assert.deepEqual([...after[0]!.buffers].sort(), [sandbox.file(ACME_FILES.guestCheckout), sandbox.file(ACME_FILES.strategy)].sort());
  });

  test('completion (<C-x><C-o>) inserts a defined ID after `Traces: OUT-`', async () => {
    await nvim.edit(ACME_FILES.guestCheckout);
    await nvim.call('set_cursor', 38, 0); // ### REQ-1.4: Show a receipt page after payment
    await nvim.call('input', 'oTraces: OUT-<C-x><C-o>');
    const menu = await waitFor(
      'the completion menu',
      async () => {
        const completion = await nvim.call<NvimCompletion>('completion');
        return completion.visible && completion.words.length > 0 ? completion : undefined;
      },
      { observe: () => nvim.snapshot(ACME_FILES.guestCheckout) },
    );
    await nvim.call('input', '<C-y><Esc>');
    const line = await waitFor(
      'the accepted completion',
      async () => {
        const state = await nvim.state();
        return state.mode === 'n' && state.line === 39 ? state.text : undefined;
      },
      { observe: () => nvim.snapshot() },
    );
    const inserted = /^Traces: (\S+)$/.exec(line)?.[1];
    assert.ok(inserted && ACME_OUTCOMES.includes(inserted), `line 39 is "${line}": not \`Traces: <a defined outcome ID>\` (menu words: ${show(menu.words)})`);
    // The PRD's front-matter lists OUT-1 first: the server offers it first.
    assert.equal(line, 'Traces: OUT-1');
    await noDiagnostic(ACME_FILES.guestCheckout, 'REQ-1.4 traces to no outcome');
  });

  test('hover (K) on an ID shows the item’s title', async () => {
    await nvim.edit(ACME_FILES.guestCheckout);
    await nvim.call('set_cursor', 35, 10); // Traces: OUT-2
    await nvim.call('input', 'K');
    const text = await waitFor(
      'the hover window',
      async () => (await nvim.call<string[]>('floats')).find((float) => float.includes('Payers can pay with the method they already use')),
      { observe: () => nvim.snapshot() },
    );
    assert.match(text, /OUT-2/);
    await nvim.call('close_floats');
  });

  test('go to definition (gd) jumps to the defining file and line', async () => {
    await nvim.edit(ACME_FILES.guestCheckout);
    await nvim.call('set_cursor', 35, 10); // Traces: OUT-2
    await nvim.call('input', 'gd');
    const state = await waitFor(
      'the jump to strategy/payments-2027-h1.md',
      async () => {
        const state = await nvim.state();
        return state.file === sandbox.file(ACME_FILES.strategy) ? state : undefined;
      },
      { observe: () => nvim.snapshot() },
    );
    assert.equal(state.line, 40, show(state));
    assert.equal(state.text, '### OUT-2: Payers can pay with the method they already use');
    assert.equal(state.col, 4, 'on the ID');
  });

  test('rename (vim.lsp.buf.rename) changes the ID in every file', async () => {
    await nvim.edit(ACME_FILES.strategy);
    await nvim.call('set_cursor', 40, 5); // ### OUT-2: …
    await nvim.call('rename', 'OUT-20');
    const guest = await waitFor(
      'the rename to reach prds/guest-checkout.md',
      async () => {
        const lines = await nvim.lines(ACME_FILES.guestCheckout);
        return lines && lines[34] === 'Traces: OUT-20' ? lines : undefined;
      },
      { observe: async () => ({ lines: await nvim.lines(ACME_FILES.guestCheckout), ...(await nvim.snapshot()) }) },
    );
    assert.equal(guest[7], 'outcomes: [OUT-1, OUT-20]');
    assert.equal(guest[30], 'Traces: OUT-1, OUT-20');
    const strategy = (await nvim.lines(ACME_FILES.strategy))!;
    assert.equal(strategy[39], '### OUT-20: Payers can pay with the method they already use');
    await nvim.call('write_all');
    assert.match(await sandbox.readDisk(ACME_FILES.guestCheckout), /^Traces: OUT-1, OUT-20$/m);
    assert.match(await sandbox.readDisk(ACME_FILES.strategy), /^### OUT-20: /m);
    assert.doesNotMatch(await sandbox.readDisk(ACME_FILES.guestCheckout), /\bOUT-2\b(?!0)/);
  });

  test('a quick fix (code action) replaces an unknown ID', async () => {
    await nvim.edit(ACME_FILES.smartReminders);
    const unknown = await diagnostic(ACME_FILES.smartReminders, 'OUT-14 is not defined anywhere');
    assert.deepEqual({ line: unknown.line, col: unknown.col, severity: unknown.severity }, { line: 25, col: 10, severity: 1 });
    await nvim.call('set_cursor', 26, 11);
    await nvim.call('code_action', 'Change to ');
    const titles = await waitFor('the code action menu', async () => nvim.call<string[] | null>('offered').then((t) => t ?? undefined), {
      observe: () => nvim.snapshot(ACME_FILES.smartReminders),
    });
    const chosen = titles.find((title) => title.startsWith('Change to '));
    assert.ok(chosen, `no "Change to …" quick fix among ${show(titles)}`);
    assert.match(chosen, /^Change to OUT-1 \(Payers complete payment without creating an account\)$/);
    const line = await waitFor(
      'the quick fix to apply',
      async () => {
        const lines = await nvim.lines(ACME_FILES.smartReminders);
        return lines && lines[25] !== '  Traces: OUT-14' ? lines[25] : undefined;
      },
      { observe: () => nvim.snapshot(ACME_FILES.smartReminders) },
    );
    assert.equal(line, '  Traces: OUT-1');
    await noDiagnostic(ACME_FILES.smartReminders, 'OUT-14 is not defined anywhere');
  });

  test('a file written on disk behind the editor changes the diagnostics of an open buffer', async () => {
    await nvim.edit(ACME_FILES.strategy);
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
