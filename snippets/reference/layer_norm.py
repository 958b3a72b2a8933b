"""Layer normalization (Ba et al., 2016): statistics over each sample's trailing axes.

Unlike batch norm, nothing is shared across the batch, so training and inference
compute the same thing and there are no running statistics.
"""

from __future__ import annotations

import numpy as np

from .validation import as_float64, check_eps


def _normalized_axes(x: np.ndarray, normalized_ndim: int) -> tuple[int, ...]:
    if not 1 <= normalized_ndim <= x.ndim:
        raise ValueError(f"normalized_ndim must be in [1, {x.ndim}] for an input of rank {x.ndim}, got {normalized_ndim}")
    return tuple(range(x.ndim - normalized_ndim, x.ndim))


def _params(name, value, shape):
    value = as_float64(name, value)
    if value.shape != shape:
        raise ValueError(f"{name} has shape {value.shape}, expected {shape} (the normalized shape)")
    return value


def layer_norm(x, gamma, beta, eps=1e-5, normalized_ndim=1):
    """y = gamma * (x - mean) / sqrt(var + eps) + beta, mean/var over the trailing axes."""
    x = as_float64("x", x)
    eps = check_eps(eps)
    axes = _normalized_axes(x, normalized_ndim)
    shape = x.shape[x.ndim - normalized_ndim:]
    gamma, beta = _params("gamma", gamma, shape), _params("beta", beta, shape)
    mean = x.mean(axis=axes, keepdims=True)
    var = ((x - mean) ** 2).mean(axis=axes, keepdims=True)  # biased, per sample
    x_hat = (x - mean) / np.sqrt(var + eps)
    return gamma * x_hat + beta, x_hat, var


def backward_inputs(dy, x_hat, stat_name, stat, gamma, eps, normalized_ndim):
    """The checks shared by the per-sample backward passes (layer norm, RMS norm)."""
    dy, x_hat, stat = as_float64("dy", dy), as_float64("x_hat", x_hat), as_float64(stat_name, stat)
    if dy.shape != x_hat.shape:
        raise ValueError(f"dy has shape {dy.shape}, expected {x_hat.shape}")
    if np.any(stat < 0):
        raise ValueError(f"{stat_name} must be >= 0")
    eps = check_eps(eps)
    axes = _normalized_axes(dy, normalized_ndim)
    gamma = _params("gamma", gamma, dy.shape[dy.ndim - normalized_ndim:])
    return dy, x_hat, stat, eps, axes, gamma


def layer_norm_backward(dy, x_hat, var, gamma, eps=1e-5, normalized_ndim=1):
    """dx = (g*H - sum(g) - x_hat*sum(g*x_hat)) / (H*s), with g = dy*gamma, H = normalized size."""
    dy, x_hat, var, eps, axes, gamma = backward_inputs(dy, x_hat, "var", var, gamma, eps, normalized_ndim)
    batch_axes = tuple(range(dy.ndim - normalized_ndim))
    size = int(np.prod(dy.shape[dy.ndim - normalized_ndim:]))
    g = dy * gamma
    dx = (size * g - g.sum(axis=axes, keepdims=True) - x_hat * (g * x_hat).sum(axis=axes, keepdims=True)) / (
        size * np.sqrt(var + eps)
    )
    return dx, (dy * x_hat).sum(axis=batch_axes), dy.sum(axis=batch_axes)
