import { test } from 'node:test';
import assert from 'node:assert/strict';
import { trainMinde, mutualInfo } from '../../kernel-lib/score/minde.js';
import { gaussianDiffusedScore, meanFactor, noiseStd } from '../../kernel-lib/score/vp.js';
import { sampleGaussian } from '../../kernel-lib/gaussian/sample.js';
import { gaussianMutualInfo } from '../../kernel-lib/gaussian/closed-form.js';
import { Rng } from '../../kernel-lib/core/rng.js';
import { DimensionMismatchError, InvalidParameterError, TooFewSamplesError } from '../../kernel-lib/core/errors.js';

const rho = 0.75;
const n = 2000;
const C = [1, rho, rho, 1];
const z = sampleGaussian({ mean: [0, 0], cov: C }, n, 3);
const x = Float64Array.from({ length: n }, (_, i) => z.data[2 * i]);
const y = Float64Array.from({ length: n }, (_, i) => z.data[2 * i + 1]);
const truth = gaussianMutualInfo(C, 1, 1);
// One trained model shared by the tests below (1500 Adam steps, batch 128, MLP 8→64→64→2: ~3–6 s here).
const model = trainMinde(x, y, { steps: 1500, batchSize: 128, hidden: [64, 64], seed: 0 });

test('MINDE on a correlated Gaussian pair (ρ = 0.75, I = 0.413 nats): both estimators within 0.12 nats of the truth, H(X) within 0.05', () => {
  const e = model.mutualInfo(x, y, { timeDraws: 2 });
  const ex = e.extra as Record<string, number>;
  assert.equal(e.estimator, 'minde-c');
  assert.ok(Math.abs(ex.mindeC - truth) < 0.12, `MINDE-C ${ex.mindeC} vs ${truth}`);
  assert.ok(Math.abs(ex.mindeJ - truth) < 0.12, `MINDE-J ${ex.mindeJ} vs ${truth}`);
  assert.ok(Math.abs(ex.entropyX - 0.5 * Math.log(2 * Math.PI * Math.E)) < 0.05, `H(X) ${ex.entropyX}`);
  assert.equal(e.terms?.length, n);
  assert.ok((e.stderr as number) > 0 && (e.stderr as number) < 0.05);
  const bits = model.mutualInfo(x, y, { timeDraws: 2, base: 2, estimator: 'joint' });
  assert.equal(bits.unit, 'bit');
  assert.ok(Math.abs(bits.value * Math.LN2 - ex.mindeJ) < 1e-12);
  // Training reduced the denoising loss.
  assert.ok(model.losses.loss[model.losses.loss.length - 1] < model.losses.loss[0]);
});

test('learned joint score vs the analytic score of the diffused Gaussian: relative RMSE < 0.25 at t = 0.1, 0.3, 0.6', () => {
  // The model works in standardised coordinates u; their law is N(0, R), R the sample correlation matrix.
  const u = model.standardize({ data: z.data, shape: [n, 2] });
  let r = 0;
  for (let i = 0; i < n; i++) r += u.data[2 * i] * u.data[2 * i + 1];
  r /= n - 1;
  const rng = new Rng(5);
  for (const t of [0.1, 0.3, 0.6]) {
    const a = meanFactor(model.schedule, t);
    const s = noiseStd(model.schedule, t);
    const m = 400;
    const pts = new Float64Array(2 * m);
    for (let i = 0; i < 2 * m; i++) pts[i] = a * u.data[i] + s * rng.normal();
    const learned = model.score({ data: pts, shape: [m, 2] }, t, 'joint');
    const exact = gaussianDiffusedScore([0, 0], [1, r, r, 1], model.schedule, t, pts);
    let err = 0;
    let ref = 0;
    for (let i = 0; i < 2 * m; i++) {
      err += (learned[i] - exact[i]) ** 2;
      ref += exact[i] ** 2;
    }
    assert.ok(Math.sqrt(err / ref) < 0.25, `t = ${t}: relative RMSE ${Math.sqrt(err / ref)}`);
  }
});

test('score() modes return the right shapes and reject bad input', () => {
  assert.equal(model.score([[0.1]], 0.5, 'x').length, 1);
  assert.equal(model.score([[0.1, 0.2]], 0.5, 'x|y').length, 1);
  assert.equal(model.score([[0.1, 0.2]], 0.5, 'joint').length, 2);
  assert.throws(() => model.score([[0.1]], 0.5, 'joint'), DimensionMismatchError);
  assert.throws(() => model.score([[0.1, 0.2]], 0, 'joint'), InvalidParameterError);
  assert.throws(() => model.mutualInfo([[1, 2]], [[1]]), DimensionMismatchError);
  assert.throws(() => mutualInfo([1], [2]), TooFewSamplesError);
  assert.throws(() => trainMinde(x, y, { steps: 0 }), /options.steps/);
  assert.throws(() => trainMinde(x, y, { hidden: [] }), /options.hidden/);
});
