"""snippets/reference/running_stats.py: each convention, by hand."""

from __future__ import annotations

import numpy as np
import pytest

from snippets.reference.running_stats import update_running_stats
from tests.numerics import FLOAT64, assert_close

MEAN, VAR, M = np.array([2.0]), np.array([3.0]), 4  # batch statistics (biased var)


def test_pytorch_momentum_weights_the_new_batch_and_stores_unbiased_var():
    mean, var, tracked = update_running_stats([0.0], [1.0], MEAN, VAR, M, "pytorch", 0.1)
    assert_close(mean, [0.1 * 2.0], "reference pytorch running mean (hand)", **FLOAT64)
    assert_close(var, [0.9 + 0.1 * 3.0 * 4 / 3], "reference pytorch running var (hand)", **FLOAT64)
    assert tracked == 1


def test_pytorch_momentum_none_is_a_cumulative_average():
    batches = [(np.array([1.0]), np.array([2.0])), (np.array([3.0]), np.array([4.0])), (np.array([5.0]), np.array([6.0]))]
    mean, var, tracked = np.zeros(1), np.ones(1), 0
    for batch_mean, batch_var in batches:
        mean, var, tracked = update_running_stats(mean, var, batch_mean, batch_var, M, "pytorch", None, tracked)
    assert_close(mean, [3.0], "reference cumulative mean (hand)", **FLOAT64)  # (1+3+5)/3: the initial 0 is forgotten
    assert_close(var, [4.0 * 4 / 3], "reference cumulative var (hand)", **FLOAT64)
    assert tracked == 3


def test_keras_momentum_weights_the_old_value_and_stores_biased_var():
    mean, var, _ = update_running_stats([0.0], [1.0], MEAN, VAR, M, "keras", 0.99)
    assert_close(mean, [0.01 * 2.0], "reference keras moving mean (hand)", **FLOAT64)
    assert_close(var, [0.99 + 0.01 * 3.0], "reference keras moving var (hand)", **FLOAT64)


def test_tf_keras_fused_stores_unbiased_var_with_keras_momentum():
    mean, var, _ = update_running_stats([0.0], [1.0], MEAN, VAR, M, "tf_keras_fused")  # default 0.99
    assert_close(mean, [0.01 * 2.0], "reference tf_keras moving mean (hand)", **FLOAT64)
    assert_close(var, [0.99 + 0.01 * 4.0], "reference tf_keras moving var (hand)", **FLOAT64)


def test_same_momentum_number_means_opposite_things():
    torch_like, _, _ = update_running_stats([0.0], [1.0], MEAN, VAR, M, "pytorch", 0.1)
    keras_like, _, _ = update_running_stats([0.0], [1.0], MEAN, VAR, M, "keras", 0.1)
    assert_close(torch_like, [0.2], "reference momentum 0.1 pytorch", **FLOAT64)
    assert_close(keras_like, [1.8], "reference momentum 0.1 keras", **FLOAT64)


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"convention": "caffe"}, "unknown convention 'caffe'"),
        ({"count": 1}, "count must be >= 2"),
        ({"momentum": 1.5}, "momentum must be in"),
        ({"convention": "keras", "momentum": -0.5}, "momentum must be in"),
        ({"batch_mean": np.array([1.0, 2.0])}, "same shape"),
        ({"batch_var": np.array([np.nan])}, "batch_var contains NaN"),
    ],
)
def test_bad_input_raises_a_named_value_error(kwargs, message):
    args = {"running_mean": [0.0], "running_var": [1.0], "batch_mean": MEAN, "batch_var": VAR, "count": M, **kwargs}
    with pytest.raises(ValueError, match=message):
        update_running_stats(**args)


def test_statistics_of_different_shapes_are_refused_by_name():
    with pytest.raises(ValueError, match="^running and batch statistics must all have the same shape$"):
        update_running_stats(np.zeros(3), np.ones(3), np.zeros(2), np.ones(2), 8)


@pytest.mark.parametrize("convention, momentum", [("pytorch", 0.0), ("keras", 1.0)])
def test_a_momentum_that_freezes_the_statistics_is_legal(convention, momentum):
    """Weight 0 on the new batch (PyTorch momentum=0, Keras momentum=1): nothing moves."""
    mean, var, tracked = update_running_stats([1.0, 2.0], [3.0, 4.0], [9.0, 9.0], [9.0, 9.0], 8, convention, momentum)
    assert mean.tolist() == [1.0, 2.0] and var.tolist() == [3.0, 4.0] and tracked == 1
