import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { destroyKernelSumKernels, kernelSumSource, kernelSums, logKernelSums } from '../../kernel-lib/backend/kernel-sums.js';
import type { Matrix } from '../../kernel-lib/core/matrix.js';
import { Rng } from '../../kernel-lib/core/rng.js';
import { DimensionMismatchError, InvalidParameterError, NonFiniteError } from '../../kernel-lib/core/errors.js';

after(() => destroyKernelSumKernels());

function normals(n: number, d: number, seed: number, scale = 1, offset = 0): Matrix {
  const rng = new Rng(seed);
  const data = new Float64Array(n * d);
  for (let i = 0; i < data.length; i++) data[i] = offset + scale * rng.normal();
  return { data, rows: n, cols: d };
}

/** Brute-force truth with naive loops and Math.exp, no shift (fine where nothing underflows). */
function brute(q: Matrix, x: Matrix, h: number, kernel: 'gaussian' | 'epanechnikov', excludeSelf = false, w?: Float64Array): number[] {
  const out: number[] = [];
  for (let i = 0; i < q.rows; i++) {
    let s = 0;
    for (let j = 0; j < x.rows; j++) {
      if (excludeSelf && i === j) continue;
      let r2 = 0;
      for (let c = 0; c < q.cols; c++) r2 += (q.data[i * q.cols + c] - x.data[j * x.cols + c]) ** 2;
      r2 /= h * h;
      const k = kernel === 'gaussian' ? Math.exp(-r2 / 2) : Math.max(0, 1 - r2);
      s += (w ? w[j] : 1) * k;
    }
    out.push(s);
  }
  return out;
}

const rel = (a: number, b: number): number => (b === 0 ? Math.abs(a) : Math.abs(a - b) / Math.abs(b));

test('kernelSums: float64 path equals the brute-force sum (both kernels, weights, self-exclusion)', () => {
  const x = normals(60, 3, 1);
  const q = normals(17, 3, 2, 1.3);
  const w = new Float64Array(60).map((_, j) => 0.1 + (j % 7));
  for (const kernel of ['gaussian', 'epanechnikov'] as const) {
    for (const h of [0.4, 1.7]) {
      const cases: [Matrix, boolean, Float64Array | undefined][] = [[q, false, undefined], [q, false, w], [x, true, undefined], [x, true, w]];
      for (const [qq, self, ww] of cases) {
        const got = kernelSums(qq, x, { h, kernel, excludeSelf: self, weights: ww, backend: 'cpu' });
        const lg = logKernelSums(qq, x, { h, kernel, excludeSelf: self, weights: ww, backend: 'cpu' });
        const want = brute(qq, x, h, kernel, self, ww);
        for (let i = 0; i < want.length; i++) {
          assert.ok(rel(got[i], want[i]) < 1e-12, `${kernel} h=${h} row ${i}: ${got[i]} vs ${want[i]}`);
          if (want[i] > 0) assert.ok(Math.abs(lg[i] - Math.log(want[i])) < 1e-12);
          else assert.equal(lg[i], -Infinity);
        }
      }
    }
  }
});

test('kernelSums: the documented example and a closed form (1 + e^{−1/2})', () => {
  const s = kernelSums({ data: Float64Array.of(0), rows: 1, cols: 1 }, { data: Float64Array.of(0, 1), rows: 2, cols: 1 }, { h: 1 });
  assert.ok(Math.abs(s[0] - (1 + Math.exp(-0.5))) < 1e-15);
});

test('logKernelSums: finite at d = 50 where every term underflows, and shift-invariant', () => {
  const d = 50;
  const x = normals(40, d, 3);
  const q = normals(5, d, 4, 1, 30); // far away: r² ≈ 50·900/h²
  const h = 0.5;
  const plain = kernelSums(q, x, { h, backend: 'cpu' });
  const lg = logKernelSums(q, x, { h, backend: 'cpu' });
  for (let i = 0; i < 5; i++) {
    assert.equal(plain[i], 0); // underflows
    assert.ok(Number.isFinite(lg[i]) && lg[i] < -745);
    // Truth: log Σ exp(−r_j²/2) computed from the exact exponents with a long-double-free identity.
    const ex: number[] = [];
    for (let j = 0; j < 40; j++) {
      let r2 = 0;
      for (let c = 0; c < d; c++) r2 += (q.data[i * d + c] - x.data[j * d + c]) ** 2;
      ex.push(-r2 / (2 * h * h));
    }
    const mx = Math.max(...ex);
    const want = mx + Math.log(ex.reduce((a, e) => a + Math.exp(e - mx), 0));
    assert.ok(rel(lg[i], want) < 1e-13, `${lg[i]} vs ${want}`);
  }
});

test('gpu.js path agrees with the float64 path: |Δ log s| ≤ 2e-5·max(1, |log s|)', () => {
  const tol = (v: number): number => 2e-5 * Math.max(1, Math.abs(v));
  for (const d of [1, 2, 5, 10]) {
    // m > SUM_TILE_ROWS so that several tiles are combined on the host; data off-centre.
    const x = normals(1500, d, 10 + d, 2, 100);
    const q = normals(40, d, 20 + d, 2.5, 100);
    const w = new Float64Array(1500).map((_, j) => 1e-3 * (1 + (j % 5)));
    for (const kernel of ['gaussian', 'epanechnikov'] as const) {
      for (const [qq, self, ww] of [[q, false, undefined], [x, true, w], [q, false, w]] as [Matrix, boolean, Float64Array | undefined][]) {
        const h = kernel === 'gaussian' ? 0.7 : 2.5;
        const cpu = logKernelSums(qq, x, { h, kernel, excludeSelf: self, weights: ww, backend: 'cpu' });
        const gpu = logKernelSums(qq, x, { h, kernel, excludeSelf: self, weights: ww, backend: 'gpu' });
        for (let i = 0; i < cpu.length; i++) {
          if (cpu[i] === -Infinity) {
            assert.equal(gpu[i], -Infinity);
            continue;
          }
          assert.ok(Math.abs(gpu[i] - cpu[i]) <= tol(cpu[i]), `d=${d} ${kernel} self=${self} row ${i}: gpu ${gpu[i]} cpu ${cpu[i]}`);
        }
        const s1 = kernelSums(qq, x, { h, kernel, excludeSelf: self, weights: ww, backend: 'gpu' });
        for (let i = 0; i < cpu.length; i++) {
          if (cpu[i] > -700) assert.ok(rel(s1[i], Math.exp(cpu[i])) < 5e-5 * Math.max(1, Math.abs(cpu[i])));
        }
      }
    }
  }
});

test('gpu.js path: log-sums at d = 50 stay finite and agree with float64', () => {
  const d = 50;
  const x = normals(300, d, 31);
  const q = normals(20, d, 32, 1.2);
  const cpu = logKernelSums(q, x, { h: 0.1, backend: 'cpu' });
  const gpu = logKernelSums(q, x, { h: 0.1, backend: 'gpu' });
  for (let i = 0; i < 20; i++) {
    assert.ok(cpu[i] < -745, 'the direct sum would underflow');
    assert.ok(Math.abs(gpu[i] - cpu[i]) <= 2e-5 * Math.abs(cpu[i]), `row ${i}: ${gpu[i]} vs ${cpu[i]}`);
  }
});

test('kernel source: one register pair per coordinate and the self-exclusion guard', () => {
  const src = kernelSumSource(3, 'gaussian', true);
  assert.match(src, /const b2 = q\[qb \+ 5\]/);
  assert.match(src, /if \(j !== me\)/);
  assert.doesNotMatch(kernelSumSource(3, 'epanechnikov', false), /Math\.exp/);
});

test('bad input: bandwidth, weights, shapes and backend are rejected by name', () => {
  const x = normals(10, 2, 5);
  assert.throws(() => kernelSums(x, x, { h: 0 }), InvalidParameterError);
  assert.throws(() => kernelSums(x, x, { h: -1 }), InvalidParameterError);
  assert.throws(() => kernelSums(x, x, { h: NaN }), NonFiniteError);
  assert.throws(() => kernelSums(x, x, { h: Infinity }), NonFiniteError);
  assert.throws(() => kernelSums(x, normals(10, 3, 1), { h: 1 }), DimensionMismatchError);
  assert.throws(() => kernelSums(x, x, { h: 1, weights: new Float64Array(9) }), DimensionMismatchError);
  assert.throws(() => kernelSums(x, x, { h: 1, weights: new Float64Array(10).fill(-1) }), InvalidParameterError);
  assert.throws(() => kernelSums(x, x, { h: 1, weights: new Float64Array(10).fill(NaN) }), NonFiniteError);
  assert.throws(() => kernelSums(normals(11, 2, 1), x, { h: 1, excludeSelf: true }), DimensionMismatchError);
  assert.throws(() => kernelSums(x, x, { h: 1, kernel: 'box' as 'gaussian' }), InvalidParameterError);
  assert.throws(() => kernelSums(x, x, { h: 1, backend: 'tpu' as 'cpu' }), /options\.backend/);
  // All-zero weights: an exact zero sum, log −∞, never NaN.
  const z = logKernelSums(x, x, { h: 1, weights: new Float64Array(10) });
  assert.ok(z.every((v) => v === -Infinity));
});
