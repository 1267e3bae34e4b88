/**
 * Payload → plotly figure ({ data, layout }), one pure function per payload kind. No DOM, no
 * plotly import: the renderer hands the result to `Plotly.react`, and the unit tests check the
 * figures directly (traces, axes, the truth line, the chosen h, arrows …).
 *
 * Strings from the payload reach plotly only through `txt()`, which escapes `&`, `<` and `>`:
 * plotly interprets a subset of HTML tags (`<a href>`, `<b>`, `<br>`) in titles and legend
 * names, and a payload must never inject markup.
 */
import { densityCurve, type DensityCurve } from '../../kernel-lib/display/density.js';
import { formatValue } from '../../kernel-lib/display/format.js';
import { histogram } from '../../kernel-lib/display/histogram.js';
import { arrowScale } from '../../kernel-lib/display/fallback.js';
import { ellipsePoints } from '../../kernel-lib/display/svg.js';
import {
  fromWire,
  type BandwidthPayload, type DivlabPayload, type EstimatePayload, type FieldPayload, type GaussiansPayload,
  type Num, type SweepPayload, type TrainingPayload,
} from '../payload.js';

/** A plotly trace or layout: plain JSON-like objects. */
export type Obj = Record<string, unknown>;

export interface Figure {
  readonly data: Obj[];
  readonly layout: Obj;
}

/** Colours and fonts, read from JupyterLab's CSS variables by the renderer (see `readTheme`). */
export interface Theme {
  /** Main text colour. */
  readonly fg: string;
  /** Secondary text and axis lines. */
  readonly fg2: string;
  /** Background of the plot. */
  readonly bg: string;
  /** Grid lines. */
  readonly grid: string;
  readonly font: string;
  /** Series colours in order. */
  readonly palette: readonly string[];
  /** The truth / reference line colour. */
  readonly truth: string;
  /** The highlight (chosen h, last iterate). */
  readonly accent: string;
}

/** The light theme's values: used when CSS variables are unavailable (tests, a bare page). */
export const DEFAULT_THEME: Theme = {
  fg: 'rgba(0, 0, 0, 0.87)', fg2: 'rgba(0, 0, 0, 0.54)', bg: '#ffffff', grid: '#e0e0e0',
  font: 'system-ui, -apple-system, "Segoe UI", Helvetica, Arial, sans-serif',
  palette: ['#4e79a7', '#f28e2b', '#59a14f', '#e15759', '#76b7b2', '#b07aa1', '#edc948', '#9c755f'],
  truth: '#444444', accent: '#e15759',
};

/** Escapes a payload string for plotly's text (which interprets some HTML tags). */
export function txt(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

const col = (t: Theme, i: number): string => t.palette[i % t.palette.length]!;

function baseLayout(t: Theme, title: string, height: number): Obj {
  return {
    title: { text: txt(title), font: { size: 14, color: t.fg }, x: 0.02, xanchor: 'left' },
    paper_bgcolor: t.bg, plot_bgcolor: t.bg,
    font: { family: t.font, color: t.fg, size: 12 },
    margin: { l: 64, r: 24, t: 40, b: 48 },
    height,
    showlegend: true,
    legend: { bgcolor: 'rgba(0,0,0,0)', font: { color: t.fg } },
    hovermode: 'closest',
  };
}

function axis(t: Theme, label: string, extra: Obj = {}): Obj {
  return {
    title: { text: txt(label), font: { color: t.fg2 } },
    gridcolor: t.grid, zerolinecolor: t.grid, linecolor: t.fg2, tickcolor: t.fg2,
    tickfont: { color: t.fg2 }, automargin: true, ...extra,
  };
}

/** Finite, positive-where-log extent of values (for reference lines across a plot). */
function span(values: readonly Num[], log = false): [number, number] | undefined {
  let lo = Infinity, hi = -Infinity;
  for (const v of values) {
    if (v === null || !Number.isFinite(v) || (log && v <= 0)) continue;
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  return lo === Infinity ? undefined : [lo, hi];
}

/**
 * Estimate: the value with ±1.96 standard-error band and the truth line (top), and the
 * distribution of the per-sample terms (bottom, when the payload carries their histogram).
 */
export function estimateFigure(p: EstimatePayload, t: Theme = DEFAULT_THEME): Figure {
  const e = p.estimate;
  const v = fromWire(e.value), se = e.stderr === undefined ? undefined : fromWire(e.stderr);
  const truth = p.truth === undefined ? undefined : fromWire(p.truth);
  const hasTerms = p.terms !== undefined && p.terms.counts.length > 0;
  const top = hasTerms ? [0.7, 1] : [0, 1];
  const data: Obj[] = [];
  data.push({
    type: 'scatter', mode: 'markers', name: txt(`estimate ${formatValue(e)}${se !== undefined ? ' (bar: ±1.96 se)' : ''}`),
    x: [Number.isFinite(v) ? v : null], y: [0], xaxis: 'x', yaxis: 'y',
    marker: { color: col(t, 0), size: 11, symbol: 'diamond' },
    ...(se !== undefined && Number.isFinite(se) ? { error_x: { type: 'data', array: [1.96 * se], color: col(t, 0), thickness: 2, width: 8 } } : {}),
    hovertemplate: `%{x:.5g} ${txt(e.unit)}<extra>estimate</extra>`,
  });
  if (truth !== undefined && Number.isFinite(truth)) {
    data.push({
      type: 'scatter', mode: 'lines', name: `truth ${truth.toPrecision(5)}`, x: [truth, truth], y: [-1, 1], xaxis: 'x', yaxis: 'y',
      line: { color: t.truth, dash: 'dash', width: 2 }, hoverinfo: 'skip',
    });
  }
  const finite = [v, truth, se !== undefined ? v - 2.2 * se : undefined, se !== undefined ? v + 2.2 * se : undefined].filter((x): x is number => x !== undefined && Number.isFinite(x));
  const lo = Math.min(...finite), hi = Math.max(...finite);
  const pad = hi > lo ? (hi - lo) * 0.25 : Math.max(Math.abs(hi) * 0.1, 0.05);
  const layout: Obj = {
    ...baseLayout(t, p.title ?? e.estimator, hasTerms ? 360 : 190),
    xaxis: axis(t, `${e.estimator} (${e.unit})`, { anchor: 'y', range: finite.length ? [lo - pad, hi + pad] : undefined }),
    yaxis: axis(t, '', { domain: top, range: [-1, 1], showticklabels: false, showgrid: false, zeroline: false, fixedrange: true, ticks: '' }),
  };
  if (hasTerms) {
    const { edges, counts } = p.terms!;
    data.push({
      type: 'bar', name: 'per-sample terms', x: counts.map((_, i) => (edges[i]! + edges[i + 1]!) / 2), y: counts,
      width: counts.map((_, i) => edges[i + 1]! - edges[i]!), xaxis: 'x2', yaxis: 'y2',
      marker: { color: col(t, 0), opacity: 0.55 }, hovertemplate: '%{x:.3g}: %{y}<extra>terms</extra>',
    });
    layout.xaxis2 = axis(t, 'per-sample term (nat)', { anchor: 'y2' });
    layout.yaxis2 = axis(t, 'count', { domain: [0, 0.48], anchor: 'x2' });
  }
  return { data, layout };
}

/** Sweep: each series as lines/markers with its band, dashed reference curves, horizontal lines. */
export function sweepFigure(p: SweepPayload, t: Theme = DEFAULT_THEME): Figure {
  const data: Obj[] = [];
  p.series.forEach((s, i) => {
    if (s.lo && s.hi) {
      data.push({
        type: 'scatter', mode: 'lines', x: [...s.x, ...[...s.x].reverse()], y: [...s.hi, ...[...s.lo].reverse()],
        fill: 'toself', fillcolor: col(t, i), opacity: 0.18, line: { width: 0 }, showlegend: false, hoverinfo: 'skip', name: txt(`${s.name} band`),
      });
    }
  });
  p.series.forEach((s, i) => {
    data.push({
      type: 'scatter', mode: s.mode ?? 'lines+markers', name: txt(s.name), x: s.x, y: s.y,
      line: { color: col(t, i), width: 2, ...(s.dash ? { dash: 'dash' } : {}) }, marker: { color: col(t, i), size: 7 },
      connectgaps: false,
    });
  });
  const xs = span(p.series.flatMap((s) => s.x), !!p.x.log);
  (p.hlines ?? []).forEach((h, i) => {
    if (!xs) return;
    data.push({
      type: 'scatter', mode: 'lines', name: txt(h.name), x: xs, y: [h.y, h.y],
      line: { color: i === 0 ? t.truth : col(t, p.series.length + i), dash: 'dot', width: 2 }, hovertemplate: `${txt(h.name)}: %{y:.5g}<extra></extra>`,
    });
  });
  return {
    data,
    layout: {
      ...baseLayout(t, p.title, 380),
      xaxis: axis(t, p.x.label, p.x.log ? { type: 'log' } : {}),
      yaxis: axis(t, p.y.label, p.y.log ? { type: 'log' } : {}),
    },
  };
}

/** Training: value vs step against the truth (top), gradient norms on a log axis (bottom) when given. */
export function trainingFigure(p: TrainingPayload, t: Theme = DEFAULT_THEME): Figure {
  const hasGrad = p.series.some((s) => s.gradNorm !== undefined);
  const data: Obj[] = p.series.map((s, i) => ({
    type: 'scatter', mode: 'lines', name: txt(s.name), x: s.step, y: s.value, xaxis: 'x', yaxis: 'y', line: { color: col(t, i), width: 2 },
  }));
  if (typeof p.truth === 'number') {
    const xs = span(p.series.flatMap((s) => s.step)) ?? [0, 1];
    data.push({ type: 'scatter', mode: 'lines', name: `truth ${p.truth.toPrecision(4)}`, x: xs, y: [p.truth, p.truth], xaxis: 'x', yaxis: 'y', line: { color: t.truth, dash: 'dash', width: 2 } });
  } else if (p.truth) {
    data.push({ type: 'scatter', mode: 'lines', name: 'truth', x: p.truth.step, y: p.truth.value, xaxis: 'x', yaxis: 'y', line: { color: t.truth, dash: 'dash', width: 2 } });
  }
  p.series.forEach((s, i) => {
    if (s.gradNorm) {
      data.push({ type: 'scatter', mode: 'lines', name: txt(`${s.name} ‖∇‖`), x: s.step, y: s.gradNorm, xaxis: 'x2', yaxis: 'y2', line: { color: col(t, i), width: 1.5, dash: 'dot' } });
    }
  });
  const layout: Obj = {
    ...baseLayout(t, p.title, hasGrad ? 440 : 340),
    xaxis: axis(t, hasGrad ? '' : 'step', { anchor: 'y', ...(hasGrad ? { matches: 'x2', showticklabels: false } : {}) }),
    yaxis: axis(t, 'value', { domain: hasGrad ? [0.4, 1] : [0, 1] }),
  };
  if (hasGrad) {
    layout.xaxis2 = axis(t, 'step', { anchor: 'y2' });
    layout.yaxis2 = axis(t, 'gradient norm', { type: 'log', domain: [0, 0.3], anchor: 'x2' });
  }
  return { data, layout };
}

/** Linear interpolation of `ys` at `x` over increasing `xs` (log-x when `log`); null outside. */
export function interpolate(xs: readonly number[], ys: readonly Num[], x: number, log = false): number | null {
  const T = (v: number): number => (log ? Math.log(v) : v);
  for (let i = 0; i + 1 < xs.length; i++) {
    const a = xs[i]!, b = xs[i + 1]!;
    if ((x - a) * (x - b) <= 0) {
      const ya = ys[i], yb = ys[i + 1];
      if (ya === null || yb === null || ya === undefined || yb === undefined) return null;
      const w = T(b) === T(a) ? 0 : (T(x) - T(a)) / (T(b) - T(a));
      return ya + w * (yb - ya);
    }
  }
  return null;
}

/** The h a bandwidth payload currently shows: its `h` control's value, else h*. */
export function chosenH(p: BandwidthPayload): number {
  return p.controls?.find((c) => c.name === 'h')?.value ?? p.hStar;
}

/**
 * Bandwidth: the criterion vs h (log axis) with its derivative (right axis), h* (dashed) and the
 * chosen h (a marker); with data, the sample's histogram and its kernel density at the chosen h
 * (`curve`, computed by the caller — in the renderer, off the main thread when slow).
 */
export function bandwidthFigure(p: BandwidthPayload, t: Theme = DEFAULT_THEME, curve?: DensityCurve): Figure {
  const h = chosenH(p);
  const hasData = p.data !== undefined && p.data.length > 0;
  const top = hasData ? [0.56, 1] : [0, 1];
  const data: Obj[] = [
    { type: 'scatter', mode: 'lines', name: txt(`${p.selector} criterion`), x: p.h, y: p.score, xaxis: 'x', yaxis: 'y', line: { color: col(t, 0), width: 2 } },
  ];
  if (p.grad) data.push({ type: 'scatter', mode: 'lines', name: 'derivative', x: p.h, y: p.grad, xaxis: 'x', yaxis: 'y2', line: { color: col(t, 1), width: 1.5, dash: 'dot' } });
  const sAt = interpolate(p.h, p.score, h, true);
  data.push({ type: 'scatter', mode: 'markers', name: `chosen h = ${h.toPrecision(3)}`, x: [h], y: [sAt], xaxis: 'x', yaxis: 'y', marker: { color: t.accent, size: 11, symbol: 'circle-open', line: { width: 3 } } });
  const layout: Obj = {
    ...baseLayout(t, p.title, hasData ? 520 : 340),
    xaxis: axis(t, 'bandwidth h', { type: 'log', anchor: 'y', ...(p.grad ? { domain: [0, 0.86] } : {}) }),
    yaxis: axis(t, 'criterion', { domain: top }),
    shapes: [{ type: 'line', xref: 'x', yref: 'paper', x0: p.hStar, x1: p.hStar, y0: top[0], y1: top[1], line: { color: t.truth, dash: 'dash', width: 1.5 } }],
    annotations: [{ xref: 'x', yref: 'paper', x: Math.log10(p.hStar), y: top[1], text: `h* = ${p.hStar.toPrecision(3)}`, showarrow: false, yanchor: 'bottom', font: { color: t.fg2 } }],
  };
  if (p.grad) layout.yaxis2 = axis(t, 'derivative', { overlaying: 'y', side: 'right', showgrid: false, zeroline: true });
  if (hasData) {
    const xs = p.data!;
    const c = curve ?? densityCurve(xs, h);
    const bins = Math.max(10, Math.min(60, Math.round(Math.sqrt(xs.length))));
    const hist = histogram(xs, bins);
    const total = xs.length;
    data.push({
      type: 'bar', name: 'data', x: hist.counts.map((_, i) => (hist.edges[i]! + hist.edges[i + 1]!) / 2),
      y: hist.counts.map((c, i) => c / (total * (hist.edges[i + 1]! - hist.edges[i]!))), width: hist.counts.map((_, i) => hist.edges[i + 1]! - hist.edges[i]!),
      xaxis: 'x3', yaxis: 'y3', marker: { color: t.fg2, opacity: 0.25 }, hoverinfo: 'skip',
    });
    data.push({ type: 'scatter', mode: 'lines', name: `density at h = ${h.toPrecision(3)}`, x: c.t, y: c.p, xaxis: 'x3', yaxis: 'y3', line: { color: t.accent, width: 2.5 } });
    layout.xaxis3 = axis(t, 'x', { anchor: 'y3', range: [c.t[0], c.t[c.t.length - 1]], ...(p.grad ? { domain: [0, 0.86] } : {}) });
    layout.yaxis3 = axis(t, 'density', { domain: [0, 0.4], anchor: 'x3' });
  }
  return { data, layout };
}

/** Arrow segments (shaft and head, null-separated) of a field, for one scatter trace. */
export function arrowPath(x: readonly number[], y: readonly number[], u: readonly (readonly Num[])[], v: readonly (readonly Num[])[], scale: number): { x: Num[]; y: Num[] } {
  const X: Num[] = [], Y: Num[] = [];
  u.forEach((row, i) => row.forEach((a, j) => {
    const b = v[i]?.[j];
    if (a === null || b === null || b === undefined) return;
    const x0 = x[j]!, y0 = y[i]!, dx = a * scale, dy = b * scale;
    const len = Math.hypot(dx, dy);
    if (!(len > 0)) return;
    const x1 = x0 + dx, y1 = y0 + dy, hs = 0.3 * len, ux = dx / len, uy = dy / len;
    X.push(x0, x1, null, x1 - hs * (ux - 0.5 * uy), x1, x1 - hs * (ux + 0.5 * uy), null);
    Y.push(y0, y1, null, y1 - hs * (uy + 0.5 * ux), y1, y1 - hs * (uy - 0.5 * ux), null);
  }));
  return { x: X, y: Y };
}

/** Field: arrows (longest = 0.9 grid cells) over the density heatmap, the reference field in grey. */
export function fieldFigure(p: FieldPayload, t: Theme = DEFAULT_THEME): Figure {
  const s = arrowScale(p.x, p.y, p.u, p.v);
  const data: Obj[] = [];
  if (p.density) {
    data.push({ type: 'heatmap', name: 'density', x: p.x, y: p.y, z: p.density, colorscale: [[0, t.bg], [1, col(t, 0)]], opacity: 0.75, showscale: false, hovertemplate: 'density %{z:.3g}<extra></extra>' });
  }
  if (p.reference) {
    const r = arrowPath(p.x, p.y, p.reference.u, p.reference.v, s);
    data.push({ type: 'scatter', mode: 'lines', name: 'reference', x: r.x, y: r.y, line: { color: t.fg2, width: 1.2 }, hoverinfo: 'skip' });
  }
  const a = arrowPath(p.x, p.y, p.u, p.v, s);
  data.push({ type: 'scatter', mode: 'lines', name: 'field', x: a.x, y: a.y, line: { color: col(t, 1), width: 1.6 }, hoverinfo: 'skip' });
  return {
    data,
    layout: {
      ...baseLayout(t, p.title, 480),
      xaxis: axis(t, 'x₁', { range: [Math.min(...p.x), Math.max(...p.x)], constrain: 'domain' }),
      yaxis: axis(t, 'x₂', { range: [Math.min(...p.y), Math.max(...p.y)], scaleanchor: 'x', scaleratio: 1, constrain: 'domain' }),
    },
  };
}

/** Gaussians: the target's contours, each iterate's 1-sd ellipse (fading in), the last one's 1- and 2-sd ellipses, the path of the means. */
export function gaussiansFigure(p: GaussiansPayload, t: Theme = DEFAULT_THEME): Figure {
  const data: Obj[] = [];
  if (p.contour) {
    data.push({
      type: 'contour', name: 'target', x: p.contour.x, y: p.contour.y, z: p.contour.z, showscale: false, ncontours: 14,
      colorscale: [[0, t.bg], [1, col(t, 0)]], contours: { coloring: 'fill', showlines: true }, line: { color: t.grid, width: 0.5 }, opacity: 0.55, hoverinfo: 'skip',
    });
  }
  const n = p.iterates.length;
  p.iterates.forEach((it, i) => {
    const last = i === n - 1;
    for (const k of last ? [1, 2] : [1]) {
      const [xs, ys] = ellipsePoints(it.mean[0], it.mean[1], it.cov, k, 64);
      data.push({
        type: 'scatter', mode: 'lines', name: txt(last ? `${it.label} (${k} sd)` : it.label), x: xs, y: ys,
        line: { color: last ? t.accent : col(t, 0), width: last ? 2.5 : 1.5, ...(k === 2 ? { dash: 'dash' } : {}) },
        opacity: last ? 1 : 0.25 + (0.6 * i) / Math.max(1, n - 1), showlegend: last || i === 0, hoverinfo: 'skip',
      });
    }
  });
  data.push({
    type: 'scatter', mode: 'lines+markers', name: 'means', x: p.iterates.map((it) => it.mean[0]), y: p.iterates.map((it) => it.mean[1]),
    text: p.iterates.map((it) => txt(it.label)), line: { color: t.fg2, width: 1 }, marker: { color: t.fg2, size: 6 }, hovertemplate: '%{text}: (%{x:.3g}, %{y:.3g})<extra></extra>',
  });
  return {
    data,
    layout: {
      ...baseLayout(t, p.title, 480),
      xaxis: axis(t, 'x₁', p.contour ? { range: [Math.min(...p.contour.x), Math.max(...p.contour.x)], constrain: 'domain' } : { constrain: 'domain' }),
      yaxis: axis(t, 'x₂', { scaleanchor: 'x', scaleratio: 1, constrain: 'domain', ...(p.contour ? { range: [Math.min(...p.contour.y), Math.max(...p.contour.y)] } : {}) }),
    },
  };
}

/** The figure of any valid payload (`curve`: a precomputed density for the bandwidth view). */
export function figureFor(p: DivlabPayload, t: Theme = DEFAULT_THEME, curve?: DensityCurve): Figure {
  switch (p.kind) {
    case 'estimate': return estimateFigure(p, t);
    case 'sweep': return sweepFigure(p, t);
    case 'training': return trainingFigure(p, t);
    case 'bandwidth': return bandwidthFigure(p, t, curve);
    case 'field': return fieldFigure(p, t);
    case 'gaussians': return gaussiansFigure(p, t);
  }
}
