import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { CpuBackend } from '../../kernel-lib/backend/cpu.js';
import { GPU_MAX_K, GpuBackend, createGpuBackend, guardBand, kthKernelSource } from '../../kernel-lib/backend/gpu.js';
import type { Metric } from '../../kernel-lib/backend/types.js';
import type { Matrix } from '../../kernel-lib/core/matrix.js';
import { Rng } from '../../kernel-lib/core/rng.js';

// One backend for the whole file: kernels compile once per (kind, d, k, metric, self) and are reused.
const gpu = createGpuBackend();
const METRICS: readonly Metric[] = ['euclidean', 'max'];
const DIMS = [1, 2, 3, 7, 12];
const KS = [1, 3, 5, 20];

function normals(n: number, d: number, seed: number, offset = 0, scale = 1): Matrix {
  const rng = new Rng(seed);
  const data = new Float64Array(n * d);
  for (let i = 0; i < data.length; i++) data[i] = offset + scale * rng.normal();
  return { data, rows: n, cols: d };
}

/** Integer-valued points in {0, …, levels−1}^d: many exactly equal distances and duplicates. */
function lattice(n: number, d: number, levels: number, seed: number): Matrix {
  const rng = new Rng(seed);
  const data = new Float64Array(n * d);
  for (let i = 0; i < data.length; i++) data[i] = rng.int(levels);
  return { data, rows: n, cols: d };
}

/** Largest |a − b| / |b| over the entries (|a − b| where b = 0). */
function maxRelErr(a: Float64Array, b: Float64Array): number {
  assert.equal(a.length, b.length);
  let e = 0;
  for (let i = 0; i < a.length; i++) {
    const r = b[i] === 0 ? Math.abs(a[i]) : Math.abs(a[i] - b[i]) / Math.abs(b[i]);
    if (!(r <= e)) e = r; // NaN propagates as a failure
  }
  return e;
}

/** Bitwise equality of two distance vectors (the gpu k-th distances must BE the float64 CPU values). */
function assertSameDistances(got: Float64Array, want: Float64Array, what: string): void {
  assert.equal(got.length, want.length, what);
  for (let i = 0; i < want.length; i++) {
    if (!Object.is(got[i], want[i])) assert.fail(`${what}: row ${i}: gpu ${got[i]} ≠ cpu ${want[i]}`);
  }
}

/** The first `rows` rows of `a` (a prefix query: row i is row i of `a`). */
function head(a: Matrix, rows: number): Matrix {
  return { data: a.data.slice(0, rows * a.cols), rows, cols: a.cols };
}

/** `base` with rows copied from it appended (duplicates: distance-0 ties). */
function withDuplicates(base: Matrix, every: number): Matrix {
  const d = base.cols;
  const extra = Math.floor(base.rows / every);
  const data = new Float64Array((base.rows + extra) * d);
  data.set(base.data);
  for (let i = 0; i < extra; i++) data.set(base.data.subarray(every * i * d, every * i * d + d), (base.rows + i) * d);
  return { data, rows: base.rows + extra, cols: d };
}

function assertCountsEqual(got: Int32Array, want: Int32Array, what: string): void {
  assert.equal(got.length, want.length);
  for (let i = 0; i < want.length; i++) {
    if (got[i] !== want[i]) assert.fail(`${what}: row ${i}: gpu ${got[i]} ≠ cpu ${want[i]}`);
  }
}

test('the gpu backend is named gpu and its kernels run on gpu.js, not its JavaScript fallback', () => {
  assert.equal(gpu.name, 'gpu');
  const x = normals(50, 3, 1);
  gpu.kthNeighborDistance(x, x, 2, { metric: 'euclidean', excludeSelf: true });
  const modes = gpu.kernelModes();
  assert.ok(modes.length > 0);
  for (const m of modes) assert.notEqual(m, 'cpu');
  assert.ok(['webasm', 'webgl2', 'webgl', 'headlessgl', 'webgpu'].includes(gpu.mode), `mode ${gpu.mode}`);
});

test('generated k-th distance source unrolls the dimension loop and the k registers', () => {
  const src = kthKernelSource(3, 4, 'euclidean', true);
  assert.match(src, /const a2 = q\[qb \+ 2\];/);
  assert.match(src, /const b2 = q\[qb \+ 5\];/);
  assert.match(src, /let h4 = 3\.0e38;/); // k + 1 value registers
  assert.match(src, /i3 = i2;/); // index registers shift with the values
  assert.match(src, /return \[h2, h3, h4, i3\];/);
  assert.match(src, /j !== me/);
  assert.doesNotMatch(kthKernelSource(3, 4, 'euclidean', false), /j !== me/);
  assert.doesNotMatch(src, /for \(let c/); // no runtime dimension loop
});

const EXACT_DIMS = [1, 2, 5, 12];
const EXACT_KS = [1, 3, 20];

test('kthNeighborDistance is bitwise the float64 CPU value on random data (d, k, metric; self, cross, prefix)', () => {
  const cpu = new CpuBackend();
  const before = { ...gpu.stats };
  for (const d of EXACT_DIMS) {
    const x = normals(260, d, 10 + d);
    const y = normals(230, d, 20 + d);
    // Z = [Y; X], queried with its first rows Y and self-exclusion (the NNR estimator's pattern).
    const z: Matrix = { data: Float64Array.of(...y.data, ...x.data), rows: y.rows + x.rows, cols: d };
    for (const metric of METRICS) {
      for (const k of EXACT_KS) {
        const so = { metric, excludeSelf: true };
        const co = { metric, excludeSelf: false };
        assertSameDistances(gpu.kthNeighborDistance(x, x, k, so), cpu.kthNeighborDistance(x, x, k, so), `self d=${d} k=${k} ${metric}`);
        assertSameDistances(gpu.kthNeighborDistance(y, x, k, co), cpu.kthNeighborDistance(y, x, k, co), `cross d=${d} k=${k} ${metric}`);
        assertSameDistances(gpu.kthNeighborDistance(x, x, k, co), cpu.kthNeighborDistance(x, x, k, co), `self-included d=${d} k=${k} ${metric}`);
        assertSameDistances(gpu.kthNeighborDistance(y, z, k, so), cpu.kthNeighborDistance(y, z, k, so), `prefix [Y;X] d=${d} k=${k} ${metric}`);
        const h = head(x, 97);
        assertSameDistances(gpu.kthNeighborDistance(h, x, k, so), cpu.kthNeighborDistance(h, x, k, so), `prefix head d=${d} k=${k} ${metric}`);
      }
    }
  }
  // Continuous data: essentially every row is resolved by the first pass alone.
  const rows = gpu.stats.kthRows - before.kthRows;
  assert.ok(gpu.stats.kthOnePassRows - before.kthOnePassRows >= 0.99 * rows, JSON.stringify(gpu.stats));
});

test('kthNeighborDistance is bitwise exact on integer-lattice data with ties and duplicates (host and kernel recheck)', () => {
  const cpu = new CpuBackend();
  // Default backend (few unresolved rows: host k-selection) and one that always runs the second
  // guard-band pass (band members by index, or full-row k-selection when there are ≥ 3).
  const twoPass = new GpuBackend({ hostSelectWork: 0 });
  try {
    for (const d of EXACT_DIMS) {
      const x = withDuplicates(lattice(180, d, d <= 2 ? 5 : 3, 50 + d), 3);
      const y = lattice(90, d, 3, 60 + d);
      const z: Matrix = { data: Float64Array.of(...y.data, ...x.data), rows: y.rows + x.rows, cols: d };
      for (const metric of METRICS) {
        for (const k of EXACT_KS) {
          for (const be of [gpu, twoPass]) {
            const tag = `${be === gpu ? 'host' : 'two-pass'} lattice d=${d} k=${k} ${metric}`;
            for (const excludeSelf of [true, false]) {
              const o = { metric, excludeSelf };
              assertSameDistances(be.kthNeighborDistance(x, x, k, o), cpu.kthNeighborDistance(x, x, k, o), `${tag} self=${excludeSelf}`);
            }
            const co = { metric, excludeSelf: false };
            assertSameDistances(be.kthNeighborDistance(y, x, k, co), cpu.kthNeighborDistance(y, x, k, co), `${tag} cross`);
            const so = { metric, excludeSelf: true };
            assertSameDistances(be.kthNeighborDistance(y, z, k, so), cpu.kthNeighborDistance(y, z, k, so), `${tag} prefix`);
          }
        }
      }
    }
    // Every resolution path really ran.
    assert.ok(twoPass.stats.kthBandRows > 0, 'no row resolved from one or two band members');
    assert.ok(twoPass.stats.kthRecountRows > 0, 'no row k-selected after the second pass');
    assert.ok(twoPass.stats.kthOnePassRows > 0, 'no row resolved by the first pass');
  } finally {
    twoPass.destroy();
  }
});

test('near-ties: points whose distances differ by ~1 ulp of float32 still give the exact k-th distance', () => {
  const cpu = new CpuBackend();
  const twoPass = new GpuBackend({ hostSelectWork: 0 });
  try {
    // Query at 0; reference points at 1 + j·1e-9 (far below float32 resolution, distinct in float64).
    for (const d of [1, 2, 5]) {
      const m = 60;
      const ref = new Float64Array(m * d);
      const rng = new Rng(7 + d);
      for (let j = 0; j < m; j++) ref[j * d] = (j % 2 === 0 ? 1 : -1) * (1 + rng.int(40) * 1e-9);
      const rm: Matrix = { data: ref, rows: m, cols: d };
      const qm: Matrix = { data: new Float64Array(d), rows: 1, cols: d };
      for (const metric of METRICS) {
        for (const k of EXACT_KS) {
          const o = { metric, excludeSelf: false };
          const want = cpu.kthNeighborDistance(qm, rm, k, o);
          assertSameDistances(gpu.kthNeighborDistance(qm, rm, k, o), want, `near-tie d=${d} k=${k} ${metric}`);
          assertSameDistances(twoPass.kthNeighborDistance(qm, rm, k, o), want, `near-tie two-pass d=${d} k=${k} ${metric}`);
        }
      }
    }
  } finally {
    twoPass.destroy();
  }
});

test('kthNeighborDistance is exact where one float32 per coordinate would be off by ~1e-3 (1-D, n = 2000)', () => {
  const cpu = new CpuBackend();
  for (const d of [1, 12]) {
    const x = normals(2000, d, 99 + d);
    for (const metric of METRICS) {
      const o = { metric, excludeSelf: true };
      assertSameDistances(gpu.kthNeighborDistance(x, x, 1, o), cpu.kthNeighborDistance(x, x, 1, o), `d=${d} ${metric}`);
    }
  }
});

test('countWithinRadius equals the CPU counts exactly on random data (strict/≤, self both ways, radius attained)', () => {
  const cpu = new CpuBackend();
  for (const d of DIMS) {
    const x = normals(220, d, 30 + d);
    const y = normals(190, d, 40 + d);
    for (const metric of METRICS) {
      for (const k of KS) {
        // Radius = an attained distance (the k-th neighbour's): the boundary case the guard band exists for.
        const rSelf = cpu.kthNeighborDistance(x, x, k, { metric, excludeSelf: true });
        const rCross = cpu.kthNeighborDistance(y, x, k, { metric, excludeSelf: false });
        for (const strict of [true, false]) {
          const o1 = { metric, strict, excludeSelf: true };
          assertCountsEqual(gpu.countWithinRadius(x, x, rSelf, o1), cpu.countWithinRadius(x, x, rSelf, o1), `self d=${d} k=${k} ${metric} strict=${strict}`);
          const o2 = { metric, strict, excludeSelf: false };
          assertCountsEqual(gpu.countWithinRadius(y, x, rCross, o2), cpu.countWithinRadius(y, x, rCross, o2), `cross d=${d} k=${k} ${metric} strict=${strict}`);
        }
        // excludeSelf on a self query and the attained radius: strict counts k−1 (no ties in continuous data).
        const strictSelf = gpu.countWithinRadius(x, x, rSelf, { metric, strict: true, excludeSelf: true });
        assert.equal(strictSelf[0], k - 1);
      }
    }
  }
});

test('countWithinRadius is exact with many ties: integer lattice data, duplicates, radius = attained distance', () => {
  const cpu = new CpuBackend();
  const before = { ...gpu.stats };
  for (const d of [1, 2, 3, 7]) {
    const base = lattice(180, d, 3, 50 + d);
    // Duplicate every third row so that distance-0 ties exist as well.
    const data = new Float64Array((base.rows + 60) * d);
    data.set(base.data);
    for (let i = 0; i < 60; i++) data.set(base.data.subarray(3 * i * d, 3 * i * d + d), (base.rows + i) * d);
    const x: Matrix = { data, rows: base.rows + 60, cols: d };
    for (const metric of METRICS) {
      for (const k of [1, 3, 5, 20]) {
        const r = cpu.kthNeighborDistance(x, x, k, { metric, excludeSelf: true });
        for (const strict of [true, false]) {
          for (const excludeSelf of [true, false]) {
            const o = { metric, strict, excludeSelf };
            assertCountsEqual(gpu.countWithinRadius(x, x, r, o), cpu.countWithinRadius(x, x, r, o), `lattice d=${d} k=${k} ${metric} strict=${strict} self=${excludeSelf}`);
          }
        }
      }
      // Integer radii: every lattice distance in the max norm is an integer, so these are all ties.
      for (const rv of [0, 1, 2]) {
        const r = new Float64Array(x.rows).fill(rv);
        for (const strict of [true, false]) {
          const o = { metric, strict, excludeSelf: true };
          assertCountsEqual(gpu.countWithinRadius(x, x, r, o), cpu.countWithinRadius(x, x, r, o), `lattice d=${d} r=${rv} ${metric} strict=${strict}`);
        }
      }
    }
  }
  // The float64 recheck paths really ran (ties sit inside the guard band by construction).
  assert.ok(gpu.stats.bandRows > before.bandRows, 'no row used the one/two-index recheck');
  assert.ok(gpu.stats.recountRows > before.recountRows, 'no row was recounted in float64');
});

test('countWithinRadius: random radii, NaN, negative, zero and infinite radii', () => {
  const cpu = new CpuBackend();
  const x = normals(150, 3, 61);
  const rng = new Rng(62);
  const r = new Float64Array(x.rows);
  for (let i = 0; i < r.length; i++) r[i] = 2 * rng.uniform();
  r[0] = NaN;
  r[1] = -1;
  r[2] = 0;
  r[3] = Infinity;
  r[4] = 1e300;
  r[5] = Number.MIN_VALUE;
  for (const metric of METRICS) {
    for (const strict of [true, false]) {
      for (const excludeSelf of [true, false]) {
        const o = { metric, strict, excludeSelf };
        const got = gpu.countWithinRadius(x, x, r, o);
        assertCountsEqual(got, cpu.countWithinRadius(x, x, r, o), `${metric} strict=${strict} self=${excludeSelf}`);
        assert.equal(got[3], x.rows - (excludeSelf ? 1 : 0)); // r = ∞ counts every admissible row
      }
    }
  }
});

test('data far from the origin (offset 1e4 and 1e8) keeps float32 accuracy through centring', () => {
  const cpu = new CpuBackend();
  for (const offset of [1e4, 1e8]) {
    for (const d of [1, 2, 7]) {
      const x = normals(300, d, 70 + d, offset);
      const y = normals(200, d, 80 + d, offset);
      for (const metric of METRICS) {
        const got = gpu.kthNeighborDistance(x, x, 3, { metric, excludeSelf: true });
        const want = cpu.kthNeighborDistance(x, x, 3, { metric, excludeSelf: true });
        assertSameDistances(got, want, `offset ${offset} d=${d} ${metric}`);
        const pw = gpu.pairwiseDistances(y, x, metric);
        const pwRef = cpu.pairwiseDistances(y, x, metric);
        assert.ok(maxRelErr(pw, pwRef) <= 1e-5, `pairwise offset ${offset} d=${d} ${metric}`);
        for (const strict of [true, false]) {
          const o = { metric, strict, excludeSelf: true };
          assertCountsEqual(gpu.countWithinRadius(x, x, want, o), cpu.countWithinRadius(x, x, want, o), `offset ${offset} d=${d} ${metric}`);
        }
      }
    }
  }
});

test('tiny and huge scales (1e-30, 1e25) are handled by exact power-of-two scaling', () => {
  const cpu = new CpuBackend();
  for (const scale of [1e-30, 1e25]) {
    const x = normals(200, 4, 90, 0, scale);
    for (const metric of METRICS) {
      const got = gpu.kthNeighborDistance(x, x, 5, { metric, excludeSelf: true });
      const want = cpu.kthNeighborDistance(x, x, 5, { metric, excludeSelf: true });
      assertSameDistances(got, want, `scale ${scale} ${metric}`);
      const o = { metric, strict: false, excludeSelf: true };
      assertCountsEqual(gpu.countWithinRadius(x, x, want, o), cpu.countWithinRadius(x, x, want, o), `scale ${scale} ${metric}`);
    }
  }
});

test('pairwiseDistances matches the CPU within 1e-5 relative and is exactly 0 on duplicates', () => {
  const cpu = new CpuBackend();
  for (const d of DIMS) {
    const x = normals(120, d, 100 + d);
    const y = normals(90, d, 110 + d);
    for (const metric of METRICS) {
      const got = gpu.pairwiseDistances(y, x, metric);
      assert.equal(got.length, 90 * 120);
      assert.ok(maxRelErr(got, cpu.pairwiseDistances(y, x, metric)) <= 1e-5, `d=${d} ${metric}`);
      const self = gpu.pairwiseDistances(x, x, metric);
      for (let i = 0; i < x.rows; i++) assert.equal(self[i * x.rows + i], 0);
    }
  }
});

test('tiling: small query blocks, reference tiles and pairwise tiles give the untiled answers', () => {
  const cpu = new CpuBackend();
  // Blocks of 37 query rows, reference tiles of 29 rows (2·d·29 values), pairwise tiles of 500 cells.
  const d = 3;
  // hostSelectWork 0: the k-th distance's second (guard-band) pass runs tiled as well.
  const tiled = new GpuBackend({ queryBlockRows: 37, refTileValues: 2 * d * 29, pairwiseTileCells: 500, hostSelectWork: 0 });
  try {
    const x = normals(203, d, 120);
    const y = normals(150, d, 121);
    for (const metric of METRICS) {
      const r = cpu.kthNeighborDistance(x, x, 4, { metric, excludeSelf: true });
      assertSameDistances(tiled.kthNeighborDistance(x, x, 4, { metric, excludeSelf: true }), r, `tiled kth ${metric}`);
      for (const strict of [true, false]) {
        const o = { metric, strict, excludeSelf: true };
        assertCountsEqual(tiled.countWithinRadius(x, x, r, o), cpu.countWithinRadius(x, x, r, o), `tiled ${metric} strict=${strict}`);
      }
      const lat = lattice(203, d, 3, 122);
      const rl = cpu.kthNeighborDistance(lat, lat, 3, { metric, excludeSelf: true });
      const o = { metric, strict: true, excludeSelf: true };
      assertCountsEqual(tiled.countWithinRadius(lat, lat, rl, o), cpu.countWithinRadius(lat, lat, rl, o), `tiled lattice ${metric}`);
      assertSameDistances(tiled.kthNeighborDistance(lat, lat, 3, { metric, excludeSelf: true }), rl, `tiled lattice kth ${metric}`);
      assert.ok(maxRelErr(tiled.pairwiseDistances(y, x, metric), cpu.pairwiseDistances(y, x, metric)) <= 1e-5);
    }
  } finally {
    tiled.destroy();
  }
});

test('k above GPU_MAX_K and too few reference rows fall back to the exact CPU result', () => {
  const cpu = new CpuBackend();
  const x = normals(150, 2, 130);
  const k = GPU_MAX_K + 1;
  assert.deepEqual(gpu.kthNeighborDistance(x, x, k, { metric: 'euclidean', excludeSelf: true }),
    cpu.kthNeighborDistance(x, x, k, { metric: 'euclidean', excludeSelf: true }));
  const small = normals(4, 2, 131);
  assert.deepEqual(gpu.kthNeighborDistance(x, small, 4, { metric: 'max', excludeSelf: true }),
    cpu.kthNeighborDistance(x, small, 4, { metric: 'max', excludeSelf: true }));
});

test('GPU_MAX_K itself runs on the kernel and matches', () => {
  const cpu = new CpuBackend();
  const x = normals(200, 2, 140);
  for (const metric of METRICS) {
    const got = gpu.kthNeighborDistance(x, x, GPU_MAX_K, { metric, excludeSelf: true });
    const want = cpu.kthNeighborDistance(x, x, GPU_MAX_K, { metric, excludeSelf: true });
    assertSameDistances(got, want, `k=${GPU_MAX_K} ${metric}`);
  }
});

test('kthNeighborDistance keeps duplicate distances (ties) as separate neighbours', () => {
  const cpu = new CpuBackend();
  const x = lattice(120, 2, 3, 150); // 9 distinct points, ~13 copies each
  for (const metric of METRICS) {
    for (const k of [1, 5, 13, 20]) {
      const got = gpu.kthNeighborDistance(x, x, k, { metric, excludeSelf: true });
      const want = cpu.kthNeighborDistance(x, x, k, { metric, excludeSelf: true });
      assertSameDistances(got, want, `lattice k=${k} ${metric}`);
    }
  }
});

test('kNearest is the CPU reduction, identical to CpuBackend', () => {
  const x = normals(100, 3, 160);
  const a = gpu.kNearest(x, x, 4, { metric: 'euclidean', excludeSelf: true });
  const b = new CpuBackend().kNearest(x, x, 4, { metric: 'euclidean', excludeSelf: true });
  assert.deepEqual(a.distances, b.distances);
  assert.deepEqual(a.indices, b.indices);
});

test('async methods return the same values as the sync ones (and the CPU values)', async () => {
  const x = normals(5000, 2, 170); // ≥ 4096 output cells: the webasm backend splits across workers
  const lat = lattice(5000, 2, 4, 171);
  const cpu = new CpuBackend();
  const twoPass = new GpuBackend({ hostSelectWork: 0 });
  for (const metric of METRICS) {
    const o = { metric, excludeSelf: true };
    const sync = gpu.kthNeighborDistance(x, x, 5, o);
    assertSameDistances(sync, cpu.kthNeighborDistance(x, x, 5, o), `sync ${metric}`);
    assert.deepEqual(await gpu.kthNeighborDistanceAsync(x, x, 5, o), sync);
    const r = cpu.kthNeighborDistance(lat, lat, 5, o);
    // Lattice rows are unresolved after the first pass: the async two-pass path.
    assertSameDistances(await twoPass.kthNeighborDistanceAsync(lat, lat, 5, o), r, `async two-pass lattice ${metric}`);
    const ro = { metric, strict: true, excludeSelf: true };
    assertCountsEqual(await gpu.countWithinRadiusAsync(lat, lat, r, ro), cpu.countWithinRadius(lat, lat, r, ro), `async ${metric}`);
  }
  twoPass.destroy();
});

test('guardBand widens with d and is far below float32 resolution for the max norm', () => {
  const e2 = guardBand(2, 'euclidean');
  const e12 = guardBand(12, 'euclidean');
  assert.ok(e12.delta > e2.delta);
  assert.ok(e2.delta > 2 * 2 ** -24 && e12.delta < 1e-5);
  const m = guardBand(12, 'max');
  assert.ok(m.delta < e12.delta && m.delta > 2 ** -24);
});

test('dimension mismatch and bad k are reported by name', () => {
  const x = normals(10, 2, 1);
  const y = normals(10, 3, 2);
  assert.throws(() => gpu.kthNeighborDistance(x, y, 1, { metric: 'euclidean', excludeSelf: false }), /ref: has dimension 3/);
  assert.throws(() => gpu.kthNeighborDistance(x, x, 0, { metric: 'euclidean', excludeSelf: false }), /k: must be a positive integer/);
  assert.throws(() => gpu.countWithinRadius(x, x, new Float64Array(3), { metric: 'max', strict: true, excludeSelf: false }), /radius: has 3 entries/);
});

after(() => gpu.destroy());
