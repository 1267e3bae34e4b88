import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cauchySchwarz } from '../../kernel-lib/kernel/cauchy-schwarz.js';
import { gaussianCauchySchwarz } from '../../kernel-lib/kernel/closed-form.js';
import { sampleGaussian } from '../../kernel-lib/gaussian/sample.js';
import { DimensionMismatchError, TooFewSamplesError } from '../../kernel-lib/core/errors.js';
import { normals } from '../helpers/data.js';
import { fdGrad } from '../helpers/finite-differences.js';

test('closed form between Gaussians: equal covariances give δᵀ(2Σ)⁻¹δ, identical Gaussians 0', () => {
  const P = { mean: [0, 0], cov: [[1, 0.3], [0.3, 2]] };
  const Q = { mean: [1, -1], cov: [[1, 0.3], [0.3, 2]] };
  // (2Σ)^{-1} for Σ = [[1, .3], [.3, 2]]: det Σ = 1.91
  const d = [1, -1];
  const inv = [[2 / 1.91, -0.3 / 1.91], [-0.3 / 1.91, 1 / 1.91]];
  const quad = 0.5 * (d[0] * (inv[0][0] * d[0] + inv[0][1] * d[1]) + d[1] * (inv[1][0] * d[0] + inv[1][1] * d[1]));
  assert.ok(Math.abs(gaussianCauchySchwarz(P, Q) - quad) < 1e-13);
  assert.ok(Math.abs(gaussianCauchySchwarz(P, P)) < 1e-13);
  // 1-D, equal means, variances 1 and 4: −2 log N(0;0,5) + log N(0;0,2) + log N(0;0,8) = log(25/16)/2
  assert.ok(Math.abs(gaussianCauchySchwarz({ mean: [0], cov: [[1]] }, { mean: [0], cov: [[4]] }) - 0.5 * Math.log(25 / 16)) < 1e-14);
});

test('Parzen estimate converges to the closed form of the σ-smoothed Gaussians', () => {
  const P = { mean: [0, 0], cov: [[1, 0], [0, 1]] };
  const Q = { mean: [1.5, 0], cov: [[2, 0], [0, 0.5]] };
  // One estimate at n = m = 1000 scatters by ≈ 6% of the truth (measured over seeds): average 6 draws.
  for (const sigma of [0.3, 1]) {
    const truth = gaussianCauchySchwarz(P, Q, sigma);
    const est: number[] = [];
    for (let s = 0; s < 6; s++) {
      const e = cauchySchwarz(sampleGaussian(P, 1000, 100 + 2 * s), sampleGaussian(Q, 1000, 101 + 2 * s), { bandwidth: sigma, backend: 'cpu' });
      assert.equal(e.unit, 'nat');
      est.push(e.value);
    }
    const mean = est.reduce((a, b) => a + b, 0) / est.length;
    assert.ok(Math.abs(mean - truth) < 0.06 * truth, `σ = ${sigma}: ${mean} vs ${truth} (${est.map((v) => v.toFixed(3)).join(', ')})`);
  }
  const same = cauchySchwarz(sampleGaussian(P, 1500, 3), sampleGaussian(P, 1500, 4), { bandwidth: 0.5 });
  assert.ok(same.value < 0.01, `${same.value}`);
});

test('far-apart samples stay finite (log-space kernel sums), and the value matches the direct formula', () => {
  const x = normals(40, 2, 5);
  const y = { data: normals(30, 2, 6).data.map((v) => v + 40), rows: 30, cols: 2 };
  const sigma = 0.5;
  const e = cauchySchwarz(x, y, { bandwidth: sigma, backend: 'cpu' });
  assert.ok(Number.isFinite(e.value) && e.value > 100);
  // direct: log-sum-exp of −‖a − b‖²/(4σ²) over each pair set
  const lse = (A: Float64Array, na: number, Bm: Float64Array, nb: number) => {
    const t: number[] = [];
    for (let i = 0; i < na; i++) for (let j = 0; j < nb; j++) t.push(-(((A[2 * i] - Bm[2 * j]) ** 2 + (A[2 * i + 1] - Bm[2 * j + 1]) ** 2) / (4 * sigma * sigma)));
    const mx = Math.max(...t);
    return mx + Math.log(t.reduce((s, v) => s + Math.exp(v - mx), 0));
  };
  const direct = -2 * (lse(x.data, 40, y.data, 30) - Math.log(1200)) + (lse(x.data, 40, x.data, 40) - 2 * Math.log(40)) + (lse(y.data, 30, y.data, 30) - 2 * Math.log(30));
  assert.ok(Math.abs(e.value - direct) < 1e-9 * direct, `${e.value} vs ${direct}`);
  assert.ok(Math.abs(cauchySchwarz(x, y, { bandwidth: sigma, base: 2 }).value * Math.LN2 - e.value) < 1e-9 * e.value);
});

test('bandwidth rules and the gpu.js path', () => {
  const x = normals(80, 2, 9), y = normals(70, 2, 10);
  const scott = cauchySchwarz(x, y);
  assert.equal(scott.params.bandwidth, 'scott');
  const med = cauchySchwarz(x, y, { bandwidth: 'median' });
  assert.ok((med.extra!.sigma as number) > (scott.extra!.sigma as number));
  const gpu = cauchySchwarz(x, y, { backend: 'gpu' });
  assert.equal(gpu.backend, 'gpu');
  assert.ok(Math.abs(gpu.value - scott.value) < 1e-4, `${gpu.value} vs ${scott.value}`);
  assert.throws(() => cauchySchwarz(x, normals(5, 3, 1)), DimensionMismatchError);
  assert.throws(() => cauchySchwarz([[0, 0]], y), TooFewSamplesError);
});

test('gradients with respect to both samples match finite differences (nats and bits)', () => {
  const x = normals(8, 3, 31), y = normals(6, 3, 32);
  for (let i = 0; i < y.data.length; i += 3) y.data[i] += 1;
  for (const base of [Math.E, 2]) {
    for (const sigma of [0.4, 1.3]) {
      const r = cauchySchwarz(x, y, { bandwidth: sigma, base, grad: true, backend: 'cpu' });
      const val = () => cauchySchwarz(x, y, { bandwidth: sigma, base, backend: 'cpu' }).value;
      const gx = fdGrad(x, val), gy = fdGrad(y, val);
      const scale = Math.max(...Array.from(gx, Math.abs), ...Array.from(gy, Math.abs));
      for (let k = 0; k < gx.length; k++) assert.ok(Math.abs((r.gradX as Float64Array)[k] - gx[k]) < 1e-6 * scale, `x ${k}: ${r.gradX?.[k]} vs ${gx[k]}`);
      for (let k = 0; k < gy.length; k++) assert.ok(Math.abs((r.gradY as Float64Array)[k] - gy[k]) < 1e-6 * scale, `y ${k}: ${r.gradY?.[k]} vs ${gy[k]}`);
    }
  }
  assert.equal(cauchySchwarz(x, y, { bandwidth: 1 }).gradY, null);
});

test('gradients: translation invariance, far-apart samples finite and pulling together, and the closed-form ∂D_CS/∂μ_P', () => {
  const x = normals(30, 2, 33);
  const y = { data: normals(25, 2, 34).data.map((v) => v + 40), rows: 25, cols: 2 };
  const r = cauchySchwarz(x, y, { bandwidth: 0.5, grad: true, backend: 'cpu' });
  const gx = r.gradX as Float64Array, gy = r.gradY as Float64Array;
  for (let c = 0; c < 2; c++) {
    let sx = 0, sy = 0;
    for (let p = 0; p < 30; p++) sx += gx[p * 2 + c];
    for (let q = 0; q < 25; q++) sy += gy[q * 2 + c];
    assert.ok(Number.isFinite(sx) && Number.isFinite(sy));
    assert.ok(Math.abs(sx + sy) < 1e-10 * Math.abs(sx), `coordinate ${c}: ${sx} + ${sy}`);
    assert.ok(sx < 0 && sy > 0, 'x is pulled towards y (+40) and y towards x');
  }
  // Σ_p ∂D/∂x_p estimates ∂/∂μ_P of D_CS(P∗N(0,σ²), Q∗N(0,σ²)) (closed form, differentiated numerically)
  const P = { mean: [0.7, 0], cov: [[1, 0], [0, 1]] };
  const Q = { mean: [0, 0.3], cov: [[2, 0], [0, 0.5]] };
  const sigma = 0.6, e = 1e-6;
  const truth = (gaussianCauchySchwarz({ ...P, mean: [0.7 + e, 0] }, Q, sigma) - gaussianCauchySchwarz({ ...P, mean: [0.7 - e, 0] }, Q, sigma)) / (2 * e);
  const est: number[] = [];
  for (let s = 0; s < 6; s++) {
    const rr = cauchySchwarz(sampleGaussian(P, 800, 400 + 2 * s), sampleGaussian(Q, 800, 401 + 2 * s), { bandwidth: sigma, grad: true, backend: 'cpu' });
    let t = 0;
    for (let p = 0; p < 800; p++) t += (rr.gradX as Float64Array)[p * 2];
    est.push(t);
  }
  const mean = est.reduce((a, b) => a + b, 0) / est.length;
  assert.ok(Math.abs(mean - truth) < 0.1 * Math.abs(truth), `${mean} vs ${truth} (${est.map((v) => v.toFixed(4)).join(', ')})`);
  // gpu.js path
  const g = cauchySchwarz(x, y, { bandwidth: 0.5, grad: true, backend: 'gpu' });
  const scale = Math.max(...Array.from(gx, Math.abs));
  for (let k = 0; k < gx.length; k++) assert.ok(Math.abs(gx[k] - (g.gradX as Float64Array)[k]) < 1e-3 * scale, `gpu x ${k}: ${gx[k]} vs ${g.gradX?.[k]}`);
});
