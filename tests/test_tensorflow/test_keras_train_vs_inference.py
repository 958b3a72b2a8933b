"""snippets/tensorflow/keras_train_vs_inference.py: Keras 3's mode rules, checked."""

from __future__ import annotations

import keras
import numpy as np

from snippets.reference.batch_norm import batch_norm_eval, batch_norm_train
from tests.numerics import KERAS, RUNNING, assert_close
from tests.snippet_loader import load_snippet

snippet = load_snippet("tensorflow/keras_train_vs_inference.py")


def test_default_call_is_inference_training_true_updates_frozen_does_not(tf_device, capsys):
    y_default, y_train, y_frozen = snippet.main()
    assert "frozen layer left moving_mean unchanged: True" in capsys.readouterr().out
    x = (5.0 + 2.0 * np.random.default_rng(0).standard_normal((32, 3))).astype("float32")  # the snippet's data
    ones, zeros = np.ones(3), np.zeros(3)

    # training=None: moving statistics at their initial 0 and 1, so y = x / sqrt(1 + 1e-3)
    assert_close(y_default, batch_norm_eval(x, zeros, ones, ones, zeros, eps=1e-3), "keras default call y", **KERAS)
    y_ref, stats = batch_norm_train(x, ones, zeros, eps=1e-3)
    assert_close(y_train, y_ref, "keras training=True y", **KERAS)
    moving_mean, moving_var = 0.01 * stats.mean, 0.99 + 0.01 * stats.var  # biased variance
    assert_close(y_frozen, batch_norm_eval(x, moving_mean, moving_var, ones, zeros, eps=1e-3), "keras frozen (trainable=False) y", **KERAS)


def test_moving_variance_is_biased_not_unbiased(tf_device):
    x = np.random.default_rng(2).standard_normal((8, 4)).astype("float32")  # m = 8
    bn = keras.layers.BatchNormalization()
    bn(x, training=True)
    _, stats = batch_norm_train(x, np.ones(4), np.zeros(4), eps=1e-3)
    assert_close(bn.moving_variance, 0.99 + 0.01 * stats.var, "keras moving_variance biased", **RUNNING)
    unbiased = 0.99 + 0.01 * stats.var * 8 / 7
    assert np.abs(np.asarray(bn.moving_variance) - unbiased).max() > 1e-4  # negative control


def test_batch_of_one_gives_beta_in_keras(tf_device):
    bn = keras.layers.BatchNormalization()
    bn.build((None, 3))
    bn.beta.assign(np.array([1.0, -2.0, 0.5], "float32"))
    out = bn(np.array([[7.0, 8.0, 9.0]], "float32"), training=True)  # variance 0: output is beta
    assert_close(out, [[1.0, -2.0, 0.5]], "keras batch of one = beta", **KERAS)
