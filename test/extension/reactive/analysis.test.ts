/**
 * The reactive cell analysis (extension/reactive/analysis.ts) on a corpus of cells: top-level
 * definitions, free references (value and type positions), writes and mutations of free names,
 * shadowing in inner scopes, imports, self-reference, syntax errors, top-level await, and the
 * cells of the repository's own tslab notebook.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { analyzeCell } from '../../../extension/reactive/analysis.js';
import { buildGraph } from '../../../extension/reactive/graph.js';
import { repoRoot } from '../../helpers/reference.js';

const A = (src: string) => analyzeCell(ts, src);
const sorted = (xs: readonly string[]) => [...xs].sort();

test('const/let/var, functions, classes, enums, types, interfaces, namespaces are top-level definitions', () => {
  const a = A(`
const a = 1, b = 2;
let c: number;
var d = 'x';
function f(p: number) { return p + a; }
class K { m() { return b; } }
enum E { One, Two = One + 1 }
type T = { x: number };
interface I { y: T }
namespace NS { export const z = 1; }
declare const dd: number;
export const ex = 3;
`);
  assert.deepEqual(a.defines, ['a', 'b', 'c', 'd', 'f', 'K', 'E', 'T', 'I', 'NS', 'dd', 'ex']);
  assert.deepEqual(a.definitions.find((d) => d.name === 'E')?.kind, 'enum');
  assert.deepEqual(a.definitions.find((d) => d.name === 'd')?.kind, 'var');
  assert.deepEqual(a.references, [], 'own names (including enum members inside the enum) are not free');
  assert.equal(a.syntaxError, false);
});

test('destructuring: object, array, nested, renamed, rest and defaults', () => {
  const a = A(`const { p, q: renamed, r: { s }, ...rest } = obj; const [u, , [v], ...w] = arr; const { t = fallback } = o2;`);
  assert.deepEqual(sorted(a.defines), sorted(['p', 'renamed', 'rest', 's', 'u', 'v', 'w', 't']));
  assert.deepEqual(a.references, ['arr', 'fallback', 'o2', 'obj'], 'property keys q, r are not references; the default is');
});

test('imports define their local names; the module specifiers and imported property names do not count', () => {
  const a = A(`import { knn, gaussian as g } from 'divlab';\nimport * as tslab from 'tslab';\nimport def from 'x';\nimport type { Estimate } from 'divlab';\nimport fs = require('fs');`);
  assert.deepEqual(a.defines, ['knn', 'g', 'tslab', 'def', 'Estimate', 'fs']);
  assert.ok(a.definitions.every((d) => d.kind === 'import'));
  assert.deepEqual(a.references, []);
});

test('free references; member names, object keys, labels and parameters are not references', () => {
  const a = A(`
const y = knn.kl(x, data.rows, { k: kVal, backend });
outer: for (const i of range) { if (i > limit) break outer; }
const fn = (x: number, { scale }: { scale: number }) => x * scale * factor;
`);
  assert.deepEqual(a.references, ['backend', 'data', 'factor', 'kVal', 'knn', 'limit', 'range', 'x'],
    'x is free in the first statement; the arrow parameter x and scale are local; kl, rows, k are member names');
  assert.deepEqual(a.defines, ['y', 'fn']);
});

test('shadowing in inner scopes: a local of the same name hides the upstream one only inside', () => {
  const a = A(`
function g(n: number) { const m = 2; return n * m; }
{ const n = 3; console.log(n); }
for (let n = 0; n < 3; n++) {}
try { run(); } catch (n) { console.log(n); }
const h = function n() { return n; };
const r = n + m;
`);
  assert.deepEqual(a.references, ['console', 'm', 'n', 'run'], 'n and m are free only in the last statement');
  const b = A(`function g(n: number) { return n; }\n{ const n = 3; }`);
  assert.deepEqual(b.references, [], 'no free n when every use is shadowed');
  const c = A(`if (flag) { var hoisted = 1; }\nfunction f() { var inner = 2; return inner; }`);
  assert.deepEqual(c.defines, ['hoisted', 'f'], 'a var in a top-level block is the cell\'s; a var in a function is not');
  assert.deepEqual(c.references, ['flag']);
});

test('type-only references: annotations, generics, implements, typeof; type parameters are local', () => {
  const a = A(`
const s: Sample = make();
function id<T>(v: T): T { return v; }
class C implements Shape { area(): Unit { return 0 as Unit; } }
type R = ReturnType<typeof sampler>;
type M<K extends string> = { [P in K]: Payload };
type Elem<X> = X extends Array<infer U> ? U : never;
interface Ext extends BaseI<Arg> {}
class D extends BaseC {}
`);
  assert.deepEqual(a.references, ['Arg', 'Array', 'BaseC', 'BaseI', 'Payload', 'ReturnType', 'Sample', 'Shape', 'Unit', 'make', 'sampler'],
    'T, K, P, X, U are local type parameters; globals (Array, ReturnType) are listed and make no edge');
  assert.deepEqual(a.typeOnlyReferences, ['Arg', 'Array', 'BaseI', 'Payload', 'ReturnType', 'Sample', 'Shape', 'Unit', 'sampler'],
    'class extends needs the value BaseC; typeof sampler counts as a type position');
});

test('self-reference: `let x = 1; x = x + 1` depends on nothing; writes to free names are assignments', () => {
  const own = A('let x = 1; x = x + 1; x++;');
  assert.deepEqual(own.defines, ['x']);
  assert.deepEqual(own.references, []);
  assert.deepEqual(own.assigns, []);
  const foreign = A('total += 1;\ncount = count + 1;\n[a, b] = [b, a];\n({ key: c, d } = obj);\nfor (e of list) {}\nf++;');
  assert.deepEqual(foreign.assigns.map((w) => w.name).sort(), ['a', 'b', 'c', 'count', 'd', 'e', 'f', 'total']);
  assert.equal(foreign.assigns.find((w) => w.name === 'count')?.line, 2);
  assert.ok(foreign.references.includes('list') && foreign.references.includes('obj'));
  assert.ok(!foreign.assigns.some((w) => w.name === 'list' || w.name === 'obj' || w.name === 'key'));
  assert.deepEqual(A('const z = a == b; if (a === c) {}').assigns, [], 'comparisons are not writes');
});

test('mutations of free names: member writes, delete, method calls (with the method name)', () => {
  const a = A('arr.push(1);\nobj.field = 2;\ngrid[0][1] = 3;\ndelete cfg.key;\nconst v = data.rows.map((r) => r);\nstats.count++;\nconsole.log(v);');
  const m = a.mutations.map((x) => `${x.name}:${x.how}${x.method ? ':' + x.method : ''}`);
  assert.deepEqual(m, ['arr:method-call:push', 'obj:member-assignment', 'grid:member-assignment', 'cfg:member-assignment',
    'data:method-call:map', 'stats:member-assignment', 'console:method-call:log']);
  assert.deepEqual(A('const local = [1]; local.push(2);').mutations, [], 'the cell\'s own objects are not reported');
});

test('syntax errors are reported with a line; the recovered parse still yields names', () => {
  const a = A('const ok = 1;\nconst = 3;\nconst later = ok + up;');
  assert.equal(a.syntaxError, true);
  assert.ok(a.problems.some((p) => p.kind === 'syntax' && p.line === 2 && /declaration expected/i.test(p.message)));
  assert.ok(a.defines.includes('ok') && a.defines.includes('later'));
  assert.deepEqual(a.references, ['up']);
  const b = A('function f( {');
  assert.equal(b.syntaxError, true);
  assert.equal(A('').syntaxError, false);
  assert.deepEqual(A('').defines, []);
});

test('top-level await and for await parse without errors (tslab runs them)', () => {
  const a = A('const r = await fetchIt(url);\nfor await (const chunk of stream) { sink(chunk); }');
  assert.equal(a.syntaxError, false, a.problems.map((p) => p.message).join('; '));
  assert.deepEqual(a.defines, ['r']);
  assert.deepEqual(a.references, ['fetchIt', 'sink', 'stream', 'url']);
});

test('shorthand properties and spreads are reads; computed keys are reads; export lists are reads', () => {
  const a = A('const o = { alpha, ...rest, [key]: 1, beta: gamma };\nexport { o as out, zeta };');
  assert.deepEqual(a.references, ['alpha', 'gamma', 'key', 'rest', 'zeta']);
});

test('the tslab cells of notebooks/knn-ratio-divergence.ipynb: no syntax errors and a sensible graph', () => {
  const nb = JSON.parse(readFileSync(join(repoRoot(), 'notebooks', 'knn-ratio-divergence.ipynb'), 'utf8')) as {
    cells: { cell_type: string; source: string | string[] }[];
  };
  const sources = nb.cells.filter((c) => c.cell_type === 'code').map((c) => (Array.isArray(c.source) ? c.source.join('') : c.source));
  assert.ok(sources.length >= 4);
  const analyses = sources.map(A);
  for (const [i, a] of analyses.entries()) assert.equal(a.syntaxError, false, `cell ${i + 1}: ${a.problems.map((p) => p.message).join('; ')}`);
  const first = analyses[0]!;
  for (const name of ['knn', 'gaussian', 'tslab', 'QUICK', 'GRID']) assert.ok(first.defines.includes(name), `setup cell defines ${name}`);
  const g = buildGraph(analyses.map((analysis) => ({ analysis })));
  // Every later cell that reads a setup name is linked to the setup cell, and nothing links backwards.
  for (let i = 1; i < analyses.length; i++) {
    for (const [name, j] of g.uses[i]!) {
      assert.ok(j < i, `cell ${i + 1} uses ${name} from cell ${j + 1}`);
      assert.ok(analyses[j]!.defines.includes(name));
    }
    for (const name of analyses[i]!.references) {
      if (first.defines.includes(name) && !analyses.slice(1, i).some((a) => a.defines.includes(name))) assert.equal(g.uses[i]!.get(name), 0);
    }
  }
  assert.ok(g.dependents[0]!.length >= 3, 'the setup cell feeds most of the notebook');
});
