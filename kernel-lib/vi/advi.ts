import { cholesky } from '../core/linalg.js';
import { InvalidParameterError } from '../core/errors.js';
import { gradAt, type Target } from './target.js';
import { resolveOptions, runLoop, type VIOptions, type VIRun } from './run.js';

export interface AdviOptions extends VIOptions {
  /** 'full-rank' (q = N(m, LLᵀ), L lower-triangular) or 'mean-field' (q = N(m, diag σ²)). Default 'full-rank'. */
  readonly family?: 'full-rank' | 'mean-field';
  /** Plain gradient ascent with step h (default, comparable with the BW schemes) or Adam (β = 0.9, 0.999). */
  readonly optimizer?: 'sgd' | 'adam';
}

/**
 * Reparameterised black-box VI / ADVI with Gaussian families (Kucukelbir, Tran, Ranganath, Gelman &
 * Blei 2017, "Automatic differentiation variational inference", JMLR 18(14), §2 and App. for the
 * full-rank and mean-field gradients; Titsias & Lázaro-Gredilla 2014 for the doubly stochastic
 * reparameterised estimator). With x = m + L z, z ~ N(0, I):
 *
 *   ELBO(m, L) = E_z[log π(m + Lz)] + log|det L| + (d/2) log(2πe),
 *   ∇_m ELBO = E[∇log π(x)],   ∇_L ELBO = tril(E[∇log π(x) zᵀ]) + diag(1/L_ii);
 *   mean-field, σ = exp(ω): ∇_ω ELBO = E[∇log π(x) ⊙ z] ⊙ σ + 1.
 *
 * Expectations over `samples` draws per step (ADVI's "M" draws). `samples: 'exact'` (Gaussian
 * targets) uses the exact expectations E∇log π = −P(m − μ), E[∇log π zᵀ] = −P L, i.e. deterministic
 * gradient ascent in the Euclidean (m, L) parameters — the Euclidean counterpart of BW-GD.
 * Only ∇log π is needed (the target's Hessian is not used by the update).
 */
export function advi(target: Target, options: AdviOptions): VIRun {
  const o = resolveOptions(target, options);
  const d = o.d;
  const h = o.step;
  const family = options.family ?? 'full-rank';
  if (family !== 'full-rank' && family !== 'mean-field') throw new InvalidParameterError('options.family', `must be 'full-rank' or 'mean-field', got ${String(family)}`);
  const optimizer = options.optimizer ?? 'sgd';
  if (optimizer !== 'sgd' && optimizer !== 'adam') throw new InvalidParameterError('options.optimizer', `must be 'sgd' or 'adam', got ${String(optimizer)}`);
  const m = Float64Array.from(o.mean);
  // Parameters after m: full-rank L (d×d, lower triangle used); mean-field ω = log σ (d).
  let L: Float64Array;
  let omega: Float64Array;
  if (family === 'full-rank') {
    L = cholesky(o.cov, d, 'options.init.cov');
    omega = new Float64Array(0);
  } else {
    L = new Float64Array(0);
    omega = new Float64Array(d);
    for (let i = 0; i < d; i++) omega[i] = 0.5 * Math.log(o.cov[i * d + i]);
    const c = new Float64Array(d * d);
    for (let i = 0; i < d; i++) c[i * d + i] = o.cov[i * d + i];
    o.cov = c; // the mean-field family starts from the diagonal of the given covariance
  }
  const nP = d + (family === 'full-rank' ? d * d : d);
  const adamM = new Float64Array(nP);
  const adamV = new Float64Array(nP);
  let t = 0;
  const grad = new Float64Array(nP);
  const z = new Float64Array(d);
  const x = new Float64Array(d);
  const P = target.gaussian?.precision;
  const mu = target.gaussian?.mean;

  const gradients = (): void => {
    grad.fill(0);
    if (o.samples === 'exact') {
      const P_ = P as Float64Array;
      const mu_ = mu as Float64Array;
      for (let i = 0; i < d; i++) {
        let s = 0;
        for (let j = 0; j < d; j++) s += P_[i * d + j] * (m[j] - mu_[j]);
        grad[i] = -s;
      }
      if (family === 'full-rank') {
        for (let i = 0; i < d; i++) {
          for (let j = 0; j <= i; j++) {
            let s = 0;
            for (let k = j; k < d; k++) s += P_[i * d + k] * L[k * d + j];
            grad[d + i * d + j] = -s + (i === j ? 1 / L[i * d + i] : 0);
          }
        }
      } else {
        for (let i = 0; i < d; i++) {
          const s2 = Math.exp(2 * omega[i]);
          grad[d + i] = -P_[i * d + i] * s2 + 1;
        }
      }
      return;
    }
    const n = o.samples;
    for (let s = 0; s < n; s++) {
      for (let i = 0; i < d; i++) z[i] = o.rng.normal();
      if (family === 'full-rank') {
        for (let i = 0; i < d; i++) {
          let v = m[i];
          for (let k = 0; k <= i; k++) v += L[i * d + k] * z[k];
          x[i] = v;
        }
      } else {
        for (let i = 0; i < d; i++) x[i] = m[i] + Math.exp(omega[i]) * z[i];
      }
      const g = gradAt(target, x);
      for (let i = 0; i < d; i++) grad[i] += g[i] / n;
      if (family === 'full-rank') {
        for (let i = 0; i < d; i++) for (let j = 0; j <= i; j++) grad[d + i * d + j] += (g[i] * z[j]) / n;
      } else {
        for (let i = 0; i < d; i++) grad[d + i] += (g[i] * z[i] * Math.exp(omega[i])) / n;
      }
    }
    if (family === 'full-rank') for (let i = 0; i < d; i++) grad[d + i * d + i] += 1 / L[i * d + i];
    else for (let i = 0; i < d; i++) grad[d + i] += 1;
  };

  const update = (): { mean: Float64Array; cov: Float64Array } => {
    gradients();
    // Ascent on the ELBO.
    let dir = grad;
    if (optimizer === 'adam') {
      t++;
      dir = new Float64Array(nP);
      const b1 = 0.9;
      const b2 = 0.999;
      for (let i = 0; i < nP; i++) {
        adamM[i] = b1 * adamM[i] + (1 - b1) * grad[i];
        adamV[i] = b2 * adamV[i] + (1 - b2) * grad[i] * grad[i];
        dir[i] = adamM[i] / (1 - b1 ** t) / (Math.sqrt(adamV[i] / (1 - b2 ** t)) + 1e-8);
      }
    }
    for (let i = 0; i < d; i++) m[i] += h * dir[i];
    const cov = new Float64Array(d * d);
    if (family === 'full-rank') {
      for (let i = 0; i < d; i++) for (let j = 0; j <= i; j++) L[i * d + j] += h * dir[d + i * d + j];
      for (let i = 0; i < d; i++) {
        for (let j = 0; j <= i; j++) {
          let s = 0;
          for (let k = 0; k <= j; k++) s += L[i * d + k] * L[j * d + k];
          cov[i * d + j] = s;
          cov[j * d + i] = s;
        }
      }
    } else {
      for (let i = 0; i < d; i++) {
        omega[i] += h * dir[d + i];
        cov[i * d + i] = Math.exp(2 * omega[i]);
      }
    }
    return { mean: Float64Array.from(m), cov };
  };
  return runLoop(o, family === 'full-rank' ? 'advi-full-rank' : 'advi-mean-field', update, false);
}
