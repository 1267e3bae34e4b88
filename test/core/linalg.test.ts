import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cholesky, inverseSpd, matmul, matmulInto, symmetricProductABt } from '../../kernel-lib/core/linalg.js';
import { Rng } from '../../kernel-lib/core/rng.js';

/** Reference C = A B by the textbook triple loop with a compensated-free inner product. */
function naive(a: Float64Array, b: Float64Array, r: number, s: number, t: number): Float64Array {
  const c = new Float64Array(r * t);
  for (let i = 0; i < r; i++) {
    for (let j = 0; j < t; j++) {
      let v = 0;
      for (let k = 0; k < s; k++) v += a[i * s + k] * b[k * t + j];
      c[i * t + j] = v;
    }
  }
  return c;
}

function maxRelDiff(x: Float64Array, y: Float64Array): number {
  let scale = 0;
  let diff = 0;
  for (let i = 0; i < x.length; i++) {
    scale = Math.max(scale, Math.abs(y[i]));
    diff = Math.max(diff, Math.abs(x[i] - y[i]));
  }
  return diff / scale;
}

test('matmulInto equals the triple loop for every remainder of the 4-row and 2-k blocking', () => {
  const rng = new Rng(3);
  for (const [r, s, t] of [[1, 1, 1], [2, 3, 1], [3, 5, 4], [4, 4, 4], [5, 2, 7], [6, 7, 3], [7, 9, 2], [9, 1, 5], [17, 13, 11]]) {
    const a = rng.normals(r * s);
    const b = rng.normals(s * t);
    // Garbage in the output buffer must be overwritten, not accumulated into.
    const out = Float64Array.from({ length: r * t }, () => 1e300);
    matmulInto(a, b, r, s, t, out);
    assert.ok(maxRelDiff(out, naive(a, b, r, s, t)) < 1e-14, `${r}×${s}·${s}×${t}`);
    assert.ok(maxRelDiff(out, matmul(a, b, r, s, t)) < 1e-14);
  }
});

test('matmulInto with integer entries is exact (no reassociation error possible below 2^53)', () => {
  const r = 6, s = 5, t = 7;
  const a = Float64Array.from({ length: r * s }, (_, i) => (i % 7) - 3);
  const b = Float64Array.from({ length: s * t }, (_, i) => (i % 5) - 2);
  assert.deepEqual(Array.from(matmulInto(a, b, r, s, t, new Float64Array(r * t))), Array.from(naive(a, b, r, s, t)));
});

test('symmetricProductABt: M Σ Mᵀ via (MΣ)Mᵀ is exactly symmetric and matches the full product (odd and even sizes)', () => {
  const rng = new Rng(5);
  for (const d of [1, 2, 3, 6, 9, 30]) {
    const m = rng.normals(d * d);
    const g = rng.normals(d * d);
    // Σ = G Gᵀ + I, symmetric positive definite
    const sigma = new Float64Array(d * d);
    for (let i = 0; i < d; i++) {
      for (let j = 0; j < d; j++) {
        let v = i === j ? 1 : 0;
        for (let k = 0; k < d; k++) v += g[i * d + k] * g[j * d + k];
        sigma[i * d + j] = v;
      }
    }
    const ms = naive(m, sigma, d, d, d);
    const mt = new Float64Array(d * d);
    for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) mt[i * d + j] = m[j * d + i];
    const full = naive(ms, mt, d, d, d);
    const out = symmetricProductABt(ms, m, d, d, new Float64Array(d * d));
    assert.ok(maxRelDiff(out, full) < 1e-13, `d = ${d}: ${maxRelDiff(out, full)}`);
    for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) assert.equal(out[i * d + j], out[j * d + i]);
  }
});

test('symmetricProductABt with A = B rectangular gives the Gram matrix A Aᵀ (diagonal = squared row norms)', () => {
  const rng = new Rng(8);
  const r = 7, s = 4;
  const a = rng.normals(r * s);
  const out = symmetricProductABt(a, a, r, s, new Float64Array(r * r));
  for (let i = 0; i < r; i++) {
    let n2 = 0;
    for (let k = 0; k < s; k++) n2 += a[i * s + k] ** 2;
    assert.ok(Math.abs(out[i * r + i] - n2) <= 1e-14 * n2);
  }
  // rank ≤ s: a vector orthogonal to the rows' span... check via A Aᵀ x = A (Aᵀ x) on a random x
  const x = rng.normals(r);
  const atx = new Float64Array(s);
  for (let k = 0; k < s; k++) for (let i = 0; i < r; i++) atx[k] += a[i * s + k] * x[i];
  for (let i = 0; i < r; i++) {
    let lhs = 0;
    let rhs = 0;
    for (let j = 0; j < r; j++) lhs += out[i * r + j] * x[j];
    for (let k = 0; k < s; k++) rhs += a[i * s + k] * atx[k];
    assert.ok(Math.abs(lhs - rhs) < 1e-12 * (1 + Math.abs(rhs)));
  }
});

test('inverseSpd: A A⁻¹ = I, and bit-for-bit the column-by-column Cholesky substitution', () => {
  const rng = new Rng(12);
  for (const d of [1, 2, 5, 24]) {
    const g = rng.normals(d * d);
    const a = new Float64Array(d * d);
    for (let i = 0; i < d; i++) {
      for (let j = 0; j < d; j++) {
        let v = i === j ? 0.1 : 0;
        for (let k = 0; k < d; k++) v += g[i * d + k] * g[j * d + k];
        a[i * d + j] = v;
      }
    }
    const inv = inverseSpd(a, d);
    // column-by-column forward and back substitution (the textbook loop)
    const l = cholesky(a, d);
    const ref = new Float64Array(d * d);
    const y = new Float64Array(d);
    for (let c = 0; c < d; c++) {
      for (let i = 0; i < d; i++) {
        let s = i === c ? 1 : 0;
        for (let k = 0; k < i; k++) s -= l[i * d + k] * y[k];
        y[i] = s / l[i * d + i];
      }
      for (let i = d - 1; i >= 0; i--) {
        let s = y[i];
        for (let k = i + 1; k < d; k++) s -= l[k * d + i] * ref[k * d + c];
        ref[i * d + c] = s / l[i * d + i];
      }
    }
    assert.deepEqual(Array.from(inv), Array.from(ref));
    const prod = matmul(a, inv, d, d, d);
    for (let i = 0; i < d; i++) prod[i * d + i] -= 1;
    const worst = prod.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
    assert.ok(worst < 1e-9, `A A⁻¹ − I at d = ${d}: ${worst}`);
  }
  assert.throws(() => inverseSpd([1, 2, 2, 1], 2, 'S'), /S/);
});
