import { test } from 'node:test';
import assert from 'node:assert/strict';
import { digamma, lgamma, logUnitBallVolume } from '../../kernel-lib/core/special.js';

const EULER = 0.5772156649015329;

test('digamma at integers is the harmonic number minus γ', () => {
  let h = 0;
  for (let n = 1; n <= 60; n++) {
    assert.ok(Math.abs(digamma(n) - (h - EULER)) < 1e-13 * Math.max(1, Math.abs(h)), `ψ(${n})`);
    h += 1 / n;
  }
});

test('digamma: half-integer, large argument, reflection, poles', () => {
  assert.ok(Math.abs(digamma(0.5) - (-EULER - 2 * Math.LN2)) < 1e-14);
  assert.ok(Math.abs(digamma(1e6) - (Math.log(1e6) - 0.5e-6 - 1 / 12e12)) < 1e-14);
  // ψ(1 − x) − ψ(x) = π cot(πx)
  const x = -1.3;
  assert.ok(Math.abs(digamma(1 - x) - digamma(x) - Math.PI / Math.tan(Math.PI * x)) < 1e-12);
  assert.ok(Number.isNaN(digamma(0)) && Number.isNaN(digamma(-2)));
});

test('lgamma matches factorials, Γ(1/2) = √π, and the recurrence', () => {
  let f = 0;
  for (let n = 1; n < 40; n++) {
    assert.ok(Math.abs(lgamma(n) - f) <= 1e-13 * Math.max(1, f), `lgamma(${n})`);
    f += Math.log(n);
  }
  assert.ok(Math.abs(lgamma(0.5) - 0.5 * Math.log(Math.PI)) < 1e-14);
  for (const x of [0.1, 1.7, 3.3, 12.25, 57.5]) {
    assert.ok(Math.abs(lgamma(x + 1) - lgamma(x) - Math.log(x)) < 1e-12 * Math.max(1, lgamma(x + 1)), `x=${x}`);
  }
});

test('unit-ball volumes: V_1 = 2, V_2 = π, V_3 = 4π/3', () => {
  assert.ok(Math.abs(logUnitBallVolume(1) - Math.log(2)) < 1e-14);
  assert.ok(Math.abs(logUnitBallVolume(2) - Math.log(Math.PI)) < 1e-14);
  assert.ok(Math.abs(logUnitBallVolume(3) - Math.log((4 * Math.PI) / 3)) < 1e-14);
});
