"""snippets/tensorflow/keras_instance_norm.py: GroupNormalization(groups=-1) is instance norm."""

from __future__ import annotations

import keras
import numpy as np
import pytest
import tensorflow as tf

from snippets.reference.instance_norm import instance_norm, instance_norm_backward
from tests.numerics import KERAS, assert_close, assert_differs, assert_layer_close
from tests.test_tensorflow.gradients import forward_backward


@pytest.mark.parametrize("shape", [(2, 8, 8, 3), (3, 9, 4), (2, 3, 4, 5, 2)], ids=str)
def test_groups_minus_one_matches_the_instance_norm_reference(shape, tf_device):
    rng = np.random.default_rng(3)
    inorm = keras.layers.GroupNormalization(groups=-1)
    x = tf.constant((1.0 + 2.0 * rng.standard_normal(shape)).astype("float32"))
    dy = tf.constant(rng.standard_normal(shape).astype("float32"))
    inorm.build(x.shape)
    assert inorm.groups == shape[-1]  # -1 became one group per channel
    inorm.gamma.assign(rng.uniform(0.5, 1.5, shape[-1]).astype("float32"))
    inorm.beta.assign(rng.standard_normal(shape[-1]).astype("float32"))
    gamma, beta = np.asarray(inorm.gamma, np.float64), np.asarray(inorm.beta, np.float64)
    y, dx, dgamma, dbeta = forward_backward(inorm, x, dy, [inorm.gamma, inorm.beta])
    y_ref, x_hat, var = instance_norm(x.numpy(), gamma, beta, eps=1e-3, axis=-1)
    dx_ref, dgamma_ref, dbeta_ref = instance_norm_backward(dy.numpy(), x_hat, var, gamma, eps=1e-3, axis=-1)
    assert_layer_close("keras GroupNormalization(groups=-1) {}", (y, dx, dgamma, dbeta),
                       (y_ref, dx_ref, dgamma_ref, dbeta_ref), KERAS, KERAS)


def test_without_center_and_scale_there_are_no_weights_and_training_changes_nothing(tf_device):
    images = (1.0 + 2.0 * np.random.default_rng(4).standard_normal((2, 8, 8, 3))).astype("float32")
    plain = keras.layers.GroupNormalization(groups=-1, center=False, scale=False)
    y = plain(images)
    assert plain.weights == [] and plain.epsilon == 1e-3
    assert np.array_equal(np.asarray(plain(images, training=True)), np.asarray(y))
    y_ref, _, _ = instance_norm(images, np.ones(3), np.zeros(3), eps=1e-3, axis=-1)
    assert_close(y, y_ref, "keras GroupNormalization(groups=-1) without gamma/beta", **KERAS)
    assert_differs(y, keras.layers.GroupNormalization(groups=1, center=False, scale=False)(images),
                   "keras instance norm vs one group (control)", at_least=0.1)
