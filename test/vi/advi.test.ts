import { test } from 'node:test';
import assert from 'node:assert/strict';
import { advi } from '../../kernel-lib/vi/advi.js';
import { fbgvi } from '../../kernel-lib/vi/fbgvi.js';
import { gaussianTarget, syntheticLogistic } from '../../kernel-lib/vi/target.js';

const target = gaussianTarget({ mean: [1, -2, 0.5], cov: [[2, 0.6, 0.2], [0.6, 1, 0.3], [0.2, 0.3, 0.5]] });
const L = target.smoothness as number;

test('full-rank ADVI with exact gradients converges to the Gaussian target', () => {
  const run = advi(target, { step: 0.5 / L, iterations: 2000, recordEvery: 100 });
  assert.equal(run.method, 'advi-full-rank');
  assert.ok((run.steps[run.steps.length - 1].kl as number) < 1e-8);
});

test('mean-field ADVI converges to the mean-field optimum: mean μ and variances 1/P_ii', () => {
  const run = advi(target, { step: 0.3 / L, iterations: 3000, family: 'mean-field', recordEvery: 500 });
  const P = target.gaussian!.precision;
  for (let i = 0; i < 3; i++) {
    assert.ok(Math.abs(run.mean[i] - target.gaussian!.mean[i]) < 1e-6);
    assert.ok(Math.abs(run.cov[i * 3 + i] - 1 / P[i * 4]) < 1e-6, `σ²_${i} = ${run.cov[i * 3 + i]} vs ${1 / P[i * 4]}`);
  }
  // Its KL stays strictly positive (the target is correlated): KL(q*‖π) = ½ log(Π P_ii · |Σ|).
  let logDet = Math.log(2 * (1 * 0.5 - 0.09) - 0.6 * (0.6 * 0.5 - 0.06) + 0.2 * (0.18 - 0.2));
  for (let i = 0; i < 3; i++) logDet += Math.log(P[i * 4]);
  assert.ok(Math.abs((run.steps[run.steps.length - 1].kl as number) - 0.5 * logDet) < 1e-8);
});

test('Monte Carlo ADVI (reparameterised gradients, only ∇log π) on logistic regression reaches the ELBO of FB-GVI', () => {
  const { target: lt } = syntheticLogistic({ n: 100, d: 2, seed: 3, scale: 2 });
  const h = 0.5 / (lt.smoothness as number);
  const fb = fbgvi(lt, { step: h, iterations: 150, samples: 16, recordEvery: 150 });
  const ad = advi(lt, { step: 0.02, iterations: 400, samples: 8, optimizer: 'adam', recordEvery: 400 });
  const ef = fb.steps[fb.steps.length - 1].elbo;
  const ea = ad.steps[ad.steps.length - 1].elbo;
  assert.ok(ea > ad.steps[0].elbo + 1);
  assert.ok(Math.abs(ef - ea) < 0.1, `FB-GVI ${ef} vs ADVI ${ea}`);
  assert.throws(() => advi(lt, { step: 0.1, family: 'diag' as never }), /options.family/);
});
