/**
 * The renderer's payload validation (extension/payload.ts re-exports kernel-lib/display): what
 * arrives as a string or an object, what passes, and the readable errors for everything else.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MIME_TYPE, validatePayload, type EstimatePayload } from '../../extension/payload.js';

const good: EstimatePayload = {
  version: 1, kind: 'estimate', truth: 0.5,
  estimate: { value: 0.47, unit: 'nat', estimator: 'wang-kulkarni-verdu', params: { k: 5, duplicates: 'error' }, n: 200, m: 150, d: 2, stderr: 0.03, backend: 'cpu' },
};
const clone = (): Record<string, any> => JSON.parse(JSON.stringify(good));

function problems(data: unknown): readonly string[] {
  const r = validatePayload(data);
  assert.equal(r.ok, false, 'expected a rejection');
  if (r.ok) return [];
  assert.match(r.error, /cannot be shown/);
  for (const p of r.problems) assert.ok(r.error.includes(p), 'error lists every problem');
  return r.problems;
}

test('accepts a v1 estimate payload as an object and as its JSON string (tslab sends strings)', () => {
  for (const data of [good, JSON.stringify(good)]) {
    const r = validatePayload(data);
    assert.ok(r.ok, r.ok ? '' : r.error);
    if (r.ok) assert.deepEqual(r.payload, good);
  }
  assert.equal(MIME_TYPE, 'application/vnd.divlab.v1+json');
});

test('optional fields may be absent; non-finite numbers as strings; unknown fields are ignored', () => {
  const p = clone();
  delete p.truth; delete p.estimate.m; delete p.estimate.stderr;
  p.estimate.value = 'Infinity';
  p.estimate.unit = 'log10';
  p.futureField = { x: 1 };
  assert.ok(validatePayload(p).ok);
});

test('not JSON, not an object', () => {
  assert.match(problems('{"version":1,')[0]!, /not valid JSON/);
  assert.match(problems('[1,2]')[0]!, /must be a JSON object, got an array/);
  assert.match(problems(null)[0]!, /got null/);
  assert.match(problems(42)[0]!, /got 42/);
});

test('a newer version says so and says what to do; a bad version is named', () => {
  const r = validatePayload({ ...clone(), version: 2, kind: 'something-new' });
  assert.ok(!r.ok);
  if (!r.ok) {
    assert.equal(r.version, 2);
    assert.match(r.error, /version 2 payload, made by a newer divlab/);
    assert.match(r.error, /upgrade it \(pip install -U divlab\) and reload the page/);
  }
  assert.match(problems({ ...clone(), version: 0 })[0]!, /payload\.version must be a positive integer, got 0/);
  assert.match(problems({ ...clone(), version: '1' })[0]!, /payload\.version .* got "1"/);
});

test('an unknown kind is named', () => {
  assert.match(problems({ ...clone(), kind: 'histogram' })[0]!, /kind "histogram" is not a kind this extension knows/);
});

test('every bad estimate field is reported, each by its path', () => {
  const p = clone();
  Object.assign(p.estimate, { value: NaN, unit: 'furlong', estimator: '', params: [1], n: -1, m: 1.5, d: 0, stderr: -0.1, backend: 'tpu' });
  p.truth = 'big';
  const got = problems(p);
  for (const path of ['estimate.value', 'estimate.unit', 'estimate.estimator', 'estimate.params', 'estimate.n', 'estimate.m', 'estimate.d', 'estimate.stderr', 'estimate.backend', 'payload.truth']) {
    assert.ok(got.some((s) => s.startsWith(path)), `${path} reported in ${JSON.stringify(got)}`);
  }
  assert.equal(got.length, 10);
  assert.match(problems({ ...clone(), estimate: 'x' })[0]!, /payload\.estimate must be an object/);
});

test('params must hold JSON values only', () => {
  const p = clone();
  p.estimate.params = { k: 5, bad: { deeper: NaN } };
  assert.match(problems(p)[0]!, /estimate\.params must be an object of JSON values/);
});

test('long strings in messages are cut (an error panel stays readable)', () => {
  const p = clone();
  p.estimate.backend = 'x'.repeat(10_000);
  const msg = problems(p)[0]!;
  assert.ok(msg.length < 120, msg);
});
