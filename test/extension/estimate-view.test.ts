import { test } from 'node:test';
import assert from 'node:assert/strict';
import { estimateView } from '../../extension/views/estimate.js';
import type { EstimatePayload } from '../../extension/payload.js';

const base: EstimatePayload = {
  version: 1, kind: 'estimate',
  estimate: { value: 0.4712345, unit: 'nat', estimator: 'wang-kulkarni-verdu', params: { k: 5, duplicates: 'error' }, n: 200, m: 150, d: 2, stderr: 0.0321, backend: 'cpu' },
};

test('rows: estimate (value ± stderr unit), samples, params, backend; caption = estimator', () => {
  const v = estimateView(base);
  assert.equal(v.caption, 'wang-kulkarni-verdu');
  assert.deepEqual(v.rows.map((r) => [r.label, r.text]), [
    ['estimate', '0.47123 ± 0.032 nat'],
    ['samples', 'n=200, m=150, d=2'],
    ['params', 'k=5, duplicates=error'],
    ['backend', 'cpu'],
  ]);
});

test('truth row shows the truth and the signed error; no stderr, no ±', () => {
  const v = estimateView({ ...base, truth: 0.5, estimate: { ...base.estimate, stderr: undefined, params: {} } as never });
  assert.deepEqual(v.rows.map((r) => [r.label, r.text]), [
    ['estimate', '0.47123 nat'],
    ['truth', '0.5 nat (error −0.0288)'],
    ['samples', 'n=200, m=150, d=2'],
    ['backend', 'cpu'],
  ]);
  const over = estimateView({ ...base, truth: 0.4 });
  assert.match(over.rows[1]!.text, /error \+0\.0712/);
});

test('non-finite values read as ∞, and so does their error', () => {
  const v = estimateView({ ...base, truth: 'Infinity', estimate: { ...base.estimate, value: 'Infinity', stderr: 'NaN' } });
  assert.equal(v.rows[0]!.text, '∞ ± NaN nat');
  assert.equal(v.rows[1]!.text, '∞ nat (error NaN)');
});
