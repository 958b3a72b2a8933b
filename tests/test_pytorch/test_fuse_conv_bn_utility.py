"""snippets/pytorch/fuse_conv_bn_utility.py: torch.nn.utils.fusion.fuse_conv_bn_eval against the
reference fold (snippets/reference/fold.py), for Conv2d and ConvTranspose2d, float32 and float64."""

from __future__ import annotations

import pytest
import torch
from torch.nn.utils.fusion import fuse_conv_bn_eval

from snippets.reference.fold import fold_batch_norm
from tests.numerics import assert_close, assert_differs, for_device, to_numpy
from tests.snippet_loader import load_snippet

utility = load_snippet("pytorch/fuse_conv_bn_utility.py")
# float64 end to end: the fused conv differs from conv-then-BN only by rounding (~1e-15)
TOLERANCE = {torch.float32: None, torch.float64: {"rtol": 1e-9, "atol": 1e-10}}


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64], ids=["float32", "float64"])
@pytest.mark.parametrize("conv_class, transpose, out_axis", [(torch.nn.Conv2d, False, 0), (torch.nn.ConvTranspose2d, True, 1)],
                         ids=["conv", "transposed"])
def test_fused_weights_are_the_reference_fold_and_outputs_agree(conv_class, transpose, out_axis, dtype, device):
    torch.manual_seed(0)
    conv, bn = utility.trained_pair(conv_class(3, 8, 3))
    conv, bn = conv.to(device, dtype), bn.to(device, dtype)
    fused = fuse_conv_bn_eval(conv, bn, transpose=transpose)
    weight_ref, bias_ref = fold_batch_norm(to_numpy(conv.weight), to_numpy(conv.bias), to_numpy(bn.running_mean),
                                           to_numpy(bn.running_var), to_numpy(bn.weight), to_numpy(bn.bias),
                                           eps=bn.eps, out_axis=out_axis)
    tolerance = TOLERANCE[dtype] or for_device(device)
    assert_close(fused.weight, weight_ref, f"fuse_conv_bn_eval weight ({dtype}, {device.type})", **tolerance)
    assert_close(fused.bias, bias_ref, f"fuse_conv_bn_eval bias ({dtype}, {device.type})", **tolerance)
    x = torch.randn(2, 3, 10, 10, dtype=dtype).to(device)
    with torch.no_grad():
        assert_close(fused(x), bn(conv(x)), f"fused conv vs conv + BN, eval ({dtype}, {device.type})", **tolerance)


def test_negative_control_a_transposed_conv_folded_on_the_wrong_axis_is_wrong():
    torch.manual_seed(1)
    deconv, bn = utility.trained_pair(torch.nn.ConvTranspose2d(8, 8, 3))  # square, so both axes fit
    wrong = fuse_conv_bn_eval(deconv, bn, transpose=False)
    x = torch.randn(2, 8, 10, 10)
    with torch.no_grad():
        assert_differs(wrong(x), bn(deconv(x)), "transposed conv folded along axis 0 (control)", at_least=0.01)


def test_folding_in_training_mode_is_refused():
    conv, bn = torch.nn.Conv2d(3, 8, 3).eval(), torch.nn.BatchNorm2d(8)  # bn still in training mode
    with pytest.raises(AssertionError, match="Fusion only for eval!"):
        fuse_conv_bn_eval(conv, bn)
