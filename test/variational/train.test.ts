import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../kernel-lib/core/rng.js';
import { train } from '../../kernel-lib/variational/train.js';
import { setGemmBackend } from '../../kernel-lib/autodiff/gemm.js';
import { correlatedGaussian, correlatedGaussianMi, staircaseSampler } from '../../kernel-lib/variational/samplers.js';

const small = { hidden: [32], embed: 16, lr: 3e-3, batch: 64 } as const;

test('a critic trained on independent x, y estimates ≈ 0', () => {
  const b = correlatedGaussian(2000, 1, 0, new Rng(6));
  for (const bound of ['smile', 'infonce'] as const) {
    const r = train(b.x, b.y, { ...small, bound, steps: 300, seed: 2 });
    assert.ok(Math.abs(r.estimate.value) < 0.05, `${bound}: ${r.estimate.value}`);
  }
});

test('on a 1-D correlated Gaussian (ρ = 0.8) every bound approaches the closed-form MI', () => {
  const truth = correlatedGaussianMi(0.8, 1); // 0.511
  const b = correlatedGaussian(2000, 1, 0.8, new Rng(5));
  for (const bound of ['infonce', 'nwj', 'dv', 'mine', 'js', 'smile'] as const) {
    const r = train(b.x, b.y, { ...small, bound, steps: 500, seed: 1 });
    assert.ok(Math.abs(r.estimate.value - truth) < 0.1, `${bound}: ${r.estimate.value} vs ${truth}`);
    assert.ok(r.estimate.value < truth + 0.05, `${bound} is a lower bound: ${r.estimate.value}`);
  }
});

test('history, onStep, reproducibility from the seed, and base 2', () => {
  const b = correlatedGaussian(300, 2, 0.5, new Rng(7));
  const seen: number[] = [];
  const r1 = train(b.x, b.y, { ...small, bound: 'nwj', steps: 20, seed: 3, every: 5, onStep: (s) => seen.push(s.step) });
  const r2 = train(b.x, b.y, { ...small, bound: 'nwj', steps: 20, seed: 3, base: 2 });
  assert.deepEqual(seen, [4, 9, 14, 19]);
  assert.equal(r1.history.value.length, 20);
  assert.deepEqual(r1.history.value, r2.history.value);
  assert.ok(r1.history.gradNorm.every((g) => g > 0 && Number.isFinite(g)));
  assert.ok(r1.history.time.every((t, i) => i === 0 || t >= r1.history.time[i - 1]));
  assert.ok(Math.abs(r2.estimate.value * Math.LN2 - r1.estimate.value) < 1e-12);
  assert.equal(r2.estimate.unit, 'bit');
  assert.equal(r1.estimate.estimator, 'variational-nwj');
});

test('sampler mode (a short staircase) and the concatenated critic run; InfoNCE never exceeds log batch', () => {
  const s = staircaseSampler({ d: 2, levels: [1, 3], stepsPerLevel: 15 });
  const r = train(s, { bound: 'infonce', critic: 'concat', hidden: [8], batch: 8, steps: 30, lr: 1e-2, seed: 4 });
  assert.ok(r.history.value.every((v) => v <= Math.log(8) + 1e-12));
  assert.equal(r.estimate.params.critic, 'concat');
});

test('invalid input throws typed errors naming the argument', () => {
  const b = correlatedGaussian(50, 1, 0.5, new Rng(8));
  assert.throws(() => train(b.x, b.y, { batch: 64 }), { name: 'TooFewSamplesError', message: /^x:/ });
  assert.throws(() => train(b.x, [1, 2, 3], {}), { name: 'DimensionMismatchError', message: /^y:/ });
  assert.throws(() => train(b.x, b.y, { batch: 16, bound: 'kl' as never, steps: 1 }), { name: 'InvalidParameterError', message: /^bound:/ });
  assert.throws(() => train(b.x, b.y, { batch: 1 }), { name: 'InvalidParameterError', message: /^options\.batch:/ });
  assert.throws(() => train(b.x, b.y, { batch: 16, critic: 'mlp' as never }), { name: 'InvalidParameterError', message: /^options\.critic:/ });
});

test('training is bit-identical on the WebAssembly and JavaScript matrix kernels', (t) => {
  const b = correlatedGaussian(200, 3, 0.5, new Rng(9));
  const opts = { hidden: [12, 12], embed: 8, bound: 'smile' as const, batch: 16, steps: 15, seed: 5 };
  setGemmBackend('js');
  const a = train(b.x, b.y, opts).history.value;
  try {
    setGemmBackend('wasm');
  } catch {
    setGemmBackend('auto');
    t.skip('WebAssembly SIMD unavailable');
    return;
  }
  const w = train(b.x, b.y, opts).history.value;
  setGemmBackend('auto');
  assert.deepEqual(w, a);
});
