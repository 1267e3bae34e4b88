import { InvalidParameterError, NonFiniteError } from '../core/errors.js';
import type { Tensor } from '../autodiff/tensor.js';

/** @internal */
export function checkParams(params: readonly Tensor[]): void {
  if (!Array.isArray(params) || params.length === 0) throw new InvalidParameterError('params', 'needs at least one trainable tensor');
  for (let i = 0; i < params.length; i++) {
    if (!params[i].requiresGrad) throw new InvalidParameterError('params', `entry ${i} is not a parameter (create it with autodiff.parameter)`);
  }
}

/** @internal */
export function positive(v: number | undefined, name: string, dflt: number): number {
  const x = v ?? dflt;
  if (!(x > 0) || !Number.isFinite(x)) throw new InvalidParameterError(name, `must be a positive finite number, got ${String(v)}`);
  return x;
}

/** Euclidean norm of all gradients together, √Σ‖g‖². Throws NonFiniteError when it is NaN/∞. */
export function gradNorm(params: readonly Tensor[]): number {
  let s = 0;
  for (const p of params) {
    const g = p.grad;
    if (g) for (let i = 0; i < g.length; i++) s += g[i] * g[i];
  }
  const n = Math.sqrt(s);
  if (!Number.isFinite(n)) throw new NonFiniteError('gradients', 'a gradient is NaN or infinite; lower the learning rate, clip the critic output or the gradient norm');
  return n;
}

/**
 * Rescales all gradients together so that their joint norm is at most `maxNorm` (as
 * `torch.nn.utils.clip_grad_norm_`); returns the norm before clipping.
 */
export function clipGradNorm(params: readonly Tensor[], maxNorm: number): number {
  if (!(maxNorm > 0)) throw new InvalidParameterError('maxNorm', `must be > 0, got ${String(maxNorm)}`);
  const n = gradNorm(params);
  if (n > maxNorm) {
    const f = maxNorm / (n + 1e-6);
    for (const p of params) if (p.grad) for (let i = 0; i < p.grad.length; i++) p.grad[i] *= f;
  }
  return n;
}
