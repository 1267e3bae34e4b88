/**
 * The same separable InfoNCE training step as suite-variational's first case, written with
 * TensorFlow.js 4.22 on its WebAssembly backend (SIMD, float32; no threads in Node): the measurement
 * behind keeping divlab's autodiff in-house (docs/variational.md). tfjs is a devDependency only
 * and is loaded nowhere else.
 *
 * Model: f, g = 20→256→256→32 ReLU MLPs (Glorot-uniform weights, zero biases, as tfjs layers do),
 * S = f(x) g(y)ᵀ, loss = −InfoNCE = −(mean_i [S_ii − logsumexp_j S_ij] + log B), Adam.
 *
 * tfjs-core's CommonJS bundle (what Node loads) registers no gradients; they live in its ES-module
 * sources (dist/register_all_gradients.js, extensionless imports Node cannot load). The first run
 * bundles that file with webpack (already installed for the JupyterLab build) into
 * build/bench/tfjs-gradients.cjs; requiring it fills tfjs's global gradient registry.
 */
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { repoRoot } from './common.js';

type Tf = typeof import('@tensorflow/tfjs-core');
type Tensor2D = import('@tensorflow/tfjs-core').Tensor2D;
type Scalar = import('@tensorflow/tfjs-core').Scalar;
type Variable = import('@tensorflow/tfjs-core').Variable;

export interface TfjsConfig {
  d: number; batch: number; hidden: number[]; embed: number; lr: number;
  xs: Float64Array[]; ys: Float64Array[];
  warmup: number; steps: number; repeats: number;
}

export interface TfjsResult { version: string; backend: string; stepsPerS: number; stepsPerCpuS: number; finalLoss: number }

async function registerGradients(require: NodeRequire): Promise<void> {
  const out = path.join(repoRoot, 'build', 'bench', 'tfjs-gradients.cjs');
  if (!fs.existsSync(out)) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const webpack = require('webpack') as (config: object, cb: (err: Error | null, stats?: { hasErrors(): boolean; toString(o: string): string }) => void) => void;
    await new Promise<void>((resolve, reject) => webpack({
      mode: 'production', target: 'node',
      entry: require.resolve('@tensorflow/tfjs-core/dist/register_all_gradients.js'),
      output: { path: path.dirname(out), filename: path.basename(out), library: { type: 'commonjs2' } },
      optimization: { minimize: false },
      resolve: { fullySpecified: false },
    }, (err, stats) => {
      if (err) reject(err);
      else if (!stats || stats.hasErrors()) reject(new Error(`webpack: ${stats?.toString('errors-only') ?? 'no stats'}`));
      else resolve();
    }));
  }
  require(out);
}

export async function tfjsSeparableInfoNce(cfg: TfjsConfig): Promise<TfjsResult> {
  const require = createRequire(import.meta.url);
  const tf = require('@tensorflow/tfjs-core') as Tf;
  await registerGradients(require);
  const wasm = require('@tensorflow/tfjs-backend-wasm') as typeof import('@tensorflow/tfjs-backend-wasm');
  wasm.setWasmPaths(path.join(repoRoot, 'node_modules', '@tensorflow', 'tfjs-backend-wasm', 'dist') + path.sep);
  if (!(await tf.setBackend('wasm'))) throw new Error('tfjs: the wasm backend did not initialise');
  await tf.ready();

  const sizes = [cfg.d, ...cfg.hidden, cfg.embed];
  const layers = (seed: number): { w: Variable[]; b: Variable[] } => {
    const w: Variable[] = [], b: Variable[] = [];
    for (let l = 0; l + 1 < sizes.length; l++) {
      const lim = Math.sqrt(6 / (sizes[l] + sizes[l + 1]));
      w.push(tf.variable(tf.randomUniform([sizes[l], sizes[l + 1]], -lim, lim, 'float32', seed + l)));
      b.push(tf.variable(tf.zeros([sizes[l + 1]])));
    }
    return { w, b };
  };
  const f = layers(1), g = layers(101);
  const mlp = (net: typeof f, x: Tensor2D): Tensor2D => {
    let h = x;
    net.w.forEach((w, l) => {
      const z = tf.add(tf.matMul(h, w), net.b[l]) as Tensor2D;
      h = l + 1 < net.w.length ? tf.relu(z) : z;
    });
    return h;
  };
  const xs = cfg.xs.map((a) => tf.tensor2d(Float32Array.from(a), [cfg.batch, cfg.d]));
  const ys = cfg.ys.map((a) => tf.tensor2d(Float32Array.from(a), [cfg.batch, cfg.d]));
  const eye = tf.eye(cfg.batch);
  const opt = tf.train.adam(cfg.lr);
  const logB = Math.log(cfg.batch);
  let last = NaN;
  const step = (k: number): void => {
    const x = xs[k % xs.length], y = ys[k % ys.length];
    const cost = opt.minimize(() => {
      const S = tf.matMul(mlp(f, x), mlp(g, y), false, true);
      const diag = tf.sum(tf.mul(S, eye), 1);
      const nce = tf.add(tf.mean(tf.sub(diag, tf.logSumExp(S, 1))), logB);
      return tf.neg(nce) as Scalar;
    }, true);
    if (cost) {
      last = cost.dataSync()[0];
      cost.dispose();
    }
  };
  for (let k = 0; k < cfg.warmup; k++) step(k);
  const times: number[] = [];
  const cpu: number[] = [];
  for (let r = 0; r < cfg.repeats; r++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    for (let k = 0; k < cfg.steps; k++) step(cfg.warmup + r * cfg.steps + k);
    times.push((performance.now() - t0) / 1000);
    const cu = process.cpuUsage(c0);
    cpu.push((cu.user + cu.system) / 1e6);
  }
  const result = { version: tf.version_core, backend: tf.getBackend(), stepsPerS: cfg.steps / Math.min(...times), stepsPerCpuS: cfg.steps / Math.min(...cpu), finalLoss: last };
  tf.disposeVariables();
  for (const t of [...xs, ...ys, eye]) t.dispose();
  return result;
}
