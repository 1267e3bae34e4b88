import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gaussianCauchySchwarz, gaussianMmd2 } from '../../kernel-lib/kernel/closed-form.js';

test('population MMD² between 1-D Gaussians N(0,1), N(δ,1): 2(1 + 2/h²)^{−1/2}(1 − exp(−δ²/(2(h² + 2))))', () => {
  for (const [delta, h] of [[0.5, 1], [2, 0.7], [1, 3]]) {
    const want = 2 * (1 + 2 / h ** 2) ** -0.5 * (1 - Math.exp(-(delta ** 2) / (2 * (h ** 2 + 2))));
    const got = gaussianMmd2({ mean: [0], cov: [[1]] }, { mean: [delta], cov: [[1]] }, h);
    assert.ok(Math.abs(got - want) < 1e-15, `${got} vs ${want}`);
  }
  // Product structure in d = 2 with diagonal covariances: the expectations factorise per coordinate.
  const P = { mean: [0, 0], cov: [[1, 0], [0, 2]] }, Q = { mean: [1, -1], cov: [[0.5, 0], [0, 1]] };
  const h = 1.3, h2 = h * h;
  const e = (s: number) => (1 + s / h2) ** -0.5;
  const kpp = e(2) * e(4), kqq = e(1) * e(2);
  const kpq = e(1.5) * Math.exp(-1 / (2 * (h2 + 1.5))) * e(3) * Math.exp(-1 / (2 * (h2 + 3)));
  assert.ok(Math.abs(gaussianMmd2(P, Q, h) - (kpp + kqq - 2 * kpq)) < 1e-15);
});

test('Cauchy–Schwarz between Gaussians: symmetric, 0 for identical, smoothing by σ lowers it', () => {
  const P = { mean: [0, 0], cov: [[1, 0.2], [0.2, 1]] }, Q = { mean: [2, 0], cov: [[3, 0], [0, 0.5]] };
  assert.ok(Math.abs(gaussianCauchySchwarz(P, Q) - gaussianCauchySchwarz(Q, P)) < 1e-14);
  assert.ok(gaussianCauchySchwarz(P, Q, 1) < gaussianCauchySchwarz(P, Q, 0.3));
  assert.ok(gaussianCauchySchwarz(P, Q, 0.3) < gaussianCauchySchwarz(P, Q));
  assert.ok(Math.abs(gaussianCauchySchwarz(Q, Q, 0.7)) < 1e-14);
});
