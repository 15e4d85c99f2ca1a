// Bundles the extension client, the language server and the CLI with esbuild.
import * as esbuild from 'esbuild';
import { existsSync } from 'node:fs';

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
