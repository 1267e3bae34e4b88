#!/usr/bin/env bash
# One-stop set-up for a fresh machine, shared by `npm start`, `npm test` and `npm run bench`:
#   1. npm dependencies (from the committed lock file) and the library build (ESM + CJS + typings);
#   2. a Python virtual environment in .venv with JupyterLab, notebook, nbclient and the wheel
#      builder (build, hatchling) from pip
#      (plus the benchmark peers when DIVLAB_SETUP_PEERS=1);
#   3. the tslab kernel registered into that venv with an absolute binary path (no PATH needed);
#   4. the divlab JupyterLab extension (MIME renderer of display.show()) built and installed into
#      that venv with pip, so `npm start` renders divlab outputs.
# Idempotent: re-running skips what is already in place.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
log() { printf '[setup] %s\n' "$*" >&2; }

# --- 1. npm -------------------------------------------------------------------------------------
if [ ! -d node_modules/.bin ] || [ package-lock.json -nt node_modules/.package-lock.json ] \
   || [ package.json -nt node_modules/.package-lock.json ]; then
  log "npm install"
  # `npm install` follows the committed lock; `npm ci` refuses locks that name platform binaries
  # missing from the reachable registry (see shared/notes/toolchain.md).
  npm install --no-audit --no-fund --loglevel=error >&2
fi
log "building the library (ESM + CommonJS + typings)"
npm run --silent build >&2
# tslab type-checks notebook cells with its own TypeScript 5.0 and `moduleResolution: node10`
# (fixed in tslab, no tsconfig is read), which knows no package self-reference: `import … from
# 'divlab'` needs node_modules/divlab. Link it to this checkout, as `npm link` would; TypeScript
# then reads the real package.json ("types", "typesVersions") and the typings in dist/types.
# At run time tslab's require() resolves 'divlab' by Node's self-reference through "exports"
# (the "require" condition, dist/cjs). `npm install` prunes the link; this step puts it back.
if [ "$(readlink node_modules/divlab 2>/dev/null || true)" != ".." ]; then
  log "linking node_modules/divlab -> .. (for notebooks)"
  rm -rf node_modules/divlab
  ln -s .. node_modules/divlab
fi

# --- 2. Python venv -----------------------------------------------------------------------------
# shellcheck source=scripts/pip-local-index.sh
source "$root/scripts/pip-local-index.sh"
venv="$root/.venv"
if [ ! -x "$venv/bin/python" ]; then
  log "creating .venv"
  python3 -m venv "$venv"
fi
# build + hatchling: test/package/wheel.test.ts builds the wheel without isolation (offline)
want=(jupyterlab notebook nbclient nbconvert ipykernel build hatchling)
if [ "${DIVLAB_SETUP_PEERS:-0}" = 1 ]; then want+=(numpy scipy scikit-learn); fi
missing=()
for p in "${want[@]}"; do
  "$venv/bin/python" -m pip show -q "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  log "pip install ${missing[*]}"
  # (an incomplete local index makes pip warn once per package it lacks: drop those lines)
  "$venv/bin/python" -m pip install -q "${missing[@]}" 2>&1 \
    | { grep -v 'is ignored: it is neither a file nor a directory' || true; } >&2
fi

# --- 3. tslab kernel ----------------------------------------------------------------------------
kdir="$venv/share/jupyter/kernels/tslab"
if [ ! -f "$kdir/kernel.json" ] || ! grep -q "$root/node_modules/.bin/tslab" "$kdir/kernel.json"; then
  log "registering the tslab kernel into .venv"
  PATH="$venv/bin:$PATH" node node_modules/tslab/bin/tslab install \
    --python="$venv/bin/python" --sys-prefix --binary="$root/node_modules/.bin/tslab" >&2
fi
# --- 4. the divlab JupyterLab extension ---------------------------------------------------------
# .venv lies inside this "type": "module" package: without a package.json of its own, Node would load
# CommonJS files under .venv as ES modules (jupyter_builder's yarn.js, run by `jupyter labextension
# list`, then fails with "Fail to get yarn configuration").
[ -f "$venv/package.json" ] || printf '{"type": "commonjs"}\n' > "$venv/package.json"
ext="dist-ext/labextension"
# (the extension bundles kernel-lib — the display schema and the estimators its controls re-run)
if [ ! -f "$ext/package.json" ] || [ -n "$(find extension style kernel-lib package.json package-lock.json \
     -newer "$ext/package.json" -type f -print -quit)" ]; then
  log "building the JupyterLab extension (npm run build:labextension)"
  if ! out="$(npm run --silent build:labextension 2>&1)"; then printf '%s\n' "$out" >&2; exit 1; fi
fi
# (re)install when the .venv copy is missing or differs from the build (the build names its chunks by
# content hash). pip runs pyproject.toml's hatchling build, whose hook finds the build up to date.
if ! diff -rq -x install.json "$ext" "$venv/share/jupyter/labextensions/divlab" >/dev/null 2>&1; then
  log "pip install . (the divlab JupyterLab extension into .venv)"
  "$venv/bin/python" -m pip install -q --force-reinstall --no-deps . 2>&1 \
    | { grep -v 'is ignored: it is neither a file nor a directory' || true; } >&2
fi

# --- 5. Chromium for the browser tests ----------------------------------------------------------
# The browser stage of `npm test` drives Debian's Chromium with playwright-core (no browser
# download). CI runs as root with apt: install it there when it is missing; elsewhere say how.
if [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    log "apt-get install chromium (for the browser tests)"
    apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >&2
  else
    log "warning: /usr/bin/chromium is missing: the browser tests will fail (sudo apt-get install chromium)"
  fi
fi
log "ready"
