import assert from 'node:assert/strict';
import { Rng } from '../../kernel-lib/core/rng.js';
import { backward, parameter, type Tensor } from '../../kernel-lib/autodiff/tensor.js';
import { fdGrad } from '../helpers/finite-differences.js';

/** A parameter with seeded normal entries scaled by `s` (plus `shift`). */
export function randParam(rows: number, cols: number, seed: number, s = 1, shift = 0): Tensor {
  const r = new Rng(seed);
  const d = new Float64Array(rows * cols);
  for (let i = 0; i < d.length; i++) d[i] = s * r.normal() + shift;
  return parameter(d, rows, cols);
}

/**
 * Checks the reverse-mode gradient of L = Σ w ⊙ f(inputs) (w seeded normal weights, so every
 * output entry matters) against central finite differences for every entry of every input.
 */
export function checkGradient(f: (...xs: Tensor[]) => Tensor, inputs: Tensor[], opts: { h?: number; tol?: number; seed?: number } = {}): void {
  const h = opts.h ?? 1e-6;
  const tol = opts.tol ?? 1e-6;
  const out = f(...inputs);
  const w = new Rng(opts.seed ?? 99).normals(out.size);
  for (const x of inputs) x.grad = new Float64Array(x.size);
  backward(out, w);
  const L = (): number => {
    const o = f(...inputs);
    let s = 0;
    for (let i = 0; i < o.size; i++) s += w[i] * o.data[i];
    return s;
  };
  for (let k = 0; k < inputs.length; k++) {
    const x = inputs[k];
    const g = x.grad as Float64Array;
    const fd = fdGrad(x, L, h);
    for (let i = 0; i < x.size; i++) {
      const num = fd[i];
      const err = Math.abs(num - g[i]);
      assert.ok(err <= tol * Math.max(1, Math.abs(num)), `input ${k} entry ${i}: analytic ${g[i]} vs finite difference ${num} (error ${err})`);
    }
  }
}
