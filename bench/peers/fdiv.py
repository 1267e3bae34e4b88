"""Peer of bench/suite-fdiv.ts: batched logit divergences and their gradients in PyTorch (CPU),
the same formulas as divlab's fdiv (log-softmax rows, then the divergence, autograd backward),
in chunks of CHUNK rows so that the peak memory stays near 3 GB.

Usage: python fdiv.py <manifest.json>. The manifest names raw float32 little-endian files
(rows x classes) written by the suite from divlab's seeded generator. Prints one JSON object:
per case the best wall time (and all times) at 1 thread and at the default thread count, the
value and the gradient of the first `check_rows` rows (written to <out>.f32 for comparison).
"""
import json
import os
import resource
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F


def divergence(name, lp, lq):
    p, q = lp.exp(), lq.exp()
    if name == "kl":
        rows = (p * (lp - lq)).sum(-1)
    elif name == "reverse-kl":
        rows = (q * (lq - lp)).sum(-1)
    elif name == "js":
        lm = torch.logaddexp(lp, lq) - np.log(2.0)
        rows = 0.5 * (p * (lp - lm)).sum(-1) + 0.5 * (q * (lq - lm)).sum(-1)
    else:
        raise ValueError(name)
    return rows.mean()


CHUNK = 512  # rows per autograd pass: bounds torch's intermediates (a whole-batch pass peaked at 9.2 GB)


def run_once(name, A, B, T):
    """The mean-over-rows divergence and its gradients w.r.t. both logit arrays, CHUNK rows per
    autograd pass (the loss is a sum over rows, so chunking changes nothing but memory)."""
    rows = A.shape[0]
    ga = torch.empty_like(A)
    gb = torch.empty_like(B)
    t0 = time.perf_counter()
    c0 = time.process_time()
    total = 0.0
    for r0 in range(0, rows, CHUNK):
        a = A[r0:r0 + CHUNK].clone().requires_grad_(True)
        b = B[r0:r0 + CHUNK].clone().requires_grad_(True)
        lp = F.log_softmax(a / T, dim=-1)
        lq = F.log_softmax(b / T, dim=-1)
        loss = divergence(name, lp, lq) * (a.shape[0] / rows)
        loss.backward()
        total += float(loss.detach())
        ga[r0:r0 + CHUNK] = a.grad
        gb[r0:r0 + CHUNK] = b.grad
    t = time.perf_counter() - t0
    cpu = time.process_time() - c0
    return t, cpu, total, ga, gb


def main():
    man = json.load(open(sys.argv[1]))
    rows, cols = man["shape"]
    A = torch.from_numpy(np.fromfile(man["a"], dtype="<f4").reshape(rows, cols))
    B = torch.from_numpy(np.fromfile(man["b"], dtype="<f4").reshape(rows, cols))
    default_threads = torch.get_num_threads()
    out = {"torch": torch.__version__, "numpy": np.__version__, "default_threads": default_threads, "results": {}}
    for case in man["cases"]:
        res = {}
        for label, threads in (("t1", 1), ("tall", default_threads)):
            torch.set_num_threads(threads)
            best = None
            times = []
            for _ in range(case["repeats"]):
                t, cpu, value, ga, gb = run_once(case["divergence"], A, B, case["temperature"])
                times.append(t)
                if best is None or t < best["time"]:
                    best = {"time": t, "cpu": cpu, "value": value}
                if label == "t1" and len(times) == 1:
                    k = man["check_rows"]
                    np.concatenate([ga[:k].numpy().ravel(), gb[:k].numpy().ravel()]).astype("<f4").tofile(case["grad_out"])
                del ga, gb
                if t > 5:
                    break
            best["times"] = times
            best["threads"] = threads
            res[label] = best
        out["results"][case["id"]] = res
    out["max_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
    print(json.dumps(out))


if __name__ == "__main__":
    main()
