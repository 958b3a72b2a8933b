"""RMS normalization in Keras: scale each token by its root mean square, no centering."""

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")  # hide TensorFlow's C++ start-up log

import keras
import numpy as np


def rounded(values, digits: int = 3) -> list[float]:
    return [round(float(v), digits) + 0.0 for v in np.ravel(values)]


def main():
    rng = np.random.default_rng(0)
    tokens = (1.0 + rng.standard_normal((2, 4, 8))).astype("float32")  # mean about 1
    rms = keras.layers.RMSNormalization()  # (1)!
    y = np.asarray(rms(tokens))
    print("root mean square per token:", rounded(np.sqrt((y[0] ** 2).mean(axis=-1))))
    #> root mean square per token: [1.0, 1.0, 1.0, 1.0]
    print("mean per token (not 0):    ", rounded(y[0].mean(axis=-1)))
    #> mean per token (not 0):     [0.925, 0.166, 0.865, 0.769]
    print("weights:", [(w.path.split("/")[-1], tuple(w.shape)) for w in rms.weights])  # (2)!
    #> weights: [('scale', (8,))]

    centered = tokens - tokens.mean(axis=-1, keepdims=True)
    layer_norm = keras.layers.LayerNormalization(epsilon=1e-6)  # (3)!
    same = np.allclose(np.asarray(rms(centered)), np.asarray(layer_norm(centered)), atol=1e-5)
    print("on zero-mean input, equal to layer norm:", same)
    #> on zero-mean input, equal to layer norm: True


if __name__ == "__main__":
    main()
