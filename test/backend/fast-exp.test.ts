import { test } from 'node:test';
import assert from 'node:assert/strict';
import { expNeg } from '../../kernel-lib/backend/fast-exp.js';
import { Rng } from '../../kernel-lib/core/rng.js';

test('expNeg agrees with Math.exp to 1e-15 relative on [−708, 0]', () => {
  const rng = new Rng(11);
  let worst = 0;
  for (let i = 0; i < 200000; i++) {
    // Half uniform on [−708, 0], half on [−1, 0] (where the reduction's tables matter most).
    const x = i % 2 === 0 ? -708 * rng.uniform() : -rng.uniform();
    const e = Math.exp(x);
    worst = Math.max(worst, Math.abs(expNeg(x) - e) / e);
  }
  assert.ok(worst <= 1e-15, `max relative error ${worst}`);
});

test('expNeg: exact at 0, at multiples of ln 2 / 64 equal to 2^(k/64), 0 below −745, NaN kept', () => {
  assert.equal(expNeg(0), 1);
  assert.equal(expNeg(-0), 1);
  for (let k = 1; k < 700; k += 37) {
    const want = Math.pow(2, -k / 64);
    assert.ok(Math.abs(expNeg((-k * Math.LN2) / 64) - want) <= 1e-15 * want, `k = ${k}`); // x itself is rounded
  }
  assert.equal(expNeg(-746), 0);
  assert.equal(expNeg(-Infinity), 0);
  assert.ok(Number.isNaN(expNeg(NaN)));
  // Subnormal range: tiny absolute error.
  for (const x of [-709, -720, -740, -745]) assert.ok(Math.abs(expNeg(x) - Math.exp(x)) < 1e-320, `x = ${x}`);
});
