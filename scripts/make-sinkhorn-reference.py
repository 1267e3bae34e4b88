#!/usr/bin/env python3
"""Writes test/fixtures/sinkhorn-reference.json: reference values of POT's `ot.sinkhorn2` on a few
shared cases, computed here in numpy float64 from the documented formulas (not POT's code):

  Cuturi (2013), "Sinkhorn distances", Alg. 1 / POT docs of ot.sinkhorn (method='sinkhorn'):
    K = exp(-M / reg);  repeat  v = b / (K^T u),  u = a / (K v)  until ||diag(u) K v - ... ||
    gamma = diag(u) K diag(v);   ot.sinkhorn2 returns <gamma, M>_F
  and the regularised objective <gamma, M> + reg * sum(gamma log gamma) (POT's Omega).

Iterated to a tight tolerance (column-marginal error < 1e-15 or 200 000 iterations) so that the
values are those of the converged plan; the test compares divlab's log-domain solver to them.
Run with bench/.venv/bin/python scripts/make-sinkhorn-reference.py
"""
import json
import os

import numpy as np


def sinkhorn_knopp(a, b, M, reg, tol=1e-15, max_iter=200_000):
    K = np.exp(-M / reg)
    u = np.ones_like(a) / a.size
    v = np.ones_like(b) / b.size
    err = np.inf
    it = 0
    for it in range(1, max_iter + 1):
        v = b / (K.T @ u)
        u = a / (K @ v)
        if it % 10 == 0:
            col = v * (K.T @ u)
            err = np.linalg.norm(col - b)
            if err < tol:
                break
    G = u[:, None] * K * v[None, :]
    return G, it, err


def case(name, a, b, M, reg):
    G, it, err = sinkhorn_knopp(a, b, M, reg)
    with np.errstate(divide="ignore", invalid="ignore"):
        ent = np.where(G > 0, G * np.log(G), 0.0).sum()
    return {
        "name": name,
        "a": a.tolist(),
        "b": b.tolist(),
        "M": M.tolist(),
        "reg": reg,
        "sinkhorn2": float((G * M).sum()),
        "regularized": float((G * M).sum() + reg * ent),
        "plan": G.tolist(),
        "iterations": it,
        "marginal_error": float(err),
    }


def main():
    rng = np.random.default_rng(20261123)
    cases = []
    # 1. Two points each, swapped cost: closed form P_01 = 0.5 / (1 + exp(1/reg)).
    cases.append(case("2x2-swap", np.array([0.5, 0.5]), np.array([0.5, 0.5]), np.array([[0.0, 1.0], [1.0, 0.0]]), 0.1))
    # 2. Random points in 2-D, squared Euclidean cost normalised by its max (POT's examples), n != m.
    xs, xt = rng.normal(size=(5, 2)), rng.normal(size=(7, 2)) + 1.0
    M = ((xs[:, None, :] - xt[None, :, :]) ** 2).sum(-1)
    M /= M.max()
    a = rng.random(5) + 0.1
    a /= a.sum()
    b = rng.random(7) + 0.1
    b /= b.sum()
    for reg in (1.0, 0.1, 0.05):
        cases.append(case(f"random-5x7-reg{reg}", a, b, M, reg))
    # 3. Histograms on a 1-D grid (bimodal vs unimodal), cost |x - y|^2 on [0, 1], small reg.
    x = np.linspace(0, 1, 20)
    p = np.exp(-((x - 0.2) ** 2) / 0.005) + np.exp(-((x - 0.75) ** 2) / 0.01)
    q = np.exp(-((x - 0.5) ** 2) / 0.02)
    p /= p.sum()
    q /= q.sum()
    Mg = (x[:, None] - x[None, :]) ** 2
    for reg in (0.05, 0.01):
        cases.append(case(f"grid-20-reg{reg}", p, q, Mg, reg))
    # 4. A zero mass in a (that row of the plan is 0).
    a0 = np.array([0.3, 0.0, 0.5, 0.2])
    b0 = np.array([0.25, 0.25, 0.5])
    M0 = np.abs(np.arange(4)[:, None] - 1.5 * np.arange(3)[None, :]).astype(float)
    cases.append(case("zero-mass-4x3", a0, b0, M0, 0.5))
    out = {
        "generator": "scripts/make-sinkhorn-reference.py (numpy %s, float64; Sinkhorn-Knopp to tol 1e-15)" % np.__version__,
        "cases": cases,
    }
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    path = os.path.join(root, "test", "fixtures", "sinkhorn-reference.json")
    with open(path, "w") as f:
        json.dump(out, f, indent=1)
    for c in cases:
        print(f"{c['name']}: sinkhorn2 = {c['sinkhorn2']:.15g}, iterations {c['iterations']}, err {c['marginal_error']:.2e}")


if __name__ == "__main__":
    main()
