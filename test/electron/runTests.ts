/**
 * `npm run test:electron`: runs test/electron/suite in desktop VS Code through @vscode/test-electron.
 * It needs either network access (to download VS Code) or VSCODE_EXECUTABLE pointing at a local
 * VS Code binary. Not part of `npm test`: CI here has neither; the code-server e2e suite covers it.
 */
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runTests } from '@vscode/test-electron';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

async function main(): Promise<void> {
  const vscodeExecutablePath = process.env['VSCODE_EXECUTABLE'];
  const exitCode = await runTests({
    ...(vscodeExecutablePath ? { vscodeExecutablePath } : { version: '1.90.0' }),
    extensionDevelopmentPath: root,
    extensionTestsPath: path.join(root, 'test/electron/suite/index.cjs'),
    launchArgs: [path.join(root, 'examples/acme'), '--disable-extensions', '--disable-workspace-trust'],
  });
  process.exit(exitCode);
}

main().catch((error: unknown) => {
  console.error(`test:electron could not start VS Code: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
