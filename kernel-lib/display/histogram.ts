/**
 * `histogram`: equal-width bins over the finite values of a sample — how an estimate's per-sample
 * terms travel in a payload (40 counts instead of n numbers). Pure; the extension uses it too.
 */
import type { Histogram } from './payload.js';

/**
 * Equal-width histogram of the finite values of `values` over [min, max] (the last bin closed).
 * Non-finite values are left out. All-equal values give one bin of width 1 centred on them.
 *
 * @example
 * histogram([0, 1, 1, 2], 2)   // { edges: [0, 1, 2], counts: [1, 3] }
 */
export function histogram(values: ArrayLike<number>, bins = 40): Histogram {
  let lo = Infinity, hi = -Infinity, n = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isFinite(v)) continue;
    n++;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (n === 0) return { edges: [], counts: [] };
  if (hi === lo) return { edges: [lo - 0.5, lo + 0.5], counts: [n] };
  const b = Math.max(1, Math.min(bins, n));
  const width = (hi - lo) / b;
  const counts = new Array<number>(b).fill(0);
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isFinite(v)) continue;
    counts[Math.min(b - 1, Math.floor((v - lo) / width))]!++;
  }
  const edges = Array.from({ length: b + 1 }, (_, i) => (i === b ? hi : lo + i * width));
  return { edges, counts };
}
