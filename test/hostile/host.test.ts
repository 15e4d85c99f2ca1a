/**
 * Hostile files in the workspace, against the real server process (over stdio) and the real CLI:
 * special files (FIFOs) reached by the walk, a watch event, didClose and as `.throughline.yml`;
 * symbolic links out of the folder (to `/`, to a PRD elsewhere) and inside it (still followed,
 * loops safe); UTF-16 and UTF-32 documents and undecodable ones; a URI of 300,000 slashes; a hostile
 * `kind` for throughline/nextId; include/exclude patterns that select nothing. Every input is
 * generated in a temp folder. Timeouts are generous: a hang is the failure, not a slow machine.
 *
 * Run `npm run build` first (the tests spawn dist/server.js and bin/throughline.js).
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Diagnostic, Hover, WorkspaceSymbol } from 'vscode-languageserver-protocol';
import { decodeTextBuffer } from '../../server/src/node/fsWorkspace';
import { run, tempFolder, type TempFolder } from '../cli/run';
import { copyExample, startClient, type LspClient, type TempWorkspace } from '../protocol/lspClient';

/** Long enough that only a hang fails: the machine may be busy with other suites. */
const HANG_MS = 60_000;
const CREATED = 1;
const DELETED = 3;
const GUEST = 'prds/guest-checkout.md';

const MINI_STRATEGY = [
  '---',
  'type: strategy',
  'id: STR-1',
  '---',
  '## OBJ-1: Objective one',
  '- KR-1.1: Key result one',
  '  Baseline: 1',
  '  Target: 2',
  '  Due: 2027-01-01',
  '### OUT-1: Outcome one',
  'Supports: KR-1.1',
  '',
].join('\n');
const MINI_PRD = ['---', 'type: prd', 'id: PRD-1', 'outcomes: [OUT-1]', '---', '### REQ-1: Requirement one', 'Traces: OUT-1', ''].join('\n');

/** A PRD whose only problem is a trace to an outcome nobody defines: `unknown-reference` on line 7. */
function brokenPrd(number: number): string {
  return ['---', 'type: prd', `id: PRD-${number}`, 'outcomes: [OUT-1]', '---', `### REQ-${number}.1: Requirement`, 'Traces: OUT-404', ''].join('\n');
}

/** A PRD outside the workspace folder, whose text must never reach the tree, the report or a diagnostic. */
const SECRET_PRD = ['---', 'type: prd', 'id: PRD-77', 'title: SECRET-TITLE', '---', '### REQ-77.1: SECRET requirement', 'Traces: OUT-1', ''].join('\n');

const BOM = {
  utf16le: Buffer.from([0xff, 0xfe]),
  utf16be: Buffer.from([0xfe, 0xff]),
  utf32le: Buffer.from([0xff, 0xfe, 0x00, 0x00]),
  utf32be: Buffer.from([0x00, 0x00, 0xfe, 0xff]),
};

function encode(text: string, encoding: keyof typeof BOM): Buffer {
  if (encoding === 'utf16le') return Buffer.concat([BOM.utf16le, Buffer.from(text, 'utf16le')]);
  if (encoding === 'utf16be') return Buffer.concat([BOM.utf16be, Buffer.from(text, 'utf16le').swap16()]);
  const codePoints = [...text].map((character) => character.codePointAt(0)!);
  const body = Buffer.alloc(codePoints.length * 4);
  codePoints.forEach((codePoint, index) => (encoding === 'utf32le' ? body.writeUInt32LE(codePoint, index * 4) : body.writeUInt32BE(codePoint, index * 4)));
  return Buffer.concat([BOM[encoding], body]);
}

/** A strategy document Throughline cannot decode: UTF-16LE without a byte-order mark (NUL bytes). */
function undecodablePrd(): Buffer {
  return Buffer.from(brokenPrd(91), 'utf16le');
}

function mkfifo(filePath: string): void {
  execFileSync('mkfifo', [filePath]);
}

const codes = (diagnostics: readonly Diagnostic[]) => diagnostics.map((diagnostic) => `${String(diagnostic.code)}@${diagnostic.range.start.line}`).sort();

// ---- decoding ----------------------------------------------------------------------------------

describe('decodeTextBuffer', () => {
  const text = '---\ntype: prd\n---\n# Ünïcode 😀 and an astral character\n';

  for (const encoding of Object.keys(BOM) as (keyof typeof BOM)[]) {
    test(`${encoding} with a byte-order mark is decoded, the mark kept as the first character like UTF-8's`, () => {
      assert.deepEqual(decodeTextBuffer(encode(text, encoding)), { text: `\uFEFF${text}` });
    });
  }

  test('invalid units after a byte-order mark are read as U+FFFD with a warning (odd UTF-16 length, lone surrogate, UTF-32 beyond U+10FFFF)', () => {
    const oddLength = decodeTextBuffer(Buffer.concat([encode(text, 'utf16le'), Buffer.from([0x41])]));
    assert.ok('warning' in oddLength && oddLength.warning?.includes('UTF-16LE'), JSON.stringify(oddLength));
    const loneSurrogate = decodeTextBuffer(Buffer.concat([BOM.utf16be, Buffer.from([0xd8, 0x00, 0x00, 0x41])]));
    assert.ok('text' in loneSurrogate && loneSurrogate.text === '\uFEFF\uFFFDA' && loneSurrogate.warning, JSON.stringify(loneSurrogate));
    const beyond = decodeTextBuffer(Buffer.concat([BOM.utf32le, Buffer.from([0x00, 0x00, 0x11, 0x00])]));
    assert.ok('text' in beyond && beyond.text === '\uFEFF\uFFFD' && beyond.warning?.includes('UTF-32LE'), JSON.stringify(beyond));
  });

  test('NUL bytes without a mark: a strategy document (front-matter with a type) is flagged, any other binary is not', () => {
    const flagged = decodeTextBuffer(undecodablePrd());
    assert.ok('error' in flagged && flagged.strategyDocument === true, JSON.stringify(flagged));
    const png = decodeTextBuffer(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d]));
    assert.ok('error' in png && !png.strategyDocument, JSON.stringify(png));
    const notes = decodeTextBuffer(Buffer.from('---\ntitle: notes\n---\n\0', 'latin1'));
    assert.ok('error' in notes && !notes.strategyDocument, 'front-matter without a strategy type claims nothing');
  });
});

// ---- the server ----------------------------------------------------------------------------------

describe('server: a workspace with hostile files keeps serving every other document', () => {
  let reference: TempWorkspace;
  let workspace: TempWorkspace;
  let referenceClient: LspClient;
  let client: LspClient;
  let outside: string;
  let expected: Map<string, string[]>;
  const ACME_FILES = ['vision.md', 'strategy/payments-2027-h1.md', GUEST, 'prds/ledger-sync.md', 'prds/refund-permissions.md', 'prds/smart-reminders.md'];

  before(async () => {
    // The reference: the example without its configuration file, since the hostile copy's is a FIFO.
    reference = await copyExample(undefined, 'host-reference');
    await reference.remove('.throughline.yml');
    referenceClient = await startClient({ folders: [reference.root] });
    expected = new Map(ACME_FILES.map((file) => [file, codes(referenceClient.diagnostics.get(reference.uri(file)) ?? [])]));
    await referenceClient.stop();

    workspace = await copyExample(undefined, 'host-server');
    outside = path.join(path.dirname(workspace.root), 'outside');
    mkdirSync(outside);
    writeFileSync(path.join(outside, 'secret.md'), SECRET_PRD);
    await workspace.remove('.throughline.yml');
    mkfifo(workspace.path('.throughline.yml'));
    mkfifo(workspace.path('prds/pipe.md'));
    symlinkSync('/', workspace.path('rootlink'));
    symlinkSync(path.join(outside, 'secret.md'), workspace.path('prds/secret.md'));
    symlinkSync('.', workspace.path('loop'));
    await workspace.write('prds/undecodable.md', undecodablePrd());
    await workspace.write('prds/utf16.md', encode(brokenPrd(90), 'utf16le'));
    client = await startClient({ folders: [workspace.root] });
    await client.open(workspace.uri(GUEST), await workspace.read(GUEST));
  });
  after(async () => {
    await referenceClient?.kill();
    await client?.kill();
    await reference?.dispose();
    await workspace?.dispose();
  });

  test('every normal document gets the diagnostics it gets in a clean workspace', () => {
    for (const file of ACME_FILES) {
      assert.deepEqual(codes(client.diagnostics.get(workspace.uri(file)) ?? []), expected.get(file), `diagnostics of ${file}`);
    }
    assert.ok(expected.get(GUEST)!.length > 0, 'the comparison has something to compare');
  });

  test('the hostile files: FIFO config is a config error, the undecodable PRD an encoding error, the UTF-16 PRD is checked', () => {
    assert.deepEqual(codes(client.diagnostics.get(workspace.uri('.throughline.yml')) ?? []), ['config@0']);
    assert.match(client.diagnostics.get(workspace.uri('.throughline.yml'))![0]!.message, /named pipe/);
    const undecodable = client.diagnostics.get(workspace.uri('prds/undecodable.md')) ?? [];
    assert.deepEqual(
      undecodable.map((diagnostic) => [diagnostic.code, diagnostic.severity]),
      [['encoding', 1]],
    );
    assert.deepEqual(codes(client.diagnostics.get(workspace.uri('prds/utf16.md')) ?? []), ['unknown-reference@6']);
    assert.equal(client.diagnostics.get(workspace.uri('prds/pipe.md')), undefined);
    assert.equal(client.diagnostics.get(workspace.uri('prds/secret.md')), undefined);
  });

  test('each skipped entry is one log line: the FIFO, the link to /, the link to a PRD outside', () => {
    const skipped = client.logs.filter((line) => line.startsWith('Skipped'));
    assert.ok(
      skipped.some((line) => line.startsWith('Skipped prds/pipe.md: a named pipe (FIFO)')),
      skipped.join('\n'),
    );
    assert.ok(
      skipped.some((line) => line.startsWith('Skipped rootlink: a symbolic link out of the workspace folder (to /)')),
      skipped.join('\n'),
    );
    assert.ok(
      skipped.some((line) => line.startsWith('Skipped prds/secret.md: a symbolic link out of the workspace folder')),
      skipped.join('\n'),
    );
    assert.equal(skipped.filter((line) => line.includes('rootlink')).length, 1, 'said once');
  });

  test('requests still answer, and nothing from outside the folder is in them', async () => {
    const hover = await client.request<Hover | null>(
      'textDocument/hover',
      { textDocument: { uri: workspace.uri(GUEST) }, position: { line: 24, character: 10 } },
      HANG_MS,
    );
    assert.match((hover?.contents as { value: string } | undefined)?.value ?? '', /OUT-1/);
    const tree = await client.request<unknown>('throughline/alignmentTree', {}, HANG_MS);
    const treeText = JSON.stringify(tree);
    assert.match(treeText, /PRD-90/, 'the UTF-16 PRD is in the tree');
    assert.doesNotMatch(treeText, /PRD-77|SECRET/, 'the PRD outside the folder is not');
    const coverage = await client.request<{ requirements: number }>('throughline/coverage', {}, HANG_MS);
    assert.ok(coverage.requirements > 0);
    const symbols = await client.request<WorkspaceSymbol[]>('workspace/symbol', { query: 'PRD-77' }, HANG_MS);
    assert.deepEqual(
      symbols.filter((symbol) => symbol.name.includes('PRD-77')),
      [],
    );
  });

  test('a FIFO announced by a watch event is skipped with a log line, and the server keeps answering', async () => {
    mkfifo(workspace.path('prds/pipe2.md'));
    await client.watched([{ uri: workspace.uri('prds/pipe2.md'), type: CREATED }]);
    await client.waitForLog(/^Skipped prds\/pipe2\.md: a named pipe/, HANG_MS);
    const hover = await client.request<Hover | null>(
      'textDocument/hover',
      { textDocument: { uri: workspace.uri(GUEST) }, position: { line: 24, character: 10 } },
      HANG_MS,
    );
    assert.ok(hover);
  });

  test('a FIFO re-read from disk on didClose does not block', async () => {
    const pipeUri = workspace.uri('prds/pipe.md');
    await client.open(pipeUri, brokenPrd(95));
    await client.waitForDiagnostics(pipeUri, (diagnostics) => diagnostics.length > 0, HANG_MS);
    const logged = client.logs.length;
    await client.close(pipeUri);
    await client.waitForDiagnostics(pipeUri, (diagnostics) => diagnostics.length === 0, HANG_MS);
    await client.waitFor('the skip line', () => client.logs.slice(logged).find((line) => line.startsWith('Skipped prds/pipe.md')), HANG_MS);
    assert.ok(
      await client.request<Hover | null>('textDocument/hover', { textDocument: { uri: workspace.uri(GUEST) }, position: { line: 24, character: 10 } }, HANG_MS),
    );
  });

  test('a link out of the folder announced by a watch event is not read', async () => {
    writeFileSync(path.join(outside, 'secret2.md'), SECRET_PRD.replaceAll('77', '78'));
    symlinkSync(path.join(outside, 'secret2.md'), workspace.path('prds/secret2.md'));
    await client.watched([{ uri: workspace.uri('prds/secret2.md'), type: CREATED }]);
    await client.waitForLog(/^Skipped prds\/secret2\.md: a symbolic link out of the workspace folder/, HANG_MS);
    const symbols = await client.request<WorkspaceSymbol[]>('workspace/symbol', { query: 'PRD-78' }, HANG_MS);
    assert.deepEqual(
      symbols.filter((symbol) => symbol.name.includes('PRD-78')),
      [],
    );
  });

  test('a URI of 300,000 slashes is answered promptly (a backtracking regex took 18 s for 150,000)', async () => {
    const slashes = `file://host${'/'.repeat(300_000)}x.md`;
    const started = performance.now();
    await client.watched([
      { uri: slashes, type: DELETED },
      { uri: `${workspace.rootUri}${'/'.repeat(300_000)}x`, type: DELETED },
    ]);
    await client.request('textDocument/hover', { textDocument: { uri: workspace.uri(GUEST) }, position: { line: 24, character: 10 } }, HANG_MS);
    const elapsed = performance.now() - started;
    assert.ok(elapsed < 10_000, `answered after ${Math.round(elapsed)} ms`);
  });

  test('throughline/nextId accepts configured kinds only and builds no pattern from the client text', async () => {
    const next = await client.request<{ id: string }>('throughline/nextId', { kind: 'prd' }, HANG_MS);
    assert.match(next.id, /^PRD-\d+$/);
    for (const kind of ['[', '(.*)*x', '(A+)+$', '__proto__', 'constructor', 'PRD', 42, {}, null]) {
      await assert.rejects(
        client.request('throughline/nextId', { kind }, HANG_MS),
        (error: { code?: number }) => error.code === -32602,
        `kind ${JSON.stringify(kind)}`,
      );
    }
    await assert.rejects(client.request('throughline/nextId', null, HANG_MS), (error: { code?: number }) => error.code === -32602);
    assert.ok(client.alive);
  });
});

// ---- the CLI -------------------------------------------------------------------------------------

describe('CLI: special files and links', () => {
  let folder: TempFolder;
  let outside: string;

  before(async () => {
    folder = await tempFolder(undefined, 'host-cli');
    await folder.write('s.md', MINI_STRATEGY);
    await folder.write('p.md', MINI_PRD);
    outside = path.join(path.dirname(folder.root), 'outside');
    mkdirSync(outside);
  });
  after(async () => {
    await folder?.dispose();
  });

  test('the clean folder passes (the baseline for the tests below)', async () => {
    const result = await run(['check', folder.root], { timeoutMs: HANG_MS });
    assert.equal(result.code, 0, result.stdout + result.stderr);
  });

  test('a FIFO .throughline.yml is a config error, not a hang; the documents are still checked', async () => {
    mkfifo(folder.path('.throughline.yml'));
    try {
      const result = await run(['check', '--format', 'json', folder.root], { timeoutMs: HANG_MS });
      assert.equal(result.code, 1, result.stderr);
      const report = JSON.parse(result.stdout) as {
        summary: { documents: number };
        diagnostics: { file: string; rule: string; severity: string; message: string }[];
      };
      assert.equal(report.summary.documents, 2);
      const errors = report.diagnostics.filter((diagnostic) => diagnostic.severity === 'error');
      assert.deepEqual(
        errors.map((diagnostic) => [diagnostic.file, diagnostic.rule]),
        [['.throughline.yml', 'config']],
      );
      assert.match(errors[0]!.message, /named pipe/);
    } finally {
      rmSync(folder.path('.throughline.yml'));
    }
  });

  test('a FIFO x.md reached by the walk is skipped with one line', async () => {
    mkfifo(folder.path('x.md'));
    try {
      const result = await run(['check', folder.root], { timeoutMs: HANG_MS });
      assert.equal(result.code, 0, result.stdout + result.stderr);
      assert.match(result.stderr, /Skipped x\.md: a named pipe \(FIFO\), not a regular file/);
    } finally {
      rmSync(folder.path('x.md'));
    }
  });

  test('ln -s / rootlink is not followed (it walked the whole file system: 88 s, 1.4 GB)', async () => {
    symlinkSync('/', folder.path('rootlink'));
    try {
      const started = performance.now();
      const result = await run(['check', folder.root], { timeoutMs: HANG_MS });
      assert.equal(result.code, 0, result.stdout + result.stderr);
      assert.match(result.stderr, /Skipped rootlink: a symbolic link out of the workspace folder \(to \/\), not followed/);
      assert.ok(performance.now() - started < HANG_MS / 2);
    } finally {
      rmSync(folder.path('rootlink'));
    }
  });

  test('a link to a PRD outside the folder is not read; links inside still work, and loops are safe', async () => {
    writeFileSync(path.join(outside, 'secret.md'), SECRET_PRD);
    symlinkSync(path.join(outside, 'secret.md'), folder.path('secret.md'));
    await folder.write('store/prd.txt', MINI_PRD.replaceAll('PRD-1', 'PRD-5').replaceAll('REQ-1', 'REQ-5'));
    mkdirSync(folder.path('linked'));
    symlinkSync('../store/prd.txt', folder.path('linked/five.md'));
    symlinkSync('..', folder.path('linked/up'));
    try {
      const tree = await run(['tree', folder.root], { timeoutMs: HANG_MS });
      assert.doesNotMatch(tree.stdout, /PRD-77|SECRET/);
      assert.match(tree.stdout, /REQ-5/, 'the link inside the folder is followed');
      assert.match(tree.stderr, /Skipped secret\.md: a symbolic link out of the workspace folder/);
      const check = await run(['check', '--format', 'json', folder.root], { timeoutMs: HANG_MS });
      assert.equal((JSON.parse(check.stdout) as { summary: { documents: number } }).summary.documents, 3);
      assert.doesNotMatch(check.stdout, /SECRET|PRD-77/);
    } finally {
      for (const entry of ['secret.md', 'store', 'linked']) rmSync(folder.path(entry), { recursive: true });
    }
  });
});

describe('CLI: encodings', () => {
  let folder: TempFolder;

  before(async () => {
    folder = await tempFolder(undefined, 'host-encoding');
    await folder.write('s.md', MINI_STRATEGY);
    await folder.write('p.md', MINI_PRD);
  });
  after(async () => {
    await folder?.dispose();
  });

  for (const encoding of Object.keys(BOM) as (keyof typeof BOM)[]) {
    test(`a ${encoding} PRD with an error fails the gate (it was skipped as binary and passed)`, async () => {
      writeFileSync(folder.path('q.md'), encode(brokenPrd(2), encoding));
      try {
        const result = await run(['check', folder.root], { timeoutMs: HANG_MS });
        assert.equal(result.code, 1, result.stdout + result.stderr);
        assert.match(result.stdout, /^q\.md:7:9 {2}error {2}OUT-404 .*\[unknown-reference\]$/m);
      } finally {
        rmSync(folder.path('q.md'));
      }
    });
  }

  test('a strategy document that cannot be decoded is an encoding error, a binary .md without front-matter is skipped', async () => {
    writeFileSync(folder.path('q.md'), undecodablePrd());
    writeFileSync(folder.path('image.md'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d]));
    try {
      const result = await run(['check', folder.root], { timeoutMs: HANG_MS });
      assert.equal(result.code, 1, result.stdout + result.stderr);
      assert.match(result.stdout, /^q\.md:1:1 {2}error {2}Throughline cannot read this strategy document: binary file .*\[encoding\]$/m);
      // No problem on it; the summary names it as not checked (issue 10, item 10).
      assert.doesNotMatch(result.stdout, /^image\.md:\d/m);
      assert.match(result.stdout, /^ {2}image\.md: undecodable \(binary file \(contains NUL bytes\), not read\)$/m);
      assert.match(result.stderr, /Skipped image\.md: binary file/);
    } finally {
      rmSync(folder.path('q.md'));
      rmSync(folder.path('image.md'));
    }
  });
});

describe('CLI: include and exclude that select nothing', () => {
  let folder: TempFolder;

  before(async () => {
    folder = await tempFolder(undefined, 'host-include');
    await folder.write('docs/s.md', MINI_STRATEGY);
    await folder.write('docs/p.md', MINI_PRD);
  });
  after(async () => {
    await folder?.dispose();
  });

  const cases: [string, RegExp][] = [
    [
      'include: ["plans/**/*.md", "docs/**/*.md"]',
      /^\.throughline\.yml:1:12 {2}warning {2}include pattern "plans\/\*\*\/\*\.md" matches no Markdown file in the workspace\. {2}\[config\]$/m,
    ],
    [
      'include: ["../elsewhere/**/*.md"]',
      /^\.throughline\.yml:1:12 {2}warning {2}include pattern "\.\.\/elsewhere\/\*\*\/\*\.md" points outside the workspace folder.*\[config\]$/m,
    ],
    [
      'exclude: ["**"]',
      /^\.throughline\.yml:1:1 {2}warning {2}include and exclude leave none of the 2 Markdown files in the workspace to check\. {2}\[config\]$/m,
    ],
    [
      'exclude: ["archive/**"]',
      /^\.throughline\.yml:1:12 {2}warning {2}exclude pattern "archive\/\*\*" matches no Markdown file in the workspace\. {2}\[config\]$/m,
    ],
  ];
  for (const [config, warning] of cases) {
    test(`${config} is a config warning the CLI prints`, async () => {
      await folder.write('.throughline.yml', `${config}\n`);
      const result = await run(['check', folder.root], { timeoutMs: HANG_MS });
      assert.match(result.stdout, warning, result.stdout + result.stderr);
    });
  }

  test('near miss: patterns that select documents give no warning', async () => {
    await folder.write('.throughline.yml', 'include: ["docs/**/*.md"]\nexclude: ["docs/p.md"]\n');
    const result = await run(['check', folder.root], { timeoutMs: HANG_MS });
    assert.doesNotMatch(result.stdout, /\[config\]/, result.stdout);
  });
});
