"""torch.nn.InstanceNorm1d/2d/3d (snippets/pytorch/instance_norm.py) vs snippets/reference/instance_norm.py."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from snippets.reference.instance_norm import instance_norm, instance_norm_backward
from snippets.reference.running_stats import update_running_stats
from tests.numerics import RUNNING, assert_close, assert_differs, assert_layer_close, for_device, param_grad, to_numpy


@pytest.mark.parametrize("layer, shape", [(torch.nn.InstanceNorm1d, (3, 4, 9)), (torch.nn.InstanceNorm2d, (2, 3, 8, 8)),
                                          (torch.nn.InstanceNorm3d, (2, 2, 3, 4, 5))], ids=["1d", "2d", "3d"])
def test_forward_and_backward_match_the_reference(layer, shape, device):
    inorm = layer(shape[1], affine=True).to(device)
    with torch.no_grad():
        inorm.weight.uniform_(0.5, 1.5)
        inorm.bias.normal_()
    x = (1.0 + 2.0 * torch.randn(shape)).to(device).requires_grad_()
    dy = torch.randn(shape).to(device)
    inorm(x).backward(dy)
    gamma, beta = to_numpy(inorm.weight), to_numpy(inorm.bias)
    y_ref, x_hat, var = instance_norm(to_numpy(x), gamma, beta, eps=1e-5)
    dx_ref, dgamma_ref, dbeta_ref = instance_norm_backward(to_numpy(dy), x_hat, var, gamma)
    per_channel = x.numel() // shape[1]
    assert_layer_close(f"torch InstanceNorm {{}} ({device.type})", (inorm(x), x.grad, inorm.weight.grad, inorm.bias.grad),
                       (y_ref, dx_ref, dgamma_ref, dbeta_ref), for_device(device), param_grad(device.type, per_channel))


# snippets/pytorch/instance_norm.py: what the page says about the defaults.

def test_defaults_no_parameters_no_running_statistics_same_in_eval(device):
    inorm = torch.nn.InstanceNorm2d(3).to(device)
    assert not inorm.affine and not inorm.track_running_stats and inorm.eps == 1e-5 and inorm.momentum == 0.1
    assert list(inorm.parameters()) == [] and list(inorm.buffers()) == []
    images = (1.0 + 2.0 * torch.randn(2, 3, 8, 8)).to(device)
    y = inorm(images)
    y_ref, _, _ = instance_norm(to_numpy(images), np.ones(3), np.zeros(3))
    assert_close(y, y_ref, f"torch InstanceNorm2d default y ({device.type})", **for_device(device))
    inorm.eval()
    assert torch.equal(inorm(images), y)
    assert_close(inorm(images[1:]), y[1:], f"torch InstanceNorm2d alone vs batch ({device.type})", **for_device(device))


def test_tracked_running_statistics_average_the_per_image_statistics(device):
    """track_running_stats=True: one PyTorch-convention update (momentum 0.1, Bessel's
    correction over each image's H*W values) with the batch average of the per-image
    means and variances; eval() then normalizes with the stored statistics."""
    images = (1.0 + 2.0 * torch.randn(2, 3, 8, 8)).to(device)
    tracked = torch.nn.InstanceNorm2d(3, affine=True, track_running_stats=True).to(device)
    tracked(images)
    x = to_numpy(images)
    expected_mean, expected_var, _ = update_running_stats(
        np.zeros(3), np.ones(3), x.mean(axis=(2, 3)).mean(axis=0), x.var(axis=(2, 3)).mean(axis=0), count=64, momentum=0.1)
    assert_close(tracked.running_mean, expected_mean, f"torch InstanceNorm2d running mean ({device.type})", **RUNNING)
    assert_close(tracked.running_var, expected_var, f"torch InstanceNorm2d running var ({device.type})", **RUNNING)
    tracked.eval()
    eval_ref = (x - expected_mean[None, :, None, None]) / np.sqrt(expected_var[None, :, None, None] + 1e-5)
    assert_close(tracked(images), eval_ref, f"torch InstanceNorm2d eval with running stats ({device.type})", **for_device(device))
    assert_differs(tracked(images), torch.nn.InstanceNorm2d(3).to(device)(images), "torch InstanceNorm2d tracked eval vs default (control)", at_least=0.1)
