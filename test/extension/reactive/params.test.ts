/**
 * `// @param name slider(min, max, step)` parameter cells (extension/reactive/params.ts): which
 * comments attach to which const, the literal's source range, rewriting it, and the problems
 * reported for comments that attach to nothing usable.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import ts from 'typescript';
import { analyzeCell } from '../../../extension/reactive/analysis.js';
import { formatParamValue, rewriteParam, stepDecimals } from '../../../extension/reactive/params.js';

test('a comment on the line above or at the end of the line attaches to the const', () => {
  const src = '// @param n slider(100, 5000, 100)\nconst n = 1000;\nconst h = 0.3; // @param h slider(0.05, 1, 0.05)\nconst other = n * h;';
  const a = analyzeCell(ts, src);
  assert.deepEqual(a.problems, []);
  assert.deepEqual(a.params.map((p) => [p.name, p.min, p.max, p.step, p.value, p.line]), [['n', 100, 5000, 100, 1000, 2], ['h', 0.05, 1, 0.05, 0.3, 3]]);
  for (const p of a.params) assert.equal(Number(src.slice(p.start, p.end)), p.value, 'the range covers exactly the literal');
});

test('negative literals, omitted step, several declarators', () => {
  const a = analyzeCell(ts, '// @param lo slider(-2, 2)\nconst lo = -1.5, hi = 3;');
  assert.equal(a.params.length, 1);
  const p = a.params[0]!;
  assert.equal(p.value, -1.5);
  assert.equal(p.step, 0.04);
  assert.equal(rewriteParam('// @param lo slider(-2, 2)\nconst lo = -1.5, hi = 3;', p, 0.52), '// @param lo slider(-2, 2)\nconst lo = 0.52, hi = 3;');
});

test('rewriting snaps to the slider grid, clamps, and keeps the rest of the source byte for byte', () => {
  const src = 'const seed = 1;\n// @param h slider(0.05, 1, 0.05)\nconst h = 0.30; // bandwidth\nconst y = f(h);';
  const [p] = analyzeCell(ts, src).params;
  assert.ok(p);
  assert.equal(rewriteParam(src, p, 0.4499999), src.replace('0.30', '0.45'));
  assert.equal(rewriteParam(src, p, 7), src.replace('0.30', '1.00'));
  assert.equal(rewriteParam(src, p, -3), src.replace('0.30', '0.05'));
  const again = analyzeCell(ts, rewriteParam(src, p, 0.7)).params[0]!;
  assert.equal(again.value, 0.7, 'the rewritten cell parses back to the new value');
  assert.equal(formatParamValue({ min: 100, max: 5000, step: 100 }, 1234), '1200');
  assert.equal(formatParamValue({ min: -1, max: 1, step: 0.5 }, 0.1), '0');
  assert.deepEqual([stepDecimals(0.05), stepDecimals(100), stepDecimals(1e-3), stepDecimals(0.1 + 0.2)], [2, 0, 3, 1], 'float noise (0.30000000000000004) is not a decimal');
});

test('problems: not a const, not a literal, no matching declaration, bad range, unreadable comment', () => {
  const cases: Array<[string, RegExp]> = [
    ['// @param a slider(0, 1, 0.1)\nlet a = 0.5;', /needs a top-level const with a number literal/],
    ['// @param b slider(0, 1, 0.1)\nconst b = Math.PI;', /needs a top-level const/],
    ['// @param c slider(0, 1, 0.1)\nconst d = 0.5;', /no top-level const c/],
    ['// @param e slider(2, 1, 0.1)\nconst e = 1.5;', /min \(2\) must be below max \(1\)/],
    ['// @param f slider(0, 1, 0)\nconst f = 0.5;', /step must be positive/],
    ['// @param g range(0, 1)\nconst g = 0.5;', /not understood/],
    ['function inner() {\n  // @param i slider(0, 1, 0.1)\n  const i = 0.5;\n}', /no top-level const i/],
  ];
  for (const [src, re] of cases) {
    const a = analyzeCell(ts, src);
    assert.equal(a.params.length, 0, src);
    assert.equal(a.problems.length, 1, src);
    assert.match(a.problems[0]!.message, re);
    assert.equal(a.problems[0]!.kind, 'param');
  }
});
