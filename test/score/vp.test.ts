import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DEFAULT_SCHEDULE as S, beta, integratedBeta, meanFactor, noiseStd, importanceNormaliser, importanceTime,
  sampleImportanceTimes, gaussianDiffusedScore,
} from '../../kernel-lib/score/vp.js';
import { Rng } from '../../kernel-lib/core/rng.js';

test('VP schedule: a_t² + σ_t² = 1, a_t = exp(−½∫β), dB/dt = β', () => {
  for (const t of [1e-3, 0.1, 0.5, 1]) {
    assert.ok(Math.abs(meanFactor(S, t) ** 2 + noiseStd(S, t) ** 2 - 1) < 1e-15);
    const h = 1e-6;
    assert.ok(Math.abs((integratedBeta(S, t + h) - integratedBeta(S, t - h)) / (2 * h) - beta(S, t)) < 1e-6);
  }
  assert.ok(Math.abs(integratedBeta(S, 1) - 10.05) < 1e-12);
  // a_1 = e^{−5.025}: the diffusion has (nearly) forgotten the data at T = 1.
  assert.ok(Math.abs(meanFactor(S, 1) - Math.exp(-5.025)) < 1e-15);
});

test('importance distribution q(t) ∝ β/σ²: normaliser equals the integral, the inverse CDF matches a histogram', () => {
  // Z by the midpoint rule on a log-spaced grid.
  let z = 0;
  const m = 200000;
  const l0 = Math.log(S.tEps);
  for (let i = 0; i < m; i++) {
    const a = Math.exp(l0 + (-l0 * i) / m);
    const b = Math.exp(l0 + (-l0 * (i + 1)) / m);
    const t = 0.5 * (a + b);
    z += (beta(S, t) / noiseStd(S, t) ** 2) * (b - a);
  }
  assert.ok(Math.abs(z - importanceNormaliser(S)) / z < 1e-6, `${z} vs ${importanceNormaliser(S)}`);
  assert.ok(Math.abs(importanceTime(S, 0) - S.tEps) < 1e-12 && Math.abs(importanceTime(S, 1) - 1) < 1e-9);
  // P(t ≤ 0.1) from samples vs the closed-form CDF.
  const times = sampleImportanceTimes(S, 20000, new Rng(3), false);
  const frac = times.filter((t) => t <= 0.1).length / times.length;
  const cdf = (Math.log(Math.expm1(integratedBeta(S, 0.1))) - Math.log(Math.expm1(integratedBeta(S, S.tEps)))) / importanceNormaliser(S);
  assert.ok(Math.abs(frac - cdf) < 0.015, `${frac} vs ${cdf}`);
});

test('diffused Gaussian score: −(a²C + σ²I)⁻¹ x, finite-difference check of log N(x; 0, a²C + σ²I)', () => {
  const C = [1, 0.8, 0.8, 1];
  const t = 0.2;
  const a = meanFactor(S, t);
  const s2 = noiseStd(S, t) ** 2;
  const K = [a * a * 1 + s2, a * a * 0.8, a * a * 0.8, a * a + s2];
  const det = K[0] * K[3] - K[1] * K[2];
  const logp = (x: number[]) => -0.5 * ((K[3] * x[0] * x[0] - 2 * K[1] * x[0] * x[1] + K[0] * x[1] * x[1]) / det);
  const x = [0.4, -1.1];
  const s = gaussianDiffusedScore([0, 0], C, S, t, x);
  const h = 1e-6;
  assert.ok(Math.abs((logp([x[0] + h, x[1]]) - logp([x[0] - h, x[1]])) / (2 * h) - s[0]) < 1e-8);
  assert.ok(Math.abs((logp([x[0], x[1] + h]) - logp([x[0], x[1] - h])) / (2 * h) - s[1]) < 1e-8);
});
