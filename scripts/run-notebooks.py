#!/usr/bin/env python3
"""Executes notebooks headlessly through the project's tslab kernel (run with .venv/bin/python).

  run-notebooks.py --quick [--counts FILE] [NOTEBOOK ...]   # tests: DIVLAB_QUICK=1, outputs go to
                                                            # test-artifacts/notebooks/, sources untouched
  run-notebooks.py --inplace [NOTEBOOK ...]                 # reproduce: full mode, outputs saved in place

With no NOTEBOOK arguments every notebooks/*.ipynb runs, in name order. The kernel's working
directory is always the notebook's own folder (so `import { knn } from 'divlab'` resolves against
this checkout, and relative data paths work), also when the executed copy is written elsewhere.

A notebook fails on the first cell that
  * gets an execute reply with status "error" (tslab: a thrown exception or a type error),
  * produces an `error` output, or
  * writes a stack trace to stderr (tslab reports cell exceptions as stderr streams),
or that runs past the per-cell timeout (DIVLAB_CELL_TIMEOUT seconds; default 600), or when the
kernel dies. One line is printed per notebook; the exit status is non-zero when any failed.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv"
ARTIFACTS = ROOT / "test-artifacts" / "notebooks"
KERNELS = {"tslab", "jslab"}

# A stderr stream that carries a JavaScript stack trace ("    at f (file:1:2)") or tslab's reports of
# uncaught errors/rejections. Plain console.warn/console.error text does not match.
TRACE = re.compile(r"^\s+at\s+\S|^(?:UncaughtException|UnhandledPromiseRejection)\b", re.M)
# The "SomeError: message" line of a trace, the most useful part to print.
MESSAGE = re.compile(r"^(?:UncaughtException: |UnhandledPromiseRejection: )?[\w$.]*(?:Error|Exception)\b.*$", re.M)


class CellFailure(Exception):
    def __init__(self, index: int, source: str, reason: str):
        super().__init__(reason)
        self.index, self.source, self.reason = index, source, reason


def head(source: str, width: int = 100) -> str:
    lines = [ln for ln in source.strip().splitlines() if ln.strip()]
    first = lines[0].strip() if lines else ""
    if len(first) > width:
        first = first[: width - 1] + "…"
    return first + (" …" if len(lines) > 1 else "")


def excerpt(text: str, width: int = 300) -> str:
    m = MESSAGE.search(text)
    if m:  # start at the error's message, skipping tslab's source-line echo
        text = text[m.start():]
    text = " ⏎ ".join(ln.strip() for ln in text.strip().splitlines()[:2] if ln.strip())
    return text if len(text) <= width else text[: width - 1] + "…"


def check_cell(cell, index: int, reply) -> None:
    """Raises CellFailure when the cell's reply or outputs show an error."""
    for out in cell.get("outputs", []):
        if out.get("output_type") == "error":
            tb = "\n".join(out.get("traceback") or [])
            raise CellFailure(index, cell.source,
                              f"error output {out.get('ename', '')}: {out.get('evalue', '')} {excerpt(tb)}".strip())
    stderr = "".join(o.get("text", "") for o in cell.get("outputs", [])
                     if o.get("output_type") == "stream" and o.get("name") == "stderr")
    content = (reply or {}).get("content", {})
    if content.get("status") == "error":
        detail = content.get("evalue") or content.get("ename") or stderr or "(no message)"
        raise CellFailure(index, cell.source, f"execute reply status error: {excerpt(detail)}")
    if stderr and TRACE.search(stderr):
        raise CellFailure(index, cell.source, f"stack trace on stderr: {excerpt(stderr)}")


def run_one(path: Path, quick: bool, inplace: bool, timeout: int, cwd: Path | None = None) -> tuple[bool, str, float]:
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellTimeoutError, DeadKernelError

    t0 = time.monotonic()
    nb = nbformat.read(path, as_version=4)
    spec = (nb.metadata.get("kernelspec") or {}).get("name", "tslab")
    if spec not in KERNELS:
        return False, f"kernelspec '{spec}' is not tslab (set the notebook's kernel to TypeScript)", 0.0

    current = {"index": -1, "source": ""}

    def on_start(cell, cell_index, **_):
        current["index"], current["source"] = cell_index, cell.get("source", "")

    def on_executed(cell, cell_index, execute_reply, **_):
        check_cell(cell, cell_index, execute_reply)

    client = NotebookClient(
        nb,
        kernel_name=spec,
        timeout=timeout,
        startup_timeout=120,
        allow_errors=False,
        record_timing=not inplace,  # no per-run timestamps in committed notebooks
        resources={"metadata": {"path": str(cwd or path.parent)}},  # kernel cwd: the notebook's folder
        on_cell_start=on_start,
        on_cell_executed=on_executed,
    )
    ok, reason = True, ""
    try:
        client.execute()
    except CellFailure as f:
        ok, reason = False, f"cell {f.index}: {f.reason} | source: {head(f.source)}"
    except CellTimeoutError:
        ok, reason = False, f"cell {current['index']}: timed out after {timeout} s | source: {head(current['source'])}"
    except DeadKernelError as e:
        ok, reason = False, f"cell {current['index']}: kernel died ({e}) | source: {head(current['source'])}"
    except Exception as e:  # CellExecutionError or a start-up failure
        ok, reason = False, f"cell {current['index']}: {type(e).__name__}: {excerpt(str(e))} | source: {head(current['source'])}"
    elapsed = time.monotonic() - t0
    if "Cannot find module 'divlab" in reason:
        reason += " (hint: scripts/setup.sh builds dist/ and links node_modules/divlab for tslab's type checker)"

    if inplace and ok:
        nbformat.write(nb, path)
    else:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        nbformat.write(nb, ARTIFACTS / path.name)
    return ok, reason, elapsed


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    mode = ap.add_mutually_exclusive_group(required=True)
    mode.add_argument("--quick", action="store_true", help="DIVLAB_QUICK=1; write executed copies to test-artifacts/")
    mode.add_argument("--inplace", action="store_true", help="full mode; save outputs into the notebooks")
    ap.add_argument("--counts", help="write {\"passed\": N, \"failed\": N} to this JSON file")
    ap.add_argument("--allow-none", action="store_true", help="exit 0 when there are no notebooks")
    ap.add_argument("--cwd", type=Path, help="kernel working directory (default: each notebook's folder)")
    ap.add_argument("notebooks", nargs="*", type=Path)
    args = ap.parse_args()

    # Use the kernel registered into .venv by scripts/setup.sh even if a user-level tslab
    # registration exists (JUPYTER_PATH comes first in Jupyter's search path).
    share = VENV / "share" / "jupyter"
    os.environ["JUPYTER_PATH"] = os.pathsep.join(p for p in [str(share), os.environ.get("JUPYTER_PATH", "")] if p)
    os.environ.setdefault("JUPYTER_PLATFORM_DIRS", "1")
    if args.quick:
        os.environ["DIVLAB_QUICK"] = "1"
    else:
        os.environ.pop("DIVLAB_QUICK", None)  # full mode is the default: don't inherit a stray setting
    timeout = int(os.environ.get("DIVLAB_CELL_TIMEOUT", "600"))

    notebooks = [p.resolve() for p in args.notebooks] or sorted((ROOT / "notebooks").glob("*.ipynb"))
    label = "quick" if args.quick else "full"
    if not notebooks:
        print(f"notebooks: none found in {ROOT / 'notebooks'}", flush=True)
    passed = failed = 0
    for nb in notebooks:
        try:
            rel = nb.relative_to(ROOT)
        except ValueError:
            rel = nb
        ok, reason, elapsed = run_one(nb, args.quick, args.inplace, timeout, args.cwd.resolve() if args.cwd else None)
        if ok:
            passed += 1
            where = "saved in place" if args.inplace else f"output in {ARTIFACTS.relative_to(ROOT)}/{nb.name}"
            print(f"notebook PASS {rel} ({label} mode, {elapsed:.1f} s; {where})", flush=True)
        else:
            failed += 1
            print(f"notebook FAIL {rel} ({label} mode, {elapsed:.1f} s): {reason}", flush=True)
    print(f"notebooks: pass {passed}, fail {failed}", flush=True)
    if args.counts:
        Path(args.counts).write_text(json.dumps({"passed": passed, "failed": failed}) + "\n")
    if failed:
        return 1
    if not notebooks and not args.allow_none:
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
