"""Batch norm makes the weights before it scale-invariant, and what weight decay then does."""

import torch
from torch import nn


def loss_and_gradient(weight: torch.Tensor, x: torch.Tensor, target: torch.Tensor):
    weight = weight.detach().requires_grad_()
    bn = nn.BatchNorm1d(weight.shape[0], dtype=torch.float64)  # training mode: batch statistics
    loss = ((bn(x @ weight.T) - target) ** 2).mean()
    loss.backward()
    return loss.item(), weight.grad


def main():
    torch.manual_seed(0)
    x, target = torch.randn(64, 10, dtype=torch.float64), torch.randn(64, 4, dtype=torch.float64)
    weight = torch.randn(4, 10, dtype=torch.float64)
    loss, grad = loss_and_gradient(weight, x, target)
    loss_10, grad_10 = loss_and_gradient(10 * weight, x, target)  # (1)!
    print("loss with W and with 10 W:", round(loss, 6), round(loss_10, 6))
    #> loss with W and with 10 W: 2.036437 2.036439
    print("gradient norm, W / 10 W:", round((grad.norm() / grad_10.norm()).item(), 3))
    #> gradient norm, W / 10 W: 10.0
    print("gradient . W (orthogonal):", round((grad * weight).sum().item(), 4) + 0.0)  # (2)!
    #> gradient . W (orthogonal): 0.0

    model = nn.Sequential(nn.Linear(10, 4), nn.BatchNorm1d(4), nn.ReLU(), nn.Linear(4, 2))
    decay = [p for name, p in model.named_parameters() if name.endswith("weight") and p.ndim > 1]
    no_decay = [p for name, p in model.named_parameters() if not (name.endswith("weight") and p.ndim > 1)]  # (3)!
    optimizer = torch.optim.AdamW(
        [{"params": decay, "weight_decay": 0.1}, {"params": no_decay, "weight_decay": 0.0}], lr=0.01)
    print("decayed tensors:", len(decay), "| not decayed (biases, gamma, beta):", len(no_decay))
    #> decayed tensors: 2 | not decayed (biases, gamma, beta): 4
    gamma_before, weight_before = model[1].weight.detach().clone(), model[0].weight.detach().clone()
    optimizer.zero_grad()
    model(torch.randn(8, 10)).sum().mul(0.0).backward()  # a zero gradient: only the decay acts
    optimizer.step()
    print("after one step, gamma unchanged:", torch.equal(model[1].weight, gamma_before))
    #> after one step, gamma unchanged: True
    shrink = (model[0].weight / weight_before).mean().item()
    print("first weight matrix multiplied by:", round(shrink, 6))  # 1 - lr * weight_decay
    #> first weight matrix multiplied by: 0.999


if __name__ == "__main__":
    main()
