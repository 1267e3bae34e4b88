/**
 * The notebook dependency graph (extension/reactive/graph.ts): nearest-preceding-definer
 * resolution, redefinition chains, downstream sets in notebook order, and the gutter reports.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { analyzeCell } from '../../../extension/reactive/analysis.js';
import { buildGraph, downstream, downstreamOfNames, upstream } from '../../../extension/reactive/graph.js';
import { repoRoot } from '../../helpers/reference.js';

const graphOf = (...cells: string[]) => buildGraph(cells.map((src) => ({ analysis: analyzeCell(ts, src) })));

test('a reference resolves to the nearest preceding definer; globals and later definitions make no edge', () => {
  const g = graphOf(
    'const n = 100;',            // 0
    'const x = sample(n);',      // 1  (sample is global here)
    'const n = 200;',            // 2  redefines n
    'const y = sample(n);',      // 3  uses the n of cell 2
    'const z = x.length + w;',   // 4  w is only defined below
    'const w = 1;',              // 5
  );
  assert.deepEqual([...g.uses[1]!], [['n', 0]]);
  assert.deepEqual([...g.uses[3]!], [['n', 2]]);
  assert.deepEqual([...g.uses[4]!], [['x', 1]]);
  assert.deepEqual(g.dependents[0], [1]);
  assert.deepEqual(g.dependents[2], [3]);
  assert.deepEqual(g.redefinedBy[0], [2]);
  assert.ok(g.reports[4]!.some((r) => r.kind === 'used-before-definition' && r.name === 'w' && r.other === 5));
  assert.match(g.reports[2]!.find((r) => r.kind === 'redefinition')!.message, /n is also defined in cell 1/);
  assert.match(g.reports[0]!.find((r) => r.kind === 'redefined-below')!.message, /n is redefined in cell 3/);
});

test('downstream: dependents transitively, redefinition chains with their dependents, in notebook order', () => {
  const g = graphOf(
    'const a = 1;',              // 0
    'const b = a + 1;',          // 1
    'const c = b * 2;',          // 2
    'const unrelated = 5;',      // 3
    'const a = 10;',             // 4  redefines a: must re-run after 0 re-runs
    'const d = a + c;',          // 5  a from cell 4, c from cell 2
    'const e = unrelated;',      // 6
  );
  assert.deepEqual(downstream(g, [0]), [1, 2, 4, 5]);
  assert.deepEqual(downstream(g, [1]), [2, 5]);
  assert.deepEqual(downstream(g, [3]), [6]);
  assert.deepEqual(downstream(g, [4]), [5]);
  assert.deepEqual(downstream(g, [6]), []);
  assert.deepEqual(downstream(g, [3, 1]), [2, 5, 6], 'several sources merge, in order');
  assert.deepEqual(upstream(g, 5), [0, 1, 2, 4]);
});

test('downstreamOfNames: only the cells reached through the changed names (a slider), redefinitions included', () => {
  const g = graphOf(
    'const n = 10, h = 0.5;',    // 0  two parameters
    'const x = draw(n);',        // 1
    'const k = fit(x, h);',      // 2
    'const w = h * 2;',          // 3
    'const h = 0.7;',            // 4  redefines h
    'const z = h + x.length;',   // 5  h from cell 4
  );
  assert.deepEqual(downstreamOfNames(g, 0, ['h']), [2, 3, 4, 5]);
  assert.deepEqual(downstreamOfNames(g, 0, ['n']), [1, 2, 5]);
  assert.deepEqual(downstreamOfNames(g, 0, ['n', 'h']), downstream(g, [0]));
  assert.deepEqual(downstreamOfNames(g, 0, []), []);
});

test('type-only and import dependencies are edges too', () => {
  const g = graphOf('import { knn } from "divlab";', 'interface Opts { k: number }', 'const o: Opts = { k: 3 };', 'const v = knn.kl(x, y, o);');
  assert.deepEqual(downstream(g, [1]), [2, 3]);
  assert.deepEqual(downstream(g, [0]), [3]);
  assert.deepEqual(g.reports[3], [], 'a method call on an imported namespace is not a mutation');
});

test('reports: writes to another cell\'s names and mutations of its objects, with the cell named', () => {
  const g = buildGraph([
    { analysis: analyzeCell(ts, 'let count = 0; const xs: number[] = []; const m = new Map();'), label: '[1]' },
    { analysis: analyzeCell(ts, 'count += 1;\nxs.push(count);\nconst seen = xs.filter((v) => v > 0).length + m.get(1);'), label: '[2]' },
    { analysis: analyzeCell(ts, 'xs[0] = 5; m.set(1, 2);'), label: '[3]' },
  ]);
  const r1 = g.reports[1]!.map((r) => r.message);
  assert.deepEqual(r1, ['assigns count of [1]: cells reading count are not linked to this write', 'xs.push() may change [1]\'s xs: not tracked'],
    'filter and get are readers, not reported');
  assert.deepEqual(g.reports[2]!.map((r) => `${r.kind}:${r.name}`), ['mutation:xs', 'mutation:m']);
  assert.deepEqual(downstream(g, [0]), [1, 2], 'a write is still a dependency on the definer');
});

test('self-reference inside one cell makes no edge and no report', () => {
  const g = graphOf('let x = 1; x = x + 1;', 'const y = x;');
  assert.deepEqual(g.reports[0], []);
  assert.deepEqual(g.dependents[0], [1]);
  assert.equal(g.uses[0]!.size, 0);
});

test('notebooks/reactive-tour.ipynb: moving h re-runs the KDE cells only, moving n everything from the samples on', () => {
  const nb = JSON.parse(readFileSync(join(repoRoot(), 'notebooks', 'reactive-tour.ipynb'), 'utf8')) as {
    cells: { cell_type: string; source: string | string[] }[];
    metadata: { divlab?: { reactive?: { enabled?: boolean } } };
  };
  assert.equal(nb.metadata.divlab?.reactive?.enabled, true, 'the tour is saved with reactive mode on');
  const sources = nb.cells.filter((c) => c.cell_type === 'code').map((c) => (Array.isArray(c.source) ? c.source.join('') : c.source));
  const analyses = sources.map((s) => analyzeCell(ts, s));
  const g = buildGraph(analyses.map((analysis) => ({ analysis })));
  const cellOf = (name: string) => analyses.findIndex((a) => a.defines.includes(name));
  const params = analyses[cellOf('n')]!.params.map((p) => p.name);
  assert.deepEqual(params, ['n', 'h'], 'the parameter cell has the two sliders');
  assert.equal(cellOf('h'), cellOf('n'));
  const reach = (name: string): number[] => downstreamOfNames(g, cellOf(name), [name]);
  const names = (idx: number[]) => idx.map((i) => analyses[i]!.defines.find((d) => ['x', 'kdeEstimate', 'knnEstimate', 'rows', 'kdeCurve'].includes(d)) ?? `#${i}`);
  assert.deepEqual(names(reach('h')), ['kdeEstimate', 'rows', 'kdeCurve']);
  assert.deepEqual(names(reach('n')), ['x', 'kdeEstimate', 'knnEstimate', 'rows', 'kdeCurve']);
  assert.deepEqual(names(downstream(g, [cellOf('n')])).filter((s) => !s.startsWith('#')), ['x', 'kdeEstimate', 'knnEstimate', 'rows', 'kdeCurve'],
    'running the parameter cell itself re-runs the dependents of both names');
  for (const a of analyses) assert.equal(a.syntaxError, false);
  assert.deepEqual(g.reports.flat(), [], 'the tour has nothing to report');
});
