"""Batch normalization written out as a Keras layer, next to keras.layers.BatchNormalization."""

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")  # hide TensorFlow's C++ start-up log

import keras
import numpy as np
from keras import ops


class ScratchBatchNorm(keras.layers.Layer):
    """Same maths and variables as keras.layers.BatchNormalization(axis=-1)."""

    def __init__(self, momentum: float = 0.99, epsilon: float = 1e-3, **kwargs):
        super().__init__(**kwargs)
        self.momentum, self.epsilon = momentum, epsilon

    def build(self, input_shape):
        channels = (input_shape[-1],)
        self.gamma = self.add_weight(shape=channels, initializer="ones", name="gamma")
        self.beta = self.add_weight(shape=channels, initializer="zeros", name="beta")
        self.moving_mean = self.add_weight(shape=channels, initializer="zeros", trainable=False, name="moving_mean")
        self.moving_variance = self.add_weight(shape=channels, initializer="ones", trainable=False, name="moving_variance")

    def call(self, x, training=None):
        if training and self.trainable:  # like Keras: None and trainable=False mean inference
            axes = list(range(len(x.shape) - 1))  # every axis but the last (channels)
            mean, var = ops.moments(x, axes=axes)  # var is biased, and so is what Keras stores
            m = self.momentum  # weights the OLD value in Keras
            self.moving_mean.assign(m * self.moving_mean + (1 - m) * mean)
            self.moving_variance.assign(m * self.moving_variance + (1 - m) * var)
        else:
            mean, var = self.moving_mean, self.moving_variance
        return self.gamma * (x - mean) / ops.sqrt(var + self.epsilon) + self.beta


def compare(x) -> float:
    """Largest difference between the scratch layer and the built-in one: train, inference, frozen."""
    scratch, builtin = ScratchBatchNorm(), keras.layers.BatchNormalization()
    diffs = [np.abs(scratch(x, training=True) - builtin(x, training=True)).max()]
    diffs.append(np.abs(scratch(x) - builtin(x)).max())  # default call: moving statistics
    scratch.trainable = builtin.trainable = False  # frozen: inference even with training=True
    diffs.append(np.abs(scratch(x, training=True) - builtin(x, training=True)).max())
    return float(max(diffs))


def main():
    x = (3.0 + 2.0 * np.random.default_rng(0).standard_normal((8, 5, 5, 4))).astype("float32")
    difference = compare(x)
    print(f"scratch and BatchNormalization agree to within 1e-5: {difference < 1e-5}")
    #> scratch and BatchNormalization agree to within 1e-5: True


if __name__ == "__main__":
    main()
