import { test } from 'node:test';
import assert from 'node:assert/strict';
import { potentialExpectations } from '../../kernel-lib/vi/expectations.js';
import { gaussianTarget, syntheticLogistic, type Target } from '../../kernel-lib/vi/target.js';
import { Rng } from '../../kernel-lib/core/rng.js';

test('exact expectations of a quadratic potential: E∇V = P(m − μ), E∇²V = P; Monte Carlo agrees', () => {
  const t = gaussianTarget({ mean: [1, 2], cov: [[1, 0.3], [0.3, 0.5]] });
  const m = Float64Array.from([0, 0]);
  const S = Float64Array.from([0.7, 0.1, 0.1, 0.4]);
  const ex = potentialExpectations(t, m, S, 'exact', new Rng(0));
  const P = t.gaussian!.precision;
  assert.ok(Math.abs(ex.grad[0] - (P[0] * -1 + P[1] * -2)) < 1e-12);
  const mc = potentialExpectations(t, m, S, 4000, new Rng(1));
  for (let i = 0; i < 2; i++) assert.ok(Math.abs(mc.grad[i] - ex.grad[i]) < 0.1, `grad ${i}`);
  for (let i = 0; i < 4; i++) assert.ok(Math.abs(mc.hessian[i] - ex.hessian[i]) < 1e-12, 'the Hessian of a quadratic is constant');
});

test("Stein's identity estimator of E∇²V (no Hessian) agrees with the averaged Hessian on logistic regression", () => {
  const { target } = syntheticLogistic({ n: 60, d: 2, seed: 4, scale: 1.5 });
  const plain: Target = { dim: 2, logDensity: (x) => target.logDensity(x), gradLogDensity: (x) => target.gradLogDensity(x) };
  const m = Float64Array.from([0.3, -0.2]);
  const S = Float64Array.from([0.2, 0.05, 0.05, 0.1]);
  const withH = potentialExpectations(target, m, S, 20000, new Rng(2));
  const stein = potentialExpectations(plain, m, S, 20000, new Rng(2));
  for (let i = 0; i < 2; i++) assert.ok(Math.abs(withH.grad[i] - stein.grad[i]) < 1e-12, 'same draws, same gradient');
  // Monte Carlo error relative to the matrix scale (diagonal ≈ 12 here): within 2 % of max |H_ij|.
  const scale = Math.max(...Array.from(withH.hessian, Math.abs));
  for (let i = 0; i < 4; i++) {
    assert.ok(Math.abs(withH.hessian[i] - stein.hessian[i]) < 0.02 * scale, `entry ${i}: ${withH.hessian[i]} vs ${stein.hessian[i]}`);
  }
  // The Stein estimate is symmetric by construction.
  assert.equal(stein.hessian[1], stein.hessian[2]);
});
