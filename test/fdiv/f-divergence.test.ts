import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fdiv from '../../kernel-lib/fdiv/index.js';
import { InvalidParameterError } from '../../kernel-lib/core/errors.js';
import { checkGradients, randomLogits } from './gradcheck.js';


test('generic f-divergence: each built-in generator reproduces the dedicated function (values and gradients)', () => {
  const a = randomLogits(3, 7, 31), b = randomLogits(3, 7, 32);
  const pairs: [fdiv.GeneratorName, (x: number[][], y: number[][]) => fdiv.LogitDivergence][] = [
    ['kl', fdiv.kl], ['reverseKl', fdiv.reverseKl], ['pearson', fdiv.pearson], ['neyman', fdiv.neyman],
    ['hellinger', fdiv.hellinger], ['js', fdiv.js], ['totalVariation', fdiv.totalVariation],
  ];
  for (const [name, ded] of pairs) {
    const g = fdiv.fDivergence(a, b, name), d = ded(a, b);
    assert.ok(Math.abs(g.value - d.value) < 1e-12 * (1 + d.value), `${name}: ${g.value} vs ${d.value}`);
    for (let i = 0; i < 21; i++) {
      assert.ok(Math.abs(g.gradP![i] - d.gradP![i]) < 1e-12, `${name} gradP`);
      assert.ok(Math.abs(g.gradQ![i] - d.gradQ![i]) < 1e-12, `${name} gradQ`);
    }
  }
  // A user generator: the Amari α = 3 generator f(t) = (t³ − 1 − 3(t − 1))/6 with its derivative.
  const user = { f: (t: number) => (t ** 3 - 1 - 3 * (t - 1)) / 6, fPrime: (t: number) => (3 * t * t - 3) / 6 };
  assert.ok(Math.abs(fdiv.fDivergence(a, b, user).value - fdiv.alpha(a, b, { alpha: 3 }).value) < 1e-12);
  checkGradients((x, y) => fdiv.fDivergence(x, y, user), a, b);
});

test('generators are validated: f(1) = 0, fPrime against f, conjugate by Fenchel–Young', () => {
  const a = [[0, 1]], b = [[1, 0]];
  assert.throws(() => fdiv.fDivergence(a, b, { f: (t) => t * t, fPrime: (t) => 2 * t }), (e: unknown) => e instanceof InvalidParameterError && e.argument === 'generator.f');
  assert.throws(() => fdiv.fDivergence(a, b, { f: (t) => (t - 1) ** 2, fPrime: (t) => t - 1 }), (e: unknown) => e instanceof InvalidParameterError && e.argument === 'generator.fPrime');
  assert.throws(() => fdiv.fDivergence(a, b, { f: (t) => (t - 1) ** 2, fPrime: (t) => 2 * (t - 1), conjugate: (s) => s * s }), (e: unknown) => e instanceof InvalidParameterError && e.argument === 'generator.conjugate');
  assert.throws(() => fdiv.fDivergence(a, b, 'nope' as fdiv.GeneratorName), InvalidParameterError);
  for (const name of Object.keys(fdiv.generators) as fdiv.GeneratorName[]) fdiv.checkGenerator(fdiv.generators[name]);
});

