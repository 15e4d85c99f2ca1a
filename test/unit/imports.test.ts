/**
 * The source tree has no import cycles and no import that reaches up a layer
 * (scripts/check-imports.ts, also run by `npm run lint`), and the checker itself finds both.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { importCycles, importGraph, layerViolations } from '../../scripts/check-imports';

test('the server, client and common sources have no import cycle', () => {
  const graph = importGraph();
  assert.ok(graph.size > 50, 'the checker reads the sources');
  assert.deepEqual(importCycles(graph), []);
});

test('every import of the server, client and common sources stays within the layers of scripts/check-imports.ts', () => {
  assert.deepEqual(layerViolations(importGraph()), []);
});

test('an import up a layer is a violation; one down, one within a layer and an allowed type-only one are not', () => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'throughline-layers-'));
  const write = (file: string, text: string) => {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), text);
  };
  try {
    write('server/src/service/model/model.ts', "import { hover } from '../features/hover';\nexport const model = hover;\n");
    write('server/src/service/model/ids.ts', "import { model } from './model';\nexport const ids = model;\n");
    write('server/src/service/features/hover.ts', "import { ids } from '../model/ids';\nexport const hover = ids;\n");
    write('common/protocol.ts', "import type { Model } from '../server/src/service/model/types';\nimport { Ids } from '../server/src/service/model/ids';\n");
    write('server/src/service/model/types.ts', 'export type Model = number;\n');
    write('client/src/extension.ts', "import { hover } from '../../server/src/service/features/hover';\n");
    const violations = layerViolations(importGraph([root]), root)
      .map((line) => line.split(' (')[0])
      .sort();
    assert.deepEqual(violations, [
      'client/src/extension.ts → server/src/service/features/hover.ts',
      'common/protocol.ts → server/src/service/model/ids.ts',
      'server/src/service/model/model.ts → server/src/service/features/hover.ts',
    ]);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
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
