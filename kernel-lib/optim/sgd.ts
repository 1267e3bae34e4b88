import { InvalidParameterError } from '../core/errors.js';
import type { Tensor } from '../autodiff/tensor.js';
import { checkParams, positive } from './common.js';

/** Options of {@link Sgd}. */
export interface SgdOptions {
  /** Step size (default 1e-2). */
  readonly lr?: number;
  /** Heavy-ball momentum μ in [0, 1) (default 0). */
  readonly momentum?: number;
}

/**
 * Stochastic gradient descent, with optional heavy-ball momentum (Polyak 1964) in PyTorch's form:
 * b ← μb + g, θ ← θ − η·b (plain θ ← θ − ηg when μ = 0).
 */
export class Sgd {
  readonly params: readonly Tensor[];
  lr: number;
  readonly momentum: number;
  t = 0;
  private readonly buf: Float64Array[];

  constructor(params: readonly Tensor[], options: SgdOptions = {}) {
    checkParams(params);
    this.params = params.slice();
    this.lr = positive(options.lr, 'options.lr', 1e-2);
    this.momentum = options.momentum ?? 0;
    if (!(this.momentum >= 0 && this.momentum < 1)) throw new InvalidParameterError('options.momentum', `must be in [0, 1), got ${String(this.momentum)}`);
    this.buf = this.params.map((p) => new Float64Array(p.size));
  }

  step(): void {
    this.t++;
    for (let k = 0; k < this.params.length; k++) {
      const p = this.params[k];
      const g = p.grad;
      if (g === null) continue;
      const th = p.data, b = this.buf[k];
      for (let i = 0; i < th.length; i++) {
        if (this.momentum === 0) th[i] -= this.lr * g[i];
        else {
          b[i] = this.t === 1 ? g[i] : this.momentum * b[i] + g[i];
          th[i] -= this.lr * b[i];
        }
      }
    }
  }

  zeroGrad(): void {
    for (const p of this.params) if (p.grad) p.grad.fill(0);
  }
}

/** `new Sgd(params, options)`. */
export function sgd(params: readonly Tensor[], options: SgdOptions = {}): Sgd {
  return new Sgd(params, options);
}
