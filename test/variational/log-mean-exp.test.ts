import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../kernel-lib/core/rng.js';
import { offDiagonalLogMeanExp, offDiagonalSoftmax } from '../../kernel-lib/variational/log-mean-exp.js';

test('equals the direct formula, ignores the diagonal, and does not overflow', () => {
  const n = 6;
  const S = new Rng(3).normals(n * n);
  let s = 0;
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) if (i !== j) s += Math.exp(S[i * n + j]);
  assert.ok(Math.abs(offDiagonalLogMeanExp(S, n) - Math.log(s / (n * (n - 1)))) < 1e-14);
  const T = Float64Array.from(S);
  for (let i = 0; i < n; i++) T[i * n + i] = 1e6;
  assert.equal(offDiagonalLogMeanExp(T, n), offDiagonalLogMeanExp(S, n));
  const big = S.map((v) => v + 1000);
  assert.ok(Math.abs(offDiagonalLogMeanExp(big, n) - 1000 - offDiagonalLogMeanExp(S, n)) < 1e-11);
  const w = offDiagonalSoftmax(S, n);
  assert.ok(Math.abs(w.reduce((a, b) => a + b, 0) - 1) < 1e-14);
  for (let i = 0; i < n; i++) assert.equal(w[i * n + i], 0);
});
