import { BackendError, InvalidParameterError } from '../core/errors.js';
import { CpuBackend } from './cpu.js';
import { createGpuBackend } from './gpu.js';
import type { Backend } from './types.js';

export type { Backend, Metric, NeighborOptions, RadiusOptions } from './types.js';
export { CpuBackend } from './cpu.js';

export type BackendChoice = 'cpu' | 'gpu' | 'auto';

/**
 * Problem size (query rows × reference rows × dimension) above which `auto` picks the gpu.js path,
 * and the dimension from which it does so (below it the float64 kd-tree is sub-quadratic and wins)
 * — only where gpu.js runs on a real GPU (WebGL/WebGPU). Where it runs its WebAssembly backend
 * (Node without headless-gl) the kernels are CPU code: measured on 2 cores at n = m = 2e4, d = 10,
 * k = 5 the kd-tree took 3.7–4.4 s and the webasm kernel 4.0–7.7 s, so `auto` stays on the CPU there.
 */
export const AUTO_GPU_MIN_WORK = 2e8;
export const AUTO_GPU_MIN_DIM = 8;

let gpu: Backend | null = null;

/** The float64 CPU backend (a fresh instance per call keeps kd-tree caches local to one estimate). */
export function cpuBackend(): Backend {
  return new CpuBackend();
}

/** The gpu.js backend (created once; its compiled kernels are cached). */
export function gpuBackend(): Backend {
  if (gpu) return gpu;
  let created: Backend;
  try {
    created = createGpuBackend();
  } catch (e) {
    throw new BackendError('options.backend', `'gpu' could not start gpu.js here: ${(e as Error).message}; use backend: 'cpu'`);
  }
  gpu = created;
  return created;
}

/** Whether gpu.js resolved to a hardware backend (WebGL/WebGPU), not its WebAssembly/JS emulation. */
export function gpuIsHardware(): boolean {
  try {
    const mode = (gpuBackend() as Backend & { mode?: string }).mode ?? 'cpu';
    return mode !== 'webasm' && mode !== 'cpu';
  } catch {
    return false;
  }
}

/**
 * The only place that chooses a compute path. `auto` picks gpu.js when it runs on a real GPU, the
 * bulk work (rows × rows × dim) is large and the dimension is too high for the kd-tree; else the
 * exact CPU path.
 */
export function selectBackend(choice: BackendChoice | undefined, work: { n: number; m: number; d: number }): Backend {
  const c = choice ?? 'auto';
  if (c === 'cpu') return cpuBackend();
  if (c === 'gpu') return gpuBackend();
  if (c !== 'auto') throw new InvalidParameterError('options.backend', `must be 'cpu', 'gpu' or 'auto', got ${String(choice)}`);
  if (work.n * work.m * work.d >= AUTO_GPU_MIN_WORK && work.d >= AUTO_GPU_MIN_DIM && gpuIsHardware()) {
    return gpuBackend();
  }
  return cpuBackend();
}
