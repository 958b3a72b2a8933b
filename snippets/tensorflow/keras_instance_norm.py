"""Instance normalization in Keras: group normalization with one group per channel."""

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")  # hide TensorFlow's C++ start-up log

import keras
import numpy as np


def rounded(values, digits: int = 3) -> list[float]:
    return [round(float(v), digits) + 0.0 for v in np.ravel(values)]


def main():
    rng = np.random.default_rng(0)
    images = (1.0 + 2.0 * rng.standard_normal((2, 8, 8, 3))).astype("float32")  # (N, H, W, C)
    inorm = keras.layers.GroupNormalization(groups=-1)  # (1)!
    y = np.asarray(inorm(images))
    print("mean per channel:", rounded(y[0].mean(axis=(0, 1))))
    #> mean per channel: [0.0, 0.0, 0.0]
    print("std per channel: ", rounded(y[0].std(axis=(0, 1))))
    #> std per channel:  [1.0, 1.0, 1.0]
    print("groups:", inorm.groups, "| gamma:", tuple(inorm.gamma.shape))
    #> groups: 3 | gamma: (3,)
    print("same in training mode:", np.array_equal(np.asarray(inorm(images, training=True)), y))
    #> same in training mode: True

    plain = keras.layers.GroupNormalization(groups=-1, center=False, scale=False)  # (2)!
    plain(images)
    print("weights without gamma and beta:", len(plain.weights))
    #> weights without gamma and beta: 0


if __name__ == "__main__":
    main()
