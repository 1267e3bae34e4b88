/**
 * Browser recomputation (extension/compute/recompute.ts) gives exactly what the kernel computes
 * with the same divlab code: a k-NN estimate at a new k, a density at a new h; errors come back as
 * data, not exceptions.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gaussian, knn } from '../../kernel-lib/index.js';
import { estimatePayload } from '../../kernel-lib/display/estimate-payload.js';
import { histogram } from '../../kernel-lib/display/histogram.js';
import { densityCurve } from '../../kernel-lib/display/density.js';
import { validatePayload } from '../../kernel-lib/display/validate.js';
import { recomputeEstimate, runJob } from '../../extension/compute/recompute.js';

const P = gaussian.isotropic([0, 0]), Q = gaussian.isotropic([1, 0]);
const x = gaussian.sample(P, 300, 1), y = gaussian.sample(Q, 250, 2);

test('KL at a new k equals the kernel-side knn.kl at that k (value, stderr, terms histogram, params)', () => {
  const p = estimatePayload(knn.kl(x, y, { k: 3 }), { truth: gaussian.kl(P, Q), data: { x, y } });
  assert.deepEqual(p.controls, [{ name: 'k', label: 'k', min: 1, max: 50, step: 1, value: 3 }]);
  const q = recomputeEstimate(JSON.parse(JSON.stringify(p)), { k: 9 });
  const e = knn.kl(x, y, { k: 9 });
  assert.equal(q.estimate.value, e.value);
  assert.equal(q.estimate.stderr, e.stderr);
  assert.equal(q.estimate.params.k, 9);
  assert.deepEqual(q.terms, histogram(e.terms!));
  assert.equal(q.controls![0]!.value, 9);
  assert.equal(q.truth, p.truth);
  assert.ok(validatePayload(q).ok);
});

test('entropy (one sample), Rényi (alpha kept), KSG MI and bits (base kept) recompute alike', () => {
  const pe = estimatePayload(knn.entropy(x, { k: 2 }), { data: { x } });
  assert.equal(recomputeEstimate(pe, { k: 4 }).estimate.value, knn.entropy(x, { k: 4 }).value);
  const pr = estimatePayload(knn.renyi(x, y, { alpha: 0.8, k: 3 }), { data: { x, y } });
  assert.equal(recomputeEstimate(pr, { k: 6 }).estimate.value, knn.renyi(x, y, { alpha: 0.8, k: 6 }).value);
  const xs = Array.from(x.data).filter((_, i) => i % 2 === 0), ys = Array.from(x.data).filter((_, i) => i % 2 === 1);
  const pm = estimatePayload(knn.mutualInfo(xs, ys, { k: 3 }), { data: { x: xs, y: ys } });
  assert.equal(recomputeEstimate(pm, { k: 5 }).estimate.value, knn.mutualInfo(xs, ys, { k: 5 }).value);
  const pb = estimatePayload(knn.kl(x, y, { k: 3, base: 2 }), { data: { x, y } });
  const qb = recomputeEstimate(pb, { k: 4 });
  assert.equal(qb.estimate.unit, 'bit');
  assert.equal(qb.estimate.value, knn.kl(x, y, { k: 4, base: 2 }).value);
});

test('estimatePayload with data: caps rows, refuses estimators it cannot recompute', () => {
  const big = gaussian.sample(P, 5001, 3);
  assert.throws(() => estimatePayload(knn.entropy(big, { k: 3 }), { data: { x: big } }), /has 5001 rows; a payload carries at most 5000/);
  const f = knn.nnr(x, y, { f: (t: number) => t * t });
  assert.throws(() => estimatePayload(f, { data: { x, y } }), /cannot be recomputed in the browser/);
  assert.equal(estimatePayload(f, { data: { x, y }, controls: false }).controls, undefined);
  assert.throws(() => estimatePayload(knn.kl(x, y), { data: { x } }), /options\.data\.y: is needed/);
});

test('runJob: a density job equals densityCurve; an impossible k comes back as an error result', () => {
  const data = [0, 0.5, 2, 3];
  const r = runJob({ kind: 'density', data, h: 0.4 });
  assert.equal(r.kind, 'density');
  if (r.kind === 'density') assert.deepEqual(r.curve, densityCurve(data, 0.4));
  const p = estimatePayload(knn.kl(x, y, { k: 3 }), { data: { x, y } });
  const bad = runJob({ kind: 'estimate', payload: p, values: { k: 400 } });
  assert.equal(bad.kind, 'error');
  if (bad.kind === 'error') assert.match(bad.message, /k = 400 needs at least/);
});
