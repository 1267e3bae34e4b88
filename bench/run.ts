/**
 * `npm run bench`: divlab against its Python peers on byte-identical data, in one run.
 *
 * 1. Generates every dataset with divlab's seeded generator (`gaussian.sample`) and writes it as raw
 *    float64 little-endian files plus a JSON manifest (shapes, parameters) in a temporary folder.
 * 2. Runs `bench/.venv/bin/python bench/peers.py <manifest>` (scipy cKDTree, scikit-learn, numpy;
 *    all single-threaded), which loads the files with numpy.fromfile and returns timings and values.
 * 3. Times divlab on the same data with each backend ('cpu', 'gpu', 'auto'), checks that the
 *    estimates agree with the peers', prints a table and writes bench/results/latest.{json,md}.
 *
 * Timing rule (both sides): best of `repeats` wall-clock runs, except that a case stops repeating
 * once one run took longer than {@link SLOW_S} seconds (slow cases run once). Every divlab backend is
 * warmed up first on a small slice of the same data (JIT, gpu.js kernel compilation).
 * A backend that throws (e.g. gpu.js unavailable) is reported as n/a and the run goes on.
 *
 * Environment: BENCH_QUICK=1 skips the biggest cases (marked `big`); BENCH_CASES=<regex> runs only
 * the cases whose id matches; BENCH_BACKENDS=cpu,auto times only those divlab backends.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { repoRoot, writeLittleEndian } from './common.js';

type Divlab = typeof import('../kernel-lib/index.js');
type Matrix = import('../kernel-lib/index.js').Matrix;
type BackendName = 'cpu' | 'gpu' | 'auto';

const SLOW_S = 5;
const BACKENDS: readonly BackendName[] = ['cpu', 'gpu', 'auto'];
const root = repoRoot;
const quick = process.env.BENCH_QUICK === '1';
const only = process.env.BENCH_CASES ? new RegExp(process.env.BENCH_CASES) : null;
const onlyBackends = process.env.BENCH_BACKENDS ? process.env.BENCH_BACKENDS.split(',').map((s) => s.trim()) : null;

interface Run {
  /** Best wall time (s) and all run times. */
  time: number;
  times: number[];
  /** Process CPU time (user + system, s) of the best run: cpu/time ≈ threads busy. */
  cpu: number;
  value: number;
  /** The backend the estimate reports (for 'auto': which one it picked). */
  backend?: string;
  /** For 'auto' in big cases: the timing is the picked backend's run, not a second run. */
  reused?: boolean;
  rowSums?: Float64Array;
}
type Outcome = Run | { error: string };

interface PeerResult {
  peer: string;
  time: number;
  times: number[];
  cpu: number;
  value: number;
  rowSums?: number[];
  error?: string;
}

interface Case {
  id: string;
  label: string;
  kind: 'kl' | 'mi' | 'pairwise';
  big: boolean;
  repeats: number;
  params: Record<string, number>;
  inputs: Record<string, Matrix>;
  /** Closed-form value for the estimators (nats). */
  truth?: number;
  /** Divlab's side: one timed call on the given backend (and a warm-up on small inputs). */
  run: (b: BackendName, inputs: Record<string, Matrix>) => { value: number; backend?: string; rowSums?: Float64Array };
  backends: readonly BackendName[];
  /** Largest |divlab − peer| accepted, per backend (float32 paths are looser). */
  tol: (b: BackendName, picked?: string) => number;
  /** Pairs per run, for throughput cases. */
  pairs?: number;
  /**
   * For single-run (big) cases: which backend 'auto' will pick, so that its run is not repeated
   * when that backend was just timed on the same data (the time is then reused and marked so).
   */
  autoPick?: () => string;
}

function log(msg: string): void {
  process.stderr.write(`[bench] ${msg}\n`);
}

function fmtN(n: number): string {
  const e = Math.log10(n);
  return Number.isInteger(e) ? `1e${e}` : String(n);
}

function fmtTime(s: number): string {
  if (s >= 100) return `${s.toFixed(0)} s`;
  if (s >= 1) return `${s.toFixed(2)} s`;
  if (s >= 0.01) return `${(s * 1e3).toFixed(0)} ms`;
  return `${(s * 1e3).toFixed(1)} ms`;
}

function fmtSci(x: number, digits = 1): string {
  return x.toExponential(digits).replace('e+', 'e');
}

/** Rows [0, r) of m (a view, no copy). */
function head(m: Matrix, r: number): Matrix {
  const rows = Math.min(r, m.rows);
  return { data: m.data.subarray(0, rows * m.cols), rows, cols: m.cols };
}

function column(m: Matrix, c: number): Matrix {
  const data = new Float64Array(m.rows);
  for (let i = 0; i < m.rows; i++) data[i] = m.data[i * m.cols + c];
  return { data, rows: m.rows, cols: 1 };
}

function rowSums(dist: Float64Array, rows: number, cols: number): Float64Array {
  const out = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    let s = 0;
    for (let j = 0; j < cols; j++) s += dist[i * cols + j];
    out[i] = s;
  }
  return out;
}

function timeIt(fn: () => { value: number; backend?: string; rowSums?: Float64Array }, repeats: number): Run {
  let best: Run | null = null;
  const times: number[] = [];
  for (let r = 0; r < Math.max(1, repeats); r++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const out = fn();
    const t = (performance.now() - t0) / 1e3;
    const c = process.cpuUsage(c0);
    times.push(t);
    if (!best || t < best.time) best = { ...out, time: t, times, cpu: (c.user + c.system) / 1e6 };
    if (t > SLOW_S) break;
  }
  return best!;
}

function writeF64(dir: string, name: string, m: Matrix): { path: string; shape: [number, number] } {
  const file = path.join(dir, `${name}.f64`);
  writeLittleEndian(file, m.data);
  return { path: file, shape: [m.rows, m.cols] };
}

function makeCases(dl: Divlab): Case[] {
  const { knn, gaussian, backend } = dl;
  const cases: Case[] = [];
  // 1. Wang–Kulkarni–Verdú KL, k = 5: x ~ N(0, I_d), y ~ N(μ, I_d) with ‖μ‖ = 1, so D(P‖Q) = 0.5 nats.
  for (const N of [1e4, 1e5]) {
    for (const d of [2, 10]) {
      const big = N >= 1e5 && d >= 10;
      const mu = new Float64Array(d).fill(1 / Math.sqrt(d));
      const seed = 1000 + d;
      cases.push({
        id: `kl-N${fmtN(N)}-d${d}`,
        label: `k-NN KL (WKV, k=5), N=${fmtN(N)}, d=${d}`,
        kind: 'kl',
        big,
        repeats: big ? 1 : 3,
        params: { k: 5 },
        inputs: {
          x: gaussian.sample(gaussian.isotropic(new Float64Array(d)), N, seed),
          y: gaussian.sample(gaussian.isotropic(mu), N, seed + 1),
        },
        truth: 0.5,
        backends: BACKENDS,
        run: (b, inp) => {
          const e = knn.kl(inp.x, inp.y, { k: 5, backend: b });
          return { value: e.value, backend: e.backend };
        },
        tol: (b, picked) => (b === 'gpu' || picked === 'gpu' ? 1e-3 : 1e-9),
        // The same selection call knn.kl makes (backend/index.ts is the only place that chooses).
        ...(big ? { autoPick: () => backend.selectBackend('auto', { n: N, m: N + N, d }).name } : {}),
      });
    }
  }
  // 2. KSG mutual information, k = 3, 1-D x and y with correlation 0.6: I = −½ log(1 − 0.36).
  {
    const N = 1e5;
    const rho = 0.6;
    const xy = gaussian.sample({ mean: [0, 0], cov: [[1, rho], [rho, 1]] }, N, 2024);
    cases.push({
      id: `mi-N${fmtN(N)}`,
      label: `KSG MI (k=3), N=${fmtN(N)}, 1-D x, y`,
      kind: 'mi',
      big: false,
      repeats: 3,
      params: { k: 3 },
      inputs: { x: column(xy, 0), y: column(xy, 1) },
      truth: -0.5 * Math.log(1 - rho * rho),
      backends: BACKENDS,
      run: (b, inp) => {
        const e = knn.mutualInfo(inp.x, inp.y, { k: 3, backend: b, standardize: true });
        return { value: e.value, backend: e.backend };
      },
      // scikit-learn adds 1e-10 relative noise before counting; a flipped count moves the mean by ~1e-7.
      tol: (b, picked) => (b === 'gpu' || picked === 'gpu' ? 1e-3 : 1e-5),
    });
  }
  // 3. Brute-force Euclidean distance matrix throughput.
  {
    const n = 4096;
    const d = 16;
    cases.push({
      id: `pairwise-${n}x${n}-d${d}`,
      label: `pairwise distances ${n}×${n}, d=${d} (pairs/s)`,
      kind: 'pairwise',
      big: false,
      repeats: 5,
      params: { d },
      inputs: {
        a: gaussian.sample(gaussian.isotropic(new Float64Array(d)), n, 7),
        b: gaussian.sample(gaussian.isotropic(new Float64Array(d)), n, 8),
      },
      backends: ['cpu', 'gpu'],
      run: (b, inp) => {
        const be = b === 'gpu' ? backend.gpuBackend() : backend.cpuBackend();
        const dist = be.pairwiseDistances(inp.a, inp.b, 'euclidean');
        const rs = rowSums(dist, inp.a.rows, inp.b.rows);
        let total = 0;
        for (let i = 0; i < rs.length; i++) total += rs[i];
        return { value: total / dist.length, backend: be.name, rowSums: rs };
      },
      // Relative error of the row sums: float32 distances on either side.
      tol: () => 1e-4,
      pairs: n * n,
    });
  }
  return cases;
}

function agreement(c: Case, b: BackendName, run: Run, peer: PeerResult | undefined): { ok: boolean; diff: number } | null {
  if (!peer || peer.error !== undefined) return null;
  if (c.kind === 'pairwise') {
    if (!run.rowSums || !peer.rowSums) return null;
    let worst = 0;
    for (let i = 0; i < run.rowSums.length; i++) {
      worst = Math.max(worst, Math.abs(run.rowSums[i] - peer.rowSums[i]) / Math.abs(peer.rowSums[i]));
    }
    return { ok: worst <= c.tol(b, run.backend), diff: worst };
  }
  const diff = Math.abs(run.value - peer.value);
  return { ok: diff <= c.tol(b, run.backend), diff };
}

function isRun(o: Outcome | undefined): o is Run {
  return !!o && !('error' in o);
}

async function main(): Promise<void> {
  const t0 = performance.now();
  const loadStart = os.loadavg()[0];
  let dl: Divlab;
  try {
    dl = await import('../kernel-lib/index.js');
  } catch (e) {
    log(`could not load divlab from build/kernel-lib (${(e as Error).message}); run \`npx tsc -p tsconfig.json\` first`);
    process.exit(2);
  }
  const python = path.join(root, 'bench', '.venv', 'bin', 'python');
  if (!fs.existsSync(python)) {
    log(`no ${path.relative(root, python)}: run \`bash bench/setup-peers.sh\` (npm run bench does)`);
    process.exit(2);
  }

  log('generating data with divlab\'s seeded generator');
  const cases = makeCases(dl).filter((c) => !(quick && c.big) && (!only || only.test(c.id)));
  const skipped = quick ? 'BENCH_QUICK=1: skipped the N=1e5, d=10 KL case' : '';

  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'divlab-bench-'));
  let peerOut: { results: Record<string, PeerResult>; versions: Record<string, string>; python: string; threads: Record<string, string>; threadpools: unknown };
  try {
    const manifest = {
      dtype: '<f8',
      cases: cases.map((c) => ({
        id: c.id,
        kind: c.kind,
        repeats: c.repeats,
        params: c.params,
        inputs: Object.fromEntries(Object.entries(c.inputs).map(([k, m]) => [k, writeF64(tmp, `${c.id}-${k}`, m)])),
      })),
    };
    const manifestPath = path.join(tmp, 'manifest.json');
    fs.writeFileSync(manifestPath, JSON.stringify(manifest, null, 1));

    // 2. The peers, single-threaded (set before numpy loads its BLAS).
    log(`running the Python peers (${path.relative(root, python)} bench/peers.py)`);
    const single = { OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1', MKL_NUM_THREADS: '1', BLIS_NUM_THREADS: '1', VECLIB_MAXIMUM_THREADS: '1', NUMEXPR_NUM_THREADS: '1' };
    const p = spawnSync(python, [path.join(root, 'bench', 'peers.py'), manifestPath], {
      env: { ...process.env, ...single },
      stdio: ['ignore', 'pipe', 'inherit'],
      maxBuffer: 256 * 1024 * 1024,
      encoding: 'utf8',
    });
    if (p.status !== 0) {
      log(`peers.py failed (exit ${p.status}${p.error ? `, ${p.error.message}` : ''})`);
      process.exit(1);
    }
    peerOut = JSON.parse(p.stdout);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }

  // 3. divlab, backend by backend, case by case (after the peers: the two never share the CPU).
  const results: Record<string, Partial<Record<BackendName, Outcome>>> = {};
  const outcomeOf = (id: string, b: string): Outcome | undefined => results[id][b as BackendName];
  for (const c of cases) {
    results[c.id] = {};
    for (const b of c.backends) {
      if (onlyBackends && !onlyBackends.includes(b)) continue;
      try {
        const pick = b === 'auto' && c.autoPick ? c.autoPick() : undefined;
        const prior = pick ? outcomeOf(c.id, pick) : undefined;
        if (prior && isRun(prior)) {
          results[c.id][b] = { ...prior, backend: pick, reused: true };
          log(`${c.id} [auto→${pick}]: same as the ${pick} run above (not repeated: big case)`);
          continue;
        }
        const small = Object.fromEntries(Object.entries(c.inputs).map(([k, m]) => [k, head(m, 2000)]));
        c.run(b, small); // warm-up: JIT, kernel compilation, backend start
        const run = timeIt(() => c.run(b, c.inputs), c.repeats);
        results[c.id][b] = run;
        log(`${c.id} [${b}${b === 'auto' ? `→${run.backend}` : ''}]: ${fmtTime(run.time)} (cpu ${fmtTime(run.cpu)}), value ${run.value.toPrecision(8)}`);
      } catch (e) {
        const msg = (e as Error).message ?? String(e);
        results[c.id][b] = { error: msg };
        log(`${c.id} [${b}]: n/a — ${msg.split('\n')[0]}`);
      }
    }
  }

  // 4. Report.
  const rows: string[] = [];
  const json: unknown[] = [];
  let maxThreads = 0;
  const cell = (c: Case, o: Outcome | undefined, b: BackendName): string => {
    if (!o) return '—';
    if (!isRun(o)) return 'n/a';
    const t = fmtTime(o.time) + (b === 'auto' && o.backend ? ` (→${o.backend}${o.reused ? ', same run' : ''})` : '');
    return c.pairs ? `${t}, ${fmtSci(c.pairs / o.time)}/s` : t;
  };
  for (const c of cases) {
    const peer = peerOut.results[c.id];
    const res = results[c.id];
    const peerCell = !peer || peer.error !== undefined
      ? `n/a (${peer?.error ?? 'missing'})`
      : `${peer.peer}: ${fmtTime(peer.time)}${c.pairs ? `, ${fmtSci(c.pairs / peer.time)}/s` : ''}`;
    const ratios: string[] = [];
    const cpuRatios: string[] = [];
    const agrees: string[] = [];
    const entry: Record<string, unknown> = { id: c.id, label: c.label, kind: c.kind, params: c.params, truth: c.truth, peer, divlab: {} };
    for (const b of BACKENDS) {
      const o = res[b];
      if (!c.backends.includes(b)) {
        ratios.push('—');
        cpuRatios.push('—');
        continue;
      }
      if (!isRun(o)) {
        ratios.push('n/a');
        cpuRatios.push('n/a');
        agrees.push(`${b} n/a`);
        (entry.divlab as Record<string, unknown>)[b] = o ?? { error: 'not run' };
        continue;
      }
      maxThreads = Math.max(maxThreads, o.cpu / o.time);
      const ratio = peer && peer.error === undefined ? o.time / peer.time : NaN;
      ratios.push(Number.isFinite(ratio) ? ratio.toFixed(2) : 'n/a');
      // CPU-time ratio: the total work of each side. Where both are single-threaded it is the wall
      // ratio on an idle machine; where divlab split a k-NN search over threads it shows the per-core
      // cost that the wall ratio hides.
      const cpuRatio = peer && peer.error === undefined && peer.cpu > 0 ? o.cpu / peer.cpu : NaN;
      cpuRatios.push(Number.isFinite(cpuRatio) ? cpuRatio.toFixed(2) : 'n/a');
      const ag = agreement(c, b, o, peer);
      agrees.push(ag ? `${b} ${ag.ok ? 'yes' : 'NO'} (Δ${c.kind === 'pairwise' ? 'rel' : ''} ${fmtSci(ag.diff)})` : `${b} ?`);
      const { rowSums: _drop, ...keep } = o;
      (entry.divlab as Record<string, unknown>)[b] = { ...keep, ratio, cpuRatio, agree: ag };
    }
    if (peer?.rowSums) entry.peer = { ...peer, rowSums: `${peer.rowSums.length} row sums (omitted)` };
    json.push(entry);
    const values = c.kind === 'pairwise'
      ? ''
      : ` — peer ${peer?.value?.toFixed(5) ?? 'n/a'}, divlab ${isRun(res.cpu) ? res.cpu.value.toFixed(5) : 'n/a'}${c.truth !== undefined ? `, truth ${c.truth.toFixed(5)}` : ''}`;
    rows.push(`| ${c.label} | ${BACKENDS.map((b) => cell(c, res[b], b)).join(' | ')} | ${peerCell} | ${ratios.join(' / ')} | ${cpuRatios.join(' / ')} | ${agrees.join('; ')}${values} |`);
  }

  const wall = (performance.now() - t0) / 1e3;
  const loadEnd = os.loadavg()[0];
  const ncpu = os.availableParallelism?.() ?? os.cpus().length;
  const busy = Math.max(loadStart, loadEnd) > ncpu * 0.75;
  const cpuModel = os.cpus()[0]?.model ?? 'unknown CPU';
  const gpuNote = BACKENDS.includes('gpu') && cases.some((c) => isRun(results[c.id].gpu))
    ? 'gpu.js in Node runs its WebAssembly backend on the CPU (no GPU is used)'
    : 'The gpu backend was unavailable in this run (n/a)';
  const md = [
    `## divlab vs Python peers (\`npm run bench\`)`,
    '',
    `${new Date().toISOString().slice(0, 10)} · ${cpuModel} · ${os.availableParallelism?.() ?? os.cpus().length} logical CPUs · Node ${process.version} · ` +
      `Python ${peerOut.python}, numpy ${peerOut.versions.numpy}, scipy ${peerOut.versions.scipy}, scikit-learn ${peerOut.versions['scikit-learn']}` +
      (quick ? ' · BENCH_QUICK=1' : ''),
    '',
    '| case | divlab cpu | divlab gpu | divlab auto | peer | ratio divlab/peer, wall (cpu / gpu / auto) | ratio, CPU time (cpu / gpu / auto) | values agree? |',
    '|---|---|---|---|---|---|---|---|',
    ...rows,
    '',
    `Times are the best of up to 3 runs (5 for pairwise; a run over ${SLOW_S} s is not repeated), same data on both sides ` +
      `(generated by divlab's seeded generator, passed to Python as raw float64). Ratio ≤ 1.00 means divlab is no slower.`,
    `Peers are single-threaded (OMP/OpenBLAS/MKL_NUM_THREADS=1, cKDTree workers=1, scikit-learn n_jobs=None). ` +
      `divlab's CPU backend splits large kd-tree k-NN searches (d ≥ 4) over worker threads, all cores of this machine; ` +
      `the highest CPU-time/wall-time ratio measured for a divlab run was ${maxThreads.toFixed(2)} (≈1 means one busy thread). ${gpuNote}. ` +
      `Pairwise: divlab cpu computes float64 distances; the numpy peer and gpu.js compute in float32.`,
    `Ratio, CPU time: process CPU time of divlab over the peer's — the wall ratio on an idle machine where both run one thread, ` +
      `and the per-core cost where divlab used several.` +
      (busy ? ` **This run shared the machine** (1-min load average ${loadStart.toFixed(1)} at start, ${loadEnd.toFixed(1)} at the end, ` +
        `${ncpu} CPUs): wall times are inflated, read the CPU-time ratios.` : ''),
    ...(skipped ? ['', skipped] : []),
    '',
    `Total bench wall time: ${fmtTime(wall)}.`,
    '',
  ].join('\n');

  const outDir = path.join(root, 'bench', 'results');
  fs.mkdirSync(outDir, { recursive: true });
  fs.writeFileSync(path.join(outDir, 'latest.md'), md);
  fs.writeFileSync(path.join(outDir, 'latest.json'), JSON.stringify({
    date: new Date().toISOString(),
    machine: { cpu: cpuModel, logicalCpus: os.availableParallelism?.() ?? os.cpus().length, platform: `${os.platform()} ${os.release()}`, node: process.version },
    peers: { python: peerOut.python, versions: peerOut.versions, threads: peerOut.threads, threadpools: peerOut.threadpools },
    divlab: { jsThreads: 1, maxCpuPerWall: maxThreads },
    quick,
    loadAverage: { start: loadStart, end: loadEnd },
    slowSeconds: SLOW_S,
    totalWallSeconds: wall,
    cases: json,
  }, null, 2) + '\n');
  process.stdout.write('\n' + md + '\n');
  log(`wrote ${path.relative(root, path.join(outDir, 'latest.md'))} and latest.json`);
}

main().catch((e) => {
  log(`failed: ${(e as Error).stack ?? String(e)}`);
  process.exit(1);
});
