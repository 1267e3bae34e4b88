/**
 * e^x for x ≤ 0, the inner-loop exponential of the float64 kernel sums and the cross-validation
 * objectives (≈ 3× cheaper than `Math.exp` in V8, which calls out of the optimised loop).
 *
 * Table-driven reduction (Tang 1989, ACM TOMS 15(2) 144, §2): x = (64k' + j)·ln2/64 + r with
 * |r| ≤ ln2/128, so e^x = 2^{k'}·2^{j/64}·e^r; ln2/64 is split hi + lo (Cody–Waite) so r is exact to
 * ≈ 2^−60, e^r is its degree-5 Taylor polynomial (truncation r⁶/720 ≤ 4e−17), 2^{j/64} and 2^{k'}
 * come from tables. Relative error ≤ 1e−15 (tested against `Math.exp` on [−745, 0]; measured
 * ≤ 4.3e−16, i.e. ≤ 2 ulp); exactly 0 below −745 (where e^x < 2^−1074 anyway), 1 at 0.
 * Not for x > 0 (callers pass max-shifted exponents or −U/2 ≤ 0).
 */
const STEPS = 64;
const TWO_J = new Float64Array(STEPS);
for (let j = 0; j < STEPS; j++) TWO_J[j] = Math.pow(2, j / STEPS);
/** 2^(e − POW_BIAS) for e = 0 … POW_BIAS (the integer part k' ∈ [−1075, 0]). */
const POW_BIAS = 1100;
const TWO_K = new Float64Array(POW_BIAS + 1);
for (let e = 0; e <= POW_BIAS; e++) TWO_K[e] = Math.pow(2, e - POW_BIAS);
const LN2_HI = 0.6931471803691238 / STEPS; // ln 2 with its last 20 bits zero: k·LN2_HI is exact
const LN2_LO = 1.9082149292705877e-10 / STEPS;
const INV = STEPS / Math.LN2;
const ROUND = 6755399441055744; // 1.5·2^52: (t + ROUND) − ROUND rounds t to the nearest integer

/** e^x for x ≤ 0 (see module doc); 0 below −745. */
export function expNeg(x: number): number {
  if (!(x >= -745)) return x !== x ? NaN : 0;
  const kf = x * INV + ROUND - ROUND;
  const r = x - kf * LN2_HI - kf * LN2_LO;
  const k = kf | 0;
  const p = 1 + r * (1 + r * (0.5 + r * (1 / 6 + r * (1 / 24 + r * (1 / 120)))));
  return TWO_J[k & (STEPS - 1)] * p * TWO_K[(k >> 6) + POW_BIAS];
}
