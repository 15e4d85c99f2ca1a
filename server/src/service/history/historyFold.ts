/**
 * A strategy's history, folded commit by commit: for every item, when its meaning last changed and
 * how; for every link, the commit that wrote it; for every key result, its check-ins (the commits
 * that changed its `Current:` value). Commits are applied oldest first, each with the strategy
 * files it changed and their new text (or none, for a deletion); a later commit is folded in on top
 * (`apply`), so the history is updated as commits arrive without reading the old ones again.
 *
 * Everything is by item ID, never by file: a file renamed, or an item moved to another file with
 * the same meaning, changes nothing, and editing one key result in a strategy file changes only
 * that key result. The fold keeps hashes and values, never texts.
 */
import type { DocumentIndex } from '../model/model';
import { LINK_CONTEXTS } from '../model/model';
import { indexFitsText, itemMeanings, lineStartsOf, meaningDifference, normaliseWhitespace, sameMeaning, type ItemMeaning } from './meaning';
import { reviewRecordOf } from './reviews';

export interface HistoryCommit {
  readonly sha: string;
  /** Commit time (the committer's), milliseconds since the epoch. */
  readonly time: number;
  /**
   * The committer's calendar day where the commit was made (YYYY-MM-DD, git's `%cI`), as `git log`
   * shows it; a host that does not know it leaves it out and the UTC day is used (`commitDay`).
   */
  readonly day?: string;
  /** The author's name as the repository records it. */
  readonly author: string;
  readonly subject: string;
  /** Its place on the first-parent line, oldest 1: commits are compared by it, since their times need not increase. */
  readonly order: number;
}

/** A commit as a host reads it; the fold numbers it. */
export type LoggedCommit = Omit<HistoryCommit, 'order'>;

export interface HistoryFileVersion {
  readonly uri: string;
  /** Undefined when the commit deleted the file. */
  readonly text: string | undefined;
  /**
   * The index of exactly this text when the host already has one (the file as it is in the
   * working tree, which the service indexed): the version is then not parsed again.
   */
  readonly index?: DocumentIndex;
}

/** The last change of an item's meaning: in a commit, or in uncommitted edits (`commit` undefined). */
export interface MeaningChange {
  readonly commit: HistoryCommit | undefined;
  /** What changed: `title`, `text`, or a figure's name (`Target`, `Due`…). */
  readonly parts: readonly string[];
}

/** A key result's `Current:` value as of a commit, or as edited and not yet committed (`commit` undefined). */
export interface CheckIn {
  readonly commit: HistoryCommit | undefined;
  readonly value: string;
}

/** One file version reduced to what the fold compares. */
export interface FileFacts {
  readonly meanings: ReadonlyMap<string, ItemMeaning>;
  /** `from\u0000to` for every link an item of the file writes. */
  readonly links: ReadonlySet<string>;
  /** Key results' `Current:` values, whitespace collapsed. */
  readonly currents: ReadonlyMap<string, string>;
  /** The date of each link's review record (`Reviewed: OUT-1 2026-12-02`), by link key, for links that have one. */
  readonly reviews: ReadonlyMap<string, string>;
}

interface ItemRecord {
  meaning: ItemMeaning;
  /** The file it was last seen in. */
  uri: string;
  lastChange?: MeaningChange;
  /** The order of the last commit whose files defined it. */
  seenIn: number;
  /**
   * Whether the newest commit has it. An item that went (deleted, or its file unreadable in a
   * commit: broken front-matter) is kept, so that when it comes back its meaning is compared with
   * what it meant before it went, not taken as new.
   */
  present: boolean;
}

/**
 * What makes two `Current:` values the same check-in: the text without spaces, and a percentage
 * without a zero fraction (`46%`, `46 %` and `46.0%` are one value: reformatting is no check-in,
 * and it moved forecasts and reset the stale-check-in clock). Anything else that differs is a new
 * check-in: `~46%` and `46%`, `46% (est.)` and `46%`, and `1.500` and `1.5`, which a workspace
 * with a decimal comma reads apart.
 */
export function checkInKey(value: string): string {
  return value.replace(/\s+/g, '').replace(/(\d)\.0+%/g, '$1%');
}

/** How long before the commit that records it a review may be dated and still count from that commit: a pull request's life. */
export const REVIEW_LANDING_DAYS = 31;

/**
 * Whether a review dated `date` confirms its link as of `commit`, the commit that records it: a
 * review written while a pull request was open lands with the merge, days later; one dated after
 * the commit, or long before it (`2001-01-01`), is no such review and confirms only by its date.
 */
function reviewLandsIn(date: string, commit: HistoryCommit): boolean {
  const day = commitDay(commit);
  if (date > day) return false;
  const earliest = new Date(Date.parse(`${day}T00:00:00Z`) - REVIEW_LANDING_DAYS * 86_400_000).toISOString().slice(0, 10);
  return date >= earliest;
}

/**
 * The day a commit was made, as its committer saw it: a change committed at 20:00 in California on
 * 2026-11-18 is that day's, not 2026-11-19's (UTC), so a review dated 2026-11-18 covers it.
 */
export function commitDay(commit: { readonly time: number; readonly day?: string | undefined }): string {
  return commit.day ?? new Date(commit.time).toISOString().slice(0, 10);
}

export function linkKey(fromId: string, toId: string): string {
  return `${fromId}\u0000${toId}`;
}

/** The facts of one file version; `index` is the version's index, made from `text` (of line starts `starts`). */
export function fileFacts(index: DocumentIndex, text: string, starts: Int32Array = lineStartsOf(text)): FileFacts {
  const links = new Set<string>();
  for (const reference of index.references) {
    if (reference.fromId !== undefined && LINK_CONTEXTS.has(reference.context)) links.add(linkKey(reference.fromId, reference.id));
  }
  const currents = new Map<string, string>();
  let reviews: Map<string, string> | undefined;
  for (const item of index.items) {
    const record = reviewRecordOf(item, index);
    if (record) {
      for (const [toId, date] of record) {
        const key = linkKey(item.id, toId);
        if (links.has(key)) (reviews ??= new Map()).set(key, date);
      }
    }
    if (item.kind !== 'keyResult' || currents.has(item.id)) continue;
    const current = item.attributes.find((attribute) => attribute.name === 'current');
    if (current) currents.set(item.id, normaliseWhitespace(current.value));
  }
  return { meanings: itemMeanings(index, text, starts), links, currents, reviews: reviews ?? NO_REVIEWS };
}

const NO_REVIEWS: ReadonlyMap<string, string> = new Map();

/** Whether two versions of a file have the same facts: nothing a history rule reads differs between them. */
export function sameFacts(a: FileFacts, b: FileFacts): boolean {
  if (a === b) return true;
  if (a.meanings.size !== b.meanings.size || a.links.size !== b.links.size || a.currents.size !== b.currents.size || a.reviews.size !== b.reviews.size)
    return false;
  for (const [id, meaning] of a.meanings) {
    const other = b.meanings.get(id);
    if (!other || !sameMeaning(meaning, other)) return false;
  }
  for (const key of a.links) if (!b.links.has(key)) return false;
  for (const [id, value] of a.currents) if (b.currents.get(id) !== value) return false;
  for (const [key, date] of a.reviews) if (b.reviews.get(key) !== date) return false;
  return true;
}

export class HistoryFold {
  private readonly files = new Map<string, FileFacts>();
  private readonly items = new Map<string, ItemRecord>();
  private readonly links = new Map<string, HistoryCommit>();
  private readonly checkIns = new Map<string, CheckIn[]>();
  private readonly lastCurrent = new Map<string, string>();
  private headCommit: HistoryCommit | undefined;
  private commits = 0;

  /** `index` indexes one file version (with the workspace's configuration); it must not throw. */
  constructor(private readonly index: (uri: string, text: string) => DocumentIndex | undefined) {}

  /** The newest commit folded in. */
  get head(): HistoryCommit | undefined {
    return this.headCommit;
  }

  /** How many commits have been folded in. */
  get commitCount(): number {
    return this.commits;
  }

  /**
   * Folds in one commit (newer than every commit before it) and returns the IDs whose history it
   * changed: items whose meaning changed, came or went, items whose links changed, and key results
   * with a new check-in.
   */
  apply(logged: LoggedCommit, versions: readonly HistoryFileVersion[]): Set<string> {
    return this.applyFacts(
      logged,
      versions.map((version) => ({ uri: version.uri, facts: version.text === undefined ? undefined : this.factsOf(version) })),
    );
  }

  /**
   * The facts of one file version (its index made unless the version brings one), for a host that
   * works them out between turns of the event loop and then folds the commit in with `applyFacts`.
   */
  factsOf(version: HistoryFileVersion): FileFacts | undefined {
    if (version.text === undefined) return undefined;
    const starts = lineStartsOf(version.text);
    // An index the host offers is used only if it reads as made from this very text.
    const index = version.index && indexFitsText(version.index, version.text, starts) ? version.index : this.index(version.uri, version.text);
    return index ? fileFacts(index, version.text, starts) : undefined;
  }

  /**
   * `apply`, with each file's facts already worked out (`factsOf`; undefined: the file is gone or
   * takes no part). `reportChanges: false` for a host reading the whole history, which has no use
   * for the IDs each commit touched: the set stays empty (a first commit of 10,000 files touches
   * every ID).
   */
  applyFacts(
    logged: LoggedCommit,
    files: readonly { readonly uri: string; readonly facts: FileFacts | undefined }[],
    options: { readonly reportChanges?: boolean } = {},
  ): Set<string> {
    this.commits++;
    const commit: HistoryCommit = { ...logged, order: this.commits };
    this.headCommit = commit;
    const result = new Set<string>();
    const changed = options.reportChanges === false ? undefined : result;
    const before: FileFacts[] = [];
    const after: FileFacts[] = [];
    const afterUris: string[] = [];
    const changedUris = new Set<string>();
    for (const { uri, facts } of files) {
      changedUris.add(uri);
      const old = this.files.get(uri);
      if (old) before.push(old);
      if (facts && facts.meanings.size + facts.links.size > 0) {
        this.files.set(uri, facts);
        after.push(facts);
        afterUris.push(uri);
      } else {
        this.files.delete(uri);
      }
    }
    // Meanings: by ID across the commit's files (the first file that defines it wins), so an item
    // moved between files is one item. `seenIn` marks the records this commit has set.
    const order = commit.order;
    after.forEach((facts, position) => {
      const uri = afterUris[position]!;
      for (const [id, meaning] of facts.meanings) {
        const record = this.items.get(id);
        if (!record) {
          this.items.set(id, { meaning, uri, seenIn: order, present: true });
          changed?.add(id);
          continue;
        }
        if (record.seenIn === order) continue;
        record.seenIn = order;
        if (!record.present) {
          record.present = true;
          changed?.add(id);
        }
        const parts = meaningDifference(record.meaning, meaning);
        record.meaning = meaning;
        record.uri = uri;
        if (parts.length > 0) {
          record.lastChange = { commit, parts };
          changed?.add(id);
        }
      }
    });
    // Items the changed files had and no longer have.
    for (const facts of before) {
      for (const id of facts.meanings.keys()) {
        const record = this.items.get(id);
        // Gone from the files this commit changed: it lives on only if it was last seen in a file this commit did not touch.
        if (!record || !record.present || record.seenIn === order || !changedUris.has(record.uri)) continue;
        record.present = false;
        changed?.add(id);
      }
    }
    // Links: one written in this commit dates from it; one that only moved keeps its date. A link
    // whose review record this commit adds or re-dates was confirmed in it, and dates from it too:
    // a review made in the pull request that changed the target lands in the same merge commit,
    // whose date is later than the one the review wrote.
    const oldLinks = new Set<string>();
    let oldReviews: Map<string, string> | undefined;
    for (const facts of before) {
      for (const key of facts.links) oldLinks.add(key);
      for (const [key, date] of facts.reviews) (oldReviews ??= new Map()).set(key, date);
    }
    for (const facts of after) {
      for (const key of facts.links) {
        if (oldLinks.has(key) || this.links.has(key)) continue;
        this.links.set(key, commit);
        changed?.add(key.slice(0, key.indexOf('\u0000')));
      }
      for (const [key, date] of facts.reviews) {
        if (oldReviews?.get(key) === date || !reviewLandsIn(date, commit)) continue;
        this.links.set(key, commit);
        changed?.add(key.slice(0, key.indexOf('\u0000')));
      }
    }
    if (oldLinks.size > 0) {
      const newLinks = new Set<string>();
      for (const facts of after) for (const key of facts.links) newLinks.add(key);
      for (const key of oldLinks) {
        if (newLinks.has(key) || this.livesOutside(key.slice(0, key.indexOf('\u0000')), changedUris)) continue;
        this.links.delete(key);
        changed?.add(key.slice(0, key.indexOf('\u0000')));
      }
    }
    // Check-ins: a key result's `Current:` value that differs from its last one.
    const newCurrents = new Map<string, string>();
    for (const facts of after) for (const [id, value] of facts.currents) if (!newCurrents.has(id)) newCurrents.set(id, value);
    let krs: Iterable<string> = newCurrents.keys();
    if (before.length > 0) {
      const ids = new Set<string>(newCurrents.keys());
      for (const facts of before) for (const id of facts.currents.keys()) ids.add(id);
      krs = ids;
    }
    for (const id of krs) {
      const value = newCurrents.get(id);
      // Gone (deleted, or its file unreadable in this commit): its last value is kept, so that a
      // key result that comes back with the value it had is not checked in again.
      if (value === undefined) continue;
      const key = checkInKey(value);
      if (this.lastCurrent.get(id) === key) continue;
      this.lastCurrent.set(id, key);
      let list = this.checkIns.get(id);
      if (!list) this.checkIns.set(id, (list = []));
      list.push({ commit, value });
      changed?.add(id);
    }
    return result;
  }

  /** The item's meaning in the newest commit. */
  meaning(id: string): ItemMeaning | undefined {
    return this.present(id)?.meaning;
  }

  /** The newest commit that changed the item's meaning after it first appeared. */
  lastChange(id: string): MeaningChange | undefined {
    return this.present(id)?.lastChange;
  }

  private present(id: string): ItemRecord | undefined {
    const record = this.items.get(id);
    return record?.present ? record : undefined;
  }

  /** The commit that wrote the link from `fromId` to `toId`, if it is in the newest commit. */
  linkWritten(fromId: string, toId: string): HistoryCommit | undefined {
    return this.links.get(linkKey(fromId, toId));
  }

  /** A key result's check-ins, oldest first. */
  checkInsOf(id: string): readonly CheckIn[] {
    return this.checkIns.get(id) ?? [];
  }

  /** The facts of a file as of the newest commit. */
  fileAtHead(uri: string): FileFacts | undefined {
    return this.files.get(uri);
  }

  /** The files the newest commit has (that take part). */
  fileUris(): IterableIterator<string> {
    return this.files.keys();
  }

  /** Every key result with check-ins. */
  keyResultsWithCheckIns(): IterableIterator<string> {
    return this.checkIns.keys();
  }

  /** Whether the item was last seen in a file the commit did not change (a duplicate definition elsewhere keeps what it wrote). */
  private livesOutside(id: string, changedUris: ReadonlySet<string>): boolean {
    const record = this.present(id);
    return record !== undefined && !changedUris.has(record.uri);
  }
}
