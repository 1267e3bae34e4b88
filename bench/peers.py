"""Python peers of divlab for `npm run bench` (run by bench/run.ts; not a user-facing tool).

Usage: bench/.venv/bin/python bench/peers.py MANIFEST.json

The manifest (written by bench/run.ts) lists the cases and the raw float64 little-endian files the
harness generated with divlab's seeded generator, so both sides see byte-identical data:

    {"cases": [{"id": ..., "kind": "kl" | "mi" | "pairwise", "repeats": r, "params": {...},
                "inputs": {"x": {"path": ..., "shape": [n, d]}, ...}}, ...]}

Prints one JSON object on stdout: library versions, thread settings, and per case the best wall
time of `repeats` runs (the first run included), all run times, the CPU time of the best run
(cpu/wall ~ 1 means single-threaded) and the peer's value(s). Progress goes to stderr.

Peers, all single-threaded (OMP/OpenBLAS/MKL threads = 1, scipy workers=1, sklearn n_jobs=None):
  kl:       Wang-Kulkarni-Verdu k-NN KL with scipy.spatial.cKDTree;
  mi:       sklearn.feature_selection.mutual_info_regression (KSG estimator 1, n_neighbors=k);
  pairwise: numpy float32 ||a||^2 + ||b||^2 - 2 a b^T, then sqrt (brute-force Euclidean distances).
"""
import os

# Must be set before numpy loads its BLAS.
for _v in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "BLIS_NUM_THREADS",
           "VECLIB_MAXIMUM_THREADS", "NUMEXPR_NUM_THREADS"):
    os.environ.setdefault(_v, "1")

import json  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402

import numpy as np  # noqa: E402
import scipy  # noqa: E402
import sklearn  # noqa: E402
from scipy.spatial import cKDTree  # noqa: E402
from sklearn.feature_selection import mutual_info_regression  # noqa: E402


def load(spec):
    n, d = spec["shape"]
    a = np.fromfile(spec["path"], dtype="<f8")
    if a.size != n * d:
        raise SystemExit(f"peers.py: {spec['path']} holds {a.size} float64 values, manifest says {n}x{d}")
    return a.reshape(n, d)


def timed(fn, repeats):
    """Best wall time of `repeats` runs; returns (value of the best run, best, all times, cpu of best)."""
    best, best_cpu, value, times = float("inf"), 0.0, None, []
    for _ in range(max(1, repeats)):
        c0, t0 = time.process_time(), time.perf_counter()
        v = fn()
        t1, c1 = time.perf_counter(), time.process_time()
        times.append(t1 - t0)
        if t1 - t0 < best:
            best, best_cpu, value = t1 - t0, c1 - c0, v
    return value, best, times, best_cpu


def kl_ckdtree(x, y, k):
    """Wang, Kulkarni & Verdu (2009) eq. (5) with scipy's cKDTree, single worker."""
    n, d = x.shape
    m = y.shape[0]
    rho = cKDTree(x).query(x, k + 1, workers=1)[0][:, k]  # k+1: the point itself comes first
    nu = cKDTree(y).query(x, k, workers=1)[0][:, k - 1]
    return float(d * np.mean(np.log(nu / rho)) + np.log(m / (n - 1)))


def mi_sklearn(x, y, k):
    return float(mutual_info_regression(x, y.ravel(), n_neighbors=k, random_state=0)[0])


def pairwise_numpy_f32(a, b):
    """Dense Euclidean distances in float32 via the matrix-product identity (what numpy users write)."""
    a2 = np.einsum("ij,ij->i", a, a)
    b2 = np.einsum("ij,ij->i", b, b)
    d2 = a2[:, None] + b2[None, :]
    d2 -= 2.0 * (a @ b.T)
    np.maximum(d2, 0.0, out=d2)
    return np.sqrt(d2, out=d2)


def run_case(case):
    kind, params, inp, r = case["kind"], case.get("params", {}), case["inputs"], case.get("repeats", 1)
    if kind == "kl":
        x, y = load(inp["x"]), load(inp["y"])
        value, best, times, cpu = timed(lambda: kl_ckdtree(x, y, params["k"]), r)
        return {"peer": "scipy cKDTree (workers=1)", "value": value, "time": best, "times": times, "cpu": cpu}
    if kind == "mi":
        x, y = load(inp["x"]), load(inp["y"])
        value, best, times, cpu = timed(lambda: mi_sklearn(x, y, params["k"]), r)
        return {"peer": "sklearn mutual_info_regression", "value": value, "time": best, "times": times, "cpu": cpu}
    if kind == "pairwise":
        a = load(inp["a"]).astype(np.float32)
        b = load(inp["b"]).astype(np.float32)
        out, best, times, cpu = timed(lambda: pairwise_numpy_f32(a, b), r)
        # Row sums (float64) and the mean let the harness check agreement without shipping the matrix.
        rows = out.sum(axis=1, dtype=np.float64)
        return {"peer": "numpy float32 matmul trick", "value": float(rows.sum() / out.size),
                "rowSums": rows.tolist(), "time": best, "times": times, "cpu": cpu}
    raise SystemExit(f"peers.py: unknown case kind {kind!r}")


def main():
    if len(sys.argv) != 2:
        raise SystemExit("usage: peers.py MANIFEST.json")
    with open(sys.argv[1]) as f:
        manifest = json.load(f)
    results = {}
    for case in manifest["cases"]:
        print(f"[peers] {case['id']} ...", file=sys.stderr, flush=True)
        try:
            results[case["id"]] = run_case(case)
        except Exception as e:  # report and continue with the other cases
            results[case["id"]] = {"error": f"{type(e).__name__}: {e}"}
        res = results[case["id"]]
        if "time" in res:
            print(f"[peers] {case['id']}: {res['time']:.3f} s (cpu {res['cpu']:.3f} s)", file=sys.stderr, flush=True)
        else:
            print(f"[peers] {case['id']}: {res['error']}", file=sys.stderr, flush=True)
    blas = None
    try:
        from threadpoolctl import threadpool_info
        blas = [{k: p.get(k) for k in ("internal_api", "num_threads", "version")} for p in threadpool_info()]
    except Exception:
        pass
    json.dump({
        "python": sys.version.split()[0],
        "versions": {"numpy": np.__version__, "scipy": scipy.__version__, "scikit-learn": sklearn.__version__},
        "threads": {v: os.environ.get(v) for v in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")},
        "threadpools": blas,
        "results": results,
    }, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
