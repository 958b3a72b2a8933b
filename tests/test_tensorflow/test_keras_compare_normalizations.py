"""snippets/tensorflow/keras_compare_normalizations.py: the probes measure what the reference predicts.

tests/test_site/test_comparison_table.py checks the page's table against these probes.
"""

from __future__ import annotations

import keras
import numpy as np

from snippets.reference.batch_norm import batch_norm_train
from snippets.reference.group_norm import group_norm
from snippets.reference.instance_norm import instance_norm
from snippets.reference.layer_norm import layer_norm
from snippets.reference.rms_norm import rms_norm
from tests.snippet_loader import load_snippet

compare = load_snippet("tensorflow/keras_compare_normalizations.py")
N, H, W, C = compare.N, compare.H, compare.W, compare.C
SAMPLE = (H, W, C)

REFERENCE = {  # the layers of the snippet, in training mode, with gamma = 1 and beta = 0
    "BatchNormalization": lambda x: batch_norm_train(x, np.ones(C), np.zeros(C), eps=1e-3, axis=-1)[0],
    "LayerNormalization": lambda x: layer_norm(x, np.ones(SAMPLE), np.zeros(SAMPLE), eps=1e-3, normalized_ndim=3)[0],
    "RMSNormalization": lambda x: rms_norm(x, np.ones(SAMPLE), eps=1e-6, normalized_ndim=3)[0],
    "GroupNormalization": lambda x: group_norm(x, np.ones(C), np.zeros(C), groups=3, eps=1e-3, axis=-1)[0],
    "GroupNorm(groups=-1)": lambda x: instance_norm(x, np.ones(C), np.zeros(C), eps=1e-3, axis=-1)[0],
}


def test_probes_agree_with_the_reference_and_with_the_defaults(tf_device):
    images = (1.0 + 2.0 * np.random.default_rng(0).standard_normal((N, H, W, C))).astype("float32")
    rows = {name: compare.probe(layer, images) for name, layer in compare.layers().items()}
    assert list(rows) == list(REFERENCE)
    for name, row in rows.items():
        f = REFERENCE[name]
        assert row["depends on batch"] is (not np.allclose(f(images)[:1], f(images[:1]), atol=1e-5)), name
        assert row["train != eval"] is (name == "BatchNormalization"), name
        assert row["running stats"] is (name == "BatchNormalization"), name
    assert {name: row["eps"] for name, row in rows.items()} == {
        "BatchNormalization": 1e-3, "LayerNormalization": 1e-3, "RMSNormalization": 1e-6,
        "GroupNormalization": 1e-3, "GroupNorm(groups=-1)": 1e-3}


def test_negative_control_a_frozen_batch_norm_does_not_depend_on_the_batch(tf_device):
    images = (1.0 + 2.0 * np.random.default_rng(1).standard_normal((N, H, W, C))).astype("float32")
    frozen = keras.layers.BatchNormalization()
    frozen.build(images.shape)
    frozen.trainable = False  # Keras 3: a frozen BatchNormalization runs in inference mode
    row = compare.probe(frozen, images)
    assert not row["depends on batch"] and not row["train != eval"] and row["running stats"]
