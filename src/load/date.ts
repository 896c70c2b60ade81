/** SPEC §1 dates: `YYYY-MM-DD`, `YYYY-MM-DDTHH:MM` or `YYYY-MM-DDTHH:MM:SS`, a real calendar date, no zone. */

const DATE = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2}))?)?$/;

export type DateParse = { ok: true; day: string; ts: number } | { ok: false; reason: 'format' | 'calendar' | 'time' };

function isLeap(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Days from 0000-03-01 (proleptic Gregorian), monotonic in the date. */
function dayNumber(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const mp = (m + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe;
}

export function parseDate(text: string): DateParse {
  const m = DATE.exec(text);
  if (m === null) return { ok: false, reason: 'format' };
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (month < 1 || month > 12 || day < 1) return { ok: false, reason: 'calendar' };
  const days = month === 2 && isLeap(year) ? 29 : (MONTH_DAYS[month - 1] as number);
  if (day > days) return { ok: false, reason: 'calendar' };
  const hour = m[4] === undefined ? 0 : Number(m[4]);
  const minute = m[5] === undefined ? 0 : Number(m[5]);
  const second = m[6] === undefined ? 0 : Number(m[6]);
  if (hour > 23 || minute > 59 || second > 59) return { ok: false, reason: 'time' };
  return { ok: true, day: text.slice(0, 10), ts: dayNumber(year, month, day) * 86400 + hour * 3600 + minute * 60 + second };
}
