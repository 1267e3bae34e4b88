import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dct2, isj } from '../../kernel-lib/kde/isj.js';
import { lscv } from '../../kernel-lib/kde/lscv.js';
import { InvalidParameterError, TooFewSamplesError } from '../../kernel-lib/core/errors.js';
import { Rng } from '../../kernel-lib/core/rng.js';

test('dct2 equals the direct DCT-II sum (Botev dct1d convention)', () => {
  const rng = new Rng(1);
  const x = new Float64Array(64).map(() => rng.uniform());
  const a = dct2(x);
  for (const k of [0, 1, 5, 33, 63]) {
    let s = 0;
    for (let j = 0; j < 64; j++) s += x[j] * Math.cos((Math.PI * k * (2 * j + 1)) / 128);
    assert.ok(Math.abs(a[k] - (k === 0 ? s : 2 * s)) < 1e-12, `k=${k}`);
  }
});

test('ISJ on Gaussian data is close to the AMISE-optimal normal bandwidth (1.06 σ n^(-1/5))', () => {
  const rng = new Rng(7);
  const n = 2000;
  const x = Array.from({ length: n }, () => 3 + 2 * rng.normal());
  const r = isj(x);
  const want = 1.059 * n ** (-1 / 5); // as a factor of σ
  assert.ok(Math.abs(r.h / want - 1) < 0.15, `ISJ factor ${r.h} vs ${want}`);
  assert.ok(Math.abs(r.score) < 1e-10, 'the fixed-point residual vanishes at t*');
  // The residual curve changes sign across the selection.
  // (curve point 12 of 25 is t* itself; its neighbours bracket the root.)
  assert.ok(r.curve.score[11] < 0 && r.curve.score[13] > 0, `${r.curve.score[11]} ${r.curve.score[13]}`);
});

test('ISJ on a well-separated bimodal mixture resolves the modes (smaller than the normal rule)', () => {
  const rng = new Rng(8);
  const x = Array.from({ length: 1000 }, (_, i) => (i % 2 === 0 ? -4 : 4) + 0.5 * rng.normal());
  const r = isj(x);
  const sd = Math.sqrt(16 + 0.25);
  const normalRule = 1.059 * 1000 ** (-1 / 5);
  assert.ok(r.bandwidths[0] < 0.5 * normalRule * sd);
  // and lands near the LSCV choice on these data (both target ISE).
  const l = lscv(x);
  assert.ok(Math.abs(Math.log(r.bandwidths[0] / l.bandwidths[0])) < Math.log(1.6), `isj ${r.bandwidths[0]} lscv ${l.bandwidths[0]}`);
});

test('ISJ rejects d > 1 and too few distinct values', () => {
  assert.throws(() => isj([[1, 2], [3, 4], [5, 6]]), InvalidParameterError);
  assert.throws(() => isj([1, 1, 2, 2]), TooFewSamplesError);
});
