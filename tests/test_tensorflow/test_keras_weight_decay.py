"""snippets/tensorflow/keras_weight_decay.py: exclude_from_weight_decay leaves gamma, beta and biases alone."""

from __future__ import annotations

import keras
import numpy as np


def _step(exclude: bool) -> dict[str, float]:
    model = keras.Sequential([keras.Input((10,)), keras.layers.Dense(4), keras.layers.BatchNormalization(),
                              keras.layers.ReLU(), keras.layers.Dense(2)])
    optimizer = keras.optimizers.AdamW(learning_rate=0.01, weight_decay=0.1)
    if exclude:
        optimizer.exclude_from_weight_decay(var_names=["gamma", "beta", "bias"])
    for variable in model.trainable_variables:
        variable.assign(np.ones(variable.shape, "float32"))
    optimizer.apply_gradients(zip([np.zeros(v.shape, "float32") for v in model.trainable_variables], model.trainable_variables))
    return {f"{i}:{type(layer).__name__}/{w.name}": float(w.numpy().mean())
            for i, layer in enumerate(model.layers) for w in layer.trainable_weights}


def test_only_the_kernels_decay_by_lr_times_weight_decay(tf_device):
    after = _step(exclude=True)
    decayed = {name for name, value in after.items() if value != 1.0}
    assert decayed == {"0:Dense/kernel", "3:Dense/kernel"}
    assert all(abs(after[name] - (1 - 0.01 * 0.1)) < 1e-7 for name in decayed)


def test_negative_control_without_the_exclusion_gamma_and_beta_decay_too(tf_device):
    after = _step(exclude=False)
    assert after["1:BatchNormalization/gamma"] < 1.0 and after["1:BatchNormalization/beta"] < 1.0
