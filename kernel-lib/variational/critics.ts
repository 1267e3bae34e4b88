import { InvalidParameterError } from '../core/errors.js';
import { Rng } from '../core/rng.js';
import { activate, type Activation } from '../autodiff/activations.js';
import { addBias, matmul, matmulNT, pairSum, reshape } from '../autodiff/linear.js';
import { Mlp } from '../autodiff/mlp.js';
import { parameter, type Tensor } from '../autodiff/tensor.js';

/**
 * A trainable critic T(x, y) evaluated on a batch: `scores(x, y)` is the n×m matrix
 * S[i][j] = T(x_i, y_j) (x n×d_x, y m×d_y), differentiable with respect to `parameters()`.
 */
export interface Critic {
  readonly kind: 'separable' | 'concat';
  scores(x: Tensor, y: Tensor): Tensor;
  parameters(): Tensor[];
}

/** Options shared by the critics. */
export interface CriticOptions {
  /** Hidden widths of each MLP (default [256, 256], the staircase set-up of Poole et al. 2019). */
  readonly hidden?: readonly number[];
  /** Hidden activation (default 'relu'). */
  readonly activation?: Activation;
  /** Embedding dimension of the separable critic (default 32). */
  readonly embed?: number;
  /** Seed of the initialisation (default 0). */
  readonly seed?: number;
}

function widths(hidden: readonly number[] | undefined): number[] {
  const h = hidden ?? [256, 256];
  if (!Array.isArray(h) || h.length === 0 || !h.every((v) => Number.isInteger(v) && v > 0)) {
    throw new InvalidParameterError('options.hidden', `must be a non-empty list of positive integer widths, got ${JSON.stringify(hidden)}`);
  }
  return h.slice();
}

/**
 * Separable critic T(x, y) = f(x)ᵀg(y) with f, g MLPs d → hidden → embed (Poole et al. 2019,
 * §5 "separable"; Song & Ermon 2020, §6): the n×n scores cost two forward passes of n rows and
 * one n×n×embed product.
 */
export class SeparableCritic implements Critic {
  readonly kind = 'separable' as const;
  readonly f: Mlp;
  readonly g: Mlp;
  constructor(dx: number, dy: number, options: CriticOptions = {}) {
    const h = widths(options.hidden);
    const e = options.embed ?? 32;
    if (!Number.isInteger(e) || e < 1) throw new InvalidParameterError('options.embed', `must be a positive integer, got ${String(options.embed)}`);
    const rng = new Rng(options.seed ?? 0);
    const act = options.activation ?? 'relu';
    this.f = new Mlp([dx, ...h, e], { activation: act, rng });
    this.g = new Mlp([dy, ...h, e], { activation: act, rng });
  }
  scores(x: Tensor, y: Tensor): Tensor {
    return matmulNT(this.f.forward(x), this.g.forward(y));
  }
  parameters(): Tensor[] {
    return [...this.f.parameters(), ...this.g.parameters()];
  }
}

/**
 * Concatenated critic T(x, y) = h([x, y]) with h an MLP (d_x + d_y) → hidden → 1 applied to all
 * n·m pairs (Poole et al. 2019, §5 "concat"). The first layer is computed as x_i·W_x + y_j·W_y + b
 * (pairwise sums, {@link pairSum}), which equals [x_i, y_j]·W + b without forming the n·m
 * concatenated rows. Initialisation as nn.Linear on the full (d_x + d_y)-input layer.
 */
export class ConcatCritic implements Critic {
  readonly kind = 'concat' as const;
  readonly wx: Tensor;
  readonly wy: Tensor;
  readonly b: Tensor;
  readonly tail: Mlp;
  readonly activation: Activation;
  constructor(dx: number, dy: number, options: CriticOptions = {}) {
    const h = widths(options.hidden);
    const rng = new Rng(options.seed ?? 0);
    this.activation = options.activation ?? 'relu';
    const bound = 1 / Math.sqrt(dx + dy);
    const u = (len: number): Float64Array => {
      const a = new Float64Array(len);
      for (let i = 0; i < len; i++) a[i] = (2 * rng.uniform() - 1) * bound;
      return a;
    };
    this.wx = parameter(u(dx * h[0]), dx, h[0]);
    this.wy = parameter(u(dy * h[0]), dy, h[0]);
    this.b = parameter(u(h[0]), 1, h[0]);
    this.tail = new Mlp([...h, 1], { activation: this.activation, rng });
  }
  scores(x: Tensor, y: Tensor): Tensor {
    const first = pairSum(addBias(matmul(x, this.wx), this.b), matmul(y, this.wy));
    const out = this.tail.forward(activate(first, this.activation));
    return reshape(out, x.rows, y.rows);
  }
  parameters(): Tensor[] {
    return [this.wx, this.wy, this.b, ...this.tail.parameters()];
  }
}

/** A critic by kind. */
export function critic(kind: 'separable' | 'concat', dx: number, dy: number, options: CriticOptions = {}): Critic {
  if (kind === 'separable') return new SeparableCritic(dx, dy, options);
  if (kind === 'concat') return new ConcatCritic(dx, dy, options);
  throw new InvalidParameterError('options.critic', `unknown critic ${JSON.stringify(kind)}; use 'separable' or 'concat'`);
}
