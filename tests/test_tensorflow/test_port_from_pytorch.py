"""snippets/tensorflow/port_from_pytorch.py: the conventions table, cell by cell, and an exact port."""

from __future__ import annotations

import inspect

import keras
import numpy as np
import pytest
import torch

from snippets.reference.batch_norm import batch_norm_train
from snippets.reference.running_stats import update_running_stats
from tests.numerics import KERAS, RUNNING, assert_close, assert_differs
from tests.snippet_loader import load_snippet

snippet = load_snippet("tensorflow/port_from_pytorch.py")


def test_ported_layer_reproduces_pytorch_eval_outputs(tf_device):
    expected, ported = snippet.main()
    assert_close(ported, expected, "keras port vs torch eval y", **KERAS)


def _trained_torch_bn():
    torch.manual_seed(0)
    bn = torch.nn.BatchNorm2d(4)
    with torch.no_grad():
        bn.weight.uniform_(0.5, 1.5)
        bn.bias.normal_()
        bn.running_mean.normal_(0.0, 0.05)
        bn.running_var.uniform_(1e-3, 4e-3)  # small variances: eps 1e-3 vs 1e-5 shows
    return bn.eval()


def test_negative_control_keras_default_epsilon_breaks_the_port(tf_device):
    bn = _trained_torch_bn()
    layer = snippet.port_batchnorm(bn)
    wrong = keras.layers.BatchNormalization(axis=1, momentum=0.9)  # epsilon left at 1e-3
    wrong.build((None, 4, None, None))
    wrong.set_weights(layer.get_weights())
    x = 0.05 * torch.randn(2, 4, 6, 6)
    with torch.no_grad():
        expected = bn(x).numpy()
    assert_close(layer(x.numpy()), expected, "keras port (eps copied) vs torch", **KERAS)
    assert_differs(wrong(x.numpy()), expected, "keras eps 1e-3 vs torch 1e-5 (control)", at_least=1e-2)


# The conventions table on the batch-normalization page, one row per test.
def test_table_default_epsilon():
    assert torch.nn.BatchNorm2d(3).eps == 1e-5
    assert keras.layers.BatchNormalization().epsilon == 1e-3


def test_table_default_momentum():
    assert torch.nn.BatchNorm2d(3).momentum == 0.1
    assert keras.layers.BatchNormalization().momentum == 0.99


def test_table_channel_axis():
    assert keras.layers.BatchNormalization().axis == -1
    assert inspect.signature(torch.nn.BatchNorm2d).parameters["num_features"]  # dim 1 by definition
    bn = torch.nn.BatchNorm1d(3)
    x = torch.randn(4, 3, 5)  # (N, C, L): statistics over dims 0 and 2
    assert_close(bn(x), batch_norm_train(x.double().numpy(), np.ones(3), np.zeros(3), axis=1)[0], "torch BN1d (N,C,L) y", rtol=1.3e-6, atol=1e-5)


@pytest.mark.parametrize("framework", ["pytorch", "keras"])
def test_table_momentum_meaning_and_stored_variance(framework, tf_device):
    """One training step from the same state and batch: PyTorch p=0.1 vs Keras momentum 0.9."""
    x = 2.0 + 3.0 * np.random.default_rng(3).standard_normal((4, 3, 2, 2)).astype("float32")  # m = 16
    _, stats = batch_norm_train(x, np.ones(3), np.zeros(3), axis=1)
    if framework == "pytorch":
        bn = torch.nn.BatchNorm2d(3, momentum=0.1)
        bn(torch.from_numpy(x))
        mean, var = bn.running_mean, bn.running_var
    else:
        layer = keras.layers.BatchNormalization(axis=1, momentum=0.9)
        layer(x, training=True)
        mean, var = layer.moving_mean, layer.moving_variance
    exp_mean, exp_var, _ = update_running_stats(np.zeros(3), np.ones(3), stats.mean, stats.var, stats.count, framework, 0.1 if framework == "pytorch" else 0.9)
    assert_close(mean, exp_mean, f"{framework} running mean, ported momentum", **RUNNING)
    assert_close(var, exp_var, f"{framework} running var, ported momentum", **RUNNING)
    other = "keras" if framework == "pytorch" else "pytorch"
    _, other_var, _ = update_running_stats(np.zeros(3), np.ones(3), stats.mean, stats.var, stats.count, other, 0.9 if other == "keras" else 0.1)
    assert_differs(var, other_var, f"{framework} stored variance vs {other}'s (control)", at_least=1e-2)
