"""A Keras conv net with BatchNormalization on channels-last (NHWC) images.

Run as is: python snippets/tensorflow/keras_conv_bn_nhwc.py
"""

import keras
import numpy as np


# --8<-- [start:model]
def make_model(channels: int = 8, classes: int = 10) -> keras.Sequential:
    return keras.Sequential([
        keras.Input(shape=(12, 12, 3)),  # (H, W, C): channels last, Keras' default
        keras.layers.Conv2D(channels, 3, padding="same", use_bias=False),
        keras.layers.BatchNormalization(axis=-1),  # one mean/var per channel over N, H, W
        keras.layers.Activation("relu"),
        keras.layers.GlobalAveragePooling2D(),
        keras.layers.Dense(classes),
    ])
# --8<-- [end:model]


def main():
    keras.utils.set_random_seed(0)
    model = make_model()
    images = np.random.default_rng(0).standard_normal((16, 12, 12, 3)).astype("float32")
    logits = model(images, training=True)  # batch statistics + moving-average update
    bn = model.layers[1]
    print("logits", logits.shape, "moving_mean[:3]", np.asarray(bn.moving_mean)[:3])


if __name__ == "__main__":
    main()
