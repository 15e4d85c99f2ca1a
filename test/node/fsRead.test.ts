/**
 * Reading files for the service: the cold pass reads every file into one shared buffer and decodes
 * it at once (fsWorkspace.ts, `scratchBuffer`). Each text must be exactly the file's, whatever was
 * read before or after it: larger and smaller files in turn, a file past the shared buffer's
 * limit, UTF-16 with a byte-order mark, an empty file, and sizes on either side of a power of two.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { FileSystemWorkspace, readTextFile, uriFromPath } from '../../server/src/node/fsWorkspace';

/** `length` characters of text that differ from file to file (`seed`), with line breaks. */
function textOf(seed: number, length: number): string {
  let text = '';
  for (let k = 0; text.length < length; k++) text += k % 17 === 16 ? '\n' : String.fromCharCode(97 + ((seed * 7 + k) % 26));
  return text.slice(0, length);
}

describe('reading files through the shared buffer', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'throughline-read-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const sizes = [7000, 65_535, 65_536, 65_537, 12, 0, 300_000, 5, 1_048_575, 1_048_576, 1_048_577, 3_000_000, 9, 131_072];
  const expected = new Map<string, string>();
  sizes.forEach((size, k) => {
    const file = path.join(dir, `f${String(k).padStart(2, '0')}.md`);
    const text = textOf(k, size);
    writeFileSync(file, text);
    expected.set(uriFromPath(file), text);
  });
  const utf16 = path.join(dir, 'utf16.md');
  const utf16Text = '\uFEFF# PRD-1: Ünïcödé ✓\n' + textOf(99, 20_000);
  writeFileSync(utf16, Buffer.from(utf16Text, 'utf16le'));
  expected.set(uriFromPath(utf16), utf16Text);

  test('the walk then every file in turn: each text is the file, and none read earlier changes', async () => {
    const workspace = new FileSystemWorkspace([uriFromPath(dir)]);
    const listed = await workspace.listFiles(uriFromPath(dir));
    assert.equal(listed.length, expected.size);
    const texts = new Map<string, string>();
    for (const uri of listed) {
      const read = await workspace.readFile(uri);
      assert.ok(read && 'text' in read, `${uri} was read`);
      texts.set(uri, read.text);
    }
    for (const [uri, text] of expected) {
      const got = texts.get(uri)!;
      assert.equal(got.length, text.length, `${path.basename(uri)}: length`);
      assert.ok(got === text, `${path.basename(uri)}: text`);
    }
  });

  test('files read again outside the walk (a change, a didClose) come out the same', async () => {
    const order = [...expected.keys()].reverse();
    const texts: string[] = [];
    for (const uri of order) {
      const read = await readTextFile(new URL(uri).pathname);
      assert.ok(read && 'text' in read);
      texts.push(read.text);
    }
    order.forEach((uri, k) => assert.ok(texts[k] === expected.get(uri), path.basename(uri)));
  });
});

describe('listing files', () => {
  test('each file is named by one URI however the folder is spelled (a trailing slash, `.` and `..` segments)', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'throughline-list-'));
    try {
      mkdirSync(path.join(dir, 'prds', 'nested'), { recursive: true });
      const files = ['vision.md', path.join('prds', 'a.md'), path.join('prds', 'nested', 'b.markdown')];
      for (const file of files) writeFileSync(path.join(dir, file), '# x\n');
      const expected = files.map((file) => uriFromPath(path.join(dir, file))).sort();
      const href = pathToFileURL(dir).href;
      // As clients send it: bare, with a trailing slash, with `.` and `..` segments.
      for (const folder of [href, `${href}/`, `${href}/prds/../.`]) {
        const workspace = new FileSystemWorkspace([folder]);
        assert.deepEqual([...(await workspace.listFiles(folder))].sort(), expected, folder);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
