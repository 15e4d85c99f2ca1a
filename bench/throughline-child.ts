/**
 * Measures Throughline in a process of its own, so its memory figures are its own.
 *
 *   node --expose-gc --import tsx bench/throughline-child.ts <workspace-dir>
 *
 * `<workspace-dir>` must hold a workspace made by `generateWorkspace` (its stamp file
 * carries the facts). Prints one line `THROUGHLINE_RESULT {json}` (a
 * `ThroughlineChildOutput`) on stdout; anything else on stdout/stderr is passed through
 * by `bench/run.ts`.
 */
import { loadWorkspace } from './generate.ts';
import type { ThroughlineChildOutput } from './types.ts';

const RESULT_MARKER = 'THROUGHLINE_RESULT ';

async function main(): Promise<void> {
  const dir = process.argv[2];
  if (!dir) {
    process.stderr.write('usage: node --expose-gc --import tsx bench/throughline-child.ts <workspace-dir>\n');
    process.exit(2);
  }
  const workspace = loadWorkspace(dir);
  // Memory of this process before Throughline's code is loaded (node + the tsx loader).
  (globalThis as { gc?: () => void }).gc?.();
  const baselineRssMb = process.memoryUsage().rss / 1048576;
  const started = performance.now();
  const { measureThroughline } = await import('./throughline.ts');
  const figures = await measureThroughline(workspace);
  const output: ThroughlineChildOutput = {
    figures,
    maxRssMb: process.resourceUsage().maxRSS / 1024, // maxRSS is in KiB
    baselineRssMb,
    wallMs: performance.now() - started,
  };
  process.stdout.write(`${RESULT_MARKER}${JSON.stringify(output)}\n`, () => process.exit(0));
}

main().catch((error: unknown) => {
  process.stderr.write(`throughline-child failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
