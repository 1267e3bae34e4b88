import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fdiv from '../../kernel-lib/fdiv/index.js';
import { randomLogits } from './gradcheck.js';

const L = Math.log;

test('relations between families: α-divergence ↔ Hellinger, χ², Tsallis, Rényi; limits α → 0, 1', () => {
  const a = randomLogits(4, 6, 11), b = randomLogits(4, 6, 12);
  const rel = (x: number, y: number) => Math.abs(x - y) / Math.max(1e-300, Math.abs(y));
  assert.ok(rel(fdiv.alpha(a, b, { alpha: 0.5 }).value, 4 * fdiv.hellinger(a, b).value) < 1e-13);
  assert.ok(rel(fdiv.alpha(a, b, { alpha: 2 }).value, 0.5 * fdiv.pearson(a, b).value) < 1e-13);
  assert.ok(rel(fdiv.alpha(a, b, { alpha: -1 }).value, 0.5 * fdiv.neyman(a, b).value) < 1e-13);
  assert.ok(rel(fdiv.tsallis(a, b, { q: 1.7 }).value, 1.7 * fdiv.alpha(a, b, { alpha: 1.7 }).value) < 1e-13);
  assert.ok(rel(fdiv.tsallis(a, b, { q: 2 }).value, fdiv.pearson(a, b).value) < 1e-13);
  // Rényi and Tsallis share S: D_R = log(1 + (q−1) D_T)/(q−1), row by row.
  const R = fdiv.renyi(a, b, { alpha: 0.7 }).rows, Ts = fdiv.tsallis(a, b, { q: 0.7 }).rows;
  for (let i = 0; i < 4; i++) assert.ok(rel(R[i], L(1 - 0.3 * Ts[i]) / -0.3) < 1e-13);
  const klv = fdiv.kl(a, b).value, rkl = fdiv.reverseKl(a, b).value;
  assert.ok(rel(fdiv.alpha(a, b, { alpha: 1 - 1e-6 }).value, klv) < 1e-5);
  assert.ok(rel(fdiv.alpha(a, b, { alpha: 1e-6 }).value, rkl) < 1e-5);
  assert.ok(rel(fdiv.renyi(a, b, { alpha: 1 + 1e-6 }).value, klv) < 1e-5);
  assert.ok(rel(fdiv.skewKl(a, b, { lambda: 0 }).value, klv) < 1e-14);
  // Rényi is non-decreasing in α (van Erven & Harremoës 2014: monotone in the order).
  let prev = 0;
  for (const al of [0.1, 0.3, 0.5, 0.9, 1.5, 3, 8]) {
    const v = fdiv.renyi(a, b, { alpha: al }).value;
    assert.ok(v >= prev - 1e-15, `α = ${al}`);
    prev = v;
  }
  // Bounds: JS ≤ log 2, TV ≤ 1, H² ≤ TV ≤ √(2 H²)·… (Le Cam: H² ≤ TV ≤ √(H²(2 − H²)))
  const h = fdiv.hellinger(a, b).rows, tv = fdiv.totalVariation(a, b).rows;
  for (let i = 0; i < 4; i++) assert.ok(h[i] <= tv[i] + 1e-15 && tv[i] <= Math.sqrt(h[i] * (2 - h[i])) + 1e-15);
});

