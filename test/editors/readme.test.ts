/**
 * The README's editor configurations that no test runs in a real editor (Debian bookworm packages
 * none of those editors) are at least checked to parse, to start `throughline lsp --stdio`, and to
 * be labelled untested; the tested ones are labelled tested.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { README, readmeConfigBlocks, type ConfigBlock } from './harness.ts';
import { readFileSync } from 'node:fs';

/** Every block, its fence language, whether a test runs it in the real editor, and how it starts the server. */
const EXPECTED: Record<string, { language: string; tested: boolean; command: string }> = {
  'neovim-0.7': { language: 'lua', tested: true, command: "cmd = { 'throughline', 'lsp', '--stdio' }" },
  'neovim-0.8': { language: 'lua', tested: false, command: "cmd = { 'throughline', 'lsp', '--stdio' }" },
  'neovim-0.11': { language: 'lua', tested: false, command: "cmd = { 'throughline', 'lsp', '--stdio' }" },
  emacs: { language: 'elisp', tested: true, command: '. ("throughline" "lsp" "--stdio")' },
  helix: { language: 'toml', tested: false, command: 'command = "throughline"\nargs = ["lsp", "--stdio"]' },
  kakoune: { language: 'kak', tested: false, command: 'command = "throughline"\n        args = ["lsp", "--stdio"]' },
  sublime: { language: 'json', tested: false, command: '"command": ["throughline", "lsp", "--stdio"]' },
};

const blocks = readmeConfigBlocks();
const byName = new Map(blocks.map((block) => [block.name, block]));

function block(name: string): ConfigBlock {
  const found = byName.get(name);
  assert.ok(found, `README.md has no <!-- editor-config: ${name} --> block`);
  return found;
}

describe('README editor configurations', () => {
  test('each editor has exactly one block, in the expected language, starting `throughline lsp --stdio`', () => {
    assert.deepEqual(blocks.map((b) => b.name).sort(), Object.keys(EXPECTED).sort());
    for (const [name, expected] of Object.entries(EXPECTED)) {
      assert.equal(block(name).language, expected.language, name);
      assert.ok(block(name).code.includes(expected.command), `${name} does not start the server with ${expected.command}`);
    }
  });

  test('the heading above each block says whether it is tested', () => {
    const lines = readFileSync(README, 'utf8').split('\n');
    for (const [name, expected] of Object.entries(EXPECTED)) {
      const markerLine = lines.findIndex((line) => line.includes(`<!-- editor-config: ${name} -->`));
      const heading = lines
        .slice(0, markerLine)
        .reverse()
        .find((line) => line.startsWith('#'));
      assert.ok(
        heading?.endsWith(expected.tested ? '— tested' : '— untested'),
        `${name}: heading "${heading}" should end with "— ${expected.tested ? '' : 'un'}tested"`,
      );
    }
  });

  test('the Lua blocks compile (Neovim’s LuaJIT)', async (t) => {
    if (spawnSync('nvim', ['--version'], { stdio: 'ignore' }).status !== 0) {
      t.skip('nvim is not installed (bash scripts/setup-editors.sh)');
      return;
    }
    const dir = await mkdtemp(path.join(os.tmpdir(), 'throughline-lua-'));
    try {
      for (const name of ['neovim-0.7', 'neovim-0.8', 'neovim-0.11']) {
        const file = path.join(dir, `${name}.lua`);
        await writeFile(file, block(name).code);
        // loadfile compiles without running: the 0.8+ APIs do not exist in Debian's 0.7.
        const check = `lua local f, e = loadfile(${JSON.stringify(file)}); if f then vim.cmd('qa!') else io.stderr:write(e .. '\\n'); vim.cmd('cquit 3') end`;
        const result = spawnSync('nvim', ['--headless', '--clean', '-u', 'NONE', '-c', check], { encoding: 'utf8', timeout: 10_000 });
        assert.equal(result.status, 0, `${name} does not compile: ${result.stderr}${result.stdout}`);
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  test('the TOML of the Helix and Kakoune blocks parses (Python’s tomllib)', (t) => {
    if (spawnSync('python3', ['-c', 'import tomllib'], { stdio: 'ignore' }).status !== 0) {
      t.skip('python3 with tomllib (3.11+) is not installed');
      return;
    }
    const kak = block('kakoune').code;
    const servers = /set-option buffer lsp_servers %\{\n([\s\S]*?)\n\s*\}\n/.exec(kak)?.[1];
    assert.ok(servers, 'the Kakoune block sets lsp_servers to a %{…} TOML string');
    const parse = (toml: string) =>
      JSON.parse(
        execFileSync('python3', ['-c', 'import json, sys, tomllib; print(json.dumps(tomllib.loads(sys.stdin.read())))'], {
          input: toml,
          encoding: 'utf8',
          timeout: 10_000,
        }),
      ) as Record<string, unknown>;
    assert.deepEqual(parse(block('helix').code), {
      'language-server': {
        throughline: { command: 'throughline', args: ['lsp', '--stdio'], config: { throughline: { rules: { 'orphan-outcome': 'info' } } } },
      },
      language: [{ name: 'markdown', roots: ['.throughline.yml', '.git'], 'language-servers': ['throughline'] }],
    });
    assert.deepEqual(parse(servers.replace(/^ +/gm, '')), {
      throughline: {
        command: 'throughline',
        args: ['lsp', '--stdio'],
        root_globs: ['.throughline.yml', '.git'],
        settings: { throughline: { rules: { 'orphan-outcome': 'info' } } },
      },
    });
  });

  test('the Sublime Text block is JSON', () => {
    assert.deepEqual(JSON.parse(block('sublime').code), {
      clients: {
        throughline: {
          enabled: true,
          command: ['throughline', 'lsp', '--stdio'],
          selector: 'text.html.markdown',
          settings: { throughline: { rules: { 'orphan-outcome': 'info' } } },
        },
      },
    });
  });
});
