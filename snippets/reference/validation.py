"""Input checks shared by the reference functions: bad input is an error, never a number."""

from __future__ import annotations

import numpy as np


def as_float64(name: str, value) -> np.ndarray:
    array = np.asarray(value, dtype=np.float64)
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{name} contains NaN or infinity")
    return array


def check_eps(eps: float) -> float:
    if not eps > 0:  # also rejects NaN
        raise ValueError(f"eps must be > 0, got {eps}")
    return float(eps)


def channel_axis(x: np.ndarray, axis: int) -> int:
    if x.ndim < 2:
        raise ValueError(f"x must have at least 2 dimensions (batch, channels), got shape {x.shape}")
    if not -x.ndim <= axis < x.ndim:
        raise ValueError(f"channel axis {axis} is out of range for an input of rank {x.ndim}")
    axis %= x.ndim
    if axis == 0:
        raise ValueError("channel axis 0 is the batch axis")
    return axis


def per_channel(name: str, value, channels: int) -> np.ndarray:
    array = as_float64(name, value)
    if array.shape != (channels,):
        raise ValueError(f"{name} has shape {array.shape}, expected ({channels},) for {channels} channels")
    return array


def running_variance(name: str, value, channels: int) -> np.ndarray:
    """A stored variance: per channel and never negative (its square root is taken)."""
    array = per_channel(name, value, channels)
    if np.any(array < 0):
        raise ValueError(f"{name} must be >= 0")
    return array
