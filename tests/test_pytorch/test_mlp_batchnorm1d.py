"""snippets/pytorch/mlp_batchnorm1d.py: logits into CrossEntropyLoss, BN checked at every step."""

from __future__ import annotations

import numpy as np
import torch

from snippets.reference.batch_norm import batch_norm_train
from snippets.reference.running_stats import update_running_stats
from tests.numerics import RUNNING, assert_close, for_device
from tests.snippet_loader import load_snippet

snippet = load_snippet("pytorch/mlp_batchnorm1d.py")


def test_no_softmax_before_cross_entropy():
    model = snippet.make_model()
    assert not any(isinstance(m, (torch.nn.Softmax, torch.nn.LogSoftmax)) for m in model.modules())
    assert isinstance(model[-1], torch.nn.Linear)


def test_training_steps_match_the_reference_and_learn(device):
    x, labels = snippet.make_data()
    model = snippet.make_model()
    bn = model[1]
    seen = []  # (BN input, BN output, gamma, beta) at every training step
    bn.register_forward_hook(lambda mod, inp, out: seen.append(
        (inp[0].detach().cpu().double().numpy(), out.detach(), mod.weight.detach().cpu().double().numpy(),
         mod.bias.detach().cpu().double().numpy())))

    losses = snippet.train(model, x, labels, device=device)

    assert len(seen) == len(losses) == 24
    mean, var, tracked = np.zeros(64), np.ones(64), 0
    for step, (bn_in, bn_out, gamma, beta) in enumerate(seen):
        y_ref, stats = batch_norm_train(bn_in, gamma, beta)
        assert_close(bn_out, y_ref, f"torch MLP BN y, every step ({device.type})", **for_device(device))
        mean, var, tracked = update_running_stats(mean, var, stats.mean, stats.var, stats.count, "pytorch", 0.1, tracked)
    assert_close(bn.running_mean, mean, f"torch MLP running_mean after 24 steps ({device.type})", **RUNNING)
    assert_close(bn.running_var, var, f"torch MLP running_var after 24 steps ({device.type})", **RUNNING)
    assert np.mean(losses[-4:]) < 0.5 * losses[0]  # it learns
    assert snippet.accuracy(model, x, labels, device=device) > 0.9
