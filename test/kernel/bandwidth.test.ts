import { test } from 'node:test';
import assert from 'node:assert/strict';
import { medianHeuristic, resolveBandwidth } from '../../kernel-lib/kernel/bandwidth.js';
import { scott, silverman } from '../../kernel-lib/kde/rules.js';
import { InvalidParameterError } from '../../kernel-lib/core/errors.js';
import { normals } from '../helpers/data.js';

test('median heuristic: the median pairwise distance; a seeded subsample above maxPoints', () => {
  // Four points on a line: distances 1, 2, 3, 1, 2, 1 → sorted 1 1 1 2 2 3, median (1 + 2)/2.
  const z = { data: Float64Array.of(0, 1, 2, 3), rows: 4, cols: 1 };
  assert.equal(medianHeuristic(z), 1.5);
  const big = normals(300, 2, 1);
  const full = medianHeuristic(big);
  const sub = medianHeuristic(big, 7, 100);
  assert.equal(sub, medianHeuristic(big, 7, 100), 'same seed, same subsample');
  assert.notEqual(sub, full);
  // For N(0, I₂) the pairwise distance is √2·Rayleigh: median √2·√(2 ln 2) = 1.665.
  assert.ok(Math.abs(full - 2 * Math.sqrt(Math.LN2)) < 0.1, `${full}`);
});

test('resolveBandwidth: numbers pass through; KDE rules on the pooled sample with an isotropic spread', () => {
  const z = normals(200, 3, 2);
  assert.equal(resolveBandwidth(0.7, z), 0.7);
  assert.equal(resolveBandwidth('scott', z), scott(z, { covariance: 'identity' }).h);
  assert.equal(resolveBandwidth('silverman', z), silverman(z, { covariance: 'identity' }).h);
  assert.equal(resolveBandwidth(undefined, z), medianHeuristic(z));
  assert.throws(() => resolveBandwidth(0, z), (e: unknown) => e instanceof InvalidParameterError && e.argument === 'options.bandwidth');
  assert.throws(() => resolveBandwidth('lcv' as 'scott', z), InvalidParameterError);
});
