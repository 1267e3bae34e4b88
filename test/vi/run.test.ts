import { test } from 'node:test';
import assert from 'node:assert/strict';
import { badState, spdCertificate } from '../../kernel-lib/vi/run.js';
import { congruence, congruenceInto, sandwich } from '../../kernel-lib/vi/fbgvi.js';
import { Rng } from '../../kernel-lib/core/rng.js';

test('spdCertificate accepts well-separated positive spectra and refuses ones near round-off or non-positive', () => {
  assert.equal(spdCertificate(Float64Array.from([1, 2, 200])), true);
  assert.equal(spdCertificate(Float64Array.from([1e-8, 1])), true);
  const d = 100;
  const tight = new Float64Array(d).fill(1);
  tight[0] = 16 * d * d * Number.EPSILON * 0.5; // below the margin
  assert.equal(spdCertificate(tight), false);
  assert.equal(spdCertificate(Float64Array.from([0, 1])), false);
  assert.equal(spdCertificate(Float64Array.from([-1, 1])), false);
  assert.equal(spdCertificate(Float64Array.from([1, Infinity])), false);
});

test('badState: the certificate skips only the Cholesky test, never the finiteness test', () => {
  const indefinite = Float64Array.from([1, 2, 2, 1]);
  assert.match(String(badState(new Float64Array(2), indefinite, 2)), /positive definiteness/);
  assert.equal(badState(new Float64Array(2), indefinite, 2, true), null);
  assert.match(String(badState(new Float64Array(2), Float64Array.from([1, 0, 0, NaN]), 2, true)), /non-finite covariance/);
  assert.match(String(badState(Float64Array.from([0, Infinity]), Float64Array.from([1, 0, 0, 1]), 2, true)), /non-finite mean/);
});

test('congruenceInto = congruence = (I − hA) Σ (I − hA) by the triple loop, exactly symmetric, workspace reusable', () => {
  const rng = new Rng(4);
  for (const d of [1, 3, 8, 13]) {
    const g = rng.normals(d * d);
    const a = new Float64Array(d * d);
    const sigma = new Float64Array(d * d);
    for (let i = 0; i < d; i++) {
      for (let j = 0; j < d; j++) {
        let s = 0;
        let t = i === j ? 0.5 : 0;
        for (let k = 0; k < d; k++) {
          s += g[i * d + k] * g[j * d + k];
          t += g[k * d + i] * g[k * d + j];
        }
        a[i * d + j] = s;
        sigma[i * d + j] = t;
      }
    }
    const h = 0.1;
    const m = new Float64Array(d * d);
    for (let i = 0; i < d * d; i++) m[i] = -h * a[i];
    for (let i = 0; i < d; i++) m[i * d + i] += 1;
    const ref = new Float64Array(d * d);
    for (let i = 0; i < d; i++) {
      for (let j = 0; j < d; j++) {
        let v = 0;
        for (let k = 0; k < d; k++) for (let l = 0; l < d; l++) v += m[i * d + k] * sigma[k * d + l] * m[j * d + l];
        ref[i * d + j] = v;
      }
    }
    const ws = [new Float64Array(d * d), new Float64Array(d * d), new Float64Array(d * d)] as const;
    for (let rep = 0; rep < 2; rep++) {
      const got = congruenceInto(a, sigma, d, h, ws[0], ws[1], ws[2]);
      let scale = 0;
      let err = 0;
      for (let i = 0; i < d * d; i++) {
        scale = Math.max(scale, Math.abs(ref[i]));
        err = Math.max(err, Math.abs(got[i] - ref[i]));
      }
      assert.ok(err <= 1e-13 * scale, `d = ${d}: ${err / scale}`);
      for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) assert.equal(got[i * d + j], got[j * d + i]);
    }
    assert.deepEqual(Array.from(congruence(a, sigma, d, h)), Array.from(ws[2]));
    assert.deepEqual(Array.from(sandwich(m, sigma, d)), Array.from(ws[2]));
  }
});
