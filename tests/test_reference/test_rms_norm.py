"""snippets/reference/rms_norm.py against hand-computed values, finite differences and layer norm."""

from __future__ import annotations

import numpy as np
import pytest

from snippets.reference.layer_norm import layer_norm
from snippets.reference.rms_norm import rms_norm, rms_norm_backward
from tests.numerics import FLOAT64, assert_close, assert_differs
from tests.test_reference.test_batch_norm import _numerical_gradient


def test_each_sample_is_divided_by_its_root_mean_square_without_centering():
    x = np.array([[3.0, 4.0], [1.0, 1.0]])
    y, _, mean_square = rms_norm(x, np.ones(2), eps=1e-6)
    assert_close(mean_square[:, 0], [12.5, 1.0], "reference rms mean square (hand)", **FLOAT64)
    assert_close(y, x / np.sqrt(np.array([[12.5], [1.0]]) + 1e-6), "reference rms y (hand)", **FLOAT64)
    assert y[1, 0] > 0.99  # a constant sample is NOT centered (layer norm would give 0)


@pytest.mark.parametrize("shape, normalized_ndim", [((3, 5), 1), ((2, 3, 4), 1), ((2, 3, 4), 2)])
def test_backward_matches_finite_differences(shape, normalized_ndim):
    rng = np.random.default_rng(1)
    x, w = rng.normal(1.0, 2.0, size=shape), rng.normal(size=shape)
    gamma = rng.uniform(0.5, 1.5, size=shape[len(shape) - normalized_ndim:])
    loss = lambda x_, g_=gamma: float((rms_norm(x_, g_, normalized_ndim=normalized_ndim)[0] * w).sum())  # noqa: E731
    _, x_hat, mean_square = rms_norm(x, gamma, normalized_ndim=normalized_ndim)
    dx, dgamma = rms_norm_backward(w, x_hat, mean_square, gamma, normalized_ndim=normalized_ndim)
    # central differences in float64: ~1e-9 (see test_batch_norm)
    assert_close(dx, _numerical_gradient(loss, x), "reference RMS dx vs finite differences", rtol=1e-6, atol=1e-7)
    assert_close(dgamma, _numerical_gradient(lambda g: loss(x, g), gamma), "reference RMS dgamma vs finite differences", rtol=1e-6, atol=1e-7)


def test_equals_layer_norm_on_zero_mean_input_and_not_otherwise():
    rng = np.random.default_rng(2)
    x = rng.normal(size=(4, 6))
    centered = x - x.mean(axis=1, keepdims=True)
    gamma = rng.uniform(0.5, 1.5, 6)
    rms, _, _ = rms_norm(centered, gamma, eps=1e-5)
    ln, _, _ = layer_norm(centered, gamma, np.zeros(6), eps=1e-5)
    assert_close(rms, ln, "reference RMS vs layer norm, zero-mean input", **FLOAT64)
    assert_differs(rms_norm(x + 3.0, gamma, eps=1e-5)[0], layer_norm(x + 3.0, gamma, np.zeros(6), eps=1e-5)[0],
                   "reference RMS vs layer norm, mean 3 (control)", at_least=0.5)


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: rms_norm(np.ones((2, 3)), np.ones(3), eps=0), "eps must be > 0"),
        (lambda: rms_norm(np.ones((2, 3)), np.ones(2)), r"^gamma has shape \(2,\), expected \(3,\)"),
        (lambda: rms_norm(np.ones((2, 3)), np.ones(3), normalized_ndim=3), "normalized_ndim must be in"),
        (lambda: rms_norm_backward(np.ones((2, 3)), np.ones((3, 3)), np.ones((3, 1)), np.ones(3)), r"^dy has shape \(2, 3\)"),
        (lambda: rms_norm_backward(np.ones((2, 3)), np.ones((2, 3)), -np.ones((2, 1)), np.ones(3)), "^mean_square must be >= 0$"),
    ],
)
def test_bad_input_raises_a_named_value_error(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_an_all_zero_sample_is_legal_and_has_a_finite_gradient():
    """mean_square = 0 is legal (eps keeps the division safe); only a negative one is refused."""
    x = np.array([[0.0, 0.0, 0.0], [1.0, 2.0, 4.0]])
    _, x_hat, mean_square = rms_norm(x, np.ones(3))
    assert mean_square[0, 0] == 0.0
    dx, _ = rms_norm_backward(np.ones((2, 3)), x_hat, mean_square, np.ones(3))
    assert np.all(np.isfinite(dx))
