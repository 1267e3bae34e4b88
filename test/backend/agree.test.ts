import { test } from 'node:test';
import assert from 'node:assert/strict';
import { entropy, kl, renyi, nnr, mutualInfo } from '../../kernel-lib/knn/index.js';
import { selectBackend, gpuIsHardware, AUTO_GPU_MIN_DIM, AUTO_GPU_MIN_WORK } from '../../kernel-lib/backend/index.js';
import { EstimationError, InvalidParameterError } from '../../kernel-lib/core/errors.js';
import { loadReference } from '../helpers/reference.js';
import { affine, normals } from '../helpers/data.js';

/** The stated tolerance between the float64 CPU path and the float32 gpu.js path, per estimator. */
const TOL = 1e-4;

function agree(name: string, cpu: number, gpu: number): void {
  const rel = Math.abs(cpu - gpu) / Math.max(Math.abs(cpu), 1e-3);
  assert.ok(rel < TOL, `${name}: cpu ${cpu} vs gpu ${gpu} (relative ${rel})`);
}

const ref = loadReference();

test('every k-NN estimator agrees between the cpu and gpu backends within 1e-4 relative', () => {
  for (const c of ref.kl_wkv_and_renyi_ps.cases) {
    for (const k of [1, 5]) {
      agree(`entropy ${c.name} k=${k}`, entropy(c.x, { k, backend: 'cpu' }).value, entropy(c.x, { k, backend: 'gpu' }).value);
      agree(`kl ${c.name} k=${k}`, kl(c.x, c.y, { k, backend: 'cpu' }).value, kl(c.x, c.y, { k, backend: 'gpu' }).value);
      agree(`renyi ${c.name} k=${k}`, renyi(c.x, c.y, { alpha: 0.8, k, backend: 'cpu' }).value, renyi(c.x, c.y, { alpha: 0.8, k, backend: 'gpu' }).value);
    }
    agree(`nnr ${c.name}`, nnr(c.x, c.y, { alpha: 1.5, backend: 'cpu' }).value, nnr(c.x, c.y, { alpha: 1.5, backend: 'gpu' }).value);
    if (c.d <= 2) {
      agree(`nnr ensemble ${c.name}`, nnr(c.x, c.y, { alpha: 0.5, ensemble: true, backend: 'cpu' }).value, nnr(c.x, c.y, { alpha: 0.5, ensemble: true, backend: 'gpu' }).value);
    } else {
      // At d = 5 and N = 1000 the exact-cancellation weights are large (‖w‖ ≈ 6e3) and the weighted
      // integral comes out negative: both paths must refuse it the same way, never return NaN.
      for (const backend of ['cpu', 'gpu'] as const) {
        assert.throws(() => nnr(c.x, c.y, { alpha: 0.5, ensemble: true, backend }), EstimationError);
      }
    }
  }
  for (const c of ref.mi_ksg.cases) {
    for (const variant of [1, 2] as const) {
      const a = mutualInfo(c.x, c.y, { k: 3, variant, backend: 'cpu' });
      const b = mutualInfo(c.x, c.y, { k: 3, variant, backend: 'gpu' });
      assert.equal(b.backend, 'gpu');
      // KSG's counts are exact on both paths, so the two agree to round-off.
      agree(`ksg-${variant} ${c.name}`, a.value, b.value);
    }
  }
});

test('the paths agree in higher dimension and far from the origin (gpu centres before float32)', () => {
  const x = affine(normals(1500, 10, 1), Array.from({ length: 100 }, (_, i) => (i % 11 === 0 ? 1 : 0)), new Array(10).fill(1e4));
  const y = affine(normals(1500, 10, 2), Array.from({ length: 100 }, (_, i) => (i % 11 === 0 ? 1.3 : 0)), new Array(10).fill(1e4 + 0.3));
  agree('kl d=10 offset 1e4', kl(x, y, { backend: 'cpu' }).value, kl(x, y, { backend: 'gpu' }).value);
  agree('entropy d=10 offset 1e4', entropy(x, { backend: 'cpu' }).value, entropy(x, { backend: 'gpu' }).value);
});

test('auto: kd-tree in low dimension; gpu.js for large high-dimensional work only on a real GPU', () => {
  assert.equal(selectBackend('auto', { n: 1e5, m: 1e5, d: 2 }).name, 'cpu');
  // In Node gpu.js runs its WebAssembly emulation, slower than the kd-tree: auto stays on the CPU.
  assert.equal(gpuIsHardware(), typeof window !== 'undefined');
  assert.equal(selectBackend('auto', { n: 1e5, m: 1e5, d: AUTO_GPU_MIN_DIM }).name, gpuIsHardware() ? 'gpu' : 'cpu');
  assert.equal(selectBackend('auto', { n: 100, m: 100, d: 50 }).name, 'cpu', `below ${AUTO_GPU_MIN_WORK} the CPU wins`);
  assert.equal(selectBackend(undefined, { n: 10, m: 10, d: 1 }).name, 'cpu');
  assert.throws(() => selectBackend('cuda' as never, { n: 1, m: 1, d: 1 }), InvalidParameterError);
});
