"""Five Keras normalization layers, probed for what the overview table says about them."""

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")  # hide TensorFlow's C++ start-up log

import keras
import numpy as np

N, H, W, C = 4, 5, 5, 6


def layers() -> dict[str, keras.layers.Layer]:
    return {  # default arguments except the axes and groups, for (N, H, W, C) images
        "BatchNormalization": keras.layers.BatchNormalization(),
        "LayerNormalization": keras.layers.LayerNormalization(axis=[1, 2, 3]),
        "RMSNormalization": keras.layers.RMSNormalization(axis=[1, 2, 3]),
        "GroupNormalization": keras.layers.GroupNormalization(groups=3),
        "GroupNorm(groups=-1)": keras.layers.GroupNormalization(groups=-1),  # (1)!
    }


def probe(layer: keras.layers.Layer, images: np.ndarray) -> dict[str, object]:
    def run(x, training):
        return np.asarray(layer(x, training=training))

    # float32 results of the same computation on different batches: equal up to rounding, hence atol=1e-5
    depends_on_batch = not np.allclose(run(images, True)[:1], run(images[:1], True), atol=1e-5)
    train_differs = not np.allclose(run(images, True), run(images, False), atol=1e-5)  # (2)!
    return {"depends on batch": depends_on_batch, "train != eval": train_differs,
            "running stats": bool(layer.non_trainable_weights), "eps": layer.epsilon}


def main():
    rng = np.random.default_rng(0)
    images = (1.0 + 2.0 * rng.standard_normal((N, H, W, C))).astype("float32")
    print(f"{'':21}{'depends on batch':>17}{'train != eval':>14}{'running stats':>14}{'eps':>7}")
    #>                       depends on batch train != eval running stats    eps
    for name, layer in layers().items():
        row = probe(layer, images)
        print(f"{name:21}" + "".join(f"{str(v):>{w}}" for v, w in zip(row.values(), (17, 14, 14, 7))))
        #> BatchNormalization                True          True          True  0.001
        #> LayerNormalization               False         False         False  0.001
        #> RMSNormalization                 False         False         False  1e-06
        #> GroupNormalization               False         False         False  0.001
        #> GroupNorm(groups=-1)             False         False         False  0.001


if __name__ == "__main__":
    main()
