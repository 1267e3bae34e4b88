/**
 * `fallbackSvg`: the static picture of a payload (an SVG document string), sent by `show()` beside
 * the divlab MIME type for viewers without the extension. The same data as the widget, drawn by
 * the small plotter in svg.ts; `undefined` for an estimate without per-sample terms (its text/plain
 * line says everything).
 */
import { densityCurve } from './density.js';
import { fromWire, type DivlabPayload, type Num } from './payload.js';
import { formatValue } from './format.js';
import { PALETTE, renderSvg, type Layer, type PanelSpec } from './svg.js';

const color = (i: number): string => PALETTE[i % PALETTE.length]!;
const TRUTH = '#222';

/** Arrow lengths scaled so the longest is 0.9 grid cells. */
export function arrowScale(x: readonly number[], y: readonly number[], u: readonly (readonly Num[])[], v: readonly (readonly Num[])[]): number {
  const cell = Math.min(Math.abs(x[1]! - x[0]!), Math.abs(y[1]! - y[0]!));
  let max = 0;
  u.forEach((row, i) => row.forEach((a, j) => {
    const b = v[i]![j];
    if (a !== null && b !== null && b !== undefined) max = Math.max(max, Math.hypot(a, b));
  }));
  return max > 0 ? (0.9 * cell) / max : 0;
}

function arrows(x: readonly number[], y: readonly number[], u: readonly (readonly Num[])[], v: readonly (readonly Num[])[], s: number, c: string, name: string): Layer {
  const X: number[] = [], Y: number[] = [], DX: number[] = [], DY: number[] = [];
  u.forEach((row, i) => row.forEach((a, j) => {
    const b = v[i]![j];
    if (a === null || b === null || b === undefined) return;
    X.push(x[j]!); Y.push(y[i]!); DX.push(a * s); DY.push(b * s);
  }));
  return { type: 'arrows', x: X, y: Y, dx: DX, dy: DY, color: c, name };
}

/** The fallback SVG of a valid payload, or undefined when there is nothing to draw. */
export function fallbackSvg(p: DivlabPayload): string | undefined {
  switch (p.kind) {
    case 'estimate': {
      if (!p.terms) return undefined;
      const e = p.estimate;
      return renderSvg({
        title: `${p.title ?? e.estimator}: ${formatValue(e)}${p.truth !== undefined ? ` (truth ${fromWire(p.truth).toPrecision(4)})` : ''}`,
        panelHeight: 220,
        panels: [{ x: { label: 'per-sample term (nat)' }, y: { label: 'count' }, layers: [{ type: 'bars', edges: p.terms.edges, counts: p.terms.counts, color: color(0) }] }],
      });
    }
    case 'sweep': {
      const layers: Layer[] = [];
      p.series.forEach((s, i) => {
        if (s.lo && s.hi) layers.push({ type: 'band', x: s.x, lo: s.lo, hi: s.hi, color: color(i) });
      });
      p.series.forEach((s, i) => {
        const mode = s.mode ?? 'lines+markers';
        layers.push({ type: 'line', x: s.x, y: s.y, color: color(i), name: s.name, dash: !!s.dash, markers: mode !== 'lines', noLine: mode === 'markers' });
      });
      (p.hlines ?? []).forEach((h, i) => layers.push({ type: 'hline', y: h.y, color: i === 0 ? TRUTH : color(p.series.length + i), name: h.name }));
      return renderSvg({ title: p.title, panels: [{ x: p.x, y: p.y, layers }] });
    }
    case 'training': {
      const layers: Layer[] = p.series.map((s, i) => ({ type: 'line', x: s.step, y: s.value, color: color(i), name: s.name }));
      if (typeof p.truth === 'number') layers.push({ type: 'hline', y: p.truth, color: TRUTH, name: 'truth' });
      else if (p.truth) layers.push({ type: 'line', x: p.truth.step, y: p.truth.value, color: TRUTH, name: 'truth', dash: true });
      const panels: PanelSpec[] = [{ x: { label: 'step' }, y: { label: 'value' }, layers }];
      const g = p.series.filter((s) => s.gradNorm);
      if (g.length > 0) {
        panels.push({ x: { label: 'step' }, y: { label: 'gradient norm', log: true }, layers: p.series.flatMap((s, i) => (s.gradNorm ? [{ type: 'line' as const, x: s.step, y: s.gradNorm, color: color(i), name: `${s.name} ‖∇‖` }] : [])) });
      }
      return renderSvg({ title: p.title, panelHeight: g.length > 0 ? 240 : 300, panels });
    }
    case 'bandwidth': {
      const panels: PanelSpec[] = [{
        x: { label: 'h', log: true }, y: { label: `${p.selector} criterion` },
        layers: [{ type: 'line', x: p.h, y: p.score, color: color(0), name: p.selector }, { type: 'vline', x: p.hStar, color: color(3), name: `h* = ${p.hStar.toPrecision(3)}` }],
      }];
      if (p.grad) panels.push({ x: { label: 'h', log: true }, y: { label: 'd criterion / dh' }, layers: [{ type: 'line', x: p.h, y: p.grad, color: color(1), name: 'derivative' }, { type: 'hline', y: 0, color: '#999' }, { type: 'vline', x: p.hStar, color: color(3) }] });
      if (p.data && p.data.length > 0) {
        const h = p.controls?.find((c) => c.name === 'h')?.value ?? p.hStar;
        const curve = densityCurve(p.data, h);
        panels.push({ x: { label: 'x' }, y: { label: 'density' }, layers: [{ type: 'line', x: curve.t, y: curve.p, color: color(2), name: `KDE at h = ${h.toPrecision(3)}` }] });
      }
      return renderSvg({ title: p.title, panelHeight: 220, panels });
    }
    case 'field': {
      const s = arrowScale(p.x, p.y, p.u, p.v);
      const layers: Layer[] = [];
      if (p.density) layers.push({ type: 'heat', x: p.x, y: p.y, z: p.density });
      if (p.reference) layers.push(arrows(p.x, p.y, p.reference.u, p.reference.v, s, '#999', 'reference'));
      layers.push(arrows(p.x, p.y, p.u, p.v, s, color(1), 'field'));
      return renderSvg({ title: p.title, panelHeight: 420, width: 520, panels: [{ x: { label: 'x₁' }, y: { label: 'x₂' }, layers, equal: true }] });
    }
    case 'gaussians': {
      const layers: Layer[] = [];
      if (p.contour) layers.push({ type: 'heat', x: p.contour.x, y: p.contour.y, z: p.contour.z });
      const n = p.iterates.length;
      p.iterates.forEach((it, i) => {
        const last = i === n - 1;
        const c = last ? color(3) : color(0);
        const opacity = last ? 1 : 0.25 + (0.6 * i) / Math.max(1, n - 1);
        layers.push({ type: 'ellipse', cx: it.mean[0], cy: it.mean[1], cov: it.cov, scale: 1, color: c, opacity, ...(i === 0 || last ? { name: it.label } : {}) });
        if (last) layers.push({ type: 'ellipse', cx: it.mean[0], cy: it.mean[1], cov: it.cov, scale: 2, color: c, opacity: 0.6 });
      });
      layers.push({ type: 'line', x: p.iterates.map((it) => it.mean[0]), y: p.iterates.map((it) => it.mean[1]), color: '#555', markers: true, name: 'means' });
      return renderSvg({ title: p.title, panelHeight: 420, width: 520, panels: [{ x: { label: 'x₁' }, y: { label: 'x₂' }, layers, equal: true }] });
    }
  }
}
