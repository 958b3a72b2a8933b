"""Batch renormalization from scratch in Keras, checked against BatchNormalization(renorm=True)."""

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")  # hide TensorFlow's C++ start-up log

import keras
import numpy as np
from keras import ops


class BatchRenorm(keras.layers.Layer):
    """Channels last. One set of moving statistics, used both for (r, d) and for inference."""

    def __init__(self, r_max=3.0, d_max=5.0, momentum=0.99, epsilon=1e-3, **kwargs):
        super().__init__(**kwargs)
        self.r_max, self.d_max, self.momentum, self.epsilon = r_max, d_max, momentum, epsilon

    def build(self, input_shape):
        c = (input_shape[-1],)
        self.gamma = self.add_weight(shape=c, initializer="ones", name="gamma")
        self.beta = self.add_weight(shape=c, initializer="zeros", name="beta")
        self.moving_mean = self.add_weight(shape=c, initializer="zeros", trainable=False, name="moving_mean")
        self.moving_std = self.add_weight(shape=c, initializer="ones", trainable=False, name="moving_std")

    def call(self, x, training=False):
        if not training:
            return (x - self.moving_mean) / self.moving_std * self.gamma + self.beta
        mean, var = ops.moments(x, axes=list(range(len(x.shape) - 1)))
        std = ops.sqrt(var + self.epsilon)  # sigma_B
        r = ops.stop_gradient(ops.clip(std / self.moving_std, 1.0 / self.r_max, self.r_max))  # (1)!
        d = ops.stop_gradient(ops.clip((mean - self.moving_mean) / self.moving_std, -self.d_max, self.d_max))
        self.moving_mean.assign(self.momentum * self.moving_mean + (1 - self.momentum) * mean)
        self.moving_std.assign(self.momentum * self.moving_std + (1 - self.momentum) * std)
        return ((x - mean) / std * r + d) * self.gamma + self.beta


def main():
    keras.utils.set_random_seed(0)
    rng = np.random.default_rng(0)
    ours = BatchRenorm(r_max=3.0, d_max=5.0)
    builtin = keras.layers.BatchNormalization(  # (2)!
        renorm=True, renorm_clipping={"rmin": 1 / 3, "rmax": 3.0, "dmax": 5.0}, renorm_momentum=0.99)
    worst = 0.0
    for _ in range(20):  # 20 training steps on batches of 4 with mean 2 and standard deviation 3
        x = (2.0 + 3.0 * rng.standard_normal((4, 6))).astype("float32")
        worst = max(worst, float(np.abs(np.asarray(ours(x, training=True)) - np.asarray(builtin(x, training=True))).max()))
    print("training outputs agree to 1e-5:", worst < 1e-5)
    #> training outputs agree to 1e-5: True
    x = (2.0 + 3.0 * rng.standard_normal((4, 6))).astype("float32")
    gap = np.abs(np.asarray(ours(x)) - np.asarray(builtin(x))).max()
    print("inference outputs agree to 1e-5:", bool(gap < 1e-5))
    #> inference outputs agree to 1e-5: True
    print("moving std, channel 0:", round(float(ours.moving_std[0]), 3))  # (3)!
    #> moving std, channel 0: 1.272


if __name__ == "__main__":
    main()
