import { test } from 'node:test';
import assert from 'node:assert/strict';
import { moduleFile, runSliced, sliceBounds } from '../../kernel-lib/backend/threads.js';

test('sliceBounds covers [0, n) in contiguous, near-equal slices', () => {
  assert.deepEqual(sliceBounds(10, 3), [0, 3, 7, 10]);
  assert.deepEqual(sliceBounds(2, 2), [0, 1, 2]);
  for (const [n, T] of [[1000, 7], [5, 4], [64, 2]]) {
    const b = sliceBounds(n, T);
    assert.equal(b[0], 0);
    assert.equal(b[T], n);
    for (let t = 0; t < T; t++) assert.ok(b[t + 1] - b[t] >= Math.floor(n / T) && b[t + 1] - b[t] <= Math.ceil(n / T));
  }
});

test('runSliced declines (runs nothing) with one thread, one row, or no module file', () => {
  let calls = 0;
  const local = (): void => {
    calls++;
  };
  const file = moduleFile('threads.test.js');
  assert.ok(file, 'this test file is found on the stack');
  assert.equal(runSliced(file, 'divlab.test', {}, 100, 1, local), false);
  assert.equal(runSliced(file, 'divlab.test', {}, 1, 4, local), false);
  assert.equal(runSliced(undefined, 'divlab.test', {}, 100, 4, local), false);
  assert.equal(calls, 0);
});
