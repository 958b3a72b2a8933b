"""Group normalization in PyTorch: per sample, one mean and variance per group of channels."""

import torch
from torch import nn


def rounded(t: torch.Tensor, digits: int = 3) -> list[float]:
    return [round(v, digits) + 0.0 for v in t.flatten().tolist()]


def main():
    torch.manual_seed(0)
    device = "cuda" if torch.cuda.is_available() else "cpu"
    images = (1.0 + 2.0 * torch.randn(4, 6, 5, 5)).to(device)  # (N, C, H, W)
    gn = nn.GroupNorm(num_groups=3, num_channels=6).to(device)  # (1)!
    y = gn(images)
    groups = y[0].reshape(3, -1)  # sample 0: 3 groups of 2 channels x 25 positions
    print("mean per group:", rounded(groups.mean(dim=1)))
    #> mean per group: [0.0, 0.0, 0.0]
    print("std per group: ", rounded(groups.std(dim=1, unbiased=False)))
    #> std per group:  [1.0, 1.0, 1.0]
    print("gamma, beta:", tuple(gn.weight.shape), tuple(gn.bias.shape))
    #> gamma, beta: (6,) (6,)

    alone = gn(images[:1])  # (2)!
    print("a sample alone gives the same output as in the batch:", torch.allclose(alone, y[:1]))
    #> a sample alone gives the same output as in the batch: True

    # float32 results of two different kernels: equal up to rounding, hence atol=1e-5
    one_group = nn.GroupNorm(1, 6).to(device)
    layer_norm = nn.LayerNorm([6, 5, 5]).to(device)  # (3)!
    print("1 group  = LayerNorm([C, H, W]):", torch.allclose(one_group(images), layer_norm(images), atol=1e-5))
    #> 1 group  = LayerNorm([C, H, W]): True
    six_groups = nn.GroupNorm(6, 6).to(device)
    instance_norm = nn.InstanceNorm2d(6).to(device)  # (4)!
    print("6 groups = InstanceNorm2d(6):   ", torch.allclose(six_groups(images), instance_norm(images), atol=1e-5))
    #> 6 groups = InstanceNorm2d(6):    True


if __name__ == "__main__":
    main()
