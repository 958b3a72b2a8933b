"""snippets/tensorflow/keras_rms_norm.py: keras.layers.RMSNormalization vs the reference."""

from __future__ import annotations

import keras
import numpy as np
import tensorflow as tf

from snippets.reference.rms_norm import rms_norm, rms_norm_backward
from tests.numerics import KERAS, assert_close, assert_differs
from tests.test_tensorflow.gradients import forward_backward


def test_defaults_of_the_conventions_table():
    rms = keras.layers.RMSNormalization()
    assert rms.axis == -1 and rms.epsilon == 1e-6
    rms.build((None, 4, 8))
    assert [(w.path.split("/")[-1], tuple(w.shape), w.trainable) for w in rms.weights] == [("scale", (8,), True)]


def test_forward_and_backward_match_the_reference(tf_device):
    rng = np.random.default_rng(0)
    rms = keras.layers.RMSNormalization()
    x = tf.constant((1.0 + rng.standard_normal((3, 4, 8))).astype("float32"))
    dy = tf.constant(rng.standard_normal((3, 4, 8)).astype("float32"))
    rms.build(x.shape)
    rms.scale.assign(rng.uniform(0.5, 1.5, 8).astype("float32"))
    gamma = np.asarray(rms.scale, np.float64)
    _, dx, dgamma = forward_backward(rms, x, dy, [rms.scale])
    y_ref, x_hat, mean_square = rms_norm(x.numpy(), gamma, eps=1e-6)
    dx_ref, dgamma_ref = rms_norm_backward(dy.numpy(), x_hat, mean_square, gamma, eps=1e-6)
    assert_close(rms(x), y_ref, "keras RMSNormalization y", **KERAS)
    assert_close(dx, dx_ref, "keras RMSNormalization dx", **KERAS)
    assert_close(dgamma, dgamma_ref, "keras RMSNormalization dscale", **KERAS)
    assert np.array_equal(np.asarray(rms(x, training=True)), np.asarray(rms(x)))  # no training mode


def test_equals_layer_norm_on_zero_mean_input_only(tf_device):
    x = (1.0 + np.random.default_rng(1).standard_normal((4, 8))).astype("float32")
    centered = x - x.mean(axis=-1, keepdims=True)
    rms, ln = keras.layers.RMSNormalization(), keras.layers.LayerNormalization(epsilon=1e-6)
    assert_close(rms(centered), ln(centered), "keras RMSNormalization vs LayerNormalization, zero mean", **KERAS)
    assert_differs(rms(x), ln(x), "keras RMSNormalization vs LayerNormalization, mean 1 (control)", at_least=0.1)
