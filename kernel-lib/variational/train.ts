import { InvalidParameterError, TooFewSamplesError, DimensionMismatchError } from '../core/errors.js';
import { toMatrix, type Matrix, type Samples } from '../core/matrix.js';
import { Rng } from '../core/rng.js';
import { mean, variance } from '../core/sum.js';
import { unitFor } from '../core/units.js';
import type { Activation } from '../autodiff/activations.js';
import { backward, Tensor } from '../autodiff/tensor.js';
import { Adam } from '../optim/adam.js';
import { clipGradNorm, gradNorm } from '../optim/common.js';
import type { Estimate } from '../estimate.js';
import { bound, mineState, type BoundName } from './bounds.js';
import { critic as makeCritic, type Critic } from './critics.js';
import type { Sampler } from './samplers.js';

/** What {@link train} reports after a step (to `onStep`). */
export interface StepInfo {
  /** 0-based step index. */
  readonly step: number;
  /** The bound's value on this step's batch (nats). */
  readonly value: number;
  /** Joint Euclidean norm of the parameter gradients (before clipping). */
  readonly gradNorm: number;
  /** Seconds since training started. */
  readonly time: number;
  /** The history so far (shared, growing arrays: copy what you keep). */
  readonly history: TrainHistory;
}

/** Per-step records of a training run. */
export interface TrainHistory {
  readonly step: number[];
  readonly value: number[];
  readonly gradNorm: number[];
  /** Wall time (s) since the start, after each step. */
  readonly time: number[];
}

/** Options of {@link train}. */
export interface TrainOptions {
  /** The bound (default 'smile'). */
  readonly bound?: BoundName;
  /** SMILE's clipping τ (default 5; Infinity for none). */
  readonly clip?: number;
  /** 'separable' f(x)ᵀg(y) (default), 'concat' h([x, y]), or a Critic instance. */
  readonly critic?: 'separable' | 'concat' | Critic;
  /** Hidden widths of the critic MLPs (default [256, 256]). */
  readonly hidden?: readonly number[];
  /** Embedding width of the separable critic (default 32). */
  readonly embed?: number;
  readonly activation?: Activation;
  /** Batch size n (default 64); each step scores the n×n pairs of one batch. */
  readonly batch?: number;
  /** Training steps (default 1000). */
  readonly steps?: number;
  /** Adam learning rate (default 5e-4). */
  readonly lr?: number;
  /** Clip the joint gradient norm to this value (default: no clipping). */
  readonly maxGradNorm?: number;
  /** MINE's moving-average momentum (default 0.9). */
  readonly momentum?: number;
  /** Seed of the one generator used for the critic initialisation and all batches (default 0). */
  readonly seed?: number;
  /** The estimate is the mean bound value over the last `average` steps (default ⌈steps/10⌉). */
  readonly average?: number;
  /** Called after every `every`-th step and after the last one (e.g. to update a live display). */
  readonly onStep?: (info: StepInfo) => void;
  readonly every?: number;
  /** Logarithm base of the reported estimate (default e, nats; history stays in nats). */
  readonly base?: number;
}

/** The result of {@link train}. */
export interface TrainResult {
  readonly estimate: Estimate;
  readonly history: TrainHistory;
  readonly critic: Critic;
}

function posInt(v: number | undefined, name: string, dflt: number): number {
  const x = v ?? dflt;
  if (!Number.isInteger(x) || x < 1) throw new InvalidParameterError(name, `must be a positive integer, got ${String(v)}`);
  return x;
}

/**
 * Trains a critic by Adam on a variational lower bound of I(X; Y) and returns the estimate with
 * its per-step history. Either from paired data, `train(x, y, options)` (rows (x_i, y_i) are joint
 * samples; each step uses `batch` distinct rows drawn without replacement), or from a sampler,
 * `train(sampler, options)` (fresh batches, e.g. {@link staircaseSampler}).
 *
 * Each step: S = critic.scores(x_b, y_b) (n×n), r = bound(S) ({@link BoundResult}), back-propagate
 * −∂objective/∂S through the critic, optional gradient-norm clipping, one Adam step. The reported
 * estimate averages the bound's value over the last `average` steps (training-batch values, as in
 * Poole et al. 2019 and Song & Ermon 2020); `stderr` is their standard deviation/√average, a rough
 * guide since consecutive steps are correlated. InfoNCE cannot exceed log(batch).
 *
 * @example
 * const r = variational.train(x, y, { bound: 'smile', clip: 5, steps: 2000, seed: 1 });
 * r.estimate.value   // nats; r.history.value[t] per step
 */
export function train(x: Samples, y: Samples, options?: TrainOptions): TrainResult;
export function train(sampler: Sampler, options?: TrainOptions): TrainResult;
export function train(a: Samples | Sampler, b?: Samples | TrainOptions, c?: TrainOptions): TrainResult {
  let options: TrainOptions;
  let draw: (n: number, step: number, rng: Rng) => { x: Matrix; y: Matrix };
  let dx: number;
  let dy: number;
  let nData: number | undefined;
  const batch = posInt((typeof a === 'function' ? (b as TrainOptions | undefined) : c)?.batch, 'options.batch', 64);
  if (batch < 2) throw new InvalidParameterError('options.batch', 'must be at least 2 (the off-diagonal pairs need two samples)');
  if (typeof a === 'function') {
    options = (b as TrainOptions | undefined) ?? {};
    const probe = a(batch, 0, new Rng(0));
    const X0 = toMatrix(probe.x, 'sampler().x');
    const Y0 = toMatrix(probe.y, 'sampler().y');
    dx = X0.cols;
    dy = Y0.cols;
    draw = (n, step, rng) => {
      const s = a(n, step, rng);
      const X = toMatrix(s.x, 'sampler().x');
      const Y = toMatrix(s.y, 'sampler().y');
      if (X.rows !== n || Y.rows !== n || X.cols !== dx || Y.cols !== dy) {
        throw new DimensionMismatchError('sampler', `must return ${n}×${dx} x and ${n}×${dy} y, got ${X.rows}×${X.cols} and ${Y.rows}×${Y.cols}`);
      }
      return { x: X, y: Y };
    };
  } else {
    options = c ?? {};
    const X = toMatrix(a, 'x');
    const Y = toMatrix(b as Samples, 'y');
    if (X.rows !== Y.rows) throw new DimensionMismatchError('y', `has ${Y.rows} rows but x has ${X.rows}; train needs paired samples (x_i, y_i)`);
    if (X.rows < batch) throw new TooFewSamplesError('x', `has ${X.rows} rows, fewer than the batch size ${batch}; lower options.batch`);
    dx = X.cols;
    dy = Y.cols;
    nData = X.rows;
    const idx = new Int32Array(X.rows);
    for (let i = 0; i < idx.length; i++) idx[i] = i;
    draw = (n, _step, rng) => {
      // partial Fisher–Yates: the first n entries of idx become a uniform n-subset
      const xb = new Float64Array(n * dx);
      const yb = new Float64Array(n * dy);
      for (let i = 0; i < n; i++) {
        const j = i + rng.int(idx.length - i);
        const t = idx[i]; idx[i] = idx[j]; idx[j] = t;
        const r = idx[i];
        xb.set(X.data.subarray(r * dx, (r + 1) * dx), i * dx);
        yb.set(Y.data.subarray(r * dy, (r + 1) * dy), i * dy);
      }
      return { x: { data: xb, rows: n, cols: dx }, y: { data: yb, rows: n, cols: dy } };
    };
  }
  const boundName: BoundName = options.bound ?? 'smile';
  const steps = posInt(options.steps, 'options.steps', 1000);
  const average = Math.min(steps, posInt(options.average, 'options.average', Math.ceil(steps / 10)));
  const every = posInt(options.every, 'options.every', 1);
  const lr = options.lr ?? 5e-4;
  const tau = options.clip ?? 5;
  const seed = options.seed ?? 0;
  const { scale, unit } = unitFor(options.base);
  const maxNorm = options.maxGradNorm;
  if (maxNorm !== undefined && !(maxNorm > 0)) throw new InvalidParameterError('options.maxGradNorm', `must be > 0, got ${String(maxNorm)}`);
  const rng = new Rng(seed);
  const net: Critic = typeof options.critic === 'object'
    ? options.critic
    : makeCritic(options.critic ?? 'separable', dx, dy, { hidden: options.hidden, embed: options.embed, activation: options.activation, seed });
  const params = net.parameters();
  const opt = new Adam(params, { lr });
  const state = mineState(options.momentum ?? 0.9);
  const history: TrainHistory = { step: [], value: [], gradNorm: [], time: [] };
  const t0 = performance.now();
  for (let step = 0; step < steps; step++) {
    const { x: xb, y: yb } = draw(batch, step, rng);
    const S = net.scores(new Tensor(xb.data, batch, dx), new Tensor(yb.data, batch, dy));
    const r = bound(boundName, S.data, batch, { tau, state });
    const seedGrad = r.grad;
    for (let k = 0; k < seedGrad.length; k++) seedGrad[k] = -seedGrad[k];
    opt.zeroGrad();
    backward(S, seedGrad);
    const g = maxNorm === undefined ? gradNorm(params) : clipGradNorm(params, maxNorm);
    opt.step();
    history.step.push(step);
    history.value.push(r.value);
    history.gradNorm.push(g);
    history.time.push((performance.now() - t0) / 1000);
    if (options.onStep && ((step + 1) % every === 0 || step === steps - 1)) {
      options.onStep({ step, value: r.value, gradNorm: g, time: history.time[step], history });
    }
  }
  const tail = history.value.slice(steps - average);
  const v = mean(tail);
  const se = average > 1 ? Math.sqrt(variance(tail) / average) : undefined;
  const estimate: Estimate = {
    value: v / scale,
    unit,
    estimator: `variational-${boundName}`,
    params: {
      bound: boundName, critic: net.kind, hidden: options.hidden ?? [256, 256], embed: options.embed ?? 32,
      batch, steps, lr, seed, average, ...(boundName === 'smile' ? { clip: tau } : {}),
      ...(boundName === 'mine' ? { momentum: state.momentum } : {}),
    },
    n: nData ?? steps * batch,
    m: nData ?? steps * batch,
    d: dx,
    ...(se !== undefined ? { stderr: se / scale } : {}),
    extra: {
      dy, finalValue: history.value[steps - 1] / scale, seconds: history.time[steps - 1],
      ...(boundName === 'infonce' ? { cap: Math.log(batch) / scale } : {}),
    },
    backend: 'cpu',
  };
  return { estimate, history, critic: net };
}
