import assert from 'node:assert/strict';
import { Rng } from '../../kernel-lib/core/rng.js';

/** rows × cols logits N(0, scale²) from a seed, as number[][]. */
export function randomLogits(rows: number, cols: number, seed: number, scale = 1.5): number[][] {
  const r = new Rng(seed);
  return Array.from({ length: rows }, () => Array.from({ length: cols }, () => scale * r.normal()));
}

type Fn = (a: number[][], b: number[][]) => { value: number; gradP: ArrayLike<number> | null; gradQ: ArrayLike<number> | null };

/**
 * Central finite differences of `fn(a, b).value` in every logit of a and b against the analytic
 * gradients; −∞ entries are skipped (no derivative). Returns the largest absolute error.
 */
export function checkGradients(fn: Fn, a: number[][], b: number[][], tol = 1e-7, h = 1e-5): number {
  const r = fn(a, b);
  assert.ok(r.gradP && r.gradQ, 'gradients requested');
  const cols = a[0].length;
  let worst = 0;
  for (const [which, x, g] of [['P', a, r.gradP], ['Q', b, r.gradQ]] as const) {
    for (let i = 0; i < x.length; i++) {
      for (let k = 0; k < cols; k++) {
        if (x[i][k] === -Infinity) continue;
        const x0 = x[i][k];
        x[i][k] = x0 + h;
        const up = which === 'P' ? fn(a, b).value : fn(a, b).value;
        x[i][k] = x0 - h;
        const dn = fn(a, b).value;
        x[i][k] = x0;
        const fd = (up - dn) / (2 * h);
        const an = g[i * cols + k];
        const err = Math.abs(fd - an);
        worst = Math.max(worst, err);
        assert.ok(err <= tol * (1 + Math.abs(fd)), `grad${which}[${i}][${k}]: analytic ${an} vs finite difference ${fd}`);
      }
    }
  }
  return worst;
}

/** Probabilities from logits (plain softmax of one row, for closed-form checks). */
export function probs(row: readonly number[]): number[] {
  const mx = Math.max(...row);
  const e = row.map((z) => Math.exp(z - mx));
  const s = e.reduce((x, y) => x + y, 0);
  return e.map((x) => x / s);
}
