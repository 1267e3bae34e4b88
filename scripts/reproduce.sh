#!/usr/bin/env bash
# `npm run reproduce`: set-up, then every notebooks/*.ipynb executed through the tslab kernel in full
# mode (DIVLAB_QUICK unset), outputs saved into the notebooks. A notebook that fails is not
# overwritten (its executed copy goes to test-artifacts/notebooks/). Extra arguments: notebook paths.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
bash scripts/setup.sh
exec .venv/bin/python scripts/run-notebooks.py --inplace "$@"
