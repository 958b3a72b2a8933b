"""Group normalization in Keras: per sample, one mean and variance per group of channels."""

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")  # hide TensorFlow's C++ start-up log

import keras
import numpy as np


def rounded(values, digits: int = 3) -> list[float]:
    return [round(float(v), digits) + 0.0 for v in np.ravel(values)]


def main():
    rng = np.random.default_rng(0)
    images = (1.0 + 2.0 * rng.standard_normal((4, 5, 5, 6))).astype("float32")  # (N, H, W, C)
    gn = keras.layers.GroupNormalization(groups=3)  # (1)!
    y = np.asarray(gn(images))
    groups = y[0].reshape(25, 3, 2)  # sample 0: positions x 3 groups x 2 channels
    print("mean per group:", rounded(groups.mean(axis=(0, 2))))
    #> mean per group: [0.0, 0.0, 0.0]
    print("std per group: ", rounded(groups.std(axis=(0, 2))))
    #> std per group:  [1.0, 1.0, 1.0]
    print("gamma, beta:", tuple(gn.gamma.shape), tuple(gn.beta.shape))
    #> gamma, beta: (6,) (6,)

    alone = np.asarray(gn(images[:1]))
    print("a sample alone gives the same output as in the batch:", np.allclose(alone, y[:1], atol=1e-6))
    #> a sample alone gives the same output as in the batch: True
    print("same in training mode:", np.array_equal(np.asarray(gn(images, training=True)), y))
    #> same in training mode: True

    # float32 results of two different computations: equal up to rounding, hence atol=1e-5
    one_group = keras.layers.GroupNormalization(groups=1)
    layer_norm = keras.layers.LayerNormalization(axis=[1, 2, 3])  # (2)!
    print("1 group = LayerNormalization(axis=[1, 2, 3]):",
          np.allclose(np.asarray(one_group(images)), np.asarray(layer_norm(images)), atol=1e-5))
    #> 1 group = LayerNormalization(axis=[1, 2, 3]): True


if __name__ == "__main__":
    main()
