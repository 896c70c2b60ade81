/** SPEC §5 periods: `YYYY-MM`, `YYYY` or a month range `YYYY-MM..YYYY-MM` (one folder a month). */
import { usageError } from '../errors.js';

export interface Period {
  /** The folder name: `all`, `2026`, `2026-02`. */
  readonly name: string;
  /** Does a `YYYY-MM-DD` date part fall in the period? */
  contains(day: string): boolean;
}

export const ALL: Period = { name: 'all', contains: () => true };

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;
const YEAR = /^\d{4}$/;

function prefixPeriod(name: string): Period {
  return { name, contains: (day) => day.startsWith(name) && day.charCodeAt(name.length) === 45 /* - */ };
}

/** Expands the `--period` values into folders, in the order given, without repeats. */
export function parsePeriods(values: readonly string[]): Period[] {
  if (values.length === 0) return [ALL];
  const names: string[] = [];
  for (const value of values) {
    if (YEAR.test(value) || MONTH.test(value)) names.push(value);
    else if (value.includes('..')) {
      const [from, to, ...extra] = value.split('..');
      const a = MONTH.exec(from ?? '');
      const b = MONTH.exec(to ?? '');
      if (a === null || b === null || extra.length > 0) {
        throw usageError(`--period ${JSON.stringify(value)} is not a month range (expected YYYY-MM..YYYY-MM, e.g. 2026-01..2026-03)`);
      }
      let y = Number(a[1]);
      let m = Number(a[2]);
      const endY = Number(b[1]);
      const endM = Number(b[2]);
      if (y * 12 + m > endY * 12 + endM) throw usageError(`--period ${JSON.stringify(value)} ends before it starts (write the earlier month first)`);
      while (y * 12 + m <= endY * 12 + endM) {
        names.push(`${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}`);
        m++;
        if (m > 12) {
          m = 1;
          y++;
        }
      }
    } else {
      throw usageError(`--period ${JSON.stringify(value)} is not a period (expected YYYY-MM, YYYY or YYYY-MM..YYYY-MM, e.g. 2026-02)`);
    }
  }
  return [...new Set(names)].map(prefixPeriod);
}
