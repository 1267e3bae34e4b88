import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fit } from '../../kernel-lib/kde/fit.js';
import { Rng } from '../../kernel-lib/core/rng.js';
import { DimensionMismatchError, InvalidParameterError, NonFiniteError, TooFewSamplesError } from '../../kernel-lib/core/errors.js';
import { loadReference, relErr } from '../helpers/reference.js';
import { normals } from '../helpers/data.js';

const ref = loadReference();

test('matches scipy gaussian_kde: factor, kernel covariance and logpdf to 1e-9 relative (float64 path)', () => {
  for (const c of ref.scipy_gaussian_kde.cases) {
    for (const rule of ['scott', 'silverman'] as const) {
      const m = fit(c.data, { bandwidth: rule, weights: c.weights, backend: 'cpu' });
      const want = c[rule];
      assert.ok(relErr(m.bandwidth_, want.factor) < 1e-12, `${c.name} ${rule} factor`);
      const cov = (want.covariance as number[][]).flat();
      cov.forEach((v, i) => assert.ok(Math.abs(m.kernelCovariance_[i] - v) <= 1e-9 * Math.abs(v) + 1e-15, `${c.name} ${rule} cov[${i}]`));
      const lq = m.logDensity(c.query);
      (want.logpdf_query as number[]).forEach((v, i) => assert.ok(relErr(lq[i], v) < 1e-9, `${c.name} ${rule} logpdf[${i}] ${lq[i]} vs ${v}`));
      const ld = m.logDensity((c.data as number[][]).slice(0, 10));
      (want.logpdf_data_first10 as number[]).forEach((v, i) => assert.ok(relErr(ld[i], v) < 1e-9));
      if (c.weights) assert.ok(relErr(m.neff_, c.neff) < 1e-12);
    }
  }
});

test('covariance_ is the data spread the factor multiplies (not the raw n^(-1/(d+4)))', () => {
  const x = normals(400, 2, 3).data.map((v, i) => (i % 2 === 0 ? 100 * v : 0.01 * v));
  const m = fit({ data: x, shape: [400, 2] });
  assert.ok(Math.abs(m.scale_[0] / 100 - 1) < 0.15 && Math.abs(m.scale_[1] / 0.01 - 1) < 0.15);
  assert.ok(relErr(m.bandwidth_, 400 ** (-1 / 6)) < 1e-14);
  // kernel std per coordinate = factor × scale: tracks the data's units.
  assert.ok(relErr(Math.sqrt(m.kernelCovariance_[0]), m.bandwidth_ * m.scale_[0]) < 1e-12);
  // 'identity' (scikit-learn semantics) with a rule still scales by the data's spread.
  const mi = fit({ data: x, shape: [400, 2] }, { covariance: 'identity' });
  assert.ok(mi.bandwidth_ > 0.1 * 400 ** (-1 / 6), 'identity + scott must not be the bare n^(-1/(d+4))');
});

test('densities integrate to 1 (1-D quadrature), Gaussian and Epanechnikov, any covariance kind', () => {
  const x = [-1.2, -0.3, 0.1, 0.4, 2.2, 2.5, 3.1];
  for (const kernel of ['gaussian', 'epanechnikov'] as const) {
    for (const covariance of ['full', 'identity'] as const) {
      const m = fit(x, { kernel, covariance, bandwidth: 0.7 });
      const grid: number[] = [];
      const a = -12;
      const b = 14;
      const N = 20000;
      for (let i = 0; i <= N; i++) grid.push(a + ((b - a) * i) / N);
      const p = m.density(grid);
      let s = 0;
      for (let i = 0; i < N; i++) s += 0.5 * (p[i] + p[i + 1]) * ((b - a) / N);
      assert.ok(Math.abs(s - 1) < 1e-6, `${kernel} ${covariance}: ∫ = ${s}`);
    }
  }
});

test('2-D Epanechnikov normalisation (d+2)/(2V_d): grid integral ≈ 1', () => {
  const m = fit([[0, 0], [0.5, 0.2], [-0.3, 0.4]], { kernel: 'epanechnikov', covariance: 'identity', bandwidth: 1 });
  const N = 300;
  const pts: number[][] = [];
  for (let i = 0; i < N; i++) for (let j = 0; j < N; j++) pts.push([-2 + (4 * (i + 0.5)) / N, -2 + (4 * (j + 0.5)) / N]);
  const p = m.density(pts);
  let s = 0;
  for (const v of p) s += v * (4 / N) ** 2;
  assert.ok(Math.abs(s - 1) < 2e-3, `∫ = ${s}`);
});

test('logDensity is finite at d = 50 far from the data, where density underflows', () => {
  const x = normals(200, 50, 7);
  const m = fit(x, { covariance: 'identity', bandwidth: 0.15 });
  const q = normals(5, 50, 8);
  const lp = m.logDensity(q);
  const p = m.density(q);
  for (let i = 0; i < 5; i++) {
    assert.ok(Number.isFinite(lp[i]) && lp[i] < -745, `log p = ${lp[i]}`);
    assert.equal(p[i], 0);
  }
});

test('leave-one-out log-density equals a refit without the point', () => {
  const x = normals(30, 2, 11);
  const m = fit(x, { bandwidth: 0.5 });
  const loo = m.logDensityLoo();
  for (const i of [0, 13, 29]) {
    const rest = { data: new Float64Array([...x.data.slice(0, 2 * i), ...x.data.slice(2 * i + 2)]), shape: [29, 2] as [number, number] };
    // Same kernel (kernel covariance fixed): identity spread with the fitted kernel covariance's factor.
    const kc = m.kernelCovariance_;
    let s = 0;
    for (let j = 0; j < 29; j++) {
      const dx = [x.data[2 * i] - rest.data[2 * j], x.data[2 * i + 1] - rest.data[2 * j + 1]];
      const det = kc[0] * kc[3] - kc[1] * kc[2];
      const q = (kc[3] * dx[0] * dx[0] - 2 * kc[1] * dx[0] * dx[1] + kc[0] * dx[1] * dx[1]) / det;
      s += Math.exp(-q / 2) / (2 * Math.PI * Math.sqrt(det));
    }
    assert.ok(relErr(loo[i], Math.log(s / 29)) < 1e-12);
  }
});

test('sample: mean and covariance of draws match the mixture (data cov + kernel cov), both kernels', () => {
  const x = normals(50, 2, 21);
  for (const kernel of ['gaussian', 'epanechnikov'] as const) {
    const m = fit(x, { kernel, bandwidth: 0.8 });
    const N = 40000;
    const s = m.sample(N, new Rng(5));
    // Truth: mixture mean = data mean; covariance = (n−1)/n Σ + kernel covariance of one component.
    const kvar = kernel === 'gaussian' ? 1 : 1 / (2 + 4); // per-coordinate variance of the unit kernel
    for (let c = 0; c < 2; c++) {
      let mu = 0;
      for (let i = 0; i < 50; i++) mu += x.data[2 * i + c] / 50;
      let sm = 0;
      let sv = 0;
      for (let i = 0; i < N; i++) sm += s.data[2 * i + c] / N;
      for (let i = 0; i < N; i++) sv += (s.data[2 * i + c] - sm) ** 2 / N;
      const want = (49 / 50) * m.covariance_[c * 3] + kvar * m.kernelCovariance_[c * 3];
      assert.ok(Math.abs(sm - mu) < 4 * Math.sqrt(want / N), `${kernel} mean[${c}]`);
      assert.ok(Math.abs(sv / want - 1) < 0.04, `${kernel} var[${c}] ${sv} vs ${want}`);
    }
    // Seeded: same seed, same draws.
    assert.deepEqual(m.sample(3, 9).data, m.sample(3, 9).data);
  }
});

test('bad input: bandwidth, weights, singular covariance, dimension — typed errors, never NaN', () => {
  const x = normals(20, 2, 1);
  assert.throws(() => fit(x, { bandwidth: 0 }), InvalidParameterError);
  assert.throws(() => fit(x, { bandwidth: -0.5 }), InvalidParameterError);
  assert.throws(() => fit(x, { bandwidth: NaN }), NonFiniteError);
  assert.throws(() => fit(x, { bandwidth: Infinity }), NonFiniteError);
  assert.throws(() => fit(x, { bandwidth: 'wide' as 'scott' }), InvalidParameterError);
  assert.throws(() => fit(x, { weights: [1, 2] }), DimensionMismatchError);
  assert.throws(() => fit(x, { weights: new Array(20).fill(0) }), InvalidParameterError);
  assert.throws(() => fit(x, { bandwidth: 'lcv', weights: new Array(20).fill(1) }), InvalidParameterError);
  // All points equal: singular covariance → a clear error naming x, or the documented ridge.
  const same = Array.from({ length: 10 }, () => [1, 2]);
  assert.throws(() => fit(same), (e: Error) => e instanceof InvalidParameterError && /singular/.test(e.message) && /regularize/.test(e.message));
  const reg = fit(same, { regularize: 1e-6 });
  assert.ok(reg.logDensity([[1, 2]]).every(Number.isFinite));
  // d > n.
  assert.throws(() => fit(normals(3, 5, 2)), /singular \(d = 5 ≥ n = 3\)/);
  assert.ok(fit(normals(3, 5, 2), { covariance: 'identity', bandwidth: 1 }).logDensity(normals(2, 5, 3)).every(Number.isFinite));
  // One point.
  assert.throws(() => fit([[1, 2]]), TooFewSamplesError);
  const m = fit(x);
  assert.throws(() => m.logDensity([[1, 2, 3]]), DimensionMismatchError);
  assert.throws(() => m.logDensity([[1, NaN]]), NonFiniteError);
  assert.throws(() => m.sample(-1), InvalidParameterError);
});

test('gpu.js path: logDensity agrees with float64 within the kernel-sums tolerance', () => {
  const x = normals(1200, 3, 41);
  const q = normals(50, 3, 42);
  const a = fit(x, { backend: 'cpu' }).logDensity(q);
  const b = fit(x, { backend: 'gpu' }).logDensity(q);
  for (let i = 0; i < 50; i++) assert.ok(Math.abs(a[i] - b[i]) < 2e-5 * Math.max(1, Math.abs(a[i])));
});
