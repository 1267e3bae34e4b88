import { GPU } from 'gpu.js';
import type { IGPUKernelSettings, IKernelRunShortcut } from 'gpu.js';
import { DimensionMismatchError, InvalidParameterError } from '../core/errors.js';
import type { Matrix } from '../core/matrix.js';
import { NeumaierSum } from '../core/sum.js';
import { insertSorted } from '../neighbors/sorted-buffer.js';
import { distance } from '../neighbors/metric.js';
import { CpuBackend } from './cpu.js';
import type { Backend, Metric, NeighborOptions, RadiusOptions } from './types.js';

/**
 * The gpu.js compute path (WebGL2 in a browser, gpu.js's WebAssembly-SIMD `webasm` backend in Node
 * without headless-gl). Every kernel is generated as source text for one (kind, d, k, metric,
 * self-exclusion) combination — dimension loop and k-register insertion unrolled — compiled once by
 * gpu.js and cached.
 *
 * ## Data preparation (float64 → float32)
 * Both matrices are centred on the reference's column means μ (float64) and scaled by a power of
 * two s (exact) so that every centred coordinate lies in [−1, 1]. Each scaled coordinate v is then
 * stored as an unevaluated float32 pair v ≈ h + l, h = fl32(v), l = fl32(v − h) (row layout
 * `[h_0 … h_{d−1}, l_0 … l_{d−1}]`). Kernels form coordinate differences directly,
 * t = (h_x − h_y) + (l_x − l_y), and never use ‖x‖² + ‖y‖² − 2x·y. Centring keeps data far from the
 * origin (say x ≈ 1e4) from losing its low digits; the h + l pair makes the difference t accurate
 * *relative to |x − y|* even for near neighbours, which one float32 per coordinate is not
 * (it would have an absolute error ≈ 2^−24·|x − μ|).
 *
 * ## Float32 tolerances (u = 2^−24, M = max |x − μ| over both matrices, D the true distance)
 * Per coordinate t = Δ(1 + θ) + η with |θ| ≤ 2.01u and |η| ≤ 9u²·M. Hence
 * - Euclidean: the kernel's squared distance Ŝ satisfies |Ŝ − D²| ≤ (d + 6)u·D² + 83·d·u³·M², so
 *   the returned distance has relative error ≤ (d + 6)·2^−25 (≈ 5.4e−7 at d = 12) plus an absolute
 *   term below 1e−10·√d·M;
 * - max (Chebyshev): |D̂ − D| ≤ 2.01u·D + 9u²·M.
 * `pairwiseDistances` returns these float32-accurate values (as float64; the final square root is
 * taken in float64). `countWithinRadius` and `kthNeighborDistance` are exact — bitwise the float64
 * values of the CPU path — by a guard band around the float32 values and a float64 recheck of the
 * few reference rows inside it (see there).
 * The bounds assume IEEE float32 add/multiply with at most one ulp of error (true for WebAssembly;
 * WebGL2 `highp` is required — kernels are compiled with `tactic: 'precision'`); the guard band
 * of `countWithinRadius` uses twice these bounds.
 *
 * ## Limits, and where the CPU path takes over
 * - k > {@link GPU_MAX_K} in `kthNeighborDistance`, fewer than k admissible reference rows, or a
 *   reference set above {@link MAX_REF_VALUES} float32 values (2·d per row): the float64 CPU backend.
 * - `kNearest` always runs on the CPU backend (its index output is a CPU reduction by contract).
 * - Counts and indices travel through float32 outputs: reference sets are processed in tiles of at
 *   most 2^24 / (2d) rows, so every count and index stays exactly representable.
 */

/** Largest k whose k smallest distances the k-th distance kernel keeps in registers. */
export const GPU_MAX_K = 64;
/** Query rows per kernel launch (one output cell per query row). */
export const QUERY_BLOCK_ROWS = 65536;
/** Most output cells of one pairwise-distance launch (a tile of query rows × reference rows). */
export const PAIRWISE_TILE_CELLS = 1 << 22;
/** Most float32 values of one reference input (rows × 2d): 2^24, exact float indices and a 4096² texture. */
export const MAX_REF_VALUES = 1 << 24;
/** Longest reference loop of one launch (gpu.js caps loops with a data-dependent bound at this). */
const LOOP_MAX = MAX_REF_VALUES;
/** Largest value a radius bound is clamped to (far above any scaled squared distance, ≤ 4d). */
const BOUND_CAP = 1e30;
/**
 * Most float64 work (rows × reference rows × d) for which the k-th distances the first pass leaves
 * unresolved are k-selected on the host rather than by a second guard-band kernel pass.
 */
export const HOST_SELECT_WORK = 1 << 25;
/** Kernels kept compiled at once (least recently used are destroyed). */
const KERNEL_CACHE_SIZE = 24;

const U = 2 ** -24;
const TINY = 2 ** -126;

/** The float32 inputs of one call: both matrices centred, scaled and split into h + l pairs. */
interface Packed {
  readonly q: Float32Array;
  readonly r: Float32Array;
  /** Packed distances are original distances times `scale` (a power of two). */
  readonly scale: number;
}

/**
 * Centres both matrices on the reference's column means, scales by a power of two so that the
 * largest |x − μ| is in (1/2, 1], and stores each coordinate as float32 h + l (see module doc).
 */
function pack(query: Matrix, ref: Matrix): Packed {
  const d = ref.cols;
  const mu = new Float64Array(d);
  for (let c = 0; c < d; c++) {
    const acc = new NeumaierSum();
    for (let j = 0; j < ref.rows; j++) acc.add(ref.data[j * d + c]);
    mu[c] = acc.value / ref.rows;
  }
  let big = 0;
  const scan = (a: Matrix): void => {
    for (let i = 0; i < a.rows; i++) {
      for (let c = 0; c < d; c++) {
        const v = Math.abs(a.data[i * d + c] - mu[c]);
        if (v > big) big = v;
      }
    }
  };
  scan(ref);
  if (query !== ref) scan(query);
  let scale = 1;
  if (big > 0 && Number.isFinite(big)) {
    const e = Math.max(-1000, Math.min(1000, Math.ceil(Math.log2(big))));
    scale = 2 ** -e;
    while (big * scale > 1) scale /= 2;
    while (big * scale * 2 <= 1) scale *= 2;
  }
  const split = (a: Matrix): Float32Array => {
    const out = new Float32Array(a.rows * 2 * d);
    for (let i = 0; i < a.rows; i++) {
      const o = i * 2 * d;
      for (let c = 0; c < d; c++) {
        const v = (a.data[i * d + c] - mu[c]) * scale;
        const h = Math.fround(v);
        out[o + c] = h;
        out[o + d + c] = v - h;
      }
    }
    return out;
  };
  const r = split(ref);
  return { q: query === ref ? r : split(query), r, scale };
}

// ---------------------------------------------------------------------------------------------
// Kernel source generation

/**
 * Statements that leave the packed distance between the query row held in registers a_c/b_c
 * (h/l parts) and the reference row starting at `r[rb]` in `s`: Σ t² (Euclidean, squared) or
 * max |t| (max norm), with t = (a_c − h_c) + (b_c − l_c).
 */
function distanceStatements(d: number, metric: Metric, ref: string, rb: string): string[] {
  const lines: string[] = [];
  for (let c = 0; c < d; c++) {
    const diff = `((a${c} - ${ref}[${rb} + ${c}]) + (b${c} - ${ref}[${rb} + ${d + c}]))`;
    if (metric === 'max') {
      lines.push(c === 0 ? `let s = Math.abs(${diff});` : `s = Math.max(s, Math.abs(${diff}));`);
    } else {
      lines.push(c === 0 ? `let t = ${diff};` : `t = ${diff};`);
      lines.push(c === 0 ? 's = t * t;' : 's = s + t * t;');
    }
  }
  if (metric !== 'max') lines.unshift('let s = 0.0;');
  return lines;
}

/** Loads of the query row at `q[qb]` into registers a_c (h parts) and b_c (l parts). */
function queryRegisters(d: number, qb: string): string[] {
  const lines: string[] = [];
  for (let c = 0; c < d; c++) lines.push(`const a${c} = q[${qb} + ${c}];`);
  for (let c = 0; c < d; c++) lines.push(`const b${c} = q[${qb} + ${d + c}];`);
  return lines;
}

/**
 * k-th smallest packed distance of each query row (one thread per row, one pass over the m
 * reference rows), with what the host needs to make it exact. The k + 1 smallest values seen so far
 * are kept sorted in registers h_0 ≤ … ≤ h_k, and the reference index of h_0 … h_{k−1} in
 * i_0 … i_{k−1}. A value s < h_k is inserted from the top (h_p ← h_{p−1} where s < h_{p−1}, else
 * h_p ← s where s < h_p); insertions are rare (≈ k·ln(m/k) per row), the loop itself is one compare.
 * With self-exclusion the reference row j = off + thread.x is skipped.
 * Returns [h_{k−2} (−1 when k = 1), h_{k−1}, h_k, i_{k−1}].
 */
export function kthKernelSource(d: number, k: number, metric: Metric, excludeSelf: boolean): string {
  const S = 2 * d;
  const body: string[] = [];
  body.push(`const qb = this.thread.x * ${S};`);
  body.push(...queryRegisters(d, 'qb'));
  for (let p = 0; p <= k; p++) body.push(`let h${p} = 3.0e38;`);
  for (let p = 0; p < k; p++) body.push(`let i${p} = -1.0;`);
  if (excludeSelf) body.push('const me = off + this.thread.x;');
  body.push('for (let j = 0; j < m; j++) {');
  body.push(`  const rb = j * ${S};`);
  for (const l of distanceStatements(d, metric, 'r', 'rb')) body.push('  ' + l);
  body.push(`  if (s < h${k}${excludeSelf ? ' && j !== me' : ''}) {`);
  body.push('    const jf = j * 1.0;');
  body.push(`    if (s < h${k - 1}) {`);
  body.push(`      h${k} = h${k - 1};`);
  body.push('    } else {');
  body.push(`      h${k} = s;`);
  body.push('    }');
  for (let p = k - 1; p >= 1; p--) {
    body.push(`    if (s < h${p - 1}) {`);
    body.push(`      h${p} = h${p - 1};`);
    body.push(`      i${p} = i${p - 1};`);
    body.push('    } else {');
    body.push(`      if (s < h${p}) {`);
    body.push(`        h${p} = s;`);
    body.push(`        i${p} = jf;`);
    body.push('      }');
    body.push('    }');
  }
  body.push('    if (s < h0) {');
  body.push('      h0 = s;');
  body.push('      i0 = jf;');
  body.push('    }');
  body.push('  }');
  body.push('}');
  body.push(`return [${k >= 2 ? `h${k - 2}` : '-1.0'}, h${k - 1}, h${k}, i${k - 1}];`);
  return `function (q, r, m, off) {\n  ${body.join('\n  ')}\n}`;
}

/**
 * Guard-band radius count of each query row against one reference tile. Per row the thread gets
 * float32 bounds lo ≤ hi (packed, squared for Euclidean) and returns
 * [#{s < lo}, #{s ≤ hi}, first j with lo ≤ s ≤ hi, last such j] (−1 when none).
 */
export function countKernelSource(d: number, metric: Metric, excludeSelf: boolean): string {
  const S = 2 * d;
  const body: string[] = [];
  body.push(`const qb = this.thread.x * ${S};`);
  body.push(...queryRegisters(d, 'qb'));
  body.push('const lo = blo[this.thread.x];');
  body.push('const hi = bhi[this.thread.x];');
  body.push('let cin = 0.0;');
  body.push('let cmay = 0.0;');
  body.push('let first = -1.0;');
  body.push('let last = -1.0;');
  if (excludeSelf) body.push('const me = off + this.thread.x;');
  body.push('for (let j = 0; j < m; j++) {');
  body.push(`  const rb = j * ${S};`);
  for (const l of distanceStatements(d, metric, 'r', 'rb')) body.push('  ' + l);
  body.push(`  if (s <= hi${excludeSelf ? ' && j !== me' : ''}) {`);
  body.push('    cmay = cmay + 1.0;');
  body.push('    if (s < lo) {');
  body.push('      cin = cin + 1.0;');
  body.push('    } else {');
  body.push('      if (first < 0.0) {');
  body.push('        first = j * 1.0;');
  body.push('      }');
  body.push('      last = j * 1.0;');
  body.push('    }');
  body.push('  }');
  body.push('}');
  body.push('return [cin, cmay, first, last];');
  return `function (q, r, m, off, blo, bhi) {\n  ${body.join('\n  ')}\n}`;
}

/** Packed distance of query row thread.y to reference row thread.x (squared for Euclidean). */
export function pairwiseKernelSource(d: number, metric: Metric): string {
  const S = 2 * d;
  const body: string[] = [];
  body.push(`const qb = this.thread.y * ${S};`);
  body.push(...queryRegisters(d, 'qb'));
  body.push(`const rb = this.thread.x * ${S};`);
  body.push(...distanceStatements(d, metric, 'r', 'rb'));
  body.push('return s;');
  return `function (q, r) {\n  ${body.join('\n  ')}\n}`;
}

// ---------------------------------------------------------------------------------------------
// Float32 rounding helpers

const f32 = new Float32Array(1);
const i32 = new Int32Array(f32.buffer);

/** Largest float32 ≤ x. */
function roundDown32(x: number): number {
  const f = Math.fround(x);
  if (f <= x) return f;
  if (f === 0) return -(2 ** -149);
  f32[0] = f;
  i32[0] += f > 0 ? -1 : 1;
  return f32[0];
}

/** Smallest float32 ≥ x. */
function roundUp32(x: number): number {
  const f = Math.fround(x);
  if (f >= x) return f;
  if (f === 0) return 2 ** -149;
  f32[0] = f;
  i32[0] += f > 0 ? 1 : -1;
  return f32[0];
}

/**
 * Guard band of `countWithinRadius` for dimension d: the kernel's packed distance value Ŝ (squared
 * for Euclidean) and the exact one S satisfy S(1 − δ) − τ ≤ Ŝ ≤ S(1 + δ) + τ. These are twice the
 * float32 bounds of the module doc (M ≤ 1 after scaling; underflow counted as 2d·2^−126), plus the
 * float64 error of the CPU path's own distance (≤ (d + 4)·2^−52) and of the bound arithmetic.
 */
export function guardBand(d: number, metric: Metric): { delta: number; tau: number } {
  if (metric === 'max') {
    return { delta: 2 * (2.01 * U + 2 ** -52) + 1e-13, tau: 2 * (9 * U * U + 2 * TINY) };
  }
  return { delta: 2 * ((d + 6) * 1.01 * U + (d + 4) * 2 ** -52) + 1e-13, tau: 2 * (83 * d * U ** 3 + 2 * d * TINY) };
}

// ---------------------------------------------------------------------------------------------

type Kernel = IKernelRunShortcut;
type Launch = () => unknown;
/**
 * A computation in kernel stages: it yields each stage's launches and receives their results (in
 * order), so that one body serves the sync and the async drivers below.
 */
type Steps<T> = Generator<Launch[], T, unknown[]>;

/** Per query row, from one guard-band pass: #{Ŝ < lo}, #{Ŝ ≤ hi}, first and last j with lo ≤ Ŝ ≤ hi. */
interface BandCounts {
  readonly cin: Float64Array;
  readonly cmay: Float64Array;
  readonly first: Int32Array;
  readonly last: Int32Array;
}

function runSync<T>(steps: Steps<T>): T {
  let s = steps.next();
  while (!s.done) s = steps.next(s.value.map((l) => l()));
  return s.value;
}

async function runAsync<T>(steps: Steps<T>): Promise<T> {
  let s = steps.next();
  while (!s.done) {
    const results: unknown[] = [];
    for (const l of s.value) results.push(await l());
    s = steps.next(results);
  }
  return s.value;
}

/** Tiling of {@link GpuBackend} (defaults: the exported constants; smaller values are for tests). */
export interface GpuBackendOptions {
  /** Query rows per launch (default {@link QUERY_BLOCK_ROWS}). */
  readonly queryBlockRows?: number;
  /** Float32 values (rows × 2d) per reference tile of a radius count (default {@link MAX_REF_VALUES}). */
  readonly refTileValues?: number;
  /** Output cells per pairwise launch (default {@link PAIRWISE_TILE_CELLS}). */
  readonly pairwiseTileCells?: number;
  /**
   * Most float64 work (rows × reference rows × d) for which `kthNeighborDistance` k-selects the rows
   * its first pass leaves unresolved on the host instead of running a second kernel pass (default
   * {@link HOST_SELECT_WORK}; 0 always runs the second pass when a row is unresolved).
   */
  readonly hostSelectWork?: number;
}

/** A gpu.js backend; `createGpuBackend()` is the public constructor. */
export class GpuBackend implements Backend {
  readonly name = 'gpu' as const;
  private readonly gpu: GPU;
  private readonly cpu = new CpuBackend();
  private readonly kernels = new Map<string, Kernel>();
  private readonly blockRows: number;
  private readonly tileValues: number;
  private readonly pairCells: number;
  private readonly hostWork: number;

  constructor(options: GpuBackendOptions = {}) {
    const positive = (v: number | undefined, name: string, dflt: number, max: number): number => {
      if (v === undefined) return dflt;
      if (!Number.isInteger(v) || v < 1 || v > max) {
        throw new InvalidParameterError(`options.${name}`, `must be an integer in [1, ${max}], got ${String(v)}`);
      }
      return v;
    };
    this.blockRows = positive(options.queryBlockRows, 'queryBlockRows', QUERY_BLOCK_ROWS, QUERY_BLOCK_ROWS);
    this.tileValues = positive(options.refTileValues, 'refTileValues', MAX_REF_VALUES, MAX_REF_VALUES);
    this.pairCells = positive(options.pairwiseTileCells, 'pairwiseTileCells', PAIRWISE_TILE_CELLS, 1 << 24);
    const hw = options.hostSelectWork;
    if (hw !== undefined && !(hw >= 0)) {
      throw new InvalidParameterError('options.hostSelectWork', `must be ≥ 0, got ${String(hw)}`);
    }
    this.hostWork = hw ?? HOST_SELECT_WORK;
    this.gpu = new GPU();
  }

  /**
   * The mode gpu.js resolved for this instance: 'webasm' in Node without headless-gl, 'gpu' where a
   * WebGL backend was auto-selected (WebGL2 in current browsers).
   */
  get mode(): string {
    return this.gpu.mode;
  }

  /**
   * Counters since construction. `countWithinRadius`: rows counted, rows with one or two reference
   * rows in the guard band (rechecked in float64), rows recounted in float64. `kthNeighborDistance`
   * (kernel path only): rows, rows resolved by the first pass (the k-th neighbour alone in its guard
   * band), rows resolved from one or two band members of a second pass, rows k-selected in float64.
   */
  readonly stats = { countRows: 0, bandRows: 0, recountRows: 0, kthRows: 0, kthOnePassRows: 0, kthBandRows: 0, kthRecountRows: 0 };

  /**
   * The gpu.js backend of every compiled kernel ('webasm', 'webgl2', …; 'cpu' if gpu.js degraded a
   * kernel to its JavaScript fallback), for tests and diagnostics.
   */
  kernelModes(): string[] {
    const out: string[] = [];
    for (const k of this.kernels.values()) {
      const inner = (k as unknown as { kernel?: { constructor: { mode?: string } } }).kernel;
      out.push(String(inner?.constructor.mode ?? 'unknown'));
    }
    return out;
  }

  private kernel(key: string, source: () => string, argumentTypes: Record<string, string>, asyncMode: boolean): Kernel {
    const full = (asyncMode ? 'async:' : 'sync:') + key;
    const hit = this.kernels.get(full);
    if (hit) {
      this.kernels.delete(full);
      this.kernels.set(full, hit);
      return hit;
    }
    const settings: IGPUKernelSettings = {
      dynamicOutput: true,
      dynamicArguments: true,
      loopMaxIterations: LOOP_MAX,
      tactic: 'precision',
      precision: 'single',
      argumentTypes: argumentTypes as IGPUKernelSettings['argumentTypes'],
      asyncMode,
    } as IGPUKernelSettings;
    const k = this.gpu.createKernel(source(), settings);
    this.kernels.set(full, k);
    while (this.kernels.size > KERNEL_CACHE_SIZE) {
      const oldest = this.kernels.keys().next().value as string;
      this.kernels.get(oldest)?.destroy();
      this.kernels.delete(oldest);
    }
    return k;
  }

  // ----- guard-band pass (shared by radius counts and the exact k-th distance)

  /**
   * One pass of the guard-band count kernel over all reference rows (in tiles of at most
   * `refTileValues` float32 values) for float32 bounds lo[i] ≤ hi[i] (packed units, squared for
   * Euclidean). Yields its launches; returns per query row #{Ŝ < lo}, #{Ŝ ≤ hi} and the first and
   * last reference row (global index) with lo ≤ Ŝ ≤ hi (−1 when none); self-excluded rows skipped.
   */
  private *bandPass(packed: Packed, n: number, m: number, d: number, metric: Metric, excludeSelf: boolean,
    lo: Float32Array, hi: Float32Array, asyncMode: boolean): Steps<BandCounts> {
    const { q, r } = packed;
    const kern = this.kernel(`count:${d}:${metric}:${excludeSelf ? 1 : 0}`,
      () => countKernelSource(d, metric, excludeSelf),
      { q: 'Array', r: 'Array', m: 'Integer', off: 'Integer', blo: 'Array', bhi: 'Array' }, asyncMode);
    const tileRows = Math.max(1, Math.floor(this.tileValues / (2 * d)));
    const launches: Launch[] = [];
    const meta: { start: number; rows: number; tile: number }[] = [];
    for (let start = 0; start < n; start += this.blockRows) {
      const rows = Math.min(this.blockRows, n - start);
      const qb = q.subarray(start * 2 * d, (start + rows) * 2 * d);
      const lb = lo.subarray(start, start + rows);
      const hb = hi.subarray(start, start + rows);
      for (let tile = 0; tile < m; tile += tileRows) {
        const mt = Math.min(tileRows, m - tile);
        const rt = r.subarray(tile * 2 * d, (tile + mt) * 2 * d);
        meta.push({ start, rows, tile });
        launches.push(() => {
          kern.setOutput([rows]);
          return kern(qb, rt, mt, start - tile, lb, hb);
        });
      }
    }
    const results = yield launches;
    const cin = new Float64Array(n);
    const cmay = new Float64Array(n);
    const first = new Int32Array(n).fill(-1);
    const last = new Int32Array(n).fill(-1);
    for (let b = 0; b < results.length; b++) {
      const vals = results[b] as ArrayLike<ArrayLike<number>>;
      const { start, rows, tile } = meta[b];
      for (let i = 0; i < rows; i++) {
        const v = vals[i];
        const g = start + i;
        cin[g] += v[0];
        cmay[g] += v[1];
        if (v[2] >= 0) {
          if (first[g] < 0) first[g] = v[2] + tile;
          last[g] = v[3] + tile;
        }
      }
    }
    return { cin, cmay, first, last };
  }

  // ----- k-th neighbour distance

  private *kthSteps(query: Matrix, ref: Matrix, k: number, opts: NeighborOptions, asyncMode: boolean): Steps<Float64Array> {
    checkShapes(query, ref);
    if (!Number.isInteger(k) || k < 1) throw new InvalidParameterError('k', `must be a positive integer, got ${k}`);
    const d = ref.cols;
    const { metric, excludeSelf } = opts;
    if (k > GPU_MAX_K || ref.rows - (excludeSelf ? 1 : 0) < k || ref.rows * 2 * d > MAX_REF_VALUES) {
      return this.cpu.kthNeighborDistance(query, ref, k, opts);
    }
    const n = query.rows;
    const m = ref.rows;
    const packed = pack(query, ref);
    const { q, r } = packed;

    // Pass 1: the float32 k-th smallest packed distance ẽ_i of each row.
    const kern = this.kernel(`kth:${d}:${k}:${metric}:${excludeSelf ? 1 : 0}`,
      () => kthKernelSource(d, k, metric, excludeSelf),
      { q: 'Array', r: 'Array', m: 'Integer', off: 'Integer' }, asyncMode);
    const launches: Launch[] = [];
    const starts: number[] = [];
    for (let start = 0; start < n; start += this.blockRows) {
      const rows = Math.min(this.blockRows, n - start);
      const qb = q.subarray(start * 2 * d, (start + rows) * 2 * d);
      starts.push(start);
      launches.push(() => {
        kern.setOutput([rows]);
        return kern(qb, r, m, start);
      });
    }
    const results = yield launches;

    // Guard band of the k-th value: with |Ŝ_j − S_j| ≤ δS_j + τ for every j, the k-th smallest
    // exact S_k lies in [A, B] = [(ẽ − τ)/(1 + δ), (ẽ + τ)/(1 − δ)], and Ŝ_j < A(1 − δ) − τ proves
    // S_j < S_k, Ŝ_j > B(1 + δ) + τ proves S_j > S_k. lo = ẽ(1 − δk) − τk and hi = ẽ(1 + δk) + τk,
    // δk = 2.01δ, τk = 2.01τ (plus float64 slack, rounded outward to float32) lie outside those bounds.
    const { delta, tau } = guardBand(d, metric);
    const dk = 2.01 * delta + 1e-12;
    const tk = 2.01 * tau;
    const lo = new Float32Array(n);
    const hi = new Float32Array(n);
    const out = new Float64Array(n);
    const pending: number[] = [];
    for (let b = 0; b < results.length; b++) {
      const vals = results[b] as ArrayLike<ArrayLike<number>>;
      const start = starts[b];
      for (let t = 0; t < vals.length; t++) {
        const i = start + t;
        const [below, e, above, idx] = [vals[t][0], vals[t][1], vals[t][2], vals[t][3]];
        if (!(e >= 0 && e <= BOUND_CAP)) {
          // Not a distance (NaN data): an empty band sends the row to the float64 selection.
          lo[i] = -1;
          hi[i] = -1;
          pending.push(i);
          continue;
        }
        lo[i] = roundDown32(e * (1 - dk) - tk);
        hi[i] = roundUp32(Math.min(e * (1 + dk) + tk, BOUND_CAP));
        // The k − 1 nearer values are below the band and the (k+1)-th above it: the band holds the
        // k-th neighbour alone, and the answer is its float64 distance.
        if ((k === 1 || below < lo[i]) && above > hi[i] && idx >= 0) {
          out[i] = distance(query.data, i, ref.data, idx, d, metric);
        } else {
          pending.push(i);
        }
      }
    }
    this.stats.kthRows += n;
    this.stats.kthOnePassRows += n - pending.length;
    if (pending.length === 0) return out;

    const buf = new Float64Array(k);
    const select = (i: number): number => {
      // Exact float64 k-selection over the row (what the CPU path computes).
      this.stats.kthRecountRows++;
      buf.fill(Infinity);
      for (let j = 0; j < m; j++) {
        if (excludeSelf && j === i) continue;
        const dist = distance(query.data, i, ref.data, j, d, metric);
        if (dist < buf[k - 1]) insertSorted(buf, null, k, dist, j);
      }
      return buf[k - 1];
    };
    if (pending.length * m * d <= this.hostWork) {
      for (const i of pending) out[i] = select(i);
      return out;
    }

    // Many unresolved rows (ties, duplicates): one guard-band pass gives, per row, c_lo = #{rows
    // surely nearer than the k-th} and the band members; the k-th distance is the (k − c_lo)-th
    // smallest float64 distance among them (from their indices when there are one or two).
    const { cin, cmay, first, last } = yield* this.bandPass(packed, n, m, d, metric, excludeSelf, lo, hi, asyncMode);
    for (const i of pending) {
      const band = cmay[i] - cin[i];
      const rank = k - cin[i];
      if (band >= 1 && band <= 2 && rank >= 1 && rank <= band) {
        this.stats.kthBandRows++;
        const a = distance(query.data, i, ref.data, first[i], d, metric);
        if (band === 1) {
          out[i] = a;
        } else {
          const c = distance(query.data, i, ref.data, last[i], d, metric);
          out[i] = rank === 1 ? Math.min(a, c) : Math.max(a, c);
        }
      } else {
        out[i] = select(i);
      }
    }
    return out;
  }

  /**
   * For each query row, the distance to its k-th nearest reference row: EXACTLY the float64 value of
   * the CPU path (the k-th smallest `distance()` over the admissible reference rows, self-excluded
   * by index). One kernel pass per block of ≤ {@link QUERY_BLOCK_ROWS} query rows over all reference
   * rows returns, per row, the float32 k-th value ẽ, its neighbour's index and the (k−1)-th and
   * (k+1)-th float32 values. Around ẽ lies a guard band [lo, hi] ({@link guardBand}, doubled: the
   * exact k-th distance is within one point's error bound of ẽ) outside which the order against the
   * k-th neighbour is proven. Then per row:
   * - (k−1)-th < lo and (k+1)-th > hi (the common case): the answer is the float64 distance to the
   *   indexed neighbour;
   * - otherwise (ties, duplicates, near-ties): if few such rows, a float64 k-selection over the row
   *   on the host; if many, a second pass of the guard-band count kernel gives c_lo = #{surely
   *   nearer} and the band members, and the answer is the (k − c_lo)-th smallest float64 distance
   *   among them (float64 k-selection over the row when the band holds three or more).
   * Runs on the CPU backend when k > {@link GPU_MAX_K}, when fewer than k reference rows are
   * admissible, or when the reference set exceeds {@link MAX_REF_VALUES}.
   */
  kthNeighborDistance(query: Matrix, ref: Matrix, k: number, opts: NeighborOptions): Float64Array {
    return runSync(this.kthSteps(query, ref, k, opts, false));
  }

  /** {@link kthNeighborDistance} with gpu.js's async contract (worker threads on `webasm`); same values. */
  async kthNeighborDistanceAsync(query: Matrix, ref: Matrix, k: number, opts: NeighborOptions): Promise<Float64Array> {
    return runAsync(this.kthSteps(query, ref, k, opts, true));
  }

  // ----- radius counts

  private *countSteps(query: Matrix, ref: Matrix, radius: Float64Array, opts: RadiusOptions, asyncMode: boolean): Steps<Int32Array> {
    checkShapes(query, ref);
    if (radius.length !== query.rows) {
      throw new DimensionMismatchError('radius', `has ${radius.length} entries but the query has ${query.rows} rows`);
    }
    const d = ref.cols;
    const n = query.rows;
    const m = ref.rows;
    const { metric, strict, excludeSelf } = opts;
    const packed = pack(query, ref);
    const { scale } = packed;
    const { delta, tau } = guardBand(d, metric);
    const lo = new Float32Array(n);
    const hi = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      const ri = radius[i];
      if (!(ri > 0 || (ri === 0 && !strict))) {
        // NaN, negative, or strict with radius 0: no distance qualifies, exactly.
        lo[i] = -1;
        hi[i] = -1;
        continue;
      }
      const rs = ri * scale;
      const base = metric === 'max' ? rs : rs * rs;
      lo[i] = roundDown32(Math.min(base * (1 - delta) - tau, BOUND_CAP));
      hi[i] = roundUp32(Math.min(base * (1 + delta) + tau, BOUND_CAP));
    }
    const { cin, cmay, first, last } = yield* this.bandPass(packed, n, m, d, metric, excludeSelf, lo, hi, asyncMode);
    const out = new Int32Array(n);
    const within = (i: number, j: number): boolean => {
      const dist = distance(query.data, i, ref.data, j, d, metric);
      return strict ? dist < radius[i] : dist <= radius[i];
    };
    this.stats.countRows += n;
    for (let i = 0; i < n; i++) {
      const band = cmay[i] - cin[i];
      if (band > 0 && band <= 2) this.stats.bandRows++;
      if (band === 0) {
        out[i] = cin[i];
      } else if (band === 1) {
        out[i] = cin[i] + (within(i, first[i]) ? 1 : 0);
      } else if (band === 2) {
        out[i] = cin[i] + (within(i, first[i]) ? 1 : 0) + (within(i, last[i]) ? 1 : 0);
      } else {
        // Three or more reference rows inside the guard band: recount this row exactly.
        this.stats.recountRows++;
        let c = 0;
        for (let j = 0; j < m; j++) {
          if (excludeSelf && j === i) continue;
          if (within(i, j)) c++;
        }
        out[i] = c;
      }
    }
    return out;
  }

  /**
   * Exact counts #{j : dist(query_i, ref_j) < radius[i]} (strict) or ≤ radius[i], identical to the
   * float64 CPU path. The kernel compares each float32 distance Ŝ with two float32 bounds around
   * the radius, lo ≤ r̃(1 − δ) − τ and hi ≥ r̃(1 + δ) + τ (r̃ = r², or r for the max norm, in packed
   * units; δ, τ from {@link guardBand}, rounded outward to float32). Ŝ < lo proves dist < r and
   * Ŝ > hi proves dist > r, whatever `strict` is. A row whose guard band [lo, hi] holds one or two
   * reference rows has those rechecked in float64 (the kernel returns the first and last such
   * index); a row with three or more is recounted in float64 over all reference rows.
   */
  countWithinRadius(query: Matrix, ref: Matrix, radius: Float64Array, opts: RadiusOptions): Int32Array {
    return runSync(this.countSteps(query, ref, radius, opts, false));
  }

  /** {@link countWithinRadius} with gpu.js's async contract (worker threads on `webasm`). */
  async countWithinRadiusAsync(query: Matrix, ref: Matrix, radius: Float64Array, opts: RadiusOptions): Promise<Int32Array> {
    return runAsync(this.countSteps(query, ref, radius, opts, true));
  }

  // ----- dense distances

  /**
   * Dense query.rows × ref.rows distance matrix (row-major, float64), computed in tiles of at most
   * {@link PAIRWISE_TILE_CELLS} cells (≤ 4096 reference rows × ≤ 16384 query rows, within WebGL2
   * texture limits). Accurate to the float32 tolerances of the module doc; the square root is
   * taken in float64.
   */
  pairwiseDistances(query: Matrix, ref: Matrix, metric: Metric): Float64Array {
    checkShapes(query, ref);
    const d = ref.cols;
    const n = query.rows;
    const m = ref.rows;
    const out = new Float64Array(n * m);
    if (n === 0 || m === 0) return out;
    const { q, r, scale } = pack(query, ref);
    const kern = this.kernel(`pair:${d}:${metric}`, () => pairwiseKernelSource(d, metric),
      { q: 'Array', r: 'Array' }, false);
    const mt = Math.min(m, 4096, this.pairCells);
    const nt = Math.max(1, Math.min(n, 16384, Math.floor(this.pairCells / mt)));
    const inv = 1 / scale;
    for (let i0 = 0; i0 < n; i0 += nt) {
      const rows = Math.min(nt, n - i0);
      const qb = q.subarray(i0 * 2 * d, (i0 + rows) * 2 * d);
      for (let j0 = 0; j0 < m; j0 += mt) {
        const cols = Math.min(mt, m - j0);
        const rb = r.subarray(j0 * 2 * d, (j0 + cols) * 2 * d);
        kern.setOutput([cols, rows]);
        const res = kern(qb, rb) as ArrayLike<ArrayLike<number>>;
        for (let i = 0; i < rows; i++) {
          const row = res[i];
          const o = (i0 + i) * m + j0;
          if (metric === 'max') for (let j = 0; j < cols; j++) out[o + j] = row[j] * inv;
          else for (let j = 0; j < cols; j++) out[o + j] = Math.sqrt(row[j]) * inv;
        }
      }
    }
    return out;
  }

  /** Delegated to the float64 CPU backend: the index output is a CPU reduction by contract. */
  kNearest(query: Matrix, ref: Matrix, k: number, opts: NeighborOptions): { distances: Float64Array; indices: Int32Array } {
    return this.cpu.kNearest(query, ref, k, opts);
  }

  /** Releases every compiled kernel (and, on `webasm`, its worker pool). */
  destroy(): void {
    for (const k of this.kernels.values()) k.destroy();
    this.kernels.clear();
  }
}

function checkShapes(query: Matrix, ref: Matrix): void {
  if (query.cols !== ref.cols) {
    throw new DimensionMismatchError('ref', `has dimension ${ref.cols} but the query has dimension ${query.cols}`);
  }
}

/** The gpu.js backend (throws if gpu.js cannot start here; `backend/index.ts` reports that). */
export function createGpuBackend(options?: GpuBackendOptions): GpuBackend {
  return new GpuBackend(options);
}
