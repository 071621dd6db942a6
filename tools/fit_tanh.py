#!/usr/bin/python3
"""Fits the rational tanh of the recurrent cell kernels (src/nn/kernels/kernels_impl.inc).

tanh(x) ~ x P(x^2) / Q(x^2) on [0, 9] with P(0) = Q(0) = 1 (odd, exact slope at 0), degrees
4 and 4 in x^2; minimax on the absolute error by Lawson's iteratively reweighted least
squares on the linearised problem x P(z) - tanh(x) Q(z) = 0. Prints the coefficients and
the error of a float32 Horner evaluation. Run with /usr/bin/python3 (numpy).
"""
import numpy as np

DEG_P, DEG_Q, X_MAX, ITERATIONS = 4, 4, 9.0, 400


def fit():
    x = np.concatenate([np.linspace(0, 1, 6000), np.linspace(1, X_MAX, 12000)])[1:]
    z, t = x * x, np.tanh(x)
    a = np.hstack([np.stack([x * z**k for k in range(1, DEG_P + 1)], 1),
                   -np.stack([t * z**k for k in range(1, DEG_Q + 1)], 1)])
    b = t - x
    w, q_val, best = np.ones_like(x), np.ones_like(x), (np.inf, None)
    for _ in range(ITERATIONS):
        scale = np.sqrt(w) / q_val
        sol = np.linalg.lstsq(a * scale[:, None], b * scale, rcond=None)[0]
        p = np.concatenate([[1.0], sol[:DEG_P]])
        q = np.concatenate([[1.0], sol[DEG_P:]])
        q_val = np.polyval(q[::-1], z)
        err = x * np.polyval(p[::-1], z) / q_val - t
        worst = np.abs(err).max()
        if worst < best[0]:
            best = (worst, (p, q))
        w = w * (np.abs(err) / worst) ** 0.5 + 1e-15
        w /= w.sum()
    return best


def horner32(c, z):
    acc = np.float32(c[-1])
    for k in c[-2::-1]:
        acc = (acc * z + np.float32(k)).astype(np.float32)
    return acc


def main():
    worst, (p, q) = fit()
    xs = np.linspace(-12, 12, 2_000_001).astype(np.float32)
    xc = np.clip(xs, -X_MAX, X_MAX).astype(np.float32)
    z = (xc * xc).astype(np.float32)
    r = np.clip(xc * horner32(p, z) / horner32(q, z), -1, 1).astype(np.float32)
    true = np.tanh(xs.astype(np.float64))
    print(f"fit |error| {worst:.3g}; float32 |error| {np.abs(r - true).max():.3g}")
    print("p:", ", ".join(f"{v:.9e}f" for v in p[1:]))
    print("q:", ", ".join(f"{v:.9e}f" for v in q[1:]))


if __name__ == "__main__":
    main()
