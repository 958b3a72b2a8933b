"""snippets/tensorflow/keras_conv_bn_nhwc.py: channels-last statistics over N, H, W; gradients."""

from __future__ import annotations

import numpy as np
import tensorflow as tf

from snippets.reference.batch_norm import batch_norm_backward, batch_norm_train
from tests.numerics import KERAS, assert_close
from tests.snippet_loader import load_snippet

snippet = load_snippet("tensorflow/keras_conv_bn_nhwc.py")


def test_bn_after_the_conv_matches_the_reference(tf_device, capsys):
    snippet.main()
    assert "moving_mean" in capsys.readouterr().out
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
