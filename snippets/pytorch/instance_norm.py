"""Instance normalization in PyTorch: each channel of each image is normalized on its own."""

import torch
from torch import nn


def rounded(t: torch.Tensor, digits: int = 3) -> list[float]:
    return [round(v, digits) + 0.0 for v in t.flatten().tolist()]


def main():
    torch.manual_seed(0)
    device = "cuda" if torch.cuda.is_available() else "cpu"
    images = (1.0 + 2.0 * torch.randn(2, 3, 8, 8)).to(device)  # (N, C, H, W)
    inorm = nn.InstanceNorm2d(3).to(device)  # (1)!
    y = inorm(images)
    print("mean per channel:", rounded(y[0].mean(dim=(1, 2))))
    #> mean per channel: [0.0, 0.0, 0.0]
    print("std per channel: ", rounded(y[0].std(dim=(1, 2), unbiased=False)))
    #> std per channel:  [1.0, 1.0, 1.0]
    print("parameters:", len(list(inorm.parameters())), "| buffers:", len(list(inorm.buffers())))
    #> parameters: 0 | buffers: 0

    inorm.eval()  # (2)!
    print("inference mode gives the same output:", torch.equal(inorm(images), y))
    #> inference mode gives the same output: True

    tracked = nn.InstanceNorm2d(3, affine=True, track_running_stats=True).to(device)  # (3)!
    tracked(images)  # a training step: running_mean <- 0.9 * 0 + 0.1 * (mean of the 2 images' means)
    print("running mean:", rounded(tracked.running_mean))
    #> running mean: [0.116, 0.093, 0.116]
    tracked.eval()
    print("inference mode now differs:", not torch.allclose(tracked(images), y, atol=1e-3))
    #> inference mode now differs: True


if __name__ == "__main__":
    main()
