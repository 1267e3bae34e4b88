"""Peer of bench/suite-vi.ts.

1. FB-GVI (Diao et al. 2023, Algorithm 1) with exact expectations on a Gaussian target, in numpy
   (np.linalg.eigh = LAPACK syevd), single-threaded: the same iteration as kernel-lib/vi/fbgvi.ts.
2. MINDE training loop in PyTorch (CPU): the noise-prediction MLP (D + 6 -> 64 -> 64 -> D, ELU) with
   the sigma-scaled output eps_hat = sigma * (z + f(input)), the five masks (joint, x|y, y|x, x, y),
   mixture time sampling (half importance-sampled oc beta/sigma^2, half uniform), Adam; float32 and
   float64 at 1 thread.

Usage: python vi.py <manifest.json> (written by the suite). Prints one JSON object with it/s and
final KL per FB-GVI case, steps/s per MINDE case, and the float64 loss of divlab's initial weights
on the suite's check batch.
"""
import json
import math
import os
import sys
import time

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("MKL_NUM_THREADS", "1")

import numpy as np  # noqa: E402
import torch  # noqa: E402

BMIN, BMAX, TEPS = 0.1, 20.0, 1e-3


def load(path, shape):
    return np.fromfile(path, dtype="<f8").reshape(shape)


def best(fn, repeats):
    fn()
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def best_wall_cpu(fn, repeats):
    """Best wall-clock and best process CPU seconds (time.process_time) of `repeats` runs after a warm-up."""
    fn()
    times, cpu = [], []
    for _ in range(repeats):
        c0 = time.process_time()
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    return min(times), min(cpu)


def gaussian_kl(m, S, mu, C):
    d = len(m)
    Ci = np.linalg.inv(C)
    dm = mu - m
    _, ld_c = np.linalg.slogdet(C)
    _, ld_s = np.linalg.slogdet(S)
    return 0.5 * (np.trace(Ci @ S) + dm @ Ci @ dm - d + ld_c - ld_s)


def fbgvi(mu, C, h, iters):
    d = len(mu)
    P = np.linalg.inv(C)
    m = np.zeros(d)
    S = np.eye(d)
    M = np.eye(d) - h * P
    for _ in range(iters):
        g = P @ (m - mu)
        m = m - h * g
        Sh = M @ S @ M
        Sh = 0.5 * (Sh + Sh.T)
        w, V = np.linalg.eigh(Sh)
        w = np.maximum(w, 0.0)
        lam = 0.5 * (w + 2 * h + np.sqrt(w * (w + 4 * h)))
        S = (V * lam) @ V.T
    return m, S


# ---- MINDE ----

def B(t):
    return BMIN * t + 0.5 * (BMAX - BMIN) * t * t


def log_expm1(b):
    return np.where(b > 30, b + np.log1p(-np.exp(-b)), np.log(np.expm1(np.minimum(b, 30))))


C0 = float(log_expm1(np.array(B(TEPS))))
Z = float(log_expm1(np.array(B(1.0)))) - C0


def importance_times(n, rng):
    u = (np.arange(n) + rng.random(n)) / n
    v = C0 + u * Z
    b = np.logaddexp(0.0, v)  # log(1 + e^v)
    a2 = 0.5 * (BMAX - BMIN)
    t = 2 * b / (BMIN + np.sqrt(BMIN * BMIN + 4 * a2 * b))
    t = np.clip(t, TEPS, 1.0)
    rng.shuffle(t)
    return t


def mlp(D, hidden, weights, dtype):
    sizes = [D + 6, *hidden, D]
    layers = []
    off = 0
    for i in range(len(sizes) - 1):
        lin = torch.nn.Linear(sizes[i], sizes[i + 1]).to(dtype)
        w = weights[off:off + sizes[i] * sizes[i + 1]].reshape(sizes[i], sizes[i + 1])
        off += sizes[i] * sizes[i + 1]
        b = weights[off:off + sizes[i + 1]]
        off += sizes[i + 1]
        with torch.no_grad():
            lin.weight.copy_(torch.tensor(w.T, dtype=dtype))
            lin.bias.copy_(torch.tensor(b, dtype=dtype))
        layers.append(lin)
        if i + 2 < len(sizes):
            layers.append(torch.nn.ELU())
    return torch.nn.Sequential(*layers)


def features(t):
    a = np.exp(-0.5 * B(t))
    s = np.sqrt(-np.expm1(-B(t)))
    return np.stack([t, a, s], axis=1), a, s


def minde_train(u, dx, net, steps, batch, lr, dtype, seed=0):
    n, D = u.shape
    rng = np.random.default_rng(seed)
    opt = torch.optim.Adam(net.parameters(), lr=lr)
    modes = np.array([0, 1, 2, 3, 4])  # joint, x|y, y|x, x, y
    xcol = np.arange(D) < dx
    for _ in range(steps):
        t = TEPS + (1 - TEPS) * rng.random(batch)
        t[0::2] = importance_times(len(t[0::2]), rng)
        mode = modes[(np.arange(batch) + rng.integers(5)) % 5]
        idx = rng.integers(0, n, batch)
        v = u[idx]
        eps = rng.standard_normal((batch, D))
        xdiff = (mode == 0) | (mode == 1) | (mode == 3)
        ydiff = (mode == 0) | (mode == 2) | (mode == 4)
        tx = np.where(xdiff, t, np.where(mode == 4, 1.0, 0.0))
        ty = np.where(ydiff, t, np.where(mode == 3, 1.0, 0.0))
        fx, ax, sx = features(tx)
        fy, ay, sy = features(ty)
        diffused = np.where(xcol[None, :], xdiff[:, None], ydiff[:, None])
        zeroed = np.where(xcol[None, :], (mode == 4)[:, None], (mode == 3)[:, None])
        a = np.where(xcol[None, :], ax[:, None], ay[:, None])
        s = np.where(xcol[None, :], sx[:, None], sy[:, None])
        z = np.where(diffused, a * v + s * eps, np.where(zeroed, 0.0, v))
        inp = torch.tensor(np.concatenate([z, fx, fy], axis=1), dtype=dtype)
        scale = torch.tensor(s, dtype=dtype)
        zt = torch.tensor(z, dtype=dtype)
        target = torch.tensor(eps, dtype=dtype)
        mask = torch.tensor(diffused.astype(np.float64), dtype=dtype)
        pred = scale * (zt + net(inp))
        loss = (((pred - target) * mask) ** 2).sum() / batch
        opt.zero_grad()
        loss.backward()
        opt.step()


def main():
    man = json.load(open(sys.argv[1]))
    torch.set_num_threads(1)
    out = {"numpy": np.__version__, "torch": torch.__version__, "vi": {}, "minde": {}}
    for c in man["vi"]:
        d = c["d"]
        mu = load(c["mean"], (d,))
        C = load(c["cov"], (d, d))
        res = {}

        def run():
            res["m"], res["S"] = fbgvi(mu, C, c["h"], c["iterations"])

        tb, tc = best_wall_cpu(run, c["repeats"])
        out["vi"][c["id"]] = {"it_per_s": c["iterations"] / tb, "cpu_it_per_s": c["iterations"] / tc, "kl": float(gaussian_kl(res["m"], res["S"], mu, C))}
    for c in man["minde"]:
        dx = c["dx"]
        D = 2 * dx
        u = load(c["z"], (c["n"], D))
        u = (u - u.mean(0)) / u.std(0, ddof=1)
        w = np.fromfile(c["weights"], dtype="<f8")
        res = {}
        for key, dtype in (("f32_t1", torch.float32), ("f64_t1", torch.float64)):
            net = mlp(D, man["hidden"], w, dtype)
            tb = best(lambda: minde_train(u, dx, net, c["steps"], man["batch"], man["lr"], dtype), c["repeats"])
            res[key] = c["steps"] / tb
        net = mlp(D, man["hidden"], w, torch.float64)
        B_ = man["batch"]
        inp = torch.tensor(np.fromfile(c["check"]["input"], dtype="<f8").reshape(B_, D + 6))
        skip = torch.tensor(np.fromfile(c["check"]["skip"], dtype="<f8").reshape(B_, D))
        scale = torch.tensor(np.fromfile(c["check"]["scale"], dtype="<f8").reshape(B_, D))
        eps = torch.tensor(np.fromfile(c["check"]["eps"], dtype="<f8").reshape(B_, D))
        with torch.no_grad():
            pred = skip + scale * net(inp)
            res["check_loss"] = float(((pred - eps) ** 2).sum() / B_)
        out["minde"][c["id"]] = res
    print(json.dumps(out))


if __name__ == "__main__":
    main()
