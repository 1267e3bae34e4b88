#!/usr/bin/env bash
# Makes bench/.venv with the Python peers of `npm run bench` (numpy, scipy, scikit-learn, torch CPU, statsmodels).
# Idempotent: installs only what is missing; uses only the local wheelhouse index where pip is
# configured with one (scripts/pip-local-index.sh).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
venv="$here/.venv"
log() { printf '[bench-peers] %s\n' "$*" >&2; }

# shellcheck source=../scripts/pip-local-index.sh
source "$here/../scripts/pip-local-index.sh"

if [ ! -x "$venv/bin/python" ]; then
  log "creating bench/.venv"
  python3 -m venv "$venv"
fi
# Module names to import-check, and the pip names that provide them.
declare -A pipname=([numpy]=numpy [scipy]=scipy [sklearn]=scikit-learn [torch]=torch [statsmodels]=statsmodels)
missing=()
for mod in numpy scipy sklearn torch statsmodels; do
  "$venv/bin/python" -c "import $mod" >/dev/null 2>&1 || missing+=("${pipname[$mod]}")
done
if [ "${#missing[@]}" -gt 0 ]; then
  log "pip install ${missing[*]}"
  "$venv/bin/python" -m pip install -q "${missing[@]}" >&2
fi
log "peers ready: $("$venv/bin/python" -c 'import numpy, scipy, sklearn, torch, statsmodels; print(f"numpy {numpy.__version__}, scipy {scipy.__version__}, scikit-learn {sklearn.__version__}, torch {torch.__version__}, statsmodels {statsmodels.__version__}")')"
