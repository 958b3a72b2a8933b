"""Batch normalization, forward and backward, as in Ioffe & Szegedy (2015), Algorithm 1.

Statistics are taken per channel over every other axis (N for dense inputs; N, H, W
for images), so this covers BatchNorm1d/2d/3d and Keras' channels-last layout alike.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .validation import as_float64, channel_axis, check_eps, per_channel, running_variance


class BatchStats(NamedTuple):
    """What the forward pass keeps for the backward pass and the running statistics."""

    mean: np.ndarray  # mu_B, one per channel
    var: np.ndarray  # sigma^2_B, biased (divide by m): used to normalize
    count: int  # m = number of values per channel
    x_hat: np.ndarray  # normalized input
    inv_std: np.ndarray  # 1 / sqrt(sigma^2_B + eps), broadcastable to x
    axis: int


def _reduce_axes(ndim: int, axis: int) -> tuple[int, ...]:
    return tuple(i for i in range(ndim) if i != axis)


def _broadcast(values: np.ndarray, ndim: int, axis: int) -> np.ndarray:
    shape = [1] * ndim
    shape[axis] = -1
    return values.reshape(shape)


def batch_norm_train(x, gamma, beta, eps=1e-5, axis=1):
    """Training-mode forward pass: normalize with the mini-batch's own statistics."""
    x = as_float64("x", x)
    axis, eps = channel_axis(x, axis), check_eps(eps)
    channels = x.shape[axis]
    gamma = per_channel("gamma", gamma, channels)
    beta = per_channel("beta", beta, channels)
    reduce = _reduce_axes(x.ndim, axis)
    m = x.size // channels
    if m < 2:  # the variance of one value is 0: the output would be beta, whatever x is
        raise ValueError(f"expected more than 1 value per channel in training, got input shape {x.shape}")

    mean = x.mean(axis=reduce)  # mu_B
    var = ((x - _broadcast(mean, x.ndim, axis)) ** 2).mean(axis=reduce)  # biased: / m
    inv_std = 1.0 / np.sqrt(_broadcast(var, x.ndim, axis) + eps)
    x_hat = (x - _broadcast(mean, x.ndim, axis)) * inv_std
    y = _broadcast(gamma, x.ndim, axis) * x_hat + _broadcast(beta, x.ndim, axis)
    return y, BatchStats(mean, var, m, x_hat, inv_std, axis)


def batch_norm_eval(x, running_mean, running_var, gamma, beta, eps=1e-5, axis=1):
    """Inference-mode forward pass: a fixed affine map built from the running statistics."""
    x = as_float64("x", x)
    axis, eps = channel_axis(x, axis), check_eps(eps)
    channels = x.shape[axis]
    mean = per_channel("running_mean", running_mean, channels)
    var = running_variance("running_var", running_var, channels)
    gamma = per_channel("gamma", gamma, channels)
    beta = per_channel("beta", beta, channels)
    scale = gamma / np.sqrt(var + eps)
    return _broadcast(scale, x.ndim, axis) * (x - _broadcast(mean, x.ndim, axis)) + _broadcast(
        beta, x.ndim, axis
    )


def batch_norm_backward(dy, gamma, stats: BatchStats):
    """Gradients of a training-mode forward pass (closed form, paper section 3).

    dbeta  = sum(dy)
    dgamma = sum(dy * x_hat)
    dx     = gamma / (m * s) * (m * dy - dbeta - x_hat * dgamma),  s = sqrt(var + eps)
    """
    dy = as_float64("dy", dy)
    if dy.shape != stats.x_hat.shape:
        raise ValueError(f"dy has shape {dy.shape}, expected {stats.x_hat.shape}")
    ndim, axis, m = dy.ndim, stats.axis, stats.count
    gamma = per_channel("gamma", gamma, dy.shape[axis])
    reduce = _reduce_axes(ndim, axis)
    dbeta = dy.sum(axis=reduce)
    dgamma = (dy * stats.x_hat).sum(axis=reduce)
    dx = (_broadcast(gamma, ndim, axis) * stats.inv_std / m) * (
        m * dy - _broadcast(dbeta, ndim, axis) - stats.x_hat * _broadcast(dgamma, ndim, axis)
    )
    return dx, dgamma, dbeta


def batch_norm_eval_backward(dy, x, running_mean, running_var, gamma, eps=1e-5, axis=1):
    """Gradients in inference mode: the running statistics are constants."""
    x, dy = as_float64("x", x), as_float64("dy", dy)
    if dy.shape != x.shape:
        raise ValueError(f"dy has shape {dy.shape}, expected {x.shape}")
    axis, eps = channel_axis(x, axis), check_eps(eps)
    channels = x.shape[axis]
    mean = per_channel("running_mean", running_mean, channels)
    var = running_variance("running_var", running_var, channels)
    gamma = per_channel("gamma", gamma, channels)
    inv_std = _broadcast(1.0 / np.sqrt(var + eps), x.ndim, axis)
    x_hat = (x - _broadcast(mean, x.ndim, axis)) * inv_std
    reduce = _reduce_axes(x.ndim, axis)
    return dy * _broadcast(gamma, x.ndim, axis) * inv_std, (dy * x_hat).sum(axis=reduce), dy.sum(axis=reduce)
