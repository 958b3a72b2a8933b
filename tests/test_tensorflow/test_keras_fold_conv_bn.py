"""snippets/tensorflow/keras_fold_conv_bn.py: the Keras fold against the reference fold."""

from __future__ import annotations

import keras
import numpy as np
import pytest

from snippets.reference.fold import fold_batch_norm
from tests.numerics import KERAS, assert_close
from tests.snippet_loader import load_snippet

keras_fold = load_snippet("tensorflow/keras_fold_conv_bn.py")


@pytest.mark.parametrize("conv_class, out_axis", [(keras.layers.Conv2D, 3), (keras.layers.Conv2DTranspose, 2)],
                         ids=["conv", "transposed"])
def test_fold_matches_the_reference_and_the_folded_layer_matches_conv_then_bn(conv_class, out_axis, tf_device):
    x = np.random.default_rng(0).standard_normal((4, 10, 10, 3)).astype("float32")
    conv = conv_class(8, 3)
    conv.build(x.shape)
    bn = keras.layers.BatchNormalization()
    for _ in range(5):
        bn(conv(x), training=True)
    kernel, bias = keras_fold.fold(conv, bn, out_axis)
    kernel_ref, bias_ref = fold_batch_norm(np.asarray(conv.kernel), np.asarray(conv.bias), np.asarray(bn.moving_mean),
                                           np.asarray(bn.moving_variance), np.asarray(bn.gamma), np.asarray(bn.beta),
                                           eps=bn.epsilon, out_axis=out_axis)
    assert_close(kernel, kernel_ref, f"keras fold kernel ({conv_class.__name__})", **KERAS)
    assert_close(bias, bias_ref, f"keras fold bias ({conv_class.__name__})", **KERAS)
    # check() folds, rebuilds the layer and compares its output with conv + BN at inference
    assert keras_fold.check(conv, out_axis, x) < 1e-5


def test_negative_control_folding_along_the_input_axis_is_wrong(tf_device):
    x = np.random.default_rng(1).standard_normal((2, 6, 6, 8)).astype("float32")
    conv = keras.layers.Conv2D(8, 3)  # 8 in, 8 out: both axes fit
    conv.build(x.shape)
    assert keras_fold.check(conv, 2, x) > 1e-2
