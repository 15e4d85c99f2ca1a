/**
 * `throughline`: the same checks as the language server, for CI. Exit codes: 0 no errors,
 * 1 errors found, 2 bad usage or an unreadable folder or config file.
 */
import { CHECK_FORMATS, runCheck } from './cli/commands/check';
import { UsageError, VERSION, type CliIo } from './cli/common';
import { runDiff } from './cli/commands/diff';
import { createIo, oneLineMessage, processStreams, type CliStreams } from './cli/output';
import { runReport } from './cli/commands/report';
import { runTree } from './cli/commands/tree';
import { runHistory } from './cli/commands/history';
import { RULES } from './service';

const USAGE = `Usage:
  throughline check [folder] [--format text|json] [--config file]
      [--format sarif|junit|github]   for CI: SARIF 2.1.0, JUnit XML, GitHub Actions annotations
      [--baseline file]               report and fail only on problems the baseline does not list
      [--write-baseline file]         record the current problems as the baseline, exit 0
      [--verbose]                     name every Markdown file that was not checked, not only 5
      [--no-history]                  skip git history (suspect links, check-ins)
      [--changed-since REF]           only problems on lines changed since the git ref REF, and
                                      those the changes caused in other files (for pull requests)
  throughline tree [folder] [--format text|json] [--config file]
  throughline report [folder] [--out file] [--format html|md] [--config file]
      [--strategy STR-ID]             one product line: that strategy, its objectives and what delivers them
      [--since REF|YYYY-MM-DD]        add what changed since the git ref (or the last commit on that day)
  throughline diff REF [folder] [--format text|md|json] [--config file]
                                      what changed in the alignment since the git commit REF
  throughline history KR-ID [folder] [--format text|json] [--config file]
                                      a key result's check-ins (its Current: values in git
                                      history) and their linear forecast
  throughline rules                   list the rules with their default severity
  throughline lsp --stdio             start the language server for any LSP client
                                      (or --node-ipc, --socket=PORT, --pipe=NAME)
  throughline --version | --help

Exit codes: 0 no errors, 1 errors found, 2 bad usage or unreadable input.`;

/** `--help` or `-h` anywhere after a command asks for that command's usage. */
const HELP_FLAGS = new Set(['--help', '-h']);

function wantsHelp(args: readonly string[]): boolean {
  return args.some((argument) => HELP_FLAGS.has(argument));
}

/**
 * The usage of one command: its lines of USAGE (the synopsis and the option lines under it) and the
 * exit codes; the whole USAGE for a command it does not name.
 */
function commandUsage(command: string): string {
  const lines = USAGE.split('\n');
  const start = lines.findIndex((line) => line === `  throughline ${command}` || line.startsWith(`  throughline ${command} `));
  if (start < 0) return USAGE;
  let end = start + 1;
  while (end < lines.length && lines[end]!.startsWith('   ')) end++;
  return ['Usage:', ...lines.slice(start, end), '', lines.at(-1)!].join('\n');
}

interface CommandSpec {
  /** Accepted `--format` values; the first is the default. */
  readonly formats: readonly string[];
  /** Options that take a value, besides `--format`. */
  readonly options: readonly string[];
  /** Options that take no value. */
  readonly flags?: readonly string[];
  /** Names of the positional arguments, in order; those before `required` must be given. */
  readonly positionals: readonly string[];
  readonly required?: number;
  /** The message when a required positional is missing. */
  readonly missing?: string;
}

const COMMANDS: Readonly<Record<string, CommandSpec>> = {
  check: {
    formats: CHECK_FORMATS,
    options: ['--config', '--baseline', '--write-baseline', '--changed-since'],
    flags: ['--verbose', '--no-history'],
    positionals: ['folder'],
  },
  tree: { formats: ['text', 'json'], options: ['--config'], positionals: ['folder'] },
  report: { formats: ['html', 'md'], options: ['--config', '--out', '--strategy', '--since'], positionals: ['folder'] },
  diff: {
    formats: ['text', 'md', 'json'],
    options: ['--config'],
    positionals: ['REF', 'folder'],
    required: 1,
    missing: 'diff needs a git ref to compare with, e.g. `throughline diff HEAD~1`',
  },
  history: {
    formats: ['text', 'json'],
    options: ['--config'],
    positionals: ['KR-ID', 'folder'],
    required: 1,
    missing: 'history needs a key result ID, e.g. `throughline history KR-1.1`',
  },
  rules: { formats: [], options: [], positionals: [] },
};

/** Every option any command takes: one that exists but not for this command gets its own message. */
const ALL_OPTIONS = new Set(['--format', ...Object.values(COMMANDS).flatMap((spec) => [...spec.options, ...(spec.flags ?? [])])]);

interface ParsedArguments {
  readonly command: string;
  readonly positionals: readonly string[];
  /** `--format` as given, or undefined for the command's default. */
  readonly format: string | undefined;
  readonly values: ReadonlyMap<string, string>;
  /** The value-less options given. */
  readonly flags: ReadonlySet<string>;
}

function parseArguments(args: readonly string[]): ParsedArguments {
  const [command, ...rest] = args;
  if (!command) throw new UsageError('missing command');
  // Own keys only: `toString` is not a command.
  const spec = Object.hasOwn(COMMANDS, command) ? COMMANDS[command] : undefined;
  if (!spec) throw new UsageError(`unknown command "${command}"`);
  const values = new Map<string, string>();
  const flags = new Set<string>();
  const positionals: string[] = [];
  for (let i = 0; i < rest.length; i++) {
    const argument = rest[i]!;
    const [flag, inlineValue] = argument.startsWith('--') ? argument.split(/=(.*)/s, 2) : [argument, undefined];
    if (flag === '--stdio' || flag === '--node-ipc') continue;
    if (spec.flags?.includes(flag!)) {
      if (inlineValue !== undefined) throw new UsageError(`${flag} takes no value`);
      flags.add(flag!);
      continue;
    }
    if (flag === '--format' || spec.options.includes(flag!)) {
      const found = inlineValue ?? rest[++i];
      if (found === undefined || found === '' || found.startsWith('--')) throw new UsageError(`${flag} needs a value`);
      values.set(flag!, found);
    } else if (ALL_OPTIONS.has(flag!)) {
      throw new UsageError(`${command} does not take ${flag}`);
    } else if (argument.startsWith('-')) {
      throw new UsageError(`unknown option ${argument}`);
    } else {
      positionals.push(argument);
    }
  }
  const required = spec.required ?? 0;
  if (positionals.length < required) throw new UsageError(spec.missing ?? `${command} needs ${spec.positionals.slice(0, required).join(' ')}`);
  if (positionals.length > spec.positionals.length) {
    if (spec.positionals.length === 0) throw new UsageError(`${command} takes no arguments, got ${positionals.join(' ')}`);
    // `check a b`: the only positional is the folder, so say that.
    if (spec.positionals.at(-1) === 'folder') throw new UsageError(`expected one folder, got ${positionals.length - spec.positionals.length + 1}`);
    throw new UsageError(`too many arguments for ${command}`);
  }
  const format = values.get('--format');
  if (format !== undefined && !spec.formats.includes(format)) {
    if (spec.formats.length === 0) throw new UsageError(`${command} does not take --format`);
    throw new UsageError(`--format must be ${spec.formats.slice(0, -1).join(', ')} or ${spec.formats.at(-1)}`);
  }
  return { command, positionals, format, values, flags };
}

/** `value`, typed as one of `allowed`; parseArguments has already rejected anything else. */
function oneOf<T extends string>(allowed: readonly T[], value: string): T {
  const found = allowed.find((candidate) => candidate === value);
  if (found === undefined) throw new UsageError(`--format must be ${allowed.join(', ')}`);
  return found;
}

/** `report --out plan.md` without `--format` means Markdown; anything else defaults to HTML. */
function reportFormat(format: string | undefined, out: string | undefined): 'html' | 'md' {
  if (format === 'html' || format === 'md') return format;
  return out !== undefined && /\.(?:md|markdown)$/i.test(out) ? 'md' : 'html';
}

async function dispatch(parsed: ParsedArguments, io: CliIo): Promise<number> {
  const { command, positionals, values } = parsed;
  const format = parsed.format ?? COMMANDS[command]!.formats[0]!;
  const config = values.get('--config');
  switch (command) {
    case 'check':
      return runCheck(
        {
          folder: positionals[0] ?? '.',
          format: oneOf(CHECK_FORMATS, format),
          config,
          baseline: values.get('--baseline'),
          writeBaseline: values.get('--write-baseline'),
          verbose: parsed.flags.has('--verbose'),
          history: !parsed.flags.has('--no-history'),
          changedSince: values.get('--changed-since'),
        },
        io,
      );
    case 'tree':
      return runTree({ folder: positionals[0] ?? '.', format, config }, io);
    case 'report':
      return runReport(
        {
          folder: positionals[0] ?? '.',
          out: values.get('--out'),
          format: reportFormat(parsed.format, values.get('--out')),
          config,
          strategy: values.get('--strategy'),
          since: values.get('--since'),
        },
        io,
      );
    case 'diff':
      return runDiff({ ref: positionals[0]!, folder: positionals[1] ?? '.', format: oneOf(['text', 'md', 'json'] as const, format), config }, io);
    case 'history':
      return runHistory({ id: positionals[0]!, folder: positionals[1] ?? '.', format: oneOf(['text', 'json'] as const, format), config }, io);
    case 'rules':
      for (const rule of RULES) io.out(`${rule.name.padEnd(28)} ${rule.severity.padEnd(8)} ${rule.description}`);
      return 0;
    default:
      throw new UsageError(`unknown command "${command}"`);
  }
}

/** The lines of a multi-line text, for `io.out`, which writes (and escapes) one line at a time. */
function lines(text: string): string[] {
  return text.split('\n');
}

/**
 * Runs one command. Everything it prints goes through the writers of `createIo` (the output
 * boundary, see cli/output.ts); whatever goes wrong is one line on stderr and exit code 2.
 */
async function runCli(args: string[], streams: CliStreams = processStreams()): Promise<number> {
  const io = createIo(streams);
  try {
    if (args[0] === '--version' || args[0] === '-v') {
      io.out(VERSION);
      return 0;
    }
    if (args.length === 0) {
      for (const line of lines(USAGE)) io.err(line);
      return 2;
    }
    if (args[0] === '--help' || args[0] === '-h' || args[0] === 'help') {
      // `throughline help check` is `throughline check --help`.
      for (const line of lines(args[0] === 'help' && args[1] !== undefined ? commandUsage(args[1]) : USAGE)) io.out(line);
      return 0;
    }
    // `throughline check --help`: that command's usage, whatever else the line holds.
    if ((Object.hasOwn(COMMANDS, args[0]!) || args[0] === 'lsp') && wantsHelp(args.slice(1))) {
      for (const line of lines(commandUsage(args[0]!))) io.out(line);
      return 0;
    }
    let parsed: ParsedArguments;
    try {
      parsed = parseArguments(args);
    } catch (error) {
      // Only a mistake in the command line itself is helped by the usage text.
      if (error instanceof UsageError) {
        io.err(`throughline: ${error.message} (see throughline --help)`);
        return 2;
      }
      throw error;
    }
    return await dispatch(parsed, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`throughline: ${oneLineMessage(error.message)}`);
      return 2;
    }
    io.err(`throughline: internal error: ${oneLineMessage(error instanceof Error ? error.message : String(error))}`);
    return 2;
  }
}

/**
 * The transport `throughline lsp` was given, as vscode-languageserver reads it from process.argv,
 * or a usage error: without one, createConnection would throw with a stack trace.
 */
function lspTransport(args: readonly string[]): string {
  for (let i = 0; i < args.length; i++) {
    const [flag, inline] = args[i]!.split(/=(.*)/s, 2);
    if (flag === '--stdio') return 'stdio';
    if (flag === '--node-ipc') {
      if (typeof process.send !== 'function') throw new UsageError('lsp --node-ipc needs a parent process that started throughline with an IPC channel');
      return 'node-ipc';
    }
    if (flag === '--socket') {
      const value = inline ?? args[i + 1];
      if (value === undefined || !/^\d{1,5}$/.test(value) || Number(value) < 1 || Number(value) > 65535)
        throw new UsageError('lsp --socket needs a port number, e.g. --socket=7000');
      return 'socket';
    }
    if (flag === '--pipe') {
      const value = inline ?? args[i + 1];
      if (!value) throw new UsageError('lsp --pipe needs a pipe name, e.g. --pipe=/tmp/throughline.sock');
      return 'pipe';
    }
  }
  throw new UsageError('lsp needs a transport: throughline lsp --stdio (or --node-ipc, --socket=PORT, --pipe=NAME)');
}

export async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const streams = processStreams();
  // Whatever escapes the commands' own handling is still one line and exit code 2, never a stack trace.
  const fail = (error: unknown) => {
    createIo(streams).err(`throughline: internal error: ${oneLineMessage(error instanceof Error ? error.message : String(error))}`);
    process.exit(2);
  };
  // `throughline check | head` closes the pipe early; that is not an error worth a stack trace.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    fail(error);
  });
  if (args[0] === 'lsp' && !wantsHelp(args.slice(1))) {
    try {
      lspTransport(args.slice(1));
    } catch (error) {
      createIo(streams).err(`throughline: ${error instanceof Error ? error.message : String(error)} (see throughline --help)`);
      process.exitCode = 2;
      return;
    }
    // Lazy: the checker does not need the LSP stack loaded.
    const { startServer } = await import('./lsp/server');
    try {
      startServer();
    } catch (error) {
      fail(error);
    }
    return;
  }
  process.on('uncaughtException', fail);
  process.on('unhandledRejection', fail);
  process.exitCode = await runCli(args, streams);
}
