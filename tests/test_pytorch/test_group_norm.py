"""torch.nn.GroupNorm (snippets/pytorch/group_norm.py) vs snippets/reference/group_norm.py."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from snippets.reference.group_norm import group_norm, group_norm_backward
from snippets.reference.layer_norm import layer_norm
from tests.numerics import assert_close, assert_differs, assert_layer_close, for_device, param_grad, to_numpy


@pytest.mark.parametrize("shape, groups", [((4, 6, 5, 5), 3), ((3, 8, 7), 2), ((2, 4, 3, 3, 3), 4), ((5, 6, 4, 4), 1)], ids=str)
def test_forward_and_backward_match_the_reference(shape, groups, device):
    gn = torch.nn.GroupNorm(groups, shape[1]).to(device)
    with torch.no_grad():
        gn.weight.uniform_(0.5, 1.5)
        gn.bias.normal_()
    x = (1.0 + 2.0 * torch.randn(shape)).to(device).requires_grad_()
    dy = torch.randn(shape).to(device)
    gn(x).backward(dy)
    gamma, beta = to_numpy(gn.weight), to_numpy(gn.bias)
    y_ref, x_hat, var = group_norm(to_numpy(x), gamma, beta, groups, eps=1e-5)
    dx_ref, dgamma_ref, dbeta_ref = group_norm_backward(to_numpy(dy), x_hat, var, gamma, groups)
    per_channel = x.numel() // shape[1]  # dgamma, dbeta: sums over samples and positions
    assert_layer_close(f"torch GroupNorm {{}} ({device.type})", (gn(x), x.grad, gn.weight.grad, gn.bias.grad),
                       (y_ref, dx_ref, dgamma_ref, dbeta_ref), for_device(device), param_grad(device.type, per_channel))


# snippets/pytorch/group_norm.py: what the page's table and prose say about nn.GroupNorm.

def test_defaults_of_the_conventions_table():
    gn = torch.nn.GroupNorm(3, 6)
    assert gn.eps == 1e-5 and gn.affine and gn.num_groups == 3
    assert tuple(gn.weight.shape) == tuple(gn.bias.shape) == (6,)  # per channel, not per group
    assert list(gn.buffers()) == []  # no running statistics
    with pytest.raises(ValueError, match=r"num_channels \(6\) must be divisible by num_groups \(4\)"):
        torch.nn.GroupNorm(4, 6)


def test_one_group_is_layer_norm_and_the_batch_does_not_matter(device):
    images = (1.0 + 2.0 * torch.randn(4, 6, 5, 5)).to(device)
    gn = torch.nn.GroupNorm(3, 6).to(device)
    y = gn(images)
    for n in range(4):  # each sample alone: the same numbers as in the batch
        assert_close(gn(images[n : n + 1]), y[n : n + 1], f"torch GroupNorm alone vs batch ({device.type})", **for_device(device))
    gn.eval()
    assert torch.equal(gn(images), y)  # eval() changes nothing
    ln_ref, _, _ = layer_norm(to_numpy(images), np.ones((6, 5, 5)), np.zeros((6, 5, 5)), normalized_ndim=3)
    assert_close(torch.nn.GroupNorm(1, 6).to(device)(images), ln_ref, f"torch GroupNorm(1) vs reference LN over (C, H, W) ({device.type})", **for_device(device))
    assert_close(torch.nn.GroupNorm(1, 6).to(device)(images), torch.nn.LayerNorm([6, 5, 5]).to(device)(images),
                 f"torch GroupNorm(1) vs LayerNorm([C, H, W]) ({device.type})", **for_device(device))


def test_channel_groups_equal_instance_norm(device):
    images = (1.0 + 2.0 * torch.randn(4, 6, 5, 5)).to(device)
    assert_close(torch.nn.GroupNorm(6, 6).to(device)(images), torch.nn.InstanceNorm2d(6).to(device)(images),
                 f"torch GroupNorm(C) vs InstanceNorm2d ({device.type})", **for_device(device))


def test_negative_control_group_norm_is_not_batch_norm(device):
    images = (1.0 + 2.0 * torch.randn(4, 6, 5, 5)).to(device)
    gn, bn = torch.nn.GroupNorm(3, 6).to(device), torch.nn.BatchNorm2d(6).to(device)
    assert_differs(gn(images), bn(images), "torch GroupNorm vs BatchNorm2d (control)", at_least=0.1)
    assert_differs(gn(images), torch.nn.GroupNorm(2, 6).to(device)(images), "torch GroupNorm 3 vs 2 groups (control)", at_least=0.1)
