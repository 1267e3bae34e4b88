import { test } from 'node:test';
import assert from 'node:assert/strict';
import { scott, silverman } from '../../kernel-lib/kde/rules.js';
import { relErr } from '../helpers/reference.js';
import { normals } from '../helpers/data.js';

test('Scott / Silverman factors: scipy formulas; independent of the data scale', () => {
  const x = normals(300, 3, 4);
  assert.ok(relErr(scott(x).h, 300 ** (-1 / 7)) < 1e-15);
  assert.ok(relErr(silverman(x).h, ((300 * 5) / 4) ** (-1 / 7)) < 1e-15);
  const big = { data: x.data.map((v) => 1000 * v), rows: 300, cols: 3 };
  assert.equal(scott(big).h, scott(x).h);
  assert.ok(relErr(scott(big).bandwidths[0], 1000 * scott(x).bandwidths[0]) < 1e-12);
});
