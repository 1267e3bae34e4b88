import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../kernel-lib/core/rng.js';
import { setGemmBackend } from '../../kernel-lib/autodiff/gemm.js';
import { wasmSimdAvailable } from '../../kernel-lib/autodiff/gemm-wasm.js';
import { dense } from '../../kernel-lib/autodiff/linear.js';
import * as ops from '../../kernel-lib/autodiff/ops.js';
import { backward, parameter, type Tensor } from '../../kernel-lib/autodiff/tensor.js';
import { checkGradient, randParam } from './fd.js';

// Gradients of divlab/autodiff's linear ops against central finite differences (random inputs, random output weights).

test('matmul, matmulNT, linear, transpose gradients match finite differences', () => {
  checkGradient(ops.matmul, [randParam(5, 3, 1), randParam(3, 6, 2)]);
  checkGradient(ops.matmulNT, [randParam(5, 3, 3), randParam(7, 3, 4)]);
  checkGradient(ops.linear, [randParam(6, 4, 5), randParam(4, 5, 6), randParam(1, 5, 7)]);
  checkGradient(ops.transpose, [randParam(3, 4, 8)]);
});

test('addBias, concatCols, pairSum, reshape gradients match finite differences', () => {
  checkGradient(ops.addBias, [randParam(4, 3, 9), randParam(1, 3, 10)]);
  checkGradient(ops.concatCols, [randParam(4, 2, 11), randParam(4, 3, 12)]);
  checkGradient(ops.pairSum, [randParam(3, 4, 13), randParam(5, 4, 14)]);
  checkGradient((a: Tensor) => ops.reshape(a, 2, 6), [randParam(3, 4, 15)]);
});

// The fused dense node (linear.ts `dense`, used by Mlp for ReLU and identity layers) must give the
// values and gradients of the unfused graph relu(addBias(matmul(x, W), b)) bit for bit, on both
// product kernels, on edge shapes (1×1, odd sizes, non-multiples of the 4×4 block) and on a
// product large enough for the WebAssembly path; non-finite pre-activations as the unfused ReLU.
function sameBits(a: Float64Array, b: Float64Array, what: string): void {
  assert.equal(a.length, b.length, what);
  for (let i = 0; i < a.length; i++) assert.ok(Object.is(a[i], b[i]), `${what}[${i}]: ${a[i]} vs ${b[i]}`);
}

function fusedVsUnfused(n: number, k: number, m: number, relu: boolean, seed: number,
  poke?: (x: Float64Array, w: Float64Array) => void): void {
  const rng = new Rng(seed);
  const xd = rng.normals(n * k);
  const wd = rng.normals(k * m), bd = rng.normals(m);
  if (poke) poke(xd, wd);
  const G = rng.normals(n * m);
  for (let i = 0; i < G.length; i += 3) G[i] = i % 2 === 0 ? -0 : G[i]; // signed zeros in the seed
  const run = (fused: boolean): Tensor[] => {
    const x = parameter(Float64Array.from(xd), n, k), w = parameter(Float64Array.from(wd), k, m), b = parameter(Float64Array.from(bd), 1, m);
    const out = fused ? dense(x, w, b, relu) : (relu ? ops.relu(ops.addBias(ops.matmul(x, w), b)) : ops.addBias(ops.matmul(x, w), b));
    backward(out, G);
    return [out, x, w, b];
  };
  const [o1, x1, w1, b1] = run(true);
  const [o2, x2, w2, b2] = run(false);
  const tag = `${n}×${k}×${m} relu=${relu}`;
  sameBits(o1.data, o2.data, `${tag} value`);
  sameBits(x1.grad as Float64Array, x2.grad as Float64Array, `${tag} ∂x`);
  sameBits(w1.grad as Float64Array, w2.grad as Float64Array, `${tag} ∂W`);
  sameBits(b1.grad as Float64Array, b2.grad as Float64Array, `${tag} ∂b`);
}

const denseBackends: ('js' | 'wasm')[] = ['js', ...(wasmSimdAvailable() ? ['wasm' as const] : [])];
for (const be of denseBackends) test(`${be}: the fused dense node equals relu(addBias(matmul)) bit for bit`, () => {
  setGemmBackend(be);
  try {
    const shapes: [number, number, number][] = [[1, 1, 1], [3, 5, 2], [4, 4, 4], [7, 9, 6], [13, 3, 17], [64, 20, 33]];
    let seed = 1;
    for (const [n, k, m] of shapes) for (const relu of [true, false]) fusedVsUnfused(n, k, m, relu, seed++);
    // overflowing products: +∞, −∞ and NaN (∞ − ∞) pre-activations go through as in the unfused ReLU
    for (const relu of [true, false]) {
      fusedVsUnfused(5, 3, 6, relu, 99, (x, w) => {
        x.set([1e308, 1e308, 0, -1e308, 0, 0]); // rows 0 and 1 of x (k = 3)
        for (let j = 0; j < 6; j++) { w[j] = 10; w[6 + j] = j % 2 === 0 ? -10 : 10; }
      });
    }
  } finally {
    setGemmBackend('auto');
  }
});

test('dense: gradients match finite differences; mismatched shapes throw', () => {
  const x = randParam(3, 4, 1), w = randParam(4, 5, 2);
  assert.throws(() => dense(x, randParam(3, 5, 3), randParam(1, 5, 4), true), { name: 'DimensionMismatchError' });
  assert.throws(() => dense(x, w, randParam(1, 4, 5), true), { name: 'DimensionMismatchError' });
  checkGradient((a: Tensor, b: Tensor, c: Tensor) => dense(a, b, c, false), [randParam(6, 4, 5), randParam(4, 5, 6), randParam(1, 5, 7)]);
});
