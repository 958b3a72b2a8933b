"""snippets/tensorflow/keras_conv_bn_nhwc.py: channels-last statistics over N, H, W; gradients."""

from __future__ import annotations

import numpy as np
import tensorflow as tf

from snippets.reference.batch_norm import batch_norm_backward, batch_norm_train
from tests.numerics import KERAS, assert_close
from tests.snippet_loader import load_snippet

snippet = load_snippet("tensorflow/keras_conv_bn_nhwc.py")


def test_printed_std_of_0_999_is_keras_eps_against_a_variance_of_about_0_5(tf_device, capsys):
    """The page explains the printed 0.999: std(y) = sqrt(var / (var + eps)) with eps = 1e-3."""
    model = snippet.main()
    assert "std per channel:  [0.999," in capsys.readouterr().out
    images = np.random.default_rng(0).standard_normal((16, 12, 12, 3)).astype("float32")  # the snippet's data
    z = np.asarray(model.layers[0](images), np.float64)
    _, stats = batch_norm_train(z, np.ones(8), np.zeros(8), eps=1e-3, axis=-1)
    assert np.all((stats.var > 0.3) & (stats.var < 0.8))  # "about 0.5"
    assert np.all(np.round(np.sqrt(stats.var / (stats.var + 1e-3)), 3) == 0.999)
    assert np.all(np.round(np.sqrt(stats.var / (stats.var + 1e-5)), 3) == 1.0)  # PyTorch's eps


def test_bn_after_the_conv_matches_the_reference(tf_device):
    model = snippet.make_model()
    conv, bn = model.layers[0], model.layers[1]
    rng = np.random.default_rng(0)
    z = tf.constant(np.asarray(conv(rng.standard_normal((16, 12, 12, 3)).astype("float32"))))
    dy = tf.constant(rng.standard_normal(z.shape).astype("float32"))
    with tf.GradientTape() as tape:
        tape.watch(z)
        y = bn(z, training=True)
        loss = tf.reduce_sum(y * dy)
    dz, dgamma, dbeta = tape.gradient(loss, [z, bn.gamma, bn.beta])
    gamma = np.asarray(bn.gamma, np.float64)
    y_ref, stats = batch_norm_train(z.numpy(), gamma, np.asarray(bn.beta, np.float64), eps=1e-3, axis=-1)
    assert stats.count == 16 * 12 * 12
    dz_ref, dgamma_ref, dbeta_ref = batch_norm_backward(dy.numpy(), gamma, stats)
    assert_close(y, y_ref, "keras conv BN y (NHWC)", **KERAS)
    assert_close(dz, dz_ref, "keras conv BN dx (NHWC)", **KERAS)
    # sums over m = 2304 values in float32: scale atol with sqrt(m) (bn-spec section 3)
    big = {"rtol": KERAS["rtol"], "atol": KERAS["atol"] * np.sqrt(stats.count) / 10}
    assert_close(dgamma, dgamma_ref, "keras conv BN dgamma (NHWC)", **big)
    assert_close(dbeta, dbeta_ref, "keras conv BN dbeta (NHWC)", **big)
