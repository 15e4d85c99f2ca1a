/**
 * The CLI's V8 code cache (bin/throughline.js, made by `npm run build`): the CLI answers the same
 * with the build's cache, without one, with one of other bytes and with one V8 refuses; the build
 * keeps it in step with the bundle.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { appendFileSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, test } from 'node:test';
import { REPO_ROOT } from './run';

const ACME = path.join(REPO_ROOT, 'examples', 'acme');
const BUNDLE = path.join(REPO_ROOT, 'dist', 'cli.js');
const CACHE = `${BUNDLE}.cache`;

const copy = mkdtempSync(path.join(os.tmpdir(), 'throughline-code-cache-'));
after(() => rmSync(copy, { recursive: true, force: true }));
mkdirSync(path.join(copy, 'bin'));
mkdirSync(path.join(copy, 'dist'));
copyFileSync(path.join(REPO_ROOT, 'bin', 'throughline.js'), path.join(copy, 'bin', 'throughline.js'));
const copiedBundle = path.join(copy, 'dist', 'cli.js');
const copiedCache = `${copiedBundle}.cache`;

function check(bin: string): { status: number | null; stdout: string; stderr: string } {
  const run = spawnSync(process.execPath, [bin, 'check', ACME, '--format', 'json'], {
    encoding: 'utf8',
    env: { ...process.env, THROUGHLINE_TODAY: '2026-11-22' },
  });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

const md5 = (bytes: Buffer) => createHash('md5').update(bytes).digest();

describe('the CLI code cache', () => {
  test('the build made one, headed by the MD5 of the bundle it was made from', () => {
    assert.ok(existsSync(CACHE), 'npm run build makes dist/cli.js.cache');
    assert.deepEqual(readFileSync(CACHE).subarray(0, 16), md5(readFileSync(BUNDLE)));
  });

  test('with the cache, without it, with one of other bytes and with one V8 refuses, the CLI answers alike', () => {
    const reference = check(path.join(REPO_ROOT, 'bin', 'throughline.js'));
    assert.equal(reference.status, 1, reference.stderr);
    assert.ok(reference.stdout.startsWith('{'), reference.stdout.slice(0, 200));
    const bin = path.join(copy, 'bin', 'throughline.js');
    copyFileSync(BUNDLE, copiedBundle);
    const cases: [string, () => void][] = [
      ['no cache', () => rmSync(copiedCache, { force: true })],
      ['the build’s cache', () => copyFileSync(CACHE, copiedCache)],
      // The right header, data V8 cannot use: it compiles the bundle as usual.
      ['a cache V8 refuses', () => writeFileSync(copiedCache, Buffer.concat([md5(readFileSync(copiedBundle)), Buffer.alloc(4096, 7)]))],
      // The bundle changed since the cache was made (here by a comment): the cache is not used.
      [
        'a cache of other bytes',
        () => {
          copyFileSync(CACHE, copiedCache);
          appendFileSync(copiedBundle, '\n// changed\n');
        },
      ],
    ];
    for (const [name, arrange] of cases) {
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
});
