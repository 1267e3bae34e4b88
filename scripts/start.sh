#!/usr/bin/env bash
# `npm start`: set-up, then JupyterLab from .venv on notebooks/, bound to 127.0.0.1 (the tslab kernel
# is the one registered into .venv). Extra arguments go to `jupyter lab`, e.g. `npm start -- --port 9999`.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
bash scripts/setup.sh
mkdir -p notebooks
# The kernel registered into .venv comes first, ahead of any user-level tslab registration.
export JUPYTER_PATH="$root/.venv/share/jupyter${JUPYTER_PATH:+:$JUPYTER_PATH}"
args=(--ip=127.0.0.1 --ServerApp.root_dir="$root/notebooks")
if [ "$(id -u)" = 0 ]; then args+=(--allow-root); fi
exec "$root/.venv/bin/jupyter" lab "${args[@]}" "$@"
