import { InvalidParameterError, TooFewSamplesError, DimensionMismatchError } from '../core/errors.js';
import { assertSameRows, toMatrix, type Matrix, type Samples } from '../core/matrix.js';
import { Rng } from '../core/rng.js';
import { mean as meanOf, variance } from '../core/sum.js';
import { unitFor } from '../core/units.js';
import type { Estimate } from '../estimate.js';
import { backward } from '../autodiff/tensor.js';
import { sub, mul, square } from '../autodiff/elementwise.js';
import { sum } from '../autodiff/reductions.js';
import { scale as scaleT } from '../autodiff/elementwise.js';
import { constant } from '../autodiff/tensor.js';
import { Adam } from '../optim/adam.js';
import { ScoreNetwork, type ScoreActivation } from './network.js';
import {
  checkSchedule, importanceNormaliser, meanFactor, noiseStd, sampleImportanceTimes, type VpSchedule,
} from './vp.js';

/**
 * Which score the shared network is asked for (Franzese et al. 2024: "one network, all masks"):
 * - 'joint':  s_{XY}(x_t, y_t), both blocks diffused to t;
 * - 'x' / 'y': marginal score of one block, the other zeroed and given time 1;
 * - 'x|y' / 'y|x': conditional score of one block, the other clean (time 0).
 */
export type ScoreMode = 'joint' | 'x' | 'y' | 'x|y' | 'y|x';

export interface MindeTrainOptions {
  /** Hidden layer widths of the noise-prediction MLP (default [64, 64]). */
  readonly hidden?: readonly number[];
  /** Hidden activation (default 'elu'). */
  readonly activation?: ScoreActivation;
  /** Adam steps (default 2000). */
  readonly steps?: number;
  /** Minibatch size (default 128). */
  readonly batchSize?: number;
  /** Adam learning rate (default 2e-3). */
  readonly lr?: number;
  /** Seed of the initial weights, minibatches, times and noise (default 0). */
  readonly seed?: number;
  /** VP schedule (default β ∈ [0.1, 20], tEps = 1e-3). */
  readonly schedule?: Partial<VpSchedule>;
  /**
   * Training times: importance-sampled ∝ β/σ² (as the estimator weights them), uniform on
   * [tEps, 1], or 'mixture' (default): half of each minibatch from each. Importance sampling alone
   * under-trains the conditional score at mid t; uniform alone under-trains small t, which the
   * estimator weights most (measured in test/score and the notebook).
   */
  readonly trainTime?: 'importance' | 'uniform' | 'mixture';
  /** Standardise every column to mean 0, s.d. 1 first (default true; MI is invariant to it). */
  readonly standardize?: boolean;
  /**
   * Exponential moving average of the weights used for evaluation after training (default 0.995;
   * 0 disables). Averaging removes part of the SGD noise in the learned scores, which the squared
   * score differences of MINDE turn into a positive bias.
   */
  readonly ema?: number;
  /** Called every `progressEvery` steps with the running mean of the loss (live plots). */
  readonly onProgress?: (p: { step: number; loss: number }) => void;
  /** Default 50. */
  readonly progressEvery?: number;
}

export interface MindeEstimateOptions {
  /** 'conditional' (MINDE-C, default) or 'joint' (MINDE-J) decides `value`; both are in `extra`. */
  readonly estimator?: 'conditional' | 'joint';
  /** Diffusion-time draws per evaluation sample (default 4). */
  readonly timeDraws?: number;
  /** Seed of the evaluation times and noise (default 1). */
  readonly seed?: number;
  /** Logarithm base (default e: nats). */
  readonly base?: number;
}

export interface MindeOptions extends MindeTrainOptions, MindeEstimateOptions {
  /** Seed of training (default 0); the evaluation uses `seed + 1`. */
  readonly seed?: number;
}

const MODES: readonly ScoreMode[] = ['joint', 'x|y', 'y|x', 'x', 'y'];

/**
 * A trained MINDE model: the shared time-conditioned score network of Franzese, Bounoua & Michiardi
 * (2024), "MINDE: Mutual Information Neural Diffusion Estimation", ICLR 2024 (arXiv:2310.09031),
 * trained by denoising score matching on the VP diffusion.
 */
export class MindeModel {
  readonly dx: number;
  readonly dy: number;
  readonly schedule: VpSchedule;
  readonly network: ScoreNetwork;
  /** Column centres and scales of the standardisation (identity when `standardize: false`). */
  readonly center: Float64Array;
  readonly scale: Float64Array;
  /** Training curve: step and running-mean loss every `progressEvery` steps. */
  readonly losses: { step: number[]; loss: number[] } = { step: [], loss: [] };
  /** Training wall time (s) and steps per second. */
  trainSeconds = 0;
  stepsPerSecond = 0;

  constructor(dx: number, dy: number, schedule: VpSchedule, network: ScoreNetwork, center: Float64Array, scale: Float64Array) {
    this.dx = dx;
    this.dy = dy;
    this.schedule = schedule;
    this.network = network;
    this.center = center;
    this.scale = scale;
  }

  /** Maps raw joint rows [x, y] (n×(dx+dy)) into the model's standardised coordinates. */
  standardize(z: Samples): Matrix {
    const m = toMatrix(z, 'z');
    const D = this.dx + this.dy;
    if (m.cols !== D) throw new DimensionMismatchError('z', `has ${m.cols} columns, the model expects dx + dy = ${D}`);
    const data = new Float64Array(m.data.length);
    for (let i = 0; i < m.rows; i++) for (let j = 0; j < D; j++) data[i * D + j] = (m.data[i * D + j] - this.center[j]) / this.scale[j];
    return { data, rows: m.rows, cols: D };
  }

  /**
   * Noise predictions ε̂(z, τ_x, τ_y) for rows z = [x-block, y-block] already in standardised
   * coordinates and already masked (clean/zeroed blocks as the mode needs); tx, ty per row.
   */
  predictNoise(z: Float64Array, tx: Float64Array, ty: Float64Array): Float64Array {
    const n = tx.length;
    const { input, skip, outScale } = this.inputs(z, tx, ty, n);
    return this.network.predict(input, skip, outScale, n);
  }

  /** @internal builds network inputs [z, τx, a(τx), σ(τx), τy, a(τy), σ(τy)] and the skip σ_τ·z. */
  inputs(z: Float64Array, tx: Float64Array, ty: Float64Array, n: number): { input: Float64Array; skip: Float64Array; outScale: Float64Array } {
    const D = this.dx + this.dy;
    const W = D + 6;
    const input = new Float64Array(n * W);
    const skip = new Float64Array(n * D);
    const outScale = new Float64Array(n * D);
    for (let i = 0; i < n; i++) {
      const sx = noiseStd(this.schedule, tx[i]);
      const sy = noiseStd(this.schedule, ty[i]);
      for (let j = 0; j < D; j++) {
        const v = z[i * D + j];
        input[i * W + j] = v;
        const sj = j < this.dx ? sx : sy;
        skip[i * D + j] = sj * v;
        outScale[i * D + j] = sj;
      }
      input[i * W + D] = tx[i];
      input[i * W + D + 1] = meanFactor(this.schedule, tx[i]);
      input[i * W + D + 2] = sx;
      input[i * W + D + 3] = ty[i];
      input[i * W + D + 4] = meanFactor(this.schedule, ty[i]);
      input[i * W + D + 5] = sy;
    }
    return { input, skip, outScale };
  }

  /**
   * The learned score at diffusion time t, s = −ε̂/σ_t, for rows `points` in standardised
   * coordinates (use {@link standardize} for raw data):
   * - 'joint': points are [x_t, y_t] (n×D) → n×D scores;
   * - 'x' (or 'y'): points are x_t (n×dx) → n×dx marginal scores;
   * - 'x|y': points are [x_t, y] with y clean (n×D) → n×dx conditional scores ('y|x' likewise: [x, y_t] → n×dy).
   */
  score(points: Samples, t: number, mode: ScoreMode = 'joint'): Float64Array {
    if (!(t >= this.schedule.tEps && t <= 1)) throw new InvalidParameterError('t', `must be in [tEps, 1] = [${this.schedule.tEps}, 1], got ${String(t)}`);
    if (!MODES.includes(mode)) throw new InvalidParameterError('mode', `must be one of ${MODES.join(', ')}, got ${String(mode)}`);
    const m = toMatrix(points, 'points');
    const { dx, dy } = this;
    const D = dx + dy;
    const want = mode === 'x' ? dx : mode === 'y' ? dy : D;
    if (m.cols !== want) throw new DimensionMismatchError('points', `has ${m.cols} columns; mode '${mode}' needs ${want}`);
    const n = m.rows;
    const z = new Float64Array(n * D);
    const tx = new Float64Array(n);
    const ty = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      if (mode === 'x') z.set(m.data.subarray(i * dx, (i + 1) * dx), i * D);
      else if (mode === 'y') z.set(m.data.subarray(i * dy, (i + 1) * dy), i * D + dx);
      else z.set(m.data.subarray(i * D, (i + 1) * D), i * D);
      tx[i] = mode === 'y' ? 1 : mode === 'y|x' ? 0 : t;
      ty[i] = mode === 'x' ? 1 : mode === 'x|y' ? 0 : t;
    }
    const eps = this.predictNoise(z, tx, ty);
    const sigma = noiseStd(this.schedule, t);
    const c0 = mode === 'y' || mode === 'y|x' ? dx : 0;
    const w = mode === 'joint' ? D : mode === 'x' || mode === 'x|y' ? dx : dy;
    const out = new Float64Array(n * w);
    for (let i = 0; i < n; i++) for (let j = 0; j < w; j++) out[i * w + j] = -eps[i * D + c0 + j] / sigma;
    return out;
  }

  /**
   * MINDE estimates of I(X; Y) on paired samples (held out or the training data), with entropies as
   * by-products. For each sample and each of `timeDraws` times t ~ q(t) ∝ β(t)/σ_t² on [tEps, 1]
   * (normaliser Z, {@link importanceNormaliser}) and one noise draw ε, x_t = a_t x + σ_t ε_x,
   * y_t = a_t y + σ_t ε_y, the Girsanov integrals (Franzese et al. 2024; equation numbers not
   * verified offline: KL between path measures = ∫ (β(t)/2) E‖s − s′‖² dt + KL at T, the last term ≈ 0)
   * become, with s = −ε̂/σ_t,
   *
   *   MINDE-C (x|y):  I ≈ (Z/2) E‖ε̂(x_t | y) − ε̂(x_t)‖²                  (conditional minus marginal score)
   *   MINDE-C (y|x):  the same with the roles swapped; `sym` averages the two;
   *   MINDE-J:        I ≈ (Z/2) E‖ε̂(x_t, y_t) − [ε̂(x_t), ε̂(y_t)]‖²        (joint minus product of marginals,
   *                   the Girsanov KL(P_XY ‖ P_X ⊗ P_Y) of the jointly diffused pair);
   *   entropy:        H(X) = (d/2) log 2π + ½ E‖x‖² − (Z/2) E‖ε̂(x_t) − σ_t x_t‖² + Σ_j log s_j
   *                   (Girsanov KL to the standard normal, whose diffused score is −x_t; s_j the
   *                   standardisation scales), likewise H(Y), H(X, Y); H(X|Y) = H(X) − I.
   *
   * `terms` are per-sample averages over the time draws of the selected estimator.
   */
  mutualInfo(x: Samples, y: Samples, options: MindeEstimateOptions = {}): Estimate {
    const X = toMatrix(x, 'x');
    const Y = toMatrix(y, 'y');
    assertSameRows(X, Y, 'x', 'y');
    if (X.cols !== this.dx) throw new DimensionMismatchError('x', `has ${X.cols} columns; the model was trained with dx = ${this.dx}`);
    if (Y.cols !== this.dy) throw new DimensionMismatchError('y', `has ${Y.cols} columns; the model was trained with dy = ${this.dy}`);
    const u = this.standardize(joinCols(X, Y));
    const logScale = Array.from(this.scale, (v) => Math.log(v));
    const est = mindeEstimate((z, tx, ty) => this.predictNoise(z, tx, ty), u, this.dx, this.dy, this.schedule, options, logScale);
    return {
      ...est,
      params: {
        ...est.params, hidden: this.network.hidden.slice(), activation: this.network.activation,
        trainSteps: this.losses.step.length ? this.losses.step[this.losses.step.length - 1] : 0,
      },
      extra: { ...est.extra, trainSeconds: this.trainSeconds, stepsPerSecond: this.stepsPerSecond },
    };
  }
}

/** ε̂(z, τ_x, τ_y) for N rows (z: N×D standardised and masked; tx, ty: length N) → N×D. */
export type NoisePredictor = (z: Float64Array, tx: Float64Array, ty: Float64Array) => Float64Array;

/**
 * The MINDE estimators from any noise predictor (the trained network, or the exact Gaussian oracle
 * {@link gaussianNoisePredictor} that isolates the integration error from the learning error), on
 * standardised joint rows u = [x, y] (n×D); `logScale[j]` = log of the standardisation scale of
 * column j (zeros for raw data). Formulas: {@link MindeModel.mutualInfo}.
 */
export function mindeEstimate(predict: NoisePredictor, u: Matrix, dx: number, dy: number, schedule: VpSchedule, options: MindeEstimateOptions = {}, logScale?: readonly number[]): Estimate {
  if (!logScale) logScale = new Array(dx + dy).fill(0);
  const estimator = options.estimator ?? 'conditional';
  if (estimator !== 'conditional' && estimator !== 'joint') throw new InvalidParameterError('options.estimator', `must be 'conditional' or 'joint', got ${String(estimator)}`);
  const K = options.timeDraws ?? 4;
  if (!Number.isInteger(K) || K < 1) throw new InvalidParameterError('options.timeDraws', `must be an integer ≥ 1, got ${String(K)}`);
  const { scale: unitScale, unit } = unitFor(options.base);
  const D = dx + dy;
  const n = u.rows;
  const rng = new Rng(options.seed ?? 1);
  const N = n * K;
  const times = sampleImportanceTimes(schedule, N, rng);
  const Z = importanceNormaliser(schedule);
  // Rows r = i·K + k. Clean (u), diffused (zt) blocks.
  const zt = new Float64Array(N * D);
  const clean = new Float64Array(N * D);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < K; k++) {
      const r = i * K + k;
      const a = meanFactor(schedule, times[r]);
      const s = noiseStd(schedule, times[r]);
      for (let j = 0; j < D; j++) {
        const v = u.data[i * D + j];
        clean[r * D + j] = v;
        zt[r * D + j] = a * v + s * rng.normal();
      }
    }
  }
  const ones = new Float64Array(N).fill(1);
  const zeros = new Float64Array(N);
  const mask = (block: 'x' | 'y', src: Float64Array, other: 'clean' | 'zero') => {
    const z = new Float64Array(N * D);
    for (let r = 0; r < N; r++) {
      for (let j = 0; j < D; j++) {
        const inBlock = block === 'x' ? j < dx : j >= dx;
        z[r * D + j] = inBlock ? src[r * D + j] : other === 'clean' ? clean[r * D + j] : 0;
      }
    }
    return z;
  };
  const eJoint = predict(zt, times, times);
  const eXmarg = predict(mask('x', zt, 'zero'), times, ones);
  const eYmarg = predict(mask('y', zt, 'zero'), ones, times);
  const eXcond = predict(mask('x', zt, 'clean'), times, zeros);
  const eYcond = predict(mask('y', zt, 'clean'), zeros, times);
  const tC = new Float64Array(n);
  const tCyx = new Float64Array(n);
  const tJ = new Float64Array(n);
  const tHx = new Float64Array(n);
  const tHy = new Float64Array(n);
  const tHxy = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let c = 0, cyx = 0, jn = 0, hx = 0, hy = 0, hxy = 0;
    for (let k = 0; k < K; k++) {
      const r = i * K + k;
      const s = noiseStd(schedule, times[r]);
      for (let j = 0; j < D; j++) {
        const o = r * D + j;
        const marg = j < dx ? eXmarg[o] : eYmarg[o];
        const dj = eJoint[o] - marg;
        jn += dj * dj;
        const ref = marg - s * zt[o];
        if (j < dx) {
          c += (eXcond[o] - marg) ** 2;
          hx += ref * ref;
        } else {
          cyx += (eYcond[o] - marg) ** 2;
          hy += ref * ref;
        }
        const rj = eJoint[o] - s * zt[o];
        hxy += rj * rj;
      }
    }
    tC[i] = (Z / 2) * c / K;
    tCyx[i] = (Z / 2) * cyx / K;
    tJ[i] = (Z / 2) * jn / K;
    tHx[i] = (Z / 2) * hx / K;
    tHy[i] = (Z / 2) * hy / K;
    tHxy[i] = (Z / 2) * hxy / K;
  }
  let sq = 0, sqx = 0, sqy = 0, logScaleX = 0, logScaleY = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < D; j++) {
      const v = u.data[i * D + j] ** 2;
      sq += v;
      if (j < dx) sqx += v; else sqy += v;
    }
  }
  for (let j = 0; j < D; j++) {
    if (j < dx) logScaleX += logScale[j]; else logScaleY += logScale[j];
  }
  const half2pi = 0.5 * Math.log(2 * Math.PI);
  const hX = dx * half2pi + 0.5 * sqx / n - meanOf(tHx) + logScaleX;
  const hY = dy * half2pi + 0.5 * sqy / n - meanOf(tHy) + logScaleY;
  const hXY = D * half2pi + 0.5 * sq / n - meanOf(tHxy) + logScaleX + logScaleY;
  const iC = meanOf(tC);
  const iCyx = meanOf(tCyx);
  const iJ = meanOf(tJ);
  const terms = estimator === 'conditional' ? tC : tJ;
  const value = meanOf(terms) / unitScale;
  const stderr = Math.sqrt(variance(terms) / n) / unitScale;
  return {
    value,
    unit,
    estimator: estimator === 'conditional' ? 'minde-c' : 'minde-j',
    params: {
      timeDraws: K, betaMin: schedule.betaMin, betaMax: schedule.betaMax, tEps: schedule.tEps,
    },
    n,
    d: D,
    terms: Float64Array.from(terms, (v) => v / unitScale),
    stderr,
    extra: {
      mindeC: iC / unitScale,
      mindeCyx: iCyx / unitScale,
      mindeCsym: (0.5 * (iC + iCyx)) / unitScale,
      mindeJ: iJ / unitScale,
      entropyX: hX / unitScale,
      entropyY: hY / unitScale,
      entropyXY: hXY / unitScale,
      entropyXgivenY: (hX - iC) / unitScale,
      entropyDifference: (hX + hY - hXY) / unitScale,
      importanceNormaliser: Z,
    },
    backend: 'cpu',
  };

}

function joinCols(a: Matrix, b: Matrix): Matrix {
  const D = a.cols + b.cols;
  const data = new Float64Array(a.rows * D);
  for (let i = 0; i < a.rows; i++) {
    data.set(a.data.subarray(i * a.cols, (i + 1) * a.cols), i * D);
    data.set(b.data.subarray(i * b.cols, (i + 1) * b.cols), i * D + a.cols);
  }
  return { data, rows: a.rows, cols: D };
}

function positiveInt(v: number | undefined, def: number, name: string): number {
  const x = v ?? def;
  if (!Number.isInteger(x) || x < 1) throw new InvalidParameterError(name, `must be a positive integer, got ${String(x)}`);
  return x;
}

/**
 * Trains the shared MINDE score network on paired samples by denoising score matching
 * (Vincent 2011; Ho, Jain & Abbeel 2020, eq. (14), noise prediction): each minibatch row gets one of
 * the five masks (joint, x|y, y|x, x, y — in equal shares), a time t (importance-sampled ∝ β/σ², as
 * MINDE's estimator weights it, or uniform) and noise ε; the loss is the mean over rows of
 * ‖ε̂ − ε‖² summed over the diffused coordinates only. Adam (divlab/optim).
 */
export function trainMinde(x: Samples, y: Samples, options: MindeTrainOptions = {}): MindeModel {
  const X = toMatrix(x, 'x');
  const Y = toMatrix(y, 'y');
  assertSameRows(X, Y, 'x', 'y');
  const n = X.rows;
  if (n < 2) throw new TooFewSamplesError('x', `MINDE needs at least 2 paired samples, got ${n}`);
  const schedule = checkSchedule(options.schedule);
  const steps = positiveInt(options.steps, 2000, 'options.steps');
  const batch = positiveInt(options.batchSize, 128, 'options.batchSize');
  const lr = options.lr ?? 2e-3;
  const trainTime = options.trainTime ?? 'mixture';
  if (trainTime !== 'importance' && trainTime !== 'uniform' && trainTime !== 'mixture') {
    throw new InvalidParameterError('options.trainTime', `must be 'importance', 'uniform' or 'mixture', got ${String(trainTime)}`);
  }
  const every = positiveInt(options.progressEvery, 50, 'options.progressEvery');
  const emaDecay = options.ema ?? 0.995;
  if (!(emaDecay >= 0 && emaDecay < 1)) throw new InvalidParameterError('options.ema', `must be in [0, 1), got ${String(emaDecay)}`);
  const dx = X.cols;
  const dy = Y.cols;
  const D = dx + dy;
  const J = joinCols(X, Y);
  const center = new Float64Array(D);
  const scl = new Float64Array(D).fill(1);
  if (options.standardize ?? true) {
    for (let j = 0; j < D; j++) {
      const col = new Float64Array(n);
      for (let i = 0; i < n; i++) col[i] = J.data[i * D + j];
      center[j] = meanOf(col);
      const sd = Math.sqrt(variance(col));
      scl[j] = sd > 0 ? sd : 1;
    }
  }
  const seed = options.seed ?? 0;
  const net = new ScoreNetwork(D, options.hidden ?? [64, 64], options.activation ?? 'elu', seed);
  const model = new MindeModel(dx, dy, schedule, net, center, scl);
  const u = model.standardize(J);
  const rng = new Rng(seed + 7919);
  const opt = new Adam(net.params, { lr });
  const z = new Float64Array(batch * D);
  const eps = new Float64Array(batch * D);
  const maskArr = new Float64Array(batch * D);
  const tx = new Float64Array(batch);
  const ty = new Float64Array(batch);
  let running = 0;
  let count = 0;
  const shadow = emaDecay > 0 ? net.params.map((p) => Float64Array.from(p.data)) : null;
  const t0 = Date.now();
  for (let step = 1; step <= steps; step++) {
    const times = trainTime === 'importance'
      ? sampleImportanceTimes(schedule, batch, rng)
      : Float64Array.from({ length: batch }, () => schedule.tEps + (1 - schedule.tEps) * rng.uniform());
    if (trainTime === 'mixture') {
      const half = sampleImportanceTimes(schedule, batch >> 1, rng);
      for (let b = 0; b < half.length; b++) times[2 * b] = half[b];
    }
    const offset = rng.int(MODES.length);
    for (let b = 0; b < batch; b++) {
      const i = rng.int(n);
      const mode = MODES[(b + offset) % MODES.length];
      const t = times[b];
      const a = meanFactor(schedule, t);
      const s = noiseStd(schedule, t);
      const xDiff = mode === 'joint' || mode === 'x|y' || mode === 'x';
      const yDiff = mode === 'joint' || mode === 'y|x' || mode === 'y';
      tx[b] = xDiff ? t : mode === 'y' ? 1 : 0;
      ty[b] = yDiff ? t : mode === 'x' ? 1 : 0;
      for (let j = 0; j < D; j++) {
        const inX = j < dx;
        const diffused = inX ? xDiff : yDiff;
        const zeroed = inX ? mode === 'y' : mode === 'x';
        const v = u.data[i * D + j];
        const e = rng.normal();
        eps[b * D + j] = e;
        maskArr[b * D + j] = diffused ? 1 : 0;
        z[b * D + j] = diffused ? a * v + s * e : zeroed ? 0 : v;
      }
    }
    const { input, skip, outScale } = model.inputs(z, tx, ty, batch);
    const pred = net.forward(input, skip, outScale, batch);
    const diff = mul(sub(pred, constant(eps, batch, D)), constant(maskArr, batch, D));
    const loss = scaleT(sum(square(diff)), 1 / batch);
    opt.zeroGrad();
    backward(loss);
    opt.step();
    if (shadow) {
      // Bias-corrected warm-up as in common EMA implementations: decay min(ema, (1 + k)/(10 + k)).
      const dk = Math.min(emaDecay, (1 + step) / (10 + step));
      for (let k = 0; k < shadow.length; k++) {
        const sh = shadow[k];
        const pd = net.params[k].data;
        for (let i = 0; i < sh.length; i++) sh[i] = dk * sh[i] + (1 - dk) * pd[i];
      }
    }
    running += loss.item();
    count++;
    if (step % every === 0 || step === steps) {
      const lv = running / count;
      model.losses.step.push(step);
      model.losses.loss.push(lv);
      options.onProgress?.({ step, loss: lv });
      running = 0;
      count = 0;
    }
  }
  if (shadow) for (let k = 0; k < shadow.length; k++) net.params[k].data.set(shadow[k]);
  model.trainSeconds = (Date.now() - t0) / 1000;
  model.stepsPerSecond = steps / Math.max(model.trainSeconds, 1e-9);
  return model;
}

/**
 * MINDE mutual information I(X; Y) in one call: {@link trainMinde} on (x, y), then
 * {@link MindeModel.mutualInfo} on the same samples (pass held-out samples to the model's method to
 * evaluate elsewhere). `value` is MINDE-C (x|y) unless `estimator: 'joint'`.
 */
export function mutualInfo(x: Samples, y: Samples, options: MindeOptions = {}): Estimate & { model: MindeModel } {
  const model = trainMinde(x, y, options);
  const est = model.mutualInfo(x, y, { ...options, seed: (options.seed ?? 0) + 1 });
  return { ...est, model };
}
