/**
 * `densityCurve`: the Gaussian kernel density estimate of a 1-D sample on an even grid — what the
 * bandwidth widget draws at the chosen h (in the kernel's SVG fallback and in the browser).
 *
 *   p̂_h(t) = (1 / (n h √(2π))) Σ_i exp(−(t − x_i)² / (2h²))      (Parzen 1962, eq. 1.5; Silverman 1986, eq. 2.2a)
 *
 * Summed with the Neumaier compensated sum. Points farther than 8h from t contribute
 * < e^{-32} ≈ 1e-14 relative and are skipped (the sample is sorted once), which keeps the cost near
 * O(n · grid · (8h / range)).
 */
import { InvalidParameterError } from '../core/errors.js';

export interface DensityCurve {
  readonly t: number[];
  readonly p: number[];
}

/** The grid [min − 3h, max + 3h] with `points` points and p̂_h on it. */
export function densityCurve(data: readonly number[], h: number, points = 200): DensityCurve {
  if (!(h > 0) || !Number.isFinite(h)) throw new InvalidParameterError('h', `must be a positive finite bandwidth, got ${h}`);
  const xs = data.filter(Number.isFinite).sort((a, b) => a - b);
  const n = xs.length;
  if (n === 0) throw new InvalidParameterError('data', 'must hold at least one finite value');
  const lo = xs[0]! - 3 * h, hi = xs[n - 1]! + 3 * h;
  const t: number[] = [], p: number[] = [];
  const norm = 1 / (n * h * Math.sqrt(2 * Math.PI));
  let start = 0;
  for (let g = 0; g < points; g++) {
    const tg = lo + ((hi - lo) * g) / (points - 1);
    while (start < n && xs[start]! < tg - 8 * h) start++;
    let s = 0, c = 0;
    for (let i = start; i < n && xs[i]! <= tg + 8 * h; i++) {
      const z = (tg - xs[i]!) / h;
      const v = Math.exp(-0.5 * z * z);
      const u = s + v;
      c += Math.abs(s) >= Math.abs(v) ? s - u + v : v - u + s;
      s = u;
    }
    t.push(tg);
    p.push((s + c) * norm);
  }
  return { t, p };
}
