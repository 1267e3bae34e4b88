#!/usr/bin/env bash
# `npm run bench`: set up, compile, make the Python peers' venv, run the harness.
#   BENCH_QUICK=1      skip the biggest case (k-NN KL at N=1e5, d=10: ~35 s for scipy alone)
#   BENCH_CASES=regex  run only the cases whose id matches (kl-N1e4-d2, mi-N1e5, pairwise-...)
#   BENCH_BACKENDS=cpu,auto  time only these divlab backends (default cpu,gpu,auto)
#   BENCH_SUITES=regex run only the harnesses whose name matches (run = k-NN; suite-kde, suite-variational, …)
# Results: the table on stdout, bench/results/latest.md (README's performance table) and latest.json.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
log() { printf '[bench] %s\n' "$*" >&2; }
start=$(date +%s)

# 1. Project set-up (npm dependencies, library build).
bash scripts/setup.sh

# 2. Compile kernel-lib/ and bench/ into build/ (tsconfig.json includes bench/**/*.ts). The local
# binary directly: `npx --no tsc -p …` would read -p as npx's own --package option.
log "compiling (tsc -p tsconfig.json)"
node node_modules/typescript/bin/tsc -p tsconfig.json >&2

# 3. Python peers in bench/.venv.
bash bench/setup-peers.sh

# 4. The harnesses: the k-NN/pairwise harness, then every family's suite (bench/suite-*.ts, each
# self-contained: it times divlab and its Python peer on the same data and writes
# bench/results/<suite>.md and .json). BENCH_SUITES=regex runs only the matching suites.
status=0
if [ -z "${BENCH_SUITES:-}" ] || [[ run =~ ${BENCH_SUITES} ]]; then
  node build/bench/run.js || status=1
fi
for suite in build/bench/suite-*.js; do
  [ -e "$suite" ] || continue
  name="$(basename "$suite" .js)"
  if [ -n "${BENCH_SUITES:-}" ] && ! [[ $name =~ ${BENCH_SUITES} ]]; then continue; fi
  log "suite $name"
  node "$suite" || { log "suite $name failed"; status=1; }
done
log "npm run bench took $(( $(date +%s) - start )) s in all"
exit "$status"
