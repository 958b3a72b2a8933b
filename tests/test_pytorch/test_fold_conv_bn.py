"""snippets/pytorch/fold_conv_bn.py vs the reference fold and torch's own fuse_conv_bn_eval."""

from __future__ import annotations

import pytest
import torch
from torch.nn.utils.fusion import fuse_conv_bn_eval

from snippets.reference.fold import fold_batch_norm
from tests.numerics import assert_close
from tests.snippet_loader import load_snippet

snippet = load_snippet("pytorch/fold_conv_bn.py")
# Folding reorders one multiply-add: float32 rtol/atol 1e-5 (bn-spec case 14).
FOLD = {"rtol": 1e-5, "atol": 1e-5}


def _trained_pair(device, bias):
    conv, bn = torch.nn.Conv2d(3, 8, 3, bias=bias).to(device), torch.nn.BatchNorm2d(8).to(device)
    with torch.no_grad():
        bn.weight.uniform_(0.5, 1.5)
        bn.bias.normal_()
        for _ in range(3):
            bn(conv(2.0 + torch.randn(16, 3, 10, 10, device=device)))
    return conv.eval(), bn.eval()


@pytest.mark.parametrize("bias", [True, False])
def test_folded_conv_matches_conv_then_bn_and_the_reference(bias, device):
    conv, bn = _trained_pair(device, bias)
    folded = snippet.fold_conv_bn(conv, bn)
    x = torch.randn(2, 3, 10, 10, device=device)
    with torch.no_grad():
        assert_close(folded(x), bn(conv(x)), f"torch folded conv output ({device.type})", **FOLD)
    w_ref, b_ref = fold_batch_norm(
        conv.weight.detach().cpu().double().numpy(), None if conv.bias is None else conv.bias.detach().cpu().double().numpy(),
        bn.running_mean.cpu().double().numpy(), bn.running_var.cpu().double().numpy(),
        bn.weight.detach().cpu().double().numpy(), bn.bias.detach().cpu().double().numpy(), eps=bn.eps)
    assert_close(folded.weight, w_ref, f"torch folded weight ({device.type})", **FOLD)
    assert_close(folded.bias, b_ref, f"torch folded bias ({device.type})", **FOLD)
    torch_fused = fuse_conv_bn_eval(conv, bn)
    assert_close(folded.weight, torch_fused.weight, f"torch folded vs fuse_conv_bn_eval ({device.type})", **FOLD)


def test_folding_in_training_mode_is_refused():
    conv, bn = torch.nn.Conv2d(3, 8, 3), torch.nn.BatchNorm2d(8)
    with pytest.raises(ValueError, match="call .eval"):
        snippet.fold_conv_bn(conv, bn)
    with pytest.raises(AssertionError, match="Fusion only for eval!"):  # torch's own guard
        fuse_conv_bn_eval(conv, bn)


def test_float64_fold_is_exact_to_rounding():
    conv, bn = _trained_pair("cpu", True)
    conv, bn = conv.double(), bn.double()
    x = torch.randn(2, 3, 10, 10, dtype=torch.float64)
    with torch.no_grad():
        assert_close(snippet.fold_conv_bn(conv, bn)(x), bn(conv(x)), "torch folded conv float64", rtol=0, atol=1e-12)
