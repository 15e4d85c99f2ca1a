/**
 * The CI formats of `throughline check`: SARIF 2.1.0 (code scanning), JUnit XML (test reporters)
 * and GitHub Actions workflow commands (annotations). Pure functions of the problems and the rule
 * catalog, so each format can be tested without running a check.
 */
import { problemFingerprint } from './baseline';
import type { CliDiagnostic } from './common';
import { escapeControlsInCommand } from './output';
import type { RuleInfo } from '../service/rules/ruleCatalog';

// ---- SARIF ---------------------------------------------------------------------------------------

/** The final OASIS schema (with the approved errata), as the SARIF validators recommend citing. */
const SARIF_SCHEMA_URI = 'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json';
/** The base every result URI is relative to: the checked folder. */
const SARIF_ROOT_BASE_ID = '%SRCROOT%';
/** Our key in `partialFingerprints`; `primaryLocationLineHash` is GitHub's own and it recomputes it. */
const SARIF_FINGERPRINT_KEY = 'throughlineProblem/v1';
/** The run property that says how many results the output caps left out (absent when none were). */
export const SARIF_OMITTED_PROPERTY = 'throughline/omittedResults';

type SarifLevel = 'error' | 'warning' | 'note';

export interface SarifLog {
  $schema: string;
  version: '2.1.0';
  runs: SarifRun[];
}

interface SarifRun {
  tool: { driver: { name: string; version: string; informationUri?: string; rules: SarifRule[] } };
  originalUriBaseIds: Record<string, { uri: string; description?: { text: string } }>;
  columnKind: 'utf16CodeUnits';
  results: SarifResult[];
  properties?: Record<string, unknown>;
}

interface SarifRule {
  id: string;
  shortDescription: { text: string };
  defaultConfiguration: { level: SarifLevel };
}

interface SarifResult {
  ruleId: string;
  ruleIndex: number;
  level: SarifLevel;
  message: { text: string };
  locations: {
    physicalLocation: {
      artifactLocation: { uri: string; uriBaseId: string };
      region: { startLine: number; startColumn: number; endLine: number; endColumn: number };
    };
  }[];
  partialFingerprints: Record<string, string>;
  baselineState?: 'new';
}

interface SarifOptions {
  readonly toolVersion: string;
  /** Absolute `file:` URI of the checked folder, ending in `/`. */
  readonly rootUri: string;
  readonly rules: readonly RuleInfo[];
  /** The problems were filtered against a baseline: mark each as new. */
  readonly baselineUsed?: boolean;
}

function sarifLevel(severity: string): SarifLevel {
  return severity === 'error' ? 'error' : severity === 'warning' ? 'warning' : 'note';
}

/** A folder-relative `/` path as a relative URI reference: each segment percent-encoded (spaces, `#`, non-ASCII). */
function relativeUri(file: string): string {
  return file.split('/').map(encodeURIComponent).join('/');
}

export function renderSarif(diagnostics: readonly CliDiagnostic[], options: SarifOptions): SarifLog {
  const rules: SarifRule[] = options.rules.map((rule) => ({
    id: rule.name,
    shortDescription: { text: rule.description },
    defaultConfiguration: { level: sarifLevel(rule.severity) },
  }));
  const ruleIndex = new Map(rules.map((rule, index) => [rule.id, index]));
  // A problem from a rule the catalog does not list still needs a descriptor for its ruleIndex.
  for (const diagnostic of diagnostics) {
    if (ruleIndex.has(diagnostic.rule)) continue;
    ruleIndex.set(diagnostic.rule, rules.length);
    rules.push({ id: diagnostic.rule, shortDescription: { text: diagnostic.rule }, defaultConfiguration: { level: sarifLevel(diagnostic.severity) } });
  }
  const occurrences = new Map<string, number>();
  const results = diagnostics.map((diagnostic): SarifResult => {
    const fingerprint = problemFingerprint(diagnostic);
    // Identical problems in one file are separate alerts: number them in line order.
    const occurrence = (occurrences.get(fingerprint) ?? 0) + 1;
    occurrences.set(fingerprint, occurrence);
    return {
      ruleId: diagnostic.rule,
      ruleIndex: ruleIndex.get(diagnostic.rule)!,
      level: sarifLevel(diagnostic.severity),
      message: { text: diagnostic.message },
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri: relativeUri(diagnostic.file), uriBaseId: SARIF_ROOT_BASE_ID },
            region: { startLine: diagnostic.line, startColumn: diagnostic.column, endLine: diagnostic.endLine, endColumn: diagnostic.endColumn },
          },
        },
      ],
      partialFingerprints: { [SARIF_FINGERPRINT_KEY]: `${fingerprint}:${occurrence}` },
      ...(options.baselineUsed ? { baselineState: 'new' as const } : {}),
    };
  });
  return {
    $schema: SARIF_SCHEMA_URI,
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'Throughline', version: options.toolVersion, rules } },
        originalUriBaseIds: { [SARIF_ROOT_BASE_ID]: { uri: options.rootUri, description: { text: 'The folder Throughline checked.' } } },
        // Columns come from LSP positions, which count UTF-16 code units.
        columnKind: 'utf16CodeUnits',
        results,
      },
    ],
  };
}

// ---- JUnit XML -----------------------------------------------------------------------------------

/** A file that was checked and the rules that ran on it (rules turned off in the configuration did not). */
export interface CheckedFile {
  readonly file: string;
  readonly rules: readonly string[];
}

/**
 * JUnit XML as Jenkins, GitLab and the GitHub test-report actions read it: one `<testsuite>` per
 * checked file and one `<testcase classname="file" name="rule">` per rule that ran on it, so the
 * counts are the checks that ran and a clean file shows as passing tests rather than nothing.
 * A test case fails when the rule found errors or warnings there; its single `<failure>` lists
 * every such problem with its line (several `<failure>` elements in one case are valid, but most
 * readers show only the first). Info and hint problems do not fail a case: they are listed in its
 * `<system-out>`. A (file, rule) pair with problems is always reported, even when `checkedFiles`
 * does not name it.
 */
export function renderJunit(diagnostics: readonly CliDiagnostic[], checkedFiles: readonly CheckedFile[], catalog: readonly RuleInfo[]): string {
  return [...junitLines(diagnostics, checkedFiles, catalog)].join('\n');
}

/** At most this many line numbers in a failure's `message` attribute; the failure text lists the problems. */
const MAX_LINES_IN_FAILURE_SUMMARY = 20;

/**
 * The lines of `renderJunit`, one test suite at a time, so that the report of a large workspace is
 * written as it is made. Only the problems in `printed` (default: all) are listed; a case whose
 * other problems were left out by the output caps says how many, and still fails or passes on all
 * of them. Linear in the number of problems.
 */
export function* junitLines(
  diagnostics: readonly CliDiagnostic[],
  checkedFiles: readonly CheckedFile[],
  catalog: readonly RuleInfo[],
  printed?: ReadonlySet<CliDiagnostic>,
): Generator<string> {
  const rulesByFile = new Map<string, Set<string>>();
  const problems = new Map<string, Map<string, CliDiagnostic[]>>();
  for (const checked of checkedFiles) {
    const rules = rulesByFile.get(checked.file) ?? new Set<string>();
    for (const rule of checked.rules) rules.add(rule);
    rulesByFile.set(checked.file, rules);
  }
  for (const diagnostic of diagnostics) {
    if (!rulesByFile.has(diagnostic.file)) rulesByFile.set(diagnostic.file, new Set());
    rulesByFile.get(diagnostic.file)!.add(diagnostic.rule);
    let byRule = problems.get(diagnostic.file);
    if (!byRule) problems.set(diagnostic.file, (byRule = new Map()));
    const list = byRule.get(diagnostic.rule);
    if (list) list.push(diagnostic);
    else byRule.set(diagnostic.rule, [diagnostic]);
  }
  const catalogOrder = new Map(catalog.map((rule, index) => [rule.name, index]));
  const byCatalogOrder = (a: string, b: string) =>
    (catalogOrder.get(a) ?? catalog.length) - (catalogOrder.get(b) ?? catalog.length) || (a < b ? -1 : a > b ? 1 : 0);
  const shown = (list: readonly CliDiagnostic[]) => {
    const lines = (printed ? list.filter((problem) => printed.has(problem)) : list).map(problemLine);
    if (lines.length < list.length) lines.push(`… and ${list.length - lines.length} more not shown (output capped)`);
    return lines.join('\n');
  };

  const isFailing = (problem: CliDiagnostic) => problem.severity === 'error' || problem.severity === 'warning';
  const files = [...rulesByFile.keys()].sort();
  // The header carries the totals: count them first (cheap), then write suite by suite.
  let totalTests = 0;
  let totalFailures = 0;
  for (const file of files) {
    const byRule = problems.get(file);
    totalTests += rulesByFile.get(file)!.size;
    if (byRule) for (const list of byRule.values()) if (list.some(isFailing)) totalFailures++;
  }
  yield '<?xml version="1.0" encoding="UTF-8"?>';
  yield `<testsuites name="Throughline" tests="${totalTests}" failures="${totalFailures}" errors="0" time="0">`;
  for (const file of files) {
    const cases: string[] = [];
    let failures = 0;
    const rules = rulesByFile.get(file)!;
    for (const rule of [...rules].sort(byCatalogOrder)) {
      const found = problems.get(file)?.get(rule) ?? [];
      const attributes = `classname="${xmlAttribute(file)}" name="${xmlAttribute(rule)}" file="${xmlAttribute(file)}" time="0"`;
      if (found.length === 0) {
        cases.push(`    <testcase ${attributes}/>`);
        continue;
      }
      const failing = found.filter(isFailing);
      const informational = found.filter((problem) => !isFailing(problem));
      const body: string[] = [];
      if (failing.length) {
        failures++;
        const type = failing.some((problem) => problem.severity === 'error') ? 'error' : 'warning';
        body.push(`      <failure type="${type}" message="${xmlAttribute(failureSummary(failing))}">${xmlText(shown(failing))}</failure>`);
      }
      if (informational.length) body.push(`      <system-out>${xmlText(shown(informational))}</system-out>`);
      cases.push(`    <testcase ${attributes}>`, ...body, '    </testcase>');
    }
    yield `  <testsuite name="${xmlAttribute(file)}" tests="${rules.size}" failures="${failures}" errors="0" skipped="0" time="0">`;
    yield* cases;
    yield '  </testsuite>';
  }
  yield '</testsuites>';
}

function problemLine(problem: CliDiagnostic): string {
  return `${problem.file}:${problem.line}:${problem.column}  ${problem.severity}  ${problem.message}`;
}

function failureSummary(problems: readonly CliDiagnostic[]): string {
  if (problems.length === 1) return `line ${problems[0]!.line}: ${problems[0]!.message}`;
  const lines = problems.slice(0, MAX_LINES_IN_FAILURE_SUMMARY).map((problem) => problem.line);
  return `${problems.length} problems, lines ${lines.join(', ')}${problems.length > lines.length ? ', …' : ''}`;
}

/** Characters XML 1.0 cannot contain at all, even escaped; user text could carry them. */
const NOT_XML_CHARACTER = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

export function xmlText(text: string): string {
  return text.replace(NOT_XML_CHARACTER, '\uFFFD').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\r/g, '&#13;');
}

/** For double-quoted attributes; line breaks and tabs as references so parsers do not normalise them to spaces. */
export function xmlAttribute(text: string): string {
  return xmlText(text).replace(/"/g, '&quot;').replace(/\n/g, '&#10;').replace(/\t/g, '&#9;');
}

// ---- GitHub Actions workflow commands ------------------------------------------------------------

/**
 * Escapes a workflow command's message, as the Actions runner unescapes it; control characters
 * other than CR and LF are escaped as the text format prints them (`\x1B`), so no byte of
 * repository text can drive the terminal that shows the log.
 */
export function escapeGithubData(text: string): string {
  return escapeControlsInCommand(text).replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Escapes a workflow command property value (a file name), where `:` and `,` are delimiters too. */
export function escapeGithubProperty(text: string): string {
  return escapeGithubData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

function githubCommand(severity: string): 'error' | 'warning' | 'notice' {
  return severity === 'error' ? 'error' : severity === 'warning' ? 'warning' : 'notice';
}

/**
 * One `::error|warning|notice file=…,line=…,col=…,endLine=…,endColumn=…,title=…::message` line per
 * problem. `annotationPath` maps a folder-relative file to the path GitHub expects: relative to
 * the repository root, which is not the checked folder when a subfolder is checked.
 */
export function renderGithubAnnotations(diagnostics: readonly CliDiagnostic[], annotationPath: (file: string) => string = (file) => file): string[] {
  return diagnostics.map((diagnostic) => {
    // Columns cannot be sent for an annotation that spans several lines.
    const singleLine = diagnostic.line === diagnostic.endLine;
    const properties: [string, string | number][] = [
      ['file', annotationPath(diagnostic.file)],
      ['line', diagnostic.line],
      ...(singleLine ? [['col', diagnostic.column] as [string, number]] : []),
      ['endLine', diagnostic.endLine],
      ...(singleLine ? [['endColumn', diagnostic.endColumn] as [string, number]] : []),
      ['title', `Throughline: ${diagnostic.rule}`],
    ];
    const list = properties.map(([name, value]) => `${name}=${escapeGithubProperty(String(value))}`).join(',');
    return `::${githubCommand(diagnostic.severity)} ${list}::${escapeGithubData(diagnostic.message)}`;
  });
}
