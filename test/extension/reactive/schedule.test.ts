/**
 * Reactive scheduling rules (extension/reactive/schedule.ts): stale marking on edit, eager vs lazy
 * after a run, stopping at the first error with the rest blocked, "Run stale cells", and merging
 * the plans of a "Run All" so that nothing runs twice.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import ts from 'typescript';
import { analyzeCell } from '../../../extension/reactive/analysis.js';
import { buildGraph } from '../../../extension/reactive/graph.js';
import { afterFailure, afterSuccess, executePlan, initialStatus, markEdited, mergePlans, staleCells, type CellStatus } from '../../../extension/reactive/schedule.js';

const g = buildGraph([
  'const n = 200;',                 // 0
  'const h = 0.3;',                 // 1
  'const x = draw(n);',             // 2
  'const est = kde(x, h);',         // 3
  'const other = 1;',               // 4
  'const k = knnEst(x);',           // 5
].map((src) => ({ analysis: analyzeCell(ts, src) })));

test('editing a cell marks it and its downstream stale, nothing else', () => {
  const s = markEdited(g, initialStatus(6), 0);
  assert.deepEqual(s, ['stale', 'fresh', 'stale', 'stale', 'fresh', 'stale']);
  assert.deepEqual(markEdited(g, initialStatus(6), 1), ['fresh', 'stale', 'fresh', 'stale', 'fresh', 'fresh']);
  assert.deepEqual(staleCells(s), [0, 2, 3, 5]);
});

test('after a success: eager mode plans the downstream cells, lazy mode only marks them', () => {
  const eager = afterSuccess(g, markEdited(g, initialStatus(6), 0), 0, false);
  assert.deepEqual(eager.plan, [2, 3, 5]);
  assert.deepEqual(eager.status, ['fresh', 'fresh', 'queued', 'queued', 'fresh', 'queued']);
  const lazy = afterSuccess(g, initialStatus(6), 1, true);
  assert.deepEqual(lazy.plan, []);
  assert.deepEqual(lazy.status, ['fresh', 'fresh', 'fresh', 'stale', 'fresh', 'fresh']);
  assert.deepEqual(staleCells(lazy.status), [3]);
});

test('a plan stops at the first error and marks the rest blocked; Run stale then retries them', async () => {
  const seen: CellStatus[][] = [];
  const order: number[] = [];
  const r = await executePlan([2, 3, 5], initialStatus(6), async (k) => {
    order.push(k);
    return k !== 3;
  }, (s) => seen.push(s));
  assert.deepEqual(order, [2, 3], 'cell 5 never runs');
  assert.equal(r.failed, 3);
  assert.deepEqual(r.status, ['fresh', 'fresh', 'fresh', 'error', 'fresh', 'blocked']);
  assert.deepEqual(seen[0], ['fresh', 'fresh', 'queued', 'queued', 'fresh', 'queued']);
  assert.ok(seen.some((s) => s[2] === 'running' && s[3] === 'queued'));
  assert.deepEqual(staleCells(r.status), [3, 5]);
  const thrown = await executePlan([0], initialStatus(6), async () => { throw new Error('kernel died'); }, () => {});
  assert.deepEqual(thrown.status[0], 'error');
  assert.deepEqual(afterFailure(initialStatus(3), 0, [1, 2]), ['error', 'blocked', 'blocked']);
});

test('merging Run All triggers: cells that already ran after their trigger are not re-run', () => {
  // Run All ran cells 0..5 in order with sequence numbers 1..6: nothing is left to re-run.
  const lastRun = [1, 2, 3, 4, 5, 6];
  const triggers = lastRun.map((seq, cell) => ({ cell, seq }));
  assert.deepEqual(mergePlans(g, triggers, lastRun), []);
  // Only cell 0 ran (seq 7): its downstream ran before it, so all of it is due.
  assert.deepEqual(mergePlans(g, [{ cell: 0, seq: 7 }], lastRun), [2, 3, 5]);
  // Cells 0 (seq 7) and then 2 (seq 8) ran: 2 is fresh after 0, 3 and 5 are due once.
  assert.deepEqual(mergePlans(g, [{ cell: 0, seq: 7 }, { cell: 2, seq: 8 }], [7, 2, 8, 4, 5, 6]), [3, 5]);
});
