"""snippets/tensorflow/keras_dropout_variance_shift.py: Keras's Dropout and the variance shift, against the closed form."""

from __future__ import annotations

import keras
import numpy as np


def test_keras_dropout_is_inverted_and_bn_learns_the_training_variance(tf_device):
    rng = np.random.default_rng(0)
    x = (1.0 + rng.standard_normal((100_000, 8))).astype("float32")
    dropout = keras.layers.Dropout(0.5)
    out = np.asarray(dropout(x, training=True))
    kept = out != 0
    np.testing.assert_allclose(out[kept], x[kept] * 2.0, rtol=1e-6)  # 1 / (1 - rate), float32
    assert np.array_equal(np.asarray(dropout(x, training=False)), x)
    bn = keras.layers.BatchNormalization(momentum=0.9)
    for _ in range(200):
        batch = (1.0 + rng.standard_normal((256, 8))).astype("float32")
        bn(dropout(batch, training=True), training=True)
    # closed form (v + m^2) / (1 - p) - m^2 = 3, times 255/256 (Keras stores the biased batch
    # variance); momentum 0.9 averages ~10 batches, so a 5% band holds the sampling noise
    assert abs(float(np.mean(bn.moving_variance)) / (3.0 * 255 / 256) - 1) < 0.05
    y = np.asarray(bn(dropout(x, training=False), training=False))
    assert abs(y.std() - 1 / np.sqrt(3.0)) < 0.03  # inference output shrunk by sqrt(3)
