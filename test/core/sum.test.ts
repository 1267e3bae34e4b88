import { test } from 'node:test';
import assert from 'node:assert/strict';
import { logSumExp, mean, sum, variance } from '../../kernel-lib/core/sum.js';

test('compensated sum recovers what naive summation loses', () => {
  const v = [1e16, 1, -1e16, 1];
  let naive = 0;
  for (const x of v) naive += x;
  assert.notEqual(naive, 2);
  assert.equal(sum(v), 2);
  const many = new Array(1_000_000).fill(0.1);
  assert.ok(Math.abs(sum(many) - 100000) < 1e-9);
  assert.equal(mean([1, 2, 3, 4]), 2.5);
});

test('Welford variance is stable under a large offset', () => {
  const v = [1e9 + 4, 1e9 + 7, 1e9 + 13, 1e9 + 16];
  assert.ok(Math.abs(variance(v) - 30) < 1e-6);
});

test('logSumExp neither overflows nor underflows', () => {
  assert.ok(Math.abs(logSumExp([1000, 1000]) - (1000 + Math.LN2)) < 1e-12);
  assert.ok(Math.abs(logSumExp([-1000, -1000]) - (-1000 + Math.LN2)) < 1e-12);
  assert.equal(logSumExp([-Infinity, -Infinity]), -Infinity);
});
