/**
 * Shared types of the benchmark harness (`npm run bench`).
 *
 * Contract for `bench/throughline.ts` (written separately):
 *
 * ```ts
 * import type { GeneratedWorkspace, ThroughlineFigures } from './types.ts';
 * export async function measureThroughline(workspace: GeneratedWorkspace): Promise<ThroughlineFigures>;
 * ```
 *
 * It is called by `bench/throughline-child.ts` in a fresh process
 * (`node --expose-gc --import tsx bench/throughline-child.ts <dir>`), once per
 * workspace size, after the peer has run in the parent process. The workspace
 * files are already on disk (and in the OS page cache, exactly as for the peer).
 */

/** Position of something in a generated file. Lines and characters are 0-based (LSP style, UTF-16). */
export interface FilePosition {
  /** Absolute path. */
  readonly file: string;
  readonly line: number;
  readonly character: number;
}

/** Facts about a generated synthetic workspace (see `bench/generate.ts`). */
export interface GeneratedWorkspace {
  /** Absolute path of the workspace root folder. */
  readonly dir: string;
  readonly seed: number;
  /** Number of PRD documents. */
  readonly prds: number;
  /** Every Markdown file of the workspace, absolute paths, sorted (vision, strategy/*, prds/*). */
  readonly files: readonly string[];
  /** Sum of the byte sizes of `files`. */
  readonly totalBytes: number;
  readonly visionFile: string;
  readonly strategyFiles: readonly string[];
  readonly objectives: number;
  readonly keyResults: number;
  readonly outcomes: number;
  /** Requirement headings (`### REQ-…`), always 10 per PRD. */
  readonly requirements: number;
  /** Requirements without any `Traces:` line (deliberate problems). */
  readonly untracedRequirements: number;
  /** Outcome IDs in `Traces:` lines that name no existing outcome (deliberate problems, e.g. OUT-99001). */
  readonly danglingTraces: number;
  /** Total outcome IDs written in `Traces:` lines (including the dangling ones). */
  readonly traceReferences: number;
  /** ATX headings outside code blocks in all files: what a heading-based peer must report as workspace symbols. */
  readonly headings: number;
  /** The outcome the rename benchmark renames, e.g. `OUT-1`. */
  readonly popularOutcomeId: string;
  /** Requirements whose `Traces:` line names `popularOutcomeId`: the generator's `popularReferences` (default prds / 10). */
  readonly popularOutcomeReferences: number;
  /** PRDs whose front matter `outcomes: [...]` lists `popularOutcomeId`. */
  readonly popularOutcomeFrontMatterReferences: number;
  /** Mentions of `popularOutcomeId` in PRD prose (not in Traces lines, not in front matter). */
  readonly popularOutcomeProseMentions: number;
  /** Where `### OUT-1: …` is defined; `character` points at the `O` of the ID. */
  readonly popularOutcomeDefinition: FilePosition;
  /** One PRD (absolute path) for the edit / completion benchmarks; it traces `popularOutcomeId`. */
  readonly editablePrd: string;
  /** 0-based line of a `Traces:` line in `editablePrd`. */
  readonly editablePrdTracesLine: number;
  /** 0-based line of a plain prose line (in `## Context`) in `editablePrd`. */
  readonly editablePrdProseLine: number;
  /** Milliseconds spent generating; 0 when the cached copy was reused. */
  readonly generationMs: number;
  /** True when the workspace came from the cache (stamp matched). */
  readonly cached: boolean;
}

/** What `measureThroughline` returns. All times in milliseconds, memory in MB (1 MB = 1,048,576 bytes). */
export interface ThroughlineFigures {
  /** Cold: from nothing loaded to the index built over all files and diagnostics computed for all of them (file reads included). */
  readonly coldIndexAndDiagnosticsMs: number;
  /** Documents indexed (should equal `workspace.files.length`). */
  readonly documents: number;
  /** Items indexed (vision + objectives + key results + outcomes + requirements + PRDs + strategies …, the lead's definition). */
  readonly items: number;
  /** Diagnostics over the whole workspace after the cold run. */
  readonly diagnostics: number;
  /** One-line edit of `editablePrd` to updated diagnostics: p50 / p95 over the edit series. */
  readonly editP50Ms: number;
  readonly editP95Ms: number;
  /** Rename of `popularOutcomeId` (WorkspaceEdit computed). */
  readonly renameMs: number;
  /** Text edits in that WorkspaceEdit (≥ popularOutcomeReferences + 1). */
  readonly renameEdits: number;
  /** Completion of outcome IDs in a `Traces:` line: p50 / p95. */
  readonly completionP50Ms: number;
  readonly completionP95Ms: number;
  /** process.memoryUsage().rss after the cold index (after global.gc()), in MB. */
  readonly rssMb: number;
  /** process.memoryUsage().heapUsed after the cold index (after global.gc()), in MB. */
  readonly heapUsedMb: number;
}

/** What `bench/throughline-child.ts` prints (one JSON line on stdout, last line). */
export interface ThroughlineChildOutput {
  readonly figures: ThroughlineFigures;
  /** Peak RSS of the child process (process.resourceUsage().maxRSS), MB. */
  readonly maxRssMb: number;
  /** RSS of the child before Throughline's modules were loaded (node + tsx loader ≈ 85 MB), MB. */
  readonly baselineRssMb: number;
  /** Wall time of the whole child measurement (module loading included), ms. */
  readonly wallMs: number;
}

/** Peer (vscode-markdown-languageservice + markdown-it) figures, see `bench/peer.ts`. */
export interface PeerFigures {
  /**
   * New service → getWorkspaceSymbols('') over every file, file listing and reads included.
   * Median of the cold runs (each a new service; only the first is JIT-cold).
   */
  readonly coldWorkspaceSymbolsMs: number;
  readonly coldWorkspaceSymbolsSamplesMs: readonly number[];
  /** Median process CPU time (user + system, all threads) of the cold runs: less sensitive to a busy machine than wall time. */
  readonly coldWorkspaceSymbolsCpuMs: number;
  readonly documents: number;
  readonly symbols: number;
  /** One-line edit of a document → getDocumentSymbols of the new version: p50 / p95. */
  readonly editDocumentSymbolsP50Ms: number;
  readonly editDocumentSymbolsP95Ms: number;
  readonly editSamples: number;
  /** Whether the peer's markdown-it had linkify on (VS Code's default) — off makes the peer faster. */
  readonly linkify: boolean;
  /** getReferences on the heading of the popular outcome: first call (builds the workspace link cache) and warm p50. */
  readonly headerReferencesFirstMs?: number;
  readonly headerReferencesWarmP50Ms?: number;
  readonly headerReferences?: number;
  /** getRenameEdit on the heading of the popular outcome (warm). */
  readonly headerRenameWarmP50Ms?: number;
  readonly headerRenameEdits?: number;
  /** getCompletionItems for `[x](##` (workspace header completions, warm): p50 / p95 and item count. */
  readonly completionP50Ms?: number;
  readonly completionP95Ms?: number;
  readonly completionItems?: number;
  /** Memory of the parent process with the peer's service alive, after gc, MB. Informational only (shared process). */
  readonly rssMb: number;
  readonly heapUsedMb: number;
  /** heapUsed with the service alive minus heapUsed before it was created (both after gc), MB. */
  readonly heapRetainedMb: number;
}
