"""snippets/pytorch/dropout_variance_shift.py: inverted dropout and the variance shift (Li et al.,
2019) against the closed form: for input with mean m and variance v, inverted dropout with
rate p gives mean m and variance (v + m^2) / (1 - p) - m^2 in training, v at inference."""

from __future__ import annotations

import pytest
import torch

from tests.snippet_loader import load_snippet

shift = load_snippet("pytorch/dropout_variance_shift.py")


def train_variance(mean: float, var: float, p: float) -> float:
    return (var + mean**2) / (1 - p) - mean**2


def test_inverted_dropout_scales_kept_values_by_one_over_keep_probability(device):
    x = (1.0 + torch.randn(200_000)).to(device)
    out = torch.nn.Dropout(0.5)(x)
    kept = out != 0
    assert torch.equal(out[kept], x[kept] * 2.0)  # exactly 1 / (1 - p)
    # 200k draws: the kept fraction's standard error is 0.0011, so 0.01 is ~9 standard errors
    assert abs(kept.float().mean().item() - 0.5) < 0.01
    # sample mean and variance of 200k values: standard errors ~0.004 and ~0.01 here
    assert abs(out.mean().item() - 1.0) < 0.03 and abs(out.var().item() - train_variance(1.0, 1.0, 0.5)) < 0.1
    assert torch.equal(torch.nn.Dropout(0.5).eval()(x), x)


@pytest.mark.parametrize("order, expected_running", [("dropout -> BN", train_variance(1.0, 1.0, shift.P)), ("BN -> dropout", 1.0)])
def test_variance_bn_learns_versus_variance_it_sees_at_inference(order, expected_running):
    learned, seen = shift.variance_seen_by_bn(order)
    # 200 batches x 256 x 8 values averaged: sampling error well under 1%; 2% cannot hide a 3x shift
    assert abs(learned / expected_running - 1) < 0.02
    assert abs(seen - 1.0) < 0.02  # the input's variance at inference: dropout is off


def test_the_shift_is_the_ratio_of_the_two_and_vanishes_without_dropout_before_bn():
    before, seen_before = shift.variance_seen_by_bn("dropout -> BN")
    after, seen_after = shift.variance_seen_by_bn("BN -> dropout")
    assert before / seen_before > 2.8 and abs(after / seen_after - 1) < 0.02
