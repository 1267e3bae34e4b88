import { InvalidParameterError, NonFiniteError, DimensionMismatchError } from '../core/errors.js';
import { inverseSpd, randomOrthogonal } from '../core/linalg.js';
import { eigh } from '../core/eigh.js';
import { toMatrix, type Samples } from '../core/matrix.js';
import { Rng } from '../core/rng.js';

/**
 * A target distribution π(x) ∝ exp(−V(x)) on ℝ^d for Gaussian variational inference, given by its
 * (possibly unnormalised) log-density log π = −V + const and its gradient; optionally its Hessian.
 * Plain objects work: `{ dim: 2, logDensity: (x) => …, gradLogDensity: (x) => … }`.
 */
export interface Target {
  /** Dimension d. */
  readonly dim: number;
  /** A short name for tables and legends. */
  readonly name?: string;
  /** log π(x) up to an additive constant (= −V(x) + const). */
  logDensity(x: Float64Array): number;
  /** ∇ log π(x) = −∇V(x), length d. */
  gradLogDensity(x: Float64Array): ArrayLike<number>;
  /** ∇² log π(x) = −∇²V(x), d×d row-major. Optional: without it, E∇²V is estimated by Stein's identity. */
  hessianLogDensity?(x: Float64Array): ArrayLike<number>;
  /**
   * Present for Gaussian targets N(μ, Σ): exact expectations of the quadratic potential and the
   * closed-form KL become available. `logDensity` must then be the normalised Gaussian log-density.
   */
  readonly gaussian?: { readonly mean: Float64Array; readonly cov: Float64Array; readonly precision: Float64Array };
  /** L: the potential is L-smooth (‖∇²V‖ ≤ L), when known. The FB-GVI theory asks for step ≤ 1/L. */
  readonly smoothness?: number;
  /** α: the potential is α-strongly convex (∇²V ⪰ αI), when known. */
  readonly strongConvexity?: number;
}

/** Validates a user target; returns it unchanged. */
export function checkTarget(target: Target, name = 'target'): Target {
  if (target === null || typeof target !== 'object') throw new InvalidParameterError(name, 'expected an object { dim, logDensity, gradLogDensity }');
  if (!Number.isInteger(target.dim) || target.dim < 1) throw new InvalidParameterError(`${name}.dim`, `must be a positive integer, got ${String(target.dim)}`);
  if (typeof target.logDensity !== 'function') throw new InvalidParameterError(`${name}.logDensity`, 'must be a function x => log π(x)');
  if (typeof target.gradLogDensity !== 'function') throw new InvalidParameterError(`${name}.gradLogDensity`, 'must be a function x => ∇ log π(x)');
  if (target.hessianLogDensity !== undefined && typeof target.hessianLogDensity !== 'function') {
    throw new InvalidParameterError(`${name}.hessianLogDensity`, 'must be a function x => ∇² log π(x) (d×d row-major) or be left out');
  }
  return target;
}

/** Calls target.gradLogDensity and checks length and finiteness. */
export function gradAt(target: Target, x: Float64Array): ArrayLike<number> {
  const g = target.gradLogDensity(x);
  if (!g || g.length !== target.dim) {
    throw new DimensionMismatchError('target.gradLogDensity', `returned ${g ? g.length : String(g)} values, expected dim = ${target.dim}`);
  }
  for (let i = 0; i < g.length; i++) {
    if (!Number.isFinite(g[i])) throw new NonFiniteError('target.gradLogDensity', `returned ${g[i]} at coordinate ${i} for x = [${Array.from(x).map((v) => v.toPrecision(4)).join(', ')}]`);
  }
  return g;
}

/** Calls target.hessianLogDensity and checks shape and finiteness. */
export function hessianAt(target: Target, x: Float64Array): ArrayLike<number> {
  const h = (target.hessianLogDensity as (x: Float64Array) => ArrayLike<number>)(x);
  const d = target.dim;
  if (!h || h.length !== d * d) {
    throw new DimensionMismatchError('target.hessianLogDensity', `returned ${h ? h.length : String(h)} values, expected dim² = ${d * d}`);
  }
  for (let i = 0; i < h.length; i++) {
    if (!Number.isFinite(h[i])) throw new NonFiniteError('target.hessianLogDensity', `returned ${h[i]} at entry ${i}`);
  }
  return h;
}

function flatSquare(a: ArrayLike<number> | readonly (readonly number[])[], d: number, name: string): Float64Array {
  let out: Float64Array;
  if (Array.isArray(a) && Array.isArray(a[0])) {
    const rows = a as readonly (readonly number[])[];
    if (rows.length !== d) throw new DimensionMismatchError(name, `has ${rows.length} rows, expected ${d}`);
    out = new Float64Array(d * d);
    for (let i = 0; i < d; i++) {
      if (rows[i].length !== d) throw new DimensionMismatchError(name, `row ${i} has ${rows[i].length} entries, expected ${d}`);
      for (let j = 0; j < d; j++) out[i * d + j] = rows[i][j];
    }
  } else {
    out = Float64Array.from(a as ArrayLike<number>);
    if (out.length !== d * d) throw new DimensionMismatchError(name, `has ${out.length} entries, expected ${d}×${d}`);
  }
  for (let i = 0; i < out.length; i++) if (!Number.isFinite(out[i])) throw new NonFiniteError(name, `non-finite entry ${out[i]} at index ${i}`);
  return out;
}

/** Flattens a d×d matrix given as number[][] or row-major array (exported for the VI modules). */
export function squareMatrix(a: ArrayLike<number> | readonly (readonly number[])[], d: number, name: string): Float64Array {
  return flatSquare(a, d, name);
}

/**
 * The Gaussian target π = N(μ, Σ): V(x) = ½ (x − μ)ᵀ Σ⁻¹ (x − μ) + ½ log((2π)^d |Σ|), a quadratic
 * potential, so FB-GVI's forward step uses exact expectations E∇V = Σ⁻¹(m − μ), E∇²V = Σ⁻¹ and the
 * KL of every iterate is available in closed form. L = 1/λ_min(Σ), α = 1/λ_max(Σ).
 */
export function gaussianTarget(params: { mean: ArrayLike<number>; cov: ArrayLike<number> | readonly (readonly number[])[] }, name = 'gaussian'): Target {
  const d = params.mean.length;
  if (d < 1) throw new InvalidParameterError('mean', 'must have at least one coordinate');
  const mean = Float64Array.from(params.mean);
  for (let i = 0; i < d; i++) if (!Number.isFinite(mean[i])) throw new NonFiniteError('mean', `non-finite entry ${mean[i]} at ${i}`);
  const cov = flatSquare(params.cov, d, 'cov');
  const eig = eigh(cov, d, 'cov');
  if (!(eig.values[0] > 0)) throw new InvalidParameterError('cov', `is not positive definite (smallest eigenvalue ${eig.values[0]})`);
  const precision = inverseSpd(cov, d, 'cov');
  let logDet = 0;
  for (let i = 0; i < d; i++) logDet += Math.log(eig.values[i]);
  const c = -0.5 * (d * Math.log(2 * Math.PI) + logDet);
  const diff = new Float64Array(d);
  return {
    dim: d,
    name,
    gaussian: { mean, cov, precision },
    smoothness: 1 / eig.values[0],
    strongConvexity: 1 / eig.values[d - 1],
    logDensity(x) {
      for (let i = 0; i < d; i++) diff[i] = x[i] - mean[i];
      let q = 0;
      for (let i = 0; i < d; i++) {
        let s = 0;
        for (let j = 0; j < d; j++) s += precision[i * d + j] * diff[j];
        q += diff[i] * s;
      }
      return c - 0.5 * q;
    },
    gradLogDensity(x) {
      const g = new Float64Array(d);
      for (let i = 0; i < d; i++) {
        let s = 0;
        for (let j = 0; j < d; j++) s += precision[i * d + j] * (x[j] - mean[j]);
        g[i] = -s;
      }
      return g;
    },
    hessianLogDensity() {
      return Float64Array.from(precision, (v) => -v);
    },
  };
}

/**
 * A covariance with eigenvalues geometrically spaced in [lo, hi] and random eigenvectors (seeded),
 * the ill-conditioned Gaussian target used by Diao et al. (2023) per the project notes (d = 10, eigenvalues in [1, 200]).
 */
export function illConditionedCov(d: number, lo: number, hi: number, seed = 0): Float64Array {
  if (!Number.isInteger(d) || d < 1) throw new InvalidParameterError('d', `must be a positive integer, got ${String(d)}`);
  if (!(lo > 0) || !(hi >= lo)) throw new InvalidParameterError('lo', `need 0 < lo ≤ hi, got lo = ${lo}, hi = ${hi}`);
  const q = randomOrthogonal(d, seed);
  const lam = Array.from({ length: d }, (_, i) => (d === 1 ? lo : lo * (hi / lo) ** (i / (d - 1))));
  const out = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    for (let j = i; j < d; j++) {
      let s = 0;
      for (let k = 0; k < d; k++) s += q[i * d + k] * lam[k] * q[j * d + k];
      out[i * d + j] = s;
      out[j * d + i] = s;
    }
  }
  return out;
}

/**
 * Bayesian logistic regression posterior π(w) ∝ Π_i σ(x_iᵀw)^{y_i} (1 − σ(x_iᵀw))^{1−y_i} · N(w; 0, τ² I):
 * log π(w) = Σ_i [y_i s_i − log(1 + e^{s_i})] − ‖w‖²/(2τ²) (+ const), s_i = x_iᵀ w;
 * ∇ log π = Σ_i (y_i − σ(s_i)) x_i − w/τ²;  ∇² log π = −Σ_i σ(s_i)(1 − σ(s_i)) x_i x_iᵀ − I/τ².
 * V is (1/τ²)-strongly convex and (λ_max(XᵀX)/4 + 1/τ²)-smooth. The log-density is unnormalised,
 * so VI runs on it report the ELBO (log Z − KL), not the KL.
 */
export function logisticRegressionTarget(x: Samples, y: ArrayLike<number>, options: { priorVariance?: number } = {}): Target {
  const X = toMatrix(x, 'x');
  const n = X.rows;
  const d = X.cols;
  if (y.length !== n) throw new DimensionMismatchError('y', `has ${y.length} labels but x has ${n} rows`);
  for (let i = 0; i < n; i++) if (y[i] !== 0 && y[i] !== 1) throw new InvalidParameterError('y', `labels must be 0 or 1; y[${i}] = ${y[i]}`);
  const tau2 = options.priorVariance ?? 1;
  if (!(tau2 > 0) || !Number.isFinite(tau2)) throw new InvalidParameterError('options.priorVariance', `must be a finite number > 0, got ${String(tau2)}`);
  const xtx = new Float64Array(d * d);
  for (let i = 0; i < n; i++) {
    for (let a = 0; a < d; a++) for (let b = 0; b < d; b++) xtx[a * d + b] += X.data[i * d + a] * X.data[i * d + b];
  }
  const lmax = eigh(xtx, d, 'xᵀx').values[d - 1];
  const Y = Float64Array.from(y);
  const s = new Float64Array(n);
  const scores = (w: Float64Array) => {
    for (let i = 0; i < n; i++) {
      let v = 0;
      for (let a = 0; a < d; a++) v += X.data[i * d + a] * w[a];
      s[i] = v;
    }
  };
  const sigmoid = (t: number) => (t >= 0 ? 1 / (1 + Math.exp(-t)) : Math.exp(t) / (1 + Math.exp(t)));
  const log1pExp = (t: number) => (t > 0 ? t + Math.log1p(Math.exp(-t)) : Math.log1p(Math.exp(t)));
  return {
    dim: d,
    name: 'logistic-regression',
    smoothness: lmax / 4 + 1 / tau2,
    strongConvexity: 1 / tau2,
    logDensity(w) {
      scores(w);
      let lp = 0;
      for (let i = 0; i < n; i++) lp += Y[i] * s[i] - log1pExp(s[i]);
      let ww = 0;
      for (let a = 0; a < d; a++) ww += w[a] * w[a];
      return lp - ww / (2 * tau2);
    },
    gradLogDensity(w) {
      scores(w);
      const g = new Float64Array(d);
      for (let a = 0; a < d; a++) g[a] = -w[a] / tau2;
      for (let i = 0; i < n; i++) {
        const r = Y[i] - sigmoid(s[i]);
        for (let a = 0; a < d; a++) g[a] += r * X.data[i * d + a];
      }
      return g;
    },
    hessianLogDensity(w) {
      scores(w);
      const h = new Float64Array(d * d);
      for (let a = 0; a < d; a++) h[a * d + a] = -1 / tau2;
      for (let i = 0; i < n; i++) {
        const p = sigmoid(s[i]);
        const c = p * (1 - p);
        for (let a = 0; a < d; a++) {
          const xa = c * X.data[i * d + a];
          for (let b = 0; b < d; b++) h[a * d + b] -= xa * X.data[i * d + b];
        }
      }
      return h;
    },
  };
}

/**
 * A synthetic logistic-regression data set: x_i ~ N(0, I_d), w* ~ N(0, scale² I_d) (seeded),
 * y_i ~ Bernoulli(σ(x_iᵀ w*)). Returns the data, the true weights and the posterior target.
 */
export function syntheticLogistic(options: { n?: number; d?: number; scale?: number; priorVariance?: number; seed?: number } = {}): {
  x: Float64Array; y: Float64Array; wTrue: Float64Array; n: number; d: number; target: Target;
} {
  const n = options.n ?? 200;
  const d = options.d ?? 2;
  const scale = options.scale ?? 1;
  if (!Number.isInteger(n) || n < 1) throw new InvalidParameterError('options.n', `must be a positive integer, got ${String(n)}`);
  if (!Number.isInteger(d) || d < 1) throw new InvalidParameterError('options.d', `must be a positive integer, got ${String(d)}`);
  const rng = new Rng(options.seed ?? 0);
  const wTrue = Float64Array.from(rng.normals(d), (v) => v * scale);
  const x = rng.normals(n * d);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let a = 0; a < d; a++) s += x[i * d + a] * wTrue[a];
    y[i] = rng.uniform() < 1 / (1 + Math.exp(-s)) ? 1 : 0;
  }
  const target = logisticRegressionTarget({ data: x, shape: [n, d] }, y, { priorVariance: options.priorVariance });
  return { x, y, wTrue, n, d, target };
}
