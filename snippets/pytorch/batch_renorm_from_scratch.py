"""Batch renormalization (Ioffe, 2017) from scratch in PyTorch, for (N, C) and (N, C, H, W) inputs."""

import torch
from torch import nn


def clipping(step: int) -> tuple[float, float]:
    """The paper's schedule: plain batch norm (r_max 1, d_max 0) for 5k steps, then relaxed
    linearly to r_max = 3 (reached at step 40k) and d_max = 5 (at step 25k)."""
    r_max = 1.0 + 2.0 * min(max(step - 5_000, 0) / 35_000, 1.0)
    d_max = 5.0 * min(max(step - 5_000, 0) / 20_000, 1.0)
    return r_max, d_max


class BatchRenorm(nn.Module):
    def __init__(self, channels: int, eps: float = 1e-3, momentum: float = 0.01):
        super().__init__()
        self.eps, self.momentum = eps, momentum  # momentum: the paper's alpha (PyTorch's convention)
        self.r_max, self.d_max = 1.0, 0.0  # (1)!
        self.weight = nn.Parameter(torch.ones(channels))
        self.bias = nn.Parameter(torch.zeros(channels))
        self.register_buffer("running_mean", torch.zeros(channels))
        self.register_buffer("running_std", torch.ones(channels))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        shape = [1, -1] + [1] * (x.dim() - 2)  # broadcast per channel (axis 1)
        if not self.training:
            return (x - self.running_mean.view(shape)) / self.running_std.view(shape) * self.weight.view(shape) + self.bias.view(shape)
        dims = [0] + list(range(2, x.dim()))
        mean = x.mean(dim=dims)
        std = torch.sqrt(x.var(dim=dims, unbiased=False) + self.eps)  # sigma_B
        with torch.no_grad():  # (2)!
            r = (std / self.running_std).clamp(1.0 / self.r_max, self.r_max)
            d = ((mean - self.running_mean) / self.running_std).clamp(-self.d_max, self.d_max)
            self.running_mean += self.momentum * (mean - self.running_mean)
            self.running_std += self.momentum * (std - self.running_std)
        x_hat = (x - mean.view(shape)) / std.view(shape) * r.view(shape) + d.view(shape)
        return x_hat * self.weight.view(shape) + self.bias.view(shape)


def main():
    torch.manual_seed(0)
    device = "cuda" if torch.cuda.is_available() else "cpu"
    layer = BatchRenorm(4).to(device)
    reference_bn = nn.BatchNorm2d(4, eps=1e-3).to(device)
    x = (2.0 + 3.0 * torch.randn(2, 4, 5, 5)).to(device)  # a batch of 2
    same = torch.allclose(layer(x), reference_bn(x), atol=1e-5)  # float32 rounding, hence atol
    print("r_max = 1, d_max = 0: equal to batch norm:", same)
    #> r_max = 1, d_max = 0: equal to batch norm: True

    for step in (0, 5_000, 15_000, 25_000, 40_000):
        r_max, d_max = clipping(step)
        print(f"step {step:6}: r_max {r_max:.2f}, d_max {d_max:.2f}")
        #> step      0: r_max 1.00, d_max 0.00
        #> step   5000: r_max 1.00, d_max 0.00
        #> step  15000: r_max 1.57, d_max 2.50
        #> step  25000: r_max 2.14, d_max 5.00
        #> step  40000: r_max 3.00, d_max 5.00

    with torch.no_grad():  # pretend training has converged: moving statistics of the data
        layer.running_mean.fill_(2.0)
        layer.running_std.fill_(3.0)
    layer.r_max, layer.d_max = clipping(40_000)
    inference_out = layer.eval()(x)
    train_out = layer.train()(x)  # (3)!
    print("unclipped r and d: training output = inference output:", torch.allclose(train_out, inference_out, atol=1e-5))
    #> unclipped r and d: training output = inference output: True


if __name__ == "__main__":
    main()
