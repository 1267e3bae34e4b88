/**
 * Number and estimate formatting shared by `show()`'s text/plain summary and the extension's
 * table, so both read the same. Pure.
 */
import { fromWire, type DivlabPayload, type JsonValue, type WireNumber } from './payload.js';

/**
 * A number with `digits` significant digits, trailing zeros dropped; scientific notation outside
 * [1e-4, 1e6). Non-finite numbers read `NaN`, `∞`, `−∞`.
 *
 * @example
 * formatNumber(2.838263)   // '2.8383'
 * formatNumber(0.000012)   // '1.2e-5'
 */
export function formatNumber(x: WireNumber, digits = 5): string {
  const v = fromWire(x);
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? '∞' : '−∞';
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e-4 && a < 1e6) {
    const s = v.toPrecision(digits);
    return s.includes('.') ? s.replace(/\.?0+$/, '') : s;
  }
  return v.toExponential(digits - 1).replace(/\.?0+e/, 'e').replace('e+', 'e');
}

/** A params value as text: strings bare, everything else as compact JSON. */
export function formatParam(v: JsonValue): string {
  return typeof v === 'string' ? v : JSON.stringify(v);
}

/** `k=3, metric=euclidean` (keys in their given order). */
export function formatParams(params: { readonly [key: string]: JsonValue }): string {
  return Object.entries(params).map(([k, v]) => `${k}=${formatParam(v)}`).join(', ');
}

/** `n=500, m=400, d=2` (m only when present). */
export function formatSizes(e: { readonly n: number; readonly m?: number; readonly d: number }): string {
  return e.m === undefined ? `n=${e.n}, d=${e.d}` : `n=${e.n}, m=${e.m}, d=${e.d}`;
}

/** `2.8383 ± 0.012 nat` (the ± part only with a standard error). */
export function formatValue(e: { readonly value: WireNumber; readonly stderr?: WireNumber; readonly unit: string }): string {
  const pm = e.stderr === undefined ? '' : ` ± ${formatNumber(e.stderr, 2)}`;
  return `${formatNumber(e.value)}${pm} ${e.unit}`;
}

/**
 * One line of plain text for a payload — the text/plain fallback beside the divlab MIME type
 * (what a front-end without the extension, nbconvert or a terminal shows).
 *
 * @example
 * summarize(p)   // 'kozachenko-leonenko: 2.8383 ± 0.012 nat (truth 2.8379; n=5000, d=2; k=3; cpu)'
 */
export function summarize(p: DivlabPayload): string {
  switch (p.kind) {
    case 'estimate': {
      const e = p.estimate;
      const parts: string[] = [];
      if (p.truth !== undefined) parts.push(`truth ${formatNumber(p.truth)}`);
      parts.push(formatSizes(e));
      const params = formatParams(e.params);
      if (params) parts.push(params);
      parts.push(e.backend);
      return `${p.title ? p.title + ' — ' : ''}${e.estimator}: ${formatValue(e)} (${parts.join('; ')})`;
    }
    case 'sweep':
      return `${p.title}: ${p.series.map((s) => s.name).join(', ')} vs ${p.x.label} (${p.series.length} series, ${p.series.reduce((a, s) => a + s.x.length, 0)} points)`;
    case 'training': {
      const last = p.series.map((s) => {
        const v = [...s.value].reverse().find((x) => x !== null);
        return `${s.name} ${v === undefined || v === null ? '—' : formatNumber(v)}`;
      });
      const truth = typeof p.truth === 'number' ? `; truth ${formatNumber(p.truth)}` : '';
      const steps = Math.max(0, ...p.series.map((s) => s.step.length));
      return `${p.title}: ${steps} steps; last ${last.join(', ')}${truth}`;
    }
    case 'bandwidth':
      return `${p.title}: ${p.selector} chose h* = ${formatNumber(p.hStar)} (criterion over ${p.h.length} bandwidths ${formatNumber(Math.min(...p.h))}…${formatNumber(Math.max(...p.h))})`;
    case 'field':
      return `${p.title}: vector field on a ${p.x.length} × ${p.y.length} grid${p.reference ? ' with a reference field' : ''}${p.density ? ' over a density' : ''}`;
    case 'gaussians': {
      const last = p.iterates[p.iterates.length - 1]!;
      return `${p.title}: ${p.iterates.length} iterates; ${last.label}: mean (${formatNumber(last.mean[0], 4)}, ${formatNumber(last.mean[1], 4)})`;
    }
  }
}
