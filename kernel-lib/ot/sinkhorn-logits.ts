import { EstimationError } from '../core/errors.js';
import { NeumaierSum } from '../core/sum.js';
import { assertSameShape, checkTemperature, logSoftmaxRow, toLogits, type Logits } from '../fdiv/logits.js';
import { checkSinkhornOptions, solveSinkhornLog, solveSymmetricSinkhornLog, toCost, type CostMatrix, type SinkhornOptions, type SinkhornReport } from './sinkhorn.js';

export interface SinkhornLogitOptions extends SinkhornOptions {
  /** Softmax temperature T > 0 for both logit arrays (default 1). */
  readonly temperature?: number;
  /** Mean (default) or sum over rows. */
  readonly reduction?: 'mean' | 'sum';
  /**
   * Use the debiased Sinkhorn divergence S_ε(p, q) = W_ε(p, q) − ½W_ε(p, p) − ½W_ε(q, q)
   * (Genevay, Peyré & Cuturi 2018, AISTATS, eq. (3); Feydy et al. 2019, AISTATS, eq. (4)), which is
   * 0 at p = q and so does not shrink a fitted distribution. Default false (plain W_ε).
   */
  readonly debiased?: boolean;
  /** Compute gradients (default true). */
  readonly grad?: boolean;
}

export interface SinkhornLogitResult {
  /** Reduced W_ε (or S_ε with `debiased`) over rows: the quantity the gradients belong to. */
  readonly value: number;
  /** Per-row W_ε = ⟨P, C⟩ + ε Σ P log P (or S_ε). */
  readonly rows: Float64Array;
  /** Per-row transport cost ⟨P*, C⟩ of the (p, q) plan — POT's `ot.sinkhorn2` value. */
  readonly transport: Float64Array;
  /** ∂value/∂a, ∂value/∂b (rows × classes), or null with `grad: false`. */
  readonly gradP: Float64Array | null;
  readonly gradQ: Float64Array | null;
  /** One convergence report per row (of the (p, q) problem). */
  readonly reports: readonly SinkhornReport[];
  readonly converged: boolean;
  readonly divergence: 'sinkhorn' | 'sinkhorn-debiased';
  readonly params: Readonly<Record<string, unknown>>;
  readonly shape: readonly [number, number];
}

/**
 * Entropic OT between the rows of p = softmax(a/T) and q = softmax(b/T) (a shared class-to-class
 * cost C, classes × classes), as in Sinkhorn-based distillation, with gradients with respect to
 * both logit arrays. Per row, W_ε(p, q) = ⟨f, p⟩ + ⟨g, q⟩ with the dual potentials (f, g) of
 * {@link sinkhorn}; the envelope theorem gives ∂W_ε/∂p = f along the simplex, and the softmax chain
 * rule ∂W_ε/∂a_k = p_k (f_k − ⟨f, p⟩)/T (the potentials' free constant cancels). With `debiased`,
 * ∂S_ε/∂p = f_pq − f_pp (the symmetric problem's potential counts twice, halved).
 *
 * @example ot.sinkhornLogits([[0, 0]], [[0, 0]], [[0, 1], [1, 0]], { reg: 0.1, debiased: true }).value // 0
 */
export function sinkhornLogits(logitsP: Logits, logitsQ: Logits, cost: CostMatrix, options: SinkhornLogitOptions): SinkhornLogitResult {
  const A = toLogits(logitsP, 'logitsP');
  const B = toLogits(logitsQ, 'logitsQ');
  assertSameShape(A, B, 'logitsP', 'logitsQ');
  const n = A.cols, rows = A.rows;
  const C = toCost(cost, n, n);
  const { reg, maxIter, tol, checkEvery } = checkSinkhornOptions(options);
  const T = checkTemperature(options.temperature);
  const reduction = options.reduction ?? 'mean';
  const debiased = options.debiased ?? false;
  const wantGrad = options.grad ?? true;
  const lp = new Float64Array(n), p = new Float64Array(n), lq = new Float64Array(n), q = new Float64Array(n);
  const out = new Float64Array(rows), transport = new Float64Array(rows);
  const gradP = wantGrad ? new Float64Array(rows * n) : null;
  const gradQ = wantGrad ? new Float64Array(rows * n) : null;
  const reports: SinkhornReport[] = [];
  const scale = (reduction === 'mean' ? 1 / rows : 1) / T;
  const solve = (x: Float64Array, lx: Float64Array, y: Float64Array, ly: Float64Array) => {
    const s = solveSinkhornLog(x, y, C, reg, maxIter, tol, checkEvery, lx, ly);
    const dot = (pot: Float64Array, w: Float64Array) => { const acc = new NeumaierSum(); for (let i = 0; i < n; i++) if (w[i] > 0) acc.add(pot[i] * w[i]); return acc.value; };
    return { ...s, w: dot(s.f, x) + dot(s.g, y) };
  };
  let symmetric = true;
  for (let i = 0; i < n && symmetric; i++) for (let j = 0; j < i; j++) if (C[i * n + j] !== C[j * n + i]) { symmetric = false; break; }
  /** W_ε(x, x) and its gradient ½(f + g) (= f for a symmetric cost, solved by the averaged update). */
  const solveSelf = (x: Float64Array, lx: Float64Array) => {
    if (!symmetric) {
      const s = solve(x, lx, x, lx);
      return { w: s.w, grad: s.f.map((v, i) => 0.5 * (v + s.g[i])) };
    }
    const s = solveSymmetricSinkhornLog(x, lx, C, reg, maxIter, tol, checkEvery);
    let acc = 0;
    for (let i = 0; i < n; i++) if (x[i] > 0) acc += s.f[i] * x[i];
    return { w: 2 * acc, grad: s.f };
  };
  const total = new NeumaierSum();
  for (let r = 0; r < rows; r++) {
    logSoftmaxRow(A.data, r, n, 1 / T, lp, p, 'logitsP');
    logSoftmaxRow(B.data, r, n, 1 / T, lq, q, 'logitsQ');
    const pq = solve(p, lp, q, lq);
    reports.push({ iterations: pq.iterations, converged: pq.converged, marginalError: pq.marginalError });
    const tc = new NeumaierSum();
    for (let i = 0; i < n; i++) {
      if (p[i] === 0) continue;
      for (let j = 0; j < n; j++) if (q[j] > 0) tc.add(Math.exp((pq.f[i] + pq.g[j] - C[i * n + j]) / reg) * C[i * n + j]);
    }
    transport[r] = tc.value;
    let value = pq.w;
    let fp = pq.f, fq = pq.g;
    if (debiased) {
      const pp = solveSelf(p, lp), qq = solveSelf(q, lq);
      value = pq.w - 0.5 * pp.w - 0.5 * qq.w;
      // ∂W_ε(p, p)/∂p = f + g (p enters both marginals), halved by the ½ of S_ε.
      fp = pq.f.map((x, i) => x - pp.grad[i]);
      fq = pq.g.map((x, i) => x - qq.grad[i]);
    }
    if (value !== value) throw new EstimationError('options.reg', `Sinkhorn gave NaN at row ${r}; check the cost and ε`);
    out[r] = value;
    total.add(value);
    if (gradP && gradQ) {
      const ep = dotSupport(fp, p), eq = dotSupport(fq, q);
      for (let k = 0; k < n; k++) {
        gradP[r * n + k] = p[k] > 0 ? p[k] * (fp[k] - ep) * scale : 0;
        gradQ[r * n + k] = q[k] > 0 ? q[k] * (fq[k] - eq) * scale : 0;
      }
    }
  }
  const sum = total.value;
  return {
    value: reduction === 'mean' ? sum / rows : sum,
    rows: out, transport, gradP, gradQ, reports,
    converged: reports.every((x) => x.converged),
    divergence: debiased ? 'sinkhorn-debiased' : 'sinkhorn',
    params: { reg, temperature: T, reduction, debiased, maxIter, tol },
    shape: [rows, n],
  };
}

function dotSupport(x: Float64Array, w: Float64Array): number {
  const s = new NeumaierSum();
  for (let i = 0; i < x.length; i++) if (w[i] > 0) s.add(x[i] * w[i]);
  return s.value;
}
