"""Weight decay in Keras with batch norm: decay the kernels, not gamma, beta or biases."""

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")  # hide TensorFlow's C++ start-up log

import keras
import numpy as np


def main():
    keras.utils.set_random_seed(0)
    model = keras.Sequential([  # named layers: variable paths that do not depend on earlier models
        keras.Input((10,)),
        keras.layers.Dense(4, name="hidden"),
        keras.layers.BatchNormalization(name="bn"),
        keras.layers.ReLU(),
        keras.layers.Dense(2, name="output"),
    ], name="model")
    optimizer = keras.optimizers.AdamW(learning_rate=0.01, weight_decay=0.1)
    optimizer.exclude_from_weight_decay(var_names=["gamma", "beta", "bias"])  # (1)!

    for variable in model.trainable_variables:  # every weight 1.0, to see what the step does
        variable.assign(np.ones(variable.shape, "float32"))
    zero_gradients = [np.zeros(v.shape, "float32") for v in model.trainable_variables]
    optimizer.apply_gradients(zip(zero_gradients, model.trainable_variables))  # only the decay acts
    for variable in model.trainable_variables:
        print(f"{variable.path:20} 1.0 -> {round(float(variable.numpy().mean()), 6)}")  # (2)!
        #> model/hidden/kernel  1.0 -> 0.999
        #> model/hidden/bias    1.0 -> 1.0
        #> model/bn/gamma       1.0 -> 1.0
        #> model/bn/beta        1.0 -> 1.0
        #> model/output/kernel  1.0 -> 0.999
        #> model/output/bias    1.0 -> 1.0


if __name__ == "__main__":
    main()
