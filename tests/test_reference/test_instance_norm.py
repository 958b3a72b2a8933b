"""snippets/reference/instance_norm.py: per sample and per channel, checked by a loop."""

from __future__ import annotations

import numpy as np
import pytest

from snippets.reference.instance_norm import instance_norm, instance_norm_backward
from tests.numerics import FLOAT64, assert_close
from tests.test_reference.test_batch_norm import _numerical_gradient


@pytest.mark.parametrize("shape, axis", [((2, 3, 4, 5), 1), ((2, 4, 5, 3), -1), ((3, 2, 6), 1)])
def test_each_channel_of_each_sample_is_normalized_over_its_positions(shape, axis):
    rng = np.random.default_rng(8)
    x = rng.normal(1.0, 2.0, size=shape)
    channels = shape[axis]
    gamma, beta = rng.uniform(0.5, 1.5, channels), rng.normal(size=channels)
    y, _, var = instance_norm(x, gamma, beta, axis=axis)
    assert var.shape == (shape[0], channels)
    xs, ys = np.moveaxis(x, axis, 1), np.moveaxis(y, axis, 1)
    for n in range(shape[0]):
        for c in range(channels):  # one mean and variance per (sample, channel), by hand
            values = xs[n, c]
            expected = gamma[c] * (values - values.mean()) / np.sqrt(values.var() + 1e-5) + beta[c]
            assert_close(ys[n, c], expected, "reference IN y (loop)", **FLOAT64)


def test_backward_matches_finite_differences():
    rng = np.random.default_rng(9)
    x, w = rng.normal(size=(2, 3, 2, 3)), rng.normal(size=(2, 3, 2, 3))
    gamma, beta = rng.uniform(0.5, 1.5, 3), rng.normal(size=3)
    loss = lambda x_, g_=gamma, b_=beta: float((instance_norm(x_, g_, b_)[0] * w).sum())  # noqa: E731
    _, x_hat, var = instance_norm(x, gamma, beta)
    dx, dgamma, dbeta = instance_norm_backward(w, x_hat, var, gamma)
    # central differences in float64: ~1e-9 (see test_batch_norm)
    assert_close(dx, _numerical_gradient(loss, x), "reference IN dx vs finite differences", rtol=1e-6, atol=1e-7)
    assert_close(dgamma, _numerical_gradient(lambda g: loss(x, g), gamma), "reference IN dgamma vs finite differences", rtol=1e-6, atol=1e-7)
    assert_close(dbeta, _numerical_gradient(lambda b: loss(x, gamma, b), beta), "reference IN dbeta vs finite differences", rtol=1e-6, atol=1e-7)


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: instance_norm(np.ones((4, 3)), np.ones(3), np.zeros(3)), r"^instance norm needs at least one spatial axis: expected \(N, C, \.\.\.\), got shape \(4, 3\)$"),
        (lambda: instance_norm(np.ones((2, 3, 1)), np.ones(3), np.zeros(3)), "^expected more than 1 value per group"),
        (lambda: instance_norm(np.ones((2, 3, 4)), np.ones(3), np.zeros(3), axis=5), "^channel axis 5 is out of range"),
        (lambda: instance_norm_backward(np.ones((4, 3)), np.ones((4, 3)), np.ones((4, 3)), np.ones(3)), "^instance norm needs at least one spatial axis"),
        (lambda: instance_norm_backward(np.ones((2, 3, 4)), np.ones((2, 3, 4)), np.ones((2, 3)), np.ones(3), eps=0.0), "^eps must be > 0"),
    ],
)
def test_bad_input_raises_a_named_value_error(call, message):
    with pytest.raises(ValueError, match=message):
        call()
