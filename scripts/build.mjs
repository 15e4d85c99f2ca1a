// Bundles the extension client, the language server and the CLI with esbuild.
import * as esbuild from 'esbuild';
import { spawn, spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { existsSync, readFileSync, rmSync } from 'node:fs';

const production = process.argv.includes('--production');
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
  // `yaml`, `zod` and remark ship ESM; bundling them into CJS needs import.meta to be harmless.
  define: { 'import.meta.url': 'undefined' },
};

// dist/server.js and dist/cli.js are small loaders (server/src/entry/) of the bundles beside them,
// so each bundle can be compiled from its V8 code cache.
const entries = [
  { entryPoints: ['server/src/server.ts'], outfile: 'dist/server.bundle.js' },
  { entryPoints: ['server/src/cli.ts'], outfile: 'dist/cli.bundle.js' },
  { entryPoints: ['server/src/entry/server.ts'], outfile: 'dist/server.js', sourcemap: false },
  { entryPoints: ['server/src/entry/cli.ts'], outfile: 'dist/cli.js', sourcemap: false },
];
if (existsSync('client/src/extension.ts')) entries.push({ entryPoints: ['client/src/extension.ts'], outfile: 'dist/client.js', external: ['vscode'] });

// Bundles of the layout before the loaders, and their caches: nothing loads them any more.
for (const stale of ['dist/cli.js.cache', 'dist/server.js.map', 'dist/cli.js.map']) rmSync(stale, { force: true });
await Promise.all(entries.map((entry) => esbuild.build({ ...common, ...entry })));

// The V8 code caches (server/src/entry/codeCache.ts reads them). A cache of an older bundle is
// removed first; the loader would refuse it anyway (it checks the bundle's MD5). Each is made by a
// run that compiles what a user's first minute does: for the CLI one check of the example
// workspace; for the server a session over it (first diagnostics, history, a hover, the tree).
const CLI_CACHE = 'dist/cli.bundle.js.cache';
const SERVER_CACHE = 'dist/server.bundle.js.cache';
rmSync(CLI_CACHE, { force: true });
rmSync(SERVER_CACHE, { force: true });
const run = spawnSync(process.execPath, ['bin/throughline.js', 'check', 'examples/acme', '--format', 'json'], {
  env: { ...process.env, THROUGHLINE_WRITE_CODE_CACHE: CLI_CACHE },
  stdio: 'ignore',
});
if (!existsSync(CLI_CACHE))
  console.warn(`build: no ${CLI_CACHE} (the CLI run exited with ${run.status ?? run.signal}); the CLI compiles its bundle on each run`);
const serverRun = await serverSession(SERVER_CACHE);
if (!existsSync(SERVER_CACHE)) console.warn(`build: no ${SERVER_CACHE} (${serverRun}); the server compiles its bundle on each start`);

/** One session of the real server over examples/acme, writing its code cache at exit; how it ended. */
async function serverSession(cacheFile) {
  const { createMessageConnection, StreamMessageReader, StreamMessageWriter } = await import('vscode-jsonrpc/node.js');
  const child = spawn(process.execPath, ['dist/server.js', '--stdio'], {
    env: { ...process.env, THROUGHLINE_WRITE_CODE_CACHE: cacheFile },
    stdio: ['pipe', 'pipe', 'ignore'],
  });
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve(`the server exited with ${code ?? signal}`)));
  const connection = createMessageConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
  for (const method of [
    'client/registerCapability',
    'window/workDoneProgress/create',
    'workspace/inlayHint/refresh',
    'workspace/semanticTokens/refresh',
    'workspace/codeLens/refresh',
  ])
    connection.onRequest(method, () => null);
  connection.onRequest('workspace/configuration', (params) => params.items.map(() => null));
  const seen = (method) => new Promise((resolve) => connection.onNotification(method, () => resolve()));
  const indexed = seen('throughline/alignmentChanged');
  const history = seen('throughline/historyChanged');
  connection.listen();
  const folder = resolve('examples/acme');
  const rootUri = pathToFileURL(folder).href;
  const session = (async () => {
    await connection.sendRequest('initialize', {
      processId: process.pid,
      rootUri,
      workspaceFolders: [{ uri: rootUri, name: 'acme' }],
      capabilities: { workspace: { configuration: true, workspaceFolders: true }, textDocument: { publishDiagnostics: { relatedInformation: true } } },
    });
    await connection.sendNotification('initialized', {});
    await indexed;
    await Promise.race([history, new Promise((done) => setTimeout(done, 5000))]);
    // A hover on `Traces: OUT-1` in an open PRD (the server answers for open documents).
    const prd = resolve(folder, 'prds', 'guest-checkout.md');
    const uri = pathToFileURL(prd).href;
    await connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'markdown', version: 1, text: readFileSync(prd, 'utf8') } });
    await connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: 24, character: 10 } }).catch(() => undefined);
    await connection.sendRequest('throughline/alignmentTree', { depth: 2 }).catch(() => undefined);
    await connection.sendRequest('shutdown');
    await connection.sendNotification('exit');
  })();
  const timeout = new Promise((done) => setTimeout(() => done('timed out'), 30_000).unref());
  const ended = await Promise.race([session.then(() => exited), exited, timeout]);
  connection.dispose();
  child.kill();
  return ended;
}
