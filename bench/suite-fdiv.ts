/**
 * Benchmark of the logit divergences (kernel-lib/fdiv): the batched divergence and its gradients
 * with respect to both logit arrays, over 4096 × 32000 logits (a language-model vocabulary),
 * against PyTorch (CPU, autograd) running the same formula — bench/peers/fdiv.py.
 *
 * Data: two float32 arrays (4096 × 32000, 524 MB each) drawn by divlab's seeded generator
 * (N(0, 3²) logits), written as raw little-endian float32 and read by the peer with numpy.fromfile.
 * float32 because that is what the torch peer (and a language model) uses: a float64 copy would need
 * 1 GB per array. divlab reads the float32 logits in place, computes each row in float64 and writes
 * float32 gradients (2 × 524 MB). The peer runs autograd over chunks of 512 rows (a whole-batch pass
 * peaked at 9.2 GB resident). divlab and the peer run one after the other (the peer first); both peak
 * resident sizes are reported under the table.
 *
 * Timing rule (both sides, as bench/run.ts): best of `repeats` wall-clock runs, stopping once a run
 * took > 5 s. divlab is single-threaded, so the ratio is taken against torch with
 * torch.set_num_threads(1); torch at its default thread count (the machine's cores) is shown beside.
 * Agreement: the values to 1e-5 relative, the gradients of the first rows elementwise.
 *
 * Output: a markdown table on stdout, bench/results/fdiv.md and bench/results/fdiv.json.
 * Environment: FDIV_BENCH_ROWS / FDIV_BENCH_COLS shrink the problem (smoke runs).
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { repoRoot, writeLittleEndian, writeResults } from './common.js';
import * as fdiv from '../kernel-lib/fdiv/index.js';
import { Rng } from '../kernel-lib/core/rng.js';

const ROWS = Number(process.env.FDIV_BENCH_ROWS ?? 4096);
const COLS = Number(process.env.FDIV_BENCH_COLS ?? 32000);
const CHECK_ROWS = 4;
const SLOW_S = 5;
const root = repoRoot;

interface CaseSpec { id: string; label: string; divergence: 'kl' | 'reverse-kl' | 'js'; temperature: number; repeats: number }
const CASES: CaseSpec[] = [
  { id: 'kl-T2', label: 'forward KL(p‖q), T = 2', divergence: 'kl', temperature: 2, repeats: 3 },
  { id: 'rkl-T1', label: 'reverse KL(q‖p), T = 1', divergence: 'reverse-kl', temperature: 1, repeats: 3 },
  { id: 'js-T1', label: 'Jensen–Shannon, T = 1', divergence: 'js', temperature: 1, repeats: 3 },
];

function fn(c: CaseSpec) {
  return c.divergence === 'kl' ? fdiv.kl : c.divergence === 'reverse-kl' ? fdiv.reverseKl : fdiv.js;
}

function logits(seed: number): Float32Array {
  const rng = new Rng(seed);
  const out = new Float32Array(ROWS * COLS);
  for (let i = 0; i < out.length; i++) out[i] = 3 * rng.normal();
  return out;
}

function fmtS(t: number): string {
  return t >= 1 ? `${t.toFixed(2)} s` : `${(t * 1e3).toFixed(0)} ms`;
}

function main(): void {
  const t00 = performance.now();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'divlab-fdiv-bench-'));
  try {
    const a = logits(9001), b = logits(9002);
    const shape = { data: a, shape: [ROWS, COLS] as [number, number] };
    const shapeB = { data: b, shape: [ROWS, COLS] as [number, number] };
    writeLittleEndian(path.join(dir, 'a.f32'), a);
    writeLittleEndian(path.join(dir, 'b.f32'), b);
    const manifest = {
      shape: [ROWS, COLS], a: path.join(dir, 'a.f32'), b: path.join(dir, 'b.f32'), check_rows: CHECK_ROWS,
      cases: CASES.map((c) => ({ ...c, grad_out: path.join(dir, `${c.id}.grad.f32`) })),
    };
    fs.writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify(manifest));
    // 1. The peer first (so that its memory and divlab's are never held at once).
    const py = path.join(root, 'bench', '.venv', 'bin', 'python');
    const pr = spawnSync(py, [path.join(root, 'bench', 'peers', 'fdiv.py'), path.join(dir, 'manifest.json')], { encoding: 'utf8', maxBuffer: 1 << 26 });
    if (pr.status !== 0) throw new Error(`peer failed (${pr.status}): ${pr.stderr}`);
    const peer = JSON.parse(pr.stdout);
    // 2. divlab: warm-up on a slice, then best of `repeats`.
    const rows: Record<string, unknown>[] = [];
    for (const c of CASES) {
      const f = fn(c);
      f({ data: a.subarray(0, 8 * COLS), shape: [8, COLS] }, { data: b.subarray(0, 8 * COLS), shape: [8, COLS] }, { temperature: c.temperature });
      let best = Infinity, bestCpu = 0, value = NaN;
      const times: number[] = [];
      let grads: { gp: Float32Array; gq: Float32Array } | null = null;
      for (let r = 0; r < c.repeats; r++) {
        const c0 = process.cpuUsage();
        const t0 = performance.now();
        const res = f(shape, shapeB, { temperature: c.temperature });
        const t = (performance.now() - t0) / 1e3;
        const cu = process.cpuUsage(c0);
        times.push(t);
        if (t < best) { best = t; bestCpu = (cu.user + cu.system) / 1e6; }
        value = res.value;
        if (!grads) grads = { gp: (res.gradP as Float32Array).slice(0, CHECK_ROWS * COLS), gq: (res.gradQ as Float32Array).slice(0, CHECK_ROWS * COLS) };
        if (t > SLOW_S) break;
      }
      const pres = peer.results[c.id];
      const pg = new Float32Array(fs.readFileSync(manifest.cases.find((x) => x.id === c.id)!.grad_out).buffer.slice(0));
      let gmax = 0, gdiff = 0;
      const k = CHECK_ROWS * COLS;
      for (let i = 0; i < k; i++) {
        gmax = Math.max(gmax, Math.abs(pg[i]), Math.abs(pg[k + i]));
        gdiff = Math.max(gdiff, Math.abs(pg[i] - grads!.gp[i]), Math.abs(pg[k + i] - grads!.gq[i]));
      }
      rows.push({
        id: c.id, label: c.label, divlab: { time: best, times, cpu: bestCpu, value },
        torch1: pres.t1, torchAll: pres.tall,
        ratio1: best / pres.t1.time, ratioAll: best / pres.tall.time,
        valueRelDiff: Math.abs(value - pres.t1.value) / Math.abs(pres.t1.value),
        gradMaxAbsDiff: gdiff, gradMaxAbs: gmax,
      });
    }
    const head = `Logit divergences + gradients w.r.t. both logit arrays, ${ROWS} × ${COLS} float32 logits (divlab computes rows in float64), mean over rows.\n` +
      `divlab single-threaded (Node ${process.version}); peer: torch ${peer.torch} CPU autograd over 512-row chunks, same formula, float32, at 1 thread and at ${peer.default_threads} threads.\n\n`;
    const lines = [
      '| case | divlab | torch (1 thread) | torch (' + peer.default_threads + ' threads) | ratio divlab/torch, 1 thread | ratio, ' + peer.default_threads + ' threads | CPU time divlab / torch (1 thread) | ratio, CPU time | value (divlab / torch) | max abs Δ grad (max abs grad) |',
      '|---|---|---|---|---|---|---|---|---|---|',
    ];
    for (const r of rows as any[]) {
      lines.push(`| ${r.label} | ${fmtS(r.divlab.time)} | ${fmtS(r.torch1.time)} | ${fmtS(r.torchAll.time)} | ${r.ratio1.toFixed(2)} | ${r.ratioAll.toFixed(2)} | ${fmtS(r.divlab.cpu)} / ${fmtS(r.torch1.cpu)} | ${(r.divlab.cpu / r.torch1.cpu).toFixed(2)} | ${r.divlab.value.toPrecision(7)} / ${r.torch1.value.toPrecision(7)} | ${r.gradMaxAbsDiff.toExponential(1)} (${r.gradMaxAbs.toExponential(1)}) |`);
    }
    const load = os.loadavg()[0];
    const rss = `Peak resident memory: divlab (Node) ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB, torch peer ${Number(peer.max_rss_mb).toFixed(0)} MB.\n`;
    const md = head + lines.join('\n') + '\n\n' + rss + `Load average at the end: ${load.toFixed(1)} on ${os.cpus().length} cores (wall times include any contention; CPU times do not).\nTotal ${((performance.now() - t00) / 1e3).toFixed(0)} s (\`node build/bench/suite-fdiv.js\`).\n`;
    process.stdout.write(md);
    writeResults('fdiv', md, { shape: [ROWS, COLS], node: process.version, torch: peer.torch, rows });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main();
