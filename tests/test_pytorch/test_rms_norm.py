"""torch.nn.RMSNorm (snippets/pytorch/rms_norm.py) vs snippets/reference/rms_norm.py."""

from __future__ import annotations

import pytest
import torch

from snippets.reference.rms_norm import rms_norm, rms_norm_backward
from tests.numerics import assert_close, assert_differs, for_device, param_grad

FLOAT32_EPS = torch.finfo(torch.float32).eps  # what eps=None means for float32 input


def test_defaults_of_the_conventions_table():
    rms = torch.nn.RMSNorm(8)
    assert rms.eps is None and rms.elementwise_affine
    assert rms.normalized_shape == (8,)  # the LAST axes: their sizes are given, not their indices
    x = 1.0 + torch.randn(2, 8)
    y = rms(x)
    rms.eval()
    assert torch.equal(rms(x), y)  # no separate inference behaviour
    assert [name for name, _ in rms.named_parameters()] == ["weight"]  # a scale, no beta
    assert list(rms.buffers()) == []  # no running statistics
    assert round(torch.finfo(torch.float16).eps, 6) == 0.000977  # the page's float16 value


@pytest.mark.parametrize("normalized_shape", [(8,), (4, 8)], ids=str)
def test_forward_and_backward_match_the_reference_with_machine_epsilon(normalized_shape, device):
    rms = torch.nn.RMSNorm(normalized_shape).to(device)
    with torch.no_grad():
        rms.weight.uniform_(0.5, 1.5)
    x = (1.0 + torch.randn(3, 4, 8, device=device)).requires_grad_()
    dy = torch.randn(3, 4, 8, device=device)
    y = rms(x)
    y.backward(dy)
    k = len(normalized_shape)
    gamma = rms.weight.detach().cpu().double().numpy()
    y_ref, x_hat, mean_square = rms_norm(x.detach().cpu().double().numpy(), gamma, eps=FLOAT32_EPS, normalized_ndim=k)
    dx_ref, dgamma_ref = rms_norm_backward(dy.cpu().double().numpy(), x_hat, mean_square, gamma, eps=FLOAT32_EPS, normalized_ndim=k)
    assert_close(y, y_ref, f"torch RMSNorm y ({device.type})", **for_device(device))
    assert_close(x.grad, dx_ref, f"torch RMSNorm dx ({device.type})", **for_device(device))
    assert_close(rms.weight.grad, dgamma_ref, f"torch RMSNorm dgamma ({device.type})",
                 **param_grad(device.type, x.numel() // rms.weight.numel()))


def test_eps_none_is_the_dtypes_machine_epsilon(device):
    """Control: with a tiny mean square, eps=None (1.19e-7) and eps=1e-5 give different outputs,
    and eps=None equals an explicit eps=finfo(float32).eps."""
    x = 1e-3 * torch.randn(4, 8, device=device)  # mean square ~1e-6
    default, explicit = torch.nn.RMSNorm(8).to(device), torch.nn.RMSNorm(8, eps=FLOAT32_EPS).to(device)
    assert torch.equal(default(x), explicit(x))
    assert_differs(default(x), torch.nn.RMSNorm(8, eps=1e-5).to(device)(x), "torch RMSNorm eps None vs 1e-5 (control)", at_least=0.1)


def test_equals_layer_norm_on_zero_mean_input_only(device):
    x = 1.0 + torch.randn(4, 8, device=device)
    centered = x - x.mean(dim=-1, keepdim=True)
    rms, ln = torch.nn.RMSNorm(8).to(device), torch.nn.LayerNorm(8, eps=FLOAT32_EPS).to(device)
    assert_close(rms(centered), ln(centered).detach(), f"torch RMSNorm vs LayerNorm, zero mean ({device.type})", **for_device(device))
    assert_differs(rms(x), ln(x), "torch RMSNorm vs LayerNorm, mean 1 (control)", at_least=0.1)
