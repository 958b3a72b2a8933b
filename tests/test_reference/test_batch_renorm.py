"""snippets/reference/batch_renorm.py: reduces to batch norm, matches inference when unclipped,
clips by hand-computed values, and its backward pass matches finite differences."""

from __future__ import annotations

import numpy as np
import pytest

from snippets.reference.batch_norm import batch_norm_train
from snippets.reference.batch_renorm import batch_renorm_backward, batch_renorm_eval, batch_renorm_train, update_moving_stats
from tests.numerics import FLOAT64, assert_close
from tests.test_reference.test_batch_norm import _numerical_gradient

RNG = np.random.default_rng(11)
X = RNG.normal(1.0, 2.0, size=(6, 3, 4))
GAMMA, BETA = RNG.uniform(0.5, 1.5, 3), RNG.normal(size=3)


def test_r_max_1_and_d_max_0_is_batch_norm():
    y, r, d, _ = batch_renorm_train(X, GAMMA, BETA, np.full(3, 5.0), np.full(3, 0.1), r_max=1.0, d_max=0.0)
    assert np.array_equal(r, np.ones(3)) and np.array_equal(d, np.zeros(3))
    assert_close(y, batch_norm_train(X, GAMMA, BETA, eps=1e-3)[0], "reference renorm (r=1, d=0) vs batch norm", **FLOAT64)


def test_unclipped_training_output_equals_inference_output():
    mu, sigma = np.array([0.5, 1.0, 1.5]), np.array([1.5, 2.0, 2.5])
    y, _, _, _ = batch_renorm_train(X, GAMMA, BETA, mu, sigma, r_max=100.0, d_max=100.0)
    assert_close(y, batch_renorm_eval(X, mu, sigma, GAMMA, BETA), "reference renorm unclipped train vs eval", **FLOAT64)


def test_r_and_d_by_hand_with_clipping():
    x = np.array([[0.0], [4.0]])  # mu_B = 2, var_B = 4
    _, r, d, _ = batch_renorm_train(x, [1.0], [0.0], [0.0], [1.0], r_max=1.5, d_max=1.0, eps=1e-3)
    assert r[0] == 1.5 and d[0] == 1.0  # unclipped: sqrt(4.001) / 1 ~ 2.0, (2 - 0) / 1 = 2
    _, r, d, _ = batch_renorm_train(x, [1.0], [0.0], [1.5], [4.0], r_max=3.0, d_max=5.0, eps=1e-3)
    assert_close(r, [np.sqrt(4.001) / 4.0], "reference renorm r (hand)", **FLOAT64)
    assert_close(d, [(2.0 - 1.5) / 4.0], "reference renorm d (hand)", **FLOAT64)
    _, r, _, _ = batch_renorm_train(x, [1.0], [0.0], [0.0], [100.0], r_max=3.0, d_max=0.0)
    assert r[0] == 1 / 3  # clipped from below at 1 / r_max


@pytest.mark.parametrize("r_max, d_max", [(1.0, 0.0), (1.2, 0.3), (100.0, 100.0)])
def test_backward_matches_finite_differences_with_r_and_d_held_constant(r_max, d_max):
    mu, sigma, w = np.array([0.5, 1.0, 1.5]), np.array([1.5, 2.0, 2.5]), RNG.normal(size=X.shape)
    _, r, d, stats = batch_renorm_train(X, GAMMA, BETA, mu, sigma, r_max, d_max)

    def loss(x_, g_=GAMMA, b_=BETA):  # r and d frozen at their values: the paper's stop-gradient
        _, s = batch_norm_train(x_, np.ones(3), np.zeros(3), eps=1e-3)
        y = g_[None, :, None] * (s.x_hat * r[None, :, None] + d[None, :, None]) + b_[None, :, None]
        return float((y * w).sum())

    dx, dgamma, dbeta = batch_renorm_backward(w, GAMMA, r, d, stats)
    # central differences in float64: ~1e-9 (see test_batch_norm)
    assert_close(dx, _numerical_gradient(loss, X), "reference renorm dx vs finite differences", rtol=1e-6, atol=1e-7)
    assert_close(dgamma, _numerical_gradient(lambda g: loss(X, g), GAMMA), "reference renorm dgamma vs finite differences", rtol=1e-6, atol=1e-7)
    assert_close(dbeta, _numerical_gradient(lambda b: loss(X, GAMMA, b), BETA), "reference renorm dbeta vs finite differences", rtol=1e-6, atol=1e-7)


def test_moving_statistics_update_by_hand():
    _, stats = batch_norm_train(np.array([[0.0], [4.0]]), [1.0], [0.0], eps=1e-3)
    mean, std = update_moving_stats([1.0], [2.0], stats, eps=1e-3, momentum=0.9)
    assert_close(mean, [0.9 * 1.0 + 0.1 * 2.0], "reference renorm moving mean (hand)", **FLOAT64)
    assert_close(std, [0.9 * 2.0 + 0.1 * np.sqrt(4.001)], "reference renorm moving std (hand)", **FLOAT64)


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: batch_renorm_train(X, GAMMA, BETA, np.zeros(3), np.ones(3), r_max=0.5, d_max=0.0), "^r_max must be >= 1, got 0.5$"),
        (lambda: batch_renorm_train(X, GAMMA, BETA, np.zeros(3), np.ones(3), r_max=2.0, d_max=0.0, r_min=0.0), r"^r_min must be in \(0, 1\], got 0.0$"),
        (lambda: batch_renorm_train(X, GAMMA, BETA, np.zeros(3), np.ones(3), r_max=2.0, d_max=-1.0), "^d_max must be >= 0, got -1.0$"),
        (lambda: batch_renorm_train(X, GAMMA, BETA, np.zeros(3), np.zeros(3), r_max=2.0, d_max=1.0), "^moving_std must be > 0$"),
        (lambda: batch_renorm_train(X, GAMMA, BETA, np.zeros(2), np.ones(3), r_max=2.0, d_max=1.0), r"^moving_mean has shape \(2,\)"),
        (lambda: batch_renorm_eval(X, np.zeros(3), -np.ones(3), GAMMA, BETA), "^moving_std must be > 0$"),
        (lambda: batch_renorm_eval(X, np.zeros(3), np.ones(3), GAMMA, BETA, axis=0), "^channel axis 0 is the batch axis$"),
        (lambda: update_moving_stats(np.zeros(3), np.ones(3), batch_norm_train(X, GAMMA, BETA)[1], momentum=1.5), r"^momentum must be in \[0, 1\], got 1.5$"),
        (lambda: batch_renorm_backward(np.ones((6, 3, 4)), GAMMA, np.ones(2), np.zeros(3), batch_norm_train(X, GAMMA, BETA)[1]), r"^r has shape \(2,\)"),
    ],
)
def test_bad_input_raises_a_named_value_error(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_defaults_and_boundaries_are_legal():
    """Keras's defaults (eps 1e-3, momentum 0.99); momentum 0 and 1 and r_min = 1 are allowed."""
    _, stats = batch_norm_train(np.array([[0.0], [4.0]]), [1.0], [0.0], eps=1e-3)
    mean, std = update_moving_stats([1.0], [2.0], stats)
    assert_close(std, [0.99 * 2.0 + 0.01 * np.sqrt(4.001)], "reference renorm moving std (defaults)", **FLOAT64)
    assert_close(mean, [0.99 + 0.02], "reference renorm moving mean (defaults)", **FLOAT64)
    assert_close(np.concatenate(update_moving_stats([1.0], [2.0], stats, momentum=1.0)), [1.0, 2.0],
                 "reference renorm momentum 1 (frozen)", **FLOAT64)
    assert_close(update_moving_stats([1.0], [2.0], stats, momentum=0.0)[1], [np.sqrt(4.001)], "reference renorm momentum 0", **FLOAT64)
    _, r, _, _ = batch_renorm_train(X, GAMMA, BETA, np.zeros(3), np.full(3, 100.0), r_max=2.0, d_max=0.0, r_min=1.0)
    assert np.array_equal(r, np.ones(3))  # r_min = 1: r can only grow


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: batch_renorm_train(X, GAMMA, BETA, np.zeros(3), np.ones(3), r_max=2.0, d_max=0.0, r_min=1.5), r"^r_min must be in \(0, 1\], got 1.5$"),
        (lambda: batch_renorm_eval(X, np.zeros(3), np.array([1.0, 0.0, 1.0]), GAMMA, BETA), "^moving_std must be > 0$"),
    ],
)
def test_boundary_values_just_outside_the_legal_range_are_refused(call, message):
    with pytest.raises(ValueError, match=message):
        call()
