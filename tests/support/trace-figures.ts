/** A trace's result as plain figures, to compare two traces of the same transfers. */
import type { TraceResult } from '../../src/trace/trace.js';

export function figures(r: TraceResult) {
  return {
    method: r.method,
    earmark: r.earmark,
    returned: r.returnedByTransfer,
    returning: [...r.returning].map((x) => `${x.transfer.index}:${x.stake.key}>${x.stake.investor}>${x.stake.investee}#${x.stake.deal}:${x.amount}:${x.origins}:${x.company}:${x.cited.seq}:${x.kind}:${x.category}`),
    // The same read without the objects (the list's accessors, as circular.csv is written).
    read: Array.from({ length: r.returning.length }, (_, i) => `${r.returning.transferAt(i).index}:${r.returning.stakeAt(i).key}:${r.returning.amountAt(i)}`),
    unfunded: r.unfunded.map((e) => `${e.company}:${e.id}:${e.row.seq}:${e.counterparty}:${e.counterpartyRow?.seq}:${e.amount}:${e.detail}`),
    books: [...r.books.entries()],
    origins: [...r.origins.entries()].map(([key, list]) => `${key}:${list.map((t) => t.index).join(',')}`),
    problems: r.viewProblems,
    state: r.state,
    order: r.order.map((t) => t.index),
  };
}
