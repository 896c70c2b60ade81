/**
 * SPEC §3.2 processing order: by the primary row's timestamp; within one
 * timestamp, money received at that moment can be spent at that moment.
 */
import type { Transfer } from '../model.js';

/** A binary min-heap of small integers. */
class IndexHeap {
  private items: number[] = [];
  get size(): number {
    return this.items.length;
  }
  push(value: number): void {
    const a = this.items;
    a.push(value);
    let i = a.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if ((a[parent] as number) <= value) break;
      a[i] = a[parent] as number;
      i = parent;
    }
    a[i] = value;
  }
  pop(): number {
    const a = this.items;
    const top = a[0] as number;
    const last = a.pop() as number;
    if (a.length > 0) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= a.length) break;
        const r = l + 1;
        const c = r < a.length && (a[r] as number) < (a[l] as number) ? r : l;
        if ((a[c] as number) >= last) break;
        a[i] = a[c] as number;
        i = c;
      }
      a[i] = last;
    }
    return top;
  }
}

/**
 * Within a group of transfers sharing one timestamp (already in key order):
 * repeatedly take the first by key whose payer has no remaining transfer of
 * the group paying into it; on a cycle, the first remaining by key.
 */
function orderGroup(group: readonly Transfer[], out: Transfer[]): void {
  const pending = new Map<string, number>();
  for (const t of group) if (t.payeeIsLedger) pending.set(t.payee, (pending.get(t.payee) ?? 0) + 1);
  const waiting = new Map<string, number[]>();
  const ready = new IndexHeap();
  group.forEach((t, k) => {
    if (t.payerIsLedger && (pending.get(t.payer) ?? 0) > 0) {
      const list = waiting.get(t.payer);
      if (list === undefined) waiting.set(t.payer, [k]);
      else list.push(k);
    } else ready.push(k);
  });
  const taken = new Array<boolean>(group.length).fill(false);
  let fallback = 0;
  let done = 0;
  while (done < group.length) {
    let k: number;
    if (ready.size > 0) {
      k = ready.pop();
      if (taken[k]) continue;
    } else {
      while (taken[fallback]) fallback++;
      k = fallback;
    }
    taken[k] = true;
    done++;
    const t = group[k] as Transfer;
    out.push(t);
    if (t.payeeIsLedger) {
      const left = (pending.get(t.payee) as number) - 1;
      pending.set(t.payee, left);
      if (left === 0) {
        for (const w of waiting.get(t.payee) ?? []) if (!taken[w]) ready.push(w);
        waiting.delete(t.payee);
      }
    }
  }
}

export function processingOrder(transfers: readonly Transfer[]): Transfer[] {
  // The sort keys read once per transfer (rows read their values from columns).
  const n = transfers.length;
  const ts = new Float64Array(n);
  const seq = new Float64Array(n);
  const company: string[] = new Array<string>(n);
  for (let i = 0; i < n; i++) {
    const p = (transfers[i] as Transfer).primary;
    ts[i] = p.ts;
    seq[i] = p.seq;
    company[i] = p.company;
  }
  const positions = Array.from({ length: n }, (_, i) => i).sort((x, y) => {
    const tx = ts[x] as number;
    const ty = ts[y] as number;
    if (tx !== ty) return tx - ty;
    const cx = company[x] as string;
    const cy = company[y] as string;
    if (cx !== cy) return cx < cy ? -1 : 1;
    return (seq[x] as number) - (seq[y] as number);
  });
  const sorted = positions.map((i) => transfers[i] as Transfer);
  const out: Transfer[] = [];
  for (let i = 0; i < sorted.length; ) {
    const at = ts[positions[i] as number] as number;
    let j = i + 1;
    while (j < sorted.length && ts[positions[j] as number] === at) j++;
    if (j - i === 1) out.push(sorted[i] as Transfer);
    else orderGroup(sorted.slice(i, j), out);
    i = j;
  }
  return out;
}
