"""snippets/tensorflow/keras_group_norm.py: keras.layers.GroupNormalization vs the reference."""

from __future__ import annotations

import keras
import numpy as np
import pytest
import tensorflow as tf

from snippets.reference.group_norm import group_norm, group_norm_backward
from snippets.reference.layer_norm import layer_norm
from tests.numerics import KERAS, assert_close, assert_differs, assert_layer_close
from tests.test_tensorflow.gradients import forward_backward


def test_defaults_of_the_conventions_table():
    gn = keras.layers.GroupNormalization()
    assert gn.groups == 32 and gn.axis == -1 and gn.epsilon == 1e-3 and gn.center and gn.scale
    with pytest.raises(ValueError, match="Number of groups"):
        gn.build((None, 5, 5, 6))  # the default 32 groups do not divide 6 channels
    gn = keras.layers.GroupNormalization(groups=3)
    gn.build((None, 5, 5, 6))
    assert tuple(gn.gamma.shape) == tuple(gn.beta.shape) == (6,)  # per channel
    assert gn.non_trainable_weights == []  # no running statistics


@pytest.mark.parametrize("shape, groups", [((4, 5, 5, 6), 3), ((3, 7, 8), 2), ((2, 3, 3, 3, 4), 4), ((5, 4, 4, 6), 1)], ids=str)
def test_forward_and_backward_match_the_reference(shape, groups, tf_device):
    rng = np.random.default_rng(0)
    gn = keras.layers.GroupNormalization(groups=groups)
    x = tf.constant((1.0 + 2.0 * rng.standard_normal(shape)).astype("float32"))
    dy = tf.constant(rng.standard_normal(shape).astype("float32"))
    gn.build(x.shape)
    gn.gamma.assign(rng.uniform(0.5, 1.5, shape[-1]).astype("float32"))
    gn.beta.assign(rng.standard_normal(shape[-1]).astype("float32"))
    gamma, beta = np.asarray(gn.gamma, np.float64), np.asarray(gn.beta, np.float64)
    y, dx, dgamma, dbeta = forward_backward(gn, x, dy, [gn.gamma, gn.beta])
    y_ref, x_hat, var = group_norm(x.numpy(), gamma, beta, groups, eps=1e-3, axis=-1)
    dx_ref, dgamma_ref, dbeta_ref = group_norm_backward(dy.numpy(), x_hat, var, gamma, groups, eps=1e-3, axis=-1)
    assert_layer_close(f"keras GroupNormalization {{}} (groups={groups})", (y, dx, dgamma, dbeta),
                       (y_ref, dx_ref, dgamma_ref, dbeta_ref), KERAS, KERAS)
    assert np.array_equal(np.asarray(gn(x, training=True)), np.asarray(y))  # no training mode


def test_one_group_is_layer_norm_and_the_batch_does_not_matter(tf_device):
    images = (1.0 + 2.0 * np.random.default_rng(1).standard_normal((4, 5, 5, 6))).astype("float32")
    gn = keras.layers.GroupNormalization(groups=3)
    y = gn(images)
    for n in range(4):
        assert_close(gn(images[n : n + 1]), np.asarray(y)[n : n + 1], "keras GroupNormalization alone vs batch", **KERAS)
    ln_ref, _, _ = layer_norm(images, np.ones((5, 5, 6)), np.zeros((5, 5, 6)), eps=1e-3, normalized_ndim=3)
    assert_close(keras.layers.GroupNormalization(groups=1)(images), ln_ref, "keras GroupNormalization(1) vs reference LN over (H, W, C)", **KERAS)
    assert_close(keras.layers.GroupNormalization(groups=1)(images), keras.layers.LayerNormalization(axis=[1, 2, 3])(images),
                 "keras GroupNormalization(1) vs LayerNormalization(axis=[1, 2, 3])", **KERAS)


def test_negative_control_groups_matter(tf_device):
    images = (1.0 + 2.0 * np.random.default_rng(2).standard_normal((4, 5, 5, 6))).astype("float32")
    assert_differs(keras.layers.GroupNormalization(groups=3)(images), keras.layers.GroupNormalization(groups=2)(images),
                   "keras GroupNormalization 3 vs 2 groups (control)", at_least=0.1)
