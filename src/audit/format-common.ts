/**
 * The pieces both audit renderings are made of, the listing (format.ts) and
 * the explanation of one row (format-explain.ts): ledger text made safe for a
 * terminal, a returning stake and its investment tranches in words, the
 * disputed note, a row, a stake and a conversion (SPEC §8) as JSON.
 */
import { rateCitation } from '../load/convert.js';
import { formatAmount, minorDigits } from '../money/amount.js';
import { source, type Conversion, type Row } from '../model.js';
import type { RevenueLine } from '../report/reports.js';
import { withThousands } from '../report/text-table.js';
import type { AuditStake } from './audit.js';
import type { Style } from './style.js';

/**
 * Ledger text shown on a terminal: control characters (line breaks in a
 * quoted memo, escape sequences) become spaces, so they can neither break the
 * columns nor drive the terminal.
 */
export function clean(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f-\u009f]+/g, ' ');
}

function stakeDealText(s: AuditStake): string {
  return s.stake.deal === '' ? 'no deal' : `deal ${s.stake.deal}`;
}

/** The route of a stake in words, naming the payer. */
export function routeText(s: AuditStake): string {
  return s.route === 'direct'
    ? `direct: paid back by ${s.payer}, the investee`
    : `indirect: paid back by ${s.payer}, not by the investee`;
}

/**
 * SPEC §8: how a converted row's amount was made, for the table:
 * `converted from 463,000,000.00 EUR × 1.0790 (EUR→USD of 2026-02-01, _rates.csv:3)`.
 */
export function convertedFrom(c: Conversion): string {
  return `converted from ${withThousands(formatAmount(c.amount, minorDigits(c.currency)))} ${c.currency} ${c.inverse ? '÷' : '×'} ${c.rate.rate} (${clean(rateCitation(c))})`;
}

/** `file:line ID amount` for the rows of one investment tranche, payer's row first (a converted row says from what). */
function trancheText(rows: readonly Row[], money: (m: bigint) => string): string {
  return rows.map((r) => `${clean(source(r))} ${clean(r.id)} ${money(r.amount)}${r.conversion === undefined ? '' : ` (${convertedFrom(r.conversion)})`}`).join(' → ');
}

/** The indented lines under a receipt: each returning stake and the tranches it traces to. */
export function stakeLines(stakes: readonly AuditStake[], money: (m: bigint) => string, style: Style, indent: string): string[] {
  const out: string[] = [];
  for (const s of stakes) {
    out.push(style.dim(`${indent}↳ ${money(s.amount)} circular: stake ${s.stake.key} (investee ${s.stake.investee}, ${stakeDealText(s)}), ${routeText(s)}`));
    const n = s.tranches.length;
    if (n === 0) out.push(style.dim(`${indent}    no investment row found for this stake`));
    for (const tr of s.tranches) {
      out.push(style.dim(`${indent}    invested ${tr.transfer.primary.date}, tranche ${tr.tranche} of ${n}: ${trancheText(tr.rows, money)}`));
    }
  }
  return out;
}

export function disputedNote(line: RevenueLine): string {
  return `! disputed: ${line.transfer.payer} recorded this payment as ${line.payerKind}, not a purchase (kind_mismatch)`;
}

/** A ledger row as JSON (amounts as strings). */
export function rowJson(r: Row, money: (m: bigint) => string): Record<string, unknown> {
  return {
    company: r.company,
    id: r.id,
    date: r.date,
    direction: r.direction,
    counterparty: r.counterparty,
    kind: r.kind,
    category: r.category,
    amount: money(r.amount),
    ref: r.ref,
    deal: r.deal,
    memo: r.memo,
    source: source(r),
    ...(r.conversion === undefined ? {} : { conversion: conversionJson(r.conversion) }),
  };
}

/** SPEC §8: a converted row's amount as written, its currency and the rate used. */
export function conversionJson(c: Conversion): Record<string, string> {
  return {
    amount: formatAmount(c.amount, minorDigits(c.currency)),
    currency: c.currency,
    rate: c.rate.rate,
    from: c.rate.from,
    to: c.rate.to,
    rate_date: c.rate.date,
    direction: c.inverse ? 'inverse' : 'direct',
    source: `${c.ratesFile}:${c.rate.line}`,
  };
}

export function stakeJson(s: AuditStake, money: (m: bigint) => string): Record<string, unknown> {
  return {
    stake: s.stake.key,
    investor: s.stake.investor,
    investee: s.stake.investee,
    deal: s.stake.deal,
    route: s.route,
    payer: s.payer,
    amount: money(s.amount),
    tranches: s.tranches.map((tr) => ({ tranche: tr.tranche, rows: tr.rows.map((r) => rowJson(r, money)) })),
  };
}
