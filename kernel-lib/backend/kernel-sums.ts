import { GPU } from 'gpu.js';
import type { IGPUKernelSettings, IKernelRunShortcut } from 'gpu.js';
import { BackendError, DimensionMismatchError, InvalidParameterError, NonFiniteError } from '../core/errors.js';
import type { Matrix } from '../core/matrix.js';
import { NeumaierSum } from '../core/sum.js';
import { gpuIsHardware } from './index.js';
import { cpuKernelSums } from './kernel-sums-cpu.js';
import { availableThreads } from './threads.js';

/**
 * Kernel sums — the bulk reduction of kernel density estimation, kernel two-sample statistics
 * (MMD) and Cauchy–Schwarz divergences:
 *
 *   s_i = Σ_j w_j K(‖q_i − x_j‖ / h),   K(r) = exp(−r²/2) (gaussian) | max(0, 1 − r²) (epanechnikov),
 *
 * unnormalised (no 1/(n h^d (2π)^{d/2}) factor; callers add it), with w_j = 1 unless `weights` is
 * given, and j = i skipped under `excludeSelf` (leave-one-out sums; query row i is ref row i).
 * `logKernelSums` returns log s_i max-shifted: log s_i = t*_i + log Σ_j exp(t_ij − t*_i) with
 * t_ij = log w_j − r_ij²/2 and t*_i = max_j t_ij, finite where s_i itself underflows (d = 50 and
 * beyond). For the Epanechnikov kernel log s_i = −∞ where no reference point lies within h (an
 * exact zero, not an error).
 *
 * ## Two paths
 * - `cpu`: exact float64; each row's sum is compensated (Neumaier). Gaussian terms with
 *   t_ij − t*_i < −(40 + ln m) are skipped: together they change s_i by less than e^{−40} ≈ 4e−18
 *   relative (below float64 resolution). Large problems are split by query rows over worker
 *   threads with a bit-identical result (`kernel-sums-cpu.ts`, option `threads`).
 * - `gpu`: gpu.js kernels (WebGL2 in a browser, `webasm` in Node), one thread per query row and one
 *   launch per tile of {@link SUM_TILE_ROWS} reference rows, generated per (kernel, d, excludeSelf)
 *   and cached. Data are centred on the reference's column means and divided by h in float64, then
 *   stored as float32 pairs v ≈ hi + lo (as in `gpu.ts`), so coordinate differences are accurate
 *   relative to |q − x| itself. Each thread keeps an online max-shifted float32 sum over its tile
 *   (m_t, s_t); the host combines the tiles in float64 with a compensated sum,
 *   log s_i = M + log Σ_t s_t e^{m_t − M}. Tolerance: the float32 r² carries a relative error
 *   ≲ (d + 6)·2^−24, so log s_i agrees with the float64 path within ≈ 1e−6·(1 + r*²) where r* is the
 *   distance to the nearest reference point in bandwidths, plus ≈ 1e−5 from float32 accumulation of a
 *   tile — tested: |Δ log s| ≤ 2e−5·max(1, |log s|).
 * - `auto`: the gpu.js path only where gpu.js runs on real GPU hardware and n·m·d ≥ 1e8; otherwise
 *   the float64 path (in Node, gpu.js's WebAssembly backend is CPU code and slower than this loop).
 */
export interface KernelSumOptions {
  /** K(r) = exp(−r²/2) | max(0, 1 − r²), r = ‖q − x‖ / h, unnormalised. Default 'gaussian'. */
  kernel?: 'gaussian' | 'epanechnikov';
  /** Bandwidth h > 0 in data units (callers whiten/scale the data first). */
  h: number;
  /** Query row i is ref row i: leave-one-out sums (query must have no more rows than ref). */
  excludeSelf?: boolean;
  /** Optional per-reference weights w_j ≥ 0 (finite, one per reference row). */
  weights?: Float64Array;
  /** 'cpu' (float64), 'gpu' (gpu.js, float32 inner loop) or 'auto' (default). */
  backend?: 'cpu' | 'gpu' | 'auto';
  /**
   * float64 path: most threads to split the query rows over (default: all available in Node; 1:
   * the calling thread only). Only problems with n·m·(d + 4) ≥ 1e8 are split; the result is
   * bit-identical for every value.
   */
  threads?: number;
}

/** Reference rows per gpu.js launch (bounds the float32 accumulation of one thread). */
export const SUM_TILE_ROWS = 1024;
/** Query rows per gpu.js launch. */
export const SUM_QUERY_BLOCK = 65536;
/** n·m·d from which `auto` takes the gpu.js path (only on real GPU hardware). */
export const AUTO_GPU_SUM_WORK = 1e8;
const KERNEL_CACHE_SIZE = 8;

type KernelName = 'gaussian' | 'epanechnikov';

interface Checked {
  kernel: KernelName;
  h: number;
  excludeSelf: boolean;
  weights: Float64Array | null;
  threads: number;
}

function check(query: Matrix, ref: Matrix, opts: KernelSumOptions): Checked {
  if (opts === null || typeof opts !== 'object') throw new InvalidParameterError('options', 'must be an object with a bandwidth h');
  const kernel = opts.kernel ?? 'gaussian';
  if (kernel !== 'gaussian' && kernel !== 'epanechnikov') {
    throw new InvalidParameterError('options.kernel', `must be 'gaussian' or 'epanechnikov', got ${String(kernel)}`);
  }
  const h = opts.h;
  if (typeof h !== 'number' || !Number.isFinite(h)) throw new NonFiniteError('options.h', `bandwidth must be a finite number > 0, got ${String(h)}`);
  if (!(h > 0)) throw new InvalidParameterError('options.h', `bandwidth must be > 0, got ${h}`);
  if (query.cols !== ref.cols) {
    throw new DimensionMismatchError('ref', `has dimension ${ref.cols} but the query has dimension ${query.cols}`);
  }
  const excludeSelf = opts.excludeSelf ?? false;
  if (excludeSelf && query.rows > ref.rows) {
    throw new DimensionMismatchError('query', `has ${query.rows} rows but excludeSelf needs query row i = ref row i (ref has ${ref.rows})`);
  }
  let weights: Float64Array | null = null;
  if (opts.weights !== undefined) {
    weights = opts.weights;
    if (weights.length !== ref.rows) {
      throw new DimensionMismatchError('options.weights', `has ${weights.length} entries but ref has ${ref.rows} rows`);
    }
    for (let j = 0; j < weights.length; j++) {
      const w = weights[j];
      if (!Number.isFinite(w)) throw new NonFiniteError('options.weights', `weight ${j} is ${w}; weights must be finite`);
      if (w < 0) throw new InvalidParameterError('options.weights', `weight ${j} is ${w}; weights must be ≥ 0`);
    }
  }
  const threads = opts.threads ?? availableThreads();
  if (!(Number.isInteger(threads) && threads >= 1)) throw new InvalidParameterError('options.threads', `must be an integer ≥ 1, got ${String(opts.threads)}`);
  return { kernel, h, excludeSelf, weights, threads };
}

// ---------------------------------------------------------------------------------------------
// float64 CPU path: `kernel-sums-cpu.ts` (split over worker threads for large problems)

function cpuSums(query: Matrix, ref: Matrix, c: Checked, log: boolean): Float64Array {
  return cpuKernelSums(query, ref, c, log, c.threads);
}

// ---------------------------------------------------------------------------------------------
// gpu.js path

/**
 * Kernel source: the query row (float32 pairs a_c + b_c) against reference rows [0, m) of one tile,
 * returning [m_t, s_t] with s_t = Σ_j exp(t_j − m_t) (gaussian, online max-shift; t_j = lw_j − r²/2)
 * or [0, Σ_j w_j max(0, 1 − r²)] (epanechnikov). Reference row `off + thread.x` is skipped under
 * self-exclusion (off = query block start − tile start).
 */
export function kernelSumSource(d: number, kernel: KernelName, excludeSelf: boolean): string {
  const S = 2 * d;
  const b: string[] = [];
  b.push(`const qb = this.thread.x * ${S};`);
  for (let c = 0; c < d; c++) b.push(`const a${c} = q[qb + ${c}];`);
  for (let c = 0; c < d; c++) b.push(`const b${c} = q[qb + ${d + c}];`);
  if (excludeSelf) b.push('const me = off + this.thread.x;');
  b.push('let mx = -3.0e38;');
  b.push('let acc = 0.0;');
  b.push('for (let j = 0; j < m; j++) {');
  b.push(excludeSelf ? '  if (j !== me) {' : '  if (true) {');
  b.push(`    const rb = j * ${S};`);
  b.push('    let s = 0.0;');
  for (let c = 0; c < d; c++) {
    b.push(`    const t${c} = (a${c} - r[rb + ${c}]) + (b${c} - r[rb + ${d + c}]);`);
    b.push(`    s = s + t${c} * t${c};`);
  }
  if (kernel === 'gaussian') {
    b.push('    const t = lw[j] - 0.5 * s;');
    b.push('    if (t > mx) {');
    b.push('      acc = acc * Math.exp(mx - t) + 1.0;');
    b.push('      mx = t;');
    b.push('    } else {');
    b.push('      acc = acc + Math.exp(t - mx);');
    b.push('    }');
  } else {
    b.push('    if (s < 1.0) {');
    b.push('      acc = acc + lw[j] * (1.0 - s);');
    b.push('    }');
  }
  b.push('  }');
  b.push('}');
  b.push(kernel === 'gaussian' ? 'return [mx, acc];' : 'return [0.0, acc];');
  return `function (q, r, lw, m, off) {\n  ${b.join('\n  ')}\n}`;
}

let gpuInstance: GPU | null = null;
const kernels = new Map<string, IKernelRunShortcut>();

function gpuKernel(key: string, source: () => string): IKernelRunShortcut {
  const hit = kernels.get(key);
  if (hit) {
    kernels.delete(key);
    kernels.set(key, hit);
    return hit;
  }
  if (!gpuInstance) {
    try {
      gpuInstance = new GPU();
    } catch (e) {
      throw new BackendError('options.backend', `'gpu' could not start gpu.js here: ${(e as Error).message}; use backend: 'cpu'`);
    }
  }
  const settings = {
    dynamicOutput: true,
    dynamicArguments: true,
    loopMaxIterations: SUM_TILE_ROWS,
    tactic: 'precision',
    precision: 'single',
    argumentTypes: { q: 'Array', r: 'Array', lw: 'Array', m: 'Integer', off: 'Integer' },
  } as unknown as IGPUKernelSettings;
  const k = gpuInstance.createKernel(source(), settings);
  kernels.set(key, k);
  while (kernels.size > KERNEL_CACHE_SIZE) {
    const oldest = kernels.keys().next().value as string;
    kernels.get(oldest)?.destroy();
    kernels.delete(oldest);
  }
  return k;
}

/** The mode gpu.js resolved ('webasm' in Node without headless-gl, 'gpu'/'webgl2' in a browser). */
export function kernelSumGpuMode(): string {
  gpuKernel(`epanechnikov:1:0`, () => kernelSumSource(1, 'epanechnikov', false));
  return (gpuInstance as GPU).mode;
}

/** Centres on the reference's column means, divides by h, splits into float32 pairs; null if out of float32 range. */
function packScaled(a: Matrix, mu: Float64Array, h: number): Float32Array | null {
  const d = a.cols;
  const out = new Float32Array(a.rows * 2 * d);
  for (let i = 0; i < a.rows; i++) {
    const o = i * 2 * d;
    for (let c = 0; c < d; c++) {
      const v = (a.data[i * d + c] - mu[c]) / h;
      if (!(Math.abs(v) < 1e30)) return null;
      const hi = Math.fround(v);
      out[o + c] = hi;
      out[o + d + c] = v - hi;
    }
  }
  return out;
}

function gpuSums(query: Matrix, ref: Matrix, c: Checked, log: boolean): Float64Array {
  const n = query.rows;
  const m = ref.rows;
  const d = ref.cols;
  const mu = new Float64Array(d);
  for (let k = 0; k < d; k++) {
    const acc = new NeumaierSum();
    for (let j = 0; j < m; j++) acc.add(ref.data[j * d + k]);
    mu[k] = acc.value / m;
  }
  const r = packScaled(ref, mu, c.h);
  const q = query === ref ? r : packScaled(query, mu, c.h);
  if (!r || !q) return cpuSums(query, ref, c, log); // |x − μ|/h beyond float32: the exact path
  // Weights enter the kernel scaled by their maximum (float32 range); log W is added back in float64.
  let wmax = 1;
  const lw = new Float32Array(m);
  if (c.weights) {
    wmax = 0;
    for (let j = 0; j < m; j++) if (c.weights[j] > wmax) wmax = c.weights[j];
    for (let j = 0; j < m; j++) {
      const u = wmax > 0 ? c.weights[j] / wmax : 0;
      lw[j] = c.kernel === 'gaussian' ? (u > 0 ? Math.max(Math.log(u), -1e30) : -1e30) : u;
    }
  } else if (c.kernel === 'epanechnikov') {
    lw.fill(1);
  }
  const out = new Float64Array(n);
  if (wmax === 0) {
    out.fill(log ? -Infinity : 0);
    return out;
  }
  const kern = gpuKernel(`${c.kernel}:${d}:${c.excludeSelf ? 1 : 0}`, () => kernelSumSource(d, c.kernel, c.excludeSelf));
  const tiles = Math.ceil(m / SUM_TILE_ROWS);
  const mt = new Float64Array(n * tiles);
  const st = new Float64Array(n * tiles);
  for (let start = 0; start < n; start += SUM_QUERY_BLOCK) {
    const rows = Math.min(SUM_QUERY_BLOCK, n - start);
    const qb = q.subarray(start * 2 * d, (start + rows) * 2 * d);
    for (let t = 0; t < tiles; t++) {
      const j0 = t * SUM_TILE_ROWS;
      const cols = Math.min(SUM_TILE_ROWS, m - j0);
      kern.setOutput([rows]);
      const res = kern(qb, r.subarray(j0 * 2 * d, (j0 + cols) * 2 * d), lw.subarray(j0, j0 + cols), cols, start - j0) as ArrayLike<ArrayLike<number>>;
      for (let i = 0; i < rows; i++) {
        mt[(start + i) * tiles + t] = res[i][0];
        st[(start + i) * tiles + t] = res[i][1];
      }
    }
  }
  const logW = Math.log(wmax);
  for (let i = 0; i < n; i++) {
    const o = i * tiles;
    let M = -Infinity;
    for (let t = 0; t < tiles; t++) if (st[o + t] > 0 && mt[o + t] > M) M = mt[o + t];
    if (M === -Infinity) {
      out[i] = log ? -Infinity : 0;
      continue;
    }
    const acc = new NeumaierSum();
    for (let t = 0; t < tiles; t++) if (st[o + t] > 0) acc.add(st[o + t] * Math.exp(mt[o + t] - M));
    const ls = M + Math.log(acc.value) + logW;
    out[i] = log ? ls : Math.exp(ls);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------

/**
 * The one choice of compute path for kernel sums and the reductions built on them
 * (`kernel-displacements.ts`), following `backend/index.ts` conventions; throws on an unknown choice.
 */
export function useGpu(choice: KernelSumOptions['backend'], n: number, m: number, d: number): boolean {
  const b = choice ?? 'auto';
  if (b === 'cpu') return false;
  if (b === 'gpu') return true;
  if (b !== 'auto') throw new InvalidParameterError('options.backend', `must be 'cpu', 'gpu' or 'auto', got ${String(choice)}`);
  return n * m * d >= AUTO_GPU_SUM_WORK && gpuIsHardware();
}

/**
 * s_i = Σ_j w_j K(‖q_i − x_j‖/h) for every query row (unnormalised kernel, see module doc).
 * Underflows to 0 for far queries with the gaussian kernel in high dimension: use
 * {@link logKernelSums} there.
 *
 * @example kernelSums(matrix(Float64Array.of(0), 1, 1), matrix(Float64Array.of(0, 1), 2, 1), { h: 1 })
 *   // Float64Array [1.6065306597126334]  (1 + e^{−1/2})
 */
export function kernelSums(query: Matrix, ref: Matrix, opts: KernelSumOptions): Float64Array {
  const c = check(query, ref, opts);
  return useGpu(opts.backend, query.rows, ref.rows, ref.cols) ? gpuSums(query, ref, c, false) : cpuSums(query, ref, c, false);
}

/**
 * log s_i, max-shifted (finite at d = 50 where s_i underflows); −∞ only where s_i is exactly 0
 * (Epanechnikov support missed, or all weights zero).
 */
export function logKernelSums(query: Matrix, ref: Matrix, opts: KernelSumOptions): Float64Array {
  const c = check(query, ref, opts);
  return useGpu(opts.backend, query.rows, ref.rows, ref.cols) ? gpuSums(query, ref, c, true) : cpuSums(query, ref, c, true);
}

/** Releases the compiled kernel-sum kernels. */
export function destroyKernelSumKernels(): void {
  for (const k of kernels.values()) k.destroy();
  kernels.clear();
}
