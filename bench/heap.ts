/**
 * Heap after the cold pass: `node --expose-gc --import tsx bench/heap.ts <folder>` indexes the folder
 * as the CLI does, then prints the live heap (after full collections) before and after checking it.
 */
import { FileSystemWorkspace, uriFromPath } from '../server/src/node/fsWorkspace';
import { createLanguageService } from '../server/src/service';

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with --expose-gc');
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
const live = () => {
  gc();
  gc();
  const { heapUsed, external, arrayBuffers, rss } = process.memoryUsage();
  return `heapUsed ${mb(heapUsed)}  external ${mb(external)} (arrayBuffers ${mb(arrayBuffers)})  rss ${mb(rss)}`;
};
const folder = process.argv[2] ?? '';
if (!folder) throw new Error('usage: bench/heap.ts <folder>');
async function main(): Promise<void> {
  console.log('start     ', live());
  const service = createLanguageService({ workspace: new FileSystemWorkspace([uriFromPath(folder)]), today: () => new Date('2026-11-22') });
  let started = performance.now();
  const summary = await service.initialize();
  console.log(`indexed ${summary.documents} documents, ${summary.items} items in ${Math.round(performance.now() - started)} ms`);
  console.log('indexed   ', live());
  started = performance.now();
  const problems = service.workspaceProblems().length;
  console.log(`${problems} problems in ${Math.round(performance.now() - started)} ms`);
  console.log('checked   ', live());
}
void main();
