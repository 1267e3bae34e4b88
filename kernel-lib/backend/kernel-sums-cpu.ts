import { NeumaierSum } from '../core/sum.js';
import type { Matrix } from '../core/matrix.js';
import { expNeg } from './fast-exp.js';
import { availableThreads, moduleFile, runSliced, serveWorker } from './threads.js';

/**
 * The float64 CPU path of `kernelSums` / `logKernelSums` (module doc there): per query row, log s_i
 * (log: true) or s_i, compensated (Neumaier). Both matrices are centred on the reference's column
 * means (so norms stay small next to the distances), and r² = (‖q‖² + ‖x‖² − 2 q·x)/h² (clamped at
 * 0): one multiply-add per coordinate, four query rows per pass over the reference rows (measured
 * ≈ 2× faster at d = 10 than one row at a time; for d ≠ 2 also two reference rows per pass over the
 * coordinates, ≈ 1.4× more at d = 10; for d = 2 the block's query coordinates stay in registers).
 * Its absolute error is ≤ (d + 3)·2^−52·(‖q − μ‖² +
 * ‖x − μ‖²)/h², which shifts a term's exponent by that much — below 1e−12 relative for data within
 * 1e3 bandwidths of their mean. Gaussian terms with t_ij − t*_i < −(40 + ln m) are skipped (together
 * < e^−40 relative); the others are exponentiated with `expNeg` (≤ 1e−15 relative, `fast-exp.ts`).
 *
 * Large problems (n·m·(d + 4) ≥ {@link KERNEL_SUM_PARALLEL_WORK}) are split by query rows over worker
 * threads (`threads.ts`): every row is computed by the same code on the same centred data whichever
 * thread runs it, so the result is bit-identical to the single-threaded one.
 */
export interface CpuSumSpec {
  readonly kernel: 'gaussian' | 'epanechnikov';
  readonly h: number;
  readonly excludeSelf: boolean;
  readonly weights: Float64Array | null;
}

/** n·m·(d + 4) from which the float64 kernel sums split over threads (≈ 0.2 s of one core). */
export const KERNEL_SUM_PARALLEL_WORK = 1e8;
/** Gaussian terms this far (in log) below the row maximum, minus ln m, are skipped. */
const SKIP_LOG = 40;
const KIND = 'divlab.kernel-sums';
const selfFile = moduleFile('kernel-sums-cpu.js');

/** The prepared problem: centred data and squared norms (shared memory when split over threads). */
interface Task {
  readonly q: Float64Array;
  readonly x: Float64Array;
  readonly qn: Float64Array;
  readonly xn: Float64Array;
  readonly logw: Float64Array | null;
  readonly w: Float64Array | null;
  readonly out: Float64Array;
  readonly m: number;
  readonly d: number;
  readonly inv2: number;
  readonly gaussian: boolean;
  readonly excludeSelf: boolean;
  readonly log: boolean;
}

function alloc(len: number, shared: boolean): Float64Array {
  return shared ? new Float64Array(new SharedArrayBuffer(len * 8)) : new Float64Array(len);
}

/** Rows [from, to) of the result into t.out. */
function sumRows(t: Task, from: number, to: number): void {
  const { q, x, qn, xn, logw, w, out, m, d, inv2, gaussian, excludeSelf, log } = t;
  const skip = SKIP_LOG + Math.log(Math.max(m, 1));
  // Pass 1 runs over the reference rows once for a block of up to four query rows (their distances
  // into `buf`, row k at k·m; their largest log-terms into `tmx`); pass 2 then sums row by row.
  const BLOCK = 4;
  const buf = new Float64Array(BLOCK * m);
  const tmx = new Float64Array(BLOCK);
  for (let i = from; i < to; i++) {
    const self = excludeSelf ? i : -1;
    const slot = (i - from) % BLOCK;
    if (slot === 0) {
      const rows = Math.min(BLOCK, to - i);
      const b0 = i * d;
      const b1 = (rows > 1 ? i + 1 : i) * d;
      const b2 = (rows > 2 ? i + 2 : i) * d;
      const b3 = (rows > 3 ? i + 3 : i) * d;
      const n0 = qn[i];
      const n1 = qn[rows > 1 ? i + 1 : i];
      const n2 = qn[rows > 2 ? i + 2 : i];
      const n3 = qn[rows > 3 ? i + 3 : i];
      const e0 = excludeSelf ? i : -1;
      const e1 = excludeSelf ? i + 1 : -1;
      const e2 = excludeSelf ? i + 2 : -1;
      const e3 = excludeSelf ? i + 3 : -1;
      let t0 = -Infinity, t1 = -Infinity, t2 = -Infinity, t3 = -Infinity;
      // The four rows' dot products q·x_j: d = 2 in the loop below with the eight query coordinates
      // in registers; otherwise first into buf, two reference rows per pass over the coordinates
      // (6 loads per 8 multiply-adds). Each product is summed over k in order, whatever the blocking.
      const two = d === 2;
      const p00 = q[b0], p01 = two ? q[b0 + 1] : 0;
      const p10 = q[b1], p11 = two ? q[b1 + 1] : 0;
      const p20 = q[b2], p21 = two ? q[b2 + 1] : 0;
      const p30 = q[b3], p31 = two ? q[b3 + 1] : 0;
      if (!two) {
        let j = 0;
        for (; j + 1 < m; j += 2) {
          const xb = j * d;
          const xc = xb + d;
          let a0 = 0, a1 = 0, a2 = 0, a3 = 0, c0 = 0, c1 = 0, c2 = 0, c3 = 0;
          for (let k = 0; k < d; k++) {
            const xv = x[xb + k];
            const xw = x[xc + k];
            const q0 = q[b0 + k], q1 = q[b1 + k], q2 = q[b2 + k], q3 = q[b3 + k];
            a0 += q0 * xv;
            a1 += q1 * xv;
            a2 += q2 * xv;
            a3 += q3 * xv;
            c0 += q0 * xw;
            c1 += q1 * xw;
            c2 += q2 * xw;
            c3 += q3 * xw;
          }
          buf[j] = a0;
          buf[m + j] = a1;
          buf[2 * m + j] = a2;
          buf[3 * m + j] = a3;
          buf[j + 1] = c0;
          buf[m + j + 1] = c1;
          buf[2 * m + j + 1] = c2;
          buf[3 * m + j + 1] = c3;
        }
        if (j < m) {
          const xb = j * d;
          let a0 = 0, a1 = 0, a2 = 0, a3 = 0;
          for (let k = 0; k < d; k++) {
            const xv = x[xb + k];
            a0 += q[b0 + k] * xv;
            a1 += q[b1 + k] * xv;
            a2 += q[b2 + k] * xv;
            a3 += q[b3 + k] * xv;
          }
          buf[j] = a0;
          buf[m + j] = a1;
          buf[2 * m + j] = a2;
          buf[3 * m + j] = a3;
        }
      }
      for (let j = 0; j < m; j++) {
        let d0, d1, d2, d3;
        if (two) {
          const xa = x[2 * j];
          const xc = x[2 * j + 1];
          d0 = p00 * xa + p01 * xc;
          d1 = p10 * xa + p11 * xc;
          d2 = p20 * xa + p21 * xc;
          d3 = p30 * xa + p31 * xc;
        } else {
          d0 = buf[j];
          d1 = buf[m + j];
          d2 = buf[2 * m + j];
          d3 = buf[3 * m + j];
        }
        const xj = xn[j];
        let s0 = (n0 + xj - 2 * d0) * inv2;
        let s1 = (n1 + xj - 2 * d1) * inv2;
        let s2 = (n2 + xj - 2 * d2) * inv2;
        let s3 = (n3 + xj - 2 * d3) * inv2;
        if (s0 < 0) s0 = 0;
        if (s1 < 0) s1 = 0;
        if (s2 < 0) s2 = 0;
        if (s3 < 0) s3 = 0;
        buf[j] = s0;
        buf[m + j] = s1;
        buf[2 * m + j] = s2;
        buf[3 * m + j] = s3;
        if (gaussian) {
          const lw = logw ? logw[j] : 0;
          const u0 = lw - 0.5 * s0, u1 = lw - 0.5 * s1, u2 = lw - 0.5 * s2, u3 = lw - 0.5 * s3;
          if (u0 > t0 && j !== e0) t0 = u0;
          if (u1 > t1 && j !== e1) t1 = u1;
          if (u2 > t2 && j !== e2) t2 = u2;
          if (u3 > t3 && j !== e3) t3 = u3;
        }
      }
      tmx[0] = t0;
      tmx[1] = t1;
      tmx[2] = t2;
      tmx[3] = t3;
    }
    const r2 = buf.subarray(slot * m, (slot + 1) * m);
    const tmax = tmx[slot];
    // Pass 2: compensated sum of the (shifted) terms.
    let sum = 0;
    let comp = 0;
    if (gaussian) {
      if (tmax === -Infinity) {
        out[i] = log ? -Infinity : 0;
        continue;
      }
      // Terms with exponent below −skip are skipped (see module doc); on r² that is r² > lim.
      const lim = logw ? Infinity : 2 * (skip - tmax);
      for (let j = 0; j < m; j++) {
        if (j === self) continue;
        const s2 = r2[j];
        if (s2 > lim) continue;
        const e = (logw ? logw[j] - 0.5 * s2 : -0.5 * s2) - tmax;
        if (e < -skip) continue;
        const v = expNeg(e);
        const t = sum + v;
        comp += sum >= v ? sum - t + v : v - t + sum;
        sum = t;
      }
      const s = sum + comp;
      out[i] = log ? tmax + Math.log(s) : Math.exp(tmax) * s;
    } else {
      for (let j = 0; j < m; j++) {
        if (j === self) continue;
        const k = 1 - r2[j];
        if (k <= 0) continue;
        const v = w ? w[j] * k : k;
        const t = sum + v;
        comp += sum >= v ? sum - t + v : v - t + sum;
        sum = t;
      }
      const s = sum + comp;
      out[i] = log ? Math.log(s) : s;
    }
  }
}

// Worker side: this module was started as a divlab kernel-sum worker.
serveWorker<Task>(KIND, sumRows);

/**
 * The float64 kernel sums (see module doc) of every query row. `threads` (default: all available)
 * caps the worker threads; `minWork` is the n·m·(d + 4) below which one thread does it all.
 */
export function cpuKernelSums(
  query: Matrix, ref: Matrix, c: CpuSumSpec, log: boolean,
  threads: number = availableThreads(), minWork: number = KERNEL_SUM_PARALLEL_WORK,
): Float64Array {
  const n = query.rows;
  const m = ref.rows;
  const d = ref.cols;
  const split = threads >= 2 && n >= 2 && n * m * (d + 4) >= minWork && selfFile !== undefined && availableThreads() >= 2;
  const mu = new Float64Array(d);
  for (let k = 0; k < d; k++) {
    const acc = new NeumaierSum();
    for (let j = 0; j < m; j++) acc.add(ref.data[j * d + k]);
    mu[k] = acc.value / m;
  }
  const centre = (a: Matrix): { v: Float64Array; nrm: Float64Array } => {
    const v = alloc(a.rows * d, split);
    const nrm = alloc(a.rows, split);
    for (let i = 0; i < a.rows; i++) {
      let s = 0;
      for (let k = 0; k < d; k++) {
        const t = a.data[i * d + k] - mu[k];
        v[i * d + k] = t;
        s += t * t;
      }
      nrm[i] = s;
    }
    return { v, nrm };
  };
  const X = centre(ref);
  const Q = query === ref ? X : centre(query);
  const w = c.weights;
  let logw: Float64Array | null = null;
  if (w && c.kernel === 'gaussian') {
    logw = alloc(m, split);
    for (let j = 0; j < m; j++) logw[j] = Math.log(w[j]);
  }
  let wc: Float64Array | null = null;
  if (w && c.kernel !== 'gaussian') {
    wc = alloc(m, split);
    wc.set(w);
  }
  const task: Task = {
    q: Q.v, x: X.v, qn: Q.nrm, xn: X.nrm, logw, w: wc, out: alloc(n, split),
    m, d, inv2: 1 / (c.h * c.h), gaussian: c.kernel === 'gaussian', excludeSelf: c.excludeSelf, log,
  };
  if (!(split && runSliced(selfFile, KIND, task, n, threads, (from, to) => sumRows(task, from, to)))) sumRows(task, 0, n);
  return split ? Float64Array.from(task.out) : task.out;
}
