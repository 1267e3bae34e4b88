/**
 * The figure builders (sweep, training, bandwidth, field, gaussians): valid payloads that survive
 * JSON, non-finite values as gaps, typed arrays accepted, and every malformed input rejected with
 * an InvalidParameterError naming the field; validatePayload's checks of each kind.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InvalidParameterError } from '../../kernel-lib/core/errors.js';
import { bandwidth, field, gaussians, sweep, thin, training } from '../../kernel-lib/display/figures.js';
import { MAX_SAMPLE_ROWS } from '../../kernel-lib/display/payload.js';
import { validatePayload } from '../../kernel-lib/display/validate.js';
import { summarize } from '../../kernel-lib/display/format.js';

function rejects(fn: () => unknown, pattern: RegExp): void {
  assert.throws(fn, (e: unknown) => e instanceof InvalidParameterError && pattern.test((e as Error).message), `expected InvalidParameterError matching ${pattern}`);
}
const roundTrip = (p: unknown): void => {
  const back = JSON.parse(JSON.stringify(p));
  assert.deepEqual(back, p);
  const r = validatePayload(JSON.stringify(p));
  assert.ok(r.ok, r.ok ? '' : r.error);
};

test('sweep: typed arrays become arrays, NaN/Infinity become null gaps, bands and hlines kept', () => {
  const p = sweep({
    title: 'KL vs n', x: { label: 'n', log: true }, y: { label: 'nat' },
    series: [{ name: 'WKV', x: new Float64Array([100, 200, 400]), y: [0.4, NaN, Infinity], lo: [0.3, 0.35, 0.4], hi: [0.5, 0.55, 0.6] }],
    hlines: [{ name: 'truth', y: 0.5 }],
  });
  assert.deepEqual(p.series[0]!.x, [100, 200, 400]);
  assert.deepEqual(p.series[0]!.y, [0.4, null, null]);
  assert.equal(p.kind, 'sweep');
  assert.equal(p.x.log, true);
  roundTrip(p);
  assert.match(summarize(p), /KL vs n: WKV vs n \(1 series, 3 points\)/);
});

test('sweep rejects mismatched lengths, a missing title and a bad mode, naming the field', () => {
  const base = { title: 't', x: { label: 'n' }, y: { label: 'v' } };
  rejects(() => sweep({ ...base, series: [{ name: 'a', x: [1, 2], y: [1] }] }), /series\[0\]\.y must have 2 entries/);
  rejects(() => sweep({ ...base, title: 3 as never, series: [] }), /^title: must be a string/);
  rejects(() => sweep({ ...base, series: [{ name: 'a', x: [1], y: [1], mode: 'bars' as never }] }), /mode must be "lines", "markers" or "lines\+markers"/);
  rejects(() => sweep({ ...base, series: [] }), /payload\.series must not be empty/);
  rejects(() => sweep({ ...base, series: [{ name: 'a', x: [1], y: [1] }], hlines: [{ name: 'h', y: NaN }] }), /hlines\[0\]\.y must be a finite number/);
});

test('training: a number or a curve as truth; gradient norms of matching length', () => {
  const p = training({ title: 'MINE', truth: { step: [0, 10], value: [0.5, 0.5] }, series: [{ name: 'DV', step: [0, 10], value: [0.1, 0.4], gradNorm: [1, 0.5] }] });
  roundTrip(p);
  rejects(() => training({ title: 'x', series: [{ name: 'DV', step: [0, 1], value: [0, 1], gradNorm: [1] }] }), /gradNorm must have 2 entries/);
  rejects(() => training({ title: 'x', truth: NaN, series: [{ name: 'DV', step: [0], value: [0] }] }), /payload\.truth must be a finite number/);
});

test('bandwidth: default h control over the h range starting at h*; data thinned to the cap', () => {
  const h = [0.1, 0.2, 0.4, 0.8];
  const data = Array.from({ length: 12001 }, (_, i) => Math.sin(i));
  const p = bandwidth({ title: 'LSCV', selector: 'lscv', h, score: [3, 1, 2, 4], grad: [-20, 1, 3, 4], hStar: 0.25, data });
  assert.ok(p.data!.length <= MAX_SAMPLE_ROWS && p.data!.length > MAX_SAMPLE_ROWS / 2, `thinned to ${p.data!.length}`);
  assert.deepEqual(p.data!.slice(0, 2), [data[0], data[3]], 'every third value of 12001');
  assert.deepEqual(p.controls, [{ name: 'h', label: 'h', min: 0.1, max: 0.8, log: true, step: 60, value: 0.25 }]);
  roundTrip(p);
  assert.equal(bandwidth({ title: 't', selector: 's', h, score: [1, 2, 3, 4], hStar: 0.2 }).controls, undefined, 'no data, no control');
  assert.equal(bandwidth({ title: 't', selector: 's', h, score: [1, 2, 3, 4], hStar: 0.2, data: [1, 2], controls: false }).controls, undefined);
  rejects(() => bandwidth({ title: 't', selector: 's', h: [0.1, -1], score: [1, 2], hStar: 0.2 }), /payload\.h\[1\] must be one of positive finite numbers/);
  rejects(() => bandwidth({ title: 't', selector: 's', h, score: [1, 2, 3, 4], hStar: 0 }), /hStar must be > 0/);
  rejects(() => bandwidth({ title: 't', selector: 's', h, score: [1, 2, 3, 4], hStar: 0.2, data: [1, 2], controls: [{ name: 'h', min: 0.1, max: 1, value: 2 }] }), /value 2 must lie in \[min, max\]/);
  assert.deepEqual(thin([1, 2, 3, 4, 5], 2), [1, 4], 'stride ⌈5/2⌉ = 3');
});

test('field: u, v, density and reference must match the grid (rows = y, columns = x)', () => {
  const x = [0, 1, 2], y = [0, 1];
  const g = (v: number): number[][] => y.map(() => x.map(() => v));
  const p = field({ title: 'score', x, y, u: g(1), v: g(NaN), density: g(0.2), reference: { u: g(0), v: g(1) } });
  assert.deepEqual(p.v, [[null, null, null], [null, null, null]]);
  roundTrip(p);
  rejects(() => field({ title: 's', x, y, u: [[1, 2, 3]], v: g(1) }), /payload\.u must have 2 rows/);
  rejects(() => field({ title: 's', x, y, u: g(1), v: [[1, 2], [1, 2]] }), /payload\.v\[0\] must have 3 entries/);
  rejects(() => field({ title: 's', x: [0], y: [0], u: [[1]], v: [[1]] }), /at least 2 grid points/);
});

test('gaussians: means of two numbers, symmetric positive-definite covariances', () => {
  const p = gaussians({
    title: 'VI', contour: { x: [0, 1], y: [0, 1, 2], z: [[0, 1], [1, 2], [2, 3]] },
    iterates: [{ label: 'it 0', mean: [0, 0], cov: [[1, 0.5], [0.5, 2]] }, { label: 'it 1', mean: new Float64Array([1, 1]), cov: [new Float64Array([1, 0]), [0, 1]] }],
  });
  roundTrip(p);
  assert.deepEqual(p.iterates[1]!.cov, [[1, 0], [0, 1]]);
  rejects(() => gaussians({ title: 'VI', iterates: [{ label: 'a', mean: [0, 0], cov: [[1, 2], [2, 1]] }] }), /positive definite/);
  rejects(() => gaussians({ title: 'VI', iterates: [{ label: 'a', mean: [0, 0], cov: [[1, 0.2], [0.3, 1]] }] }), /symmetric/);
  rejects(() => gaussians({ title: 'VI', iterates: [{ label: 'a', mean: [0, 0, 0], cov: [[1, 0], [0, 1]] }] }), /mean must have 2 entries/);
  rejects(() => gaussians({ title: 'VI', contour: { x: [0, 1], y: [0], z: [[1]] }, iterates: [{ label: 'a', mean: [0, 0], cov: [[1, 0], [0, 1]] }] }), /contour\.z\[0\] must have 2 entries/);
});

test('validatePayload names an unknown kind and lists the known ones', () => {
  const r = validatePayload({ version: 1, kind: 'histogram3d' });
  assert.equal(r.ok, false);
  if (!r.ok) assert.match(r.error, /"histogram3d" is not a kind this extension knows \(known: "estimate", "sweep", "training", "bandwidth", "field", "gaussians"\)/);
});
