"""snippets/reference/group_norm.py against hand-computed values, finite differences,
layer norm (one group) and a per-channel loop (one channel per group)."""

from __future__ import annotations

import numpy as np
import pytest

from snippets.reference.group_norm import group_norm, group_norm_backward
from snippets.reference.layer_norm import layer_norm, layer_norm_backward
from tests.numerics import FLOAT64, assert_close, assert_differs
from tests.test_reference.test_batch_norm import _numerical_gradient


def test_each_group_of_each_sample_is_normalized_on_its_own():
    # 1 sample, 4 channels of 1 position, 2 groups: {1, 3} and {10, 30}
    x = np.array([[1.0, 3.0, 10.0, 30.0]])
    y, _, var = group_norm(x, np.ones(4), np.zeros(4), groups=2)
    s = np.sqrt(np.array([1.0, 100.0]) + 1e-5)
    assert_close(var, [[1.0, 100.0]], "reference GN var (hand)", **FLOAT64)
    assert_close(y, [[-1 / s[0], 1 / s[0], -10 / s[1], 10 / s[1]]], "reference GN y (hand)", **FLOAT64)


@pytest.mark.parametrize("shape, groups, axis", [((3, 4, 5), 2, 1), ((2, 6, 2, 3), 3, 1), ((2, 3, 2, 4), 2, -1), ((2, 4, 3), 4, 1)])
def test_backward_matches_finite_differences(shape, groups, axis):
    rng = np.random.default_rng(4)
    x, w = rng.normal(1.0, 2.0, size=shape), rng.normal(size=shape)
    channels = shape[axis]
    gamma, beta = rng.uniform(0.5, 1.5, channels), rng.normal(size=channels)
    loss = lambda x_, g_=gamma, b_=beta: float((group_norm(x_, g_, b_, groups, axis=axis)[0] * w).sum())  # noqa: E731
    _, x_hat, var = group_norm(x, gamma, beta, groups, axis=axis)
    dx, dgamma, dbeta = group_norm_backward(w, x_hat, var, gamma, groups, axis=axis)
    # central differences in float64: ~1e-9 (see test_batch_norm)
    assert_close(dx, _numerical_gradient(loss, x), "reference GN dx vs finite differences", rtol=1e-6, atol=1e-7)
    assert_close(dgamma, _numerical_gradient(lambda g: loss(x, g), gamma), "reference GN dgamma vs finite differences", rtol=1e-6, atol=1e-7)
    assert_close(dbeta, _numerical_gradient(lambda b: loss(x, gamma, b), beta), "reference GN dbeta vs finite differences", rtol=1e-6, atol=1e-7)


def test_one_group_is_layer_norm_over_channels_and_positions():
    rng = np.random.default_rng(5)
    x, dy = rng.normal(2.0, 3.0, size=(3, 4, 2, 5)), rng.normal(size=(3, 4, 2, 5))
    gamma, beta = rng.uniform(0.5, 1.5, 4), rng.normal(size=4)
    # layer norm's gamma has one entry per normalized value: the channel's gamma, repeated
    gamma_full, beta_full = np.broadcast_to(gamma[:, None, None], (4, 2, 5)), np.broadcast_to(beta[:, None, None], (4, 2, 5))
    y, x_hat, var = group_norm(x, gamma, beta, groups=1)
    y_ln, x_hat_ln, var_ln = layer_norm(x, gamma_full, beta_full, normalized_ndim=3)
    assert_close(y, y_ln, "reference GN(groups=1) vs layer norm over (C, H, W): y", **FLOAT64)
    assert_close(var, var_ln.reshape(3, 1), "reference GN(groups=1) vs layer norm: var", **FLOAT64)
    dx, dgamma, _ = group_norm_backward(dy, x_hat, var, gamma, groups=1)
    dx_ln, dgamma_ln, _ = layer_norm_backward(dy, x_hat_ln, var_ln, gamma_full, normalized_ndim=3)
    assert_close(dx, dx_ln, "reference GN(groups=1) vs layer norm: dx", **FLOAT64)
    assert_close(dgamma, dgamma_ln.sum(axis=(1, 2)), "reference GN(groups=1) vs layer norm: dgamma", **FLOAT64)


def test_channels_last_is_the_same_computation_as_channels_first():
    rng = np.random.default_rng(6)
    x = rng.normal(size=(2, 6, 3, 3))
    gamma, beta = rng.uniform(0.5, 1.5, 6), rng.normal(size=6)
    first, _, var_first = group_norm(x, gamma, beta, groups=3, axis=1)
    last, _, var_last = group_norm(np.moveaxis(x, 1, -1), gamma, beta, groups=3, axis=-1)
    assert_close(np.moveaxis(last, -1, 1), first, "reference GN channels-last vs channels-first", **FLOAT64)
    assert_close(var_last, var_first, "reference GN var channels-last vs channels-first", **FLOAT64)


def test_groups_are_consecutive_channels_and_the_batch_does_not_matter():
    rng = np.random.default_rng(7)
    x = rng.normal(size=(3, 4, 5))
    y, _, _ = group_norm(x, np.ones(4), np.zeros(4), groups=2)
    for n in range(3):  # sample n, group 1 = channels 2 and 3, normalized by hand
        values = x[n, 2:4]
        by_hand = (values - values.mean()) / np.sqrt(values.var() + 1e-5)
        assert_close(y[n, 2:4], by_hand, "reference GN group 1 (hand)", **FLOAT64)
        alone, _, _ = group_norm(x[n : n + 1], np.ones(4), np.zeros(4), groups=2)
        assert np.array_equal(alone[0], y[n])  # a sample alone: bit for bit the same
    interleaved = x[:, [0, 2, 1, 3]]  # a control: grouping channels {0, 2} and {1, 3} differs
    assert_differs(group_norm(interleaved, np.ones(4), np.zeros(4), groups=2)[0][:, [0, 2, 1, 3]], y,
                   "reference GN consecutive vs interleaved groups (control)", at_least=0.1)


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: group_norm(np.ones((2, 4, 3)), np.ones(4), np.zeros(4), groups=3), "^groups=3 does not divide the 4 channels$"),
        (lambda: group_norm(np.ones((2, 4, 3)), np.ones(4), np.zeros(4), groups=0), "^groups must be a positive integer, got 0$"),
        (lambda: group_norm(np.ones((2, 4, 3)), np.ones(4), np.zeros(4), groups=2.0), "^groups must be a positive integer, got 2.0$"),
        (lambda: group_norm(np.ones((2, 4, 3)), np.ones(4), np.zeros(4), groups=True), "^groups must be a positive integer, got True$"),
        (lambda: group_norm(np.ones((2, 4)), np.ones(4), np.zeros(4), groups=4), r"^expected more than 1 value per group, got input shape \(2, 4\)"),
        (lambda: group_norm(np.ones(4), np.ones(4), np.zeros(4), groups=1), "x must have at least 2 dimensions"),
        (lambda: group_norm(np.ones((2, 4, 3)), np.ones(4), np.zeros(4), groups=2, eps=-1.0), "^eps must be > 0, got -1.0$"),
        (lambda: group_norm(np.ones((2, 4, 3)), np.ones(4), np.zeros(4), groups=2, axis=0), "^channel axis 0 is the batch axis$"),
        (lambda: group_norm_backward(np.ones((2, 4, 3)), np.ones((2, 4, 2)), np.ones((2, 2)), np.ones(4), 2), r"^dy has shape \(2, 4, 3\), expected \(2, 4, 2\)$"),
        (lambda: group_norm_backward(np.ones((2, 4, 3)), np.ones((2, 4, 3)), np.ones((2, 4)), np.ones(4), 2), r"^var has shape \(2, 4\), expected \(2, 2\)"),
        (lambda: group_norm_backward(np.ones((2, 4, 3)), np.ones((2, 4, 3)), -np.ones((2, 2)), np.ones(4), 2), "^var must be >= 0$"),
        (lambda: group_norm_backward(np.ones((2, 4, 3)), np.ones((2, 4, 3)), np.ones((2, 1)), np.ones(4), 3), "^groups=3 does not divide"),
        (lambda: group_norm_backward(np.ones((2, 4, 3)), np.ones((2, 4, 3)), np.ones((2, 2)), np.ones(4), 2, eps=0.0), "^eps must be > 0"),
    ],
)
def test_bad_input_raises_a_named_value_error(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_a_constant_group_has_zero_variance_and_a_finite_gradient():
    x = np.array([[[2.0, 2.0], [2.0, 2.0], [1.0, 5.0], [0.0, 3.0]]])  # group 0 is constant
    _, x_hat, var = group_norm(x, np.ones(4), np.zeros(4), groups=2)
    assert var[0, 0] == 0.0
    dx, _, _ = group_norm_backward(np.ones_like(x), x_hat, var, np.ones(4), groups=2)
    assert np.all(np.isfinite(dx))
