import { test } from 'node:test';
import assert from 'node:assert/strict';
import { eigh, invSqrtm, sqrtm, applySpectral, invSpdEig } from '../../kernel-lib/core/eigh.js';
import { matmul, randomOrthogonal } from '../../kernel-lib/core/linalg.js';
import { InvalidParameterError, NonFiniteError } from '../../kernel-lib/core/errors.js';

/** Q diag(lambda) Qᵀ with exactly known eigenvalues. */
function withSpectrum(lambda: number[], seed: number): Float64Array {
  const d = lambda.length;
  const q = randomOrthogonal(d, seed);
  const out = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    for (let j = 0; j < d; j++) {
      let s = 0;
      for (let k = 0; k < d; k++) s += q[i * d + k] * lambda[k] * q[j * d + k];
      out[i * d + j] = s;
    }
  }
  for (let i = 0; i < d; i++) for (let j = i + 1; j < d; j++) out[j * d + i] = out[i * d + j];
  return out;
}

function frob(a: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * a[i];
  return Math.sqrt(s);
}

function diff(a: ArrayLike<number>, b: ArrayLike<number>): Float64Array {
  return Float64Array.from(a, (v, i) => v - b[i]);
}

const geometric = (d: number, cond: number) => Array.from({ length: d }, (_, i) => cond ** (i / (d - 1)));

test('eigh of a 2×2 matrix: eigenvalues 1 and 3, eigenvectors (1, ∓1)/√2', () => {
  const e = eigh([2, 1, 1, 2], 2);
  assert.ok(Math.abs(e.values[0] - 1) < 1e-15 && Math.abs(e.values[1] - 3) < 1e-15);
  assert.ok(Math.abs(Math.abs(e.vectors[0]) - Math.SQRT1_2) < 1e-15);
  assert.ok(Math.abs(e.vectors[0] + e.vectors[2]) < 1e-15, 'first eigenvector ∝ (1, −1)');
});

for (const method of ['jacobi', 'ql'] as const) {
  test(`eigh (${method}) reconstructs A, V is orthogonal, eigenvalues match to high relative accuracy at condition number 1e6 (d = 30)`, () => {
    const d = 30;
    const lambda = geometric(d, 1e6);
    const a = withSpectrum(lambda, 11);
    const e = eigh(a, d, 'a', method);
    for (let k = 0; k < d; k++) {
      assert.ok(Math.abs(e.values[k] - lambda[k]) / lambda[k] < 1e-8, `λ_${k}: ${e.values[k]} vs ${lambda[k]}`);
    }
    const rec = applySpectral(e, (l) => l);
    assert.ok(frob(diff(rec, a)) / frob(a) < 1e-13, `V Λ Vᵀ = A (${frob(diff(rec, a)) / frob(a)})`);
    const vtv = matmul(transpose(e.vectors, d), e.vectors, d, d, d);
    for (let i = 0; i < d; i++) vtv[i * d + i] -= 1;
    assert.ok(frob(vtv) < 1e-12, `VᵀV = I (${frob(vtv)})`);
  });

  test(`eigh (${method}) handles a diagonal matrix, repeated eigenvalues and d = 1`, () => {
    const e = eigh([3, 0, 0, 0, 1, 0, 0, 0, 3], 3, 'a', method);
    assert.deepEqual(Array.from(e.values), [1, 3, 3]);
    const one = eigh([-2], 1, 'a', method);
    assert.equal(one.values[0], -2);
    assert.equal(Math.abs(one.vectors[0]), 1);
  });
}

test('sqrtm(A)² = A and A^{-1/2} A A^{-1/2} = I at condition number 1e6', () => {
  const d = 20;
  const a = withSpectrum(geometric(d, 1e6), 5);
  const r = sqrtm(a, d);
  assert.ok(frob(diff(matmul(r, r, d, d, d), a)) / frob(a) < 1e-13);
  const ir = invSqrtm(a, d);
  const w = matmul(matmul(ir, a, d, d, d), ir, d, d, d);
  for (let i = 0; i < d; i++) w[i * d + i] -= 1;
  assert.ok(frob(w) < 1e-8, `‖A^{-1/2} A A^{-1/2} − I‖ = ${frob(w)}`);
  const inv = invSpdEig(a, d);
  const p = matmul(inv, a, d, d, d);
  for (let i = 0; i < d; i++) p[i * d + i] -= 1;
  assert.ok(frob(p) < 1e-8);
});

test('sqrtm of a diagonal matrix with tiny and huge entries is exact elementwise', () => {
  const a = [1e-6, 0, 0, 0, 1, 0, 0, 0, 1e6];
  const r = sqrtm(a, 3);
  assert.ok(Math.abs(r[0] - 1e-3) / 1e-3 < 1e-15 && Math.abs(r[4] - 1) < 1e-15 && Math.abs(r[8] - 1e3) / 1e3 < 1e-15);
});

test('sqrtm clamps round-off negative eigenvalues of a singular PSD matrix and rejects indefinite ones', () => {
  // Rank-one vvᵀ: eigenvalues 0, 0, ‖v‖²; round-off may make the zeros slightly negative.
  const v = [1 / 3, 2 / 3, 0.7];
  const a = new Float64Array(9);
  for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) a[i * 3 + j] = v[i] * v[j];
  const r = sqrtm(a, 3);
  const rr = matmul(r, r, 3, 3, 3);
  assert.ok(frob(diff(rr, a)) < 1e-14);
  for (const x of r) assert.ok(Number.isFinite(x));
  assert.throws(() => sqrtm([1, 0, 0, -1], 2), InvalidParameterError);
  assert.throws(() => invSqrtm([1, 0, 0, 0], 2), InvalidParameterError);
});

test('eigh validates its input', () => {
  assert.throws(() => eigh([1, 2, 3, 4], 2), (e: Error) => e instanceof InvalidParameterError && /not symmetric/.test(e.message));
  assert.throws(() => eigh([1, NaN, NaN, 1], 2), NonFiniteError);
  assert.throws(() => eigh([1, 2, 3], 2), InvalidParameterError);
});

test('eigh at d = 100: Jacobi converges in ≤ 12 sweeps; Jacobi and QL agree and reconstruct to 1e-13', () => {
  const d = 100;
  const a = withSpectrum(geometric(d, 1e3), 3);
  const j = eigh(a, d, 'a', 'jacobi');
  const q = eigh(a, d); // default above d = 16: QL
  assert.ok(j.sweeps <= 12, `sweeps ${j.sweeps}`);
  for (const e of [j, q]) assert.ok(frob(diff(applySpectral(e, (l) => l), a)) / frob(a) < 1e-13);
  for (let k = 0; k < d; k++) assert.ok(Math.abs(j.values[k] - q.values[k]) < 1e-12 * 1e3);
  assert.throws(() => eigh([1], 1, 'a', 'lanczos' as never), InvalidParameterError);
});

function transpose(a: Float64Array, d: number): Float64Array {
  const t = new Float64Array(d * d);
  for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) t[j * d + i] = a[i * d + j];
  return t;
}

test('eigh (ql) at odd d = 41 with a cluster of equal eigenvalues and condition number 1e6: eigenvalues, V Λ Vᵀ = A, VᵀV = I', () => {
  const d = 41;
  // geometric spectrum in [1e-6, 1] with eight copies of 1e-3 (exercises the blocked rotation
  // application on d mod 4 = 1 rows and deflation inside a cluster)
  const lambda = geometric(d, 1e6).map((v, i) => (i >= 10 && i < 18 ? 1e3 : v) / 1e6);
  const a = withSpectrum(lambda, 23);
  const e = eigh(a, d, 'a', 'ql');
  const sorted = [...lambda].sort((x, y) => x - y);
  for (let k = 0; k < d; k++) {
    // backward stability: |λ̂ − λ| ≤ c d ε ‖A‖ with ‖A‖ = 1
    assert.ok(Math.abs(e.values[k] - sorted[k]) < 1e-13, `λ_${k}: ${e.values[k]} vs ${sorted[k]}`);
  }
  const rec = applySpectral(e, (l) => l);
  assert.ok(frob(diff(rec, a)) / frob(a) < 1e-13, `V Λ Vᵀ = A (${frob(diff(rec, a)) / frob(a)})`);
  const vtv = matmul(transpose(e.vectors, d), e.vectors, d, d, d);
  for (let i = 0; i < d; i++) vtv[i * d + i] -= 1;
  assert.ok(frob(vtv) < 1e-12, `VᵀV = I (${frob(vtv)})`);
  // each column is an eigenvector: ‖A v − λ v‖ ≤ 1e-13 ‖A‖
  const av = matmul(a, e.vectors, d, d, d);
  for (let k = 0; k < d; k++) {
    let r2 = 0;
    for (let i = 0; i < d; i++) r2 += (av[i * d + k] - e.values[k] * e.vectors[i * d + k]) ** 2;
    assert.ok(Math.sqrt(r2) < 1e-13, `residual of eigenpair ${k}: ${Math.sqrt(r2)}`);
  }
});
