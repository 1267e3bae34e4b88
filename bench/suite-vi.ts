/**
 * Benchmark of the Gaussian VI and score-based MI families, each against a Python peer on the same
 * data in one run (bench/peers/vi.py, run with bench/.venv/bin/python):
 *
 * 1. FB-GVI iterations per second (Diao et al. 2023, Algorithm 1, exact expectations) on the Gaussian
 *    target of dimension d = 100 (and d = 10), Σ* eigenvalues geometrically spaced in [1, 200]
 *    with random eigenvectors, h = 1/L, from N(0, I): divlab (float64, single thread; eigh by Jacobi
 *    for d ≤ 16 and Householder + implicit QL above) against the same iteration in numpy (LAPACK
 *    eigh through np.linalg.eigh, OpenBLAS, 1 thread). Agreement:
 *    the KL of the final iterate must match to 1e-8 relative (or 1e-12 absolute).
 * 2. MINDE training throughput: the shared noise-prediction MLP (D + 6 → 64 → 64 → D, ELU, the
 *    σ-scaled output of kernel-lib/score/network.ts), batch 128, Adam lr 2e-3, the five masks and
 *    mixture time sampling, on 1×1 (D = 2) and 5×5 (D = 10) correlated Gaussians, against the same
 *    loop in PyTorch (CPU, float32 and float64 at 1 thread). Agreement: from divlab's initial weights
 *    and one fixed batch, torch float64 must reproduce divlab's loss to 1e-12 relative.
 *
 * Timing rule: best of `repeats` wall-clock runs after a warm-up run; the same rule on both sides.
 * FB-GVI also reports the best process CPU time of the same runs (process.cpuUsage() here,
 * time.process_time() in the peer), which a shared, loaded machine disturbs less than wall time.
 * Output: a markdown table on stdout, bench/results/vi.md and bench/results/vi.json.
 * Environment: VI_BENCH_QUICK=1 runs fewer iterations (smoke runs); VI_BENCH_ONLY=fbgvi or
 * VI_BENCH_ONLY=minde runs one family and writes bench/results/vi-<family>.md/.json instead.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { logger, repoRoot, writeLittleEndian, writeResults } from './common.js';
import { fbgvi } from '../kernel-lib/vi/fbgvi.js';
import { gaussianTarget, illConditionedCov } from '../kernel-lib/vi/target.js';
import { trainMinde } from '../kernel-lib/score/minde.js';
import { sampleGaussian } from '../kernel-lib/gaussian/sample.js';
import { Rng } from '../kernel-lib/core/rng.js';

const root = repoRoot;
const log = logger('bench:vi');
const quick = process.env.VI_BENCH_QUICK === '1';
/** VI_BENCH_ONLY=fbgvi runs the FB-GVI cases only (VI_BENCH_ONLY=minde: the MINDE cases only). */
const only = process.env.VI_BENCH_ONLY ?? '';

/**
 * Best of `repeats` runs after a warm-up: wall-clock seconds and, separately, process CPU seconds
 * (user + system from process.cpuUsage(); on a shared machine the CPU time is the steadier of the
 * two, since waiting for a core counts in wall time only).
 */
function best(fn: () => void, repeats: number): { best: number; times: number[]; bestCpu: number; cpuTimes: number[] } {
  fn(); // warm-up
  const times: number[] = [];
  const cpuTimes: number[] = [];
  for (let r = 0; r < repeats; r++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    fn();
    times.push((performance.now() - t0) / 1000);
    const c = process.cpuUsage(c0);
    cpuTimes.push((c.user + c.system) / 1e6);
  }
  return { best: Math.min(...times), times, bestCpu: Math.min(...cpuTimes), cpuTimes };
}

interface VICase { id: string; d: number; iterations: number; repeats: number }
interface MindeCase { id: string; dx: number; n: number; steps: number; repeats: number }

const VI_CASES: VICase[] = only === 'minde' ? [] : [
  { id: 'fbgvi-d10', d: 10, iterations: quick ? 50 : 2000, repeats: 3 },
  { id: 'fbgvi-d100', d: 100, iterations: quick ? 5 : 40, repeats: 10 },
];
const MINDE_CASES: MindeCase[] = only === 'fbgvi' ? [] : [
  { id: 'minde-1x1', dx: 1, n: 4000, steps: quick ? 50 : 500, repeats: 3 },
  { id: 'minde-5x5', dx: 5, n: 4000, steps: quick ? 50 : 500, repeats: 3 },
];
const HIDDEN = [64, 64];
const BATCH = 128;
const LR = 2e-3;

function viTarget(d: number) {
  const cov = illConditionedCov(d, 1, 200, 1);
  const rng = new Rng(7);
  const mean = Float64Array.from({ length: d }, () => rng.uniform());
  return { target: gaussianTarget({ mean, cov }), mean, cov };
}

function mindeData(dx: number, n: number) {
  const D = 2 * dx;
  const C = new Float64Array(D * D);
  for (let i = 0; i < D; i++) for (let j = 0; j < D; j++) C[i * D + j] = i === j ? 1 : dx === 1 ? 0.75 : 0.5;
  const z = sampleGaussian({ mean: new Float64Array(D), cov: C }, n, 11);
  const x = new Float64Array(n * dx);
  const y = new Float64Array(n * dx);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < dx; j++) {
      x[i * dx + j] = z.data[i * D + j];
      y[i * dx + j] = z.data[i * D + dx + j];
    }
  }
  return { z: z.data, x: { data: x, shape: [n, dx] as [number, number] }, y: { data: y, shape: [n, dx] as [number, number] } };
}

function main(): void {
  const began = performance.now();
  const load0 = os.loadavg()[0];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'divlab-bench-vi-'));
  const manifest: Record<string, unknown> = { vi: [], minde: [], hidden: HIDDEN, batch: BATCH, lr: LR };

  // divlab side: FB-GVI
  const viRows: Record<string, unknown>[] = [];
  for (const c of VI_CASES) {
    const { target, mean, cov } = viTarget(c.d);
    const h = 1 / (target.smoothness as number);
    let kl = NaN;
    log(`divlab ${c.id}`);
    const t = best(() => {
      const run = fbgvi(target, { step: h, iterations: c.iterations, recordEvery: c.iterations });
      kl = run.steps[run.steps.length - 1].kl as number;
    }, c.repeats);
    writeLittleEndian(path.join(dir, `${c.id}-mean.f64`), mean);
    writeLittleEndian(path.join(dir, `${c.id}-cov.f64`), cov);
    (manifest.vi as unknown[]).push({ id: c.id, d: c.d, h, iterations: c.iterations, repeats: c.repeats, mean: path.join(dir, `${c.id}-mean.f64`), cov: path.join(dir, `${c.id}-cov.f64`) });
    viRows.push({ id: c.id, d: c.d, iterations: c.iterations, itPerS: c.iterations / t.best, times: t.times, cpuItPerS: c.iterations / t.bestCpu, cpuTimes: t.cpuTimes, kl });
  }

  // divlab side: MINDE training
  const mindeRows: Record<string, unknown>[] = [];
  for (const c of MINDE_CASES) {
    const data = mindeData(c.dx, c.n);
    log(`divlab ${c.id}`);
    const t = best(() => {
      trainMinde(data.x, data.y, { steps: c.steps, batchSize: BATCH, hidden: HIDDEN, lr: LR, seed: 0, ema: 0 });
    }, c.repeats);
    // Agreement batch: divlab's weights after 20 steps (so that the zero-initialised output layer is
    // not zero any more) and one fixed batch, loss in float64.
    const model = trainMinde(data.x, data.y, { steps: 20, batchSize: BATCH, hidden: HIDDEN, lr: LR, seed: 0, ema: 0 });
    const D = 2 * c.dx;
    const rng = new Rng(99);
    const z = new Float64Array(BATCH * D);
    const tx = new Float64Array(BATCH);
    const ty = new Float64Array(BATCH);
    const eps = rng.normals(BATCH * D);
    for (let i = 0; i < BATCH * D; i++) z[i] = rng.normal();
    for (let b = 0; b < BATCH; b++) {
      tx[b] = 0.001 + 0.999 * rng.uniform();
      ty[b] = b % 3 === 0 ? tx[b] : b % 3 === 1 ? 0 : 1;
    }
    const { input, skip, outScale } = model.inputs(z, tx, ty, BATCH);
    const pred = model.network.predict(input, skip, outScale, BATCH);
    let loss = 0;
    for (let i = 0; i < pred.length; i++) loss += (pred[i] - eps[i]) ** 2;
    loss /= BATCH;
    const weights: number[] = [];
    for (const p of model.network.params) weights.push(...p.data);
    writeLittleEndian(path.join(dir, `${c.id}-z.f64`), data.z);
    writeLittleEndian(path.join(dir, `${c.id}-w.f64`), Float64Array.from(weights));
    writeLittleEndian(path.join(dir, `${c.id}-check-input.f64`), input);
    writeLittleEndian(path.join(dir, `${c.id}-check-skip.f64`), skip);
    writeLittleEndian(path.join(dir, `${c.id}-check-scale.f64`), outScale);
    writeLittleEndian(path.join(dir, `${c.id}-check-eps.f64`), eps);
    (manifest.minde as unknown[]).push({
      id: c.id, dx: c.dx, n: c.n, steps: c.steps, repeats: c.repeats, z: path.join(dir, `${c.id}-z.f64`),
      weights: path.join(dir, `${c.id}-w.f64`), check: { input: path.join(dir, `${c.id}-check-input.f64`), skip: path.join(dir, `${c.id}-check-skip.f64`), scale: path.join(dir, `${c.id}-check-scale.f64`), eps: path.join(dir, `${c.id}-check-eps.f64`) },
    });
    mindeRows.push({ id: c.id, dx: c.dx, steps: c.steps, stepsPerS: c.steps / t.best, times: t.times, checkLoss: loss, params: model.network.size });
  }
  fs.writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify(manifest));

  log('python peer (numpy FB-GVI, torch MINDE loop)');
  const py = path.join(root, 'bench', '.venv', 'bin', 'python');
  const pr = spawnSync(py, [path.join(root, 'bench', 'peers', 'vi.py'), path.join(dir, 'manifest.json')], { encoding: 'utf8', maxBuffer: 1 << 26 });
  fs.rmSync(dir, { recursive: true, force: true });
  if (pr.status !== 0) throw new Error(`peer failed: ${pr.stderr || pr.error?.message}`);
  const peer = JSON.parse(pr.stdout) as {
    numpy: string; torch: string;
    vi: Record<string, { it_per_s: number; cpu_it_per_s: number; kl: number }>;
    minde: Record<string, { f32_t1: number; f64_t1: number; check_loss: number }>;
  };

  const lines: string[] = [];
  lines.push(`divlab float64 single-threaded (Node ${process.version}); peers numpy ${peer.numpy} (1 thread) and torch ${peer.torch} CPU. `
    + `Machine: ${os.cpus().length} cores, 1-minute load average ${load0.toFixed(1)} at the start and ${os.loadavg()[0].toFixed(1)} at the end (other jobs inflate both sides' times).`);
  lines.push('');
  lines.push('| case | divlab | peer | ratio divlab/peer (time per iteration; wall, CPU) | agreement |');
  lines.push('|---|---|---|---|---|');
  for (const r of viRows) {
    const p = peer.vi[r.id as string];
    const kl = r.kl as number;
    const agree = Math.abs(kl - p.kl) <= Math.max(1e-12, 1e-8 * Math.abs(p.kl));
    if (!agree) throw new Error(`FB-GVI ${String(r.id)}: divlab KL ${kl} vs numpy ${p.kl}`);
    const ratio = p.it_per_s / (r.itPerS as number);
    const ratioCpu = p.cpu_it_per_s / (r.cpuItPerS as number);
    (r as Record<string, unknown>).peer = p;
    (r as Record<string, unknown>).ratio = ratio;
    (r as Record<string, unknown>).ratioCpu = ratioCpu;
    lines.push(`| FB-GVI, Gaussian target d = ${String(r.d)}, h = 1/L, ${String(r.iterations)} iterations | ${(r.itPerS as number).toFixed(1)} it/s (CPU ${(r.cpuItPerS as number).toFixed(1)}) | numpy ${p.it_per_s.toFixed(1)} it/s (CPU ${p.cpu_it_per_s.toFixed(1)}) | ${ratio.toFixed(2)}, CPU ${ratioCpu.toFixed(2)} | final KL ${kl.toExponential(3)} vs ${p.kl.toExponential(3)} |`);
  }
  for (const r of mindeRows) {
    const p = peer.minde[r.id as string];
    const rel = Math.abs((r.checkLoss as number) - p.check_loss) / Math.abs(p.check_loss);
    if (!(rel < 1e-12)) throw new Error(`MINDE ${String(r.id)}: divlab loss ${String(r.checkLoss)} vs torch f64 ${p.check_loss}`);
    const ratio = p.f32_t1 / (r.stepsPerS as number);
    const ratio64 = p.f64_t1 / (r.stepsPerS as number);
    (r as Record<string, unknown>).peer = p;
    (r as Record<string, unknown>).ratio = ratio;
    lines.push(`| MINDE training, ${String(r.dx)}×${String(r.dx)} Gaussian, MLP ${2 * (r.dx as number) + 6}→64→64→${2 * (r.dx as number)} (${String(r.params)} weights), batch ${BATCH} | ${(r.stepsPerS as number).toFixed(0)} steps/s | torch f32 ${p.f32_t1.toFixed(0)}, f64 ${p.f64_t1.toFixed(0)} steps/s (1 thread) | ${ratio.toFixed(2)} (vs f64: ${ratio64.toFixed(2)}) | loss on a check batch, torch f64 vs divlab: ${rel.toExponential(1)} rel. |`);
  }
  lines.push('');
  lines.push(`Total ${((performance.now() - began) / 1000).toFixed(0)} s (\`${only ? `VI_BENCH_ONLY=${only} ` : ''}node build/bench/suite-vi.js\`).`);
  const md = lines.join('\n') + '\n';
  process.stdout.write(md);
  writeResults(only ? `vi-${only}` : 'vi', md, { node: process.version, numpy: peer.numpy, torch: peer.torch, vi: viRows, minde: mindeRows });
}

main();
