"""snippets/reference/fold.py: the folded layer equals linear/conv followed by eval-mode BN."""

from __future__ import annotations

import numpy as np
import pytest

from snippets.reference.batch_norm import batch_norm_eval
from snippets.reference.fold import fold_batch_norm
from tests.numerics import FLOAT64, assert_close


def _bn_params(rng, channels):
    return rng.normal(size=channels), rng.uniform(0.5, 2, channels), rng.uniform(0.5, 1.5, channels), rng.normal(size=channels)


@pytest.mark.parametrize("bias", [True, False])
def test_folded_linear_equals_linear_then_bn(bias):
    rng = np.random.default_rng(4)
    w, b, x = rng.normal(size=(5, 3)), (rng.normal(size=5) if bias else None), rng.normal(size=(7, 3))
    rm, rv, gamma, beta = _bn_params(rng, 5)
    w2, b2 = fold_batch_norm(w, b, rm, rv, gamma, beta)
    z = x @ w.T + (b if bias else 0.0)
    assert_close(x @ w2.T + b2, batch_norm_eval(z, rm, rv, gamma, beta), "reference fold (linear)", **FLOAT64)


def test_folded_1x1_transposed_weight_uses_axis_1():
    # A weight stored (in, out, ...) as ConvTranspose does: out channels on axis 1.
    rng = np.random.default_rng(5)
    w = rng.normal(size=(3, 4, 1, 1))
    rm, rv, gamma, beta = _bn_params(rng, 4)
    w2, b2 = fold_batch_norm(w, None, rm, rv, gamma, beta, out_axis=1)
    x = rng.normal(size=(2, 3))
    z = x @ w[:, :, 0, 0]
    assert_close(x @ w2[:, :, 0, 0] + b2, batch_norm_eval(z, rm, rv, gamma, beta), "reference fold (transposed)", **FLOAT64)


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"eps": 0.0}, "eps must be > 0"),
        ({"out_axis": 3}, "out_axis 3 is out of range"),
        ({"bias": np.zeros(2)}, r"bias has shape \(2,\), expected \(4,\)"),
        ({"running_var": np.ones(3)}, "running_var has shape"),
    ],
)
def test_bad_input_raises_a_named_value_error(kwargs, message):
    args = {"weight": np.ones((4, 3)), "bias": None, "running_mean": np.zeros(4), "running_var": np.ones(4),
            "gamma": np.ones(4), "beta": np.zeros(4), **kwargs}
    with pytest.raises(ValueError, match=message):
        fold_batch_norm(**args)


def test_out_axis_accepts_every_axis_of_the_weight_and_nothing_else():
    rng = np.random.default_rng(5)
    w, c = rng.normal(size=(3, 2, 3, 3)), np.ones(3)
    rm, rv = rng.normal(size=3), rng.uniform(0.5, 2, 3)
    expected = fold_batch_norm(w, None, rm, rv, c, c, out_axis=0)
    for alias in (-4,):  # the most negative legal index is axis 0
        folded = fold_batch_norm(w, None, rm, rv, c, c, out_axis=alias)
        assert all(np.array_equal(a, b) for a, b in zip(folded, expected))
    for bad in (4, -5):
        with pytest.raises(ValueError, match=f"out_axis {bad} is out of range"):
            fold_batch_norm(w, None, rm, rv, c, c, out_axis=bad)
