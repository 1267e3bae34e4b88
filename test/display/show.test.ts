/**
 * show(): outside tslab it returns the payload; inside a running tslab cell it writes one
 * display_data with the divlab MIME type and a text/plain summary. The tslab case is simulated by
 * planting a module at a `…/tslab/dist/jupyter.js` path in Node's module cache, as the kernel has
 * it loaded (the end-to-end check through a real kernel is test/package/labextension.test.ts).
 */
import { afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import type { Estimate } from '../../kernel-lib/estimate.js';
import { MIME_TYPE } from '../../kernel-lib/display/payload.js';
import { estimatePayload } from '../../kernel-lib/display/estimate-payload.js';
import { validatePayload } from '../../kernel-lib/display/validate.js';
import { summarize } from '../../kernel-lib/display/format.js';
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

test('outside tslab, show returns the payload and sends nothing', () => {
  assert.deepEqual(show(estimate, { truth: 0.4 }), estimatePayload(estimate, { truth: 0.4 }));
});

test('with tslab loaded but no cell running (no writer yet), show returns the payload', () => {
  plant('/fake/node_modules/tslab/dist/jupyter.js', { lastWriteDisplayData: null });
  assert.deepEqual(show(estimate), estimatePayload(estimate));
});

test('inside a tslab cell, show writes one display_data with both MIME types and returns undefined', () => {
  const sent: { content: { data: Record<string, unknown>; metadata: unknown; transient: unknown }; update: boolean }[] = [];
  plant('/fake/node_modules/tslab/dist/jupyter.js', {
    lastWriteDisplayData: (content: never, update: boolean) => sent.push({ content, update }),
  });
  assert.equal(show(estimate, { truth: 0.4 }), undefined);
  assert.equal(sent.length, 1, 'exactly one output');
  const { data } = sent[0]!.content;
  assert.deepEqual(Object.keys(data).sort(), [MIME_TYPE, 'text/plain']);
  assert.equal(sent[0]!.update, false);
  const r = validatePayload(data[MIME_TYPE]);
  assert.ok(r.ok);
  assert.deepEqual(data[MIME_TYPE], estimatePayload(estimate, { truth: 0.4 }));
  assert.equal(data['text/plain'], summarize(estimatePayload(estimate, { truth: 0.4 })));
});

test('a tslab without the internal writer: falls back to the public display.raw with a JSON string', () => {
  const calls: [string, string][] = [];
  plant('/fake/node_modules/tslab/dist/public.js', { display: { raw: (mime: string, body: string) => calls.push([mime, body]) } });
  assert.equal(show(estimate), undefined);
  assert.equal(calls.length, 1);
  assert.equal(calls[0]![0], MIME_TYPE);
  assert.deepEqual(JSON.parse(calls[0]![1]), estimatePayload(estimate));
});

test('public display.raw that throws ("Not ready") makes show return the payload, not throw', () => {
  plant('/fake/node_modules/tslab/dist/public.js', { display: { raw: () => { throw new Error('Not ready'); } } });
  assert.deepEqual(show(estimate), estimatePayload(estimate));
});
