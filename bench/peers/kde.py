"""Peer of bench/suite-kde.ts: scipy gaussian_kde (evaluate, logpdf) and statsmodels
KDEMultivariate(bw='cv_ml') on the data divlab wrote (raw float64 little-endian, row-major n x d).

Usage: python kde.py <manifest.json>. Prints one JSON object: per case the best wall time (and all
times), plus values for the agreement check (log-densities of the first rows; LCV bandwidths and
statsmodels' objective loo_likelihood(bw, log) at its own bandwidths and at divlab's).
Timing rule as bench/run.ts: best of `repeats`, stopping once a run took more than 5 s; `cpu` is
the smallest process CPU time (time.process_time) over the same runs.
"""
import json
import sys
import time

import numpy as np
import scipy
import scipy.stats

SLOW_S = 5.0


def timed(fn, repeats):
    times, cpus, out = [], [], None
    for _ in range(repeats):
        c0 = time.process_time()
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
        cpus.append(time.process_time() - c0)
        if times[-1] > SLOW_S:
            break
    timed.cpu = min(cpus)  # CPU time (all threads of this process) of the fastest-CPU run
    return min(times), times, out


def load(entry):
    return np.fromfile(entry["file"], dtype="<f8").reshape(entry["shape"])


def main():
    manifest = json.load(open(sys.argv[1]))
    res = {"scipy": scipy.__version__, "numpy": np.__version__, "cases": {}}
    try:
        import statsmodels
        from statsmodels.nonparametric.kernel_density import KDEMultivariate
        res["statsmodels"] = statsmodels.__version__
    except ImportError as e:  # reported per case as n/a
        KDEMultivariate = None
        res["statsmodels_error"] = str(e)
    for c in manifest["cases"]:
        out = {}
        try:
            if c["kind"] == "eval":
                X, Q = load(c["x"]), load(c["q"])
                kde = scipy.stats.gaussian_kde(X.T, bw_method="scott")
                t, ts, v = timed(lambda: kde.evaluate(Q.T), c["repeats"])
                out["evaluate"] = {"time": t, "times": ts, "cpu": timed.cpu}
                t, ts, v = timed(lambda: kde.logpdf(Q.T), c["repeats"])
                out["logpdf"] = {"time": t, "times": ts, "cpu": timed.cpu, "first": v[: c["check"]].tolist()}
            else:
                if KDEMultivariate is None:
                    raise RuntimeError("statsmodels is not installed in this Python (" + sys.executable + ")")
                X = load(c["x"])
                d = X.shape[1]
                t, ts, kd = timed(lambda: KDEMultivariate(X, var_type="c" * d, bw="cv_ml"), c["repeats"])
                bw = np.atleast_1d(kd.bw).astype(float)
                out["cv_ml"] = {
                    "time": t, "times": ts, "cpu": timed.cpu, "bw": bw.tolist(),
                    "objective": float(kd.loo_likelihood(bw, np.log)),
                    "objective_at_divlab": float(kd.loo_likelihood(np.array(c["divlab_bw"]), np.log)) if c.get("divlab_bw") else None,
                }
        except Exception as e:  # noqa: BLE001 - reported, the run goes on
            out["error"] = f"{type(e).__name__}: {e}"
        res["cases"][c["id"]] = out
    print(json.dumps(res))


if __name__ == "__main__":
    main()
