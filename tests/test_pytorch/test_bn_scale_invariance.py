"""snippets/pytorch/bn_scale_invariance.py: scale invariance checked against the reference,
and the weight-decay groups of the page."""

from __future__ import annotations

import numpy as np
import torch

from snippets.reference.batch_norm import batch_norm_backward, batch_norm_train
from tests.numerics import FLOAT64, assert_close, assert_differs
from tests.snippet_loader import load_snippet

invariance = load_snippet("pytorch/bn_scale_invariance.py")


def reference_loss_and_gradient(weight: np.ndarray, x: np.ndarray, target: np.ndarray):
    y, stats = batch_norm_train(x @ weight.T, np.ones(4), np.zeros(4))
    dy = 2 * (y - target) / y.size
    dz, _, _ = batch_norm_backward(dy, np.ones(4), stats)
    return float(((y - target) ** 2).mean()), dz.T @ x


def test_the_snippet_computes_the_reference_loss_and_gradient_and_both_scale_as_the_page_says():
    rng = np.random.default_rng(0)
    x, target, weight = rng.normal(size=(64, 10)), rng.normal(size=(64, 4)), rng.normal(size=(4, 10))
    for c in (1.0, 10.0, 0.1):
        loss, grad = invariance.loss_and_gradient(torch.tensor(c * weight), torch.tensor(x), torch.tensor(target))
        loss_ref, grad_ref = reference_loss_and_gradient(c * weight, x, target)
        assert_close(loss, loss_ref, "scale invariance loss vs reference", **FLOAT64)
        assert_close(grad, grad_ref, "scale invariance dW vs reference", **FLOAT64)
    loss_1, grad_1 = reference_loss_and_gradient(weight, x, target)
    loss_10, grad_10 = reference_loss_and_gradient(10 * weight, x, target)
    # eps = 1e-5 inside the square root is the only thing that breaks exact invariance:
    # with var(x W^T) ~ 10 its relative effect is ~1e-6.
    assert abs(loss_1 - loss_10) < 1e-5 * loss_1
    assert_close(grad_10 * 10, grad_1, "scale invariance: dW(10 W) = dW(W) / 10", rtol=1e-4, atol=1e-6)  # eps, as above
    assert abs((grad_1 * weight).sum()) < 1e-5 * np.abs(grad_1).sum() * np.abs(weight).max()  # orthogonal to W


def test_negative_control_without_batch_norm_the_loss_is_not_scale_invariant():
    rng = np.random.default_rng(1)
    x, target, weight = rng.normal(size=(64, 10)), rng.normal(size=(64, 4)), rng.normal(size=(4, 10))
    assert_differs(((x @ weight.T - target) ** 2).mean(), ((x @ (10 * weight).T - target) ** 2).mean(),
                   "loss without BN, W vs 10 W (control)", at_least=1.0)


def test_decoupled_weight_decay_shrinks_only_the_weight_matrices():
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Linear(10, 4), torch.nn.BatchNorm1d(4), torch.nn.ReLU(), torch.nn.Linear(4, 2))
    decay = [p for name, p in model.named_parameters() if name.endswith("weight") and p.ndim > 1]
    no_decay = [p for name, p in model.named_parameters() if not (name.endswith("weight") and p.ndim > 1)]
    assert {id(p) for p in no_decay} == {id(model[0].bias), id(model[1].weight), id(model[1].bias), id(model[3].bias)}
    optimizer = torch.optim.AdamW([{"params": decay, "weight_decay": 0.1}, {"params": no_decay, "weight_decay": 0.0}], lr=0.01)
    before = [p.detach().clone() for p in model.parameters()]
    optimizer.zero_grad()
    model(torch.randn(8, 10)).sum().mul(0.0).backward()
    optimizer.step()
    for p, old in zip(model.parameters(), before):
        factor = 1 - 0.01 * 0.1 if any(p is q for q in decay) else 1.0  # AdamW: p <- p * (1 - lr * wd)
        assert torch.allclose(p, old * factor, rtol=1e-6, atol=0), p.shape
