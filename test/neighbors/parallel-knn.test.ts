import { test } from 'node:test';
import assert from 'node:assert/strict';
import { KdTree } from '../../kernel-lib/neighbors/kdtree.js';
import { availableThreads, knnParallel } from '../../kernel-lib/neighbors/parallel-knn.js';
import type { Metric } from '../../kernel-lib/neighbors/metric.js';
import { normals } from '../helpers/data.js';

test('worker threads are available in Node and found this module', () => {
  assert.ok(availableThreads() >= 2, `threads: ${availableThreads()}`);
});

for (const metric of ['euclidean', 'max'] as Metric[]) {
  test(`k-NN split over threads equals the single-threaded search bit for bit (${metric})`, () => {
    const x = normals(3000, 4, 1);
    const y = normals(2500, 4, 2);
    const tree = new KdTree(x);
    const k = 6;
    for (const [query, self] of [[x, true], [y, false]] as const) {
      const order = new KdTree(query).index;
      const a = new Float64Array(query.rows * k);
      const ai = new Int32Array(query.rows * k);
      tree.knn(query, k, metric, self, a, ai, order);
      const b = new Float64Array(query.rows * k);
      const bi = new Int32Array(query.rows * k);
      assert.equal(knnParallel(tree, x, query, k, metric, self, order, b, bi, { threads: 3, minWork: 0, minDim: 1 }), true);
      assert.deepEqual(b, a);
      assert.deepEqual(bi, ai);
    }
  });
}

test('below the work threshold it declines and writes nothing', () => {
  const x = normals(500, 2, 3);
  const tree = new KdTree(x);
  const out = new Float64Array(500 * 2);
  assert.equal(knnParallel(tree, x, x, 2, 'euclidean', true, tree.index, out, undefined), false);
  assert.ok(out.every((v) => v === 0));
});
