import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../kernel-lib/core/rng.js';
import { offDiagonalLogMeanExp } from '../../kernel-lib/variational/log-mean-exp.js';
import { offDiagonalLogMeanExpGpu, logMeanExpGpuMode } from '../../kernel-lib/variational/log-mean-exp-gpu.js';

test('the gpu.js kernel agrees with its float64 twin (float32 tolerance)', () => {
  const rng = new Rng(4);
  for (const [n, s, shift] of [[2, 1, 0], [64, 3, 0], [64, 30, 500], [257, 10, -40]] as const) {
    const S = rng.normals(n * n).map((v) => s * v + shift);
    const a = offDiagonalLogMeanExpGpu(S, n);
    const b = offDiagonalLogMeanExp(S, n);
    assert.ok(Math.abs(a - b) < 1e-5, `n = ${n}: gpu ${a} vs float64 ${b}`);
  }
  assert.match(logMeanExpGpuMode(), /webasm|gpu|webgl|cpu/);
});

test('the diagonal is excluded on the gpu path too', () => {
  const n = 8;
  const S = new Rng(5).normals(n * n);
  const T = Float64Array.from(S);
  for (let i = 0; i < n; i++) T[i * n + i] = 80;
  assert.ok(Math.abs(offDiagonalLogMeanExpGpu(T, n) - offDiagonalLogMeanExp(S, n)) < 1e-5);
});
