"""A Keras classifier with BatchNormalization, trained briefly on data defined right here."""

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")  # hide TensorFlow's C++ start-up log

import keras
import numpy as np


def make_data(n: int = 512, features: int = 20, classes: int = 3, seed: int = 0):
    """Three Gaussian blobs: x_train and y_train exist before fit() uses them."""
    rng = np.random.default_rng(seed)
    centers = 0.6 * rng.standard_normal((classes, features))
    y_train = rng.integers(0, classes, size=n)
    x_train = (centers[y_train] + rng.standard_normal((n, features))).astype("float32")
    return x_train, y_train


def make_model(features: int = 20, hidden: int = 64, classes: int = 3) -> keras.Sequential:
    model = keras.Sequential([
        keras.Input(shape=(features,)),  # (1)!
        keras.layers.Dense(hidden, use_bias=False),  # (2)!
        keras.layers.BatchNormalization(),  # (3)!
        keras.layers.Activation("relu"),
        keras.layers.Dense(classes),  # (4)!
    ])
    model.compile(
        optimizer=keras.optimizers.SGD(learning_rate=0.05, momentum=0.9),
        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        metrics=["accuracy"],
    )
    return model


def main():
    keras.utils.set_random_seed(0)
    x_train, y_train = make_data()
    model = make_model()
    history = model.fit(x_train, y_train, batch_size=64, epochs=3, shuffle=False, verbose=0)
    losses = history.history["loss"]  # mean training loss of each epoch
    loss, acc = model.evaluate(x_train, y_train, verbose=0)  # BN in inference mode here
    print(f"loss {losses[0]:.3f} -> {losses[-1]:.3f}; accuracy {acc:.1%}")
    #> loss 0.816 -> 0.161; accuracy 92.8%
    return history.history["loss"], loss, acc


if __name__ == "__main__":
    main()
