import { InvalidParameterError } from '../core/errors.js';
import { Rng } from '../core/rng.js';
import { activate, type Activation } from './activations.js';
import { dense, linear } from './linear.js';
import { parameter, type Tensor } from './tensor.js';

/** A dense layer y = x·W + b with W (in × out) and b (1 × out) trainable. */
export interface Dense {
  readonly weight: Tensor;
  readonly bias: Tensor;
}

/** Options of {@link mlp}. */
export interface MlpOptions {
  /** Hidden-layer activation (default 'relu'). */
  readonly activation?: Activation;
  /** Activation after the last layer (default 'identity'). */
  readonly outputActivation?: Activation;
  /** Seed of the initialisation (default 0), or pass `rng` to share one generator. */
  readonly seed?: number;
  readonly rng?: Rng;
}

/**
 * A multilayer perceptron over row batches (rows are samples): sizes [d_in, h_1, …, d_out],
 * layer l computes act(x·W_l + b_l). Initialisation as PyTorch's `nn.Linear`: W and b uniform on
 * ±1/√fan_in (He et al. 2015's Kaiming-uniform with a = √5), drawn from the seeded {@link Rng}.
 */
export class Mlp {
  readonly sizes: readonly number[];
  readonly layers: readonly Dense[];
  readonly activation: Activation;
  readonly outputActivation: Activation;

  constructor(sizes: readonly number[], options: MlpOptions = {}) {
    if (!Array.isArray(sizes) || sizes.length < 2) {
      throw new InvalidParameterError('sizes', 'needs at least [inputs, outputs]');
    }
    for (const s of sizes) {
      if (!Number.isInteger(s) || s < 1) throw new InvalidParameterError('sizes', `every width must be a positive integer, got ${String(s)}`);
    }
    this.sizes = sizes.slice();
    this.activation = options.activation ?? 'relu';
    this.outputActivation = options.outputActivation ?? 'identity';
    const rng = options.rng ?? new Rng(options.seed ?? 0);
    const layers: Dense[] = [];
    for (let l = 0; l + 1 < sizes.length; l++) {
      const fanIn = sizes[l], fanOut = sizes[l + 1];
      const bound = 1 / Math.sqrt(fanIn);
      const w = new Float64Array(fanIn * fanOut);
      for (let i = 0; i < w.length; i++) w[i] = (2 * rng.uniform() - 1) * bound;
      const b = new Float64Array(fanOut);
      for (let i = 0; i < b.length; i++) b[i] = (2 * rng.uniform() - 1) * bound;
      layers.push({ weight: parameter(w, fanIn, fanOut), bias: parameter(b, 1, fanOut) });
    }
    this.layers = layers;
  }

  /** The trainable tensors, in layer order [W_1, b_1, W_2, b_2, …]. */
  parameters(): Tensor[] {
    const out: Tensor[] = [];
    for (const l of this.layers) out.push(l.weight, l.bias);
    return out;
  }

  /** Forward pass of a batch x (n × d_in) → n × d_out, recording the graph for {@link backward}. */
  forward(x: Tensor): Tensor {
    if (x.cols !== this.sizes[0]) {
      throw new InvalidParameterError('x', `has ${x.cols} columns but the network takes ${this.sizes[0]} inputs`);
    }
    let h = x;
    const L = this.layers.length;
    for (let l = 0; l < L; l++) {
      const act = l + 1 < L ? this.activation : this.outputActivation;
      // ReLU and the identity fuse into the layer's node (same values and gradients, fewer buffers)
      if (act === 'relu' || act === 'identity') h = dense(h, this.layers[l].weight, this.layers[l].bias, act === 'relu');
      else h = activate(linear(h, this.layers[l].weight, this.layers[l].bias), act);
    }
    return h;
  }

  /** Number of trainable scalars. */
  get parameterCount(): number {
    let s = 0;
    for (const l of this.layers) s += l.weight.size + l.bias.size;
    return s;
  }
}

/** `new Mlp(sizes, options)`. */
export function mlp(sizes: readonly number[], options: MlpOptions = {}): Mlp {
  return new Mlp(sizes, options);
}
