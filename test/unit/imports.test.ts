/**
 * The source tree has no import cycles (scripts/check-imports.ts, also run by `npm run lint`), and
 * the checker itself finds a cycle when there is one.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { importCycles, importGraph } from '../../scripts/check-imports';

test('the server, client and common sources have no import cycle', () => {
  const graph = importGraph();
  assert.ok(graph.size > 50, 'the checker reads the sources');
  assert.deepEqual(importCycles(graph), []);
});

test('a cycle through an index module and a type-only import, and one of side-effect imports, are found; a diamond is not a cycle', () => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'throughline-imports-'));
  try {
    mkdirSync(path.join(root, 'rules'));
    writeFileSync(path.join(root, 'diagnostics.ts'), "import { rules } from './rules';\nexport const x = rules;\n");
    writeFileSync(path.join(root, 'rules', 'index.ts'), "export { okr as rules } from './okr';\n");
    writeFileSync(path.join(root, 'rules', 'okr.ts'), "import type { Range } from '../progress';\nexport const okr: Range[] = [];\n");
    writeFileSync(path.join(root, 'progress.ts'), "import { x } from './diagnostics';\nexport type Range = typeof x;\n");
    writeFileSync(path.join(root, 'side.ts'), "import './effect';\n");
    writeFileSync(path.join(root, 'effect.ts'), "import './side';\n");
    writeFileSync(path.join(root, 'a.ts'), "import './b';\nimport './c';\n");
    writeFileSync(path.join(root, 'b.ts'), "import { d } from './d';\nexport const b = d;\n");
    writeFileSync(path.join(root, 'c.ts'), "import { d } from './d';\nexport const c = d;\n");
    writeFileSync(path.join(root, 'd.ts'), 'export const d = 1;\n');
    const cycles = importCycles(importGraph([root])).map((cycle) => cycle.map((file) => path.relative(root, file)));
    assert.deepEqual(cycles.sort(), [
      ['diagnostics.ts', 'progress.ts', path.join('rules', 'index.ts'), path.join('rules', 'okr.ts')],
      ['effect.ts', 'side.ts'],
    ]);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
