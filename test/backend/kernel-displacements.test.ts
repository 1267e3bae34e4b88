import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { kernelDisplacements } from '../../kernel-lib/backend/kernel-displacements.js';
import { destroyKernelSumKernels } from '../../kernel-lib/backend/kernel-sums.js';
import type { Matrix } from '../../kernel-lib/core/matrix.js';
import { DimensionMismatchError, InvalidParameterError, NonFiniteError } from '../../kernel-lib/core/errors.js';
import { normals } from '../helpers/data.js';

after(() => destroyKernelSumKernels());

/** Naive Σ_j k_ij and Σ_j k_ij (q_i − x_j), no shift (fine where nothing underflows). */
function brute(q: Matrix, x: Matrix, h: number): { s: number[]; g: number[][] } {
  const d = q.cols;
  const s: number[] = [], g: number[][] = [];
  for (let i = 0; i < q.rows; i++) {
    let si = 0;
    const gi = new Array<number>(d).fill(0);
    for (let j = 0; j < x.rows; j++) {
      let r2 = 0;
      for (let c = 0; c < d; c++) r2 += (q.data[i * d + c] - x.data[j * d + c]) ** 2;
      const k = Math.exp(-r2 / (2 * h * h));
      si += k;
      for (let c = 0; c < d; c++) gi[c] += k * (q.data[i * d + c] - x.data[j * d + c]);
    }
    s.push(si);
    g.push(gi);
  }
  return { s, g };
}

const shifted = (M: Matrix, by: number): Matrix => ({ ...M, data: M.data.map((v) => v + by) });

test('float64 path: log s_i and δ_i equal the naive sums; δ is the displacement from the mean-shift point', () => {
  for (const d of [1, 3, 7]) {
    const x = normals(50, d, 1), q = shifted(normals(13, d, 2), 0.4);
    for (const h of [0.2, 1, 5]) {
      const r = kernelDisplacements(q, x, { h, backend: 'cpu' });
      assert.equal(r.backend, 'cpu');
      const b = brute(q, x, h);
      for (let i = 0; i < q.rows; i++) {
        assert.ok(Math.abs(r.logSums[i] - Math.log(b.s[i])) < 1e-13 * Math.max(1, Math.abs(Math.log(b.s[i]))), `d=${d} h=${h} i=${i}`);
        for (let c = 0; c < d; c++) {
          const want = b.g[i][c] / b.s[i];
          assert.ok(Math.abs(r.delta[i * d + c] - want) < 1e-12 * (1 + Math.abs(want)), `d=${d} h=${h} δ ${r.delta[i * d + c]} vs ${want}`);
        }
      }
    }
  }
  // two symmetric neighbours pull equally: δ = 0; one neighbour: δ = q − x
  const one = (v: number[]): Matrix => ({ data: Float64Array.from(v), rows: v.length, cols: 1 });
  assert.equal(kernelDisplacements(one([0]), one([-1, 1]), { h: 1 }).delta[0], 0);
  assert.ok(Math.abs(kernelDisplacements(one([0.3]), one([2]), { h: 0.7 }).delta[0] - (0.3 - 2)) < 1e-15);
});

test('far queries and d = 50: log s_i finite where s_i underflows, δ_i the displacement from the nearest point', () => {
  const x = normals(20, 50, 3);
  const q = shifted(normals(4, 50, 4), 60); // ‖q − x‖² ≈ 50·60² → s underflows by far
  const r = kernelDisplacements(q, x, { h: 0.5, backend: 'cpu' });
  for (let i = 0; i < q.rows; i++) {
    assert.ok(Number.isFinite(r.logSums[i]) && r.logSums[i] < -1e4, `${r.logSums[i]}`);
    // all weight on the nearest reference point
    let best = -1, bestR = Infinity;
    for (let j = 0; j < x.rows; j++) {
      let r2 = 0;
      for (let c = 0; c < 50; c++) r2 += (q.data[i * 50 + c] - x.data[j * 50 + c]) ** 2;
      if (r2 < bestR) { bestR = r2; best = j; }
    }
    for (let c = 0; c < 50; c++) assert.ok(Math.abs(r.delta[i * 50 + c] - (q.data[i * 50 + c] - x.data[best * 50 + c])) < 1e-9);
  }
});

test('gpu.js path (weighted kernel sums) agrees with the float64 path within its stated tolerance', () => {
  for (const d of [1, 2, 5]) {
    const x = normals(300, d, 5), q = shifted(normals(120, d, 6), 0.3);
    for (const h of [0.3, 1]) {
      const c = kernelDisplacements(q, x, { h, backend: 'cpu' });
      const g = kernelDisplacements(q, x, { h, backend: 'gpu' });
      assert.equal(g.backend, 'gpu');
      let worst = 0;
      for (let k = 0; k < c.delta.length; k++) {
        // stated bound: 1e−5·(|q − β| + range); data here span ≈ 8, so 1e−5·(3·8 + 8)
        worst = Math.max(worst, Math.abs(c.delta[k] - g.delta[k]));
      }
      assert.ok(worst < 3.2e-4, `d=${d} h=${h}: max |Δδ| ${worst}`);
      if (process.env.DIVLAB_VERBOSE) console.log(`d=${d} h=${h}: max |Δδ| ${worst.toExponential(2)}`);
      for (let i = 0; i < q.rows; i++) assert.ok(Math.abs(c.logSums[i] - g.logSums[i]) < 2e-5 * Math.max(1, Math.abs(c.logSums[i])));
    }
  }
  // a constant column: exact on the gpu.js path (special-cased), to the last bit or so in float64
  const x = { data: Float64Array.from([1, 5, 2, 5, 3, 5]), rows: 3, cols: 2 };
  const q = { data: Float64Array.from([0, 4]), rows: 1, cols: 2 };
  assert.equal(kernelDisplacements(q, x, { h: 1, backend: 'gpu' }).delta[1], -1);
  assert.ok(Math.abs(kernelDisplacements(q, x, { h: 1, backend: 'cpu' }).delta[1] + 1) < 1e-15);
});

test('bad input: typed errors naming the argument', () => {
  const x = normals(5, 2, 7);
  assert.throws(() => kernelDisplacements(x, x, { h: 0 }), InvalidParameterError);
  assert.throws(() => kernelDisplacements(x, x, { h: NaN }), NonFiniteError);
  assert.throws(() => kernelDisplacements(x, normals(5, 3, 8), { h: 1 }), DimensionMismatchError);
  assert.throws(() => kernelDisplacements(x, x, { h: 1, backend: 'tpu' as 'cpu' }), InvalidParameterError);
});
