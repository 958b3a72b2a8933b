"""snippets/pytorch/conv_batchnorm2d.py: NCHW statistics per channel over N*H*W, and gradients."""

from __future__ import annotations

import torch

from snippets.reference.batch_norm import batch_norm_backward, batch_norm_train
from tests.numerics import assert_close, for_device, param_grad
from tests.snippet_loader import load_snippet

snippet = load_snippet("pytorch/conv_batchnorm2d.py")


def test_bn_inside_the_conv_net_matches_the_reference(device):
    model = snippet.make_model().to(device).train()
    bn = model[1]
    captured = {}
    bn.register_forward_hook(lambda mod, inp, out: captured.update(x=inp[0].detach(), y=out))
    bn.register_full_backward_hook(lambda mod, gin, gout: captured.update(dx=gin[0], dy=gout[0]))
    images = torch.randn(16, 3, 12, 12, device=device)
    loss = torch.nn.functional.cross_entropy(model(images), torch.randint(0, 10, (16,), device=device))
    loss.backward()

    gamma, beta = bn.weight.detach().cpu().double().numpy(), bn.bias.detach().cpu().double().numpy()
    y_ref, stats = batch_norm_train(captured["x"].cpu().double().numpy(), gamma, beta, axis=1)
    assert stats.count == 16 * 12 * 12
    dx_ref, dgamma_ref, dbeta_ref = batch_norm_backward(captured["dy"].cpu().double().numpy(), gamma, stats)
    assert_close(captured["y"], y_ref, f"torch conv BN2d y ({device.type})", **for_device(device))
    # dx here is O(1e-4): judge it relative to its own scale, not the absolute 1e-5 floor
    scale = float(abs(dx_ref).max())
    assert_close(captured["dx"], dx_ref, f"torch conv BN2d dx ({device.type})", rtol=for_device(device)["rtol"] * 10, atol=1e-5 * scale)
    assert_close(bn.weight.grad, dgamma_ref, f"torch conv BN2d dgamma ({device.type})", **param_grad(device.type, stats.count))
    assert_close(bn.bias.grad, dbeta_ref, f"torch conv BN2d dbeta ({device.type})", **param_grad(device.type, stats.count))


def test_channels_last_memory_format_gives_the_same_result(device):
    bn = torch.nn.BatchNorm2d(4).to(device)
    x = torch.randn(4, 4, 5, 6, device=device)
    out = bn(x)
    out_cl = torch.nn.BatchNorm2d(4).to(device)(x.to(memory_format=torch.channels_last))
    assert_close(out_cl, out.detach(), f"torch channels_last vs contiguous ({device.type})", **for_device(device))
