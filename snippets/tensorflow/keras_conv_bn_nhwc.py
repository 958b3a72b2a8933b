"""A Keras conv net with BatchNormalization on channels-last (NHWC) images."""

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")  # hide TensorFlow's C++ start-up log

import keras
import numpy as np


def make_model(channels: int = 8, classes: int = 10) -> keras.Sequential:
    return keras.Sequential([
        keras.Input(shape=(12, 12, 3)),  # (H, W, C): channels last, Keras' default
        keras.layers.Conv2D(channels, 3, padding="same", use_bias=False),
        keras.layers.BatchNormalization(axis=-1),  # one mean/var per channel, over N, H, W
        keras.layers.Activation("relu"),
        keras.layers.GlobalAveragePooling2D(),
        keras.layers.Dense(classes),
    ])


def main():
    keras.utils.set_random_seed(0)
    model = make_model()
    images = np.random.default_rng(0).standard_normal((16, 12, 12, 3)).astype("float32")
    conv, bn = model.layers[0], model.layers[1]
    normalized = np.asarray(bn(conv(images), training=True))  # statistics of this batch
    per_channel = normalized.reshape(-1, normalized.shape[-1])  # (N*H*W, C)
    print("values per channel:", per_channel.shape[0])
    #> values per channel: 2304
    print("mean per channel:", [round(float(v), 4) + 0.0 for v in per_channel.mean(axis=0)])
    #> mean per channel: [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0]
    print("std per channel: ", [round(float(v), 3) for v in per_channel.std(axis=0)])
    #> std per channel:  [0.999, 0.999, 0.999, 0.999, 0.999, 0.999, 0.999, 0.999]
    return model


if __name__ == "__main__":
    main()
