import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renyi, logBiasConstant } from '../../kernel-lib/knn/renyi.js';
import { gaussianRenyi } from '../../kernel-lib/gaussian/closed-form.js';
import { sampleGaussian } from '../../kernel-lib/gaussian/sample.js';
import { InvalidParameterError } from '../../kernel-lib/core/errors.js';
import { loadReference, relErr } from '../helpers/reference.js';
import { affine, normals, permuteRows } from '../helpers/data.js';

const ref = loadReference();

for (const c of ref.kl_wkv_and_renyi_ps.cases) {
  test(`Póczos–Schneider Rényi matches the reference to 1e-9 (${c.name})`, () => {
    for (const r of c.renyi_poczos_schneider) {
      assert.ok(relErr(Math.exp(logBiasConstant(r.k, r.alpha)), r.B_k_alpha) < 1e-12, 'B_{k,α}');
      const e = renyi(c.x, c.y, { alpha: r.alpha, k: r.k, backend: 'cpu' });
      assert.ok(relErr(e.value, r.renyi_hat) < 1e-9, `α=${r.alpha} k=${r.k}: ${e.value} vs ${r.renyi_hat}`);
      assert.ok(relErr(e.extra?.integral as number, r.D_alpha_hat) < 1e-9);
      assert.ok(relErr(gaussianRenyi(c.P, c.Q, r.alpha), r.truth_renyi) < 1e-10, 'closed form');
    }
  });

  test(`Rényi on fresh samples lies within the reference MC spread (${c.name})`, () => {
    const x = sampleGaussian(c.P, c.n, 31);
    const y = sampleGaussian(c.Q, c.m, 32);
    for (const a of [0.5, 0.8, 1.5]) {
      const s = c.mc_spread_30_seeds[`ps_renyi_a${a}_k5`];
      const truth = c.mc_spread_30_seeds.truths[`renyi_a${a}`];
      const est = renyi(x, y, { alpha: a, k: 5 }).value;
      assert.ok(Math.abs(est - truth) < Math.abs(s.mean - truth) + 4 * s.sd, `α=${a}: ${est} vs ${truth}`);
    }
  });
}

test('D_α(P‖P) ≈ 0, permutation and similarity invariance', () => {
  const x = normals(2000, 2, 1);
  const y = normals(2000, 2, 2);
  assert.ok(Math.abs(renyi(x, y, { alpha: 0.7, k: 5 }).value) < 0.05);
  const base = renyi(x, affine(y, [1, 0, 0, 2], [1, 0]), { alpha: 1.3, k: 5 }).value;
  assert.ok(Math.abs(renyi(permuteRows(x, 3), permuteRows(affine(y, [1, 0, 0, 2], [1, 0]), 4), { alpha: 1.3, k: 5 }).value - base) < 1e-12);
  const S = [0, 3, -3, 0];
  assert.ok(Math.abs(renyi(affine(x, S, [2, 2]), affine(affine(y, [1, 0, 0, 2], [1, 0]), S, [2, 2]), { alpha: 1.3, k: 5 }).value - base) < 1e-9);
});

test('bad input: α = 1, α ≤ 0, k ≤ |α − 1|', () => {
  const x = normals(50, 1, 1);
  assert.throws(() => renyi(x, x, { alpha: 1 }), (e: unknown) => e instanceof InvalidParameterError && e.argument === 'options.alpha');
  assert.throws(() => renyi(x, x, { alpha: -0.5 }), InvalidParameterError);
  assert.throws(() => renyi(x, x, { alpha: 3, k: 2 }), (e: unknown) => e instanceof InvalidParameterError && e.argument === 'options.k');
});
