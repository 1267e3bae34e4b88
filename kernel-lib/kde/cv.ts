import { EstimationError } from '../core/errors.js';
import type { Matrix } from '../core/matrix.js';
import { NeumaierSum } from '../core/sum.js';
import { expNeg } from '../backend/fast-exp.js';

/**
 * The cross-validation objectives behind {@link lcv} and {@link lscv}, with their analytic gradient
 * and Hessian in log-bandwidth, for a Gaussian product kernel on (pre-scaled) data X, n×d:
 *
 *   K_h(Δ) = Π_s φ(Δ_s/h_s)/h_s,  h_s = e^{ℓ_s},  u_s = Δ_s²/h_s²,  U = Σ_s u_s.
 *
 * LCV (likelihood cross-validation; Duin 1976, Habbema et al. 1974; statsmodels `cv_ml`): minimise
 *   F(ℓ) = −Σ_i log Σ_{j≠i} K_h(X_i − X_j)                                            (statsmodels `loo_likelihood`)
 *        = −Σ_i log S_i + n Σ_s ℓ_s + n (d/2) log 2π,   S_i = Σ_{j≠i} e^{−U_ij/2},
 *   ∂F/∂ℓ_s = n − Σ_i A_is/S_i,  A_is = Σ_j e^{−U_ij/2} u_ijs,
 *   ∂²F/∂ℓ_s∂ℓ_t = −Σ_i [(B_ist − 2δ_st A_is)/S_i − A_is A_it / S_i²],  B_ist = Σ_j e^{−U/2} u_s u_t.
 * −F/n − log(n−1) is the mean leave-one-out log-likelihood: maximising it minimises the
 * estimated KL(ρ‖ρ̂_h) up to the entropy of ρ (Hall 1987, Ann. Stat. 15(4)).
 *
 * LSCV (least-squares cross-validation; Rudemo 1982, Bowman 1984; statsmodels `cv_ls`): minimise
 *   F(ℓ) = (1/n²) Σ_{i,j} K̄_h(X_i − X_j) − 2/(n(n−1)) Σ_{i≠j} K_h(X_i − X_j),
 * K̄_h = K_{√2 h} (the self-convolution), an unbiased estimate of ∫(ρ̂_h − ρ)² − ∫ρ². With
 * ∂K_h/∂ℓ_s = K_h (u_s − 1) and ∂²K_h/∂ℓ_s∂ℓ_t = K_h[(u_s − 1)(u_t − 1) − 2u_s δ_st] (and the same for
 * K̄ with v_s = u_s/2), gradient and Hessian are pair sums like F itself.
 *
 * `tied: true` optimises one ℓ shared by all coordinates (a scalar factor on whitened data): then
 * only U enters and the derivative is Σ_s ∂/∂ℓ_s. Each evaluation is one pass over the n(n−1)/2
 * pairs (e_ij = e_ji); a row whose sum S_i underflows (far-apart points in high dimension) is
 * recomputed max-shifted. Final reductions over rows and pairs are compensated (Neumaier).
 * Exponentials use `expNeg` (backend/fast-exp.ts, ≤ 1e−15 relative); with cached distances the
 * tied pass skips pairs below e^{−(40 + ln n)} of both rows' largest term (the small-h end of
 * the curve), and two per-dimension bandwidths (d = 2) have an unrolled loop.
 */
export type CvKind = 'lcv' | 'lscv';

export interface CvValue {
  readonly value: number;
  readonly grad: Float64Array;
  /** p×p row-major (p = 1 when tied, d otherwise); empty when not requested. */
  readonly hess: Float64Array;
}

const LOG2PI = Math.log(2 * Math.PI);
const UNDERFLOW = 1e-280;

export class CvObjective {
  readonly n: number;
  readonly d: number;
  /** Number of free log-bandwidths: 1 when tied, d otherwise. */
  readonly p: number;
  private readonly x: Float64Array;
  private readonly diff2: Float64Array | null;
  /** Tied with cached distances: each row's smallest squared distance to another row. */
  private readonly nearest: Float64Array | null = null;
  evaluations = 0;

  constructor(x: Matrix, readonly kind: CvKind, readonly tied: boolean) {
    this.n = x.rows;
    this.d = x.cols;
    this.p = tied ? 1 : x.cols;
    this.x = x.data;
    if (this.n < 2) throw new EstimationError('x', `cross-validation needs at least 2 points, got ${this.n}`);
    // Squared coordinate differences of every pair i < j (summed over coordinates when tied), cached
    // when they fit in ~160 MB.
    const pairs = (this.n * (this.n - 1)) / 2;
    const width = tied ? 1 : this.d;
    if (pairs * width <= 2e7) {
      const out = new Float64Array(pairs * width);
      const { n, d } = this;
      let o = 0;
      for (let i = 0; i < n; i++) {
        for (let j = i + 1; j < n; j++) {
          if (tied) {
            let s = 0;
            for (let c = 0; c < d; c++) {
              const t = this.x[i * d + c] - this.x[j * d + c];
              s += t * t;
            }
            out[o++] = s;
          } else {
            for (let c = 0; c < d; c++) {
              const t = this.x[i * d + c] - this.x[j * d + c];
              out[o++] = t * t;
            }
          }
        }
      }
      this.diff2 = out;
      if (tied) {
        const near = new Float64Array(n).fill(Infinity);
        for (let i = 0, o2 = 0; i < n; i++) {
          for (let j = i + 1; j < n; j++, o2++) {
            const v = out[o2];
            if (v < near[i]) near[i] = v;
            if (v < near[j]) near[j] = v;
          }
        }
        this.nearest = near;
      }
    } else {
      this.diff2 = null;
    }
  }

  /** Squared differences of pair (i, j) into buf (length p); o = running pair index. */
  private pairDiff(i: number, j: number, o: number, buf: Float64Array): void {
    const w = this.p;
    if (this.diff2) {
      for (let c = 0; c < w; c++) buf[c] = this.diff2[o * w + c];
      return;
    }
    const d = this.d;
    if (this.tied) {
      let s = 0;
      for (let c = 0; c < d; c++) {
        const t = this.x[i * d + c] - this.x[j * d + c];
        s += t * t;
      }
      buf[0] = s;
    } else {
      for (let c = 0; c < d; c++) {
        const t = this.x[i * d + c] - this.x[j * d + c];
        buf[c] = t * t;
      }
    }
  }

  /** u_s = (x_is − x_js)²/h_s² of pair (i, j) into u (length p); returns U = Σ_s u_s. */
  private scaledPair(i: number, j: number, o: number, u: Float64Array, inv: Float64Array): number {
    this.pairDiff(i, j, o, u);
    let U = 0;
    for (let s = 0; s < this.p; s++) {
      u[s] *= inv[s];
      U += u[s];
    }
    return U;
  }

  /** The objective at log-bandwidths ℓ (length p), with gradient and (if asked) Hessian. */
  evaluate(l: ArrayLike<number>, hessian: boolean): CvValue {
    this.evaluations++;
    return this.kind === 'lcv' ? this.lcv(l, hessian) : this.lscv(l, hessian);
  }

  private lcv(l: ArrayLike<number>, hessian: boolean): CvValue {
    const { n, d, p } = this;
    const inv = new Float64Array(p);
    for (let s = 0; s < p; s++) inv[s] = Math.exp(-2 * l[s]);
    const S = new Float64Array(n);
    const A = new Float64Array(n * p);
    const hp = hessian ? p * p : 0;
    const B = new Float64Array(n * hp);
    const u = new Float64Array(p);
    let o = 0;
    if (this.tied && this.diff2) {
      // Fast path (one parameter, cached squared distances): the same sums, no inner loops.
      const D = this.diff2;
      const c = inv[0];
      // A pair whose term is below e^{−(40 + ln n)} times the largest term of both its rows (U_ij >
      // U_min,i + 2(40 + ln n) and the same for j) is skipped: it changes S_i, A_i/S_i and B_i/S_i by
      // < e^{−40} relative to S_i — below float64 resolution. Saves most of the exponentials at the
      // small-h end of the curve.
      const near = this.nearest as Float64Array;
      const gap = (2 * (40 + Math.log(n))) / c;
      for (let i = 0; i < n; i++) {
        let si = 0;
        let ai = 0;
        let bi = 0;
        const li = near[i] + gap;
        for (let j = i + 1; j < n; j++, o++) {
          const Dij = D[o];
          if (Dij > li && Dij > near[j] + gap) continue;
          const U = Dij * c;
          const e = expNeg(-0.5 * U);
          const eu = e * U;
          si += e;
          ai += eu;
          S[j] += e;
          A[j] += eu;
          if (hessian) {
            const euu = eu * U;
            bi += euu;
            B[j] += euu;
          }
        }
        if (hessian) B[i] += bi;
        S[i] += si;
        A[i] += ai;
      }
    } else if (this.diff2 && p === 2) {
      // Two per-dimension bandwidths (d = 2): the general loop below with s, t unrolled
      // (A_i = [a0, a1], B_i lower triangle [b00, ·, b10, b11] as there).
      const D = this.diff2;
      const c0 = inv[0];
      const c1 = inv[1];
      for (let i = 0; i < n; i++) {
        let si = 0, a0 = 0, a1 = 0, b00 = 0, b10 = 0, b11 = 0;
        for (let j = i + 1; j < n; j++, o++) {
          const u0 = D[2 * o] * c0;
          const u1 = D[2 * o + 1] * c1;
          const e = expNeg(-0.5 * (u0 + u1));
          if (e === 0) continue;
          const v0 = e * u0;
          const v1 = e * u1;
          si += e;
          a0 += v0;
          a1 += v1;
          S[j] += e;
          A[2 * j] += v0;
          A[2 * j + 1] += v1;
          if (hessian) {
            const w00 = v0 * u0, w10 = v1 * u0, w11 = v1 * u1;
            b00 += w00;
            b10 += w10;
            b11 += w11;
            B[4 * j] += w00;
            B[4 * j + 2] += w10;
            B[4 * j + 3] += w11;
          }
        }
        S[i] += si;
        A[2 * i] += a0;
        A[2 * i + 1] += a1;
        if (hessian) {
          B[4 * i] += b00;
          B[4 * i + 2] += b10;
          B[4 * i + 3] += b11;
        }
      }
    } else if (this.diff2) {
      // Per-dimension fast path: cached squared differences, row-i accumulators kept local.
      const D = this.diff2;
      const ai = new Float64Array(p);
      const bi = new Float64Array(hp);
      for (let i = 0; i < n; i++) {
        ai.fill(0);
        if (hessian) bi.fill(0);
        let si = 0;
        for (let j = i + 1; j < n; j++, o++) {
          const ob = o * p;
          let U = 0;
          for (let s = 0; s < p; s++) {
            const v = D[ob + s] * inv[s];
            u[s] = v;
            U += v;
          }
          const e = expNeg(-0.5 * U);
          if (e === 0) continue;
          si += e;
          S[j] += e;
          const jb = j * p;
          const jh = j * hp;
          for (let s = 0; s < p; s++) {
            const v = e * u[s];
            ai[s] += v;
            A[jb + s] += v;
            if (hessian) {
              const sb = s * p;
              for (let t = 0; t <= s; t++) {
                const b = v * u[t];
                bi[sb + t] += b;
                B[jh + sb + t] += b;
              }
            }
          }
        }
        S[i] += si;
        for (let s = 0; s < p; s++) A[i * p + s] += ai[s];
        if (hessian) for (let k = 0; k < hp; k++) B[i * hp + k] += bi[k];
      }
    } else for (let i = 0; i < n; i++) {
      for (let j = i + 1; j < n; j++, o++) {
        const U = this.scaledPair(i, j, o, u, inv);
        const e = expNeg(-0.5 * U);
        if (e === 0) continue;
        S[i] += e;
        S[j] += e;
        for (let s = 0; s < p; s++) {
          const v = e * u[s];
          A[i * p + s] += v;
          A[j * p + s] += v;
          if (hessian) {
            for (let t = 0; t <= s; t++) {
              const b = v * u[t];
              B[i * hp + s * p + t] += b;
              B[j * hp + s * p + t] += b;
            }
          }
        }
      }
    }
    // Rows whose sum underflowed (or lost all precision): recompute max-shifted.
    const logS = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      if (S[i] > UNDERFLOW) {
        logS[i] = Math.log(S[i]);
        continue;
      }
      logS[i] = this.lcvRowShifted(i, inv, A.subarray(i * p, (i + 1) * p), hessian ? B.subarray(i * hp, (i + 1) * hp) : null);
      S[i] = 1; // A and B now hold ratios to the (shifted) row sum
    }
    const F = new NeumaierSum();
    let sl = 0;
    for (let s = 0; s < p; s++) sl += l[s];
    const dim = this.tied ? d : 1;
    for (let i = 0; i < n; i++) F.add(-logS[i]);
    const value = F.value + n * dim * sl + n * (d / 2) * LOG2PI;
    const grad = new Float64Array(p);
    const hess = new Float64Array(hp);
    for (let s = 0; s < p; s++) {
      const g = new NeumaierSum();
      for (let i = 0; i < n; i++) g.add(-A[i * p + s] / S[i]);
      grad[s] = g.value + n * dim;
    }
    if (hessian) {
      for (let s = 0; s < p; s++) {
        for (let t = 0; t <= s; t++) {
          const h = new NeumaierSum();
          for (let i = 0; i < n; i++) {
            const Si = S[i];
            const a = A[i * p + s] / Si;
            const b = A[i * p + t] / Si;
            h.add(-((B[i * hp + s * p + t] - (s === t ? 2 * A[i * p + s] : 0)) / Si - a * b));
          }
          hess[s * p + t] = hess[t * p + s] = h.value;
        }
      }
    }
    return { value, grad, hess };
  }

  /** log S_i by a max-shifted pass over row i; leaves A_i/S_i and B_i/S_i in a and b. */
  private lcvRowShifted(i: number, inv: Float64Array, a: Float64Array, b: Float64Array | null): number {
    const { n, d, p } = this;
    const U = new Float64Array(n);
    const uu = new Float64Array(n * p);
    let mn = Infinity;
    for (let j = 0; j < n; j++) {
      if (j === i) continue;
      let tot = 0;
      for (let s = 0; s < p; s++) {
        let acc = 0;
        const c0 = this.tied ? 0 : s;
        const c1 = this.tied ? d : s + 1;
        for (let c = c0; c < c1; c++) {
          const t = this.x[i * d + c] - this.x[j * d + c];
          acc += t * t;
        }
        uu[j * p + s] = acc * inv[s];
        tot += uu[j * p + s];
      }
      U[j] = tot;
      if (tot < mn) mn = tot;
    }
    let S = 0;
    a.fill(0);
    b?.fill(0);
    for (let j = 0; j < n; j++) {
      if (j === i) continue;
      const e = expNeg(-0.5 * (U[j] - mn));
      S += e;
      for (let s = 0; s < p; s++) {
        const v = e * uu[j * p + s];
        a[s] += v;
        if (b) for (let t = 0; t <= s; t++) b[s * p + t] += v * uu[j * p + t];
      }
    }
    for (let s = 0; s < p; s++) a[s] /= S;
    if (b) for (let k = 0; k < b.length; k++) b[k] /= S;
    return -0.5 * mn + Math.log(S);
  }

  private lscv(l: ArrayLike<number>, hessian: boolean): CvValue {
    const { n, d, p } = this;
    const inv = new Float64Array(p);
    let sl = 0;
    for (let s = 0; s < p; s++) {
      inv[s] = Math.exp(-2 * l[s]);
      sl += l[s];
    }
    const dim = this.tied ? d : 1; // coordinates per free parameter
    const totalLog = sl * dim; // Σ_s log h_s over all d coordinates
    // Pair sums: E1 = Σ e^{−U/2}, M1_s = Σ e^{−U/2} u_s, Q1_st = Σ e^{−U/2} u_s u_t; the same (…2) for e^{−U/4}.
    const E1 = new NeumaierSum();
    const E2 = new NeumaierSum();
    const M1 = Array.from({ length: p }, () => new NeumaierSum());
    const M2 = Array.from({ length: p }, () => new NeumaierSum());
    const hp = hessian ? p * p : 0;
    const Q1 = new Float64Array(hp);
    const Q2 = new Float64Array(hp);
    const u = new Float64Array(p);
    let o = 0;
    if (this.tied && this.diff2) {
      // Fast path: per-row partial sums (plain), added to the compensated totals once per row.
      const D = this.diff2;
      const c = inv[0];
      for (let i = 0; i < n; i++) {
        let e1s = 0, e2s = 0, m1 = 0, m2 = 0, q1 = 0, q2 = 0;
        for (let j = i + 1; j < n; j++, o++) {
          const U = D[o] * c;
          const e2 = expNeg(-0.25 * U);
          const e1 = e2 * e2;
          e1s += e1;
          e2s += e2;
          m1 += e1 * U;
          m2 += e2 * U;
          q1 += e1 * U * U;
          q2 += e2 * U * U;
        }
        E1.add(e1s);
        E2.add(e2s);
        M1[0].add(m1);
        M2[0].add(m2);
        if (hessian) {
          Q1[0] += q1;
          Q2[0] += q2;
        }
      }
    } else for (let i = 0; i < n; i++) {
      for (let j = i + 1; j < n; j++, o++) {
        const U = this.scaledPair(i, j, o, u, inv);
        const e2 = expNeg(-0.25 * U);
        if (e2 === 0) continue;
        const e1 = e2 * e2;
        E1.add(e1);
        E2.add(e2);
        for (let s = 0; s < p; s++) {
          M1[s].add(e1 * u[s]);
          M2[s].add(e2 * u[s]);
          if (hessian) {
            for (let t = 0; t <= s; t++) {
              Q1[s * p + t] += e1 * u[s] * u[t];
              Q2[s * p + t] += e2 * u[s] * u[t];
            }
          }
        }
      }
    }
    // K = c1 e^{−Σlog h} e1, K̄ = c2 e^{−Σlog h} e2; imse = (n c2 + 2 c2 E2)/n² · H − 4 c1 E1/(n(n−1)) · H,  H = e^{−Σlog h}.
    const H = Math.exp(-totalLog);
    const c1 = Math.exp(-(d / 2) * LOG2PI);
    const c2 = Math.exp(-(d / 2) * Math.log(4 * Math.PI));
    const a2 = (2 * c2) / (n * n); // weight of the pair sums of K̄
    const a0 = c2 / n; // the diagonal K̄(0) terms: n·c2/n²
    const a1 = (4 * c1) / (n * (n - 1));
    const value = H * (a0 + a2 * E2.value - a1 * E1.value);
    // Per free parameter s (covering `dim` coordinates): ∂ log K/∂ℓ_s = u_s − dim, for K̄: u_s/2 − dim.
    const grad = new Float64Array(p);
    for (let s = 0; s < p; s++) {
      const gK = M1[s].value - dim * E1.value;
      const gKb = 0.5 * M2[s].value - dim * E2.value;
      grad[s] = H * (-dim * a0 + a2 * gKb - a1 * gK);
    }
    const hess = new Float64Array(hp);
    if (hessian) {
      // ∂²K/∂ℓ_s∂ℓ_t = K[(u_s − dim)(u_t − dim) − 2u_s δ_st]  (K̄: u → u/2).
      for (let s = 0; s < p; s++) {
        for (let t = 0; t <= s; t++) {
          const dst = s === t ? 1 : 0;
          const hK = Q1[s * p + t] - dim * M1[s].value - dim * M1[t].value + dim * dim * E1.value - 2 * dst * M1[s].value;
          const hKb = 0.25 * Q2[s * p + t] - 0.5 * dim * M2[s].value - 0.5 * dim * M2[t].value + dim * dim * E2.value - dst * M2[s].value;
          hess[s * p + t] = hess[t * p + s] = H * (dim * dim * a0 + a2 * hKb - a1 * hK);
        }
      }
    }
    return { value, grad, hess };
  }
}

/** Cholesky solve of (H + μI) x = −g; null if not positive definite. */
function newtonStep(H: Float64Array, g: Float64Array, p: number, mu: number): Float64Array | null {
  const L = new Float64Array(p * p);
  for (let i = 0; i < p; i++) {
    for (let j = 0; j <= i; j++) {
      let s = H[i * p + j] + (i === j ? mu : 0);
      for (let k = 0; k < j; k++) s -= L[i * p + k] * L[j * p + k];
      if (i === j) {
        if (!(s > 0)) return null;
        L[i * p + i] = Math.sqrt(s);
      } else {
        L[i * p + j] = s / L[j * p + j];
      }
    }
  }
  const y = new Float64Array(p);
  for (let i = 0; i < p; i++) {
    let s = -g[i];
    for (let k = 0; k < i; k++) s -= L[i * p + k] * y[k];
    y[i] = s / L[i * p + i];
  }
  const x = new Float64Array(p);
  for (let i = p - 1; i >= 0; i--) {
    let s = y[i];
    for (let k = i + 1; k < p; k++) s -= L[k * p + i] * x[k];
    x[i] = s / L[i * p + i];
  }
  return x;
}

export interface Minimum {
  readonly l: Float64Array;
  readonly value: number;
  readonly grad: Float64Array;
  readonly iterations: number;
  readonly converged: boolean;
}

/**
 * Damped Newton in log-bandwidth: step −(H + μI)⁻¹∇F (μ = 0 when H is positive definite, else the
 * smallest of 1e−8·(1 + max|H_ii|)·10^k that makes it so), each coordinate capped at 1, Armijo
 * backtracking. Stops when the accepted step moves every ℓ_s by < `tol` (so every h_s is known to
 * about `tol` relative; with quadratic convergence the error is far below that), or — without
 * evaluating there — when the full Newton step itself is below `tol`.
 */
export function minimise(obj: CvObjective, l0: ArrayLike<number>, tol = 1e-9, maxIter = 100): Minimum {
  const p = obj.p;
  let l = Float64Array.from(l0);
  let cur = obj.evaluate(l, true);
  for (let it = 1; it <= maxIter; it++) {
    let scale = 0;
    for (let s = 0; s < p; s++) scale = Math.max(scale, Math.abs(cur.hess[s * p + s]));
    let mu = 0;
    let maybe = newtonStep(cur.hess, cur.grad, p, 0);
    while (!maybe) {
      mu = mu === 0 ? 1e-8 * (1 + scale) : mu * 10;
      maybe = newtonStep(cur.hess, cur.grad, p, mu);
    }
    const step: Float64Array = maybe;
    let big = 0;
    for (let s = 0; s < p; s++) big = Math.max(big, Math.abs(step[s]));
    if (mu === 0 && big < tol) {
      // A full Newton step (positive-definite Hessian) below tol: take it without another O(n²)
      // evaluation — with quadratic convergence its error is O(tol²) — and stop. Near the optimum the
      // objective's rounding noise (~1e−16 relative) would otherwise fail the Armijo test and cost
      // backtracking evaluations. `value`/`grad` are those at the previous point (|Δvalue| ≤ |g|·tol).
      return { l: l.map((v, s) => v + step[s]), value: cur.value, grad: cur.grad, iterations: it, converged: true };
    }
    if (big > 1) for (let s = 0; s < p; s++) step[s] /= big;
    let slope = 0;
    for (let s = 0; s < p; s++) slope += cur.grad[s] * step[s];
    let t = 1;
    let next: CvValue | null = null;
    let lt = l;
    for (let k = 0; k < 60; k++) {
      lt = l.map((v, s) => v + t * step[s]);
      const cand = obj.evaluate(lt, true);
      if (Number.isFinite(cand.value) && cand.value <= cur.value + 1e-4 * t * slope) {
        next = cand;
        break;
      }
      t /= 2;
    }
    let moved = 0;
    for (let s = 0; s < p; s++) moved = Math.max(moved, Math.abs(t * step[s]));
    if (!next) {
      // No decrease possible along the Newton direction at machine precision: at the minimum.
      return { l, value: cur.value, grad: cur.grad, iterations: it, converged: moved < 1e-6 };
    }
    l = lt;
    cur = next;
    if (moved < tol) return { l, value: cur.value, grad: cur.grad, iterations: it, converged: true };
  }
  return { l, value: cur.value, grad: cur.grad, iterations: maxIter, converged: false };
}
