"""snippets/tensorflow/keras_batchnorm_from_scratch.py: scratch layer == Keras BN == reference."""

from __future__ import annotations

import keras
import numpy as np
import pytest
import tensorflow as tf

from snippets.reference.batch_norm import batch_norm_backward, batch_norm_eval, batch_norm_train
from snippets.reference.running_stats import DEFAULT_MOMENTUM, update_running_stats
from tests.numerics import KERAS, RUNNING, assert_close, assert_layer_close
from tests.snippet_loader import load_snippet
from tests.test_tensorflow.gradients import forward_backward

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

    y, dx, dgamma, dbeta = forward_backward(lambda v: bn(v, training=True), x, dy, [bn.gamma, bn.beta])  # dL/dy = dy

    y_ref, stats = batch_norm_train(x.numpy(), gamma, beta, eps=1e-3, axis=-1)
    dx_ref, dgamma_ref, dbeta_ref = batch_norm_backward(dy.numpy(), gamma, stats)
    assert_layer_close(f"keras {layer} BN {{}}", (y, dx, dgamma, dbeta), (y_ref, dx_ref, dgamma_ref, dbeta_ref), KERAS, KERAS)

    mean_ref, var_ref, _ = update_running_stats(np.zeros(channels), np.ones(channels), stats.mean, stats.var, stats.count, "keras", 0.99)
    assert_close(bn.moving_mean, mean_ref, f"keras {layer} moving_mean", **RUNNING)
    assert_close(bn.moving_variance, var_ref, f"keras {layer} moving_variance (biased)", **RUNNING)

    x_new = (rng.standard_normal(shape)).astype("float32")
    eval_ref = batch_norm_eval(x_new, np.asarray(bn.moving_mean), np.asarray(bn.moving_variance), gamma, beta, eps=1e-3, axis=-1)
    assert_close(bn(x_new), eval_ref, f"keras {layer} BN inference y", **KERAS)


def test_compare_reports_a_tiny_difference(tf_device):
    x = (3.0 + 2.0 * np.random.default_rng(1).standard_normal((8, 5, 5, 4))).astype("float32")
    assert snippet.compare(x) < KERAS["atol"]


@pytest.mark.parametrize("layer", ["scratch", "builtin"])
def test_frozen_layer_runs_in_inference_even_with_training_true(layer, tf_device):
    """trainable=False (fine-tuning) switches both layers to the moving statistics and
    stops their updates, although the call says training=True."""
    rng = np.random.default_rng(3)
    bn = snippet.ScratchBatchNorm() if layer == "scratch" else keras.layers.BatchNormalization()
    bn(tf.constant((3.0 + 2.0 * rng.standard_normal((16, 4))).astype("float32")), training=True)  # one real step
    bn.trainable = False
    moving = np.asarray(bn.moving_mean).copy(), np.asarray(bn.moving_variance).copy()
    x = (rng.standard_normal((16, 4))).astype("float32")
    y = bn(tf.constant(x), training=True)
    assert_close(y, batch_norm_eval(x, *moving, np.ones(4), np.zeros(4), eps=1e-3, axis=-1), f"keras {layer} frozen y", **KERAS)
    assert np.array_equal(np.asarray(bn.moving_mean), moving[0]) and np.array_equal(np.asarray(bn.moving_variance), moving[1])
    # negative control: the batch statistics would give a visibly different output
    assert np.abs(np.asarray(y) - batch_norm_train(x, np.ones(4), np.zeros(4), eps=1e-3, axis=-1)[0]).max() > 0.1


def test_reference_and_scratch_keras_defaults_are_keras_defaults(tf_device):
    """The reference's "keras" convention and the scratch layer use Keras's real defaults:
    the constants, and one default training step."""
    builtin, scratch = keras.layers.BatchNormalization(), snippet.ScratchBatchNorm()
    assert DEFAULT_MOMENTUM["keras"] == builtin.momentum == scratch.momentum == 0.99
    assert builtin.epsilon == scratch.epsilon == 1e-3
    assert builtin.axis == -1
    x = (3.0 + 2.0 * np.random.default_rng(4).standard_normal((16, 3))).astype("float32")
    builtin(x, training=True)
    _, stats = batch_norm_train(x, np.ones(3), np.zeros(3), eps=builtin.epsilon, axis=-1)
    mean, var, _ = update_running_stats(np.zeros(3), np.ones(3), stats.mean, stats.var, stats.count, "keras")  # momentum=None
    assert_close(builtin.moving_mean, mean, "keras default-momentum moving_mean vs reference default", **RUNNING)
    assert_close(builtin.moving_variance, var, "keras default-momentum moving_variance vs reference default", **RUNNING)


def test_compare_would_catch_a_scratch_layer_that_ignores_trainable(tf_device, monkeypatch):
    """Negative control for the printed comparison: a scratch layer that keeps training when
    frozen must make compare() report a large difference (the frozen case is compared)."""

    class Unfreezable(snippet.ScratchBatchNorm):
        def call(self, x, training=None):
            trainable = self.trainable
            self.trainable = True  # ignore the freeze
            try:
                return super().call(x, training=training)
            finally:
                self.trainable = trainable

    monkeypatch.setattr(snippet, "ScratchBatchNorm", Unfreezable)
    x = (3.0 + 2.0 * np.random.default_rng(1).standard_normal((8, 5, 5, 4))).astype("float32")
    assert snippet.compare(x) > 0.1


def test_scratch_layer_has_the_built_in_layers_variables(tf_device):
    """Same names, shapes, trainability and order: weights move between the two layers with
    get_weights()/set_weights(), as the docstring promises."""
    scratch, builtin = snippet.ScratchBatchNorm(), keras.layers.BatchNormalization()
    scratch.build((None, 3))
    builtin.build((None, 3))
    describe = lambda layer: [(v.path.split("/")[-1], tuple(v.shape), v.trainable) for v in layer.weights]  # noqa: E731
    assert describe(scratch) == describe(builtin) == [
        ("gamma", (3,), True), ("beta", (3,), True), ("moving_mean", (3,), False), ("moving_variance", (3,), False)]


@pytest.mark.parametrize("layer", ["scratch", "builtin"])
def test_moving_statistics_follow_the_keras_recursion_over_several_steps(layer, tf_device):
    """Several steps, so the old moving values are no longer the initial 0 and 1."""
    rng = np.random.default_rng(7)
    bn = snippet.ScratchBatchNorm() if layer == "scratch" else keras.layers.BatchNormalization()
    mean, var = np.zeros(3), np.ones(3)
    for _ in range(4):
        x = (5.0 + 3.0 * rng.standard_normal((16, 3))).astype("float32")
        bn(x, training=True)
        _, stats = batch_norm_train(x, np.ones(3), np.zeros(3), eps=1e-3, axis=-1)
        mean, var, _ = update_running_stats(mean, var, stats.mean, stats.var, stats.count, "keras", 0.99)
    assert_close(bn.moving_mean, mean, f"keras {layer} moving_mean, 4 steps", **RUNNING)
    assert_close(bn.moving_variance, var, f"keras {layer} moving_variance, 4 steps", **RUNNING)
