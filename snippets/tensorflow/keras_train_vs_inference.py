"""Keras: when BatchNormalization uses batch statistics and when it uses the moving ones.

Run as is: python snippets/tensorflow/keras_train_vs_inference.py
"""

import keras
import numpy as np


def main():
    rng = np.random.default_rng(0)
    x = (5.0 + 2.0 * rng.standard_normal((32, 3))).astype("float32")
    # --8<-- [start:demo]
    bn = keras.layers.BatchNormalization()  # momentum=0.99: moving = 0.99*moving + 0.01*batch
    y_default = bn(x)  # training=None when called directly: INFERENCE, moving stats unchanged
    y_train = bn(x, training=True)  # batch statistics; moving stats take one step
    print("moving_mean after one step:", np.asarray(bn.moving_mean))  # 1% of the batch mean

    bn.trainable = False  # frozen (fine-tuning): inference mode even with training=True
    before = np.asarray(bn.moving_mean).copy()
    y_frozen = bn(x, training=True)
    print("frozen layer left moving_mean unchanged:", np.array_equal(before, np.asarray(bn.moving_mean)))
    # --8<-- [end:demo]
    return y_default, y_train, y_frozen


if __name__ == "__main__":
    main()
