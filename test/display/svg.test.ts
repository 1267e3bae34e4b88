/**
 * The static SVG fallback: well-formed standalone SVG for every kind, payload text escaped (no
 * markup injection), log axes with power-of-ten ticks, ellipses from the covariance's Cholesky
 * factor, histogram and density helpers.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bandwidth, field, gaussians, sweep, training } from '../../kernel-lib/display/figures.js';
import { fallbackSvg, arrowScale } from '../../kernel-lib/display/fallback.js';
import { ellipsePoints, esc, renderSvg, ticks } from '../../kernel-lib/display/svg.js';
import { histogram } from '../../kernel-lib/display/histogram.js';
import { densityCurve } from '../../kernel-lib/display/density.js';
import { estimatePayload } from '../../kernel-lib/display/estimate-payload.js';
import { gaussian, knn } from '../../kernel-lib/index.js';

const grid = [-1, 0, 1];
const payloads = [
  sweep({ title: 'a <b>&</b>', x: { label: 'n', log: true }, y: { label: 'v' }, series: [{ name: '<script>', x: [10, 100, 1000], y: [1, 2, NaN], lo: [0, 1, 1], hi: [2, 3, 3] }], hlines: [{ name: 't', y: 1.5 }] }),
  training({ title: 't', truth: 0.5, series: [{ name: 's', step: [0, 1, 2], value: [0, 0.3, 0.45], gradNorm: [1, 0.1, 0.01] }] }),
  bandwidth({ title: 'b', selector: 'lscv', h: [0.1, 0.2, 0.4], score: [2, 1, 3], grad: [-5, 0, 5], hStar: 0.2, data: [0, 0.5, 1, 1.5] }),
  field({ title: 'f', x: grid, y: grid, u: grid.map(() => grid.map((a) => -a)), v: grid.map((b) => grid.map(() => -b)), density: grid.map(() => [0.1, 0.5, 0.1]) }),
  gaussians({ title: 'g', contour: { x: grid, y: grid, z: grid.map(() => [0, 1, 0]) }, iterates: [{ label: 'i0', mean: [0, 0], cov: [[1, 0], [0, 1]] }, { label: 'i1', mean: [1, 0], cov: [[0.5, 0.1], [0.1, 0.5]] }] }),
];

test('every kind draws a standalone SVG; payload text is escaped', () => {
  for (const p of payloads) {
    const svg = fallbackSvg(p)!;
    assert.match(svg, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" width="\d+" height="\d+"/, p.kind);
    assert.ok(svg.endsWith('</svg>'));
    assert.equal((svg.match(/<svg/g) ?? []).length, 1);
    assert.ok(!svg.includes('NaN'), `${p.kind}: no NaN coordinates`);
  }
  const s = fallbackSvg(payloads[0]!)!;
  assert.ok(!s.includes('<script>') && !s.includes('<b>'), 'markup from the payload is escaped');
  assert.ok(s.includes('&lt;script&gt;') && s.includes('a &lt;b&gt;&amp;&lt;/b&gt;'));
  assert.equal(esc(`"'<>&`), '&quot;&#39;&lt;&gt;&amp;');
});

test('a gap (null) breaks the line instead of drawing to zero', () => {
  const svg = renderSvg({ title: 't', panels: [{ x: { label: 'x' }, y: { label: 'y' }, layers: [{ type: 'line', x: [0, 1, 2, 3], y: [0, 1, null, 3], color: '#000' }] }] });
  const d = /<path d="([^"]+)" fill="none" stroke="#000"/.exec(svg)![1]!;
  assert.equal((d.match(/M/g) ?? []).length, 2, 'two sub-paths around the gap');
  assert.equal((d.match(/L/g) ?? []).length, 1);
});

test('ticks: powers of ten on log axes, 1-2-5 steps on linear axes', () => {
  assert.deepEqual(ticks(10, 10000, true), [10, 100, 1000, 10000]);
  assert.deepEqual(ticks(0.1, 0.8, true), [0.1, 0.2, 0.5]);
  assert.deepEqual(ticks(0, 1, false), [0, 0.2, 0.4, 0.6000000000000001, 0.8, 1]);
  assert.deepEqual(ticks(-3, 3, false), [-2, 0, 2]);
});

test('ellipse points satisfy (p − μ)ᵀ Σ⁻¹ (p − μ) = s²', () => {
  const cov = [[2, 0.6], [0.6, 1]];
  const [xs, ys] = ellipsePoints(1, -1, cov, 2, 24);
  const det = 2 * 1 - 0.36;
  for (let i = 0; i < xs.length; i++) {
    const dx = xs[i]! - 1, dy = ys[i]! + 1;
    const q = (1 * dx * dx - 2 * 0.6 * dx * dy + 2 * dy * dy) / det;
    assert.ok(Math.abs(q - 4) < 1e-12, `q = ${q}`);
  }
});

test('arrowScale makes the longest arrow 0.9 grid cells', () => {
  const s = arrowScale([0, 0.5, 1], [0, 0.5], [[1, 2, 0], [0, 0, 0]], [[0, 0, 0], [0, 0, 4]]);
  assert.equal(s, (0.9 * 0.5) / 4);
});

test('histogram: counts every finite value once, last bin closed; density integrates to one', () => {
  const h = histogram([0, 1, 1, 2, NaN, Infinity], 2);
  assert.deepEqual(h, { edges: [0, 1, 2], counts: [1, 3] });
  assert.deepEqual(histogram([5, 5], 10), { edges: [4.5, 5.5], counts: [2] });
  const data = Array.from({ length: 300 }, (_, i) => Math.sin(i * 1.7) * 2);
  const c = densityCurve(data, 0.3, 400);
  let area = 0;
  for (let i = 1; i < c.t.length; i++) area += ((c.p[i]! + c.p[i - 1]!) / 2) * (c.t[i]! - c.t[i - 1]!);
  assert.ok(Math.abs(area - 1) < 2e-3, `∫p̂ = ${area}`);
  // one point: the Gaussian density itself
  const one = densityCurve([0], 0.5, 3);
  assert.ok(Math.abs(one.p[1]! - 1 / (0.5 * Math.sqrt(2 * Math.PI))) < 1e-15);
});

test('an estimate with terms gets a histogram SVG; without terms none', () => {
  const P = gaussian.isotropic([0]);
  const e = knn.entropy(gaussian.sample(P, 200, 3), { k: 3 });
  const p = estimatePayload(e, { truth: gaussian.entropy([[1]], 1) });
  assert.equal(p.terms!.counts.reduce((a, b) => a + b, 0), 200);
  assert.match(fallbackSvg(p)!, /kozachenko-leonenko/);
  assert.equal(fallbackSvg(estimatePayload({ ...e, terms: undefined })), undefined);
});
