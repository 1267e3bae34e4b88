/**
 * Benchmark of the variational MI family (kernel-lib/variational on kernel-lib/autodiff): training
 * throughput (steps/s) of a critic on a bound, against a PyTorch CPU loop on the same
 * configuration (bench/peers/variational.py): d = 20, batch 64, Adam lr 5e-4, the separable critic
 * f(x)ᵀg(y) with f, g MLPs 20 → 256 → 256 → 32 (ReLU) on InfoNCE and on SMILE (τ = 5), and the
 * concatenated critic h([x, y]) 40 → 256 → 256 → 1 over all 64² pairs on InfoNCE.
 *
 * Data: a pool of 16 batches (x, y) of the d = 20 correlated Gaussian with MI = 4 nats, drawn by
 * divlab's seeded generator and written as raw float64 for the peer; both loops cycle through the
 * pool. Timing rule: best of `repeats` runs of `steps` steps after `warmup` steps (JIT / allocator
 * warm-up), by wall clock and by the process's CPU time (user + system; on a machine shared with
 * other jobs the CPU time is the steadier figure). divlab is single-threaded float64, so the ratio
 * (divlab time per step / torch time per step; ≤ 1 is parity) is taken against torch float32 at 1
 * thread (the target); torch at its default thread count and torch float64 at 1 thread are
 * shown beside.
 * Agreement: from divlab's initial weights and the same batches, torch float64 must reproduce
 * divlab's InfoNCE values over the first steps (to 1e-9).
 * A second pass splits divlab's separable InfoNCE step into forward, bound, backward and Adam, and
 * states the GFLOP/s the matrix products reach (the profile the issue asks for).
 * The first case is also timed on divlab's plain-JavaScript GEMM and in TensorFlow.js on its
 * WebAssembly backend (bench/tfjs-critic.ts): the measurement behind keeping the autodiff in-house.
 *
 * Output: a markdown table on stdout, bench/results/variational.md and .json.
 * Environment: VARIATIONAL_BENCH_QUICK=1 runs fewer steps (smoke runs).
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { logger, repoRoot, writeLittleEndian, writeResults } from './common.js';
import { tfjsSeparableInfoNce } from './tfjs-critic.js';
import { Rng } from '../kernel-lib/core/rng.js';
import { backward, Tensor } from '../kernel-lib/autodiff/tensor.js';
import { gemmBackend, setGemmBackend } from '../kernel-lib/autodiff/gemm.js';
import { Adam } from '../kernel-lib/optim/adam.js';
import { bound as evalBound, mineState, type BoundName } from '../kernel-lib/variational/bounds.js';
import { critic as makeCritic, type Critic } from '../kernel-lib/variational/critics.js';
import { correlatedGaussian, rhoForMi } from '../kernel-lib/variational/samplers.js';

const root = repoRoot;
const log = logger('bench:variational');
const quick = process.env.VARIATIONAL_BENCH_QUICK === '1';
const D = 20, BATCH = 64, HIDDEN = [256, 256], EMBED = 32, LR = 5e-4, POOL = 16, CHECK_STEPS = 5;

interface CaseSpec { id: string; label: string; bound: BoundName; critic: 'separable' | 'concat'; steps: number; warmup: number; repeats: number }
const CASES: CaseSpec[] = [
  { id: 'infonce-separable', label: 'InfoNCE, separable 2×(20→256→256→32)', bound: 'infonce', critic: 'separable', steps: quick ? 20 : 150, warmup: quick ? 5 : 30, repeats: 3 },
  { id: 'smile5-separable', label: 'SMILE τ=5, separable', bound: 'smile', critic: 'separable', steps: quick ? 20 : 100, warmup: quick ? 5 : 20, repeats: 2 },
  { id: 'infonce-concat', label: 'InfoNCE, concat 40→256→256→1 on 64² pairs', bound: 'infonce', critic: 'concat', steps: quick ? 2 : 8, warmup: 2, repeats: 2 },
];

interface Phases { forward: number; bound: number; backward: number; adam: number }

/** `steps` training steps cycling through the pool; optional per-phase timing. */
function runSteps(net: Critic, opt: Adam, bound: BoundName, xs: Float64Array[], ys: Float64Array[], steps: number,
  start: number, phases?: Phases, values?: number[]): void {
  const state = mineState();
  for (let t = 0; t < steps; t++) {
    const k = (start + t) % xs.length;
    const t0 = performance.now();
    const S = net.scores(new Tensor(xs[k], BATCH, D), new Tensor(ys[k], BATCH, D));
    const t1 = performance.now();
    const r = evalBound(bound, S.data, BATCH, { tau: 5, state });
    const seed = r.grad;
    for (let i = 0; i < seed.length; i++) seed[i] = -seed[i];
    const t2 = performance.now();
    opt.zeroGrad();
    backward(S, seed);
    const t3 = performance.now();
    opt.step();
    const t4 = performance.now();
    values?.push(r.value);
    if (phases) {
      phases.forward += t1 - t0; phases.bound += t2 - t1; phases.backward += t3 - t2; phases.adam += t4 - t3;
    }
  }
}

function timeCase(c: CaseSpec, xs: Float64Array[], ys: Float64Array[]): { stepsPerS: number; stepsPerCpuS: number; times: number[]; cpu: number[] } {
  const net = makeCritic(c.critic, D, D, { hidden: HIDDEN, embed: EMBED, seed: 0 });
  const opt = new Adam(net.parameters(), { lr: LR });
  runSteps(net, opt, c.bound, xs, ys, c.warmup, 0);
  const times: number[] = [];
  const cpu: number[] = [];
  for (let r = 0; r < c.repeats; r++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    runSteps(net, opt, c.bound, xs, ys, c.steps, c.warmup + r * c.steps);
    times.push((performance.now() - t0) / 1000);
    const cu = process.cpuUsage(c0);
    cpu.push((cu.user + cu.system) / 1e6);
  }
  return { stepsPerS: c.steps / Math.min(...times), stepsPerCpuS: c.steps / Math.min(...cpu), times, cpu };
}

/** Multiply-adds ×2 of one separable step: forward of both MLPs and S, backward ≈ twice that (no input gradients). */
function separableFlops(): { forward: number; backward: number } {
  const sizes = [D, ...HIDDEN, EMBED];
  let mlpF = 0, mlpB = 0;
  for (let l = 0; l + 1 < sizes.length; l++) {
    const f = 2 * BATCH * sizes[l] * sizes[l + 1];
    mlpF += f;
    mlpB += l === 0 ? f : 2 * f; // weight gradient always; input gradient except for the data layer
  }
  const sF = 2 * BATCH * BATCH * EMBED;
  return { forward: 2 * mlpF + sF, backward: 2 * mlpB + 2 * sF };
}

async function main(): Promise<void> {
  const began = performance.now();
  const rng = new Rng(2026);
  const rho = rhoForMi(4, D);
  const xs: Float64Array[] = [], ys: Float64Array[] = [];
  for (let k = 0; k < POOL; k++) {
    const b = correlatedGaussian(BATCH, D, rho, rng);
    xs.push(b.x.data);
    ys.push(b.y.data);
  }
  // divlab's initial separable critic, for the step-by-step agreement check
  const net0 = makeCritic('separable', D, D, { hidden: HIDDEN, embed: EMBED, seed: 0 });
  const w0 = new Float64Array(net0.parameters().reduce((s, p) => s + p.size, 0));
  let off = 0;
  for (const p of net0.parameters()) { w0.set(p.data, off); off += p.size; }
  const checkValues: number[] = [];
  runSteps(net0, new Adam(net0.parameters(), { lr: LR }), 'infonce', xs, ys, CHECK_STEPS, 0, undefined, checkValues);

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'divlab-bench-variational-'));
  const cat = (a: Float64Array[]): Float64Array => {
    const out = new Float64Array(a.length * a[0].length);
    a.forEach((v, i) => out.set(v, i * v.length));
    return out;
  };
  writeLittleEndian(path.join(dir, 'x.f64'), cat(xs));
  writeLittleEndian(path.join(dir, 'y.f64'), cat(ys));
  writeLittleEndian(path.join(dir, 'w.f64'), w0);
  const manifest = {
    d: D, batch: BATCH, hidden: HIDDEN, embed: EMBED, lr: LR, pool: POOL, check_steps: CHECK_STEPS,
    x: path.join(dir, 'x.f64'), y: path.join(dir, 'y.f64'), weights: path.join(dir, 'w.f64'),
    cases: CASES.map((c) => ({ id: c.id, bound: c.bound, critic: c.critic, steps: c.steps, warmup: c.warmup, repeats: c.repeats })),
  };
  fs.writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify(manifest));

  log('torch peer');
  const py = path.join(root, 'bench', '.venv', 'bin', 'python');
  const pr = spawnSync(py, [path.join(root, 'bench', 'peers', 'variational.py'), path.join(dir, 'manifest.json')], { encoding: 'utf8', maxBuffer: 1 << 26 });
  fs.rmSync(dir, { recursive: true, force: true });
  if (pr.status !== 0) throw new Error(`peer failed: ${pr.stderr || pr.error?.message}`);
  const peer = JSON.parse(pr.stdout) as {
    torch: string; default_threads: number; check: number[];
    results: Record<string, Record<'f32_t1' | 'f32_tall' | 'f64_t1', { steps_per_s: number; steps_per_cpu_s: number }>>;
  };
  const maxCheck = Math.max(...checkValues.map((v, i) => Math.abs(v - peer.check[i])));
  log(`agreement over ${CHECK_STEPS} steps: max |Δ InfoNCE| = ${maxCheck.toExponential(2)}`);
  if (!(maxCheck < 1e-9)) throw new Error(`divlab and torch float64 disagree: ${checkValues} vs ${peer.check}`);

  const rows: Record<string, unknown>[] = [];
  const lines: string[] = [];
  lines.push(`Training throughput, d = ${D}, batch ${BATCH}, Adam lr ${LR}; divlab float64 single-threaded, matrix products on its ${gemmBackend() === 'wasm' ? 'WebAssembly SIMD' : 'JavaScript'} kernel (Node ${process.version}); peer torch ${peer.torch} CPU.`);
  lines.push(`Agreement: torch float64 from divlab's initial weights reproduces divlab's InfoNCE over the first ${CHECK_STEPS} steps to ${maxCheck.toExponential(1)}.`);
  lines.push('');
  lines.push(`Steps/s by wall clock, and in brackets per CPU-second of the process (less disturbed when other jobs share the cores). Ratios = divlab time per step / torch time per step (≤ 1 is parity), by wall clock and [by CPU time].`);
  lines.push('');
  lines.push(`| case | divlab | torch f32, 1 thread | torch f32, ${peer.default_threads} threads | torch f64, 1 thread | ratio vs torch f32, 1 thread | ratio vs torch f64, 1 thread |`);
  lines.push('|---|---|---|---|---|---|---|');
  let firstDivlab = NaN;
  for (const c of CASES) {
    log(`divlab ${c.id}`);
    const dl = timeCase(c, xs, ys);
    if (c === CASES[0]) firstDivlab = dl.stepsPerS;
    const p = peer.results[c.id];
    const ratio = p.f32_t1.steps_per_s / dl.stepsPerS;
    const ratio64 = p.f64_t1.steps_per_s / dl.stepsPerS;
    const ratioCpu = p.f32_t1.steps_per_cpu_s / dl.stepsPerCpuS;
    const ratio64Cpu = p.f64_t1.steps_per_cpu_s / dl.stepsPerCpuS;
    rows.push({ id: c.id, label: c.label, divlab: dl, torch: p, ratio, ratio64, ratioCpu, ratio64Cpu });
    const w = (r: { steps_per_s: number; steps_per_cpu_s: number }): string => `${r.steps_per_s.toFixed(1)} [${r.steps_per_cpu_s.toFixed(1)}]`;
    lines.push(`| ${c.label} | ${dl.stepsPerS.toFixed(1)} [${dl.stepsPerCpuS.toFixed(1)}] | ${w(p.f32_t1)} | ${w(p.f32_tall)} | ${w(p.f64_t1)} | ${ratio.toFixed(2)} [${ratioCpu.toFixed(2)}] | ${ratio64.toFixed(2)} [${ratio64Cpu.toFixed(2)}] |`);
  }

  // the same first case on the plain JavaScript kernel (no WebAssembly), for comparison
  let jsOnly: number | null = null;
  let jsOnlyCpu: number | null = null;
  if (gemmBackend() === 'wasm') {
    log('divlab infonce-separable, JavaScript kernel');
    setGemmBackend('js');
    const j = timeCase(CASES[0], xs, ys);
    jsOnly = j.stepsPerS;
    jsOnlyCpu = j.stepsPerCpuS;
    setGemmBackend('auto');
    lines.push('');
    lines.push(`divlab's matrix products ran on its WebAssembly SIMD kernel; on the plain JavaScript kernel (\`setGemmBackend('js')\`) the first case runs ${jsOnly.toFixed(1)} [${jsOnlyCpu.toFixed(1)}] steps/s `
      + `(ratio ${(peer.results[CASES[0].id].f32_t1.steps_per_s / jsOnly).toFixed(2)} [${(peer.results[CASES[0].id].f32_t1.steps_per_cpu_s / jsOnlyCpu).toFixed(2)}]).`);
  }

  // the same first case in TensorFlow.js (wasm backend, float32): the in-house-or-tfjs measurement
  log('tfjs infonce-separable (wasm backend)');
  const tfjs = await tfjsSeparableInfoNce({
    d: D, batch: BATCH, hidden: HIDDEN, embed: EMBED, lr: LR, xs, ys,
    warmup: quick ? 3 : 10, steps: quick ? 10 : 60, repeats: quick ? 1 : 2,
  });
  const f32 = peer.results[CASES[0].id].f32_t1;
  lines.push('');
  lines.push(`TensorFlow.js ${tfjs.version} on its ${tfjs.backend} backend (float32, SIMD, no threads in Node), same model and data, Adam: `
    + `${tfjs.stepsPerS.toFixed(1)} [${tfjs.stepsPerCpuS.toFixed(1)}] steps/s (ratio vs torch f32 ${(f32.steps_per_s / tfjs.stepsPerS).toFixed(2)} [${(f32.steps_per_cpu_s / tfjs.stepsPerCpuS).toFixed(2)}]; `
    + `divlab/tfjs time per step ${(tfjs.stepsPerS / firstDivlab).toFixed(2)}).`);

  // where a separable InfoNCE step's time goes
  const net = makeCritic('separable', D, D, { hidden: HIDDEN, embed: EMBED, seed: 0 });
  const opt = new Adam(net.parameters(), { lr: LR });
  runSteps(net, opt, 'infonce', xs, ys, 20, 0);
  const ph: Phases = { forward: 0, bound: 0, backward: 0, adam: 0 };
  const nProf = quick ? 20 : 100;
  runSteps(net, opt, 'infonce', xs, ys, nProf, 20, ph);
  const total = ph.forward + ph.bound + ph.backward + ph.adam;
  const fl = separableFlops();
  const gf = (flops: number, ms: number): string => (flops / (ms / nProf) / 1e6).toFixed(2);
  lines.push('');
  lines.push(`Profile of one separable InfoNCE step (mean of ${nProf}): ${(total / nProf).toFixed(1)} ms = forward ${(100 * ph.forward / total).toFixed(0)} % `
    + `(${gf(fl.forward, ph.forward)} GFLOP/s), bound ${(100 * ph.bound / total).toFixed(1)} %, backward ${(100 * ph.backward / total).toFixed(0)} % `
    + `(${gf(fl.backward, ph.backward)} GFLOP/s), Adam ${(100 * ph.adam / total).toFixed(0)} % (${net.parameters().reduce((s, p) => s + p.size, 0)} parameters). `
    + `One step is ${((fl.forward + fl.backward) / 1e6).toFixed(0)} MFLOP.`);
  lines.push('');
  lines.push(`Total ${((performance.now() - began) / 1000).toFixed(0)} s (\`node build/bench/suite-variational.js\`).`);
  const md = lines.join('\n') + '\n';
  process.stdout.write(md);
  writeResults('variational', md, {
    node: process.version, torch: peer.torch, gemm: gemmBackend(), jsKernelStepsPerS: jsOnly, jsKernelStepsPerCpuS: jsOnlyCpu, tfjs, config: { d: D, batch: BATCH, hidden: HIDDEN, embed: EMBED, lr: LR },
    check: { divlab: checkValues, torch: peer.check, maxAbsDiff: maxCheck }, rows,
    profile: { msPerStep: total / nProf, ...ph, flops: fl },
  });
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
