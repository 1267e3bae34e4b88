import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mutualInfo } from '../../kernel-lib/knn/mutual-info.js';
import { gaussianMutualInfo } from '../../kernel-lib/gaussian/closed-form.js';
import { sampleGaussian } from '../../kernel-lib/gaussian/sample.js';
import { hstack } from '../../kernel-lib/core/matrix.js';
import { DimensionMismatchError, InvalidParameterError } from '../../kernel-lib/core/errors.js';
import { Rng } from '../../kernel-lib/core/rng.js';
import { loadReference, relErr } from '../helpers/reference.js';
import { columns, permuteRows } from '../helpers/data.js';

const ref = loadReference();

for (const c of ref.mi_ksg.cases) {
  test(`KSG-1 matches the reference to 1e-9 (${c.name}: raw k=1,3,5 and standardised k=3)`, () => {
    for (const k of [1, 3, 5]) {
      const v = mutualInfo(c.x, c.y, { k, backend: 'cpu' }).value;
      assert.ok(relErr(v, c.ksg1_raw_noiseless_unclipped_by_k[k]) < 1e-9, `k=${k}: ${v}`);
    }
    const s = mutualInfo(c.x, c.y, { k: 3, standardize: true, backend: 'cpu' }).value;
    assert.ok(relErr(s, c.ksg1_k3_standardized_noiseless_unclipped) < 1e-9);
    // scikit-learn = standardise + 1e-10 noise + clip; the noise is below every distance here,
    // so the clipped value with our own noise stream matches sklearn's to 1e-9 as well.
    const sk = mutualInfo(c.x, c.y, { k: 3, standardize: true, noise: 1e-10, clip: true }).value;
    assert.ok(relErr(sk, c.sklearn_mutual_info_regression.value) < 1e-9, `sklearn ${sk} vs ${c.sklearn_mutual_info_regression.value}`);
  });
}

function correlated(rho: number, n: number, seed: number, dims = 1) {
  const d = 2 * dims;
  const cov = new Float64Array(d * d);
  for (let i = 0; i < d; i++) cov[i * d + i] = 1;
  for (let i = 0; i < dims; i++) {
    cov[i * d + dims + i] = rho;
    cov[(dims + i) * d + i] = rho;
  }
  const z = sampleGaussian({ mean: new Float64Array(d), cov }, n, seed);
  return { x: columns(z, 0, dims), y: columns(z, dims, d), truth: gaussianMutualInfo(cov, dims, dims) };
}

test('both KSG variants approach the MI of correlated Gaussians', () => {
  for (const rho of [0.3, 0.6, 0.9]) {
    const { x, y, truth } = correlated(rho, 4000, 7);
    assert.ok(Math.abs(truth + 0.5 * Math.log(1 - rho * rho)) < 1e-12);
    for (const variant of [1, 2] as const) {
      const v = mutualInfo(x, y, { k: 3, variant }).value;
      assert.ok(Math.abs(v - truth) < 0.05, `ρ=${rho} variant ${variant}: ${v} vs ${truth}`);
    }
  }
});

test('MI ≥ 0 in expectation: independent samples average ≈ 0, and clip makes single values ≥ 0', () => {
  let s = 0;
  let anyNegative = false;
  const T = 20;
  for (let t = 0; t < T; t++) {
    const r = new Rng(100 + t);
    const x = r.normals(500);
    const y = r.normals(500);
    const v = mutualInfo(x, y, { k: 3 }).value;
    anyNegative ||= v < 0;
    s += v;
    assert.ok(mutualInfo(x, y, { k: 3, clip: true }).value >= 0);
  }
  assert.ok(s / T > -0.005 && s / T < 0.025, `mean ${s / T} (KSG's small positive bias at n = 500)`);
  assert.ok(anyNegative, 'unclipped KSG does go negative on some independent samples (it is not clipped silently)');
});

test('additivity under independence: I((X1,X2);(Y1,Y2)) = I(X1;Y1) + I(X2;Y2)', () => {
  const a = correlated(0.6, 3000, 1);
  const b = correlated(0.8, 3000, 2);
  const joint = mutualInfo(hstack(a.x, b.x), hstack(a.y, b.y), { k: 5 }).value;
  const parts = mutualInfo(a.x, a.y, { k: 5 }).value + mutualInfo(b.x, b.y, { k: 5 }).value;
  assert.ok(Math.abs(joint - (a.truth + b.truth)) < 0.1, `${joint} vs ${a.truth + b.truth}`);
  assert.ok(Math.abs(joint - parts) < 0.1, `${joint} vs ${parts}`);
});

test('data processing: adding noise to Y lowers the estimate; permuting pairs jointly does not change it', () => {
  const { x, y } = correlated(0.9, 3000, 3);
  const r = new Rng(5);
  const noisy = y.data.map((v) => v + 2 * r.normal());
  const full = mutualInfo(x, y).value;
  assert.ok(mutualInfo(x, noisy).value < full - 0.3);
  const xy = permuteRows(hstack(x, y), 9);
  assert.ok(Math.abs(mutualInfo(columns(xy, 0, 1), columns(xy, 1, 2)).value - full) < 1e-12);
});

test('bad input: unpaired samples, variant, noise', () => {
  assert.throws(() => mutualInfo([1, 2, 3, 4, 5], [1, 2, 3, 4]), (e: unknown) => e instanceof DimensionMismatchError && e.argument === 'y');
  assert.throws(() => mutualInfo([1, 2, 3, 4, 5], [1, 2, 3, 4, 5], { variant: 3 as never }), InvalidParameterError);
  assert.throws(() => mutualInfo([1, 2, 3, 4, 5], [1, 2, 3, 4, 5], { noise: -1 }), InvalidParameterError);
});

test('duplicates: KSG counts are defined with ties (ε may be 0) and stay finite', () => {
  const x = [0, 0, 0, 1, 1, 2, 2, 2, 3, 4];
  const y = [0, 0, 1, 1, 1, 2, 2, 3, 3, 4];
  const v = mutualInfo(x, y, { k: 2 }).value;
  assert.ok(Number.isFinite(v));
});
