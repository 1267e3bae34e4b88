import { InvalidParameterError, NonFiniteError, DimensionMismatchError } from '../core/errors.js';
import type { Matrix } from '../core/matrix.js';
import { NeumaierSum } from '../core/sum.js';
import { logKernelSums, useGpu } from './kernel-sums.js';

/**
 * Kernel-weighted displacements — the bulk reduction behind the gradients of Gaussian-kernel
 * sums with respect to the query points. With k_ij = exp(−‖q_i − x_j‖²/(2h²)),
 *
 *   ∇_{q_i} Σ_j k_ij = −(1/h²) Σ_j k_ij (q_i − x_j) = −(s_i/h²) δ_i,
 *   s_i = Σ_j k_ij,   δ_i = Σ_j k_ij (q_i − x_j) / s_i = q_i − m_h(q_i),
 *
 * where m_h(q) = Σ_j k(q, x_j) x_j / Σ_j k(q, x_j) is the mean-shift point of q (Fukunaga & Hostetler
 * 1975; Comaniciu & Meer 2002, eq. (13)–(14)). Returning log s_i (max-shifted) and the normalised
 * δ_i keeps every gradient built from them finite when s_i underflows (far samples, large d):
 * callers form ratios s_i / Σ s in log space. Pairs with j = i contribute 0 to δ_i, so no
 * leave-one-out variant is needed for the gradients of Σ_{i≠j}.
 *
 * ## Two paths
 * - `cpu`: exact float64, direct differences q_i − x_j (no cancellation): per query row one pass
 *   for the squared distances and their minimum, one for the shifted exponentials; s_i is
 *   compensated (Neumaier). O(n·m·d), single-threaded.
 * - `gpu`: d + 1 weighted gpu.js kernel sums (`kernel-sums.ts`): s_i, and Σ_j k_ij w_jc with positive
 *   weights w_jc = x_jc − β_c, β_c = min_j x_jc − range_c (so w_jc ∈ [range_c, 2·range_c]); then
 *   δ_ic = (q_ic − β_c) − Σ_j k_ij w_jc / s_i. The subtraction cancels up to |q_ic − β_c| ≲ 3·range_c,
 *   so with the float32 inner loop |Δδ_ic| ≲ 1e−5·(|q_ic − β_c| + range_c) (tested). A constant
 *   column (range 0) gives δ_ic = q_ic − x_c exactly.
 */
export interface KernelDisplacementOptions {
  /** Bandwidth h > 0 in data units. */
  readonly h: number;
  /** 'cpu' (float64), 'gpu' (gpu.js, float32 inner loop) or 'auto' (as `kernelSums`). */
  readonly backend?: 'cpu' | 'gpu' | 'auto';
}

export interface KernelDisplacements {
  /** log s_i = log Σ_j exp(−‖q_i − x_j‖²/(2h²)), one per query row. */
  readonly logSums: Float64Array;
  /** δ_i = Σ_j k_ij (q_i − x_j) / s_i, row-major n × d. */
  readonly delta: Float64Array;
  /** The path that computed them. */
  readonly backend: 'cpu' | 'gpu';
}

/**
 * log s_i and δ_i (module doc) for every query row q_i against the reference rows x_j.
 *
 * @example kernelDisplacements(matrix(Float64Array.of(0), 1, 1), matrix(Float64Array.of(-1, 1), 2, 1), { h: 1 })
 *   // { logSums: [log(2e^{−1/2})], delta: [0] }   (symmetric neighbours pull equally)
 */
export function kernelDisplacements(query: Matrix, ref: Matrix, opts: KernelDisplacementOptions): KernelDisplacements {
  const h = opts.h;
  if (typeof h !== 'number' || !Number.isFinite(h)) throw new NonFiniteError('options.h', `bandwidth must be a finite number > 0, got ${String(h)}`);
  if (!(h > 0)) throw new InvalidParameterError('options.h', `bandwidth must be > 0, got ${h}`);
  if (query.cols !== ref.cols) throw new DimensionMismatchError('ref', `has dimension ${ref.cols} but the query has dimension ${query.cols}`);
  if (ref.rows < 1) throw new DimensionMismatchError('ref', 'has no rows');
  return useGpu(opts.backend, query.rows, ref.rows, ref.cols) ? weightedSumDisplacements(query, ref, h) : cpuDisplacements(query, ref, h);
}

/** Exact float64 path. */
function cpuDisplacements(query: Matrix, ref: Matrix, h: number): KernelDisplacements {
  const n = query.rows, m = ref.rows, d = ref.cols;
  const q = query.data, x = ref.data;
  const logSums = new Float64Array(n);
  const delta = new Float64Array(n * d);
  const r2 = new Float64Array(m);
  const acc = new Float64Array(d);
  const inv2 = 1 / (2 * h * h);
  for (let i = 0; i < n; i++) {
    const qi = i * d;
    let rmin = Infinity;
    for (let j = 0; j < m; j++) {
      const xj = j * d;
      let s = 0;
      for (let c = 0; c < d; c++) {
        const t = q[qi + c] - x[xj + c];
        s += t * t;
      }
      r2[j] = s;
      if (s < rmin) rmin = s;
    }
    const sum = new NeumaierSum();
    acc.fill(0);
    for (let j = 0; j < m; j++) {
      const e = (r2[j] - rmin) * inv2;
      if (e > 745) continue; // exp(−745) underflows to 0 in float64
      const k = Math.exp(-e);
      sum.add(k);
      const xj = j * d;
      for (let c = 0; c < d; c++) acc[c] += k * (q[qi + c] - x[xj + c]);
    }
    const s = sum.value;
    logSums[i] = Math.log(s) - rmin * inv2;
    for (let c = 0; c < d; c++) delta[qi + c] = acc[c] / s;
  }
  return { logSums, delta, backend: 'cpu' };
}

/** Through d + 1 gpu.js log-kernel sums with positive weights. */
function weightedSumDisplacements(query: Matrix, ref: Matrix, h: number): KernelDisplacements {
  const backend = 'gpu' as const;
  const n = query.rows, m = ref.rows, d = ref.cols;
  const logSums = logKernelSums(query, ref, { h, backend });
  const delta = new Float64Array(n * d);
  const w = new Float64Array(m);
  for (let c = 0; c < d; c++) {
    let lo = Infinity, hi = -Infinity;
    for (let j = 0; j < m; j++) {
      const v = ref.data[j * d + c];
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    const range = hi - lo;
    if (range === 0) {
      for (let i = 0; i < n; i++) delta[i * d + c] = query.data[i * d + c] - lo;
      continue;
    }
    const beta = lo - range;
    for (let j = 0; j < m; j++) w[j] = ref.data[j * d + c] - beta;
    const logWeighted = logKernelSums(query, ref, { h, backend, weights: w });
    for (let i = 0; i < n; i++) delta[i * d + c] = (query.data[i * d + c] - beta) - Math.exp(logWeighted[i] - logSums[i]);
  }
  return { logSums, delta, backend };
}
