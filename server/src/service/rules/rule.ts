/**
 * `defineRule` is the one place a rule is written: its name, default severity, description, the
 * thresholds it reads, the quick fixes it offers and its check. Everything else (the rule catalog,
 * the `rules` and `thresholds` config schemas and defaults, the `package.json` settings and the
 * rules table in docs/format.md) is derived from the rule list in `rules/index.ts`.
 */
import type { z } from 'zod';
import { CodeActionKind, type CodeAction, type Diagnostic } from 'vscode-languageserver-types';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { ThroughlineConfig } from '../model/config';
import {
  retiredStatus,
  type DocumentIndex,
  type Item,
  type LineSpan,
  type ParseProblem,
  type Reference,
  type RelatedLocation,
  type Severity,
} from '../model/model';
import type { ServiceState } from '../workspace/state';
import type { GraphQueries } from '../workspace/workspaceGraph';
import type { HistoryQueries } from '../history/strategyHistory';
import type { Threshold, ThresholdFields } from '../model/threshold';

/** Where each rule is documented: `${RULE_DOCS_URL}#rule-<name>` (the anchors are generated in docs/format.md). */
const RULE_DOCS_URL = 'https://github.com/throughline/throughline/blob/main/docs/format.md';

export function ruleDocsHref(name: string): string {
  return `${RULE_DOCS_URL}#rule-${name}`;
}

export { compoundThreshold, count, entriesMessage, LIST_LIMITS, threshold, type Threshold, type ThresholdFields } from '../model/threshold';

// ---- findings and context ----------------------------------------------------------------------

export interface Finding<Data = never> {
  readonly span: LineSpan;
  readonly message: string;
  /** Overrides the rule's default severity (before the user's configuration is applied). */
  readonly severity?: Severity;
  readonly related?: readonly RelatedLocation[];
  /** Related locations the rule did not collect (it stops at what a diagnostic can show); the message counts them. */
  readonly unlistedRelated?: number;
  /** What the rule's `fix` needs to offer quick fixes without recomputing the rule; no data, no fix. */
  readonly data?: Data;
}

/**
 * What a rule may read. Other documents are reached only through `graph` (so that what a rule read
 * can be recorded); a rule keeps no state between checks beyond caches keyed by the configuration.
 */
export interface RuleContext<Data = never> {
  readonly document: DocumentIndex;
  readonly graph: GraphQueries;
  readonly config: ThroughlineConfig;
  /** The date rules such as `stale-document` measure against. */
  readonly today: Date;
  /** The strategy's git history, working edits included (history/strategyHistory.ts); it answers "unknown" without one. */
  readonly history: HistoryQueries;
  /** The problems found while parsing the file (reported by `front-matter`, `encoding` and `config`). */
  readonly problems: readonly ParseProblem[];
  /** This document's link references grouped by the item that holds them. */
  linksFrom(itemId: string): readonly Reference[];
  report(finding: Finding<Data>): void;
}

/** What a quick fix gets: the service, the document and one of the rule's diagnostics with its data. */
interface FixContext<Data> {
  readonly state: ServiceState;
  readonly document: TextDocument;
  readonly index: DocumentIndex;
  readonly diagnostic: Diagnostic;
  /** The data the rule reported; it has been to the editor and back, so a fix checks what it finds. */
  readonly data: Data;
}

/**
 * A rule's quick fixes. `data` is the shape of what the rule reports in `Finding.data`; the
 * diagnostic carries it to the editor and back, and `actions` only runs on data that still has it.
 */
export interface Fix<Data> {
  readonly data: z.ZodType<Data>;
  readonly actions: (context: FixContext<Data>) => CodeAction[];
}

interface RuleSpec<Name extends string, Thresholds extends readonly Threshold[], Data> {
  /** The code of its diagnostics and its key under `rules:`. */
  readonly name: Name;
  /** Default severity; a finding may override it (`unknown-reference` lowers itself in prose), the configuration wins over both. */
  readonly severity: Severity;
  /**
   * One sentence for the settings, `throughline rules`, SARIF and the docs. Never repeat a
   * threshold's default in prose: take it from the defaults given here.
   */
  readonly description: string | ((defaults: ThresholdFields<Thresholds>) => string);
  /** More for the rules table in docs/format.md only, e.g. what the quick fixes do. */
  readonly details?: string;
  /** The thresholds the rule reads from `context.config.thresholds`. */
  readonly thresholds?: Thresholds;
  /** Quick fixes for the diagnostics that carry data. */
  readonly fix?: Fix<Data>;
  /** Checks one document against the workspace, calling `context.report`. */
  readonly check: (context: RuleContext<Data>) => void;
}

export interface Rule<Name extends string = string, Thresholds extends readonly Threshold[] = readonly Threshold[], Data = unknown> {
  readonly name: Name;
  readonly severity: Severity;
  /** With the threshold defaults filled in. */
  readonly description: string;
  readonly details?: string;
  readonly thresholds: Thresholds;
  readonly fix?: Fix<Data>;
  readonly check: (context: RuleContext<Data>) => void;
}

/** Writes a rule; register it in the list in `rules/index.ts`. */
export function defineRule<const Name extends string, const Thresholds extends readonly Threshold[] = readonly [], Data = never>(
  spec: RuleSpec<Name, Thresholds, Data>,
): Rule<Name, Thresholds, Data> {
  const thresholds = (spec.thresholds ?? []) as unknown as Thresholds;
  const defaults = Object.assign({}, ...thresholds.map((declared) => declared.defaults)) as ThresholdFields<Thresholds>;
  return {
    name: spec.name,
    severity: spec.severity,
    description: typeof spec.description === 'function' ? spec.description(defaults) : spec.description,
    ...(spec.details !== undefined ? { details: spec.details } : {}),
    thresholds,
    ...(spec.fix ? { fix: spec.fix } : {}),
    check: spec.check,
  };
}

/** A rule that reports the problems parsing found under its name (`front-matter`, `encoding`, `config`). */
export function problemRule<const Name extends string>(spec: {
  name: Name;
  severity: Severity;
  description: string;
  details?: string;
}): Rule<Name, readonly [], never> {
  return defineRule({
    ...spec,
    check(context) {
      for (const problem of context.problems) {
        if (problem.rule === spec.name) context.report({ span: problem.span, message: problem.message, severity: problem.severity });
      }
    },
  });
}

export function itemsOfKind(document: DocumentIndex, kind: Item['kind']): Item[] {
  return document.items.filter((item) => item.kind === kind && !item.isDocument);
}

/** A document's items of a kind that count: not retired (`Status: deprecated`, `cancelled` …; see `retiredStatus`). */
export function liveItemsOfKind(document: DocumentIndex, kind: Item['kind']): Item[] {
  return document.items.filter((item) => item.kind === kind && !item.isDocument && retiredStatus(item) === undefined);
}

/** A document's key results that count (see `liveItemsOfKind`). */
export function liveKeyResults(document: DocumentIndex): Item[] {
  return liveItemsOfKind(document, 'keyResult');
}

/** A quick fix that writes `newText` over the diagnostic's range: what most rules' fixes are. */
export function replaceRangeAction(document: TextDocument, diagnostic: Diagnostic, title: string, newText: string, isPreferred = true): CodeAction {
  return {
    title,
    kind: CodeActionKind.QuickFix,
    diagnostics: [diagnostic],
    isPreferred,
    edit: { changes: { [document.uri]: [{ range: diagnostic.range, newText }] } },
  };
}
