/**
 * The wheel route of issue 6's packaging: `python -m build --wheel` makes a wheel that carries the
 * prebuilt labextension (share/jupyter/labextensions/divlab with install.json), and `pip install`
 * of that wheel puts it where JupyterLab finds it with no rebuild: `jupyter labextension list`
 * run against the install prefix alone shows divlab enabled and OK.
 *
 * The build runs without isolation (scripts/setup.sh puts `build` and `hatchling` in .venv; an
 * isolated build would need an index for hatchling) and with DIVLAB_SKIP_LABEXTENSION_BUILD=1, so
 * it packages the dist-ext/labextension that setup built and the other tests check. The wheel is
 * installed with --no-deps --ignore-installed into a temporary --prefix, .venv's own copy untouched.
 * DIVLAB_SKIP_LABEXTENSION_TEST=1 skips (as for labextension.test.ts).
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { repoRoot } from '../helpers/reference.js';

const root = repoRoot();
const skip = process.env.DIVLAB_SKIP_LABEXTENSION_TEST === '1' ? 'DIVLAB_SKIP_LABEXTENSION_TEST=1' : false;
const venv = join(root, '.venv');
const python = join(venv, 'bin', 'python');
const built = join(root, 'dist-ext', 'labextension');
const work = mkdtempSync(join(tmpdir(), 'divlab-wheel-'));
after(() => rmSync(work, { recursive: true, force: true }));

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ status: number; out: string }> {
  return new Promise((resolve) => {
    execFile(cmd, args, { cwd: root, env: { ...process.env, ...env }, encoding: 'utf8', maxBuffer: 16 << 20 }, (err, stdout, stderr) => {
      resolve({ status: err ? (typeof err.code === 'number' ? err.code : 1) : 0, out: stdout + stderr + (err && typeof err.code !== 'number' ? String(err) : '') });
    });
  });
}

/** Every file below dir, as paths relative to it. */
function files(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath ?? e.path, e.name)))
    .sort();
}

test('python -m build makes a wheel with the prebuilt labextension; pip install of it makes JupyterLab list divlab enabled', { skip, timeout: 300_000 }, async () => {
  const version = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version as string;
  const b = await run(python, ['-m', 'build', '--wheel', '--no-isolation', '--outdir', join(work, 'dist'), root], { DIVLAB_SKIP_LABEXTENSION_BUILD: '1' });
  assert.equal(b.status, 0, b.out);
  const wheels = readdirSync(join(work, 'dist')).filter((f) => f.endsWith('.whl'));
  assert.deepEqual(wheels, [`divlab-${version}-py3-none-any.whl`], b.out);

  const prefix = join(work, 'prefix');
  const p = await run(python, ['-m', 'pip', 'install', '-q', '--no-deps', '--no-index', '--ignore-installed', '--prefix', prefix, join(work, 'dist', wheels[0])]);
  assert.equal(p.status, 0, p.out);
  const share = join(prefix, 'share', 'jupyter');
  const ext = join(share, 'labextensions', 'divlab');
  // the installed labextension is the prebuilt one, file for file, plus install.json
  assert.deepEqual(files(ext), [...files(built), 'install.json'].sort());
  for (const f of files(built)) assert.ok(readFileSync(join(ext, f)).equals(readFileSync(join(built, f))), `${f} differs from dist-ext/labextension`);
  const install = JSON.parse(readFileSync(join(ext, 'install.json'), 'utf8'));
  assert.deepEqual([install.packageManager, install.packageName], ['python', 'divlab']);

  // JupyterLab, pointed at the prefix's data directory, finds it prebuilt and enabled
  assert.ok(existsSync(join(venv, 'bin', 'jupyter')), '.venv/bin/jupyter is missing: run bash scripts/setup.sh');
  const l = await run(join(venv, 'bin', 'jupyter'), ['labextension', 'list'], { JUPYTER_PATH: share, PATH: `${join(venv, 'bin')}:${process.env.PATH ?? ''}` });
  assert.equal(l.status, 0, l.out);
  const text = l.out.replace(/\x1b\[[0-9;]*m/g, '');
  const block = text.split(/\n\s*\n/).find((s) => s.includes(join(share, 'labextensions')));
  assert.ok(block, `jupyter labextension list shows no ${join(share, 'labextensions')}:\n${text}`);
  assert.match(block, new RegExp(`^\\s*divlab v${version.replace(/\./g, '\\.')} enabled OK \\(python, divlab\\)\\s*$`, 'm'), text);
});
