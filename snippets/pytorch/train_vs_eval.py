"""Training mode vs inference mode, and the running statistics after a few steps."""

import torch
from torch import nn


def train_steps(bn: nn.BatchNorm1d, batches) -> None:
    bn.train()  # batch statistics normalize; running statistics are updated
    for batch in batches:
        bn(batch)


def rounded(t: torch.Tensor, digits: int = 3) -> list[float]:
    return [round(v, digits) + 0.0 for v in t.tolist()]


def main():
    torch.manual_seed(0)
    bn = nn.BatchNorm1d(3)  # eps=1e-5, momentum=0.1: running = 0.9*running + 0.1*batch
    batches = [5.0 + 2.0 * torch.randn(32, 3) for _ in range(5)]
    train_steps(bn, batches)
    print("running_mean", rounded(bn.running_mean))  # from 0 towards 5: 1 - 0.9**5 = 41% of the way
    #> running_mean [2.1, 2.087, 2.201]
    print("running_var ", rounded(bn.running_var))  # unbiased batch variances, averaged the same way
    #> running_var  [2.243, 2.143, 2.408]
    print("num_batches_tracked", bn.num_batches_tracked.item())
    #> num_batches_tracked 5

    x = batches[0][:4]
    train_out = bn(x)  # still training mode: normalized with THIS batch's statistics
    bn.eval()
    eval_out = bn(x)  # inference: the running statistics, same result for any batch size
    print("train vs eval differ by", round((train_out - eval_out).abs().max().item(), 2))
    #> train vs eval differ by 2.86
    print("eval works on one sample:", tuple(bn(x[:1]).shape))
    #> eval works on one sample: (1, 3)

    bn.train()
    try:
        bn(x[:1])  # one value per channel: its variance is 0, so PyTorch refuses
    except ValueError as error:
        print("training on one value per channel:", error)
        #> training on one value per channel: Expected more than 1 value per channel when training, got input size torch.Size([1, 3])


if __name__ == "__main__":
    main()
