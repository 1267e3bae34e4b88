import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fdiv from '../../kernel-lib/fdiv/index.js';
import { probs, randomLogits } from './gradcheck.js';

const L = Math.log;

test('one-hot targets: KL(onehot‖q) is the cross-entropy −log q_c with gradient (q − onehot)/rows', () => {
  const target = [[-Infinity, 0, -Infinity, -Infinity], [0, -Infinity, -Infinity, -Infinity], [-Infinity, -Infinity, -Infinity, 0]];
  const student = randomLogits(3, 4, 7);
  const r = fdiv.kl(target, student);
  const cls = [1, 0, 3];
  let ce = 0;
  for (let i = 0; i < 3; i++) ce -= L(probs(student[i])[cls[i]]);
  assert.ok(Math.abs(r.value - ce / 3) < 1e-14);
  for (let i = 0; i < 3; i++) {
    const q = probs(student[i]);
    for (let k = 0; k < 4; k++) assert.ok(Math.abs(r.gradQ![i * 4 + k] - (q[k] - (k === cls[i] ? 1 : 0)) / 3) < 1e-15);
    for (let k = 0; k < 4; k++) assert.equal(r.gradP![i * 4 + k], 0); // H(onehot) = 0 and ∂/∂a vanishes
  }
  // Reverse KL from a one-hot target is +∞ unless the student is one-hot on the same class.
  assert.equal(fdiv.reverseKl(target, student, { grad: false }).value, Infinity);
  assert.equal(fdiv.reverseKl(target, target).value, 0);
});

