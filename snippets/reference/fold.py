"""Folding an inference-mode batch norm into the preceding linear or conv layer.

In inference BN is the affine map y = a * (z - running_mean) + beta with
a = gamma / sqrt(running_var + eps), so it merges into z = W x + b:
    W' = W * a     (a broadcast over the output-channel axis)
    b' = (b - running_mean) * a + beta
"""

from __future__ import annotations

import numpy as np

from .validation import as_float64, check_eps, per_channel, running_variance


def fold_batch_norm(weight, bias, running_mean, running_var, gamma, beta, eps=1e-5, out_axis=0):
    """Return (W', b'). out_axis=0 for Linear/Conv weights, 1 for transposed convs."""
    weight = as_float64("weight", weight)
    eps = check_eps(eps)
    if weight.ndim < 2 or not -weight.ndim <= out_axis < weight.ndim:
        raise ValueError(f"out_axis {out_axis} is out of range for a weight of shape {weight.shape}")
    channels = weight.shape[out_axis]
    bias = np.zeros(channels) if bias is None else per_channel("bias", bias, channels)
    mean = per_channel("running_mean", running_mean, channels)
    var = running_variance("running_var", running_var, channels)
    gamma = per_channel("gamma", gamma, channels)
    beta = per_channel("beta", beta, channels)

    scale = gamma / np.sqrt(var + eps)
    shape = [1] * weight.ndim
    shape[out_axis] = -1
    return weight * scale.reshape(shape), (bias - mean) * scale + beta
