/**
 * Slider rules (positions ↔ values on integer, linear and log scales), saved control values, and
 * the stale-result rule.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Latest, controlText, isInteger, lastPosition, positionToValue, valueToPosition, withControlValue } from '../../extension/views/controls.js';
import { bandwidth } from '../../kernel-lib/display/figures.js';

test('an integer k slider: one position per k, ends map to min and max', () => {
  const k = { name: 'k', min: 1, max: 50, step: 1, value: 5 };
  assert.ok(isInteger(k));
  assert.equal(lastPosition(k), 49);
  assert.equal(positionToValue(k, 0), 1);
  assert.equal(positionToValue(k, 49), 50);
  for (let v = 1; v <= 50; v++) assert.equal(positionToValue(k, valueToPosition(k, v)), v);
  assert.equal(controlText(k, 7), 'k = 7');
});

test('a log slider spaces values geometrically; round trips land on the nearest position', () => {
  const h = { name: 'h', min: 0.01, max: 1, log: true, step: 40, value: 0.1 };
  assert.equal(lastPosition(h), 40);
  assert.ok(Math.abs(positionToValue(h, 20) - 0.1) < 1e-12, 'the middle position is the geometric mean');
  assert.equal(valueToPosition(h, 0.1), 20);
  assert.equal(valueToPosition(h, 5), 40, 'clamped');
  assert.equal(controlText(h, 0.123456), 'h = 0.123');
  const r = positionToValue(h, 7);
  assert.ok(Math.abs(r / positionToValue(h, 6) - Math.pow(100, 1 / 40)) < 1e-12, 'constant ratio between neighbours');
});

test('a linear real-valued slider defaults to 100 positions', () => {
  const a = { name: 'alpha', min: 0.5, max: 2.5, value: 1 };
  assert.ok(!isInteger(a));
  assert.equal(lastPosition(a), 100);
  assert.equal(positionToValue(a, 25), 1);
});

test('withControlValue sets one control and leaves the payload otherwise equal (and the input untouched)', () => {
  const p = bandwidth({ title: 't', selector: 's', h: [0.1, 1], score: [1, 2], hStar: 0.3, data: [0, 1, 2] });
  const q = withControlValue(p, 'h', 0.5);
  assert.equal(q.controls![0]!.value, 0.5);
  assert.equal(p.controls![0]!.value, 0.3);
  assert.deepEqual({ ...q, controls: p.controls }, p);
});

test('Latest: only the newest ticket is current (stale answers are dropped)', () => {
  const l = new Latest();
  const a = l.next(), b = l.next();
  assert.equal(l.isCurrent(a), false);
  assert.equal(l.isCurrent(b), true);
  const c = l.next();
  assert.equal(l.isCurrent(b), false);
  assert.equal(l.isCurrent(c), true);
});
