/**
 * Compensated summation (Kahan–Babuška–Neumaier; Neumaier 1974). Error bound O(ε) independent of
 * the number of terms, unlike naive summation's O(nε).
 */

/** Σ values (Neumaier). */
export function sum(values: ArrayLike<number>): number {
  let s = 0;
  let c = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    const t = s + v;
    c += Math.abs(s) >= Math.abs(v) ? s - t + v : v - t + s;
    s = t;
  }
  return s + c;
}

/** Arithmetic mean with compensated summation. */
export function mean(values: ArrayLike<number>): number {
  return sum(values) / values.length;
}

/** A running compensated sum for streaming accumulation. */
export class NeumaierSum {
  private s = 0;
  private c = 0;
  add(v: number): this {
    const t = this.s + v;
    this.c += Math.abs(this.s) >= Math.abs(v) ? this.s - t + v : v - t + this.s;
    this.s = t;
    return this;
  }
  get value(): number {
    return this.s + this.c;
  }
}

/** Sample variance (ddof = 1) by Welford's one-pass algorithm. */
export function variance(values: ArrayLike<number>): number {
  let m = 0;
  let m2 = 0;
  for (let i = 0; i < values.length; i++) {
    const d = values[i] - m;
    m += d / (i + 1);
    m2 += d * (values[i] - m);
  }
  return values.length > 1 ? m2 / (values.length - 1) : NaN;
}

/** log Σ exp(values), max-shifted so that it neither overflows nor underflows. */
export function logSumExp(values: ArrayLike<number>): number {
  let mx = -Infinity;
  for (let i = 0; i < values.length; i++) if (values[i] > mx) mx = values[i];
  if (mx === -Infinity || mx === Infinity) return mx;
  const acc = new NeumaierSum();
  for (let i = 0; i < values.length; i++) acc.add(Math.exp(values[i] - mx));
  return mx + Math.log(acc.value);
}
