import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gaussianNoisePredictor } from '../../kernel-lib/score/oracle.js';
import { mindeEstimate } from '../../kernel-lib/score/minde.js';
import { DEFAULT_SCHEDULE as S, gaussianDiffusedScore, noiseStd } from '../../kernel-lib/score/vp.js';
import { sampleGaussian } from '../../kernel-lib/gaussian/sample.js';
import { gaussianEntropy, gaussianMutualInfo } from '../../kernel-lib/gaussian/closed-form.js';

function dense(dx: number, off: number): Float64Array {
  const D = 2 * dx;
  const c = new Float64Array(D * D);
  for (let i = 0; i < D; i++) for (let j = 0; j < D; j++) c[i * D + j] = i === j ? 1 : off;
  return c;
}

test('MINDE integrals with the exact Gaussian scores reproduce the closed-form MI and entropies (importance-sampled, 1×1 and 3×3)', () => {
  for (const [dx, off, truth] of [[1, 0.75, 0.4133], [3, 0.5, 0.413]] as const) {
    const C = dense(dx, off);
    const D = 2 * dx;
    assert.ok(Math.abs(gaussianMutualInfo(C, dx, dx) - truth) < 1e-3, 'Czyż et al. (2023) ground truth');
    const u = sampleGaussian({ mean: new Float64Array(D), cov: C }, 3000, 11);
    const e = mindeEstimate(gaussianNoisePredictor(C, dx, dx, S), u, dx, dx, S, { timeDraws: 4, seed: 2 });
    const tol = 3.5 * (e.stderr as number);
    const ex = e.extra as Record<string, number>;
    assert.ok(Math.abs(ex.mindeC - truth) < tol, `C ${ex.mindeC} ± ${e.stderr} vs ${truth}`);
    assert.ok(Math.abs(ex.mindeCyx - truth) < tol, `C(y|x) ${ex.mindeCyx}`);
    assert.ok(Math.abs(ex.mindeJ - truth) < tol, `J ${ex.mindeJ}`);
    const cxx = C.filter((_, k) => Math.floor(k / D) < dx && k % D < dx);
    assert.ok(Math.abs(ex.entropyX - gaussianEntropy(cxx, dx)) < 0.05 * dx, `H(X) ${ex.entropyX} vs ${gaussianEntropy(cxx, dx)}`);
    assert.ok(Math.abs(ex.entropyXY - gaussianEntropy(C, D)) < 0.1 * dx, `H(X,Y) ${ex.entropyXY}`);
  }
});

test('independent pair: every MINDE integral is ≈ 0 with exact scores', () => {
  const C = dense(2, 0);
  const u = sampleGaussian({ mean: new Float64Array(4), cov: C }, 1000, 1);
  const e = mindeEstimate(gaussianNoisePredictor(C, 2, 2, S), u, 2, 2, S, { timeDraws: 2 });
  const ex = e.extra as Record<string, number>;
  assert.ok(Math.abs(ex.mindeC) < 1e-12 && Math.abs(ex.mindeJ) < 1e-12);
});

test('the oracle joint noise equals −σ_t × the diffused Gaussian score', () => {
  const C = dense(1, 0.6);
  const pred = gaussianNoisePredictor(C, 1, 1, S);
  const z = Float64Array.from([0.3, -0.7, 1.2, 0.4]);
  const t = Float64Array.from([0.05, 0.5]);
  const e = pred(z, t, t);
  for (let r = 0; r < 2; r++) {
    const s = gaussianDiffusedScore([0, 0], C, S, t[r], z.subarray(2 * r, 2 * r + 2));
    for (let j = 0; j < 2; j++) assert.ok(Math.abs(e[2 * r + j] + noiseStd(S, t[r]) * s[j]) < 1e-12);
  }
});
