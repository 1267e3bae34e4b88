import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../kernel-lib/core/rng.js';
import { gemm, gemmBackend, gemmNN, gemmNT, gemmTN, setGemmBackend } from '../../kernel-lib/autodiff/gemm.js';
import { wasmSimdAvailable } from '../../kernel-lib/autodiff/gemm-wasm.js';

function naive(A: Float64Array, ai: number, ap: number, B: Float64Array, bp: number, bj: number, n: number, m: number, K: number): Float64Array {
  const C = new Float64Array(n * m);
  for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) {
    let s = 0;
    for (let p = 0; p < K; p++) s += A[i * ai + p * ap] * B[p * bp + j * bj];
    C[i * m + j] = s;
  }
  return C;
}

function close(a: Float64Array, b: Float64Array, tol = 1e-12): void {
  assert.equal(a.length, b.length);
  for (let i = 0; i < a.length; i++) assert.ok(Math.abs(a[i] - b[i]) <= tol * (1 + Math.abs(b[i])), `entry ${i}: ${a[i]} vs ${b[i]}`);
}

// shapes with ragged edges (not multiples of the 4×4 block) and the exact block case
const shapes: [number, number, number][] = [[1, 1, 1], [3, 5, 2], [4, 4, 4], [7, 9, 6], [8, 3, 13], [17, 33, 5]];

const backends: ('js' | 'wasm')[] = ['js', ...(wasmSimdAvailable() ? ['wasm' as const] : [])];

for (const b of backends) test(`${b}: gemmNN, gemmNT, gemmTN equal the naive triple loop on ragged shapes`, () => {
  setGemmBackend(b);
  assert.equal(gemmBackend(), b);
  const rng = new Rng(1);
  for (const [n, K, m] of shapes) {
    const A = rng.normals(n * K), B = rng.normals(K * m), Bt = rng.normals(m * K), At = rng.normals(K * n);
    const C = new Float64Array(n * m);
    gemmNN(A, B, C, n, K, m);
    close(C, naive(A, K, 1, B, m, 1, n, m, K));
    gemmNT(A, Bt, C, n, K, m);
    close(C, naive(A, K, 1, Bt, 1, K, n, m, K));
    gemmTN(At, B, C, n, K, m);
    close(C, naive(At, 1, n, B, m, 1, n, m, K));
    gemm(A, K, 1, B, m, 1, C, n, m, K, false);
    close(C, naive(A, K, 1, B, m, 1, n, m, K));
  }
  setGemmBackend('auto');
});

for (const b of backends) test(`${b}: accumulate adds to C instead of overwriting it`, () => {
  setGemmBackend(b);
  const rng = new Rng(2);
  const [n, K, m] = [6, 5, 7];
  const A = rng.normals(n * K), B = rng.normals(K * m);
  const C0 = rng.normals(n * m);
  const C = Float64Array.from(C0);
  gemmNN(A, B, C, n, K, m, true);
  const P = naive(A, K, 1, B, m, 1, n, m, K);
  close(C, P.map((v, i) => v + C0[i]));
  setGemmBackend('auto');
});

test('the WebAssembly and JavaScript kernels give bit-identical products (same summation order)', (t) => {
  if (backends.length < 2) { t.skip('WebAssembly SIMD unavailable'); return; }
  const rng = new Rng(4);
  for (const [n, K, m] of [[64, 20, 256], [64, 256, 32], [13, 40, 9]]) {
    const A = rng.normals(n * K), B = rng.normals(K * m), Bt = rng.normals(m * K), C0 = rng.normals(n * m);
    const out: Float64Array[] = [];
    for (const b of backends) {
      setGemmBackend(b);
      const C = Float64Array.from(C0);
      gemmNN(A, B, C, n, K, m, true);
      gemmNT(A, Bt, C, n, K, m, true);
      out.push(C);
    }
    assert.deepEqual(Array.from(out[0]), Array.from(out[1]));
  }
  setGemmBackend('auto');
  assert.throws(() => setGemmBackend('gpu' as never), { name: 'InvalidParameterError' });
});

test('a product with an identity matrix returns the input exactly', () => {
  const rng = new Rng(3);
  const n = 9, K = 8;
  const A = rng.normals(n * K);
  const I = new Float64Array(K * K);
  for (let i = 0; i < K; i++) I[i * K + i] = 1;
  const C = new Float64Array(n * K);
  gemmNN(A, I, C, n, K, K);
  assert.deepEqual(Array.from(C), Array.from(A));
});
