import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fdiv from '../../kernel-lib/fdiv/index.js';
import { checkGradients, randomLogits } from './gradcheck.js';

const L = Math.log;
// p = (1/2, 1/2), q = (3/4, 1/4): every divergence has a closed form in these numbers.
const P = [[0, 0]];
const Q = [[L(3), 0]];

test('closed forms between two known categoricals p = (1/2, 1/2), q = (3/4, 1/4)', () => {
  const cases: [string, number, number][] = [
    ['kl', fdiv.kl(P, Q).value, 0.5 * L(0.5 / 0.75) + 0.5 * L(0.5 / 0.25)],
    ['reverseKl', fdiv.reverseKl(P, Q).value, 0.75 * L(1.5) + 0.25 * L(0.5)],
    ['js', fdiv.js(P, Q).value, 0.5 * (0.5 * L(0.5 / 0.625) + 0.5 * L(0.5 / 0.375)) + 0.5 * (0.75 * L(0.75 / 0.625) + 0.25 * L(0.25 / 0.375))],
    ['tv', fdiv.totalVariation(P, Q).value, 0.25],
    ['hellinger', fdiv.hellinger(P, Q).value, 1 - Math.sqrt(0.375) - Math.sqrt(0.125)],
    ['pearson', fdiv.pearson(P, Q).value, 1 / 3],
    ['neyman', fdiv.neyman(P, Q).value, 0.25],
    ['alpha 0.5', fdiv.alpha(P, Q, { alpha: 0.5 }).value, 4 * (1 - Math.sqrt(0.375) - Math.sqrt(0.125))],
    ['alpha 2', fdiv.alpha(P, Q, { alpha: 2 }).value, 0.5 * (1 / 3)],
    ['alpha -1', fdiv.alpha(P, Q, { alpha: -1 }).value, (0.75 ** 2 / 0.5 + 0.25 ** 2 / 0.5 - 1) / 2],
    ['renyi 2', fdiv.renyi(P, Q, { alpha: 2 }).value, L(0.25 / 0.75 + 0.25 / 0.25)],
    ['renyi 0.5', fdiv.renyi(P, Q, { alpha: 0.5 }).value, -2 * L(Math.sqrt(0.375) + Math.sqrt(0.125))],
    ['tsallis 2', fdiv.tsallis(P, Q, { q: 2 }).value, 1 / 3],
    ['tsallis 3', fdiv.tsallis(P, Q, { q: 3 }).value, (0.125 / 0.5625 + 0.125 / 0.0625 - 1) / 2],
    ['skewKl 0.3', fdiv.skewKl(P, Q, { lambda: 0.3 }).value, 0.5 * L(0.5 / (0.15 + 0.7 * 0.75)) + 0.5 * L(0.5 / (0.15 + 0.7 * 0.25))],
  ];
  for (const [name, got, want] of cases) assert.ok(Math.abs(got - want) <= 1e-14 * Math.max(1, Math.abs(want)), `${name}: ${got} vs ${want}`);
});

type Opt = { temperature?: number; reduction?: 'mean' | 'sum' };
const ALL: (readonly [string, (x: number[][], y: number[][], o?: Opt) => fdiv.LogitDivergence])[] = [
  ['kl', (x, y, o) => fdiv.kl(x, y, o)],
  ['reverseKl', (x, y, o) => fdiv.reverseKl(x, y, o)],
  ['js', (x, y, o) => fdiv.js(x, y, o)],
  ['tv', (x, y, o) => fdiv.totalVariation(x, y, o)],
  ['hellinger', (x, y, o) => fdiv.hellinger(x, y, o)],
  ['pearson', (x, y, o) => fdiv.pearson(x, y, o)],
  ['neyman', (x, y, o) => fdiv.neyman(x, y, o)],
  ['skewKl', (x, y, o) => fdiv.skewKl(x, y, { ...o, lambda: 0.2 })],
  ...[-0.5, 0.3, 0.5, 2, 3].map((al) => [`alpha ${al}`, (x: number[][], y: number[][], o?: Opt) => fdiv.alpha(x, y, { ...o, alpha: al })] as const),
  ...[0.3, 0.5, 2, 5].map((al) => [`renyi ${al}`, (x: number[][], y: number[][], o?: Opt) => fdiv.renyi(x, y, { ...o, alpha: al })] as const),
  ...[0.5, 2].map((al) => [`tsallis ${al}`, (x: number[][], y: number[][], o?: Opt) => fdiv.tsallis(x, y, { ...o, q: al })] as const),
  ['f:kl', (x, y, o) => fdiv.fDivergence(x, y, 'kl', o)],
  ['f:js', (x, y, o) => fdiv.fDivergence(x, y, 'js', o)],
];

test('every divergence: analytic gradients with respect to both logit arrays match finite differences', () => {
  const a = randomLogits(3, 5, 1);
  const b = randomLogits(3, 5, 2);
  for (const [name, fn] of ALL) {
    const worst = checkGradients((x, y) => fn(x, y), a, b);
    assert.ok(Number.isFinite(worst), name);
    // temperature and the 'sum' reduction enter the chain rule too
    checkGradients((x, y) => fn(x, y, { temperature: 2.5, reduction: 'sum' }), a, b);
  }
});

test('disjoint supports: JS = log 2, TV = 1, H² = 1, Rényi-½ = ∞, skew KL = −log λ', () => {
  const a = [[0, -Infinity]], b = [[-Infinity, 0]];
  assert.ok(Math.abs(fdiv.js(a, b).value - Math.LN2) < 1e-15);
  assert.equal(fdiv.totalVariation(a, b).value, 1);
  assert.equal(fdiv.hellinger(a, b).value, 1);
  assert.equal(fdiv.renyi(a, b, { alpha: 0.5, grad: false }).value, Infinity);
  assert.ok(Math.abs(fdiv.skewKl(a, b, { lambda: 0.1 }).value + L(0.1)) < 1e-15);
  assert.ok(Math.abs(fdiv.fDivergence(a, b, 'js').value - Math.LN2) < 1e-15);
});

test('P ≈ Q: tiny divergences keep their relative accuracy (all ≈ χ²/2, H² ≈ χ²/8, JS ≈ χ²/8)', () => {
  const a = randomLogits(2, 50, 21);
  const eps = 1e-4;
  const dz = randomLogits(2, 50, 22, 1);
  const b = a.map((row, i) => row.map((z, k) => z + eps * dz[i][k]));
  const chi = fdiv.pearson(a, b).value;
  const rel = (x: number, y: number) => Math.abs(x - y) / y;
  // Absolute accuracy is ~1e-16 × |log-normaliser| per row (log-softmax), so divergences ≳ 1e-9 keep
  // ~6 digits; the sums themselves avoid the catastrophic cancellation of the naive (S − 1) forms.
  assert.ok(chi > 0 && chi < 1e-7);
  for (const [name, v] of [['kl', fdiv.kl(a, b).value], ['rkl', fdiv.reverseKl(a, b).value], ['neyman', fdiv.neyman(a, b).value / 2],
    ['alpha .3', fdiv.alpha(a, b, { alpha: 0.3 }).value], ['alpha 3', fdiv.alpha(a, b, { alpha: 3 }).value], ['renyi .5', fdiv.renyi(a, b, { alpha: 0.5 }).value / 0.5],
    ['tsallis 2', fdiv.tsallis(a, b, { q: 2 }).value / 2], ['hellinger', 4 * fdiv.hellinger(a, b).value], ['js', 4 * fdiv.js(a, b).value]] as const) {
    assert.ok(rel(v, chi / 2) < 1e-3, `${name}: ${v} vs ${chi / 2}`);
  }
});

