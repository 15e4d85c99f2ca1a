/**
 * `npm start`: runs Throughline on examples/acme.
 * - With desktop VS Code on the PATH (`code`), opens it with the extension loaded from this folder.
 * - Otherwise serves the real VS Code workbench (code-server, installed offline by
 *   scripts/setup-e2e.sh) with the packaged extension, and prints the URL to open.
 * Either way it first prints what the CLI finds in the example, so the terminal shows the checks too.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const example = path.join(root, 'examples/acme');

function run(command: string, args: string[]): void {
  execFileSync(command, args, { cwd: root, stdio: 'inherit' });
}

function hasCommand(command: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

async function main(): Promise<void> {
  console.log('$ throughline check examples/acme');
  spawnSync(process.execPath, [path.join(root, 'bin/throughline.js'), 'check', example], { stdio: 'inherit' });
  console.log('');

  if (hasCommand('code') && !process.env['THROUGHLINE_USE_CODE_SERVER']) {
    console.log('Opening VS Code with the Throughline extension loaded from this folder…');
    spawn('code', [`--extensionDevelopmentPath=${root}`, example], { stdio: 'inherit', detached: true }).unref();
    return;
  }

  console.log('No `code` on the PATH: serving the VS Code workbench with code-server instead.');
  run('bash', ['scripts/setup-e2e.sh']);
  run('npm', ['run', 'package', '--silent']);
  const { startCodeServer } = await import('../test/e2e/harness.ts');
  const server = await startCodeServer({ workspaceFolder: example, vsixPath: path.join(root, 'throughline.vsix') });
  const url = `${server.url.replace(/\/$/, '')}/?folder=${encodeURIComponent(example)}`;
  console.log(`\nThroughline is running in VS Code at:\n\n  ${url}\n\nOpen it in a browser on this machine. Press Ctrl+C to stop.`);
  const stop = () => {
    void server.stop().finally(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  await new Promise(() => undefined);
}

main().catch((error: unknown) => {
  console.error(`npm start failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
