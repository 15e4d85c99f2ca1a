/**
 * `throughline`: the same checks as the language server, for CI. Exit codes: 0 no errors,
 * 1 errors found, 2 bad usage or an unreadable folder or config file.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { AlignmentNode } from '../../common/protocol';
import { FileSystemWorkspace, readTextFile, uriFromPath } from './node/fsWorkspace';
import { createLanguageService, RULES, severityName, type ThroughlineLanguageService } from './service';

const VERSION = '0.1.0';

export class UsageError extends Error {}

const USAGE = `Usage:
  throughline check [folder] [--format text|json] [--config file]
  throughline tree [folder] [--format text|json] [--config file]
  throughline lsp --stdio             start the language server for any LSP client
  throughline --version | --help

Exit codes: 0 no errors, 1 errors found, 2 bad usage or unreadable input.`;

interface Options {
  command: string;
  folder: string;
  format: string;
  config?: string;
}

function parseArguments(args: string[]): Options {
  const [command, ...rest] = args;
  if (!command) throw new UsageError('missing command');
  const options: Options = { command, folder: '.', format: 'text' };
  const positional: string[] = [];
  for (let i = 0; i < rest.length; i++) {
    const argument = rest[i]!;
    const [flag, inlineValue] = argument.startsWith('--') ? argument.split(/=(.*)/s, 2) : [argument, undefined];
    const value = () => {
      const found = inlineValue ?? rest[++i];
      if (found === undefined || found === '' || found.startsWith('--')) throw new UsageError(`${flag} needs a value`);
      return found;
    };
    if (flag === '--format') options.format = value();
    else if (flag === '--config') options.config = value();
    else if (flag === '--stdio' || flag === '--node-ipc') continue;
    else if (argument.startsWith('-')) throw new UsageError(`unknown option ${argument}`);
    else positional.push(argument);
  }
  if (positional.length > 1) throw new UsageError(`expected one folder, got ${positional.length}`);
  if (positional[0]) options.folder = positional[0];
  const formats = command === 'check' || command === 'tree' ? ['text', 'json'] : [];
  if (formats.length && !formats.includes(options.format)) throw new UsageError(`--format must be ${formats.join(' or ')}`);
  return options;
}

async function openWorkspace(options: Options, err: (text: string) => void): Promise<{ service: ThroughlineLanguageService; root: string }> {
  const root = path.resolve(options.folder);
  const stat = await fs.stat(root).catch(() => undefined);
  if (!stat) throw new UsageError(`cannot read folder ${options.folder}: it does not exist`);
  if (!stat.isDirectory()) throw new UsageError(`${options.folder} is not a folder`);
  try {
    await fs.readdir(root);
  } catch (error) {
    throw new UsageError(`cannot read folder ${options.folder}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  let configFileUri: string | undefined;
  if (options.config) {
    const read = await readTextFile(path.resolve(options.config));
    if (!read) throw new UsageError(`config file ${options.config} does not exist`);
    if ('error' in read) throw new UsageError(`cannot read config file ${options.config}: ${read.error}`);
    configFileUri = uriFromPath(options.config);
  }
  // Files that cannot be read are skipped; say so on stderr without changing the exit code.
  const logger = { log: (message: string) => message.startsWith('Skipped') || message.startsWith('Could not') ? err(`throughline: ${message}`) : undefined };
  const service = createLanguageService({ workspace: new FileSystemWorkspace([uriFromPath(root)]), configFileUri, logger });
  await service.initialize();
  return { service, root };
}

interface CliDiagnostic {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  severity: string;
  rule: string;
  message: string;
}

function relativeFile(root: string, uri: string): string {
  const absolute = decodeURIComponent(new URL(uri).pathname);
  const relative = path.relative(root, absolute);
  return relative.split(path.sep).join('/');
}

async function check(options: Options, out: (text: string) => void, err: (text: string) => void): Promise<number> {
  const { service, root } = await openWorkspace(options, err);
  const diagnostics: CliDiagnostic[] = [];
  for (const uri of service.diagnosticUris()) {
    for (const diagnostic of service.getDiagnostics(uri)) {
      diagnostics.push({
        file: relativeFile(root, uri),
        line: diagnostic.range.start.line + 1,
        column: diagnostic.range.start.character + 1,
        endLine: diagnostic.range.end.line + 1,
        endColumn: diagnostic.range.end.character + 1,
        severity: severityName(diagnostic.severity),
        rule: String(diagnostic.code ?? ''),
        message: diagnostic.message,
      });
    }
  }
  diagnostics.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || a.column - b.column));
  const coverage = service.getCoverage();
  let items = 0;
  for (const document of service.graph.allDocuments()) items += document.items.length;
  const errors = diagnostics.filter((diagnostic) => diagnostic.severity === 'error').length;
  const warnings = diagnostics.filter((diagnostic) => diagnostic.severity === 'warning').length;
  const summary = {
    documents: service.graph.documentCount,
    items,
    requirements: coverage.requirements,
    tracedRequirements: coverage.tracedRequirements,
    outcomes: coverage.outcomes,
    deliveredOutcomes: coverage.deliveredOutcomes,
    errors,
    warnings,
  };
  if (options.format === 'json') {
    out(JSON.stringify({ version: 1, summary, diagnostics }));
  } else {
    for (const diagnostic of diagnostics) out(`${diagnostic.file}:${diagnostic.line}:${diagnostic.column}  ${diagnostic.severity}  ${diagnostic.message}  [${diagnostic.rule}]`);
    const percent = (part: number, whole: number) => (whole ? `${Math.round((100 * part) / whole)}%` : 'n/a');
    if (diagnostics.length) out('');
    out(
      `${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'} in ${summary.documents} document${summary.documents === 1 ? '' : 's'} · ` +
        `${summary.tracedRequirements}/${summary.requirements} requirements traced (${percent(summary.tracedRequirements, summary.requirements)}) · ` +
        `${summary.deliveredOutcomes}/${summary.outcomes} outcomes delivered · ${coverage.objectivesWithOutcomes}/${coverage.objectives} objectives with outcomes`,
    );
  }
  return errors > 0 ? 1 : 0;
}

const COUNT_NOUNS: Record<string, [string, string]> = {
  objectives: ['objective', 'objectives'],
  keyResults: ['key result', 'key results'],
  outcomes: ['outcome', 'outcomes'],
  requirements: ['requirement', 'requirements'],
};

const KIND_MARK: Record<string, string> = { vision: '◆', strategy: '▣', objective: '●', keyResult: '◎', outcome: '▲', prd: '▤', requirement: '·', group: '▸' };

async function tree(options: Options, out: (text: string) => void, err: (text: string) => void): Promise<number> {
  const { service, root } = await openWorkspace(options, err);
  const alignment = service.getAlignmentTree();
  const relocate = (node: AlignmentNode): AlignmentNode => ({ ...node, uri: node.uri ? relativeFile(root, node.uri) : undefined, children: node.children.map(relocate) });
  if (options.format === 'json') {
    out(JSON.stringify({ version: 1, roots: alignment.roots.map(relocate) }));
    return 0;
  }
  const print = (node: AlignmentNode, depth: number) => {
    const counts = Object.entries(node.counts).map(([name, count]) => `${count} ${COUNT_NOUNS[name]?.[count === 1 ? 0 : 1] ?? name}`).join(', ');
    const label = node.id ? `${node.id}: ${node.title}` : node.title;
    const details = [node.status, counts].filter(Boolean).join(' · ');
    out(`${'  '.repeat(depth)}${KIND_MARK[node.kind] ?? '-'} ${label}${details ? `  (${details})` : ''}`);
    for (const child of node.children) print(child, depth + 1);
  };
  // Empty problem groups say nothing in text; JSON keeps them so consumers see every group.
  for (const node of alignment.roots) if (node.kind !== 'group' || node.children.length > 0) print(node, 0);
  return 0;
}

export async function runCli(args: string[], out: (text: string) => void = (text) => process.stdout.write(`${text}\n`), err: (text: string) => void = (text) => process.stderr.write(`${text}\n`)): Promise<number> {
  try {
    if (args[0] === '--version' || args[0] === '-v') {
      out(VERSION);
      return 0;
    }
    if (args.length === 0) {
      err(USAGE);
      return 2;
    }
    if (args[0] === '--help' || args[0] === '-h' || args[0] === 'help') {
      out(USAGE);
      return 0;
    }
    const options = parseArguments(args);
    switch (options.command) {
      case 'check':
        return await check(options, out, err);
      case 'tree':
        return await tree(options, out, err);
      case 'rules':
        for (const rule of RULES) out(`${rule.name.padEnd(28)} ${rule.severity.padEnd(8)} ${rule.description}`);
        return 0;
      default:
        throw new UsageError(`unknown command "${options.command}"`);
    }
  } catch (error) {
    if (error instanceof UsageError) {
      err(`throughline: ${error.message} (see throughline --help)`);
      return 2;
    }
    err(`throughline: internal error: ${error instanceof Error ? error.message : String(error)}`);
    return 2;
  }
}

export async function main(): Promise<void> {
  const args = process.argv.slice(2);
  // `throughline check | head` closes the pipe early; that is not an error worth a stack trace.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
  if (args[0] === 'lsp') {
    // Lazy: the checker does not need the LSP stack loaded.
    const { startServer } = await import('./server');
    startServer();
    return;
  }
  process.exitCode = await runCli(args);
}
