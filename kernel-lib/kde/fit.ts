import { logKernelSums } from '../backend/kernel-sums.js';
import { InvalidParameterError, NonFiniteError, DimensionMismatchError } from '../core/errors.js';
import { toMatrix, type Matrix, type Samples } from '../core/matrix.js';
import { Rng } from '../core/rng.js';
import { logUnitBallVolume } from '../core/special.js';
import { isj } from './isj.js';
import { lcv } from './lcv.js';
import { lscv } from './lscv.js';
import { ruleFactor } from './rules.js';
import type { BandwidthSelection } from './selection.js';
import { spread, whiten, type Spread, type SpreadKind } from './spread.js';

export type KdeKernel = 'gaussian' | 'epanechnikov';
export type BandwidthRule = 'scott' | 'silverman' | 'lcv' | 'lscv' | 'isj';

export interface KdeOptions {
  /**
   * The factor f (kernel covariance f²Σ, Σ the data's spread; scipy's `bw_method` scalar) or a
   * selector. Default 'scott'. For the Epanechnikov kernel a selector's (Gaussian) factor is
   * multiplied by √(d + 4), which gives the Epanechnikov kernel the same per-coordinate variance
   * (its variance on the unit ball is 1/(d + 4)); a number is used as given (the support radius).
   */
  readonly bandwidth?: number | BandwidthRule;
  readonly kernel?: KdeKernel;
  /** The spread the factor multiplies: 'full' (scipy, default), 'diagonal', 'identity' (scikit-learn: f in data units). */
  readonly covariance?: SpreadKind;
  /** Non-negative weights per point (scipy `weights`); normalised internally. Not with 'lcv'/'lscv'/'isj'. */
  readonly weights?: ArrayLike<number>;
  /** Ridge λ for a singular spread: Σ + λ (tr Σ/d) I. Default 0 (a singular Σ throws). */
  readonly regularize?: number;
  /** Compute path of the kernel sums (see `backend/kernel-sums.ts`). */
  readonly backend?: 'cpu' | 'gpu' | 'auto';
  /**
   * float64 path: most threads the kernel sums of large evaluations split over (default: all
   * available in Node; 1: the calling thread only). Results are bit-identical for every value.
   */
  readonly threads?: number;
}

/** A fitted kernel density estimate; trailing-underscore fields are fitted quantities. */
export interface Kde {
  readonly kernel: KdeKernel;
  /** The scalar factor f. */
  readonly bandwidth_: number;
  /** The data's spread Σ (d×d, row-major) that f multiplies (identity for covariance 'identity'). */
  readonly covariance_: Float64Array;
  /** √diag Σ: the per-coordinate scale f multiplies. */
  readonly scale_: Float64Array;
  /** The kernel covariance f²Σ (scipy's `gaussian_kde.covariance`). */
  readonly kernelCovariance_: Float64Array;
  /** Effective sample size (Σw)²/Σw². */
  readonly neff_: number;
  /** The selector's result when `bandwidth` named a cross-validation or ISJ rule (with its curve). */
  readonly selection_?: BandwidthSelection;
  readonly n: number;
  readonly d: number;
  /** log ρ̂(q) for each query row (nats), max-shifted log-sum-exp: finite at d = 50. */
  logDensity(q: Samples): Float64Array;
  /** ρ̂(q) (may underflow to 0 in high dimension: use `logDensity`). */
  density(q: Samples): Float64Array;
  /** log ρ̂_{−i}(x_i): the leave-one-out log-density at each data point. */
  logDensityLoo(): Float64Array;
  /** n draws from ρ̂ (a mixture: a data point picked by weight, plus kernel noise), seeded. */
  sample(n: number, rng?: Rng | number): Matrix;
}

/**
 * Fits a kernel density estimate
 *   ρ̂(x) = Σ_j w_j K_{f²Σ}(x − x_j) / Σ_j w_j,
 * K_{f²Σ}(u) = |f²Σ|^{−1/2} k(‖L⁻¹u‖/f) with Σ = L Lᵀ and
 *   k(r) = (2π)^{−d/2} e^{−r²/2} (gaussian) | (d + 2)/(2 V_d) · max(0, 1 − r²) (epanechnikov),
 * V_d the volume of the unit ball — scipy's `gaussian_kde` for 'full' (Scott 1992 eq. (6.42)
 * factors), scikit-learn's `KernelDensity` for 'identity'. Data are whitened once (z = L⁻¹(x − x̄));
 * the bulk sums run in `backend/kernel-sums.ts` (float64, or gpu.js).
 *
 * @example const m = fit(x, { bandwidth: 'scott' }); m.bandwidth_; m.logDensity([[0, 0]])
 */
export function fit(x: Samples, options: KdeOptions = {}): Kde {
  const X = toMatrix(x, 'x');
  const { rows: n, cols: d } = X;
  const kernel = options.kernel ?? 'gaussian';
  if (kernel !== 'gaussian' && kernel !== 'epanechnikov') {
    throw new InvalidParameterError('options.kernel', `must be 'gaussian' or 'epanechnikov', got ${String(kernel)}`);
  }
  let weights: Float64Array | null = null;
  if (options.weights !== undefined) {
    weights = Float64Array.from(options.weights);
    if (weights.length !== n) throw new DimensionMismatchError('options.weights', `has ${weights.length} entries but x has ${n} rows`);
    let tot = 0;
    for (let i = 0; i < n; i++) {
      if (!Number.isFinite(weights[i])) throw new NonFiniteError('options.weights', `weight ${i} is ${weights[i]}`);
      if (weights[i] < 0) throw new InvalidParameterError('options.weights', `weight ${i} is ${weights[i]}; weights must be ≥ 0`);
      tot += weights[i];
    }
    if (!(tot > 0)) throw new InvalidParameterError('options.weights', 'all weights are 0');
    for (let i = 0; i < n; i++) weights[i] /= tot;
  }
  if (options.threads !== undefined && !(Number.isInteger(options.threads) && options.threads >= 1)) {
    throw new InvalidParameterError('options.threads', `must be an integer ≥ 1, got ${String(options.threads)}`);
  }
  const kind = options.covariance ?? 'full';
  const s = spread(X, kind, weights, options.regularize ?? 0);
  const bw = options.bandwidth ?? 'scott';
  let f: number;
  let selection: BandwidthSelection | undefined;
  if (typeof bw === 'number') {
    if (!Number.isFinite(bw)) throw new NonFiniteError('options.bandwidth', `must be a finite number > 0 or a rule name, got ${bw}`);
    if (!(bw > 0)) throw new InvalidParameterError('options.bandwidth', `must be > 0, got ${bw}`);
    f = bw;
  } else if (bw === 'scott' || bw === 'silverman') {
    f = ruleFactor(bw, s.neff, d);
    if (kind === 'identity') f *= Math.exp(spread(X, 'full', weights, options.regularize ?? 0).logDet / (2 * d));
    if (kernel === 'epanechnikov') f *= Math.sqrt(d + 4);
  } else if (bw === 'lcv' || bw === 'lscv' || bw === 'isj') {
    if (weights) throw new InvalidParameterError('options.bandwidth', `'${bw}' does not take weights; pass a factor or 'scott'/'silverman'`);
    const o = { covariance: kind, regularize: options.regularize ?? 0 };
    selection = bw === 'lcv' ? lcv(X, o) : bw === 'lscv' ? lscv(X, o) : isj(X, o);
    f = selection.h * (kernel === 'epanechnikov' ? Math.sqrt(d + 4) : 1);
  } else {
    throw new InvalidParameterError('options.bandwidth', `must be a number > 0 or 'scott' | 'silverman' | 'lcv' | 'lscv' | 'isj', got ${String(bw)}`);
  }
  return new FittedKde(X, s, weights, f, kernel, options.backend, selection, options.threads);
}

class FittedKde implements Kde {
  readonly bandwidth_: number;
  readonly covariance_: Float64Array;
  readonly scale_: Float64Array;
  readonly kernelCovariance_: Float64Array;
  readonly neff_: number;
  readonly selection_?: BandwidthSelection;
  readonly n: number;
  readonly d: number;
  private readonly z: Matrix;
  /** log of the normalising constant: −d log f − ½ log|Σ| + log c_k. */
  private readonly logNorm: number;

  constructor(private readonly x: Matrix, private readonly s: Spread, private readonly w: Float64Array | null,
    f: number, readonly kernel: KdeKernel, private readonly backend: 'cpu' | 'gpu' | 'auto' | undefined, selection?: BandwidthSelection,
    private readonly threads?: number) {
    const d = x.cols;
    this.n = x.rows;
    this.d = d;
    this.bandwidth_ = f;
    this.covariance_ = s.covariance;
    this.scale_ = new Float64Array(d).map((_, c) => Math.sqrt(s.covariance[c * d + c]));
    this.kernelCovariance_ = s.covariance.map((v) => v * f * f);
    this.neff_ = s.neff;
    if (selection) this.selection_ = selection;
    this.z = whiten(x, s);
    const logC = kernel === 'gaussian' ? -(d / 2) * Math.log(2 * Math.PI) : Math.log((d + 2) / 2) - logUnitBallVolume(d);
    this.logNorm = logC - d * Math.log(f) - 0.5 * s.logDet;
  }

  logDensity(q: Samples): Float64Array {
    const Q = toMatrix(q, 'q');
    if (Q.cols !== this.d) throw new DimensionMismatchError('q', `has dimension ${Q.cols} but the KDE was fitted in dimension ${this.d}`);
    const out = logKernelSums(whiten(Q, this.s), this.z, this.opts(false));
    const c = this.logNorm - (this.w ? 0 : Math.log(this.n));
    for (let i = 0; i < out.length; i++) out[i] += c;
    return out;
  }

  density(q: Samples): Float64Array {
    return this.logDensity(q).map(Math.exp);
  }

  logDensityLoo(): Float64Array {
    const n = this.n;
    if (n < 2) throw new InvalidParameterError('x', 'a leave-one-out density needs at least 2 points');
    const out = logKernelSums(this.z, this.z, this.opts(true));
    for (let i = 0; i < n; i++) {
      const rest = this.w ? 1 - this.w[i] : n - 1;
      out[i] += this.logNorm - Math.log(rest);
    }
    return out;
  }

  sample(count: number, rng: Rng | number = 0): Matrix {
    if (!Number.isInteger(count) || count < 0) throw new InvalidParameterError('n', `must be a non-negative integer, got ${String(count)}`);
    const r = typeof rng === 'number' ? new Rng(rng) : rng;
    const { d, n } = this;
    const L = this.s.chol;
    const f = this.bandwidth_;
    let cum: Float64Array | null = null;
    if (this.w) {
      cum = new Float64Array(n);
      let acc = 0;
      for (let j = 0; j < n; j++) cum[j] = acc += this.w[j];
    }
    const out = new Float64Array(count * d);
    const z = new Float64Array(d);
    for (let i = 0; i < count; i++) {
      let j: number;
      if (cum) {
        const u = r.uniform() * cum[n - 1];
        let a = 0;
        let b = n - 1;
        while (a < b) {
          const m = (a + b) >> 1;
          if (cum[m] > u) b = m;
          else a = m + 1;
        }
        j = a;
      } else {
        j = r.int(n);
      }
      let r2 = 0;
      for (let c = 0; c < d; c++) {
        z[c] = r.normal();
        r2 += z[c] * z[c];
      }
      if (this.kernel === 'epanechnikov') {
        // u = direction · √B, B ~ Beta(d/2, 2) = G/(G + E₁ + E₂), G = ‖z‖²/2 ~ Gamma(d/2) independent of z/‖z‖.
        const g = r2 / 2;
        const e = -Math.log(1 - r.uniform()) - Math.log(1 - r.uniform());
        const scale = Math.sqrt(g / (g + e)) / Math.sqrt(r2);
        for (let c = 0; c < d; c++) z[c] *= scale;
      }
      for (let a = 0; a < d; a++) {
        let v = 0;
        for (let b = 0; b <= a; b++) v += L[a * d + b] * z[b];
        out[i * d + a] = this.x.data[j * d + a] + f * v;
      }
    }
    return { data: out, rows: count, cols: d };
  }

  private opts(excludeSelf: boolean): { h: number; kernel: KdeKernel; excludeSelf: boolean; backend: 'cpu' | 'gpu' | 'auto'; threads?: number; weights?: Float64Array } {
    const o = { h: this.bandwidth_, kernel: this.kernel, excludeSelf, backend: this.backend ?? 'auto', ...(this.threads === undefined ? {} : { threads: this.threads }) };
    return this.w ? { ...o, weights: this.w } : o;
  }
}
