"""snippets/numpy/batch_norm_numpy.py (the standalone NumPy example) against the reference."""

from __future__ import annotations

import numpy as np
import pytest

from snippets.reference.batch_norm import batch_norm_backward, batch_norm_eval, batch_norm_train
from snippets.reference.running_stats import update_running_stats
from tests.numerics import FLOAT64, assert_close
from tests.snippet_loader import load_snippet

snippet = load_snippet("numpy/batch_norm_numpy.py")
CASES = [(2, 1), (3, 4), (16, 3), (128, 7)]  # (m, C): m = 2 is the smallest legal batch


@pytest.mark.parametrize("m, channels", CASES, ids=str)
def test_forward_backward_running_and_inference_match_the_reference(m, channels):
    rng = np.random.default_rng(m * 100 + channels)
    x = rng.normal(3.0, 2.0, size=(m, channels))
    gamma, beta = rng.uniform(0.5, 1.5, channels), rng.normal(size=channels)
    dy = rng.normal(size=(m, channels))

    y, cache = snippet.batch_norm_forward(x, gamma, beta)
    y_ref, stats = batch_norm_train(x, gamma, beta, eps=1e-5, axis=1)
    assert_close(y, y_ref, "numpy example y", **FLOAT64)

    dx, dgamma, dbeta = snippet.batch_norm_backward(dy, gamma, cache)
    dx_ref, dgamma_ref, dbeta_ref = batch_norm_backward(dy, gamma, stats)
    assert_close(dx, dx_ref, "numpy example dx", **FLOAT64)
    assert_close(dgamma, dgamma_ref, "numpy example dgamma", **FLOAT64)
    assert_close(dbeta, dbeta_ref, "numpy example dbeta", **FLOAT64)

    start_mean, start_var = rng.normal(size=channels), rng.uniform(0.5, 2.0, channels)
    mean, var = snippet.update_running(start_mean, start_var, cache, m=m)
    mean_ref, var_ref, _ = update_running_stats(start_mean, start_var, stats.mean, stats.var, m, "pytorch", 0.1)
    assert_close(mean, mean_ref, "numpy example running mean", **FLOAT64)
    assert_close(var, var_ref, "numpy example running var (unbiased)", **FLOAT64)

    x_new = rng.normal(size=(1, channels))  # inference works on one sample
    assert_close(snippet.batch_norm_inference(x_new, mean, var, gamma, beta),
                 batch_norm_eval(x_new, mean_ref, var_ref, gamma, beta, eps=1e-5), "numpy example inference y", **FLOAT64)


def test_one_sample_in_training_is_refused_like_the_reference():
    with pytest.raises(ValueError, match="more than 1 value per feature"):
        snippet.batch_norm_forward(np.ones((1, 3)), np.ones(3), np.zeros(3))
    with pytest.raises(ValueError, match="more than 1 value per channel"):
        batch_norm_train(np.ones((1, 3)), np.ones(3), np.zeros(3))


def test_numerical_gradient_detects_a_wrong_backward():
    """Negative control for the printed gradient check: a backward without the x_hat*dgamma
    term must not match the finite differences."""
    rng = np.random.default_rng(1)
    x, gamma, beta, dy = rng.normal(size=(8, 2)), np.ones(2), np.zeros(2), rng.normal(size=(8, 2))
    _, (x_hat, inv_std, _, _) = snippet.batch_norm_forward(x, gamma, beta)
    wrong = gamma * inv_std / 8 * (8 * dy - dy.sum(axis=0))
    numeric = snippet.numerical_gradient(lambda x_: np.sum(snippet.batch_norm_forward(x_, gamma, beta)[0] * dy), x)
    assert not np.allclose(wrong, numeric, atol=1e-6)
    assert np.allclose(snippet.batch_norm_backward(dy, gamma, (x_hat, inv_std, None, None))[0], numeric, atol=1e-6)
