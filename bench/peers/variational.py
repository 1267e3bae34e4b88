"""Peer of bench/suite-variational.ts: training throughput of a variational MI critic in PyTorch
(CPU), the same configuration as divlab's: d = 20, batch 64, separable critic f(x)^T g(y) with
f, g MLPs 20 -> 256 -> 256 -> 32 (ReLU), or the concatenated critic h([x, y]) 40 -> 256 -> 256 -> 1
over all 64 x 64 pairs; the InfoNCE or SMILE (tau = 5, trained through the JS objective) bound;
Adam lr 5e-4. The loop is the usual one: forward, loss, zero_grad, backward, step.

Usage: python variational.py <manifest.json>. The manifest names a pool of batches (raw float64
little-endian, pool x batch x d for x and y) written by the suite from divlab's seeded generator,
and divlab's initial weights of the separable critic. Prints one JSON object:
- per case, steps/s (best of `repeats` runs of `steps` steps; wall clock, and per CPU-second of the
  process, which a loaded machine disturbs less) in float32 at 1 thread and at the default thread
  count, and in float64 at 1 thread (divlab computes in float64);
- `check`: the InfoNCE values of the first steps in float64 from divlab's initial weights and
  batches, to compare step by step with divlab's own.
"""
import json
import math
import sys
import time

import numpy as np
import torch


def mlp(sizes):
    layers = []
    for i in range(len(sizes) - 1):
        layers.append(torch.nn.Linear(sizes[i], sizes[i + 1]))
        if i + 2 < len(sizes):
            layers.append(torch.nn.ReLU())
    return torch.nn.Sequential(*layers)


class Separable(torch.nn.Module):
    def __init__(self, d, hidden, embed):
        super().__init__()
        self.f = mlp([d, *hidden, embed])
        self.g = mlp([d, *hidden, embed])

    def forward(self, x, y):
        return self.f(x) @ self.g(y).T  # S[i, j] = f(x_i) . g(y_j)


class Concat(torch.nn.Module):
    def __init__(self, d, hidden):
        super().__init__()
        self.h = mlp([2 * d, *hidden, 1])

    def forward(self, x, y):
        n = x.shape[0]
        xy = torch.cat([x[:, None, :].expand(n, n, -1), y[None, :, :].expand(n, n, -1)], dim=-1)
        return self.h(xy).reshape(n, n)  # S[i, j] = h([x_i, y_j])


def logmeanexp_nodiag(s):
    n = s.shape[0]
    off = s.masked_fill(torch.eye(n, dtype=torch.bool), float("-inf"))
    return torch.logsumexp(off.reshape(-1), 0) - math.log(n * (n - 1))


def infonce(s):
    n = s.shape[0]
    return math.log(n) + (s.diag() - torch.logsumexp(s, dim=1)).mean()


def js_fgan(s):
    n = s.shape[0]
    d = s.diag()
    first = (-torch.nn.functional.softplus(-d)).mean()
    second = (torch.nn.functional.softplus(s).sum() - torch.nn.functional.softplus(d).sum()) / (n * (n - 1))
    return first - second


def smile(s, tau):
    dv = s.diag().mean() - logmeanexp_nodiag(torch.clamp(s, -tau, tau))
    j = js_fgan(s)
    return j + (dv - j).detach()  # value of the clipped DV, gradient of JS (Song & Ermon 2020)


def objective(bound, s):
    return infonce(s) if bound == "infonce" else smile(s, 5.0)


def run(case, man, X, Y, dtype, threads):
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    d, hidden, embed = man["d"], man["hidden"], man["embed"]
    net = Separable(d, hidden, embed) if case["critic"] == "separable" else Concat(d, hidden)
    net = net.to(dtype)
    opt = torch.optim.Adam(net.parameters(), lr=man["lr"])
    xs, ys = X.to(dtype), Y.to(dtype)
    pool = xs.shape[0]

    def steps(k):
        for t in range(k):
            s = net(xs[t % pool], ys[t % pool])
            loss = -objective(case["bound"], s)
            opt.zero_grad()
            loss.backward()
            opt.step()

    steps(case["warmup"])
    times, cpus = [], []
    for _ in range(case["repeats"]):
        t0 = time.perf_counter()
        c0 = time.process_time()
        steps(case["steps"])
        times.append(time.perf_counter() - t0)
        cpus.append(time.process_time() - c0)
    return {"steps_per_s": case["steps"] / min(times), "times": times,
            "steps_per_cpu_s": case["steps"] / min(cpus), "cpu": cpus}


def check(man, X, Y):
    """InfoNCE values of the first steps in float64 from divlab's initial weights."""
    torch.set_num_threads(1)
    d, hidden, embed = man["d"], man["hidden"], man["embed"]
    net = Separable(d, hidden, embed).to(torch.float64)
    w = np.fromfile(man["weights"], dtype="<f8")
    off = 0
    with torch.no_grad():
        for seq in (net.f, net.g):
            for layer in seq:
                if isinstance(layer, torch.nn.Linear):
                    fan_in, fan_out = layer.in_features, layer.out_features
                    W = w[off:off + fan_in * fan_out].reshape(fan_in, fan_out)  # divlab: x W (in x out)
                    off += fan_in * fan_out
                    b = w[off:off + fan_out]
                    off += fan_out
                    layer.weight.copy_(torch.from_numpy(W.T.copy()))
                    layer.bias.copy_(torch.from_numpy(b.copy()))
    opt = torch.optim.Adam(net.parameters(), lr=man["lr"])
    values = []
    for t in range(man["check_steps"]):
        s = net(X[t], Y[t])
        v = infonce(s)
        values.append(float(v.detach()))
        opt.zero_grad()
        (-v).backward()
        opt.step()
    return values


def main():
    man = json.load(open(sys.argv[1]))
    pool, batch, d = man["pool"], man["batch"], man["d"]
    X = torch.from_numpy(np.fromfile(man["x"], dtype="<f8").reshape(pool, batch, d))
    Y = torch.from_numpy(np.fromfile(man["y"], dtype="<f8").reshape(pool, batch, d))
    default_threads = torch.get_num_threads()
    out = {"torch": torch.__version__, "default_threads": default_threads, "results": {}}
    for case in man["cases"]:
        out["results"][case["id"]] = {
            "f32_t1": run(case, man, X, Y, torch.float32, 1),
            "f32_tall": run(case, man, X, Y, torch.float32, default_threads),
            "f64_t1": run(case, man, X, Y, torch.float64, 1),
        }
    out["check"] = check(man, X, Y)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
