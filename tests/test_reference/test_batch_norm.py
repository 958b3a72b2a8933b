"""snippets/reference/batch_norm.py against hand-computed values and finite differences."""

from __future__ import annotations

import numpy as np
import pytest

from snippets.reference.batch_norm import (
    batch_norm_backward,
    batch_norm_eval,
    batch_norm_eval_backward,
    batch_norm_train,
)
from tests.numerics import FLOAT64, assert_close


def test_two_by_two_by_hand():
    x = np.array([[1.0, 10.0], [3.0, 30.0]])  # 2 samples, 2 features
    y, stats = batch_norm_train(x, gamma=[1.0, 2.0], beta=[0.0, 1.0], eps=1e-5)
    assert_close(stats.mean, [2.0, 20.0], "reference mean (hand)", **FLOAT64)
    assert_close(stats.var, [1.0, 100.0], "reference biased var (hand)", **FLOAT64)  # /m, not /(m-1)
    s = np.sqrt(np.array([1.0, 100.0]) + 1e-5)
    expected = np.array([[-1.0 / s[0], 2 * -10.0 / s[1] + 1], [1.0 / s[0], 2 * 10.0 / s[1] + 1]])
    assert_close(y, expected, "reference y (hand)", **FLOAT64)


def test_eps_is_inside_the_square_root():
    x = np.array([[0.0], [2e-3]])  # variance 1e-6, comparable to eps
    y, _ = batch_norm_train(x, [1.0], [0.0], eps=1e-6)
    assert_close(y[:, 0], [-1e-3 / np.sqrt(2e-6), 1e-3 / np.sqrt(2e-6)], "reference eps placement", **FLOAT64)


@pytest.mark.parametrize("shape, axis", [((6, 4), 1), ((3, 4, 5), 1), ((2, 4, 3, 3), 1), ((2, 3, 3, 4), -1), ((2, 3, 2, 2, 4), 4)])
def test_any_rank_and_channel_axis(shape, axis):
    rng = np.random.default_rng(0)
    x = rng.normal(3, 2, size=shape)
    channels = shape[axis]
    y, stats = batch_norm_train(x, np.ones(channels), np.zeros(channels), axis=axis)
    moved = np.moveaxis(y, axis, -1).reshape(-1, channels)
    assert_close(moved.mean(axis=0), np.zeros(channels), "reference normalized mean", **FLOAT64)
    assert_close(moved.var(axis=0), stats.var / (stats.var + 1e-5), "reference normalized var", rtol=1e-9, atol=1e-12)
    assert stats.count == x.size // channels


def _numerical_gradient(f, value, step=1e-6):
    grad = np.zeros_like(value)
    for index in np.ndindex(value.shape):
        plus, minus = value.copy(), value.copy()
        plus[index] += step
        minus[index] -= step
        grad[index] = (f(plus) - f(minus)) / (2 * step)
    return grad


@pytest.mark.parametrize("shape", [(5, 3), (3, 2, 4)])
def test_training_backward_matches_finite_differences(shape):
    rng = np.random.default_rng(1)
    x, w = rng.normal(1, 2, size=shape), rng.normal(size=shape)
    gamma, beta = rng.uniform(0.5, 1.5, shape[1]), rng.normal(size=shape[1])
    loss = lambda x_, g_=gamma, b_=beta: float((batch_norm_train(x_, g_, b_)[0] * w).sum())  # noqa: E731
    _, stats = batch_norm_train(x, gamma, beta)
    dx, dgamma, dbeta = batch_norm_backward(w, gamma, stats)
    # central differences in float64: truncation ~step^2, rounding ~1e-16/step -> ~1e-9
    assert_close(dx, _numerical_gradient(loss, x), "reference dx vs finite differences", rtol=1e-6, atol=1e-7)
    assert_close(dgamma, _numerical_gradient(lambda g: loss(x, g), gamma), "reference dgamma vs finite differences", rtol=1e-6, atol=1e-7)
    assert_close(dbeta, _numerical_gradient(lambda b: loss(x, gamma, b), beta), "reference dbeta vs finite differences", rtol=1e-6, atol=1e-7)


def test_eval_forward_and_backward_match_finite_differences():
    rng = np.random.default_rng(2)
    x, w = rng.normal(size=(4, 3, 2)), rng.normal(size=(4, 3, 2))
    rm, rv, gamma, beta = rng.normal(size=3), rng.uniform(0.5, 2, 3), rng.uniform(0.5, 1.5, 3), rng.normal(size=3)
    y = batch_norm_eval(x, rm, rv, gamma, beta)
    assert_close(y, gamma[None, :, None] * (x - rm[None, :, None]) / np.sqrt(rv[None, :, None] + 1e-5) + beta[None, :, None], "reference eval y", **FLOAT64)
    dx, dgamma, dbeta = batch_norm_eval_backward(w, x, rm, rv, gamma)
    loss = lambda x_, g_=gamma: float((batch_norm_eval(x_, rm, rv, g_, beta) * w).sum())  # noqa: E731
    assert_close(dx, _numerical_gradient(loss, x), "reference eval dx vs finite differences", rtol=1e-6, atol=1e-7)
    assert_close(dgamma, _numerical_gradient(lambda g: loss(x, g), gamma), "reference eval dgamma vs finite differences", rtol=1e-6, atol=1e-7)
    assert_close(dbeta, w.sum(axis=(0, 2)), "reference eval dbeta", **FLOAT64)


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: batch_norm_train(np.ones((1, 3)), np.ones(3), np.zeros(3)), "more than 1 value per channel"),
        (lambda: batch_norm_train(np.ones((1, 3, 1, 1)), np.ones(3), np.zeros(3)), "more than 1 value per channel"),
        (lambda: batch_norm_train(np.ones((4, 3)), np.ones(3), np.zeros(3), eps=0.0), "eps must be > 0"),
        (lambda: batch_norm_train(np.ones((4, 3)), np.ones(3), np.zeros(3), eps=-1e-5), "eps must be > 0"),
        (lambda: batch_norm_train(np.ones((4, 3)), np.ones(3), np.zeros(3), eps=float("nan")), "eps must be > 0"),
        (lambda: batch_norm_train(np.ones((4, 3)), np.ones(3), np.zeros(3), axis=2), "channel axis 2 is out of range"),
        (lambda: batch_norm_train(np.ones((4, 3)), np.ones(3), np.zeros(3), axis=0), "batch axis"),
        (lambda: batch_norm_train(np.ones(4), np.ones(1), np.zeros(1)), "at least 2 dimensions"),
        (lambda: batch_norm_train(np.ones((4, 3)), np.ones(4), np.zeros(3)), "gamma has shape (4,), expected (3,)"),
        (lambda: batch_norm_train(np.ones((4, 3)), np.ones(3), np.zeros(2)), "beta has shape (2,), expected (3,)"),
        (lambda: batch_norm_train(np.array([[1.0, np.nan], [2.0, 3.0]]), np.ones(2), np.zeros(2)), "x contains NaN or infinity"),
        (lambda: batch_norm_train(np.array([[1.0, np.inf], [2.0, 3.0]]), np.ones(2), np.zeros(2)), "x contains NaN or infinity"),
        (lambda: batch_norm_eval(np.ones((1, 3)), np.zeros(3), -np.ones(3), np.ones(3), np.zeros(3)), "running_var must be >= 0"),
        (lambda: batch_norm_eval(np.ones((1, 3)), np.zeros(2), np.ones(3), np.ones(3), np.zeros(3)), "running_mean has shape (2,)"),
        (lambda: batch_norm_backward(np.ones((2, 3)), np.ones(3), batch_norm_train(np.eye(3), np.ones(3), np.zeros(3))[1]), "dy has shape (2, 3), expected (3, 3)"),
        (lambda: batch_norm_eval_backward(np.ones((2, 3)), np.ones((3, 3)), np.zeros(3), np.ones(3), np.ones(3)), "dy has shape (2, 3), expected (3, 3)"),
    ],
)
def test_bad_input_raises_a_named_value_error(call, message):
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        call()


def test_two_values_per_channel_are_enough():
    # (1, C, 2): one sample, but two values per channel, as PyTorch accepts
    y, stats = batch_norm_train(np.array([[[1.0, 3.0]]]), [1.0], [0.0])
    assert stats.count == 2 and np.all(np.isfinite(y))


def test_the_count_is_an_integer_number_of_values_per_channel():
    _, stats = batch_norm_train(np.ones((4, 3, 5)) + np.arange(5), np.ones(3), np.zeros(3))
    assert type(stats.count) is int and stats.count == 20
