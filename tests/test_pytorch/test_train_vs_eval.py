"""snippets/pytorch/train_vs_eval.py: PyTorch's running statistics and modes vs the reference."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from snippets.reference.batch_norm import batch_norm_eval, batch_norm_train
from snippets.reference.running_stats import update_running_stats
from tests.numerics import RUNNING, assert_close, assert_differs, for_device
from tests.snippet_loader import load_snippet

snippet = load_snippet("pytorch/train_vs_eval.py")


def _reference_running(batches, momentum):
    mean, var, tracked = np.zeros(3), np.ones(3), 0
    for batch in batches:
        _, stats = batch_norm_train(batch.cpu().double().numpy(), np.ones(3), np.zeros(3))
        mean, var, tracked = update_running_stats(mean, var, stats.mean, stats.var, stats.count, "pytorch", momentum, tracked)
    return mean, var, tracked


@pytest.mark.parametrize("momentum", [0.1, 0.3, None], ids=["default", "0.3", "cumulative"])
def test_running_statistics_follow_the_pytorch_recursion(momentum, device):
    bn = torch.nn.BatchNorm1d(3, momentum=momentum).to(device)
    batches = [5.0 + 2.0 * torch.randn(32, 3, device=device) for _ in range(5)]
    snippet.train_steps(bn, batches)
    mean, var, tracked = _reference_running(batches, momentum)
    assert_close(bn.running_mean, mean, f"torch running_mean, 5 steps ({device.type})", **RUNNING)
    assert_close(bn.running_var, var, f"torch running_var, 5 steps ({device.type})", **RUNNING)
    assert bn.num_batches_tracked.item() == tracked == 5


def test_negative_control_biased_variance_does_not_match_running_var(device):
    bn = torch.nn.BatchNorm1d(4).to(device)
    x = torch.randn(8, 4, device=device)  # m = 8: unbiased = 8/7 * biased
    snippet.train_steps(bn, [x])
    biased = x.double().var(dim=0, unbiased=False).cpu().numpy()
    assert_differs(bn.running_var, 0.9 + 0.1 * biased, "torch running_var vs biased (control)", at_least=1e-3)
    assert_close(bn.running_var, 0.9 + 0.1 * biased * 8 / 7, f"torch running_var unbiased ({device.type})", **RUNNING)


def test_eval_uses_running_statistics_row_by_row(device):
    bn = torch.nn.BatchNorm1d(3).to(device)
    snippet.train_steps(bn, [5.0 + 2.0 * torch.randn(32, 3, device=device) for _ in range(3)])
    bn.eval()
    x = torch.randn(6, 3, device=device)
    out = bn(x)
    expected = batch_norm_eval(x.cpu().double().numpy(), bn.running_mean.cpu().double().numpy(),
                               bn.running_var.cpu().double().numpy(), np.ones(3), np.zeros(3))
    assert_close(out, expected, f"torch eval y ({device.type})", **for_device(device))
    for i in range(6):  # inference is per sample: batch size does not matter, 1 works
        assert_close(bn(x[i : i + 1]), out[i : i + 1].detach(), f"torch eval row vs batch ({device.type})", **for_device(device))


def test_track_running_stats_false_uses_batch_statistics_in_eval(device):
    bn = torch.nn.BatchNorm1d(3, track_running_stats=False).to(device).eval()
    assert bn.running_mean is None and bn.running_var is None
    x = 2.0 + torch.randn(16, 3, device=device)
    assert_close(bn(x), batch_norm_train(x.cpu().double().numpy(), np.ones(3), np.zeros(3))[0],
                 f"torch no-tracking eval y ({device.type})", **for_device(device))


@pytest.mark.parametrize("shape", [(1, 3), (1, 3, 1, 1)])
def test_one_value_per_channel_in_training_raises(shape, device):
    bn = (torch.nn.BatchNorm1d(3) if len(shape) == 2 else torch.nn.BatchNorm2d(3)).to(device)
    with pytest.raises(ValueError, match="Expected more than 1 value per channel when training"):
        bn(torch.randn(shape, device=device))
    with pytest.raises(ValueError, match="more than 1 value per channel"):  # the reference agrees
        batch_norm_train(np.ones(shape), np.ones(3), np.zeros(3))


def test_two_values_per_channel_are_accepted(device):
    bn = torch.nn.BatchNorm1d(3).to(device)
    assert bn(torch.randn(1, 3, 2, device=device)).shape == (1, 3, 2)


def test_requires_grad_false_does_not_freeze_running_stats(device):
    bn = torch.nn.BatchNorm1d(3).to(device)
    bn.requires_grad_(False)  # freezes gamma/beta only
    snippet.train_steps(bn, [5.0 + torch.randn(16, 3, device=device)])
    assert bn.running_mean.abs().min().item() > 0.1  # moved towards 5 anyway; only .eval() stops it


def test_negative_control_eps_matters(device):
    x = 1e-2 * torch.randn(16, 3, device=device)  # variance ~1e-4: eps 1e-3 vs 1e-5 is visible
    a, b = torch.nn.BatchNorm1d(3, eps=1e-5).to(device), torch.nn.BatchNorm1d(3, eps=1e-3).to(device)
    assert_differs(a(x), b(x), "torch eps 1e-5 vs 1e-3 (control)", at_least=0.1)



def test_reference_pytorch_defaults_are_pytorch_defaults():
    """The reference's "pytorch" momentum and its functions' default eps are PyTorch's own."""
    import inspect

    from snippets.reference.running_stats import DEFAULT_MOMENTUM

    bn = torch.nn.BatchNorm1d(3)
    assert DEFAULT_MOMENTUM["pytorch"] == bn.momentum
    for function in (batch_norm_train, batch_norm_eval):
        assert inspect.signature(function).parameters["eps"].default == bn.eps
