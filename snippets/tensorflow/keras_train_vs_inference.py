"""Keras: when BatchNormalization uses batch statistics and when it uses the moving ones."""

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")  # hide TensorFlow's C++ start-up log

import keras
import numpy as np


def rounded(values, digits: int = 3) -> list[float]:
    return [round(float(v), digits) + 0.0 for v in np.asarray(values)]


def main():
    rng = np.random.default_rng(0)
    x = (5.0 + 2.0 * rng.standard_normal((32, 3))).astype("float32")
    bn = keras.layers.BatchNormalization()  # momentum=0.99: moving = 0.99*moving + 0.01*batch
    y_default = bn(x)  # training=None when called directly: INFERENCE, moving stats unchanged
    print("moving_mean after a direct call:", rounded(bn.moving_mean))
    #> moving_mean after a direct call: [0.0, 0.0, 0.0]
    y_train = bn(x, training=True)  # batch statistics; moving stats take one step
    print("moving_mean after training=True:", rounded(bn.moving_mean))  # 1% of the batch mean
    #> moving_mean after training=True: [0.048, 0.052, 0.057]

    bn.trainable = False  # frozen (fine-tuning): inference mode even with training=True
    before = np.asarray(bn.moving_mean).copy()
    y_frozen = bn(x, training=True)
    print("frozen layer left moving_mean unchanged:", np.array_equal(before, np.asarray(bn.moving_mean)))
    #> frozen layer left moving_mean unchanged: True
    return y_default, y_train, y_frozen


if __name__ == "__main__":
    main()
