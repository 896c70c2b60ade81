/**
 * SPEC §10 as a property: any valid ledger, written out as an ERP would
 * (any separator, decimal mark, digit grouping, date format, signed amounts
 * or two amount columns, quoted values), and read back through the matching
 * rules file, gives back exactly that ledger.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatAmount, minorDigits } from '../../../src/money/amount.js';
import { ledgerText } from '../../../src/write/ledger.js';
import { convert } from '../../support/rules.js';

interface Row {
  id: string;
  date: { y: number; m: number; d: number; time?: [number, number, number] };
  direction: 'in' | 'out';
  counterparty: string;
  kind: string;
  category: string;
  minor: bigint;
  currency: string;
  ref: string;
  memo: string;
}

const two = (n: number): string => String(n).padStart(2, '0');
const text = fc
  .string({ unit: fc.constantFrom('a', 'B', 'é', ' ', ',', ';', '|', '"', '\n', '€', '-', '=', '1'), minLength: 1, maxLength: 12 })
  .filter((s) => s.trim() === s && s !== 'acme');

const row = fc.record({
  date: fc.record({ y: fc.integer({ min: 2000, max: 2099 }), m: fc.integer({ min: 1, max: 12 }), d: fc.integer({ min: 1, max: 28 }) }),
  direction: fc.constantFrom<'in' | 'out'>('in', 'out'),
  counterparty: text,
  kind: fc.constantFrom('investment', 'other', 'sale'),
  category: fc.constantFrom('', 'cloud', 'chips'),
  minor: fc.bigInt({ min: 1n, max: 999_999_999_999_999n }),
  currency: fc.constantFrom('USD', 'JPY', 'BHD'),
  ref: fc.constantFrom('', 'R-1', 'R-2'),
  memo: fc.option(text, { nil: '' }),
});

interface Dialect {
  separator: ',' | ';' | '|' | '\t';
  mark: '.' | ',';
  group: '' | 'other' | ' ' | '\u00a0';
  negative: '-' | '()';
  inOut: boolean;
  format: string;
  time: boolean;
}

const dialect: fc.Arbitrary<Dialect> = fc.record({
  separator: fc.constantFrom<Dialect['separator']>(',', ';', '|', '\t'),
  mark: fc.constantFrom<Dialect['mark']>('.', ','),
  group: fc.constantFrom<Dialect['group']>('', 'other', ' ', '\u00a0'),
  negative: fc.constantFrom<Dialect['negative']>('-', '()'),
  inOut: fc.boolean(),
  format: fc.constantFrom('%d.%m.%Y', '%m/%d/%Y', '%Y-%m-%d', '%-d/%-m/%y', '%Y%m%d'),
  time: fc.boolean(),
});

/** A date written in a format (the formats above), with ` %H:%M:%S` when `time`. */
function writeDate(r: Row, format: string): string {
  const { y, m, d } = r.date;
  const date = format
    .replace('%Y', String(y))
    .replace('%y', two(y % 100))
    .replace('%-m', String(m))
    .replace('%-d', String(d))
    .replace('%m', two(m))
    .replace('%d', two(d));
  return r.date.time === undefined ? date : `${date} ${r.date.time.map(two).join(':')}`;
}

/** Minor units written with the dialect's mark and grouping. */
function writeAmount(minor: bigint, digits: number, d: Dialect): string {
  const plain = formatAmount(minor, digits);
  const [whole, fraction] = plain.split('.') as [string, string | undefined];
  const sep = d.group === 'other' ? (d.mark === ',' ? '.' : ',') : d.group;
  const grouped = sep === '' ? whole : whole.replace(/\B(?=(\d{3})+$)/g, sep);
  return fraction === undefined ? grouped : `${grouped}${d.mark}${fraction}`;
}

function quote(value: string, separator: string): string {
  return value.includes(separator) || /["\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

describe('an export written in any dialect reads back as the ledger it came from', () => {
  it('round-trips', () => {
    fc.assert(
      fc.property(fc.array(row, { minLength: 1, maxLength: 8 }), dialect, fc.array(fc.tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }), fc.integer({ min: 0, max: 59 })), { minLength: 8, maxLength: 8 }), (drawn, d, times) => {
        const rows: Row[] = drawn.map((r, i) => {
          const kind = r.kind === 'sale' ? (r.direction === 'in' ? 'revenue' : 'purchase') : r.kind;
          const category = kind === 'revenue' || kind === 'purchase' ? r.category || 'cloud' : r.category;
          return { ...r, id: `r${i}`, kind, category, ref: r.ref === '' ? '' : `${r.ref}-${i}`, date: d.time ? { ...r.date, time: times[i] as [number, number, number] } : r.date };
        });
        const sep = d.separator === '\t' ? 'TAB' : d.separator;
        const amountFields = d.inOut ? 'amount-in, amount-out' : 'amount';
        const rules = [
          'skip 1',
          `separator ${sep}`,
          `decimal-mark ${d.mark}`,
          `date-format ${d.format}${d.time ? ' %H:%M:%S' : ''}`,
          `fields posted, id, partner, kind, category, ${amountFields}, currency, ref, memo`,
          'date %posted',
          'counterparty %partner',
          '',
        ].join('\n');
        const header = ['Posted', 'Doc', 'Partner', 'Kind', 'Category', ...(d.inOut ? ['In', 'Out'] : ['Amount']), 'Currency', 'Ref', 'Memo'];
        const lines = [header.join(d.separator)];
        for (const r of rows) {
          const amount = writeAmount(r.minor, minorDigits(r.currency), d);
          const signed = r.direction === 'in' ? amount : d.negative === '-' ? `-${amount}` : `(${amount})`;
          const money = d.inOut ? (r.direction === 'in' ? [amount, ''] : ['', amount]) : [signed];
          lines.push([writeDate(r, d.format), r.id, r.counterparty, r.kind, r.category, ...money, r.currency, r.ref, r.memo].map((v) => quote(v, d.separator)).join(d.separator));
        }
        const expected = ledgerText(
          rows.map((r) => {
            const date = `${r.date.y}-${two(r.date.m)}-${two(r.date.d)}${r.date.time === undefined ? '' : `T${r.date.time.map(two).join(':')}`}`;
            return [r.id, date, r.direction, r.counterparty, r.kind, r.category, formatAmount(r.minor, minorDigits(r.currency)), r.currency, r.ref, '', r.memo];
          }),
        );
        expect(convert(rules, `${lines.join('\r\n')}\r\n`)).toBe(expected);
      }),
      { numRuns: 200 },
    );
  });
});
