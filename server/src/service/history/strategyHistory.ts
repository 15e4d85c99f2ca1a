/**
 * The history rules and views read: the folded commits (`HistoryFold`) with the working versions
 * of the files whose text differs from the newest commit on top, so an edit in the editor, saved
 * or not, counts at once as an uncommitted change.
 */
import type { DocumentIndex } from '../model/model';
import {
  checkInKey,
  fileFacts,
  linkKey,
  sameFacts,
  type CheckIn,
  type FileFacts,
  type HistoryCommit,
  type HistoryFold,
  type MeaningChange,
} from './historyFold';
import { meaningDifference, sameMeaning } from './meaning';

/** What rules and views may ask of the history; every answer is about the workspace as it is now. */
export interface HistoryQueries {
  /** Whether there is a history at all: without one every other answer is "unknown", and a rule can skip its work. */
  hasHistory(): boolean;
  /** The item's last change of meaning (committed or not) after it first appeared; undefined if none. */
  lastChange(id: string, uri: string): MeaningChange | undefined;
  /**
   * When the link from `fromId` (defined in `uri`) to `toId` was written: in a commit, or in
   * uncommitted edits (`commit` undefined). Undefined when the history does not know it.
   */
  linkWritten(fromId: string, toId: string, uri: string): { readonly commit: HistoryCommit | undefined } | undefined;
  /** A key result's check-ins, oldest first, with an uncommitted value last. */
  checkIns(id: string, uri: string): readonly CheckIn[];
}

/** No history: every query answers "unknown". */
export const NO_HISTORY: HistoryQueries = {
  hasHistory: () => false,
  lastChange: () => undefined,
  linkWritten: () => undefined,
  checkIns: () => [],
};

export class StrategyHistory implements HistoryQueries {
  /** Files whose working text differs from the newest commit (or that it does not have). */
  private readonly working = new Map<string, FileFacts>();

  constructor(readonly fold: HistoryFold) {}

  get head(): HistoryCommit | undefined {
    return this.fold.head;
  }

  hasHistory(): boolean {
    return true;
  }

  /**
   * Records a file's working version; returns the IDs whose answers may differ now. `text` is the
   * text `index` was made from; undefined `index` means the file is gone or takes no part.
   */
  setWorkingVersion(uri: string, index: DocumentIndex | undefined, text: string | undefined): Set<string> {
    const before = this.working.get(uri) ?? this.fold.fileAtHead(uri);
    const atHead = this.fold.fileAtHead(uri);
    // A file no commit has (untracked, or new) has no history to differ from: its items are new, its
    // links written now, whether or not its facts are kept, so none are worked out (a folder of
    // 10,000 untracked documents would otherwise be read and hashed whole).
    if (!atHead) {
      this.working.delete(uri);
      return differingIds(before, undefined);
    }
    let now: FileFacts | undefined;
    if (index && text !== undefined) {
      // A file as committed, or changed only where no history rule looks (whitespace, a status, an
      // owner), keeps the committed facts. After new commits the host compares the files they
      // touched again (`historyAdvanced`), so a file kept here is checked against the new HEAD.
      const facts = fileFacts(index, text);
      now = sameFacts(facts, atHead) ? atHead : facts;
    }
    if (now === atHead) this.working.delete(uri);
    else this.working.set(uri, now ?? EMPTY_FACTS);
    return differingIds(before, now);
  }

  /** The files whose working version differs from the newest commit: after new commits, each is compared again. */
  workingUris(): string[] {
    return [...this.working.keys()];
  }

  lastChange(id: string, uri: string): MeaningChange | undefined {
    const working = this.working.get(uri);
    if (working) {
      const now = working.meanings.get(id);
      const committed = this.fold.meaning(id);
      // A new item has no change yet; one edited since the last commit changed now.
      if (now && !committed) return undefined;
      if (now && committed) {
        const parts = meaningDifference(committed, now);
        if (parts.length > 0) return { commit: undefined, parts };
      }
    }
    return this.fold.lastChange(id);
  }

  linkWritten(fromId: string, toId: string, uri: string): { readonly commit: HistoryCommit | undefined } | undefined {
    const committed = this.fold.linkWritten(fromId, toId);
    if (committed) return { commit: committed };
    const working = this.working.get(uri);
    if (working?.links.has(linkKey(fromId, toId))) return { commit: undefined };
    return undefined;
  }

  checkIns(id: string, uri: string): readonly CheckIn[] {
    const committed = this.fold.checkInsOf(id);
    const value = this.working.get(uri)?.currents.get(id);
    const last = committed.at(-1)?.value;
    if (value === undefined || (last !== undefined && checkInKey(value) === checkInKey(last))) return committed;
    return [...committed, { commit: undefined, value }];
  }
}

const EMPTY_FACTS: FileFacts = { meanings: new Map(), links: new Set(), currents: new Map(), reviews: new Map() };

/** IDs whose meaning, links or `Current:` differ between two versions of a file. */
function differingIds(before: FileFacts | undefined, after: FileFacts | undefined): Set<string> {
  const ids = new Set<string>();
  const a = before ?? EMPTY_FACTS;
  const b = after ?? EMPTY_FACTS;
  if (a === b) return ids;
  for (const [id, meaning] of a.meanings) {
    const other = b.meanings.get(id);
    if (!other || !sameMeaning(meaning, other)) ids.add(id);
  }
  for (const id of b.meanings.keys()) if (!a.meanings.has(id)) ids.add(id);
  for (const key of a.links) if (!b.links.has(key)) ids.add(key.slice(0, key.indexOf('\u0000')));
  for (const key of b.links) if (!a.links.has(key)) ids.add(key.slice(0, key.indexOf('\u0000')));
  for (const [id, value] of a.currents) if (b.currents.get(id) !== value) ids.add(id);
  for (const id of b.currents.keys()) if (!a.currents.has(id)) ids.add(id);
  return ids;
}
