"""Dropout before batch norm in Keras: the moving variance BN learns in training is too large for inference."""

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")  # hide TensorFlow's C++ start-up log

import keras
import numpy as np

P = 0.5  # dropout rate


def main():
    keras.utils.set_random_seed(0)
    rng = np.random.default_rng(0)
    x = (1.0 + rng.standard_normal((100_000, 8))).astype("float32")
    dropout = keras.layers.Dropout(P)
    train_out = np.asarray(dropout(x, training=True))  # (1)!
    print("training:  mean", round(float(train_out.mean()), 2), "variance", round(float(train_out.var()), 2))
    #> training:  mean 1.0 variance 3.0
    print("inference: variance", round(float(np.asarray(dropout(x, training=False)).var()), 2))
    #> inference: variance 1.0

    bn = keras.layers.BatchNormalization(momentum=0.9)
    for _ in range(200):  # training: dropout active, BN updates its moving statistics
        batch = (1.0 + rng.standard_normal((256, 8))).astype("float32")
        bn(dropout(batch, training=True), training=True)
    print("dropout -> BN: moving variance", round(float(np.mean(bn.moving_variance)), 2))  # (2)!
    #> dropout -> BN: moving variance 2.95
    y = np.asarray(bn(dropout(x, training=False), training=False))
    print("output std at inference:", round(float(y.std()), 2), "(1.0 in training)")
    #> output std at inference: 0.58 (1.0 in training)


if __name__ == "__main__":
    main()
