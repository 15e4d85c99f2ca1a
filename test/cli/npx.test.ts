/**
 * `npx throughline check examples/acme` from the project root runs the project's own `bin`.
 * `--no-install` makes sure npx never fetches a same-named package from the registry instead.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { REPO_ROOT, run } from './run';

test('npx throughline check examples/acme works from the project root', async () => {
  const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';
  const viaNpx = await run(['--no-install', 'throughline', 'check', 'examples/acme'], {
    command: [npx],
    cwd: REPO_ROOT,
    timeoutMs: 120_000,
    env: { ...process.env, npm_config_offline: 'true', npm_config_update_notifier: 'false' },
  });
  const direct = await run(['check', 'examples/acme']);
  assert.equal(viaNpx.code, 1, `npx exit code (stderr: ${viaNpx.stderr})`);
  assert.equal(viaNpx.stdout, direct.stdout);
});
