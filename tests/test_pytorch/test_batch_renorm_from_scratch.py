"""snippets/pytorch/batch_renorm_from_scratch.py vs snippets/reference/batch_renorm.py."""

from __future__ import annotations

import pytest
import torch

from snippets.reference.batch_renorm import batch_renorm_backward, batch_renorm_eval, batch_renorm_train, update_moving_stats
from tests.numerics import RUNNING, assert_close, assert_layer_close, for_device, param_grad, to_numpy
from tests.snippet_loader import load_snippet

renorm = load_snippet("pytorch/batch_renorm_from_scratch.py")


@pytest.mark.parametrize("shape", [(8, 3), (4, 3, 5, 5)], ids=str)
@pytest.mark.parametrize("r_max, d_max", [(1.0, 0.0), (1.5, 0.5), (3.0, 5.0)])
def test_forward_backward_and_moving_statistics_match_the_reference(shape, r_max, d_max, device):
    layer = renorm.BatchRenorm(3).to(device)
    layer.r_max, layer.d_max = r_max, d_max
    with torch.no_grad():
        layer.weight.uniform_(0.5, 1.5)
        layer.bias.normal_()
        layer.running_mean.copy_(torch.tensor([0.5, 1.0, 3.0]))
        layer.running_std.copy_(torch.tensor([1.0, 2.5, 1.5]))
    mu, sigma = to_numpy(layer.running_mean), to_numpy(layer.running_std)
    x = (2.0 + 2.0 * torch.randn(shape)).to(device).requires_grad_()
    dy = torch.randn(shape).to(device)
    y = layer(x)
    y.backward(dy)
    gamma, beta = to_numpy(layer.weight), to_numpy(layer.bias)
    y_ref, r, d, stats = batch_renorm_train(to_numpy(x), gamma, beta, mu, sigma, r_max, d_max, eps=1e-3)
    dx_ref, dgamma_ref, dbeta_ref = batch_renorm_backward(to_numpy(dy), gamma, r, d, stats)
    mean_ref, std_ref = update_moving_stats(mu, sigma, stats, eps=1e-3, momentum=1 - layer.momentum)
    assert_layer_close(f"scratch torch renorm {{}} ({device.type})", (y, x.grad, layer.weight.grad, layer.bias.grad),
                       (y_ref, dx_ref, dgamma_ref, dbeta_ref), for_device(device), param_grad(device.type, x.numel() // 3))
    assert_close(layer.running_mean, mean_ref, f"scratch torch renorm moving mean ({device.type})", **RUNNING)
    assert_close(layer.running_std, std_ref, f"scratch torch renorm moving std ({device.type})", **RUNNING)
    layer.eval()
    eval_ref = batch_renorm_eval(to_numpy(x), to_numpy(layer.running_mean), to_numpy(layer.running_std), gamma, beta)
    assert_close(layer(x), eval_ref, f"scratch torch renorm eval y ({device.type})", **for_device(device))


def test_starts_as_batch_norm_and_the_schedule_of_the_page():
    layer = renorm.BatchRenorm(4)
    assert (layer.r_max, layer.d_max, layer.eps, layer.momentum) == (1.0, 0.0, 1e-3, 0.01)
    x = 2.0 + 3.0 * torch.randn(2, 4, 5, 5)
    assert_close(layer(x), torch.nn.BatchNorm2d(4, eps=1e-3)(x), "scratch renorm (r_max 1, d_max 0) vs BatchNorm2d", **for_device("cpu"))
    assert renorm.clipping(0) == renorm.clipping(5_000) == (1.0, 0.0)
    assert renorm.clipping(25_000)[1] == 5.0 and renorm.clipping(40_000) == renorm.clipping(10**6) == (3.0, 5.0)
    r_max, d_max = renorm.clipping(15_000)
    assert abs(r_max - (1 + 2 * 10_000 / 35_000)) < 1e-12 and d_max == 2.5
