import { test } from 'node:test';
import assert from 'node:assert/strict';
import { entropy } from '../../kernel-lib/knn/entropy.js';
import { gaussianEntropy } from '../../kernel-lib/gaussian/closed-form.js';
import { sampleGaussian, isotropic } from '../../kernel-lib/gaussian/sample.js';
import { DuplicatePointsError, InvalidParameterError, TooFewSamplesError } from '../../kernel-lib/core/errors.js';
import { loadReference, relErr } from '../helpers/reference.js';
import { affine, normals, permuteRows } from '../helpers/data.js';

const ref = loadReference();

for (const c of ref.entropy_kozachenko_leonenko.cases) {
  test(`Kozachenko–Leonenko matches the reference to 1e-9 (${c.name}, ψ(n) and log(n−1) forms)`, () => {
    for (const k of [1, 3, 5]) {
      assert.ok(relErr(entropy(c.data, { k, backend: 'cpu' }).value, c.estimates[k].psi) < 1e-9, `psi k=${k}`);
      assert.ok(relErr(entropy(c.data, { k, backend: 'cpu', form: 'log' }).value, c.estimates[k].log_nm1) < 1e-9, `log k=${k}`);
    }
  });
}

test('entropy of Gaussians is within 4 MC standard deviations of the closed form', () => {
  // Reference spread of the k=5 estimator at n=1000, d=1 and 2 (30 seeds): sd ≈ 0.029–0.032 nats.
  for (const c of ref.kl_wkv_and_renyi_ps.cases.slice(0, 2)) {
    const spread = c.mc_spread_30_seeds.kl_entropy_P_k5_psi;
    const truth = c.mc_spread_30_seeds.truths.entropy_P;
    const est = entropy(sampleGaussian(c.P, 1000, 11), { k: 5, backend: 'cpu' }).value;
    assert.ok(Math.abs(est - truth) < Math.abs(spread.mean - truth) + 4 * spread.sd, `${c.name}: ${est} vs ${truth}`);
  }
  // A larger sample in 3-D: the estimator is consistent.
  const p = isotropic([0, 0, 0], 2);
  const est = entropy(sampleGaussian(p, 20000, 5), { k: 4 }).value;
  assert.ok(Math.abs(est - gaussianEntropy(p.cov, 3)) < 0.05, `${est}`);
});

test('bits: base 2 divides by ln 2; max-norm uses log 2^d', () => {
  const x = normals(500, 2, 1);
  const nats = entropy(x, { k: 3 });
  const bits = entropy(x, { k: 3, base: 2 });
  assert.equal(bits.unit, 'bit');
  assert.ok(Math.abs(bits.value - nats.value / Math.LN2) < 1e-12);
  const mx = entropy(x, { k: 3, metric: 'max' });
  assert.ok(Math.abs(mx.value - nats.value) < 0.15, 'both norms estimate the same entropy');
  assert.notEqual(mx.value, nats.value);
});

test('properties: permutation invariance and H(Ax + b) = H(x) + log|det A|', () => {
  const x = normals(1500, 2, 3);
  const h = entropy(x, { k: 3 }).value;
  assert.ok(Math.abs(entropy(permuteRows(x, 4), { k: 3 }).value - h) < 1e-12);
  // x ↦ c x + b scales every distance by c, so Ĥ shifts by exactly d log c (the estimator is
  // equivariant under similarity maps; general affine maps change it only statistically).
  const s = affine(x, [3, 0, 0, 3], [5, -1]);
  assert.ok(Math.abs(entropy(s, { k: 3 }).value - (h + 2 * Math.log(3))) < 1e-9);
});

test('per-sample terms average to the value and give a standard error', () => {
  const e = entropy(normals(400, 2, 8), { k: 3 });
  assert.ok(e.terms && e.terms.length === 400);
  assert.ok(Math.abs(e.terms.reduce((a, b) => a + b, 0) / 400 - e.value) < 1e-12);
  assert.ok(e.stderr !== undefined && e.stderr > 0 && e.stderr < 0.2);
});

test('bad input: k, too few samples, duplicates', () => {
  const x = normals(10, 2, 1);
  assert.throws(() => entropy(x, { k: 2.5 }), (e: unknown) => e instanceof InvalidParameterError && e.argument === 'options.k');
  assert.throws(() => entropy(x, { k: 0 }), InvalidParameterError);
  assert.throws(() => entropy(x, { k: 10 }), (e: unknown) => e instanceof TooFewSamplesError && e.argument === 'x');
  const dup = [[0, 0], [0, 0], [1, 1], [2, 0], [0, 3], [0, 0]];
  assert.throws(() => entropy(dup, { k: 2 }), (e: unknown) => e instanceof DuplicatePointsError && /jitter/.test(e.message));
  const j = entropy(dup, { k: 2, duplicates: 'jitter' });
  assert.ok(Number.isFinite(j.value));
});
