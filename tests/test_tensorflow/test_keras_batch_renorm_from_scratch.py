"""snippets/tensorflow/keras_batch_renorm_from_scratch.py vs the reference and Keras's renorm=True."""

from __future__ import annotations

import keras
import numpy as np
import tensorflow as tf

from snippets.reference.batch_renorm import batch_renorm_backward, batch_renorm_eval, batch_renorm_train, update_moving_stats
from tests.numerics import KERAS, RUNNING, assert_close, assert_differs, assert_layer_close
from tests.snippet_loader import load_snippet
from tests.test_tensorflow.gradients import forward_backward

renorm = load_snippet("tensorflow/keras_batch_renorm_from_scratch.py")


def test_scratch_layer_matches_the_reference(tf_device):
    rng = np.random.default_rng(0)
    layer = renorm.BatchRenorm(r_max=1.5, d_max=0.5)
    x = tf.constant((2.0 + 2.0 * rng.standard_normal((4, 5, 3))).astype("float32"))
    dy = tf.constant(rng.standard_normal((4, 5, 3)).astype("float32"))
    layer.build(x.shape)
    layer.gamma.assign(rng.uniform(0.5, 1.5, 3).astype("float32"))
    layer.moving_mean.assign(np.array([0.5, 1.0, 3.0], "float32"))
    layer.moving_std.assign(np.array([1.0, 2.5, 1.5], "float32"))
    gamma, beta = np.asarray(layer.gamma, np.float64), np.asarray(layer.beta, np.float64)
    mu, sigma = np.asarray(layer.moving_mean, np.float64), np.asarray(layer.moving_std, np.float64)
    y, dx, dgamma, dbeta = forward_backward(lambda v: layer(v, training=True), x, dy, [layer.gamma, layer.beta])
    y_ref, r, d, stats = batch_renorm_train(x.numpy(), gamma, beta, mu, sigma, 1.5, 0.5, eps=1e-3, axis=-1)
    dx_ref, dgamma_ref, dbeta_ref = batch_renorm_backward(dy.numpy(), gamma, r, d, stats)
    mean_ref, std_ref = update_moving_stats(mu, sigma, stats, eps=1e-3, momentum=0.99)
    assert_layer_close("scratch keras renorm {}", (y, dx, dgamma, dbeta), (y_ref, dx_ref, dgamma_ref, dbeta_ref), KERAS, KERAS)
    assert_close(layer.moving_mean, mean_ref, "scratch keras renorm moving mean", **RUNNING)
    assert_close(layer.moving_std, std_ref, "scratch keras renorm moving std", **RUNNING)
    eval_ref = batch_renorm_eval(x.numpy(), np.asarray(layer.moving_mean), np.asarray(layer.moving_std), gamma, beta, axis=-1)
    assert_close(layer(x), eval_ref, "scratch keras renorm eval y", **KERAS)


def test_keras_builtin_renorm_is_the_same_algorithm(tf_device):
    """BatchNormalization(renorm=True) with renorm_momentum == momentum keeps two identical
    sets of moving statistics; the reference then predicts its training output step by step."""
    rng = np.random.default_rng(1)
    builtin = keras.layers.BatchNormalization(renorm=True, renorm_clipping={"rmin": 1 / 3, "rmax": 3.0, "dmax": 5.0},
                                              renorm_momentum=0.99)
    mu, sigma = np.zeros(6), np.ones(6)
    for _ in range(10):
        x = (2.0 + 3.0 * rng.standard_normal((4, 6))).astype("float32")
        y_ref, _, _, stats = batch_renorm_train(x, np.ones(6), np.zeros(6), mu, sigma, r_max=3.0, d_max=5.0, eps=1e-3, axis=-1)
        assert_close(builtin(x, training=True), y_ref, "keras renorm=True y vs reference", **KERAS)
        mu, sigma = update_moving_stats(mu, sigma, stats, eps=1e-3, momentum=0.99)
    assert_close(builtin.renorm_stddev, sigma, "keras renorm=True renorm_stddev vs reference", **RUNNING)
    assert_close(builtin.moving_mean, mu, "keras renorm=True moving_mean vs reference", **RUNNING)


def test_negative_control_renorm_is_not_batch_norm_once_the_statistics_are_set(tf_device):
    x = (2.0 + 3.0 * np.random.default_rng(2).standard_normal((4, 6))).astype("float32")
    layer = renorm.BatchRenorm(r_max=3.0, d_max=5.0)
    layer.build(x.shape)
    layer.moving_std.assign(np.full(6, 2.0, "float32"))
    assert_differs(layer(x, training=True), keras.layers.BatchNormalization()(x, training=True),
                   "scratch keras renorm vs batch norm (control)", at_least=0.1)


def test_the_moving_std_heads_for_the_small_batch_average_not_the_data_std():
    """The page: with batches of 4 from a distribution with standard deviation 3, the moving
    sigma_B tends to about 2.4. Closed form for normal data: E[sqrt(biased var of m values)]
    = sigma * sqrt(2 / m) * Gamma(m / 2) / Gamma((m - 1) / 2)."""
    import math

    expected = 3.0 * math.sqrt(2 / 4) * math.gamma(2.0) / math.gamma(1.5)
    assert round(expected, 1) == 2.4
    rng = np.random.default_rng(3)
    layer = renorm.BatchRenorm(momentum=0.99)
    for _ in range(3000):  # 0.99 ** 3000 ~ 1e-13: the start value 1 is forgotten
        layer((2.0 + 3.0 * rng.standard_normal((4, 6))).astype("float32"), training=True)
    # the moving average weights ~100 recent batches (std of sigma_B ~ 0.9 / sqrt(100 / 2)
    # per channel ~ 0.13); averaged over 6 channels, 0.15 is a ~3-sigma band
    assert abs(float(np.mean(layer.moving_std)) - expected) < 0.15
