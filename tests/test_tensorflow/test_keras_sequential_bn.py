"""snippets/tensorflow/keras_sequential_bn.py: defined data, keras.Input, logits; BN checked."""

from __future__ import annotations

import keras
import numpy as np

from snippets.reference.batch_norm import batch_norm_eval, batch_norm_train
from snippets.reference.running_stats import update_running_stats
from tests.numerics import KERAS, RUNNING, assert_close
from tests.snippet_loader import load_snippet

snippet = load_snippet("tensorflow/keras_sequential_bn.py")


def test_model_outputs_logits_and_learns(tf_device):
    losses, final_loss, acc = snippet.main()
    model_out = snippet.make_model().layers[-1]
    assert model_out.get_config()["activation"] == "linear"  # logits, softmax is in the loss
    assert final_loss < 0.5 * losses[0] and acc > 0.9


def test_bn_layer_in_the_model_matches_the_reference(tf_device):
    x_train, _ = snippet.make_data()
    model = snippet.make_model()
    dense, bn = model.layers[0], model.layers[1]
    z = np.asarray(dense(x_train[:64]))
    mean0, var0 = np.asarray(bn.moving_mean, np.float64), np.asarray(bn.moving_variance, np.float64)
    y = bn(z, training=True)
    gamma, beta = np.asarray(bn.gamma, np.float64), np.asarray(bn.beta, np.float64)
    y_ref, stats = batch_norm_train(z, gamma, beta, eps=1e-3, axis=-1)
    assert_close(y, y_ref, "keras MLP BN y", **KERAS)
    mean, var, _ = update_running_stats(mean0, var0, stats.mean, stats.var, stats.count, "keras", 0.99)
    assert_close(bn.moving_mean, mean, "keras MLP moving_mean", **RUNNING)
    assert_close(bn.moving_variance, var, "keras MLP moving_variance", **RUNNING)
    inference = batch_norm_eval(z, mean, var, gamma, beta, eps=1e-3, axis=-1)
    assert_close(bn(z), inference, "keras MLP BN inference y", **KERAS)


def test_data_is_defined_in_the_script():
    x_train, y_train = snippet.make_data()
    assert x_train.shape == (512, 20) and x_train.dtype == np.float32 and set(np.unique(y_train)) == {0, 1, 2}
    assert isinstance(snippet.make_model().layers[1], keras.layers.BatchNormalization)
