import { test } from 'node:test';
import assert from 'node:assert/strict';
import { kl } from '../../kernel-lib/knn/kl.js';
import { gaussianKl } from '../../kernel-lib/gaussian/closed-form.js';
import { sampleGaussian } from '../../kernel-lib/gaussian/sample.js';
import { DimensionMismatchError, DuplicatePointsError, TooFewSamplesError } from '../../kernel-lib/core/errors.js';
import { loadReference, relErr } from '../helpers/reference.js';
import { affine, normals, permuteRows } from '../helpers/data.js';

const ref = loadReference();

for (const c of ref.kl_wkv_and_renyi_ps.cases) {
  test(`Wang–Kulkarni–Verdú KL matches the reference to 1e-9 (${c.name})`, () => {
    for (const k of [1, 3, 5]) {
      const e = kl(c.x, c.y, { k, backend: 'cpu' });
      assert.ok(relErr(e.value, c.wkv_kl_estimates[k]) < 1e-9, `k=${k}: ${e.value} vs ${c.wkv_kl_estimates[k]}`);
      assert.deepEqual([e.n, e.m, e.d, e.unit, e.estimator], [c.n, c.m, c.d, 'nat', 'wang-kulkarni-verdu']);
    }
  });

  test(`KL on fresh Gaussian samples is within the reference MC spread of the truth (${c.name})`, () => {
    const s = c.mc_spread_30_seeds.wkv_kl_k5;
    const truth = c.mc_spread_30_seeds.truths.kl;
    assert.ok(Math.abs(gaussianKl(c.P, c.Q) - truth) < 1e-12, 'closed form agrees with the reference truth');
    const est = kl(sampleGaussian(c.P, c.n, 21), sampleGaussian(c.Q, c.m, 22), { k: 5 }).value;
    assert.ok(Math.abs(est - truth) < Math.abs(s.mean - truth) + 4 * s.sd, `${est} vs ${truth} (sd ${s.sd})`);
  });
}

test('KL(P‖P) ≈ 0 and the estimator follows the asymmetry KL(P‖Q) < KL(Q‖P)', () => {
  const a = normals(3000, 2, 1);
  const b = normals(3000, 2, 2);
  assert.ok(Math.abs(kl(a, b, { k: 5 }).value) < 0.06);
  const P = { mean: [0], cov: [1] };
  const Q = { mean: [0], cov: [4] };
  const x = sampleGaussian(P, 5000, 3);
  const y = sampleGaussian(Q, 5000, 4);
  assert.ok(Math.abs(kl(x, y, { k: 5 }).value - gaussianKl(P, Q)) < 0.06);
  // KL(Q‖P) = 0.807 converges slowly (Q's tails fall where P has few points) — the estimate is
  // biased low at n = 5000 (≈ 0.56) but clearly on the other side of KL(P‖Q) = 0.318.
  assert.ok(gaussianKl(Q, P) > 2 * gaussianKl(P, Q));
  assert.ok(kl(y, x, { k: 5 }).value > kl(x, y, { k: 5 }).value + 0.15);
});

test('invariance: permutations, and a shared invertible affine map (exact for similarities)', () => {
  const x = normals(1200, 3, 5);
  const y = affine(normals(1500, 3, 6), [1.5, 0, 0, 0, 1, 0, 0, 0, 0.7], [0.5, 0, 0]);
  const base = kl(x, y, { k: 4 }).value;
  assert.ok(Math.abs(kl(permuteRows(x, 1), permuteRows(y, 2), { k: 4 }).value - base) < 1e-12);
  // A rotation-and-scale map preserves distance ratios: the estimate is unchanged up to round-off.
  const c = Math.cos(0.7), s = Math.sin(0.7);
  const R = [2 * c, -2 * s, 0, 2 * s, 2 * c, 0, 0, 0, 2];
  assert.ok(Math.abs(kl(affine(x, R, [3, 1, -2]), affine(y, R, [3, 1, -2]), { k: 4 }).value - base) < 1e-9);
  // A general invertible affine map leaves the divergence (and so the estimate, statistically) unchanged.
  const A = [1, 0.8, 0, 0, 1, 0.3, 0.2, 0, 3];
  const moved = kl(affine(x, A, [0, 0, 0]), affine(y, A, [0, 0, 0]), { k: 4 }).value;
  assert.ok(Math.abs(moved - base) < 0.12, `${moved} vs ${base}`);
});

test('bits and the estimate object', () => {
  const x = normals(300, 1, 1);
  const y = normals(300, 1, 2).data.map((v) => v + 1);
  const nats = kl(x, y);
  const bits = kl(x, y, { base: 2 });
  assert.ok(Math.abs(bits.value * Math.LN2 - nats.value) < 1e-12);
  assert.equal(nats.params.k, 5);
  assert.equal(nats.terms?.length, 300);
});

test('bad input: dimension mismatch, too few y points for k, duplicates across samples', () => {
  assert.throws(() => kl(normals(20, 2, 1), normals(20, 3, 2)), (e: unknown) => e instanceof DimensionMismatchError && e.argument === 'y');
  assert.throws(() => kl(normals(20, 2, 1), normals(3, 2, 2), { k: 5 }), (e: unknown) => e instanceof TooFewSamplesError && e.argument === 'y');
  const x = [[0], [1], [2], [3], [4]];
  const y = [[0], [0], [5], [6]];
  assert.throws(() => kl(x, y, { k: 2 }), (e: unknown) => e instanceof DuplicatePointsError && e.argument === 'y');
  assert.ok(Number.isFinite(kl(x, y, { k: 2, duplicates: 'jitter' }).value));
});
