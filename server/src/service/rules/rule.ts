import type { ThroughlineConfig } from '../config';
import type { DocumentIndex, Item, LineSpan, Reference, RelatedLocation, Severity } from '../model';
import type { RuleName } from '../ruleCatalog';
import type { WorkspaceGraph } from '../workspaceGraph';

/** Data attached to a diagnostic so that code actions can offer fixes without recomputing the rule. */
export type FixData =
  | { readonly fix: 'addTraces'; readonly itemId: string }
  | { readonly fix: 'unknownId'; readonly id: string; readonly context: Reference['context'] }
  | { readonly fix: 'addPrdOutcome'; readonly outcomeId: string }
  | { readonly fix: 'none' };

export interface Finding {
  readonly span: LineSpan;
  readonly message: string;
  /** Overrides the rule's default severity (before the user's configuration is applied). */
  readonly severity?: Severity;
  readonly related?: readonly RelatedLocation[];
  /** Related locations the rule did not collect (it stops at what a diagnostic can show); the message counts them. */
  readonly unlistedRelated?: number;
  readonly data?: FixData;
}

export interface RuleContext {
  readonly document: DocumentIndex;
  readonly graph: WorkspaceGraph;
  readonly config: ThroughlineConfig;
  /** The date rules such as `stale-document` measure against. */
  readonly today: Date;
  /** This document's link references grouped by the item that holds them. */
  linksFrom(itemId: string): readonly Reference[];
  report(finding: Finding): void;
}

/** A trace rule: checks one document against the workspace graph. */
export interface Rule {
  readonly name: RuleName;
  check(context: RuleContext): void;
}

export function itemsOfKind(document: DocumentIndex, kind: Item['kind']): Item[] {
  return document.items.filter((item) => item.kind === kind && !item.isDocument);
}
