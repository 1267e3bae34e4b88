import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gaussianEntropy, gaussianKl, gaussianMutualInfo, gaussianRenyi } from '../../kernel-lib/gaussian/closed-form.js';
import { sampleGaussian } from '../../kernel-lib/gaussian/sample.js';
import { InvalidParameterError } from '../../kernel-lib/core/errors.js';
import { loadReference, relErr } from '../helpers/reference.js';

const ref = loadReference();

test('closed forms agree with the reference truths (scipy)', () => {
  for (const c of ref.entropy_kozachenko_leonenko.cases) assert.ok(relErr(gaussianEntropy(c.cov, c.d), c.truth) < 1e-12);
  for (const c of ref.kl_wkv_and_renyi_ps.cases) assert.ok(relErr(gaussianKl(c.P, c.Q), c.truth_kl) < 1e-12);
  for (const c of ref.mi_ksg.cases) {
    if (c.rho === 0) continue;
    assert.ok(relErr(gaussianMutualInfo([1, c.rho, c.rho, 1], 1, 1), c.truth) < 1e-12);
  }
});

test('Rényi tends to KL as α → 1 and is non-decreasing in α', () => {
  const P = { mean: [0, 1], cov: [2, 0.3, 0.3, 1] };
  const Q = { mean: [1, 0], cov: [1, 0, 0, 3] };
  assert.ok(Math.abs(gaussianRenyi(P, Q, 1 + 1e-6) - gaussianKl(P, Q)) < 1e-5);
  let prev = -Infinity;
  for (const a of [0.1, 0.5, 0.9, 1.2, 1.5]) {
    const v = gaussianRenyi(P, Q, a);
    assert.ok(v >= prev);
    prev = v;
  }
});

test('sampler reproduces mean and covariance; bad covariance is rejected', () => {
  const s = sampleGaussian({ mean: [1, -2], cov: [[2, 0.6], [0.6, 1]] }, 50000, 1);
  let m0 = 0, m1 = 0, c01 = 0;
  for (let i = 0; i < s.rows; i++) {
    m0 += s.data[2 * i];
    m1 += s.data[2 * i + 1];
  }
  m0 /= s.rows;
  m1 /= s.rows;
  for (let i = 0; i < s.rows; i++) c01 += (s.data[2 * i] - m0) * (s.data[2 * i + 1] - m1);
  c01 /= s.rows - 1;
  assert.ok(Math.abs(m0 - 1) < 0.02 && Math.abs(m1 + 2) < 0.02 && Math.abs(c01 - 0.6) < 0.03);
  assert.throws(() => sampleGaussian({ mean: [0, 0], cov: [1, 2, 2, 1] }, 10), InvalidParameterError);
});
