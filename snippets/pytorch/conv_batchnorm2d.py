"""A small conv net with BatchNorm2d on NCHW images: one statistic per channel over N, H, W."""

import torch
from torch import nn


def make_model(channels: int = 8, classes: int = 10) -> nn.Sequential:
    return nn.Sequential(
        nn.Conv2d(3, channels, kernel_size=3, padding=1, bias=False),
        nn.BatchNorm2d(channels),  # input (N, C, H, W): one mean/var per channel C, over N*H*W values
        nn.ReLU(),
        nn.AdaptiveAvgPool2d(1),
        nn.Flatten(),
        nn.Linear(channels, classes),
    )


def main():
    torch.manual_seed(0)
    device = "cuda" if torch.cuda.is_available() else "cpu"
    model = make_model().to(device).train()
    images = torch.randn(16, 3, 12, 12).to(device)  # drawn on the CPU: same numbers everywhere
    features = model[0](images)  # what the BatchNorm2d layer receives
    normalized = model[1](features)  # training mode: statistics of this batch
    per_channel = normalized.transpose(0, 1).reshape(8, -1)  # (C, N*H*W)
    print("values per channel:", per_channel.shape[1])
    #> values per channel: 2304
    print("mean per channel:", [round(v, 4) + 0.0 for v in per_channel.mean(dim=1).tolist()])
    #> mean per channel: [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0]
    print("std per channel: ", [round(v, 3) for v in per_channel.std(dim=1, unbiased=False).tolist()])
    #> std per channel:  [1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0]
    return model


if __name__ == "__main__":
    main()
