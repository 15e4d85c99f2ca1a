/**
 * Linear time: every parser and regular expression over user text must take time proportional to
 * its input. Each property builds adversarial shapes (long runs of spaces, tabs, NBSP, backticks,
 * `<!--`, `](`, repeated IDs, many lines, deeply nested lists and block quotes, long attribute
 * values, large front-matter) at a generated size n and at 2n, and checks that doubling the input
 * does not more than about triple the time (3.5×). A quadratic algorithm quadruples it, a
 * backtracking regex does worse.
 *
 * Timing on a shared machine is noisy, so the limits are generous: each input is run once to warm
 * up, then the fastest of several runs counts; when the larger input takes under 20 ms of CPU time the
 * ratio is not checked; a ratio over the limit is measured again before it fails. A hang is the
 * failure, not a slow machine.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { DEFAULT_CONFIG } from '../../server/src/service/model/config';
import { MAX_CONTAINER_DEPTH } from '../../server/src/service/parse/markdown/blocks';
import { indexDocument } from '../../server/src/service/parse/indexDocument';
import { parseIsoDate, parseQuantity } from '../../server/src/service/parse/quantity';
import { createService } from '../helpers/memoryWorkspace';
import { assertProperty } from '../helpers/property';

const RATIO_LIMIT = 3.5;
/**
 * Below this many milliseconds for the larger input, timing noise dominates: no ratio check. At
 * 20 ms, deeply nested lists failed on a quiet machine with ratios of ×4–6 at 25–33 ms, the larger
 * input paying for a garbage collection the smaller one did not (the same code measured ×2.5
 * elsewhere). A quadratic path at these sizes (40,000–80,000 characters) takes seconds, far above
 * this floor, so it still fails.
 */
const FLOOR_MS = 40;
const RUNS = 5;
const ATTEMPTS = 3;
/** A ratio over the limit with the larger input this slow is no timing noise: no second attempt. */
const CLEARLY_SLOW_MS = 500;

/**
 * Milliseconds of CPU time (user and system) that `work` takes: unlike the wall clock, it does not
 * count the time other processes on a busy machine hold the CPU.
 */
function cpuTime(work: () => unknown): number {
  const start = process.cpuUsage();
  work();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

/** The fastest of a few runs after a warm-up (fewer when each run is slow, which noise cannot explain away). */
function fastest(work: () => unknown): number {
  const first = cpuTime(work);
  let best = Infinity;
  const runs = first > 200 ? 1 : RUNS;
  for (let run = 0; run < runs; run++) best = Math.min(best, cpuTime(work));
  return best;
}

/** `make(n)` returns the work for an input of about n characters. */
function assertLinear(label: string, make: (n: number) => () => unknown, n: number): void {
  const small = make(n);
  const large = make(2 * n);
  let figures = '';
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const a = fastest(small);
    const b = fastest(large);
    if (b < FLOOR_MS || b <= RATIO_LIMIT * a) return;
    figures += ` ${a.toFixed(1)} ms → ${b.toFixed(1)} ms (×${(b / a).toFixed(1)});`;
    if (b > CLEARLY_SLOW_MS) break;
  }
  assert.fail(`${label}: doubling the input from ${n} characters more than ${RATIO_LIMIT}× the time:${figures}`);
}

const FRONT_MATTER = '---\ntype: strategy\nid: STR-1\ntitle: Hostile\n---\n';

function indexing(text: string): () => unknown {
  return () => indexDocument('file:///ws/hostile.md', 1, text, DEFAULT_CONFIG);
}

/** A document of about n characters: `head`, then `unit` repeated, then `tail`. */
function repeated(head: string, unit: string, tail: string): (n: number) => () => unknown {
  return (n) => indexing(head + unit.repeat(Math.max(1, Math.floor(n / unit.length))) + tail);
}

type Shape = readonly [string, (n: number) => () => unknown];

/** Checks every shape at one generated size (fast-check shrinks the size on failure). */
function linearProperty(shapes: readonly Shape[], sizes = fc.integer({ min: 20_000, max: 40_000 })): void {
  assertProperty(
    fc.property(sizes, (n) => {
      for (const [label, make] of shapes) assertLinear(label, make, n);
    }),
    // No shrinking: a smaller size only makes the same failure slower to confirm.
    { numRuns: 2, endOnFailure: true },
  );
}

const WHITESPACE = [
  ['spaces', ' '],
  ['tabs', '\t'],
  ['NBSP', '\u00a0'],
  ['mixed blanks', ' \t\u00a0'],
] as const;

describe('linear time on adversarial input', () => {
  test('attribute lines: whitespace runs inside and after values, long values, many attributes', () => {
    const item = `${FRONT_MATTER}## OBJ-1: Objective\n`;
    linearProperty([
      ...WHITESPACE.flatMap(([name, blank]): Shape[] => [
        [`Priority: a + ${name} + b`, repeated(`${item}Priority: a`, blank, 'b\n')],
        [`Priority: a + ${name}`, repeated(`${item}Priority: a`, blank, '\n')],
        [`Priority:${name}`, repeated(`${item}Priority:`, blank, '\n')],
        [`Due date ${name} :`, repeated(`${item}Due date`, blank, 'x: 1\n')],
      ]),
      ['long value of words', repeated(`${item}Owner: `, 'a b ', '\n')],
      ['long Traces value', repeated(`${item}Traces: `, 'OUT-1, ', '\n')],
      ['Traces value of code spans between IDs', repeated(`${item}Traces: `, 'OUT-1 `x` ', '\n')],
      ['Traces value of comments between IDs', repeated(`${item}Traces: `, 'OUT-1 <!-- x --> ', '\n')],
      ['Traces value of notes between IDs', repeated(`${item}Traces: `, 'OUT-1 (OUT-2) ~~OUT-3~~ ', '\n')],
      ['Traces value of unclosed parentheses', repeated(`${item}Traces: `, '(OUT-1 ', '\n')],
      ['Traces value of tildes', repeated(`${item}Traces: `, '~~~ OUT-1 ~ ', '\n')],
      ['many attribute lines', repeated(item, 'Priority:   a   \n', '')],
    ]);
  });

  test('quantities and dates: whitespace runs that do not match', () => {
    const blanks = WHITESPACE.map(([, blank]) => blank);
    const shapes: Shape[] = [];
    for (const blank of blanks) {
      shapes.push(
        [`5 + ${JSON.stringify(blank)} + !`, (n) => () => parseQuantity(`5${blank.repeat(n / blank.length)}!`)],
        [`< + ${JSON.stringify(blank)} + !`, (n) => () => parseQuantity(`<${blank.repeat(n / blank.length)}!`)],
        [`$ + ${JSON.stringify(blank)} + !`, (n) => () => parseQuantity(`$${blank.repeat(n / blank.length)}!`)],
        [`5 kg + ${JSON.stringify(blank)} + !`, (n) => () => parseQuantity(`5 kg${blank.repeat(n / blank.length)}!`)],
        [`date + ${JSON.stringify(blank)} + !`, (n) => () => parseIsoDate(`2027-01-01${blank.repeat(n / blank.length)}!`)],
        [`${JSON.stringify(blank)} + !`, (n) => () => parseIsoDate(`${blank.repeat(n / blank.length)}!`)],
      );
    }
    shapes.push(['digits and commas', (n) => () => parseQuantity(`${'1,'.repeat(n / 2)}x`)]);
    // Many inputs per measurement: one parse of 40,000 characters is below the timer's resolution.
    linearProperty(
      shapes.map(
        ([label, make]) =>
          [
            label,
            (n: number) => {
              const work = make(n);
              return () => {
                for (let k = 0; k < 20; k++) work();
              };
            },
          ] as const,
      ),
    );
  });

  test('inline exclusions: backticks, <!-- runs, ]( runs, autolinks, code spans between IDs', () => {
    linearProperty([
      ['single backticks', repeated(`${FRONT_MATTER}OUT-1 `, '` ', '\n')],
      ['backtick runs of 1 and 2', repeated(`${FRONT_MATTER}OUT-1 `, '`` ` ', '\n')],
      ['<!-- on one line', repeated(`${FRONT_MATTER}OUT-1 `, '<!--', '\n')],
      ['<!-- on many lines', repeated(`${FRONT_MATTER}OUT-1\n`, 'x <!--\n', '')],
      ['<!-- in many paragraphs', repeated(FRONT_MATTER, 'OUT-1 <!-- x\n\n', '')],
      [']( on one line', repeated(`${FRONT_MATTER}OUT-1 `, '](', '\n')],
      [']((( on one line', repeated(`${FRONT_MATTER}OUT-1 `, ']((', '\n')],
      ['<a: autolink starts', repeated(`${FRONT_MATTER}OUT-1 `, '<a:', '\n')],
      ['IDs between code spans', repeated(FRONT_MATTER, 'OUT-1 `x` ', '\n')],
      ['IDs inside one long code span', repeated(`${FRONT_MATTER}\``, 'OUT-1 ', '`\n')],
    ]);
  });

  test('repeated IDs: one paragraph of many lines, block quote lines, one long line', () => {
    linearProperty([
      ['IDs on many lines of one paragraph', repeated(FRONT_MATTER, 'OUT-1\n', '')],
      ['IDs in one block quote paragraph', repeated(FRONT_MATTER, '> OUT-1\n', '')],
      ['IDs in one list item paragraph', repeated(`${FRONT_MATTER}- `, 'OUT-1\n  ', '\n')],
      ['IDs on one line', repeated(FRONT_MATTER, 'OUT-1 ', '\n')],
    ]);
  });

  test('document structure: deeply nested lists and block quotes, many headings and list items', () => {
    linearProperty([
      ['nested - lists', repeated(FRONT_MATTER, '- ', 'OUT-1\n')],
      ['nested * lists', repeated(FRONT_MATTER, '* ', 'x\n')],
      ['nested ordered lists', repeated(FRONT_MATTER, '1. ', 'OUT-1\n')],
      ['nested block quotes', repeated(FRONT_MATTER, '> ', 'OUT-1\n')],
      ['block quotes and lists', repeated(FRONT_MATTER, '> - ', 'OUT-1\n')],
      ['lists nested to the depth limit on every line', repeated(FRONT_MATTER, `${'- '.repeat(MAX_CONTAINER_DEPTH)}OUT-1\n`, '')],
      ['block quotes nested past the depth limit on every line', repeated(FRONT_MATTER, `${'> '.repeat(MAX_CONTAINER_DEPTH + 10)}OUT-1\n`, '')],
      ['nested list items defining items', repeated(FRONT_MATTER, '- OUT-1: x\n  ', '\n')],
      [
        'headings, then list items defining items',
        (n) =>
          indexing(
            `${FRONT_MATTER}${Array.from({ length: Math.floor(n / 30) }, (_, i) => `## OBJ-${i}: x\n`).join('')}${Array.from({ length: Math.floor(n / 30) }, (_, i) => `- KR-${i}.1: y\n`).join('')}`,
          ),
      ],
      ['link reference definitions', repeated(FRONT_MATTER, '[a]: /u\n', 'OUT-1\n')],
      ['heading with a run of #', repeated(`${FRONT_MATTER}# OUT-1 `, '#', ' x\n')],
      ['suppression comment without an end', repeated(`${FRONT_MATTER}<!-- throughline-disable`, ' a', '\n')],
      ['suppression comments in one HTML block', repeated(FRONT_MATTER, '<!-- throughline-disable a-- \n', '')],
    ]);
  });

  test('issue 10: tables, near-miss definitions, attribute bullets', () => {
    linearProperty([
      ['table rows defining items', repeated(`${FRONT_MATTER}| ID | Title | Traces | Owner |\n|---|---|---|---|\n`, '| REQ-1 | x | OUT-1 | a |\n', '')],
      ['rows of a table without IDs', repeated(`${FRONT_MATTER}| a | b |\n|---|---|\n`, '| x | y |\n', '')],
      ['one wide table with many rows', (n) => indexing(`${FRONT_MATTER}${'|a'.repeat(n / 8)}|\n${'|-'.repeat(n / 8)}|\n${'| OUT-1 |\n'.repeat(n / 20)}`)],
      ['escaped pipes in one cell', repeated(`${FRONT_MATTER}| a | b |\n|---|---|\n| OUT-1 | `, '\\|', ' |\n')],
      ['backticks and pipes in one row', repeated(`${FRONT_MATTER}| a | b |\n|---|---|\n| OUT-1 | `, '`|', ' |\n')],
      ['a header, then delimiter rows that do not match it', repeated(`${FRONT_MATTER}a|b|c\n`, '-|-\n', '')],
      ['a long header row, a delimiter that does not match', repeated(FRONT_MATTER, 'a|', '\n|-|\n')],
      ['many one-row tables', repeated(FRONT_MATTER, '| OUT-1 |\n|-|\n\n', '')],
      ['heading items with attribute bullets', repeated(FRONT_MATTER, '## OBJ-1: x\n- Owner: a\n- Status: b\n', '')],
      ['a heading item, then a long list of attribute bullets', repeated(`${FRONT_MATTER}## OBJ-1: x\n`, '- Owner: a\n', '')],
      ['a list item, then many nested attribute bullets', repeated(`${FRONT_MATTER}- KR-1: x\n`, '  - Baseline: 1\n', '')],
      ['near-miss headings', repeated(FRONT_MATTER, '### Outcome OBJ-2 title\n', '')],
      ['bold list items with dashes', repeated(FRONT_MATTER, '- **OUT-1** — x\n', '')],
      ['kind words without IDs', repeated(`${FRONT_MATTER}- `, 'Key result ', 'x\n')],
      ['a long ID suffix of dots', repeated(`${FRONT_MATTER}### OUT-1`, '.', ' x\n')],
      ['link-key near misses before many IDs', repeated(`${FRONT_MATTER}### REQ-1: x\nOutcome: `, 'OUT-1, ', '\n')],
    ]);
  });

  test('front-matter: many keys before a long body, long values, long flow collections', () => {
    // Front-matter stays below the size the parser accepts (64 KiB) at 2n. The body is long: the old
    // comment search ran from every key line to the next `#` anywhere in the document.
    linearProperty(
      [
        [
          'many keys, then a long body without #',
          (n) =>
            indexing(
              `---\ntype: strategy\nid: STR-1\n${Array.from({ length: Math.floor(n / 10) }, (_, i) => `k${i}: v\n`).join('')}---\n${'word '.repeat(20 * n)}\n`,
            ),
        ],
        ['long plain value', (n) => indexing(`---\ntype: strategy\nid: STR-1\ntitle: ${'a '.repeat(n / 2)}x\n---\n`)],
        ['value with a whitespace run', (n) => indexing(`---\ntype: strategy\nid: STR-1\ntitle: a${' '.repeat(n)}#x\n---\n`)],
        ['long flow sequence', (n) => indexing(`---\ntype: strategy\nid: STR-1\ntags: [${'a, '.repeat(n / 3)}b]\n---\n`)],
        [
          'long flow mapping',
          (n) => indexing(`---\ntype: strategy\nid: STR-1\nnorth_star: {${Array.from({ length: Math.floor(n / 9) }, (_, i) => `k${i}: v`).join(', ')}}\n---\n`),
        ],
        ['YAML outside the fast path', (n) => indexing(`---\ntype: strategy\nid: STR-1\nx: &a ${'b '.repeat(n / 2)}\n---\n`)],
      ],
      fc.integer({ min: 20_000, max: 30_000 }),
    );
  });

  test('editor requests on long lines: completion of front-matter values and IDs, hover', async () => {
    // One service per size, built before timing: only the request at the end of the long line is timed.
    const requestOn = async (text: string, line: number) => {
      const t = await createService({ 'doc.md': text });
      const document = t.open('doc.md', text);
      const character = text.split('\n')[line]!.length;
      return () => {
        t.service.getCompletions(document, { line, character });
        t.service.getHover(document, { line, character });
      };
    };
    const sizes = [20_000, 40_000, 80_000];
    const built = new Map<string, () => unknown>();
    for (const n of sizes) {
      built.set(`status ${n}`, await requestOn(`---\ntype: prd\nid: PRD-1\nstatus: ${'a'.repeat(n)} \n---\n`, 3));
      built.set(`id ${n}`, await requestOn(`---\ntype: prd\nid: PRD-1\n---\nTraces: ${'OUT-1'.repeat(n / 5)} \n`, 4));
      built.set(`blanks ${n}`, await requestOn(`---\ntype: prd\nid: PRD-1\n---\nTraces: OUT-1${' '.repeat(n)}x\n`, 4));
    }
    for (const shape of ['status', 'id', 'blanks']) {
      for (const n of sizes.slice(0, -1)) assertLinear(`${shape} line`, (size) => built.get(`${shape} ${size}`)!, n);
    }
  });
});
