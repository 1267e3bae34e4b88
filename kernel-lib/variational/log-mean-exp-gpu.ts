import { GPU } from 'gpu.js';
import type { IGPUKernelSettings, IKernelRunShortcut } from 'gpu.js';
import { BackendError } from '../core/errors.js';
import { NeumaierSum } from '../core/sum.js';
import { checkScores } from './log-mean-exp.js';

/**
 * The off-diagonal log-mean-exp of an n×n score matrix (see {@link offDiagonalLogMeanExp}, its
 * float64 twin) with the n² exponentials on gpu.js: one thread per row i computes
 *
 *   r_i = Σ_{j≠i} exp(S_ij − m_i)   (float32; m_i = max_{j≠i} S_ij from the host, so r_i ∈ [1, n−1]),
 *
 * and the host combines the rows in float64 with a compensated sum:
 *   L = M + log Σ_i e^{m_i − M} r_i − log(n(n−1)),  M = max_i m_i.
 * Each exp argument is ≤ 0, so nothing overflows; the float32 rounding of S_ij − m_i and of the
 * row sum gives a relative error of r_i below ≈ (n + |S|)·2^−24, an absolute error of L below
 * ≈ 1e−5 for |S| ≤ 100 and n ≤ 1024 (tested against the float64 twin).
 * gpu.js runs WebGL2 in a browser and its WebAssembly backend in Node (CPU code: at batch 64 the
 * float64 twin is faster there; this kernel is for large batches on a real GPU).
 */
export function offDiagonalLogMeanExpGpu(scores: Float64Array, n: number): number {
  checkScores(scores, n);
  const rowMax = new Float64Array(n);
  let M = -Infinity;
  for (let i = 0; i < n; i++) {
    let mx = -Infinity;
    for (let j = 0; j < n; j++) if (i !== j && scores[i * n + j] > mx) mx = scores[i * n + j];
    rowMax[i] = mx;
    if (mx > M) M = mx;
  }
  if (M === -Infinity || M === Infinity) return M;
  // Centre each row on its max in float64 before rounding to float32 (so the kernel's exp
  // arguments carry no cancellation error from large |S|).
  const centred = new Float32Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) centred[i * n + j] = i === j ? -1e30 : scores[i * n + j] - rowMax[i];
  }
  const kernel = rowKernel();
  kernel.setOutput([n]);
  const out = kernel(centred, n) as Float32Array | number[];
  const acc = new NeumaierSum();
  for (let i = 0; i < n; i++) acc.add(Math.exp(rowMax[i] - M) * out[i]);
  return M + Math.log(acc.value) - Math.log(n * (n - 1));
}

let gpu: GPU | null = null;
let cached: IKernelRunShortcut | null = null;

/** The gpu.js mode in use ('webasm' in Node, 'webgl2' / 'gpu' in a browser), after a first call. */
export function logMeanExpGpuMode(): string {
  return gpu === null ? 'uninitialised' : String(gpu.mode);
}

function rowKernel(): IKernelRunShortcut {
  if (cached !== null) return cached;
  try {
    gpu = new GPU();
    const settings = {
      dynamicOutput: true,
      dynamicArguments: true,
      loopMaxIterations: 1 << 16,
      tactic: 'precision',
      precision: 'single',
      argumentTypes: { s: 'Array', n: 'Integer' },
    } as unknown as IGPUKernelSettings;
    cached = gpu.createKernel(
      `function (s, n) {
        const o = this.thread.x * n;
        let acc = 0.0;
        for (let j = 0; j < n; j++) {
          if (j !== this.thread.x) {
            acc = acc + Math.exp(s[o + j]);
          }
        }
        return acc;
      }`, settings);
    return cached;
  } catch (e) {
    throw new BackendError('backend', `gpu.js could not compile the log-mean-exp kernel (${(e as Error).message}); use the float64 path`);
  }
}
