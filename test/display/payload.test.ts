import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Estimate } from '../../kernel-lib/estimate.js';
import { InvalidParameterError } from '../../kernel-lib/core/errors.js';
import { MIME_TYPE, PAYLOAD_VERSION, fromWire, toJsonValue, toWire } from '../../kernel-lib/display/payload.js';
import { validatePayload } from '../../kernel-lib/display/validate.js';
import { estimatePayload } from '../../kernel-lib/display/estimate-payload.js';
import { formatNumber, summarize } from '../../kernel-lib/display/format.js';
import * as divlab from '../../kernel-lib/index.js';
import { gaussian, knn } from '../../kernel-lib/index.js';

const estimate: Estimate = {
  value: 2.8382634, unit: 'nat', estimator: 'kozachenko-leonenko',
  params: { k: 3, metric: 'euclidean', skip: undefined }, n: 500, d: 2,
  terms: new Float64Array([1, 2, 3]), stderr: 0.01234, extra: { big: [1, 2, 3] }, backend: 'cpu',
};

test('the MIME type is versioned and matches PAYLOAD_VERSION', () => {
  assert.equal(MIME_TYPE, 'application/vnd.divlab.v1+json');
  assert.equal(PAYLOAD_VERSION, 1);
  assert.ok(MIME_TYPE.includes(`.v${PAYLOAD_VERSION}+json`));
});

test('estimatePayload keeps the displayable fields, a histogram of the terms (not the terms), drops extra and undefined params', () => {
  const p = estimatePayload(estimate, { truth: 2.8379 });
  assert.deepEqual(p, {
    version: 1, kind: 'estimate', truth: 2.8379,
    estimate: { value: 2.8382634, unit: 'nat', estimator: 'kozachenko-leonenko', params: { k: 3, metric: 'euclidean' }, n: 500, d: 2, stderr: 0.01234, backend: 'cpu' },
    terms: { edges: [1, 1 + 2 / 3, 1 + 4 / 3, 3], counts: [1, 1, 1] },
  });
  assert.ok(!('m' in p.estimate) && !('terms' in p.estimate) && !('extra' in p.estimate));
  assert.ok(validatePayload(p).ok);
  // the payload survives JSON (what the kernel sends) unchanged
  assert.deepEqual(JSON.parse(JSON.stringify(p)), p);
});

test('estimatePayload carries m and a real estimator result', () => {
  const P = gaussian.isotropic([0, 0]);
  const Q = gaussian.isotropic([1, 0]);
  const e = knn.kl(gaussian.sample(P, 200, 1), gaussian.sample(Q, 150, 2), { k: 5 });
  const p = estimatePayload(e, { truth: gaussian.kl(P, Q) });
  assert.equal(p.estimate.n, 200);
  assert.equal(p.estimate.m, 150);
  assert.equal(p.estimate.d, 2);
  assert.equal(p.estimate.estimator, e.estimator);
  assert.equal(p.truth, 0.5);
  const r = validatePayload(JSON.stringify(p));
  assert.ok(r.ok, r.ok ? '' : r.error);
});

test('non-finite numbers travel as strings and come back', () => {
  assert.deepEqual([toWire(1.5), toWire(NaN), toWire(Infinity), toWire(-Infinity)], [1.5, 'NaN', 'Infinity', '-Infinity']);
  assert.ok(Number.isNaN(fromWire('NaN')));
  assert.equal(fromWire('-Infinity'), -Infinity);
  const p = estimatePayload({ ...estimate, value: Infinity }, { truth: -Infinity });
  assert.equal(p.estimate.value, 'Infinity');
  assert.equal(p.truth, '-Infinity');
  assert.ok(validatePayload(JSON.parse(JSON.stringify(p))).ok);
});

test('toJsonValue makes params JSON-safe', () => {
  const fn = function metric() { return 0; };
  assert.deepEqual(toJsonValue({ a: 1, b: NaN, c: [1, undefined], d: new Float64Array([0.5]), e: fn, f: undefined, g: { h: null } }),
    { a: 1, b: 'NaN', c: [1, null], d: [0.5], e: '[function metric]', g: { h: null } });
  assert.equal(toJsonValue(new Date(0)), String(new Date(0)));
});

test('estimatePayload rejects what is not an Estimate, naming the field', () => {
  assert.throws(() => estimatePayload(null as unknown as Estimate), InvalidParameterError);
  assert.throws(() => estimatePayload({ ...estimate, n: 0 }), (e: unknown) => e instanceof InvalidParameterError && /estimate\.n/.test((e as Error).message));
  assert.throws(() => estimatePayload(estimate, { truth: '1' as unknown as number }), (e: unknown) => e instanceof InvalidParameterError && (e as InvalidParameterError).argument === 'options.truth');
});

test('formatNumber: significant digits, trailing zeros dropped, scientific outside [1e-4, 1e6)', () => {
  assert.equal(formatNumber(2.8382634), '2.8383');
  assert.equal(formatNumber(0.0123), '0.0123');
  assert.equal(formatNumber(-3), '-3');
  assert.equal(formatNumber(0), '0');
  assert.equal(formatNumber(0.000012), '1.2e-5');
  assert.equal(formatNumber(12345678), '1.2346e7');
  assert.equal(formatNumber(0.01234, 2), '0.012');
  assert.equal(formatNumber('Infinity'), '∞');
  assert.equal(formatNumber('-Infinity'), '−∞');
  assert.equal(formatNumber('NaN'), 'NaN');
});

test('summarize: one line with value ± stderr, unit, truth, sizes, params, backend', () => {
  assert.equal(summarize(estimatePayload(estimate, { truth: 2.8379 })),
    'kozachenko-leonenko: 2.8383 ± 0.012 nat (truth 2.8379; n=500, d=2; k=3, metric=euclidean; cpu)');
  assert.equal(summarize(estimatePayload({ ...estimate, params: {}, stderr: undefined, m: 7 })),
    'kozachenko-leonenko: 2.8383 nat (n=500, m=7, d=2; cpu)');
});

test('the package index exports the display namespace', () => {
  assert.equal(typeof divlab.display.show, 'function');
  assert.equal(divlab.display.MIME_TYPE, MIME_TYPE);
  assert.equal(divlab.display.validatePayload, validatePayload);
});
