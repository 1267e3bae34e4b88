/**
 * "After `npm i divlab`": packs the built library (`npm pack`), installs the tarball into a fresh
 * temp project (offline, from the npm cache: gpu.js comes from there) and checks what a user gets:
 * require('divlab') and require('divlab/knn') (CommonJS, what tslab cells do), import('divlab')
 * (ESM), and that tslab's TypeScript 5.0 type-checks `import … from 'divlab'` / 'divlab/knn' with
 * `moduleResolution: node` (node10, tslab's setting) and with node16.
 *
 * Needs the library built (`npm run build`, done by scripts/setup.sh). DIVLAB_SKIP_PACKAGE_TEST=1
 * skips it.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../helpers/reference.js';

const root = repoRoot();
const skip = process.env.DIVLAB_SKIP_PACKAGE_TEST === '1' ? 'DIVLAB_SKIP_PACKAGE_TEST=1' : false;
const tsc50 = join(root, 'node_modules', '@tslab', 'typescript-for-tslab', 'bin', 'tsc');
let work = '';
let app = '';

function sh(cmd: string, args: string[], cwd: string): SpawnSyncReturns<string> {
  // Under `npm test`, npm exports its settings as npm_* variables, npm_config_local_prefix=<repo>
  // among them: a nested `npm install` would then install into the repository. Keep only where
  // the cache, the registry and the config files are.
  const keep = /^npm_config_(cache|registry|userconfig|globalconfig|cafile)$/i;
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^npm_/i.test(k) || keep.test(k)) env[k] = v;
  return spawnSync(cmd, args, { cwd, env, encoding: 'utf8', maxBuffer: 64 << 20 });
}

function ok(r: SpawnSyncReturns<string>, what: string): string {
  assert.equal(r.status, 0, `${what} failed (exit ${r.status ?? r.signal}):\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

before(() => {
  if (skip) return;
  for (const f of ['dist/cjs/index.js', 'dist/cjs/package.json', 'dist/esm/index.js', 'dist/types/index.d.ts']) {
    assert.ok(existsSync(join(root, f)), `${f} is missing: build the library first (npm run build)`);
  }
  work = mkdtempSync(join(tmpdir(), 'divlab-pack-'));
  const packed = JSON.parse(ok(sh('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', work], root), 'npm pack'));
  const tgz = join(work, packed[0].filename);
  const files: string[] = packed[0].files.map((f: { path: string }) => f.path);
  for (const f of ['package.json', 'dist/cjs/index.js', 'dist/cjs/package.json', 'dist/cjs/knn/index.js',
    'dist/esm/index.js', 'dist/esm/knn/index.js', 'dist/types/index.d.ts', 'dist/types/knn/index.d.ts']) {
    assert.ok(files.includes(f), `the tarball lacks ${f}`);
  }
  for (const f of files) {
    assert.ok(!/^(test|bench|build|notebooks|node_modules|scripts)\//.test(f), `the tarball ships ${f}`);
    // kernel-lib/ ships only as the TypeScript sources the declaration and source maps point to.
    if (f.startsWith('kernel-lib/')) assert.ok(f.endsWith('.ts'), `the tarball ships ${f}`);
  }
  assert.ok(files.includes('kernel-lib/knn/kl.ts'), 'the sources the .d.ts.map files point to ship with the package');
  app = join(work, 'app');
  mkdirSync(app);
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'divlab-consumer', version: '0.0.0', private: true }));
  ok(sh('npm', ['install', '--offline', '--no-audit', '--no-fund', '--loglevel=error', tgz], app), `npm install --offline ${tgz}`);
});

after(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

test('require("divlab") and require("divlab/knn") load the CommonJS build', { skip }, () => {
  const src = `
    const assert = require('node:assert/strict');
    const divlab = require('divlab');
    const knn = require('divlab/knn');
    assert.equal(typeof divlab.knn.kl, 'function');
    assert.equal(knn.kl, divlab.knn.kl, 'divlab/knn is the same module as divlab.knn');
    assert.match(require.resolve('divlab'), /node_modules[\\\\/]divlab[\\\\/]dist[\\\\/]cjs[\\\\/]index\\.js$/);
    const { gaussian } = divlab;
    const e = divlab.knn.kl(gaussian.sample(gaussian.isotropic([0, 0]), 300, 1), gaussian.sample(gaussian.isotropic([1, 0]), 300, 2), { k: 5 });
    assert.ok(Number.isFinite(e.value), 'kl value ' + e.value);
    for (const sub of ['core', 'backend', 'neighbors']) assert.equal(typeof require('divlab/' + sub), 'object');
    console.log('cjs ok', e.value);
  `;
  writeFileSync(join(app, 'check.cjs'), src);
  ok(sh(process.execPath, ['check.cjs'], app), 'node check.cjs');
});

test('import("divlab") and import from "divlab/knn" load the ES module build', { skip }, () => {
  const src = `
    import assert from 'node:assert/strict';
    import { knn, gaussian } from 'divlab';
    import * as knn2 from 'divlab/knn';
    const dyn = await import('divlab');
    assert.equal(dyn.knn, knn);
    assert.equal(knn2.kl, knn.kl);
    assert.match(import.meta.resolve('divlab'), /node_modules\\/divlab\\/dist\\/esm\\/index\\.js$/);
    const e = knn.kl(gaussian.sample(gaussian.isotropic([0, 0]), 300, 1), gaussian.sample(gaussian.isotropic([1, 0]), 300, 2), { k: 5 });
    assert.ok(Number.isFinite(e.value), 'kl value ' + e.value);
    console.log('esm ok', e.value);
  `;
  writeFileSync(join(app, 'check.mjs'), src);
  ok(sh(process.execPath, ['check.mjs'], app), 'node check.mjs');
});

const consumerTs = `
import { knn, gaussian, type Estimate } from 'divlab';
import * as knn2 from 'divlab/knn';
import { kl } from 'divlab/knn';
const x = gaussian.sample(gaussian.isotropic([0, 0]), 100, 1);
const e: Estimate = knn.kl(x, gaussian.sample(gaussian.isotropic([1, 0]), 100, 2), { k: 5 });
const v: number = e.value;
const same: typeof knn.kl = knn2.kl;
// @ts-expect-error -- the typings are real: a function is not a string
const wrong: string = kl;
export { v, same, wrong };
`;

function typecheck(options: Record<string, unknown>, label: string, file = 'consumer.ts'): void {
  writeFileSync(join(app, file), consumerTs);
  const config = { compilerOptions: { noEmit: true, strict: true, target: 'es2022', types: [], ...options }, files: [file] };
  writeFileSync(join(app, 'tsconfig.json'), JSON.stringify(config, null, 2));
  const r = sh(process.execPath, [tsc50, '-p', 'tsconfig.json'], app);
  assert.equal(r.status, 0, `TypeScript 5.0 (${label}) rejects a file importing 'divlab' and 'divlab/knn':\n${r.stdout}${r.stderr}`);
}

test('TypeScript 5.0 (tslab\'s) type-checks imports of divlab with moduleResolution node (node10), as tslab does', { skip }, () => {
  assert.ok(existsSync(tsc50), `${tsc50} missing (tslab's TypeScript)`);
  typecheck({ module: 'commonjs', moduleResolution: 'node', lib: ['es2022'], esModuleInterop: true, skipLibCheck: true }, 'node10, skipLibCheck like tslab');
});

test('TypeScript 5.0 reads every shipped .d.ts without errors (node10, no skipLibCheck)', { skip }, () => {
  typecheck({ module: 'commonjs', moduleResolution: 'node', lib: ['es2022', 'dom'], skipLibCheck: false }, 'node10, full lib check');
});

test('TypeScript 5.0 type-checks imports of divlab with moduleResolution node16 from CommonJS and ESM files', { skip }, () => {
  // A .ts file in a package without "type": "module" is CommonJS: it must get the "require"
  // condition's typings (dist/cjs/*.d.ts), or TS reports TS1479 (ESM typings under require).
  typecheck({ module: 'node16', moduleResolution: 'node16', lib: ['es2022'], skipLibCheck: true }, 'node16, CommonJS consumer');
  typecheck({ module: 'node16', moduleResolution: 'node16', lib: ['es2022'], skipLibCheck: true }, 'node16, ESM consumer', 'consumer.mts');
});
