/**
 * SPEC §10 amounts in exports: a leading `-` or `+`, or parentheses
 * (negative); digits grouped by threes with the mark that is not the decimal
 * mark, a space or a no-break space (`1.234.567,89`, `(1 234,50)`); the
 * decimal mark and at least one digit after it. Anything else (a currency
 * symbol, an exponent, a misplaced group, a bare mark) is not an amount.
 * Pure: text in, digits out; no number ever holds the value.
 */
import type { DecimalMark } from './parse.js';

export type ExportAmount =
  | {
      readonly ok: true;
      /** Written with a sign or in parentheses. */
      readonly signed: boolean;
      readonly negative: boolean;
      /** Digits before the mark, without leading zeros ('0' for none). */
      readonly whole: string;
      /** Digits after the mark, as written. */
      readonly fraction: string;
      readonly zero: boolean;
    }
  | { readonly ok: false; readonly problem: string };

const NBSP = '\u00a0';

/** Grouped or plain digits, a decimal part: one pattern per group separator. */
function patterns(mark: DecimalMark): RegExp[] {
  const other = mark === ',' ? '\\.' : ',';
  const point = mark === ',' ? ',' : '\\.';
  return [other, ' ', NBSP].map((sep) => new RegExp(`^([0-9]+|[0-9]{1,3}(?:${sep}[0-9]{3})+)(?:${point}([0-9]+))?$`));
}
const PATTERNS: Readonly<Record<DecimalMark, RegExp[]>> = { '.': patterns('.'), ',': patterns(',') };

/** What an amount looks like, written for `mark`, e.g. `-1.234.567,89 or (1 234,50)`. */
export function amountExample(mark: DecimalMark): string {
  return mark === ',' ? '1234,50, -1.234.567,89 or (1 234,50)' : '1234.50, -1,234,567.89 or (1 234.50)';
}

export function readAmount(text: string, mark: DecimalMark): ExportAmount {
  let body = text;
  let signed = false;
  let negative = false;
  if (body.startsWith('(') && body.endsWith(')') && body.length >= 2) {
    body = body.slice(1, -1);
    signed = true;
    negative = true;
  } else if (body.startsWith('-') || body.startsWith('+')) {
    signed = true;
    negative = body.startsWith('-');
    body = body.slice(1);
  }
  for (const pattern of PATTERNS[mark]) {
    const m = pattern.exec(body);
    if (m === null) continue;
    const whole = (m[1] as string).replace(/[^0-9]/g, '').replace(/^0+(?=[0-9])/, '');
    const fraction = m[2] ?? '';
    return { ok: true, signed, negative, whole, fraction, zero: /^0*$/.test(whole) && /^0*$/.test(fraction) };
  }
  return { ok: false, problem: problemOf(body, mark) };
}

/** Why a value is not an amount, in a few words. */
function problemOf(body: string, mark: DecimalMark): string {
  const other = mark === ',' ? '.' : ',';
  if (body === '') return 'no digits';
  if (/^[-+(]/.test(body) || /[-+)]$/.test(body) || /[()]/.test(body)) return 'a sign or parenthesis out of place';
  if (/^[0-9.,]+[eE][-+]?[0-9]+$/.test(body)) return 'an exponent';
  if (/[^0-9., \u00a0]/.test(body)) return 'a currency symbol, a letter or another character that is not a digit';
  if (!/[0-9]/.test(body)) return 'no digits';
  const swapped = new RegExp(`^[0-9]+\\${other}[0-9]{1,2}$`);
  if (swapped.test(body)) return `a decimal ${other} where the rules' decimal mark is ${mark}`;
  if (body.startsWith(mark) || body.endsWith(mark)) return `no digit on each side of the decimal mark ${mark}`;
  if (body.split(mark).length > 2) return `more than one decimal mark ${mark}`;
  return 'digits not grouped by threes with one kind of separator';
}
