"""snippets/reference/validation.py: the shared input checks, directly."""

from __future__ import annotations

import numpy as np
import pytest

from snippets.reference.validation import as_float64, channel_axis, check_eps, per_channel


def test_accepts_good_input():
    assert as_float64("x", [1, 2]).dtype == np.float64
    assert check_eps(1e-5) == 1e-5
    assert channel_axis(np.ones((2, 3, 4)), -1) == 2
    assert per_channel("gamma", [1.0, 2.0], 2).shape == (2,)


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: as_float64("x", [np.nan]), "x contains NaN or infinity"),
        (lambda: check_eps(0.0), "eps must be > 0"),
        (lambda: channel_axis(np.ones((2, 3)), -3), "channel axis -3 is out of range"),
        (lambda: channel_axis(np.ones((2, 3)), -2), "batch axis"),
        (lambda: per_channel("beta", np.ones((2, 1)), 2), r"beta has shape \(2, 1\), expected \(2,\)"),
    ],
)
def test_rejects_bad_input_by_name(call, message):
    with pytest.raises(ValueError, match=message):
        call()
