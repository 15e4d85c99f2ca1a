/**
 * The one way Throughline runs git. A repository is input like any other: its `.git/config`,
 * `.gitattributes`, hooks and index may come from an attacker (a cloned pull request, a downloaded
 * archive), and git runs commands named there: `core.fsmonitor` and the index-refreshing
 * commands, `filter.<driver>.clean|smudge|process` whenever a working-tree file is hashed or
 * checked out, `diff.<driver>.textconv|command` and `diff.external` in diffs, logs and blame,
 * pagers, editors, hooks, credential helpers, and transports (`core.sshCommand`,
 * `remote.<name>.uploadpack`, `ext::` URLs) when a partial clone fetches a missing object lazily.
 *
 * So git runs here only:
 * - with `SAFE_GIT_CONFIG` as `-c` overrides, which come after every configuration file;
 * - with `GIT_ALLOW_PROTOCOL` empty, which forbids every transport whatever the repository allows
 *   (no lazy fetch, no ssh, no upload-pack, no remote helper), and the pager, prompts, optional
 *   index writes, replace objects and pathspec magic off;
 * - for read-only commands that read the object database, never the working tree: the index is
 *   never refreshed and no file is hashed through a filter (`status`, `diff` against the working
 *   tree, `add`, `update-index`, `checkout` are refused); the commands that can diff get
 *   `--no-ext-diff --no-textconv` (and `log` `--no-show-signature`, as a signature check runs gpg);
 * - reading a bounded amount of output (`maxBytes`), and with git found on the PATH, never in the
 *   working folder.
 *
 * Global and system configuration stay in effect: they are the user's and the administrator's.
 */
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { accessSync, constants as fsConstants, existsSync, statSync } from 'node:fs';
import * as path from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { UsageError } from './usageError';

/**
 * `-c key=value` overrides on every git run. Settings that name a command either get a harmless
 * value here or cannot take effect on the commands `runGit` allows (editors, merge drivers,
 * upload-pack hooks, `core.sshCommand`: no allowed command edits, merges or talks to a remote, and
 * `GIT_ALLOW_PROTOCOL` stops any transport before it starts).
 */
export const SAFE_GIT_CONFIG: readonly string[] = [
  // Runs the repository's hook script from any command that reads the index.
  'core.fsmonitor=false',
  // Git for Windows' older name for the built-in monitor.
  'core.useBuiltinFSMonitor=false',
  // A folder that holds no hook; /dev/null is not a folder on any platform.
  'core.hooksPath=/dev/null',
  'core.pager=cat',
  'core.askPass=',
  // The empty value empties the list of helpers.
  'credential.helper=',
  // Transports, besides GIT_ALLOW_PROTOCOL (which per-protocol repository settings cannot undo).
  'protocol.allow=never',
  'core.gitProxy=',
  'log.showSignature=false',
  'core.untrackedCache=false',
  'submodule.recurse=false',
  'gc.auto=0',
  'maintenance.auto=false',
];

/** Variables set on every git run, over the user's environment. */
const SAFE_GIT_ENVIRONMENT: Readonly<Record<string, string>> = {
  // Messages in English: a few are recognised by their text.
  LC_ALL: 'C',
  GIT_TERMINAL_PROMPT: '0',
  // No protocol is allowed: set, but naming none.
  GIT_ALLOW_PROTOCOL: '',
  // git ≥ 2.45 also refuses lazy fetches outright.
  GIT_NO_LAZY_FETCH: '1',
  GIT_OPTIONAL_LOCKS: '0',
  // An object is what its ID says: a `refs/replace/` ref cannot swap a file's content.
  GIT_NO_REPLACE_OBJECTS: '1',
  // Paths from the repository are paths, never `:(glob)` or other magic.
  GIT_LITERAL_PATHSPECS: '1',
  GIT_PAGER: 'cat',
  PAGER: 'cat',
  GIT_ASKPASS: '',
  SSH_ASKPASS: '',
};

/**
 * The commands `runGit` runs, each with the options it always gets. Commands that compare with or
 * write the working tree or the index are not here, on purpose: they run filters and fsmonitor.
 */
const READ_ONLY_COMMANDS: ReadonlyMap<string, readonly string[]> = new Map([
  ['rev-parse', []],
  ['ls-tree', []],
  // Reads the index file; -m, -d, -o and -k, which look at the working tree, are refused.
  ['ls-files', []],
  ['cat-file', []],
  ['rev-list', []],
  ['for-each-ref', []],
  ['show-ref', []],
  ['merge-base', []],
  ['log', ['--no-ext-diff', '--no-textconv', '--no-show-signature']],
  ['diff-tree', ['--no-ext-diff', '--no-textconv']],
  // Not `blame`: without a revision it reads the working-tree file through the clean filter.
]);

/** Options that would run a filter, textconv, an external diff or gpg, or change what runs. */
const REFUSED_OPTIONS: ReadonlySet<string> = new Set([
  '--modified',
  '-m',
  '--deleted',
  '-d',
  '--others',
  '-o',
  '--killed',
  '-k',
  '--filters',
  '--textconv',
  '--ext-diff',
  '--show-signature',
  '--exec-path',
  '-c',
  '--config-env',
  '--output',
  '--upload-pack',
  '--exec',
]);

/** What `runGit` reads at most from git's standard output unless told otherwise. */
const MAX_GIT_OUTPUT_BYTES = 256 * 1024 * 1024;
/** stderr is kept up to this size: enough for any message. */
const MAX_GIT_STDERR_CHARS = 64 * 1024;

interface GitResult {
  readonly code: number;
  readonly stdout: Buffer;
  readonly stderr: string;
}

interface RunGitOptions {
  /** Fails (and stops git) once stdout exceeds this many bytes; default `MAX_GIT_OUTPUT_BYTES`. */
  readonly maxBytes?: number;
}

const NOT_INSTALLED = 'git is not installed (or not on the PATH); Throughline needs it to read files at a git ref';

/**
 * git answers where a repository is (`rev-parse --show-toplevel`, `--show-prefix`) one path per
 * line, with no `-z`: a folder whose path holds a line break cannot be located without guessing.
 */
export const LINE_BREAK = /[\r\n]/;
export const LINE_BREAK_IN_PATH = "the folder's path has a line break, which git's answers about where the repository is cannot carry";

/**
 * git's absolute path, found on the PATH. On Windows a bare `git` would be looked up in the working
 * folder first, which is the repository being read: a `git.exe` committed to a pull request
 * would run. Resolving it from the PATH alone rules that out on every platform.
 */
let gitExecutable: string | undefined;
function gitPath(): string {
  if (gitExecutable) return gitExecutable;
  const extensions = process.platform === 'win32' ? (process.env['PATHEXT'] ?? '.EXE;.CMD;.BAT').split(';').filter(Boolean) : [''];
  for (const folder of (process.env['PATH'] ?? '').split(path.delimiter)) {
    if (!folder || !path.isAbsolute(folder)) continue;
    for (const extension of extensions) {
      const candidate = path.join(folder, `git${extension.toLowerCase()}`);
      try {
        // As a shell does, a file that is not executable (a stray `git` earlier on the PATH) is passed over.
        if (statSync(candidate).isFile() && (process.platform === 'win32' || isExecutable(candidate))) return (gitExecutable = candidate);
      } catch {
        // Not in this folder of the PATH.
      }
    }
  }
  throw new UsageError(NOT_INSTALLED);
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, fsConstants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * The full argument list for `git <args>`, or an error naming why it is not run: a command outside
 * `READ_ONLY_COMMANDS` or an option in `REFUSED_OPTIONS` (looked for up to `--`; after it come paths).
 */
export function safeGitArguments(args: readonly string[]): string[] {
  const [command, ...rest] = args;
  const always = command === undefined ? undefined : READ_ONLY_COMMANDS.get(command);
  if (always === undefined)
    throw new Error(`git ${command ?? ''} is not run: Throughline runs only read-only git commands (${[...READ_ONLY_COMMANDS.keys()].join(', ')})`);
  for (const argument of rest) {
    if (argument === '--') break;
    const name = argument.startsWith('--') ? argument.split('=', 1)[0]! : argument;
    if (REFUSED_OPTIONS.has(name)) throw new Error(`git ${command} ${name} is not run: it could run a program the repository names`);
  }
  return ['--no-pager', ...SAFE_GIT_CONFIG.flatMap((setting) => ['-c', setting]), command!, ...always, ...rest];
}

/**
 * Variables that point git at another repository, work tree, index or object store than the
 * folder's own. Throughline reads the repository that holds the folder it was given: with
 * `GIT_DIR` set (a hook, a shell left so), git would read that other repository's commits as the
 * folder's, or none (a relative `GIT_DIR` against another working folder).
 */
const REPOSITORY_SELECTING_VARIABLES: readonly string[] = [
  'GIT_DIR',
  'GIT_WORK_TREE',
  'GIT_COMMON_DIR',
  'GIT_INDEX_FILE',
  'GIT_OBJECT_DIRECTORY',
  'GIT_ALTERNATE_OBJECT_DIRECTORIES',
  'GIT_NAMESPACE',
  'GIT_PREFIX',
  'GIT_QUARANTINE_PATH',
];

function safeGitEnvironment(): NodeJS.ProcessEnv {
  const environment: NodeJS.ProcessEnv = { ...process.env, ...SAFE_GIT_ENVIRONMENT };
  for (const name of REPOSITORY_SELECTING_VARIABLES) delete environment[name];
  return environment;
}

/**
 * Starts `git <args>` with the overrides and the checks above, without a shell (refs and paths are
 * never interpreted). For a caller that streams (`cat-file --batch`); `runGit` collects the output.
 */
export function spawnGit(args: readonly string[], cwd: string, stdin: 'pipe'): ChildProcessByStdio<Writable, Readable, Readable>;
export function spawnGit(args: readonly string[], cwd: string, stdin?: 'ignore'): ChildProcessByStdio<null, Readable, Readable>;
export function spawnGit(args: readonly string[], cwd: string, stdin: 'ignore' | 'pipe' = 'ignore'): ChildProcessByStdio<Writable | null, Readable, Readable> {
  const child = spawn(gitPath(), safeGitArguments(args), { cwd, env: safeGitEnvironment(), stdio: [stdin, 'pipe', 'pipe'], windowsHide: true });
  return child as ChildProcessByStdio<Writable | null, Readable, Readable>;
}

/**
 * The line of git's stderr that says what failed, without `fatal: `: the first `fatal:` or `error:`
 * line (a `warning:` before it, such as a partial clone's "lazy fetching disabled", is not the
 * cause), else the first non-empty line.
 */
export function firstLine(text: string): string {
  const lines = text
    .split('\n')
    .map((candidate) => candidate.trim())
    .filter((candidate) => candidate !== '');
  const line = lines.find((candidate) => candidate.startsWith('fatal: ') || candidate.startsWith('error: ')) ?? lines[0];
  if (line === undefined) return '';
  return line.startsWith('fatal: ') ? line.slice('fatal: '.length) : line;
}

/**
 * Runs `git <args>` in `cwd` and collects its output: stdout as bytes (at most `maxBytes`, else
 * git is stopped and the promise fails), stderr as text (its first 64 KB). Rejects, without
 * running git, a command or option that could run something from the repository.
 */
export function runGit(args: readonly string[], cwd: string, options: RunGitOptions = {}): Promise<GitResult> {
  const maxBytes = options.maxBytes ?? MAX_GIT_OUTPUT_BYTES;
  return new Promise((resolve, reject) => {
    let child: ChildProcessByStdio<null, Readable, Readable>;
    try {
      child = spawnGit(args, cwd);
    } catch (error) {
      reject(error instanceof Error ? error : new Error(String(error)));
      return;
    }
    const stdout: Buffer[] = [];
    let length = 0;
    let stderr = '';
    let overflow = false;
    child.stdout.on('data', (chunk: Buffer) => {
      if (overflow) return;
      length += chunk.length;
      if (length > maxBytes) {
        overflow = true;
        stdout.length = 0;
        child.kill();
        return;
      }
      stdout.push(chunk);
    });
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      if (stderr.length < MAX_GIT_STDERR_CHARS) stderr += chunk.slice(0, MAX_GIT_STDERR_CHARS - stderr.length);
    });
    // git itself was found on the PATH (gitPath): a spawn that finds nothing is for want of the folder to run in.
    child.on('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'ENOENT'
          ? existsSync(cwd)
            ? new UsageError(NOT_INSTALLED)
            : new UsageError(`git cannot run in ${cwd}: there is no such folder`)
          : error,
      ),
    );
    child.on('close', (code) => {
      if (overflow) reject(new Error(`git ${args[0]} printed more than ${maxBytes} bytes; Throughline stopped reading`));
      else resolve({ code: code ?? 1, stdout: Buffer.concat(stdout), stderr });
    });
  });
}

/** What to do about a shallow clone's missing commits, for messages that blame one. */
export const SHALLOW_CLONE_HINT = 'fetch more history with `git fetch --unshallow`, or check out with fetch-depth: 0';

/** Whether `folder`'s repository is a shallow clone; false when git cannot say. */
export function isShallowRepository(folder: string): Promise<boolean> {
  return runGit(['rev-parse', '--is-shallow-repository'], folder, { maxBytes: 1024 }).then(
    (result) => result.code === 0 && result.stdout.toString('utf8').trim() === 'true',
    () => false,
  );
}
