"""torch.nn.LayerNorm (snippets/pytorch/layer_norm.py) vs snippets/reference/layer_norm.py."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from snippets.reference.layer_norm import layer_norm, layer_norm_backward
from tests.numerics import assert_close, assert_differs, assert_layer_close, for_device, param_grad


@pytest.mark.parametrize("normalized_shape", [(16,), (7, 16)], ids=str)
def test_layer_norm_forward_and_backward(normalized_shape, device):
    ln = torch.nn.LayerNorm(normalized_shape).to(device)
    with torch.no_grad():
        ln.weight.uniform_(0.5, 1.5)
        ln.bias.normal_()
    x = (2.0 + 1.5 * torch.randn(4, 7, 16, device=device)).requires_grad_()
    dy = torch.randn(4, 7, 16, device=device)
    ln(x).backward(dy)
    k = len(normalized_shape)
    gamma, beta = ln.weight.detach().cpu().double().numpy(), ln.bias.detach().cpu().double().numpy()
    y_ref, x_hat, var = layer_norm(x.detach().cpu().double().numpy(), gamma, beta, eps=1e-5, normalized_ndim=k)
    dx_ref, dgamma_ref, dbeta_ref = layer_norm_backward(dy.cpu().double().numpy(), x_hat, var, gamma, normalized_ndim=k)
    batch = x.numel() // ln.weight.numel()
    assert_layer_close(f"torch LayerNorm {{}} ({device.type})", (ln(x), x.grad, ln.weight.grad, ln.bias.grad),
                       (y_ref, dx_ref, dgamma_ref, dbeta_ref), for_device(device), param_grad(device.type, batch))


# snippets/pytorch/layer_norm.py: what the page's table and prose say about nn.LayerNorm.

def test_defaults_of_the_conventions_table():
    ln = torch.nn.LayerNorm(8)
    assert ln.eps == 1e-5 and ln.elementwise_affine and ln.bias is not None
    assert ln.normalized_shape == (8,)  # the LAST axes: their sizes are given, not their indices
    assert list(ln.buffers()) == []  # no running statistics
    assert tuple(torch.nn.LayerNorm([4, 5, 5]).weight.shape) == (4, 5, 5)  # gamma: one entry per normalized value


def test_snippet_layers_match_the_reference_and_do_not_depend_on_the_batch(device):
    torch.manual_seed(0)
    tokens = 3.0 + 2.0 * torch.randn(2, 4, 8, device=device)
    ln = torch.nn.LayerNorm(8).to(device)
    y = ln(tokens)
    y_ref, _, _ = layer_norm(tokens.cpu().double().numpy(), np.ones(8), np.zeros(8), eps=1e-5)
    assert_close(y, y_ref, f"torch LayerNorm tokens y ({device.type})", **for_device(device))
    for i in range(2):  # each sample alone, in training and in eval mode: the same numbers
        assert_close(ln(tokens[i : i + 1]), y[i : i + 1].detach(), f"torch LayerNorm alone vs batch ({device.type})", **for_device(device))
    ln.eval()
    assert torch.equal(ln(tokens), y)

    images = 2.0 * torch.randn(2, 4, 5, 5, device=device)
    per_image = torch.nn.LayerNorm([4, 5, 5]).to(device)
    ref, _, _ = layer_norm(images.cpu().double().numpy(), np.ones((4, 5, 5)), np.zeros((4, 5, 5)), normalized_ndim=3)
    assert_close(per_image(images), ref, f"torch LayerNorm over (C, H, W) y ({device.type})", **for_device(device))


def test_negative_control_batch_norm_is_not_layer_norm(device):
    x = 3.0 + 2.0 * torch.randn(6, 8, device=device)
    bn = torch.nn.BatchNorm1d(8).to(device)
    ln = torch.nn.LayerNorm(8).to(device)
    assert_differs(bn(x), ln(x), "torch BatchNorm1d vs LayerNorm on the same input (control)", at_least=0.1)
