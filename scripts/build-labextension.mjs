#!/usr/bin/env node
// Builds the prebuilt JupyterLab extension (`npm run build:labextension`):
//   1. compiles extension/ (and the kernel-lib/display modules it imports) with
//      extension/tsconfig.json into dist-ext/lib/;
//   2. bundles it with @jupyter/builder against @jupyterlab/core-meta (the JupyterLab 4.6.4 core
//      package metadata, pinned in devDependencies) into dist-ext/labextension/ — the directory
//      the Python package installs as share/jupyter/labextensions/divlab. Needs neither Python nor
//      network (shared/notes/toolchain.md).
// Extra arguments go to the builder, e.g. `npm run build:labextension -- --development`.
import { spawnSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const req = createRequire(join(root, 'package.json'));

function run(what, args) {
  const r = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`build:labextension: ${what} failed (exit ${r.status ?? r.signal})`);
    process.exit(1);
  }
}

// The builder exposes the package's "main" (the library's CommonJS build) as the shared module
// `divlab`, so that extension code importing 'divlab' shares one copy: the library must be built.
if (!existsSync(join(root, 'dist', 'cjs', 'index.js'))) run('the library build (scripts/build.mjs)', [join(root, 'scripts', 'build.mjs')]);
rmSync(join(root, 'dist-ext', 'lib'), { recursive: true, force: true }); // no stale modules
run('tsc -p extension/tsconfig.json', [req.resolve('typescript/bin/tsc'), '-p', join('extension', 'tsconfig.json')]);
run('@jupyter/builder', [
  join(dirname(req.resolve('@jupyter/builder/package.json')), 'lib', 'build-labextension.js'),
  '--core-package-file', req.resolve('@jupyterlab/core-meta/core.package.json'),
  ...process.argv.slice(2),
  '.',
]);
