import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fbgvi } from '../../kernel-lib/vi/fbgvi.js';
import { bwgd } from '../../kernel-lib/vi/bwgd.js';
import { fitLogKlSlope } from '../../kernel-lib/vi/rate.js';
import { gaussianTarget, illConditionedCov, syntheticLogistic, type Target } from '../../kernel-lib/vi/target.js';
import { inverseSpd } from '../../kernel-lib/core/linalg.js';
import { InvalidParameterError } from '../../kernel-lib/core/errors.js';

const d = 5;
const target = gaussianTarget({ mean: [0.3, -0.2, 0.9, 0.1, 0.5], cov: illConditionedCov(d, 1, 20, 4) });
const L = target.smoothness as number;
const alpha = target.strongConvexity as number;

function diagCov(v: number): Float64Array {
  const c = new Float64Array(d * d);
  for (let i = 0; i < d; i++) c[i * d + i] = v;
  return c;
}

test('FB-GVI converges to a Gaussian target at the linear rate of Diao et al. (2023): slope of log KL ≤ log(1 − αh)', () => {
  const h = 1 / L;
  const run = fbgvi(target, { step: h, iterations: 400 });
  assert.equal(run.method, 'fb-gvi');
  assert.equal(run.steps.length, 401);
  const last = run.steps[400];
  assert.ok((last.kl as number) < 1e-12, `final KL ${last.kl}`);
  for (let i = 0; i < d; i++) assert.ok(Math.abs(run.mean[i] - target.gaussian!.mean[i]) < 1e-6);
  // KL is monotone for the exact scheme at h ≤ 1/L.
  for (let k = 1; k < run.steps.length; k++) assert.ok((run.steps[k].kl as number) <= (run.steps[k - 1].kl as number) * (1 + 1e-9) + 1e-13, `KL rose at ${k}`);
  const fit = fitLogKlSlope(run.steps, 50, 300, 1e-13);
  const bound = Math.log(1 - alpha * h);
  assert.ok(fit.slope <= bound, `slope ${fit.slope} vs proven rate ${bound}`);
  // For a quadratic potential the mean error contracts by (1 − αh) per step, so KL ∝ (1 − αh)^{2k}.
  assert.ok(Math.abs(fit.slope / (2 * bound) - 1) < 0.15, `slope ${fit.slope} vs 2·log(1 − αh) = ${2 * bound}`);
});

test('the target is a fixed point of FB-GVI for h ≤ 1/L, and the BW gradient vanishes there', () => {
  const run = fbgvi(target, { step: 0.7 / L, iterations: 5, init: { mean: target.gaussian!.mean, cov: target.gaussian!.cov } });
  for (const s of run.steps) {
    assert.ok(Math.abs(s.kl as number) < 1e-12, `KL ${s.kl}`);
    assert.ok(s.bwGradNorm < 1e-9, `‖∇_BW‖ ${s.bwGradNorm}`);
  }
});

test('recorded BW gradient = (E∇V, E∇²V − Σ⁻¹) at the recorded iterate', () => {
  const run = fbgvi(target, { step: 0.5 / L, iterations: 3 });
  const s = run.steps[2];
  const P = target.gaussian!.precision;
  const inv = inverseSpd(s.cov, d);
  for (let i = 0; i < d; i++) {
    let g = 0;
    for (let j = 0; j < d; j++) g += P[i * d + j] * (s.mean[j] - target.gaussian!.mean[j]);
    assert.ok(Math.abs(g - s.bwGradient.mean[i]) < 1e-12);
    for (let j = 0; j < d; j++) assert.ok(Math.abs(P[i * d + j] - inv[i * d + j] - s.bwGradient.matrix[i * d + j]) < 1e-9);
  }
  assert.ok(s.bwGradNorm > 0 && Number.isFinite(s.bwGradNorm));
});

test('stability at h = 1/L from a narrow start: FB-GVI converges while BW-GD is trapped in an oscillation', () => {
  const init = { mean: new Float64Array(d), cov: diagCov(0.01) };
  const fb = fbgvi(target, { step: 1 / L, iterations: 600, init });
  const bw = bwgd(target, { step: 1 / L, iterations: 600, init });
  const kFb = fb.steps[fb.steps.length - 1].kl as number;
  const kBw = bw.steps[bw.steps.length - 1].kl as number;
  assert.ok(kFb < 1e-6, `FB-GVI ${kFb}`);
  assert.ok(kBw > 1e-2, `BW-GD ${kBw}`);
  // With a small step both agree closely (same continuous-time flow).
  const a = fbgvi(target, { step: 0.05 / L, iterations: 200 }).steps[200].kl as number;
  const b = bwgd(target, { step: 0.05 / L, iterations: 200 }).steps[200].kl as number;
  assert.ok(Math.abs(a - b) / a < 0.1, `${a} vs ${b}`);
});

test('for 1/L < h < 2/L FB-GVI stays bounded but stalls at a biased fixed point (the paper’s caveat)', () => {
  const run = fbgvi(target, { step: 1.5 / L, iterations: 300 });
  const kl = run.steps.map((s) => s.kl as number);
  assert.equal(run.diverged, undefined);
  assert.ok(kl[300] > 1e-3 && Math.abs(kl[300] - kl[250]) < 1e-8 * kl[300], `KL ${kl[250]} → ${kl[300]}`);
});

test('stochastic FB-GVI (Monte Carlo expectations, no Hessian: Stein estimator) approaches the target', () => {
  // A plain target object without a Hessian and without the Gaussian shortcut.
  const g = target.gaussian!;
  const plain: Target = { dim: d, logDensity: (x) => target.logDensity(x), gradLogDensity: (x) => target.gradLogDensity(x) };
  const run = fbgvi(plain, { step: 0.3 / L, iterations: 300, samples: 64, seed: 1, recordEvery: 50, elboSamples: 128 });
  assert.equal(run.method, 'fb-gvi');
  let err = 0;
  for (let i = 0; i < d; i++) err = Math.max(err, Math.abs(run.mean[i] - g.mean[i]));
  assert.ok(err < 0.3, `mean error ${err}`);
  // ELBO of a normalised target = −KL ≤ 0, up to Monte Carlo error; it rose from the start.
  const e0 = run.steps[0].elbo;
  const e1 = run.steps[run.steps.length - 1].elbo;
  assert.ok(e1 > e0 && e1 < 0.2 && e1 > -0.3, `ELBO ${e0} → ${e1}`);
  const s1 = fbgvi(target, { step: 0.1 / L, iterations: 20, samples: 1 });
  assert.equal(s1.method, 'sfb-gvi');
});

test('FB-GVI on Bayesian logistic regression raises the ELBO and agrees with BW-GD at a small step', () => {
  const { target: lt } = syntheticLogistic({ n: 100, d: 2, seed: 3, scale: 2 });
  const h = 0.5 / (lt.smoothness as number);
  const fb = fbgvi(lt, { step: h, iterations: 150, samples: 16, recordEvery: 50 });
  const bw = bwgd(lt, { step: h, iterations: 150, samples: 16, recordEvery: 50 });
  const ef = fb.steps[fb.steps.length - 1].elbo;
  const eb = bw.steps[bw.steps.length - 1].elbo;
  assert.ok(ef > fb.steps[0].elbo + 1, `${fb.steps[0].elbo} → ${ef}`);
  assert.ok(Math.abs(ef - eb) < 0.05, `${ef} vs ${eb}`);
  assert.equal(fb.steps[0].kl, undefined);
});

test('options are validated', () => {
  assert.throws(() => fbgvi(target, { step: 0 }), InvalidParameterError);
  assert.throws(() => fbgvi(target, { step: 0.1, samples: 0 }), /options.samples/);
  const { target: lt } = syntheticLogistic({ n: 20, d: 2 });
  assert.throws(() => fbgvi(lt, { step: 0.1, samples: 'exact' }), /Gaussian target/);
  assert.throws(() => fbgvi(target, { step: 0.1, init: { mean: [0], cov: [[1]] } }), /options.init.mean/);
});
