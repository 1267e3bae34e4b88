import { InvalidParameterError } from '../core/errors.js';
import { toMatrix, type Matrix, type Samples } from '../core/matrix.js';
import { CvObjective, minimise, type CvKind } from './cv.js';
import { spread, whiten, type Spread, type SpreadKind } from './spread.js';

/** What every bandwidth selector returns (also what widgets draw: `display.bandwidth`). */
export interface BandwidthSelection {
  readonly selector: 'scott' | 'silverman' | 'lcv' | 'lscv' | 'isj';
  /**
   * The scalar factor f: the kernel covariance is f²·Σ, Σ the data's spread (`covariance` option;
   * scipy's `factor`). Per-dimension selections (`perDimension: true`) report f = 1 and put the
   * bandwidths in `bandwidths`.
   */
  readonly h: number;
  /** Kernel standard deviation per coordinate in data units: f·√Σ_ss (or the per-dimension h_s). */
  readonly bandwidths: Float64Array;
  /**
   * The criterion along a grid of factors (or, per-dimension, along a common scaling of the
   * bandwidths, `curve.h` their geometric mean): LCV the mean leave-one-out log-likelihood
   * (nats, higher is better), LSCV the estimate of ∫(ρ̂_h − ρ)² − ∫ρ² in data units (lower is
   * better), ISJ the fixed-point residual t − ξγ^[ℓ](t) (root at the selection). Empty for the rules.
   */
  readonly curve: { readonly h: Float64Array; readonly score: Float64Array };
  /** d score / d log h along the curve (analytic for LCV and LSCV; empty otherwise). */
  readonly grad: Float64Array;
  /** The criterion at the selection (same convention as `curve.score`; NaN-free, 0 for the rules). */
  readonly score: number;
  /**
   * The minimised objective in statsmodels' convention (LCV: −Σ_i log Σ_{j≠i} K_h(x_i − x_j), its
   * `loo_likelihood`; LSCV: its `imse`), on the data as given (per-dimension) or whitened (factor).
   */
  readonly objective?: number;
  readonly iterations?: number;
  readonly converged?: boolean;
  /** Objective evaluations (each one O(n²) pass). */
  readonly evaluations?: number;
  readonly covariance: SpreadKind;
  readonly n: number;
  readonly d: number;
}

export interface SelectorOptions {
  /** The spread Σ the factor multiplies ('full' as scipy; 'diagonal'; 'identity': data units). */
  readonly covariance?: SpreadKind;
  /** Ridge added to Σ's diagonal, λ·tr Σ/d (see `spread`); default 0 (singular Σ throws). */
  readonly regularize?: number;
}

export interface CvOptions extends SelectorOptions {
  /**
   * One bandwidth per coordinate on the data as given (statsmodels `KDEMultivariate(bw='cv_ml' |
   * 'cv_ls')`, Gaussian product kernel), instead of one factor on the spread. Default false.
   */
  readonly perDimension?: boolean;
  /** Points of the returned curve (default 25; 0 skips it), spanning e^{±2} around the start. */
  readonly curvePoints?: number;
  /** Stop when a Newton step changes every log h by less than this (default 1e-9). */
  readonly tol?: number;
}

export interface Prepared {
  readonly x: Matrix;
  readonly s: Spread;
}

export function prepare(x: Samples, opts: SelectorOptions): Prepared {
  const X = toMatrix(x, 'x');
  return { x: X, s: spread(X, opts.covariance ?? 'full', null, opts.regularize ?? 0) };
}

/** f·√Σ_ss for every coordinate. */
export function perCoordinate(f: number, s: Spread, d: number): Float64Array {
  const out = new Float64Array(d);
  for (let c = 0; c < d; c++) out[c] = f * Math.sqrt(s.covariance[c * d + c]);
  return out;
}

/**
 * Cross-validation selection: the criterion on a grid of `curvePoints` log-scales e^{−2…2} around a
 * start (Scott's factor, or statsmodels' normal-reference bandwidths per dimension), then damped
 * Newton ({@link minimise}) from the best grid point to a stationary point (steps < `tol` in log h).
 */
export function cvSelect(kind: CvKind, x: Samples, opts: CvOptions = {}): BandwidthSelection {
  const perDim = opts.perDimension ?? false;
  const points = opts.curvePoints ?? 25;
  if (!Number.isInteger(points) || points < 0 || points > 10000) {
    throw new InvalidParameterError('options.curvePoints', `must be an integer in [0, 10000], got ${String(points)}`);
  }
  const tol = opts.tol ?? 1e-9;
  if (!(tol > 0 && tol < 1)) throw new InvalidParameterError('options.tol', `must be in (0, 1), got ${String(tol)}`);
  const X = toMatrix(x, 'x');
  const { rows: n, cols: d } = X;
  const kindSpread: SpreadKind = perDim ? 'identity' : opts.covariance ?? 'full';
  const s = spread(X, kindSpread, null, perDim ? 0 : opts.regularize ?? 0);
  let Z: Matrix;
  let l0: Float64Array;
  if (perDim) {
    Z = X;
    l0 = new Float64Array(d);
    for (let c = 0; c < d; c++) {
      // statsmodels normal_reference: 1.06 · std(ddof = 0) · n^{−1/(4+d)}.
      let m = 0;
      for (let i = 0; i < n; i++) m += X.data[i * d + c];
      m /= n;
      let v = 0;
      for (let i = 0; i < n; i++) v += (X.data[i * d + c] - m) ** 2;
      const sd = Math.sqrt(v / n);
      if (!(sd > 0)) throw new InvalidParameterError('x', `column ${c} is constant; a per-dimension bandwidth for it does not exist`);
      l0[c] = Math.log(1.06 * sd * n ** (-1 / (4 + d)));
    }
  } else {
    Z = kindSpread === 'identity' ? X : whiten(X, s);
    // Start at Scott's factor; with 'identity' times the data's geometric-mean standard deviation.
    const f0 = (kindSpread === 'identity' ? geoStd(X) : 1) * n ** (-1 / (d + 4));
    l0 = Float64Array.of(Math.log(f0));
  }
  const obj = new CvObjective(Z, kind, !perDim);
  // score = the user-facing criterion; derivative w.r.t. the common log-scale c.
  const logDetW = perDim ? 0 : s.logDet; // whitening Jacobian
  const toScore = (value: number): number =>
    kind === 'lcv' ? -value / n - Math.log(n - 1) - 0.5 * logDetW : value * Math.exp(-0.5 * logDetW);
  const toScoreGrad = (g: Float64Array): number => {
    let t = 0;
    for (let k = 0; k < g.length; k++) t += g[k];
    return kind === 'lcv' ? -t / n : t * Math.exp(-0.5 * logDetW);
  };
  // The curve runs along a common scale c (h_s = h0_s e^c). Per dimension that is the tied problem
  // on the columns divided by h0_s — one distance per pair instead of d — whose objective maps back
  // exactly: LCV F = F_tied + n Σ log h0_s; LSCV F = F_tied · Π 1/h0_s.
  let gridObj = obj;
  let lift = (v: number): number => v;
  let liftGrad = (g: Float64Array): Float64Array => g;
  let gridStart = l0;
  if (perDim && points > 0) {
    const sc = new Float64Array(n * d);
    let sumLog = 0;
    for (let c = 0; c < d; c++) sumLog += l0[c];
    for (let i = 0; i < n; i++) for (let c = 0; c < d; c++) sc[i * d + c] = X.data[i * d + c] * Math.exp(-l0[c]);
    gridObj = new CvObjective({ data: sc, rows: n, cols: d }, kind, true);
    gridStart = Float64Array.of(0);
    if (kind === 'lcv') {
      lift = (v) => v + n * sumLog;
    } else {
      const f = Math.exp(-sumLog);
      lift = (v) => v * f;
      liftGrad = (g) => g.map((v) => v * f);
    }
  }
  const ch = new Float64Array(points);
  const cs = new Float64Array(points);
  const cg = new Float64Array(points);
  let best = Float64Array.from(l0);
  let bestVal = Infinity;
  for (let k = 0; k < points; k++) {
    const c = points === 1 ? 0 : -2 + (4 * k) / (points - 1);
    const r = gridObj.evaluate(gridStart.map((v) => v + c), false);
    const value = lift(r.value);
    const l = l0.map((v) => v + c);
    let gm = 0;
    for (let t = 0; t < l.length; t++) gm += l[t];
    ch[k] = perDim ? Math.exp(gm / d) : Math.exp(l[0]);
    cs[k] = toScore(value);
    cg[k] = toScoreGrad(liftGrad(r.grad));
    if (value < bestVal) {
      bestVal = value;
      best = l;
    }
  }
  const min = minimise(obj, best, tol);
  const hvec = perDim ? min.l.map(Math.exp) : perCoordinate(Math.exp(min.l[0]), s, d);
  if (kindSpread === 'identity' && !perDim) hvec.fill(Math.exp(min.l[0]));
  return {
    selector: kind,
    h: perDim ? 1 : Math.exp(min.l[0]),
    bandwidths: hvec,
    curve: { h: ch, score: cs },
    grad: cg,
    score: toScore(min.value),
    objective: min.value,
    iterations: min.iterations,
    converged: min.converged,
    evaluations: obj.evaluations + (gridObj === obj ? 0 : gridObj.evaluations),
    covariance: kindSpread,
    n, d,
  };
}

/** (Π_c sd_c)^{1/d}, sample standard deviations (ddof = 1). */
export function geoStd(X: Matrix): number {
  const { rows: n, cols: d } = X;
  let acc = 0;
  for (let c = 0; c < d; c++) {
    let m = 0;
    for (let i = 0; i < n; i++) m += X.data[i * d + c];
    m /= n;
    let v = 0;
    for (let i = 0; i < n; i++) v += (X.data[i * d + c] - m) ** 2;
    acc += 0.5 * Math.log(v / Math.max(1, n - 1));
  }
  const g = Math.exp(acc / d);
  if (!(g > 0 && Number.isFinite(g))) throw new InvalidParameterError('x', 'has a constant column; its scale is 0 and no bandwidth relative to it exists');
  return g;
}
