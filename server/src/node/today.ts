import { parseIsoDate } from '../service/parse/quantity';

/**
 * Today's date, or the date in `THROUGHLINE_TODAY` (YYYY-MM-DD) so that reports, CI runs and tests
 * of date rules such as `stale-document` are reproducible. An invalid value is ignored.
 */
export function todayFromEnvironment(): () => Date {
  const pinned = parseIsoDate(process.env['THROUGHLINE_TODAY']);
  return pinned ? () => pinned : () => new Date();
}
