/**
 * Custom requests between the Throughline client (or the CLI) and the server, defined once and
 * shared by both sides, as vscode-eslint does. Each one carries a `type` (a jsonrpc `RequestType`
 * or `NotificationType`): the server registers its handler with `connection.onRequest(X.type, …)`
 * and the client sends with `client.sendRequest(X.type, params)`, so params and results are
 * checked on both ends without a cast.
 */
// The environment-neutral message classes of vscode-jsonrpc (no `net`, no streams): the same module
// that vscode-languageclient and vscode-languageserver load, so neither bundle gains a copy, and
// the pure service, which imports this file for its types and command names, stays free of Node.
import { NotificationType, RequestType } from 'vscode-jsonrpc/lib/common/messages';
import type { Range } from 'vscode-languageserver-types';
// Type only: the settings type is derived from the schema of `.throughline.yml`, and no zod reaches the client.
import type { ConfigInput } from '../server/src/service/model/config';

export type AlignmentNodeKind = 'vision' | 'strategy' | 'objective' | 'keyResult' | 'outcome' | 'prd' | 'requirement' | 'group';

interface AlignmentCounts {
  /** Outcomes below this node (objectives, key results). */
  outcomes?: number;
  /** Requirements below this node. */
  requirements?: number;
  keyResults?: number;
  objectives?: number;
}

export interface AlignmentNode {
  /** Unique among siblings; stable across refreshes so the tree keeps its expansion state. */
  key: string;
  id?: string;
  kind: AlignmentNodeKind;
  title: string;
  uri?: string;
  range?: Range;
  status?: string;
  owner?: string;
  /** The PRD a requirement belongs to. */
  documentId?: string;
  counts: AlignmentCounts;
  /** Errors and warnings reported on the item itself. */
  problems: { errors: number; warnings: number };
  /** Markdown describing the item, as in hover. */
  tooltip?: string;
  /** Progress toward the target, 0–1, for key results and objectives that can be measured. */
  progress?: number;
  /** A key result's `Confidence:` as read (`high`, `7/10`), shown with its progress. */
  confidence?: string;
  /** How many children the node has; `children` may hold fewer when the request limited the depth. */
  childCount: number;
  children: AlignmentNode[];
}

export interface AlignmentTree {
  roots: AlignmentNode[];
}

/** The coverage counts: what the status bar shows. */
export interface CoverageCounts {
  requirements: number;
  tracedRequirements: number;
  outcomes: number;
  deliveredOutcomes: number;
  objectives: number;
  objectivesWithOutcomes: number;
}

export interface CoverageFigures extends CoverageCounts {
  /** Progress of every objective: strategies in ID order, their objectives in document order. */
  progress: ObjectiveProgress[];
}

/** A key result's measured progress: (current − baseline) / (target − baseline), clamped to 0–1. */
export interface KeyResultProgress {
  id: string;
  title: string;
  uri: string;
  range: Range;
  baseline?: string;
  target?: string;
  current?: string;
  /** Absent when the key result cannot be measured (no numeric baseline, target or current). */
  progress?: number;
  weight: number;
  /** `Confidence:` as read: `high`, `medium`, `low` or `7/10`; absent when not written or not readable. */
  confidence?: string;
  /** The status that takes the key result out of its objective's progress (`deprecated`, `cancelled` …); absent when it counts. */
  retired?: string;
}

/** An objective's progress: the weighted mean of its measurable key results. */
export interface ObjectiveProgress {
  id: string;
  title: string;
  uri: string;
  range: Range;
  /** The strategy document the objective belongs to. */
  strategyId?: string;
  /** Absent when none of its key results can be measured. */
  progress?: number;
  keyResults: KeyResultProgress[];
}

export type PortfolioDimensionName = 'innovation' | 'track' | 'horizon' | 'owner' | 'team';

/** PRDs (and their requirements) that share one value of a dimension; `value` is `unset` when the front-matter has none. */
export interface PortfolioBucket {
  value: string;
  prds: number;
  requirements: number;
}

export interface PortfolioDimension {
  name: PortfolioDimensionName;
  /** Buckets in a stable order: the enum order for innovation, track and horizon, then by PRD count. */
  buckets: PortfolioBucket[];
}

/**
 * A strategy's `innovation_mix` and the mix it gets: the shares (percent) among the PRDs that
 * deliver its outcomes and declare `innovation`, as `innovation-mix-drift` compares them.
 */
export interface InnovationTarget {
  strategyId: string;
  mix: Record<string, number>;
  actual: Record<string, number>;
  /** PRDs delivering the strategy that declare `innovation` (the shares' whole) and that do not. */
  declared: number;
  undeclared: number;
  /** Percentage points a share may differ from the mix before `innovation-mix-drift` reports it. */
  tolerance: number;
}

/** How the PRDs of the workspace are spread across innovation, track, horizon, owner and team. */
export interface Portfolio {
  prds: number;
  requirements: number;
  dimensions: PortfolioDimension[];
  /** The innovation mix strategies ask for (front-matter `innovation_mix`, percentages), by strategy ID. */
  innovationTargets: InnovationTarget[];
}

/**
 * The alignment tree, whole or in slices: with `key`, the children of that node; with `depth`,
 * only that many levels (nodes below carry `childCount` and no `children`). A 10,000-PRD workspace
 * has a tree of 60 MB as JSON, so clients should ask for what they show.
 */
export namespace AlignmentTreeRequest {
  export const method = 'throughline/alignmentTree' as const;
  export type Params = { key?: string; depth?: number };
  export type Result = AlignmentTree;
  export const type = new RequestType<Params, Result, void>(method);
}

/**
 * Coverage, and the progress of every objective unless `progress: false`. The progress list carries
 * each objective with its key results (about 1.2 KB of JSON per objective: 2.3 MB at 2,000
 * objectives), so a client that shows only the counts (the status bar, after every change of the
 * alignment) asks without it; the answer then has no `progress` at all, rather than an empty list.
 */
export namespace CoverageRequest {
  export const method = 'throughline/coverage' as const;
  export type Params = { progress?: boolean };
  export type Result = CoverageCounts & { progress?: ObjectiveProgress[] };
  export const type = new RequestType<Params, Result, void>(method);
}

export namespace PortfolioRequest {
  export const method = 'throughline/portfolio' as const;
  export type Params = Record<string, never>;
  export type Result = Portfolio;
  export const type = new RequestType<Params, Result, void>(method);
}

/**
 * The strategy report as one self-contained HTML document. With `theme: 'vscode'` it is styled with
 * the workbench's CSS variables and carries a Content-Security-Policy for `nonce`, for a webview.
 */
export namespace StrategyReportRequest {
  export const method = 'throughline/report' as const;
  /** `uri`: a document or folder of the workspace folder to report on (the first folder when absent). */
  export type Params = { theme: 'standalone' | 'vscode'; nonce?: string; cspSource?: string; uri?: string };
  export type Result = { html: string };
  export const type = new RequestType<Params, Result, void>(method);
}

/** Sent by the server whenever the alignment (tree or coverage) may have changed; debounced by the client. */
export namespace AlignmentChangedNotification {
  export const method = 'throughline/alignmentChanged' as const;
  export type Params = { version: number };
  export const type = new NotificationType<Params>(method);
}

/**
 * Sent by the server when a folder's git history has been read, or updated after new commits:
 * suspect links and check-ins are current from then on. `milliseconds` is the time the read or
 * update took; `note` says why there is no history (a shallow clone, no commits) or that it is partial.
 */
export namespace HistoryChangedNotification {
  export const method = 'throughline/historyChanged' as const;
  export type Params = {
    folder: string;
    /** Commits folded in by this read or update (0: none, or no history). */
    commits: number;
    /** Whether this was the first read of the folder (else an update after new commits). */
    initial: boolean;
    /** HEAD after the read, when there is a history. */
    head?: string;
    milliseconds: number;
    note?: string;
  };
  export const type = new NotificationType<Params>(method);
}

/** The configuration section of Throughline's settings: `workspace/configuration` asks for it by this name. */
export const SETTINGS_SECTION = 'throughline';

/**
 * The settings under the `throughline` section: the keys of `.throughline.yml` (rules, prefixes,
 * include, exclude, thresholds, maxProblemsPerFile, inlayHints), as the schema in server/src/service/model/config.ts
 * defines them. The server validates whatever a client sends entry by entry (settings.ts) and keeps
 * the valid rest. A client may send keys of its own alongside (VS Code's `trace`); the server
 * ignores them.
 */
export type ThroughlineSettings = ConfigInput;

/**
 * `initializationOptions` the server reads: the settings under `settings` (what the VS Code client
 * sends) or under `throughline`. They apply until the client answers `workspace/configuration` or
 * pushes settings with `workspace/didChangeConfiguration`.
 */
export interface InitializationOptions {
  settings?: ThroughlineSettings;
  throughline?: ThroughlineSettings;
}

/** Hover text of an item by ID, for tree tooltips resolved on demand. */
export namespace DescribeItemRequest {
  export const method = 'throughline/describe' as const;
  export type Params = { id: string };
  export type Result = string | null;
  export const type = new RequestType<Params, Result, void>(method);
}

/** The next free numeric ID for a kind of document (`PRD-13` when `PRD-12` is the highest), for the "New …" commands. */
export namespace NextIdRequest {
  export const method = 'throughline/nextId' as const;
  /** `uri`: where the new document goes, so that the ID is free in its workspace folder (the first folder when absent). */
  export type Params = { kind: 'vision' | 'strategy' | 'prd'; uri?: string };
  /** `null` when the server has no workspace to number from. */
  export type Result = { id: string } | null;
  export const type = new RequestType<Params, Result, void>(method);
}

/**
 * The command a code lens runs to list what delivers an objective, key result or outcome:
 * arguments are the URI and position of the lens and the locations to show (possibly none). The
 * server executes it for any client (`workspace/executeCommand`: a message listing the places, and
 * the place itself when there is one); the VS Code client runs PEEK_REFERENCES_COMMAND instead.
 */
export const SHOW_REFERENCES_COMMAND = 'throughline.showReferences';

/** The VS Code client's own command for a lens: the same arguments, shown in the references peek view. */
export const PEEK_REFERENCES_COMMAND = 'throughline.peekReferences';

/**
 * The command behind the problem links of the report in VS Code: arguments are a file URI and a
 * 1-based line and column. It runs in the extension host, which maps the server's `file:` path
 * correctly in remote windows (code-server, SSH, WSL), where `vscode.open` on that path would not.
 */
export const OPEN_LOCATION_COMMAND = 'throughline.openLocation';
