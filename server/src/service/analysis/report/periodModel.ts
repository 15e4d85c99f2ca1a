/**
 * "What changed this period": the difference between the workspace at a git ref and now, as
 * `throughline diff REF` and `throughline report --since REF|DATE` show it. Hosts compute it (it
 * needs git); the renderers only show it. Authors are names as the repository records them.
 */
import type { Severity } from '../../model/model';

/** The commit that made a change, on HEAD's first-parent line; `uncommitted` for working-tree edits. */
export type PeriodAuthor =
  | { readonly kind: 'commit'; readonly author: string; readonly sha: string; readonly subject: string; readonly time: number }
  | { readonly kind: 'uncommitted' };

/** Problems gained, and lost, kept at most (the counts say how many there were). */
export const MAX_PERIOD_PROBLEMS = 1000;

export interface PeriodProblem {
  readonly file: string;
  /** 1-based; the line now for a gained problem, at the ref for a lost one. */
  readonly line: number;
  readonly severity: Severity | string;
  readonly rule: string;
  readonly message: string;
}

export interface PeriodKeyResultValue {
  readonly current: string | null;
  /** 0–1, null when it cannot be measured. */
  readonly progress: number | null;
}

export interface PeriodProgress {
  readonly id: string;
  readonly title: string;
  readonly file: string;
  readonly before: PeriodKeyResultValue | null;
  readonly after: PeriodKeyResultValue | null;
  /** Who last checked in a value in the period; undefined when the history does not say. */
  readonly who?: PeriodAuthor;
}

export interface PeriodTarget {
  readonly id: string;
  readonly title: string;
  readonly file: string;
  readonly changes: readonly { readonly figure: 'Baseline' | 'Target' | 'Due'; readonly before: string | null; readonly after: string | null }[];
  readonly who?: PeriodAuthor;
}

/** PRDs per `innovation` value (`core`, `adjacent`, `transformational`, …). */
export interface PeriodMixEntry {
  readonly value: string;
  readonly prds: number;
}

export interface PeriodChanges {
  /** The ref as given (`origin/main`, `2026-10-01`), and the commit it named. */
  readonly ref: string;
  readonly commit: string;
  /** When the ref was a date: the date. */
  readonly since?: string;
  /** The first MAX_PERIOD_PROBLEMS of each list; the counts are of all of them. */
  readonly problems: {
    readonly gained: readonly PeriodProblem[];
    readonly lost: readonly PeriodProblem[];
    readonly gainedCount: number;
    readonly lostCount: number;
  };
  readonly progress: readonly PeriodProgress[];
  readonly targets: readonly PeriodTarget[];
  readonly innovation: { readonly before: readonly PeriodMixEntry[]; readonly after: readonly PeriodMixEntry[] };
  /** Whether the git history was read (who made each change); false: every `who` is unknown. */
  readonly historyRead: boolean;
}
