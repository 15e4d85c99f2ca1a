// Bundles the extension client, the language server and the CLI with esbuild.
import * as esbuild from 'esbuild';
import { spawnSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';

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

const entries = [
  { entryPoints: ['server/src/server.ts'], outfile: 'dist/server.js' },
  { entryPoints: ['server/src/cli.ts'], outfile: 'dist/cli.js' },
];
if (existsSync('client/src/extension.ts')) entries.push({ entryPoints: ['client/src/extension.ts'], outfile: 'dist/client.js', external: ['vscode'] });

await Promise.all(entries.map((entry) => esbuild.build({ ...common, ...entry })));

// The CLI's V8 code cache (bin/throughline.js reads it): made by one run over the example
// workspace, so it holds every function a check compiles. A cache of an older bundle is removed
// first; bin/throughline.js would refuse it anyway (it checks the bundle's MD5).
const CODE_CACHE = 'dist/cli.js.cache';
rmSync(CODE_CACHE, { force: true });
const run = spawnSync(process.execPath, ['bin/throughline.js', 'check', 'examples/acme', '--format', 'json'], {
  env: { ...process.env, THROUGHLINE_WRITE_CODE_CACHE: CODE_CACHE },
  stdio: 'ignore',
});
if (!existsSync(CODE_CACHE))
  console.warn(`build: no ${CODE_CACHE} (the CLI run exited with ${run.status ?? run.signal}); the CLI compiles its bundle on each run`);
