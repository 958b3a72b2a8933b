"""RMS normalization (Zhang & Sennrich, 2019): divide by the root mean square, no centering.

y = gamma * x / sqrt(mean(x^2) + eps), the mean over each sample's trailing axes. Unlike
layer norm there is no mean subtraction and, by default, no beta; on an input whose mean
is already 0 it equals layer norm (mean(x^2) is then the variance).
"""

from __future__ import annotations

import numpy as np

from .layer_norm import _normalized_axes, _params, backward_inputs
from .validation import as_float64, check_eps


def rms_norm(x, gamma, eps=1e-6, normalized_ndim=1):
    """Returns (y, x_hat, mean_square); statistics over the trailing `normalized_ndim` axes."""
    x = as_float64("x", x)
    eps = check_eps(eps)
    axes = _normalized_axes(x, normalized_ndim)
    gamma = _params("gamma", gamma, x.shape[x.ndim - normalized_ndim:])
    mean_square = (x**2).mean(axis=axes, keepdims=True)
    x_hat = x / np.sqrt(mean_square + eps)
    return gamma * x_hat, x_hat, mean_square


def rms_norm_backward(dy, x_hat, mean_square, gamma, eps=1e-6, normalized_ndim=1):
    """dx = (g - x_hat * mean(g * x_hat)) / sqrt(mean_square + eps), with g = dy * gamma."""
    dy, x_hat, mean_square, eps, axes, gamma = backward_inputs(
        dy, x_hat, "mean_square", mean_square, gamma, eps, normalized_ndim)
    g = dy * gamma
    dx = (g - x_hat * (g * x_hat).mean(axis=axes, keepdims=True)) / np.sqrt(mean_square + eps)
    return dx, (dy * x_hat).sum(axis=tuple(range(dy.ndim - normalized_ndim)))
