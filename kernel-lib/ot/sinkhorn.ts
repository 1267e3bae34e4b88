/**
 * Entropic optimal transport between two discrete distributions, solved by Sinkhorn's iterations
 * in the log domain (Cuturi 2013, NeurIPS, "Sinkhorn distances", eqs. (2) and Alg. 1; Peyré &
 * Cuturi 2019, *Computational Optimal Transport*, §4.2 (Sinkhorn) and §4.4 (log-domain updates)).
 *
 * Problem (the convention of POT's `ot.sinkhorn`, Ω(P) = Σ P log P):
 *   P* = argmin_{P ∈ U(a,b)} ⟨P, C⟩ + ε Σ_ij P_ij log P_ij,   U(a,b) = {P ≥ 0 : P1 = a, Pᵀ1 = b}.
 * The solution is P_ij = exp((f_i + g_j − C_ij)/ε), with the dual potentials updated as
 *   g_j ← ε log b_j − ε LSE_i((f_i − C_ij)/ε),   f_i ← ε log a_i − ε LSE_j((g_j − C_ij)/ε)
 * (max-shifted log-sum-exp, so no underflow for small ε, unlike the kernel-scaling form).
 * Reported:
 *   value       = ⟨P*, C⟩ — what POT's `ot.sinkhorn2` returns (the "Sinkhorn distance" of Cuturi 2013, eq. (2));
 *   regularized = ⟨P*, C⟩ + ε Σ P* log P* = ⟨f, a⟩ + ⟨g, b⟩ (strong duality, Peyré & Cuturi §4.4, shifted
 *                 by the constant ε of their −ε H(P) convention);
 *   gradA, gradB = f, g: the gradient of `regularized` along the simplex (envelope theorem on the dual;
 *                 Peyré & Cuturi §9.1; Feydy et al. 2019, AISTATS, §3), defined up to a
 *                 constant — returned in the gauge ⟨f, a⟩ = ⟨g, b⟩. Where a_i = 0 the derivative is −∞.
 * Convergence is checked as POT does: every `checkEvery` iterations, ‖Pᵀ1 − b‖₂ < `tol` after the f
 * update (so P1 = a holds to round-off).
 */
import { DimensionMismatchError, EstimationError, InvalidParameterError, NonFiniteError, ShapeError } from '../core/errors.js';
import type { Matrix } from '../core/matrix.js';
import { NeumaierSum } from '../core/sum.js';

export interface SinkhornOptions {
  /** Entropic regularisation ε > 0 (POT's `reg`), in the units of the cost. */
  readonly reg: number;
  /** Most iterations (one g and one f update each). Default 1000 (POT's numItermax). */
  readonly maxIter?: number;
  /** Stop when ‖Pᵀ1 − b‖₂ < tol. Default 1e-9 (POT's stopThr). */
  readonly tol?: number;
  /** Check the marginal error every this many iterations (default 10, as POT). */
  readonly checkEvery?: number;
}

export interface SinkhornReport {
  readonly iterations: number;
  readonly converged: boolean;
  /** ‖Pᵀ1 − b‖₂ at the last check. */
  readonly marginalError: number;
}

export interface SinkhornResult extends SinkhornReport {
  /** ⟨P*, C⟩ (POT `ot.sinkhorn2`). */
  readonly value: number;
  /** ⟨P*, C⟩ + ε Σ P* log P*. */
  readonly regularized: number;
  /** The plan P* (n × m, row-major). */
  readonly plan: Matrix;
  /** Dual potentials f (n), g (m): the gradient of `regularized` with respect to a and b along the simplex. */
  readonly gradA: Float64Array;
  readonly gradB: Float64Array;
  readonly reg: number;
}

/** A cost matrix as number[][] (n × m), { data, shape: [n, m] } or a Matrix. */
export type CostMatrix = readonly (readonly number[])[] | Matrix | { readonly data: ArrayLike<number>; readonly shape: readonly [number, number] };

/** Validates a probability vector: finite, ≥ 0, summing to 1 within 1e-8 (renormalised exactly). */
export function toHistogram(x: ArrayLike<number>, name: string): Float64Array {
  if (x === null || x === undefined || typeof x.length !== 'number' || x.length === 0) throw new ShapeError(name, 'expected a non-empty array of probabilities');
  const out = new Float64Array(x.length);
  const s = new NeumaierSum();
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new NonFiniteError(name, `entry ${i} is ${String(v)}; probabilities must be finite`);
    if (v < 0) throw new InvalidParameterError(name, `entry ${i} is negative (${v}); probabilities must be ≥ 0`);
    out[i] = v;
    s.add(v);
  }
  const tot = s.value;
  if (!(Math.abs(tot - 1) <= 1e-8)) throw new InvalidParameterError(name, `sums to ${tot}, not 1; normalise it (Sinkhorn here is balanced OT between probability vectors)`);
  for (let i = 0; i < out.length; i++) out[i] /= tot;
  return out;
}

/** Parses and validates a cost matrix of shape n × m (finite entries). */
export function toCost(c: CostMatrix, n: number, m: number, name = 'cost'): Float64Array {
  let data: ArrayLike<number>, rows: number, cols: number;
  if (Array.isArray(c)) {
    rows = c.length;
    cols = rows > 0 ? (c[0] as readonly number[]).length : 0;
    const d = new Float64Array(rows * cols);
    for (let i = 0; i < rows; i++) {
      const r = c[i] as readonly number[];
      if (!r || r.length !== cols) throw new ShapeError(name, `ragged rows: row ${i} has ${r?.length} entries, row 0 has ${cols}`);
      for (let j = 0; j < cols; j++) d[i * cols + j] = r[j];
    }
    data = d;
  } else if (c && typeof c === 'object' && 'shape' in c) {
    [rows, cols] = c.shape;
    data = c.data;
  } else if (c && typeof c === 'object' && 'rows' in c) {
    rows = (c as Matrix).rows;
    cols = (c as Matrix).cols;
    data = (c as Matrix).data;
  } else {
    throw new ShapeError(name, 'expected number[][] (n × m) or {data, shape: [n, m]}');
  }
  if (rows !== n || cols !== m) throw new DimensionMismatchError(name, `has shape [${rows}, ${cols}] but a has ${n} entries and b has ${m}; the cost must be n × m`);
  if (data.length !== n * m) throw new ShapeError(name, `data has length ${data.length}, shape needs ${n * m}`);
  const out = data instanceof Float64Array ? data : Float64Array.from(data);
  for (let i = 0; i < out.length; i++) {
    if (!Number.isFinite(out[i])) throw new NonFiniteError(name, `entry (${Math.floor(i / m)}, ${i % m}) is ${out[i]}; costs must be finite`);
  }
  return out;
}

/** Validates the Sinkhorn options. */
export function checkSinkhornOptions(o: SinkhornOptions): { reg: number; maxIter: number; tol: number; checkEvery: number } {
  const reg = o?.reg;
  if (typeof reg !== 'number' || !Number.isFinite(reg) || reg <= 0) throw new InvalidParameterError('options.reg', `must be a finite number > 0 (the entropic regularisation ε), got ${String(reg)}`);
  const maxIter = o.maxIter ?? 1000;
  if (!Number.isInteger(maxIter) || maxIter < 1) throw new InvalidParameterError('options.maxIter', `must be a positive integer, got ${String(o.maxIter)}`);
  const tol = o.tol ?? 1e-9;
  if (typeof tol !== 'number' || !(tol >= 0)) throw new InvalidParameterError('options.tol', `must be a number ≥ 0, got ${String(o.tol)}`);
  const checkEvery = o.checkEvery ?? 10;
  if (!Number.isInteger(checkEvery) || checkEvery < 1) throw new InvalidParameterError('options.checkEvery', `must be a positive integer, got ${String(o.checkEvery)}`);
  return { reg, maxIter, tol, checkEvery };
}

/**
 * The log-domain solver on validated inputs (a: n, b: m, C: n×m row-major). Returns the potentials
 * and the report. `logA`/`logB` pass log a, log b when they are known more accurately than log(a)
 * (log-softmax outputs).
 */
export function solveSinkhornLog(a: Float64Array, b: Float64Array, C: Float64Array, reg: number, maxIter: number, tol: number,
  checkEvery: number, logA?: Float64Array, logB?: Float64Array): { f: Float64Array; g: Float64Array } & SinkhornReport {
  const n = a.length, m = b.length;
  const la = logA ?? a.map(Math.log), lb = logB ?? b.map(Math.log);
  // K = −C/ε (row-major n×m) and its transpose for cache-friendly column passes.
  const K = new Float64Array(n * m), Kt = new Float64Array(n * m);
  const ie = 1 / reg;
  for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) { const k = -C[i * m + j] * ie; K[i * m + j] = k; Kt[j * n + i] = k; }
  const fe = new Float64Array(n); // f/ε
  const ge = new Float64Array(m); // g/ε
  const colLse = (j: number): number => {
    let mx = -Infinity;
    const off = j * n;
    for (let i = 0; i < n; i++) { const t = fe[i] + Kt[off + i]; if (t > mx) mx = t; }
    if (mx === -Infinity) return -Infinity;
    let s = 0;
    for (let i = 0; i < n; i++) s += Math.exp(fe[i] + Kt[off + i] - mx);
    return mx + Math.log(s);
  };
  const rowLse = (i: number): number => {
    let mx = -Infinity;
    const off = i * m;
    for (let j = 0; j < m; j++) { const t = ge[j] + K[off + j]; if (t > mx) mx = t; }
    if (mx === -Infinity) return -Infinity;
    let s = 0;
    for (let j = 0; j < m; j++) s += Math.exp(ge[j] + K[off + j] - mx);
    return mx + Math.log(s);
  };
  let err = Infinity;
  let it = 0;
  let converged = false;
  for (it = 1; it <= maxIter; it++) {
    for (let j = 0; j < m; j++) ge[j] = lb[j] === -Infinity ? -Infinity : lb[j] - colLse(j);
    for (let i = 0; i < n; i++) fe[i] = la[i] === -Infinity ? -Infinity : la[i] - rowLse(i);
    if ((it - 1) % checkEvery === 0 || it === maxIter) {
      let e2 = 0;
      for (let j = 0; j < m; j++) {
        const cj = ge[j] === -Infinity ? 0 : Math.exp(ge[j] + colLse(j));
        e2 += (cj - b[j]) ** 2;
      }
      err = Math.sqrt(e2);
      if (err !== err) throw new EstimationError('options.reg', `Sinkhorn produced NaN at iteration ${it}; check the cost matrix and ε = ${reg}`);
      if (err < tol) { converged = true; break; }
    }
  }
  const f = new Float64Array(n), g = new Float64Array(m);
  for (let i = 0; i < n; i++) f[i] = fe[i] * reg;
  for (let j = 0; j < m; j++) g[j] = ge[j] * reg;
  return { f, g, iterations: Math.min(it, maxIter), converged, marginalError: err };
}

/**
 * The symmetric problem W_ε(a, a) for a symmetric cost (C = Cᵀ), whose optimal potentials satisfy f = g:
 * the averaged fixed-point update f ← ½(f + ε log a − ε LSE_j((f_j − C_ij)/ε)) of Feydy et al. (2019,
 * AISTATS, §3.1, "symmetric Sinkhorn"), which converges in a few iterations where the alternating
 * updates oscillate. Stops when the row-marginal error ‖P1 − a‖₂ < tol.
 */
export function solveSymmetricSinkhornLog(a: Float64Array, la: Float64Array, C: Float64Array, reg: number, maxIter: number, tol: number,
  checkEvery: number): { f: Float64Array } & SinkhornReport {
  const n = a.length;
  const ie = 1 / reg;
  const K = new Float64Array(n * n);
  for (let i = 0; i < n * n; i++) K[i] = -C[i] * ie;
  const fe = new Float64Array(n); // f/ε
  const t = new Float64Array(n);
  const transform = () => {
    for (let i = 0; i < n; i++) {
      if (la[i] === -Infinity) { t[i] = -Infinity; continue; }
      let mx = -Infinity;
      const off = i * n;
      for (let j = 0; j < n; j++) { const v = fe[j] + K[off + j]; if (v > mx) mx = v; }
      let s = 0;
      for (let j = 0; j < n; j++) s += Math.exp(fe[j] + K[off + j] - mx);
      t[i] = la[i] - (mx + Math.log(s));
    }
  };
  // Start from the plain c-transform of 0 (one alternating half-step).
  transform();
  fe.set(t);
  let err = Infinity, it = 0, converged = false;
  for (it = 1; it <= maxIter; it++) {
    transform();
    if ((it - 1) % checkEvery === 0 || it === maxIter) {
      // Row sums of P(f, f) are a_i exp(f_i/ε − T(f)_i/ε).
      let e2 = 0;
      for (let i = 0; i < n; i++) if (a[i] > 0) e2 += (a[i] * Math.expm1(fe[i] - t[i])) ** 2;
      err = Math.sqrt(e2);
      if (err !== err) throw new EstimationError('options.reg', `symmetric Sinkhorn produced NaN at iteration ${it}; check the cost matrix and ε = ${reg}`);
      if (err < tol) { converged = true; break; }
    }
    for (let i = 0; i < n; i++) fe[i] = la[i] === -Infinity ? -Infinity : 0.5 * (fe[i] + t[i]);
  }
  const f = new Float64Array(n);
  for (let i = 0; i < n; i++) f[i] = fe[i] * reg;
  return { f, iterations: Math.min(it, maxIter), converged, marginalError: err };
}

/** ⟨x, w⟩ over the entries with w > 0 (so that −∞ potentials at zero masses do not give NaN). */
export function supportDot(x: Float64Array, w: Float64Array): number {
  const s = new NeumaierSum();
  for (let i = 0; i < x.length; i++) if (w[i] > 0) s.add(x[i] * w[i]);
  return s.value;
}

/**
 * Sinkhorn distance between probability vectors a (n) and b (m) under the cost C (n × m), with
 * the plan, the regularised objective and its gradient (the dual potentials) and a convergence
 * report; see the module comment for the formulas.
 *
 * @example
 * ot.sinkhorn([0.5, 0.5], [0.5, 0.5], [[0, 1], [1, 0]], { reg: 0.1 }).value
 * // 2·P_01 with P_01 = 0.5/(1 + e^{10}) → 4.540e-5
 */
export function sinkhorn(a: ArrayLike<number>, b: ArrayLike<number>, cost: CostMatrix, options: SinkhornOptions): SinkhornResult {
  const A = toHistogram(a, 'a');
  const B = toHistogram(b, 'b');
  const C = toCost(cost, A.length, B.length);
  const { reg, maxIter, tol, checkEvery } = checkSinkhornOptions(options);
  const s = solveSinkhornLog(A, B, C, reg, maxIter, tol, checkEvery);
  const n = A.length, m = B.length;
  const plan = new Float64Array(n * m);
  const lin = new NeumaierSum(), ent = new NeumaierSum();
  const ie = 1 / reg;
  for (let i = 0; i < n; i++) {
    if (A[i] === 0) continue;
    for (let j = 0; j < m; j++) {
      if (B[j] === 0) continue;
      const lpij = (s.f[i] + s.g[j] - C[i * m + j]) * ie;
      const pij = Math.exp(lpij);
      plan[i * m + j] = pij;
      lin.add(pij * C[i * m + j]);
      if (pij > 0) ent.add(pij * lpij);
    }
  }
  // Gauge ⟨f, a⟩ = ⟨g, b⟩: shift f by −δ and g by +δ, δ = (⟨f,a⟩ − ⟨g,b⟩)/2.
  const fa = supportDot(s.f, A), gb = supportDot(s.g, B);
  const delta = (fa - gb) / 2;
  for (let i = 0; i < n; i++) s.f[i] -= delta;
  for (let j = 0; j < m; j++) s.g[j] += delta;
  return {
    value: lin.value,
    regularized: lin.value + reg * ent.value,
    plan: { data: plan, rows: n, cols: m },
    gradA: s.f,
    gradB: s.g,
    reg,
    iterations: s.iterations,
    converged: s.converged,
    marginalError: s.marginalError,
  };
}
