import { InvalidParameterError } from '../core/errors.js';
import { inverseSpd, cholesky, logDetFromCholesky, matmulInto } from '../core/linalg.js';
import { Rng } from '../core/rng.js';
import { NeumaierSum } from '../core/sum.js';
import { gaussianKl } from '../gaussian/closed-form.js';
import { potentialExpectations, type PotentialExpectations } from './expectations.js';
import { checkTarget, squareMatrix, type Target } from './target.js';

/** One recorded iterate of a Gaussian VI run. */
export interface VIStep {
  readonly iteration: number;
  /** Mean m_k, length d. */
  readonly mean: Float64Array;
  /** Covariance Σ_k, d×d row-major. */
  readonly cov: Float64Array;
  /** KL(p_k ‖ π) in nats, closed form, when the target is Gaussian. */
  readonly kl?: number;
  /**
   * ELBO = E_{p_k} log π̃ + H(p_k) in nats (π̃ the target's possibly unnormalised density; equals
   * log Z − KL). Exact (= −KL) for Gaussian targets; otherwise a Monte Carlo estimate with
   * `elboSamples` fixed draws (common random numbers across iterations and methods).
   */
  readonly elbo: number;
  /**
   * The Bures–Wasserstein gradient of KL(·‖π) at p_k: the affine map
   * x ↦ E∇V + (E∇²V − Σ⁻¹)(x − m) (Lambert et al. 2022; Diao et al. 2023), stored as
   * its mean part `mean` = E∇V and matrix part `matrix` = E∇²V − Σ⁻¹, with the expectations
   * computed as the run computes them (exact or Monte Carlo).
   */
  readonly bwGradient: { readonly mean: Float64Array; readonly matrix: Float64Array };
  /** ‖∇_BW KL‖²_{L²(p_k)} = ‖E∇V‖² + tr(G Σ G), G = E∇²V − Σ⁻¹, its square root. */
  readonly bwGradNorm: number;
}

export interface VIRun {
  readonly method: 'fb-gvi' | 'sfb-gvi' | 'bw-gd' | 'bw-sgd' | 'advi-full-rank' | 'advi-mean-field';
  readonly target: string;
  readonly d: number;
  readonly step: number;
  readonly samples: number | 'exact';
  /** Recorded iterates, iteration 0 = the initialisation. */
  readonly steps: VIStep[];
  /** The last iterate that was finite and positive definite. */
  readonly mean: Float64Array;
  readonly cov: Float64Array;
  /** Iterations actually performed. */
  readonly iterations: number;
  /**
   * Set when an update produced a non-finite or non-positive-definite covariance (or KL > 1e12):
   * the run stops there and `mean`/`cov` are the last good iterate (as POT reports numerical
   * failure: the last good iterate and the reason, never NaN).
   */
  readonly diverged?: { readonly iteration: number; readonly reason: string };
  /** Wall-clock seconds spent in the loop (updates and recording). */
  readonly seconds: number;
}

/** Options shared by every Gaussian VI method. */
export interface VIOptions {
  /** Step size h (> 0). FB-GVI's guarantees need h ≤ 1/L (L = target.smoothness). */
  readonly step: number;
  /** Number of iterations (default 100). */
  readonly iterations?: number;
  /** Initial Gaussian N(m₀, Σ₀); default N(0, I). */
  readonly init?: { readonly mean: ArrayLike<number>; readonly cov: ArrayLike<number> | readonly (readonly number[])[] };
  /**
   * Expectations of the potential: 'exact' (Gaussian targets only; default there) or the number
   * of Monte Carlo draws per iteration (default 32 for other targets). 1 gives the stochastic
   * variants (SFB-GVI, BW-SGD).
   */
  readonly samples?: number | 'exact';
  /** Seed of the Monte Carlo draws (default 0). */
  readonly seed?: number;
  /** Record every k-th iterate (default 1); the last one is always recorded. */
  readonly recordEvery?: number;
  /** Draws for the Monte Carlo ELBO of non-Gaussian targets (default 256, fixed across iterations). */
  readonly elboSamples?: number;
  /** Seed of the ELBO draws (default 12345: the same draws for every method). */
  readonly elboSeed?: number;
  /** Called after each recorded iterate (live plots). */
  readonly onStep?: (step: VIStep) => void;
}

export interface ResolvedOptions {
  target: Target;
  d: number;
  step: number;
  iterations: number;
  samples: number | 'exact';
  rng: Rng;
  recordEvery: number;
  mean: Float64Array;
  cov: Float64Array;
  evalZ: Float64Array | null;
  evalN: number;
  onStep?: (s: VIStep) => void;
}

export function resolveOptions(target: Target, options: VIOptions): ResolvedOptions {
  checkTarget(target);
  const d = target.dim;
  if (options === null || typeof options !== 'object') throw new InvalidParameterError('options', 'expected { step, iterations?, ... }');
  const step = options.step;
  if (!(step > 0) || !Number.isFinite(step)) throw new InvalidParameterError('options.step', `must be a finite number > 0, got ${String(step)}`);
  const iterations = options.iterations ?? 100;
  if (!Number.isInteger(iterations) || iterations < 0) throw new InvalidParameterError('options.iterations', `must be an integer ≥ 0, got ${String(iterations)}`);
  const samples = options.samples ?? (target.gaussian ? 'exact' : 32);
  if (samples === 'exact') {
    if (!target.gaussian) throw new InvalidParameterError('options.samples', "'exact' needs a Gaussian target (vi.gaussianTarget); give a number of Monte Carlo draws");
  } else if (!Number.isInteger(samples) || samples < 1) {
    throw new InvalidParameterError('options.samples', `must be 'exact' or an integer ≥ 1, got ${String(samples)}`);
  }
  const recordEvery = options.recordEvery ?? 1;
  if (!Number.isInteger(recordEvery) || recordEvery < 1) throw new InvalidParameterError('options.recordEvery', `must be an integer ≥ 1, got ${String(recordEvery)}`);
  let mean: Float64Array;
  let cov: Float64Array;
  if (options.init) {
    mean = Float64Array.from(options.init.mean);
    if (mean.length !== d) throw new InvalidParameterError('options.init.mean', `has length ${mean.length}, the target has dim ${d}`);
    cov = squareMatrix(options.init.cov, d, 'options.init.cov');
    cholesky(cov, d, 'options.init.cov');
  } else {
    mean = new Float64Array(d);
    cov = new Float64Array(d * d);
    for (let i = 0; i < d; i++) cov[i * d + i] = 1;
  }
  let evalZ: Float64Array | null = null;
  const evalN = options.elboSamples ?? 256;
  if (!target.gaussian) {
    if (!Number.isInteger(evalN) || evalN < 1) throw new InvalidParameterError('options.elboSamples', `must be an integer ≥ 1, got ${String(evalN)}`);
    evalZ = new Rng(options.elboSeed ?? 12345).normals(evalN * d);
  }
  return { target, d, step, iterations, samples, rng: new Rng(options.seed ?? 0), recordEvery, mean, cov, evalZ, evalN, onStep: options.onStep };
}

/** ELBO and (Gaussian targets) KL of N(m, Σ). Throws if Σ is not positive definite. */
export function objective(o: ResolvedOptions, mean: Float64Array, cov: Float64Array): { kl?: number; elbo: number } {
  const { target, d } = o;
  if (target.gaussian) {
    const kl = gaussianKl({ mean, cov }, { mean: target.gaussian.mean, cov: target.gaussian.cov });
    return { kl, elbo: -kl };
  }
  const l = cholesky(cov, d, 'cov');
  const entropy = 0.5 * (d * Math.log(2 * Math.PI * Math.E) + logDetFromCholesky(l, d));
  const z = o.evalZ as Float64Array;
  const acc = new NeumaierSum();
  const x = new Float64Array(d);
  for (let s = 0; s < o.evalN; s++) {
    for (let i = 0; i < d; i++) {
      let v = mean[i];
      for (let k = 0; k <= i; k++) v += l[i * d + k] * z[s * d + k];
      x[i] = v;
    }
    acc.add(target.logDensity(x));
  }
  return { elbo: acc.value / o.evalN + entropy };
}

/** Builds the recorded step (objective + BW gradient) at (m, Σ) from the potential expectations. */
export function recordStep(o: ResolvedOptions, k: number, mean: Float64Array, cov: Float64Array, e: PotentialExpectations): VIStep {
  const d = o.d;
  const obj = objective(o, mean, cov);
  const inv = inverseSpd(cov, d, 'cov');
  const g = new Float64Array(d * d);
  for (let i = 0; i < d * d; i++) g[i] = e.hessian[i] - inv[i];
  let n2 = 0;
  for (let i = 0; i < d; i++) n2 += e.grad[i] * e.grad[i];
  // tr(G Σ G) = Σ_ij (GΣ)_ij G_ji
  const gs = matmulInto(g, cov, d, d, d, new Float64Array(d * d));
  for (let i = 0; i < d; i++) {
    for (let j = 0; j < d; j++) n2 += gs[i * d + j] * g[j * d + i];
  }
  return {
    iteration: k,
    mean: Float64Array.from(mean),
    cov: Float64Array.from(cov),
    kl: obj.kl,
    elbo: obj.elbo,
    bwGradient: { mean: Float64Array.from(e.grad), matrix: g },
    bwGradNorm: Math.sqrt(Math.max(n2, 0)),
  };
}

/**
 * Is Σ finite and positive definite (Cholesky succeeds)? Returns the reason when not. With
 * `certifiedSpd` (the update built Σ = V diag(λ) Vᵀ from an orthogonal V and eigenvalues it
 * checked to be well above round-off, see {@link spdCertificate}) the O(d³) Cholesky is skipped
 * and only finiteness is checked.
 */
export function badState(mean: Float64Array, cov: Float64Array, d: number, certifiedSpd = false): string | null {
  for (let i = 0; i < mean.length; i++) if (!Number.isFinite(mean[i])) return `non-finite mean at coordinate ${i}`;
  for (let i = 0; i < cov.length; i++) if (!Number.isFinite(cov[i])) return `non-finite covariance entry ${i}`;
  if (certifiedSpd) return null;
  try {
    cholesky(cov, d, 'cov');
  } catch {
    return 'covariance lost positive definiteness';
  }
  return null;
}

/**
 * The common loop: at each iteration computes the expectations (if `needsExpectations(k)`), records,
 * and applies `update`. Stops at the first bad state, keeping the last good iterate.
 */
export function runLoop(
  o: ResolvedOptions,
  method: VIRun['method'],
  update: (mean: Float64Array, cov: Float64Array, e: PotentialExpectations | null, k: number) => { mean: Float64Array; cov: Float64Array; certifiedSpd?: boolean },
  updateNeedsExpectations: boolean,
): VIRun {
  const t0 = Date.now();
  let mean = o.mean;
  let cov = o.cov;
  let prevMean = mean;
  let prevCov = cov;
  const steps: VIStep[] = [];
  let diverged: VIRun['diverged'];
  let k = 0;
  for (; ; k++) {
    const record = k % o.recordEvery === 0 || k === o.iterations;
    const e = record || updateNeedsExpectations ? potentialExpectations(o.target, mean, cov, o.samples, o.rng) : null;
    if (record) {
      const s = recordStep(o, k, mean, cov, e as PotentialExpectations);
      if (o.target.gaussian && !(s.kl !== undefined && s.kl < 1e12)) {
        diverged = { iteration: k, reason: `KL = ${s.kl} exceeds 1e12` };
        mean = prevMean;
        cov = prevCov;
        break;
      }
      steps.push(s);
      o.onStep?.(s);
    }
    if (k === o.iterations) break;
    const next = update(mean, cov, e, k);
    const bad = badState(next.mean, next.cov, o.d, next.certifiedSpd === true);
    if (bad) {
      diverged = { iteration: k + 1, reason: bad };
      break;
    }
    prevMean = mean;
    prevCov = cov;
    mean = next.mean;
    cov = next.cov;
  }
  return {
    method,
    target: o.target.name ?? 'target',
    d: o.d,
    step: o.step,
    samples: o.samples,
    steps,
    mean,
    cov,
    iterations: diverged ? diverged.iteration : k,
    diverged,
    seconds: (Date.now() - t0) / 1000,
  };
}

/**
 * Whether Σ = V diag(λ) Vᵀ, formed in float64 from the eigenvectors V of a symmetric eigensolver
 * (orthogonal to O(dε)) and eigenvalues λ (ascending, all > 0), is positive definite beyond doubt:
 * the rounding errors of V and of the product move the eigenvalues of the computed Σ by at most
 * c·d·ε·λ_max, and Cholesky succeeds when λ_min(Σ) exceeds about d²ε·λ_max (Demmel 1989;
 * Higham, Accuracy and Stability of Numerical Algorithms, 2nd ed., Thm 10.7). The margin used here,
 * λ_min > 16·d²·ε·λ_max, covers both, so the Cholesky check in {@link badState} can be skipped.
 */
export function spdCertificate(values: Float64Array): boolean {
  const d = values.length;
  const lo = values[0];
  const hi = values[d - 1];
  return Number.isFinite(hi) && lo > 0 && lo > 16 * d * d * Number.EPSILON * hi;
}
