"""Hatchling hooks for the divlab labextension package (see pyproject.toml).

* Metadata hook: the Python version is package.json's (npm pre-release tags mapped to PEP 440:
  1.2.0-alpha.3 -> 1.2.0a3), so the two never drift apart.
* Build hook (wheel): maps every file of dist-ext/labextension to
  share/jupyter/labextensions/divlab/ (shared data; see pyproject.toml for why file by file), and
  before that runs `npm run build:labextension` when dist-ext/labextension is missing or
  older than any of its sources (extension/, style/, kernel-lib/ — the extension bundles the
  estimators its controls re-run —, package.json), so that
  `pip install .` from a checkout never ships a stale or absent extension. Without sources (a wheel
  built from an sdist that carries dist-ext/labextension) nothing is built. `npm install` runs
  first when the build tools are not installed. DIVLAB_SKIP_LABEXTENSION_BUILD=1 skips the
  build (the existing output is packaged as it is).
"""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

from hatchling.builders.hooks.plugin.interface import BuildHookInterface
from hatchling.metadata.plugin.interface import MetadataHookInterface

OUTPUT = Path("dist-ext") / "labextension"
TARGET = "share/jupyter/labextensions/divlab"
SOURCES = ("extension", "style", "kernel-lib", "package.json", "package-lock.json")
PRE = {"alpha": "a", "beta": "b", "rc": "rc"}


def pep440(npm_version: str) -> str:
    m = re.fullmatch(r"(\d+\.\d+\.\d+)(?:-(alpha|beta|rc)\.?(\d+))?", npm_version)
    if not m:
        raise ValueError(f"package.json version {npm_version!r} has no PEP 440 equivalent here (use x.y.z or x.y.z-alpha.N/beta.N/rc.N)")
    base, tag, num = m.groups()
    return base + (f"{PRE[tag]}{num}" if tag else "")


class PackageJsonVersionHook(MetadataHookInterface):
    def update(self, metadata: dict) -> None:
        pkg = json.loads((Path(self.root) / "package.json").read_text(encoding="utf-8"))
        metadata["version"] = pep440(pkg["version"])


def newest_mtime(paths) -> float:
    newest = 0.0
    for p in paths:
        if p.is_file():
            newest = max(newest, p.stat().st_mtime)
        elif p.is_dir():
            for f in p.rglob("*"):
                if f.is_file():
                    newest = max(newest, f.stat().st_mtime)
    return newest


class LabextensionBuildHook(BuildHookInterface):
    PLUGIN_NAME = "divlab-labextension"

    def initialize(self, version: str, build_data: dict) -> None:
        if self.target_name != "wheel":
            return
        root = Path(self.root)
        if os.environ.get("DIVLAB_SKIP_LABEXTENSION_BUILD") != "1":
            self.ensure_built(root)
        out = root / OUTPUT
        if not (out / "package.json").is_file():
            raise RuntimeError(f"{out / 'package.json'} is missing: run `npm run build:labextension`")
        for f in sorted(out.rglob("*")):
            if f.is_file():
                build_data["shared_data"][str(f)] = f"{TARGET}/{f.relative_to(out).as_posix()}"

    def ensure_built(self, root: Path) -> None:
        marker = root / OUTPUT / "package.json"
        have_sources = (root / "extension" / "index.ts").is_file()
        if marker.is_file() and (not have_sources or marker.stat().st_mtime >= newest_mtime(root / s for s in SOURCES)):
            return
        if not have_sources:
            raise RuntimeError(f"{OUTPUT} is missing and there are no extension sources to build it from")
        npm = shutil.which("npm")
        if npm is None:
            raise RuntimeError(f"{OUTPUT} is missing or stale and npm is not on PATH: install Node.js ≥ 20.19, "
                               "then `npm install && npm run build:labextension`, and build again")
        if not (root / "node_modules" / "@jupyter" / "builder").is_dir():
            self.app.display_info("divlab: npm install (the labextension build tools)")
            subprocess.run([npm, "install", "--no-audit", "--no-fund"], cwd=root, check=True)
        self.app.display_info("divlab: npm run build:labextension")
        subprocess.run([npm, "run", "build:labextension"], cwd=root, check=True)
        if not marker.is_file():
            raise RuntimeError(f"npm run build:labextension did not produce {marker}")
