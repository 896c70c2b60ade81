/**
 * SPEC §10 `date-format`: `%Y` (4 digits), `%y` (2 digits, 20yy), `%m` `%d`
 * `%H` `%M` `%S` (2 digits), `%-m` `%-d` (1 or 2 digits), `%%` a percent
 * sign; any other character is itself. A date read by a format is written
 * in the §1 form, with `THH:MM` or `THH:MM:SS` when the format has `%H`.
 */
import { two } from '../date.js';

export interface DateFormat {
  /** The format as written. */
  readonly text: string;
  /** The rules file's line. */
  readonly line: number;
  readonly regex: RegExp;
  /** Which token each capture group holds, in order. */
  readonly groups: readonly Token[];
  /** Seconds written (`%S`), minutes written (`%M`): the §1 time form. */
  readonly time: 'none' | 'minutes' | 'seconds';
}

type Token = 'Y' | 'y' | 'm' | '-m' | 'd' | '-d' | 'H' | 'M' | 'S';

const PATTERN: Readonly<Record<Token, string>> = {
  Y: '([0-9]{4})',
  y: '([0-9]{2})',
  m: '([0-9]{2})',
  '-m': '([0-9]{1,2})',
  d: '([0-9]{2})',
  '-d': '([0-9]{1,2})',
  H: '([0-9]{2})',
  M: '([0-9]{2})',
  S: '([0-9]{2})',
};

const EXPECTED = 'expected %Y or %y, %m or %-m, %d or %-d, optionally %H:%M or %H:%M:%S, other characters as written, e.g. %d.%m.%Y';

export function compileDateFormat(text: string, line: number): { ok: true; format: DateFormat } | { ok: false; message: string } {
  const groups: Token[] = [];
  let source = '^';
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (c !== '%') {
      source += c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      continue;
    }
    const next = text[i + 1] ?? '';
    const dash = next === '-' ? text[i + 2] ?? '' : '';
    let token: Token | undefined;
    if (next === '%') {
      source += '%';
      i++;
      continue;
    }
    if (dash === 'm' || dash === 'd') {
      token = `-${dash}`;
      i += 2;
    } else if (/^[YymdHMS]$/.test(next)) {
      token = next as Token;
      i++;
    } else {
      return { ok: false, message: `date-format ${JSON.stringify(text)} has %${next === '-' ? `-${dash}` : next}, which is not a date part (${EXPECTED})` };
    }
    if (groups.some((t) => partName(t) === partName(token))) {
      return { ok: false, message: `date-format ${JSON.stringify(text)} has the ${partName(token)} twice (${EXPECTED})` };
    }
    groups.push(token);
    source += PATTERN[token];
  }
  const has = (...tokens: Token[]): boolean => tokens.some((t) => groups.includes(t));
  const missing = [has('Y', 'y') ? '' : 'a year (%Y or %y)', has('m', '-m') ? '' : 'a month (%m or %-m)', has('d', '-d') ? '' : 'a day (%d or %-d)'].filter((m) => m !== '');
  if (missing.length > 0) return { ok: false, message: `date-format ${JSON.stringify(text)} has no ${missing.join(', no ')} (${EXPECTED})` };
  if (has('H') !== has('M') || (has('S') && !has('M'))) {
    return { ok: false, message: `date-format ${JSON.stringify(text)} has ${has('S') && !has('M') ? '%S without %M' : has('H') ? '%H without %M' : '%M without %H'} (expected a time as %H:%M or %H:%M:%S, or no time)` };
  }
  return { ok: true, format: { text, line, regex: new RegExp(`${source}$`), groups, time: has('S') ? 'seconds' : has('H') ? 'minutes' : 'none' } };
}

function partName(token: Token): string {
  return { Y: 'year', y: 'year', m: 'month', '-m': 'month', d: 'day', '-d': 'day', H: 'hour', M: 'minute', S: 'second' }[token];
}

/** A date as the format reads it, in the §1 form (not yet checked against the calendar), or undefined when it does not match. */
export function readDate(value: string, format: DateFormat): string | undefined {
  const m = format.regex.exec(value);
  if (m === null) return undefined;
  let year = '';
  let month = '';
  let day = '';
  let hour = '00';
  let minute = '00';
  let second = '00';
  format.groups.forEach((token, i) => {
    const v = m[i + 1] as string;
    switch (token) {
      case 'Y':
        year = v;
        break;
      case 'y':
        year = `20${v}`;
        break;
      case 'm':
      case '-m':
        month = two(Number(v));
        break;
      case 'd':
      case '-d':
        day = two(Number(v));
        break;
      case 'H':
        hour = v;
        break;
      case 'M':
        minute = v;
        break;
      case 'S':
        second = v;
        break;
    }
  });
  const date = `${year}-${month}-${day}`;
  if (format.time === 'none') return date;
  return format.time === 'minutes' ? `${date}T${hour}:${minute}` : `${date}T${hour}:${minute}:${second}`;
}

/** 2026-01-31 09:30:00 written in the format, for messages (`e.g. 31.01.2026`). */
export function dateExample(format: DateFormat): string {
  const values: Readonly<Record<Token, string>> = { Y: '2026', y: '26', m: '01', '-m': '1', d: '31', '-d': '31', H: '09', M: '30', S: '00' };
  let out = '';
  for (let i = 0; i < format.text.length; i++) {
    const c = format.text[i] as string;
    if (c !== '%') {
      out += c;
      continue;
    }
    const next = format.text[i + 1] as string;
    if (next === '%') out += '%';
    else if (next === '-') {
      out += values[`-${format.text[i + 2] as 'm' | 'd'}`];
      i++;
    } else out += values[next as Token];
    i++;
  }
  return out;
}
