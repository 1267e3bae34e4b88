/**
 * The JupyterLab extension, end to end on this machine:
 *   - `npm run build:labextension` produced a prebuilt labextension (dist-ext/labextension) whose
 *     entry point exists and which declares a MIME extension and a style;
 *   - scripts/setup.sh installed it into .venv (`pip install .`), and `jupyter labextension list`
 *     there lists divlab as enabled and OK, installed by the Python package;
 *   - `display.show()` in a real tslab kernel produces one display_data output carrying the divlab
 *     MIME type (a valid v1 payload), a text/plain summary and the static SVG fallback.
 *
 * Needs scripts/setup.sh to have run (npm test runs it first). DIVLAB_SKIP_LABEXTENSION_TEST=1 skips.
 */
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MIME_TYPE } from '../../kernel-lib/display/payload.js';
import { validatePayload } from '../../kernel-lib/display/validate.js';
import { summarize } from '../../kernel-lib/display/format.js';
import { repoRoot } from '../helpers/reference.js';

const root = repoRoot();
const skip = process.env.DIVLAB_SKIP_LABEXTENSION_TEST === '1' ? 'DIVLAB_SKIP_LABEXTENSION_TEST=1' : false;
const venv = join(root, '.venv');
const built = join(root, 'dist-ext', 'labextension');
const installed = join(venv, 'share', 'jupyter', 'labextensions', 'divlab');
const readJson = (f: string) => JSON.parse(readFileSync(f, 'utf8'));
/** Runs a command; resolves with its exit status and output (async, so the slow checks overlap). */
function run(cmd: string, args: string[], cwd: string): Promise<{ status: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(cmd, args, { cwd, env, encoding: 'utf8', maxBuffer: 16 << 20 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
      resolve({ status: code, stdout, stderr: stderr + (err && typeof err.code !== 'number' ? String(err) : '') });
    });
  });
}
const env = { ...process.env, JUPYTER_PATH: join(venv, 'share', 'jupyter'), PATH: `${join(venv, 'bin')}:${process.env.PATH ?? ''}` };

before(() => {
  if (skip) return;
  assert.ok(existsSync(join(venv, 'bin', 'jupyter')), '.venv/bin/jupyter is missing: run bash scripts/setup.sh');
  assert.ok(existsSync(join(built, 'package.json')), 'dist-ext/labextension is missing: run npm run build:labextension (scripts/setup.sh does)');
});

describe('the divlab JupyterLab extension', { concurrency: true }, () => {
  test('the prebuilt labextension declares a MIME extension and a style, and its entry point exists', { skip }, () => {
    const pkg = readJson(join(built, 'package.json'));
    const b = pkg.jupyterlab?._build;
    assert.ok(b, 'jupyterlab._build missing: the builder did not finish');
    assert.equal(pkg.name, 'divlab');
    assert.equal(pkg.version, readJson(join(root, 'package.json')).version);
    assert.equal(b.mimeExtension, './mimeExtension');
    assert.equal(b.style, './style');
    assert.match(b.load, /^static\/remoteEntry\.[0-9a-f]+\.js$/);
    assert.ok(existsSync(join(built, b.load)), `${b.load} missing`);
    // the renderer's CSS class reached the bundle
    const chunks = readdirSync(join(built, 'static')).filter((f) => f.endsWith('.js'));
    assert.ok(chunks.some((f) => readFileSync(join(built, 'static', f), 'utf8').includes('jp-DivlabOutput-table')), 'no chunk carries the renderer');
  });

  test('.venv holds the same build (pip install .) with install.json, and jupyter labextension list shows divlab enabled', { skip }, async () => {
    assert.ok(existsSync(join(installed, 'package.json')), `${installed} missing: scripts/setup.sh installs it (pip install .)`);
    assert.deepEqual(readJson(join(installed, 'package.json')).jupyterlab._build, readJson(join(built, 'package.json')).jupyterlab._build,
      'the .venv copy differs from dist-ext/labextension: re-run bash scripts/setup.sh');
    const install = readJson(join(installed, 'install.json'));
    assert.deepEqual([install.packageManager, install.packageName], ['python', 'divlab']);

    const r = await run(join(venv, 'bin', 'jupyter'), ['labextension', 'list'], root);
    assert.equal(r.status, 0, r.stderr);
    const text = (r.stdout + r.stderr).replace(/\x1b\[[0-9;]*m/g, '');
    const version = readJson(join(root, 'package.json')).version;
    assert.match(text, new RegExp(`^\\s*divlab v${version.replace(/\./g, '\\.')} enabled OK \\(python, divlab\\)\\s*$`, 'm'), text);
    // .venv/package.json ({"type": "commonjs"}) keeps jupyter_builder's yarn.js out of this ESM package's scope
    assert.doesNotMatch(text, /Fail to get yarn configuration/);
  });

  test('display.show() in a tslab kernel sends one output with the divlab MIME type and a text/plain summary', { skip }, async () => {
    // Inside the checkout, so that the kernel resolves 'divlab' (node_modules/divlab -> ..).
    mkdirSync(join(root, 'test-artifacts'), { recursive: true });
    const dir = mkdtempSync(join(root, 'test-artifacts', 'show-'));
    try {
      const cell = (source: string) => ({ cell_type: 'code', execution_count: null, metadata: {}, outputs: [], source });
      const nb = {
        nbformat: 4, nbformat_minor: 5,
        metadata: { kernelspec: { name: 'tslab', display_name: 'TypeScript', language: 'typescript' } },
        cells: [
          cell("import { display, knn, gaussian } from 'divlab';\n" +
            'const P = gaussian.isotropic([0, 0]), Q = gaussian.isotropic([1, 0]);\n' +
            'const e = knn.kl(gaussian.sample(P, 300, 1), gaussian.sample(Q, 300, 2), { k: 5 });\n' +
            'display.show(e, { truth: gaussian.kl(P, Q) })'),
        ],
      };
      for (const c of nb.cells) Object.assign(c, { id: Math.random().toString(16).slice(2, 10) });
      const input = join(dir, 'show.ipynb');
      writeFileSync(input, JSON.stringify(nb));
      const r = await run(join(venv, 'bin', 'jupyter'), ['execute', '--inplace', '--timeout=120', input], dir);
      assert.equal(r.status, 0, `jupyter execute failed:\n${r.stdout}\n${r.stderr}`);
      const outputs = readJson(input).cells[0].outputs as { output_type: string; data?: Record<string, unknown>; name?: string; text?: string }[];
      assert.equal(outputs.length, 1, `one output expected (no duplicate, no printed return value): ${JSON.stringify(outputs)}`);
      const [out] = outputs;
      assert.equal(out!.output_type, 'display_data');
      assert.deepEqual(Object.keys(out!.data!).sort(), [MIME_TYPE, 'image/svg+xml', 'text/plain']);
      const v = validatePayload(out!.data![MIME_TYPE]);
      assert.ok(v.ok, v.ok ? '' : v.error);
      if (!v.ok || v.payload.kind !== 'estimate') return assert.fail('expected an estimate payload');
      assert.equal(v.payload.truth, 0.5);
      assert.equal(v.payload.estimate.n, 300);
      const plain = out!.data!['text/plain'];
      // (nbformat saves JSON with sorted keys, so params come back reordered: compare without them)
      const text = Array.isArray(plain) ? plain.join('') : String(plain);
      const noParams = (s: string) => s.replace(/; [^;]*=[^;]*; cpu\)$/, '; cpu)');
      assert.equal(noParams(text), noParams(summarize(v.payload)));
      assert.match(text, /^wang-kulkarni-verdu: [\d.]+ ± [\d.]+ nat \(truth 0\.5; n=300, m=300, d=2; .*k=5.*; cpu\)$/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
