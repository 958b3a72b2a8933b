"""Folding an inference-mode BatchNormalization into the Conv2D (or Conv2DTranspose) before it, in Keras."""

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")  # hide TensorFlow's C++ start-up log

import keras
import numpy as np


def fold(conv, bn, out_axis: int):
    """Return (kernel, bias) of one conv computing bn(conv(x)) at inference."""
    scale = np.asarray(bn.gamma) / np.sqrt(np.asarray(bn.moving_variance) + bn.epsilon)
    shape = [1] * 4
    shape[out_axis] = -1  # the kernel axis of the output channels
    bias = np.asarray(conv.bias) if conv.use_bias else 0.0
    return np.asarray(conv.kernel) * scale.reshape(shape), (bias - np.asarray(bn.moving_mean)) * scale + np.asarray(bn.beta)


def check(conv, out_axis: int, x: np.ndarray) -> float:
    bn = keras.layers.BatchNormalization()
    for _ in range(20):  # training steps: moving statistics other than 0 and 1
        bn(conv(x), training=True)
    bn.gamma.assign(np.random.default_rng(1).uniform(0.5, 1.5, bn.gamma.shape).astype("float32"))
    kernel, bias = fold(conv, bn, out_axis)
    folded = conv.__class__.from_config(conv.get_config() | {"name": None, "use_bias": True})
    folded.build(x.shape)
    folded.set_weights([kernel, bias])
    return float(np.abs(np.asarray(bn(conv(x), training=False)) - np.asarray(folded(x))).max())


def main():
    keras.utils.set_random_seed(0)
    x = np.random.default_rng(0).standard_normal((4, 10, 10, 3)).astype("float32")  # (N, H, W, C)
    conv = keras.layers.Conv2D(8, 3)  # (1)!
    conv.build(x.shape)
    print("Conv2D kernel", tuple(conv.kernel.shape), "| folded agrees to 1e-5:", check(conv, 3, x) < 1e-5)
    #> Conv2D kernel (3, 3, 3, 8) | folded agrees to 1e-5: True
    deconv = keras.layers.Conv2DTranspose(8, 3)  # (2)!
    deconv.build(x.shape)
    print("Conv2DTranspose kernel", tuple(deconv.kernel.shape), "| folded agrees to 1e-5:", check(deconv, 2, x) < 1e-5)
    #> Conv2DTranspose kernel (3, 3, 8, 3) | folded agrees to 1e-5: True


if __name__ == "__main__":
    main()
