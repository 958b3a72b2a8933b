"""Group normalization (Wu & He, 2018): per sample, statistics over groups of channels.

The C channels are split into G groups of C/G consecutive channels; each sample gets one
mean and one variance per group, over the group's channels and all positions. G = 1 is
layer norm over (C, H, W); G = C is instance norm. Nothing is shared across the batch.
Channels sit on `axis` (1 for PyTorch's (N, C, ...), -1 for Keras's (N, ..., C)).
"""

from __future__ import annotations

import numpy as np

from .validation import as_float64, channel_axis, check_eps, per_channel


def _check_groups(groups, channels: int) -> int:
    if isinstance(groups, bool) or not isinstance(groups, (int, np.integer)) or groups < 1:
        raise ValueError(f"groups must be a positive integer, got {groups!r}")
    if channels % groups:
        raise ValueError(f"groups={groups} does not divide the {channels} channels")
    return int(groups)


def _grouped(x: np.ndarray, axis: int, groups: int) -> np.ndarray:
    """(N, ..., C on axis, ...) -> (N, G, C/G * positions): one row per (sample, group)."""
    return np.moveaxis(x, axis, 1).reshape(x.shape[0], groups, -1)


def _ungrouped(rows: np.ndarray, shape: tuple[int, ...], axis: int) -> np.ndarray:
    channels_first = (shape[0], shape[axis]) + tuple(s for i, s in enumerate(shape) if i not in (0, axis))
    return np.moveaxis(rows.reshape(channels_first), 1, axis)


def _per_channel_shape(ndim: int, axis: int) -> list[int]:
    shape = [1] * ndim
    shape[axis] = -1
    return shape


def group_norm(x, gamma, beta, groups, eps=1e-5, axis=1):
    """Returns (y, x_hat, var); var has shape (N, G), biased (divide by the group's size)."""
    x = as_float64("x", x)
    axis, eps = channel_axis(x, axis), check_eps(eps)
    channels = x.shape[axis]
    groups = _check_groups(groups, channels)
    gamma, beta = per_channel("gamma", gamma, channels), per_channel("beta", beta, channels)
    if x.size // (x.shape[0] * groups) < 2:  # the variance of one value is 0: y would be beta
        raise ValueError(f"expected more than 1 value per group, got input shape {x.shape} with groups={groups}")
    rows = _grouped(x, axis, groups)
    mean = rows.mean(axis=2, keepdims=True)
    var = ((rows - mean) ** 2).mean(axis=2, keepdims=True)
    x_hat = _ungrouped((rows - mean) / np.sqrt(var + eps), x.shape, axis)
    broadcast = _per_channel_shape(x.ndim, axis)
    return gamma.reshape(broadcast) * x_hat + beta.reshape(broadcast), x_hat, var[:, :, 0]


def group_norm_backward(dy, x_hat, var, gamma, groups, eps=1e-5, axis=1):
    """dx per (sample, group) row: (g*M - sum(g) - x_hat*sum(g*x_hat)) / (M*s), g = dy*gamma."""
    dy, x_hat, var = as_float64("dy", dy), as_float64("x_hat", x_hat), as_float64("var", var)
    if dy.shape != x_hat.shape:
        raise ValueError(f"dy has shape {dy.shape}, expected {x_hat.shape}")
    axis, eps = channel_axis(dy, axis), check_eps(eps)
    channels = dy.shape[axis]
    groups = _check_groups(groups, channels)
    gamma = per_channel("gamma", gamma, channels)
    if var.shape != (dy.shape[0], groups):
        raise ValueError(f"var has shape {var.shape}, expected {(dy.shape[0], groups)} (samples, groups)")
    if np.any(var < 0):
        raise ValueError("var must be >= 0")
    g = _grouped(dy * gamma.reshape(_per_channel_shape(dy.ndim, axis)), axis, groups)
    xh = _grouped(x_hat, axis, groups)
    size = g.shape[2]
    dx = (size * g - g.sum(axis=2, keepdims=True) - xh * (g * xh).sum(axis=2, keepdims=True)) / (
        size * np.sqrt(var[:, :, None] + eps)
    )
    others = tuple(i for i in range(dy.ndim) if i != axis)
    return _ungrouped(dx, dy.shape, axis), (dy * x_hat).sum(axis=others), dy.sum(axis=others)
