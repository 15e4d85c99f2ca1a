/**
 * A key result's `Confidence:` (high / medium / low, or 1–10) and `Commitment:` (committed |
 * aspirational), read leniently: a note after the value (`medium (new data source)`) is ignored.
 * A leaf of analysis/: progress shows Confidence wherever it shows progress, and the forecast
 * reads Commitment for the expected end grade.
 */

export type ConfidenceLevel = 'high' | 'medium' | 'low';

export interface Confidence {
  readonly level: ConfidenceLevel;
  /** 1–10 when written as a number (`7`, `7/10`). */
  readonly score?: number;
  /** As shown: `high`, `7/10`. */
  readonly label: string;
}

const CONFIDENCE_WORDS: ReadonlyMap<string, ConfidenceLevel> = new Map([
  ['high', 'high'],
  ['hi', 'high'],
  ['medium', 'medium'],
  ['med', 'medium'],
  ['mid', 'medium'],
  ['moderate', 'medium'],
  ['low', 'low'],
  ['lo', 'low'],
]);

/**
 * `Confidence:` read leniently: `high`, `medium` (`med`, `moderate`), `low` in any case, or a
 * score from 1 to 10 (`7`, `7/10`, `7 / 10`; 1–3 low, 4–6 medium, 7–10 high). A note after the
 * value (`high (after the pilot)`, `7 — new data`) is allowed. Undefined when it is none of these.
 */
export function parseConfidence(text: string | undefined): Confidence | undefined {
  if (text === undefined) return undefined;
  const value = stripNote(text).toLowerCase();
  const word = CONFIDENCE_WORDS.get(value);
  if (word) return { level: word, label: word };
  const match = /^(\d{1,2})(?:\s*\/\s*10)?$/.exec(value);
  if (!match) return undefined;
  const score = Number(match[1]);
  if (score < 1 || score > 10) return undefined;
  return { level: score <= 3 ? 'low' : score <= 6 ? 'medium' : 'high', score, label: `${score}/10` };
}

export type Commitment = 'committed' | 'aspirational';

const COMMITMENT_WORDS: ReadonlyMap<string, Commitment> = new Map([
  ['committed', 'committed'],
  ['commit', 'committed'],
  ['commitment', 'committed'],
  ['aspirational', 'aspirational'],
  ['aspiration', 'aspirational'],
  ['stretch', 'aspirational'],
  ['moonshot', 'aspirational'],
]);

/** `Commitment:` read leniently: `committed` (`commit`), `aspirational` (`aspiration`, `stretch`, `moonshot`), any case. */
export function parseCommitment(text: string | undefined): Commitment | undefined {
  if (text === undefined) return undefined;
  return COMMITMENT_WORDS.get(
    stripNote(text)
      .toLowerCase()
      .replace(/[-_\s]+/g, ''),
  );
}

/** The grade a key result is expected to reach by Due: all of it when committed, 0.7 when aspirational (OKR practice). */
export const EXPECTED_GRADE: Readonly<Record<Commitment, number>> = { committed: 1, aspirational: 0.7 };

/** The value before a note (`high (after the pilot)`, `7 — new data`), trimmed. */
function stripNote(text: string): string {
  const trimmed = text.slice(0, 200).trim();
  const cut = /\s*(?:\(|\[|—|–|;|--|\s-\s|,\s)/.exec(trimmed);
  return (cut ? trimmed.slice(0, cut.index) : trimmed).trim();
}
