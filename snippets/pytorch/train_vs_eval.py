"""Training mode vs inference mode, and the running statistics after a few steps.

Run as is: python snippets/pytorch/train_vs_eval.py
"""

import torch
from torch import nn


# --8<-- [start:steps]
def train_steps(bn: nn.BatchNorm1d, batches) -> None:
    bn.train()  # batch statistics normalize; running statistics are updated
    for batch in batches:
        bn(batch)
# --8<-- [end:steps]


def main():
    torch.manual_seed(0)
    # --8<-- [start:demo]
    bn = nn.BatchNorm1d(3)  # eps=1e-5, momentum=0.1: running = 0.9*running + 0.1*batch
    batches = [5.0 + 2.0 * torch.randn(32, 3) for _ in range(5)]
    train_steps(bn, batches)
    print("running_mean", bn.running_mean)  # moves from 0 towards 5, 1 - 0.9**5 = 41% of the way
    print("running_var ", bn.running_var)  # unbiased batch variances, averaged the same way
    print("num_batches_tracked", bn.num_batches_tracked.item())

    x = batches[0][:4]
    train_out = bn(x)  # still training mode: normalized with THIS batch's statistics
    bn.eval()
    eval_out = bn(x)  # inference: the running statistics, same result for any batch size
    print("train vs eval differ by", (train_out - eval_out).abs().max().item())
    print("eval works on one sample:", bn(x[:1]).shape)

    bn.train()
    try:
        bn(x[:1])  # one value per channel: its variance is 0, so PyTorch refuses
    except ValueError as error:
        print("training on a batch of one:", error)
    # --8<-- [end:demo]


if __name__ == "__main__":
    main()
