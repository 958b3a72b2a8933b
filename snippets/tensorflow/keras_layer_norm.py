"""Layer normalization in Keras: `axis` decides which values share one mean and variance."""

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")  # hide TensorFlow's C++ start-up log

import keras
import numpy as np


def rounded(values, digits: int = 3) -> list[float]:
    return [round(float(v), digits) + 0.0 for v in np.ravel(values)]


def main():
    rng = np.random.default_rng(0)
    tokens = (3.0 + 2.0 * rng.standard_normal((2, 4, 8))).astype("float32")  # (batch, sequence, features)
    ln = keras.layers.LayerNormalization()  # (1)!
    y = np.asarray(ln(tokens))
    print("mean per token:", rounded(y[0].mean(axis=-1)))
    #> mean per token: [0.0, 0.0, 0.0, 0.0]
    print("std per token: ", rounded(y[0].std(axis=-1)))
    #> std per token:  [1.0, 1.0, 1.0, 1.0]
    print("same in training mode:", np.array_equal(np.asarray(ln(tokens, training=True)), y))
    #> same in training mode: True

    images = (2.0 * rng.standard_normal((2, 5, 5, 4))).astype("float32")  # (N, H, W, C)
    per_pixel = keras.layers.LayerNormalization()  # (2)!
    per_image = keras.layers.LayerNormalization(axis=[1, 2, 3])  # (3)!
    out = np.asarray(per_image(images)).reshape(2, -1)
    per_pixel(images)
    print("per pixel: gamma", tuple(per_pixel.gamma.shape), "| per image: gamma", tuple(per_image.gamma.shape))
    #> per pixel: gamma (4,) | per image: gamma (5, 5, 4)
    print("per image std:", rounded(out.std(axis=1)))
    #> per image std: [1.0, 1.0]


if __name__ == "__main__":
    main()
