"""snippets/tensorflow/keras_layer_norm.py: keras.layers.LayerNormalization vs the reference."""

from __future__ import annotations

import keras
import numpy as np
import pytest
import tensorflow as tf

from snippets.reference.layer_norm import layer_norm, layer_norm_backward
from tests.numerics import KERAS, assert_differs, assert_layer_close
from tests.test_tensorflow.gradients import forward_backward


def test_defaults_of_the_conventions_table():
    ln = keras.layers.LayerNormalization()
    assert ln.axis == -1 and ln.epsilon == 1e-3 and ln.center and ln.scale
    ln.build((None, 5, 5, 4))
    assert ln.non_trainable_weights == []  # no running statistics
    assert tuple(ln.gamma.shape) == tuple(ln.beta.shape) == (4,)


@pytest.mark.parametrize("shape, axis", [((2, 4, 8), -1), ((2, 5, 5, 4), -1), ((2, 5, 5, 4), [1, 2, 3])],
                         ids=["tokens", "nhwc-per-pixel", "nhwc-per-image"])
def test_forward_and_backward_match_the_reference(shape, axis, tf_device):
    rng = np.random.default_rng(0)
    ln = keras.layers.LayerNormalization(axis=axis)
    x = tf.constant((3.0 + 2.0 * rng.standard_normal(shape)).astype("float32"))
    dy = tf.constant(rng.standard_normal(shape).astype("float32"))
    ln.build(x.shape)
    ln.gamma.assign(rng.uniform(0.5, 1.5, ln.gamma.shape).astype("float32"))
    ln.beta.assign(rng.standard_normal(ln.beta.shape).astype("float32"))
    gamma, beta = np.asarray(ln.gamma, np.float64), np.asarray(ln.beta, np.float64)
    k = 1 if axis == -1 else 3  # the reference normalizes the trailing k axes
    assert gamma.shape == shape[-k:]
    y, dx, dgamma, dbeta = forward_backward(ln, x, dy, [ln.gamma, ln.beta])
    y_ref, x_hat, var = layer_norm(x.numpy(), gamma, beta, eps=1e-3, normalized_ndim=k)
    dx_ref, dgamma_ref, dbeta_ref = layer_norm_backward(dy.numpy(), x_hat, var, gamma, eps=1e-3, normalized_ndim=k)
    assert_layer_close(f"keras LayerNormalization {{}} ({axis})", (y, dx, dgamma, dbeta),
                       (y_ref, dx_ref, dgamma_ref, dbeta_ref), KERAS, KERAS)
    assert np.array_equal(np.asarray(ln(x, training=True)), np.asarray(y))  # no training mode


def test_negative_control_the_default_axis_is_not_per_image(tf_device):
    x = (2.0 * np.random.default_rng(1).standard_normal((2, 5, 5, 4))).astype("float32")
    per_pixel = keras.layers.LayerNormalization()(x)
    per_image = keras.layers.LayerNormalization(axis=[1, 2, 3])(x)
    assert_differs(per_pixel, per_image, "keras LayerNormalization axis=-1 vs [1, 2, 3] (control)", at_least=0.1)


def test_negative_control_keras_eps_differs_from_pytorch(tf_device):
    x = (1e-2 * np.random.default_rng(2).standard_normal((4, 8))).astype("float32")  # variance ~1e-4
    keras_default = keras.layers.LayerNormalization()(x)
    pytorch_eps = keras.layers.LayerNormalization(epsilon=1e-5)(x)
    assert_differs(keras_default, pytorch_eps, "keras LayerNormalization eps 1e-3 vs 1e-5 (control)", at_least=0.1)
