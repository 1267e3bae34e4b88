import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fdiv from '../../kernel-lib/fdiv/index.js';
import { EstimationError, InvalidParameterError, NonFiniteError, DimensionMismatchError } from '../../kernel-lib/core/errors.js';
import { checkGradients, probs, randomLogits } from './gradcheck.js';

const L = Math.log;

test('temperature: gradients carry 1/T and the sum reduction; value equals the divergence of softmax(a/T)', () => {
  const a = randomLogits(2, 4, 3), b = randomLogits(2, 4, 4);
  for (const [fn, name] of [[fdiv.js, 'js'], [fdiv.reverseKl, 'rkl'], [fdiv.hellinger, 'h']] as const) {
    const T = 3;
    const r = fn(a, b, { temperature: T, reduction: 'sum' });
    const scaled = fn(a.map((row) => row.map((z) => z / T)), b.map((row) => row.map((z) => z / T)), { reduction: 'sum' });
    assert.ok(Math.abs(r.value - scaled.value) < 1e-15, name);
    checkGradients((x, y) => fn(x, y, { temperature: T, reduction: 'sum' }), a, b);
    const mean = fn(a, b, { temperature: T });
    assert.ok(Math.abs(mean.value * 2 - r.value) < 1e-15);
    assert.ok(Math.abs(mean.gradQ![3] * 2 - r.gradQ![3]) < 1e-15);
  }
});

test('−∞ logits (zero probabilities): closed forms, finite gradients, and the sum of each gradient row is 0', () => {
  const a = [[0, -Infinity, 1, -Infinity], [2, 0, -Infinity, -1]];
  const b = [[0.5, 1, -0.5, -Infinity], [-Infinity, 0, 1, 2]];
  // KL(P‖Q) finite in row 0 (supp p ⊂ supp q), infinite in row 1 (p_0 > 0 = q_0).
  const r = fdiv.kl(a, b, { grad: false });
  const p0 = probs(a[0]), q0 = probs(b[0]);
  const want0 = p0[0] * L(p0[0] / q0[0]) + p0[2] * L(p0[2] / q0[2]);
  assert.ok(Math.abs(r.rows[0] - want0) < 1e-15);
  assert.equal(r.rows[1], Infinity);
  assert.equal(r.value, Infinity);
  assert.throws(() => fdiv.kl(a, b), (e: unknown) => e instanceof EstimationError && /no gradient/.test((e as Error).message));
  // Bounded divergences stay finite and differentiable with −∞ logits on both sides.
  for (const fn of [fdiv.js, fdiv.totalVariation, fdiv.hellinger, (x: number[][], y: number[][]) => fdiv.alpha(x, y, { alpha: 0.5 }), (x: number[][], y: number[][]) => fdiv.renyi(x, y, { alpha: 0.5 }), (x: number[][], y: number[][]) => fdiv.skewKl(x, y, { lambda: 0.25 })]) {
    const res = fn(a, b);
    assert.ok(Number.isFinite(res.value));
    for (const g of [res.gradP!, res.gradQ!]) {
      for (let i = 0; i < 2; i++) {
        let s = 0;
        for (let k = 0; k < 4; k++) s += g[i * 4 + k];
        assert.ok(Math.abs(s) < 1e-15);
      }
    }
    checkGradients((x, y) => fn(x, y), a.map((x) => [...x]), b.map((x) => [...x]));
  }
  // Reverse KL row 0: KL(Q‖P) = ∞ (q_1 > 0 = p_1); row 1 finite.
  assert.equal(fdiv.reverseKl(a, b, { grad: false }).rows[0], Infinity);
  // Amari α: q_k = 0 < p_k is finite for α < 1 (term p_k/(1−α)) and infinite for α > 1.
  const pa = probs([0, 0]);
  const al = fdiv.alpha([[0, 0]], [[0, -Infinity]], { alpha: 0.5 });
  assert.ok(Math.abs(al.value - (pa[0] ** 0.5 * 1 - 1) / (0.5 * -0.5)) < 1e-15);
  assert.equal(fdiv.alpha([[0, 0]], [[0, -Infinity]], { alpha: 2, grad: false }).value, Infinity);
  assert.equal(fdiv.pearson([[0, 0]], [[0, -Infinity]], { grad: false }).value, Infinity);
  assert.ok(Math.abs(fdiv.neyman([[0, 0]], [[0, -Infinity]]).value - 1) < 1e-15); // Σ (p−q)²/p = 0.25/0.5·2
});

test('input handling: Float32Array in place with float32 gradients, flat arrays as one row, shift invariance', () => {
  const a = randomLogits(4, 9, 41), b = randomLogits(4, 9, 42);
  const a32 = { data: Float32Array.from(a.flat()), shape: [4, 9] as [number, number] };
  const b32 = { data: Float32Array.from(b.flat()), shape: [4, 9] as [number, number] };
  const r32 = fdiv.js(a32, b32);
  const r64 = fdiv.js(Array.from(a32.data).reduce<number[][]>((m, v, i) => (i % 9 ? m[m.length - 1].push(v) : m.push([v]), m), []), Array.from(b32.data).reduce<number[][]>((m, v, i) => (i % 9 ? m[m.length - 1].push(v) : m.push([v]), m), []));
  assert.ok(r32.gradP instanceof Float32Array && r32.gradQ instanceof Float32Array);
  assert.ok(Math.abs(r32.value - r64.value) < 1e-15);
  for (let i = 0; i < 36; i++) assert.ok(Math.abs(r32.gradQ![i] - r64.gradQ![i]) <= 1e-7 * Math.abs(r64.gradQ![i]) + 1e-30);
  const flat = fdiv.kl(a[0], b[0]);
  assert.deepEqual(flat.shape, [1, 9]);
  assert.ok(Math.abs(flat.value - fdiv.kl([a[0]], [b[0]]).value) === 0);
  const shifted = fdiv.reverseKl(a.map((r) => r.map((z) => z + 100)), b.map((r) => r.map((z) => z - 50)));
  assert.ok(Math.abs(shifted.value - fdiv.reverseKl(a, b).value) < 1e-13);
  // Huge logits do not overflow (max-shifted log-softmax).
  const big = fdiv.kl([[1000, 999]], [[-1000, -999]]);
  const p = probs([1, 0]);
  assert.ok(Math.abs(big.value - (p[0] - p[1]) * (L(p[0] / p[1]))) < 1e-13);
});

test('bad input: typed errors naming the argument', () => {
  assert.throws(() => fdiv.kl([[0, NaN]], [[0, 0]]), (e: unknown) => e instanceof NonFiniteError && e.argument === 'logitsP' && /row 0, column 1/.test((e as Error).message));
  assert.throws(() => fdiv.kl([[0, 0]], [[Infinity, 0]]), (e: unknown) => e instanceof NonFiniteError && e.argument === 'logitsQ');
  assert.throws(() => fdiv.kl([[-Infinity, -Infinity]], [[0, 0]]), (e: unknown) => e instanceof NonFiniteError && /no finite logit/.test((e as Error).message));
  assert.throws(() => fdiv.kl([[0, 0, 0]], [[0, 0]]), (e: unknown) => e instanceof DimensionMismatchError && e.argument === 'logitsQ');
  assert.throws(() => fdiv.kl([[0, 0]], [[0, 0]], { temperature: 0 }), (e: unknown) => e instanceof InvalidParameterError && e.argument === 'options.temperature');
  assert.throws(() => fdiv.kl([[0, 0]], [[0, 0]], { reduction: 'max' as 'sum' }), (e: unknown) => e instanceof InvalidParameterError && e.argument === 'options.reduction');
  assert.throws(() => fdiv.alpha([[0, 0]], [[0, 0]], { alpha: 1 }), (e: unknown) => e instanceof InvalidParameterError && /fdiv\.kl/.test((e as Error).message));
  assert.throws(() => fdiv.alpha([[0, 0]], [[0, 0]], { alpha: 0 }), (e: unknown) => e instanceof InvalidParameterError && /reverseKl/.test((e as Error).message));
  assert.throws(() => fdiv.renyi([[0, 0]], [[0, 0]], { alpha: -1 }), (e: unknown) => e instanceof InvalidParameterError && e.argument === 'options.alpha');
  assert.throws(() => fdiv.tsallis([[0, 0]], [[0, 0]], { q: 1 }), (e: unknown) => e instanceof InvalidParameterError && e.argument === 'options.q');
  assert.throws(() => fdiv.skewKl([[0, 0]], [[0, 0]], { lambda: 1 }), (e: unknown) => e instanceof InvalidParameterError && e.argument === 'options.lambda');
});
