import { InvalidParameterError, TooFewSamplesError } from '../core/errors.js';
import type { Samples } from '../core/matrix.js';
import { perCoordinate, prepare, type BandwidthSelection, type SelectorOptions } from './selection.js';

/** Grid size of the binned data (Botev et al. use 2^14). */
export const ISJ_GRID = 1 << 14;

/**
 * Improved Sheather–Jones bandwidth for d = 1 (Botev, Grotowski & Kroese 2010, "Kernel density
 * estimation via diffusion", Ann. Stat. 38(5) 2916–2957): the data are binned on a grid of
 * {@link ISJ_GRID} points spanning [min − R/2, max + R/2] (width R′ = 2R), transformed by a DCT-II,
 * a_k = 2 Σ_j c_j cos(πk(2j+1)/(2·2^14)), and the diffusion time t* solves the fixed point
 *   t = ξγ^[ℓ](t),  ℓ = 7  (their eqs. (29)–(30), the functional ‖f^(s)‖² estimated recursively
 *   with t_s = (2 (1 + 2^{−(s+1/2)})/3 · (1·3·…·(2s−1))/√(2π) / (N ‖f^(s+1)‖²))^{2/(3+2s)}, s = ℓ−1 … 2,
 *   and t = (2N √π ‖f''‖²)^{−2/5}),
 * ‖f^(s)‖² = 2π^{2s} Σ_k k^{2s} (a_k/2)² e^{−k²π² t}; N = number of distinct data values. The
 * bandwidth is √t*·R′ in data units; `h` reports it as a factor of the standard deviation (ddof 1;
 * data units with `covariance: 'identity'`). The root is bracketed as in Botev's reference code
 * (upper end 1e−12 + 0.01(N′ − 50)/1000, doubled up to 0.1) and found by bisection to machine precision.
 * Throws when the fixed point has no root in (0, 0.1] (e.g. too few distinct values).
 */
export function isj(x: Samples, opts: SelectorOptions = {}): BandwidthSelection {
  const { x: X, s } = prepare(x, opts);
  if (X.cols !== 1) throw new InvalidParameterError('x', `ISJ is defined for 1-D data; got d = ${X.cols} (use lcv or lscv)`);
  const data = X.data;
  const n = data.length;
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of data) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  const distinct = new Set(data).size;
  if (distinct < 3) throw new TooFewSamplesError('x', `has ${distinct} distinct values; ISJ needs at least 3`);
  const range = hi - lo;
  const MIN = lo - range / 2;
  const R = 2 * range;
  const G = ISJ_GRID;
  const dx = R / (G - 1);
  // Histogram on the mesh (bin k holds [MIN + k dx, MIN + (k+1) dx)), normalised to sum 1.
  const c = new Float64Array(G);
  for (const v of data) c[Math.min(G - 1, Math.floor((v - MIN) / dx))] += 1;
  for (let k = 0; k < G; k++) c[k] /= n;
  const a = dct2(c);
  const I = new Float64Array(G - 1);
  const a2 = new Float64Array(G - 1);
  for (let k = 1; k < G; k++) {
    I[k - 1] = k * k;
    a2[k - 1] = (a[k] / 2) ** 2;
  }
  const N = distinct;
  const norm = (sOrder: number, t: number): number => {
    let f = 0;
    for (let k = 0; k < I.length; k++) f += I[k] ** sOrder * a2[k] * Math.exp(-I[k] * Math.PI * Math.PI * t);
    return 2 * Math.PI ** (2 * sOrder) * f;
  };
  const fixedPoint = (t: number): number => {
    const l = 7;
    let f = norm(l, t);
    for (let sOrder = l - 1; sOrder >= 2; sOrder--) {
      let k0 = 1;
      for (let j = 1; j <= 2 * sOrder - 1; j += 2) k0 *= j;
      k0 /= Math.sqrt(2 * Math.PI);
      const cst = (1 + 0.5 ** (sOrder + 0.5)) / 3;
      const time = ((2 * cst * k0) / N / f) ** (2 / (3 + 2 * sOrder));
      f = norm(sOrder, time);
    }
    return t - (2 * N * Math.sqrt(Math.PI) * f) ** (-2 / 5);
  };
  const Nc = Math.min(1050, Math.max(50, N));
  let top = 1e-12 + (0.01 * (Nc - 50)) / 1000;
  while (!(fixedPoint(top) > 0)) {
    if (top >= 0.1) throw new TooFewSamplesError('x', 'the ISJ fixed point has no root in (0, 0.1]; use lcv, lscv or silverman for these data');
    top = Math.min(0.1, top * 2);
  }
  let a0 = 0;
  let b0 = top;
  for (let it = 0; it < 200 && b0 - a0 > 1e-15 * b0; it++) {
    const m = 0.5 * (a0 + b0);
    if (fixedPoint(m) > 0) b0 = m;
    else a0 = m;
  }
  const tStar = 0.5 * (a0 + b0);
  const bw = Math.sqrt(tStar) * R;
  const sd = s.kind === 'identity' ? 1 : Math.sqrt(s.covariance[0]);
  const points = 25;
  const ch = new Float64Array(points);
  const cs = new Float64Array(points);
  for (let k = 0; k < points; k++) {
    const t = tStar * 10 ** (-2 + (4 * k) / (points - 1));
    ch[k] = (Math.sqrt(t) * R) / sd;
    cs[k] = fixedPoint(t);
  }
  const h = bw / sd;
  return {
    selector: 'isj', h, bandwidths: perCoordinate(h, s, 1), curve: { h: ch, score: cs }, grad: new Float64Array(0),
    score: fixedPoint(tStar), covariance: s.kind, n, d: 1,
  };
}

/**
 * DCT-II as in Botev's `dct1d`: out_0 = Σ_j x_j, out_k = 2 Σ_j x_j cos(πk(2j+1)/(2G)) (k ≥ 1), by one
 * complex FFT of the even/odd reordered input (Makhoul 1980). G must be a power of two.
 */
export function dct2(x: Float64Array): Float64Array {
  const G = x.length;
  const re = new Float64Array(G);
  const im = new Float64Array(G);
  const half = G >> 1;
  for (let j = 0; j < half; j++) {
    re[j] = x[2 * j];
    re[G - 1 - j] = x[2 * j + 1];
  }
  fft(re, im);
  const out = new Float64Array(G);
  out[0] = re[0];
  for (let k = 1; k < G; k++) {
    const ang = (-Math.PI * k) / (2 * G);
    out[k] = 2 * (Math.cos(ang) * re[k] - Math.sin(ang) * im[k]);
  }
  return out;
}

/** In-place iterative radix-2 complex FFT (forward, e^{−2πi jk/G}). */
function fft(re: Float64Array, im: Float64Array): void {
  const G = re.length;
  for (let i = 1, j = 0; i < G; i++) {
    let bit = G >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) {
      [re[i], re[j]] = [re[j], re[i]];
      [im[i], im[j]] = [im[j], im[i]];
    }
  }
  for (let len = 2; len <= G; len <<= 1) {
    const ang = (-2 * Math.PI) / len;
    for (let i = 0; i < G; i += len) {
      for (let k = 0; k < len / 2; k++) {
        const wr = Math.cos(ang * k);
        const wi = Math.sin(ang * k);
        const ar = re[i + k + len / 2];
        const ai = im[i + k + len / 2];
        const tr = ar * wr - ai * wi;
        const ti = ar * wi + ai * wr;
        re[i + k + len / 2] = re[i + k] - tr;
        im[i + k + len / 2] = im[i + k] - ti;
        re[i + k] += tr;
        im[i + k] += ti;
      }
    }
  }
}
