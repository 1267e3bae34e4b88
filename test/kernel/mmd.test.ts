import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mmd } from '../../kernel-lib/kernel/mmd.js';
import { gaussianMmd2 } from '../../kernel-lib/kernel/closed-form.js';
import { sampleGaussian } from '../../kernel-lib/gaussian/sample.js';
import { DimensionMismatchError, InvalidParameterError, TooFewSamplesError } from '../../kernel-lib/core/errors.js';
import { normals } from '../helpers/data.js';
import { fdGrad } from '../helpers/finite-differences.js';

function bruteMmd(x: number[][], y: number[][], h: number): { u: number; b: number } {
  const k = (a: number[], c: number[]) => Math.exp(-a.reduce((s, v, i) => s + (v - c[i]) ** 2, 0) / (2 * h * h));
  const n = x.length, m = y.length;
  let xx = 0, yy = 0, xy = 0, xxd = 0, yyd = 0;
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) { xx += k(x[i], x[j]); if (i === j) xxd += 1; }
  for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) { yy += k(y[i], y[j]); if (i === j) yyd += 1; }
  for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) xy += k(x[i], y[j]);
  return { b: xx / n ** 2 + yy / m ** 2 - (2 * xy) / (n * m), u: (xx - xxd) / (n * (n - 1)) + (yy - yyd) / (m * (m - 1)) - (2 * xy) / (n * m) };
}

const rows = (M: { data: Float64Array; rows: number; cols: number }) => Array.from({ length: M.rows }, (_, i) => Array.from(M.data.subarray(i * M.cols, (i + 1) * M.cols)));

test('MMD² (unbiased and biased) equals the double sums of Gretton et al. eqs. (3), (5)', () => {
  const x = rows(normals(30, 2, 1)), y = rows(normals(40, 2, 2)).map((r) => [r[0] + 0.5, r[1]]);
  for (const h of [0.3, 1, 4]) {
    const r = mmd(x, y, { bandwidth: h, permutations: 0, backend: 'cpu' });
    const b = bruteMmd(x, y, h);
    assert.ok(Math.abs(r.mmd2Unbiased - b.u) < 1e-14 && Math.abs(r.mmd2Biased - b.b) < 1e-14, `h=${h}`);
    assert.equal(r.value, r.mmd2Unbiased);
    assert.equal(mmd(x, y, { bandwidth: h, permutations: 0, unbiased: false }).value, r.mmd2Biased);
  }
});

test('MMD²_u is within its sampling spread of the closed-form population MMD² between Gaussians', () => {
  const P = { mean: [0, 0], cov: [[1, 0], [0, 1]] };
  const Q = { mean: [1, 0], cov: [[2, 0], [0, 0.5]] };
  const truth = gaussianMmd2(P, Q, 1);
  const est: number[] = [];
  for (let s = 0; s < 4; s++) est.push(mmd(sampleGaussian(P, 800, 10 + s), sampleGaussian(Q, 800, 20 + s), { bandwidth: 1, permutations: 0 }).value);
  const mean = est.reduce((a, b) => a + b, 0) / est.length;
  assert.ok(truth > 0.05, `truth ${truth}`);
  assert.ok(Math.abs(mean - truth) < 0.1 * truth, `mean ${mean} vs ${truth} (${est.join(', ')})`);
  // Identical distributions: population MMD² = 0 and the unbiased estimate scatters around 0.
  assert.equal(gaussianMmd2(P, P, 1), 0);
  const same = mmd(sampleGaussian(P, 800, 3), sampleGaussian(P, 800, 4), { bandwidth: 1, permutations: 0 }).value;
  assert.ok(Math.abs(same) < 0.01, `${same}`);
});

test('permutation test: p-values are calibrated under the null (≈ uniform over repeated draws) and small under an alternative', () => {
  const R = 300, B = 99;
  const ps: number[] = [];
  for (let r = 0; r < R; r++) {
    const x = normals(20, 1, 1000 + r), y = normals(20, 1, 5000 + r);
    ps.push(mmd(x, y, { permutations: B, seed: r }).pValue);
  }
  ps.sort((a, b) => a - b);
  // Kolmogorov–Smirnov distance to U(0, 1); the 1% critical value at R = 300 is 1.63/√300 = 0.094.
  let ks = 0;
  for (let i = 0; i < R; i++) ks = Math.max(ks, Math.abs(ps[i] - (i + 1) / R), Math.abs(ps[i] - i / R));
  assert.ok(ks < 0.094, `KS distance ${ks}`);
  const rej = ps.filter((p) => p <= 0.05).length / R;
  assert.ok(rej > 0.01 && rej < 0.1, `rejection rate at 5%: ${rej}`);
  const alt = mmd(normals(50, 1, 1), normals(50, 1, 2).data.map((v) => v + 1), { permutations: 199 });
  assert.ok(alt.pValue <= 0.01, `p = ${alt.pValue}`);
  assert.ok(alt.pValue >= 1 / 200);
});

test('bandwidth: median heuristic by default, KDE rules by name; gpu.js kernel sums agree with float64', () => {
  const x = normals(60, 3, 7), y = normals(50, 3, 8);
  const r = mmd(x, y, { permutations: 0 });
  // brute-force median of the pooled pairwise distances
  const z = [...rows(x), ...rows(y)];
  const ds: number[] = [];
  for (let i = 0; i < z.length; i++) for (let j = i + 1; j < z.length; j++) ds.push(Math.hypot(...z[i].map((v, k) => v - z[j][k])));
  ds.sort((a, b) => a - b);
  const med = ds.length % 2 ? ds[(ds.length - 1) / 2] : (ds[ds.length / 2 - 1] + ds[ds.length / 2]) / 2;
  assert.ok(Math.abs(r.bandwidth - med) < 1e-15);
  const s = mmd(x, y, { permutations: 0, bandwidth: 'scott' });
  assert.ok(s.bandwidth > 0 && s.bandwidth !== r.bandwidth);
  const g = mmd(x, y, { permutations: 0, backend: 'gpu' });
  assert.equal(g.backend, 'gpu');
  assert.ok(Math.abs(g.mmd2Biased - r.mmd2Biased) < 1e-5, `${g.mmd2Biased} vs ${r.mmd2Biased}`);
});

test('bad input: typed errors naming the argument', () => {
  assert.throws(() => mmd(normals(10, 2, 1), normals(10, 3, 2)), (e: unknown) => e instanceof DimensionMismatchError && e.argument === 'y');
  assert.throws(() => mmd(normals(1, 2, 1), normals(10, 2, 2)), (e: unknown) => e instanceof TooFewSamplesError && e.argument === 'x');
  assert.throws(() => mmd(normals(10, 2, 1), normals(10, 2, 2), { bandwidth: -1 }), (e: unknown) => e instanceof InvalidParameterError && e.argument === 'options.bandwidth');
  assert.throws(() => mmd(normals(10, 2, 1), normals(10, 2, 2), { permutations: 1.5 }), (e: unknown) => e instanceof InvalidParameterError && e.argument === 'options.permutations');
  assert.throws(() => mmd([[0], [0], [0]], [[0], [0], [1]]), (e: unknown) => e instanceof InvalidParameterError && /median/.test((e as Error).message));
});

test('gradients of MMD²_u and MMD²_b with respect to both samples match finite differences', () => {
  const x = normals(9, 2, 21), y = normals(7, 2, 22);
  for (let i = 0; i < y.data.length; i += 2) y.data[i] += 0.7;
  for (const unbiased of [true, false]) {
    for (const h of [0.5, 1.5]) {
      const r = mmd(x, y, { bandwidth: h, permutations: 0, unbiased, grad: true, backend: 'cpu' });
      const val = () => mmd(x, y, { bandwidth: h, permutations: 0, unbiased, backend: 'cpu' }).value;
      const gx = fdGrad(x, val), gy = fdGrad(y, val);
      const scale = Math.max(...Array.from(gx, Math.abs), ...Array.from(gy, Math.abs));
      for (let k = 0; k < gx.length; k++) assert.ok(Math.abs((r.gradX as Float64Array)[k] - gx[k]) < 1e-7 * scale, `x ${k}: ${r.gradX?.[k]} vs ${gx[k]}`);
      for (let k = 0; k < gy.length; k++) assert.ok(Math.abs((r.gradY as Float64Array)[k] - gy[k]) < 1e-7 * scale, `y ${k}: ${r.gradY?.[k]} vs ${gy[k]}`);
    }
  }
  assert.equal(mmd(x, y, { bandwidth: 1, permutations: 0 }).gradX, null);
});

test('MMD² gradients: translating both samples changes nothing (Σ ∂/∂x + Σ ∂/∂y = 0), and the sum over x is ∂/∂μ_P of the population MMD²', () => {
  const x = normals(40, 3, 23), y = normals(30, 3, 24);
  const r = mmd(x, y, { bandwidth: 1.2, permutations: 0, grad: true, backend: 'cpu' });
  const gx = r.gradX as Float64Array, gy = r.gradY as Float64Array;
  for (let c = 0; c < 3; c++) {
    let s = 0, mag = 0;
    for (let p = 0; p < 40; p++) { s += gx[p * 3 + c]; mag += Math.abs(gx[p * 3 + c]); }
    for (let q = 0; q < 30; q++) { s += gy[q * 3 + c]; mag += Math.abs(gy[q * 3 + c]); }
    assert.ok(Math.abs(s) < 1e-14 * Math.max(1, mag), `coordinate ${c}: ${s}`);
  }
  // Σ_p ∂MMD²_u/∂x_p is the derivative under translating P's sample, an unbiased estimate of ∂MMD²/∂μ_P.
  const P = { mean: [0.8, 0], cov: [[1, 0], [0, 1]] };
  const Q = { mean: [0, 0], cov: [[1, 0.5], [0.5, 2]] };
  const h = 1;
  const e = 1e-6;
  const truth = (gaussianMmd2({ ...P, mean: [0.8 + e, 0] }, Q, h) - gaussianMmd2({ ...P, mean: [0.8 - e, 0] }, Q, h)) / (2 * e);
  const est: number[] = [];
  for (let s = 0; s < 6; s++) {
    const rr = mmd(sampleGaussian(P, 600, 300 + 2 * s), sampleGaussian(Q, 600, 301 + 2 * s), { bandwidth: h, permutations: 0, grad: true, backend: 'cpu' });
    let t = 0;
    for (let p = 0; p < 600; p++) t += (rr.gradX as Float64Array)[p * 2];
    est.push(t);
  }
  const mean = est.reduce((a, b) => a + b, 0) / est.length;
  assert.ok(Math.abs(mean - truth) < 0.1 * Math.abs(truth), `${mean} vs ${truth} (${est.map((v) => v.toFixed(4)).join(', ')})`);
});

test('MMD² gradient flow: x following −∂MMD²/∂x moves onto y; the gpu.js path gives the same gradients within tolerance', () => {
  const y = normals(50, 2, 25);
  const x = normals(50, 2, 26);
  for (let i = 0; i < x.data.length; i += 2) x.data[i] += 2;
  const h = 1;
  const start = mmd(x, y, { bandwidth: h, permutations: 0 }).value;
  let prev = start;
  for (let it = 0; it < 60; it++) {
    const r = mmd(x, y, { bandwidth: h, permutations: 0, grad: true, backend: 'cpu' });
    for (let k = 0; k < x.data.length; k++) x.data[k] -= 20 * (r.gradX as Float64Array)[k];
    const v = mmd(x, y, { bandwidth: h, permutations: 0 }).value;
    assert.ok(v < prev + 1e-12, `step ${it}: ${v} after ${prev}`);
    prev = v;
  }
  assert.ok(prev < 0.05 * start, `${prev} vs start ${start}`);
  const c = mmd(x, y, { bandwidth: h, permutations: 0, grad: true, backend: 'cpu' });
  const g = mmd(x, y, { bandwidth: h, permutations: 0, grad: true, backend: 'gpu' });
  const scale = Math.max(...Array.from(c.gradX as Float64Array, Math.abs));
  for (let k = 0; k < x.data.length; k++) {
    assert.ok(Math.abs((c.gradX as Float64Array)[k] - (g.gradX as Float64Array)[k]) < 1e-3 * scale, `x ${k}`);
    assert.ok(Math.abs((c.gradY as Float64Array)[k] - (g.gradY as Float64Array)[k]) < 1e-3 * scale, `y ${k}`);
  }
});
