/**
 * The output boundary of the CLI. Every byte the CLI prints goes through one of the writers made
 * here, so that no text from the repository (a title, a file name, a config key, a message) can
 *
 * - move the terminal's cursor, change its colours or retitle it (ESC, CR, other C0 characters,
 *   DEL and C1 controls are escaped as `\xNN`, line breaks as `\n` and `\r`), or
 * - be read by the GitHub Actions runner as a workflow command. The runner reads a line as a
 *   command when it starts with `::` after leading white space (`ActionCommand.TryParseV2`) and,
 *   in the legacy form, when `##[` appears anywhere in it (`ActionCommand.TryParse`), and it tries
 *   both on every line of every step's stdout and stderr, whatever `--format` says.
 *
 * Text for people (`out`, `err`) is written one line per call and escaped here. Machine-readable
 * documents (JSON, XML, HTML, Markdown) are escaped by their renderers in their own syntax; here
 * they only get the guard of their kind, which changes no parsed value: `##[` becomes `##\u005b`
 * in JSON and `##&#91;` in markup, and a line of markup that would start with `::` starts with
 * `&#58;` instead. Throughline's own workflow commands (`--format github`) are escaped by
 * `ciFormats.ts` (control characters as here, then the runner's `%` escapes) and checked here to be
 * one line each, with no control character left.
 */

/**
 * Documented output caps (README, "Reliability"). Whatever the workspace holds, `check` prints
 * at most MAX_PRINTED_PROBLEMS_PER_FILE problems of one file (or the configured
 * `maxProblemsPerFile` when larger, plus the service's summary problem) and MAX_PRINTED_PROBLEMS
 * in all, in every format, and says how many it left out (text and GitHub: a last "… and N more
 * problems" line; JSON: `omitted`; SARIF: the run property `throughline/omittedResults`; JUnit: a
 * line in the failure text). Summary counts and the exit code always cover every problem.
 */
export const MAX_PRINTED_PROBLEMS_PER_FILE = 1_000;
export const MAX_PRINTED_PROBLEMS = 10_000;
/** A problem message longer than this is cut, with "…", in every format and in baselines. */
export const MAX_PRINTED_MESSAGE_LENGTH = 2_000;
/** A line of text output (`check`, `tree`, `diff`, stderr) longer than this is cut, with "… (N more characters)". */
export const MAX_TEXT_LINE_LENGTH = 4_000;
/** At most this many "Skipped <file>" lines on stderr per run, then one "… and N more files skipped". */
export const MAX_SKIPPED_LINES = 100;
/** A title or other repository text in a Markdown table cell of `diff --format md` is cut at this length. */
export const MAX_CELL_LENGTH = 300;

export interface CliIo {
  /** One line of text for people on stdout: control characters escaped, never a workflow command. */
  out(line: string): void;
  /** One line on stderr, escaped like `out`. */
  err(line: string): void;
  /** A JSON value on stdout (one line, or indented by `indent`), guarded against the runner's legacy commands. */
  json(value: unknown, indent?: number): void;
  /** A piece of a JSON document written in parts (no newline added), guarded like `json`. */
  jsonPart(text: string): void;
  /** A part of a markup document (XML, HTML, Markdown) on stdout, as is apart from the markup guard. */
  markup(text: string): void;
  /** One of Throughline's own, already escaped, workflow commands (`::error file=…::message`). */
  command(line: string): void;
}

/** Where the bytes go: process.stdout and process.stderr in `main`, buffers in tests. */
export interface CliStreams {
  stdout(text: string): void;
  stderr(text: string): void;
}

/** What stdout collects before it writes without waiting for the sending code to return. */
const STDOUT_CHUNK = 64 * 1024;

/**
 * process.stdout and process.stderr. What is written to stdout in one go (a report of thousands of
 * lines) is collected and written as one chunk once the writing code returns (`process.nextTick`),
 * or sooner past 64 KB: one write per line took 40 ms for `check` at 10,000 PRDs. A write to
 * stderr first writes what stdout collected, so the two keep their order on a terminal.
 */
export function processStreams(
  stdout: Pick<NodeJS.WriteStream, 'write'> = process.stdout,
  stderr: Pick<NodeJS.WriteStream, 'write'> = process.stderr,
): CliStreams {
  let collected = '';
  let scheduled = false;
  const flush = () => {
    scheduled = false;
    if (collected === '') return;
    const text = collected;
    collected = '';
    stdout.write(text);
  };
  return {
    stdout: (text) => {
      collected += text;
      if (collected.length >= STDOUT_CHUNK) flush();
      else if (!scheduled) {
        scheduled = true;
        process.nextTick(flush);
      }
    },
    stderr: (text) => {
      flush();
      stderr.write(text);
    },
  };
}

/** The writers every command uses; nothing else writes to the streams. */
export function createIo(streams: CliStreams): CliIo {
  return {
    out: (line) => streams.stdout(`${displayLine(line)}\n`),
    err: (line) => streams.stderr(`${displayLine(line)}\n`),
    json: (value, indent) => streams.stdout(`${guardJson(JSON.stringify(value, null, indent))}\n`),
    jsonPart: (text) => streams.stdout(guardJson(text)),
    markup: (text) => streams.stdout(guardMarkup(text)),
    command: (line) => {
      // ciFormats escapes every control character in every command (CR and LF as `%0D`, `%0A`); a
      // command that still held one is not ours to print.
      if (!/^::(?:error|warning|notice) [^\u0000-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]*$/.test(line))
        throw new Error('not a one-line workflow command');
      streams.stdout(`${line}\n`);
    },
  };
}

/**
 * A CliIo from a caller outside the CLI that passes only line writers (`bench/diff.ts`): each write
 * becomes one call, without its final newline, still through the boundary of `createIo`.
 */
export function asCliIo(io: CliIo | Pick<CliIo, 'out' | 'err'>): CliIo {
  if ('json' in io) return io;
  const line = (write: (text: string) => void) => (text: string) => write(text.endsWith('\n') ? text.slice(0, -1) : text);
  return createIo({ stdout: line((text) => io.out(text)), stderr: line((text) => io.err(text)) });
}

/**
 * Writes `value` as one line of JSON (the text JSON.stringify would give) in parts of about 64 KB,
 * so that a large tree or diff never has to be one string. Parts end at a structural character or
 * at the end of a leaf, never inside a string, so the guard of `jsonPart` sees every `##[` whole.
 */
export function writeJson(io: CliIo, value: unknown): void {
  let buffer = '';
  const emit = (text: string) => {
    buffer += text;
    if (buffer.length >= 64 * 1024) {
      io.jsonPart(buffer);
      buffer = '';
    }
  };
  const skipped = (entry: unknown) => entry === undefined || typeof entry === 'function' || typeof entry === 'symbol';
  const write = (entry: unknown): void => {
    if (Array.isArray(entry)) {
      emit('[');
      entry.forEach((element, index) => {
        if (index > 0) emit(',');
        if (skipped(element)) emit('null');
        else write(element);
      });
      emit(']');
    } else if (entry !== null && typeof entry === 'object' && !('toJSON' in entry) && !(entry instanceof Map) && !(entry instanceof Set)) {
      emit('{');
      let first = true;
      for (const [key, field] of Object.entries(entry)) {
        if (skipped(field)) continue;
        emit(`${first ? '' : ','}${JSON.stringify(key)}:`);
        first = false;
        write(field);
      }
      emit('}');
    } else {
      emit(JSON.stringify(entry) ?? 'null');
    }
  };
  write(value);
  emit('\n');
  io.jsonPart(buffer);
}

/** C0 controls (tab and line breaks too), DEL, C1 controls, and the bidirectional overrides and isolates. */
const CONTROL = /[\u0000-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/g;
const NAMED: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function escapeCharacter(character: string): string {
  const named = NAMED[character];
  if (named !== undefined) return named;
  const code = character.charCodeAt(0);
  return code < 0x100 ? `\\x${code.toString(16).toUpperCase().padStart(2, '0')}` : `\\u${code.toString(16).toUpperCase().padStart(4, '0')}`;
}

/**
 * Repository text as it may appear inside one line of terminal output: every control character
 * escaped (`\x1B`, `\r`, `\n`, `\u202E`), so it can neither break the line nor drive the terminal.
 */
function escapeControls(text: string): string {
  return text.replace(CONTROL, escapeCharacter);
}

/**
 * Repository text inside one of Throughline's own workflow commands (`--format github`): control
 * characters escaped as `displayLine` escapes them (`\x1B`, `\t`, `\u202E`), except CR and LF,
 * which the command's own escaping turns into `%0D` and `%0A` (the runner reads those back as line
 * breaks). Escape with this first, then with `escapeGithubData` or `escapeGithubProperty`.
 */
export function escapeControlsInCommand(text: string): string {
  return text.replace(CONTROL, (character) => (character === '\n' || character === '\r' ? character : escapeCharacter(character)));
}

/** White space the runner's `TrimStart()` skips (.NET `Char.IsWhiteSpace` is a subset of `\s`) before `::`. */
const COMMAND_START = /^(\s*):(?=:)/;
const LEGACY_COMMAND = /##\[/g;

/**
 * One line for people, as printed: controls escaped, cut at MAX_TEXT_LINE_LENGTH, and neither
 * starting with `::` nor holding `##[`, so the Actions runner reads it as plain log text.
 */
export function displayLine(line: string): string {
  const kept = cutAt(line, MAX_TEXT_LINE_LENGTH);
  const cut = kept.length < line.length ? `… (${line.length - kept.length} more characters)` : '';
  return `${escapeControls(kept)}${cut}`.replace(COMMAND_START, '$1\\x3A').replace(LEGACY_COMMAND, '##\\x5B');
}

/** C1 controls and DEL, which JSON.stringify leaves as they are; some terminals act on C1. */
const JSON_RAW_CONTROL = /[\u007F-\u009F\u202A-\u202E\u2066-\u2069]/g;

/**
 * JSON text from JSON.stringify with the same value, for a CI log: `##[` can only occur inside a
 * string there (a structural `[` never follows `#`), so `##\u005b` is the same string.
 */
export function guardJson(json: string): string {
  return json.replace(LEGACY_COMMAND, '##\\u005b').replace(JSON_RAW_CONTROL, (character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

const MARKUP_CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/g;

/**
 * XML, HTML or Markdown text whose lines the runner reads as plain text. Controls other than tab
 * and line breaks become U+FFFD (XML 1.0 cannot hold C0 controls at all); a line that would start
 * with `::` starts with the character reference `&#58;` (the same character in XML, HTML and
 * Markdown text), and `##[` becomes `##&#91;`.
 */
export function guardMarkup(text: string): string {
  return text
    .replace(MARKUP_CONTROL, '\uFFFD')
    .replace(/(^|[\r\n])([^\S\r\n]*):(?=:)/g, '$1$2&#58;')
    .replace(LEGACY_COMMAND, '##&#91;');
}

/** `text` cut to at most `length` UTF-16 code units, never between the halves of a surrogate pair. */
function cutAt(text: string, length: number): string {
  if (text.length <= length) return text;
  const code = text.charCodeAt(length - 1);
  return text.slice(0, code >= 0xd800 && code <= 0xdbff ? length - 1 : length);
}

/** `text`, or its first `length` characters and "…" when longer. */
export function truncate(text: string, length: number): string {
  return text.length <= length ? text : `${cutAt(text, length - 1)}…`;
}

/** Repository text (an error from a parser, a file name) as one bounded line: the stack, if any, left out. */
export function oneLineMessage(text: string, length = MAX_PRINTED_MESSAGE_LENGTH): string {
  const stack = text.search(/\n\s+at /);
  return truncate(stack < 0 ? text : text.slice(0, stack), length);
}
