"""Batch renormalization (Ioffe, 2017), Algorithm 1: batch norm with a correction (r, d).

In training, x_hat = (x - mu_B) / sigma_B * r + d, where sigma_B = sqrt(var_B + eps) and
    r = clip(sigma_B / sigma, r_min, r_max)      d = clip((mu_B - mu) / sigma, -d_max, d_max)
with mu, sigma the moving mean and standard deviation. r and d are treated as constants
by the backward pass. With r_max = 1 and d_max = 0 (so r = 1, d = 0) it is batch norm;
with r and d unclipped, training computes what inference computes with (mu, sigma).
"""

from __future__ import annotations

import numpy as np

from .batch_norm import BatchStats, _broadcast, batch_norm_backward, batch_norm_train
from .validation import as_float64, channel_axis, check_eps, per_channel


def _clipping(r_max: float, d_max: float, r_min: float | None) -> tuple[float, float, float]:
    if not r_max >= 1:
        raise ValueError(f"r_max must be >= 1, got {r_max}")
    r_min = 1.0 / r_max if r_min is None else r_min  # the paper clips r to [1/r_max, r_max]
    if not 0 < r_min <= 1:
        raise ValueError(f"r_min must be in (0, 1], got {r_min}")
    if not d_max >= 0:
        raise ValueError(f"d_max must be >= 0, got {d_max}")
    return float(r_min), float(r_max), float(d_max)


def batch_renorm_train(x, gamma, beta, moving_mean, moving_std, r_max, d_max, r_min=None, eps=1e-3, axis=1):
    """Returns (y, r, d, stats); stats are batch norm's (BatchStats) for the backward pass."""
    x = as_float64("x", x)
    r_min, r_max, d_max = _clipping(r_max, d_max, r_min)
    eps = check_eps(eps)
    _, stats = batch_norm_train(x, np.ones(x.shape[axis]), np.zeros(x.shape[axis]), eps, axis)
    channels = x.shape[stats.axis]
    gamma, beta = per_channel("gamma", gamma, channels), per_channel("beta", beta, channels)
    mu = per_channel("moving_mean", moving_mean, channels)
    sigma = per_channel("moving_std", moving_std, channels)
    if np.any(sigma <= 0):
        raise ValueError("moving_std must be > 0")
    sigma_b = np.sqrt(stats.var + eps)
    r = np.clip(sigma_b / sigma, r_min, r_max)
    d = np.clip((stats.mean - mu) / sigma, -d_max, d_max)
    y = _broadcast(gamma, x.ndim, stats.axis) * (stats.x_hat * _broadcast(r, x.ndim, stats.axis)
                                                 + _broadcast(d, x.ndim, stats.axis)) + _broadcast(beta, x.ndim, stats.axis)
    return y, r, d, stats


def batch_renorm_backward(dy, gamma, r, d, stats: BatchStats):
    """(dx, dgamma, dbeta) with r and d held constant: dx is batch norm's with gamma * r."""
    dy = as_float64("dy", dy)
    channels = dy.shape[stats.axis]
    gamma, r, d = per_channel("gamma", gamma, channels), per_channel("r", r, channels), per_channel("d", d, channels)
    dx, dgamma_hat, dbeta = batch_norm_backward(dy, gamma * r, stats)  # dgamma_hat = sum(dy * x_hat)
    return dx, dgamma_hat * r + dbeta * d, dbeta  # y = gamma * (x_hat * r + d) + beta


def update_moving_stats(moving_mean, moving_std, stats: BatchStats, eps=1e-3, momentum=0.99):
    """Keras's convention: new = momentum * old + (1 - momentum) * batch value, for the mean
    and for the standard deviation sqrt(var_B + eps) (the paper's alpha is 1 - momentum)."""
    if not 0 <= momentum <= 1:
        raise ValueError(f"momentum must be in [0, 1], got {momentum}")
    channels = stats.mean.shape[0]
    mu = per_channel("moving_mean", moving_mean, channels)
    sigma = per_channel("moving_std", moving_std, channels)
    sigma_b = np.sqrt(stats.var + check_eps(eps))
    return momentum * mu + (1 - momentum) * stats.mean, momentum * sigma + (1 - momentum) * sigma_b


def batch_renorm_eval(x, moving_mean, moving_std, gamma, beta, axis=1):
    """Inference: y = gamma * (x - mu) / sigma + beta with the moving statistics."""
    x = as_float64("x", x)
    axis = channel_axis(x, axis)
    channels = x.shape[axis]
    mu = per_channel("moving_mean", moving_mean, channels)
    sigma = per_channel("moving_std", moving_std, channels)
    if np.any(sigma <= 0):
        raise ValueError("moving_std must be > 0")
    gamma, beta = per_channel("gamma", gamma, channels), per_channel("beta", beta, channels)
    return _broadcast(gamma / sigma, x.ndim, axis) * (x - _broadcast(mu, x.ndim, axis)) + _broadcast(beta, x.ndim, axis)
