/** A number with an optional unit, as written in `Baseline:`, `Target:` or `Current:` (e.g. `32%`, `$1,200`, `4.5 days`). */
export interface Quantity {
  readonly value: number;
  readonly unit: string;
}

const QUANTITY = /^\s*([<>≤≥~]=?\s*)?([$€£¥])?\s*([-+]?\d[\d,_]*(?:\.\d+)?|[-+]?\.\d+)\s*(%|[A-Za-z€$£/]+(?:\s+[A-Za-z]+)?)?\s*$/;

export function parseQuantity(text: string | undefined): Quantity | undefined {
  if (text === undefined) return undefined;
  const match = QUANTITY.exec(text);
  if (!match) return undefined;
  const value = Number(match[3]!.replace(/[,_]/g, ''));
  if (!Number.isFinite(value)) return undefined;
  return { value, unit: (match[2] ?? '') + (match[4] ?? '').toLowerCase() };
}

/** `YYYY-MM-DD`, checked to be a real calendar date. */
export function parseIsoDate(text: string | undefined): Date | undefined {
  if (!text) return undefined;
  const match = /^\s*(\d{4})-(\d{2})-(\d{2})\s*$/.exec(text);
  if (!match) return undefined;
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  return date.getUTCMonth() === Number(match[2]) - 1 && date.getUTCDate() === Number(match[3]) ? date : undefined;
}
