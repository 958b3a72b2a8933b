"""snippets/tensorflow/keras_batchnorm_from_scratch.py: scratch layer == Keras BN == reference."""

from __future__ import annotations

import keras
import numpy as np
import pytest
import tensorflow as tf

from snippets.reference.batch_norm import batch_norm_backward, batch_norm_eval, batch_norm_train
from snippets.reference.running_stats import update_running_stats
from tests.numerics import KERAS, RUNNING, assert_close
from tests.snippet_loader import load_snippet

snippet = load_snippet("tensorflow/keras_batchnorm_from_scratch.py")


@pytest.mark.parametrize("layer", ["scratch", "builtin"])
@pytest.mark.parametrize("shape", [(12, 5), (4, 5, 6, 3)], ids=str)  # dense and NHWC
def test_training_step_gradients_and_inference(layer, shape, tf_device):
    rng = np.random.default_rng(0)
    bn = snippet.ScratchBatchNorm() if layer == "scratch" else keras.layers.BatchNormalization()
    x = tf.constant((3.0 + 2.0 * rng.standard_normal(shape)).astype("float32"))
    dy = tf.constant(rng.standard_normal(shape).astype("float32"))
    bn.build(x.shape)
    channels = shape[-1]
    bn.gamma.assign(rng.uniform(0.5, 1.5, channels).astype("float32"))
    bn.beta.assign(rng.standard_normal(channels).astype("float32"))
    gamma, beta = np.asarray(bn.gamma, np.float64), np.asarray(bn.beta, np.float64)

    with tf.GradientTape() as tape:
        tape.watch(x)
        y = bn(x, training=True)
        loss = tf.reduce_sum(y * dy)  # so dL/dy = dy
    dx, dgamma, dbeta = tape.gradient(loss, [x, bn.gamma, bn.beta])

    y_ref, stats = batch_norm_train(x.numpy(), gamma, beta, eps=1e-3, axis=-1)
    dx_ref, dgamma_ref, dbeta_ref = batch_norm_backward(dy.numpy(), gamma, stats)
    assert_close(y, y_ref, f"keras {layer} BN y", **KERAS)
    assert_close(dx, dx_ref, f"keras {layer} BN dx", **KERAS)
    assert_close(dgamma, dgamma_ref, f"keras {layer} BN dgamma", **KERAS)
    assert_close(dbeta, dbeta_ref, f"keras {layer} BN dbeta", **KERAS)

    mean_ref, var_ref, _ = update_running_stats(np.zeros(channels), np.ones(channels), stats.mean, stats.var, stats.count, "keras", 0.99)
    assert_close(bn.moving_mean, mean_ref, f"keras {layer} moving_mean", **RUNNING)
    assert_close(bn.moving_variance, var_ref, f"keras {layer} moving_variance (biased)", **RUNNING)

    x_new = (rng.standard_normal(shape)).astype("float32")
    eval_ref = batch_norm_eval(x_new, np.asarray(bn.moving_mean), np.asarray(bn.moving_variance), gamma, beta, eps=1e-3, axis=-1)
    assert_close(bn(x_new), eval_ref, f"keras {layer} BN inference y", **KERAS)


def test_compare_reports_a_tiny_difference(tf_device):
    x = (3.0 + 2.0 * np.random.default_rng(1).standard_normal((8, 5, 5, 4))).astype("float32")
    assert snippet.compare(x) < KERAS["atol"]
