"""Dropout before batch norm: the variance BN learns in training is not the one it sees at inference."""

import torch
from torch import nn

P = 0.5  # dropout probability


def variance_seen_by_bn(order: str) -> tuple[float, float]:
    """Train a Dropout/BatchNorm pair on inputs with mean 1 and variance 1; return the
    running variance BN stored and the variance of its input at inference."""
    torch.manual_seed(0)
    dropout, bn = nn.Dropout(P), nn.BatchNorm1d(8, momentum=None)  # momentum=None: plain average
    model = nn.Sequential(dropout, bn) if order == "dropout -> BN" else nn.Sequential(bn, dropout)
    with torch.no_grad():
        for _ in range(200):  # training mode: dropout active, BN updates its running statistics
            model(1.0 + torch.randn(256, 8))
        model.eval()
        x = 1.0 + torch.randn(100_000, 8)
        bn_input = dropout(x) if order == "dropout -> BN" else x  # dropout is the identity now
    return bn.running_var.mean().item(), bn_input.var(dim=0).mean().item()


def main():
    torch.manual_seed(0)  # this experiment runs on the CPU: it is bit-for-bit reproducible there
    x = 1.0 + torch.randn(100_000, 8)
    dropout = nn.Dropout(P)
    train_out = dropout(x)  # (1)!
    print("training:  mean", round(train_out.mean().item(), 2), "variance", round(train_out.var().item(), 2))
    #> training:  mean 1.0 variance 3.0
    dropout.eval()
    print("inference: mean", round(dropout(x).mean().item(), 2), "variance", round(dropout(x).var().item(), 2))
    #> inference: mean 1.0 variance 1.0

    for order in ("dropout -> BN", "BN -> dropout"):
        learned, seen = variance_seen_by_bn(order)  # (2)!
        print(f"{order}: BN's running variance {learned:.2f}, its input's variance at inference {seen:.2f}")
        #> dropout -> BN: BN's running variance 3.00, its input's variance at inference 1.00
        #> BN -> dropout: BN's running variance 1.00, its input's variance at inference 1.00


if __name__ == "__main__":
    main()
