/**
 * File URIs: `uriFromPath` takes a shortcut for plain absolute paths, and must make exactly the
 * URI `pathToFileURL(path.resolve(p))` makes, for those and for every other path; `pathFromUri`
 * takes the inverse shortcut and must answer exactly as `fileURLToPath`, or fail as it does.
 */
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { relativeFile } from '../../server/src/cli/common';
import { isPlainAbsolutePath, pathFromUri, uriFromPath } from '../../server/src/node/fsWorkspace';

const reference = (filePath: string) => pathToFileURL(path.resolve(filePath)).href;

/** A repeatable stream of numbers in [0, 1) (a linear congruential generator), so a failing case can be replayed. */
function seededRandom(seed: number): () => number {
  return () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
}

/** 1 to 12 characters drawn from `alphabet`. */
function randomText(next: () => number, alphabet: readonly string[]): string {
  let text = '';
  const length = 1 + Math.floor(next() * 12);
  for (let k = 0; k < length; k++) text += alphabet[Math.floor(next() * alphabet.length)];
  return text;
}

describe('uriFromPath', () => {
  test('plain absolute paths, and the near misses the shortcut must leave to pathToFileURL', () => {
    const paths = [
      '/ws/prds/prd-1.md',
      '/ws/.hidden/a.md',
      '/ws/..b.md',
      '/ws/b..',
      '/',
      '/ws/./a.md',
      '/ws/../a.md',
      '/ws//a.md',
      '/ws/a/',
      '/ws/.',
      '/ws/..',
      'relative/a.md',
      '/ws/a b.md',
      '/ws/a#b.md',
      '/ws/a?b.md',
      '/ws/a%20b.md',
      '/ws/é.md',
      '/ws/a\\b.md',
    ];
    for (const filePath of paths) assert.equal(uriFromPath(filePath), reference(filePath), filePath);
  });

  test('random paths over the characters that matter agree with pathToFileURL', () => {
    const alphabet = ['a', 'Z', '0', '_', '-', '.', '/', ' ', '%', '#', '?', 'é', '\\'];
    const next = seededRandom(20261203);
    for (let run = 0; run < 5000; run++) {
      const filePath = (next() < 0.9 ? '/' : '') + randomText(next, alphabet);
      assert.equal(uriFromPath(filePath), reference(filePath), JSON.stringify(filePath));
    }
  });
});

/** What fileURLToPath answers, or the error's code when it throws. */
const referencePath = (uri: string) => {
  try {
    return fileURLToPath(uri);
  } catch (error) {
    return `throws ${(error as NodeJS.ErrnoException).code}`;
  }
};
const shortcutPath = (uri: string) => {
  try {
    return pathFromUri(uri);
  } catch (error) {
    return `throws ${(error as NodeJS.ErrnoException).code}`;
  }
};

describe('pathFromUri', () => {
  test('plain file URIs, and the near misses the shortcut must leave to fileURLToPath', () => {
    const uris = [
      'file:///ws/prds/prd-1.md',
      'file:///ws/.hidden/a.md',
      'file:///',
      'file:///ws/./a.md',
      'file:///ws/../a.md',
      'file:///ws//a.md',
      'file:///ws/a%20b.md',
      'file:///ws/a%2Fb.md',
      'file:///ws/%C3%A9.md',
      'file:///ws/a#b.md',
      'file:///ws/a?b.md',
      'file://host/ws/a.md',
      'file://localhost/ws/a.md',
      'FILE:///ws/a.md',
      'file:/ws/a.md',
      'file:ws/a.md',
      'untitled:Untitled-1',
    ];
    for (const uri of uris) assert.equal(shortcutPath(uri), referencePath(uri), uri);
  });

  test('random URIs over the characters that matter agree with fileURLToPath', () => {
    const alphabet = ['a', 'Z', '0', '_', '-', '.', '/', ' ', '%', '2', 'F', '#', '?', 'é', '\\', ':'];
    const next = seededRandom(20261204);
    for (let run = 0; run < 5000; run++) {
      const uri = (next() < 0.8 ? 'file:///' : next() < 0.5 ? 'file://' : 'file:/') + randomText(next, alphabet);
      assert.equal(shortcutPath(uri), referencePath(uri), JSON.stringify(uri));
    }
  });
});

describe("the CLI's file names relative to the checked folder", () => {
  /** What relativeFile answered before its shortcut: a URL object's decoded path, made relative by path.relative. */
  const referenceRelative = (root: string, uri: string) =>
    path
      .relative(root, decodeURIComponent(new URL(uri).pathname))
      .split(path.sep)
      .join('/');

  test('random roots and files, plain or not, agree with path.relative', () => {
    // Most runs draw from the characters of plain paths, where the shortcut applies; the rest add
    // what makes a path not plain (`/` makes empty, `.` and `..` segments too).
    const plain = ['a', 'Z', '0', '_', '-', '.'];
    const any = [...plain, '/', ' ', '%', 'é'];
    const next = seededRandom(20261204);
    let shortcuts = 0;
    for (let run = 0; run < 5000; run++) {
      const alphabet = next() < 0.7 ? plain : any;
      const root = '/' + randomText(next, alphabet);
      // Mostly files below the root (where the shortcut applies), some beside or above it.
      const file = next() < 0.8 ? `${root}/${randomText(next, alphabet)}` : '/' + randomText(next, alphabet);
      if (isPlainAbsolutePath(root) && isPlainAbsolutePath(file) && file.startsWith(`${root}/`)) shortcuts++;
      const uri = uriFromPath(file);
      assert.equal(relativeFile(root, uri), referenceRelative(root, uri), JSON.stringify({ root, file }));
    }
    assert.ok(shortcuts > 1000, `${shortcuts} of 5,000 took the shortcut`);
  });

  test('the near misses: a root that is a prefix of a sibling, `..` and `.` segments, a trailing slash', () => {
    for (const [root, file, expected] of [
      ['/ws', '/ws/prds/a.md', 'prds/a.md'],
      ['/ws', '/wsx/a.md', '../wsx/a.md'],
      ['/ws/', '/ws/a.md', 'a.md'],
      ['/ws/sub/..', '/ws/a.md', 'a.md'],
      ['/ws', '/ws/./a.md', 'a.md'],
      ['/w s', '/w s/a b.md', 'a b.md'],
    ] as const)
      assert.equal(relativeFile(root, uriFromPath(file)), expected, JSON.stringify({ root, file }));
  });
});
