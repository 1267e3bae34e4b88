import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../kernel-lib/core/rng.js';
import { correlatedGaussian, correlatedGaussianMi, rhoForMi, staircaseSampler } from '../../kernel-lib/variational/samplers.js';

test('rhoForMi inverts the closed-form MI of the correlated Gaussian', () => {
  for (const mi of [0, 2, 4, 6, 8, 10]) assert.ok(Math.abs(correlatedGaussianMi(rhoForMi(mi, 20), 20) - mi) < 1e-12);
  assert.ok(Math.abs(correlatedGaussianMi(0.8, 1) + 0.5 * Math.log(0.36)) < 1e-15);
  assert.throws(() => rhoForMi(-1, 2), { name: 'InvalidParameterError' });
});

test('correlatedGaussian has the requested per-coordinate correlation; cubic is y³', () => {
  const rho = 0.6;
  const b = correlatedGaussian(20000, 2, rho, new Rng(1));
  let sxy = 0, sxx = 0, syy = 0;
  for (let i = 0; i < 20000; i++) { const x = b.x.data[i * 2], y = b.y.data[i * 2]; sxy += x * y; sxx += x * x; syy += y * y; }
  assert.ok(Math.abs(sxy / Math.sqrt(sxx * syy) - rho) < 0.02);
  const c = correlatedGaussian(5, 2, rho, new Rng(1), true);
  const p = correlatedGaussian(5, 2, rho, new Rng(1));
  for (let k = 0; k < 10; k++) assert.ok(Math.abs(c.y.data[k] - p.y.data[k] ** 3) < 1e-12);
});

test('staircaseSampler steps through the MI levels', () => {
  const s = staircaseSampler({ stepsPerLevel: 10 });
  assert.deepEqual([0, 9, 10, 25, 49, 1000].map((t) => s.truth(t)), [2, 2, 4, 6, 10, 10]);
  const b = s(4, 0, new Rng(2));
  assert.equal(b.x.cols, 20);
  assert.equal(b.y.rows, 4);
});
