/**
 * The V8 code caches of the CLI and the server (server/src/entry/codeCache.ts, made by `npm run
 * build`): each answers the same with the build's cache, without one, with one of other bytes and
 * with one V8 refuses; the build keeps each in step with its bundle, and makes it under the flags a
 * process starts with, or V8 would refuse it on every start.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { appendFileSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, test } from 'node:test';
import { fileUri, SERVER_PATH, startClient } from '../protocol/lspClient';
import { REPO_ROOT } from './run';

const ACME = path.join(REPO_ROOT, 'examples', 'acme');
const BUNDLE = path.join(REPO_ROOT, 'dist', 'cli.bundle.js');
const CACHE = `${BUNDLE}.cache`;
const SERVER_BUNDLE = path.join(REPO_ROOT, 'dist', 'server.bundle.js');
const SERVER_CACHE = `${SERVER_BUNDLE}.cache`;

const copy = mkdtempSync(path.join(os.tmpdir(), 'throughline-code-cache-'));
after(() => rmSync(copy, { recursive: true, force: true }));
mkdirSync(path.join(copy, 'bin'));
mkdirSync(path.join(copy, 'dist'));
copyFileSync(path.join(REPO_ROOT, 'bin', 'throughline.js'), path.join(copy, 'bin', 'throughline.js'));
for (const loader of ['cli.js', 'server.js']) copyFileSync(path.join(REPO_ROOT, 'dist', loader), path.join(copy, 'dist', loader));
const copiedBundle = path.join(copy, 'dist', 'cli.bundle.js');
const copiedCache = `${copiedBundle}.cache`;

function check(bin: string): { status: number | null; stdout: string; stderr: string } {
  const run = spawnSync(process.execPath, [bin, 'check', ACME, '--format', 'json'], {
    encoding: 'utf8',
    env: { ...process.env, THROUGHLINE_TODAY: '2026-11-22' },
  });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

const md5 = (bytes: Buffer) => createHash('md5').update(bytes).digest();

/**
 * The four states a copied bundle's cache is put in, in turn: none, the build's, one V8 refuses,
 * and the build's for a bundle that has changed since (the last: it changes the bundle).
 */
function cacheStates(copiedBundle: string, buildCache: string): [string, () => void][] {
  const copiedCache = `${copiedBundle}.cache`;
  return [
    ['no cache', () => rmSync(copiedCache, { force: true })],
    ['the build’s cache', () => copyFileSync(buildCache, copiedCache)],
    // The right header, data V8 cannot use: it compiles the bundle as usual.
    ['a cache V8 refuses', () => writeFileSync(copiedCache, Buffer.concat([md5(readFileSync(copiedBundle)), Buffer.alloc(4096, 7)]))],
    // The bundle changed since the cache was made (here by a comment): the cache is not used.
    [
      'a cache of other bytes',
      () => {
        copyFileSync(buildCache, copiedCache);
        appendFileSync(copiedBundle, '\n// changed\n');
      },
    ],
  ];
}

/** Whether V8, in a process started as users start it (no flags), takes `cache` for `bundle`. */
function acceptedByV8(bundle: string, cache: string): boolean {
  const probe = `const fs = require('node:fs'), vm = require('node:vm'), Module = require('node:module');
const script = new vm.Script(Module.wrap(fs.readFileSync(${JSON.stringify(bundle)}, 'utf8')), { filename: ${JSON.stringify(bundle)}, cachedData: fs.readFileSync(${JSON.stringify(cache)}).subarray(16) });
process.stdout.write(script.cachedDataRejected ? 'refused' : 'accepted');`;
  return spawnSync(process.execPath, ['-e', probe], { encoding: 'utf8' }).stdout === 'accepted';
}

describe('the code caches', () => {
  test('the build made one per bundle, headed by the MD5 of the bundle it was made from, which V8 takes', () => {
    for (const [bundle, cache] of [
      [BUNDLE, CACHE],
      [SERVER_BUNDLE, SERVER_CACHE],
    ] as const) {
      assert.ok(existsSync(cache), `npm run build makes ${path.basename(cache)}`);
      assert.deepEqual(readFileSync(cache).subarray(0, 16), md5(readFileSync(bundle)), path.basename(cache));
      // The server sets a V8 flag once its first index is built: a cache written under it is refused.
      assert.ok(acceptedByV8(bundle, cache), `V8 takes ${path.basename(cache)} in a process started without flags`);
    }
  });

  test('with the cache, without it, with one of other bytes and with one V8 refuses, the CLI answers alike', () => {
    const reference = check(path.join(REPO_ROOT, 'bin', 'throughline.js'));
    assert.equal(reference.status, 1, reference.stderr);
    assert.ok(reference.stdout.startsWith('{'), reference.stdout.slice(0, 200));
    const bin = path.join(copy, 'bin', 'throughline.js');
    copyFileSync(BUNDLE, copiedBundle);
    for (const [name, arrange] of cacheStates(copiedBundle, CACHE)) {
      arrange();
      const answered = check(bin);
      assert.deepEqual(answered, reference, name);
    }
  });

  test('a bundle changed to bytes of the same length runs as it is now, not as the cache of the old one', () => {
    // V8 itself compares only the length of the source with the cache's: the MD5 is what refuses it.
    const bundle = readFileSync(BUNDLE, 'utf8');
    const version = /VERSION = "(\d+)\.(\d+)\.(\d+)"/.exec(bundle);
    assert.ok(version, 'the bundle spells its version');
    const changed = `VERSION = "${(Number(version[1]) + 1) % 10}.${version[2]}.${version[3]}"`;
    assert.equal(changed.length, version[0].length);
    writeFileSync(copiedBundle, bundle.replace(version[0], changed));
    copyFileSync(CACHE, copiedCache);
    const run = spawnSync(process.execPath, [path.join(copy, 'bin', 'throughline.js'), '--version'], { encoding: 'utf8' });
    assert.equal(run.stdout.trim(), changed.slice('VERSION = "'.length, -1));
  });

  test('with the cache, without it, with one of other bytes and with one V8 refuses, the server answers alike', async () => {
    const server = path.join(copy, 'dist', 'server.js');
    const copiedServerBundle = path.join(copy, 'dist', 'server.bundle.js');
    copyFileSync(SERVER_BUNDLE, copiedServerBundle);
    const answers = async (command: readonly string[]) => {
      const client = await startClient({ folders: [ACME], command });
      try {
        const prdPath = path.join(ACME, 'prds', 'guest-checkout.md');
        const prd = fileUri(prdPath);
        await client.open(prd, readFileSync(prdPath, 'utf8'));
        return {
          capabilities: client.initializeResult?.capabilities,
          // Line 25 is `Traces: OUT-1`.
          hover: await client.hover(prd, 24, 10),
          symbols: await client.request('textDocument/documentSymbol', { textDocument: { uri: prd } }),
          tree: await client.request('throughline/alignmentTree', { depth: 2 }),
        };
      } finally {
        await client.stop();
      }
    };
    const reference = await answers([process.execPath, SERVER_PATH, '--stdio']);
    assert.ok(reference.hover, 'OUT-1 has a hover');
    for (const [name, arrange] of cacheStates(copiedServerBundle, SERVER_CACHE)) {
      arrange();
      assert.deepEqual(await answers([process.execPath, server, '--stdio']), reference, name);
    }
  });
});
