import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gaussianTarget, illConditionedCov, logisticRegressionTarget, syntheticLogistic, checkTarget } from '../../kernel-lib/vi/target.js';
import { gaussianEntropy } from '../../kernel-lib/gaussian/closed-form.js';
import { eigh } from '../../kernel-lib/core/eigh.js';
import { DimensionMismatchError, InvalidParameterError } from '../../kernel-lib/core/errors.js';

test('gaussianTarget: normalised log-density (E_π log π = −H(π) at the mean shift), gradient and Hessian', () => {
  const cov = [[2, 0.5], [0.5, 1]];
  const t = gaussianTarget({ mean: [1, -1], cov });
  // log π(μ) = −½ log((2π)^d |Σ|)
  const det = 2 * 1 - 0.25;
  assert.ok(Math.abs(t.logDensity(Float64Array.from([1, -1])) + 0.5 * (2 * Math.log(2 * Math.PI) + Math.log(det))) < 1e-14);
  assert.ok(Math.abs(gaussianEntropy(cov, 2) - (0.5 * (2 * Math.log(2 * Math.PI * Math.E) + Math.log(det)))) < 1e-14);
  const x = Float64Array.from([0.3, 0.7]);
  const g = t.gradLogDensity(x);
  const eps = 1e-6;
  for (let i = 0; i < 2; i++) {
    const xp = Float64Array.from(x); xp[i] += eps;
    const xm = Float64Array.from(x); xm[i] -= eps;
    assert.ok(Math.abs((t.logDensity(xp) - t.logDensity(xm)) / (2 * eps) - g[i]) < 1e-8);
  }
  const ev = eigh(t.gaussian!.cov, 2).values;
  assert.ok(Math.abs((t.smoothness as number) - 1 / ev[0]) < 1e-12 && Math.abs((t.strongConvexity as number) - 1 / ev[1]) < 1e-12);
});

test('logistic regression target: gradient and Hessian agree with finite differences', () => {
  const { target } = syntheticLogistic({ n: 50, d: 3, seed: 2, priorVariance: 4 });
  const w = Float64Array.from([0.2, -0.4, 0.9]);
  const g = target.gradLogDensity(w);
  const H = target.hessianLogDensity!(w);
  const eps = 1e-5;
  for (let i = 0; i < 3; i++) {
    const wp = Float64Array.from(w); wp[i] += eps;
    const wm = Float64Array.from(w); wm[i] -= eps;
    const fd = (target.logDensity(wp) - target.logDensity(wm)) / (2 * eps);
    assert.ok(Math.abs(fd - g[i]) < 1e-6 * Math.max(1, Math.abs(g[i])), `grad ${i}: ${fd} vs ${g[i]}`);
    const gp = target.gradLogDensity(wp);
    const gm = target.gradLogDensity(wm);
    for (let j = 0; j < 3; j++) {
      const fdh = (gp[j] - gm[j]) / (2 * eps);
      assert.ok(Math.abs(fdh - H[j * 3 + i]) < 1e-6 * Math.max(1, Math.abs(H[j * 3 + i])), `H ${j},${i}`);
    }
  }
  // Strong convexity 1/τ² and smoothness λ_max(XᵀX)/4 + 1/τ² bracket −∇² log π.
  const ev = eigh(Float64Array.from(H, (v) => -v), 3).values;
  assert.ok(ev[0] >= (target.strongConvexity as number) - 1e-12 && ev[2] <= (target.smoothness as number) + 1e-12);
});

test('targets are validated and name the argument', () => {
  assert.throws(() => logisticRegressionTarget([[1, 2], [3, 4]], [0, 2]), InvalidParameterError);
  assert.throws(() => logisticRegressionTarget([[1, 2], [3, 4]], [0]), DimensionMismatchError);
  assert.throws(() => gaussianTarget({ mean: [0, 0], cov: [[1, 2], [2, 1]] }), /not positive definite/);
  assert.throws(() => checkTarget({ dim: 0 } as never), /target.dim/);
  assert.throws(() => illConditionedCov(3, 0, 1), InvalidParameterError);
});
