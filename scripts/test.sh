#!/usr/bin/env bash
# `npm test`: set-up, compile (tsc -p tsconfig.json -> build/), every unit test (build/test/**/*.test.js,
# Node's runner), then every notebooks/*.ipynb executed headless through the tslab kernel in quick
# mode (DIVLAB_QUICK=1; executed copies land in test-artifacts/notebooks/), then the browser stage
# (every notebook run in a real JupyterLab through Chromium, the widgets checked). The last line
# printed is the only summary, "N passed, N failed", over unit tests, notebooks and browser tests
# (a set-up or compile failure counts as one failed). Exits non-zero on any failure and when nothing ran at all.
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
passed=0
failed=0
status=0
tmp="$(mktemp -d "${TMPDIR:-/tmp}/divlab-test.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT
summary() { echo "$passed passed, $failed failed"; }
add_counts() { # file with {"passed": N, "failed": N}
  local p f
  [ -s "$1" ] || return 1
  read -r p f < <(node -e 'const c=JSON.parse(require("fs").readFileSync(process.argv[1],"utf8"));console.log(c.passed|0,c.failed|0)' "$1") || return 1
  passed=$((passed + p)); failed=$((failed + f))
}

if ! bash scripts/setup.sh; then
  echo "test: scripts/setup.sh failed"
  failed=$((failed + 1)); summary; exit 1
fi

echo "== compiling the tests (tsc -p tsconfig.json)"
rm -rf build  # no stale compiled tests from deleted or renamed sources
if ! node node_modules/typescript/bin/tsc -p tsconfig.json; then
  echo "test: tsc -p tsconfig.json reported errors (counted as one failure; the emitted tests still run)"
  failed=$((failed + 1)); status=1
fi

echo "== unit tests"
if ! node scripts/run-unit-tests.mjs --counts "$tmp/unit.json"; then status=1; fi
if ! add_counts "$tmp/unit.json"; then echo "test: the unit-test runner reported no counts"; failed=$((failed + 1)); status=1; fi

echo "== notebooks (quick mode, tslab kernel)"
if ! .venv/bin/python scripts/run-notebooks.py --quick --allow-none --counts "$tmp/nb.json"; then status=1; fi
if ! add_counts "$tmp/nb.json"; then echo "test: the notebook runner reported no counts"; failed=$((failed + 1)); status=1; fi

echo "== browser (JupyterLab + Chromium: every notebook and the widget gallery, quick mode)"
# Real jupyter lab from .venv on a loopback port, /usr/bin/chromium through playwright-core
# (test/browser/run.ts); screenshots in test-artifacts/screenshots/, timings in
# test-artifacts/browser/timings.json. DIVLAB_SKIP_BROWSER=1 skips the stage (counted as nothing).
if [ "${DIVLAB_SKIP_BROWSER:-0}" = 1 ]; then
  echo "test: browser stage skipped (DIVLAB_SKIP_BROWSER=1)"
else
  if ! node build/test/browser/run.js --counts "$tmp/browser.json"; then status=1; fi
  if ! add_counts "$tmp/browser.json"; then echo "test: the browser stage reported no counts"; failed=$((failed + 1)); status=1; fi
  echo "== browser: reactive cells (test/browser/reactive.ts)"
  if ! node build/test/browser/reactive.js --counts "$tmp/reactive.json"; then status=1; fi
  if ! add_counts "$tmp/reactive.json"; then echo "test: the reactive browser stage reported no counts"; failed=$((failed + 1)); status=1; fi
fi

if [ $((passed + failed)) -eq 0 ]; then
  echo "test: zero tests ran"
  status=1
fi
[ "$failed" -gt 0 ] && status=1
summary
exit "$status"
