/**
 * The peer as a whole process, the counterpart of `throughline check <folder>`: Microsoft's
 * vscode-markdown-languageservice (with markdown-it, set up as bench/peer.ts describes) lists every
 * Markdown file of the folder, reads and parses it and answers workspace symbols, then the process
 * exits. bench/run.ts bundles this file with esbuild (no tsx loader in the measured process) and
 * runs it as `node peer-process.cjs <folder>`; it prints the number of symbols and documents.
 */
import { peerColdWorkspaceSymbols } from './peer.ts';

async function main(): Promise<void> {
  const dir = process.argv[2];
  if (!dir) throw new Error('usage: peer-process <folder>');
  const { symbols, documents } = await peerColdWorkspaceSymbols(dir);
  process.stdout.write(`${JSON.stringify({ symbols, documents })}\n`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`peer process failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
