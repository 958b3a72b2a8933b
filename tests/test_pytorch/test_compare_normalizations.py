"""snippets/pytorch/compare_normalizations.py: the probes measure what the reference predicts.

tests/test_site/test_comparison_table.py checks the page's table against these probes.
"""

from __future__ import annotations

import numpy as np
import torch

from snippets.reference.batch_norm import batch_norm_train
from snippets.reference.group_norm import group_norm
from snippets.reference.instance_norm import instance_norm
from snippets.reference.layer_norm import layer_norm
from snippets.reference.rms_norm import rms_norm
from tests.snippet_loader import load_snippet

compare = load_snippet("pytorch/compare_normalizations.py")
N, C, H, W = compare.N, compare.C, compare.H, compare.W
SAMPLE = (C, H, W)

REFERENCE = {  # the layers of the snippet, in training mode, with gamma = 1 and beta = 0
    "BatchNorm2d": lambda x: batch_norm_train(x, np.ones(C), np.zeros(C))[0],
    "LayerNorm": lambda x: layer_norm(x, np.ones(SAMPLE), np.zeros(SAMPLE), normalized_ndim=3)[0],
    "RMSNorm": lambda x: rms_norm(x, np.ones(SAMPLE), eps=float(np.finfo(np.float32).eps), normalized_ndim=3)[0],
    "GroupNorm": lambda x: group_norm(x, np.ones(C), np.zeros(C), groups=3)[0],
    "InstanceNorm2d": lambda x: instance_norm(x, np.ones(C), np.zeros(C))[0],
}


def test_probes_agree_with_the_reference_and_with_the_defaults(device):
    images = (1.0 + 2.0 * torch.randn(N, C, H, W)).to(device)
    x = images.cpu().double().numpy()
    rows = {name: compare.probe(layer.to(device), images) for name, layer in compare.layers().items()}
    assert list(rows) == list(REFERENCE)
    for name, row in rows.items():
        f = REFERENCE[name]
        depends = not np.allclose(f(x)[:1], f(x[:1]), atol=1e-5)  # the reference's answer
        assert row["depends on batch"] is depends, name
        # Only batch norm keeps state, so only it can compute something else at inference.
        assert row["train != eval"] is (name == "BatchNorm2d"), name
        assert row["running stats"] is (name == "BatchNorm2d"), name
    assert {name: row["eps"] for name, row in rows.items()} == {
        "BatchNorm2d": 1e-5, "LayerNorm": 1e-5, "RMSNorm": None, "GroupNorm": 1e-5, "InstanceNorm2d": 1e-5}


def test_negative_control_the_probe_sees_running_statistics_in_instance_norm(device):
    images = (1.0 + 2.0 * torch.randn(N, C, H, W)).to(device)
    row = compare.probe(torch.nn.InstanceNorm2d(C, track_running_stats=True).to(device), images)
    assert row["train != eval"] and row["running stats"] and not row["depends on batch"]
