import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gemmModuleBytes, wasmGemm, wasmSimdAvailable, wasmView } from '../../kernel-lib/autodiff/gemm-wasm.js';

test('the assembled module validates, and its kernel computes a 4×4 block product in linear memory', (t) => {
  const bytes = gemmModuleBytes();
  assert.deepEqual(Array.from(bytes.subarray(0, 8)), [0x00, 0x61, 0x73, 0x6d, 1, 0, 0, 0]);
  if (!wasmSimdAvailable()) { t.skip('WebAssembly SIMD unavailable'); return; }
  const w = wasmGemm()!;
  // A = 4×2, B = 2×4 at element offsets 0, 8; C (4×4) at 16; C = A·B
  const view = wasmView(w, 8 * 32);
  const A = [1, 2, 3, 4, 5, 6, 7, 8];
  const B = [1, 0, 2, 1, 0, 1, 1, 3];
  view.set(A, 0);
  view.set(B, 8);
  w.mm(0, 8 * 2, 8, 8 * 8, 4, 8 * 16, 4, 4, 2, 0);
  const C = Array.from(view.subarray(16, 32));
  const want: number[] = [];
  for (let i = 0; i < 4; i++) for (let j = 0; j < 4; j++) want.push(A[i * 2] * B[j] + A[i * 2 + 1] * B[4 + j]);
  assert.deepEqual(C, want);
  // accumulate adds the product to what C holds
  w.mm(0, 8 * 2, 8, 8 * 8, 4, 8 * 16, 4, 4, 2, 1);
  assert.deepEqual(Array.from(view.subarray(16, 32)), want.map((v) => 2 * v));
});
