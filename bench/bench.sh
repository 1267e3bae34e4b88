#!/usr/bin/env bash
# `npm run bench`: set up, compile, make the Python peers' venv, run the harness.
#   BENCH_QUICK=1      skip the biggest case (k-NN KL at N=1e5, d=10: ~35 s for scipy alone)
#   BENCH_CASES=regex  run only the cases whose id matches (kl-N1e4-d2, mi-N1e5, pairwise-...)
#   BENCH_BACKENDS=cpu,auto  time only these divlab backends (default cpu,gpu,auto)
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
node_modules/.bin/tsc -p tsconfig.json >&2

# 3. Python peers in bench/.venv.
bash bench/setup-peers.sh

# 4. The harness.
node build/bench/run.js
log "npm run bench took $(( $(date +%s) - start )) s in all"
