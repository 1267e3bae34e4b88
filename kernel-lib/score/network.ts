import { InvalidParameterError } from '../core/errors.js';
import { Rng } from '../core/rng.js';
import { parameter, constant, type Tensor } from '../autodiff/tensor.js';
import { linear } from '../autodiff/linear.js';
import { add, mul } from '../autodiff/elementwise.js';
import { elu, relu, tanh } from '../autodiff/activations.js';
import { gemmNN } from '../autodiff/gemm.js';

export type ScoreActivation = 'elu' | 'relu' | 'tanh';

/**
 * A time-conditioned noise-prediction MLP ε̂_θ(z, τ_x, τ_y) for MINDE (Franzese et al. 2024: one
 * network for the joint, conditional and marginal scores). Input row: the D = d_x + d_y
 * coordinates z (diffused, clean or zeroed per the mask) followed by the time features
 * [τ, a_τ, σ_τ] of the x block and of the y block (6 numbers). Hidden layers: dense + activation.
 * Output: D values f_θ; the prediction is ε̂ = σ_τ·(z + f_θ) on every coordinate, i.e. the score is
 * s = −ε̂/σ_τ = −z − f_θ: the network outputs the deviation of the score from that of a standard
 * normal (exact for independent standard-normal data). This is our parametrisation, not the paper's
 * (the optimum of the loss is unchanged); with a plain ε̂ = σ_τ z + f_θ the conditional score, a
 * product of σ_τ and a function of (z, y), was learned far worse at equal budget (measured).
 * Weights: Glorot-uniform (Glorot & Bengio 2010, eq. (16)) from a seeded {@link Rng}; the output
 * layer starts at zero.
 */
export class ScoreNetwork {
  readonly inputDim: number;
  readonly outputDim: number;
  readonly hidden: readonly number[];
  readonly activation: ScoreActivation;
  /** [W₁, b₁, W₂, b₂, …] as autodiff parameters (W is in×out row-major, b is 1×out). */
  readonly params: Tensor[];

  constructor(outputDim: number, hidden: readonly number[], activation: ScoreActivation, seed: number) {
    if (!Number.isInteger(outputDim) || outputDim < 1) throw new InvalidParameterError('outputDim', `must be a positive integer, got ${outputDim}`);
    if (!Array.isArray(hidden) || hidden.length < 1 || hidden.some((h) => !Number.isInteger(h) || h < 1)) {
      throw new InvalidParameterError('options.hidden', `must be a non-empty list of positive integers (layer widths), got ${JSON.stringify(hidden)}`);
    }
    if (!['elu', 'relu', 'tanh'].includes(activation)) throw new InvalidParameterError('options.activation', `must be 'elu', 'relu' or 'tanh', got ${String(activation)}`);
    this.outputDim = outputDim;
    this.inputDim = outputDim + 6;
    this.hidden = hidden.slice();
    this.activation = activation;
    const rng = new Rng(seed);
    const sizes = [this.inputDim, ...hidden, outputDim];
    this.params = [];
    for (let l = 0; l + 1 < sizes.length; l++) {
      const fanIn = sizes[l];
      const fanOut = sizes[l + 1];
      const last = l + 2 === sizes.length;
      const lim = last ? 0 : Math.sqrt(6 / (fanIn + fanOut));
      const w = new Float64Array(fanIn * fanOut);
      for (let i = 0; i < w.length; i++) w[i] = lim * (2 * rng.uniform() - 1);
      this.params.push(parameter(w, fanIn, fanOut), parameter(new Float64Array(fanOut), 1, fanOut));
    }
  }

  /** Number of trainable scalars. */
  get size(): number {
    return this.params.reduce((s, p) => s + p.size, 0);
  }

  /**
   * Differentiable forward pass: input n×inputDim, skip n×outputDim (σ_τ·z), outScale n×outputDim
   * (σ_τ per coordinate) → ε̂ = skip + outScale ⊙ f_θ (n×outputDim).
   */
  forward(input: Float64Array, skip: Float64Array, outScale: Float64Array, n: number): Tensor {
    let h: Tensor = constant(input, n, this.inputDim);
    const layers = this.params.length / 2;
    for (let l = 0; l < layers; l++) {
      h = linear(h, this.params[2 * l], this.params[2 * l + 1]);
      if (l + 1 < layers) h = this.activation === 'elu' ? elu(h) : this.activation === 'relu' ? relu(h) : tanh(h);
    }
    return add(mul(h, constant(outScale, n, this.outputDim)), constant(skip, n, this.outputDim));
  }

  /** Forward pass without recording a graph (evaluation); same arithmetic as {@link forward}. */
  predict(input: Float64Array, skip: Float64Array, outScale: Float64Array, n: number): Float64Array {
    let h = input;
    let width = this.inputDim;
    const layers = this.params.length / 2;
    for (let l = 0; l < layers; l++) {
      const w = this.params[2 * l];
      const b = this.params[2 * l + 1];
      const out = new Float64Array(n * w.cols);
      gemmNN(h, w.data, out, n, width, w.cols);
      const act = l + 1 < layers;
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < w.cols; j++) {
          const v = out[i * w.cols + j] + b.data[j];
          out[i * w.cols + j] = !act ? v : this.activation === 'elu' ? (v > 0 ? v : Math.expm1(v)) : this.activation === 'relu' ? (v > 0 ? v : 0) : Math.tanh(v);
        }
      }
      h = out;
      width = w.cols;
    }
    for (let i = 0; i < h.length; i++) h[i] = skip[i] + outScale[i] * h[i];
    return h;
  }
}
