#!/usr/bin/env node
// Runs the compiled unit tests (build/test/**/*.test.js) with Node's built-in runner.
//
//   node scripts/run-unit-tests.mjs [--counts FILE] [FILE_OR_DIR ...]
//
// Node 20's `node --test` does not expand globs, so the files are collected here and passed
// explicitly. The spec reporter goes to stdout; a TAP copy goes to a temp file whose final
// "# pass / # fail / # cancelled" lines are the runner's own counts. Exits non-zero when any test
// failed, when the runner failed, or when zero tests ran (e.g. nothing was compiled).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
let countsFile = null;
const targets = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--counts') countsFile = args[++i];
  else targets.push(resolve(args[i]));
}
if (targets.length === 0) targets.push(join(root, 'build', 'test'));

function collect(p, out) {
  if (!existsSync(p)) return out;
  if (statSync(p).isFile()) {
    out.push(p);
    return out;
  }
  for (const e of readdirSync(p, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const full = join(p, e.name);
    if (e.isDirectory()) collect(full, out);
    else if (e.isFile() && e.name.endsWith('.test.js')) out.push(full);
  }
  return out;
}
const files = targets.flatMap((t) => collect(t, []));

function finish(passed, failed, message) {
  if (message) console.log(message);
  console.log(`unit tests: pass ${passed}, fail ${failed}`);
  if (countsFile) writeFileSync(countsFile, JSON.stringify({ passed, failed }) + '\n');
}

if (files.length === 0) {
  finish(0, 0, `unit tests: no *.test.js files under ${targets.map((t) => relative(root, t) || '.').join(', ')} (were the tests compiled with tsc -p tsconfig.json?)`);
  process.exit(1);
}

const tmp = mkdtempSync(join(tmpdir(), 'divlab-unit-'));
const tap = join(tmp, 'report.tap');
const r = spawnSync(
  process.execPath,
  ['--test', '--test-reporter=spec', '--test-reporter-destination=stdout',
    '--test-reporter=tap', `--test-reporter-destination=${tap}`, ...files],
  { cwd: root, stdio: 'inherit', env: process.env },
);
const report = existsSync(tap) ? readFileSync(tap, 'utf8') : '';
rmSync(tmp, { recursive: true, force: true });

// The TAP reporter ends with "# tests N", "# suites N", "# pass N", "# fail N", "# cancelled N", …
const count = (name) => {
  const all = [...report.matchAll(new RegExp(`^# ${name} (\\d+)$`, 'gm'))];
  return all.length ? Number(all[all.length - 1][1]) : 0;
};
// A file that defines no tests shows up as one passing top-level "test" named by its path: not a test.
const fileSet = new Set(files);
const empty = [...report.matchAll(/^ok \d+ - (.+)$/gm)].map((m) => m[1]).filter((name) => fileSet.has(name));
for (const f of empty) console.log(`unit tests: note: ${relative(root, f)} defines no tests`);
const passed = count('pass') - empty.length;
const failed = count('fail') + count('cancelled');
const ran = passed + failed;
if (!report) {
  finish(passed, Math.max(failed, 1), `unit tests: the runner wrote no report (exit ${r.status ?? r.signal})`);
  process.exit(1);
}
if (ran === 0) {
  finish(passed, failed, `unit tests: zero tests ran in ${files.length} file(s)`);
  process.exit(1);
}
if (r.status !== 0 && failed === 0) {
  // The runner failed without a failing test (a crash); count it so the summary does not read green.
  finish(passed, 1, `unit tests: node --test exited with ${r.status ?? r.signal} although no test failed`);
  process.exit(1);
}
finish(passed, failed);
process.exit(failed > 0 ? 1 : 0);
