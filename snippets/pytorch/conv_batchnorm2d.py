"""A small conv net with BatchNorm2d on NCHW images: one statistic per channel over N, H, W.

Run as is: python snippets/pytorch/conv_batchnorm2d.py
"""

import torch
from torch import nn


# --8<-- [start:model]
def make_model(channels: int = 8, classes: int = 10) -> nn.Sequential:
    return nn.Sequential(
        nn.Conv2d(3, channels, kernel_size=3, padding=1, bias=False),
        nn.BatchNorm2d(channels),  # input (N, C, H, W): mean/var per C over N*H*W values
        nn.ReLU(),
        nn.AdaptiveAvgPool2d(1),
        nn.Flatten(),
        nn.Linear(channels, classes),
    )
# --8<-- [end:model]


def main():
    torch.manual_seed(0)
    device = "cuda" if torch.cuda.is_available() else "cpu"
    model = make_model().to(device).train()
    images = torch.randn(16, 3, 12, 12, device=device)
    labels = torch.randint(0, 10, (16,), device=device)
    loss = nn.functional.cross_entropy(model(images), labels)
    loss.backward()
    bn = model[1]
    print(f"loss {loss.item():.4f}; running_mean[:3] {bn.running_mean[:3].tolist()}")
    return loss.item()


if __name__ == "__main__":
    main()
