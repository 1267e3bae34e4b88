import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../kernel-lib/core/rng.js';

test('the same seed gives the same stream; different seeds differ', () => {
  const a = new Rng(42).normals(100);
  const b = new Rng(42).normals(100);
  const c = new Rng(43).normals(100);
  assert.deepEqual(a, b);
  assert.notDeepEqual(a, c);
});

test('uniform and normal moments', () => {
  const r = new Rng(7);
  const n = 200000;
  let su = 0, sn = 0, sn2 = 0;
  for (let i = 0; i < n; i++) {
    const u = r.uniform();
    assert.ok(u >= 0 && u < 1);
    su += u;
    const z = r.normal();
    sn += z;
    sn2 += z * z;
  }
  assert.ok(Math.abs(su / n - 0.5) < 0.005);
  assert.ok(Math.abs(sn / n) < 0.01);
  assert.ok(Math.abs(sn2 / n - 1) < 0.015);
});

test('permutation is a permutation', () => {
  const p = Array.from(new Rng(1).permutation(1000)).sort((a, b) => a - b);
  assert.deepEqual(p, Array.from({ length: 1000 }, (_, i) => i));
});
