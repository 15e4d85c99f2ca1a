/**
 * Sends diagnostics and `throughline/alignmentChanged`: the edited document at once, the other
 * documents a change affected in a short debounced batch, and the alignment notification only when
 * the structure or some problem changed, so typing prose does not refresh the tree and status bar.
 * A client that pulls diagnostics (`textDocument/diagnostic`, handlers/pullDiagnostics.ts) is sent
 * none: the publisher then only wakes its waiting workspace pull and asks it to pull again.
 */
import { DiagnosticRefreshRequest, InlayHintRefreshRequest, SemanticTokensRefreshRequest } from 'vscode-languageserver/node';
import type { ChangeImpact } from '../service';
import { AlignmentChangedNotification } from '../../../common/protocol';
import type { SessionCore } from './sessionCore';

const OTHERS_DEBOUNCE_MS = 60;
/** Documents `publishAll` publishes between turns of the event loop. */
const PUBLISH_ALL_SLICE = 500;
/**
 * How long the other documents a change affected are published before the event loop turns: a
 * request that arrives meanwhile (hover, completion, the next keystroke's) waits for one such slice,
 * not for all. At 10,000 PRDs, a history read, an outcome traced 1,000 times or a renamed strategy
 * file affects thousands, and published in one go they held the server for over a second. Timed
 * rather than counted: a document with many problems costs many times one with none.
 */
const OTHERS_SLICE_MS = 10;
const ALIGNMENT_DEBOUNCE_MS = 150;
/**
 * How much sent and not yet written may wait for the client before publishing many documents
 * (`publishAll`, the other documents a change affected) waits for it to read, counted as
 * diagnostics plus one per notification (a diagnostic is a few hundred bytes of JSON). Without a
 * bound the server ran megabytes ahead of the client: after the first history read at 10,000
 * PRDs, up to 9 MB waited in stdout's buffer, and a response or notification sent meanwhile (a
 * hover, the edited document's diagnostics, a new commit's `historyChanged`) reached the client
 * only after all of it (0.5–0.8 s in the benchmark). Publication resumes below half of it.
 */
const MAX_UNWRITTEN = 1000;

export class DiagnosticsPublisher {
  /** URI → signature of the diagnostics last published there (only URIs with some). */
  private readonly published = new Map<string, string>();
  /**
   * URI → the diagnostics last sent there, as sent (only URIs with some). Mostly the very arrays
   * the service caches, so keeping them costs little; compared only when a document is published again.
   */
  private readonly sent = new Map<string, unknown>();
  private readonly pendingOthers = new PendingDocuments();
  /** How many `hold`s are in force, and what resolves when the last is released. */
  private holds = 0;
  private released = deferred();
  /** Sent diagnostics not yet written to the client (diagnostics + 1 per notification; see MAX_UNWRITTEN), and what resolves when they fall below half of it. */
  private unwritten = 0;
  private drained = deferred();
  private othersTimer: NodeJS.Timeout | undefined;
  /** Whether the other documents are being published (in slices): what is added meanwhile joins them. */
  private publishingOthers = false;
  private alignmentTimer: NodeJS.Timeout | undefined;
  private alignmentVersion = 0;
  /** Resolved (and replaced) whenever some document's diagnostics changed: a held workspace pull waits on it. */
  private changeSignal = deferred();

  constructor(private readonly session: SessionCore) {}

  /**
   * Publishes a document's diagnostics; returns whether they differ (by rule and line) from the last
   * ones sent. With `unlessUnchanged`, diagnostics exactly as last sent are not sent again: after a
   * history read, a rescan or a rename, thousands of documents are checked again and most come out
   * as they were, and sending each again filled the client's pipe ahead of what did change (the
   * edited document itself is always sent: its client waits for the diagnostics of its version).
   * One document that fails is logged and skipped: the caller's loop publishes the rest.
   */
  publish(uri: string, options: { readonly unlessUnchanged?: boolean } = {}): boolean {
    try {
      const diagnostics = this.session.serviceFor(uri).getDiagnostics(uri);
      if (diagnostics.length === 0 && !this.published.has(uri)) return false;
      const signature = diagnosticsSignature(diagnostics);
      const changed = this.published.get(uri) !== signature;
      if (diagnostics.length) this.published.set(uri, signature);
      else this.published.delete(uri);
      if (this.session.client.pullDiagnostics) {
        this.diagnosticsChanged();
        return changed;
      }
      const sent = this.session.positions.toClient(diagnostics, uri);
      if (options.unlessUnchanged && !changed && sameJson(this.sent.get(uri), sent)) return false;
      if (diagnostics.length) this.sent.set(uri, sent);
      else this.sent.delete(uri);
      // The version of the document the diagnostics were computed on, when the client takes it.
      const version = this.session.client.diagnosticsVersion ? this.session.openVersion(uri) : undefined;
      const writing = this.session.connection.sendDiagnostics(version === undefined ? { uri, diagnostics: sent } : { uri, version, diagnostics: sent });
      const weight = diagnostics.length + 1;
      this.unwritten += weight;
      // Settles once written to the client's channel (or refused: the connection is gone).
      const written = () => {
        this.unwritten -= weight;
        if (this.unwritten <= MAX_UNWRITTEN / 2) {
          this.drained.resolve();
          this.drained = deferred();
        }
      };
      writing.then(written, written);
      return changed;
    } catch (error) {
      this.session.logError(`Publishing the diagnostics of ${uri} failed`, error);
      return false;
    }
  }

  /**
   * Publishes every document with diagnostics, the open ones first, and clears those that had some
   * and have none now.
   * Every PUBLISH_ALL_SLICE documents it lets the event loop turn, so that what was published so
   * far is written while the rest is computed: the client reads and parses it meanwhile, on the
   * other core (at 10,000 PRDs, 6,600 notifications and 3.4 MB that took the client 0.4 s once all
   * were computed).
   */
  async publishAll(): Promise<void> {
    const current = new Set(this.session.folders.services().flatMap((service) => [...service.diagnosticUris()]));
    // The documents open in the editor first: the author is looking at them, and at 10,000 PRDs the
    // last of the others goes out half a second after the first.
    const ordered = new Set(this.session.openUris().filter((uri) => current.has(uri)));
    for (const uri of current) ordered.add(uri);
    let sliced = 0;
    for (const uri of ordered) {
      this.publish(uri, { unlessUnchanged: true });
      if (++sliced % PUBLISH_ALL_SLICE === 0) {
        await nextTurn();
        await this.clientCaughtUp();
      }
    }
    for (const uri of [...this.published.keys()]) if (!current.has(uri)) this.publish(uri);
  }

  /**
   * Publishes what a change affected: `immediate` (the edited document) now, the others after a
   * short debounce (typing affects the same documents keystroke after keystroke), or on the next
   * turn with `debounce: false` (a change that comes alone, such as a new commit).
   */
  handleImpact(impact: ChangeImpact, options: { readonly immediate?: string; readonly debounce?: boolean } = {}): void {
    const { immediate, debounce = true } = options;
    if (impact.structureChanged) this.scheduleAlignmentChanged();
    if (immediate && this.publish(immediate)) this.scheduleAlignmentChanged();
    this.pendingOthers.add(impact.affectedUris, immediate);
    if (this.pendingOthers.size === 0 || this.publishingOthers) return;
    if (!debounce) {
      if (this.othersTimer) clearTimeout(this.othersTimer);
      this.othersTimer = undefined;
      this.publishingOthers = true;
      setImmediate(() => void this.publishOthers());
      return;
    }
    this.othersTimer ??= setTimeout(() => {
      this.othersTimer = undefined;
      void this.publishOthers();
    }, OTHERS_DEBOUNCE_MS);
  }

  /**
   * Publishes the pending other documents, letting the event loop turn every OTHERS_SLICE_MS. Each
   * is taken out as it is published, so a document a later change affects again is published once,
   * as it is by then; documents a change made meanwhile affected are published in this run, ahead
   * of the rest (`PendingDocuments`).
   */
  private async publishOthers(): Promise<void> {
    this.publishingOthers = true;
    let changed = false;
    try {
      let sliceStart = performance.now();
      for (let uri = this.pendingOthers.take(); uri !== undefined; uri = this.pendingOthers.take()) {
        changed = this.publish(uri, { unlessUnchanged: true }) || changed;
        if (performance.now() - sliceStart >= OTHERS_SLICE_MS || this.unwritten > MAX_UNWRITTEN) {
          await nextTurn();
          while (this.holds > 0) await this.released.promise;
          await this.clientCaughtUp();
          sliceStart = performance.now();
        }
      }
    } finally {
      this.publishingOthers = false;
    }
    if (changed) this.scheduleAlignmentChanged();
  }

  /** Settles once what was sent and not yet written is within MAX_UNWRITTEN (see there). */
  private async clientCaughtUp(): Promise<void> {
    while (this.unwritten > MAX_UNWRITTEN) await this.drained.promise;
  }

  /**
   * Holds the publication of other documents (between slices) until the returned function is
   * called: for work that waits on git or the disk between short steps, such as folding a new
   * commit in, which otherwise waited a slice of the backlog at each step (a commit made while a
   * history read's thousands of documents were published took 120–215 ms to fold in, not 55–70).
   */
  hold(): () => void {
    this.holds++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      if (--this.holds > 0) return;
      this.released.resolve();
      this.released = deferred();
    };
  }

  /** Settles the next time some document's diagnostics may have changed. */
  nextChange(): Promise<void> {
    return this.changeSignal.promise;
  }

  /** Wakes a held workspace pull; a client that can be asked to pull again is asked, once per burst. */
  private diagnosticsChanged(): void {
    this.changeSignal.resolve();
    this.changeSignal = deferred();
    if (this.session.client.diagnosticRefresh && !this.refreshTimer) {
      this.refreshTimer = setTimeout(() => {
        this.refreshTimer = undefined;
        this.session.connection
          .sendRequest(DiagnosticRefreshRequest.type)
          .catch((error: unknown) => this.session.logError('A diagnostic refresh request failed', error));
      }, OTHERS_DEBOUNCE_MS);
    }
  }

  private refreshTimer: NodeJS.Timeout | undefined;

  /**
   * Tells the client at once that the alignment changed (after indexing): its views refresh, and so
   * do inlay hints and semantic tokens in open editors, since a title or an ID's kind may have
   * changed in another file.
   */
  /** Resolves once the notification is written (after every message sent before it). */
  alignmentChanged(): Promise<void> {
    const written = this.session.connection.sendNotification(AlignmentChangedNotification.type, { version: ++this.alignmentVersion });
    const { connection, client } = this.session;
    const failed = (error: unknown) => this.session.logError('A refresh request failed', error);
    if (client.inlayHintRefresh) connection.sendRequest(InlayHintRefreshRequest.type).catch(failed);
    if (client.semanticTokensRefresh) connection.sendRequest(SemanticTokensRefreshRequest.type).catch(failed);
    return written;
  }

  private scheduleAlignmentChanged(): void {
    this.alignmentTimer ??= setTimeout(() => {
      this.alignmentTimer = undefined;
      this.alignmentChanged().catch(() => undefined);
    }, ALIGNMENT_DEBOUNCE_MS);
  }
}

/**
 * What changes when the published diagnostics change by rule or line: a 32-bit FNV-1a hash and the
 * count, so the server keeps a few bytes per document, not a string as long as its diagnostics.
 * A collision only skips one `alignmentChanged` refresh.
 */
function diagnosticsSignature(diagnostics: readonly { code?: number | string; range: { start: { line: number } } }[]): string {
  let hash = 0x811c9dc5;
  const mix = (value: number) => {
    hash ^= value;
    hash = Math.imul(hash, 0x01000193);
  };
  for (const diagnostic of diagnostics) {
    const code = String(diagnostic.code);
    for (let index = 0; index < code.length; index++) mix(code.charCodeAt(index));
    mix(0x40);
    mix(diagnostic.range.start.line);
  }
  return `${diagnostics.length}:${(hash >>> 0).toString(16)}`;
}

/**
 * The other documents changes affected and not yet published, the newest change's first. After a
 * history read thousands are pending; the suspect link a commit made a moment later waited behind
 * all of them (1.5 s at 10,000 PRDs), and so did a keystroke's own cross-file problems behind an
 * earlier rename's. A document is published once however many changes name it.
 */
class PendingDocuments {
  private readonly pending = new Set<string>();
  /** Each change's documents, oldest change first; `next` is how far that list was taken. */
  private readonly changes: { readonly uris: string[]; next: number }[] = [];

  get size(): number {
    return this.pending.size;
  }

  /** A change's documents (`except` the one published at once), ahead of every earlier change's. */
  add(uris: Iterable<string>, except?: string): void {
    const list: string[] = [];
    for (const uri of uris) {
      if (uri === except) continue;
      list.push(uri);
      this.pending.add(uri);
    }
    if (list.length > 0) this.changes.push({ uris: list, next: 0 });
  }

  /** The next document to publish, taken out; undefined when none is pending. */
  take(): string | undefined {
    for (let change = this.changes.at(-1); change !== undefined; change = this.changes.at(-1)) {
      while (change.next < change.uris.length) {
        const uri = change.uris[change.next++]!;
        if (this.pending.delete(uri)) return uri;
      }
      this.changes.pop();
    }
    return undefined;
  }
}

/**
 * Whether two JSON-like values would be sent alike: arrays element by element, objects by their
 * own enumerable keys (a key whose value is undefined counts as absent, as in JSON).
 */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    for (let index = 0; index < a.length; index++) if (!sameJson(a[index], b[index])) return false;
    return true;
  }
  const left = a as Record<string, unknown>;
  const right = b as Record<string, unknown>;
  const keys = Object.keys(left).filter((key) => left[key] !== undefined);
  if (keys.length !== Object.keys(right).filter((key) => right[key] !== undefined).length) return false;
  for (const key of keys) if (!Object.prototype.hasOwnProperty.call(right, key) || !sameJson(left[key], right[key])) return false;
  return true;
}

/** Settles after the event loop's next turn: after the writes and timers already queued. */
function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((settle) => {
    resolve = settle;
  });
  return { promise, resolve };
}
