"""Comparison helpers and tolerances: the one place tolerances are defined and justified.

Every framework number is compared with the float64 NumPy reference computed from the
same float32-rounded inputs (so the reference sees exactly what the framework saw).
The largest error seen per quantity is recorded and printed at the end of the run.
"""

from __future__ import annotations

import math
from collections import defaultdict

import numpy as np

from tests.verification import RECORDER

# float32 outputs (y, dx, eval y) on CPU: torch.testing's float32 defaults. Measured
# errors are <= 6.5e-7 (bn-spec section 3), ~15x under atol, so a real bug (a wrong eps,
# a biased/unbiased swap: differences >= 1e-3 here) cannot hide inside them.
CPU = {"rtol": 1.3e-6, "atol": 1e-5}
# CUDA float32 (bn-spec section 3, not yet measured on a GPU here): CUDA accumulates in
# float, not double, and cuDNN uses other reduction orders.
CUDA = {"rtol": 1e-4, "atol": 1e-4}
# Running statistics: one fused multiply-add per step from float32 batch statistics.
RUNNING = {"rtol": 1e-5, "atol": 1e-6}
# Keras computes in float32 through TF kernels with their own reduction order (measured
# 8.7e-7 on y, 1.6e-6 on dgamma at m=120).
KERAS = {"rtol": 1e-5, "atol": 1e-5}
# float64 against float64: only rounding-order differences remain.
FLOAT64 = {"rtol": 1e-10, "atol": 1e-12}


def for_device(device: str) -> dict:
    return CUDA if str(device).startswith("cuda") or "GPU" in str(device) else CPU


def param_grad(device: str, m: int) -> dict:
    """dgamma and dbeta are sums over m values: float32 rounding grows like sqrt(m)."""
    base = for_device(device)
    return {"rtol": base["rtol"] * 10, "atol": base["atol"] * max(1.0, math.sqrt(m) / 10)}


LARGEST_ERROR: dict[str, float] = defaultdict(float)


def to_numpy(value) -> np.ndarray:
    if hasattr(value, "detach"):  # torch
        value = value.detach().cpu().numpy()
    return np.asarray(value, dtype=np.float64)


def assert_close(actual, expected, quantity: str, rtol: float, atol: float) -> float:
    """Assert |actual - expected| <= atol + rtol*|expected| everywhere; record the max error."""
    actual, expected = to_numpy(actual), to_numpy(expected)
    assert actual.shape == expected.shape, f"{quantity}: shape {actual.shape} != {expected.shape}"
    error = np.abs(actual - expected)
    worst = float(error.max()) if error.size else 0.0
    LARGEST_ERROR[quantity] = max(LARGEST_ERROR[quantity], worst)
    RECORDER.error_seen(worst)  # the snippet's "largest error against the reference" on the site
    allowed = atol + rtol * np.abs(expected)
    bad = error > allowed
    assert not bad.any(), (
        f"{quantity}: {int(bad.sum())}/{error.size} values off; max error {worst:.3e} "
        f"(atol={atol}, rtol={rtol})"
    )
    return worst


def assert_layer_close(label: str, actual, expected, values: dict, sums: dict) -> None:
    """A normalization layer's (y, dx, dgamma, dbeta) against the reference's: y and dx with
    the `values` tolerance, dgamma and dbeta (sums over many values) with `sums`. `label`
    has a {} where the quantity's name goes, e.g. "torch GroupNorm {} (cpu)"."""
    for name, a, e, tolerance in zip(("y", "dx", "dgamma", "dbeta"), actual, expected, (values, values, sums, sums)):
        assert_close(a, e, label.format(name), **tolerance)


def assert_differs(actual, expected, quantity: str, at_least: float) -> float:
    """Negative control: the two must differ by at least `at_least` somewhere."""
    gap = float(np.abs(to_numpy(actual) - to_numpy(expected)).max())
    assert gap >= at_least, f"{quantity}: expected a visible difference >= {at_least}, got {gap:.3e}"
    return gap
