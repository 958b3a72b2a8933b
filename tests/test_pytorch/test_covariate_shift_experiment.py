"""snippets/pytorch/covariate_shift_experiment.py: deterministic, sane, and the statements the
internal-covariate-shift page makes about this run hold for every learning rate it tried."""

from __future__ import annotations

import math

import pytest

from tests.snippet_loader import load_snippet

experiment = load_snippet("pytorch/covariate_shift_experiment.py")
KINDS = ("plain", "BN", "BN + noise")


@pytest.fixture(scope="module")
def results():
    return {(lr, kind): experiment.run(kind, lr) for lr in experiment.LEARNING_RATES for kind in KINDS}


def test_a_run_is_bit_for_bit_reproducible(results):
    assert experiment.run("BN + noise", 0.5) == results[(0.5, "BN + noise")]


def test_every_number_is_sane(results):
    for (lr, kind), result in results.items():
        assert 0.1 < result["accuracy"] <= 1.0, (lr, kind)  # 10 classes: 0.1 is chance
        assert math.isfinite(result["drift"]) and result["drift"] > 0, (lr, kind)


@pytest.mark.parametrize("lr", experiment.LEARNING_RATES)
def test_the_page_statements(results, lr):
    plain, bn, noisy = (results[(lr, kind)] for kind in KINDS)
    # "batch norm gave the highest accuracy and the smallest drift, at most half of the plain network's"
    assert bn["accuracy"] > max(plain["accuracy"], noisy["accuracy"])
    assert bn["drift"] < 0.5 * plain["drift"]
    # "with the noise, the drift came back to the plain network's level (within 30%)"
    assert 0.7 * plain["drift"] < noisy["drift"] < 1.3 * plain["drift"]


def test_negative_control_the_noise_is_off_at_inference():
    import torch

    noise = experiment.NoisyShift()
    x = torch.randn(4, 3)
    assert not torch.equal(noise(x), x)
    assert torch.equal(noise.eval()(x), x)
