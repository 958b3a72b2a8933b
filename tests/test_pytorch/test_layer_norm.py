"""torch.nn.LayerNorm vs snippets/reference/layer_norm.py (forward and backward)."""

from __future__ import annotations

import pytest
import torch

from snippets.reference.layer_norm import layer_norm, layer_norm_backward
from tests.numerics import assert_close, for_device, param_grad


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
    assert_close(ln(x), y_ref, f"torch LayerNorm y ({device.type})", **for_device(device))
    assert_close(x.grad, dx_ref, f"torch LayerNorm dx ({device.type})", **for_device(device))
    batch = x.numel() // ln.weight.numel()
    assert_close(ln.weight.grad, dgamma_ref, f"torch LayerNorm dgamma ({device.type})", **param_grad(device.type, batch))
    assert_close(ln.bias.grad, dbeta_ref, f"torch LayerNorm dbeta ({device.type})", **param_grad(device.type, batch))
