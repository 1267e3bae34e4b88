import { test } from 'node:test';
import assert from 'node:assert/strict';
import { KdTree } from '../../kernel-lib/neighbors/kdtree.js';
import { bruteCount, bruteKnn } from '../../kernel-lib/neighbors/brute.js';
import type { Metric } from '../../kernel-lib/neighbors/metric.js';
import { Rng } from '../../kernel-lib/core/rng.js';
import type { Matrix } from '../../kernel-lib/core/matrix.js';
import { normals } from '../helpers/data.js';

function integerGrid(n: number, d: number, seed: number): Matrix {
  // Integer coordinates in a small range: many exact ties and duplicates.
  const r = new Rng(seed);
  const data = new Float64Array(n * d);
  for (let i = 0; i < data.length; i++) data[i] = r.int(5);
  return { data, rows: n, cols: d };
}

for (const metric of ['euclidean', 'max'] as Metric[]) {
  for (const d of [1, 2, 3, 6]) {
    test(`kd-tree k-NN equals brute force (${metric}, d=${d}), self excluded and not`, () => {
      const x = normals(700, d, d);
      const q = normals(150, d, 100 + d);
      const tree = new KdTree(x);
      for (const k of [1, 4, 9]) {
        const a = new Float64Array(x.rows * k);
        const b = new Float64Array(x.rows * k);
        tree.knn(x, k, metric, true, a);
        bruteKnn(x, x, k, metric, true, b);
        assert.deepEqual(a, b);
        const c = new Float64Array(q.rows * k);
        const e = new Float64Array(q.rows * k);
        tree.knn(q, k, metric, false, c);
        bruteKnn(q, x, k, metric, false, e);
        assert.deepEqual(c, e);
      }
    });

    test(`kd-tree radius counts equal brute force exactly with ties (${metric}, d=${d})`, () => {
      const x = integerGrid(600, d, 3 + d);
      const tree = new KdTree(x);
      const r = new Rng(9);
      // Radii equal to attained distances (0, 1, √2, 2, ...) to exercise strict vs ≤.
      const radius = new Float64Array(x.rows).map(() => [0, 1, Math.SQRT2, 2, 2.5][r.int(5)]);
      for (const strict of [true, false]) {
        for (const self of [true, false]) {
          const a = new Int32Array(x.rows);
          const b = new Int32Array(x.rows);
          tree.countWithin(x, radius, metric, strict, self, a);
          bruteCount(x, x, radius, metric, strict, self, b);
          assert.deepEqual(a, b, `strict=${strict} self=${self}`);
        }
      }
    });
  }
}

test('kd-tree handles all-identical points (zero-width boxes)', () => {
  const x: Matrix = { data: new Float64Array(200 * 2).fill(3), rows: 200, cols: 2 };
  const tree = new KdTree(x);
  const out = new Float64Array(200 * 3);
  tree.knn(x, 3, 'euclidean', true, out);
  assert.ok(out.every((v) => v === 0));
  const cnt = new Int32Array(200);
  tree.countWithin(x, new Float64Array(200).fill(0), 'max', false, true, cnt);
  assert.ok(cnt.every((c) => c === 199));
});

test('large k (max-heap selection) gives the same distances as brute force', () => {
  const x = normals(900, 3, 11);
  const tree = new KdTree(x);
  for (const metric of ['euclidean', 'max'] as Metric[]) {
    for (const k of [24, 57, 200]) {
      const a = new Float64Array(x.rows * k);
      const b = new Float64Array(x.rows * k);
      tree.knn(x, k, metric, true, a);
      bruteKnn(x, x, k, metric, true, b);
      assert.deepEqual(a, b, `${metric} k=${k}`);
    }
  }
});
