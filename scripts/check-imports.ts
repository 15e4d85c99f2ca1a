/**
 * Fails when the TypeScript sources have an import cycle, or when a module imports from a layer
 * above its own (LAYERS below). Layers only stay layers if nothing
 * imports back up: a cycle such as diagnostics → rules → progress → diagnostics made every feature
 * that needed one helper load every rule. Type-only imports count too: they are dependencies of
 * the design even when the bundle drops them.
 *
 * Usage: node --import tsx scripts/check-imports.ts   (run by `npm run lint`)
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SOURCE_ROOTS = ['server/src', 'client/src', 'common'];
const IMPORT = /^\s*(?:(?:import|export)\b[^'"]*?\bfrom\s*|import\s*)['"](\.{1,2}\/[^'"]+)['"]/gm;

function sourceFiles(directory: string): string[] {
  const found: string[] = [];
  for (const name of readdirSync(directory)) {
    const full = path.join(directory, name);
    if (statSync(full).isDirectory()) found.push(...sourceFiles(full));
    else if (name.endsWith('.ts') && !name.endsWith('.d.ts')) found.push(full);
  }
  return found;
}

function resolveImport(from: string, specifier: string): string | undefined {
  const base = path.resolve(path.dirname(from), specifier);
  for (const candidate of [base, `${base}.ts`, path.join(base, 'index.ts')]) {
    if (candidate.endsWith('.ts') && existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  }
  return undefined;
}

/** Edges file → imported files, for every relative import of a source file. */
export function importGraph(roots: readonly string[] = SOURCE_ROOTS.map((root) => path.join(ROOT, root))): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const root of roots) {
    for (const file of sourceFiles(root)) {
      const targets: string[] = [];
      for (const match of readFileSync(file, 'utf8').matchAll(IMPORT)) {
        const target = resolveImport(file, match[1]!);
        if (target) targets.push(target);
      }
      graph.set(file, targets);
    }
  }
  return graph;
}

/** Strongly connected components with more than one file (or a file importing itself): Tarjan's algorithm. */
export function importCycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const cycles: string[][] = [];
  const visit = (node: string) => {
    index.set(node, counter);
    low.set(node, counter++);
    stack.push(node);
    onStack.add(node);
    for (const target of graph.get(node) ?? []) {
      if (!index.has(target)) {
        visit(target);
        low.set(node, Math.min(low.get(node)!, low.get(target)!));
      } else if (onStack.has(target)) low.set(node, Math.min(low.get(node)!, index.get(target)!));
    }
    if (low.get(node) !== index.get(node)) return;
    const component: string[] = [];
    let member: string;
    do {
      member = stack.pop()!;
      onStack.delete(member);
      component.push(member);
    } while (member !== node);
    if (component.length > 1 || (graph.get(node) ?? []).includes(node)) cycles.push(component.sort());
  };
  for (const node of graph.keys()) if (!index.has(node)) visit(node);
  return cycles;
}

/**
 * The layers, from the bottom up, as folders relative to the project root. A module may import
 * modules of its own layer and of the layers it `uses`, nothing else; a folder not listed belongs
 * to the nearest listed folder above it. docs/architecture.md explains each layer.
 */
export const LAYERS: readonly { readonly folder: string; readonly uses: readonly string[]; readonly typesFrom?: readonly string[] }[] = [
  // The protocol's settings type is derived from the configuration schema; no zod reaches the client.
  { folder: 'common', uses: [], typesFrom: ['server/src/service/model'] },
  { folder: 'server/src/service/model', uses: ['common'] },
  { folder: 'server/src/service/parse', uses: ['common', 'server/src/service/model'] },
  // A strategy's history folded commit by commit (meanings, links, check-ins): parsing, no graph.
  { folder: 'server/src/service/history', uses: ['common', 'server/src/service/model', 'server/src/service/parse'] },
  { folder: 'server/src/service/workspace', uses: ['common', 'server/src/service/model', 'server/src/service/parse', 'server/src/service/history'] },
  {
    folder: 'server/src/service/analysis',
    uses: ['common', 'server/src/service/model', 'server/src/service/parse', 'server/src/service/history', 'server/src/service/workspace'],
  },
  {
    folder: 'server/src/service/rules',
    uses: [
      'common',
      'server/src/service/model',
      'server/src/service/parse',
      'server/src/service/history',
      'server/src/service/workspace',
      'server/src/service/analysis',
    ],
  },
  // Reading `.throughline.yml` and editor settings checks rule names against the rule catalog.
  { folder: 'server/src/service/config', uses: ['common', 'server/src/service/model', 'server/src/service/parse', 'server/src/service/rules'] },
  {
    folder: 'server/src/service/features',
    uses: [
      'common',
      'server/src/service/model',
      'server/src/service/parse',
      'server/src/service/history',
      'server/src/service/workspace',
      'server/src/service/analysis',
      'server/src/service/rules',
    ],
  },
  // The service's entry points: languageService.ts and index.ts.
  { folder: 'server/src/service', uses: ['common', 'server/src/service/*'] },
  { folder: 'server/src/report', uses: ['common', 'server/src/service/*'] },
  { folder: 'server/src/node', uses: ['common', 'server/src/service/*'] },
  { folder: 'server/src/lsp', uses: ['common', 'server/src/service/*', 'server/src/report', 'server/src/node'] },
  { folder: 'server/src/cli', uses: ['common', 'server/src/service/*', 'server/src/report', 'server/src/node'] },
  // dist/server.js and dist/cli.js: they load a bundle with its code cache, and import nothing else.
  { folder: 'server/src/entry', uses: [] },
  { folder: 'server/src', uses: ['common', 'server/src/service/*', 'server/src/report', 'server/src/node', 'server/src/lsp', 'server/src/cli'] },
  { folder: 'client/src', uses: ['common'] },
];

/** The layer a file belongs to: the longest listed folder that contains it. */
function layerOf(file: string, root: string): (typeof LAYERS)[number] | undefined {
  const relative = path.relative(root, file).split(path.sep).join('/');
  let found: (typeof LAYERS)[number] | undefined;
  for (const layer of LAYERS) {
    if (relative.startsWith(`${layer.folder}/`) && (!found || layer.folder.length > found.folder.length)) found = layer;
  }
  return found;
}

const TYPE_IMPORT = /^\s*(?:import|export)\s+type\b[^'"]*?\bfrom\s*['"](\.{1,2}\/[^'"]+)['"]/gm;

/** The imports that bring in types only (`import type`), as "importer\0imported". */
export function typeOnlyImports(files: Iterable<string>): Set<string> {
  const edges = new Set<string>();
  for (const file of files) {
    for (const match of readFileSync(file, 'utf8').matchAll(TYPE_IMPORT)) {
      const target = resolveImport(file, match[1]!);
      if (target) edges.add(`${file}\0${target}`);
    }
  }
  return edges;
}

/** Every import that reaches a layer its importer may not use, as "importer → imported". */
export function layerViolations(graph: ReadonlyMap<string, readonly string[]>, root: string = ROOT): string[] {
  const typeOnly = typeOnlyImports(graph.keys());
  const violations: string[] = [];
  for (const [file, targets] of graph) {
    const from = layerOf(file, root);
    if (!from) continue;
    for (const target of targets) {
      const to = layerOf(target, root);
      if (!to || to === from) continue;
      const allowed = from.uses.some((use) =>
        use.endsWith('/*') ? to.folder.startsWith(use.slice(0, -1)) || to.folder === use.slice(0, -2) : to.folder === use,
      );
      const typesAllowed = typeOnly.has(`${file}\0${target}`) && (from.typesFrom ?? []).includes(to.folder);
      if (!allowed && !typesAllowed)
        violations.push(`${path.relative(root, file)} → ${path.relative(root, target)} (${from.folder} may not import ${to.folder})`);
    }
  }
  return violations;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const graph = importGraph();
  const cycles = importCycles(graph);
  const violations = layerViolations(graph);
  for (const cycle of cycles) process.stderr.write(`Import cycle: ${cycle.map((file) => path.relative(ROOT, file)).join(' ↔ ')}\n`);
  for (const violation of violations) process.stderr.write(`Layer violation: ${violation}\n`);
  if (cycles.length > 0 || violations.length > 0) process.exit(1);
  process.stdout.write('No import cycles; every import stays within its layers.\n');
}
