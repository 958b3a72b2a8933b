"""snippets/pytorch/batchnorm_from_scratch.py: scratch layer == nn.BatchNorm == reference."""

from __future__ import annotations

import pytest
import torch

from snippets.reference.batch_norm import batch_norm_backward, batch_norm_eval, batch_norm_train
from snippets.reference.running_stats import update_running_stats
from tests.numerics import RUNNING, assert_close, assert_layer_close, for_device, param_grad
from tests.snippet_loader import load_snippet

snippet = load_snippet("pytorch/batchnorm_from_scratch.py")
SHAPES = [(16, 8), (4, 3, 7), (4, 3, 5, 6), (2, 4, 8, 8, 8)]  # BN1d (N,C), (N,C,L), BN2d, BN3d


def _builtin(shape):
    return {2: torch.nn.BatchNorm1d, 3: torch.nn.BatchNorm1d, 4: torch.nn.BatchNorm2d, 5: torch.nn.BatchNorm3d}[len(shape)](shape[1])


@pytest.mark.parametrize("shape", SHAPES, ids=str)
@pytest.mark.parametrize("layer", ["scratch", "builtin"])
def test_training_forward_backward_and_running_stats(layer, shape, device):
    channels = shape[1]
    bn = (snippet.ScratchBatchNorm(channels) if layer == "scratch" else _builtin(shape)).to(device)
    with torch.no_grad():
        bn.weight.uniform_(0.5, 1.5)
        bn.bias.normal_()
    x = (3.0 + 2.0 * torch.randn(shape, device=device)).requires_grad_()
    dy = torch.randn(shape, device=device)

    y = bn(x)
    y.backward(dy)

    gamma, beta = bn.weight.detach().cpu().double().numpy(), bn.bias.detach().cpu().double().numpy()
    x64 = x.detach().cpu().double().numpy()  # the float32 values, exactly, in float64
    y_ref, stats = batch_norm_train(x64, gamma, beta, eps=1e-5, axis=1)
    dx_ref, dgamma_ref, dbeta_ref = batch_norm_backward(dy.cpu().double().numpy(), gamma, stats)
    assert_layer_close(f"torch {layer} BN {{}} ({device.type})", (y, x.grad, bn.weight.grad, bn.bias.grad),
                       (y_ref, dx_ref, dgamma_ref, dbeta_ref), for_device(device), param_grad(device.type, stats.count))

    mean_ref, var_ref, _ = update_running_stats([0.0] * channels, [1.0] * channels, stats.mean, stats.var, stats.count, "pytorch", 0.1)
    assert_close(bn.running_mean, mean_ref, f"torch {layer} running_mean ({device.type})", **RUNNING)
    assert_close(bn.running_var, var_ref, f"torch {layer} running_var ({device.type})", **RUNNING)

    bn.eval()
    x_eval = torch.randn(shape, device=device)
    eval_ref = batch_norm_eval(x_eval.cpu().double().numpy(), bn.running_mean.cpu().double().numpy(),
                               bn.running_var.cpu().double().numpy(), gamma, beta)
    assert_close(bn(x_eval), eval_ref, f"torch {layer} BN eval y ({device.type})", **for_device(device))


def test_compare_reports_a_tiny_difference(device):
    x = 3.0 + 2.0 * torch.randn(8, 4, 5, 5, device=device)
    assert snippet.compare(x) < for_device(device)["atol"]


def test_scratch_layer_passes_float64_gradcheck():
    bn = snippet.ScratchBatchNorm(3).double()
    x = torch.randn(6, 3, 2, dtype=torch.float64, requires_grad=True)
    assert torch.autograd.gradcheck(lambda t: bn(t), (x,))
