import { test } from 'node:test';
import assert from 'node:assert/strict';
import { jkoEntropyStep } from '../../kernel-lib/vi/jko-entropy.js';
import { illConditionedCov } from '../../kernel-lib/vi/target.js';
import { eigh, sqrtm } from '../../kernel-lib/core/eigh.js';
import { matmul } from '../../kernel-lib/core/linalg.js';
import { InvalidParameterError } from '../../kernel-lib/core/errors.js';
import { Rng } from '../../kernel-lib/core/rng.js';

/** −½ log det Σ' + B²(Σ, Σ')/(2h): the JKO objective over centred Gaussians (entropy up to a constant). */
function jkoObjective(cov: Float64Array, next: Float64Array, d: number, h: number): number {
  const e = eigh(next, d);
  let logDet = 0;
  for (const l of e.values) logDet += Math.log(l);
  const r = sqrtm(cov, d);
  const inner = sqrtm(matmul(matmul(r, next, d, d, d), r, d, d, d), d);
  let b2 = 0;
  for (let i = 0; i < d; i++) b2 += cov[i * d + i] + next[i * d + i] - 2 * inner[i * d + i];
  return -0.5 * logDet + b2 / (2 * h);
}

test('entropy JKO step: per eigenvalue λ′ = ½(λ + 2h + √(λ(λ + 4h))) on a diagonal covariance', () => {
  const h = 0.3;
  const lam = [1e-6, 0.5, 2, 100];
  const cov = new Float64Array(16);
  lam.forEach((l, i) => (cov[i * 5] = l));
  const out = jkoEntropyStep(cov, 4, h).cov;
  lam.forEach((l, i) => {
    const want = 0.5 * (l + 2 * h + Math.sqrt(l * (l + 4 * h)));
    assert.ok(Math.abs(out[i * 5] - want) / want < 1e-14, `${out[i * 5]} vs ${want}`);
  });
});

test('entropy JKO step is the minimiser of H(q) + W₂²(q, p)/(2h) over Gaussians (random perturbations never do better)', () => {
  const d = 3;
  const h = 0.2;
  const cov = illConditionedCov(d, 0.05, 4, 3);
  const best = jkoEntropyStep(cov, d, h).cov;
  const f0 = jkoObjective(cov, best, d, h);
  const rng = new Rng(9);
  for (let t = 0; t < 40; t++) {
    const a = rng.normals(d * d);
    const pert = new Float64Array(d * d);
    const eps = 0.05 * (1 + (t % 4));
    for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) pert[i * d + j] = best[i * d + j] + eps * 0.5 * (a[i * d + j] + a[j * d + i]) * 0.1;
    if (eigh(pert, d).values[0] <= 0) continue;
    assert.ok(jkoObjective(cov, pert, d, h) > f0, `perturbation ${t} lowered the objective`);
  }
  // And the first-order condition of the derivation: with M = Σ′^{1/2}-map, λμ² − λμ − h = 0 per eigenvalue.
  const e = eigh(cov, d);
  const eb = eigh(best, d);
  for (let k = 0; k < d; k++) {
    const mu = Math.sqrt(eb.values[k] / e.values[k]);
    assert.ok(Math.abs(e.values[k] * mu * mu - e.values[k] * mu - h) < 1e-12);
  }
});

test('entropy JKO step maps a singular Σ (h = 1/L in the forward step) to one with eigenvalues ≥ h, and rejects indefinite input', () => {
  const v = [0.6, 0.8];
  const cov = Float64Array.from([v[0] * v[0], v[0] * v[1], v[1] * v[0], v[1] * v[1]]);
  const out = jkoEntropyStep(cov, 2, 0.1).cov;
  const ev = eigh(out, 2).values;
  // A round-off eigenvalue δ ~ 1e-17 of the singular input moves λ′ by √(hδ) ~ 1e-9: the square root is not Lipschitz at 0.
  assert.ok(ev[0] >= 0.1 - 1e-15 && ev[0] - 0.1 < 1e-7, `${ev[0]}`);
  assert.throws(() => jkoEntropyStep([1, 0, 0, -0.5], 2, 0.1), InvalidParameterError);
  assert.throws(() => jkoEntropyStep([1], 1, 0), InvalidParameterError);
});
