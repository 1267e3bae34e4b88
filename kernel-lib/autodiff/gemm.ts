import { InvalidParameterError } from '../core/errors.js';
import { wasmGemm, wasmView } from './gemm-wasm.js';

/**
 * Dense float64 matrix products over row-major typed arrays, the kernels under the differentiation
 * core's `matmul` (forward) and its two gradient products.
 *
 * Three kernels, C (+)= A·B, A·Bᵀ and Aᵀ·B, each specialised for its strides (a general strided
 * kernel measured 20–30 % slower: V8 does not fold the stride variables). C is computed in 4×4
 * register blocks: the inner loop over p loads four values of A and four of B and does sixteen
 * multiply-adds into locals, with no stores (the register blocking of BLAS micro-kernels; Goto &
 * van de Geijn 2008, ACM TOMS 34(3), §4). Measured in V8 here (64×256 times 256×256, idle
 * machine): 4.5 GFLOP/s, against 1.4 for the naive i-k-j loop and 3.4 for an i-k-j loop over four
 * rows at once; float32 typed arrays were slower (2.7: V8 computes in float64 and converts on every
 * load).
 *
 * Where WebAssembly SIMD is available (Node ≥ 16.4, current browsers) the same 4×4 blocks run in a
 * small f64x2 WebAssembly kernel instead (gemm-wasm.ts), ≈ 2.4× faster than the JavaScript one on
 * the benchmark's products; the summation order is the same (p = 0, 1, …, K−1, no fused
 * multiply-add), so both paths return bit-identical results (tested). `setGemmBackend` picks one
 * explicitly. Results are plain float64 sums (no compensation: training products, not estimates).
 */

/** One scalar dot product C[i·m + j] (+)= Σ_p A[i·ai + p·ap]·B[p·bp + j·bj] (the ragged edge of the blocks). */
function edge(A: Float64Array, ai: number, ap: number, B: Float64Array, bp: number, bj: number,
  C: Float64Array, m: number, K: number, accumulate: boolean, i: number, j: number): void {
  let s = 0;
  for (let p = 0; p < K; p++) s += A[i * ai + p * ap] * B[p * bp + j * bj];
  const o = i * m + j;
  C[o] = accumulate ? C[o] + s : s;
}

/** C (+)= A·B with A n×K, B K×m (row-major), C n×m. */
function gemmNNJs(A: Float64Array, B: Float64Array, C: Float64Array, n: number, K: number, m: number, accumulate: boolean): void {
  const n4 = n - (n % 4);
  const m4 = m - (m % 4);
  for (let i = 0; i < n4; i += 4) {
    const a0 = i * K;
    const a1 = a0 + K;
    const a2 = a1 + K;
    const a3 = a2 + K;
    for (let j = 0; j < m4; j += 4) {
      const b0 = j;
      const b1 = j + 1;
      const b2 = j + 2;
      const b3 = j + 3;
      let c00 = 0, c01 = 0, c02 = 0, c03 = 0;
      let c10 = 0, c11 = 0, c12 = 0, c13 = 0;
      let c20 = 0, c21 = 0, c22 = 0, c23 = 0;
      let c30 = 0, c31 = 0, c32 = 0, c33 = 0;
      for (let p = 0, pa = 0, pb = 0; p < K; p++, pa += 1, pb += m) {
        const x0 = A[a0 + pa];
        const x1 = A[a1 + pa];
        const x2 = A[a2 + pa];
        const x3 = A[a3 + pa];
        const y0 = B[b0 + pb];
        const y1 = B[b1 + pb];
        const y2 = B[b2 + pb];
        const y3 = B[b3 + pb];
        c00 += x0 * y0; c01 += x0 * y1; c02 += x0 * y2; c03 += x0 * y3;
        c10 += x1 * y0; c11 += x1 * y1; c12 += x1 * y2; c13 += x1 * y3;
        c20 += x2 * y0; c21 += x2 * y1; c22 += x2 * y2; c23 += x2 * y3;
        c30 += x3 * y0; c31 += x3 * y1; c32 += x3 * y2; c33 += x3 * y3;
      }
      let o = i * m + j;
      if (accumulate) {
        C[o] += c00; C[o + 1] += c01; C[o + 2] += c02; C[o + 3] += c03; o += m;
        C[o] += c10; C[o + 1] += c11; C[o + 2] += c12; C[o + 3] += c13; o += m;
        C[o] += c20; C[o + 1] += c21; C[o + 2] += c22; C[o + 3] += c23; o += m;
        C[o] += c30; C[o + 1] += c31; C[o + 2] += c32; C[o + 3] += c33;
      } else {
        C[o] = c00; C[o + 1] = c01; C[o + 2] = c02; C[o + 3] = c03; o += m;
        C[o] = c10; C[o + 1] = c11; C[o + 2] = c12; C[o + 3] = c13; o += m;
        C[o] = c20; C[o + 1] = c21; C[o + 2] = c22; C[o + 3] = c23; o += m;
        C[o] = c30; C[o + 1] = c31; C[o + 2] = c32; C[o + 3] = c33;
      }
    }
    for (let j = m4; j < m; j++) for (let i2 = i; i2 < i + 4; i2++) edge(A, K, 1, B, m, 1, C, m, K, accumulate, i2, j);
  }
  for (let i2 = n4; i2 < n; i2++) for (let j = 0; j < m; j++) edge(A, K, 1, B, m, 1, C, m, K, accumulate, i2, j);
}

/** C (+)= A·Bᵀ with A n×K, B m×K (row-major), C n×m. */
function gemmNTJs(A: Float64Array, B: Float64Array, C: Float64Array, n: number, K: number, m: number, accumulate: boolean): void {
  const n4 = n - (n % 4);
  const m4 = m - (m % 4);
  for (let i = 0; i < n4; i += 4) {
    const a0 = i * K;
    const a1 = a0 + K;
    const a2 = a1 + K;
    const a3 = a2 + K;
    for (let j = 0; j < m4; j += 4) {
      const b0 = j * K;
      const b1 = b0 + K;
      const b2 = b1 + K;
      const b3 = b2 + K;
      let c00 = 0, c01 = 0, c02 = 0, c03 = 0;
      let c10 = 0, c11 = 0, c12 = 0, c13 = 0;
      let c20 = 0, c21 = 0, c22 = 0, c23 = 0;
      let c30 = 0, c31 = 0, c32 = 0, c33 = 0;
      for (let p = 0, pa = 0, pb = 0; p < K; p++, pa += 1, pb += 1) {
        const x0 = A[a0 + pa];
        const x1 = A[a1 + pa];
        const x2 = A[a2 + pa];
        const x3 = A[a3 + pa];
        const y0 = B[b0 + pb];
        const y1 = B[b1 + pb];
        const y2 = B[b2 + pb];
        const y3 = B[b3 + pb];
        c00 += x0 * y0; c01 += x0 * y1; c02 += x0 * y2; c03 += x0 * y3;
        c10 += x1 * y0; c11 += x1 * y1; c12 += x1 * y2; c13 += x1 * y3;
        c20 += x2 * y0; c21 += x2 * y1; c22 += x2 * y2; c23 += x2 * y3;
        c30 += x3 * y0; c31 += x3 * y1; c32 += x3 * y2; c33 += x3 * y3;
      }
      let o = i * m + j;
      if (accumulate) {
        C[o] += c00; C[o + 1] += c01; C[o + 2] += c02; C[o + 3] += c03; o += m;
        C[o] += c10; C[o + 1] += c11; C[o + 2] += c12; C[o + 3] += c13; o += m;
        C[o] += c20; C[o + 1] += c21; C[o + 2] += c22; C[o + 3] += c23; o += m;
        C[o] += c30; C[o + 1] += c31; C[o + 2] += c32; C[o + 3] += c33;
      } else {
        C[o] = c00; C[o + 1] = c01; C[o + 2] = c02; C[o + 3] = c03; o += m;
        C[o] = c10; C[o + 1] = c11; C[o + 2] = c12; C[o + 3] = c13; o += m;
        C[o] = c20; C[o + 1] = c21; C[o + 2] = c22; C[o + 3] = c23; o += m;
        C[o] = c30; C[o + 1] = c31; C[o + 2] = c32; C[o + 3] = c33;
      }
    }
    for (let j = m4; j < m; j++) for (let i2 = i; i2 < i + 4; i2++) edge(A, K, 1, B, 1, K, C, m, K, accumulate, i2, j);
  }
  for (let i2 = n4; i2 < n; i2++) for (let j = 0; j < m; j++) edge(A, K, 1, B, 1, K, C, m, K, accumulate, i2, j);
}

/** C (+)= Aᵀ·B with A K×n, B K×m (row-major), C n×m. */
function gemmTNJs(A: Float64Array, B: Float64Array, C: Float64Array, n: number, K: number, m: number, accumulate: boolean): void {
  const n4 = n - (n % 4);
  const m4 = m - (m % 4);
  for (let i = 0; i < n4; i += 4) {
    const a0 = i;
    const a1 = i + 1;
    const a2 = i + 2;
    const a3 = i + 3;
    for (let j = 0; j < m4; j += 4) {
      const b0 = j;
      const b1 = j + 1;
      const b2 = j + 2;
      const b3 = j + 3;
      let c00 = 0, c01 = 0, c02 = 0, c03 = 0;
      let c10 = 0, c11 = 0, c12 = 0, c13 = 0;
      let c20 = 0, c21 = 0, c22 = 0, c23 = 0;
      let c30 = 0, c31 = 0, c32 = 0, c33 = 0;
      for (let p = 0, pa = 0, pb = 0; p < K; p++, pa += n, pb += m) {
        const x0 = A[a0 + pa];
        const x1 = A[a1 + pa];
        const x2 = A[a2 + pa];
        const x3 = A[a3 + pa];
        const y0 = B[b0 + pb];
        const y1 = B[b1 + pb];
        const y2 = B[b2 + pb];
        const y3 = B[b3 + pb];
        c00 += x0 * y0; c01 += x0 * y1; c02 += x0 * y2; c03 += x0 * y3;
        c10 += x1 * y0; c11 += x1 * y1; c12 += x1 * y2; c13 += x1 * y3;
        c20 += x2 * y0; c21 += x2 * y1; c22 += x2 * y2; c23 += x2 * y3;
        c30 += x3 * y0; c31 += x3 * y1; c32 += x3 * y2; c33 += x3 * y3;
      }
      let o = i * m + j;
      if (accumulate) {
        C[o] += c00; C[o + 1] += c01; C[o + 2] += c02; C[o + 3] += c03; o += m;
        C[o] += c10; C[o + 1] += c11; C[o + 2] += c12; C[o + 3] += c13; o += m;
        C[o] += c20; C[o + 1] += c21; C[o + 2] += c22; C[o + 3] += c23; o += m;
        C[o] += c30; C[o + 1] += c31; C[o + 2] += c32; C[o + 3] += c33;
      } else {
        C[o] = c00; C[o + 1] = c01; C[o + 2] = c02; C[o + 3] = c03; o += m;
        C[o] = c10; C[o + 1] = c11; C[o + 2] = c12; C[o + 3] = c13; o += m;
        C[o] = c20; C[o + 1] = c21; C[o + 2] = c22; C[o + 3] = c23; o += m;
        C[o] = c30; C[o + 1] = c31; C[o + 2] = c32; C[o + 3] = c33;
      }
    }
    for (let j = m4; j < m; j++) for (let i2 = i; i2 < i + 4; i2++) edge(A, 1, n, B, m, 1, C, m, K, accumulate, i2, j);
  }
  for (let i2 = n4; i2 < n; i2++) for (let j = 0; j < m; j++) edge(A, 1, n, B, m, 1, C, m, K, accumulate, i2, j);
}

/**
 * The general form: C[i·m + j] (+)= Σ_p A[i·ai + p·ap]·B[p·bp + j·bj] for i < n, j < m, p < K
 * (unblocked; the three products above are its fast cases).
 */
export function gemm(
  A: Float64Array, ai: number, ap: number, B: Float64Array, bp: number, bj: number,
  C: Float64Array, n: number, m: number, K: number, accumulate: boolean,
): void {
  for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) edge(A, ai, ap, B, bp, bj, C, m, K, accumulate, i, j);
}

/** Which kernel runs the products: 'auto' (WebAssembly SIMD where available, default), 'js' or 'wasm'. */
export type GemmBackend = 'auto' | 'js' | 'wasm';
let backendChoice: GemmBackend = 'auto';
/** Products with fewer multiply-adds than this stay in JavaScript (copying costs more than it saves). */
const WASM_MIN_WORK = 4096;

/** Selects the kernel (for tests and benchmarks); 'wasm' throws where WebAssembly SIMD is unavailable. */
export function setGemmBackend(b: GemmBackend): void {
  if (b !== 'auto' && b !== 'js' && b !== 'wasm') throw new InvalidParameterError('backend', `must be 'auto', 'js' or 'wasm', got ${String(b)}`);
  if (b === 'wasm' && wasmGemm() === null) throw new InvalidParameterError('backend', 'WebAssembly SIMD is not available here; use \'js\'');
  backendChoice = b;
}

/** The kernel in use: 'wasm' or 'js'. */
export function gemmBackend(): 'wasm' | 'js' {
  return backendChoice !== 'js' && wasmGemm() !== null ? 'wasm' : 'js';
}

function useWasm(n: number, K: number, m: number): boolean {
  if (backendChoice === 'js' || n < 4 || m < 4) return false;
  if (backendChoice === 'auto' && n * m * K < WASM_MIN_WORK) return false;
  return wasmGemm() !== null;
}

/**
 * C (+)= op(A)·B on the WebAssembly kernel: A's element (i, p) at A[i·ai + p·ap]; B is K×m
 * row-major, or (bTransposed) m×K row-major and read as its transpose. The 4×4 blocks run in
 * WebAssembly, the ragged edge in JavaScript.
 */
function viaWasm(A: Float64Array, ai: number, ap: number, B: Float64Array, bTransposed: boolean,
  C: Float64Array, n: number, m: number, K: number, accumulate: boolean): void {
  const w = wasmGemm();
  if (w === null) throw new InvalidParameterError('backend', 'WebAssembly SIMD is not available');
  const aLen = A.length, bLen = K * m, cLen = n * m;
  const view = wasmView(w, 8 * (aLen + bLen + cLen));
  view.set(A, 0);
  if (!bTransposed) view.set(B, aLen);
  else {
    // Contiguous writes, strided reads: the other loop order (strided writes) measured 4× slower
    // here on 256×256 (≈ 465 against 115 µs of CPU time).
    for (let p = 0; p < K; p++) {
      const dst = aLen + p * m;
      for (let j = 0, src = p; j < m; j++, src += K) view[dst + j] = B[src];
    }
  }
  const cOff = aLen + bLen;
  if (accumulate) view.set(C, cOff);
  const n4 = n - (n % 4), m4 = m - (m % 4);
  w.mm(0, 8 * ai, 8 * ap, 8 * aLen, m, 8 * cOff, n4, m4, K, accumulate ? 1 : 0);
  C.set(view.subarray(cOff, cOff + cLen));
  const bp = bTransposed ? 1 : m, bj = bTransposed ? K : 1;
  for (let i = 0; i < n4; i++) for (let j = m4; j < m; j++) edge(A, ai, ap, B, bp, bj, C, m, K, accumulate, i, j);
  for (let i = n4; i < n; i++) for (let j = 0; j < m; j++) edge(A, ai, ap, B, bp, bj, C, m, K, accumulate, i, j);
}

/** C (+)= A·B with A n×K, B K×m (row-major), C n×m. */
export function gemmNN(A: Float64Array, B: Float64Array, C: Float64Array, n: number, K: number, m: number, accumulate = false): void {
  if (useWasm(n, K, m)) viaWasm(A, K, 1, B, false, C, n, m, K, accumulate);
  else gemmNNJs(A, B, C, n, K, m, accumulate);
}

/** C (+)= A·Bᵀ with A n×K, B m×K (row-major), C n×m. */
export function gemmNT(A: Float64Array, B: Float64Array, C: Float64Array, n: number, K: number, m: number, accumulate = false): void {
  if (useWasm(n, K, m)) viaWasm(A, K, 1, B, true, C, n, m, K, accumulate);
  else gemmNTJs(A, B, C, n, K, m, accumulate);
}

/** C (+)= Aᵀ·B with A K×n, B K×m (row-major), C n×m. */
export function gemmTN(A: Float64Array, B: Float64Array, C: Float64Array, n: number, K: number, m: number, accumulate = false): void {
  if (useWasm(n, K, m)) viaWasm(A, 1, n, B, false, C, n, m, K, accumulate);
  else gemmTNJs(A, B, C, n, K, m, accumulate);
}
