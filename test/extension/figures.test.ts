/**
 * The views' figure-building functions (payload → plotly data/layout): what each kind draws, on
 * which axes, with the truth / h* / chosen h / arrows where they belong, theme colours applied,
 * and payload text escaped before plotly sees it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bandwidth, field, gaussians, sweep, training } from '../../kernel-lib/display/figures.js';
import { estimatePayload } from '../../kernel-lib/display/estimate-payload.js';
import { densityCurve } from '../../kernel-lib/display/density.js';
import { gaussian, knn } from '../../kernel-lib/index.js';
import {
  DEFAULT_THEME, arrowPath, bandwidthFigure, chosenH, estimateFigure, fieldFigure, figureFor, gaussiansFigure, interpolate,
  sweepFigure, trainingFigure, txt, type Obj, type Theme,
} from '../../extension/views/figures.js';

const dark: Theme = { ...DEFAULT_THEME, bg: '#111111', fg: '#eeeeee', grid: '#333333' };
const named = (data: Obj[], re: RegExp): Obj[] => data.filter((t) => re.test(String(t.name)));

test('estimate: value with ±1.96 se error bar, dashed truth line, histogram of the terms on a second axis', () => {
  const P = gaussian.isotropic([0, 0]), Q = gaussian.isotropic([1, 0]);
  const e = knn.kl(gaussian.sample(P, 300, 1), gaussian.sample(Q, 300, 2), { k: 5 });
  const p = estimatePayload(e, { truth: 0.5 });
  const { data, layout } = estimateFigure(p);
  const [est] = named(data, /^estimate/);
  assert.deepEqual(est!.x, [e.value]);
  assert.ok(Math.abs(((est!.error_x as Obj).array as number[])[0]! - 1.96 * e.stderr!) < 1e-12);
  const [truth] = named(data, /^truth/);
  assert.deepEqual(truth!.x, [0.5, 0.5]);
  assert.equal((truth!.line as Obj).dash, 'dash');
  const bars = data.find((t) => t.type === 'bar')!;
  assert.equal(bars.xaxis, 'x2');
  assert.equal((bars.y as number[]).reduce((a, b) => a + b, 0), 300, 'every term counted');
  const range = (layout.xaxis as Obj).range as number[];
  assert.ok(range[0]! < Math.min(e.value - 1.96 * e.stderr!, 0.5) && range[1]! > Math.max(e.value + 1.96 * e.stderr!, 0.5), 'band and truth in view');
  // no terms: a single row
  const { data: d2, layout: l2 } = estimateFigure({ ...p, terms: undefined });
  assert.ok(!d2.some((t) => t.type === 'bar') && l2.xaxis2 === undefined);
});

test('sweep: one trace per series, a filled band behind, hlines spanning the x range, log axes', () => {
  const p = sweep({
    title: 'KL vs n', x: { label: 'n', log: true }, y: { label: 'nat', log: false },
    series: [{ name: 'WKV', x: [100, 1000], y: [0.4, 0.48], lo: [0.3, 0.45], hi: [0.5, 0.51] }, { name: 'rate', x: [100, 1000], y: [0.6, 0.52], dash: true, mode: 'lines' }],
    hlines: [{ name: 'truth', y: 0.5 }],
  });
  const { data, layout } = sweepFigure(p);
  const band = data.find((t) => t.fill === 'toself')!;
  assert.deepEqual(band.x, [100, 1000, 1000, 100]);
  assert.deepEqual(band.y, [0.5, 0.51, 0.45, 0.3]);
  assert.equal(data.indexOf(band), 0, 'the band is drawn first (behind the line)');
  assert.equal((named(data, /^rate$/)[0]!.line as Obj).dash, 'dash');
  assert.equal(named(data, /^rate$/)[0]!.mode, 'lines');
  assert.deepEqual(named(data, /^truth$/)[0]!.x, [100, 1000]);
  assert.equal((layout.xaxis as Obj).type, 'log');
  assert.equal((layout.yaxis as Obj).type, undefined);
});

test('training: the truth as a line at its value; gradient norms on a log axis below', () => {
  const p = training({ title: 'MINE', truth: 0.5, series: [{ name: 'DV', step: [0, 5, 10], value: [0, 0.3, 0.45], gradNorm: [2, 1, 0.5] }] });
  const { data, layout } = trainingFigure(p);
  assert.deepEqual(named(data, /^truth/)[0]!.y, [0.5, 0.5]);
  assert.deepEqual(named(data, /^truth/)[0]!.x, [0, 10]);
  const g = named(data, /‖∇‖/)[0]!;
  assert.equal(g.yaxis, 'y2');
  assert.equal((layout.yaxis2 as Obj).type, 'log');
  const noGrad = trainingFigure(training({ title: 'M', series: [{ name: 'DV', step: [0], value: [0] }] }));
  assert.equal(noGrad.layout.yaxis2, undefined);
});

test('bandwidth: criterion on a log h axis, h* line, chosen-h marker on the curve, density at the chosen h', () => {
  const data = Array.from({ length: 500 }, (_, i) => Math.sin(i * 0.37) * 1.5);
  const p = bandwidth({ title: 'LSCV', selector: 'lscv', h: [0.1, 0.2, 0.4, 0.8], score: [4, 2, 1, 3], grad: [-30, -10, 2, 5], hStar: 0.4, data });
  assert.equal(chosenH(p), 0.4);
  const moved = { ...p, controls: p.controls!.map((c) => ({ ...c, value: 0.2 })) };
  const { data: traces, layout } = bandwidthFigure(moved);
  assert.equal((layout.xaxis as Obj).type, 'log');
  assert.equal(((layout.shapes as Obj[])[0]!).x0, 0.4, 'h* stays where the selector put it');
  const marker = named(traces, /^chosen h/)[0]!;
  assert.deepEqual(marker.x, [0.2]);
  assert.deepEqual(marker.y, [2], 'on the criterion curve');
  const dens = named(traces, /^density at h = 0\.200/)[0]!;
  assert.deepEqual(dens.y, densityCurve(data, 0.2).p);
  assert.equal(named(traces, /^derivative$/)[0]!.yaxis, 'y2');
  const hist = traces.find((t) => t.name === 'data')!;
  const widths = hist.width as number[], heights = hist.y as number[];
  assert.ok(Math.abs(heights.reduce((a, h, i) => a + h * widths[i]!, 0) - 1) < 1e-12, 'histogram normalised to a density');
  assert.equal(interpolate([0.1, 1], [0, 1], Math.sqrt(0.1), true), 0.5, 'log-x interpolation');
  assert.equal(interpolate([0.1, 1], [0, 1], 2), null);
});

test('field: arrows as null-separated segments scaled to 0.9 cells, over the density heatmap, equal aspect', () => {
  const x = [0, 1], y = [0, 1];
  const p = field({ title: 'f', x, y, u: [[1, 0], [0, 0]], v: [[0, 0], [0, 2]], density: [[1, 2], [3, 4]], reference: { u: [[1, 1], [1, 1]], v: [[0, 0], [0, 0]] } });
  const { data, layout } = fieldFigure(p);
  assert.equal(data[0]!.type, 'heatmap');
  const arrows = named(data, /^field$/)[0]!;
  const xs = arrows.x as (number | null)[], ys = arrows.y as (number | null)[];
  // the first arrow: from (0, 0) along +x, length 0.9 × 1 × (1/2) (scale = 0.9 · cell / max |v| = 0.45)
  assert.deepEqual([xs[0], ys[0], xs[1], ys[1], xs[2]], [0, 0, 0.45, 0, null]);
  // the second arrow (the zero vectors are skipped): from (1, 1) along +y, length 0.9
  assert.deepEqual([xs[7], ys[7], xs[8]], [1, 1, 1]);
  assert.ok(Math.abs((ys[8] as number) - 1.9) < 1e-12);
  assert.equal((layout.yaxis as Obj).scaleanchor, 'x');
  assert.equal(named(data, /^reference$/).length, 1);
  assert.equal(arrowPath(x, y, [[null, 0], [0, 0]], [[1, 0], [0, 0]], 1).x.length, 0, 'nulls and zero vectors draw nothing');
});

test('gaussians: contours, a 1-sd ellipse per iterate plus 2-sd for the last, the path of the means', () => {
  const p = gaussians({ title: 'VI', contour: { x: [0, 1], y: [0, 1], z: [[0, 1], [1, 2]] }, iterates: [{ label: 'a', mean: [0, 0], cov: [[1, 0], [0, 1]] }, { label: 'b', mean: [1, 1], cov: [[2, 0], [0, 0.5]] }] });
  const { data } = gaussiansFigure(p);
  assert.equal(data[0]!.type, 'contour');
  assert.deepEqual(named(data, /sd\)$/).map((t) => t.name), ['b (1 sd)', 'b (2 sd)']);
  const b2 = named(data, /^b \(2 sd\)$/)[0]!;
  assert.ok(Math.abs(Math.max(...(b2.x as number[])) - (1 + 2 * Math.SQRT2)) < 1e-12, 'x half-width 2·√2');
  assert.deepEqual(named(data, /^means$/)[0]!.x, [0, 1]);
});

test('theme colours are applied; payload text is escaped for plotly', () => {
  const p = sweep({ title: '<a href="javascript:alert(1)">x</a>', x: { label: '<b>n</b>' }, y: { label: 'v' }, series: [{ name: '<i>s</i>', x: [1], y: [1] }] });
  const { data, layout } = figureFor(p, dark);
  assert.equal(layout.paper_bgcolor, '#111111');
  assert.equal(((layout.font as Obj).color), '#eeeeee');
  assert.equal((layout.xaxis as Obj).gridcolor, '#333333');
  const text = JSON.stringify({ data, layout });
  assert.ok(!/<a |<b>|<i>/.test(text), 'no raw markup reaches plotly');
  assert.equal(txt('<a href="x">&</a>'), '&lt;a href="x"&gt;&amp;&lt;/a&gt;');
});
