"""snippets/reference/layer_norm.py against hand-computed values and finite differences."""

from __future__ import annotations

import numpy as np
import pytest

from snippets.reference.layer_norm import layer_norm, layer_norm_backward
from tests.numerics import FLOAT64, assert_close
from tests.test_reference.test_batch_norm import _numerical_gradient


def test_each_sample_is_normalized_on_its_own():
    x = np.array([[1.0, 3.0], [10.0, 30.0]])
    y, _, var = layer_norm(x, np.ones(2), np.zeros(2))
    s = np.sqrt(np.array([1.0, 100.0]) + 1e-5)
    assert_close(y, [[-1 / s[0], 1 / s[0]], [-10 / s[1], 10 / s[1]]], "reference layer norm y (hand)", **FLOAT64)
    assert_close(var[:, 0], [1.0, 100.0], "reference layer norm var (hand)", **FLOAT64)


@pytest.mark.parametrize("shape, normalized_ndim", [((3, 5), 1), ((2, 3, 4), 1), ((2, 3, 4), 2)])
def test_backward_matches_finite_differences(shape, normalized_ndim):
    rng = np.random.default_rng(3)
    x, w = rng.normal(2, 1.5, size=shape), rng.normal(size=shape)
    pshape = shape[len(shape) - normalized_ndim:]
    gamma, beta = rng.uniform(0.5, 1.5, pshape), rng.normal(size=pshape)
    loss = lambda x_, g_=gamma, b_=beta: float((layer_norm(x_, g_, b_, normalized_ndim=normalized_ndim)[0] * w).sum())  # noqa: E731
    _, x_hat, var = layer_norm(x, gamma, beta, normalized_ndim=normalized_ndim)
    dx, dgamma, dbeta = layer_norm_backward(w, x_hat, var, gamma, normalized_ndim=normalized_ndim)
    assert_close(dx, _numerical_gradient(loss, x), "reference LN dx vs finite differences", rtol=1e-6, atol=1e-7)
    assert_close(dgamma, _numerical_gradient(lambda g: loss(x, g), gamma), "reference LN dgamma vs finite differences", rtol=1e-6, atol=1e-7)
    assert_close(dbeta, _numerical_gradient(lambda b: loss(x, gamma, b), beta), "reference LN dbeta vs finite differences", rtol=1e-6, atol=1e-7)


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: layer_norm(np.ones((2, 3)), np.ones(3), np.zeros(3), eps=0), "eps must be > 0"),
        (lambda: layer_norm(np.ones((2, 3)), np.ones(3), np.zeros(3), normalized_ndim=3), "normalized_ndim must be in"),
        (lambda: layer_norm(np.ones((2, 3)), np.ones(2), np.zeros(3)), r"gamma has shape \(2,\), expected \(3,\)"),
        (lambda: layer_norm(np.array([[np.nan, 1.0]]), np.ones(2), np.zeros(2)), "x contains NaN"),
        (lambda: layer_norm_backward(np.ones((2, 3)), np.ones((3, 3)), np.ones((3, 1)), np.ones(3)), r"dy has shape \(2, 3\)"),
        (lambda: layer_norm_backward(np.ones((2, 3)), np.ones((2, 3)), -np.ones((2, 1)), np.ones(3)), "^var must be >= 0$"),
    ],
)
def test_bad_input_raises_a_named_value_error(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_normalizing_every_axis_is_allowed_and_the_default_is_the_last_axis():
    rng = np.random.default_rng(6)
    x, dy = rng.normal(size=(2, 3, 4)), rng.normal(size=(2, 3, 4))
    y_all, x_hat_all, _ = layer_norm(x, np.ones((2, 3, 4)), np.zeros((2, 3, 4)), normalized_ndim=3)
    assert abs(y_all.mean()) < 1e-12 and abs(y_all.std() - 1) < 1e-5  # one mean/std over everything
    _, x_hat, var = layer_norm(x, np.ones(4), np.zeros(4))
    default = layer_norm_backward(dy, x_hat, var, np.ones(4))
    explicit = layer_norm_backward(dy, x_hat, var, np.ones(4), normalized_ndim=1)
    assert all(np.array_equal(a, b) for a, b in zip(default, explicit))


def test_a_constant_sample_has_zero_variance_and_a_finite_gradient():
    """var = 0 is legal (eps keeps the division safe); only a negative var is refused."""
    x = np.array([[2.0, 2.0, 2.0], [1.0, 2.0, 4.0]])
    _, x_hat, var = layer_norm(x, np.ones(3), np.zeros(3))
    assert var[0, 0] == 0.0
    dx, _, _ = layer_norm_backward(np.ones((2, 3)), x_hat, var, np.ones(3))
    assert np.all(np.isfinite(dx))
