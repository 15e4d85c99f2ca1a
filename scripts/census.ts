// A census of what Throughline read in a workspace, against what its author meant to write.
//
// The manifest (default `<folder>/EXPECTED.json`) lists, by hand, every definition, link and
// key-result figure the author intended. The census runs the real CLI as a whole process
// (`check --format json` and `tree --format json`, on a temporary copy of the folder) and classifies
// each intended entry as
//   - recognised: Throughline read it as meant (the item is defined, the link is in the tree, the
//     key result shows the progress its figures give);
//   - flagged: a diagnostic on its line tells the author it was not understood
//     (`unrecognised-definition`, `unknown-link-key`, `ambiguous-number`, a `front-matter` problem
//     that leaves the file unchecked, …);
//   - dropped: neither; the author is not told (a misread figure counts here too).
//
// Whether an item is defined is asked of the CLI itself: the copy gets one extra PRD that mentions
// every intended ID in prose, and each `unknown-reference` on it names an ID that is not defined.
// That works with CLIs whose tree has no strategy level (0.2).
//
// Usage: node --import tsx scripts/census.ts <folder> [--manifest FILE] [--cli path/to/bin/throughline.js] [--all]
//   --cli   another checkout's CLI (default: bin/throughline.js of this checkout, which runs dist/cli.js);
//           a `.ts` entry (server/src/cli.ts) runs the sources through tsx, without a build
//   --all   list every entry with its verdict, not only the dropped ones
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const DEFAULT_CLI = path.join(REPO_ROOT, 'bin', 'throughline.js');
/** `census.ts --run-cli server/src/cli.ts ARGS`: runs a TypeScript CLI entry's `main()` with ARGS. */
const RUN_CLI = '--run-cli';

export type Verdict = 'recognised' | 'flagged' | 'dropped';
export type Category = 'definitions' | 'links' | 'figures';
export const CATEGORIES: readonly Category[] = ['definitions', 'links', 'figures'];
const VERDICTS: readonly Verdict[] = ['recognised', 'flagged', 'dropped'];

/** Rules whose diagnostic on an entry's line tells the author that it was not understood. */
const FLAGGING_RULES: Record<Category, ReadonlySet<string>> = {
  definitions: new Set(['unrecognised-definition', 'front-matter', 'encoding', 'internal']),
  links: new Set(['unknown-link-key', 'unrecognised-definition', 'encoding', 'internal']),
  figures: new Set(['ambiguous-number', 'key-result-target', 'unmeasurable-key-result', 'implausible-value', 'encoding', 'internal']),
};

/** A failure of the census itself (bad manifest, a CLI that fails or prints something else). */
export class CensusError extends Error {}

interface DefinitionEntry {
  readonly id: string;
  readonly kind?: string;
  readonly file: string;
  readonly line: number;
  readonly as?: string;
}
interface LinkEntry {
  readonly from: string;
  readonly to: string;
  readonly file: string;
  readonly line: number;
  readonly as?: string;
}
interface FigureEntry {
  readonly id: string;
  readonly progress: number;
  readonly file: string;
  readonly lines: readonly number[];
  readonly as?: string;
}
export interface Manifest {
  readonly definitions: readonly DefinitionEntry[];
  readonly links: readonly LinkEntry[];
  readonly figures: readonly FigureEntry[];
}

export interface CensusEntry {
  readonly category: Category;
  /** `REQ-1.1`, `REQ-1.1 → OUT-2`, or `KR-1.1 progress 44%`. */
  readonly label: string;
  readonly file: string;
  readonly line: number;
  readonly as: string;
  readonly verdict: Verdict;
  /** Why: the flagging diagnostic, or what was missing. */
  readonly why: string;
}

export interface CensusResult {
  readonly folder: string;
  readonly cli: string;
  readonly version: string;
  /** `git describe --always --dirty` of the CLI's checkout, when it is one. */
  readonly revision?: string;
  readonly entries: readonly CensusEntry[];
  readonly counts: Record<Category, Record<Verdict, number>>;
}

export interface CensusOptions {
  readonly folder: string;
  readonly manifest?: string;
  readonly cli?: string;
  readonly env?: NodeJS.ProcessEnv;
  readonly timeoutMs?: number;
}

interface Diagnostic {
  readonly file: string;
  readonly line: number;
  readonly rule: string;
  readonly message: string;
}
interface TreeNode {
  readonly id?: string;
  readonly kind?: string;
  readonly uri?: string;
  readonly line?: number;
  readonly progress?: number;
  readonly children: readonly TreeNode[];
}

// ---------------------------------------------------------------------------------------------
// The manifest

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const isLine = (value: unknown): value is number => typeof value === 'number' && Number.isInteger(value) && value >= 1;

export function readManifest(file: string, folder: string): Manifest {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new CensusError(`cannot read the manifest ${file}: ${(error as Error).message}`);
  }
  const fail = (what: string): never => {
    throw new CensusError(`manifest ${file}: ${what}`);
  };
  if (!isObject(raw) || !Array.isArray(raw.definitions)) fail('expected an object with a `definitions` array');
  const manifest = raw as Record<string, unknown>;
  const list = (key: string): Record<string, unknown>[] => {
    const value = manifest[key] ?? [];
    if (!Array.isArray(value) || !value.every(isObject)) fail(`\`${key}\` must be an array of objects`);
    return value as Record<string, unknown>[];
  };
  const lines = new Map<string, string[]>();
  const lineOf = (relative: string, line: number): string => {
    if (!lines.has(relative)) {
      const absolute = path.join(folder, ...relative.split('/'));
      if (!existsSync(absolute)) fail(`${relative} does not exist in ${folder}`);
      lines.set(relative, readFileSync(absolute, 'utf8').split(/\r\n|\n|\r/));
    }
    return lines.get(relative)![line - 1] ?? fail(`${relative} has no line ${line}`);
  };
  const expectOn = (relative: string, line: number, ids: readonly string[]): void => {
    const text = lineOf(relative, line);
    for (const id of ids) if (!text.includes(id)) fail(`${id} is not on ${relative}:${line} (${JSON.stringify(text)})`);
  };
  const text = (entry: Record<string, unknown>, key: string): string =>
    typeof entry[key] === 'string' && entry[key] !== '' ? entry[key] : fail(`an entry has no \`${key}\`: ${JSON.stringify(entry)}`);
  const line = (entry: Record<string, unknown>): number => (isLine(entry.line) ? entry.line : fail(`an entry has no line number: ${JSON.stringify(entry)}`));

  const definitions = list('definitions').map((entry): DefinitionEntry => {
    const result = { id: text(entry, 'id'), file: text(entry, 'file'), line: line(entry), as: String(entry.as ?? ''), kind: String(entry.kind ?? '') };
    expectOn(result.file, result.line, [result.id]);
    return result;
  });
  const links = list('links').map((entry): LinkEntry => {
    const result = { from: text(entry, 'from'), to: text(entry, 'to'), file: text(entry, 'file'), line: line(entry), as: String(entry.as ?? '') };
    expectOn(result.file, result.line, [result.to]);
    return result;
  });
  const figures = list('figures').map((entry): FigureEntry => {
    const figureLines =
      Array.isArray(entry.lines) && entry.lines.length > 0 && entry.lines.every(isLine)
        ? (entry.lines as number[])
        : fail(`a figure has no \`lines\`: ${JSON.stringify(entry)}`);
    const progress =
      typeof entry.progress === 'number' && entry.progress >= 0 && entry.progress <= 1
        ? entry.progress
        : fail(`a figure has no \`progress\` in 0–1: ${JSON.stringify(entry)}`);
    for (const figureLine of figureLines) lineOf(text(entry, 'file'), figureLine);
    return { id: text(entry, 'id'), progress, file: text(entry, 'file'), lines: figureLines, as: String(entry.as ?? '') };
  });
  return { definitions, links, figures };
}

// ---------------------------------------------------------------------------------------------
// The CLI, as a whole process

interface Output {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function runCli(cli: string, args: readonly string[], env: NodeJS.ProcessEnv, timeoutMs: number): Promise<Output> {
  return new Promise((resolve, reject) => {
    // A TypeScript entry (`server/src/cli.ts` of a checkout whose dist/ is not built) runs through
    // this script under tsx; a built one (`bin/throughline.js`) runs as it is.
    const command = cli.endsWith('.ts') ? ['--import', 'tsx', fileURLToPath(import.meta.url), RUN_CLI, cli, ...args] : [cli, ...args];
    const child = spawn(process.execPath, command, { env, cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new CensusError(`${cli} ${args[0] ?? ''} did not finish within ${timeoutMs} ms`));
    }, timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(new CensusError(`cannot run ${cli}: ${error.message}`));
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** The git revision of the CLI's checkout (best effort: undefined outside git). */
function revisionOf(folder: string): Promise<string | undefined> {
  return new Promise((resolve) => {
    const child = spawn('git', ['-C', folder, 'describe', '--always', '--dirty'], { stdio: ['ignore', 'pipe', 'ignore'] });
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.on('error', () => resolve(undefined));
    child.on('close', (code) => resolve(code === 0 && stdout.trim() !== '' ? stdout.trim() : undefined));
  });
}

const firstLine = (text: string): string => text.trim().split('\n')[0] ?? '';

async function runJson(cli: string, args: readonly string[], env: NodeJS.ProcessEnv, timeoutMs: number): Promise<unknown> {
  const output = await runCli(cli, args, env, timeoutMs);
  const command = `throughline ${args[0]} --format json`;
  // 0: no errors; 1: errors found. Anything else is the CLI refusing the run.
  if (output.code !== 0 && output.code !== 1) throw new CensusError(`${command} exited ${output.code}: ${firstLine(output.stderr || output.stdout)}`);
  try {
    return JSON.parse(output.stdout);
  } catch {
    throw new CensusError(`${command} did not print JSON (this CLI may not support it): ${firstLine(output.stdout || output.stderr)}`);
  }
}

const posix = (file: string): string => file.replace(/\\/g, '/').replace(/^\.\//, '');

function parseDiagnostics(json: unknown): Diagnostic[] {
  const shape = 'expected {"version": 1, "diagnostics": [{"file", "line", "rule", "message"}, …]}';
  if (!isObject(json) || !Array.isArray(json.diagnostics))
    throw new CensusError(`throughline check --format json printed a format the census does not understand: ${shape}`);
  if (json.version !== undefined && json.version !== 1)
    throw new CensusError(`throughline check --format json printed version ${String(json.version)}; the census reads version 1`);
  return json.diagnostics.map((diagnostic: unknown) => {
    if (!isObject(diagnostic) || typeof diagnostic.file !== 'string' || !isLine(diagnostic.line) || typeof diagnostic.rule !== 'string')
      throw new CensusError(
        `throughline check --format json printed a diagnostic the census does not understand (${JSON.stringify(diagnostic).slice(0, 200)}): ${shape}`,
      );
    return {
      file: posix(diagnostic.file),
      line: diagnostic.line,
      rule: diagnostic.rule,
      message: typeof diagnostic.message === 'string' ? diagnostic.message : '',
    };
  });
}

function parseTree(json: unknown): TreeNode[] {
  const shape = 'expected {"roots": [{"id", "kind", "children": […]}, …]}';
  const node = (value: unknown): TreeNode => {
    if (!isObject(value) || (value.children !== undefined && !Array.isArray(value.children)))
      throw new CensusError(`throughline tree --format json printed a node the census does not understand (${JSON.stringify(value).slice(0, 200)}): ${shape}`);
    const range = isObject(value.range) && isObject(value.range.start) && typeof value.range.start.line === 'number' ? value.range.start.line + 1 : undefined;
    return {
      id: typeof value.id === 'string' ? value.id : undefined,
      kind: typeof value.kind === 'string' ? value.kind : undefined,
      uri: typeof value.uri === 'string' ? posix(value.uri) : undefined,
      line: range,
      progress: typeof value.progress === 'number' ? value.progress : undefined,
      children: ((value.children as unknown[] | undefined) ?? []).map(node),
    };
  };
  if (!isObject(json) || !Array.isArray(json.roots))
    throw new CensusError(`throughline tree --format json printed a format the census does not understand: ${shape}`);
  return json.roots.map(node);
}

// ---------------------------------------------------------------------------------------------
// The census

/** The prefix of the PRD IDs in the manifest (`PRD` unless the workspace renamed it). */
function prdPrefix(manifest: Manifest): string {
  const prd = manifest.definitions.find((definition) => definition.kind === 'prd');
  return prd?.id.match(/^[A-Z]+/)?.[0] ?? 'PRD';
}

export async function census(options: CensusOptions): Promise<CensusResult> {
  const folder = path.resolve(options.folder);
  const cli = path.resolve(options.cli ?? DEFAULT_CLI);
  const env = options.env ?? process.env;
  const timeoutMs = options.timeoutMs ?? 120_000;
  if (!existsSync(folder)) throw new CensusError(`no folder ${folder}`);
  if (!existsSync(cli)) throw new CensusError(`no CLI at ${cli}`);
  const manifest = readManifest(path.resolve(options.manifest ?? path.join(folder, 'EXPECTED.json')), folder);
  const version = firstLine((await runCli(cli, ['--version'], env, timeoutMs)).stdout) || 'unknown version';
  const revision = await revisionOf(path.dirname(cli));

  // A copy with a probe PRD that mentions every intended ID, each on its own line.
  const parent = await mkdtemp(path.join(os.tmpdir(), 'throughline-census-'));
  try {
    const copy = path.join(parent, 'workspace');
    await cp(folder, copy, { recursive: true, filter: (source) => !/[\\/](\.git|node_modules)$/.test(source) });
    const prefix = prdPrefix(manifest);
    const probeFile = 'throughline-census-probe.md';
    // One canary per prefix: an ID whose prefix the workspace does not configure is no reference
    // at all, so no `unknown-reference` on it means "not a reference", not "defined".
    const prefixOf = (id: string): string => id.match(/^[A-Z]+/)?.[0] ?? id;
    const canary = `${prefix}-CENSUSCANARY`;
    const canaries = [...new Set([canary, ...manifest.definitions.map((definition) => `${prefixOf(definition.id)}-CENSUSCANARY`)])];
    const probeIds = [...new Set([...manifest.definitions.map((definition) => definition.id), ...canaries])];
    const probeHeader = ['---', 'type: prd', `id: ${prefix}-CENSUSPROBE`, 'title: Census probe', '---', '# Census probe', ''];
    const probeLine = new Map<number, string>();
    const probe = [...probeHeader];
    for (const id of probeIds) {
      probe.push('');
      probeLine.set(probe.length + 1, id);
      probe.push(`The census mentions ${id} here.`);
    }
    await writeFile(path.join(copy, probeFile), probe.join('\n') + '\n');

    const diagnostics = parseDiagnostics(await runJson(cli, ['check', copy, '--format', 'json'], env, timeoutMs));
    const roots = parseTree(await runJson(cli, ['tree', copy, '--format', 'json'], env, timeoutMs));

    const unknownInProbe = new Set<string>();
    for (const diagnostic of diagnostics)
      if (diagnostic.file === probeFile && diagnostic.rule === 'unknown-reference' && probeLine.has(diagnostic.line))
        unknownInProbe.add(probeLine.get(diagnostic.line)!);
    if (!unknownInProbe.has(canary))
      throw new CensusError(
        `the probe ${probeFile} was not checked (no unknown-reference on ${canary}); an include/exclude in .throughline.yml may leave it out`,
      );
    /** IDs that are not defined: named by an unknown-reference, or with a prefix the workspace does not configure. */
    const unconfigured = new Set(canaries.filter((id) => !unknownInProbe.has(id)).map(prefixOf));
    const undefinedIds = new Set([...unknownInProbe].filter((id) => !canaries.includes(id)));
    for (const definition of manifest.definitions) if (unconfigured.has(prefixOf(definition.id))) undefinedIds.add(definition.id);

    const atLine = new Map<string, Diagnostic[]>();
    for (const diagnostic of diagnostics) {
      const key = `${diagnostic.file}:${diagnostic.line}`;
      atLine.set(key, [...(atLine.get(key) ?? []), diagnostic]);
    }
    const flagOn = (category: Category, file: string, lines: readonly number[]): Diagnostic | undefined =>
      lines.flatMap((line) => atLine.get(`${file}:${line}`) ?? []).find((diagnostic) => FLAGGING_RULES[category].has(diagnostic.rule));

    // Tree facts: where each item is, its progress, and which item each hangs under (a requirement
    // under a PRD under an outcome traces to that outcome; an outcome under a key result supports it).
    const located = new Map<string, { uri?: string; line?: number }>();
    const progress = new Map<string, number>();
    const edges = new Set<string>();
    const walk = (node: TreeNode, above: TreeNode | undefined): void => {
      if (node.id !== undefined) {
        if (node.uri !== undefined && !located.has(node.id)) located.set(node.id, { uri: node.uri, line: node.line });
        if (node.progress !== undefined) progress.set(node.id, node.progress);
        if (above?.id !== undefined) edges.add(`${node.id} → ${above.id}`);
      }
      const next = node.id !== undefined && node.kind !== 'prd' ? node : above;
      for (const child of node.children) walk(child, next);
    };
    for (const root of roots) walk(root, undefined);

    // A file the CLI says it did not check: everything in it is flagged by that diagnostic, when the
    // author is told (a `front-matter` diagnostic saying so, or one in a file whose document is not defined).
    const documentKinds = new Set(['vision', 'strategy', 'prd']);
    const fileFlag = new Map<string, Diagnostic>();
    for (const diagnostic of diagnostics) {
      if (diagnostic.rule !== 'front-matter' || fileFlag.has(diagnostic.file)) continue;
      const document = manifest.definitions.find((definition) => definition.file === diagnostic.file && documentKinds.has(definition.kind ?? ''));
      if (/not checked/i.test(diagnostic.message) || (document !== undefined && undefinedIds.has(document.id))) fileFlag.set(diagnostic.file, diagnostic);
    }
    const describe = (diagnostic: Diagnostic): string => `${diagnostic.rule} at ${diagnostic.file}:${diagnostic.line}: ${diagnostic.message}`;

    const entries: CensusEntry[] = [];
    for (const definition of manifest.definitions) {
      const flag = flagOn('definitions', definition.file, [definition.line]) ?? fileFlag.get(definition.file);
      const where = located.get(definition.id);
      const elsewhere = where?.uri !== undefined && where.line !== undefined && (where.uri !== definition.file || where.line !== definition.line);
      const base = { category: 'definitions' as const, label: definition.id, file: definition.file, line: definition.line, as: definition.as ?? '' };
      if (flag) entries.push({ ...base, verdict: 'flagged', why: describe(flag) });
      else if (!undefinedIds.has(definition.id) && !elsewhere) entries.push({ ...base, verdict: 'recognised', why: 'defined' });
      else if (elsewhere) entries.push({ ...base, verdict: 'dropped', why: `defined at ${where.uri}:${where.line} instead, and nothing said on this line` });
      else {
        const prefixNote = unconfigured.has(prefixOf(definition.id)) ? ` (${prefixOf(definition.id)}- is no configured prefix)` : '';
        entries.push({ ...base, verdict: 'dropped', why: `not defined${prefixNote}, and no diagnostic on its line` });
      }
    }
    for (const link of manifest.links) {
      const flag = flagOn('links', link.file, [link.line]) ?? fileFlag.get(link.file);
      const base = { category: 'links' as const, label: `${link.from} → ${link.to}`, file: link.file, line: link.line, as: link.as ?? '' };
      if (flag) entries.push({ ...base, verdict: 'flagged', why: describe(flag) });
      else if (edges.has(`${link.from} → ${link.to}`)) entries.push({ ...base, verdict: 'recognised', why: 'linked in the tree' });
      else {
        const missing = [link.from, link.to].filter((id) => undefinedIds.has(id));
        entries.push({
          ...base,
          verdict: 'dropped',
          why: `not in the tree${missing.length > 0 ? ` (${missing.join(' and ')} not defined)` : ''}, and no diagnostic on its line`,
        });
      }
    }
    const percent = (value: number): string => `${Math.floor(value * 100 + 1e-9)}%`;
    for (const figure of manifest.figures) {
      const flag = flagOn('figures', figure.file, figure.lines) ?? fileFlag.get(figure.file);
      const shown = progress.get(figure.id);
      const base = {
        category: 'figures' as const,
        label: `${figure.id} at ${percent(figure.progress)}`,
        file: figure.file,
        line: figure.lines[0]!,
        as: figure.as ?? '',
      };
      if (flag) entries.push({ ...base, verdict: 'flagged', why: describe(flag) });
      else if (shown !== undefined && Math.abs(shown - figure.progress) < 0.005)
        entries.push({ ...base, verdict: 'recognised', why: `shows ${percent(shown)}` });
      else if (shown !== undefined) entries.push({ ...base, verdict: 'dropped', why: `misread: shows ${percent(shown)}, and no diagnostic on its lines` });
      else
        entries.push({
          ...base,
          verdict: 'dropped',
          why: `no progress in the tree${undefinedIds.has(figure.id) ? ` (${figure.id} is not defined)` : ''}, and no diagnostic on its lines`,
        });
    }

    const counts = Object.fromEntries(
      CATEGORIES.map((category) => [
        category,
        Object.fromEntries(VERDICTS.map((verdict) => [verdict, entries.filter((entry) => entry.category === category && entry.verdict === verdict).length])),
      ]),
    ) as Record<Category, Record<Verdict, number>>;
    return { folder, cli, version, revision, entries, counts };
  } finally {
    await rm(parent, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------
// Output

export function formatCensus(result: CensusResult, options: { all?: boolean; relativeTo?: string } = {}): string {
  const relative = (file: string): string => {
    const shown = path.relative(options.relativeTo ?? process.cwd(), file);
    return shown === '' ? '.' : shown.startsWith('..') ? file : shown;
  };
  const out: string[] = [
    `Census of ${relative(result.folder)} with throughline ${result.version} (${relative(result.cli)}${result.revision ? ` at ${result.revision}` : ''})`,
    '',
  ];
  out.push('| intended | recognised | flagged | dropped | total |', '|---|---:|---:|---:|---:|');
  const total = { recognised: 0, flagged: 0, dropped: 0 };
  for (const category of CATEGORIES) {
    const counts = result.counts[category];
    const sum = counts.recognised + counts.flagged + counts.dropped;
    if (sum === 0) continue;
    for (const verdict of VERDICTS) total[verdict] += counts[verdict];
    out.push(`| ${category} | ${counts.recognised} | ${counts.flagged} | ${counts.dropped} | ${sum} |`);
  }
  out.push(`| **all** | **${total.recognised}** | **${total.flagged}** | **${total.dropped}** | **${total.recognised + total.flagged + total.dropped}** |`);
  const listed = result.entries.filter((entry) => options.all || entry.verdict === 'dropped');
  out.push('');
  if (listed.length === 0) out.push('Dropped: none.');
  else {
    out.push(options.all ? 'Every entry:' : 'Dropped:', '');
    for (const entry of listed)
      out.push(`- ${options.all ? `${entry.verdict}: ` : ''}${entry.label} (${entry.file}:${entry.line}${entry.as ? `, ${entry.as}` : ''}) — ${entry.why}`);
  }
  return out.join('\n') + '\n';
}

const USAGE = 'usage: node --import tsx scripts/census.ts <folder> [--manifest FILE] [--cli path/to/bin/throughline.js] [--all]';

async function main(argv: readonly string[]): Promise<number> {
  let folder: string | undefined;
  let manifest: string | undefined;
  let cli: string | undefined;
  let all = false;
  for (let index = 0; index < argv.length; index++) {
    const argument = argv[index]!;
    if (argument === '--manifest' || argument === '--cli') {
      const value = argv[++index];
      if (value === undefined) throw new CensusError(`${argument} needs a value; ${USAGE}`);
      if (argument === '--manifest') manifest = value;
      else cli = value;
    } else if (argument === '--all') all = true;
    else if (argument === '--help' || argument === '-h') {
      process.stdout.write(USAGE + '\n');
      return 0;
    } else if (argument.startsWith('-') || folder !== undefined) throw new CensusError(`unexpected ${argument}; ${USAGE}`);
    else folder = argument;
  }
  if (folder === undefined) throw new CensusError(USAGE);
  process.stdout.write(formatCensus(await census({ folder, manifest, cli }), { all }));
  return 0;
}

async function runTypeScriptCli(entry: string, args: readonly string[]): Promise<void> {
  process.argv = [process.argv[0]!, entry, ...args];
  const cli = (await import(pathToFileURL(path.resolve(entry)).href)) as { main?: () => Promise<void> };
  if (typeof cli.main !== 'function') throw new CensusError(`${entry} exports no main()`);
  await cli.main();
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href && process.argv[2] === RUN_CLI) {
  runTypeScriptCli(process.argv[3] ?? '', process.argv.slice(4)).catch((error: unknown) => {
    process.stderr.write(`census: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 2;
  });
} else if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main(process.argv.slice(2)).then(
    (code) => (process.exitCode = code),
    (error: unknown) => {
      process.stderr.write(
        `census: ${error instanceof CensusError ? error.message : error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
      );
      process.exitCode = 2;
    },
  );
}
