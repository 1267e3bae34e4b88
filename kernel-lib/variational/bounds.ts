import { InvalidParameterError, NonFiniteError } from '../core/errors.js';
import { NeumaierSum } from '../core/sum.js';
import { sigmoidScalar, softplusScalar } from '../autodiff/activations.js';
import { checkScores, offDiagonalLogMeanExp, offDiagonalSoftmax } from './log-mean-exp.js';

/**
 * Variational lower bounds on I(X; Y) as pure functions of a batch critic score matrix.
 *
 * Convention: S is n×n row-major with S[i·n + j] = T(x_i, y_j) for a batch of n joint pairs
 * (x_i, y_i); the diagonal holds the n joint pairs (samples of p(x, y)) and the n(n−1)
 * off-diagonal entries the pairs of the product of marginals p(x)p(y). Notation:
 * D = (1/n) Σ_i S_ii (the joint term) and L = log((1/(n(n−1))) Σ_{i≠j} e^{S_ij}) (the
 * off-diagonal log-mean-exp, {@link offDiagonalLogMeanExp}).
 *
 * Each bound returns `value`, the estimate it reports (nats), `objective`, the quantity gradient
 * ascent maximises, and `grad` = ∂objective/∂S (n×n). They differ where the papers train through
 * one objective and report another (JS, SMILE, MINE).
 */
export interface BoundResult {
  readonly value: number;
  readonly objective: number;
  /** ∂objective/∂S, row-major n×n. */
  readonly grad: Float64Array;
}

/** The bounds by name. */
export type BoundName = 'infonce' | 'nwj' | 'dv' | 'mine' | 'js' | 'smile';

function jointTerm(S: Float64Array, n: number): number {
  const acc = new NeumaierSum();
  for (let i = 0; i < n; i++) acc.add(S[i * n + i]);
  return acc.value / n;
}

function checkFiniteScores(S: Float64Array): void {
  for (let i = 0; i < S.length; i++) {
    if (!Number.isFinite(S[i])) throw new NonFiniteError('scores', `non-finite critic score ${S[i]} at index ${i}; the critic diverged — lower lr or use a bounded bound (infonce, js, smile)`);
  }
}

/**
 * InfoNCE / CPC (van den Oord, Li & Vinyals 2018, eq. (4); Poole et al. 2019, eq. (12)):
 *
 *   I_NCE = log n + (1/n) Σ_i [ S_ii − log Σ_j e^{S_ij} ].
 *
 * Never exceeds log n (each summand is ≤ 0): with a batch of 64 it cannot report more than
 * log 64 ≈ 4.16 nats, whatever the true MI. Low variance, high bias at large MI.
 * ∂/∂S_ij = (δ_ij − softmax_j(S_i·)_j)/n.
 */
export function infoNce(scores: Float64Array, n: number): BoundResult {
  checkScores(scores, n);
  checkFiniteScores(scores);
  const grad = new Float64Array(n * n);
  const acc = new NeumaierSum();
  for (let i = 0; i < n; i++) {
    const o = i * n;
    let mx = -Infinity;
    for (let j = 0; j < n; j++) if (scores[o + j] > mx) mx = scores[o + j];
    let s = 0;
    for (let j = 0; j < n; j++) s += Math.exp(scores[o + j] - mx);
    const lse = mx + Math.log(s);
    acc.add(scores[o + i] - lse);
    for (let j = 0; j < n; j++) grad[o + j] = -Math.exp(scores[o + j] - lse) / n;
    grad[o + i] += 1 / n;
  }
  const value = Math.log(n) + acc.value / n;
  return { value, objective: value, grad };
}

/**
 * Donsker–Varadhan (Donsker & Varadhan 1983; Belghazi et al. 2018, eq. (2)): I_DV = D − L.
 * ∂/∂S_ii = 1/n, ∂/∂S_ij = −exp(S_ij − L)/(n(n−1)) (i ≠ j). Biased gradient over minibatches
 * (the log of a batch mean); see {@link mine} for the corrected version.
 */
export function dv(scores: Float64Array, n: number): BoundResult {
  checkScores(scores, n);
  checkFiniteScores(scores);
  const L = offDiagonalLogMeanExp(scores, n);
  const value = jointTerm(scores, n) - L;
  const grad = offDiagonalSoftmax(scores, n, L);
  for (let k = 0; k < grad.length; k++) grad[k] = -grad[k];
  for (let i = 0; i < n; i++) grad[i * n + i] = 1 / n;
  return { value, objective: value, grad };
}

/**
 * NWJ, the f-GAN KL bound (Nguyen, Wainwright & Jordan 2010; Nowozin et al. 2016; Poole et al.
 * 2019, eq. (8) "I_NWJ"):  I_NWJ = E_p[T] − E_{p(x)p(y)}[e^{T−1}] = D − e^{L−1}.
 * Unbiased over minibatches; its variance grows like e^{I} (Song & Ermon 2020, Thm 2).
 * ∂/∂S_ii = 1/n, ∂/∂S_ij = −e^{S_ij − 1}/(n(n−1)).
 */
export function nwj(scores: Float64Array, n: number): BoundResult {
  checkScores(scores, n);
  checkFiniteScores(scores);
  const L = offDiagonalLogMeanExp(scores, n);
  const value = jointTerm(scores, n) - Math.exp(L - 1);
  const grad = new Float64Array(n * n);
  const c = 1 / (n * (n - 1));
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) grad[i * n + j] = i === j ? 1 / n : -Math.exp(scores[i * n + j] - 1) * c;
  }
  return { value, objective: value, grad };
}

/**
 * The Jensen–Shannon f-GAN objective (Nowozin et al. 2016, Table 1; Hjelm et al. 2019, eq. (4)):
 *   J = E_p[−softplus(−T)] − E_{p(x)p(y)}[softplus(T)],
 * whose maximiser is T* = log p(x,y)/(p(x)p(y)). The critic is trained on J and the MI reported
 * through the NWJ bound at T + 1 (Poole et al. 2019, §4 "JS"; Song & Ermon 2020, §3):
 *   value = I_NWJ(S + 1) = D + 1 − e^{L}.
 * ∂J/∂S_ii = σ(−S_ii)/n, ∂J/∂S_ij = −σ(S_ij)/(n(n−1)).
 */
export function js(scores: Float64Array, n: number): BoundResult {
  checkScores(scores, n);
  checkFiniteScores(scores);
  const { objective, grad } = jsObjective(scores, n);
  const value = jointTerm(scores, n) + 1 - Math.exp(offDiagonalLogMeanExp(scores, n));
  return { value, objective, grad };
}

function jsObjective(S: Float64Array, n: number): { objective: number; grad: Float64Array } {
  const grad = new Float64Array(n * n);
  const pos = new NeumaierSum();
  const negs = new NeumaierSum();
  const c = 1 / (n * (n - 1));
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const s = S[i * n + j];
      if (i === j) {
        pos.add(-softplusScalar(-s));
        grad[i * n + j] = sigmoidScalar(-s) / n;
      } else {
        negs.add(softplusScalar(s));
        grad[i * n + j] = -sigmoidScalar(s) * c;
      }
    }
  }
  return { objective: pos.value / n - negs.value * c, grad };
}

/**
 * SMILE (Song & Ermon 2020, eq. (17)): the DV estimate with the density-ratio estimates e^T
 * clipped to [e^{−τ}, e^{τ}] in the partition term,
 *   value = D − log( (1/(n(n−1))) Σ_{i≠j} clip(e^{S_ij}, e^{−τ}, e^{τ}) ) = D − L(clip(S, −τ, τ)),
 * trained through the JS objective (as in the paper's experiments). τ = ∞ gives the DV value.
 * Smaller τ lowers the variance (bounded by Thm 3 of the paper) and adds bias.
 */
export function smile(scores: Float64Array, n: number, tau: number): BoundResult {
  checkScores(scores, n);
  checkFiniteScores(scores);
  if (!(tau > 0)) throw new InvalidParameterError('tau', `must be > 0 (Infinity for no clipping), got ${String(tau)}`);
  const { objective, grad } = jsObjective(scores, n);
  let clipped = scores;
  if (Number.isFinite(tau)) {
    clipped = new Float64Array(scores.length);
    for (let k = 0; k < scores.length; k++) clipped[k] = Math.min(tau, Math.max(-tau, scores[k]));
  }
  const value = jointTerm(scores, n) - offDiagonalLogMeanExp(clipped, n);
  return { value, objective, grad };
}

/** The moving average of MINE's partition term, carried between steps. */
export interface MineState {
  /** log of the exponential moving average of E_{p(x)p(y)}[e^T] (starts at log 1 = 0). */
  logEma: number;
  /** Weight of the old average, 0.9 in Song & Ermon's code (EMA span ≈ 19 steps). */
  readonly momentum: number;
}

/** A fresh {@link MineState} (moving average initialised to 1, as Song & Ermon's code). */
export function mineState(momentum = 0.9): MineState {
  if (!(momentum >= 0 && momentum < 1)) throw new InvalidParameterError('momentum', `must be in [0, 1), got ${String(momentum)}`);
  return { logEma: 0, momentum };
}

/**
 * MINE (Belghazi et al. 2018, §3.2, eq. (12)): reports the DV value D − L, and corrects the
 * minibatch bias of DV's gradient by dividing the partition term's gradient by a moving average
 * instead of the batch mean: with a ← m·a + (1 − m)·e^{L} (this batch included),
 *   ∇ = ∇D − ∇(e^{L})/a,  i.e. ∂/∂S_ij = −e^{S_ij}/(n(n−1)·a) for i ≠ j.
 * `state` is updated in place (log-space, no overflow). `objective` is the surrogate D − e^{L}/a.
 */
export function mine(scores: Float64Array, n: number, state: MineState): BoundResult {
  checkScores(scores, n);
  checkFiniteScores(scores);
  const L = offDiagonalLogMeanExp(scores, n);
  const m = state.momentum;
  // log(m·e^{logEma} + (1 − m)·e^{L}), max-shifted
  const a = Math.log(m) + state.logEma;
  const b = Math.log1p(-m) + L;
  const hi = Math.max(a, b);
  state.logEma = m === 0 ? L : hi + Math.log(Math.exp(a - hi) + Math.exp(b - hi));
  const D = jointTerm(scores, n);
  const grad = new Float64Array(n * n);
  const c = Math.log(n * (n - 1)) + state.logEma;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) grad[i * n + j] = i === j ? 1 / n : -Math.exp(scores[i * n + j] - c);
  }
  return { value: D - L, objective: D - Math.exp(L - state.logEma), grad };
}

/** Options to evaluate a bound by name. */
export interface BoundOptions {
  /** SMILE's clipping τ (default 5; Infinity for none). */
  readonly tau?: number;
  /** MINE's moving-average state (a fresh one per call when omitted: then MINE equals DV). */
  readonly state?: MineState;
}

/** Evaluates the bound `name` on the n×n score matrix. */
export function bound(name: BoundName, scores: Float64Array, n: number, options: BoundOptions = {}): BoundResult {
  switch (name) {
    case 'infonce': return infoNce(scores, n);
    case 'nwj': return nwj(scores, n);
    case 'dv': return dv(scores, n);
    case 'js': return js(scores, n);
    case 'smile': return smile(scores, n, options.tau ?? 5);
    case 'mine': return mine(scores, n, options.state ?? mineState());
    default:
      throw new InvalidParameterError('bound', `unknown bound ${JSON.stringify(name)}; use one of infonce, nwj, dv, mine, js, smile`);
  }
}
