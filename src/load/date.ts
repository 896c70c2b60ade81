/** SPEC §1 dates: `YYYY-MM-DD`, `YYYY-MM-DDTHH:MM` or `YYYY-MM-DDTHH:MM:SS`, a real calendar date, no zone. */

const DATE = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2}))?)?$/;

export type DateParse =
  | { ok: true; day: string; ts: number }
  | { ok: false; reason: 'format' | 'calendar' | 'time'; detail: string };

function isLeap(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const MONTH_NAMES = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

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

/** A number below 100 in two digits. */
export const two = (n: number): string => (n < 10 ? `0${n}` : String(n));

/**
 * A safe rewrite of a date in a near-miss format, or undefined: single-digit
 * parts are padded, a space before the time becomes `T`, and a time zone is
 * named as the problem (its removal changes the meaning, so it is not guessed).
 */
function formatHint(text: string): string {
  if (/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?)(Z|[+-]\d{2}(:?\d{2})?)$/.test(text) || /^\d{4}-\d{2}-\d{2}(Z|[+-]\d{2}:\d{2})$/.test(text)) {
    return 'no time zone: write the local date and time of the ledger, e.g. 2026-01-31T09:30';
  }
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d+$/.test(text)) return `no fractions of a second: write ${text.slice(0, 19)}`;
  const loose = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2}))?)?$/.exec(text);
  if (loose !== null) {
    const [, y, m, d, hh, mm, ss] = loose;
    let fixed = `${y}-${two(Number(m))}-${two(Number(d))}`;
    if (hh !== undefined) fixed += `T${two(Number(hh))}:${mm}${ss === undefined ? '' : `:${ss}`}`;
    if (fixed !== text) return `write ${fixed}`;
  }
  if (/^\d{1,2}[/.]\d{1,2}[/.]\d{2,4}/.test(text)) return 'day, month and year in this order are ambiguous: write the year first, e.g. 2026-01-31';
  return 'e.g. 2026-01-31 or 2026-01-31T09:30';
}

/** The digit at `i` (0-9), or -1. */
function digit(text: string, i: number): number {
  const c = text.charCodeAt(i) - 48;
  return c >= 0 && c <= 9 ? c : -1;
}

/** Two digits at `i` as a number, or -1. */
function twoDigits(text: string, i: number): number {
  const a = digit(text, i);
  const b = digit(text, i + 1);
  return a < 0 || b < 0 ? -1 : a * 10 + b;
}

/**
 * The common case without a regular expression: a well-formed, valid date
 * or date and time. Anything else (undefined) goes to the full parse, which
 * says what is wrong.
 */
function parseValid(text: string): DateParse | undefined {
  const n = text.length;
  if ((n !== 10 && n !== 16 && n !== 19) || text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45) return undefined;
  const hi = twoDigits(text, 0);
  const lo = twoDigits(text, 2);
  const month = twoDigits(text, 5);
  const day = twoDigits(text, 8);
  if (hi < 0 || lo < 0 || month < 1 || month > 12 || day < 1) return undefined;
  const year = hi * 100 + lo;
  if (day > (month === 2 && isLeap(year) ? 29 : (MONTH_DAYS[month - 1] as number))) return undefined;
  let hour = 0;
  let minute = 0;
  let second = 0;
  if (n > 10) {
    if (text.charCodeAt(10) !== 84 /* T */ || text.charCodeAt(13) !== 58 /* : */) return undefined;
    hour = twoDigits(text, 11);
    minute = twoDigits(text, 14);
    if (n === 19) {
      if (text.charCodeAt(16) !== 58) return undefined;
      second = twoDigits(text, 17);
    }
    if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) return undefined;
  }
  return { ok: true, day: n === 10 ? text : text.slice(0, 10), ts: dayNumber(year, month, day) * 86400 + hour * 3600 + minute * 60 + second };
}

export function parseDate(text: string): DateParse {
  const valid = parseValid(text);
  if (valid !== undefined) return valid;
  const m = DATE.exec(text);
  if (m === null) return { ok: false, reason: 'format', detail: formatHint(text) };
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (month < 1 || month > 12) return { ok: false, reason: 'calendar', detail: `there is no month ${m[2]}: expected 01 to 12` };
  const days = month === 2 && isLeap(year) ? 29 : (MONTH_DAYS[month - 1] as number);
  if (day < 1 || day > days) {
    const name = `${MONTH_NAMES[month - 1]} ${m[1]}`;
    const detail =
      day < 1
        ? `there is no day 00: expected 01 to ${days}`
        : month === 2 && day === 29
          ? `${m[1]} is not a leap year: ${name} has 28 days`
          : `${name} has ${days} days`;
    return { ok: false, reason: 'calendar', detail };
  }
  const hour = m[4] === undefined ? 0 : Number(m[4]);
  const minute = m[5] === undefined ? 0 : Number(m[5]);
  const second = m[6] === undefined ? 0 : Number(m[6]);
  if (hour > 23 || minute > 59 || second > 59) {
    return { ok: false, reason: 'time', detail: 'expected hours 00 to 23, minutes and seconds 00 to 59' };
  }
  return { ok: true, day: text.slice(0, 10), ts: dayNumber(year, month, day) * 86400 + hour * 3600 + minute * 60 + second };
}
