/**
 * show(): outside tslab it returns a handle holding the payload and sends nothing; inside a running
 * tslab cell it writes one display_data (divlab MIME type, text/plain summary, SVG fallback) with a
 * display id, and the handle's update() rewrites that output (update_display_data). The tslab case
 * is simulated by planting a module at a `…/tslab/dist/jupyter.js` path in Node's module cache, as
 * the kernel has it loaded (the end-to-end check through a real kernel is
 * test/package/labextension.test.ts and the browser tests).
 */
import { afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { inspect } from 'node:util';
import type { Estimate } from '../../kernel-lib/estimate.js';
import { InvalidParameterError } from '../../kernel-lib/core/errors.js';
import { MIME_TYPE } from '../../kernel-lib/display/payload.js';
import { estimatePayload } from '../../kernel-lib/display/estimate-payload.js';
import { validatePayload } from '../../kernel-lib/display/validate.js';
import { summarize } from '../../kernel-lib/display/format.js';
import { sweep, training } from '../../kernel-lib/display/figures.js';
import { show } from '../../kernel-lib/display/show.js';

const cache = createRequire(import.meta.url).cache as Record<string, unknown>;
const planted: string[] = [];
function plant(file: string, exports: unknown): void {
  cache[file] = { id: file, filename: file, loaded: true, exports, children: [], paths: [] };
  planted.push(file);
}
afterEach(() => {
  for (const f of planted.splice(0)) delete cache[f];
});

const estimate: Estimate = {
  value: 0.42, unit: 'nat', estimator: 'wang-kulkarni-verdu', params: { k: 5 }, n: 100, m: 80, d: 3, stderr: 0.05, backend: 'cpu',
};
type Sent = { content: { data: Record<string, unknown>; metadata: unknown; transient: { display_id?: string } }; update: boolean };
function fakeKernel(): Sent[] {
  const sent: Sent[] = [];
  plant('/fake/node_modules/tslab/dist/jupyter.js', { lastWriteDisplayData: (content: never, update: boolean) => sent.push({ content, update }) });
  return sent;
}

test('outside tslab, show returns a handle holding the payload and sends nothing', () => {
  const h = show(estimate, { truth: 0.4 });
  assert.deepEqual(h.payload, estimatePayload(estimate, { truth: 0.4 }));
  assert.equal(h.displayed, false);
  assert.equal(h.update(estimate), false, 'update outside tslab reaches nothing');
  assert.deepEqual(h.payload, estimatePayload(estimate));
});

test('with tslab loaded but no cell running (no writer yet), show displays nothing', () => {
  plant('/fake/node_modules/tslab/dist/jupyter.js', { lastWriteDisplayData: null });
  const h = show(estimate);
  assert.equal(h.displayed, false);
  assert.deepEqual(h.payload, estimatePayload(estimate));
});

test('inside a tslab cell, show writes one display_data with divlab JSON and text/plain, under a display id', () => {
  const sent = fakeKernel();
  const h = show(estimate, { truth: 0.4 });
  assert.equal(h.displayed, true);
  assert.equal(sent.length, 1, 'exactly one output');
  const { data, transient } = sent[0]!.content;
  assert.deepEqual(Object.keys(data).sort(), [MIME_TYPE, 'text/plain'], 'no terms: no SVG to draw');
  assert.equal(sent[0]!.update, false);
  assert.equal(transient.display_id, h.id);
  assert.ok(validatePayload(data[MIME_TYPE]).ok);
  assert.deepEqual(data[MIME_TYPE], estimatePayload(estimate, { truth: 0.4 }));
  assert.equal(data['text/plain'], summarize(estimatePayload(estimate, { truth: 0.4 })));
});

test('a figure payload gets an SVG fallback; update() rewrites the same display id', () => {
  const sent = fakeKernel();
  const p1 = training({ title: 'MINE', truth: 0.5, series: [{ name: 'DV', step: [0, 1], value: [0.1, 0.2] }] });
  const h = show(p1);
  const p2 = training({ title: 'MINE', truth: 0.5, series: [{ name: 'DV', step: [0, 1, 2], value: [0.1, 0.2, 0.35] }] });
  assert.equal(h.update(p2), true);
  assert.equal(sent.length, 2);
  assert.deepEqual(sent.map((s) => s.update), [false, true]);
  assert.equal(sent[0]!.content.transient.display_id, sent[1]!.content.transient.display_id);
  const svg = sent[1]!.content.data['image/svg+xml'];
  assert.equal(typeof svg, 'string');
  assert.match(svg as string, /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
  assert.match(svg as string, /MINE/);
  assert.deepEqual(sent[1]!.content.data[MIME_TYPE], p2);
  assert.equal(h.payload, p2);
  assert.match(sent[1]!.content.data['text/plain'] as string, /3 steps; last DV 0\.35; truth 0\.5/);
});

test('the handle prints as a short tag (what a tslab cell ending in show(...) prints)', () => {
  const h = show(sweep({ title: 't', x: { label: 'n' }, y: { label: 'v' }, series: [{ name: 'a', x: [1], y: [2] }] }));
  assert.equal(inspect(h), '[divlab sweep]');
  assert.deepEqual(JSON.parse(JSON.stringify(h)), h.payload);
});

test('show rejects a malformed payload, naming the problem', () => {
  assert.throws(() => show({ version: 1, kind: 'sweep', title: 3 } as never), (e: unknown) => e instanceof InvalidParameterError && /payload\.title must be a string/.test((e as Error).message));
});

test('a tslab without the internal writer: falls back to the public newDisplay().raw with a JSON string', () => {
  const calls: [string, string][] = [];
  let made = 0;
  plant('/fake/node_modules/tslab/dist/public.js', { newDisplay: () => { made++; return { raw: (mime: string, body: string) => calls.push([mime, body]) }; } });
  const h = show(estimate);
  assert.equal(h.displayed, true);
  h.update({ ...estimate, value: 0.5 });
  assert.equal(calls.length, 2);
  assert.equal(made, 1, 'one display object per handle, so updates replace the output');
  assert.equal(calls[0]![0], MIME_TYPE);
  assert.deepEqual(JSON.parse(calls[0]![1]), estimatePayload(estimate));
  assert.equal(JSON.parse(calls[1]![1]).estimate.value, 0.5);
});

test('public display.raw that throws ("Not ready") leaves the handle undisplayed, not throwing', () => {
  plant('/fake/node_modules/tslab/dist/public.js', { newDisplay: () => ({ raw: () => { throw new Error('Not ready'); } }) });
  assert.equal(show(estimate).displayed, false);
});

test('in tslab, a cell ending in show(…) prints nothing more: the trailing-expression slot hides the handle', () => {
  fakeKernel();
  const g = globalThis as { __tslab__?: { exports: Record<string, unknown> } };
  const saved = g.__tslab__;
  // tslab's exports: a Proxy whose defineProperty trap flattens accessors (tslab/dist/executor.js)
  const target: Record<string, unknown> = {};
  const exports = new Proxy(target, {
    defineProperty: (_t, prop, attrs) => {
      target[prop as string] = attrs.get ? attrs.get() : attrs.value;
      return true;
    },
  });
  g.__tslab__ = { exports };
  const printed = (): unknown => exports.tsLastExpr; // what tslab tests (!= null) and prints
  try {
    // the compiled cell: `exports.tsLastExpr = void 0; …; exports.tsLastExpr = display.show(…)`
    exports.tsLastExpr = undefined;
    exports.tsLastExpr = show(estimate);
    assert.equal(printed(), undefined, 'tslab reads undefined and prints nothing');
    // another cell's trailing value passes through; tslab's delete after printing is harmless
    exports.tsLastExpr = undefined;
    exports.tsLastExpr = 42;
    assert.equal(printed(), 42);
    delete exports.tsLastExpr;
    // a later show() cell is quiet again
    exports.tsLastExpr = undefined;
    exports.tsLastExpr = show(estimate);
    assert.equal(printed(), undefined);
    // a handle assigned to a variable stays a handle
    const h = show(estimate);
    exports.h = h;
    assert.equal(exports.h, h);
  } finally {
    if (saved === undefined) delete g.__tslab__; else g.__tslab__ = saved;
  }
});

test('outside tslab (no __tslab__), show leaves globals alone', () => {
  const g = globalThis as { __tslab__?: unknown };
  assert.equal(g.__tslab__, undefined);
  show(estimate);
  assert.equal(g.__tslab__, undefined);
});
