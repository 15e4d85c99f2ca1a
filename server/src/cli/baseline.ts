/**
 * Baselines for `throughline check`: a team adopting Throughline on an existing workspace records
 * today's problems once (`--write-baseline`) and from then on fails CI only on new ones
 * (`--baseline`).
 *
 * A problem is identified by its rule, file and message, never by its position: an edit above a
 * known problem moves it without making it new. Messages name the IDs involved ("OUT-14 is not
 * defined…"), so they tell problems in the same file apart. Identical problems are counted: with
 * two in the baseline and three now, one of the three is new.
 */
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { readRegularFile, UsageError, type CliDiagnostic } from './common';
import { oneLineMessage, truncate } from './output';

const BASELINE_VERSION = 1;
/** A baseline file larger than this is refused (exit 2): about 400,000 problems, far beyond any real one. */
const MAX_BASELINE_BYTES = 64 * 1024 * 1024;

interface BaselineEntry {
  readonly rule: string;
  readonly file: string;
  readonly message: string;
  /** `problemFingerprint` of the three fields above; the key baselines are matched on. */
  readonly fingerprint: string;
}

interface BaselineFile {
  readonly version: typeof BASELINE_VERSION;
  readonly problems: readonly BaselineEntry[];
}

/** A line-independent identity of a problem: 32 hex digits of SHA-256 over rule, file and message. */
export function problemFingerprint(problem: Pick<CliDiagnostic, 'rule' | 'file' | 'message'>): string {
  // JSON of an array cannot collide the way plain concatenation could ("a-b" + "c" vs "a" + "b-c").
  return createHash('sha256')
    .update(JSON.stringify([problem.rule, problem.file, problem.message]))
    .digest('hex')
    .slice(0, 32);
}

/** The baseline of `diagnostics`, sorted so that re-recording an unchanged workspace gives the same file. */
function createBaseline(diagnostics: readonly CliDiagnostic[]): BaselineFile {
  const problems = diagnostics.map((diagnostic) => ({
    rule: diagnostic.rule,
    file: diagnostic.file,
    message: diagnostic.message,
    fingerprint: problemFingerprint(diagnostic),
  }));
  const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  problems.sort((a, b) => compare(a.file, b.file) || compare(a.rule, b.rule) || compare(a.message, b.message));
  return { version: BASELINE_VERSION, problems };
}

/** The lines of the baseline file; one entry per line, so that reviewers read baseline changes in diffs. */
export function* baselineLines(baseline: BaselineFile): Generator<string> {
  yield '{';
  yield `  "version": ${baseline.version},`;
  if (baseline.problems.length === 0) {
    yield '  "problems": []';
  } else {
    yield '  "problems": [';
    const last = baseline.problems.length - 1;
    for (let index = 0; index <= last; index++) yield `    ${JSON.stringify(baseline.problems[index])}${index < last ? ',' : ''}`;
    yield '  ]';
  }
  yield '}';
}

/** Why a text is not a baseline, in a phrase that fits on one line. */
class BaselineFormatError extends Error {}

/** A value from the file, as a short JSON excerpt for an error message. */
function excerpt(value: unknown): string {
  return truncate(JSON.stringify(value) ?? 'none', 40);
}

/**
 * The baseline in `text`. Every entry must carry the fingerprint of its own rule, file and
 * message: an entry edited by hand to a harmless message while keeping a real problem's
 * fingerprint would otherwise hide that problem, so it is refused instead.
 */
function parseBaseline(text: string): BaselineFile {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new BaselineFormatError(`invalid JSON (${oneLineMessage((error as Error).message, 200)})`);
  }
  if (!isRecord(parsed)) throw new BaselineFormatError('expected a JSON object');
  if (parsed.version !== BASELINE_VERSION) throw new BaselineFormatError(`expected "version": ${BASELINE_VERSION}, found ${excerpt(parsed.version)}`);
  if (!Array.isArray(parsed.problems)) throw new BaselineFormatError('expected a "problems" array');
  const problems = parsed.problems.map((entry: unknown, index): BaselineEntry => {
    if (!isRecord(entry)) throw new BaselineFormatError(`problems[${index}] is not an object`);
    const field = (name: keyof BaselineEntry): string => {
      const value = Object.hasOwn(entry, name) ? entry[name] : undefined;
      if (typeof value !== 'string' || value === '') throw new BaselineFormatError(`problems[${index}].${name} must be a non-empty string`);
      return value;
    };
    const checked = { rule: field('rule'), file: field('file'), message: field('message'), fingerprint: field('fingerprint') };
    if (checked.fingerprint !== problemFingerprint(checked)) {
      throw new BaselineFormatError(
        `problems[${index}].fingerprint does not match its rule, file and message (an edited entry would hide another problem); re-run --write-baseline`,
      );
    }
    return checked;
  });
  return { version: BASELINE_VERSION, problems };
}

/** Reads a baseline file: a regular file of at most MAX_BASELINE_BYTES, else a usage error (exit 2). */
export async function readBaseline(file: string): Promise<BaselineFile> {
  const text = (await readRegularFile(file, 'baseline file', MAX_BASELINE_BYTES)).toString('utf8');
  try {
    return parseBaseline(text);
  } catch (error) {
    if (error instanceof BaselineFormatError) throw new UsageError(`baseline file ${file} is not a Throughline baseline: ${oneLineMessage(error.message)}`);
    throw error;
  }
}

/** Writes the baseline in chunks: however many problems there are, no string holds the whole file. */
export async function writeBaseline(file: string, diagnostics: readonly CliDiagnostic[]): Promise<number> {
  const baseline = createBaseline(diagnostics);
  try {
    const handle = await fs.open(file, 'w');
    try {
      let chunk: string[] = [];
      let size = 0;
      for (const line of baselineLines(baseline)) {
        chunk.push(line);
        size += line.length + 1;
        if (size >= 1024 * 1024) {
          await handle.write(`${chunk.join('\n')}\n`);
          chunk = [];
          size = 0;
        }
      }
      if (chunk.length) await handle.write(`${chunk.join('\n')}\n`);
    } finally {
      await handle.close();
    }
  } catch (error) {
    throw new UsageError(`cannot write baseline file ${file}: ${(error as NodeJS.ErrnoException).code ?? oneLineMessage((error as Error).message)}`);
  }
  return baseline.problems.length;
}

export interface BaselineComparison {
  /** Problems the baseline does not account for, in their original order. */
  readonly fresh: CliDiagnostic[];
  /** How many current problems the baseline accounts for. */
  readonly baselined: number;
  /** Baseline entries no current problem matches: fixed since the baseline was written. */
  readonly fixed: number;
}

/** Splits `diagnostics` into new and known problems, matching fingerprints as a multiset. */
export function compareWithBaseline(diagnostics: readonly CliDiagnostic[], baseline: BaselineFile): BaselineComparison {
  const remaining = new Map<string, number>();
  for (const entry of baseline.problems) remaining.set(entry.fingerprint, (remaining.get(entry.fingerprint) ?? 0) + 1);
  const fresh: CliDiagnostic[] = [];
  let baselined = 0;
  for (const diagnostic of diagnostics) {
    const fingerprint = problemFingerprint(diagnostic);
    const left = remaining.get(fingerprint) ?? 0;
    if (left > 0) {
      remaining.set(fingerprint, left - 1);
      baselined++;
    } else {
      fresh.push(diagnostic);
    }
  }
  let fixed = 0;
  for (const left of remaining.values()) fixed += left;
  return { fresh, baselined, fixed };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
