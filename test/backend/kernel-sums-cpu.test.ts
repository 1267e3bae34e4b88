import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpuKernelSums, type CpuSumSpec } from '../../kernel-lib/backend/kernel-sums-cpu.js';
import { logKernelSums } from '../../kernel-lib/backend/kernel-sums.js';
import { availableThreads } from '../../kernel-lib/backend/threads.js';
import { InvalidParameterError } from '../../kernel-lib/core/errors.js';
import { fit } from '../../kernel-lib/kde/fit.js';
import type { Matrix } from '../../kernel-lib/core/matrix.js';
import { Rng } from '../../kernel-lib/core/rng.js';
import { normals } from '../helpers/data.js';

function sameBits(a: Float64Array, b: Float64Array, what: string): void {
  assert.equal(a.length, b.length, what);
  for (let i = 0; i < a.length; i++) assert.ok(Object.is(a[i], b[i]), `${what}: row ${i}: ${a[i]} vs ${b[i]}`);
}

test('worker threads are available in Node for the kernel sums', () => {
  assert.ok(availableThreads() >= 2, `threads: ${availableThreads()}`);
});

// minWork 0 forces the split; threads up to 3 exercises uneven slices (and slices that are not
// multiples of the 4-row blocks).
const wrng = new Rng(5);
const weights = Float64Array.from({ length: 203 }, () => wrng.uniform()).map((u) => (u < 0.1 ? 0 : u));
const cases: { name: string; spec: CpuSumSpec; log: boolean }[] = [
  { name: 'gaussian, log, leave-one-out', spec: { kernel: 'gaussian', h: 0.4, excludeSelf: true, weights: null }, log: true },
  { name: 'gaussian, plain sums', spec: { kernel: 'gaussian', h: 0.7, excludeSelf: false, weights: null }, log: false },
  { name: 'gaussian, weighted, log', spec: { kernel: 'gaussian', h: 0.5, excludeSelf: false, weights }, log: true },
  { name: 'epanechnikov, weighted, leave-one-out', spec: { kernel: 'epanechnikov', h: 0.9, excludeSelf: true, weights }, log: false },
];
for (const { name, spec, log } of cases) {
  test(`split over threads equals one thread bit for bit (${name})`, () => {
    const x = normals(203, 3, 1);
    const q = normals(157, 3, 2);
    for (const query of spec.excludeSelf ? [x] : [x, q]) {
      const one = cpuKernelSums(query, x, spec, log, 1);
      for (const threads of [2, 3]) sameBits(cpuKernelSums(query, x, spec, log, threads, 0), one, `${threads} threads, ${query.rows} queries`);
    }
  });
}

test('edge sizes: 1, 2 and 5 query rows (fewer rows than blocks or threads), one reference row', () => {
  const x = normals(40, 2, 3);
  const spec: CpuSumSpec = { kernel: 'gaussian', h: 0.3, excludeSelf: false, weights: null };
  for (const n of [1, 2, 5]) {
    const q: Matrix = { data: normals(n, 2, 4 + n).data, rows: n, cols: 2 };
    sameBits(cpuKernelSums(q, x, spec, true, 3, 0), cpuKernelSums(q, x, spec, true, 1), `n = ${n}`);
  }
  const one: Matrix = { data: Float64Array.of(0.5, -0.25), rows: 1, cols: 2 };
  const q = normals(9, 2, 6);
  const got = cpuKernelSums(q, one, spec, true, 2, 0);
  for (let i = 0; i < 9; i++) {
    const r2 = ((q.data[2 * i] - 0.5) ** 2 + (q.data[2 * i + 1] + 0.25) ** 2) / 0.09;
    assert.ok(Math.abs(got[i] + r2 / 2) <= 1e-12 * (1 + r2), `row ${i}`);
  }
});

test('the public call splits large problems with the same result as threads: 1', () => {
  // n·m·(d + 4) = 1200² · 74 ≈ 1.1e8 ≥ the split threshold.
  const x = normals(1200, 70, 8);
  const a = logKernelSums(x, x, { h: 8, excludeSelf: true, threads: 1 });
  const b = logKernelSums(x, x, { h: 8, excludeSelf: true });
  sameBits(b, a, 'default threads');
  assert.ok(a.every(Number.isFinite));
});

test('threads must be an integer ≥ 1 (kernel sums and kde.fit name the option)', () => {
  const x = normals(10, 2, 9);
  for (const threads of [0, 1.5, -2, NaN]) {
    assert.throws(() => logKernelSums(x, x, { h: 1, threads }), (e: Error) => e instanceof InvalidParameterError && /options\.threads/.test(e.message));
    assert.throws(() => fit(x, { threads }), (e: Error) => e instanceof InvalidParameterError && /options\.threads/.test(e.message));
  }
});
