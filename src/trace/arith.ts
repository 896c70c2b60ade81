/**
 * The integer arithmetic of a trace. Every figure is an exact integer of
 * minor units; the trace runs on doubles when every figure it can meet stays
 * below 2^50 (doubles hold such integers exactly, and `allocateSafe` keeps its
 * products exact), and on BigInt otherwise. One implementation of the trace
 * serves both: it does its arithmetic through this interface.
 */
import { allocate, allocateSafe } from '../money/allocate.js';

export interface Arith<A> {
  readonly name: 'double' | 'bigint';
  readonly zero: A;
  add(x: A, y: A): A;
  sub(x: A, y: A): A;
  /** x < y */
  lt(x: A, y: A): boolean;
  min(x: A, y: A): A;
  /** SPEC §3.1 allocate; `total`, when given, is the sum of the weights (the caller knows it). */
  allocate(n: A, weights: readonly A[], total?: A): A[];
  of(x: bigint): A;
  big(x: A): bigint;
}

export const BIGINT: Arith<bigint> = {
  name: 'bigint',
  zero: 0n,
  add: (x, y) => x + y,
  sub: (x, y) => x - y,
  lt: (x, y) => x < y,
  min: (x, y) => (x < y ? x : y),
  allocate: (n, weights) => allocate(n, weights),
  of: (x) => x,
  big: (x) => x,
};

export const DOUBLE: Arith<number> = {
  name: 'double',
  zero: 0,
  add: (x, y) => x + y,
  sub: (x, y) => x - y,
  lt: (x, y) => x < y,
  min: (x, y) => (x < y ? x : y),
  allocate: (n, weights, sum) => {
    let total = 0;
    if (sum === undefined) for (const w of weights) total += w;
    else total = sum;
    if (weights.length === 0 || total <= 0 || n < 0) throw new RangeError('allocate needs weights with a positive sum and a non-negative amount');
    return allocateSafe(n, weights, total);
  },
  of: (x) => Number(x),
  big: (x) => BigInt(x),
};

/** While no company receives and pays this much in all, every balance, stake and split fits a double exactly. */
export const DOUBLE_LIMIT = 2n ** 50n;
