"""Batch normalization written out in PyTorch, next to the built-in nn.BatchNorm2d."""

import torch
from torch import nn


class ScratchBatchNorm(nn.Module):
    """Same maths and buffers as nn.BatchNorm1d/2d/3d (channels on dim 1)."""

    def __init__(self, num_features: int, eps: float = 1e-5, momentum: float = 0.1):
        super().__init__()
        self.eps, self.momentum = eps, momentum
        self.weight = nn.Parameter(torch.ones(num_features))  # gamma
        self.bias = nn.Parameter(torch.zeros(num_features))  # beta
        self.register_buffer("running_mean", torch.zeros(num_features))
        self.register_buffer("running_var", torch.ones(num_features))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        dims = [0] + list(range(2, x.dim()))  # every axis except the channels
        shape = [1, -1] + [1] * (x.dim() - 2)  # broadcast per-channel values
        if self.training:
            mean = x.mean(dim=dims)
            var = x.var(dim=dims, unbiased=False)  # biased: this is what normalizes
            m = x.numel() // x.size(1)
            with torch.no_grad():  # momentum weights the NEW batch in PyTorch
                self.running_mean.lerp_(mean, self.momentum)
                self.running_var.lerp_(var * m / (m - 1), self.momentum)  # stored unbiased
        else:
            mean, var = self.running_mean, self.running_var
        x_hat = (x - mean.view(shape)) / torch.sqrt(var.view(shape) + self.eps)
        return self.weight.view(shape) * x_hat + self.bias.view(shape)


def compare(x: torch.Tensor) -> float:
    """Largest difference between the scratch layer and nn.BatchNorm2d, train then eval."""
    scratch, builtin = ScratchBatchNorm(x.size(1)).to(x.device), nn.BatchNorm2d(x.size(1)).to(x.device)
    diffs = [(scratch(x) - builtin(x)).abs().max()]  # training mode (the default)
    scratch.eval(), builtin.eval()
    diffs.append((scratch(x) - builtin(x)).abs().max())  # now from the running statistics
    return max(d.item() for d in diffs)


def main():
    torch.manual_seed(0)
    device = "cuda" if torch.cuda.is_available() else "cpu"
    x = (3.0 + 2.0 * torch.randn(8, 4, 5, 5)).to(device)  # drawn on the CPU: same numbers everywhere
    difference = compare(x)
    print(f"scratch and nn.BatchNorm2d agree to within 1e-5: {difference < 1e-5}")
    #> scratch and nn.BatchNorm2d agree to within 1e-5: True


if __name__ == "__main__":
    main()
