"""Instance normalization (Ulyanov et al., 2016): per sample and per channel, over positions.

It is group normalization with one channel per group (G = C): each channel of each
sample is normalized over its own H·W (or L, or D·H·W) values. Without running
statistics, training and inference compute the same thing.
"""

from __future__ import annotations

import numpy as np

from .group_norm import group_norm, group_norm_backward
from .validation import as_float64, channel_axis


def _channels(x: np.ndarray, axis: int) -> int:
    if x.ndim < 3:
        raise ValueError(f"instance norm needs at least one spatial axis: expected (N, C, ...), got shape {x.shape}")
    return x.shape[channel_axis(x, axis)]


def instance_norm(x, gamma, beta, eps=1e-5, axis=1):
    """Returns (y, x_hat, var); var has shape (N, C)."""
    x = as_float64("x", x)
    return group_norm(x, gamma, beta, groups=_channels(x, axis), eps=eps, axis=axis)


def instance_norm_backward(dy, x_hat, var, gamma, eps=1e-5, axis=1):
    """Returns (dx, dgamma, dbeta)."""
    dy = as_float64("dy", dy)
    return group_norm_backward(dy, x_hat, var, gamma, groups=_channels(dy, axis), eps=eps, axis=axis)
