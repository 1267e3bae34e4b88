import type { Matrix } from '../../kernel-lib/core/matrix.js';

/**
 * Central finite differences (f(θ + ε) − f(θ − ε))/(2ε) of a scalar function of the entries of M,
 * one entry at a time (M is perturbed in place and restored).
 */
export function fdGrad(M: Matrix, f: () => number, eps = 1e-6): Float64Array {
  const g = new Float64Array(M.data.length);
  for (let k = 0; k < M.data.length; k++) {
    const v = M.data[k];
    M.data[k] = v + eps;
    const fp = f();
    M.data[k] = v - eps;
    const fm = f();
    M.data[k] = v;
    g[k] = (fp - fm) / (2 * eps);
  }
  return g;
}
