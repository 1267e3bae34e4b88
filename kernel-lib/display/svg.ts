/**
 * A small static SVG plotter: the fallback image `show()` sends beside each payload, so notebooks
 * viewed without the extension (GitHub, nbconvert) still show the figure. Deliberately modest:
 * panels with linear or log axes, lines, markers, bands, reference lines, arrows, ellipses and
 * heatmaps; a legend; text escaped for XML. Pure string building, no DOM.
 */

export type Pt = number | null;

export interface AxisOpts {
  readonly label: string;
  readonly log?: boolean;
}

export type Layer =
  | { readonly type: 'line'; readonly x: readonly Pt[]; readonly y: readonly Pt[]; readonly color: string; readonly name?: string; readonly dash?: boolean; readonly markers?: boolean; readonly noLine?: boolean }
  | { readonly type: 'band'; readonly x: readonly Pt[]; readonly lo: readonly Pt[]; readonly hi: readonly Pt[]; readonly color: string }
  | { readonly type: 'hline'; readonly y: number; readonly color: string; readonly name?: string; readonly dash?: boolean }
  | { readonly type: 'vline'; readonly x: number; readonly color: string; readonly name?: string; readonly dash?: boolean }
  | { readonly type: 'arrows'; readonly x: readonly number[]; readonly y: readonly number[]; readonly dx: readonly number[]; readonly dy: readonly number[]; readonly color: string; readonly name?: string }
  | { readonly type: 'ellipse'; readonly cx: number; readonly cy: number; readonly cov: readonly [readonly [number, number], readonly [number, number]]; readonly scale: number; readonly color: string; readonly name?: string; readonly opacity?: number }
  | { readonly type: 'heat'; readonly x: readonly number[]; readonly y: readonly number[]; readonly z: readonly (readonly Pt[])[] }
  | { readonly type: 'bars'; readonly edges: readonly number[]; readonly counts: readonly number[]; readonly color: string; readonly name?: string };

export interface PanelSpec {
  readonly x: AxisOpts;
  readonly y: AxisOpts;
  readonly layers: readonly Layer[];
  /** Equal data units on both axes (fields, ellipses). */
  readonly equal?: boolean;
}

export interface FigureSpec {
  readonly title: string;
  readonly panels: readonly PanelSpec[];
  readonly width?: number;
  /** Height of one panel. */
  readonly panelHeight?: number;
}

/** Colours of series in order (colour-blind-safe Tableau 10). */
export const PALETTE = ['#4e79a7', '#f28e2b', '#59a14f', '#e15759', '#76b7b2', '#b07aa1', '#edc948', '#9c755f', '#ff9da7', '#bab0ac'];

/** XML-escapes text for SVG content and attributes. */
export function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const f = (v: number): string => (Math.round(v * 10) / 10).toString();

/** Tick values for [lo, hi]: "nice" 1-2-5 steps on a linear axis, powers of ten on a log axis. */
export function ticks(lo: number, hi: number, log: boolean, count = 5): number[] {
  if (!(hi > lo)) return [lo];
  if (log) {
    const a = Math.floor(Math.log10(lo)), b = Math.ceil(Math.log10(hi));
    const out: number[] = [];
    for (let e = a; e <= b; e++) {
      for (const m of b - a <= 2 ? [1, 2, 5] : [1]) {
        const v = m * 10 ** e;
        if (v >= lo * (1 - 1e-9) && v <= hi * (1 + 1e-9)) out.push(v);
      }
    }
    return out.length >= 2 ? out : ticks(lo, hi, false, count);
  }
  const raw = (hi - lo) / count;
  const p = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * p).find((s) => s >= raw) ?? 10 * p;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) out.push(Math.abs(v) < step * 1e-9 ? 0 : v);
  return out;
}

function tickText(v: number): string {
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e4 || a < 1e-3) return v.toExponential(0).replace('e+', 'e');
  return String(Number(v.toPrecision(4)));
}

/** The data range of a panel along one axis (positive values only on a log axis), padded. */
function extent(values: number[], log: boolean): [number, number] {
  let lo = Infinity, hi = -Infinity;
  for (const v of values) {
    if (!Number.isFinite(v) || (log && v <= 0)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (lo === Infinity) return log ? [1, 10] : [0, 1];
  if (log) {
    const pad = hi > lo ? (Math.log10(hi) - Math.log10(lo)) * 0.04 : 0.5;
    return [lo / 10 ** pad, hi * 10 ** pad];
  }
  const pad = hi > lo ? (hi - lo) * 0.05 : Math.max(Math.abs(lo) * 0.1, 0.5);
  return [lo - pad, hi + pad];
}

/** Ellipse outline {μ + s·L·(cos t, sin t)} with L the Cholesky factor of the covariance. */
export function ellipsePoints(cx: number, cy: number, cov: readonly (readonly number[])[], scale: number, n = 48): [number[], number[]] {
  const a = cov[0]![0]!, b = cov[0]![1]!, d = cov[1]![1]!;
  const l11 = Math.sqrt(a), l21 = b / l11, l22 = Math.sqrt(Math.max(d - l21 * l21, 0));
  const xs: number[] = [], ys: number[] = [];
  for (let i = 0; i <= n; i++) {
    const t = (2 * Math.PI * i) / n, c = Math.cos(t), s = Math.sin(t);
    xs.push(cx + scale * l11 * c);
    ys.push(cy + scale * (l21 * c + l22 * s));
  }
  return [xs, ys];
}

function layerValues(l: Layer, axis: 'x' | 'y'): number[] {
  const nn = (a: readonly Pt[]): number[] => a.filter((v): v is number => v !== null);
  switch (l.type) {
    case 'line': return nn(axis === 'x' ? l.x : l.y);
    case 'band': return axis === 'x' ? nn(l.x) : [...nn(l.lo), ...nn(l.hi)];
    case 'hline': return axis === 'y' ? [l.y] : [];
    case 'vline': return axis === 'x' ? [l.x] : [];
    case 'arrows': return [...(axis === 'x' ? l.x : l.y)];
    case 'ellipse': {
      const [xs, ys] = ellipsePoints(l.cx, l.cy, l.cov, l.scale, 16);
      return axis === 'x' ? xs : ys;
    }
    case 'heat': return [...(axis === 'x' ? l.x : l.y)];
    case 'bars': return axis === 'x' ? [...l.edges] : [0, ...l.counts];
  }
}

function path(px: (v: number) => number, py: (v: number) => number, xs: readonly Pt[], ys: readonly Pt[], xlog: boolean, ylog: boolean): string {
  let d = '', pen = false;
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i], y = ys[i];
    const ok = x !== null && y !== null && x !== undefined && y !== undefined && Number.isFinite(x) && Number.isFinite(y) && (!xlog || x > 0) && (!ylog || y > 0);
    if (!ok) { pen = false; continue; }
    d += `${pen ? 'L' : 'M'}${f(px(x))},${f(py(y))}`;
    pen = true;
  }
  return d;
}

function panel(p: PanelSpec, x0: number, y0: number, w: number, h: number, id: string): string {
  const m = { l: 62, r: 12, t: 8, b: 40 };
  const iw = w - m.l - m.r, ih = h - m.t - m.b;
  const xlog = !!p.x.log, ylog = !!p.y.log;
  let [xa, xb] = extent(p.layers.flatMap((l) => layerValues(l, 'x')), xlog);
  let [ya, yb] = extent(p.layers.flatMap((l) => layerValues(l, 'y')), ylog);
  const heat = p.layers.find((l) => l.type === 'heat');
  if (heat && heat.type === 'heat') {
    [xa, xb] = [Math.min(...heat.x), Math.max(...heat.x)];
    [ya, yb] = [Math.min(...heat.y), Math.max(...heat.y)];
  }
  const T = (v: number, log: boolean): number => (log ? Math.log10(v) : v);
  if (p.equal && !xlog && !ylog) {
    const sx = (xb - xa) / iw, sy = (yb - ya) / ih, s = Math.max(sx, sy);
    const cx = (xa + xb) / 2, cy = (ya + yb) / 2;
    [xa, xb] = [cx - (s * iw) / 2, cx + (s * iw) / 2];
    [ya, yb] = [cy - (s * ih) / 2, cy + (s * ih) / 2];
  }
  const px = (v: number): number => x0 + m.l + ((T(v, xlog) - T(xa, xlog)) / (T(xb, xlog) - T(xa, xlog))) * iw;
  const py = (v: number): number => y0 + m.t + ih - ((T(v, ylog) - T(ya, ylog)) / (T(yb, ylog) - T(ya, ylog))) * ih;
  const out: string[] = [];
  out.push(`<clipPath id="${id}"><rect x="${f(x0 + m.l)}" y="${f(y0 + m.t)}" width="${f(iw)}" height="${f(ih)}"/></clipPath>`);
  out.push(`<rect x="${f(x0 + m.l)}" y="${f(y0 + m.t)}" width="${f(iw)}" height="${f(ih)}" fill="#fff" stroke="#bbb"/>`);
  const grid: string[] = [];
  for (const t of ticks(xa, xb, xlog)) {
    const X = px(t);
    grid.push(`<line x1="${f(X)}" y1="${f(y0 + m.t)}" x2="${f(X)}" y2="${f(y0 + m.t + ih)}" stroke="#eee"/>`);
    grid.push(`<text x="${f(X)}" y="${f(y0 + m.t + ih + 14)}" text-anchor="middle">${esc(tickText(t))}</text>`);
  }
  for (const t of ticks(ya, yb, ylog)) {
    const Y = py(t);
    grid.push(`<line x1="${f(x0 + m.l)}" y1="${f(Y)}" x2="${f(x0 + m.l + iw)}" y2="${f(Y)}" stroke="#eee"/>`);
    grid.push(`<text x="${f(x0 + m.l - 5)}" y="${f(Y + 4)}" text-anchor="end">${esc(tickText(t))}</text>`);
  }
  out.push(...grid);
  out.push(`<text x="${f(x0 + m.l + iw / 2)}" y="${f(y0 + h - 6)}" text-anchor="middle">${esc(p.x.label)}${xlog ? ' (log)' : ''}</text>`);
  out.push(`<text transform="translate(${f(x0 + 14)},${f(y0 + m.t + ih / 2)}) rotate(-90)" text-anchor="middle">${esc(p.y.label)}${ylog ? ' (log)' : ''}</text>`);
  const body: string[] = [];
  const legend: { name: string; color: string; dash?: boolean }[] = [];
  for (const l of p.layers) {
    if ('name' in l && l.name) legend.push({ name: l.name, color: l.color, ...(('dash' in l && l.dash) || ((l.type === 'hline' || l.type === 'vline') && l.dash !== false) ? { dash: true } : {}) });
    switch (l.type) {
      case 'heat': {
        let zmin = Infinity, zmax = -Infinity;
        for (const r of l.z) for (const v of r) if (v !== null && Number.isFinite(v)) { zmin = Math.min(zmin, v); zmax = Math.max(zmax, v); }
        const cell = (a: readonly number[], i: number): [number, number] => [
          i > 0 ? (a[i - 1]! + a[i]!) / 2 : a[0]! - (a[1]! - a[0]!) / 2,
          i < a.length - 1 ? (a[i]! + a[i + 1]!) / 2 : a[i]! + (a[i]! - a[i - 1]!) / 2,
        ];
        l.z.forEach((row, i) => row.forEach((v, j) => {
          if (v === null || !(zmax > zmin)) return;
          const [xl, xr] = cell(l.x, j), [yl, yr] = cell(l.y, i);
          const t = 0.08 + 0.62 * ((v - zmin) / (zmax - zmin));
          const mix = (a: number): number => Math.round(255 + (a - 255) * t);
          body.push(`<rect x="${f(px(xl))}" y="${f(py(yr))}" width="${f(px(xr) - px(xl) + 0.3)}" height="${f(py(yl) - py(yr) + 0.3)}" fill="rgb(${mix(0x4e)},${mix(0x79)},${mix(0xa7)})"/>`);
        }));
        break;
      }
      case 'band': {
        const top = path(px, py, l.x, l.hi, xlog, ylog);
        const rx = [...l.x].reverse(), rlo = [...l.lo].reverse();
        const bottom = path(px, py, rx, rlo, xlog, ylog).replace(/^M/, 'L');
        if (top) body.push(`<path d="${top}${bottom}Z" fill="${l.color}" fill-opacity="0.18" stroke="none"/>`);
        break;
      }
      case 'bars':
        l.counts.forEach((c, i) => {
          const xl = px(l.edges[i]!), xr = px(l.edges[i + 1]!);
          body.push(`<rect x="${f(xl)}" y="${f(py(c))}" width="${f(Math.max(xr - xl - 0.5, 0.5))}" height="${f(py(0) - py(c))}" fill="${l.color}" fill-opacity="0.6"/>`);
        });
        break;
      case 'line': {
        if (!l.noLine) {
          const d = path(px, py, l.x, l.y, xlog, ylog);
          if (d) body.push(`<path d="${d}" fill="none" stroke="${l.color}" stroke-width="1.8"${l.dash ? ' stroke-dasharray="6 4"' : ''}/>`);
        }
        if (l.markers || l.noLine) {
          l.x.forEach((x, i) => {
            const y = l.y[i];
            if (x === null || y === null || y === undefined || (xlog && x <= 0) || (ylog && y <= 0)) return;
            body.push(`<circle cx="${f(px(x))}" cy="${f(py(y))}" r="3" fill="${l.color}"/>`);
          });
        }
        break;
      }
      case 'hline':
        if (!ylog || l.y > 0) body.push(`<line x1="${f(x0 + m.l)}" x2="${f(x0 + m.l + iw)}" y1="${f(py(l.y))}" y2="${f(py(l.y))}" stroke="${l.color}" stroke-width="1.5"${l.dash !== false ? ' stroke-dasharray="4 3"' : ''}/>`);
        break;
      case 'vline':
        if (!xlog || l.x > 0) body.push(`<line y1="${f(y0 + m.t)}" y2="${f(y0 + m.t + ih)}" x1="${f(px(l.x))}" x2="${f(px(l.x))}" stroke="${l.color}" stroke-width="1.5"${l.dash !== false ? ' stroke-dasharray="4 3"' : ''}/>`);
        break;
      case 'arrows':
        for (let i = 0; i < l.x.length; i++) {
          const X0 = px(l.x[i]!), Y0 = py(l.y[i]!), X1 = px(l.x[i]! + l.dx[i]!), Y1 = py(l.y[i]! + l.dy[i]!);
          const len = Math.hypot(X1 - X0, Y1 - Y0);
          if (!(len > 0.5)) continue;
          const ux = (X1 - X0) / len, uy = (Y1 - Y0) / len, hs = Math.min(5, len * 0.4);
          body.push(`<path d="M${f(X0)},${f(Y0)}L${f(X1)},${f(Y1)}M${f(X1 - hs * ux + hs * 0.5 * uy)},${f(Y1 - hs * uy - hs * 0.5 * ux)}L${f(X1)},${f(Y1)}L${f(X1 - hs * ux - hs * 0.5 * uy)},${f(Y1 - hs * uy + hs * 0.5 * ux)}" fill="none" stroke="${l.color}" stroke-width="1.1"/>`);
        }
        break;
      case 'ellipse': {
        const [xs, ys] = ellipsePoints(l.cx, l.cy, l.cov, l.scale);
        body.push(`<path d="${path(px, py, xs, ys, xlog, ylog)}Z" fill="none" stroke="${l.color}" stroke-width="1.5" stroke-opacity="${l.opacity ?? 1}"/>`);
        break;
      }
    }
  }
  out.push(`<g clip-path="url(#${id})">${body.join('')}</g>`);
  const seen = new Set<string>();
  const items = legend.filter((e) => (seen.has(e.name) ? false : (seen.add(e.name), true))).slice(0, 8);
  items.forEach((e, i) => {
    const Y = y0 + m.t + 12 + i * 14, X = x0 + m.l + iw - 150;
    out.push(`<line x1="${f(X)}" x2="${f(X + 18)}" y1="${f(Y - 4)}" y2="${f(Y - 4)}" stroke="${e.color}" stroke-width="2"${e.dash ? ' stroke-dasharray="4 3"' : ''}/>`);
    out.push(`<text x="${f(X + 22)}" y="${f(Y)}">${esc(e.name.length > 22 ? e.name.slice(0, 21) + '…' : e.name)}</text>`);
  });
  return out.join('');
}

/** Renders a figure (panels stacked vertically under a title) as a standalone SVG document string. */
export function renderSvg(fig: FigureSpec): string {
  const w = fig.width ?? 640, ph = fig.panelHeight ?? 300, top = 26;
  const h = top + ph * fig.panels.length;
  const uid = `d${Math.abs(hashString(fig.title + fig.panels.length)).toString(36)}`;
  const parts = fig.panels.map((p, i) => panel(p, 0, top + i * ph, w, ph, `${uid}c${i}`));
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}" font-family="sans-serif" font-size="11" fill="#333">` +
    `<rect width="${w}" height="${h}" fill="#fff"/>` +
    `<text x="${w / 2}" y="17" text-anchor="middle" font-size="13" font-weight="bold">${esc(fig.title)}</text>` +
    parts.join('') + '</svg>';
}

function hashString(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(h, 31) + s.charCodeAt(i)) | 0;
  return h;
}
